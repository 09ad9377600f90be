#include "ssi/stream_session.h"

#include "ssi/protocol.h"

namespace vnt::ssi {

namespace {
constexpr std::int64_t kHealthyAfterMs = 10'000;
}  // namespace

void StreamSession::Begin(bool resume) {
  init_seen_ = resume;  // a resumed connection needs no init frame
  subscribed_ = false;
  sub_id_.reset();
  streaming_since_ = 0;
}

int StreamSession::TakeSubscriptionId() {
  sub_id_ = next_invocation_++;
  return *sub_id_;
}

FrameAction StreamSession::OnFrame(std::string_view frame, std::int64_t now_ms) {
  FrameAction a;
  init_seen_ = true;  // the init frame, or a server that sends none
  std::optional<FrameInfo> fi = InspectFrame(frame);
  if (!fi) {
    a.malformed = true;
    a.push = true;
    return a;
  }
  if (fi->keep_alive) {
    a.keep_alive = true;
    return a;
  }
  if (!fi->cursor.empty()) cursor_ = fi->cursor;
  if (!fi->groups_token.empty()) groups_token_ = fi->groups_token;
  if (fi->completion && sub_id_ && *fi->completion == *sub_id_ && !subscribed_) {
    a.subscribed = true;
    a.subscribe_error = fi->completion_error;
    subscribed_ = true;
    streaming_since_ = now_ms;
  }
  a.hub_errors = std::move(fi->hub_errors);
  a.push = fi->has_messages;
  a.healthy = streaming_since_ != 0 && now_ms - streaming_since_ > kHealthyAfterMs;
  return a;
}

}  // namespace vnt::ssi
