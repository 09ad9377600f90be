#pragma once
// The frame journal's storage unit: the frames of one trading date that one commit writes, packed into one
// zlib-compressed blob (one row), instead of one row per frame. Feed frames are repetitive JSON, so a day's
// journal (337 MB of raw frames for a simulated day) takes about a tenth of the space, and a restart reads
// far fewer rows. Layout before compression, per frame: seq (int64), recv_ms (int64), length (uint32),
// bytes; little-endian.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/reader.h"
#include "store/rows.h"

namespace vnt::store {

struct PackedFrames {
  Date date;
  std::int64_t first_seq = 0;
  std::int64_t count = 0;
  std::int64_t raw_bytes = 0;  // uncompressed size (what the reader allocates)
  std::string blob;            // zlib stream
};

// Packs frames (all of one date) into one blob.
PackedFrames PackFrames(const std::vector<const FrameRow*>& frames);

// Calls fn(seq, recv_ms, text) for each frame of a blob in order until it returns false; false when the blob
// is damaged (then nothing more is called).
bool UnpackFrames(
    std::string_view blob, std::int64_t raw_bytes,
    const std::function<bool(std::int64_t seq, std::int64_t recv_ms, std::string_view text)>& fn);

// A stored batch as the readers hand it on: FrameViews of `date` numbered on from *count (incremented per
// frame) until fn returns false (then *stopped). False when the blob is damaged.
bool ForEachFrameView(std::string_view blob, std::int64_t raw_bytes, Date date, std::int64_t* count,
                      const std::function<bool(const FrameView&)>& fn, bool* stopped);

// Groups a batch's frame rows into runs of one date, in arrival order: fn(run) for each run.
void ForEachFrameRun(const std::vector<Row>& batch,
                     const std::function<void(const std::vector<const FrameRow*>&)>& fn);

}  // namespace vnt::store
