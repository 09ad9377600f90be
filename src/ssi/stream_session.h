#pragma once
// The bookkeeping of one SignalR stream, without I/O: when the one SwitchChannels is due, what each received
// frame means (data to queue, a keep-alive, the completion of our subscription, hub errors), the message
// cursor and groups token that /reconnect needs, and when a stream has been healthy long enough to reset the
// backoff. The WebSocket loop (signalr_stream.cpp) reads and writes; this decides.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vnt::ssi {

// What to do with one received frame.
struct FrameAction {
  bool push = false;                    // queue it for Drain (data; or not JSON: the decoder reports it)
  bool malformed = false;               // not a JSON object
  bool keep_alive = false;              // "{}"
  bool subscribed = false;              // the completion of our SwitchChannels: the stream is up
  std::string subscribe_error;          // that completion's error ("" when it succeeded)
  std::vector<std::string> hub_errors;  // Error calls from the hub
  bool healthy = false;                 // streaming for more than 10 s: the backoff starts over
};

class StreamSession {
 public:
  // A new WebSocket connection; `resume` for /reconnect, which gets no init frame.
  void Begin(bool resume);
  // True when this connection's SwitchChannels should be sent: after the init frame (or any first frame),
  // once per connection.
  bool SubscribeDue() const { return init_seen_ && !sub_id_; }
  // The invocation id for this connection's SwitchChannels (ids grow across connections).
  int TakeSubscriptionId();
  // One received text frame at `now_ms` (steady clock).
  FrameAction OnFrame(std::string_view frame, std::int64_t now_ms);

  // The last message cursor ("C") and groups token ("G") received, kept across connections for /reconnect.
  const std::string& cursor() const { return cursor_; }
  const std::string& groups_token() const { return groups_token_; }

 private:
  bool init_seen_ = false;
  bool subscribed_ = false;
  std::optional<int> sub_id_;
  std::int64_t streaming_since_ = 0;
  std::string cursor_, groups_token_;
  int next_invocation_ = 0;
};

}  // namespace vnt::ssi
