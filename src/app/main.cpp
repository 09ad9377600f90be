// vntracker: the VN30 market tracker. Subcommands are thin wiring over src/feed, src/core, ...
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <string>

#include "app/decode_command.h"
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
  return kUsageError;
}
