#include "sim/frame_builder.h"

#include <cassert>
#include <charconv>
#include <cstdio>

namespace vnt::sim {

namespace {

// A double quote inside Content as it appears in the final frame: escaped for the Content string, and
// that escape sequence escaped again for the payload string.
constexpr std::string_view kQ2 = "\\\\\\\"";  // \\\"

void AppendInt(std::string* out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

}  // namespace

void FrameBuilder::Begin(std::string* out, std::string_view cursor, std::string_view data_type) {
  out_ = out;
  first_ = true;
  out->clear();
  out->append("{\"C\":\"");
  out->append(cursor);
  out->append("\",\"M\":[{\"H\":\"FcMarketDataV2Hub\",\"M\":\"Broadcast\",\"A\":[\"{\\\"DataType\\\":\\\"");
  out->append(data_type);
  out->append("\\\",\\\"Content\\\":\\\"{");
}

void FrameBuilder::Key(std::string_view key) {
  if (!first_) out_->push_back(',');
  first_ = false;
  out_->append(kQ2);
  out_->append(key);
  out_->append(kQ2);
  out_->push_back(':');
}

void FrameBuilder::Str(std::string_view key, std::string_view value) {
  assert(value.find('"') == std::string_view::npos && value.find('\\') == std::string_view::npos);
  Key(key);
  out_->append(kQ2);
  out_->append(value);
  out_->append(kQ2);
}

void FrameBuilder::Null(std::string_view key) {
  Key(key);
  out_->append("null");
}

void FrameBuilder::Dbl(std::string_view key, Fixed4 v) {
  Key(key);
  char buf[32];
  const int n = FormatFixed4(v, buf);
  out_->append(buf, static_cast<std::size_t>(n));
  if (v.raw % Fixed4::kScale == 0) out_->append(".0");
}

void FrameBuilder::DblInt(std::string_view key, std::int64_t v) {
  Key(key);
  AppendInt(out_, v);
  out_->append(".0");
}

void FrameBuilder::Int(std::string_view key, std::int64_t v) {
  Key(key);
  AppendInt(out_, v);
}

void FrameBuilder::Plain(std::string_view key, Fixed4 v) {
  Key(key);
  char buf[32];
  const int n = FormatFixed4(v, buf);
  out_->append(buf, static_cast<std::size_t>(n));
}

void FrameBuilder::End() {
  out_->append("}\\\"}\"]}]}");
  out_ = nullptr;
}

std::string FormatTradingDate(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day() % 100, d.month() % 100, d.year() % 10000);
  return buf;
}

void FormatTime(TimeOfDay t, char out[8]) {
  const int s = t.valid() ? t.sec % 86400 : 0;
  const int parts[3] = {s / 3600, s / 60 % 60, s % 60};
  for (int i = 0; i < 3; ++i) {
    out[i * 3] = static_cast<char>('0' + parts[i] / 10);
    out[i * 3 + 1] = static_cast<char>('0' + parts[i] % 10);
    if (i < 2) out[i * 3 + 2] = ':';
  }
}

}  // namespace vnt::sim
