#include "core/types.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>

#include "core/symbol_state.h"

namespace vnt {
namespace {

// Volume and Vnd are distinct strong types: neither converts to the other, nor to or from a raw integer.
static_assert(!std::is_convertible_v<Volume, Vnd>);
static_assert(!std::is_convertible_v<Vnd, Volume>);
static_assert(!std::is_constructible_v<Volume, Vnd>);
static_assert(!std::is_constructible_v<Vnd, Volume>);
static_assert(!std::is_assignable_v<Volume&, Vnd>);
static_assert(!std::is_assignable_v<Vnd&, Volume>);
static_assert(!std::is_convertible_v<std::int64_t, Volume>);  // construction is explicit
static_assert(!std::is_convertible_v<std::int64_t, Vnd>);
static_assert(!std::is_convertible_v<int, Volume>);
static_assert(!std::is_convertible_v<int, Vnd>);
static_assert(!std::is_assignable_v<Volume&, std::int64_t>);
static_assert(!std::is_assignable_v<Vnd&, std::int64_t>);
static_assert(!std::is_convertible_v<Volume, std::int64_t>);  // unwrapped only with raw()
static_assert(!std::is_convertible_v<Vnd, std::int64_t>);
static_assert(!std::is_convertible_v<Volume, double>);
static_assert(!std::is_convertible_v<Vnd, double>);
static_assert(std::is_constructible_v<Volume, std::int64_t>);
static_assert(std::is_constructible_v<Vnd, std::int64_t>);
static_assert(!std::is_convertible_v<Volume, Price>);
static_assert(!std::is_convertible_v<Vnd, Price>);

// Zero cost: the size of the integer, copied as bytes.
static_assert(sizeof(Volume) == 8 && sizeof(Vnd) == 8);
static_assert(std::is_trivially_copyable_v<Volume> && std::is_trivially_copyable_v<Vnd>);
static_assert(std::is_standard_layout_v<Volume> && std::is_standard_layout_v<Vnd>);

// No operator between the two (nor with a raw integer, except scaling a volume by a count).
template <class A, class B>
concept Addable = requires(A a, B b) {
  a + b;
};
template <class A, class B>
concept Subtractable = requires(A a, B b) {
  a - b;
};
template <class A, class B>
concept Multipliable = requires(A a, B b) {
  a* b;
};
template <class A, class B>
concept Comparable = requires(A a, B b) {
  a < b;
};
template <class A, class B>
concept EqualityComparable = requires(A a, B b) {
  a == b;
};
template <class A, class B>
concept AddAssignable = requires(A& a, B b) {
  a += b;
};

static_assert(Addable<Volume, Volume> && Addable<Vnd, Vnd>);
static_assert(!Addable<Volume, Vnd> && !Addable<Vnd, Volume>);
static_assert(!Addable<Volume, std::int64_t> && !Addable<Vnd, std::int64_t>);
static_assert(!Addable<std::int64_t, Volume> && !Addable<int, Vnd>);
static_assert(!Subtractable<Volume, Vnd> && !Subtractable<Vnd, Volume> && !Subtractable<Volume, int>);
static_assert(!Multipliable<Volume, Vnd> && !Multipliable<Vnd, Volume> && !Multipliable<Volume, Volume>);
static_assert(!Multipliable<Vnd, Vnd> && !Multipliable<Vnd, std::int64_t> &&
              !Multipliable<std::int64_t, Vnd>);
static_assert(Multipliable<std::int64_t, Volume>);  // n lots of kHoseLot
static_assert(!Comparable<Volume, Vnd> && !Comparable<Volume, int> && !Comparable<Vnd, std::int64_t>);
static_assert(!EqualityComparable<Volume, Vnd> && !EqualityComparable<Volume, int>);
static_assert(!EqualityComparable<Vnd, std::int64_t>);
static_assert(!AddAssignable<Volume, Vnd> && !AddAssignable<Vnd, Volume> && !AddAssignable<Volume, int>);

// Usable in constant expressions.
static_assert((Volume{100} + Volume{50}).raw() == 150);
static_assert((Vnd{100} - Vnd{150}).raw() == -50);
static_assert(Volume{} == Volume{0} && Vnd{} == Vnd{0});

TEST(VolumeTest, Arithmetic) {
  Volume v{1'000};
  v += Volume{500};
  EXPECT_EQ(v.raw(), 1'500);
  v -= Volume{2'000};
  EXPECT_EQ(v.raw(), -500);
  EXPECT_EQ((-v).raw(), 500);
  EXPECT_EQ((Volume{7} - Volume{10}).raw(), -3);
  EXPECT_EQ((3 * Volume{100}).raw(), 300);
  EXPECT_EQ(Volume{}.raw(), 0);
  EXPECT_DOUBLE_EQ(Volume{-250}.ToDouble(), -250.0);
}

TEST(VolumeTest, Ordering) {
  EXPECT_LT(Volume{1}, Volume{2});
  EXPECT_GT(Volume{0}, Volume{-1});
  EXPECT_EQ(Volume{5}, Volume{5});
  EXPECT_NE(Volume{5}, Volume{6});
  EXPECT_EQ(std::max(Volume{3}, Volume{}), Volume{3});
}

TEST(VndTest, Arithmetic) {
  Vnd m{22'950'000};
  m += Vnd{50'000};
  EXPECT_EQ(m.raw(), 23'000'000);
  m -= Vnd{23'000'001};
  EXPECT_EQ(m.raw(), -1);
  EXPECT_EQ((-m).raw(), 1);
  EXPECT_LT(Vnd{-1}, Vnd{});
  EXPECT_DOUBLE_EQ(Vnd{12'345}.ToDouble(), 12'345.0);
}

// price x volume x multiplier in whole VND, rounded half away from zero (the engine's TradeValue).
TEST(TradeValueTest, ExactAndRounded) {
  // A stock: whole VND prices, exact.
  EXPECT_EQ(core::TradeValue(Price::FromInt(22'950), Volume{1'000}, 1), Vnd{22'950'000});
  // A futures contract: points x contracts x 100,000.
  EXPECT_EQ(core::TradeValue(Price::FromRaw(12'839'000), Volume{3}, 100'000), Vnd{385'170'000});
  // Half cases: 0.5 VND rounds away from zero, both signs.
  EXPECT_EQ(core::TradeValue(Price::FromRaw(5'000), Volume{1}, 1), Vnd{1});     // 0.5 -> 1
  EXPECT_EQ(core::TradeValue(Price::FromRaw(5'000), Volume{-1}, 1), Vnd{-1});   // -0.5 -> -1
  EXPECT_EQ(core::TradeValue(Price::FromRaw(15'000), Volume{1}, 1), Vnd{2});    // 1.5 -> 2
  EXPECT_EQ(core::TradeValue(Price::FromRaw(15'000), Volume{-1}, 1), Vnd{-2});  // -1.5 -> -2
  EXPECT_EQ(core::TradeValue(Price::FromRaw(4'999), Volume{1}, 1), Vnd{0});     // below half
  EXPECT_EQ(core::TradeValue(Price::FromRaw(4'999), Volume{-1}, 1), Vnd{0});
  EXPECT_EQ(core::TradeValue(Price::FromRaw(-5'000), Volume{1}, 1), Vnd{-1});
  EXPECT_EQ(core::TradeValue(Price{}, Volume{1'000}, 1), Vnd{});
}

}  // namespace
}  // namespace vnt
