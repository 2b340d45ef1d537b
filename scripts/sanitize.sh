#!/usr/bin/env bash
# The `sanitize` test group of `npm test`: the native test suite built with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer (build/asan, -DLAB_SANITIZE=ON; any finding aborts the run), then a short run
# of every libFuzzer target (scripts/fuzz.sh) that also replays the inputs of earlier findings.
#   FUZZ_SMOKE_RUNS=20000 scripts/sanitize.sh
#   scripts/sanitize.sh --build-only     builds the tests and the fuzz targets, runs nothing
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
if ! grep -q '^LAB_SANITIZE:BOOL=ON' build/asan/CMakeCache.txt 2>/dev/null; then
  rm -rf build/asan
  CC=clang CXX=clang++ cmake -S . -B build/asan -G Ninja -DLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
if [ "${1:-}" = --build-only ]; then
  exec cmake --build build/asan -j "$JOBS" --target core_tests $(for f in fuzz/fuzz_*.cpp; do basename "$f" .cpp; done)
fi
cmake --build build/asan -j "$JOBS" --target core_tests
# The test cases tagged [slow] (long trainings: fixed-spec digests, the doctor's runs, the sliced arena) run
# in the native and wasm groups; under the sanitizers, ~10× slower, they would double this group's time.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/asan/core_tests --use-colour no --order rand --rng-seed 1 '~[slow]' | tail -n 3
bash scripts/fuzz.sh "${FUZZ_SMOKE_RUNS:-3000}"
