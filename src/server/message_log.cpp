#include "server/message_log.h"

namespace vnt::server {

void MessageLog::Append(std::uint64_t epoch, std::uint64_t seq, SharedMessage msg) {
  if (!anchored_ || epoch != epoch_ || seq != last_seq_ + 1) {
    entries_.clear();
    bytes_ = 0;
  }
  anchored_ = true;
  epoch_ = epoch;
  last_seq_ = seq;
  bytes_ += msg->size();
  entries_.push_back(Entry{seq, std::move(msg)});
  while (entries_.size() > max_messages_ || (bytes_ > max_bytes_ && entries_.size() > 1)) {
    bytes_ -= entries_.front().msg->size();
    entries_.pop_front();
  }
}

void MessageLog::Reset(std::uint64_t epoch, std::uint64_t seq) {
  entries_.clear();
  bytes_ = 0;
  anchored_ = true;
  epoch_ = epoch;
  last_seq_ = seq;
}

bool MessageLog::Since(std::uint64_t epoch, std::uint64_t seq, std::vector<SharedMessage>* out) const {
  out->clear();
  if (!anchored_ || epoch != epoch_ || seq > last_seq_) return false;
  if (seq == last_seq_) return true;
  // Held: entries_ are consecutive and end at last_seq_; the first one needed is seq + 1.
  if (entries_.empty() || entries_.front().seq > seq + 1) return false;
  for (const Entry& e : entries_)
    if (e.seq > seq) out->push_back(e.msg);
  return true;
}

}  // namespace vnt::server
