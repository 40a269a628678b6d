#!/usr/bin/env bash
# Starts a training run: installs dependencies when missing, builds, then runs
# `trading-workers train` with every argument passed through (see README or --help).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1; then
  echo "start_training.sh: Node.js >= 20.19 is required (https://nodejs.org)" >&2
  exit 2
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dependencies (npm ci)…" >&2
  npm ci --no-audit --no-fund >&2
elif [ ! -f dist/cli.js ] || [ -n "$(find cli.ts cli shared worker supervisor tui -newer dist/cli.js -name '*.ts*' -print -quit 2>/dev/null)" ]; then
  echo "Building…" >&2
  npm run build >&2
fi
exec node dist/cli.js train "$@"
