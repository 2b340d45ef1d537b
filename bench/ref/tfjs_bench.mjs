// Reference training benchmark: TF.js (wasm and cpu backends) on the four fixed workloads.
// Training samples per second = batch * steps / seconds, median of --runs timed runs after warm-up.
//   node bench/ref/tfjs_bench.mjs [--workloads W1,W2,W3,W4] [--engines tfjs-wasm,tfjs-cpu] [--runs 3] [--out FILE]
// Writes a JSON list of rows
// {engine, workload, threads, samples_per_s, runs, cpu_share, others_cores, note?}.
// Exits 1 if a workload fails for a reason other than a kernel the backend does not have (tfjs-wasm has no
// Conv2DBackpropFilter, so it cannot train W4: that row gets samples_per_s null and a note).
import { readFileSync, writeFileSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const workloads = opt('--workloads', 'W1,W2,W3,W4').split(',');
const engines = opt('--engines', 'tfjs-wasm,tfjs-cpu').split(',');
const nRuns = Number(opt('--runs', 3));
const out = opt('--out', null);
const warmupS = Number(opt('--warmup-s', 3));  // the wasm backend needs ~3 s before its steady speed
const runS = Number(opt('--run-s', 1.5));
const minSteps = 3;
const LR = 0.01;
const N_BATCHES = 4;  // distinct random batches, generated once up front, used in turn

// Hidden layers use `act`; the last dense layer is linear logits.
const WORKLOADS = {
  W1: { kind: 'mlp', sizes: [2, 8, 8, 2], act: 'tanh', batch: 10 },
  W2: { kind: 'mlp', sizes: [64, 128, 64, 10], act: 'relu', batch: 32 },
  W3: { kind: 'mlp', sizes: [784, 256, 128, 10], act: 'relu', batch: 64 },
  W4: { kind: 'cnn', batch: 32, classes: 10 },  // 1x28x28 -> conv8 3x3 relu -> pool2 -> conv16 3x3 relu -> pool2 -> dense 10
};

// Seconds of CPU time all processes have used (Linux /proc/stat, 100 ticks per second).
const machineBusyS = () => {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
};

let seed = 1;
const glorot = (shape, fanIn, fanOut) => {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', seed++));
};

function buildModel(w) {
  if (w.kind === 'mlp') {
    const layers = [];
    for (let i = 0; i + 1 < w.sizes.length; i++) {
      layers.push({ W: glorot([w.sizes[i], w.sizes[i + 1]], w.sizes[i], w.sizes[i + 1]), b: tf.variable(tf.zeros([w.sizes[i + 1]])) });
    }
    const act = w.act === 'tanh' ? tf.tanh : tf.relu;
    const forward = (x) => {
      let h = x;
      layers.forEach((l, i) => {
        h = tf.add(tf.matMul(h, l.W), l.b);
        if (i + 1 < layers.length) h = act(h);
      });
      return h;
    };
    const data = Array.from({ length: N_BATCHES }, () => tf.randomUniform([w.batch, w.sizes[0]], -1, 1, 'float32', seed++));
    return { forward, vars: layers.flatMap((l) => [l.W, l.b]), data, classes: w.sizes.at(-1) };
  }
  // CNN, NHWC (TF.js layout): [b,28,28,1] -> [b,26,26,8] -> [b,13,13,8] -> [b,11,11,16] -> [b,5,5,16] -> 400 -> 10
  const k1 = glorot([3, 3, 1, 8], 9, 72), b1 = tf.variable(tf.zeros([8]));
  const k2 = glorot([3, 3, 8, 16], 72, 144), b2 = tf.variable(tf.zeros([16]));
  const Wd = glorot([400, w.classes], 400, w.classes), bd = tf.variable(tf.zeros([w.classes]));
  const forward = (x) => {
    let h = tf.relu(tf.add(tf.conv2d(x, k1, 1, 'valid'), b1));
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h, k2, 1, 'valid'), b2));
    h = tf.maxPool(h, 2, 2, 'valid');
    return tf.add(tf.matMul(tf.reshape(h, [h.shape[0], 400]), Wd), bd);
  };
  const data = Array.from({ length: N_BATCHES }, () => tf.randomUniform([w.batch, 28, 28, 1], 0, 1, 'float32', seed++));
  return { forward, vars: [k1, b1, k2, b2, Wd, bd], data, classes: w.classes };
}

