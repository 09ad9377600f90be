#include "common/log.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace vnt {

namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};  // set once at start, read from every thread

// LOG_FORMAT, read once at start (static initialisation, before main), so that every command and every
// thread logs in one format without each entry point having to remember it.
struct EnvFormat {
  LogFormat format = LogFormat::kText;
  std::string unknown;  // a LOG_FORMAT value that is neither text nor json
};
EnvFormat ReadEnvFormat() {
  EnvFormat e;
  const char* v = std::getenv("LOG_FORMAT");
  if (v == nullptr || *v == '\0') return e;
  if (auto f = ParseLogFormat(v)) {
    e.format = *f;
  } else {
    e.unknown = v;
    if (e.unknown.size() > 40) e.unknown = e.unknown.substr(0, 40) + "...";
  }
  return e;
}
const EnvFormat g_env_format = ReadEnvFormat();
std::atomic<LogFormat> g_format{g_env_format.format};
std::atomic<bool> g_warned_unknown_format{false};

// "2026-03-18T03:15:00.123Z"
std::string Timestamp(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[40];
  const std::size_t n = std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(ts + n, sizeof ts - n, ".%03dZ", ms < 0 ? 0 : ms);
  return ts;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const auto cont = [&](std::size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Appends `s` as a JSON string: quotes, backslashes and control characters escaped, invalid UTF-8 -> U+FFFD.
void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    const std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  out.push_back('"');
}

// "store: sqlite ..." -> "store"; "" when the message has no such prefix.
std::string_view Component(std::string_view msg) {
  const std::size_t colon = msg.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 24) return {};
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = msg[i];
    if (!((c >= 'a' && c <= 'z') || c == ' ' || c == '-' || c == '_')) return {};
  }
  if (msg.front() == ' ' || msg[colon - 1] == ' ') return {};
  return msg.substr(0, colon);
}

bool Reserved(std::string_view key) {
  return key == "time" || key == "level" || key == "message" || key == "component";
}

void Write(LogLevel level, const std::string& msg, const LogFields& fields) {
  if (!g_env_format.unknown.empty() && !g_warned_unknown_format.exchange(true)) {
    Write(LogLevel::kWarning,
          "log: LOG_FORMAT '" + g_env_format.unknown + "' is not text or json; using text", {});
  }
  std::string line = FormatLogLine(g_format.load(std::memory_order_relaxed), level,
                                   std::chrono::system_clock::now(), msg, fields);
  line.push_back('\n');
  // One fwrite per line: stdio locks the stream, so lines from several threads do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  return kLogLevelNames.Name(level);
}

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  return kLogLevelNames.Parse(name);
}

std::string_view LogFormatName(LogFormat format) {
  return kLogFormatNames.Name(format);
}

std::optional<LogFormat> ParseLogFormat(std::string_view name) {
  return kLogFormatNames.Parse(name);
}

void SetLogLevel(LogLevel level) {
  g_level.store(level, std::memory_order_relaxed);
}

void SetLogFormat(LogFormat format) {
  g_format.store(format, std::memory_order_relaxed);
}

LogFormat GetLogFormat() {
  return g_format.load(std::memory_order_relaxed);
}

std::string FormatLogLine(LogFormat format, LogLevel level, std::chrono::system_clock::time_point time,
                          std::string_view msg, const LogFields& fields) {
  std::string out;
  out.reserve(msg.size() + 64);
  if (format == LogFormat::kText) {
    out += Timestamp(time);
    out.push_back(' ');
    out += LogLevelName(level);
    out.push_back(' ');
    out += msg;
    for (const auto& [k, v] : fields) {
      out.push_back(' ');
      out += k;
      out.push_back('=');
      out += v;
    }
    return out;
  }
  out += "{\"time\":\"";
  out += Timestamp(time);
  out += "\",\"level\":\"";
  out += LogLevelName(level);
  out += "\",\"message\":";
  AppendJsonString(out, msg);
  if (const std::string_view c = Component(msg); !c.empty()) {
    out += ",\"component\":";
    AppendJsonString(out, c);
  }
  for (const auto& [k, v] : fields) {
    out.push_back(',');
    AppendJsonString(out, Reserved(k) ? "field_" + k : k);
    out.push_back(':');
    AppendJsonString(out, v);
  }
  out.push_back('}');
  return out;
}

void Log(LogLevel level, const std::string& msg) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  Write(level, msg, {});
}

void LogWith(LogLevel level, const std::string& msg, const LogFields& fields) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  Write(level, msg, fields);
}

}  // namespace vnt
