#include "common/enum_names.h"

#include <gtest/gtest.h>

#include <optional>

namespace vnt {
namespace {

enum class Fruit : unsigned char { kNone, kApple, kPear, kPlum };

constexpr auto kFruitNames =
    MakeEnumNames<Fruit>({{Fruit::kApple, "apple"}, {Fruit::kPear, "pear"}, {Fruit::kPlum, "plum"}});
constexpr auto kFruitNamesAnyCase = MakeEnumNames<Fruit>({{Fruit::kApple, "Apple"}, {Fruit::kPear, "Pear"}},
                                                         {{Fruit::kPear, "poire"}}, NameCase::kInsensitive);

// The tables are usable at compile time.
static_assert(kFruitNames.Name(Fruit::kPear) == "pear");
static_assert(kFruitNames.Parse("plum") == Fruit::kPlum);
static_assert(!kFruitNames.Parse("fig").has_value());
static_assert(kFruitNames.Unique());

TEST(EnumNames, NameAndParseAreInverse) {
  for (const auto& e : kFruitNames.entries()) {
    EXPECT_EQ(kFruitNames.Parse(kFruitNames.Name(e.value)), e.value) << e.name;
  }
  EXPECT_EQ(kFruitNames.size(), 3U);
}

TEST(EnumNames, AValueNotListedHasTheFallbackName) {
  EXPECT_EQ(kFruitNames.Name(Fruit::kNone), "");
  // An empty name still points somewhere: a null view is bound as SQL NULL (the alerts table refused it).
  EXPECT_NE(kFruitNames.Name(Fruit::kNone).data(), nullptr);
  EXPECT_EQ(kFruitNames.Name(Fruit::kNone, "none"), "none");
}

TEST(EnumNames, UnknownNamesAreNullopt) {
  EXPECT_EQ(kFruitNames.Parse(""), std::nullopt);
  EXPECT_EQ(kFruitNames.Parse("Apple"), std::nullopt);  // exact by default
  EXPECT_EQ(kFruitNames.Parse("apples"), std::nullopt);
  EXPECT_EQ(kFruitNames.Parse("PLUM", NameCase::kInsensitive), Fruit::kPlum);  // a lenient second try
  EXPECT_EQ(kFruitNamesAnyCase.Parse("APPLE", NameCase::kExact), std::nullopt);
}

TEST(EnumNames, CaseInsensitiveTablesAndAliases) {
  EXPECT_EQ(kFruitNamesAnyCase.Parse("APPLE"), Fruit::kApple);
  EXPECT_EQ(kFruitNamesAnyCase.Parse("pear"), Fruit::kPear);
  EXPECT_EQ(kFruitNamesAnyCase.Parse("POIRE"), Fruit::kPear);
  EXPECT_EQ(kFruitNamesAnyCase.Name(Fruit::kPear), "Pear");  // the canonical name, never an alias
  EXPECT_TRUE(kFruitNamesAnyCase.Unique());
}

TEST(EnumNames, UniqueFindsDuplicates) {
  constexpr auto dup_name = MakeEnumNames<Fruit>({{Fruit::kApple, "x"}, {Fruit::kPear, "x"}});
  constexpr auto dup_value = MakeEnumNames<Fruit>({{Fruit::kApple, "a"}, {Fruit::kApple, "b"}});
  constexpr auto alias_clash = MakeEnumNames<Fruit>({{Fruit::kApple, "a"}}, {{Fruit::kPear, "a"}});
  constexpr auto case_clash =
      MakeEnumNames<Fruit>({{Fruit::kApple, "a"}, {Fruit::kPear, "A"}}, NameCase::kInsensitive);
  constexpr auto empty_name = MakeEnumNames<Fruit>({{Fruit::kApple, ""}});
  EXPECT_FALSE(dup_name.Unique());
  EXPECT_FALSE(dup_value.Unique());
  EXPECT_FALSE(alias_clash.Unique());
  EXPECT_FALSE(case_clash.Unique());
  EXPECT_FALSE(empty_name.Unique());
  // The same two names differ when case counts.
  EXPECT_TRUE((MakeEnumNames<Fruit>({{Fruit::kApple, "a"}, {Fruit::kPear, "A"}}).Unique()));
}

TEST(EnumNames, TablesOutOfEnumeratorOrderStillFindTheirNames) {
  constexpr auto shuffled =
      MakeEnumNames<Fruit>({{Fruit::kPlum, "plum"}, {Fruit::kNone, "none"}, {Fruit::kPear, "pear"}});
  EXPECT_EQ(shuffled.Name(Fruit::kNone), "none");
  EXPECT_EQ(shuffled.Name(Fruit::kPlum), "plum");
  EXPECT_EQ(shuffled.Name(Fruit::kPear), "pear");
  EXPECT_EQ(shuffled.Name(Fruit::kApple), "");
}

}  // namespace
}  // namespace vnt
