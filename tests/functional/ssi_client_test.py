#!/usr/bin/env python3
"""The SSI client (`serve --feed ssi`) end to end against `vntracker sim-server` on loopback, over the real
network path: token, IndexComponents, negotiate, connect, start, one SwitchChannels, Broadcast frames into
the engine. Then the server killed (-9) and restarted mid-stream (the client reconnects, totals stay
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


def main():
    for t in (test_stream_kill_restart, test_wrong_credentials, test_unreachable, test_malformed_frames,
              test_silent_server, test_token_refresh):
        try:
            t()
        except Exception as e:  # a crash of one scenario must not hide the others
            check(t.__name__ + " ran", False, repr(e))
    finish()


if __name__ == "__main__":
    main()
