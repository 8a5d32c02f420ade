#!/usr/bin/env bash
# The habits CI enforces before the tests: lint, format and types (mypy, over the package), as configured in pyproject.toml.
#   bash scripts/lint.sh          check only (what CI runs)
#   bash scripts/lint.sh --fix    apply ruff's safe fixes and format first
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--fix" ]; then
    .venv/bin/ruff check --fix .
    .venv/bin/ruff format .
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
