#!/usr/bin/env bash
# `npm test`: install what is missing, build everything, run every test group.
#   scripts/test.sh                 all groups: native wasm js e2e sanitize
#   scripts/test.sh native e2e      only those groups (the build still runs first)
# Exit status is non-zero if any group fails; every group runs even after a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(native wasm js e2e sanitize)
bash scripts/build.sh || { echo "test: build failed"; exit 1; }
source scripts/emenv.sh

passed=0; failed=0; failed_names=()
run_group() {
  local name=$1; shift
  echo; echo "=== test group: $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names+=("$name"); fi
}
for g in "${groups[@]}"; do
  case "$g" in
    native) run_group native ctest --test-dir build/native --output-on-failure ;;
    wasm)   run_group wasm ctest --test-dir build/wasm --output-on-failure ;;
    js)     run_group js node --test tests/js/ ;;
    e2e)    run_group e2e node --test --test-concurrency=1 tests/e2e/ ;;
    # (its clang build runs here, not beside the browser tests: even at nice 19 it doubled their time)
    sanitize) run_group sanitize bash scripts/sanitize.sh ;;  # ASan + UBSan native tests, fuzz smoke run
    *) echo "test: unknown group '$g' (native, wasm, js, e2e, sanitize)"; exit 2 ;;
  esac
done
echo
[ $failed -eq 0 ] || echo "failed groups: ${failed_names[*]}"
echo "test groups: $passed passed, $failed failed"
[ $failed -eq 0 ]
