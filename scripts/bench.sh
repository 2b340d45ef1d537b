#!/usr/bin/env bash
# `npm run bench`: build, then measure. Speed is measured here, never in tests.
#   1. matrix multiply: GFLOP/s against the machine's measured SIMD peak, 1 thread vs all (bench/matmul.mjs)
#   2. training W1–W4: NeuronLab wasm (1 thread, all threads) and native, against TF.js (wasm, cpu) and
#      PyTorch (1 thread, OpenBLAS) run in the same session (bench/ref/run.sh installs those on first use)
#   3. attributions: ms per call of every method on W3 and W4, batch 1 and 64, 1 thread and all
#      (bench/attribution.mjs), with PyTorch autograd's saliency / grad × input / IG beside them
# Writes bench/matmul.json, bench/results.json and bench/attribution.json. NEURONLAB_BENCH_NO_REF=1 skips the reference engines.
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
# 3. attributions: every method on W3 and W4, batch 1 and 64, 1 thread and all (bench/attribution.mjs),
#    beside PyTorch autograd for saliency, grad × input and integrated gradients (bench/ref/torch_attr_bench.py)
torch_args=()
if [ "${NEURONLAB_BENCH_NO_REF:-0}" != 1 ] && /usr/bin/python3 -c "import torch" 2>/dev/null; then
  blasdir=$(dirname "$(dpkg -L libopenblas0-openmp 2>/dev/null | grep -m1 '/libblas\.so\.3$' || echo /nonexistent/x)")
  LD_LIBRARY_PATH="$blasdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" /usr/bin/python3 bench/ref/torch_attr_bench.py --out build/torch-attr.json
  torch_args=(--torch build/torch-attr.json)
fi
node bench/attribution.mjs "${torch_args[@]}"
