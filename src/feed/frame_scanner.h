#pragma once
// The byte scanner of the decoder's fast path: a cursor over the escaped wire text that reads strings,
// keys, numbers and tokens in place, at one of the three escape levels of an SSI frame. Every method
// returns false rather than guess; the fast path then declines and the general path decodes the frame.
// Header-only: these run for every byte of every frame and must inline into fast_path.cpp.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/types.h"
#include "feed/number.h"

namespace vnt::feed::internal {

// Byte classes for the fast path, one table lookup per byte.
enum : std::uint8_t { kPlain = 0, kStop = 1, kBad = 2 };
struct ByteClasses {
  std::uint8_t string_class[256];  // inside a string: stop at '\\' or '"', reject control bytes
  bool token_end[256];             // end of a number or literal
  constexpr ByteClasses() : string_class(), token_end() {
    for (int c = 0; c < 0x20; ++c) string_class[c] = kBad;
    string_class[static_cast<unsigned char>('\\')] = kStop;
    string_class[static_cast<unsigned char>('"')] = kStop;
    for (char c : {',', '}', ']', '{', '[', ' ', '\t', '\\', '"', ':', '\n', '\r'})
      token_end[static_cast<unsigned char>(c)] = true;
    token_end[0] = true;
  }
};
inline constexpr ByteClasses kBytes;

// How a quote is written at each escape level of the wire format: the frame's own strings (Q0), the
// Broadcast payload inside A[0] (Q1: \"), and Content inside the payload (Q2: \\\", escaped twice).
struct Q0 {
  static constexpr char kText[] = "\"";
  static constexpr std::size_t kLen = 1;
};
struct Q1 {
  static constexpr char kText[] = "\\\"";
  static constexpr std::size_t kLen = 2;
};
struct Q2 {
  static constexpr char kText[] = "\\\\\\\"";
  static constexpr std::size_t kLen = 4;
};

// Cursor over text for the fast path. Every method returns false rather than guess.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ >= s_.size(); }
  void SkipWs() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;  // the wire has none: one compare
  }
  bool Eat(char c) {
    SkipWs();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  // The quote of escape level Q at the cursor; a fixed-size compare the compiler turns into one load.
  template <typename Q>
  bool Quote() {
    if (s_.size() - i_ < Q::kLen) return false;
    if constexpr (Q::kLen == 1) {
      if (s_[i_] != Q::kText[0]) return false;
    } else if constexpr (Q::kLen == 2) {
      if (s_[i_] != Q::kText[0] || s_[i_ + 1] != Q::kText[1]) return false;
    } else {
      static_assert(Q::kLen == 4);
      std::uint32_t a, b;
      std::memcpy(&a, s_.data() + i_, 4);
      std::memcpy(&b, Q::kText, 4);
      if (a != b) return false;
    }
    i_ += Q::kLen;
    return true;
  }
  // Plain characters up to the closing quote q (escape level of the caller): no escapes inside, no
  // control characters; the first backslash or '"' must start q.
  template <typename Q>
  bool String(std::string_view* out) {
    // Local cursor: writing i_ back on every byte would stop the compiler from keeping it in a register.
    const std::size_t start = i_;
    const std::size_t n = s_.size();
    const char* d = s_.data();
    std::size_t i = start;
    // Eight bytes at a time (SWAR): skip words holding no '\\', no '"' and no control byte.
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, d + i, 8);
      const std::uint64_t bs = w ^ (kOnes * '\\'), qt = w ^ (kOnes * '"');
      const std::uint64_t special =
          (((bs - kOnes) & ~bs) | ((qt - kOnes) & ~qt) | ((w - kOnes * 0x20) & ~w)) & kHigh;
      if (special != 0) {
        // The lowest flagged byte is a real one (borrows only move upwards).
        i += static_cast<std::size_t>(__builtin_ctzll(special) >> 3);
        if (static_cast<unsigned char>(d[i]) < 0x20) return false;
        *out = s_.substr(start, i - start);
        i_ = i;
        return Quote<Q>();
      }
      i += 8;
    }
    while (i < n) {
      const std::uint8_t cls = kBytes.string_class[static_cast<unsigned char>(d[i])];
      if (cls == kPlain) {
        ++i;
        continue;
      }
      if (cls == kBad) return false;
      *out = s_.substr(start, i - start);
      i_ = i;
      return Quote<Q>();
    }
    return false;
  }
  // True (and past it) when the text at the cursor is exactly `lit` (a predicted key followed by its
  // closing quote). Compares eight bytes at a time; `lit` is zero-padded to a multiple of 8.
  bool Literal(const char* lit, std::size_t len) {
    const std::size_t n = s_.size();
    if (n - i_ < len) return false;
    const char* d = s_.data() + i_;
    if (n - i_ < ((len + 7) & ~std::size_t{7})) return std::memcmp(d, lit, len) == 0 && (i_ += len, true);
    for (std::size_t k = 0; k < len; k += 8) {
      std::uint64_t a, b;
      std::memcpy(&a, d + k, 8);
      std::memcpy(&b, lit + k, 8);
      const std::size_t r = len - k;
      if (r < 8) a &= (std::uint64_t{1} << (8 * r)) - 1;
      if (a != b) return false;
    }
    i_ += len;
    return true;
  }
  // A number of the fast form (see ParseFixed4Prefix) at the cursor.
  bool FastNumber(Fixed4* out) {
    const char* p = s_.data() + i_;
    const char* e = ParseFixed4Prefix(p, s_.data() + s_.size(), out);
    if (!e) return false;
    i_ += static_cast<std::size_t>(e - p);
    return true;
  }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  // A bare token (number or literal) up to a delimiter.
  bool Token(std::string_view* out) {
    const std::size_t start = i_;
    const std::size_t n = s_.size();
    const char* d = s_.data();
    std::size_t i = start;
    while (i < n && !kBytes.token_end[static_cast<unsigned char>(d[i])]) ++i;
    i_ = i;
    *out = s_.substr(start, i - start);
    return !out->empty();
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace vnt::feed::internal
