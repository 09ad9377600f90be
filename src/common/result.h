#pragma once
// The one error type of the value tier (design §6: expected failures are values, broken invariants are
// asserts, start-up failures throw): an Error says what kind of failure (a code), what happened (a message
// for people, shown as is by the CLI and in HTTP error bodies) and, when an input is at fault, which one
// (`field`: "threshold", "--feed", "url"). Result<T> holds a T or an Error; Status is the result of work
// that yields no value. Both are [[nodiscard]]: ignoring a failure does not compile quietly.
// Header-only, standard library only (core and feed use it without linking anything).
//
//   Result<HttpUrl> ParseHttpUrl(std::string_view url);
//   auto url = ParseHttpUrl(s);
//   if (!url) return url.error();          // an Error converts to any Result<U> and to Status
//   Connect(url->host);
//
// std::expected is C++23 (and not in GCC 12); this is the small part of it the code needs.

#include <cassert>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/enum_names.h"

namespace vnt {

// The kind of a failure: what a caller may branch on (the message is for people).
enum class ErrorCode : unsigned char {
  kInvalidArgument,  // an input is malformed or out of range (a URL, a flag, a rule field)
  kParse,            // a document or message could not be read (JSON, a protocol reply, a data file)
  kNotFound,         // the thing named does not exist
  kAlreadyExists,    // the thing to create exists already
  kIo,               // the system or the network failed (open, bind, connect, read, write, TLS)
  kRejected,         // the peer answered with a refusal or an error status
  kUnavailable,      // not now: not started, shutting down, or a limit reached
  kInternal,         // a failure that is no one's input (a library call that should not fail)
};

// Stable snake_case names of the codes (logs, metrics, tests).
inline constexpr auto kErrorCodeNames = MakeEnumNames<ErrorCode>({
    {ErrorCode::kInvalidArgument, "invalid_argument"},
    {ErrorCode::kParse, "parse"},
    {ErrorCode::kNotFound, "not_found"},
    {ErrorCode::kAlreadyExists, "already_exists"},
    {ErrorCode::kIo, "io"},
    {ErrorCode::kRejected, "rejected"},
    {ErrorCode::kUnavailable, "unavailable"},
    {ErrorCode::kInternal, "internal"},
});
static_assert(kErrorCodeNames.Unique() && kErrorCodeNames.size() == 8, "one name per ErrorCode");

// "invalid_argument", "parse", ...
constexpr std::string_view ErrorCodeName(ErrorCode code) {
  return kErrorCodeNames.Name(code);
}

// A failure: code, message (complete, for people) and the input at fault, if one is.
struct Error {
  Error() = default;
  Error(ErrorCode c, std::string msg, std::string at = {})
      : code(c), message(std::move(msg)), field(std::move(at)) {}

  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // empty when no single input is at fault

  friend bool operator==(const Error&, const Error&) = default;
};

// A T, or the Error that prevented it.
template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");
  static_assert(!std::is_reference_v<T> && !std::is_void_v<T>, "Result holds a value; use Status for none");

 public:
  // Implicit, so that a function returns its value or an Error as they are.
  Result(const T& value) : v_(std::in_place_index<0>, value) {}
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}
  // Any value T can be built from (a string literal for Result<std::string>, an int for Result<int64_t>).
  template <typename U,
            typename = std::enable_if_t<
                std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
                !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The value; only when ok() (a programmer error otherwise).
  [[nodiscard]] T& value() & {
    assert(ok() && "Result::value() on an error");
    return *std::get_if<0>(&v_);
  }
  [[nodiscard]] const T& value() const& {
    assert(ok() && "Result::value() on an error");
    return *std::get_if<0>(&v_);
  }
  [[nodiscard]] T&& value() && {
    assert(ok() && "Result::value() on an error");
    return std::move(*std::get_if<0>(&v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The value, or `fallback` on an error.
  template <typename U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

  // The error; only when !ok() (a programmer error otherwise).
  [[nodiscard]] const Error& error() const& {
    assert(!ok() && "Result::error() on a value");
    return *std::get_if<1>(&v_);
  }
  [[nodiscard]] Error&& error() && {
    assert(!ok() && "Result::error() on a value");
    return std::move(*std::get_if<1>(&v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Success, or the Error of work that yields no value.
class [[nodiscard]] Status {
 public:
  Status() = default;                                               // success
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // implicit: `return Error{...};`
  static Status Ok() { return {}; }

  [[nodiscard]] bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }

  // The error; only when !ok() (a programmer error otherwise).
  [[nodiscard]] const Error& error() const& {
    assert(!ok() && "Status::error() on success");
    return error_;
  }
  [[nodiscard]] Error&& error() && {
    assert(!ok() && "Status::error() on success");
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace vnt
