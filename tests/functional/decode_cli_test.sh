#!/usr/bin/env bash
# Functional test of `vntracker decode`: runs the real binary on the bundled frames and on bad input.
set -uo pipefail
BIN=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   - $1"; else echo "FAIL - $1"; fail=1; fi; }

# 1. The bundled sample frames decode, one JSON object per event, with the contract's fields.
"$BIN" decode "$SRC/tests/data/sample-frames.txt" >"$T/out" 2>"$T/err"; rc=$?
check "samples: exit 0" "[ $rc = 0 ]"
check "samples: 8 events" "[ $(wc -l <"$T/out") = 8 ]"
check "samples: summary on stderr" "grep -q '^summary: 11 frames, 8 events, 0 failed lines' '$T/err'"
python3 - "$T/out" <<'PY' || fail=1
import json, sys
common = {"channel", "symbol", "trading_date", "time", "session"}
need = {
    "X-TRADE": {"last_price", "last_vol", "total_vol", "total_val", "ref_price", "ceiling", "floor", "side"},
    "X": {"last_price", "last_vol", "total_vol", "total_val", "ref_price", "ceiling", "floor", "side", "bids", "asks"},
    "X-QUOTE": {"bids", "asks"}, "Quote": {"bids", "asks"},
    "R": {"buy_vol", "sell_vol", "buy_val", "sell_val", "total_room", "current_room"},
    "F": set(), "B": set(), "OL": {"bids", "asks"},
}
by = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    missing = (common | need[o["channel"]]) - o.keys()
    assert not missing, (o["channel"], missing)
    by[o["channel"]] = o
t = by["X-TRADE"]
assert (t["symbol"], t["trading_date"], t["time"], t["session"]) == ("ACB", "2023-08-14", "14:07:53", "LO"), t
assert (t["last_price"], t["last_vol"], t["total_vol"], t["total_val"], t["side"]) == (22950, 100, 8797700, 201713015000, "sell"), t
q = by["X-QUOTE"]
assert q["bids"] == [[22900, 290900], [22850, 454200], [22800, 678800]], q["bids"]
assert q["asks"][0] == [22950, 109100], q["asks"]
r = by["R"]
assert (r["buy_vol"], r["sell_vol"], r["buy_val"], r["sell_val"], r["total_room"], r["current_room"]) == (863352, 825308, 25123543200, 24016462800, 1501130137, 806887173), r
assert by["B"]["trading_date"] is None and by["B"]["time"] == "14:28:33"
assert by["Quote"]["bids"][1] == [1344.9, 18]
print("ok   - samples: field values")
PY

# 2. stdin, a bad line in the middle: reported with its number, decoding continues, exit 1.
{ sed -n 4p "$SRC/tests/data/sample-frames.txt"; echo '{"C":"x","M":[{"H":"h","M":"Broadcast","A":["{\"DataType\":\"ZZZ\",\"Content\":\"{}\"}"]}]}'; echo; echo 'not json'; sed -n 5p "$SRC/tests/data/sample-frames.txt"; } \
  | "$BIN" decode >"$T/out2" 2>"$T/err2"; rc=$?
check "bad lines: exit 1" "[ $rc = 1 ]"
check "bad lines: good events still written" "[ $(wc -l <"$T/out2") = 2 ]"
check "bad lines: line 2 reason" "grep -q '^line 2: unknown_datatype' '$T/err2'"
check "bad lines: line 4 reason (blank line 3 skipped)" "grep -q '^line 4: not_an_object\\|^line 4: malformed_json' '$T/err2'"
check "bad lines: summary counts errors" "grep -q 'failed lines' '$T/err2' && grep -q 'unknown_datatype=1' '$T/err2'"

# 3. Usage errors exit 2.
"$BIN" decode --no-such-flag >/dev/null 2>&1; rc=$?
check "unknown flag: exit 2" "[ $rc = 2 ]"
"$BIN" decode "$T/does-not-exist" >/dev/null 2>&1; rc=$?
check "missing file: exit 2" "[ $rc = 2 ]"
"$BIN" >/dev/null 2>&1; rc=$?
check "no subcommand: exit 2" "[ $rc = 2 ]"
"$BIN" decode --help >/dev/null 2>&1; rc=$?
check "help: exit 0" "[ $rc = 0 ]"
exit $fail
