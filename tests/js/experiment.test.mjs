// The experiment API from Node: load / spec / train / metrics / digest / predict / exportModel / importModel.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createLab } from '../../web/node.mjs';

const SPIRAL = {
  seed: 11,
  data: { name: 'spiral', n: 300, noise: 0.05, test_ratio: 0.3 },
  model: { layers: [{ type: 'dense', units: 12, activation: 'tanh' }, { type: 'dense', units: 12, activation: 'tanh' }, { type: 'dense', units: 2 }] },
  optimizer: { name: 'adam', lr: 0.02 },
  batch_size: 10,
};

let lab;
before(async () => { lab = await createLab(); });
after(() => lab.close());

test('registries list what the spec can name', () => {
  const r = lab.registries();
  for (const k of ['datasets', 'layers', 'activations', 'losses', 'optimizers', 'schedules', 'initializers']) assert.ok(Array.isArray(r[k]) && r[k].length, k);
  assert.ok(r.datasets.some((d) => d.name === 'spiral'));
  assert.deepEqual(r.optimizers.map((o) => o.name), ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']);
});

test('load → train → metrics; spec() round-trips with the seed', async () => {
  assert.deepEqual(lab.load(SPIRAL), { warnings: [] });
  const spec = lab.spec();
  assert.equal(spec.seed, 11);
  assert.equal(spec.optimizer.lr, 0.02);
  // load() returns before evaluating: the metrics at step 0 arrive as a job.
  const pending = lab.metrics();
  assert.equal(pending.step, 0);
  assert.equal(typeof pending.evaluating, 'boolean');
  const m0 = await lab.evaluated();
  assert.equal(m0.step, 0);
  assert.equal(m0.evaluating, false);
  assert.ok(Number.isFinite(m0.trainLoss));
  const m = await lab.train(600);
  for (const k of ['step', 'epoch', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy']) assert.ok(k in m, k);
  assert.equal(m.step, 600);
  assert.ok(m.trainLoss < m0.trainLoss);
  assert.deepEqual(lab.metrics(), m);
  // Loading its own spec again restarts the same experiment: same initial digest.
  const d600 = lab.digest();
  lab.load(JSON.stringify(spec));
  assert.equal(lab.metrics().step, 0);
  await lab.train(600);
  assert.equal(lab.digest(), d600);
});

test('the same spec gives the same digest with 1 thread and with all threads', async () => {
  lab.setThreads(1);
  lab.load(SPIRAL);
  await lab.train(300);
  const one = lab.digest();
  lab.setThreads(lab.maxThreads());
  lab.load(SPIRAL);
  await lab.train(300);
  assert.equal(lab.digest(), one);
});

test('predict maps n rows to n outputs and checks its input', () => {
  lab.load(SPIRAL);
  const out = lab.predict(new Float32Array([0, 0, 1, -1, 2, 2]), 3);
  assert.ok(out instanceof Float32Array);
  assert.equal(out.length, 6);
  assert.throws(() => lab.predict([1, 2, 3], 2), /2 rows of 2 inputs need 4 values, got 3/);
  assert.throws(() => lab.predict([1, 2], 0), /n must be between 1 and/);
});

test('exportModel / importModel round-trip bit for bit; a damaged file changes nothing', async () => {
  lab.load(SPIRAL);
  await lab.train(50);
  const d = lab.digest();
  const bin = lab.exportModel();
  const json = lab.exportModel('json');
  assert.ok(bin instanceof Uint8Array);
  assert.equal(JSON.parse(json).format, 'neuronlab-model');
  lab.load({ ...SPIRAL, seed: 99 });
  assert.notEqual(lab.digest(), d);
  lab.importModel(bin);
  assert.equal(lab.digest(), d);
  lab.load({ ...SPIRAL, seed: 99 });
  lab.importModel(json);
  assert.equal(lab.digest(), d);
  assert.throws(() => lab.importModel(bin.slice(0, bin.length - 20)), /truncated|corrupt/);
  const flipped = bin.slice();
  flipped[200] ^= 1;
  assert.throws(() => lab.importModel(flipped), /corrupt/);
  assert.throws(() => lab.importModel('{"format": "something-else"}'), /not a NeuronLab model file/);
  assert.throws(() => lab.importModel(42), /must be a Uint8Array/);
  assert.equal(lab.digest(), d);
  assert.throws(() => lab.exportModel('xml'), /'binary' or 'json'/);
});

test('bad specs are readable errors and keep the current experiment', () => {
  lab.load(SPIRAL);
  const d = lab.digest();
  assert.throws(() => lab.load('{"data": '), /spec is not valid JSON/);
  assert.throws(() => lab.load({ ...SPIRAL, optimizer: { name: 'adam', lr: 'fast' } }), /spec.optimizer.lr must be a number/);
  assert.throws(() => lab.load({ ...SPIRAL, model: { layers: [{ type: 'dense', units: 5 }] } }), /the last layer has 5 outputs, but 'spiral' needs 2/);
  assert.throws(() => lab.load({ ...SPIRAL, data: { name: 'mnist_typo' } }), /not a known dataset/);
  assert.throws(() => lab.load(null), /must be a JSON string or an object/);
  assert.deepEqual(lab.load({ ...SPIRAL, colour: 'red' }).warnings, ['ignored unknown field spec.colour']);
  lab.load(SPIRAL);
  assert.equal(lab.digest(), d);
});

test('a diverging run rejects with the cause; the lab keeps working', async () => {
  lab.load({ ...SPIRAL, model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 2 }] },
    optimizer: { name: 'sgd', lr: 90 } });
  await assert.rejects(lab.train(2000), /learning rate 90 is too high/);
  const m = lab.metrics();
  assert.equal(m.diverged, true);
  assert.match(m.divergedReason, /try 9 and reset/);
  lab.load(SPIRAL);
  const r = await lab.train(5);
  assert.equal(r.step, 5);
});

