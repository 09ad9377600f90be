#include "store/frame_batch.h"

#include <zlib.h>

#include <cstring>

namespace vnt::store {

namespace {

template <typename T>
void Put(std::string* out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // little-endian hosts only (x86-64, as the build requires)
  out->append(b, sizeof(T));
}

template <typename T>
bool Get(std::string_view* in, T* v) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(v, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}

}  // namespace

PackedFrames PackFrames(const std::vector<const FrameRow*>& frames) {
  PackedFrames p;
  if (frames.empty()) return p;
  p.date = frames.front()->date;
  p.first_seq = frames.front()->seq;
  p.count = static_cast<std::int64_t>(frames.size());
  std::string raw;
  std::size_t total = 0;
  for (const FrameRow* f : frames) total += 20 + f->text.size();
  raw.reserve(total);
  for (const FrameRow* f : frames) {
    Put<std::int64_t>(&raw, f->seq);
    Put<std::int64_t>(&raw, f->recv_ms);
    Put<std::uint32_t>(&raw, static_cast<std::uint32_t>(f->text.size()));
    raw += f->text;
  }
  p.raw_bytes = static_cast<std::int64_t>(raw.size());
  uLongf cap = compressBound(static_cast<uLong>(raw.size()));
  p.blob.resize(cap);
  // Level 1: most of the ratio at a fraction of the CPU (the writer thread compresses every batch).
  compress2(reinterpret_cast<Bytef*>(p.blob.data()), &cap, reinterpret_cast<const Bytef*>(raw.data()),
            static_cast<uLong>(raw.size()), 1);
  p.blob.resize(cap);
  return p;
}

bool UnpackFrames(std::string_view blob, std::int64_t raw_bytes,
                  const std::function<bool(std::int64_t, std::int64_t, std::string_view)>& fn) {
  if (raw_bytes < 0 || raw_bytes > (std::int64_t{1} << 32)) return false;
  std::string raw(static_cast<std::size_t>(raw_bytes), '\0');
  uLongf len = static_cast<uLongf>(raw.size());
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &len, reinterpret_cast<const Bytef*>(blob.data()),
                 static_cast<uLong>(blob.size())) != Z_OK ||
      len != raw.size()) {
    return false;
  }
  std::string_view in = raw;
  while (!in.empty()) {
    std::int64_t seq = 0, recv_ms = 0;
    std::uint32_t n = 0;
    if (!Get(&in, &seq) || !Get(&in, &recv_ms) || !Get(&in, &n) || in.size() < n) return false;
    if (!fn(seq, recv_ms, in.substr(0, n))) return true;
    in.remove_prefix(n);
  }
  return true;
}

bool ForEachFrameView(std::string_view blob, std::int64_t raw_bytes, Date date, std::int64_t* count,
                      const std::function<bool(const FrameView&)>& fn, bool* stopped) {
  return UnpackFrames(blob, raw_bytes, [&](std::int64_t seq, std::int64_t recv_ms, std::string_view text) {
    FrameView f;
    f.id = ++*count;
    f.date = date;
    f.seq = seq;
    f.recv_ms = recv_ms;
    f.text = text;
    *stopped = !fn(f);
    return !*stopped;
  });
}

void ForEachFrameRun(const std::vector<Row>& batch,
                     const std::function<void(const std::vector<const FrameRow*>&)>& fn) {
  std::vector<const FrameRow*> run;
  for (const Row& row : batch) {
    const auto* f = std::get_if<FrameRow>(&row);
    if (!f) continue;
    if (!run.empty() && run.front()->date != f->date) {
      fn(run);
      run.clear();
    }
    run.push_back(f);
  }
  if (!run.empty()) fn(run);
}

}  // namespace vnt::store
