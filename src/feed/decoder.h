#pragma once
// SSI FastConnect Data v2 frame decoder: one SignalR text frame (or a bare Broadcast argument)
// -> zero or more typed events. Pure: no sockets, no clock, no exceptions escape, and in the steady
// state no heap allocation per frame (buffers and output vectors are reused).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/enum_names.h"
#include "core/events.h"

namespace vnt::feed {

// The decoder speaks the engine's event vocabulary (core/events.h).
using core::BarEvent;
using core::Book;
using core::Channel;
using core::ChannelName;
using core::ForeignRoomEvent;
using core::Header;
using core::HeaderOf;
using core::IndexEvent;
using core::Level;
using core::MarketEvent;
using core::OddLotEvent;
using core::QuoteEvent;
using core::SnapshotEvent;
using core::StatusEvent;
using core::TradeEvent;
using core::TradeFields;

// Why a frame (or one message inside it) could not be decoded.
enum class ErrorKind : std::uint8_t {
  kMalformedJson,  // not JSON, even after repairing known transcription artefacts
  kTruncated,      // the document ends inside a value
  kInvalidUtf8,
  kTooDeep,           // nesting deeper than any SSI frame (> 64 levels)
  kTooLarge,          // frame larger than Decoder::kMaxFrameBytes
  kNotAnObject,       // top level (or payload / Content) is not a JSON object
  kUnknownFrame,      // valid JSON but no SignalR or Broadcast shape we know
  kUnknownMethod,     // hub method other than Broadcast / Error
  kBadPayload,        // Broadcast argument missing or not a string/object
  kUnknownDataType,   // DataType / RType not one of F, X, X-QUOTE, X-TRADE, R, MI, B, OL, Quote, Trade
  kMissingField,      // a field the event cannot exist without (Symbol, TradingDate, Time, ...)
  kWrongType,         // e.g. a price given as an object, a symbol given as a number
  kNumberOutOfRange,  // a number too large for the fixed-point types
  kBadDate,           // TradingDate not dd/MM/yyyy
  kBadTime,           // Time not HH:mm:ss
  kInvalidValue,      // e.g. negative volume or price, symbol too long
  kCount
};
inline constexpr auto kErrorKindNames = MakeEnumNames<ErrorKind>({
    {ErrorKind::kMalformedJson, "malformed_json"},
    {ErrorKind::kTruncated, "truncated"},
    {ErrorKind::kInvalidUtf8, "invalid_utf8"},
    {ErrorKind::kTooDeep, "too_deep"},
    {ErrorKind::kTooLarge, "too_large"},
    {ErrorKind::kNotAnObject, "not_an_object"},
    {ErrorKind::kUnknownFrame, "unknown_frame"},
    {ErrorKind::kUnknownMethod, "unknown_method"},
    {ErrorKind::kBadPayload, "bad_payload"},
    {ErrorKind::kUnknownDataType, "unknown_datatype"},
    {ErrorKind::kMissingField, "missing_field"},
    {ErrorKind::kWrongType, "wrong_type"},
    {ErrorKind::kNumberOutOfRange, "number_out_of_range"},
    {ErrorKind::kBadDate, "bad_date"},
    {ErrorKind::kBadTime, "bad_time"},
    {ErrorKind::kInvalidValue, "invalid_value"},
});
static_assert(kErrorKindNames.Unique() &&
              kErrorKindNames.size() == static_cast<std::size_t>(ErrorKind::kCount));
// Stable snake_case name of an error kind ("malformed_json", ...), used in logs, CLI and metrics.
std::string_view ErrorKindName(ErrorKind k);

struct DecodeError {
  ErrorKind kind = ErrorKind::kMalformedJson;
  std::string detail;  // human-readable reason, e.g. "missing field Symbol"
};

// SignalR protocol frames that carry no market data.
enum class ControlKind : std::uint8_t {
  kKeepAlive,    // {}
  kInit,         // {"C":..,"S":1,"M":[]}
  kReconnected,  // {"C":..,"T":1,...}
  kCompletion,   // {"I":"0"} with optional "R" or "E"
  kHubError,     // hub invoked client method Error("...")
  kEmpty,        // a data frame with no messages ({"C":..,"M":[]})
  kCount
};
inline constexpr auto kControlKindNames = MakeEnumNames<ControlKind>({
    {ControlKind::kKeepAlive, "keepalive"},
    {ControlKind::kInit, "init"},
    {ControlKind::kReconnected, "reconnected"},
    {ControlKind::kCompletion, "completion"},
    {ControlKind::kHubError, "hub_error"},
    {ControlKind::kEmpty, "empty"},
});
static_assert(kControlKindNames.Unique() &&
              kControlKindNames.size() == static_cast<std::size_t>(ControlKind::kCount));
// "keepalive", "init", ... ("unknown" for a value out of range).
std::string_view ControlKindName(ControlKind k);

struct ControlEvent {
  ControlKind kind = ControlKind::kKeepAlive;
  std::string id;       // completion id ("I"), message cursor ("C") for init/reconnect
  std::string message;  // hub Error text or completion "E"
};

// What one Decode call produced. Reuse one instance across calls to avoid allocation.
struct DecodeOutput {
  std::vector<MarketEvent> events;
  std::vector<ControlEvent> controls;
  std::vector<DecodeError> errors;
  void clear() {
    events.clear();
    controls.clear();
    errors.clear();
  }
  bool ok() const { return errors.empty(); }
};

// Running counters (per channel, per error kind), for metrics and the CLI summary.
struct DecoderStats {
  std::uint64_t frames = 0;
  std::uint64_t frames_failed = 0;  // frames with at least one error
  std::uint64_t repaired = 0;       // payloads decoded only after RepairJson
  std::array<std::uint64_t, static_cast<std::size_t>(Channel::kCount)> events{};
  std::array<std::uint64_t, static_cast<std::size_t>(ErrorKind::kCount)> errors{};
  std::array<std::uint64_t, static_cast<std::size_t>(ControlKind::kCount)> controls{};
};

class Decoder {
 public:
  static constexpr std::size_t kMaxFrameBytes = 4 << 20;

  Decoder();
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // Decodes one frame, appending to `out` (which it does not clear). Good messages in a frame are
  // kept even when another message of the same frame fails. Returns true when no error was added.
  bool Decode(std::string_view frame, DecodeOutput& out);

  const DecoderStats& stats() const { return stats_; }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  DecoderStats stats_;
};

}  // namespace vnt::feed
