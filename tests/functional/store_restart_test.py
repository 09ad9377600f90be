#!/usr/bin/env python3
"""Functional tests of the SQLite history store through the real binary: history endpoints, numbers that
survive a restart (exactly), user rules that survive a restart, and kill -9 during writes leaving a
consistent database. Usage: store_restart_test.py VNTRACKER_BINARY. Prints 'N passed, N failed'."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

import tracker
from tracker import get, numbers, wait_feed_done

BIN = sys.argv[1]
passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    passed += ok
    failed += not ok
    print(("ok   - " if ok else "FAIL - ") + name + ("" if ok else f" {detail}"))


def main():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "data", "vnt.db")
    sim = ["--sim-date", "2026-03-18", "--sim-start", "09:14:50", "--sim-end", "09:40:00", "--sim-seed", "7"]
    p, port = tracker.start(BIN, "--db", "sqlite:" + db, "--speed", "0", *sim)
    check("first run: the simulated window completes", wait_feed_done(port))
    rule = {"metric": "basis", "symbol": "VN30F1M", "comparison": "<", "threshold": -50, "cooldown_sec": 60, "name": "deep discount"}
    st, created = get(port, "/api/alerts/rules", "POST", json.dumps(rule))
    check("rule created", st == 201, created)
    before = numbers(port)
    st, candles = get(port, "/api/history/ACB/candles?from=2026-03-18&to=2026-03-18&limit=1000")
    check("history candles", st == 200 and len(candles) >= 20 and candles[0]["time"].startswith("2026-03-18T09:1"), str(candles)[:200])
    check("candles carry active buy/sell volume",
          all(c["active_buy_vol"] + c["active_sell_vol"] + c["neutral_vol"] == c["volume"] for c in candles))
    st, ticks = get(port, "/api/history/ACB/ticks?from=2026-03-18T09:20:00&to=2026-03-18T09:21:00&limit=50000")
    check("history ticks in a date-time range", st == 200 and ticks and all("09:20:00" <= t["time"][11:19] <= "09:21:00" for t in ticks), str(ticks)[:200])
    check("ticks carry side and method", ticks and {"side", "method"} <= set(ticks[0]))
    st, t2 = get(port, "/api/history/VN30F1M/ticks?limit=5")
    check("futures ticks by alias", st == 200 and len(t2) == 5, t2)
    st, fx = get(port, "/api/history/SSI/foreign?limit=5")
    check("history foreign", st == 200 and len(fx) == 5 and "net_vol" in fx[0], fx)
    st, fd = get(port, "/api/history/SSI/foreign/daily")
    check("history foreign daily", st == 200 and len(fd) == 1, fd)
    st, ix = get(port, "/api/history/index/vn30?limit=10")
    check("history index", st == 200 and len(ix) == 10 and ix[0]["index"] == "VN30", ix)
    for code in ("41I1G3000", "VN30F2603", "VN30F1M"):
        st, dv = get(port, f"/api/history/derivatives/{code}?limit=3")
        check(f"history derivatives by {code}", st == 200 and len(dv) == 3 and dv[0]["krx_code"] == "41I1G3000", dv)
    st, unk = get(port, "/api/history/NOSUCH/candles")
    check("history unknown symbol -> 404", st == 404, unk)
    # Alerts are stored with every structured field: the stored ones are the live ones, byte for byte.
    # The writer commits in batches on its own thread: on a loaded machine the last alerts of the window may
    # still be on their way when the feed is done. Wait (bounded) until the store holds as many as memory.
    deadline = time.time() + 20
    while True:
        st, live = get(port, "/api/market/alerts?limit=500")
        st2, stored = get(port, "/api/history/alerts?from=2026-03-18&to=2026-03-18&limit=10000")
        if (st == 200 and st2 == 200 and len(stored) >= len(live)) or time.time() > deadline:
            break
        time.sleep(0.2)
    check("history alerts: structured and equal to today's live alerts",
          st == 200 and st2 == 200 and len(live) > 0 and sorted(live, key=lambda a: a["id"]) == stored[-len(live):]
          and all("unit" in a and "metric" in a and "details" in a for a in stored), (len(live), len(stored)))
    st, vs = get(port, "/api/history/alerts?type=volume_spike&limit=10000")
    check("history alerts by type", st == 200 and all(a["type"] == "volume_spike" for a in vs), vs[:2])
    st, bad = get(port, "/api/history/alerts?type=nope")
    check("history alerts bad type -> 400", st == 400, bad)
    p.send_signal(signal.SIGTERM)
    check("first run: clean exit", p.wait(timeout=30) == 0)

    # Restart with a feed that adds nothing: the day is rebuilt from the store, numbers identical.
    p, port = tracker.start(BIN, "--db", "sqlite:" + db, "--feed", "replay:/dev/null")
    wait_feed_done(port)
    after = numbers(port)
    check("restart: per-symbol aggregates identical", after[0] == before[0],
          [s for s in before[0] if before[0][s] != after[0].get(s)][:5])
    check("restart: foreign totals identical", after[1] == before[1], (before[1], after[1]))
    check("restart: futures identical", after[2] == before[2], (before[2], after[2]))
    st, rules = get(port, "/api/alerts/rules")
    check("restart: user rule kept", st == 200 and any(r["name"] == "deep discount" for r in rules), rules)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)

    # kill -9 in the middle of writing: the database stays consistent and reopens.
    db2 = os.path.join(tmp, "kill.db")
    p, port = tracker.start(BIN, "--db", "sqlite:" + db2, "--speed", "0", "--sim-date", "2026-03-18", "--sim-start", "09:14:50")
    time.sleep(4)
    p.kill()
    p.wait()
    con = sqlite3.connect(db2)
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    n = con.execute("SELECT count(*) FROM ticks").fetchone()[0]
    con.close()
    check("kill -9: integrity_check ok", ok == "ok", ok)
    check("kill -9: committed rows kept", n > 0, n)
    p, port = tracker.start(BIN, "--db", "sqlite:" + db2, "--feed", "replay:/dev/null")
    wait_feed_done(port)
    st, h = get(port, "/health")
    check("kill -9: restarts and restores", st == 200 and h["store"]["state"] == "ok" and h["feed"]["trading_date"] == "2026-03-18", h)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
