#include "app/replay_command.h"

#include <istream>
#include <ostream>
#include <string>

#include "api/candle_json.h"
#include "api/market_json.h"
#include "pipeline/pipeline.h"
#include "source/frame_lines.h"

namespace vnt::app {

namespace {

// Streams trades and alerts as JSON lines while replaying (when no summary is asked).
class LineSink : public core::MarketSink {
 public:
  explicit LineSink(std::string* buf) : buf_(buf) {}
  void OnTrade(const core::ClassifiedTrade& t) override {
    api::JsonWriter w(buf_);
    w.BeginObject().Field("event", "trade").Key("trade");
    api::WriteTrade(w, t);
    w.EndObject();
    buf_->push_back('\n');
  }
  void OnCandleClosed(const core::Candle& c) override {
    api::JsonWriter w(buf_);
    w.BeginObject().Field("event", "candle").Key("candle");
    api::WriteCandle(w, c, true);
    w.EndObject();
    buf_->push_back('\n');
  }
  void OnAlert(const core::Alert& a) override {
    api::JsonWriter w(buf_);
    w.BeginObject().Field("event", "alert").Key("alert");
    api::WriteAlert(w, a);
    w.EndObject();
    buf_->push_back('\n');
  }

 private:
  std::string* buf_;
};

void WriteSummary(const core::MarketEngine& e, const feed::DecoderStats& ds, std::uint64_t lines,
                  std::string* out) {
  api::JsonWriter w(out);
  w.BeginObject();
  api::WriteMarketClock(w, e);
  w.Key("symbols").BeginObject();
  for (const core::SymbolState& s : e.symbols()) {
    if (s.kind == core::SymbolKind::kFutures) continue;
    w.Key(s.symbol.view());
    api::WriteSymbol(w, s);
  }
  w.EndObject();
  w.Key("foreign");
  api::WriteForeignSummary(w, e);
  w.Key("indices").BeginObject();
  for (const core::IndexState& i : e.indices()) {
    w.Key(i.id.view());
    api::WriteIndex(w, i);
  }
  w.EndObject();
  w.Key("futures").BeginObject();
  for (const core::FuturesState& f : e.futures()) {
    w.Key(f.contract.legacy_code.view());
    api::WriteFutures(w, f);
  }
  w.EndObject();
  w.Key("futures_flow")
      .BeginObject();  // aggressor flow of the futures symbols, keyed like the feed sent them
  for (const core::SymbolState& s : e.symbols()) {
    if (s.kind != core::SymbolKind::kFutures) continue;
    w.Key(s.symbol.view());
    api::WriteFlow(w, s.total, s.multiplier);
  }
  w.EndObject();
  w.Key("alerts").BeginArray();
  for (std::size_t i = 0; i < e.recent_alerts().size(); ++i) api::WriteAlert(w, e.recent_alerts()[i]);
  w.EndArray();
  w.Key("counters").BeginObject();
  w.Field("lines", static_cast<std::int64_t>(lines));
  w.Field("frames", static_cast<std::int64_t>(ds.frames));
  w.Field("frames_failed", static_cast<std::int64_t>(ds.frames_failed));
  w.Field("repaired", static_cast<std::int64_t>(ds.repaired));
  w.Key("decode_errors").BeginObject();
  for (std::size_t k = 0; k < ds.errors.size(); ++k) {
    if (ds.errors[k])
      w.Field(feed::ErrorKindName(static_cast<feed::ErrorKind>(k)), static_cast<std::int64_t>(ds.errors[k]));
  }
  w.EndObject();
  w.Key("engine");
  api::WriteEngineCounters(w, e.counters());
  w.EndObject();
  w.EndObject();
  out->push_back('\n');
}

}  // namespace

int RunReplay(std::istream& in, std::ostream& out, std::ostream& err, const ReplayOptions& opts) {
  core::MarketEngine engine(opts.engine);
  pipeline::Pipeline pipe(engine);
  for (const core::AlertRule& r : opts.rules) {
    if (const auto id = engine.AddRule(r); !id) err << "replay: rule refused: " << id.error().message << '\n';
  }
  std::string buf;
  LineSink sink(&buf);
  if (!opts.summary) engine.AddSink(&sink);
  if (engine.futures_override_unresolved())
    err << "replay: FUTURES_OVERRIDE does not name a listed contract\n";

  constexpr std::uint64_t kErrorLines = 20;
  std::string line;
  std::uint64_t line_no = 0, lines = 0, reported = 0;
  pipe.set_on_error([&](const feed::DecodeError& e) {
    if (reported++ < kErrorLines)
      err << "line " << line_no << ": " << feed::ErrorKindName(e.kind) << ": " << e.detail << '\n';
  });
  while (std::getline(in, line)) {
    ++line_no;
    const source::FrameLine fl = source::ParseFrameLine(line);
    if (source::IsBlank(fl.frame)) continue;
    ++lines;
    pipe.Push(fl.frame);
    if (buf.size() > (1 << 16)) {
      out << buf;
      buf.clear();
    }
  }
  engine.FlushCandles();
  if (reported > kErrorLines) err << "... " << (reported - kErrorLines) << " more decode errors\n";
  if (opts.summary) WriteSummary(engine, pipe.decoder_stats(), lines, &buf);
  out << buf;
  out.flush();
  return 0;
}

}  // namespace vnt::app
