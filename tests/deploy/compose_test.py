#!/usr/bin/env python3
"""deploy/docker-compose.yml, deploy/.env.example and deploy/Dockerfile, checked without a container engine
(none runs on the CI machines):

- the compose file parses; every service has an image or a build whose context and Dockerfile exist;
- published host ports do not collide, bind-mount sources exist, named volumes are declared and no two
  services write to one volume, no service mounts two things at one path;
- every environment variable compose sets for the tracker is one `vntracker serve` reads (named in its
  --help and read in src/), every variable it reads is in .env.example, and .env.example's tracker part holds
  nothing else; then the real binary is started with exactly the environment and arguments compose gives
  it (DATABASE_URL pointed at a throwaway SQLite file and REDIS_URL at a throwaway redis-server: the `postgres`
  and `redis` hosts exist only inside compose) and must serve /health, logging JSON lines; an edge started
  with exactly compose's edge environment and arguments (REDIS_URL likewise) follows it: /health role edge,
  status ok, JSON logs;
- the scale-out topology: `redis` (redis:7), the tracker with REDIS_URL to it and no published port, `edge-1`
  and `edge-2` running `vntracker edge` from the tracker's image with only variables `vntracker edge --help`
  names (and the same REDIS_URL and shared settings as the tracker), `nginx` publishing the one user-facing
  port with deploy/nginx/nginx.conf mounted; that config routes /ws/ (WebSocket headers, long timeouts) and /
  to an upstream of exactly the edges, /api/, /health and /metrics to the tracker, /api/market/ to the edges
  with a 503 retried on the tracker and exactly the reads an edge does not serve (vntracker's
  EngineOnly list) to the tracker, at the ports those services listen on, sets proxy headers once (no location drops them) and passes `nginx -t` (hosts made local);
  Prometheus scrapes compose services at the ports they listen on, the edges with role "edge";
- healthchecks and depends_on agree: targets exist, `service_healthy` only on services with a healthcheck, no
  cycle, each HTTP healthcheck probes the port its service listens on;
- the Dockerfile: stages web, build, runtime; a non-root user; a HEALTHCHECK on /health; every COPY source
  exists and is not excluded by Dockerfile.dockerignore; the runtime packages provide every shared library the
  tracker links (objdump + dpkg -S on this tree's binary); and the build stage's CMake configure succeeds on a
  copy of exactly the files the Dockerfile copies.

Usage: compose_test.py VNTRACKER_BINARY SOURCE_DIR"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

from deploytest import Procs, check, dotenv, finish, free_port, interpolate, serve_env, wait_port

BIN, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
DEPLOY = os.path.join(SRC, "deploy")
COMPOSE = os.path.join(DEPLOY, "docker-compose.yml")
ENV_EXAMPLE = os.path.join(DEPLOY, ".env.example")
DOCKERFILE = os.path.join(DEPLOY, "Dockerfile")

t_start = time.time()
raw_compose = open(COMPOSE, encoding="utf-8").read()
try:
    compose_raw = yaml.safe_load(raw_compose)
    check("docker-compose.yml parses as YAML", isinstance(compose_raw, dict) and "services" in compose_raw)
except yaml.YAMLError as e:
    check("docker-compose.yml parses as YAML", False, str(e))
    finish()

# .env.example: the values a deployment starts from (the two required passwords get test values).
env_lines = dotenv(ENV_EXAMPLE)
env_values = {k: v for k, v, _ in env_lines}
keys = [k for k, _, _ in env_lines]
check(".env.example has no key twice", len(keys) == len(set(keys)), str(sorted(k for k in keys if keys.count(k) > 1)))
required = re.findall(r"\$\{([A-Z_][A-Z0-9_]*):\?", raw_compose)
check("every required compose variable is in .env.example", set(required) <= set(env_values),
      str(set(required) - set(env_values)))
for name in set(required):
    env_values[name] = env_values.get(name) or f"test-{name.lower()}"
try:
    compose = yaml.safe_load(interpolate(raw_compose, env_values))
    check("docker-compose.yml interpolates with .env.example", True)
except KeyError as e:
    check("docker-compose.yml interpolates with .env.example", False, str(e))
    finish()
services = compose["services"]
print(f"services: {', '.join(services)}")
check("the stack has the tracker, redis, edge-1, edge-2, nginx, postgres, prometheus, node-exporter and grafana",
      {"tracker", "redis", "edge-1", "edge-2", "nginx", "postgres", "prometheus", "node-exporter", "grafana"}
      <= set(services), str(list(services)))
EDGES = sorted(n for n in services if n.startswith("edge-"))

# ---- images and builds ----
for name, s in services.items():
    has = "image" in s or "build" in s
    check(f"{name}: has an image or a build", has)
    if "build" in s:
        b = s["build"] if isinstance(s["build"], dict) else {"context": s["build"]}
        ctx = os.path.normpath(os.path.join(DEPLOY, b.get("context", ".")))
        df = os.path.join(ctx, b.get("dockerfile", "Dockerfile"))
        check(f"{name}: build context and Dockerfile exist", os.path.isdir(ctx) and os.path.isfile(df), df)
    if "image" in s and "build" not in s:
        check(f"{name}: image pinned to a version tag ({s['image']})",
              re.search(r":[^:/]+$", s["image"]) is not None and not s["image"].endswith(":latest"))

# ---- ports ----
def published(spec):
    """(host ip, host port, container port) of a short port spec 'ip:host:container' / 'host:container'."""
    parts = str(spec).split(":")
    if len(parts) == 3:
        return parts[0], int(parts[1]), int(parts[2].split("/")[0])
    if len(parts) == 2:
        return "0.0.0.0", int(parts[0]), int(parts[1].split("/")[0])
    return None, None, int(parts[0].split("/")[0])

host_ports = {}
for name, s in services.items():
    for spec in s.get("ports", []):
        ip, hp, cp = published(spec)
        if hp is not None:
            host_ports.setdefault(hp, []).append(name)
            check(f"{name}: port {spec} is valid", 0 < hp < 65536 and 0 < cp < 65536)
check("no two services publish one host port", all(len(v) == 1 for v in host_ports.values()), str(host_ports))
for name in ("prometheus", "grafana"):
    ips = [published(p)[0] for p in services[name].get("ports", [])]
    check(f"{name}: published on loopback only", ips and all(ip == "127.0.0.1" for ip in ips), str(ips))

# ---- volumes ----
declared = set((compose.get("volumes") or {}).keys())
named_writers = {}
for name, s in services.items():
    targets = []
    for v in s.get("volumes", []):
        src, _, rest = str(v).partition(":")
        target, _, mode = rest.partition(":")
        targets.append(target)
        ro = "ro" in mode.split(",")
        if src.startswith((".", "/")):
            path = os.path.normpath(os.path.join(DEPLOY, src)) if src.startswith(".") else src
            if src.startswith("."):
                check(f"{name}: bind mount {src} exists", os.path.exists(path), path)
        else:
            check(f"{name}: named volume {src} is declared", src in declared)
            if not ro:
                named_writers.setdefault(src, []).append(name)
    check(f"{name}: no two mounts at one path", len(targets) == len(set(targets)), str(targets))
check("no named volume is written by two services", all(len(v) == 1 for v in named_writers.values()),
      str(named_writers))
check("every declared volume is used", declared <= set(named_writers) | {
    str(v).partition(":")[0] for s in services.values() for v in s.get("volumes", [])}, str(declared))

# ---- the tracker's environment against what the tracker reads ----
reads, documented, in_code = serve_env(BIN, os.path.join(SRC, "src"))
print(f"vntracker serve reads: {' '.join(sorted(reads))}")
check("serve --help names only variables the code reads", documented <= set(in_code),
      str(documented - set(in_code)))
tracker = services["tracker"]
tracker_env = tracker.get("environment", {})
if isinstance(tracker_env, list):
    tracker_env = dict(e.split("=", 1) for e in tracker_env)
check("the tracker's environment sets only variables it reads", set(tracker_env) <= reads,
      str(set(tracker_env) - reads))
check("the tracker's environment sets DATABASE_URL to the postgres service",
      str(tracker_env.get("DATABASE_URL", "")).startswith("postgresql://")
      and "@postgres:5432/" in tracker_env.get("DATABASE_URL", ""))
tracker_part = {k for k, _, sec in env_lines if sec.startswith("Read by the tracker")}
other_part = {k for k, _, sec in env_lines if not sec.startswith("Read by the tracker")}
check(".env.example's tracker part holds only variables the tracker reads", tracker_part <= reads,
      str(tracker_part - reads))
# DATABASE_URL is composed from POSTGRES_*; PORT is overridden by --port in the container (both explained there).
# REDIS_URL is fixed to the redis service in compose (explained there too).
check("every variable the tracker reads is in .env.example (or explained there)",
      reads - tracker_part <= {"DATABASE_URL", "PORT", "REDIS_URL"}
      and all(re.search(rf"^#.*\b{n}\b", open(ENV_EXAMPLE).read(), re.M) for n in reads - tracker_part),
      str(reads - tracker_part))
check("the compose settings are not variables the tracker reads", not (other_part & reads), str(other_part & reads))
check("every tracker variable of .env.example reaches the tracker", tracker_part <= set(tracker_env),
      str(tracker_part - set(tracker_env)))
raw_command = compose_raw["services"]["tracker"]["command"]
check("compose's tracker command interpolates only compose settings",
      set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", " ".join(raw_command))) <= other_part)

# ---- healthchecks and depends_on ----
def deps(s):
    d = s.get("depends_on", {})
    return {k: {"condition": "service_started"} for k in d} if isinstance(d, list) else d

for name, s in services.items():
    for dep, spec in deps(s).items():
        check(f"{name}: depends on an existing service ({dep})", dep in services)
        cond = (spec or {}).get("condition", "service_started")
        if cond == "service_healthy":
            check(f"{name}: waits for {dep} healthy, and {dep} has a healthcheck",
                  "healthcheck" in services.get(dep, {}))
    hc = s.get("healthcheck")
    check(f"{name}: has a healthcheck", hc is not None and hc.get("test"))
    if hc:
        test = hc["test"] if isinstance(hc["test"], str) else " ".join(hc["test"])
        for m in re.finditer(r"https?://(?:127\.0\.0\.1|localhost):(\d+)(/\S*)?", test):
            port = int(m.group(1))
            own = {published(p)[2] for p in s.get("ports", [])}
            listens = own | {int(x) for x in re.findall(r"(?:--port[ =]|listen-address=:?)(\d+)",
                                                         " ".join(map(str, s.get("command", []))))}
            known = {"node-exporter": 9100}.get(name)
            check(f"{name}: healthcheck probes its own port ({port})", port in listens or port == known,
                  f"listens on {listens}")
        for key in ("interval", "timeout"):
            check(f"{name}: healthcheck {key} set", key in hc)

def cycle():
    state = {}
    def visit(n):
        if state.get(n) == 1:
            return True
        if state.get(n) == 2:
            return False
        state[n] = 1
        if any(visit(d) for d in deps(services[n]) if d in services):
            return True
        state[n] = 2
        return False
    return any(visit(n) for n in services)
check("depends_on has no cycle", not cycle())
check("the tracker waits for postgres to be healthy",
      deps(tracker).get("postgres", {}).get("condition") == "service_healthy")
tr_hc = " ".join(tracker["healthcheck"]["test"])
check("the tracker's healthcheck is GET /health", "/health" in tr_hc and "curl" in tr_hc)
check("the tracker waits for redis to be healthy",
      deps(tracker).get("redis", {}).get("condition") == "service_healthy")

# ---- the scale-out topology: redis, the edges, nginx ----
def env_of(s):
    e = s.get("environment", {})
    return dict(x.split("=", 1) for x in e) if isinstance(e, list) else {k: str(v) for k, v in e.items()}


def listen_port(s):
    """The container port a service's command listens on (--port N), if any."""
    m = re.search(r"--port[ =](\d+)", " ".join(map(str, s.get("command", []))))
    return int(m.group(1)) if m else None


