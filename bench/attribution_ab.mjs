// Attribution speed of this build against another, side by side in one process, alternating calls, so
// that both see the same machine state:
//   node bench/attribution_ab.mjs --before /tmp/before/build-wasm/site/node/neuronlab_node.js \
//        [--workloads W3,W4] [--methods saliency,lrp] [--batches 1,64] [--threads 1] [--rounds 5]
// Prints ms per call (median of the rounds) for each build and the ratio before / after (> 1: faster now).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { createLab } from '../web/node.mjs';

const opt = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const before = opt('--before', '');
if (!before) throw new Error('--before: the neuronlab_node.js of the build to compare with');
const workloads = opt('--workloads', 'W3,W4').split(',');
const batches = opt('--batches', '1,64').split(',').map(Number);
const threads = Number(opt('--threads', '1'));
const rounds = Number(opt('--rounds', '5'));
const methodsArg = opt('--methods', 'saliency,input_x_gradient,integrated_gradients,guided_backprop,deeplift,lrp,grad_cam,layer_conductance,neuron_integrated_gradients');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const labs = { after: await createLab(), before: await createLab({ modulePath: before }) };
console.log(`ms per call, median of ${rounds} alternating calls, ${threads} thread(s); ratio = before / after`);
for (const w of workloads) {
  const spec = JSON.parse(readFileSync(here(`workloads/${w}.json`), 'utf8'));
  for (const lab of Object.values(labs)) { lab.load(spec); lab.setThreads(threads); }
  const size = labs.after.info().inputShape.reduce((a, b) => a * b, 1);
  const { x } = labs.after.samples('train', 0, Math.max(...batches));
  const names = labs.after.methods().map((m) => m.name);
  console.log(`\n${w}\n${'method'.padEnd(30)}${'batch'.padStart(6)}${'before'.padStart(10)}${'after'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const method of methodsArg.split(',').filter((m) => names.includes(m))) {
    for (const batch of batches) {
      const input = x.slice(0, batch * size);
      const ts = { before: [], after: [] };
      for (const k of ['before', 'after']) await labs[k].attribute(method, input);  // warm-up
      for (let r = 0; r < rounds; ++r)
        for (const k of r % 2 ? ['after', 'before'] : ['before', 'after']) {
          const t0 = performance.now();
          await labs[k].attribute(method, input);
          ts[k].push(performance.now() - t0);
        }
      const b = median(ts.before), a = median(ts.after);
      console.log(`${method.padEnd(30)}${String(batch).padStart(6)}${b.toFixed(2).padStart(10)}${a.toFixed(2).padStart(10)}${(b / a).toFixed(2).padStart(8)}`);
    }
  }
}
for (const lab of Object.values(labs)) lab.close();
