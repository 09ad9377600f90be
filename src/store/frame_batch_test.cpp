#include "store/frame_batch.h"

#include <gtest/gtest.h>

namespace vnt::store {
namespace {

TEST(FrameBatch, PacksAndUnpacksEveryFrameByteForByte) {
  std::vector<FrameRow> rows;
  for (int i = 0; i < 500; ++i) {
    rows.push_back(FrameRow{Date::Of(2026, 3, 18), 1000 + i, 1'700'000'000'000 + i,
                            R"({"C":"d-1","M":[{"H":"FcMarketDataV2Hub","M":"Broadcast","A":["frame )" +
                                std::to_string(i) + "\"]}]}"});
  }
  rows.push_back(FrameRow{Date::Of(2026, 3, 18), 2000, 1, std::string("odd \xff\x00 bytes", 12)});
  rows.push_back(FrameRow{Date::Of(2026, 3, 18), 2001, 2, ""});
  std::vector<const FrameRow*> ptrs;
  for (const FrameRow& r : rows) ptrs.push_back(&r);
  const PackedFrames p = PackFrames(ptrs);
  EXPECT_EQ(p.count, 502);
  EXPECT_EQ(p.first_seq, 1000);
  EXPECT_EQ(p.date, Date::Of(2026, 3, 18));
  EXPECT_LT(p.blob.size() * 5, static_cast<std::size_t>(p.raw_bytes));  // repetitive JSON packs well
  std::vector<FrameRow> back;
  EXPECT_TRUE(
      UnpackFrames(p.blob, p.raw_bytes, [&](std::int64_t seq, std::int64_t ms, std::string_view text) {
        back.push_back(FrameRow{p.date, seq, ms, std::string(text)});
        return true;
      }));
  EXPECT_EQ(back, rows);

  int seen = 0;  // stopping early
  EXPECT_TRUE(UnpackFrames(p.blob, p.raw_bytes,
                           [&](std::int64_t, std::int64_t, std::string_view) { return ++seen < 3; }));
  EXPECT_EQ(seen, 3);
}

TEST(FrameBatch, ADamagedBlobIsReportedNotMisread) {
  FrameRow r{Date::Of(2026, 3, 18), 1, 1, "a frame"};
  const PackedFrames p = PackFrames({&r});
  std::string damaged = p.blob;
  damaged[damaged.size() / 2] ^= 0x55;
  int calls = 0;
  const auto count = [&](std::int64_t, std::int64_t, std::string_view) { return ++calls > 0; };
  EXPECT_FALSE(UnpackFrames(damaged, p.raw_bytes, count));
  EXPECT_FALSE(UnpackFrames(p.blob, p.raw_bytes + 1, count));  // wrong size
  EXPECT_FALSE(UnpackFrames(p.blob.substr(0, 3), p.raw_bytes, count));
  EXPECT_EQ(calls, 0);
}

TEST(FrameBatch, RunsSplitAtADateChangeAndSkipOtherRows) {
  std::vector<Row> batch;
  batch.push_back(FrameRow{Date::Of(2026, 3, 17), 1, 1, "a"});
  batch.push_back(TickRow{});
  batch.push_back(FrameRow{Date::Of(2026, 3, 17), 2, 2, "b"});
  batch.push_back(FrameRow{Date::Of(2026, 3, 18), 1, 3, "c"});
  std::vector<std::size_t> sizes;
  ForEachFrameRun(batch, [&](const std::vector<const FrameRow*>& run) { sizes.push_back(run.size()); });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 1}));
}

}  // namespace
}  // namespace vnt::store
