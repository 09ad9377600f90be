#!/usr/bin/env python3
"""deploy/docker-compose.yml, deploy/.env.example and deploy/Dockerfile, checked without a container engine
(none runs on the CI machines):

- the compose file parses; every service has an image or a build whose context and Dockerfile exist;
- published host ports do not collide, bind-mount sources exist, named volumes are declared and no two
  services write to one volume, no service mounts two things at one path;
- every environment variable compose sets for the tracker is one `vntracker serve` reads (named in its
  --help and read in src/), every variable it reads is in .env.example, and .env.example's tracker part holds
  nothing else; then the real binary is started with exactly the environment and arguments compose gives
  it (DATABASE_URL pointed at a throwaway SQLite file: the `postgres` host exists only inside compose) and must
  serve /health, logging JSON lines;
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

from deploytest import Procs, check, dotenv, finish, interpolate, serve_env

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
check("the stack has the tracker, postgres, prometheus, node-exporter and grafana",
      {"tracker", "postgres", "prometheus", "node-exporter", "grafana"} <= set(services), str(list(services)))

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
check("every variable the tracker reads is in .env.example (or explained there)",
      reads - tracker_part <= {"DATABASE_URL", "PORT"}
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

# ---- the real binary with compose's environment and arguments ----
with tempfile.TemporaryDirectory(prefix="vnt-compose-") as tmp:
    env = {k: str(v) for k, v in tracker_env.items()}
    env["DATABASE_URL"] = "sqlite:" + os.path.join(tmp, "compose.db")
    args = [str(a) for a in tracker["command"]]
    check("the tracker's command starts with serve", args[:1] == ["serve"], str(args))
    # Loopback and a free port here; an empty web folder stands for the image's /app/web/dist.
    web = os.path.join(tmp, "web")
    os.mkdir(web)
    repl = {"--host": "127.0.0.1", "--port": "0", "--web": web}
    run_args = []
    i = 0
    while i < len(args):
        run_args.append(args[i])
        if args[i] in repl and i + 1 < len(args):
            run_args.append(repl[args[i]])
            i += 1
        i += 1
    procs = Procs()
    try:
        p = procs.start("tracker", [BIN, *run_args], env={"PATH": os.environ.get("PATH", ""), **env},
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
    finally:
        procs.stop_all()
    lines = [l for l in open(os.path.join(tmp, "stderr")).read().splitlines() if l.strip()]
    bad = []
    for l in lines:
        try:
            o = json.loads(l)
            if not {"time", "level", "message"} <= set(o):
                bad.append(l)
        except ValueError:
            bad.append(l)
    check(f"LOG_FORMAT=json from compose: all {len(lines)} log lines are JSON objects", lines and not bad,
          str(bad[:3]))
    check("the tracker process is gone", procs.all_gone())

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
