#!/usr/bin/env bash
# Installs every Debian 12 package the project needs. Idempotent: packages already present are skipped,
# so a second run does no network work. Used by scripts/run.sh, scripts/test.sh and .ci/run.
set -euo pipefail

# Build toolchain and C++ libraries (see ../shared/stack.md for versions and traps).
PKGS=(
  build-essential cmake ninja-build pkg-config ccache git
  clang libclang-rt-14-dev                 # libFuzzer target for the decoder
  libsimdjson-dev rapidjson-dev libfmt-dev libspdlog-dev libcli11-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev
  ca-certificates openssl                  # TLS to the SSI hosts; test certificates
  libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  python3                                  # test helpers (golden comparisons, functional tests)
  prometheus                               # promtool: /metrics is checked with `promtool check metrics`
  curl
)
# Later layers (web app, PostgreSQL, browser tests) add their packages here.
if [[ "${VNT_WITH_E2E:-0}" == 1 ]]; then PKGS+=(chromium); fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) != 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
