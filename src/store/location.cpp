#include "store/location.h"

namespace vnt::store {

bool IsPostgresUrl(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string RedactLocation(std::string_view url) {
  if (!IsPostgresUrl(url)) return std::string(url);
  // scheme://[user[:password]@]host...: the password is between the first ':' after the scheme and the
  // last '@' of the authority.
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const std::size_t auth_start = scheme_end + 3;
  std::size_t auth_end = url.find_first_of("/?#", auth_start);
  if (auth_end == std::string_view::npos) auth_end = url.size();
  const std::string_view auth = url.substr(auth_start, auth_end - auth_start);
  const auto at = auth.rfind('@');
  std::string out(url.substr(0, auth_start));
  if (at != std::string_view::npos) {
    const std::string_view userinfo = auth.substr(0, at);
    const auto colon = userinfo.find(':');
    out += colon == std::string_view::npos ? std::string(userinfo)
                                           : std::string(userinfo.substr(0, colon)) + ":***";
    out += auth.substr(at);
  } else {
    out += auth;
  }
  std::string rest(url.substr(auth_end));
  // A password may also come as a query parameter (?password=...).
  for (std::size_t p = rest.find("password="); p != std::string::npos; p = rest.find("password=", p + 1)) {
    const std::size_t v = p + 9;
    const std::size_t e = rest.find('&', v);
    rest.replace(v, (e == std::string::npos ? rest.size() : e) - v, "***");
  }
  return out + rest;
}

}  // namespace vnt::store
