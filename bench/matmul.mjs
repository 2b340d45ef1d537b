// Matrix-multiply benchmark: GFLOP/s of the core's SIMD kernel, natively and as wasm in Node, on 1
// thread and on all threads, with the bit-identity check between them. Run by `npm run bench`.
//   node bench/matmul.mjs [--sizes 256,512,1024] [--reps 5] [--out bench/matmul.json]
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { createLab } from '../web/node.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const sizes = opt('--sizes', '256,512,1024').split(',').map(Number);
const reps = Number(opt('--reps', 5));
const out = opt('--out', fileURLToPath(new URL('matmul.json', import.meta.url)));
const cli = fileURLToPath(new URL('../build/native/neuronlab', import.meta.url));

const rows = [];
const lab = await createLab();
for (const n of sizes) {
  const r = await lab.benchMatmul({ n, reps });
  rows.push({ engine: 'neuronlab-wasm', n, threads: r.threads, gflops_1: r.gflops_1, gflops_n: r.gflops_n, speedup: r.speedup, bit_identical: r.bit_identical, simd_peak: r.simd_peak_gflops });
  if (existsSync(cli)) {
    const j = JSON.parse(execFileSync(cli, ['bench-matmul', String(n), String(reps)], { encoding: 'utf8' }));
    rows.push({ engine: 'neuronlab-native', n, threads: j.threads, gflops_1: j.gflops_1, gflops_n: j.gflops_n, speedup: j.speedup, bit_identical: j.bit_identical, simd_peak: j.simd_peak_gflops });
  }
}
lab.close();

console.log(`matmul, n×n×n, best of ${reps}; ${os.cpus().length} logical cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`);
console.log('engine             n     1 thread GFLOP/s   N threads GFLOP/s   N    speedup  bit-identical  SIMD peak (1 thread)  1 thread / peak');
for (const r of rows) {
  console.log(`${r.engine.padEnd(18)} ${String(r.n).padStart(5)} ${r.gflops_1.toFixed(1).padStart(14)} ${r.gflops_n.toFixed(1).padStart(19)} ${String(r.threads).padStart(4)} ${r.speedup.toFixed(2).padStart(9)}  ${String(r.bit_identical).padEnd(13)}  ${r.simd_peak.toFixed(1).padStart(20)}  ${((100 * r.gflops_1) / r.simd_peak).toFixed(0).padStart(14)}%`);
}
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, reps, results: rows }, null, 2) + '\n');
console.log(`written: ${out}`);
if (rows.some((r) => !r.bit_identical)) {
  console.error('bench: results differ between 1 and N threads');
  process.exit(1);
}
