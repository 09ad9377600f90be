#!/usr/bin/env bash
# The README's "run" command: installs what is missing, builds the optimised binary and runs the tracker
# on its default. Extra arguments are passed to vntracker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vntracker
bash scripts/web.sh build   # web/dist, served at / (npm ci only when node_modules is missing or stale)
BIN=build/release/src/app/vntracker
if "$BIN" serve --help >/dev/null 2>&1; then
  exec "$BIN" serve "$@"
fi
# Until the server lands (issue 6) the default run decodes the bundled SSI sample frames.
exec "$BIN" decode tests/data/sample-frames.txt "$@"