redis_url = tracker_env.get("REDIS_URL", "")
check("the tracker's REDIS_URL is the redis service (redis://redis:6379)", redis_url == "redis://redis:6379",
      redis_url)
check("redis: image redis:7 with a redis-cli ping healthcheck",
      str(services["redis"].get("image", "")).startswith("redis:7")
      and "redis-cli" in " ".join(services["redis"].get("healthcheck", {}).get("test", []))
      and "ping" in " ".join(services["redis"].get("healthcheck", {}).get("test", [])))
check("the tracker publishes no port (users reach it through nginx; Prometheus scrapes it inside)",
      not tracker.get("ports"), str(tracker.get("ports")))
edge_reads, edge_documented, _ = serve_env(BIN, os.path.join(SRC, "src"), "edge")
print(f"vntracker edge reads: {' '.join(sorted(edge_reads))}")
check("edge --help names only variables the code reads", edge_documented <= set(in_code),
      str(edge_documented - set(in_code)))
for name in EDGES:
    e = services[name]
    e_env = env_of(e)
    cmd = [str(a) for a in e.get("command", [])]
    check(f"{name}: runs `vntracker edge` from the tracker's image",
          cmd[:1] == ["edge"] and e.get("image") == tracker.get("image"), f"{e.get('image')} {cmd}")
    check(f"{name}: listens on 0.0.0.0:8000 and serves the image's web app",
          "--host" in cmd and cmd[cmd.index("--host") + 1] == "0.0.0.0" and listen_port(e) == 8000
          and "--web" in cmd and cmd[cmd.index("--web") + 1] == "/app/web/dist", str(cmd))
    check(f"{name}: sets only variables `vntracker edge` reads", set(e_env) <= edge_reads,
          str(set(e_env) - edge_reads))
    check(f"{name}: REDIS_URL is the tracker's", e_env.get("REDIS_URL") == redis_url, e_env.get("REDIS_URL"))
    shared = tracker_part & edge_reads
    check(f"{name}: the shared settings ({', '.join(sorted(shared))}) as the tracker has them",
          all(e_env.get(k) == str(tracker_env.get(k)) for k in shared),
          str({k: (e_env.get(k), tracker_env.get(k)) for k in shared if e_env.get(k) != str(tracker_env.get(k))}))
    check(f"{name}: publishes no port (nginx is the way in)", not e.get("ports"))
    check(f"{name}: waits for redis to be healthy", deps(e).get("redis", {}).get("condition") == "service_healthy")
    hc = " ".join(e.get("healthcheck", {}).get("test", []))
    check(f"{name}: healthcheck is curl /health on its port", "curl" in hc and f":{listen_port(e)}/health" in hc, hc)
