#include "feed/fields.h"

#include <cstring>

namespace vnt::feed {

namespace {

struct Entry {
  std::string_view name;
  FieldKind kind;
};

constexpr Entry kEntries[] = {
#define VNT_X(name, kind) {#name, (kind) == 'N' ? FieldKind::kNumber : FieldKind::kString},
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

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Cheap hash on case-folded bytes (| 0x20 folds ASCII letters and leaves digits alone): length, the
// first two, middle and last two characters packed into one word, then a multiplicative mix whose top
// bits index the table. Together they separate the known keys with few collisions.
inline std::uint32_t HashLower(std::string_view s) {
  const std::size_t n = s.size();
  const auto at = [&](std::size_t i) {
    return static_cast<std::uint64_t>(static_cast<unsigned char>(s[i]) | 0x20);
  };
  const std::uint64_t packed = static_cast<std::uint64_t>(n) | at(0) << 8 | at(n > 1 ? 1 : 0) << 16 |
                               at(n / 2) << 24 | at(n - 1) << 32 | at(n > 1 ? n - 2 : 0) << 40;
  return static_cast<std::uint32_t>((packed * 0x9E3779B97F4A7C15ULL) >> 40);
}

// key == exact[0..key.size()), eight bytes at a time (keys are at most kMaxKey = 24 bytes).
inline bool ExactEquals(const char* exact, std::string_view key) {
  std::size_t k = 0;
  for (; k + 8 <= key.size(); k += 8) {
    std::uint64_t a, b;
    std::memcpy(&a, exact + k, 8);
    std::memcpy(&b, key.data() + k, 8);
    if (a != b) return false;
  }
  for (; k < key.size(); ++k)
    if (exact[k] != key[k]) return false;
  return true;
}

// Open-addressing table from lower-cased key to field, built once.
struct Table {
  struct Slot {
    char key[kMaxKey];    // lower-cased
    char exact[kMaxKey];  // as SSI spells it
    std::uint8_t len = 0;
    Field field = Field::kCount;
  };
  std::array<Slot, kTableSize> slots{};

  Table() {
    for (std::size_t f = 0; f < static_cast<std::size_t>(Field::kCount); ++f) {
      const std::string_view name = kEntries[f].name;
      std::size_t i = HashLower(name) & (kTableSize - 1);
      while (slots[i].field != Field::kCount) i = (i + 1) & (kTableSize - 1);
      for (std::size_t k = 0; k < name.size(); ++k) {
        slots[i].key[k] = Lower(name[k]);
        slots[i].exact[k] = name[k];
      }
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
        if (ExactEquals(s.exact, key)) return s.field;  // the usual spelling first
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

Field LookupField(std::string_view key) {
  return GetTable().Find(key);
}
std::string_view FieldName(Field f) {
  return kEntries[static_cast<std::size_t>(f)].name;
}

}  // namespace vnt::feed
