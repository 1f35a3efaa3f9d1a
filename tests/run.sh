#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
# Debian: chromium (browser tests drive /usr/bin/chromium; never `playwright install`) and
# a Java runtime for the Nu HTML Checker. pip: the project with its [test] extras, in .venv.
# npm (tests/js): axe-core, vnu-jar, and Lighthouse for `invoke lighthouse`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --ignore-scripts: vnu-jar's install script would download a JDK; the system Java runs it.
# package.json overrides pin two "latest" dependencies of Lighthouse's trace engine, which
# otherwise drift from the lock file and make `npm ci` refuse it.
npm ci --prefix tests/js --no-audit --no-fund --ignore-scripts --loglevel=error

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check plugins tests benchmarks tasks.py pelicanconf.py publishconf.py
.venv/bin/invoke test
