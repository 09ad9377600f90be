#pragma once
// Beast's parsed request -> the transport-neutral Request, written once for the server and the HTTP
// fuzzer (so the fuzzer exercises the very conversion the server runs). Included only by translation
// units that compile Beast anyway.

#include <boost/beast/http.hpp>

#include <cctype>
#include <string>

#include "server/router.h"

namespace vnt::server {

// Fills method, raw target, lower-cased headers and body (moved out of breq: its headers stay, for the
// upgrade and keep-alive decisions). The target is parsed by FrontDoor::Canonicalise.
inline Request FromBeast(boost::beast::http::request<boost::beast::http::string_body>& breq,
                         std::string remote) {
  Request req;
  req.method = std::string(breq.method_string());
  req.target = std::string(breq.target());
  req.remote = std::move(remote);
  for (const auto& f : breq) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(f.value());
  }
  req.body = std::move(breq.body());
  return req;
}

// A Transfer-Encoding whose final coding is not chunked (e.g. "gzip"): the body length is unknowable.
inline bool HasUnsupportedTransferEncoding(
    const boost::beast::http::request<boost::beast::http::string_body>& breq) {
  return breq.count(boost::beast::http::field::transfer_encoding) > 0 && !breq.chunked();
}

// Parser errors that mean "not valid HTTP/1.1" (answered 400), as opposed to a peer that left
// mid-request or a socket error.
inline bool IsMalformedRequest(const boost::system::error_code& ec) {
  namespace http = boost::beast::http;
  return ec.category() == http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_more && ec != http::error::body_limit && ec != http::error::header_limit;
}

}  // namespace vnt::server
