#pragma once
// For tests only (includes GoogleTest): the round-trip check every enum's name table gets.

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vnt::testing {

// Every enumerator from `first` to `last` (an enum whose values are contiguous).
template <typename E>
std::vector<E> EnumRange(E first, E last) {
  std::vector<E> out;
  for (auto i = static_cast<long long>(first); i <= static_cast<long long>(last); ++i)
    out.push_back(static_cast<E>(i));
  return out;
}

// Each value -> name (non-empty, distinct from the others) -> the same value; `unknown` -> nullopt.
// `name` and `parse` are the public functions callers use (ToString, Parse...), so the test covers them.
template <typename E, typename NameFn, typename ParseFn>
void ExpectNamesRoundTrip(const std::vector<E>& values, NameFn name, ParseFn parse,
                          std::string_view unknown = "no_such_name") {
  std::set<std::string, std::less<>> seen;
  for (const E v : values) {
    const std::string_view n = name(v);
    EXPECT_FALSE(n.empty()) << "value " << static_cast<long long>(v) << " has no name";
    EXPECT_TRUE(seen.emplace(n).second) << "name used twice: " << n;
    const std::optional<E> back = parse(n);
    EXPECT_TRUE(back.has_value() && *back == v) << "name " << n << " does not parse back to its value";
  }
  EXPECT_FALSE(parse(unknown).has_value()) << unknown;
  EXPECT_FALSE(parse("").has_value()) << "the empty name";
}

// The same, straight over a table (EnumNames), which must also say its names are unique.
template <typename E, typename Table>
void ExpectTableRoundTrip(const Table& table, const std::vector<E>& values,
                          std::string_view unknown = "no_such_name") {
  EXPECT_EQ(table.size(), values.size()) << "the table does not list every value";
  EXPECT_TRUE(table.Unique());
  ExpectNamesRoundTrip<E>(
      values, [&](E v) { return table.Name(v); }, [&](std::string_view s) { return table.Parse(s); },
      unknown);
}

}  // namespace vnt::testing
