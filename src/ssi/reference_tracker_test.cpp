#include "ssi/reference_tracker.h"

#include <gtest/gtest.h>

// Which symbols still need today's reference data: markets per symbol, a new date starts over, and the
// summary of an incomplete round.

namespace vnt::ssi {
namespace {

TEST(ReferenceTracker, SymbolsWithTheirMarketsAndTheProbe) {
  ReferenceTracker r;
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.Probe(), "VN30");
  r.SetSymbols({"FPT", "VNM"}, {"41I1G4000"});
  ASSERT_EQ(r.symbols().size(), 3u);
  EXPECT_EQ(r.symbols()[0], (ReferenceTracker::Entry{"FPT", "HOSE"}));
  EXPECT_EQ(r.symbols()[2], (ReferenceTracker::Entry{"41I1G4000", "DER"}));
  EXPECT_EQ(r.Probe(), "FPT");
}

TEST(ReferenceTracker, ANewDateStartsOverAndTheOutcomeCountsWhatIsMissing) {
  ReferenceTracker r;
  r.SetSymbols({"FPT", "VNM"}, {});
  r.StartRound("07/12/2026");
  EXPECT_TRUE(r.Missing());
  r.MarkLoaded("FPT");
  EXPECT_TRUE(r.Loaded("FPT"));
  const Status partial = r.Outcome(2, 1, "DailyStockPrice VNM: no row");
  ASSERT_FALSE(partial);
  EXPECT_EQ(partial.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(partial.error().message, "reference data: 1 of 2 symbols missing (DailyStockPrice VNM: no row)");
  r.MarkLoaded("VNM");
  EXPECT_FALSE(r.Missing());
  EXPECT_TRUE(r.Outcome(2, 0, ""));
  r.StartRound("07/12/2026");  // the same date keeps what was loaded
  EXPECT_FALSE(r.Missing());
  r.StartRound("08/12/2026");
  EXPECT_TRUE(r.Missing());
  EXPECT_FALSE(r.Loaded("FPT"));
  r.SetSymbols({"HPG"}, {});  // a new subscription: only its symbols count
  r.MarkLoaded("HPG");
  EXPECT_FALSE(r.Missing());
}

}  // namespace
}  // namespace vnt::ssi
