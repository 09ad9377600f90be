#!/usr/bin/env bash
# The web app (web/): `build` installs the npm packages from the lockfile when needed (node_modules missing
# or older than package-lock.json) and builds web/dist; `unit` checks the formatting (Prettier) and lint
# (ESLint) and runs Vitest; `e2e BIN [ARTIFACT_DIR]` runs the browser test in Chromium against BIN
# (vntracker; a relative BIN or ARTIFACT_DIR is taken from the caller's directory). Used by scripts/run.sh
# and the web_* ctest tests; fails (never skips) when node, npm or chromium is missing.
set -euo pipefail
caller=$PWD # relative BIN and ARTIFACT_DIR are the caller's
cd "$(dirname "$0")/../web"
abs() { [[ $1 = /* ]] && echo "$1" || echo "$caller/$1"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "web: '$1' not found: run scripts/install-deps.sh" >&2; exit 1; }; }
need node
need npm
case "${1:-build}" in
  build)
    if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
      npm ci --no-audit --no-fund
      touch node_modules
    fi
    npm run build
    ;;
  unit)
    # The conventions, checked: formatting (Prettier; `npm run format` fixes it), lint (ESLint, zero
    # warnings), then Vitest. Types are checked by the build (tsc -b).
    node_modules/.bin/prettier --check src e2e
    node_modules/.bin/eslint --max-warnings=0 src e2e
    node_modules/.bin/vitest run
    ;;
  e2e)
    [[ -x /usr/bin/chromium || -n "${VNT_CHROMIUM:-}" ]] || { echo "web: chromium not found: run scripts/install-deps.sh" >&2; exit 1; }
    node e2e/run.mjs "$(abs "${2:?usage: web.sh e2e BIN [ARTIFACT_DIR]}")" --out "$(if [[ -n ${3:-} ]]; then abs "$3"; else echo e2e-artifacts; fi)"
    ;;
  *)
    echo "usage: scripts/web.sh build|unit|e2e BIN [ARTIFACT_DIR]" >&2
    exit 2
    ;;
esac
