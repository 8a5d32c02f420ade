#!/usr/bin/env bash
# The one test command (README and .ci/run call it): set up (scripts/setup.sh), then run pytest with
# any arguments given:  bash scripts/test.sh [pytest arguments...]
#   bash scripts/test.sh -m "not slow"   the quick loop for development (CI runs everything)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
