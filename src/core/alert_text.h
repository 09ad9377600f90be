#pragma once
// The sentence of an alert, built from its fields (core::Alert) in English or Vietnamese, with the board's
// conventions: stock prices in thousands of VND ("105.5" / "105,5"), money scaled to bn / tỷ, mn / triệu,
// k / nghìn ("1.19 bn VND/min", "1,19 tỷ/phút"), volumes grouped ("52,300" / "52.300"); never a raw 10-digit
// integer, never scientific notation. Pure: the engine sets Alert::message to the English sentence, the
// Telegram delivery uses the configured language, the web app builds its own from the same fields.

#include <optional>
#include <string>
#include <string_view>

#include "core/alerts.h"

namespace vnt::core {

enum class Lang : std::uint8_t { kEn, kVi };
inline constexpr auto kLangNames =
    MakeEnumNames<Lang>({{Lang::kEn, "en"}, {Lang::kVi, "vi"}}, NameCase::kInsensitive);
static_assert(kLangNames.Unique() && kLangNames.size() == 2);
// "en" / "vi" (case-insensitive); nullopt otherwise.
std::optional<Lang> ParseLang(std::string_view s);
std::string_view ToString(Lang l);

// A figure in its unit as a reader expects it: FormatFigure(1.19e9, kVndPerMin, kVi) = "1,19 tỷ/phút";
// a price (price = true: last_price, change, vwap, limits) in VND is shown in thousands as on the board:
// FormatFigure(105500, kVnd, kEn, true) = "105.5".
std::string FormatFigure(double v, AlertUnit unit, Lang lang, bool price = false);
// True for metrics whose VND figure is a price (shown in thousands): last_price, change, vwap.
bool IsPriceMetric(std::string_view metric);

// The whole sentence, e.g. "FPT hit the ceiling: 105.5" / "FPT chạm giá trần: 105,5".
std::string AlertSentence(const Alert& a, Lang lang);

}  // namespace vnt::core
