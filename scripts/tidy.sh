#!/usr/bin/env bash
# The curated clang-tidy checks (.clang-tidy, clang-tidy 14 from Debian 12), every one an error, over the .cpp
# files of src/ that the debug build compiles (build/debug/compile_commands.json): the library and command
# sources; tests, benchmarks, fuzzers and generated files are not checked. Two files at a time.
#   scripts/tidy.sh             checks them and fails on any finding (the tidy_check ctest test)
#   scripts/tidy.sh --all       also the *_test.cpp files (GoogleTest makes it about 1.6 times slower)
#   scripts/tidy.sh FILE...     checks the named files only
# VNT_TIDY_JOBS sets the parallelism (default 2), VNT_TIDY_BUILD the build folder (default build/debug).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-tidy >/dev/null || { echo "tidy: clang-tidy not found: run scripts/install-deps.sh" >&2; exit 1; }
build=${VNT_TIDY_BUILD:-build/debug}
jobs=${VNT_TIDY_JOBS:-2}
if [[ ! -f $build/compile_commands.json ]]; then
  echo "tidy: $build/compile_commands.json is missing: run cmake --preset debug" >&2
  exit 1
fi

all=0
if [[ ${1:-} == --all ]]; then
  all=1
  shift
fi
if (($#)); then
  files=("$@")
else
  # The sources of src/ in the compilation database (generated files live under build/ and are left out).
  mapfile -t files < <(python3 - "$build/compile_commands.json" "$PWD/src/" "$all" <<'EOF'
import json, sys
db, src, everything = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
skip = () if everything else ("_test.cpp",)
# asio_impl.cpp only compiles Boost.Asio and Beast (their separate-compilation sources): no code of ours to
# check, and the largest translation unit for clang-tidy to walk.
names = {e["file"] for e in json.load(open(db)) if e["file"].startswith(src)} - {src + "common/asio_impl.cpp"}
for name in sorted(n for n in names if not n.endswith(skip + ("_benchmark.cpp", "_fuzz.cpp"))):
    print(name)
EOF
  )
fi
if ((${#files[@]} == 0)); then
  echo "tidy: no source files found in $build/compile_commands.json" >&2
  exit 1
fi

# One clang-tidy per file; its findings are printed in one piece (without the "N warnings generated" count of
# the diagnostics it suppressed: those of system headers and of checks that are off).
check_one() {
  local out rc=0
  out=$(clang-tidy -p "$1" --quiet "$2" 2>&1) || rc=$?
  out=$(grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' <<<"$out" || true)
  if [[ -n $out ]]; then printf '%s\n' "$out"; fi
  return $((rc == 0 ? 0 : 1))
}
export -f check_one
t0=$SECONDS
status=0
printf '%s\0' "${files[@]}" | xargs -0 -P "$jobs" -n 1 bash -c 'check_one "$0" "$1"' "$build" || status=$?
if ((status != 0)); then
  echo "tidy: findings above (.clang-tidy lists the checks; fix the code, or NOLINT(check) with a reason)" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files pass .clang-tidy ($((SECONDS - t0)) s, $jobs jobs)"
