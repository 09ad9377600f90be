#!/usr/bin/env python3
"""Alert delivery by webhook and Telegram, end to end: the real `vntracker serve` on the built-in simulator
sends its real alerts to HTTP(S) receivers on loopback (Python's http.server; no mocks). Cases: delivered
(the alert's JSON, as REST serves it); a rule's own webhook; Telegram sendMessage in Vietnamese; a 500 then
success (retried, delivered once); Telegram's 429 retry_after; a receiver that never answers while alerts
keep coming (timeouts, drops counted, Telegram and the engine not slowed); a closed port; HTTPS with a test
CA; bad options refused at start. The bot token never appears in logs, /health or /metrics.

usage: alert_delivery_test.py VNTRACKER
"""
import http.server
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, free_port  # noqa: E402
import tracker  # noqa: E402

BIN = sys.argv[1]
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
CHAT = "-1001234567890"
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọ"
                        "ôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
ALERT_FIELDS = ("id", "type", "severity", "symbol", "metric", "unit", "direction", "value", "threshold", "time",
                "message", "rule_id")
SIM = ["--db", "none", "--sim-start", "09:15:00"]


class Receiver:
    """An HTTP(S) server on loopback recording each request (time, path, headers, body); `behave(index)` picks
    the reply: an int status, (status, body), or "never" (hold the connection without answering)."""

    def __init__(self, behave=lambda i: 200, tls=None):
        self.requests, self.lock, self.release = [], threading.Lock(), threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.lock:
                    index = len(outer.requests)
                    outer.requests.append({"at": time.time(), "path": self.path, "headers": dict(self.headers),
                                           "body": body})
                reply = behave(index)
                if reply == "never":
                    outer.release.wait(120)
                    return
                status, text = reply if isinstance(reply, tuple) else (reply, '{"ok":true}')
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls[1], tls[0])
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path="/hook", scheme="http", host="127.0.0.1"):
        return f"{scheme}://{host}:{self.port}{path}"

    def bodies(self):
        with self.lock:
            return [json.loads(r["body"]) for r in self.requests]

    def count(self):
        with self.lock:
            return len(self.requests)

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def wait(fn, timeout=60.0):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    return fn()


def deliveries(port, fired=None):
    """{(channel, result): value} and {channel: pending} from one /metrics scrape; with `fired` (a list),
    appends the alerts fired (vnt_alerts_total) as of the same scrape."""
    _, body = tracker.raw(port, "/metrics")
    total, pending = {}, {}
    if fired is not None:
        fired.append(sum(float(x.rsplit(" ", 1)[1]) for x in body.decode().splitlines()
                         if x.startswith("vnt_alerts_total{") or x.startswith("vnt_alerts_total ")))
    for line in body.decode().splitlines():
        m = re.match(r'vnt_alert_deliveries_total\{channel="(\w+)",result="(\w+)"\} (\S+)', line)
        if m:
            total[(m[1], m[2])] = float(m[3])
        m = re.match(r'vnt_alert_deliveries_pending\{channel="(\w+)"\} (\S+)', line)
        if m:
            pending[m[1]] = float(m[2])
    return total, pending


