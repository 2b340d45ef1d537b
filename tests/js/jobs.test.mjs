// Nothing heavy on the caller's thread: load(), reset() and importModel() return once the dataset and the
// model are built; the evaluation at step 0 is a job (progress, cancellation) that later jobs queue behind.
// A failed or cancelled job never loses the experiment.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createLab } from '../../web/node.mjs';

// The MNIST CNN (conv 32, conv 64, pool, dense): a whole evaluation takes seconds.
const MNIST_CNN = {
  seed: 1,
  data: { name: 'mnist', n: 8500 },
  model: { layers: [{ type: 'conv2d', filters: 32, kernel: 3, activation: 'relu' }, { type: 'conv2d', filters: 64, kernel: 3, activation: 'relu' },
    { type: 'maxpool2d' }, { type: 'flatten' }, { type: 'dense', units: 10 }] },
  batch_size: 32,
};
const SPIRAL = { seed: 3, data: { name: 'spiral', n: 300 }, model: { layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 2 }] } };

let lab;
before(async () => { lab = await createLab({ threads: 2 }); });
after(() => lab.close());

test('load() of the MNIST CNN returns before evaluating: the evaluation is a job with progress that can be cancelled', async () => {
  await lab.loadDataset('mnist');
  lab.load(MNIST_CNN);
  const m = lab.metrics();
  assert.equal(m.evaluating, true, 'load() returned with its evaluation still to do');
  assert.equal(m.testLoss, null, 'the test split comes last');
  const seen = [];
  const ac = new AbortController();
  const p = lab.evaluated({ onProgress: (f) => { seen.push(f); if (f > 0) ac.abort(); }, signal: ac.signal });
  await assert.rejects(p, /cancelled/);
  assert.ok(seen.some((f) => f > 0 && f < 1), `progress reports: ${seen}`);
  // Cancelled: nothing lost — the experiment is there, at step 0, and trains.
  assert.equal(lab.metrics().evaluating, false);
  assert.equal(lab.metrics().step, 0);
  const d0 = lab.digest();
  const t = await lab.train(1, { evaluate: false });
  assert.equal(t.step, 1);
  assert.notEqual(lab.digest(), d0);
});

test('reset() and importModel() return at once too; evaluated() resolves to the step-0 metrics', async () => {
  lab.load(SPIRAL);
  const m0 = await lab.evaluated();
  assert.ok(Number.isFinite(m0.trainLoss) && m0.evaluating === false);
  await lab.train(50);
  const file = lab.exportModel();
  const d50 = lab.digest();
  lab.reset();
  assert.equal(lab.metrics().step, 0);
  const r = await lab.evaluated();
  assert.equal(r.trainLoss, m0.trainLoss, 'the same weights, the same evaluation');
  lab.load({ ...SPIRAL, seed: 9 });
  await lab.importModel(file);  // supersedes the load's evaluation
  const mi = await lab.evaluated();
  assert.equal(lab.digest(), d50);
  assert.ok(Number.isFinite(mi.testLoss) && !mi.evaluating);
  // A train() submitted while an evaluation is pending runs after it.
  lab.reset();
  const trained = await lab.train(10);
  assert.equal(trained.step, 10);
  assert.equal(trained.evaluating, false);
});

test('a failed or cancelled job never loses the experiment', async () => {
  lab.load(SPIRAL);
  await lab.train(20);
  const d = lab.digest();
  // Cancelled training: the weights are those of the last whole step; the run goes on from there.
  const ac = new AbortController();
  const p = lab.trainUntil(1e7, { signal: ac.signal });
  setTimeout(() => ac.abort(), 30);
  await p.catch(() => {});
  const after = lab.metrics().step;
  assert.ok(after >= 20);
  await lab.train(5);
  assert.equal(lab.metrics().step, after + 5);
  // A failed job (an attribution with impossible options) leaves the run as it was.
  const d2 = lab.digest();
  await assert.rejects(lab.attribute('integrated_gradients', new Float32Array(2), 1, { steps: -3 }));
  assert.equal(lab.digest(), d2);
  assert.notEqual(d2, d);
  await lab.train(1);
  assert.equal(lab.predict(new Float32Array([0.1, 0.2]), 1).length, 2);
});
