#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vnt::pipeline {
namespace {

// One SSI Broadcast frame as it arrives on the wire (the content double-encoded in the SignalR envelope).
std::string Frame(const std::string& data_type, const std::string& content) {
  std::string escaped;
  for (char c : content) {
    if (c == '"')
      escaped += "\\\\\\\"";  // content string inside the payload string
    else
      escaped += c;
  }
  return R"({"C":"d-1","M":[{"H":"FcMarketDataV2Hub","M":"Broadcast","A":["{\"DataType\":\")" + data_type +
         R"(\",\"Content\":\")" + escaped + R"(\"}"]}]})";
}

std::string Trade(const char* time, int total_vol, int last_vol) {
  return Frame("X-TRADE", std::string(R"({"RType":"X-TRADE","TradingDate":"18/03/2026","Time":")") + time +
                              R"(","Symbol":"FPT","RefPrice":100000.0,"LastPrice":100100.0,"LastVol":)" +
                              std::to_string(last_vol) + R"(.0,"TotalVol":)" + std::to_string(total_vol) +
                              R"(.0,"TradingSession":"LO","Side":"BU"})");
}

core::EngineConfig Config() {
  core::EngineConfig cfg;
  cfg.vn30 = {Symbol::Of("FPT")};
  return cfg;
}

TEST(Pipeline, DecodesAppliesAndJournalsFramesWithEvents) {
  core::MarketEngine engine(Config());
  Pipeline p(engine);
  std::vector<std::pair<Date, std::string>> journal;
  p.set_journal([&](Date d, std::string&& f) { journal.emplace_back(d, std::move(f)); });
  std::vector<feed::ErrorKind> errors;
  p.set_on_error([&](const feed::DecodeError& e) { errors.push_back(e.kind); });
  int observed = 0;
  p.set_latency_observer([&](double s) {
    EXPECT_GE(s, 0.0);
    ++observed;
  });

  const std::string first = Trade("10:00:00", 100, 100);
  EXPECT_EQ(p.Push(first), 1u);
  EXPECT_EQ(p.Push(Trade("10:00:01", 300, 200)), 1u);
  EXPECT_EQ(p.Push(std::string("{\"S\":1,\"M\":[]}")), 0u);  // a keep-alive: no event, not journaled
  EXPECT_EQ(p.Push(std::string("not json")), 0u);            // an error: counted, not journaled

  const core::SymbolState* fpt = engine.FindSymbol(Symbol::Of("FPT"));
  ASSERT_NE(fpt, nullptr);
  EXPECT_EQ(fpt->feed_total_vol.raw(), 300);
  EXPECT_EQ(fpt->total.volume().raw(), 300);
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[0].first, Date::Of(2026, 3, 18));
  EXPECT_EQ(journal[0].second, first);
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(observed, 4);
  EXPECT_EQ(p.decoder_stats().frames, 4u);
}

TEST(Pipeline, WorksWithoutHooks) {
  core::MarketEngine engine(Config());
  Pipeline p(engine);
  EXPECT_EQ(p.Push(Trade("10:00:00", 100, 100)), 1u);
  ASSERT_NE(engine.FindSymbol(Symbol::Of("FPT")), nullptr);
  EXPECT_EQ(engine.FindSymbol(Symbol::Of("FPT"))->total.volume().raw(), 100);
}

}  // namespace
}  // namespace vnt::pipeline
