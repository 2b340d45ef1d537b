#!/usr/bin/env bash
# `npm run bench`: build, then run the benchmarks (bench/). Speed is measured here, never in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh > build/bench-build.log 2>&1 || { cat build/bench-build.log; exit 1; }
node bench/matmul.mjs "$@"
