#include "feed/fields.h"

#include <cstring>

namespace vnt::feed {

namespace {

struct Entry {
  std::string_view name;
  FieldKind kind;
};

constexpr Entry kEntries[] = {
#define VNT_X(name, kind) {#name, kind == 'N' ? FieldKind::kNumber : FieldKind::kString},
#define N 'N'
#define S 'S'
    VNT_FEED_FIELDS(VNT_X)
#undef S
#undef N
#undef VNT_X
};
static_assert(sizeof(kEntries) / sizeof(kEntries[0]) == static_cast<std::size_t>(Field::kCount));

constexpr std::size_t kMaxKey = 24;
constexpr std::size_t kTableSize = 512;  // power of two, > 4x the number of fields

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::uint32_t HashLower(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<unsigned char>(Lower(c));
    h *= 16777619u;
  }
  return h;
}

// Open-addressing table from lower-cased key to field, built once.
struct Table {
  struct Slot {
    char key[kMaxKey];
    std::uint8_t len = 0;
    Field field = Field::kCount;
  };
  std::array<Slot, kTableSize> slots{};

  Table() {
    for (std::size_t f = 0; f < static_cast<std::size_t>(Field::kCount); ++f) {
      const std::string_view name = kEntries[f].name;
      std::size_t i = HashLower(name) & (kTableSize - 1);
      while (slots[i].field != Field::kCount) i = (i + 1) & (kTableSize - 1);
      for (std::size_t k = 0; k < name.size(); ++k) slots[i].key[k] = Lower(name[k]);
      slots[i].len = static_cast<std::uint8_t>(name.size());
      slots[i].field = static_cast<Field>(f);
    }
  }

  Field Find(std::string_view key) const {
    if (key.empty() || key.size() > kMaxKey) return Field::kCount;
    std::size_t i = HashLower(key) & (kTableSize - 1);
    while (slots[i].field != Field::kCount) {
      const Slot& s = slots[i];
      if (s.len == key.size()) {
        bool eq = true;
        for (std::size_t k = 0; k < key.size(); ++k) {
          if (s.key[k] != Lower(key[k])) {
            eq = false;
            break;
          }
        }
        if (eq) return s.field;
      }
      i = (i + 1) & (kTableSize - 1);
    }
    return Field::kCount;
  }
};

const Table& GetTable() {
  static const Table table;
  return table;
}

}  // namespace

Field LookupField(std::string_view key) { return GetTable().Find(key); }
FieldKind KindOf(Field f) { return kEntries[static_cast<std::size_t>(f)].kind; }
std::string_view FieldName(Field f) { return kEntries[static_cast<std::size_t>(f)].name; }

}  // namespace vnt::feed
