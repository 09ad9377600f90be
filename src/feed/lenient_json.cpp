#include "feed/lenient_json.h"

#include "feed/number.h"

namespace vnt::feed {

namespace {

constexpr int kMaxDepth = 64;

// UTF-8 typographic quotes: “ ” ‘ ’ are E2 80 9C / 9D / 98 / 99.
int CurlyQuoteAt(std::string_view s, std::size_t i) {
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 &&
      static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const unsigned char c = static_cast<unsigned char>(s[i + 2]);
    if (c == 0x9C || c == 0x9D || c == 0x98 || c == 0x99) return c;
  }
  return 0;
}
bool IsClosingCurly(int q) {
  return q == 0x9D || q == 0x99;
}

class Repairer {
 public:
  Repairer(std::string_view in, std::string* out) : s_(in), out_(out) {}

  RepairStatus Run() {
    out_->clear();
    out_->reserve(s_.size() + 64);
    if (s_.size() >= 3 && s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;  // BOM
    SkipWs();
    if (i_ >= s_.size()) return RepairStatus::kTruncated;
    if (s_[i_] != '{' && !CurlyQuoteAt(s_, i_)) return RepairStatus::kMalformed;
    if (s_[i_] != '{') return RepairStatus::kMalformed;
    RepairStatus st = Object();
    if (st != RepairStatus::kOk) return st;
    SkipWs();
    while (extra_braces_ > 0 && i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      --extra_braces_;
      SkipWs();
    }
    return i_ == s_.size() ? RepairStatus::kOk : RepairStatus::kMalformed;
  }

 private:
  void SkipWs() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool AtEnd() const { return i_ >= s_.size(); }
  bool AtStringStart() const { return !AtEnd() && (s_[i_] == '"' || s_[i_] == '\'' || CurlyQuoteAt(s_, i_)); }
  // A closing typographic quote with no opening one ("Quote”"): skipped.
  bool SkipStrayClosingCurly() {
    const int q = CurlyQuoteAt(s_, i_);
    if (q != 0 && IsClosingCurly(q)) {
      i_ += 3;
      return true;
    }
    return false;
  }

  RepairStatus Value() {
    SkipWs();
    if (AtEnd()) return RepairStatus::kTruncated;
    const char c = s_[i_];
    if (c == '{') return Object();
    if (c == '[') return Array();
    if (AtStringStart()) return String();
    return Bareword();
  }

  RepairStatus Object() {
    if (++depth_ > kMaxDepth) return RepairStatus::kTooDeep;
    ++i_;  // '{'
    out_->push_back('{');
    bool first = true;
    for (;;) {
      SkipWs();
      if (AtEnd()) return RepairStatus::kTruncated;
      const char c = s_[i_];
      if (c == '}') {
        ++i_;
        out_->push_back('}');
        --depth_;
        return RepairStatus::kOk;
      }
      if (c == '{' && first && extra_braces_ == 0) {  // "{ {" doubled brace (once)
        ++i_;
        ++extra_braces_;
        continue;
      }
      if (c == ',') {  // trailing or doubled comma
        ++i_;
        continue;
      }
      if (SkipStrayClosingCurly()) continue;
      if (!AtStringStart()) return RepairStatus::kMalformed;  // keys must be strings
      if (!first) out_->push_back(',');
      RepairStatus st = String();
      if (st != RepairStatus::kOk) return st;
      // A key written as "RType:" carries its colon inside the quotes.
      if (out_->size() >= 2 && (*out_)[out_->size() - 2] == ':' && out_->back() == '"') {
        out_->erase(out_->size() - 2, 1);
      }
      SkipWs();
      if (AtEnd()) return RepairStatus::kTruncated;
      if (s_[i_] == ':') ++i_;  // else: missing colon, tolerated
      out_->push_back(':');
      st = Value();
      if (st != RepairStatus::kOk) return st;
      first = false;
      SkipWs();
      SkipStrayClosingCurly();
      SkipWs();
      if (AtEnd()) return RepairStatus::kTruncated;
      if (s_[i_] == ',') {
        ++i_;
      } else if (s_[i_] != '}' && !AtStringStart()) {
        return RepairStatus::kMalformed;
      }
    }
  }

  RepairStatus Array() {
    if (++depth_ > kMaxDepth) return RepairStatus::kTooDeep;
    ++i_;  // '['
    out_->push_back('[');
    bool first = true;
    for (;;) {
      SkipWs();
      if (AtEnd()) return RepairStatus::kTruncated;
      if (s_[i_] == ']') {
        ++i_;
        out_->push_back(']');
        --depth_;
        return RepairStatus::kOk;
      }
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] == '}' || s_[i_] == ':') return RepairStatus::kMalformed;
      if (!first) out_->push_back(',');
      RepairStatus st = Value();
      if (st != RepairStatus::kOk) return st;
      first = false;
      SkipWs();
      if (AtEnd()) return RepairStatus::kTruncated;
      if (s_[i_] != ',' && s_[i_] != ']') return RepairStatus::kMalformed;
    }
  }