check("the edges are configured alike (command, environment)",
      len({json.dumps([services[n].get("command"), env_of(services[n])], sort_keys=True) for n in EDGES}) == 1)

ngx = services["nginx"]
check(f"nginx: image pinned nginx 1.x bookworm ({ngx.get('image')})",
      re.fullmatch(r"nginx:1\.\d+(\.\d+)?-bookworm", str(ngx.get("image", ""))) is not None)
nginx_ports = [published(p) for p in ngx.get("ports", [])]
check("nginx publishes the one user-facing port (${VNT_BIND}:${VNT_HTTP_PORT} -> 8000)",
      re.search(r'"\$\{VNT_BIND:-127\.0\.0\.1\}:\$\{VNT_HTTP_PORT:-8000\}:8000"', raw_compose) is not None
      and [cp for _, _, cp in nginx_ports] == [8000], str(ngx.get("ports")))
NGINX_CONF = os.path.join(DEPLOY, "nginx", "nginx.conf")
check("deploy/nginx/nginx.conf exists", os.path.isfile(NGINX_CONF))
check("nginx mounts ./nginx/nginx.conf read-only at /etc/nginx/nginx.conf",
      "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in [str(v) for v in ngx.get("volumes", [])],
      str(ngx.get("volumes")))
check("nginx waits for the tracker and both edges to be healthy",
      all(deps(ngx).get(n, {}).get("condition") == "service_healthy" for n in ["tracker", *EDGES]), str(deps(ngx)))
