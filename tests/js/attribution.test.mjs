// Attributions from Node: methods() (the registry), attribute(method, input, options) and arena(config) —
// the contract docs/api.md describes, including its errors and cancellation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createLab, NeuronLabError } from '../../web/node.mjs';

// Only x1 decides the class: a trained net's attributions should say so.
const ONE_FEATURE = {
  seed: 3,
  data: { name: 'one_feature', n: 300 },
  model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 2 }] },
  optimizer: { name: 'adam', lr: 0.03 },
  batch_size: 16,
};
const BLOCKS = {
  seed: 2,
  data: { name: 'block_patterns', n: 300, classes: 4, noise: 0.1 },
  model: { layers: [{ type: 'conv2d', filters: 4, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 },
    { type: 'flatten' }, { type: 'dense', units: 4 }] },
  optimizer: { name: 'adam', lr: 0.01 },
  batch_size: 16,
};
// |Σa − (f(x) − f(x'))| / |f(x) − f(x')| of integrated gradients with 128 Gauss–Legendre points on a small
// ReLU net: each kink the path crosses costs O(1/n) of the jump in slope, a fraction of a percent here.
const IG_COMPLETENESS_REL_TOL = 0.02;

let lab;
before(async () => { lab = await createLab(); });
after(() => lab.close());

test('methods(): the registry with every family and its parameter schemas', () => {
  const ms = lab.methods();
  const names = ms.map((m) => m.name);
  for (const n of ['saliency', 'input_x_gradient', 'integrated_gradients', 'guided_backprop', 'deconvolution', 'grad_cam',
    'guided_grad_cam', 'deeplift', 'deeplift_shap', 'gradient_shap', 'lrp', 'occlusion', 'feature_ablation',
    'feature_permutation', 'shapley_sampling', 'kernel_shap', 'lime', 'layer_activation', 'layer_grad_x_activation',
    'layer_conductance', 'neuron_gradient', 'neuron_integrated_gradients', 'neuron_conductance']) assert.ok(names.includes(n), n);
  const ig = ms.find((m) => m.name === 'integrated_gradients');
  assert.equal(ig.hasDelta, true);
  const rule = ig.params.find((p) => p.name === 'rule');
  assert.equal(rule.kind, 'choice');
  assert.equal(rule.default, 'gausslegendre');
  assert.ok(rule.choices.includes('riemann_trapezoid'));
  for (const m of ms) for (const p of ['target', 'seed', 'noise', 'nt_samples', 'stdev']) assert.ok(m.params.some((q) => q.name === p), `${m.name}.${p}`);
  const lrp = ms.find((m) => m.name === 'lrp');
  assert.ok(lrp.params.find((p) => p.name === 'composite').choices.includes('epsilon_gamma_box'));
});

test('attribute(): a Float32Array the shape of the input, with the delta; x1 matters on one_feature', async () => {
  lab.load(ONE_FEATURE);
  await lab.train(300);
  const { x } = lab.samples('test', 0, 8);
  const one = x.slice(0, 2);
  const a = await lab.attribute('integrated_gradients', one, { steps: 128 });
  assert.ok(a instanceof Float32Array);
  assert.equal(a.length, 2);
  assert.deepEqual(a.shape, [2]);
  assert.equal(typeof a.delta, 'number');
  const f0 = lab.predict(new Float32Array(2), 1)[a.target];
  assert.ok(Math.abs(a.delta) < IG_COMPLETENESS_REL_TOL * Math.abs(a.f - f0), `IG delta ${a.delta} for f(x) − f(0) = ${a.f - f0}`);
  assert.equal(a.params.steps, 128);
  // Batch of 8: one map each, deltas per input; x1 carries more attribution than x2 on average.
  const b = await lab.attribute('saliency', x);
  assert.equal(b.length, 16);
  assert.equal(b.delta, null, 'saliency has no delta');
  assert.equal(b.target.length, 8);
  let s1 = 0, s2 = 0;
  for (let i = 0; i < 8; ++i) { s1 += b[2 * i]; s2 += b[2 * i + 1]; }
  assert.ok(s1 > 3 * s2, `|∂f/∂x1| ${s1} vs |∂f/∂x2| ${s2}`);
  // The explained class can be chosen; a sampling method with a seed is reproducible.
  const t0 = await lab.attribute('shapley_sampling', one, { target: 0, samples: 10, seed: 7 });
  const t0b = await lab.attribute('shapley_sampling', one, { target: 0, samples: 10, seed: 7 });
  assert.equal(t0.target, 0);
  assert.deepEqual([...t0], [...t0b]);
  // SmoothGrad over saliency runs through the common `noise` parameter.
  const sg = await lab.attribute('saliency', one, { noise: 'smoothgrad', nt_samples: 4, stdev: 0.1 });
  assert.equal(sg.length, 2);
  assert.ok(sg.every(Number.isFinite));
});

