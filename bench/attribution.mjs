// Attribution-speed benchmark: time per attribution for every method of the registry (default
// parameters) on W3 (784-256-128-10 MLP) and W4 (the small CNN), batch 1 and 64, 1 thread and all threads,
// NeuronLab wasm in Node. Each cell: median of up to 3 timed calls after one warm-up call (one call when a
// call takes over 2 s). With --torch (bench/ref/torch_attr_bench.py results) prints the ratio to PyTorch
// autograd for the methods it implements (saliency, grad × input, integrated gradients), run side by side.
//   node bench/attribution.mjs [--workloads W3,W4] [--methods saliency,lrp] [--batches 1,64] [--torch build/torch-attr.json]
//                              [--out bench/attribution.json]
// Writes a list of {workload, method, batch, threads, ms_per_call, ms_per_input}.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { createLab } from '../web/node.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const workloads = opt('--workloads', 'W3,W4').split(',');
const batches = opt('--batches', '1,64').split(',').map(Number);
const out = opt('--out', here('attribution.json'));
const torchPath = opt('--torch', '');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lab = await createLab();
const all = lab.maxThreads();
const methods = (opt('--methods', '') ? opt('--methods', '').split(',') : lab.methods().map((m) => m.name));
const rows = [];

for (const w of workloads) {
  const spec = JSON.parse(readFileSync(here(`workloads/${w}.json`), 'utf8'));
  lab.load(spec);
  const size = lab.info().inputShape.reduce((a, b) => a * b, 1);
  const { x } = lab.samples('train', 0, Math.max(...batches));
  for (const method of methods) {
    for (const batch of batches) {
      const input = x.slice(0, batch * size);
      for (const threads of all > 1 ? [1, all] : [1]) {
        lab.setThreads(threads);
        const time = async () => { const t0 = performance.now(); await lab.attribute(method, input); return performance.now() - t0; };
        let t = await time();  // warm-up (and the first measurement when slow)
        const ts = [];
        if (t > 2000) ts.push(t);
        else for (let r = 0; r < 3; ++r) ts.push(await time());
        t = median(ts);
        rows.push({ workload: w, method, batch, threads, ms_per_call: +t.toFixed(3), ms_per_input: +(t / batch).toFixed(4) });
        console.error(`${w} ${method} batch ${batch} ${threads}t: ${t.toFixed(1)} ms`);
      }
    }
  }
}
lab.close();
writeFileSync(out, JSON.stringify(rows, null, 2) + '\n');

let torch = [];
if (torchPath && existsSync(torchPath)) torch = JSON.parse(readFileSync(torchPath, 'utf8'));
const fmt = (v) => (v == null ? '—' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3));
console.log(`attribution time, ms per call (per input in brackets) — NeuronLab wasm, ${os.cpus().length} cores; default parameters`);
for (const w of workloads) {
  console.log(`\n${w}`);
  const head = batches.flatMap((b) => (all > 1 ? [`b${b} 1t`, `b${b} ${all}t`] : [`b${b} 1t`]));
  console.log('method'.padEnd(28) + head.map((h) => h.padStart(18)).join('') + (torch.length ? '   torch b64 1t  ratio' : ''));
  for (const method of methods) {
    let line = method.padEnd(28);
    for (const b of batches)
      for (const threads of all > 1 ? [1, all] : [1]) {
        const r = rows.find((q) => q.workload === w && q.method === method && q.batch === b && q.threads === threads);
        line += (r ? `${fmt(r.ms_per_call)} (${fmt(r.ms_per_input)})` : '—').padStart(18);
      }
    const tr = torch.find((q) => q.workload === w && q.method === method && q.batch === 64);
    if (tr) {
      const ours = rows.find((q) => q.workload === w && q.method === method && q.batch === 64 && q.threads === 1);
      line += `${fmt(tr.ms_per_call).padStart(15)}  ${ours ? (tr.ms_per_call / ours.ms_per_call).toFixed(2) + '×' : '—'}`;
    }
    console.log(line);
  }
}
if (torch.length) console.log('\nratio = PyTorch time / NeuronLab time (> 1: NeuronLab is faster), batch 64, 1 thread each');
console.log(`written: ${out}`);