ncf = open(NGINX_CONF, encoding="utf-8").read() if os.path.isfile(NGINX_CONF) else ""
ncode = re.sub(r"#[^\n]*", "", ncf)
upstreams = {m.group(1): re.findall(r"^\s*server\s+([\w.-]+):(\d+)", m.group(2), re.M)
             for m in re.finditer(r"upstream\s+(\w+)\s*\{([^}]*)\}", ncode)}
print(f"nginx upstreams: {upstreams}")
for up, servers in upstreams.items():
    for host, port in servers:
        check(f"nginx upstream {up}: {host}:{port} is a compose service listening there",
              host in services and listen_port(services[host]) == int(port))


def location(path):
    """The body of `location <path> {...}` (no nested blocks in this config)."""
    m = re.search(r"location\s+" + re.escape(path) + r"\s*\{([^}]*)\}", ncode)
    return m.group(1) if m else ""


def upstream_of(body):
    m = re.search(r"proxy_pass\s+http://(\w+)\s*;", body)
    return m.group(1) if m else None


def timeout_s(body, key):
    m = re.search(key + r"\s+(\d+)(s|m|h)?\s*;", body)
    return int(m.group(1)) * {"s": 1, None: 1, "m": 60, "h": 3600}[m.group(2)] if m else 60


