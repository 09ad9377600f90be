#pragma once
// Where the store lives, as the user writes it: a SQLite file path or a PostgreSQL URL
// ("postgresql://user:password@host:port/db", also "postgres://..."). No database library here.

#include <string>
#include <string_view>

namespace vnt::store {

// True for "postgresql://..." and "postgres://...".
bool IsPostgresUrl(std::string_view location);
// The location with a PostgreSQL password (in the user info or a password= parameter) replaced by "***":
// what logs, /health and error messages show. Anything else is returned unchanged.
std::string RedactLocation(std::string_view location);

}  // namespace vnt::store
