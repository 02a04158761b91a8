#!/usr/bin/env bash
# The whole test suite on a fresh machine: own virtualenv, install, lint, every test.
# Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# the HTML report is checked in real headless Chromium (Debian package); install it when missing
if [ -z "${PLANNER_SKIP_BROWSER_INSTALL:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will fail" >&2
  fi
fi
# report.xlsx is checked to print: LibreOffice headless converts it to PDF (Debian package); install it when missing
if [ -z "${PLANNER_SKIP_LIBREOFFICE_INSTALL:-}" ] && ! command -v soffice >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-calc-nogui >/dev/null) || echo "warning: could not install LibreOffice; the PDF test is skipped" >&2
  fi
fi
.venv/bin/ruff check planner tests benchmarks scripts
# pytest exits 5 when no test ran: that fails this script like any other failure
.venv/bin/python -m pytest -q --durations=30 "$@"
