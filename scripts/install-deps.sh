#!/usr/bin/env bash
# Installs everything NeuronLab needs on a fresh Debian bookworm machine, and only what is missing.
# Idempotent: a second run only checks. Used by `npm start`, `npm test` and CI.
#   Debian packages: emscripten, cmake, ninja, g++, glm, Catch2 v2, Chromium (browser tests), DejaVu font
#   (and fonttools' pyftsubset, which cuts it to the glyphs the UI draws),
#   python3-torch (the PyTorch golden fixtures and the export-pytorch check; imports under /usr/bin/python3),
#   clang and libclang-rt-14-dev (the sanitizer build and the libFuzzer targets: scripts/sanitize.sh, fuzz.sh).
#   Dear ImGui sources: Debian's source package (trixie, pinned version, sha256-checked), fetched with a
#   private apt state so the system's apt configuration is untouched.
#   npm packages from package.json (playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

APT_PKGS=(emscripten cmake ninja-build g++ libglm-dev catch2 nlohmann-json3-dev chromium fonts-dejavu-core fonttools nodejs
          python3-torch clang libclang-rt-14-dev)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Dear ImGui sources -------------------------------------------------------------------------
IMGUI_DEB_VERSION=${IMGUI_DEB_VERSION:-1.90.1+ds-1}
IMGUI_DEB_SUITE=${IMGUI_DEB_SUITE:-trixie}
IMGUI_SHA256=${IMGUI_SHA256:-ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c}
IMGUI_DIR=third_party/imgui
upstream=${IMGUI_DEB_VERSION%-*}                       # 1.90.1+ds
if [ -f "$IMGUI_DIR/.version" ] && [ "$(cat "$IMGUI_DIR/.version")" = "$IMGUI_DEB_VERSION" ] && [ -f "$IMGUI_DIR/imgui.h" ]; then
  :
else
  echo "install-deps: fetching Dear ImGui $IMGUI_DEB_VERSION source from Debian $IMGUI_DEB_SUITE"
  W=$ROOT/third_party/.apt
  mkdir -p "$W/lists/partial" "$W/cache/archives/partial" "$W/dl"
  # The Debian mirror the system already uses.
  URI=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -oE '^URIs: *\S+/debian/?$' | head -n1 | awk '{print $2}')
  [ -n "$URI" ] || URI=$(grep -hoE '^deb +(\[[^]]*\] +)?https?://\S+/debian/? ' /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $NF}')
  [ -n "$URI" ] || URI=http://deb.debian.org/debian
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $URI $IMGUI_DEB_SUITE main" > "$W/sources.list"
  O=(-o "Dir::Etc::sourcelist=$W/sources.list" -o Dir::Etc::sourceparts=/dev/null
     -o "Dir::State::Lists=$W/lists" -o "Dir::Cache=$W/cache" -o "APT::Sandbox::User=$(id -un)")
  apt-get "${O[@]}" -qq update
  (cd "$W/dl" && apt-get "${O[@]}" -qq source --download-only "imgui=$IMGUI_DEB_VERSION")
  tarball="$W/dl/imgui_${upstream}.orig.tar.xz"
  echo "$IMGUI_SHA256  $tarball" | sha256sum -c --quiet - || { echo "install-deps: ImGui checksum mismatch" >&2; exit 1; }
  rm -rf "$IMGUI_DIR"; mkdir -p "$IMGUI_DIR"
  tar -xf "$tarball" -C "$IMGUI_DIR" --strip-components=1
  echo "$IMGUI_DEB_VERSION" > "$IMGUI_DIR/.version"
fi

# --- npm packages --------------------------------------------------------------------------------
if [ ! -d node_modules/playwright-core ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: installing npm packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
fi
echo "install-deps: ok"
