#include "simserver/market_rest.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "feed/decoder.h"
#include "ssi/protocol.h"

namespace vnt::simserver {
namespace {

// A simulated morning (09:14:50-09:21:00 of 18/03/2026) applied to an engine, as the server does; built once
// for the suite.
struct Market {
  static sim::SimConfig Config(TimeOfDay start = TimeOfDay::Of(9, 14, 50),
                               TimeOfDay end = TimeOfDay::Of(9, 21, 0)) {
    sim::SimConfig c;
    c.date = Date::Of(2026, 3, 18);
    c.start = start;
    c.end = end;
    c.channels = sim::ChannelSet{true, true, true, true, true, true, true};
    c.keep_truth = false;
    return c;
  }
  explicit Market(sim::SimConfig cfg = Config())
      : sim(cfg), engine(core::EngineConfig{}), rest(sim, engine, candles) {
    engine.AddSink(&candles);
    feed::Decoder decoder;
    feed::DecodeOutput out;
    sim::SimFrame f;
    while (sim.Next(&f)) {
      out.clear();
      decoder.Decode(f.text, out);
      for (const auto& ev : out.events) engine.Apply(ev);
    }
  }
  sim::Simulator sim;
  core::MarketEngine engine;
  CandleLog candles;
  MarketRest rest;
};

class MarketRestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { market_ = new Market(); }
  static void TearDownTestSuite() {
    delete market_;
    market_ = nullptr;
  }
  // GET `name`?`query`, parsed; fails the test when the body is not JSON.
  simdjson::dom::element Get(std::string_view name, std::string_view query) {
    std::string body;
    EXPECT_TRUE(rest_.Handle(name, Params(query), &body)) << name;
    bodies_.push_back(body);
    simdjson::dom::element e;
    EXPECT_FALSE(parser_.emplace_back().parse(bodies_.back()).get(e)) << body;
    return e;
  }
  static std::string Str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