  void EmitEscapedByte(char ch) {
    switch (ch) {
      case '\n':
        *out_ += "\\n";
        return;
      case '\r':
        *out_ += "\\r";
        return;
      case '\t':
        *out_ += "\\t";
        return;
      case '"':
        *out_ += "\\\"";
        return;
      default:
        break;
    }
    if (static_cast<unsigned char>(ch) < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      *out_ += "\\u00";
      out_->push_back(kHex[(ch >> 4) & 0xF]);
      out_->push_back(kHex[ch & 0xF]);
      return;
    }
    out_->push_back(ch);
  }

  // Emits the string at i_ as a strict JSON string, whatever its delimiters.
  RepairStatus String() {
    char close_ascii = 0;  // '"' or '\''
    int open_curly = CurlyQuoteAt(s_, i_);
    if (open_curly) {
      i_ += 3;
    } else {
      close_ascii = s_[i_++];
    }
    out_->push_back('"');
    while (!AtEnd()) {
      const char ch = s_[i_];
      if (open_curly) {
        const int q = CurlyQuoteAt(s_, i_);
        if (q != 0 && (IsClosingCurly(q) || q == open_curly)) {
          i_ += 3;
          out_->push_back('"');
          return RepairStatus::kOk;
        }
        if (ch == '"') {  // “key" closed by a straight quote
          ++i_;
          out_->push_back('"');
          return RepairStatus::kOk;
        }
      } else if (ch == close_ascii) {
        ++i_;
        out_->push_back('"');
        return RepairStatus::kOk;
      }
      if (ch == '\\') {
        if (i_ + 1 >= s_.size()) return RepairStatus::kTruncated;
        const char e = s_[i_ + 1];
        i_ += 2;
        if (e == '\'') {
          out_->push_back('\'');
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                   e == 't' || e == 'u') {
          out_->push_back('\\');
          out_->push_back(e);
        } else {
          *out_ += "\\\\";  // unknown escape: keep the backslash literally
          EmitEscapedByte(e);
        }
        continue;
      }
      EmitEscapedByte(ch);
      ++i_;
    }
    return RepairStatus::kTruncated;
  }

  RepairStatus Bareword() {
    const std::size_t start = i_;
    while (!AtEnd()) {
      const char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '{' || c == '}' ||
          c == '[' || c == ']' || c == '"' || c == '\'' || CurlyQuoteAt(s_, i_))
        break;
      ++i_;
    }
    const std::string_view w = s_.substr(start, i_ - start);
    if (w.empty()) return RepairStatus::kMalformed;
    if (IsStrictJsonNumber(w) || w == "true" || w == "false" || w == "null") {
      out_->append(w);
    } else if (w == "True") {
      *out_ += "true";
    } else if (w == "False") {
      *out_ += "false";
    } else if (w == "None") {
      *out_ += "null";
    } else {
      // A bare word ("Quote" in “RType:”Quote”, NaN): kept as a string, never guessed into a number.
      for (char ch : w)
        if (static_cast<unsigned char>(ch) < 0x20) return RepairStatus::kMalformed;
      out_->push_back('"');
      for (char ch : w) {
        if (ch == '\\')
          *out_ += "\\\\";
        else
          out_->push_back(ch);
      }
      out_->push_back('"');
    }
    return RepairStatus::kOk;
  }

  std::string_view s_;
  std::string* out_;
  std::size_t i_ = 0;
  int depth_ = 0;
  int extra_braces_ = 0;
};

}  // namespace

RepairStatus RepairJson(std::string_view in, std::string* out) {
  return Repairer(in, out).Run();
}

}  // namespace vnt::feed
