#!/usr/bin/env python3
"""Alert history with its delivery outcomes, end to end: the real `vntracker serve` (built-in simulator, a real
SQLite file) delivers rule alerts to HTTP receivers on loopback (Python's http.server), and
/api/history/alerts (the store) and /api/market/alerts (in process) give each alert its "deliveries":
delivered at once; a 500 then success (attempts 2); a receiver answering 503 until the retry window ends
(given up). The outcomes survive a restart (the day replayed from the journal: no duplicates, no
mix-up of the engine's restarted alert ids). Webhooks signed with ALERT_WEBHOOK_SECRET are verified by the
receiver (HMAC-SHA256 of the body); the secret is in no log line.

usage: alert_outcome_test.py VNTRACKER
"""
import hashlib
import hmac
import json
import os
import re
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish  # noqa: E402
import tracker  # noqa: E402
from alert_delivery_test import Receiver, Serve, wait  # noqa: E402

SECRET = "hmac-secret-for-the-test-0123456789"
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def per_alert(first_status):
    """A receiver behaviour: `first_status` to the first request of each alert id, 200 to the next."""
    seen, lock = set(), threading.Lock()
    holder = {}

    def behave(i):
        body = json.loads(holder["r"].requests[i]["body"])
        with lock:
            fresh = body["id"] not in seen
            seen.add(body["id"])
        return first_status if fresh else 200
    return behave, holder


def rule(symbol, url):
    return {"metric": "total_vol", "symbol": symbol, "comparison": ">", "threshold": 0, "cooldown_sec": 3600,
            "severity": "info", "frequency": "once", "name": "outcome-" + symbol, "webhook_url": url}


def one(alerts, rule_id):
    mine = [a for a in alerts if a["rule_id"] == rule_id]
    return mine[0] if len(mine) == 1 else None


def main():
    tmp = tempfile.mkdtemp()
    db = "sqlite:" + os.path.join(tmp, "vnt.db")
    ok = Receiver()
    behave, holder = per_alert(500)
    flaky = Receiver(behave)
    holder["r"] = flaky
    down = Receiver(lambda i: 503)
    verified = []

    def verify(i):
        r = signed.requests[i]
        want = "sha256=" + hmac.new(SECRET.encode(), r["body"], hashlib.sha256).hexdigest()
        verified.append(r["headers"].get("X-VNT-Signature") == want)
        return 200 if verified[-1] else 401
    signed = Receiver(verify)
    s = Serve("--db", db, "--sim-start", "09:15:00", "--speed", "20", "--alert-retry-s", "3",
              "--alert-webhook", signed.url(), "--alert-min-severity", "warning",
              env={"ALERT_WEBHOOK_SECRET": SECRET, "LOG_LEVEL": "DEBUG"})
    ids = {}
    try:
        for name, sym, rx in (("ok", "FPT", ok), ("flaky", "HPG", flaky), ("down", "ACB", down)):
            st, created = tracker.get(s.port, "/api/alerts/rules", "POST", json.dumps(rule(sym, rx.url("/" + name))))
            check(f"rule for {name} accepted", st == 201, created)
            ids[name] = created["id"]

        def history():
            _, alerts = tracker.get(s.port, "/api/history/alerts?limit=10000")
            return alerts

        def settled():
            alerts = history()
            got = {n: one(alerts, i) for n, i in ids.items()}
            return got if all(a and a["deliveries"] for a in got.values()) else None
        got = wait(settled, 60)
        check("every rule's alert is stored with its delivery outcome", got, history()[-3:])
        got = got or {n: one(history(), i) or {"deliveries": [{}]} for n, i in ids.items()}
        d_ok, d_flaky, d_down = (got[n]["deliveries"] for n in ("ok", "flaky", "down"))
        check("delivered: one delivery, rule_webhook, attempts 1, status 200, no error",
              len(d_ok) == 1 and d_ok[0].get("channel") == "rule_webhook" and d_ok[0].get("result") == "delivered"
              and d_ok[0].get("attempts") == 1 and d_ok[0].get("status") == 200 and d_ok[0].get("error") is None,
              d_ok)
        check("delivered: the outcome's time is UTC ISO 8601 with ms",
              all(ISO_UTC.match(d.get("time", "")) for d in d_ok + d_flaky + d_down), d_ok)
        check("500 then success: delivered, attempts 2, status 200",
              len(d_flaky) == 1 and d_flaky[0].get("result") == "delivered" and d_flaky[0].get("attempts") == 2
              and d_flaky[0].get("status") == 200, d_flaky)
        check("the flaky receiver saw exactly 2 requests for that alert",
              [json.loads(r["body"])["id"] for r in flaky.requests].count(got["flaky"]["id"]) == 2)
        check("503 until the window ends: given_up, status 503, error 'HTTP 503', attempts = requests received",
              len(d_down) == 1 and d_down[0].get("result") == "given_up" and d_down[0].get("status") == 503
              and d_down[0].get("error") == "HTTP 503" and d_down[0].get("attempts") == down.count()
              and down.count() >= 2, (d_down, down.count()))
        _, live = tracker.get(s.port, "/api/market/alerts?limit=500")
        by_id = {a["id"]: a for a in live}
        check("/api/market/alerts carries the same deliveries in process",
              all(by_id.get(a["id"], {}).get("deliveries") == a["deliveries"] for a in got.values()),
              [by_id.get(a["id"]) for a in got.values()][:1])
        check("webhook: every signed POST verified by the receiver (HMAC-SHA256 of the body)",
              wait(lambda: signed.count() >= 1, 60) and all(verified), (signed.count(), verified))
        want = "sha256=" + hmac.new(SECRET.encode(), ok.requests[0]["body"], hashlib.sha256).hexdigest()
        check("a rule's webhook is signed too", ok.requests[0]["headers"].get("X-VNT-Signature") == want)
        s.stop()
        log = s.log()
        check("the webhook secret is in no log line", SECRET not in log)
        check("the start-up line says webhooks are signed", "webhooks signed (X-VNT-Signature)" in log)

        # ---- restart on the same file: the day replayed; stored outcomes unchanged, none duplicated ----
        s = Serve("--db", db, "--feed", "replay:/dev/null")
        tracker.wait_feed_done(s.port)
        after = tracker.get(s.port, "/api/history/alerts?limit=10000")[1]
        again = {n: one(after, i) for n, i in ids.items()}
        check("after a restart: the rules' alerts stored once, with the same deliveries", again == got,
              (again, got))
        check("after a restart: every stored alert is listed once",
              len({(a["id"], a["time"], a["message"]) for a in after}) == len(after), len(after))
        _, live = tracker.get(s.port, "/api/market/alerts?limit=500")
        check("after a restart: replayed alerts have no in-process deliveries (another process sent them)",
              all(a["deliveries"] == [] for a in live), live[:1])
    finally:
        if s.p.poll() is None:
            s.stop()
        for r in (ok, flaky, down, signed):
            r.close()
    finish()


if __name__ == "__main__":
    main()
