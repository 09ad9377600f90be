#include "app/decode_command.h"

#include <istream>
#include <ostream>
#include <string>

#include "api/event_json.h"
#include "feed/decoder.h"
#include "source/frame_lines.h"

namespace vnt::app {

int RunDecode(std::istream& in, std::ostream& out, std::ostream& err) {
  feed::Decoder decoder;
  feed::DecodeOutput result;
  std::string line, buffer;
  std::uint64_t line_no = 0, lines = 0, failed_lines = 0;
  buffer.reserve(1 << 16);
  while (std::getline(in, line)) {
    ++line_no;
    const source::FrameLine fl = source::ParseFrameLine(line);
    if (source::IsBlank(fl.frame)) continue;  // blank lines are not frames
    ++lines;
    result.clear();
    decoder.Decode(fl.frame, result);
    for (const core::MarketEvent& e : result.events) {
      api::AppendEventJson(e, &buffer);
      buffer.push_back('\n');
    }
    if (buffer.size() > (1 << 15)) {
      out << buffer;
      buffer.clear();
    }
    for (const feed::ControlEvent& c : result.controls) {
      if (c.kind == feed::ControlKind::kHubError || !c.message.empty()) {
        err << "line " << line_no << ": " << feed::ControlKindName(c.kind) << ": " << c.message << '\n';
      }
    }
    if (!result.errors.empty()) {
      ++failed_lines;
      for (const feed::DecodeError& e : result.errors) {
        err << "line " << line_no << ": " << feed::ErrorKindName(e.kind) << ": " << e.detail << '\n';
      }
    }
  }
  out << buffer;
  out.flush();

  const feed::DecoderStats& s = decoder.stats();
  std::uint64_t events = 0;
  for (auto n : s.events) events += n;
  err << "summary: " << lines << " frames, " << events << " events, " << failed_lines << " failed lines";
  if (s.repaired) err << ", " << s.repaired << " repaired";
  err << "\n  events:";
  for (std::size_t c = 0; c < s.events.size(); ++c) {
    if (s.events[c]) err << ' ' << core::ChannelName(static_cast<core::Channel>(c)) << '=' << s.events[c];
  }
  err << "\n  controls:";
  for (std::size_t c = 0; c < s.controls.size(); ++c) {
    if (s.controls[c])
      err << ' ' << feed::ControlKindName(static_cast<feed::ControlKind>(c)) << '=' << s.controls[c];
  }
  err << "\n  errors:";
  for (std::size_t k = 0; k < s.errors.size(); ++k) {
    if (s.errors[k]) err << ' ' << feed::ErrorKindName(static_cast<feed::ErrorKind>(k)) << '=' << s.errors[k];
  }
  err << '\n';
  return failed_lines == 0 ? 0 : 1;
}

}  // namespace vnt::app
