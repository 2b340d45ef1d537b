#!/usr/bin/env bash
# `npm run bench`: build, then measure. Speed is measured here, never in tests.
#   1. matrix multiply: GFLOP/s against the machine's measured SIMD peak, 1 thread vs all (bench/matmul.mjs)
#   2. training W1–W4: NeuronLab wasm (1 thread, all threads) and native, against TF.js (wasm, cpu) and
#      PyTorch (1 thread, OpenBLAS) run in the same session (bench/ref/run.sh installs those on first use)
# Writes bench/matmul.json and bench/results.json. NEURONLAB_BENCH_NO_REF=1 skips the reference engines.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
bash scripts/build.sh > build/bench-build.log 2>&1 || { cat build/bench-build.log; exit 1; }
node bench/matmul.mjs --sizes 256,512,1024
ref_args=()
if [ "${NEURONLAB_BENCH_NO_REF:-0}" != 1 ]; then
  bash bench/ref/run.sh --out build/ref-results.json
  ref_args=(--ref build/ref-results.json)
fi
node bench/train.mjs "${ref_args[@]}"
