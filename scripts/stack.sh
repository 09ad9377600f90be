#!/usr/bin/env bash
# The native twin of deploy/docker-compose.yml on one machine, from Debian's packages, on loopback ports:
#   PostgreSQL 15 (a cluster of its own) -> vntracker serve --bus (engine node) -> redis-server -> two
#   vntracker edge -> nginx in front (deploy/nginx/nginx.conf, rewritten for here), and Prometheus (the
#   deploy config and alert rules, rewritten targets) scraping the tracker, the edges, node exporter and itself.
#
#   scripts/stack.sh up       start what is not running (idempotent), wait until each part answers
#   scripts/stack.sh down     stop everything it started (SIGTERM, then SIGKILL after a grace period)
#   scripts/stack.sh status   each part, its pid, address and whether it is up (exit 0 only when all are)
#
# Everything lives under $VNT_STACK_DIR (default ./data/stack): pg/ (the cluster), redis/, prometheus/ (TSDB),
# nginx/ (its temp folders), run/*.pid, logs/*.log, and the generated nginx.conf and prometheus.yml. No root
# needed; as root, PostgreSQL runs as the `postgres` user (initdb refuses root). Packages: scripts/install-deps.sh.
#
# Environment (defaults in brackets):
#   VNT_BIN                     the vntracker binary [the newer of build/release and build/debug]
#   VNT_STACK_DIR               [./data/stack]
#   VNT_STACK_HTTP_PORT         nginx, the port users open: web app, REST, WebSocket [8000]
#   VNT_STACK_TRACKER_PORT      the engine node [18000]
#   VNT_STACK_EDGE1_PORT, VNT_STACK_EDGE2_PORT   the edges [18001, 18002]
#   VNT_STACK_PG_PORT           PostgreSQL [15432]     VNT_STACK_REDIS_PORT   redis-server [16379]
#   VNT_STACK_PROM_PORT         Prometheus [19090]     VNT_STACK_NODE_PORT    node exporter [19100]
#   VNT_STACK_FEED              sim | ssi | replay:FILE [sim]      VNT_STACK_SPEED   feed pacing [1]
#   VNT_STACK_SCRAPE_INTERVAL   Prometheus scrape/evaluation interval [15s, as deployed]
#   VNT_STACK_PG_PASSWORD       the `stock` role's password [stock-local]
#   VNT_STACK_WEB               the built web app [web/dist]
#   LOG_LEVEL, LOG_FORMAT, CORS_ORIGINS, VNT_API_TOKEN, SSI_* ...: passed through to the tracker and the edges.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${VNT_STACK_DIR:-$ROOT/data/stack}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
RUN=$DIR/run
LOGS=$DIR/logs

HTTP_PORT=${VNT_STACK_HTTP_PORT:-8000}
TRACKER_PORT=${VNT_STACK_TRACKER_PORT:-18000}
EDGE1_PORT=${VNT_STACK_EDGE1_PORT:-18001}
EDGE2_PORT=${VNT_STACK_EDGE2_PORT:-18002}
PG_PORT=${VNT_STACK_PG_PORT:-15432}
REDIS_PORT=${VNT_STACK_REDIS_PORT:-16379}
PROM_PORT=${VNT_STACK_PROM_PORT:-19090}
NODE_PORT=${VNT_STACK_NODE_PORT:-19100}
FEED=${VNT_STACK_FEED:-sim}
SPEED=${VNT_STACK_SPEED:-1}
SCRAPE=${VNT_STACK_SCRAPE_INTERVAL:-}
PG_PASSWORD=${VNT_STACK_PG_PASSWORD:-stock-local}
WEB=${VNT_STACK_WEB:-$ROOT/web/dist}
PGBIN=/usr/lib/postgresql/15/bin

if [[ -z ${VNT_BIN:-} ]]; then
  rel=$ROOT/build/release/src/app/vntracker dbg=$ROOT/build/debug/src/app/vntracker
  if [[ -x $rel && ( ! -x $dbg || $rel -nt $dbg ) ]]; then VNT_BIN=$rel; else VNT_BIN=$dbg; fi
fi

PARTS=(postgres redis tracker edge-1 edge-2 nginx node-exporter prometheus)

log() { echo "stack: $*"; }
die() { echo "stack: $*" >&2; exit 1; }