class Serve:
    """`vntracker serve` with stderr in a file, so the whole log can be searched for the token."""

    def __init__(self, *args, env=None):
        self.err = tempfile.TemporaryFile(mode="w+")
        e = dict(os.environ, **(env or {}))
        self.p = subprocess.Popen([BIN, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=self.err,
                                  text=True, env=e)
        line = self.p.stdout.readline()
        if "listening on port" not in line:
            self.p.kill()
            raise RuntimeError(line + self.log())
        self.port = int(line.strip().rsplit(" ", 1)[1])

    def log(self):
        self.err.seek(0)
        return self.err.read()

    def stop(self):
        """SIGINT; returns the seconds until the process exited."""
        t0 = time.time()
        self.p.send_signal(signal.SIGINT)
        try:
            self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        return time.time() - t0


def test_delivered():
    hook, rule_hook, tg = Receiver(), Receiver(), Receiver()
    s = Serve(*SIM, "--speed", "20", "--alert-webhook", hook.url(), "--alert-min-severity", "warning",
              "--telegram-api-url", tg.url(""), env={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_CHAT_ID": CHAT,
                                                     "LOG_LEVEL": "DEBUG"})
    try:
        total, pending = deliveries(s.port)
        check("every delivery series is declared at start", len(total) == 8 and len(pending) == 2
              and all(v == 0 for v in total.values()), (total, pending))
        rule = {"metric": "total_vol", "symbol": "FPT", "comparison": ">", "threshold": 0, "cooldown_sec": 3600,
                "severity": "info", "name": "delivery-test", "webhook_url": rule_hook.url("/rule")}
        st, created = tracker.get(s.port, "/api/alerts/rules", "POST", json.dumps(rule))
        check("a rule with its own webhook is accepted", st == 201, created)
        check("the rule's alert reaches the rule's webhook (severity info, below the minimum)",
              wait(lambda: rule_hook.count() >= 1, 30), rule_hook.count())
        check("alerts reach the webhook", wait(lambda: hook.count() >= 3, 90), hook.count())
        check("alerts reach Telegram", wait(lambda: tg.count() >= 3, 30), tg.count())
        time.sleep(1.0)
        bodies = hook.bodies()
        check("webhook: every body is an alert's JSON object with the structured fields",
              all(isinstance(b, dict) and all(f in b for f in ALERT_FIELDS) for b in bodies), bodies[:1])
        check("webhook: only alerts at or above warning",
              all(b["severity"] in ("warning", "critical") for b in bodies), [b["severity"] for b in bodies])
        check("webhook: Content-Type application/json, POST to the URL's path",
              all(r["headers"].get("Content-Type") == "application/json" and r["path"] == "/hook"
                  for r in hook.requests))
        ids = [b["id"] for b in bodies]
        check("webhook: each alert once", len(ids) == len(set(ids)), ids)
        _, rest = tracker.get(s.port, "/api/market/alerts?limit=500")
        # REST adds each alert's "deliveries" (the outcomes); the rest is the same object.
        by_id = {a["id"]: {k: v for k, v in a.items() if k != "deliveries"} for a in rest}
        check("webhook: the same JSON as /api/market/alerts", all(by_id.get(b["id"]) == b for b in bodies),
              [(b, by_id.get(b["id"])) for b in bodies if by_id.get(b["id"]) != b][:1])
        rb = rule_hook.bodies()[0]
        check("rule webhook: the rule's alert, its id and name", rb["type"] == "user_rule"
              and rb["rule_id"] == created["id"] and rb["symbol"] == "FPT" and rb["rule_name"] == "delivery-test", rb)
        check("rule webhook: the info alert did not go to the webhook", created["id"] not in
              [b["rule_id"] for b in hook.bodies()])
        t = tg.requests[0]
        msg = json.loads(t["body"])
        check("telegram: POST /bot<token>/sendMessage", t["path"] == f"/bot{TOKEN}/sendMessage", t["path"])
        check("telegram: chat_id, text, no link preview", msg.get("chat_id") == int(CHAT)
              and isinstance(msg.get("text"), str) and msg.get("disable_web_page_preview") is True, msg)
        texts = [json.loads(r["body"])["text"] for r in tg.requests]
        check("telegram: the sentence is Vietnamese", all(VIETNAMESE.search(x) for x in texts), texts[:3])
        check("telegram: no raw 10-digit integers or exponents in the text",
              not any(re.search(r"\d{10}|\de[+-]?\d", x) for x in texts), texts[:3])
        total, pending = deliveries(s.port)
        check("metrics: delivered = received", total[("webhook", "delivered")] == hook.count() + rule_hook.count()
              and total[("telegram", "delivered")] == tg.count(), (total, hook.count(), tg.count()))
        check("metrics: nothing failed or dropped", sum(v for (c, r), v in total.items() if r in ("failed", "dropped"))
              == 0, total)
        _, health = tracker.raw(s.port, "/health")
        _, metrics = tracker.raw(s.port, "/metrics")
        took = s.stop()
        log = s.log()
        check("the token is in no log line (LOG_LEVEL=DEBUG), /health or /metrics",
              TOKEN not in log and TOKEN.split(":")[1] not in log and TOKEN.encode() not in health + metrics)
        check("the start-up line says what is delivered where (no secrets)",
              re.search(r"alert delivery: webhook http://127\.0\.0\.1:\d+/… \(alerts >= warning\); telegram via "
                        r"http://127\.0\.0\.1:\d+ \(vi\)", log), [x for x in log.splitlines() if "alert delivery" in x])
        check("stops promptly (%.1f s)" % took, took < 5 and s.p.returncode == 0, s.p.returncode)
    finally:
        if s.p.poll() is None:
            s.stop()
        for r in (hook, rule_hook, tg):
            r.close()


def test_retried():
    # The webhook's first request gets a 500, Telegram's first a 429 with retry_after 1: both retried and
    # delivered once.
    hook = Receiver(lambda i: 500 if i == 0 else 200)
    tg = Receiver(lambda i: (429, '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1",'
                                  '"parameters":{"retry_after":1}}') if i == 0 else 200)
    s = Serve(*SIM, "--speed", "20", "--alert-webhook", hook.url(), "--alert-min-severity", "info",
              "--telegram-bot-token", TOKEN, "--telegram-chat-id", CHAT, "--telegram-api-url", tg.url("/tg/"),
              "--alert-language", "en")
    try:
        check("500: retried, then alerts arrive", wait(lambda: hook.count() >= 4, 90), hook.count())
        check("429: retried, then alerts arrive", wait(lambda: tg.count() >= 3, 30), tg.count())
        time.sleep(1.0)
        ids = [b["id"] for b in hook.bodies()]
        check("500: the first alert was sent again, every other once",
              ids.count(ids[0]) == 2 and len(set(ids)) == len(ids) - 1, ids)
        total, _ = deliveries(s.port)
        check("500: delivered once each, one retry counted", total[("webhook", "delivered")] == len(set(ids))
              and total[("webhook", "retried")] == 1 and total[("webhook", "failed")] == 0, total)
        reqs = tg.requests
        check("429: the retry waited retry_after (%.2f s)" % (reqs[1]["at"] - reqs[0]["at"]),
              reqs[1]["at"] - reqs[0]["at"] >= 0.95)
        check("429: same message again, then in order", reqs[0]["body"] == reqs[1]["body"], reqs[:2])
        check("telegram: under the API URL's path", reqs[0]["path"] == f"/tg/bot{TOKEN}/sendMessage", reqs[0]["path"])
        text = json.loads(reqs[0]["body"])["text"]
        check("telegram: --alert-language en gives the English sentence", not VIETNAMESE.search(text), text)
        check("429: counted as a retry", total[("telegram", "retried")] == 1, total)
        s.stop()
        log = s.log()
        check("the 429 is logged without the token", "HTTP 429: Too Many Requests" in log and TOKEN not in log,
              [x for x in log.splitlines() if "alert delivery" in x][:4])
    finally:
        if s.p.poll() is None:
            s.stop()
        hook.close()
        tg.close()


def test_dead_receiver():
    # The webhook accepts and never answers while alerts keep coming: attempts time out (1 s), deliveries are
    # given up after 3 s, the queue (10, 4 of them in flight) fills and new alerts are dropped, counted.
    # Telegram (its own queue of 10: enough for the bursts of a candle close), the engine and the server go on.
    dead, tg = Receiver(lambda i: "never"), Receiver()
    s = Serve(*SIM, "--speed", "100", "--alert-webhook", dead.url(), "--alert-min-severity", "info",
              "--alert-timeout-s", "1", "--alert-retry-s", "3", "--alert-queue", "10",
              env={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_CHAT_ID": CHAT, "TELEGRAM_API_URL": tg.url(""),
                   "ALERT_MIN_SEVERITY": "critical", "LOG_LEVEL": "DEBUG"})
    try:
        def exchange_seconds():
            t = tracker.get(s.port, "/api/market/session")[1]["exchange_time"]
            return t and int(t[-8:-6]) * 3600 + int(t[-5:-3]) * 60 + int(t[-2:])

        wait(exchange_seconds, 10)
        lags, slowest = [], 0.0
        start_wall, start_exchange = time.time(), exchange_seconds()
        end = time.time() + 20
        while time.time() < end:
            t0 = time.time()
            _, h = tracker.get(s.port, "/health")
            slowest = max(slowest, time.time() - t0)
            lags.append(tracker.metric(s.port, "vnt_feed_lag_seconds"))
            time.sleep(0.5)
        fired_at = []
        total, pending = deliveries(s.port, fired_at)
        fired = fired_at[0]
        pace = (exchange_seconds() - start_exchange) / (time.time() - start_wall)

        def accounted():
            # A delivery ending is counted a moment before it leaves `pending`: read until a scrape is quiet.
            f = []
            t, p = deliveries(s.port, f)
            return sum(t[("webhook", r)] for r in ("delivered", "failed", "dropped")) + p["webhook"] == f[0]
        check(f"dead receiver: {fired:.0f} alerts fired; webhook: {total[('webhook', 'dropped')]:.0f} dropped, "
              f"{total[('webhook', 'failed')]:.0f} failed after {total[('webhook', 'retried')]:.0f} retries, "
              f"{pending['webhook']:.0f} pending", fired >= 10, total)
        check("dead receiver: drops counted when the queue is full", total[("webhook", "dropped")] > 0, total)
        check("dead receiver: timeouts retried, then given up", total[("webhook", "retried")] > 0
              and total[("webhook", "failed")] > 0 and total[("webhook", "delivered")] == 0, total)
        check("dead receiver: every alert accounted for (delivered + failed + dropped + pending = fired)",
              wait(accounted, 10), deliveries(s.port))
        check("dead receiver: at most the queue waits or is in flight", pending["webhook"] <= 10, pending)
        check("--alert-min-severity given: ALERT_MIN_SEVERITY is not used, Telegram gets every alert",
              wait(lambda: deliveries(s.port)[0][("telegram", "delivered")] >= fired - 1, 5), deliveries(s.port)[0])
        check("telegram is not slowed: nothing dropped, nothing waiting",
              total[("telegram", "dropped")] == 0 and pending["telegram"] <= 1, (total, pending))
        check("the engine keeps pace: exchange time runs at %.0fx (--speed 100), feed lag <= 0.5 s (max %.3f s)"
              % (pace, max(lags)), pace >= 70 and max(lags) <= 0.5, lags)
        # Generous: ctest runs two ASan test processes at once on small machines.
        check("the server answers at once: slowest /health %.0f ms" % (slowest * 1000), slowest < 2.0)
        took = s.stop()
        check("stop is bounded with a receiver that never answers (%.1f s)" % took, took < 6, took)
        log = s.log()
        warnings = [x for x in log.splitlines() if "WARNING alert delivery: webhook" in x]
        check(f"the failures are logged, not one line per retry ({len(warnings)} lines)",
              0 < len(warnings) <= (total[("webhook", "retried")] + total[("webhook", "failed")]) / 3, warnings[:12])
        check("no token in the DEBUG log", TOKEN not in log)
    finally:
        if s.p.poll() is None:
            s.stop()
        dead.close()
        tg.close()


def test_closed_port():
    s = Serve(*SIM, "--speed", "60", "--alert-webhook", f"http://127.0.0.1:{free_port()}/hook",
              "--alert-min-severity", "info", "--alert-retry-s", "2")
    try:
        check("closed port: connections refused are retried then given up",
              wait(lambda: deliveries(s.port)[0][("webhook", "failed")] >= 1, 60), deliveries(s.port))
        total, _ = deliveries(s.port)
        check("closed port: retries counted", total[("webhook", "retried")] >= 1, total)
        s.stop()
        check("closed port: the reason is logged", "Connection refused" in s.log(), s.log()[-400:])
    finally:
        if s.p.poll() is None:
            s.stop()


def make_cert(tmp, name, san):
    key, crt = os.path.join(tmp, name + ".key"), os.path.join(tmp, name + ".pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", key,
                    "-out", crt, "-subj", "/CN=" + san.split(":")[1].split(",")[0], "-addext", "subjectAltName=" + san],
                   check=True, capture_output=True)
    return key, crt