test('attribute(): a small gradient map is computed at once, the same bits as its job', async () => {
  lab.load(ONE_FEATURE);
  await lab.train(100);
  const { x } = lab.samples('test', 0, 4);
  for (const method of ['saliency', 'input_x_gradient']) {
    const now = await lab.attribute(method, x);  // at once (no job): a 2-D MLP's map
    const job = await lab.attribute(method, x, { onProgress: () => {} });  // progress asked: a job
    assert.deepEqual([...now], [...job], method);
    assert.deepEqual(now.target, job.target);
    assert.deepEqual(now.f, job.f);
  }
  // While a job runs, the call waits its turn (the queue keeps the order): it sees the trained weights.
  const training = lab.train(50);
  const after = await lab.attribute('saliency', x);
  await training;
  assert.deepEqual([...after], [...(await lab.attribute('saliency', x))]);
});

test('attribute(): bad input is a NeuronLabError that names the problem, and the lab goes on', async () => {
  lab.load(ONE_FEATURE);
  const x = new Float32Array([0.5, -0.5]);
  await assert.rejects(lab.attribute('nope', x), (e) => e instanceof NeuronLabError && /unknown attribution method 'nope'.*saliency/.test(e.message));
  await assert.rejects(lab.attribute('integrated_gradients', x, { steps: 0 }), /steps must be an integer between 1 and 4096 \(got 0\)/);
  await assert.rejects(lab.attribute('integrated_gradients', x, { stpes: 3 }), /unknown parameter 'stpes'/);
  await assert.rejects(lab.attribute('integrated_gradients', x, { rule: 'simpson' }), /rule must be one of/);
  await assert.rejects(lab.attribute('saliency', new Float32Array(3)), /model takes 2 per input/);
  await assert.rejects(lab.attribute('saliency', x, { target: 5 }), /target 5 does not exist/);
  await assert.rejects(lab.attribute('neuron_gradient', x, { layer: 9 }), /layer 9 does not exist/);
  await assert.rejects(lab.attribute('saliency', [1, 'a']), /input\[1\] is not a number/);
  const ok = await lab.attribute('input_x_gradient', x);
  assert.equal(ok.length, 2);
});

test('attribute(): a heavy job reports progress and can be cancelled with an AbortSignal', async () => {
  lab.load(BLOCKS);
  const { x } = lab.samples('test', 0, 4);
  const ctl = new AbortController();
  const seen = [];
  const p = lab.attribute('kernel_shap', x, { samples: 20000, group: 1, signal: ctl.signal, onProgress: (f) => seen.push(f) });
  setTimeout(() => ctl.abort(), 300);
  await assert.rejects(p, /cancelled/);
  const again = await lab.attribute('grad_cam', x.slice(0, 784));
  assert.deepEqual(again.shape, [1, 28, 28]);
});

test('arena(): every method scored against the ground truth, with the agreement matrix', async () => {
  lab.load(BLOCKS);
  await lab.train(200);
  const r = await lab.arena({ methods: ['saliency', { method: 'integrated_gradients', options: { steps: 16 } }, 'occlusion', 'layer_activation'],
    count: 6, sensitivitySamples: 1, faithfulnessRuns: 8 });
  assert.equal(r.samples, 6);
  assert.equal(r.hasMask, true);
  assert.equal(r.methods.length, 4);
  for (const m of r.methods.slice(0, 3)) {
    assert.equal(m.error, undefined, `${m.name}: ${m.error}`);
    for (const k of ['mass', 'rank', 'pointing', 'difull', 'deletionAuc', 'insertionAuc', 'pixelFlippingAuc',
      'faithfulnessCorrelation', 'infidelity', 'maxSensitivity', 'sanity', 'gini', 'entropy']) {
      assert.ok(Number.isFinite(m.metrics[k]), `${m.name}.${k} = ${m.metrics[k]}`);
    }
    assert.equal(m.curves.deletion.length, 21);
  }
  assert.ok(Number.isFinite(r.methods[1].metrics.completeness));
  assert.ok(r.methods[3].note, 'a layer method is listed, with why the input metrics do not apply');
  assert.equal(r.agreement.length, 4);
  assert.ok(Math.abs(r.agreement[0][0] - 1) < 1e-6);
  assert.equal(r.agreement[3][0], null);
  // Gradient-based maps are exact on the DiFull grids: nothing outside the explained cell.
  assert.ok(r.methods[0].metrics.difull > 0.999, `saliency DiFull ${r.methods[0].metrics.difull}`);
  await assert.rejects(lab.arena({ methods: [] }), /methods must be a non-empty list/);
  await assert.rejects(lab.arena({ methods: ['saliency'], count: 0 }), /count must be an integer/);
  await assert.rejects(lab.arena({ methods: ['saliency'], bogus: 1 }), /unknown setting 'bogus'/);
});
