#!/usr/bin/env bash
# Builds the libFuzzer decoder target with clang and runs it for a bounded time (default 60 s),
# seeded from the SSI samples. Exit status is non-zero if the fuzzer finds a crash or leak.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET=${1:-${VNT_FUZZ_SECONDS:-60}}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target decoder_fuzz
CORPUS=$(mktemp -d)
trap 'rm -rf "$CORPUS"' EXIT
i=0
while IFS= read -r line; do
  printf '%s' "$line" > "$CORPUS/seed$i"; i=$((i + 1))
done < tests/data/sample-frames.txt
# Compact frames as the hub sends them (no line breaks): the shape the decoder's in-place fast path takes.
while IFS= read -r line; do
  printf '%s' "$line" > "$CORPUS/seed$i"; i=$((i + 1))
done < tests/data/compact-frames.txt
for f in tests/data/broken/*.txt; do cp "$f" "$CORPUS/" 2>/dev/null || true; done
mkdir -p build/fuzz/artifacts
build/fuzz/src/feed/decoder_fuzz -max_total_time="$SECONDS_BUDGET" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1 "$CORPUS"
