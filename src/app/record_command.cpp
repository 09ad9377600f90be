#include "app/record_command.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "common/log.h"

namespace vnt::app {

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) {
  g_stop = true;
}

}  // namespace

int RunRecord(const RecordOptions& opts) {
  auto made = source::MakeFeed(opts.feed, std::chrono::steady_clock::now(), {});
  if (!made) {
    LogError("record: " + made.error().message);
    return 2;
  }
  std::unique_ptr<source::FeedSource> feed = std::move(made->source);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (opts.out != "-") {
    file.open(opts.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      LogError("record: cannot write '" + opts.out + "'");
      return 2;
    }
    out = &file;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::vector<std::string> frames;
  std::uint64_t n = 0;
  std::string buf;
  bool more = true;
  while (more && !g_stop) {
    frames.clear();
    more = feed->Poll(std::chrono::steady_clock::now(), &frames, 10000);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    for (const std::string& f : frames) {
      buf += std::to_string(ms);
      buf.push_back('\t');
      buf += f;
      buf.push_back('\n');
    }
    n += frames.size();
    if (buf.size() > (1 << 20) || !more || frames.empty()) {
      *out << buf;
      out->flush();
      buf.clear();
    }
    if (frames.empty() && more) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  *out << buf;
  out->flush();
  if (!*out) {
    LogError("record: write failed (disk full?) after " + std::to_string(n) + " frames");
    return 1;
  }
  LogInfo("record: " + std::to_string(n) + " frames written" + (g_stop ? " (stopped by signal)" : ""));
  return 0;
}

}  // namespace vnt::app
