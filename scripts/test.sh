#!/usr/bin/env bash
# The README's "test" command: installs what is missing, builds the debug tree (ASan + UBSan) and runs
# every test with ctest (unit, golden, functional and a bounded fuzz run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug "$@"
