#!/usr/bin/env bash
# `npm start`: install what is missing, build, and serve the lab at http://localhost:8080 (PORT to change)
# with the headers that make the page cross-origin isolated.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node web/serve.mjs --root dist --port "${PORT:-8080}"