edge_up = [u for u, sv in upstreams.items() if sorted(h for h, _ in sv) == EDGES]
engine_up = [u for u, sv in upstreams.items() if [h for h, _ in sv] == ["tracker"]]
check("nginx: one upstream of exactly the edges, one of the tracker", len(edge_up) == 1 and len(engine_up) == 1)
ws = location("/ws/")
server_block = ncode[ncode.find("server {"):]
server_level = re.sub(r"location[^{]*\{[^}]*\}", "", server_block)
check("nginx: /ws/ goes to the edges", edge_up and upstream_of(ws) == edge_up[0], ws)
check("nginx: WebSocket upgrade headers (Upgrade $http_upgrade, Connection from a map of it), HTTP/1.1",
      re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade", server_level + ws) is not None
      and re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade", server_level + ws) is not None
      and re.search(r"map\s+\$http_upgrade\s+\$connection_upgrade", ncode) is not None
      and re.search(r"proxy_http_version\s+1\.1", server_level + ws) is not None)
check("nginx: /ws/ read and send timeouts of at least 10 minutes, no buffering",
      timeout_s(ws, "proxy_read_timeout") >= 600 and timeout_s(ws, "proxy_send_timeout") >= 600
      and re.search(r"proxy_buffering\s+off", ws) is not None)
check("nginx: the edge upstream balances by least_conn or hash",
      edge_up and re.search(r"upstream\s+" + edge_up[0] + r"\s*\{[^}]*\b(least_conn|hash\s)", ncode) is not None)
for path in ("/api/", "= /health", "= /metrics"):
    check(f"nginx: location {path} goes to the tracker", engine_up and upstream_of(location(path)) == engine_up[0])
check("nginx: / (the web app) goes to the edges", edge_up and upstream_of(location("/")) == edge_up[0])
market = location("/api/market/")
check("nginx: /api/market/ goes to the edges (they answer it from the channels' state)",
      edge_up and upstream_of(market) == edge_up[0], market)
check("nginx: a 503 from an edge on /api/market/ is retried on the tracker (error_page -> @engine)",
      re.search(r"proxy_intercept_errors\s+on\s*;", market) is not None
      and re.search(r"error_page\s+[0-9 ]*\b503\b[0-9 ]*=\s*@engine\s*;", market) is not None
      and engine_up and upstream_of(location("@engine")) == engine_up[0], market)
# The reads the channels do not carry (src/bus/edge_market_service.cpp EngineOnly) go to the tracker.
ENGINE_ONLY = ["candles", "sparklines", "volume-profile", "volume-stats", "basis-trend", "foreign-series", "overview"]
# alerts: the edges list them too, but only the engine holds each alert's delivery outcomes.
TO_ENGINE = ENGINE_ONLY + ["alerts"]
m = re.search(r"location\s+~\s+\^/api/market/\(([^)]*)\)\(/\|\$\)\s*\{([^}]*)\}", ncode)
check("nginx: exactly the engine-only market reads and alerts go to the tracker (a regex location over /api/market/)",
      m is not None and sorted(m.group(1).split("|")) == sorted(TO_ENGINE) and engine_up
      and upstream_of(m.group(2)) == engine_up[0], m.group(0) if m else "no such location")
edge_src = open(os.path.join(SRC, "src", "bus", "edge_market_service.cpp")).read()
check("nginx's engine-only list is the edge's (each answers 503 engine_only on an edge)",
      all(f'"{p}' in edge_src for p in ENGINE_ONLY))
check("nginx: proxy headers set once at server level (a location's own proxy_set_header would drop them all)",
      all("proxy_set_header" not in b for b in re.findall(r"location[^{]*\{([^}]*)\}", ncode)))
check("nginx: Host keeps the port ($http_host: the tracker compares a browser's Origin with it)",
      re.search(r"proxy_set_header\s+Host\s+\$http_host", server_level) is not None)
check("nginx: listens on the port compose publishes",
      re.search(r"^\s*listen\s+8000\s*;", ncode, re.M) is not None)
