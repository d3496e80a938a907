#!/usr/bin/env bash
# Browser test suite for a built keikaku site (see tests/browser/README.md).
#
#   scripts/test-browser.sh SITE_DIR [--base-path /shisei/dx/] [--site-url https://www.city.example.lg.jp/dx/]
#   scripts/test-browser.sh --file SITE_DIR      (a --file-links build, opened from file://)
#   scripts/test-browser.sh --selftest
#
# Installs what is missing (Debian chromium, fonts-noto-cjk, a Java runtime, the suite's npm
# packages), serves SITE_DIR on a free 127.0.0.1 port under the base path and runs every check
# in headless Chromium. Exits non-zero if any check fails.
#
# A site built with languages: [ja, ja-easy, en] is checked in every tree (the root, easy/, en/),
# including a keyboard check of the language switcher.
#
# Environment: CONCURRENCY (pages at once, default 2), SCREENSHOT_DIR (default
# tests/browser/out/screenshots), CHROMIUM_PATH (default /usr/bin/chromium), SEARCH_CASES
# (JSON file of search queries and the page each must find, e.g. tests/browser/example-search.json).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE="$ROOT/tests/browser"

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

SITE_DIR="" BASE_PATH="/" SITE_URL="" SELFTEST=0 FILE_MODE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --selftest) SELFTEST=1 ;;
    --file) FILE_MODE=1 ;;
    --base-path) [ $# -ge 2 ] || usage; BASE_PATH="$2"; shift ;;
    --base-path=*) BASE_PATH="${1#*=}" ;;
    --site-url) [ $# -ge 2 ] || usage; SITE_URL="$2"; shift ;;
    --site-url=*) SITE_URL="${1#*=}" ;;
    -h|--help) usage 0 ;;
    -*) echo "test-browser: unknown option $1" >&2; usage ;;
    *) [ -z "$SITE_DIR" ] || usage; SITE_DIR="$1" ;;
  esac
  shift
done
if [ "$SELFTEST" = 0 ] && [ -z "$SITE_DIR" ]; then usage; fi
if [ -n "$SITE_DIR" ]; then
  [ -d "$SITE_DIR" ] || { echo "test-browser: no such folder: $SITE_DIR" >&2; exit 2; }
  SITE_DIR=$(cd "$SITE_DIR" && pwd)
fi

# --- system packages (quiet and skipped when already there) -----------------------------
need=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)   # Japanese text in screenshots
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)     # Nu HTML Checker
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  echo "test-browser: installing ${need[*]} (apt-get)"
  log=$(mktemp)
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; echo "test-browser: apt-get install failed" >&2; exit 2
  fi
  rm -f "$log"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then echo "test-browser: Node.js >= 20 is needed (found $(node --version))" >&2; exit 2; fi

# --- npm packages: npm ci when node_modules does not match package-lock.json ------------
stamp="$SUITE/node_modules/.keikaku-lock.sha256"
want=$(sha256sum "$SUITE/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "test-browser: npm ci in tests/browser"
  # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime; Debian's is used.
  (cd "$SUITE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

# --- run --------------------------------------------------------------------------------
cd "$SUITE"
if [ "$SELFTEST" = 1 ]; then
  exec node --test --test-reporter=spec selftest.test.mjs
fi
if [ -n "${SEARCH_CASES:-}" ]; then SEARCH_CASES=$(cd "$ROOT" && realpath "$SEARCH_CASES"); export SEARCH_CASES; fi
export SITE_DIR BASE_PATH SITE_URL
if [ "$FILE_MODE" = 1 ]; then
  exec node --test --test-reporter=spec file.test.mjs
fi
exec node --test --test-reporter=spec site.test.mjs