def test_https():
    with tempfile.TemporaryDirectory() as tmp:
        good = make_cert(tmp, "good", "DNS:localhost,IP:127.0.0.1")
        other = make_cert(tmp, "other", "DNS:wrong.example")
        ok, wrong = Receiver(tls=good), Receiver(tls=other)
        # The trusted webhook over https with the test CA; the wrong-host one as a rule's webhook (same CA file
        # trusts only `good`, so `other` also fails the chain).
        s = Serve(*SIM, "--speed", "20", "--alert-webhook", ok.url(scheme="https", host="localhost"),
                  "--alert-min-severity", "info", "--alert-ca-file", good[1], "--alert-retry-s", "2")
        try:
            check("https: delivered with the test CA trusted (SNI, chain and host name verified)",
                  wait(lambda: ok.count() >= 2, 60), ok.count())
            check("https: valid JSON bodies", all("id" in b for b in ok.bodies()))
            rule = {"metric": "total_vol", "symbol": "FPT", "comparison": ">", "threshold": 0, "cooldown_sec": 3600,
                    "webhook_url": wrong.url(scheme="https", host="localhost")}
            tracker.get(s.port, "/api/alerts/rules", "POST", json.dumps(rule))
            check("https: an untrusted certificate is refused and counted",
                  wait(lambda: "certificate verify failed" in s.log(), 30), s.log()[-300:])
            check("https: nothing is sent over an unverified connection", wrong.count() == 0)
            s.stop()
        finally:
            if s.p.poll() is None:
                s.stop()
            ok.close()
            wrong.close()
        p = subprocess.run([BIN, "serve", "--port", "0", "--db", "none", "--alert-webhook", "https://localhost:1/",
                            "--alert-ca-file", os.path.join(tmp, "missing.pem")], capture_output=True, text=True,
                           timeout=30)
        check("a missing --alert-ca-file stops the start (rc %s)" % p.returncode,
              p.returncode == 2 and "cannot load CA file" in p.stderr, p.stderr[-200:])


