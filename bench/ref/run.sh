#!/usr/bin/env bash
# Reference training benchmark: TF.js (wasm, cpu) and PyTorch on workloads W1-W4 (see README.md).
#   bench/ref/run.sh [--out FILE] [--runs N] [--workloads W1,W2,W3,W4] [--engines tfjs-wasm,tfjs-cpu,torch]
# Installs what is missing (python3-torch, libopenblas0-openmp via apt; TF.js via npm ci into
# bench/ref/node_modules), runs both benchmarks --runs times (default 3, one process per run),
# writes one JSON list to --out (default bench/ref/results.json), one row per engine and workload
# with the median, and prints a table. Exits non-zero if an engine that should work fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/results.json
runs=3
workloads=W1,W2,W3,W4
engines=tfjs-wasm,tfjs-cpu,torch
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --engines) engines=$2; shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
tfjs_engines=$(tr , '\n' <<<"$engines" | grep '^tfjs-' | paste -sd, || true)
want_torch=$(tr , '\n' <<<"$engines" | grep -qx torch && echo 1 || echo 0)

# --- install what is missing -------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if [ "$want_torch" = 1 ]; then
  missing=()
  for p in python3-torch libopenblas0-openmp; do installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh: installing ${missing[*]} (apt)" >&2
    [ "$(id -u)" = 0 ] || { echo "run.sh: need root for apt-get install ${missing[*]}" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y "${missing[@]}" || { apt-get update && apt-get install -y "${missing[@]}"; }
  fi
fi
if [ -n "$tfjs_engines" ] && [ ! -d "$here/node_modules" ]; then
  echo "run.sh: installing TF.js into $here/node_modules (npm)" >&2
  if [ -f "$here/package-lock.json" ]; then npm ci --prefix "$here" --no-audit --no-fund
  else npm install --prefix "$here" --no-audit --no-fund; fi
fi

# --- environment shared by every engine ----------------------------------------------------------
# Large malloc thresholds: without them about half of all process starts on these VMs hit bursts of
# page faults in glibc's allocator and run several times slower at random.
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824
export OMP_NUM_THREADS=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
# Debian's torch links the generic libblas.so.3; point it at the OpenMP OpenBLAS build (the pthread
# build oversubscribes with torch's OpenMP). torch_bench.py verifies what sgemm_ really resolves to.
blasdir=$(dirname "$(dpkg -L libopenblas0-openmp 2>/dev/null | grep -m1 '/libblas\.so\.3$' || echo /nonexistent/x)")

# Each timed run is its own process (warm-up included): speed here differs by up to a third from one
# process to the next while runs within a process agree, so a median over one process hides that.
# Engines take turns, so a busy spell on the machine hits them alike.
for ((i = 1; i <= runs; i++)); do
  if [ -n "$tfjs_engines" ]; then
    node "$here/tfjs_bench.mjs" --workloads "$workloads" --engines "$tfjs_engines" --runs 1 --out "$tmp/tfjs.$i.json" \
      || { echo "run.sh: tfjs_bench failed (exit $?)" >&2; status=1; }
  fi
  if [ "$want_torch" = 1 ]; then
    LD_LIBRARY_PATH="$blasdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      /usr/bin/python3 "$here/torch_bench.py" --workloads "$workloads" --runs 1 --out "$tmp/torch.$i.json" \
      || { echo "run.sh: torch_bench failed (exit $?)" >&2; status=1; }
  fi
done

# --- merge, write, print ------------------------------------------------------------------------
node - "$out" "$tmp"/*.json <<'EOF'
const fs = require('node:fs');
const [out, ...parts] = process.argv.slice(2);
const all = parts.filter((p) => fs.existsSync(p)).flatMap((p) => JSON.parse(fs.readFileSync(p, 'utf8')));
// One row per (engine, workload): the median over the processes' runs; null (with the note) if any failed.
const rows = [];
for (const r of all) {
  const row = rows.find((x) => x.engine === r.engine && x.workload === r.workload);
  if (!row) rows.push({ ...r, runs: [...(r.runs ?? [])] });
  else if (r.samples_per_s === null) Object.assign(row, { samples_per_s: null, note: r.note });
  else {
    row.runs.push(...r.runs);
    if (r.cpu_share !== undefined) row.cpu_share = Math.min(row.cpu_share, r.cpu_share);
    if (r.others_cores !== undefined) row.others_cores = Math.max(row.others_cores, r.others_cores);
  }
}
for (const row of rows) {
  if (row.samples_per_s === null) { delete row.runs; delete row.cpu_share; delete row.others_cores; continue; }
  const s = [...row.runs].sort((a, b) => a - b);
  row.samples_per_s = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const order = ['tfjs-wasm', 'tfjs-cpu', 'torch'];
rows.sort((a, b) => order.indexOf(a.engine) - order.indexOf(b.engine) || a.workload.localeCompare(b.workload));
fs.writeFileSync(out, JSON.stringify(rows, null, 2) + '\n');
const engines = [...new Set(rows.map((r) => r.engine))];
const workloads = [...new Set(rows.map((r) => r.workload))];
const cell = (w, e) => {
  const r = rows.find((x) => x.workload === w && x.engine === e);
  return !r ? '' : r.samples_per_s === null ? 'n/a' : Math.round(r.samples_per_s).toString();
};
console.log(`training samples/s, median of ${Math.max(...rows.map((r) => r.runs?.length ?? 0))} runs (one process each), 1 thread each, ${require('node:os').cpus().length} cores`);
console.log(['workload'.padEnd(9), ...engines.map((e) => e.padStart(10))].join(' '));
for (const w of workloads) console.log([w.padEnd(9), ...engines.map((e) => cell(w, e).padStart(10))].join(' '));
for (const r of rows) if (r.note) console.log(`note ${r.engine} ${r.workload}: ${r.note}`);
const contended = rows.filter((r) => r.cpu_share < 0.9 || r.others_cores > 0.3);
if (contended.length) {
  console.log('warning: other processes were busy during these rows, so their numbers are likely low:');
  for (const r of contended) console.log(`  ${r.engine} ${r.workload}: cpu share ${r.cpu_share}, others ${r.others_cores} cores`);
}
const blas = rows.find((r) => r.blas)?.blas;
if (blas) console.log(`torch BLAS: ${blas}`);
console.log(`written: ${out}`);
EOF
exit $status
