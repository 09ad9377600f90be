#!/usr/bin/env python3
"""Publish -> client latency direct vs through Redis and one edge, on loopback (issue 18, item 7).

Starts redis-server, `vntracker serve --bus` (simulator feed) and one `vntracker edge`, then for each client
count runs the native load generator (bench/ws_loadgen) against the engine node (direct) and against the
edge, one after the other in the same run, and reports per case: latency p50/p99 (client receive time - the
engine's "sent_ms" stamp, same host clock), messages per second, and the CPU (cores) and RSS of the process
serving the clients (plus the engine's CPU while the edge serves). Also the messages per second the engine
put on the bus (vnt_bus_published_total). Bounded in clients and time; loopback only.
Usage: bus_fanout.py VNTRACKER LOADGEN [CLIENTS=100,1000] [DURATION_S=20]"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

BIN, LOADGEN = sys.argv[1], sys.argv[2]
COUNTS = [int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "100,1000").split(",")]
DURATION = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024


def start(args):
    p = subprocess.Popen([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p, int(p.stdout.readline().strip().rsplit(" ", 1)[1])


def metric(port, name):
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    return sum(float(l.rsplit(" ", 1)[1]) for l in body.splitlines() if l.startswith(name + " ") or l.startswith(name + "{"))


def run(port, n, watch):
    lg = subprocess.Popen([LOADGEN, str(port), str(n), str(DURATION)], stdout=subprocess.PIPE, text=True)
    time.sleep(3)
    c0 = {k: cpu_seconds(p.pid) for k, p in watch.items()}
    t0 = time.time()
    out = lg.communicate(timeout=DURATION + 60)[0]
    t1 = time.time()
    res = json.loads(out)
    for k, p in watch.items():
        res[f"{k}_cpu_cores"] = round((cpu_seconds(p.pid) - c0[k]) / (t1 - t0), 3)
        res[f"{k}_rss_mb"] = round(rss_mb(p.pid), 1)
    return res


def main():
    rport = free_port()
    redis = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(rport), "--bind",
                              "127.0.0.1", "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    bus = f"redis://127.0.0.1:{rport}"
    n_max = max(COUNTS)
    engine, eport = start(["serve", "--port", "0", "--db", "none", "--speed", "1", "--sim-date", "2026-03-18",
                           "--sim-start", os.environ.get("SIM_START", "09:30:00"), "--ws-per-ip", str(n_max + 10), "--conn-per-ip", "0",
                           "--bus", bus])
    edge, gport = start(["edge", "--port", "0", "--bus", bus, "--ws-per-ip", str(n_max + 10), "--conn-per-ip", "0"])
    try:
        time.sleep(3)
        for n in COUNTS:
            direct = run(eport, n, {"engine": engine})
            pub0, t0 = metric(eport, "vnt_bus_published_total"), time.time()
            via = run(gport, n, {"edge": edge, "engine": engine})
            bus_rate = (metric(eport, "vnt_bus_published_total") - pub0) / (time.time() - t0)
            print(json.dumps({"clients": n, "direct": direct, "via_edge": via,
                              "bus_messages_per_s": round(bus_rate, 1),
                              "added_p99_ms": round(via["latency_ms_p99"] - direct["latency_ms_p99"], 2),
                              "added_p50_ms": round(via["latency_ms_p50"] - direct["latency_ms_p50"], 2)}), flush=True)
    finally:
        for p in (edge, engine, redis):
            p.terminate()
            p.wait(timeout=20)


main()
