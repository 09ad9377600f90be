#!/usr/bin/env python3
"""The SSI client (`serve --feed ssi`) end to end against `vntracker sim-server` on loopback, over the real
network path: token, IndexComponents, negotiate, connect, start, one SwitchChannels, Broadcast frames into
the engine; reference, ceiling and floor from REST DailyStockPrice before the first trade, the ATO's
indicative price and the futures' book levels in the API. Then the server killed (-9) and restarted mid-stream (the client reconnects, totals stay
exact), wrong credentials, an unreachable host, malformed frames, and a server that goes silent (no
keep-alives: the watchdog reconnects).

usage: ssi_client_test.py VNTRACKER   (prints 'N passed, N failed')
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, finish, free_port, wait_port  # noqa: E402

BIN = sys.argv[1]
CRED = {"SSI_CONSUMER_ID": "test-consumer", "SSI_CONSUMER_SECRET": "test-secret"}
SIM = ["--sim-date", "2026-03-18", "--sim-seed", "3", "--speed", "20"]





def sim_server(port, *args, log=None):
    p = subprocess.Popen([BIN, "sim-server", "--listen", f"127.0.0.1:{port}", "--consumer-id", CRED["SSI_CONSUMER_ID"],
                          "--consumer-secret", CRED["SSI_CONSUMER_SECRET"], *args],
                         stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)
    if not wait_port(port):
        p.kill()
        raise RuntimeError("sim-server did not start")
    return p


def serve(sim_port, env_extra=None, err=None):
    env = dict(os.environ, **CRED, LOG_LEVEL="INFO")
    env.update(env_extra or {})
    url = f"http://127.0.0.1:{sim_port}/"
    p = subprocess.Popen([BIN, "serve", "--feed", "ssi", "--db", "none", "--port", "0", "--ssi-rest-url", url,
                          "--ssi-stream-url", url], env=env, stdout=subprocess.PIPE, stderr=err or subprocess.DEVNULL,
                         text=True)
    line = p.stdout.readline()
    if "listening on port" not in line:
        p.kill()
        raise RuntimeError("serve did not start: " + line)
    return p, int(line.strip().rsplit(" ", 1)[1])


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request("GET", path)
    r = c.getresponse()
    data = r.read()
    return json.loads(data) if path != "/metrics" else data.decode()


def ssi_events(port):
    out = {}
    for m in re.finditer(r'^vnt_ssi_events_total\{kind="(\w+)"\} (\S+)$', get(port, "/metrics"), re.M):
        out[m.group(1)] = float(m.group(2))
    return out


def metric_sum(port, name):
    return sum(float(m.group(1)) for m in re.finditer(r"^" + name + r"(?:\{[^}]*\})? (\S+)$", get(port, "/metrics"), re.M))


def wait(pred, timeout):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if pred():
                return True
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    return False


def state(port):
    return get(port, "/health")["feed"]["state"]


def stop(*procs):
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def stocks(snapshot):
    return {s: v for s, v in snapshot["symbols"].items() if v["kind"] in ("vn30", "stock")}


def exact(snapshot):
    """Per stock: nothing counted twice, nothing lost that TotalVol restores."""
    bad = []
    for s, v in stocks(snapshot).items():
        if v["active_buy_vol"] + v["active_sell_vol"] + v["neutral_vol"] != v["total_vol"]:
            bad.append((s, "buy+sell+neutral", v["total_vol"]))
        if v["feed_total_vol"] and v["total_vol"] + v["baseline_vol"] != v["feed_total_vol"]:
            bad.append((s, v["total_vol"], v["baseline_vol"], v["feed_total_vol"]))
    return bad


def test_stream_kill_restart():
    port = free_port()
    sim = sim_server(port, *SIM, "--sim-start", "09:15:00", "--keepalive-ms", "1000")
    err = tempfile.TemporaryFile(mode="w+")
    srv, http_port = serve(port, err=err)
    try:
        check("client streams from sim-server", wait(lambda: state(http_port) == "streaming", 20), state(http_port))
        check("trades arrive for most of the VN30",
              wait(lambda: sum(v["total_vol"] > 0 for v in stocks(get(http_port, "/api/market/snapshot")).values()) >= 25, 30))
        check("30 VN30 stocks subscribed (IndexComponents)",
              wait(lambda: len(stocks(get(http_port, "/api/market/snapshot"))) == 30, 20))
        snap = get(http_port, "/api/market/snapshot")
        check("futures subscribed by KRX code", wait(lambda: any(
            f.get("volume") for f in get(http_port, "/api/market/snapshot")["futures"]), 30))
        check("index frames arrive (MI)", wait(lambda: get(http_port, "/api/market/snapshot")["indices"], 15))
        ev = ssi_events(http_port)
        check("one connect, one token fetch", ev.get("connect") == 1 and ev.get("token_fetch") == 1, ev)
        check("totals exact before the kill", not exact(snap), exact(snap)[:3])

        t_kill = max(v["time"] for v in stocks(get(http_port, "/api/market/snapshot")).values() if v["time"])
        vol_kill = sum(v["total_vol"] for v in stocks(get(http_port, "/api/market/snapshot")).values())
        sim.kill()
        sim.wait()
        check("the loss is noticed", wait(lambda: state(http_port) != "streaming", 10), state(http_port))
        time.sleep(1.5)
        # The same seed and day make the same market: the restarted server continues from the kill time.
        sim = sim_server(port, *SIM, "--sim-start", t_kill[11:19], "--keepalive-ms", "1000")
        check("the client reconnects to the restarted server",
              wait(lambda: ssi_events(http_port).get("connect", 0) >= 2 and state(http_port) == "streaming", 40),
              (ssi_events(http_port), state(http_port)))
        check("trading continues after the restart", wait(
            lambda: sum(v["total_vol"] for v in stocks(get(http_port, "/api/market/snapshot")).values()) > vol_kill * 1.02, 30))
        time.sleep(2)
        snap = get(http_port, "/api/market/snapshot")
        check("totals exact after the restart (volume = TotalVol - baseline, buy+sell+neutral = total)",
              not exact(snap), exact(snap)[:3])
        check("nothing double-counted: engine volume never exceeds the feed's TotalVol",
              all(v["total_vol"] + v["baseline_vol"] <= v["feed_total_vol"] for v in stocks(snap).values() if v["feed_total_vol"]))
        err.seek(0)
        log = err.read()
        check("the loss and the reconnect are logged", "connection lost" in log and log.count("connected to") >= 2, log[-600:])
    finally:
        stop(srv, sim)


def test_wrong_credentials():
    port = free_port()
    sim = sim_server(port, *SIM)
    err = tempfile.TemporaryFile(mode="w+")
    srv, http_port = serve(port, {"SSI_CONSUMER_SECRET": "wrong"}, err=err)
    try:
        check("wrong credentials: state auth-failed", wait(lambda: state(http_port) == "auth-failed", 10), state(http_port))
        time.sleep(3)
        ev = ssi_events(http_port)
        check("wrong credentials: counted, backing off (few attempts)", 1 <= ev.get("auth_failure", 0) <= 4, ev)
        check("wrong credentials: no connection made", ev.get("connect", 0) == 0, ev)
        check("wrong credentials: the process keeps serving", srv.poll() is None and get(http_port, "/health"))
        err.seek(0)
        log = err.read()
        check("wrong credentials: one clear log line", log.count("AccessToken refused") == 1, log[-400:])
    finally:
        stop(srv, sim)


def test_unreachable():
    port = free_port()  # nothing listens there
    srv, http_port = serve(port)
    try:
        check("unreachable host: state unreachable", wait(lambda: state(http_port) == "unreachable", 10), state(http_port))
        check("unreachable host: counted", ssi_events(http_port).get("connect_failure", 0) >= 1)
    finally:
        stop(srv)


def test_malformed_frames():
    port = free_port()
    sim = sim_server(port, *SIM, "--sim-start", "09:20:00", "--fault-malformed-every", "25")
    srv, http_port = serve(port)
    try:
        check("malformed frames: rejected and counted by the decoder",
              wait(lambda: metric_sum(http_port, "vnt_frames_rejected_total") >= 3, 30),
              metric_sum(http_port, "vnt_frames_rejected_total"))
        check("malformed frames: the stream goes on", state(http_port) == "streaming" and
              metric_sum(http_port, "vnt_engine_trades_total") > 0)
        snap = get(http_port, "/api/market/snapshot")
        check("malformed frames: totals stay consistent", not exact(snap), exact(snap)[:3])
    finally:
        stop(srv, sim)


def test_silent_server():
    port = free_port()
    sim = sim_server(port, *SIM, "--sim-start", "09:20:00", "--keepalive-ms", "500", "--fault-silence-after-s", "3")
    srv, http_port = serve(port)
    try:
        check("silent server: the watchdog fires", wait(lambda: ssi_events(http_port).get("watchdog_timeout", 0) >= 1, 20),
              ssi_events(http_port))
        check("silent server: the client connects again", wait(
            lambda: ssi_events(http_port).get("connect", 0) + ssi_events(http_port).get("reconnect", 0) >= 2, 20),
              ssi_events(http_port))
    finally:
        stop(srv, sim)


def test_token_refresh():
    port = free_port()
    sim = sim_server(port, *SIM, "--sim-start", "09:20:00", "--token-ttl-s", "12")
    srv, http_port = serve(port)
    try:
        check("short-lived token: refreshed before it expires (margin: a quarter of its life)",
              wait(lambda: ssi_events(http_port).get("token_fetch", 0) >= 3, 30), ssi_events(http_port))
        ev = ssi_events(http_port)
        check("short-lived token: the stream was never refused", ev.get("auth_failure", 0) == 0 and
              state(http_port) == "streaming", ev)
    finally:
        stop(srv, sim)


def test_reference_before_first_trade():
    """Pre-open (08:57, speed 10): the sim-server's stream carries no reference data before 09:00, so what the
    board shows comes from REST DailyStockPrice; then the ATO's indicative price and the futures' book levels."""
    port = free_port()
    sim = sim_server(port, "--sim-date", "2026-03-18", "--sim-seed", "3", "--speed", "10", "--sim-start", "08:57:00")
    err = tempfile.TemporaryFile(mode="w+")
    srv, http_port = serve(port, err=err)
    try:
        def fpt():
            return get(http_port, "/api/market/symbol/FPT")
        check("reference: ref/ceiling/floor of FPT known before any trade",
              wait(lambda: fpt()["ref_price"] and fpt()["ceiling"] and fpt()["floor"], 15), fpt())
        s = fpt()
        check("reference: floor < ref < ceiling, nothing traded yet",
              s["floor"] < s["ref_price"] < s["ceiling"] and s["total_vol"] == 0 and s["last_price"] is None
              and s["trade_count"] == 0 and s["baseline_vol"] == 0, s)
        check("reference: the 30 VN30 stocks all have theirs",
              wait(lambda: sum(bool(v["ref_price"] and v["ceiling"] and v["floor"])
                               for v in stocks(get(http_port, "/api/market/snapshot")).values()) == 30, 15))
        ev = ssi_events(http_port)
        check("reference: counted per symbol (30 stocks + 4 futures), no failure",
              ev.get("reference_frame") == 34 and ev.get("reference_failure", 0) == 0, ev)
        err.seek(0)
        check("reference: logged with its source", "from DailyStockPrice" in err.read())
        check("reference: no volume from the REST frames",
              metric_sum(http_port, "vnt_engine_trades_total") == 0 or
              all(v["total_vol"] == 0 for v in stocks(get(http_port, "/api/market/snapshot")).values()))
        # ATO (09:00-09:15 for stocks): the indicative price (EstMatchedPrice, from the X channel), no trade yet.
        check("ATO: indicative price of FPT in /api/market/symbol",
              wait(lambda: fpt()["session"] == "ATO" and fpt()["indicative_price"], 45), fpt())
        s = fpt()
        check("ATO: indicative within the day's limits, still no trade",
              s["indicative_price"] is None or (s["floor"] <= s["indicative_price"] <= s["ceiling"] and s["total_vol"] == 0), s)
        # Futures trade continuously from 09:00: their book levels in /api/market/orderbook, by alias.
        def book():
            return get(http_port, "/api/market/orderbook/VN30F1M")
        check("futures: bid and ask levels in /api/market/orderbook/VN30F1M",
              wait(lambda: book()["bid"] and book()["ask"], 30), book())
        b = book()
        check("futures: best bid below best ask", b["bid"][0][0] < b["ask"][0][0], b)
        fut = get(http_port, "/api/market/symbol/" + b["symbol"])
        check("futures: the contract's reference and limits known", fut["ref_price"] and fut["ceiling"] and fut["floor"], fut)
    finally:
        stop(srv, sim)


def failing_rest_proxy(target_port, failures):
    """A REST front for the sim-server that answers the first `failures` DailyStockPrice calls with HTTP 503 and
    forwards everything else. Returns (server, port, counter)."""
    import http.server
    import threading
    seen = {"dsp": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def forward(self, method):
            if "dailystockprice" in self.path.lower():
                seen["dsp"] += 1
                if seen["dsp"] <= failures:
                    body = b"<html>Service Unavailable</html>"
                    self.send_response(503)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
            n = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(n) if n else None
            c = http.client.HTTPConnection("127.0.0.1", target_port, timeout=10)
            c.request(method, self.path, body=data, headers={k: v for k, v in self.headers.items()
                                                              if k.lower() not in ("host", "connection")})
            r = c.getresponse()
            body = r.read()
            self.send_response(r.status)
            self.send_header("Content-Type", r.getheader("Content-Type") or "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.forward("GET")

        def do_POST(self):
            self.forward("POST")

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1], seen


def test_reference_rest_failures():
    """DailyStockPrice down at first (HTTP 503): logged, counted, retried with backoff; the stream is not held."""
    port = free_port()
    sim = sim_server(port, *SIM, "--sim-start", "08:57:00")
    proxy, proxy_port, seen = failing_rest_proxy(port, 40)
    err = tempfile.TemporaryFile(mode="w+")
    env = dict(os.environ, **CRED, LOG_LEVEL="INFO")
    p = subprocess.Popen([BIN, "serve", "--feed", "ssi", "--db", "none", "--port", "0", "--ssi-rest-url",
                          f"http://127.0.0.1:{proxy_port}/", "--ssi-stream-url", f"http://127.0.0.1:{port}/"],
                         env=env, stdout=subprocess.PIPE, stderr=err, text=True)
    http_port = int(p.stdout.readline().strip().rsplit(" ", 1)[1])
    try:
        check("REST failures: the stream comes up regardless", wait(lambda: state(http_port) == "streaming", 20),
              state(http_port))
        check("REST failures: counted", wait(lambda: ssi_events(http_port).get("reference_failure", 0) >= 34, 15),
              ssi_events(http_port))
        check("REST failures: retried until every symbol has its reference",
              wait(lambda: ssi_events(http_port).get("reference_frame") == 34, 30), (ssi_events(http_port), seen))
        ev = ssi_events(http_port)
        check("REST failures: exactly the failed calls counted, one connection",
              ev.get("reference_failure") == 40 and ev.get("connect") == 1, ev)
        s = get(http_port, "/api/market/symbol/FPT")
        check("REST failures: FPT's reference arrived in the end", s["ref_price"] and s["ceiling"] and s["floor"], s)
        err.seek(0)
        log = err.read()
        check("REST failures: logged with the reason and the retry", "HTTP 503" in log and "retrying in" in log, log[-800:])
    finally:
        stop(p, sim)
        proxy.shutdown()


def main():
    for t in (test_reference_before_first_trade, test_reference_rest_failures, test_stream_kill_restart, test_wrong_credentials, test_unreachable, test_malformed_frames,
              test_silent_server, test_token_refresh):
        try:
            t()
        except Exception as e:  # a crash of one scenario must not hide the others
            check(t.__name__ + " ran", False, repr(e))
    finish()


if __name__ == "__main__":
    main()
