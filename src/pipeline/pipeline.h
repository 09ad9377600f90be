#pragma once
// The one path a frame takes: decode (feed) -> apply to the engine (core), which dispatches to its sinks once
// its state is settled. serve, replay, the store's restart recovery, the sim-server's REST data and the
// pipeline benchmark all push frames through this class, so "where does a frame go?" has one answer.
//
// Hooks, each optional: the journal receives every frame that produced events on a known trading date (the
// store keeps them so a restart rebuilds the day), the error hook every decode error, and the latency
// observer the time one frame took from decode to the end of dispatch. No threads; the caller's thread.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/engine.h"
#include "feed/decoder.h"

namespace vnt::pipeline {

class Pipeline {
 public:
  // (trading date, frame text): the frame is moved in when Push is given an rvalue.
  using JournalHook = std::function<void(Date date, std::string&& frame)>;
  using ErrorHook = std::function<void(const feed::DecodeError& error)>;
  using LatencyObserver = std::function<void(double seconds)>;

  explicit Pipeline(core::MarketEngine& engine) : engine_(engine) {}

  void set_journal(JournalHook hook) { journal_ = std::move(hook); }
  void set_on_error(ErrorHook hook) { on_error_ = std::move(hook); }
  // Measuring costs two clock reads per frame: set only when someone reads the figures.
  void set_latency_observer(LatencyObserver observer) { latency_ = std::move(observer); }

  // Decodes one frame and applies its events; returns the number of events applied. The journal hook gets
  // a copy of the frame.
  std::size_t Push(std::string_view frame);
  // The same, handing the frame itself to the journal hook (no copy).
  std::size_t Push(std::string&& frame);

  const feed::DecoderStats& decoder_stats() const { return decoder_.stats(); }
  core::MarketEngine& engine() { return engine_; }

 private:
  template <typename Frame>
  std::size_t Run(Frame&& frame);

  core::MarketEngine& engine_;
  feed::Decoder decoder_;
  feed::DecodeOutput decoded_;  // reused: no allocation per frame once warm
  JournalHook journal_;
  ErrorHook on_error_;
  LatencyObserver latency_;
};

}  // namespace vnt::pipeline