  static Market* market_;
  const sim::Simulator& sim_ = market_->sim;
  const MarketRest& rest_ = market_->rest;
  std::deque<std::string> bodies_;
  std::deque<simdjson::dom::parser> parser_;
};
Market* MarketRestTest::market_ = nullptr;

TEST_F(MarketRestTest, UnknownEndpoint) {
  std::string body;
  EXPECT_FALSE(rest_.Handle("Nope", Params(""), &body));
  EXPECT_TRUE(rest_.Handle("dailyohlc", Params(""), &body));  // any case
}

TEST_F(MarketRestTest, SecuritiesPagedByMarket) {
  auto r = Get("Securities", "market=hose&pageIndex=3&pageSize=10");
  EXPECT_EQ(Str(r["status"]), "Success");
  EXPECT_EQ(int64_t(r["totalRecord"]), 30);
  EXPECT_EQ(simdjson::dom::array(r["data"]).size(), 10u);
  r = Get("Securities", "market=DER");
  EXPECT_EQ(int64_t(r["totalRecord"]), 4);
  EXPECT_EQ(Str(r["data"].at(0)["Symbol"]).substr(0, 4), "41I1");
  EXPECT_EQ(int64_t(Get("Securities", "")["totalRecord"]), 34);
  EXPECT_TRUE(Get("Securities", "pageSize=7")["data"].is_null());
}

TEST_F(MarketRestTest, SecuritiesDetailsOneReport) {
  auto r = Get("SecuritiesDetails", "market=HOSE&symbol=fpt");
  EXPECT_EQ(int64_t(r["totalRecord"]), 1);
  auto report = r["data"].at(0);
  EXPECT_EQ(Str(report["ReportDate"]), "18/03/2026");
  EXPECT_EQ(Str(report["TotalNoSym"]), "1");
  auto info = report["RepeatedInfo"].at(0);
  EXPECT_EQ(Str(info["Symbol"]), "FPT");
  EXPECT_EQ(Str(info["LotSize"]), "100");
  EXPECT_TRUE(info["Issuer"].is_null());
}

TEST_F(MarketRestTest, IndexComponentsAndIndexList) {
  auto r = Get("IndexComponents", "indexCode=vn30&pageSize=100");
  EXPECT_EQ(int64_t(r["totalRecord"]), 1);
  EXPECT_EQ(Str(r["data"].at(0)["TotalSymbolNo"]), "30");
  EXPECT_EQ(simdjson::dom::array(r["data"].at(0)["IndexComponent"]).size(), 30u);
  EXPECT_EQ(Str(r["data"].at(0)["IndexComponent"].at(0)["StockSymbol"]), sim_.stocks()[0].symbol.str());
  EXPECT_TRUE(Get("IndexComponents", "")["data"].is_null());
  EXPECT_EQ(int64_t(Get("IndexComponents", "indexCode=HNX30")["totalRecord"]), 0);
  EXPECT_EQ(int64_t(Get("IndexList", "exchange=hose")["totalRecord"]), 2);
  EXPECT_EQ(int64_t(Get("IndexList", "exchange=HNX")["totalRecord"]), 0);
}

TEST_F(MarketRestTest, DailyFiguresOnlyForTheSimulatedDay) {
  auto r = Get("DailyOhlc", "symbol=FPT&fromDate=18/03/2026&toDate=18/03/2026");
  ASSERT_EQ(int64_t(r["totalRecord"]), 1);
  auto d = r["data"].at(0);
  EXPECT_EQ(Str(d["TradingDate"]), "18/03/2026");
  EXPECT_TRUE(d["Time"].is_null());
  EXPECT_GT(std::stoll(Str(d["Volume"])), 0);
  EXPECT_EQ(int64_t(Get("DailyOhlc", "symbol=FPT&fromDate=01/01/2025&toDate=31/01/2025")["totalRecord"]), 0);
  EXPECT_NE(
      Str(Get("DailyOhlc", "symbol=FPT&fromDate=2026-03-18&toDate=18/03/2026")["message"]).find("fromDate"),
      std::string::npos);
  EXPECT_TRUE(Get("DailyOhlc", "fromDate=18/03/2026&toDate=18/03/2026")["data"].is_null());  // no symbol
  // Futures by alias, legacy code or KRX code.
  const std::string krx = sim_.futures()[0].symbol.str();
  r = Get("DailyOhlc", "symbol=VN30F1M&fromDate=18/03/2026&toDate=18/03/2026");
  ASSERT_EQ(int64_t(r["totalRecord"]), 1);
  EXPECT_EQ(Str(r["data"].at(0)["Symbol"]), krx);
  EXPECT_EQ(Str(r["data"].at(0)["Market"]), "DER");

  r = Get("DailyStockPrice",
          "lookupRequest.symbol=FPT&lookupRequest.fromDate=18/03/2026&lookupRequest.toDate=18/03/2026");
  ASSERT_EQ(int64_t(r["totalRecord"]), 1);
  EXPECT_GT(std::stoll(Str(r["data"].at(0)["TotalMatchVol"])), 0);
  EXPECT_EQ(Str(r["data"].at(0)["Symbol"]), "FPT");
  EXPECT_EQ(int64_t(Get("DailyStockPrice",
                        "market=HOSE&fromDate=18/03/2026&toDate=18/03/2026&pageSize=100")["totalRecord"]),
            30);
  EXPECT_EQ(
      int64_t(Get("DailyStockPrice", "symbol=NOPE&fromDate=18/03/2026&toDate=18/03/2026")["totalRecord"]), 0);

  r = Get("DailyIndex", "indexId=vn30&fromDate=18/03/2026&toDate=18/03/2026");
  ASSERT_EQ(int64_t(r["totalRecord"]), 1);
  EXPECT_EQ(Str(r["data"].at(0)["IndexId"]), "VN30");
  EXPECT_GT(std::stod(Str(r["data"].at(0)["IndexValue"])), 1000);
}

TEST_F(MarketRestTest, IntradayBarsNewestFirstUnlessAscending) {
  auto r = Get("IntradayOhlc", "symbol=FPT&fromDate=18/03/2026&toDate=18/03/2026&pageSize=100");
  const int64_t n = int64_t(r["totalRecord"]);
  ASSERT_GE(n, 3);
  const std::string newest = Str(r["data"].at(0)["Time"]);
  r = Get("IntradayOhlc", "symbol=FPT&fromDate=18/03/2026&toDate=18/03/2026&pageSize=100&ascending=true");
  const std::string oldest = Str(r["data"].at(0)["Time"]);
  EXPECT_LT(oldest, newest);
  EXPECT_EQ(oldest.substr(6), "59");                                        // the bar's last second
  EXPECT_EQ(Str(r["data"].at(0)["Value"]), Str(r["data"].at(0)["Close"]));  // SSI's quirk
}

// Before the open (08:50, nothing traded yet) the SSI client reads today's reference, ceiling and floor from
// DailyStockPrice and the day from SecuritiesDetails' ReportDate: the sim-server's replies give exactly the
// simulator's reference data, for stocks (HOSE) and futures (DER, KRX code) alike.
TEST(MarketRestPreOpen, DailyStockPriceGivesTodaysReferenceBeforeAnyTrade) {
  const Market m(Market::Config(TimeOfDay::Of(8, 50, 0), TimeOfDay::Of(8, 52, 0)));
  std::string body;
  ASSERT_TRUE(
      m.rest.Handle("SecuritiesDetails", Params("market=HOSE&symbol=FPT&pageIndex=1&pageSize=10"), &body));
  const auto reported = ssi::ParseReportDate(body);
  ASSERT_TRUE(reported.ok()) << reported.error().message;
  const std::string& day = *reported;
  ASSERT_EQ(day, "18/03/2026");
  const auto fmt = [](Price p) { return std::to_string(p.ToDouble()); };
  int stocks = 0;
  for (const sim::StockInfo& s : m.sim.stocks()) {
    const core::SymbolState* st = m.engine.FindSymbol(s.symbol);
    ASSERT_NE(st, nullptr) << s.symbol.view();
    EXPECT_EQ(st->volume().raw(), 0) << "nothing trades before 09:00";
    const std::string query = ssi::DailyStockPriceQuery(s.symbol.view(), "HOSE", day);
    ASSERT_TRUE(m.rest.Handle("DailyStockPrice", Params(query.substr(query.find('?') + 1)), &body));
    auto r = ssi::ParseDailyStockPrice(body, s.symbol.view(), day);
    ASSERT_TRUE(r.ok()) << s.symbol.view() << ": " << r.error().message;
    EXPECT_EQ(std::to_string(std::stod(r->ref)), fmt(s.ref)) << s.symbol.view();
    EXPECT_EQ(std::to_string(std::stod(r->ceiling)), fmt(s.ceiling)) << s.symbol.view();
    EXPECT_EQ(std::to_string(std::stod(r->floor)), fmt(s.floor)) << s.symbol.view();
    ++stocks;
  }
  EXPECT_EQ(stocks, 30);
  for (const sim::FuturesInfo& f : m.sim.futures()) {
    const std::string query = ssi::DailyStockPriceQuery(f.symbol.view(), "DER", day);
    ASSERT_TRUE(m.rest.Handle("DailyStockPrice", Params(query.substr(query.find('?') + 1)), &body));
    auto r = ssi::ParseDailyStockPrice(body, f.symbol.view(), day);
    ASSERT_TRUE(r.ok()) << f.symbol.view() << ": " << r.error().message;
    EXPECT_EQ(std::to_string(std::stod(r->ref)), fmt(f.ref)) << f.symbol.view();
    EXPECT_EQ(std::to_string(std::stod(r->ceiling)), fmt(f.ceiling)) << f.symbol.view();
    EXPECT_EQ(std::to_string(std::stod(r->floor)), fmt(f.floor)) << f.symbol.view();
  }
  // Another day has no row: the client never takes it for today's.
  ASSERT_TRUE(m.rest.Handle("DailyStockPrice",
                            Params("symbol=FPT&market=HOSE&fromDate=17/03/2026&toDate=17/03/2026"), &body));
  EXPECT_FALSE(ssi::ParseDailyStockPrice(body, "FPT", "17/03/2026").ok());
}

}  // namespace
}  // namespace vnt::simserver
