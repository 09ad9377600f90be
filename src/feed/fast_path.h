#pragma once
// The decoder's fast path: a compact SignalR data frame read in place, without simdjson's passes. In A[0]
// the payload's quotes are written \" and Content's quotes \\\" (escaped twice); the scanner
// (frame_scanner.h) accepts only plain strict JSON of exactly that shape (no escapes inside strings, no
// line breaks) and declines anything else, which the general path (json_path.h) then decodes or rejects.
// Each channel's Content keys are predicted from its previous frame: SSI sends them in the same order.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "feed/decoder_internal.h"
#include "feed/fields.h"

namespace vnt::feed::internal {

class Scanner;

class FastPath {
 public:
  // The values of the Content being read, shared with the general path (one Content is decoded at a time).
  // Held here, not by reference: the per-field stores of the fast path address it at a fixed offset.
  FieldSet& fields() { return fields_; }

  // The whole frame {"C":"..","M":[{"H":..,"M":"Broadcast","A":["<payload>"]},..]}, events and errors into
  // `out`. False for any other shape (control frames, escapes, line breaks, other key sets): the caller
  // then rolls `out` back and uses the general path.
  bool Frame(std::string_view frame, DecodeOutput& out);

  // A Broadcast argument string as found in A[0] (its text between the quotes, still escaped once). False
  // to decline; otherwise *st holds the outcome (building the event, or trailing content after it).
  bool Argument(std::string_view escaped, DecodeOutput& out, Status* st);

 private:
  bool HubMessage(Scanner& sc, DecodeOutput& out);
  bool Payload(Scanner& sc, DecodeOutput& out, Status* st);
  bool Content(Scanner& sc, std::optional<Channel> channel);

  FieldSet fields_;

  static constexpr std::size_t kMaxPredicted = 64;
  // The key expected at one position of a channel's Content: its name followed by the closing quote as
  // written in the Broadcast argument (\\\"), zero-padded for Scanner::Literal. len 0 = no guess.
  struct Guess {
    Field field = Field::kCount;
    std::size_t len = 0;
    alignas(8) char text[32] = {};
    void Set(Field f);
  };
  std::array<std::array<Guess, kMaxPredicted>, static_cast<std::size_t>(Channel::kCount)> key_order_{};
};

}  // namespace vnt::feed::internal
