#!/usr/bin/env python3
"""The monitoring stack run for real on loopback: Debian's Prometheus, loaded with deploy/prometheus/prometheus.yml
(only the targets and intervals changed) and its alert rules, scrapes a real `vntracker serve` and a real
prometheus-node-exporter. The tracker reads the simulator through the SSI client (`serve --feed ssi` against
`vntracker sim-server --speed 20`, so the SSI panel has data too), keeps its history in SQLite in a temporary
folder and logs with LOG_FORMAT=json. WebSocket clients on every channel, REST calls, a refused upgrade and a user
rule that fires give every series something to count. Then:

- every Prometheus target is up;
- every panel query of the four dashboards (Grafana's $__rate_interval and $instance filled in as Grafana
  would, $instance from the dashboard's own variable query) parses and returns at least one series with a
  finite value, and every metric a dashboard or a rule names exists in the TSDB (so an `or vector(0)` cannot
  hide a wrong name); the exception is the bus's series (vnt_bus_*, vnt_edge_*): this test runs no Redis and
  no edge (the vntracker-edge scrape job is left out here), deploy_native_stack checks them live;
- every alert rule evaluates without error against the live series; TargetDown, VntFeedDown and
  VntStoreDegraded are not active;
- /metrics passes `promtool check metrics`; the engine, publish and HTTP latency histograms expose the buckets
  the code declares and have observations; vnt_market_open agrees with the holiday calendar and the clock;
- every line the tracker logged is one JSON object with time, level and message.

Every process is started and stopped here (SIGTERM, then SIGKILL) and the test checks none is left.

Usage: monitoring_stack_test.py VNTRACKER_BINARY SOURCE_DIR"""
import datetime
import glob
import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

from deploytest import Procs, check, finish, free_port, wait_port

BIN, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
DEPLOY = os.path.join(SRC, "deploy")
sys.path.insert(0, os.path.join(SRC, "tests", "functional"))
from wsclient import WsClient  # noqa: E402

RATE_INTERVAL = "10s"  # Grafana's $__rate_interval for a 1 s scrape interval is 4 x 1 s; 10 s smooths the ASan build
DATA_SECONDS = 14      # scrapes to collect before the queries
# Exported by `serve --bus` and `vntracker edge`, which this test does not run (deploy_native_stack does).
PROPOSED = {"vnt_edge_bus_lag_seconds", "vnt_edge_messages_total", "vnt_edge_bus_connected", "vnt_edge_synced",
            "vnt_bus_connected"}
T0 = time.time()


def http_get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def prom(port, path, **params):
    q = urllib.parse.urlencode(params, doseq=True)
    st, body = http_get(f"http://127.0.0.1:{port}{path}" + (f"?{q}" if q else ""), timeout=30)
    return json.loads(body)


def finite(v):
    try:
        return math.isfinite(float(v))
    except ValueError:
        return False


def cpp_buckets(path, name):
    """The numbers of `inline const std::vector<double> NAME = {...};` in a header."""
    text = open(os.path.join(SRC, path)).read()
    body = re.search(rf"{name}\s*=\s*\{{([^}}]*)\}}", text).group(1)
    return [float(x) for x in re.findall(r"[0-9.eE+-]+", body)]


def market_open(now):
    """vnt_market_open computed independently: Vietnam time, business day per src/core/data/vn_holidays.txt."""
    local = datetime.datetime.utcfromtimestamp(now) + datetime.timedelta(hours=7)
    holidays = {l.split()[0] for l in open(os.path.join(SRC, "src/core/data/vn_holidays.txt"))
                if re.match(r"\d{4}-\d\d-\d\d\s", l)}
    if local.weekday() >= 5 or local.strftime("%Y-%m-%d") in holidays:
        return 0, 1e9
    s = local.hour * 3600 + local.minute * 60 + local.second
    bounds = [9 * 3600, 11 * 3600 + 1800, 13 * 3600, 14 * 3600 + 2700]
    margin = min(abs(s - b) for b in bounds)
    return int(bounds[0] <= s < bounds[1] or bounds[2] <= s < bounds[3]), margin


class Abort(Exception):
    """A step the rest depends on failed (already reported by a check)."""