# The pid of a part when its process is alive and is what we started (guards against a reused pid).
pid_of() {
  local name=$1 file pid
  case $name in
    postgres) file=$DIR/pg/data/postmaster.pid ;;
    *) file=$RUN/$name.pid ;;
  esac
  [[ -r $file ]] || return 1
  pid=$(head -n1 "$file" 2>/dev/null | tr -dc 0-9)
  [[ -n $pid ]] && ! gone "$pid" || return 1
  local comm
  comm=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  case $name in
    postgres) [[ $comm == *postgres* ]] ;;
    redis) [[ $comm == *redis-server* ]] ;;
    tracker | edge-*) [[ $comm == *vntracker* ]] ;;
    nginx) [[ $comm == *nginx* ]] ;;
    node-exporter) [[ $comm == *node-exporter* || $comm == *node_exporter* ]] ;;
    prometheus) [[ $comm == *prometheus* ]] ;;
  esac || return 1
  echo "$pid"
}

port_of() {
  case $1 in
    postgres) echo "$PG_PORT" ;; redis) echo "$REDIS_PORT" ;; tracker) echo "$TRACKER_PORT" ;;
    edge-1) echo "$EDGE1_PORT" ;; edge-2) echo "$EDGE2_PORT" ;; nginx) echo "$HTTP_PORT" ;;
    node-exporter) echo "$NODE_PORT" ;; prometheus) echo "$PROM_PORT" ;;
  esac
}

# Whether the part answers on its port: a protocol-level probe where there is one.
answers() {
  local port
  port=$(port_of "$1")
  case $1 in
    postgres) "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 ;;
    redis) [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] ;;
    tracker | edge-1 | edge-2 | nginx) curl -fs -m 3 -o /dev/null "http://127.0.0.1:$port/health" ;;
    node-exporter) curl -fs -m 3 -o /dev/null "http://127.0.0.1:$port/metrics" ;;
    prometheus) curl -fs -m 3 -o /dev/null "http://127.0.0.1:$port/-/ready" ;;
  esac
}

wait_answers() {
  local name=$1 secs=${2:-60} i
  for ((i = 0; i < secs * 5; i++)); do
    answers "$name" && return 0
    if ! pid_of "$name" >/dev/null; then
      echo "stack: $name exited; the end of its log:" >&2
      tail -n 20 "$LOGS/$name.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.2
  done
  echo "stack: $name does not answer on port $(port_of "$name") after ${secs} s; the end of its log:" >&2
  tail -n 20 "$LOGS/$name.log" >&2 2>/dev/null || true
  return 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts a long-running command in a session of its own (detached from this shell), stdout and stderr to its
# log, and records its pid.
spawn() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local pg=$DIR/pg
  mkdir -p "$pg"
  if [[ $(id -u) == 0 ]]; then
    chown postgres: "$pg"
    touch "$LOGS/postgres.log" && chown postgres: "$LOGS/postgres.log"
  fi
  if [[ ! -f $pg/data/PG_VERSION ]]; then
    log "initdb $pg/data"
    as_pg "$PGBIN/initdb" -D "$pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
      --locale=C.UTF-8 >>"$LOGS/postgres.log" 2>&1 || die "initdb failed (see $LOGS/postgres.log)"
  fi
  as_pg "$PGBIN/pg_ctl" -D "$pg/data" -w -t 60 -l "$LOGS/postgres.log" \
    -o "-p $PG_PORT -k $pg -c listen_addresses=127.0.0.1" start >/dev/null ||
    die "PostgreSQL did not start (see $LOGS/postgres.log)"
  # The tracker's role and database (created once; the tracker creates its tables).
  local psql=("$PGBIN/psql" -h "$pg" -p "$PG_PORT" -U postgres -d postgres -tAq -v ON_ERROR_STOP=1)
  if [[ $(as_pg "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'stock'") != 1 ]]; then
    as_pg "${psql[@]}" -c "CREATE ROLE stock LOGIN PASSWORD '$PG_PASSWORD'"
  fi
  if [[ $(as_pg "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'stock_tracker'") != 1 ]]; then
    as_pg "${psql[@]}" -c "CREATE DATABASE stock_tracker OWNER stock"
  fi
}

