#!/usr/bin/env bash
# Builds a libFuzzer target with clang and runs it for a bounded time (default 60 s).
#   scripts/fuzz.sh [SECONDS] [decoder|http|ws]
# decoder: SSI frames -> decoder, seeded from the SSI samples.
# http:    request bytes -> parser -> canonical path/auth/routing -> REST handlers, seeded with every
#          documented endpoint. Exit status is non-zero if the fuzzer finds a crash, a leak or a broken
#          invariant (invalid JSON, bad status).
# ws:      client WebSocket frames (masked, fragmented, compressed, control), deflate offers, handshake keys.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET=${1:-}
SECONDS_BUDGET=${SECONDS_BUDGET:-${VNT_FUZZ_SECONDS:-60}}
TARGET=${2:-decoder}
# VNT_FUZZ_PREBUILT=1: build/fuzz is built already (ctest's fuzz_build fixture builds every target once, so
# the three runs can go side by side without two builds in one folder).
build() {
  if [[ -z ${VNT_FUZZ_PREBUILT:-} ]]; then
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz --target "$1"
  fi
}
CORPUS=$(mktemp -d)
trap 'rm -rf "$CORPUS"' EXIT
mkdir -p build/fuzz/artifacts
i=0
if [[ $TARGET == decoder ]]; then
  build decoder_fuzz
  while IFS= read -r line; do
    printf '%s' "$line" > "$CORPUS/seed$i"; i=$((i + 1))
  done < tests/data/sample-frames.txt
  # Compact frames as the hub sends them (no line breaks): the shape the decoder's in-place fast path takes.
  while IFS= read -r line; do
    printf '%s' "$line" > "$CORPUS/seed$i"; i=$((i + 1))
  done < tests/data/compact-frames.txt
  # Broken shapes: each sample frame cut in half (truncated frames are the commonest fault on the wire).
  while IFS= read -r line; do
    printf '%s' "${line:0:$((${#line} / 2))}" > "$CORPUS/seed$i"; i=$((i + 1))
  done < tests/data/sample-frames.txt
  BIN=build/fuzz/src/feed/decoder_fuzz
  MAX_LEN=8192
elif [[ $TARGET == http ]]; then
  build http_fuzz
  # One seed per documented endpoint and method (tests/data/http-targets.txt: "METHOD TARGET [BODY]"),
  # with and without the token, plus a WebSocket upgrade and a chunked body.
  while IFS= read -r line; do
    [[ -z $line || $line == \#* ]] && continue
    method=${line%% *}; rest=${line#* }; target=${rest%% *}; body=""
    [[ $rest == *" "* ]] && body=${rest#* }
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
      "$method" "$target" "${#body}" "$body" > "$CORPUS/seed$i"; i=$((i + 1))
    printf '%s %s HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer secret-token\r\nOrigin: http://h\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
      "$method" "$target" "${#body}" "$body" > "$CORPUS/seed$i"; i=$((i + 1))
  done < tests/data/http-targets.txt
  printf 'GET /ws/market?symbols=FPT HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n\r\n' > "$CORPUS/ws"
  printf 'POST /api/alerts/rules?token=secret-token HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"met\r\n0\r\n\r\n' > "$CORPUS/chunked"
  BIN=build/fuzz/src/server/http_fuzz
  MAX_LEN=4096
elif [[ $TARGET == ws ]]; then
  build ws_protocol_fuzz
  # Seeds: masked client frames as browsers send them (built here: mask 00000000 keeps them readable),
  # a fragmented message with a ping between, a close, a compressed message, and the offers Chromium and
  # Firefox send.
  python3 - "$CORPUS" <<'PY'
import os, struct, sys, zlib
d = sys.argv[1]
def frame(op, payload, fin=True, rsv1=False):
    n = len(payload)
    h = bytes([(0x80 if fin else 0) | (0x40 if rsv1 else 0) | op])
    h += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
    return h + b"\x00\x00\x00\x00" + payload
c = zlib.compressobj(6, zlib.DEFLATED, -15)
z = c.compress(b'{"action":"subscribe","symbols":"FPT,VNM"}') + c.flush(zlib.Z_SYNC_FLUSH)
seeds = {
    "snapshot": frame(1, b'{"action":"snapshot"}'),
    "resume": frame(1, b'{"action":"resume","epoch":1765000000000,"seq":42}'),
    "fragments": frame(1, b'{"action":', fin=False) + frame(9, b"hi") + frame(0, b'"snapshot"}'),
    "close": frame(8, struct.pack(">H", 1000) + b"bye"),
    "deflate": frame(1, z[:-4], rsv1=True),
    "long": frame(1, b"x" * 300),
    "offer_chromium": b"permessage-deflate; client_max_window_bits",
    "offer_firefox": b"permessage-deflate",
    "offer_full": b"permessage-deflate; client_no_context_takeover; server_max_window_bits=15, x-webkit-deflate-frame",
    "key": b"dGhlIHNhbXBsZSBub25jZQ==",
}
for k, v in seeds.items():
    open(os.path.join(d, k), "wb").write(v)
PY
  BIN=build/fuzz/src/server/ws_protocol_fuzz
  MAX_LEN=8192
else
  echo "fuzz.sh: unknown target '$TARGET' (decoder, http or ws)" >&2
  exit 2
fi
"$BIN" -max_total_time="$SECONDS_BUDGET" -max_len=$MAX_LEN -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1 "$CORPUS"
