#include "simserver/rest_params.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "http/http_types.h"
#include "simserver/ascii.h"

namespace vnt::simserver {

Params::Params(std::string_view query) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string name, value;
    // Malformed percent-encoding: keep the text as it came.
    if (!http::PercentDecode(pair.substr(0, eq), true, &name)) name = std::string(pair.substr(0, eq));
    if (eq != std::string_view::npos && !http::PercentDecode(pair.substr(eq + 1), true, &value)) {
      value = std::string(pair.substr(eq + 1));
    }
    name = AsciiLower(name);
    if (name.rfind("lookuprequest.", 0) == 0) name.erase(0, 14);
    values_[name] = std::move(value);
  }
}

std::optional<std::string> Params::Get(std::string_view name) const {
  auto it = values_.find(AsciiLower(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

bool ParseDmy(std::string_view s, Date* out) {
  if (s.size() != 10 || s[2] != '/' || s[5] != '/') return false;
  auto num = [&](std::size_t at, std::size_t len, int* v) {
    auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + len, *v);
    return ec == std::errc() && p == s.data() + at + len;
  };
  int d = 0, m = 0, y = 0;
  if (!num(0, 2, &d) || !num(3, 2, &m) || !num(6, 4, &y)) return false;
  if (d < 1 || d > 31 || m < 1 || m > 12 || y < 1990) return false;
  *out = Date::Of(y, m, d);
  return true;
}

std::string FormatDmy(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day(), d.month(), d.year());
  return buf;
}

bool PageQuery::Covers(Date d) const {
  return (!from.valid() || from <= d) && (!to.valid() || d <= to);
}

PageQuery ReadPageQuery(const Params& p, bool dates_required) {
  PageQuery q;
  auto whole = [](const std::string& s, int* v) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
    return ec == std::errc() && ptr == s.data() + s.size();
  };
  if (auto v = p.Get("pageIndex");
      v && (!whole(*v, &q.page_index) || q.page_index < 1 || q.page_index > 10)) {
    q.error = "pageIndex must be a whole number from 1 to 10";
  }
  static constexpr int kSizes[] = {10, 20, 50, 100, 500, 1000};
  if (auto v = p.Get("pageSize");
      v && (!whole(*v, &q.page_size) ||
            std::find(std::begin(kSizes), std::end(kSizes), q.page_size) == std::end(kSizes))) {
    q.error = "pageSize must be one of 10, 20, 50, 100, 500, 1000";
  }
  if (auto v = p.Get("ascending")) q.ascending = IEquals(*v, "true");
  const auto from = p.Get("fromDate"), to = p.Get("toDate");
  if (from && !from->empty() && !ParseDmy(*from, &q.from)) q.error = "fromDate must be dd/MM/yyyy";
  if (to && !to->empty() && !ParseDmy(*to, &q.to)) q.error = "toDate must be dd/MM/yyyy";
  if (dates_required && q.error.empty() && (!q.from.valid() || !q.to.valid())) {
    q.error = "fromDate and toDate are required (dd/MM/yyyy)";
  }
  if (q.error.empty() && q.from.valid() && q.to.valid() && q.to < q.from)
    q.error = "fromDate is after toDate";
  return q;
}

std::string PageEnvelope(const std::vector<std::string>& items, const PageQuery& q) {
  std::string data = "[";
  const std::size_t begin =
      static_cast<std::size_t>(q.page_index - 1) * static_cast<std::size_t>(q.page_size);
  for (std::size_t i = begin; i < items.size() && i < begin + static_cast<std::size_t>(q.page_size); ++i) {
    if (data.size() > 1) data += ',';
    data += items[i];
  }
  return Envelope(data + "]", static_cast<std::int64_t>(items.size()));
}

std::string Envelope(std::string_view data_array, std::int64_t total) {
  return R"({"data":)" + std::string(data_array) +
         R"(,"message":"Success","status":"Success","totalRecord":)" + std::to_string(total) + "}";
}

std::string ErrorEnvelope(std::string_view message, std::string_view status) {
  return R"({"data":null,"message":)" + JsonQuote(message) + R"(,"status":)" + JsonQuote(status) +
         R"(,"totalRecord":0})";
}

std::string UnauthorizedBody() {
  return R"({"message":"Missing Authorization header","status":401})";
}

void ItemWriter::Key(std::string_view key) {
  if (out_.size() > 1) out_ += ',';
  AppendJsonString(key, &out_);
  out_ += ':';
}

ItemWriter& ItemWriter::Field(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(value, &out_);
  return *this;
}

ItemWriter& ItemWriter::Null(std::string_view key) {
  Key(key);
  out_ += "null";
  return *this;
}

ItemWriter& ItemWriter::Raw(std::string_view key, std::string_view json) {
  Key(key);
  out_ += json;
  return *this;
}

}  // namespace vnt::simserver
