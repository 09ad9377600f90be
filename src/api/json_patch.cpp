#include "api/json_patch.h"

namespace vnt::api {

namespace {

void SkipWs(std::string_view s, std::size_t* i) {
  while (*i < s.size() && (s[*i] == ' ' || s[*i] == '\n' || s[*i] == '\t' || s[*i] == '\r')) ++*i;
}

// Moves *i past one JSON value starting at *i; false when the text ends first.
bool SkipValue(std::string_view s, std::size_t* i) {
  if (*i >= s.size()) return false;
  const char c = s[*i];
  if (c == '"') {
    for (++*i; *i < s.size(); ++*i) {
      if (s[*i] == '\\')
        ++*i;
      else if (s[*i] == '"')
        return ++*i, true;
    }
    return false;
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    bool in_string = false;
    for (; *i < s.size(); ++*i) {
      const char d = s[*i];
      if (in_string) {
        if (d == '\\')
          ++*i;
        else if (d == '"')
          in_string = false;
      } else if (d == '"') {
        in_string = true;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if ((d == '}' || d == ']') && --depth == 0) {
        return ++*i, true;
      }
    }
    return false;
  }
  const std::size_t start = *i;
  while (*i < s.size() && s[*i] != ',' && s[*i] != '}' && s[*i] != ']' && s[*i] != ' ') ++*i;
  return *i > start;
}

using Members = std::vector<std::pair<std::string_view, std::string_view>>;

// The value of `key` in m, searching from *hint (members usually come in the same order).
const std::string_view* Find(const Members& m, std::string_view key, std::size_t* hint) {
  for (std::size_t n = 0; n < m.size(); ++n) {
    const std::size_t k = (*hint + n) % m.size();
    if (m[k].first == key) {
      *hint = k + 1;
      return &m[k].second;
    }
  }
  return nullptr;
}

void AppendKey(std::string_view key, bool* first, std::string* out) {
  if (!*first) out->push_back(',');
  *first = false;
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

}  // namespace

bool SplitMembers(std::string_view obj, Members* out) {
  out->clear();
  std::size_t i = 0;
  SkipWs(obj, &i);
  if (i >= obj.size() || obj[i] != '{') return false;
  ++i;
  SkipWs(obj, &i);
  if (i < obj.size() && obj[i] == '}') return true;
  for (;;) {
    SkipWs(obj, &i);
    if (i >= obj.size() || obj[i] != '"') return false;
    const std::size_t key_start = ++i;
    while (i < obj.size() && obj[i] != '"' && obj[i] != '\\') ++i;
    if (i >= obj.size() || obj[i] != '"') return false;  // escaped keys: not our shape
    const std::string_view key = obj.substr(key_start, i - key_start);
    ++i;
    SkipWs(obj, &i);
    if (i >= obj.size() || obj[i] != ':') return false;
    ++i;
    SkipWs(obj, &i);
    const std::size_t value_start = i;
    if (!SkipValue(obj, &i)) return false;
    out->emplace_back(key, obj.substr(value_start, i - value_start));
    SkipWs(obj, &i);
    if (i < obj.size() && obj[i] == ',') {
      ++i;
      continue;
    }
    if (i < obj.size() && obj[i] == '}') return true;
    return false;
  }
}

bool SplitElements(std::string_view arr, std::vector<std::string_view>* out) {
  out->clear();
  std::size_t i = 0;
  SkipWs(arr, &i);
  if (i >= arr.size() || arr[i] != '[') return false;
  ++i;
  SkipWs(arr, &i);
  if (i < arr.size() && arr[i] == ']') return true;
  for (;;) {
    SkipWs(arr, &i);
    const std::size_t start = i;
    if (!SkipValue(arr, &i)) return false;
    out->push_back(arr.substr(start, i - start));
    SkipWs(arr, &i);
    if (i < arr.size() && arr[i] == ',') {
      ++i;
      continue;
    }
    return i < arr.size() && arr[i] == ']';
  }
}

bool AppendObjectPatch(std::string_view prev, std::string_view next, std::string* out) {
  if (prev == next) return false;
  Members p, n;
  if (!SplitMembers(prev, &p) || !SplitMembers(next, &n)) {
    out->append(next);
    return true;
  }
  const std::size_t start = out->size();
  out->push_back('{');
  bool first = true;
  std::size_t hint = 0;
  std::vector<bool> seen(p.size(), false);
  for (const auto& [key, value] : n) {
    const std::string_view* old = Find(p, key, &hint);
    if (old) seen[hint - 1] = true;
    if (old && *old == value) continue;
    if (old && !old->empty() && !value.empty() && old->front() == '{' && value.front() == '{') {
      // A nested object: only its changed members.
      const std::size_t mark = out->size();
      const bool was_first = first;
      AppendKey(key, &first, out);
      if (!AppendObjectPatch(*old, value, out)) {
        out->resize(mark);
        first = was_first;
      }
      continue;
    }
    AppendKey(key, &first, out);
    out->append(value);
  }
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (seen[k]) continue;
    AppendKey(p[k].first, &first, out);
    out->append("null");
  }
  if (first) {  // nothing differed (e.g. only whitespace did)
    out->resize(start);
    return false;
  }
  out->push_back('}');
  return true;
}

}  // namespace vnt::api
