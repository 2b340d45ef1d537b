#!/usr/bin/env bash
# `npm run fuzz [RUNS]`: builds build/asan (clang with AddressSanitizer, UndefinedBehaviorSanitizer and
# libFuzzer: Debian's clang and libclang-rt packages, scripts/install-deps.sh) and runs every target in
# fuzz/ for RUNS executions (default 1,000,000) from its committed seed corpus (fuzz/corpus/<target>);
# the target "url" is the share-link codec, fuzzed under Node by fuzz/fuzz_url.mjs.
# New inputs the fuzzer finds go to build/fuzz-corpus/<target>; a crash is written to build/fuzz-findings/
# and makes this script fail (keep it in fuzz/regressions/<target>/ once fixed: every run replays them).
# `npm test` runs it with a short RUNS (the smoke run).
#   FUZZ_TARGETS="spec model" scripts/fuzz.sh 200000      only those targets
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-1000000}
JOBS=${JOBS:-$(nproc)}
TARGETS=${FUZZ_TARGETS:-"spec model csv packed history url"}
if ! grep -q '^LAB_SANITIZE:BOOL=ON' build/asan/CMakeCache.txt 2>/dev/null; then
  rm -rf build/asan
  CC=clang CXX=clang++ cmake -S . -B build/asan -G Ninja -DLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
native=$(for t in $TARGETS; do [ "$t" = url ] || printf 'fuzz_%s ' "$t"; done)
[ -z "$native" ] || cmake --build build/asan -j "$JOBS" --target $native
mkdir -p build/fuzz-findings
status=0
for t in $TARGETS; do
  mkdir -p "build/fuzz-corpus/$t"
  log="build/fuzz-findings/$t.log"
  if [ "$t" = url ]; then  # the share-link codec is JavaScript: its own mutation fuzzer under Node
    if node fuzz/fuzz_url.mjs "$RUNS" "${FUZZ_SEED:-$RANDOM}" >"$log" 2>&1; then
      echo "fuzz url: $(grep -oE '[0-9]+$' "$log" | tail -n1) executions, no finding"
    else
      echo "fuzz url: FOUND A PROBLEM (log: $log)"; tail -n 30 "$log"; status=1
    fi
    continue
  fi
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "build/asan/fuzz_$t" -runs="$RUNS" -max_len=65536 -timeout=20 \
       -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="build/fuzz-findings/$t-" "build/fuzz-corpus/$t" "fuzz/corpus/$t" $( [ -d "fuzz/regressions/$t" ] && echo "fuzz/regressions/$t") \
       >"$log" 2>&1; then
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    echo "fuzz $t: $execs executions, no finding"
  else
    echo "fuzz $t: FOUND A PROBLEM (log: $log)"; tail -n 30 "$log"; status=1
  fi
done
exit $status
