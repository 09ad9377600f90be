#!/usr/bin/env bash
# The README's "run" command: installs what is missing, builds the optimised binary and runs the tracker
# on its default. Extra arguments are passed to vntracker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vntracker
bash scripts/web.sh build   # web/dist, served at / (npm ci only when node_modules is missing or stale)
exec build/release/src/app/vntracker serve "$@"
