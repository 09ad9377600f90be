#!/usr/bin/env python3
"""scripts/stack.sh run for real: the native twin of deploy/docker-compose.yml (PostgreSQL 15, redis-server,
`vntracker serve --bus`, two `vntracker edge`, nginx from deploy/nginx/nginx.conf, prometheus-node-exporter and
Prometheus from deploy/prometheus) on free loopback ports, in a temporary VNT_STACK_DIR. Then:

- `stack.sh status` reports every part up, and a second `up` starts nothing new;
- every Prometheus target is up (tracker, both edges, node exporter, Prometheus), every alert rule evaluates
  without error, and every metric the rules name exists (the bus's vnt_bus_* and vnt_edge_* included); none
  of TargetDown, VntBusDown, VntEdgeNotSynced, VntStoreDegraded is active;
- through nginx: WebSocket clients on /ws/market receive a snapshot, then contiguous deltas of its epoch; two
  clients land on different edges (least_conn; each edge's vnt_ws_clients); a browser's Origin equal to the
  page's host is accepted (nginx keeps the port in Host); /api/market/snapshot answers 200 with JSON (from an
  edge), /api/market/candles/FPT from the engine, /health is the engine's (PostgreSQL connected), / is the web app from an edge;
- `stack.sh down` leaves no process behind: every pid it recorded is gone, no process names the stack
  folder, every port is closed; `status` then reports every part down.

Usage: native_stack_test.py VNTRACKER_BINARY SOURCE_DIR"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from deploytest import check, finish, free_port

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
STACK = os.path.join(SRC, "scripts", "stack.sh")
sys.path.insert(0, os.path.join(SRC, "tests", "functional"))
from wsclient import WsClient  # noqa: E402

T0 = time.time()
PARTS = ["postgres", "redis", "tracker", "edge-1", "edge-2", "nginx", "node-exporter", "prometheus"]


def http_get(url, timeout=10, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.headers, r.read()


def prom(path, **params):
    q = urllib.parse.urlencode(params, doseq=True)
    return json.loads(http_get(f"http://127.0.0.1:{ports['PROM']}{path}" + (f"?{q}" if q else ""), 30)[2])


def stack(cmd, timeout=150):
    t0 = time.time()
    r = subprocess.run([STACK, cmd], env=env, capture_output=True, text=True, timeout=timeout)
    return r, time.time() - t0


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def recorded_pids():
    """The pids the stack recorded (run/*.pid and PostgreSQL's postmaster.pid)."""
    out = {}
    for name in PARTS:
        f = os.path.join(tmp, "pg", "data", "postmaster.pid") if name == "postgres" else \
            os.path.join(tmp, "run", f"{name}.pid")
        try:
            out[name] = int(open(f).readline().strip())
        except (OSError, ValueError):
            pass
    return out


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is gone for our purpose only once reaped; stack.sh's children are reparented and reaped by init.
    try:
        return open(f"/proc/{pid}/stat").read().split()[2] != "Z"
    except OSError:
        return False


tmp = tempfile.mkdtemp(prefix="vnt-stack-")
os.chmod(tmp, 0o755)  # PostgreSQL runs as `postgres` when this runs as root: it must reach its folder
ports = {k: free_port() for k in ("HTTP", "TRACKER", "EDGE1", "EDGE2", "PG", "REDIS", "PROM", "NODE")}
env = dict(os.environ, VNT_BIN=BIN, VNT_STACK_DIR=tmp, VNT_STACK_SCRAPE_INTERVAL="1s", VNT_STACK_SPEED="10",
           LOG_LEVEL="INFO", **{f"VNT_STACK_{k}_PORT": str(v) for k, v in ports.items()})
for k in ("DATABASE_URL", "REDIS_URL", "VNT_API_TOKEN", "CORS_ORIGINS", "PORT"):
    env.pop(k, None)
print(f"stack folder {tmp}; ports {ports}; binary {BIN}")
pids = {}
came_up = False
try:
    r, dt = stack("up")
    print(r.stdout + r.stderr)
    came_up = r.returncode == 0
    check(f"scripts/stack.sh up succeeds ({dt:.1f} s)", came_up)
    pids = recorded_pids()
    check("every part recorded a live pid", set(pids) == set(PARTS) and all(alive(p) for p in pids.values()),
          str(pids))
    if not came_up:
        raise RuntimeError("the stack did not come up")

    r, _ = stack("status", 60)
    print(r.stdout)
    ups = dict(re.findall(r"^(\S+)\s+(up)\b", r.stdout, re.M))
    check("stack.sh status: every part up, exit 0", r.returncode == 0 and set(ups) == set(PARTS), r.stdout)
    r, _ = stack("up")
    check("a second `up` starts nothing (every part already running) and keeps the same pids",
          r.returncode == 0 and "starting" not in r.stdout and recorded_pids() == pids, r.stdout + r.stderr)

    # ---- Prometheus: every target up ----
    want_jobs = ["node", "prometheus", "vntracker", "vntracker-edge", "vntracker-edge"]
    end = time.time() + 40
    targets = []
    while time.time() < end:
        try:
            targets = prom("/api/v1/targets")["data"]["activeTargets"]
            if sorted(t["labels"]["job"] for t in targets if t["health"] == "up") == want_jobs:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.5)
    check(f"every Prometheus target is up: {', '.join(want_jobs)} ({time.time() - T0:.0f} s since start)",
          sorted(t["labels"]["job"] for t in targets if t["health"] == "up") == want_jobs,
          str([(t["labels"]["job"], t["scrapeUrl"], t["health"], t.get("lastError")) for t in targets]))
    check("the edges are scraped with role=edge, the tracker with role=engine",
          sorted((t["labels"]["job"], t["labels"].get("role")) for t in targets if t["labels"]["job"].startswith("vnt"))
          == [("vntracker", "engine"), ("vntracker-edge", "edge"), ("vntracker-edge", "edge")])

    # ---- through nginx ----
    http = ports["HTTP"]
    origin = {"Origin": f"http://127.0.0.1:{http}"}
    clients = [WsClient("127.0.0.1", http, "/ws/market", headers=origin, timeout=15) for _ in range(2)]
    check("WebSocket upgrades through nginx (101) with the page's Origin",
          [c.status for c in clients] == [101, 101], str([c.response_head for c in clients]))
    for i, c in enumerate(clients):
        msgs = [json.loads(c.recv()) for _ in range(4)]
        kinds = [m["type"] for m in msgs]
        seqs = [m["seq"] for m in msgs]
        check(f"client {i + 1} through nginx: a snapshot, then deltas with contiguous seq ({kinds}, {seqs})",
              kinds[0] == "snapshot" and all(k == "delta" for k in kinds[1:])
              and seqs == list(range(seqs[0], seqs[0] + 4)) and len({m["epoch"] for m in msgs}) == 1
              and msgs[0].get("data"), str(msgs[0])[:300])
    per_edge = []
    for p in (ports["EDGE1"], ports["EDGE2"]):
        text = http_get(f"http://127.0.0.1:{p}/metrics")[2].decode()
        m = re.search(r'^vnt_ws_clients\{channel="market"\} (\S+)$', text, re.M)
        per_edge.append(float(m.group(1)) if m else -1)
    check(f"nginx spreads the two clients over both edges (least_conn): market clients per edge {per_edge}",
          per_edge == [1.0, 1.0])
    for c in clients:
        c.close()

    st, hdrs, body = http_get(f"http://127.0.0.1:{http}/api/market/snapshot")
    snap = json.loads(body)
    check("GET /api/market/snapshot through nginx: 200, JSON (from an edge's channel state)",
          st == 200 and isinstance(snap, dict), body[:200].decode(errors="replace"))
    st, _, body = http_get(f"http://127.0.0.1:{http}/api/market/candles/FPT")
    check("GET /api/market/candles/FPT through nginx: 200 from the engine (an edge would say 503 engine_only)",
          st == 200 and b'"candles"' in body, body[:200].decode(errors="replace"))
    try:
        st, _, body = http_get(f"http://127.0.0.1:{http}/api/market/orderbook/VN30F1M")
    except urllib.error.HTTPError as e:
        st, body = e.code, e.read()
    check("GET /api/market/orderbook/VN30F1M through nginx: an edge's 503 is retried on the engine (200, the book)",
          st == 200 and b'"bid":[[' in body and b'"ask":[' in body, body[:200].decode(errors="replace"))
    st, _, body = http_get(f"http://127.0.0.1:{http}/health")
    health = json.loads(body)
    check("GET /health through nginx is the engine's: feed streaming, PostgreSQL connected",
          st == 200 and health.get("role") != "edge" and health.get("database") == "connected"
          and health.get("feed", {}).get("state") == "streaming", str(health)[:300])
    for p in (ports["EDGE1"], ports["EDGE2"]):
        eh = json.loads(http_get(f"http://127.0.0.1:{p}/health")[2])
        check(f"edge on {p}: /health role edge, status ok (bus connected, every channel synced)",
              eh.get("role") == "edge" and eh.get("status") == "ok", str(eh)[:300])
    st, hdrs, body = http_get(f"http://127.0.0.1:{http}/")
    check("GET / through nginx: the web app (HTML) from an edge", st == 200 and b"<html" in body.lower()[:500])
    try:
        http_get(f"http://127.0.0.1:{http}/api/market/nope")
        check("an unknown REST path through nginx reaches a 404", False)
    except urllib.error.HTTPError as e:
        check("an unknown REST path through nginx reaches a 404 (JSON, an edge's or the engine's)", e.code == 404
              and e.headers.get("Content-Type", "").startswith("application/json"), f"{e.code} {e.headers}")

    # ---- the alert rules against the live stack (the bus's series exist here) ----
    time.sleep(2)  # a few evaluations with the WebSocket traffic
    names = set(prom("/api/v1/label/__name__/values")["data"])
    groups = prom("/api/v1/rules")["data"]["groups"]
    rules = [x for g in groups for x in g["rules"]]
    check(f"Prometheus loaded the deploy rules ({len(rules)})", len(rules) >= 15)
    for x in rules:
        check(f"rule {x['name']} evaluates without error", x.get("health") == "ok" and not x.get("lastError"),
              f"{x.get('health')} {x.get('lastError')}")
        for n in sorted(set(re.findall(r"\b((?:vnt|node)_[a-zA-Z0-9_]+|up)\b", x["query"]))):
            check(f"rule {x['name']}: metric {n} exists", n in names)
    active = {x["name"]: x.get("state") for x in rules if x.get("state") in ("pending", "firing")}
    print(f"active alerts: {active or 'none'}")
    for name in ("TargetDown", "VntBusDown", "VntEdgeNotSynced", "VntEdgeBehindEngine", "VntStoreDegraded"):
        check(f"{name} is not active on the healthy stack", name not in active, str(active))
    res = prom("/api/v1/query", query='vnt_edge_bus_lag_seconds{channel="market"}')["data"]["result"]
    check(f"vnt_edge_bus_lag_seconds{{channel=market}} from both edges: {[s['value'][1] for s in res]}",
          len(res) == 2 and all(float(s["value"][1]) < 2 for s in res))
except Exception as e:  # noqa: BLE001 -- reported, then the stack is brought down whatever happened
    check(f"the test ran to the end ({type(e).__name__}: {e})", False)
finally:
    pids = pids or recorded_pids()
    r, dt = stack("down", 120)
    print(r.stdout + r.stderr)
    check(f"scripts/stack.sh down succeeds ({dt:.1f} s)", r.returncode == 0)
    left = {n: p for n, p in pids.items() if alive(p)}
    check("every process the stack started is gone", not left, str(left))
    pg = subprocess.run(["pgrep", "-af", tmp], capture_output=True, text=True).stdout
    pg = "\n".join(line for line in pg.splitlines() if "pgrep" not in line)
    check("no process names the stack folder (pgrep -f)", not pg.strip(), pg)
    still = [k for k, p in ports.items() if port_open(p)]
    check("every port of the stack is closed", not still, str(still))
    r, _ = stack("status", 60)
    check("stack.sh status after down: every part down, exit non-zero",
          r.returncode != 0 and len(re.findall(r"^\S+\s+down\b", r.stdout, re.M)) == len(PARTS), r.stdout)
    if left or pg.strip():
        for p in left.values():
            try:
                os.kill(p, 9)
            except OSError:
                pass
    logs = os.path.join(tmp, "logs")
    if came_up and os.path.isdir(logs):
        for f in sorted(os.listdir(logs)):
            text = open(os.path.join(logs, f), errors="replace").read()
            bad = [l for l in text.splitlines() if re.search(r"\b(ERROR|FATAL|PANIC|emerg|crit)\b", l)]
            if bad:
                print(f"note: {f}: {len(bad)} error lines, first: {bad[0][:300]}")
    shutil.rmtree(tmp, ignore_errors=True)

print(f"native stack test: {time.time() - T0:.1f} s")
finish()
