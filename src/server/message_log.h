#pragma once
// The recent messages of one channel (built for every symbol), kept so that a client that reconnects
// with the (epoch, seq) it last applied gets what it missed instead of a snapshot. Bounded by count and
// bytes; the oldest go first. Pure.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace vnt::server {

using SharedMessage = std::shared_ptr<const std::string>;

class MessageLog {
 public:
  explicit MessageLog(std::size_t max_messages = 600, std::size_t max_bytes = 16u << 20)
      : max_messages_(max_messages), max_bytes_(max_bytes) {}

  // Appends the message with this (epoch, seq). A new epoch, or a seq that does not follow the last one,
  // starts the log afresh (what came before cannot be joined to what follows).
  void Append(std::uint64_t epoch, std::uint64_t seq, SharedMessage msg);
  // Forgets everything (e.g. a resynchronisation from a snapshot at `seq`): Since(epoch, seq) holds.
  void Reset(std::uint64_t epoch, std::uint64_t seq);
  // The messages after `seq` of `epoch`, oldest first, when every one of them is still held (none when the
  // client is up to date); false when the client must take a snapshot instead.
  bool Since(std::uint64_t epoch, std::uint64_t seq, std::vector<SharedMessage>* out) const;

  std::uint64_t epoch() const { return epoch_; }
  std::uint64_t last_seq() const { return last_seq_; }
  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    std::uint64_t seq;
    SharedMessage msg;
  };
  std::size_t max_messages_, max_bytes_;
  std::deque<Entry> entries_;
  std::size_t bytes_ = 0;
  std::uint64_t epoch_ = 0, last_seq_ = 0;
  bool anchored_ = false;  // last_seq_ is known (after an Append or Reset)
};

}  // namespace vnt::server