procs = Procs()
aborted = False
tmp = tempfile.mkdtemp(prefix="vnt-monitoring-")
stop = threading.Event()
threads = []
try:
    # ---- the tracker, fed by the simulator through the SSI protocol ----
    sim_port, node_port, prom_port = free_port(), free_port(), free_port()
    cred = {"SSI_CONSUMER_ID": "monitoring", "SSI_CONSUMER_SECRET": "monitoring-secret"}
    procs.start("sim-server", [BIN, "sim-server", "--listen", f"127.0.0.1:{sim_port}", "--consumer-id",
                               cred["SSI_CONSUMER_ID"], "--consumer-secret", cred["SSI_CONSUMER_SECRET"],
                               "--sim-date", "2026-03-18", "--sim-start", "09:30:00", "--speed", "20",
                               "--keepalive-ms", "2000"],
                stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "sim-server.log"), "w"))
    check("sim-server listens", wait_port(sim_port, 30))
    url = f"http://127.0.0.1:{sim_port}/"
    env = dict(os.environ, **cred, LOG_FORMAT="json", LOG_LEVEL="INFO")
    tracker = procs.start("tracker", [BIN, "serve", "--port", "0", "--feed", "ssi", "--ssi-rest-url", url,
                                      "--ssi-stream-url", url, "--db", "sqlite:" + os.path.join(tmp, "vnt.db"),
                                      "--ws-interval-ms", "250"],
                          env=env, stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "tracker.log"), "w"),
                          text=True)
    line = tracker.stdout.readline()
    if "listening on port" not in line:
        check("the tracker starts", False, line + open(os.path.join(tmp, "tracker.log")).read()[-2000:])
        raise Abort()
    port = int(line.strip().rsplit(" ", 1)[1])
    print(f"tracker on {port}, sim-server on {sim_port}, node exporter on {node_port}, prometheus on {prom_port}")

    # ---- node exporter ----
    procs.start("node-exporter", ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{node_port}",
                                  "--no-collector.systemd"],
                stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "node-exporter.log"), "w"))
    check("node exporter listens", wait_port(node_port, 30))

    # ---- Prometheus with the deploy config: targets and intervals changed, nothing else ----
    config = yaml.safe_load(open(os.path.join(DEPLOY, "prometheus", "prometheus.yml")))
    config["global"].update(scrape_interval="1s", scrape_timeout="1s", evaluation_interval="1s")
    config["rule_files"] = [os.path.join(DEPLOY, "prometheus", f) for f in config["rule_files"]]
    local = {"vntracker": f"127.0.0.1:{port}", "node": f"127.0.0.1:{node_port}",
             "prometheus": f"127.0.0.1:{prom_port}"}
    # The edges' job is left out: no edge runs here (tests/deploy/native_stack_test.py scrapes them).
    config["scrape_configs"] = [j for j in config["scrape_configs"] if j["job_name"] in local]
    for job in config["scrape_configs"]:
        for sc in job["static_configs"]:
            sc["targets"] = [local[job["job_name"]]]
    cfg_path = os.path.join(tmp, "prometheus.yml")
    yaml.safe_dump(config, open(cfg_path, "w"))
    t_prom = time.time()
    procs.start("prometheus", ["prometheus", f"--config.file={cfg_path}",
                               f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}",
                               f"--web.listen-address=127.0.0.1:{prom_port}"],
                stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "prometheus.log"), "w"))
    ready = False
    end = time.time() + 60
    while time.time() < end and not ready:
        try:
            ready = http_get(f"http://127.0.0.1:{prom_port}/-/ready", 2)[0] == 200
        except OSError:
            time.sleep(0.2)
    check(f"Prometheus is ready ({time.time() - t_prom:.1f} s)", ready,
          open(os.path.join(tmp, "prometheus.log")).read()[-2000:])
    if not ready:
        raise Abort()

    # ---- traffic: WebSocket clients on every channel, REST calls, a refused upgrade, a firing rule ----
    def reader(path):
        try:
            c = WsClient("127.0.0.1", port, path, timeout=5)
        except OSError:
            return
        try:
            while not stop.is_set():
                c.recv()
        except Exception:
            pass
        finally:
            c.close()

    for path in ["/ws/market", "/ws/market?symbols=FPT,ACB", "/ws/foreign", "/ws/index", "/ws/alerts",
                 "/ws/trades?symbols=FPT,VN30F1M"]:
        th = threading.Thread(target=reader, args=(path,), daemon=True)
        th.start()
        threads.append(th)

    def rest():
        paths = ["/health", "/api/market/snapshot", "/api/market/symbol/FPT", "/api/market/candles/FPT",
                 "/api/market/foreign-detail", "/api/market/futures", "/api/market/trades/FPT?limit=50",
                 "/api/history/FPT/candles", "/api/market/nope"]
        while not stop.is_set():
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                for p in paths:
                    c.request("GET", p)
                    c.getresponse().read()
                c.close()
            except OSError:
                pass
            stop.wait(0.3)

    th = threading.Thread(target=rest, daemon=True)
    th.start()
    threads.append(th)
    refused = WsClient("127.0.0.1", port, "/ws/nope")
    check("a WebSocket upgrade to an unknown channel is refused (404)", refused.status == 404, str(refused.status))
    refused.sock.close()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", "/api/alerts/rules", body=json.dumps(
        {"metric": "last_price", "symbol": "FPT", "comparison": ">", "threshold": 1, "cooldown_sec": 2,
         "name": "monitoring test"}), headers={"Content-Type": "application/json"})
    r = c.getresponse()
    check("a user rule that fires at once is created", r.status in (200, 201), r.read().decode())

    # ---- wait for data ----
    def has(expr):
        try:
            res = prom(prom_port, "/api/v1/query", query=expr)["data"]["result"]
            return any(finite(s["value"][1]) and float(s["value"][1]) > 0 for s in res)
        except (OSError, ValueError, KeyError):
            return False

    end = time.time() + 90
    waits = ['sum(vnt_ws_publish_seconds_count{channel="market"})', 'sum(vnt_alerts_total)',
             'sum(vnt_ssi_events_total{kind="connect"})', 'count(up == 1) == 3', "node_load1 >= 0 or vector(1)"]
    while time.time() < end and not all(has(e) for e in waits):
        time.sleep(1)
    check("Prometheus has tracker, node and its own data", all(has(e) for e in waits),
          str([e for e in waits if not has(e)]))
    time.sleep(max(0.0, DATA_SECONDS - (time.time() - t_prom)))
    print(f"collected {time.time() - t_prom:.0f} s of scrapes")

    targets = prom(prom_port, "/api/v1/targets")["data"]["activeTargets"]
    check("every Prometheus target is up (vntracker, node, prometheus)",
          sorted(t["labels"]["job"] for t in targets if t["health"] == "up") == ["node", "prometheus", "vntracker"],
          str([(t["labels"]["job"], t["health"], t.get("lastError")) for t in targets]))
    names = set(prom(prom_port, "/api/v1/label/__name__/values")["data"])

    # ---- every panel query of every dashboard ----
    referenced = set()
    for path in sorted(glob.glob(os.path.join(DEPLOY, "grafana", "dashboards", "*.json"))):
        dash = json.load(open(path))
        dname = os.path.basename(path)
        subst = {"$__rate_interval": RATE_INTERVAL}
        for v in dash["templating"]["list"]:
            q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
            m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", q.strip())
            values = prom(prom_port, f"/api/v1/label/{m.group(2)}/values", **{"match[]": m.group(1)})["data"]
            check(f"{dname}: variable ${v['name']} ({q}) has values: {values}", bool(values))
            # As Grafana's Prometheus datasource formats a multi-value variable: (a|b), regex-escaped for a
            # PromQL string (a backslash doubled).
            subst["$" + v["name"]] = "(" + "|".join(re.escape(x).replace("\\", "\\\\") for x in values) + ")"
        for p in dash["panels"]:
            for t in p.get("targets", []):
                expr = t["expr"]
                for k, val in sorted(subst.items(), key=lambda kv: -len(kv[0])):
                    expr = expr.replace(k, val)
                referenced |= {n for n in re.findall(r"\b((?:vnt|node)_[a-zA-Z0-9_]+|up)\b", t["expr"])}
                try:
                    res = prom(prom_port, "/api/v1/query", query=expr)
                    result = res["data"]["result"]
                    rtype = res["data"]["resultType"]
                    vals = [s["value"][1] for s in result] if rtype == "vector" else \
                        ([result[1]] if rtype == "scalar" else [])
                    ok = res["status"] == "success" and any(finite(v) for v in vals)
                    detail = f"{len(result)} series: {vals[:4]}"
                except urllib.error.HTTPError as e:
                    ok, detail = False, e.read().decode()[:500]
                check(f"{dname}: '{p['title']}' [{t['refId']}] returns data", ok, f"{expr} -> {detail}")
    for n in sorted(referenced):
        base = re.sub(r"_(bucket|count|sum)$", "", n) if n not in names else n
        check(f"dashboards: metric {n} exists in Prometheus", n in names or base in names
              or any(x.startswith(base + "_") for x in names))

    # ---- alert rules against the live series ----
    groups = prom(prom_port, "/api/v1/rules")["data"]["groups"]
    rules = [r for g in groups for r in g["rules"]]
    rule_file = yaml.safe_load(open(os.path.join(DEPLOY, "prometheus", "rules", "vntracker.rules.yml")))
    n_rules = sum(len(g["rules"]) for g in rule_file["groups"])
    check(f"Prometheus loaded all {n_rules} rules", len(rules) == n_rules, str(len(rules)))
    for r in rules:
        check(f"rule {r['name']} evaluates without error",
              r.get("health") == "ok" and not r.get("lastError"), f"{r.get('health')} {r.get('lastError')}")
        rule_metrics = set(re.findall(r"\b((?:vnt|node)_[a-zA-Z0-9_]+|up)\b", r["query"]))
        for n in sorted(rule_metrics - PROPOSED):
            check(f"rule {r['name']}: metric {n} exists in Prometheus", n in names)
        if rule_metrics & PROPOSED:
            print(f"note: {r['name']} uses {sorted(rule_metrics & PROPOSED)} (the bus: not run here)")
    active = {r["name"]: r.get("state") for r in rules if r.get("state") in ("pending", "firing")}
    print(f"active alerts: {active or 'none'}")
    for name in ("TargetDown", "VntFeedDown", "VntStoreDegraded", "VntStoreDroppingRows", "VntDecodeErrors"):
        check(f"{name} is not active on the healthy stack", name not in active, str(active))

    # ---- /metrics: promtool, the latency histograms, vnt_market_open ----
    st, body = http_get(f"http://127.0.0.1:{port}/metrics")
    text = body.decode()
    r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    check("/metrics passes promtool check metrics (no lint problem)", r.returncode == 0, r.stdout + r.stderr)
    for metric, header, const, label in (
            ("vnt_engine_latency_seconds", "src/app/pipeline_metrics.h", "kEngineLatencyBuckets", ""),
            ("vnt_ws_publish_seconds", "src/server/metrics.h", "kPublishLatencyBuckets", 'channel="market"'),
            ("vnt_http_request_duration_seconds", "src/server/metrics.h", "kHttpLatencyBuckets", 'route="/metrics"')):
        want = cpp_buckets(header, const)
        les = [m for m in re.findall(rf'^{metric}_bucket\{{(?:{re.escape(label)},)?le="([^"]+)"\}}', text, re.M)]
        got = [float(x) for x in les if x != "+Inf"]
        got = got[:len(want)] if got else got
        check(f"{metric}: buckets are {const} ({len(want)} + Inf)", got == want and "+Inf" in les, f"{les[:20]}")
        count = re.search(rf"^{metric}_count(?:\{{{re.escape(label)}\}})? (\S+)$", text, re.M)
        check(f"{metric}{{{label}}}: has observations", count is not None and float(count.group(1)) > 0,
              count.group(0) if count else "no _count")
    check("every HTTP route series and publish channel has its histogram",
          set(re.findall(r'^vnt_ws_publish_seconds_count\{channel="(\w+)"\}', text, re.M))
          == {"market", "foreign", "index", "alerts", "trades"})
    m = re.search(r"^vnt_market_open (\S+)$", text, re.M)
    want, margin = market_open(time.time())
    if margin < 5:
        print("note: within 5 s of a session boundary; vnt_market_open not compared")
    else:
        check(f"vnt_market_open = {want} (Vietnam clock, holiday calendar)", m and float(m.group(1)) == want,
              m.group(0) if m else "missing")
    check("vnt_feed_up = 1 while the SSI client streams", re.search(r"^vnt_feed_up 1$", text, re.M) is not None)
