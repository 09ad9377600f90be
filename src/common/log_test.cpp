#include "common/log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace vnt {
namespace {

TEST(LogLevel, NamesRoundTrip) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    EXPECT_EQ(ParseLogLevel(LogLevelName(l)), l);
  }
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarning);
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("verbose"), std::nullopt);
  EXPECT_EQ(ParseLogLevel(""), std::nullopt);
  EXPECT_TRUE(kLogLevelNames.Unique());
  EXPECT_EQ(kLogLevelNames.size(), 4U);
}

TEST(LogFormat, NamesRoundTrip) {
  for (LogFormat f : {LogFormat::kText, LogFormat::kJson}) {
    EXPECT_EQ(ParseLogFormat(LogFormatName(f)), f);
  }
  EXPECT_EQ(ParseLogFormat("JSON"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("yaml"), std::nullopt);
  EXPECT_TRUE(kLogFormatNames.Unique());
}

TEST(LogLevel, LinesBelowTheLevelAreDropped) {
  SetLogLevel(LogLevel::kWarning);
  testing::internal::CaptureStderr();
  LogInfo("hidden line");
  LogWarning("shown line");
  const std::string err = testing::internal::GetCapturedStderr();
  SetLogLevel(LogLevel::kInfo);
  EXPECT_EQ(err.find("hidden line"), std::string::npos);
  EXPECT_NE(err.find("WARNING shown line"), std::string::npos);
}

// 2026-03-18T03:15:00.123Z
std::chrono::system_clock::time_point FixedTime() {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(1773803700123));
}

TEST(LogFormat, Names) {
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("JSON"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("logfmt"), std::nullopt);
  EXPECT_EQ(ParseLogFormat(""), std::nullopt);
}

TEST(LogFormat, TextLineIsUnchanged) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kInfo, FixedTime(), "store: sqlite ./data/x.db"),
            "2026-03-18T03:15:00.123Z INFO store: sqlite ./data/x.db");
  EXPECT_EQ(
      FormatLogLine(LogFormat::kText, LogLevel::kWarning, FixedTime(), "slow", {{"ms", "12"}, {"peer", "a"}}),
      "2026-03-18T03:15:00.123Z WARNING slow ms=12 peer=a");
}

TEST(LogFormat, JsonLineHasTimeLevelMessageComponentAndFields) {
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, LogLevel::kInfo, FixedTime(), "store: sqlite ./data/x.db"),
            R"({"time":"2026-03-18T03:15:00.123Z","level":"INFO","message":"store: sqlite ./data/x.db",)"
            R"("component":"store"})");
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, LogLevel::kError, FixedTime(), "alert delivery: failed",
                          {{"channel", "webhook"}, {"time", "x"}}),
            R"({"time":"2026-03-18T03:15:00.123Z","level":"ERROR","message":"alert delivery: failed",)"
            R"("component":"alert delivery","channel":"webhook","field_time":"x"})");
  // No component unless the prefix is a lower-case name: digits, capitals and long prefixes are text.
  for (const char* msg :
       {"signal 15: stopping", "cannot listen on 127.0.0.1:80: in use", "listening on http://x", "Store: x",
        "a very long prefix that is not a name: x", ": x"}) {
    const std::string line = FormatLogLine(LogFormat::kJson, LogLevel::kInfo, FixedTime(), msg);
    EXPECT_EQ(line.find("component"), std::string::npos) << line;
  }
}

TEST(LogFormat, JsonEscapesControlCharactersAndRepairsUtf8) {
  const std::string msg = std::string("a\"q\" \\ \n\t\x01\x7f ") + "Vi\xe1\xbb\x87t " +  // valid: ệ
                          "\xff\xc3(\xed\xa0\x80" + std::string(1, '\0') + "end";
  const std::string line =
      FormatLogLine(LogFormat::kJson, LogLevel::kDebug, FixedTime(), msg, {{"k\"", "v\n"}});
  EXPECT_EQ(line,
            R"({"time":"2026-03-18T03:15:00.123Z","level":"DEBUG","message":"a\"q\" \\ \n\t\u0001\u007f )"
            "Vi\xe1\xbb\x87t \xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            R"(\u0000end","k\"":"v\n"})");
}

TEST(LogFormat, SetLogFormatSwitchesTheLinesWritten) {
  const LogFormat before = GetLogFormat();
  SetLogFormat(LogFormat::kJson);
  testing::internal::CaptureStderr();
  LogInfo("feed: streaming");
  LogWith(LogLevel::kWarning, "store: slow commit", {{"ms", "250"}});
  const std::string err = testing::internal::GetCapturedStderr();
  SetLogFormat(before);
  EXPECT_NE(err.find(R"("level":"INFO","message":"feed: streaming","component":"feed"}
)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(R"("message":"store: slow commit","component":"store","ms":"250"}
)"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.front(), '{');
}

}  // namespace
}  // namespace vnt
