#pragma once
// `vntracker decode [FILE]`: frames in (one per line), one JSON event per line out.

#include <iosfwd>

namespace vnt::app {

// Decodes every line of `in`; events to `out`, per-line errors and the summary to `err`.
// Returns 0 when every non-empty line decoded, 1 otherwise.
int RunDecode(std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace vnt::app
