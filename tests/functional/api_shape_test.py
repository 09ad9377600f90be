#!/usr/bin/env python3
"""Golden JSON shapes of the API (issue 13, item 2): every REST endpoint shape and the messages of every
WebSocket channel of the real `vntracker serve`, compared with the samples checked in under
tests/golden/api/ (one file per endpoint shape). The comparison is of *shapes*: the keys of every object,
the JSON types of every value (null included), arrays by the merged shape of their elements, and objects
keyed by data (symbols, indices, alert details) by the merged shape of their values. A field renamed,
added, removed or retyped on the server fails here; the web app's types are checked against the same
samples by web/src/contract/wire.test.ts (web_unit), so the goldens are the contract between both sides.

Two servers, both on the built-in simulator's 2026-03-18 (seed 1):
  1. the whole day at --speed 0 into a fresh SQLite file, with one user rule stored before the day starts:
     once the session has ended the state is deterministic; every REST endpoint (market, history from the
     store, rules, errors) and the snapshot of every WebSocket channel;
  2. live at --speed 20 (--db none): the deltas of every channel and a pushed alert; a delta's data is a
     patch, so its shape must be contained in the shape of its channel's snapshot (and its envelope equal
     to its golden's).

usage: api_shape_test.py VNTRACKER [--update]   (--update rewrites the goldens from this run's answers)
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish  # noqa: E402
import tracker  # noqa: E402
from wsclient import WsClient  # noqa: E402

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "api")
SIM = ["--sim-date", "2026-03-18", "--sim-seed", "1"]
RULE = {"metric": "total_vol", "symbol": "ACB", "comparison": ">", "threshold": 0, "cooldown_sec": 3600,
        "name": "golden-rule"}
# Objects whose keys are data, not field names: compared by the merged shape of their values.
MAP_KEYS = {"symbols", "indices", "details"}

# name -> (method, path, body): the REST endpoint shapes, asked once the simulated day has ended.
REST = [
    ("health", "GET", "/health", None),
    ("vn30_components", "GET", "/api/vn30-components", None),
    ("market_snapshot", "GET", "/api/market/snapshot", None),
    ("market_symbol", "GET", "/api/market/symbol/ACB", None),
    ("market_orderbook", "GET", "/api/market/orderbook/VN30F1M", None),
    ("market_foreign_detail", "GET", "/api/market/foreign-detail", None),
    ("market_volume_stats", "GET", "/api/market/volume-stats", None),
    ("market_volume_profile", "GET", "/api/market/volume-profile/ACB", None),
    ("market_basis_trend", "GET", "/api/market/basis-trend?minutes=30", None),
    ("market_futures", "GET", "/api/market/futures", None),
    ("market_session", "GET", "/api/market/session", None),
    ("market_candles", "GET", "/api/market/candles/ACB", None),
    ("market_candles_index", "GET", "/api/market/candles/VN30", None),
    ("market_sparklines", "GET", "/api/market/sparklines", None),
    ("market_foreign_series", "GET", "/api/market/foreign-series", None),
    ("market_trades", "GET", "/api/market/trades/ACB?limit=200", None),
    ("market_alerts", "GET", "/api/market/alerts?limit=500", None),
    ("market_alerts_rule", "GET", "/api/market/alerts?type=user_rule", None),
    ("market_overview", "GET", "/api/market/overview", None),
    ("alerts_rules", "GET", "/api/alerts/rules", None),
    ("alerts_rule_created", "POST", "/api/alerts/rules",
     {"metric": "active_buy_ratio_window", "symbol": "VN30F1M", "comparison": "crosses_above", "threshold": 70,
      "frequency": "once_per_bar", "window_min": 15, "webhook_url": "http://127.0.0.1:9/hook", "severity": "info"}),
    ("history_alerts", "GET", "/api/history/alerts?limit=1000", None),
    ("history_candles", "GET", "/api/history/ACB/candles?limit=100", None),
    ("history_candles_1d", "GET", "/api/history/ACB/candles?interval=1d", None),
    ("history_ticks", "GET", "/api/history/ACB/ticks?limit=100", None),
    ("history_foreign", "GET", "/api/history/ACB/foreign?limit=100", None),
    ("history_foreign_daily", "GET", "/api/history/ACB/foreign/daily", None),
    ("history_index", "GET", "/api/history/index/VN30?limit=100", None),
    ("history_derivatives", "GET", "/api/history/derivatives/VN30F1M?limit=100", None),
    ("error_not_found", "GET", "/api/market/symbol/ZZZ", None),
    ("error_bad_parameter", "GET", "/api/market/basis-trend?minutes=0", None),
]
CHANNELS = ["market", "foreign", "index", "alerts", "trades"]


def ws_path(ch):
    return "/ws/trades?symbols=ACB,VN30F1M" if ch == "trades" else f"/ws/{ch}"


# ---- shapes -------------------------------------------------------------------------------------------
# A shape is a dict: "t" the scalar JSON types seen ("null", "boolean", "number", "string"), "o" an object's
# fields (name -> [shape, present in every instance]), "a" an array's element shape ({} when only empty
# arrays were seen), "m" the value shape of an object keyed by data.

def scalar(v):
    return "null" if v is None else "boolean" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) \
        else "string"


def shape_of(v, key=None):
    if isinstance(v, dict):
        if key in MAP_KEYS:
            m = {}
            for x in v.values():
                m = merge(m, shape_of(x))
            return {"m": m}
        return {"o": {k: [shape_of(x, k), True] for k, x in v.items()}}
    if isinstance(v, list):
        a = {}
        for x in v:
            a = merge(a, shape_of(x))
        return {"a": a}
    return {"t": {scalar(v)}}


def merge(a, b):
    if not a:
        return b
    if not b:
        return a
    out = {}
    out["t"] = a.get("t", set()) | b.get("t", set())
    if "o" in a or "o" in b:
        oa, ob = a.get("o"), b.get("o")
        if oa is None or ob is None:
            out["o"] = oa if ob is None else ob
        else:
            out["o"] = {k: [merge(oa.get(k, [{}])[0], ob.get(k, [{}])[0]),
                            k in oa and k in ob and oa[k][1] and ob[k][1]] for k in {*oa, *ob}}
    for k in ("a", "m"):
        if k in a or k in b:
            out[k] = merge(a.get(k, {}), b.get(k, {}))
    if not out["t"]:
        del out["t"]
    return out


def describe(s):
    parts = sorted(s.get("t", ()))
    parts += ["object"] * ("o" in s) + ["array"] * ("a" in s) + ["map"] * ("m" in s)
    return "|".join(parts) or "nothing"


def diff(live, gold, path, subset=False):
    """Differences between the live shape and the golden one, as readable lines. subset: the live shape may
    hold less (a patch): fewer fields, fewer types, null for any field."""
    out = []
    lt, gt = live.get("t", set()), gold.get("t", set())
    extra = lt - gt - ({"null"} if subset else set())
    kinds_l = {k for k in ("o", "a", "m") if k in live}
    kinds_g = {k for k in ("o", "a", "m") if k in gold}
    if extra or (lt != gt and not subset) or kinds_l - kinds_g or (not subset and kinds_g - kinds_l):
        out.append(f"{path or '.'}: server sends {describe(live)}, golden has {describe(gold)}")
    if "o" in live and "o" in gold:
        lo, go = live["o"], gold["o"]
        for k in sorted(set(lo) - set(go)):
            out.append(f"{path}.{k}: new field on the server (not in the golden)")
        if not subset:
            for k in sorted(set(go) - set(lo)):
                out.append(f"{path}.{k}: field of the golden missing from the server")
            for k in sorted(set(go) & set(lo)):
                if go[k][1] != lo[k][1]:
                    out.append(f"{path}.{k}: {'always' if lo[k][1] else 'sometimes'} present on the server, "
                               f"{'always' if go[k][1] else 'sometimes'} in the golden")
        for k in sorted(set(go) & set(lo)):
            out += diff(lo[k][0], go[k][0], f"{path}.{k}", subset)
    for k, mark in (("a", "[]"), ("m", ".*")):
        if k in live and k in gold and live[k] and gold[k]:
            out += diff(live[k], gold[k], path + mark, subset)
        elif k in live and k in gold and live[k] and not gold[k] and not subset:
            out.append(f"{path}{mark}: the server sends elements, the golden has none")
    return out


def trim(v, key=None):
    """A small sample with the same shape: arrays of objects or arrays and data-keyed objects keep their first
    element and then only the elements that add something to the merged shape."""
    if isinstance(v, dict):
        items = [(k, trim(x, k)) for k, x in v.items()]
        if key not in MAP_KEYS:
            return dict(items)
        kept, s = {}, {}
        for k, x in items:
            n = merge(s, shape_of(x))
            if not kept or n != s:
                kept[k], s = x, n
        return kept
    if isinstance(v, list):
        if all(not isinstance(e, (dict, list)) for e in v):
            return v  # scalars: a tuple such as a book level [price, volume] or a list of names, kept whole
        kept, s = [], {}
        for x in (trim(e) for e in v):
            n = merge(s, shape_of(x))
            if not kept or n != s:
                kept.append(x)
                s = n
        return kept
    return v


# ---- time forms ---------------------------------------------------------------------------------------
# One representation per concept (src/api/market_json.h): an exchange instant is "YYYY-MM-DDTHH:MM:SS+07:00"
# (every "time", the overview's "index_time"/"prices_time", the first member of a [time, value] series point),
# the market clock is "trading_date" "YYYY-MM-DD" + "exchange_time" "HH:MM:SS", an alert delivery's end is a
# UTC "YYYY-MM-DDTHH:MM:SS.mmmZ". The shapes above see only "string": these forms are checked here.

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")
FORMS = {"time": INSTANT, "index_time": INSTANT, "prices_time": INSTANT,
         "exchange_time": re.compile(r"^\d{2}:\d{2}:\d{2}$"), "trading_date": re.compile(r"^\d{4}-\d{2}-\d{2}$")}
UTC_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def time_forms(v, path="", under=None):
    """Values of the time keys that are not in their concept's one form, as readable lines."""
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            form = UTC_MS if (k == "time" and under == "deliveries") else FORMS.get(k)
            if form is not None and isinstance(x, str) and not form.match(x):
                out.append(f"{path}.{k}: {x!r}")
            elif form is not None and not isinstance(x, (str, type(None))):
                out.append(f"{path}.{k}: {x!r} is not a string")
            out += time_forms(x, f"{path}.{k}", k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            # A series point [time, value]: the time is an exchange instant.
            if isinstance(x, list) and len(x) == 2 and isinstance(x[0], str) and not INSTANT.match(x[0]):
                out.append(f"{path}[{i}][0]: {x[0]!r}")
            out += time_forms(x, f"{path}[{i}]", under)
    return out


# ---- goldens ------------------------------------------------------------------------------------------

UPDATE = "--update" in sys.argv
captured = {}


def golden_path(name):
    return os.path.join(GOLDEN_DIR, name + ".json")


def load(name):
    try:
        with open(golden_path(name), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def compare(name, request, status, body, subset_of=None):
    """Checks (or, with --update, records) one answer. subset_of: the shape a patch must fit in."""
    captured[name] = {"request": request, "status": status, "body": trim(body)}
    bad_times = time_forms(body)
    check(f"{name}: every time in its one form", not bad_times, "\n       " + "\n       ".join(bad_times[:20]))
    if UPDATE:
        return
    gold = load(name)
    if gold is None:
        check(f"{name}: golden tests/golden/api/{name}.json exists (run with --update)", False)
        return
    problems = []
    if gold["status"] != status:
        problems.append(f"status {status}, golden {gold['status']}")
    if subset_of is None:
        problems += diff(shape_of(body), shape_of(gold["body"]), "")
    else:
        envelope = {k: v for k, v in body.items() if k != "data"}
        genvelope = {k: v for k, v in gold["body"].items() if k != "data"}
        problems += diff(shape_of(envelope), shape_of(genvelope), "")
        problems += diff(shape_of(body.get("data")), subset_of, ".data", subset=True)
    check(f"{name}: {request} has the golden shape", not problems, "\n       " + "\n       ".join(problems[:40]))


def write_goldens():
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    for name, g in sorted(captured.items()):
        with open(golden_path(name), "w", encoding="utf-8") as f:
            json.dump(g, f, indent=1, ensure_ascii=False)
            f.write("\n")
    stale = sorted(f for f in os.listdir(GOLDEN_DIR) if f.endswith(".json") and f[:-5] not in captured)
    for f in stale:
        os.remove(os.path.join(GOLDEN_DIR, f))
    print(f"wrote {len(captured)} goldens to {os.path.normpath(GOLDEN_DIR)}" + (f", removed {stale}" if stale else ""))


# ---- the servers --------------------------------------------------------------------------------------

def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def first_message(port, ch, want, timeout=30):
    """The first message of type `want` on a channel (its snapshot comes first); a delta marked "full" (the
    day starting while the client connects: it carries everything, like a snapshot) is passed over."""
    c = WsClient("127.0.0.1", port, ws_path(ch), timeout=timeout)
    try:
        end = time.time() + timeout
        while time.time() < end:
            m = c.recv_json()
            if m["type"] == want and not m.get("full"):
                return m
        return None
    finally:
        c.close()


def settled_day(binary, tmp):
    db = "sqlite:" + os.path.join(tmp, "day.db")
    # The user rule goes into the store first, so that the simulated day fires it from its first trade.
    empty = os.path.join(tmp, "empty.frames")
    open(empty, "w").close()
    p, port = tracker.start(binary, "--feed", "replay:" + empty, "--db", db)
    try:
        st, r = tracker.get(port, "/api/alerts/rules", "POST", json.dumps(RULE))
        check("user rule stored before the day", st == 201, r)
    finally:
        stop(p)
    t0 = time.time()
    p, port = tracker.start(binary, *SIM, "--sim-start", "09:00:00", "--speed", "0", "--db", db)
    try:
        done = tracker.wait_feed_done(port, 300)
        check(f"the simulated day ends ({time.time() - t0:.0f} s)", done)
        for name, method, path, body in REST:
            st, data = tracker.raw(port, path, method, None if body is None else json.dumps(body))
            compare(name, f"{method} {path}", st, json.loads(data) if data else None)
        for ch in CHANNELS:
            m = first_message(port, ch, "snapshot")
            compare(f"ws_{ch}_snapshot", f"WS {ws_path(ch)} snapshot", 101, m)
    finally:
        stop(p)


def live_deltas(binary):
    p, port = tracker.start(binary, *SIM, "--sim-start", "09:20:00", "--speed", "20", "--ws-interval-ms", "200",
                            "--db", "none")
    try:
        for ch in CHANNELS:
            if ch == "alerts":
                continue
            snap = load(f"ws_{ch}_snapshot")
            ref = shape_of(snap["body"]["data"]) if snap and not UPDATE else None
            m = first_message(port, ch, "delta")
            check(f"/ws/{ch} sends a delta", m is not None)
            if m is not None:
                compare(f"ws_{ch}_delta", f"WS {ws_path(ch)} delta", 101, m, subset_of=ref)
        # A pushed alert: the rule fires on ACB's next trade.
        c = WsClient("127.0.0.1", port, "/ws/alerts", timeout=30)
        try:
            c.recv_json()
            st, _ = tracker.get(port, "/api/alerts/rules", "POST", json.dumps(RULE))
            m, end = None, time.time() + 30
            while m is None and time.time() < end:
                x = c.recv_json()
                if x["type"] == "alert" and x["data"]["type"] == "user_rule":
                    m = x
        finally:
            c.close()
        check("/ws/alerts pushes the rule's alert", m is not None)
        if m is not None:
            ref = load("ws_alerts_snapshot")
            ref = shape_of(ref["body"]["data"]["alerts"])["a"] if ref and not UPDATE else None
            compare("ws_alerts_alert", "WS /ws/alerts alert", 101, m, subset_of=ref)
    finally:
        stop(p)


def main():
    binary = sys.argv[1]
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        settled_day(binary, tmp)
        live_deltas(binary)
    if UPDATE:
        write_goldens()
    else:
        # Every golden is asked for: a golden whose endpoint left this list fails until it is removed.
        names = sorted(f[:-5] for f in os.listdir(GOLDEN_DIR) if f.endswith(".json"))
        check("no golden without its request", set(names) <= set(captured), sorted(set(names) - set(captured)))
    print(f"({time.time() - t0:.0f} s)")
    finish()


if __name__ == "__main__":
    main()
