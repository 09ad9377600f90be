#!/usr/bin/env bash
# The C++ formatting convention (.clang-format, clang-format 14 from Debian 12), applied or checked.
#   scripts/format.sh          formats every C++ file of src/ and bench/ in place
#   scripts/format.sh --check  lists the files that differ from it and fails (the format_check ctest test)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format not found: run scripts/install-deps.sh" >&2; exit 1; }
mapfile -t files < <(find src bench -name '*.cpp' -o -name '*.h' | sort)
if [[ ${1:-} == --check ]]; then
  bad=()
  for f in "${files[@]}"; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
  if ((${#bad[@]})); then
    printf 'format: %s differs from .clang-format (scripts/format.sh fixes it)\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files follow .clang-format"
else
  clang-format -i "${files[@]}"
fi