start_redis() {
  mkdir -p "$DIR/redis"
  # No persistence, as in compose: the engine republishes its snapshots when it reconnects.
  spawn redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" --save '' --appendonly no \
    --daemonize no
}

# --web when the web app is built (else the binaries serve their placeholder page).
web_args() { WEB_ARGS=(); if [[ -d $WEB ]]; then WEB_ARGS=(--web "$WEB"); fi; }

start_tracker() {
  # DATABASE_URL and REDIS_URL in the environment, not on the command line (visible in the process list).
  # Behind nginx every request comes from one address: nginx applies the per-client caps (--conn-per-ip 0).
  web_args
  DATABASE_URL="postgresql://stock:$PG_PASSWORD@127.0.0.1:$PG_PORT/stock_tracker" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    spawn tracker "$VNT_BIN" serve --host 127.0.0.1 --port "$TRACKER_PORT" --feed "$FEED" --speed "$SPEED" \
    --conn-per-ip 0 "${WEB_ARGS[@]}"
}

start_edge() {
  local name=$1 port=$2
  web_args
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    spawn "$name" "$VNT_BIN" edge --host 127.0.0.1 --port "$port" --ws-per-ip 1000000 --conn-per-ip 0 \
    "${WEB_ARGS[@]}"
}

# deploy/nginx/nginx.conf with only the addresses and the pid/log/temp paths changed.
nginx_conf() {
  local user_line='/^user /d'
  sed -e "$user_line" \
    -e "s#server edge-1:8000#server 127.0.0.1:$EDGE1_PORT#" \
    -e "s#server edge-2:8000#server 127.0.0.1:$EDGE2_PORT#" \
    -e "s#server tracker:8000#server 127.0.0.1:$TRACKER_PORT#" \
    -e "s#^\( *\)listen 8000;#\1listen 127.0.0.1:$HTTP_PORT;#" \
    -e "s#/var/run/nginx.pid#$RUN/nginx.pid#" \
    -e "s#/var/log/nginx/error.log#$LOGS/nginx.log#" \
    -e "s#/var/log/nginx/access.log#$LOGS/nginx-access.log#" \
    -e "s#/var/cache/nginx/#$DIR/nginx/#" \
    "$ROOT/deploy/nginx/nginx.conf"
}

start_nginx() {
  mkdir -p "$DIR/nginx"
  nginx_conf >"$DIR/nginx.conf"
  grep -q "127.0.0.1:$HTTP_PORT" "$DIR/nginx.conf" || die "deploy/nginx/nginx.conf: listen line not rewritten"
  grep -Eq 'edge-[12]:|tracker:' "$DIR/nginx.conf" && die "deploy/nginx/nginx.conf: an upstream not rewritten"
  nginx -q -t -p "$DIR/nginx/" -c "$DIR/nginx.conf" 2>>"$LOGS/nginx.log" ||
    die "nginx -t refused $DIR/nginx.conf (see $LOGS/nginx.log)"
  # nginx daemonizes and writes its master's pid to $RUN/nginx.pid itself.
  nginx -p "$DIR/nginx/" -c "$DIR/nginx.conf" </dev/null >>"$LOGS/nginx.log" 2>&1 ||
    die "nginx did not start (see $LOGS/nginx.log)"
  local i
  for ((i = 0; i < 50; i++)); do pid_of nginx >/dev/null && return 0; sleep 0.1; done
  die "nginx wrote no pid file"
}

start_node_exporter() {
  spawn node-exporter prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_PORT" --no-collector.systemd
}

# deploy/prometheus/prometheus.yml with only the targets, the rules' path and (when asked) the intervals changed.
prometheus_conf() {
  local args=(
    -e "s#\"tracker:8000\"#\"127.0.0.1:$TRACKER_PORT\"#"
    -e "s#\"edge-1:8000\"#\"127.0.0.1:$EDGE1_PORT\"#"
    -e "s#\"edge-2:8000\"#\"127.0.0.1:$EDGE2_PORT\"#"
    -e "s#\"node-exporter:9100\"#\"127.0.0.1:$NODE_PORT\"#"
    -e "s#\"localhost:9090\"#\"127.0.0.1:$PROM_PORT\"#"
    -e "s#^\( *- \)rules/#\1$ROOT/deploy/prometheus/rules/#"
  )
  if [[ -n $SCRAPE ]]; then
    args+=(-e "s#^\( *scrape_interval:\).*#\1 $SCRAPE#" -e "s#^\( *scrape_timeout:\).*#\1 $SCRAPE#"
           -e "s#^\( *evaluation_interval:\).*#\1 $SCRAPE#")
  fi
  sed "${args[@]}" "$ROOT/deploy/prometheus/prometheus.yml"
}

