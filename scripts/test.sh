#!/usr/bin/env bash
# The README's "test" command: installs what is missing, builds the debug tree (ASan + UBSan) and runs
# every test with ctest (unit, golden, functional with real PostgreSQL servers, the browser test and a
# bounded fuzz run), then the threaded parts' tests again under ThreadSanitizer. Each step prints its time.
# Arguments go to the debug ctest (e.g. -R Decoder); with arguments the tsan step is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

step() {  # step NAME COMMAND...: runs the command and prints how long it took
  local name=$1 t0=$SECONDS
  shift
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - t0)) s"
}

step install-deps bash scripts/install-deps.sh
step configure cmake --preset debug --log-level=WARNING
step build cmake --build --preset debug
step ctest ctest --preset debug "$@"
if (($# == 0)); then
  step tsan-configure cmake --preset tsan --log-level=WARNING
  step tsan-build cmake --build --preset tsan
  step tsan-ctest ctest --preset tsan --no-tests=error
fi
echo "== total: $SECONDS s"