test('file-backed datasets: digits trains from dist/data; unknown names are refused', async () => {
  await lab.loadDataset('spiral');  // generated: nothing to fetch
  await assert.rejects(lab.loadDataset('nope'), /not a known dataset/);
  lab.load({ seed: 2, data: { name: 'digits', n: 600, test_ratio: 0.25 },
    model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10 }] },
    optimizer: { name: 'adam', lr: 0.01 }, batch_size: 32 });
  const m = await lab.train(300);
  assert.ok(m.testAccuracy > 0.8, `digits test accuracy ${m.testAccuracy}`);
  assert.equal(m.confusion.length, 100);
});

test('hyper-parameters change between steps; data and model cannot', async () => {
  lab.load(SPIRAL);
  await lab.train(10);
  const spec = lab.setHyperparameters({ optimizer: { lr: 0.001 }, regularization: { l2: 0.0001 }, batch_size: 20 });
  assert.equal(spec.optimizer.lr, 0.001);
  assert.equal(spec.batch_size, 20);
  const m = await lab.train(10);
  assert.equal(m.lr, 0.001);
  assert.ok(m.regLoss > 0);
  assert.deepEqual(lab.setHyperparameters({ optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } }).optimizer.name, 'sgd');
  assert.throws(() => lab.setHyperparameters({ optimizer: { lr: -1 } }), /spec.optimizer.lr must be a number/);
  assert.throws(() => lab.setHyperparameters({ data: { n: 50 } }), /data, model and seed need load/);
  assert.throws(() => lab.setHyperparameters('fast'), /patch must be an object/);
  assert.equal(lab.spec().optimizer.lr, 0.1);
});

test('your own CSV table trains; a bad table names the row and column', async () => {
  assert.throws(() => lab.load({ data: { name: 'csv' }, model: { layers: [{ type: 'dense', units: 2 }] } }), /none is loaded: hand it in first/);
  let text = 'x1,x2,species\n';
  for (let i = 0; i < 200; ++i) {
    const a = (i * 7919) % 200 / 100 - 1, b = (i * 104729) % 200 / 100 - 1;
    text += `${a},${b},${a + b > 0 ? 'setosa' : 'virginica'}\n`;
  }
  lab.loadCsv(text);
  lab.load({ seed: 3, data: { name: 'csv', test_ratio: 0.25 }, model: { layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 2 }] },
    optimizer: { name: 'adam', lr: 0.05 }, batch_size: 10 });
  const m = await lab.train(300);
  assert.ok(m.testAccuracy > 0.9, `csv test accuracy ${m.testAccuracy}`);
  assert.throws(() => lab.loadCsv('a,b\n1,2\noops,3\n'), /row 3, column 'a': 'oops' is not a number/);
  assert.throws(() => lab.loadCsv(7), /text must be a string/);
});

test('the analyses the views draw: surface, mostConfused, neuron', async () => {
  lab.load({ seed: 2, data: { name: 'spiral', n: 200 }, model: { layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 2 }] } });
  const s = lab.surface({ grid: 8 });
  assert.equal(s.grid, 8);
  assert.equal(s.outputs.length, 8 * 8 * 2);
  assert.deepEqual(Array.from(lab.predict(s.points, 64)), Array.from(s.outputs));
  assert.throws(() => lab.surface({ grid: 1 }), /grid must be an integer between 2 and 512|grid must be between 2 and 512/);
  const n = await lab.neuron(1, 2, { samples: 40 });
  assert.equal(n.values.length, 40);
  assert.equal(n.incoming.length, 2);
  assert.ok(n.title.includes('neuron 2'));
  await assert.rejects(lab.neuron(9, 0), /layer 9 does not exist/);
  lab.load({ seed: 4, data: { name: 'block_patterns', n: 200, classes: 3 }, optimizer: { name: 'adam', lr: 0.003 },
    model: { layers: [{ type: 'conv2d', filters: 3, kernel: 3, stride: 2, activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 3 }] } });
  await lab.train(30);
  const c = await lab.mostConfused({ scan: 200, max: 10 });
  assert.ok(c.length > 0 && c.length <= 10);
  for (let i = 0; i < c.length; i++) {
    assert.notEqual(c[i].label, c[i].predicted);
    if (i) assert.ok(c[i].p <= c[i - 1].p);
  }
  assert.throws(() => lab.surface(), /not 2-D points/);
});