async function benchOne(engine, name) {
  const w = WORKLOADS[name];
  const m = buildModel(w);
  const labels = Array.from({ length: N_BATCHES }, () =>
    tf.oneHot(tf.randomUniform([w.batch], 0, m.classes, 'int32', seed++), m.classes).toFloat());
  const optimizer = tf.train.sgd(LR);
  let i = 0;
  const step = () => {
    const x = m.data[i % N_BATCHES], y = labels[i % N_BATCHES];
    i++;
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, m.forward(x)), false, m.vars);
  };
  const sync = () => m.vars[0].dataSync();  // both backends run kernels synchronously; this makes sure
  const timed = (minS) => {
    let steps = 0;
    const t0 = performance.now();
    let t;
    do { step(); steps++; t = (performance.now() - t0) / 1e3; } while (t < minS || steps < minSteps);
    sync();
    return { steps, s: (performance.now() - t0) / 1e3 };
  };
  try {
    timed(warmupS);
    const tensorsBefore = tf.memory().numTensors;
    const runs = [];
    const cpu0 = process.cpuUsage(), wall0 = performance.now(), busy0 = machineBusyS();
    for (let r = 0; r < nRuns; r++) {
      const { steps, s } = timed(runS);
      runs.push(w.batch * steps / s);
    }
    // cpu_share: CPU time of this process (all its threads) / wall time; well below 1 means other
    // processes took its core. others_cores: CPU the rest of the machine used meanwhile, in cores.
    const cpu = process.cpuUsage(cpu0), wallS = (performance.now() - wall0) / 1e3, ownS = (cpu.user + cpu.system) / 1e6;
    const cpuShare = ownS / wallS, others = Math.max(0, (machineBusyS() - busy0 - ownS) / wallS);
    if (tf.memory().numTensors !== tensorsBefore) throw new Error(`tensor leak: ${tensorsBefore} -> ${tf.memory().numTensors}`);
    const sorted = [...runs].sort((a, b) => a - b);
    return { row: { engine, workload: name, threads: 1, samples_per_s: sorted[Math.floor(sorted.length / 2)], runs, cpu_share: Math.round(cpuShare * 100) / 100, others_cores: Math.round(others * 100) / 100 }, ok: true };
  } catch (e) {
    const msg = String(e?.message ?? e).split('\n')[0];
    // A kernel the backend lacks is a capability limit of the engine, not a failure of this script.
    const unsupported = /not registered for backend/i.test(msg);
    return { row: { engine, workload: name, threads: 1, samples_per_s: null, note: unsupported ? `cannot train: ${msg}` : `error: ${msg}` }, ok: unsupported };
  } finally {
    optimizer.dispose();
    tf.dispose([...m.vars, ...m.data, ...labels]);
  }
}

const rows = [];
let failed = false;
for (const engine of engines) {
  const backend = { 'tfjs-wasm': 'wasm', 'tfjs-cpu': 'cpu' }[engine];
  if (!backend) throw new Error(`unknown engine ${engine}`);
  if (backend === 'wasm') setThreadsCount(1);
  if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) {
    for (const name of workloads) rows.push({ engine, workload: name, threads: 1, samples_per_s: null, note: `error: backend ${backend} failed to initialise` });
    failed = true;
    continue;
  }
  await tf.ready();
  const extra = backend === 'wasm' ? ` (simd ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')})` : '';
  console.error(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}${extra}`);
  for (const name of workloads) {
    if (!WORKLOADS[name]) throw new Error(`unknown workload ${name}`);
    const { row, ok } = await benchOne(engine, name);
    if (!ok) failed = true;
    console.error(`${engine} ${name}: ${row.samples_per_s === null ? row.note : `${Math.round(row.samples_per_s)} samples/s (runs ${row.runs.map(Math.round).join(', ')}; cpu share ${row.cpu_share}, others ${row.others_cores} cores)`}`);
    rows.push(row);
  }
}
const json = JSON.stringify(rows, null, 2) + '\n';
if (out) writeFileSync(out, json); else process.stdout.write(json);
process.exit(failed ? 1 : 0);
