#!/usr/bin/env bash
# Functional test of `vntracker replay`: the --summary contract (README "replay"), per-event lines,
# record-format input, usage errors.
set -uo pipefail
BIN=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   - $1"; else echo "FAIL - $1"; fail=1; fi; }

# A small session: quotes, trades, foreign room, index, a futures contract by KRX code.
python3 - "$T/frames.txt" "$T/recorded.txt" <<'PY'
import json, sys
def frame(dt, content):
    payload = json.dumps({"DataType": dt, "Content": json.dumps(content)})
    return json.dumps({"C": "d-1", "M": [{"H": "FcMarketDataV2Hub", "M": "Broadcast", "A": [payload]}]})
d = "18/03/2026"
rows = [
    frame("X-QUOTE", {"TradingDate": d, "Time": "09:20:00", "Symbol": "ACB", "BidPrice1": 22900.0, "BidVol1": 100.0, "AskPrice1": 22950.0, "AskVol1": 100.0, "TradingSession": "LO"}),
    frame("X-TRADE", {"TradingDate": d, "Time": "09:20:01", "Symbol": "ACB", "RefPrice": 22900.0, "Ceiling": 24500.0, "Floor": 21300.0, "LastPrice": 22950.0, "LastVol": 100.0, "TotalVol": 100.0, "TotalVal": 2295000.0, "TradingSession": "LO"}),
    frame("X-TRADE", {"TradingDate": d, "Time": "09:20:02", "Symbol": "ACB", "RefPrice": 22900.0, "LastPrice": 22900.0, "LastVol": 300.0, "TotalVol": 400.0, "TotalVal": 8165000.0, "TradingSession": "LO"}),
    frame("R", {"TradingDate": d, "Time": "09:20:03", "Symbol": "ACB", "TotalRoom": 1000.0, "CurrentRoom": 400.0, "BuyVol": 50.0, "SellVol": 10.0, "BuyVal": 1147500.0, "SellVal": 229500.0}),
    frame("MI", {"IndexId": "VN30", "IndexValue": 1870.0, "PriorIndexValue": 1860.0, "TradingDate": d, "Time": "09:20:04", "Advances": 10, "Declines": 15, "NoChanges": 5, "Ceilings": 0, "Floors": 1}),
    frame("X-TRADE", {"TradingDate": d, "Time": "09:20:05", "Symbol": "41I1G4000", "RefPrice": 1880.0, "LastPrice": 1879.0, "LastVol": 5.0, "TotalVol": 5.0, "TradingSession": "LO", "Side": "SD"}),
]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
open(sys.argv[2], "w").write("".join(f"{1773800401000 + i}\t{r}\n" for i, r in enumerate(rows)))
PY

"$BIN" replay "$T/frames.txt" --summary --vn30 ACB,FPT >"$T/sum.json" 2>"$T/err"; rc=$?
check "summary: exit 0" "[ $rc = 0 ]"
python3 - "$T/sum.json" <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))
assert set(s) >= {"symbols", "foreign", "indices", "futures", "alerts", "counters"}, s.keys()
acb = s["symbols"]["ACB"]
for k in ["active_buy_vol", "active_sell_vol", "neutral_vol", "total_vol", "active_buy_val", "active_sell_val", "last_price"]:
    assert k in acb, k
assert set(acb["sessions"]) == {"ato", "continuous", "atc", "pt"}
assert (acb["active_buy_vol"], acb["active_sell_vol"], acb["neutral_vol"], acb["total_vol"]) == (100, 300, 0, 400), acb
assert (acb["active_buy_val"], acb["active_sell_val"], acb["last_price"]) == (2295000, 6870000, 22900), acb
f = s["futures"]["VN30F2604"]
for k in ["symbol", "krx_code", "alias", "last_trading_day", "basis", "days_to_expiry"]:
    assert k in f, k
assert (f["symbol"], f["krx_code"], f["alias"], f["last_trading_day"], f["basis"], f["days_to_expiry"]) == ("VN30F2604", "41I1G4000", "VN30F2M", "2026-04-16", 9, 29), f
assert s["foreign"]["symbols"]["ACB"]["net_vol"] == 40
assert s["indices"]["VN30"]["value"] == 1870
assert s["counters"]["frames"] == 6 and s["counters"]["frames_failed"] == 0
assert "41I1G4000" not in s["symbols"]
print("ok   - summary: contract fields and values")
PY

"$BIN" replay "$T/recorded.txt" --summary --vn30 ACB,FPT >"$T/sum2.json" 2>/dev/null
check "record format gives the same summary" "cmp -s '$T/sum.json' '$T/sum2.json'"

"$BIN" replay "$T/frames.txt" >"$T/lines" 2>/dev/null; rc=$?
check "event lines: exit 0" "[ $rc = 0 ]"
check "event lines: 3 trades" "[ \$(grep -c '\"event\":\"trade\"' '$T/lines') = 3 ]"

# record: a simulated window in the record format, then replayed and decoded.
"$BIN" record --out "$T/rec.txt" --speed 0 --sim-date 2026-03-18 --sim-start 09:14:50 --sim-end 09:16:00 2>/dev/null; rc=$?
check "record: exit 0" "[ $rc = 0 ]"
n=$(wc -l <"$T/rec.txt")
check "record: frames written" "[ $n -gt 1000 ]"
check "record: every line is epoch-ms TAB frame" "! grep -qvP '^[0-9]{13}\t\\{' '$T/rec.txt'"
"$BIN" decode "$T/rec.txt" >/dev/null 2>&1; rc=$?
check "record: the file decodes without error" "[ $rc = 0 ]"
"$BIN" replay "$T/rec.txt" --summary >"$T/rec.json" 2>/dev/null
check "record: replay counts every line" "python3 -c 'import json,sys; s=json.load(open(\"$T/rec.json\")); sys.exit(0 if s[\"counters\"][\"frames\"] == $n and s[\"symbols\"][\"ACB\"][\"total_vol\"] > 0 else 1)'"
"$BIN" record --out "$T/x" --feed bogus >/dev/null 2>&1; rc=$?
check "record: bad feed -> exit 2" "[ $rc = 2 ]"

"$BIN" replay >/dev/null 2>&1; rc=$?
check "no FILE: exit 2" "[ $rc = 2 ]"
"$BIN" replay "$T/nope" >/dev/null 2>&1; rc=$?
check "missing file: exit 2" "[ $rc = 2 ]"
exit $fail