def test_bad_options():
    cases = [
        (["--alert-webhook", "ftp://hooks.example.com/secret"], {}, "--alert-webhook", "secret"),
        (["--alert-webhook", "http://host:99999/x"], {}, "bad port", None),
        ([], {"ALERT_WEBHOOK_URL": "hooks.example.com/x"}, "ALERT_WEBHOOK_URL", None),
        (["--alert-min-severity", "loud"], {}, "--alert-min-severity", None),
        (["--alert-language", "fr"], {}, "--alert-language", None),
        ([], {"TELEGRAM_BOT_TOKEN": "12345:not-a-real-token"}, "--telegram-bot-token", "not-a-real-token"),
        ([], {"TELEGRAM_BOT_TOKEN": TOKEN}, "--telegram-chat-id", TOKEN.split(":")[1]),
        (["--telegram-chat-id", CHAT], {}, "needs --telegram-bot-token", None),
    ]
    for args, env, expect, secret in cases:
        p = subprocess.run([BIN, "serve", "--port", "0", "--db", "none", *args], capture_output=True, text=True,
                           env=dict(os.environ, **env), timeout=30)
        errors = [x for x in p.stderr.splitlines() if " ERROR " in x]
        check(f"refused at start: {args or env} -> rc {p.returncode}, one line naming {expect}",
              p.returncode == 2 and len(errors) == 1 and expect in errors[0]
              and (secret is None or secret not in p.stderr + p.stdout), p.stderr[-300:])


def main():
    test_bad_options()
    test_delivered()
    test_retried()
    test_dead_receiver()
    test_closed_port()
    test_https()
    finish()


if __name__ == "__main__":
    main()