except Abort:
    aborted = True
finally:
    stop.set()
    for th in threads:
        th.join(10)
    procs.stop_all()
    check("every process started by the test has exited (tracker, sim-server, node exporter, prometheus)",
          procs.all_gone())

if aborted:
    shutil.rmtree(tmp, ignore_errors=True)
    finish()

# ---- the tracker's log: LOG_FORMAT=json ----
lines = [l for l in open(os.path.join(tmp, "tracker.log"), encoding="utf-8", errors="strict").read().splitlines()
         if l.strip()]
bad = []
levels = {}
for l in lines:
    try:
        o = json.loads(l)
        ok = isinstance(o, dict) and {"time", "level", "message"} <= set(o) and \
            re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", o["time"]) is not None and \
            o["level"] in ("DEBUG", "INFO", "WARNING", "ERROR")
        levels[o["level"]] = levels.get(o["level"], 0) + 1
        if not ok:
            bad.append(l)
    except (ValueError, TypeError, KeyError):
        bad.append(l)
for l in lines:
    if l not in bad and json.loads(l)["level"] in ("WARNING", "ERROR"):
        print("note: tracker logged " + l[:300])
check(f"LOG_FORMAT=json: all {len(lines)} tracker log lines are JSON objects with time, level, message "
      f"({levels})", lines and not bad, str(bad[:3]))
check("the JSON log names components (feed, store, ...)",
      any(json.loads(l).get("component") in ("feed", "store") for l in lines if l not in bad))
check("the JSON log has the graceful stop", any(json.loads(l)["message"] == "stopped" for l in lines if l not in bad))
shutil.rmtree(tmp, ignore_errors=True)
print(f"monitoring stack test: {time.time() - T0:.1f} s")
finish()
