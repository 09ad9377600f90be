#include "server/trade_tape.h"

#include <gtest/gtest.h>

namespace vnt::server {
namespace {

core::ClassifiedTrade T(const char* sym, std::int64_t v) {
  core::ClassifiedTrade t;
  t.symbol = Symbol::Of(sym);
  t.volume = Volume{v};
  return t;
}

TEST(TradeTapeTest, NewestFirstPagedFilteredAndBounded) {
  TradeTape tape(3);
  for (int i = 1; i <= 5; ++i) tape.Add(T("FPT", i * 100));
  tape.Add(T("VNM", 50));
  EXPECT_EQ(tape.last_seq(), 6u);
  auto fpt = tape.Latest(Symbol::Of("FPT"), 10);
  ASSERT_EQ(fpt.size(), 3u);  // bounded to the newest 3
  EXPECT_EQ(fpt[0]->seq, 5u);
  EXPECT_EQ(fpt[2]->seq, 3u);
  auto page = tape.Latest(Symbol::Of("FPT"), 10, 5);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0]->seq, 4u);
  auto big = tape.Latest(Symbol::Of("FPT"), 10, 0, Volume{450});
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0]->trade.volume.raw(), 500);
  EXPECT_EQ(tape.Latest(Symbol::Of("FPT"), 1).size(), 1u);
  EXPECT_TRUE(tape.Latest(Symbol::Of("HPG"), 10).empty());
  EXPECT_EQ(tape.symbols().size(), 2u);
  tape.Clear();
  EXPECT_TRUE(tape.Latest(Symbol::Of("FPT"), 10).empty());
  EXPECT_EQ(tape.Add(T("FPT", 1)).seq, 7u);  // sequence numbers never go back
}

}  // namespace
}  // namespace vnt::server
