#pragma once
// The name tables of the enums in core/types.h (Session, Side): ToString and ParseSession read them, and
// tests check them; kept beside types.h so that header stays free of the table helper.

#include "common/enum_names.h"
#include "core/types.h"

namespace vnt {

// Trading session names as SSI sends them (any case on input; "H" for a halt too).
inline constexpr auto kSessionNames = MakeEnumNames<Session>(
    {
        {Session::kAto, "ATO"},
        {Session::kLo, "LO"},
        {Session::kBreak, "BREAK"},
        {Session::kAtc, "ATC"},
        {Session::kPt, "PT"},
        {Session::kClosed, "C"},
        {Session::kHalt, "HALT"},
    },
    {{Session::kHalt, "H"}}, NameCase::kInsensitive);
static_assert(kSessionNames.Unique() && kSessionNames.size() == 7, "every Session but kUnknown has a name");

// Trade side names.
inline constexpr auto kSideNames = MakeEnumNames<Side>({{Side::kBuy, "buy"}, {Side::kSell, "sell"}});
static_assert(kSideNames.Unique());

}  // namespace vnt