if shutil.which("nginx"):
    with tempfile.TemporaryDirectory(prefix="vnt-nginx-") as ntmp:
        local = ncf
        for host in services:
            local = re.sub(rf"\bserver\s+{re.escape(host)}:", "server 127.0.0.1:", local)
        local = re.sub(r"^user\s+[^;]*;", "", local, flags=re.M)
        for d in ("/var/run/", "/var/log/nginx/", "/var/cache/nginx/"):
            local = local.replace(d, ntmp + "/")
        open(os.path.join(ntmp, "nginx.conf"), "w").write(local)
        r = subprocess.run(["nginx", "-t", "-p", ntmp + "/", "-c", os.path.join(ntmp, "nginx.conf")],
                           capture_output=True, text=True, timeout=30)
        check("nginx -t accepts deploy/nginx/nginx.conf (upstream hosts made local, paths in a temp folder)",
              r.returncode == 0, r.stderr[-1500:])
else:
    print("note: nginx is not installed (scripts/install-deps.sh); nginx -t skipped")

# Prometheus scrapes compose services at the ports they listen on.
prom_cfg = yaml.safe_load(open(os.path.join(DEPLOY, "prometheus", "prometheus.yml")))
known_ports = {"node-exporter": 9100, "prometheus": 9090}
for job in prom_cfg["scrape_configs"]:
    for sc in job["static_configs"]:
        for t in sc["targets"]:
            host, _, port = t.rpartition(":")
            if host == "localhost":
                continue
            check(f"prometheus job {job['job_name']}: target {t} is a compose service listening there",
                  host in services and (listen_port(services[host]) or known_ports.get(host)) == int(port))
edge_jobs = [j for j in prom_cfg["scrape_configs"]
             if sorted(t.rpartition(":")[0] for sc in j["static_configs"] for t in sc["targets"]) == EDGES]
check("prometheus scrapes both edges in one job with role \"edge\"",
      len(edge_jobs) == 1 and all(sc.get("labels", {}).get("role") == "edge" for sc in edge_jobs[0]["static_configs"]))

# Provisioning paths mounted where the provisioning files say.
graf = services["grafana"]
prov = yaml.safe_load(open(os.path.join(DEPLOY, "grafana/provisioning/dashboards/vntracker.yml")))
dash_path = prov["providers"][0]["options"]["path"]
check("grafana mounts the dashboards where the provider reads them",
      any(str(v).split(":")[1] == dash_path for v in graf["volumes"]), dash_path)
home = graf.get("environment", {}).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", "")
check("grafana's home dashboard is one of the provisioned files",
      home.startswith(dash_path + "/") and os.path.isfile(os.path.join(DEPLOY, "grafana/dashboards",
                                                                        os.path.basename(home))), home)
ds = yaml.safe_load(open(os.path.join(DEPLOY, "grafana/provisioning/datasources/prometheus.yml")))
check("grafana's datasource points at the prometheus service",
      ds["datasources"][0]["url"] == "http://prometheus:9090")
prom_cmd = " ".join(services["prometheus"]["command"])
check("prometheus reads deploy/prometheus/prometheus.yml from its mount",
      "--config.file=/etc/prometheus/prometheus.yml" in prom_cmd
      and any(str(v).startswith("./prometheus:/etc/prometheus") for v in services["prometheus"]["volumes"]))

# ---- the real binaries with compose's environment and arguments ----
def local_args(args, web):
    """compose's arguments with the listen address on loopback, any free port and a local web folder."""
    repl = {"--host": "127.0.0.1", "--port": "0", "--web": web}
    out, i = [], 0
    while i < len(args):
        out.append(args[i])
        if args[i] in repl and i + 1 < len(args):
            out.append(repl[args[i]])
            i += 1
        i += 1
    return out


def json_log(path):
    """(lines, lines that are not JSON objects with time, level and message)."""
    lines = [l for l in open(path).read().splitlines() if l.strip()]
    bad = []
    for l in lines:
        try:
            if not {"time", "level", "message"} <= set(json.loads(l)):
                bad.append(l)
        except (ValueError, TypeError):
            bad.append(l)
    return lines, bad


