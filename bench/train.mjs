// Training-speed benchmark: NeuronLab (wasm in Node with 1 thread and all threads; native) on the
// workloads W1–W4 (bench/workloads/*.json: cross-entropy, plain SGD, synthetic data), steady state after
// warm-up, median of 3 timed runs. Merges the reference engines' rows (bench/ref, TF.js and PyTorch)
// when given, writes bench/results.json — a list of {engine, workload, threads, samples_per_s} — and
// prints the table with the ratios the issue sets as targets.
//   node bench/train.mjs [--workloads W1,W2,W3,W4] [--seconds 2] [--ref bench/ref/results.json] [--out bench/results.json]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { createLab } from '../web/node.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const workloads = opt('--workloads', 'W1,W2,W3,W4').split(',');
const seconds = Number(opt('--seconds', 2));
const refPath = opt('--ref', here('ref/results.json'));
const out = opt('--out', here('results.json'));
const cli = here('../build/native/neuronlab');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function wasmRate(lab, spec, threads) {
  lab.setThreads(threads);
  lab.load(spec);
  const batch = spec.batch_size;
  const time = async (steps) => { const t0 = performance.now(); await lab.train(steps, { evaluate: false }); return (performance.now() - t0) / 1000; };
  // Warm-up: V8 tiers wasm up only after code has run a while; then size a run to `seconds`.
  let steps = 10, t = await time(steps);
  while (t < 0.5) { steps *= 2; t = await time(steps); }
  steps = Math.max(1, Math.round((steps * seconds) / t));
  const rates = [];
  for (let r = 0; r < 3; ++r) rates.push((steps * batch) / (await time(steps)));
  return median(rates);
}

const rows = [];
const lab = await createLab();
const all = lab.maxThreads();
for (const w of workloads) {
  const spec = JSON.parse(readFileSync(here(`workloads/${w}.json`), 'utf8'));
  for (const threads of all > 1 ? [1, all] : [1]) {
    rows.push({ engine: 'neuronlab-wasm', workload: w, threads, samples_per_s: Math.round(await wasmRate(lab, spec, threads)) });
    console.error(`measured neuronlab-wasm ${w} ${threads}t`);
  }
  if (existsSync(cli)) {
    for (const threads of all > 1 ? [1, all] : [1]) {
      const r = JSON.parse(execFileSync(cli, ['bench-train', here(`workloads/${w}.json`), String(seconds), String(threads)], { encoding: 'utf8' }));
      rows.push({ engine: 'neuronlab-native', workload: w, threads, samples_per_s: Math.round(r.samples_per_s) });
    }
  }
}
lab.close();

let ref = [];
if (existsSync(refPath)) {
  ref = JSON.parse(readFileSync(refPath, 'utf8'));
  ref = Array.isArray(ref) ? ref : ref.results ?? [];
  rows.push(...ref.filter((r) => workloads.includes(r.workload)));
} else {
  console.error(`(no reference results at ${refPath}: run bench/ref/run.sh for TF.js and PyTorch)`);
}
writeFileSync(out, JSON.stringify(rows, null, 2) + '\n');

const get = (engine, w, threads) => rows.find((r) => r.engine === engine && r.workload === w && (threads === undefined || r.threads === threads))?.samples_per_s ?? null;
const fmt = (v) => (v == null ? '—' : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0));
const ratio = (a, b) => (a == null || b == null ? '—' : `${(a / b).toFixed(1)}×`);
console.log(`training samples/s — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}); median of 3`);
console.log('workload  nl-wasm 1t  nl-wasm Nt  nl-native 1t  tfjs-wasm  tfjs-cpu   torch 1t   wasm1t/tfjs-wasm  wasm1t/tfjs-cpu  wasm1t/torch');
for (const w of workloads) {
  const nl1 = get('neuronlab-wasm', w, 1), nlN = all > 1 ? get('neuronlab-wasm', w, all) : null;
  const tw = get('tfjs-wasm', w), tc = get('tfjs-cpu', w), th = get('torch', w);
  console.log(`${w.padEnd(9)} ${fmt(nl1).padStart(10)}  ${fmt(nlN).padStart(10)}  ${fmt(get('neuronlab-native', w, 1)).padStart(12)}  ${fmt(tw).padStart(9)}  ${fmt(tc).padStart(8)}  ${fmt(th).padStart(9)}   ${ratio(nl1, tw).padStart(16)}  ${ratio(nl1, tc).padStart(15)}  ${ratio(nl1, th).padStart(12)}`);
}
console.log(`written: ${out}`);
