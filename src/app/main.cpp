// vntracker: the VN30 market tracker. Subcommands are thin wiring over src/feed, src/core, ...
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "app/decode_command.h"
#include "app/replay_command.h"
#include "core/vn30_basket.h"
#include "feed/cpu.h"

namespace {
constexpr int kUsageError = 2;
}

int main(int argc, char** argv) {
  CLI::App app{"vntracker: real-time tracker of the VN30 stocks and VN30 index futures"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vntracker 0.1.0");

  std::string decode_file;
  CLI::App* decode = app.add_subcommand(
      "decode",
      "Decode SSI FastConnect frames (one per line, stdin when no FILE) into one JSON event per line.\n"
      "Bad lines are reported on stderr as 'line N: reason'; exit 1 if any line failed.");
  decode->add_option("FILE", decode_file, "file of frames, one per line (default: stdin)");

  std::string replay_file;
  vnt::app::ReplayOptions replay_opts;
  std::string vn30_list;
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Run a file of frames (decode input, or record format) through decoder and market engine as fast as\n"
      "possible. Prints one JSON line per classified trade and alert, or with --summary one JSON object\n"
      "at the end. Environment: FUTURES_OVERRIDE pins the front futures contract.");
  replay->add_option("FILE", replay_file, "frame file ('-' = stdin)")->required();
  replay->add_flag("--summary", replay_opts.summary, "print the end-of-replay state as one JSON object");
  replay->add_option("--vn30", vn30_list, "comma-separated VN30 basket (default: the built-in 2026 basket)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsageError;
  }

  if (!vnt::feed::CpuSupported()) {
    std::cerr << "vntracker: this CPU lacks AVX2/BMI2/PCLMUL, which this build requires; rebuild with "
                 "-DVNT_SIMD_FLAGS=-march=x86-64-v2\n";
    return 1;
  }
  if (decode->parsed()) {
    if (decode_file.empty() || decode_file == "-") return vnt::app::RunDecode(std::cin, std::cout, std::cerr);
    std::ifstream in(decode_file, std::ios::binary);
    if (!in) {
      std::cerr << "vntracker decode: cannot open '" << decode_file << "'\n";
      return kUsageError;
    }
    return vnt::app::RunDecode(in, std::cout, std::cerr);
  }
  if (replay->parsed()) {
    replay_opts.engine.vn30 = vnt::core::DefaultVn30Basket();
    if (!vn30_list.empty()) {
      replay_opts.engine.vn30.clear();
      std::size_t start = 0;
      while (start <= vn30_list.size()) {
        const std::size_t comma = std::min(vn30_list.find(',', start), vn30_list.size());
        vnt::Symbol sym;
        if (comma > start &&
            vnt::Symbol::Make(std::string_view(vn30_list).substr(start, comma - start), &sym))
          replay_opts.engine.vn30.push_back(sym);
        start = comma + 1;
      }
    }
    if (const char* fo = std::getenv("FUTURES_OVERRIDE")) replay_opts.engine.futures_override = fo;
    if (replay_file == "-") return vnt::app::RunReplay(std::cin, std::cout, std::cerr, replay_opts);
    std::ifstream in(replay_file, std::ios::binary);
    if (!in) {
      std::cerr << "vntracker replay: cannot open '" << replay_file << "'\n";
      return kUsageError;
    }
    return vnt::app::RunReplay(in, std::cout, std::cerr, replay_opts);
  }
  return kUsageError;
}
