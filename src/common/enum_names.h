#pragma once
// One name table per enum: the value <-> name mapping written once, as data, instead of a ToString switch
// and a Parse chain of `if (s == "...")` that can drift apart. Header-only and constexpr, standard library
// only, so the pure libraries (core, feed) use it without linking anything.
//
//   inline constexpr auto kSideNames = MakeEnumNames<Side>({{Side::kBuy, "buy"}, {Side::kSell, "sell"}});
//   kSideNames.Name(Side::kBuy) == "buy";  kSideNames.Parse("sell") == Side::kSell;  Parse("x") == nullopt
//
// A table lists each value once with its canonical name (what Name returns); aliases are extra spellings
// Parse also accepts ("WARN" for WARNING). NameCase::kInsensitive makes Parse ignore ASCII case. A value
// the table does not list (a kUnknown or kCount sentinel) has the name "" (or the fallback passed to Name).
// Unique() says that no value and no name (aliases included, compared as Parse compares) appears twice:
// tables check it with a static_assert, and each enum's round-trip test checks every value.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace vnt {

// How Parse compares a name: byte for byte, or ignoring ASCII case.
enum class NameCase : unsigned char { kExact, kInsensitive };

// One (value, name) pair of a table.
template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// The name table of enum E: N canonical names, A parse-only aliases.
template <typename E, std::size_t N, std::size_t A = 0>
class EnumNames {
 public:
  constexpr EnumNames(const std::array<EnumName<E>, N>& names, const std::array<EnumName<E>, A>& aliases,
                      NameCase name_case)
      : names_(names), aliases_(aliases), case_(name_case) {}

  // The canonical name of `value`; `fallback` when the table does not list it ("" by default: never a null
  // view, which SQLite would bind as NULL).
  [[nodiscard]] constexpr std::string_view Name(E value, std::string_view fallback = "") const {
    // Tables are usually written in enumerator order from 0: then the value indexes its own entry.
    const auto i = static_cast<std::size_t>(value);
    if (i < N && names_[i].value == value) return names_[i].name;
    for (const EnumName<E>& n : names_) {
      if (n.value == value) return n.name;
    }
    return fallback;
  }

  // The value named `name` (a canonical name or an alias, compared per the table's NameCase).
  [[nodiscard]] constexpr std::optional<E> Parse(std::string_view name) const { return Parse(name, case_); }
  // The same, comparing as `name_case` says (a lenient second try after an exact one).
  [[nodiscard]] constexpr std::optional<E> Parse(std::string_view name, NameCase name_case) const {
    for (const EnumName<E>& n : names_) {
      if (Same(n.name, name, name_case)) return n.value;
    }
    for (const EnumName<E>& n : aliases_) {
      if (Same(n.name, name, name_case)) return n.value;
    }
    return std::nullopt;
  }

  // Every value listed once, every name (canonical or alias) distinct and non-empty.
  [[nodiscard]] constexpr bool Unique() const {
    for (std::size_t i = 0; i < N; ++i) {
      if (names_[i].name.empty()) return false;
      for (std::size_t j = i + 1; j < N; ++j) {
        if (names_[i].value == names_[j].value) return false;
      }
    }
    for (std::size_t i = 0; i < N + A; ++i) {
      for (std::size_t j = i + 1; j < N + A; ++j) {
        if (Same(At(i).name, At(j).name)) return false;
      }
    }
    for (const EnumName<E>& a : aliases_) {
      if (a.name.empty()) return false;
    }
    return true;
  }

  // The canonical entries, in table order (for listing the accepted names, and for tests).
  [[nodiscard]] constexpr const std::array<EnumName<E>, N>& entries() const { return names_; }
  [[nodiscard]] static constexpr std::size_t size() { return N; }

 private:
  [[nodiscard]] constexpr const EnumName<E>& At(std::size_t i) const {
    return i < N ? names_[i] : aliases_[i - N];
  }

  [[nodiscard]] constexpr bool Same(std::string_view a, std::string_view b) const {
    return Same(a, b, case_);
  }
  [[nodiscard]] static constexpr bool Same(std::string_view a, std::string_view b, NameCase name_case) {
    if (name_case == NameCase::kExact) return a == b;
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (Lower(a[i]) != Lower(b[i])) return false;
    }
    return true;
  }
  static constexpr char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

  std::array<EnumName<E>, N> names_;
  std::array<EnumName<E>, A> aliases_;
  NameCase case_;
};

namespace enum_names_internal {
template <typename E, std::size_t N, std::size_t... I>
constexpr std::array<EnumName<E>, N> ToArray(const EnumName<E> (&a)[N],
                                             std::index_sequence<I...> /*unused*/) {
  return {{a[I]...}};
}
}  // namespace enum_names_internal

// A table from a braced list of {value, "name"} pairs.
template <typename E, std::size_t N>
constexpr EnumNames<E, N> MakeEnumNames(const EnumName<E> (&names)[N],
                                        NameCase name_case = NameCase::kExact) {
  return {enum_names_internal::ToArray(names, std::make_index_sequence<N>{}), {}, name_case};
}

// A table with parse-only aliases.
template <typename E, std::size_t N, std::size_t A>
constexpr EnumNames<E, N, A> MakeEnumNames(const EnumName<E> (&names)[N], const EnumName<E> (&aliases)[A],
                                           NameCase name_case = NameCase::kExact) {
  return {enum_names_internal::ToArray(names, std::make_index_sequence<N>{}),
          enum_names_internal::ToArray(aliases, std::make_index_sequence<A>{}), name_case};
}

}  // namespace vnt
