// Two builds of the engine side by side on the training workloads W1–W4, in one run: the speed of a
// refactor relative to before it. Runs alternate (before, after, before, …) so that drift of the machine
// hits both alike; reports the median samples/s of each and the ratio after / before.
//   node bench/compare.mjs --before OLD/dist/node/neuronlab_node.js [--after dist/node/neuronlab_node.js]
//        [--workloads W1,W2,W3,W4] [--seconds 1.5] [--rounds 3] [--threads 1]
// Build the "before" module from an older commit in a git worktree (scripts/build.sh there, or only
// its wasm target lab_node).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLab } from '../web/node.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const before = opt('--before', null) && path.resolve(opt('--before', null));
const after = path.resolve(opt('--after', here('../dist/node/neuronlab_node.js')));
if (!before) { console.error('usage: node bench/compare.mjs --before OLD/neuronlab_node.js [--after NEW/neuronlab_node.js]'); process.exit(2); }
const workloads = opt('--workloads', 'W1,W2,W3,W4').split(',');
const seconds = Number(opt('--seconds', 1.5));
const rounds = Number(opt('--rounds', 3));
const threads = Number(opt('--threads', 1));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function rate(lab, spec, steps) {
  lab.load(spec);
  const t0 = performance.now();
  await lab.train(steps, { evaluate: false });
  return (steps * spec.batch_size) / ((performance.now() - t0) / 1000);
}

const labs = { before: await createLab({ modulePath: before, threads }), after: await createLab({ modulePath: after, threads }) };
console.log(`threads ${threads}; before ${before}; after ${after}`);
console.log('workload   before samples/s   after samples/s   after/before');
for (const w of workloads) {
  const spec = JSON.parse(readFileSync(here(`workloads/${w}.json`), 'utf8'));
  // Warm up both (V8 tiers wasm up after a while) and size a run to `seconds` on the "after" build.
  let steps = 10;
  for (const lab of Object.values(labs)) await rate(lab, spec, steps);
  for (;;) { const t0 = performance.now(); await rate(labs.after, spec, steps); if (performance.now() - t0 > 300) break; steps *= 2; }
  steps = Math.max(1, Math.round(steps * seconds / 0.3));
  const r = { before: [], after: [] };
  for (let i = 0; i < rounds; ++i) for (const k of ['before', 'after']) r[k].push(await rate(labs[k], spec, steps));
  const b = median(r.before), a = median(r.after);
  console.log(`${w.padEnd(10)} ${b.toFixed(0).padStart(17)} ${a.toFixed(0).padStart(17)} ${(a / b).toFixed(3).padStart(14)}`);
}
for (const lab of Object.values(labs)) lab.close();