with tempfile.TemporaryDirectory(prefix="vnt-compose-") as tmp:
    # The `redis` service stands in as a throwaway redis-server on a free loopback port.
    redis_port = free_port()
    env = {k: str(v) for k, v in tracker_env.items()}
    env["DATABASE_URL"] = "sqlite:" + os.path.join(tmp, "compose.db")
    env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}"
    args = [str(a) for a in tracker["command"]]
    check("the tracker's command starts with serve", args[:1] == ["serve"], str(args))
    # An empty web folder stands for the image's /app/web/dist.
    web = os.path.join(tmp, "web")
    os.mkdir(web)
    procs = Procs()
    try:
        procs.start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                              "--appendonly", "no", "--dir", tmp],
                    stdout=open(os.path.join(tmp, "redis.log"), "w"), stderr=subprocess.STDOUT)
        check("a throwaway redis-server listens (the compose `redis` service)", wait_port(redis_port, 20))
        p = procs.start("tracker", [BIN, *local_args(args, web)], env={"PATH": os.environ.get("PATH", ""), **env},
                        stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "stderr"), "w"), text=True)
        line = p.stdout.readline()
        ok = "listening on port" in line
        check("the tracker starts with compose's environment and arguments", ok,
              line + open(os.path.join(tmp, "stderr")).read()[-2000:])
        if ok:
            port = int(line.strip().rsplit(" ", 1)[1])
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as r:
                health = json.loads(r.read())
                check("GET /health answers 200 (the container's healthcheck)", r.status == 200, str(health))
            check("/health shows the feed and the SQLite store", "feed" in health and "store" in health,
                  str(health))
        # One edge as compose starts edge-1 (edge-2 is the same), following the tracker through Redis.
        e_env = {**env_of(services[EDGES[0]]), "REDIS_URL": env["REDIS_URL"]}
        e_args = [str(a) for a in services[EDGES[0]]["command"]]
        ep = procs.start("edge", [BIN, *local_args(e_args, web)], env={"PATH": os.environ.get("PATH", ""), **e_env},
                         stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "edge.log"), "w"), text=True)
        line = ep.stdout.readline()
        ok = "listening on port" in line
        check(f"{EDGES[0]} starts with compose's environment and arguments", ok,
              line + open(os.path.join(tmp, "edge.log")).read()[-2000:])
        if ok:
            eport = int(line.strip().rsplit(" ", 1)[1])
            end, eh = time.time() + 20, {}
            while time.time() < end:
                with urllib.request.urlopen(f"http://127.0.0.1:{eport}/health", timeout=10) as r:
                    eh = json.loads(r.read())
                if eh.get("status") == "ok":
                    break
                time.sleep(0.3)
            check(f"{EDGES[0]}: /health role edge, status ok (Redis connected, every channel synced)",
                  eh.get("role") == "edge" and eh.get("status") == "ok", str(eh)[:400])
    finally:
        procs.stop_all()
    for who, path in (("the tracker", "stderr"), (EDGES[0], "edge.log")):
        lines, bad = json_log(os.path.join(tmp, path))
        check(f"LOG_FORMAT=json from compose: all {len(lines)} log lines of {who} are JSON objects",
              lines and not bad, str(bad[:3]))
    check("the tracker, the edge and redis-server are gone", procs.all_gone())

# ---- the Dockerfile ----
dockerfile = open(DOCKERFILE, encoding="utf-8").read()
logical = re.sub(r"\\\n", " ", dockerfile)
instrs = [l.strip() for l in logical.splitlines() if l.strip() and not l.strip().startswith("#")]
stages = re.findall(r"^FROM\s+(\S+)\s+AS\s+(\S+)", "\n".join(instrs), re.M | re.I)
check("Dockerfile stages: web (node), build (debian:12), runtime (debian:12-slim)",
      [s[1] for s in stages] == ["web", "build", "runtime"] and stages[1][0].startswith("debian:12")
      and stages[2][0].startswith("debian:12-slim") and stages[0][0].startswith("node:20"), str(stages))
runtime = "\n".join(instrs).split("AS runtime", 1)[1]
users = re.findall(r"^USER\s+(\S+)", runtime, re.M)
check("the runtime stage runs as a non-root user", users and users[-1] not in ("root", "0"), str(users))
check("the runtime user is created", re.search(rf"useradd .*\b{users[-1] if users else '?'}\b", runtime) is not None)
hc = re.findall(r"^HEALTHCHECK\s+(.*)$", runtime, re.M)
check("the runtime stage has a HEALTHCHECK on /health", hc and "/health" in hc[0] and "curl" in hc[0], str(hc))
check("the build stage installs through scripts/install-deps.sh", "scripts/install-deps.sh --build-only" in logical)
check("the image's CMD does not pass --db (DATABASE_URL must be able to choose)",
      "--db" not in (re.findall(r"^CMD\s+(.*)$", runtime, re.M) or [""])[-1])
