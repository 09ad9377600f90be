#include "pipeline/pipeline.h"

#include <chrono>
#include <type_traits>
#include <utility>

namespace vnt::pipeline {

template <typename Frame>
std::size_t Pipeline::Run(Frame&& frame) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point t0 = latency_ ? Clock::now() : Clock::time_point{};
  decoded_.clear();
  decoder_.Decode(std::string_view(frame), decoded_);
  for (const core::MarketEvent& ev : decoded_.events) engine_.Apply(ev);
  if (journal_ && !decoded_.events.empty() && engine_.trading_date().valid()) {
    if constexpr (std::is_same_v<std::remove_cvref_t<Frame>, std::string> &&
                  !std::is_lvalue_reference_v<Frame>) {
      journal_(engine_.trading_date(), std::forward<Frame>(frame));
    } else {
      journal_(engine_.trading_date(), std::string(frame));
    }
  }
  if (on_error_) {
    for (const feed::DecodeError& e : decoded_.errors) on_error_(e);
  }
  if (latency_) latency_(std::chrono::duration<double>(Clock::now() - t0).count());
  return decoded_.events.size();
}

std::size_t Pipeline::Push(std::string_view frame) {
  return Run(frame);
}

std::size_t Pipeline::Push(std::string&& frame) {
  return Run(std::move(frame));
}

}  // namespace vnt::pipeline
