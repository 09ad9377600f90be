#!/usr/bin/env python3
"""Functional tests of `vntracker serve`: starts the real binary (simulator feed) on a free loopback port
and exercises REST, WebSocket channels, metrics, the API token, CORS and graceful shutdown.
Usage: server_test.py VNTRACKER_BINARY. Prints 'N passed, N failed'."""
import http.client
import json
import re
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsclient import WsClient, WsClosed  # noqa: E402

BIN = sys.argv[1]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   - {name}")
    else:
        failed += 1
        print(f"FAIL - {name} {detail}")


class Server:
    def __init__(self, *args, env=None):
        e = dict(os.environ)
        e.update(env or {})
        self.proc = subprocess.Popen([BIN, "serve", "--port", "0", "--sim-date", "2026-03-18", "--sim-start", "09:14:55",
                                      *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e)
        line = self.proc.stdout.readline()
        if "listening on port" not in line:
            raise RuntimeError("server did not start: " + line + self.proc.stderr.read())
        self.port = int(line.strip().rsplit(" ", 1)[1])

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = dict(headers or {})
        if body is not None and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"  # writes must say JSON (cross-site protection)
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def get_json(self, path, **kw):
        status, headers, data = self.request("GET", path, **kw)
        return status, headers, (json.loads(data) if data else None)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -9


def wait_for(fn, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    return None


def error_field(data):
    return (data or {}).get("error", {}).get("field")


def rest_tests(s):
    st, h, d = s.get_json("/health")
    check("health 200 with feed and store", st == 200 and d["feed"]["state"] in ("streaming", "session-ended") and "store" in d, d)
    check("health is JSON", h.get("content-type", "").startswith("application/json"))
    st, _, d = s.get_json("/api/vn30-components")
    check("vn30-components: 30 symbols", st == 200 and len(d["symbols"]) == 30, d)
    wait_for(lambda: s.get_json("/api/market/symbol/ACB")[0] == 200)
    st, _, d = s.get_json("/api/market/snapshot")
    ok = st == 200 and "ACB" in d["symbols"] and "VN30" in d["indices"] and len(d["futures"]) == 4
    check("snapshot: stocks, indices, four futures", ok, str(d)[:300])
    acb = d["symbols"]["ACB"]
    check("snapshot: conservation buy+sell+neutral=total",
          all(v["active_buy_vol"] + v["active_sell_vol"] + v["neutral_vol"] == v["total_vol"]
              for v in [acb] + list(acb["sessions"].values())))
    check("snapshot: order book levels", len(acb["bid"]) >= 1 and len(acb["ask"]) >= 1, acb["bid"])
    st, _, d = s.get_json("/api/market/snapshot?symbols=ACB,fpt")
    check("snapshot ?symbols filter", st == 200 and set(d["symbols"]) <= {"ACB", "FPT"} and "ACB" in d["symbols"], list(d["symbols"]))
    st, _, d = s.get_json("/api/market/snapshot?symbols=THIS-IS-TOO-LONG-A-SYMBOL")
    check("snapshot bad symbols -> 400 naming the field", st == 400 and error_field(d) == "symbols", d)
    st, _, d = s.get_json("/api/market/symbol/ACB")
    check("symbol ACB", st == 200 and d["symbol"] == "ACB")
    st, _, d = s.get_json("/api/market/symbol/ZZZ")
    check("unknown symbol -> 404", st == 404 and d["error"]["code"] == "unknown_symbol", d)
    st, _, d = s.get_json("/api/market/foreign-detail")
    check("foreign-detail", st == 200 and "summary" in d and "stocks" in d)
    st, _, d = s.get_json("/api/market/volume-stats")
    check("volume-stats", st == 200 and len(d["stats"]) > 0 and "sessions" in d["stats"][0])
    # Intraday series from the engine (web app: charts, sparklines) and the store-backed foreign series.
    wait_for(lambda: len(s.get_json("/api/market/candles/ACB")[2].get("candles", [])) >= 2, 30)
    st, _, d = s.get_json("/api/market/candles/ACB")
    c = d["candles"]
    check("candles: closed minutes then the open one", st == 200 and all(x["closed"] for x in c[:-1])
          and not c[-1]["closed"] and c[0]["time"] < c[-1]["time"], str(c)[:300])
    check("candles: buy+sell+neutral=volume", all(x["active_buy_vol"] + x["active_sell_vol"] + x["neutral_vol"]
                                                  == x["volume"] for x in c))
    st, _, d = s.get_json("/api/market/candles/VN30F1M")
    check("candles of a futures contract by alias", st == 200 and len(d["candles"]) > 0, str(d)[:200])
    st, _, d = s.get_json("/api/market/candles/VN30")
    vc = [x for x in d.get("candles", []) if x["volume"] > 0 and x["open"] is not None]
    check("candles VN30: index prices per minute (no store needed) with the basket's flow", st == 200 and len(vc) > 0
          and all(x["low"] <= min(x["open"], x["close"]) and x["high"] >= max(x["open"], x["close"]) for x in vc),
          str(d)[:300])
    st, _, d = s.get_json("/api/market/candles/ZZZ")
    check("candles unknown symbol -> 404", st == 404 and d["error"]["code"] == "unknown_symbol", d)
    st, _, d = s.get_json("/api/market/sparklines")
    check("sparklines: minute closes per stock", st == 200 and len(d["symbols"]) >= 30
          and len(d["symbols"]["ACB"]) >= 2 and len(d["symbols"]["ACB"][0]) == 2, str(d)[:200])
    st, _, d = s.get_json("/api/market/foreign-series")
    pts = d.get("points", []) if st == 200 else []
    check("foreign-series (kept by the engine, no store needed): minutes in order, net = buy - sell",
          st == 200 and len(pts) > 0 and all(a["time"] < b["time"] for a, b in zip(pts, pts[1:]))
          and all(p["net_vol"] == p["buy_vol"] - p["sell_vol"] for p in pts), str(d)[:300])
    st, _, d = s.get_json("/api/market/basis-trend?minutes=5")
    check("basis-trend", st == 200 and d["contract"] == "VN30F2603", d)
    for q, field in [("minutes=0", "minutes"), ("minutes=abc", "minutes"), ("minutes=100000", "minutes")]:
        st, _, d = s.get_json("/api/market/basis-trend?" + q)
        check(f"basis-trend {q} -> 400", st == 400 and error_field(d) == field, d)
    st, _, d = s.get_json("/api/market/basis-trend?contract=VN30F2M")
    check("basis-trend by alias", st == 200 and d["contract"] == "VN30F2604", d)
    st, _, d = s.get_json("/api/market/alerts?limit=10")
    check("alerts", st == 200 and isinstance(d, list))
    for q, field in [("limit=0", "limit"), ("limit=x", "limit"), ("severity=loud", "severity"),
                     ("min_severity=x", "min_severity"), ("type=nope", "type"), ("rule_id=-1", "rule_id"),
                     ("before_id=x", "before_id"), ("from=2026-02-30", "from"), ("to=12:00", "to")]:
        st, _, d = s.get_json("/api/market/alerts?" + q)
        check(f"alerts {q} -> 400", st == 400 and error_field(d) == field, d)
    # Time & sales from memory: newest first, paged by seq, filtered by size; futures by alias.
    st, _, d = s.get_json("/api/market/trades/ACB?limit=5")
    seqs = [t["seq"] for t in d.get("trades", [])] if st == 200 else []
    check("trades: newest first with seq", st == 200 and d["symbol"] == "ACB" and len(seqs) == 5
          and seqs == sorted(seqs, reverse=True) and {"time", "price", "volume", "side", "method"} <= set(d["trades"][0]), d)
    if seqs:
        st, _, d2 = s.get_json(f"/api/market/trades/ACB?limit=3&before_seq={seqs[1]}")
        check("trades paged with before_seq", st == 200 and all(t["seq"] < seqs[1] for t in d2["trades"]), d2)
    st, _, d = s.get_json("/api/market/trades/ACB?limit=50&min_volume=1000")
    check("trades min_volume", st == 200 and all(t["volume"] >= 1000 for t in d["trades"]), d)
    st, _, d = s.get_json("/api/market/trades/VN30F1M?limit=3")
    check("trades of a futures alias", st == 200 and d["symbol"] == "41I1G3000" and len(d["trades"]) > 0, d)
    for q, code in [("/api/market/trades/XYZ", 404), ("/api/market/trades/ACB?limit=0", 400),
                    ("/api/market/trades/ACB?before_seq=x", 400), ("/api/market/trades/ACB?format=xml", 400)]:
        st, _, d = s.get_json(q)
        check(f"{q} -> {code}", st == code and "error" in d, d)
    # CSV export: the same answer as a download, Excel-friendly.
    st, h, body = s.request("GET", "/api/market/trades/ACB?limit=4&format=csv")
    text = body.decode("utf-8")
    lines = text.split("\r\n")
    check("trades CSV: type, file name, BOM, header and rows",
          st == 200 and h.get("content-type") == "text/csv; charset=utf-8"
          and re.fullmatch(r'attachment; filename="vnt-trades-ACB-2026-03-18\.csv"', h.get("content-disposition", ""))
          and text.startswith("\ufeff") and lines[0].lstrip("\ufeff").startswith("seq,symbol,time,price,volume")
          and len([l for l in lines[1:] if l]) == 4, (st, h, text[:300]))
    st, h, body = s.request("GET", "/api/market/snapshot?format=csv")
    rows = [l for l in body.decode("utf-8").split("\r\n")[1:] if l]
    check("board CSV: one row per stock", st == 200 and len(rows) >= 30 and "last_price" in body.decode("utf-8").split("\r\n")[0], body[:200])
    st, h, body = s.request("GET", "/api/market/alerts?format=csv&limit=5")
    check("alerts CSV", st == 200 and h.get("content-type", "").startswith("text/csv"), (st, body[:200]))
    st, _, d = s.get_json("/api/market/orderbook/ACB")
    check("orderbook: bid and ask levels as [price, volume], the symbol's time",
          st == 200 and d["bid"] and d["ask"] and all(len(l) == 2 for l in d["bid"] + d["ask"])
          and d["time"].endswith("+07:00"), d)
    st, _, d = s.get_json("/api/market/orderbook/VN30F1M")
    check("orderbook of a futures alias", st == 200 and d["symbol"] == "41I1G3000", d)
    st, _, d = s.get_json("/api/market/futures")
    check("futures: codes, aliases, expiry",
          st == 200 and [f["alias"] for f in d] == ["VN30F1M", "VN30F2M", "VN30F1Q", "VN30F2Q"] and d[0]["krx_code"] == "41I1G3000"
          and d[0]["last_trading_day"] == "2026-03-19", d)
    wait_for(lambda: s.get_json("/api/market/volume-profile/ACB")[2].get("levels"))
    st, _, d = s.get_json("/api/market/volume-profile/ACB")
    check("volume-profile", st == 200 and len(d["levels"]) > 0, d)
    st, _, d = s.get_json("/api/market/session")
    check("session", st == 200 and d["trading_date"] == "2026-03-18")
    # Market overview (issue 16, item 5): heatmap tiles, VN30 contributions, whole-HOSE breadth, put-through.
    wait_for(lambda: s.get_json("/api/market/overview")[2].get("contributions", {}).get("ready"), 30)
    st, h, d = s.get_json("/api/market/overview")
    tiles = d.get("tiles", [])
    check("overview: 200 JSON, a tile per VN30 stock with value and % change",
          st == 200 and h.get("content-type", "").startswith("application/json") and len(tiles) == 30
          and all(t["value"] > 0 and t["change_pct"] is not None for t in tiles), str(tiles[:1])[:300])
    c = d["contributions"]
    pts = sum(t["contribution"] for t in tiles)
    check("overview: the tiles' contributions are the sum, sum + residual = the VN30 change",
          c["ready"] and c["unknown"] == 0 and abs(pts - c["sum_points"]) < 2e-3
          and abs(c["sum_points"] + c["residual"] - c["index_change"]) < 1e-3
          and abs(c["residual"]) <= 0.01 * d["vn30"]["prior_value"], c)
    # At the instant of a VN30 frame the prices are the index's own: the residual is the index's rounding.
    at = []
    def at_frame():
        c = s.get_json("/api/market/overview")[2]["contributions"]
        if c["ready"] and c["prices_time"] == c["index_time"]:
            at.append(c)
            return True
        return False
    wait_for(at_frame, 30)
    check("overview: at an index frame the contributions sum to the VN30 change within 0.005 points",
          bool(at) and abs(at[0]["residual"]) <= 0.0051, at[:1])
    b = d["breadth"]["vnindex"]
    check("overview: VNINDEX breadth is the whole HOSE",
          b is not None and b["advances"] + b["declines"] + b["no_changes"] > 30, b)
    pt = d["put_through"]
    check("overview: put-through from the index frames",
          pt["index"]["vnindex"] is not None and pt["index"]["vnindex"]["value"] >= pt["index"]["vn30"]["value"] >= 0
          and isinstance(pt["symbols"], list) and isinstance(pt["deals"], list), pt["index"])
    # Rules CRUD
    rule = {"metric": "last_price", "symbol": "ACB", "comparison": ">", "threshold": 1, "cooldown_sec": 0}
    st, h, d = s.request("POST", "/api/alerts/rules", body=json.dumps(rule), headers={"Content-Type": "application/json"})
    d = json.loads(d)
    check("rule create -> 201", st == 201 and d["id"] > 0, d)
    rid = d.get("id")
    st, _, lst = s.get_json("/api/alerts/rules")
    check("rule listed", st == 200 and any(r["id"] == rid for r in lst))
    rule["enabled"] = False
    st, _, d = s.request("PUT", f"/api/alerts/rules/{rid}", body=json.dumps(rule))
    check("rule update (disable)", st == 200 and json.loads(d)["enabled"] is False, d)
    # The richer rule: a crossing, once per bar, a window, its own webhook; all returned as sent.
    rich = {"metric": "active_buy_ratio_window", "symbol": "vn30f1m", "comparison": "crosses_above", "threshold": 70,
            "frequency": "once_per_bar", "window_min": 15, "webhook_url": "http://127.0.0.1:9/hook"}
    st, _, d = s.request("PUT", f"/api/alerts/rules/{rid}", body=json.dumps(rich))
    d = json.loads(d)
    check("rule update with frequency, window, webhook, alias",
          st == 200 and d["symbol"] == "VN30F1M" and d["frequency"] == "once_per_bar" and d["window_min"] == 15
          and d["webhook_url"] == rich["webhook_url"] and d["comparison"] == "crosses_above", d)
    for body, field in [({"metric": "nonsense", "comparison": ">", "threshold": 1}, "metric"),
                        ({"metric": "last_price", "comparison": "~", "threshold": 1}, "comparison"),
                        ({"metric": "last_price", "comparison": ">"}, "threshold"),
                        ({"metric": "last_price", "comparison": ">", "threshold": 1, "cooldown_sec": -5}, "cooldown_sec"),
                        ({"metric": "last_price", "symbol": "XYZ", "comparison": ">", "threshold": 1}, "symbol"),
                        ({"metric": "last_price", "symbol": "VN30F9M", "comparison": ">", "threshold": 1}, "symbol"),
                        ({"metric": "last_price", "comparison": ">", "threshold": 1, "frequency": "often"}, "frequency"),
                        ({"metric": "last_price", "comparison": ">", "threshold": 1, "window_min": 0}, "window_min"),
                        ({"metric": "last_price", "comparison": ">", "threshold": 1, "webhook_url": "file:///etc/passwd"}, "webhook_url"),
                        ({"metric": "last_price", "comparison": ">", "threshold": 1, "webhook_url": "http://u:p@127.0.0.1/x"}, "webhook_url"),
                        ({"metric": "last_price", "comparison": ">", "threshold": 1, "webhook_url": "http://127.0.0.1:99999/x"}, "webhook_url")]:
        st, _, d = s.request("POST", "/api/alerts/rules", body=json.dumps(body))
        check(f"rule bad {field} -> 400", st == 400 and error_field(json.loads(d)) == field, d)
    st, _, d = s.request("POST", "/api/alerts/rules", body="{not json")
    check("rule malformed JSON -> 400", st == 400 and error_field(json.loads(d)) == "body", d)
    st, _, _ = s.request("DELETE", f"/api/alerts/rules/{rid}")
    check("rule delete -> 204", st == 204)
    st, _, _ = s.request("DELETE", f"/api/alerts/rules/{rid}")
    check("rule delete again -> 404", st == 404)
    st, _, _ = s.request("PUT", "/api/alerts/rules/abc", body=json.dumps(rule))
    check("rule bad id -> 400", st == 400)
    # History validation (the store answers the good ones)
    st, _, d = s.get_json("/api/history/ACB/candles?from=2026-13-01")
    check("history bad from -> 400", st == 400 and error_field(d) == "from", d)
    st, _, d = s.get_json("/api/history/ACB/ticks?limit=100000")
    check("history limit too large -> 400", st == 400 and error_field(d) == "limit", d)
    st, _, d = s.get_json("/api/history/ACB/candles?from=2026-03-19&to=2026-03-18")
    check("history from after to -> 400", st == 400, d)
    st, _, d = s.get_json("/api/history/derivatives/NOT-A-CODE")
    check("derivatives unknown contract -> 404", st == 404, d)
    # Errors
    st, h, d = s.get_json("/api/nope")
    check("unknown path -> 404 JSON", st == 404 and d["error"]["code"] == "not_found" and h["content-type"].startswith("application/json"))
    st, _, d = s.request("POST", "/health")
    check("wrong method -> 405", st == 405)
    st, _, _ = s.request("POST", "/api/alerts/rules", body="x" * 200000)
    check("oversized request -> 413", st == 413)
    st, _, _ = s.request("GET", "/api/market/symbol/%zz")
    check("bad percent-encoding -> 400", st == 400)


def metrics_tests(s):
    st, h, body = s.request("GET", "/metrics")
    text = body.decode()
    check("metrics 200 text/plain", st == 200 and h["content-type"].startswith("text/plain"))
    for name in ["vnt_frames_received_total", "vnt_frames_decoded_total", "vnt_frames_rejected_total",
                 "vnt_engine_latency_seconds_bucket", "vnt_feed_lag_seconds", "vnt_ws_clients",
                 "vnt_ws_frames_sent_total", "vnt_ws_coalesced_total", "vnt_http_requests_total"]:
        check(f"metrics has {name}", name in text)
    promtool = shutil.which("promtool")
    if promtool:
        p = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
        check("promtool check metrics", p.returncode == 0, p.stdout + p.stderr)
    else:
        check("promtool installed (package prometheus)", False)


def ws_tests(s):
    for ch in ["market", "foreign", "index", "alerts"]:
        c = WsClient("127.0.0.1", s.port, f"/ws/{ch}")
        first = c.recv_json()
        check(f"/ws/{ch}: snapshot on connect", first["type"] == "snapshot" and first["channel"] == ch, str(first)[:200])
        if ch in ("market", "index", "foreign"):
            seqs = [first["seq"]]
            deadline = time.time() + 10
            while len(seqs) < 4 and time.time() < deadline:
                m = c.recv_json()
                if m["type"] == "delta":
                    seqs.append(m["seq"])
            check(f"/ws/{ch}: deltas with consecutive seq", len(seqs) == 4 and all(b == a + 1 for a, b in zip(seqs, seqs[1:])), seqs)
        c.close()
    # Symbol filter
    c = WsClient("127.0.0.1", s.port, "/ws/market?symbols=ACB")
    snap = c.recv_json()
    seen = set(snap["data"]["symbols"])
    for _ in range(4):
        m = c.recv_json()
        seen |= set(m["data"]["symbols"])
    check("/ws/market?symbols=ACB: only ACB", seen <= {"ACB"} and "ACB" in seen, seen)
    # Ask for a snapshot explicitly
    c.send_text(json.dumps({"action": "snapshot"}))
    got = False
    for _ in range(10):
        if c.recv_json()["type"] == "snapshot":
            got = True
            break
    check("client-requested snapshot", got)
    c.close()
    bad = WsClient("127.0.0.1", s.port, "/ws/nothing")
    check("unknown ws channel refused", bad.status == 404, bad.status)
    # Time & sales live: a snapshot of the latest trades, then each tick's new trades, in seq order.
    t = WsClient("127.0.0.1", s.port, "/ws/trades?symbols=ACB,VN30F1M")
    snap = t.recv_json()
    check("ws trades snapshot", snap["type"] == "snapshot" and snap["channel"] == "trades"
          and len(snap["data"]["trades"]) > 0 and {x["symbol"] for x in snap["data"]["trades"]} <= {"ACB", "41I1G3000"}, str(snap)[:300])
    got, last_seq, ok_order = [], 0, True
    deadline = time.time() + 15
    while time.time() < deadline and len(got) < 20:
        m = t.recv_json()
        if m["type"] == "delta":
            for x in m["data"]["trades"]:
                ok_order &= x["seq"] > last_seq
                last_seq = x["seq"]
                got.append(x)
    check("ws trades deltas: only the filtered symbols, seq increasing",
          len(got) >= 20 and ok_order and {x["symbol"] for x in got} <= {"ACB", "41I1G3000"}, [x.get("symbol") for x in got][:20])
    t.close()
    # Alerts pushed at once: a user rule that fires on the next ACB update.
    a = WsClient("127.0.0.1", s.port, "/ws/alerts")
    a.recv_json()
    rule = {"metric": "total_vol", "symbol": "ACB", "comparison": ">", "threshold": 0, "cooldown_sec": 3600,
            "name": "functional-test"}
    s.request("POST", "/api/alerts/rules", body=json.dumps(rule))
    got = None
    deadline = time.time() + 15
    while time.time() < deadline:
        m = a.recv_json()
        if m["type"] == "alert" and m["data"]["type"] == "user_rule" and m["data"]["symbol"] == "ACB":
            got = m
            break
    check("user rule -> alert pushed on /ws/alerts", got is not None)
    a.close()
    if got is not None:
        al = got["data"]
        check("alert is structured", al["metric"] == "total_vol" and al["unit"] == "shares" and al["comparison"] == ">"
              and al["rule_name"] == "functional-test" and al["direction"] == "up" and al["contract"] is None
              and "details" in al, al)
        check("alert message is readable", re.search(r"[0-9][eE][+-]?[0-9]|[0-9]{10}", al["message"]) is None
              and al["message"].startswith("functional-test: ACB total volume "), al["message"])
        st, _, lst = s.get_json(f"/api/market/alerts?rule_id={al['rule_id']}&type=user_rule&symbol=acb")
        check("alerts filtered by rule, type and symbol",
              st == 200 and len(lst) >= 1 and all(x["rule_id"] == al["rule_id"] for x in lst), lst)
        st, _, lst = s.get_json(f"/api/market/alerts?before_id={al['id']}&limit=500")
        check("alerts paged with before_id", st == 200 and all(x["id"] < al["id"] for x in lst), len(lst))
        st, _, lst = s.get_json("/api/market/alerts?min_severity=critical&limit=500")
        check("alerts at or above a severity", st == 200 and all(x["severity"] == "critical" for x in lst), len(lst))
    # A slow client (never reads) does not hold back a fast one.
    slow = WsClient("127.0.0.1", s.port, "/ws/market")
    fast = WsClient("127.0.0.1", s.port, "/ws/market")
    seqs = [fast.recv_json()["seq"]]
    t0 = time.time()
    while len(seqs) < 10 and time.time() - t0 < 15:
        seqs.append(fast.recv_json()["seq"])
    check("a slow client does not slow the others", len(seqs) == 10 and all(b == a + 1 for a, b in zip(seqs[1:], seqs[2:])), seqs)
    slow.sock.close()
    fast.close()


def token_and_cors_tests():
    s = Server("--db", "none", "--speed", "10", "--api-token", "s3cret", env={"CORS_ORIGINS": "http://localhost:5173"})
    try:
        st, _, _ = s.request("GET", "/api/market/snapshot")
        check("token: /api without token -> 401", st == 401)
        st, _, _ = s.request("GET", "/api/market/snapshot", headers={"Authorization": "Bearer s3cret"})
        check("token: Bearer accepted", st == 200)
        st, _, _ = s.request("GET", "/api/market/session?token=s3cret")
        check("token: ?token= accepted", st == 200)
        st, _, _ = s.request("GET", "/health")
        check("token: /health stays open", st == 200)
        st, _, _ = s.request("GET", "/metrics")
        check("token: /metrics stays open", st == 200)
        ws = WsClient("127.0.0.1", s.port, "/ws/market")
        check("token: ws without token refused", ws.status == 401)
        st, h, _ = s.request("GET", "/health", headers={"Origin": "http://localhost:5173"})
        check("CORS: allowed origin echoed", h.get("access-control-allow-origin") == "http://localhost:5173", h)
        st, h, _ = s.request("GET", "/health", headers={"Origin": "http://evil.example"})
        check("CORS: other origin not allowed", "access-control-allow-origin" not in h)
        st, h, _ = s.request("OPTIONS", "/api/market/snapshot", headers={"Origin": "http://localhost:5173",
                                                                          "Access-Control-Request-Method": "GET"})
        check("CORS: preflight 204", st == 204 and "access-control-allow-methods" in h, (st, h))
    finally:
        s.stop()


def shutdown_test():
    s = Server("--db", "none", "--speed", "5")
    c = WsClient("127.0.0.1", s.port, "/ws/index")
    c.recv_json()
    s.proc.send_signal(signal.SIGTERM)
    code = None
    try:
        while True:
            c.recv()
    except WsClosed as e:
        code = e.code
    except Exception:
        pass
    rc = s.proc.wait(timeout=15)
    check("SIGTERM: WebSocket closed with 1001 going away", code == 1001, code)
    check("SIGTERM: exit 0", rc == 0, rc)


def holidays_test():
    """--holidays FILE: the exchange's schedule for a year past the built-in data dates the futures expiring then."""
    tmp = tempfile.mkdtemp()
    try:
        good = os.path.join(tmp, "h2028.txt")
        open(good, "w").write("covers 2028-01-01 2028-12-31\n2028-01-26  Tet\n")
        covered = {}
        for label, pre in (("built-in", []), ("with the file", ["--holidays", good])):
            p = subprocess.Popen([BIN, *pre, "serve", "--port", "0", "--db", "none", "--sim-date", "2027-12-15",
                                  "--sim-start", "09:20:00"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                port = int(p.stdout.readline().strip().rsplit(" ", 1)[1])
                rows, end = [], time.time() + 20
                while len(rows) < 4 and time.time() < end:  # the contracts appear with the feed's first frames
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    c.request("GET", "/api/market/futures")
                    data = json.loads(c.getresponse().read())
                    rows = data if isinstance(data, list) else data.get("futures", [])
                    time.sleep(0.2)
                covered[label] = {f["symbol"]: f["expiry_calendar_covered"] for f in rows}
            finally:
                p.terminate()
                p.wait(timeout=15)
        check("built-in calendar: 2028 expiries flagged as not covered",
              covered["built-in"].get("VN30F2803") is False, str(covered["built-in"]))
        check("--holidays covering 2028: every listed expiry covered",
              len(covered["with the file"]) == 4 and all(covered["with the file"].values()), str(covered["with the file"]))
        gap = os.path.join(tmp, "h2029.txt")
        open(gap, "w").write("covers 2029-01-01 2029-12-31\n")
        st = subprocess.run([BIN, "--holidays", gap, "serve", "--port", "0"], capture_output=True, text=True, timeout=30)
        check("--holidays leaving a gap: exit 2 naming the gap", st.returncode == 2 and "gap" in st.stderr, st.stderr)
        bad = os.path.join(tmp, "bad.txt")
        open(bad, "w").write("covers 2028-01-01 2028-12-31\n2028-01-29  a Saturday\n")
        st = subprocess.run([BIN, "--holidays", bad, "serve", "--port", "0"], capture_output=True, text=True, timeout=30)
        check("--holidays with a weekend date: exit 2 naming the line", st.returncode == 2 and "line 2" in st.stderr,
              st.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    s = Server("--db", "none", "--speed", "20", "--ws-interval-ms", "200")
    try:
        rest_tests(s)
        metrics_tests(s)
        ws_tests(s)
    finally:
        rc = s.stop()
    token_and_cors_tests()
    shutdown_test()
    holidays_test()
    st = subprocess.run([BIN, "serve", "--db", "postgresql://x@localhost/db", "--port", "0"], capture_output=True, text=True)
    check("postgresql rejected with a clear message", st.returncode == 2 and "PostgreSQL" in st.stderr, st.stderr)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
