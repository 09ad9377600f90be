#include "common/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace vnt {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Error{ErrorCode::kInvalidArgument, "odd: " + std::to_string(n), "n"};
  return n / 2;
}

Status Check(bool good) {
  if (!good) return Error{ErrorCode::kRejected, "refused"};
  return {};
}

// An Error passes up through a function of another value type unchanged.
Result<std::string> Describe(int n) {
  auto h = Half(n);
  if (!h) return h.error();
  return "half is " + std::to_string(*h);
}

TEST(Result, HoldsTheValue) {
  const Result<int> r = Half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 4);
  EXPECT_EQ(*r, 4);
  EXPECT_EQ(r.value_or(-1), 4);
}

TEST(Result, HoldsTheErrorWithCodeMessageAndField) {
  const Result<int> r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "odd: 3");
  EXPECT_EQ(r.error().field, "n");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(Result, AnErrorPassesUpUnchanged) {
  EXPECT_EQ(*Describe(10), "half is 5");
  const auto d = Describe(5);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error(), (Error{ErrorCode::kInvalidArgument, "odd: 5", "n"}));
}

TEST(Result, ValuesMoveInAndOut) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, 7);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);

  Result<std::vector<int>> v = std::vector<int>{1, 2, 3};
  EXPECT_EQ(v->size(), 3U);
}

TEST(Result, ConvertibleValuesAreAccepted) {
  const Result<std::string> s = "literal";
  EXPECT_EQ(*s, "literal");
  const Result<long long> n = 5;
  EXPECT_EQ(*n, 5);
}

TEST(Status, OkOrError) {
  const Status good = Check(true);
  EXPECT_TRUE(good.ok());
  EXPECT_TRUE(Status::Ok().ok());
  const Status bad = Check(false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kRejected);
  EXPECT_EQ(bad.error().message, "refused");
  EXPECT_TRUE(bad.error().field.empty());
}

TEST(ErrorCode, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    const auto c = static_cast<ErrorCode>(i);
    const std::string_view name = ErrorCodeName(c);
    EXPECT_FALSE(name.empty()) << i;
    EXPECT_EQ(kErrorCodeNames.Parse(name), c) << name;
  }
  EXPECT_EQ(kErrorCodeNames.Parse("no_such_code"), std::nullopt);
  EXPECT_TRUE(kErrorCodeNames.Unique());
}

}  // namespace
}  // namespace vnt
