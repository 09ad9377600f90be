#pragma once
// A forgiving JSON reader used only when strict parsing fails. It rewrites the transcription
// artefacts found in SSI's published samples (../shared/ssi/samples.jsonl) into strict JSON:
//   - raw line breaks and tabs inside strings (the guide's pretty-printed double-encoded Content),
//   - trailing commas ("Side":"SD",}),
//   - Python repr (single-quoted strings, True/False/None) as printed by the Python SDK,
//   - typographic quotes (“ ” ‘ ’) used as string delimiters, and a stray closing one after a word,
//   - a missing ':' between a key and its value, a key written with its colon inside the quotes ("RType:"),
//   - a doubled opening brace ("{ {").
// It never invents structure that is missing: a truncated document stays an error (kTruncated), and
// non-string keys, garbage and over-deep nesting are rejected. Real SSI frames are strict JSON and
// never reach this code.

#include <string>
#include <string_view>

namespace vnt::feed {

enum class RepairStatus { kOk, kTruncated, kMalformed, kTooDeep };

// Rewrites `in` as strict JSON into *out. The top-level value must be an object.
RepairStatus RepairJson(std::string_view in, std::string* out);

}  // namespace vnt::feed
