#!/usr/bin/env bash
# The README's "test" command: installs what is missing, builds the debug tree (ASan + UBSan) and runs
# every test with ctest (unit, golden, functional with real PostgreSQL servers, the browser test and a
# bounded fuzz run), then the threaded parts' tests again under ThreadSanitizer. Each step prints its time.
# Arguments go to the debug ctest (e.g. -R Decoder); with arguments the tsan step is skipped.
# Without arguments the tsan tree is compiled at low priority beside the debug ctest (see below).
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
if (($# == 0)); then
  # The ThreadSanitizer tree is compiled during the debug ctest, one file at a time at the lowest priority:
  # many tests wait (servers on simulated time, a browser, PostgreSQL), and this uses the core they leave
  # idle without taking CPU from the ones that run. What is not done when ctest ends is built at full width.
  step tsan-configure cmake --preset tsan --log-level=WARNING
  setsid nice -n 19 cmake --build --preset tsan -j1 >build/tsan-prebuild.log 2>&1 &
  prebuild=$!
  stop_prebuild() { kill -TERM -- "-$prebuild" 2>/dev/null || true; wait "$prebuild" 2>/dev/null || true; }
  trap stop_prebuild EXIT
fi
step ctest ctest --preset debug "$@"
if (($# == 0)); then
  stop_prebuild
  trap - EXIT
  echo "tsan: $(grep -c '^\[' build/tsan-prebuild.log || true) build steps done beside ctest"
  step tsan-build cmake --build --preset tsan
  step tsan-ctest ctest --preset tsan --no-tests=error
fi
echo "== total: $SECONDS s"
