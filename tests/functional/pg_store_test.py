#!/usr/bin/env python3
"""Functional tests of the PostgreSQL store through the real binary, against a real PostgreSQL 15 server
started here (pgcluster.py): the same simulated session stored in SQLite and in PostgreSQL gives the same
bytes from every /api/history endpoint; the day is rebuilt from PostgreSQL after a restart; the server
stopped for 20 s in the middle of a --speed 20 session loses nothing within the buffer; bad --db values
fail at start with one line and no password. Usage: pg_store_test.py VNTRACKER_BINARY."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from harness import check, finish
from pgcluster import PASSWORD, PgCluster
from tracker import get, metric, numbers, raw, wait_feed_done
import tracker

BIN = sys.argv[1]
SIM = ["--sim-date", "2026-03-18", "--sim-start", "09:14:50", "--sim-end", "09:40:00", "--sim-seed", "7"]


HISTORY = [
    "/api/history/ACB/candles?from=2026-03-18&to=2026-03-18&limit=1000",
    "/api/history/FPT/candles?from=2026-03-18T09:20:00&to=2026-03-18T09:30:00",
    "/api/history/ACB/candles?interval=5m&from=2026-03-18&to=2026-03-18",
    "/api/history/ACB/candles?interval=15m",
    "/api/history/VN30F1M/candles?interval=1h",
    "/api/history/ACB/candles?interval=1d&from=2026-03-01&to=2026-03-31",
    "/api/history/ACB/ticks?from=2026-03-18T09:20:00&to=2026-03-18T09:21:00&limit=50000",
    "/api/history/VN30F1M/ticks?limit=50",
    "/api/history/SSI/foreign?limit=100",
    "/api/history/SSI/foreign/daily",
    "/api/history/index/vn30?limit=200",
    "/api/history/index/VNINDEX?limit=20",
    "/api/history/derivatives/VN30F2603?limit=100",
    "/api/history/derivatives/VN30F1M?from=2026-03-18T09:30:00",
    "/api/history/alerts?from=2026-03-18&to=2026-03-18&limit=5000",
    "/api/history/alerts?from=2026-03-18T09:25:00&limit=50",
]


def main():
    pg = PgCluster()
    tmp = tempfile.mkdtemp()
    try:
        # ---- the same session in both stores: the same bytes from every history endpoint ----
        db = pg.fresh_db()
        url = pg.url(db)
        runs = {}
        for name, loc in (("sqlite", "sqlite:" + os.path.join(tmp, "vnt.db")), ("postgresql", url)):
            p, port = tracker.start(BIN, "--db", loc, "--speed", "0", *SIM)
            check(f"{name}: the simulated window completes", wait_feed_done(port))
            time.sleep(0.5)  # the last batch commits within 100 ms
            runs[name] = {path: raw(port, path) for path in HISTORY}
            runs[name]["numbers"] = numbers(port)
            p.send_signal(signal.SIGTERM)
            err = p.stderr.read()
            check(f"{name}: clean exit", p.wait(timeout=30) == 0, err[-500:])
            check(f"{name}: the password never appears in the log", PASSWORD not in err)
        for path in HISTORY:
            a, b = runs["sqlite"][path], runs["postgresql"][path]
            n = len(json.loads(a[1])) if a[0] == 200 else -1
            check(f"same bytes from both stores: {path} ({n} rows)", a == b and a[0] == 200 and n > 0,
                  f"sqlite {a[0]} {a[1][:160]!r} / postgresql {b[0]} {b[1][:160]!r}")
        bars = json.loads(runs["postgresql"][HISTORY[2]][1])
        check("5-minute bars: aggressor split sums to volume",
              all(c["active_buy_vol"] + c["active_sell_vol"] + c["neutral_vol"] == c["volume"] for c in bars), bars[:2])
        minute = json.loads(runs["postgresql"][HISTORY[0]][1])
        day = json.loads(runs["postgresql"][HISTORY[5]][1])
        check("daily bar = the day's 1-minute candles summed",
              len(day) == 1 and day[0]["volume"] == sum(c["volume"] for c in minute)
              and day[0]["open"] == minute[0]["open"] and day[0]["close"] == minute[-1]["close"]
              and day[0]["high"] == max(c["high"] for c in minute), (day, len(minute)))

        # ---- restart: the day rebuilt from PostgreSQL's journal, numbers identical ----
        p, port = tracker.start(BIN, "--db", url, "--feed", "replay:/dev/null")
        wait_feed_done(port)
        after = numbers(port)
        before = runs["postgresql"]["numbers"]
        check("restart from PostgreSQL: per-symbol aggregates identical", after[0] == before[0],
              [s for s in before[0] if before[0][s] != after[0].get(s)][:5])
        check("restart from PostgreSQL: foreign and futures identical", after[1:] == before[1:])
        _, h = get(port, "/health")
        check("health: store ok, password redacted", h["store"]["state"] == "ok" and PASSWORD not in json.dumps(h), h)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)

        # ---- PostgreSQL stopped for 20 s in the middle of a --speed 20 session ----
        url2 = pg.url(pg.fresh_db())
        p, port = tracker.start(BIN, "--db", url2, "--speed", "20", "--sim-date", "2026-03-18", "--sim-start", "09:14:50",
                        "--sim-end", "09:36:00", "--sim-seed", "3")
        time.sleep(8)
        pg.stop()
        t0 = time.time()
        degraded = live_ok = False
        reason = ""
        while time.time() - t0 < 20:
            st, h = get(port, "/health")
            if h["store"]["state"].startswith("degraded"):
                degraded, reason = True, h["store"]["state"]
            statuses = [raw(port, path)[0] for path in
                         ("/api/market/snapshot", "/api/market/foreign-detail", "/api/market/candles/FPT")]
            live_ok = statuses == [200, 200, 200]
            if not live_ok:
                break
            time.sleep(1)
        check("outage: /health says the store is degraded, and why", degraded and len(reason) > len("degraded: "),
              reason)
        check("outage: the reason carries no password", PASSWORD not in reason, reason)
        check("outage: live REST keeps answering", live_ok, statuses)
        pg.start()
        check("outage: the session completes", wait_feed_done(port))
        end = time.time() + 30
        while time.time() < end and (metric(port, "vnt_store_queue_depth") > 0 or not metric(port, "vnt_store_healthy")):
            time.sleep(0.5)
        _, h = get(port, "/health")
        check("outage: the store recovers", h["store"]["state"] == "ok", h["store"])
        trades = metric(port, "vnt_engine_trades_total")
        dropped = metric(port, "vnt_store_rows_dropped_total")
        p.send_signal(signal.SIGTERM)
        err = p.stderr.read()
        p.wait(timeout=30)
        stored = int(pg.psql("SELECT count(*) FROM ticks", db=url2.rsplit("/", 1)[1]))
        check("outage: nothing within the buffer lost (ticks stored = trades counted)",
              dropped == 0 and stored == trades, (stored, trades, dropped))
        check("outage: degraded and recovered logged once each",
              err.count("store: degraded") == 1 and err.count("store: recovered") == 1, err[-800:])

        # ---- bad --db values: one clear line, exit non-zero, no password ----
        pg.psql("CREATE ROLE limited LOGIN PASSWORD 'limited-secret'")
        limited_db = pg.fresh_db()
        cases = [
            ("malformed URL", f"postgresql://postgres:{PASSWORD}@127.0.0.1:{pg.port}/x?bogus=1", "malformed"),
            ("wrong password", pg.url(password="not-the-" + PASSWORD), "password authentication failed"),
            ("unreachable host", f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/x", "cannot connect"),
            ("no permission", pg.url(limited_db, password="limited-secret", user="limited"), "permission denied"),
        ]
        for name, bad, want in cases:
            r = subprocess.run([BIN, "serve", "--port", "0", "--db", bad, "--feed", "replay:/dev/null"],
                               capture_output=True, text=True, timeout=60)
            lines = [l for l in r.stderr.splitlines() if " ERROR " in l]
            check(f"bad --db ({name}): exit non-zero with one clear line",
                  r.returncode != 0 and len(lines) == 1 and want in lines[0], r.stderr[-400:])
            check(f"bad --db ({name}): no password in the output",
                  PASSWORD not in r.stderr + r.stdout and "limited-secret" not in r.stderr, r.stderr[-300:])
    finally:
        pg.close()
    finish()


if __name__ == "__main__":
    main()
