// The decoder's orchestration: the fast path first (fast_path.h), then, for a frame it declines, the
// general path (json_path.h) on a clean output; the counters per channel, control kind and error kind.
#include "feed/decoder.h"

#include <string>

#include "feed/decoder_internal.h"
#include "feed/fast_path.h"
#include "feed/json_path.h"

namespace vnt::feed {

std::string_view ErrorKindName(ErrorKind k) {
  return kErrorKindNames.Name(k, "unknown");
}

std::string_view ControlKindName(ControlKind k) {
  return kControlKindNames.Name(k, "unknown");
}

class Decoder::Impl {
 public:
  explicit Impl(DecoderStats& stats) : stats_(stats), json_(fast_) {}

  void DecodeFrame(std::string_view frame, DecodeOutput& out) {
    const internal::Mark start = internal::MarkOf(out);
    if (!fast_.Frame(frame, out)) {
      internal::Rollback(out, start);
      json_.Decode(frame, out, start);
    }
    for (std::size_t i = start.events; i < out.events.size(); ++i) {
      const vnt::core::Header& h = HeaderOf(out.events[i]);
      ++stats_.events[static_cast<std::size_t>(h.channel)];
      if (h.repaired) ++stats_.repaired;
    }
    for (std::size_t i = start.controls; i < out.controls.size(); ++i)
      ++stats_.controls[static_cast<std::size_t>(out.controls[i].kind)];
    for (std::size_t i = start.errors; i < out.errors.size(); ++i)
      ++stats_.errors[static_cast<std::size_t>(out.errors[i].kind)];
  }

 private:
  DecoderStats& stats_;
  internal::FastPath fast_;  // also holds the field set both paths fill
  internal::JsonPath json_;
};

Decoder::Decoder() : impl_(std::make_unique<Impl>(stats_)) {}
Decoder::~Decoder() = default;

bool Decoder::Decode(std::string_view frame, DecodeOutput& out) {
  ++stats_.frames;
  const std::size_t errors_before = out.errors.size();
  if (frame.size() > kMaxFrameBytes) {
    ++stats_.errors[static_cast<std::size_t>(ErrorKind::kTooLarge)];
    out.errors.push_back(
        DecodeError{ErrorKind::kTooLarge, "frame of " + std::to_string(frame.size()) + " bytes"});
  } else {
    impl_->DecodeFrame(frame, out);
  }
  const bool ok = out.errors.size() == errors_before;
  if (!ok) ++stats_.frames_failed;
  return ok;
}

}  // namespace vnt::feed
