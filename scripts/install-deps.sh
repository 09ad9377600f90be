#!/usr/bin/env bash
# Installs every Debian 12 package the project needs. Idempotent: packages already present are skipped,
# so a second run does no network work. Used by scripts/run.sh, scripts/test.sh and .ci/run.
# `--build-only`: just what building the release binary needs (deploy/Dockerfile's build stage: no test
# servers, browser, monitoring tools or Node.js; the web app is built in a node image there).
set -euo pipefail
BUILD_ONLY=0
if [[ ${1:-} == --build-only ]]; then BUILD_ONLY=1; fi

# Build toolchain and C++ libraries (see ../shared/stack.md for versions and traps).
PKGS=(
  build-essential cmake ninja-build pkg-config ccache git
  clang-format                             # scripts/format.sh: the C++ formatting convention, checked by ctest
  clang-tidy                               # scripts/tidy.sh: the curated clang-tidy checks, checked by ctest
  clang libclang-rt-14-dev                 # libFuzzer target for the decoder
  libsimdjson-dev libcli11-dev
  libboost1.81-dev libssl-dev               # Beast/Asio (header-only), TLS
  ca-certificates openssl                  # TLS to the SSI hosts; test certificates
  libsqlite3-dev sqlite3 zlib1g-dev        # the history store; zlib packs the frame journal
  libhiredis-dev redis-server              # the bus to the edges (hiredis); its tests start a throwaway Redis
  libpq-dev postgresql-15                  # the PostgreSQL store (libpq); its tests start a throwaway server
  libgtest-dev libgmock-dev libbenchmark-dev
  python3                                  # test helpers (golden comparisons, functional tests)
  prometheus                               # promtool (metrics, config, alert rules) + the server deploy tests run
  prometheus-node-exporter                 # the host dashboard's exporter, run by deploy_monitoring_stack
  nginx                                    # scripts/stack.sh: the proxy in front of the edges (deploy_native_stack)
  python3-yaml                             # deploy tests read docker-compose.yml and the Prometheus files
  curl
  chromium                                 # the web app's browser tests (playwright-core drives it)
)
# Node.js >= 20.19 and npm build the web app (Vite 8). A machine that already has a suitable node (e.g. from
# NodeSource) keeps it; otherwise Debian's nodejs + npm are installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then PKGS+=(nodejs npm); fi
if ((BUILD_ONLY)); then
  PKGS=(build-essential cmake ninja-build pkg-config libsimdjson-dev libcli11-dev libboost1.81-dev libssl-dev
        ca-certificates libsqlite3-dev zlib1g-dev libpq-dev libhiredis-dev)
fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PKGS[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) != 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ((BUILD_ONLY)); then exit 0; fi
# Vite 8 needs Node.js 20.19+ (or 22.12+).
node_version=$(node --version 2>/dev/null || echo none)
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "install-deps: Node.js >= 20.19 is required for the web app (found $node_version); install a newer nodejs" >&2
  exit 1
fi