check("the image's HEALTHCHECK port is the CMD's --port",
      re.search(r"127\.0\.0\.1:(\d+)/health", hc[0] if hc else "") is not None
      and re.search(r'"--port",\s*"(\d+)"', runtime) is not None
      and re.search(r"127\.0\.0\.1:(\d+)/health", hc[0]).group(1) == re.search(r'"--port",\s*"(\d+)"', runtime).group(1))

ignore = [l.strip() for l in open(DOCKERFILE + ".dockerignore") if l.strip() and not l.startswith("#")]
copies = []
for ins in instrs:
    if ins.upper().startswith("COPY ") and "--from=" not in ins:
        parts = shlex.split(ins)[1:]
        copies += parts[:-1]
for c in copies:
    path = os.path.join(SRC, c)
    check(f"COPY source {c} exists", os.path.exists(path))
    check(f"COPY source {c} is not excluded by Dockerfile.dockerignore",
          not any(c.rstrip("/") == i or c.startswith(i + "/") for i in ignore))
check("Dockerfile.dockerignore leaves out the build trees and node_modules",
      {"build", "web/node_modules", ".git"} <= set(ignore))

# The runtime packages provide every shared library the tracker links (sanitizer runtimes of this debug
# build aside; libc6, libstdc++6 and libgcc-s1 are in debian:12-slim).
apt = re.search(r"apt-get install -y --no-install-recommends ([^&]+)", runtime)
runtime_pkgs = set(apt.group(1).split()) if apt else set()
needed = re.findall(r"NEEDED\s+(\S+)", subprocess.run(["objdump", "-p", BIN], capture_output=True, text=True).stdout)
base = {"libc6", "libstdc++6", "libgcc-s1"}
for lib in needed:
    if re.match(r"lib(asan|ubsan|tsan)\.", lib):
        continue
    owner = subprocess.run(["dpkg", "-S", lib], capture_output=True, text=True).stdout
    pkgs = {l.split(":")[0] for l in owner.splitlines() if l.strip()}
    check(f"the runtime stage provides {lib} ({', '.join(sorted(pkgs)) or 'no package'})",
          bool(pkgs & (runtime_pkgs | base)), f"installs {sorted(runtime_pkgs)}")
check("the runtime stage installs curl (HEALTHCHECK) and ca-certificates (TLS)",
      {"curl", "ca-certificates"} <= runtime_pkgs)

# install-deps.sh --build-only is a subset of the full list (one list of what the project builds with).
deps_sh = open(os.path.join(SRC, "scripts/install-deps.sh")).read()
def pkg_list(after):
    """The words of a bash array literal `PKGS=( ... )`, comments left out."""
    words = []
    for line in after.splitlines():
        code = line.split("#", 1)[0]
        words += code.split(")", 1)[0].split()
        if ")" in code:
            break
    return set(words)
full = pkg_list(deps_sh.split("PKGS=(", 1)[1])
build_only = pkg_list(deps_sh.split("PKGS=(", 2)[2])
check("install-deps.sh --build-only installs a subset of the full list", build_only and build_only <= full,
      str(build_only - full))

# The build stage configures from exactly what it copies (no file outside src/, CMake files and bench/CMakeLists).
with tempfile.TemporaryDirectory(prefix="vnt-docker-ctx-") as ctx:
    for c in copies:
        if c.startswith("web/") or c.startswith("scripts/"):
            continue
        src, dst = os.path.join(SRC, c), os.path.join(ctx, c)
        if os.path.isdir(src):
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
    t0 = time.time()
    r = subprocess.run(["cmake", "--preset", "release", "-DVNT_BUILD_BENCH=OFF", "--log-level=WARNING"], cwd=ctx,
                       capture_output=True, text=True, timeout=300)
    check(f"the build stage's CMake configure succeeds on the copied files ({time.time() - t0:.1f} s)",
          r.returncode == 0, r.stdout[-1500:] + r.stderr[-1500:])
    ninja = os.path.join(ctx, "build/release/build.ninja")
    check("the configured release build has the vntracker target",
          os.path.exists(ninja) and "build src/app/vntracker:" in open(ninja).read())

print(f"compose test: {time.time() - t_start:.1f} s")
finish()
