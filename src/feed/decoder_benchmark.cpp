// Decoder throughput: SSI FastConnect SignalR frames end to end (envelope -> Broadcast -> Content ->
// typed event), against a reference decode of the same frames with simdjson's DOM API in the same run.
// Prints each ratio at the end. Run: build/release/src/feed/decoder_benchmark
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <map>
#include <string>

#include "feed/decoder.h"

namespace {

using vnt::AppendJsonString;  // core/types.h

std::string Wrap(const std::string& content, const char* datatype, std::size_t target_size) {
  std::string payload = std::string("{\"DataType\":\"") + datatype + "\",\"Content\":";
  AppendJsonString(content, &payload);
  payload += "}";
  std::string arg;
  AppendJsonString(payload, &arg);
  const std::string head = "{\"C\":\"d-9A1B2C3D-B,";
  const std::string tail =
      "|Bv,0|Bw,1\",\"M\":[{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[" + arg + "]}]}";
  // Pad the message cursor so the frame has the size quoted in the issue (cursors vary in length anyway).
  std::string cursor = "1";
  while (head.size() + cursor.size() + tail.size() < target_size) cursor += "0";
  return head + cursor + tail;
}

const std::string& XTradeFrame() {
  static const std::string f = Wrap(
      "{\"RType\":\"X-TRADE\",\"TradingDate\":\"14/08/"
      "2023\",\"Time\":\"14:07:53\",\"Isin\":\"ACB\",\"Symbol\":\"ACB\","
      "\"Ceiling\":24500.0,\"Floor\":21300.0,\"RefPrice\":22900.0,\"AvgPrice\":22927.93,\"PriorVal\":22900.0,"
      "\"LastPrice\":22950.0,\"LastVol\":100.0,\"TotalVal\":201713015000.0,\"TotalVol\":8797700.0,"
      "\"MarketId\":\"HOSE\",\"Exchange\":\"HOSE\",\"TradingSession\":\"LO\",\"TradingStatus\":\"N\","
      "\"Change\":50.0,\"RatioChange\":0.22,\"EstMatchedPrice\":22900.0,\"Highest\":23050,\"Lowest\":22800,"
      "\"Side\":\"SD\"}",
      "X-TRADE", 789);
  return f;
}

const std::string& XFrame() {
  static const std::string f = [] {
    std::string c =
        "{\"RType\":\"X\",\"TradingDate\":\"15/08/"
        "2023\",\"Time\":\"10:28:41\",\"Isin\":\"TAR\",\"Symbol\":\"TAR\","
        "\"Ceiling\":23400.0,\"Floor\":19200.0,\"RefPrice\":21300.0,\"Open\":21300.0,\"High\":22300.0,"
        "\"Low\":21300.0,\"Close\":21800.0,\"AvgPrice\":21784.0,\"PriorVal\":21300.0,\"LastPrice\":21800.0,"
        "\"LastVol\":100.0,\"TotalVal\":27946100000.0,\"TotalVol\":1282900.0";
    const char* bp[] = {"21800.0", "21700.0", "21600.0", "21500.0", "21400.0",
                        "21300.0", "21200.0", "21100.0", "21000.0", "20900.0"};
    const char* bv[] = {"18800.0", "35300.0", "93600.0", "60000.0",  "45800.0",
                        "94500.0", "42900.0", "48400.0", "165900.0", "26100.0"};
    const char* ap[] = {"21900.0", "22000.0", "22100.0", "22200.0", "22300.0",
                        "22400.0", "22500.0", "22600.0", "22700.0", "22800.0"};
    const char* av[] = {"50300.0",  "109800.0", "58500.0", "152600.0", "92200.0",
                        "129800.0", "178700.0", "60100.0", "29400.0",  "17000.0"};
    for (int i = 0; i < 10; ++i) c += ",\"BidPrice" + std::to_string(i + 1) + "\":" + bp[i];
    for (int i = 0; i < 10; ++i) c += ",\"BidVol" + std::to_string(i + 1) + "\":" + bv[i];
    for (int i = 0; i < 10; ++i) c += ",\"AskPrice" + std::to_string(i + 1) + "\":" + ap[i];
    for (int i = 0; i < 10; ++i) c += ",\"AskVol" + std::to_string(i + 1) + "\":" + av[i];
    c += ",\"MarketId\":\"HNX\",\"Exchange\":\"HNX\",\"TradingSession\":\"LO\",\"TradingStatus\":\"N\","
         "\"Change\":500.0,\"RatioChange\":2.35,\"EstMatchedPrice\":0.0}";
    return Wrap(c, "X", 1669);
  }();
  return f;
}

void BM_Decode(benchmark::State& state, const std::string& frame) {
  vnt::feed::Decoder decoder;
  vnt::feed::DecodeOutput out;
  if (!decoder.Decode(frame, out) || out.events.size() != 1) {
    state.SkipWithError("frame does not decode");
    return;
  }
  for (auto _ : state) {
    out.clear();
    decoder.Decode(frame, out);
    benchmark::DoNotOptimize(out.events.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame.size()));
  state.counters["frame_bytes"] = static_cast<double>(frame.size());
}

// Reference: the same three levels with simdjson's DOM API, reading the fields an event needs as doubles.
void BM_SimdjsonDom(benchmark::State& state, const std::string& frame, bool with_book) {
  simdjson::dom::parser p1, p2, p3;
  simdjson::padded_string padded(frame);
  static const char* kTrade[] = {"LastPrice", "LastVol", "TotalVol", "TotalVal",
                                 "RefPrice",  "Ceiling", "Floor"};
  static const char* kBook[] = {"BidPrice1", "BidVol1", "BidPrice2", "BidVol2", "BidPrice3", "BidVol3",
                                "AskPrice1", "AskVol1", "AskPrice2", "AskVol2", "AskPrice3", "AskVol3"};
  std::int64_t sink = 0;
  for (auto _ : state) {
    simdjson::dom::element env, payload, content;
    if (p1.parse(padded).get(env)) state.SkipWithError("env");
    std::string_view arg, c, sym, date, time;
    if (env["M"].at(0)["A"].at(0).get(arg)) state.SkipWithError("arg");
    if (p2.parse(arg).get(payload)) state.SkipWithError("payload");
    if (payload["Content"].get(c)) state.SkipWithError("content");
    if (p3.parse(c).get(content)) state.SkipWithError("content parse");
    if (content["Symbol"].get(sym)) sink--;
    if (content["TradingDate"].get(date)) sink--;
    if (content["Time"].get(time)) sink--;
    double d = 0;
    for (const char* k : kTrade) {
      if (content[k].get(d)) sink--;
      sink += static_cast<std::int64_t>(d);
    }
    if (with_book) {
      for (const char* k : kBook) {
        if (content[k].get(d)) sink--;
        sink += static_cast<std::int64_t>(d);
      }
    }
    sink += static_cast<std::int64_t>(sym.size() + date.size() + time.size());
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame.size()));
}

// Collects items/s per benchmark so that the ratios can be printed after the run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end() && r.run_type == Run::RT_Iteration) rates_[r.benchmark_name()] = it->second;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintRatios() const {
    Ratio("BM_Decode/x_trade_789B", "BM_SimdjsonDom/x_trade_789B");
    Ratio("BM_Decode/x_1669B", "BM_SimdjsonDom/x_1669B");
  }

 private:
  void Ratio(const std::string& ours, const std::string& ref) const {
    auto a = rates_.find(ours), b = rates_.find(ref);
    if (a == rates_.end() || b == rates_.end()) return;
    std::printf("%-28s %12.0f frames/s   simdjson DOM %12.0f frames/s   ratio %.2fx\n", ours.c_str(),
                a->second, b->second, a->second / b->second);
  }
  std::map<std::string, double> rates_;
};

}  // namespace

BENCHMARK_CAPTURE(BM_Decode, x_trade_789B, XTradeFrame());
BENCHMARK_CAPTURE(BM_SimdjsonDom, x_trade_789B, XTradeFrame(), false);
BENCHMARK_CAPTURE(BM_Decode, x_1669B, XFrame());
BENCHMARK_CAPTURE(BM_SimdjsonDom, x_1669B, XFrame(), true);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
