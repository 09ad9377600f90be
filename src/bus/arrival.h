#pragma once
// How a message read from the bus reaches an edge: the follower (bus/redis_follower.h) says which it is, the
// edge's source (bus/edge_source.h) applies it accordingly.

#include <cstdint>

namespace vnt::bus {

enum class Arrival : std::uint8_t {
  kDelta,    // the next message of the channel's stream
  kRefresh,  // a snapshot read again periodically (same epoch): becomes the base once the deltas reach it
  kRestart,  // a snapshot the channel (re)starts from: its first read, one requested, a new epoch
};

}  // namespace vnt::bus