start_prometheus() {
  mkdir -p "$DIR/prometheus"
  prometheus_conf >"$DIR/prometheus.yml"
  grep -Eq '"(tracker|edge-[12]|node-exporter):' "$DIR/prometheus.yml" && die "prometheus.yml: a target not rewritten"
  promtool check config "$DIR/prometheus.yml" >/dev/null 2>&1 ||
    die "promtool refused $DIR/prometheus.yml: $(promtool check config "$DIR/prometheus.yml" 2>&1 | tail -n 3)"
  spawn prometheus prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/prometheus" \
    --web.listen-address="127.0.0.1:$PROM_PORT"
}

up() {
  [[ -x $VNT_BIN ]] || die "no vntracker binary at $VNT_BIN (build it, or set VNT_BIN)"
  local tool
  for tool in "$PGBIN/initdb" redis-server redis-cli nginx prometheus promtool prometheus-node-exporter curl setsid; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh"
  done
  mkdir -p "$RUN" "$LOGS"
  local name
  for name in "${PARTS[@]}"; do
    if pid_of "$name" >/dev/null; then
      log "$name already running (pid $(pid_of "$name"))"
      continue
    fi
    port_free "$(port_of "$name")" || die "port $(port_of "$name") for $name is taken (set VNT_STACK_*_PORT)"
    log "starting $name on 127.0.0.1:$(port_of "$name")"
    case $name in
      postgres) start_postgres ;;
      redis) start_redis ;;
      tracker) start_tracker ;;
      edge-1) start_edge edge-1 "$EDGE1_PORT" ;;
      edge-2) start_edge edge-2 "$EDGE2_PORT" ;;
      nginx) start_nginx ;;
      node-exporter) start_node_exporter ;;
      prometheus) start_prometheus ;;
    esac
    wait_answers "$name" 60 || die "$name did not come up (logs in $LOGS); 'scripts/stack.sh down' stops the rest"
  done
  log "up: http://127.0.0.1:$HTTP_PORT (web app, REST, WebSocket)  Prometheus: http://127.0.0.1:$PROM_PORT"
}

# Gone, or a zombie waiting for its reaper (the parts are orphans: init, or a subreaper, reaps them).
gone() {
  local stat
  kill -0 "$1" 2>/dev/null || return 0
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  [[ ${stat:0:1} == Z ]]
}

stop_pid() {
  local name=$1 pid=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do
    gone "$pid" && return 0
    sleep 0.05
  done
  log "$name (pid $pid) ignored SIGTERM for 15 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

down() {
  local i name pid
  for ((i = ${#PARTS[@]} - 1; i >= 0; i--)); do
    name=${PARTS[i]}
    if ! pid=$(pid_of "$name"); then
      rm -f "$RUN/$name.pid"
      continue
    fi
    local t0=$EPOCHREALTIME
    if [[ $name == postgres ]]; then
      as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/data" -w -t 30 -m fast stop >/dev/null || stop_pid "$name" "$pid"
    else
      stop_pid "$name" "$pid"
      # nginx's workers and anything else left in the part's session.
      if [[ $name != nginx ]]; then pkill -TERM -s "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$RUN/$name.pid"
    log "stopped $name (pid $pid, $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s)"
  done
  log "down"
}

status() {
  local name pid state all=0
  for name in "${PARTS[@]}"; do
    if pid=$(pid_of "$name"); then
      if answers "$name"; then state=up; else state="running, not answering"; all=1; fi
    else
      pid=- state=down all=1
    fi
    printf '%-14s %-24s pid %-8s 127.0.0.1:%s\n' "$name" "$state" "$pid" "$(port_of "$name")"
  done
  return $all
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status   (the native stack under ${DIR}; see the head of this script)" >&2; exit 2 ;;
esac
