// The run's history from Node: history / replay / reset / setWeight / trainUntil / info / weights /
// activations / samples — what the UI's views and shared links use.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createLab } from '../../web/node.mjs';
import { decodeState, encodeState } from '../../web/url-state.mjs';

const SPIRAL = {
  seed: 5,
  data: { name: 'spiral', n: 200, features: ['x1', 'x2', 'sinx1', 'sinx2'] },
  model: { layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 2 }] },
  optimizer: { name: 'adam', lr: 0.03 },
  batch_size: 10,
};

let lab;
before(async () => { lab = await createLab(); });
after(() => lab.close());

test('a history with every kind of event replays to the same digest, also through a link', async () => {
  lab.load(SPIRAL);
  await lab.train(40);
  lab.setHyperparameters({ optimizer: { lr: 0.01 } });
  await lab.train(13);
  assert.equal(lab.setWeight(0, 'weight', 3, 0.5) !== 0.5, true);
  lab.setWeight(0, 'bias', 1, -0.25);
  await lab.train(7);
  lab.reset();
  await lab.train(9);
  const h = lab.history();
  assert.equal(h.step, 9);
  assert.deepEqual(h.events.map((e) => Object.keys(e).filter((k) => k !== 'at')[0]), ['set', 'weight', 'weight', 'reset']);
  assert.deepEqual(h.events.map((e) => e.at), [40, 53, 53, 60]);
  const digest = lab.digest();

  const other = await createLab({ threads: 1 });
  try {
    await other.replay(h);
    assert.equal(other.digest(), digest, 'replayed on 1 thread: the same weights');
    // The same through the URL codec (what "Copy link" writes and a new page reads).
    const { state, ignored } = decodeState(encodeState(h));
    assert.deepEqual(ignored, []);
    other.load({ version: 1, seed: 1, data: { name: 'circle' }, model: { layers: [{ type: 'dense', units: 2 }] } });
    let seen = 0;
    await other.replay({ spec: { ...lab.history().spec, ...state.spec }, events: state.events, step: state.step }, { onProgress: () => { seen++; } });
    assert.equal(other.digest(), digest, 'replayed from the link');
    assert.ok(seen >= 0);
    // A history that cannot apply rejects and leaves the lab as it was.
    await assert.rejects(other.replay({ spec: h.spec, events: [{ at: 2, weight: { layer: 7, param: 'weight', index: 0, value: 1 } }] }),
      /history\.events\[0\]: layer 7 does not exist/);
    assert.equal(other.digest(), digest);
    await assert.rejects(other.replay('{oops'), /not valid JSON/);
    await assert.rejects(other.replay(42), /history must be an object/);
  } finally {
    other.close();
  }
});

test('bad weight edits are refused with readable errors', () => {
  lab.load(SPIRAL);
  const d = lab.digest();
  assert.throws(() => lab.setWeight(0, 'kernel', 0, 1), /layer 0 \(dense\) has no parameter 'kernel'/);
  assert.throws(() => lab.setWeight(0, '', 0, 1), /param must be a parameter name/);
  assert.throws(() => lab.setWeight('no-such', 'weight', 0, 1), /must be a layer index or a layer id/);
  assert.throws(() => lab.setWeight('nosuch', 'weight', 0, 1), /no layer has the id 'nosuch'/);
  assert.throws(() => lab.setWeight(0, 'weight', 0, NaN), /finite number/);
  assert.throws(() => lab.setWeight(1, 'weight', 0, 1), /has no parameter 'weight'/);
  assert.throws(() => lab.setWeight(0, 'weight', 999, 1), /out of range/);
  assert.equal(lab.digest(), d);
});

test('trainUntil stops at the stop condition, at an epoch boundary', async () => {
  lab.load({ ...SPIRAL, stop: { test_accuracy: 0.9 } });
  let m;
  for (let i = 0; i < 50; i++) {
    m = await lab.trainUntil(37);
    if (m.stopped) break;
  }
  assert.equal(m.stopped, true);
  assert.match(m.stopReason, /target test accuracy 0\.9/);
  assert.ok(m.testAccuracy >= 0.9);
  assert.equal(m.step % 10, 0, 'epochs are 10 steps (100 train samples, batch 10)');
});

test('info, weights, activations and samples describe the network and the data', () => {
  lab.load(SPIRAL);
  const info = lab.info();
  assert.deepEqual(info.inputShape, [4]);
  assert.deepEqual(info.featureNames, ['x1', 'x2', 'sinx1', 'sinx2']);
  assert.equal(info.rawPlane, true);
  assert.deepEqual(info.layers.map((l) => l.type), ['dense', 'activation', 'dense']);
  assert.equal(info.numParams, 4 * 8 + 8 + 8 * 2 + 2);
  assert.equal(lab.weights(0).length, 32);
  assert.equal(lab.weights(0, 'bias').length, 8);
  const { x, y } = lab.samples('test', 0, 3);
  assert.equal(x.length, 12);
  assert.equal(y.length, 3);
  assert.ok(Math.abs(x[2] - Math.sin(x[0])) < 1e-6, 'sinx1 = sin(x1)');
  const acts = lab.activations(x, 3);
  assert.equal(acts.length, 3);
  assert.equal(acts[1].length, 24);
  assert.deepEqual(Array.from(acts[2]), Array.from(lab.predict(x, 3)));
  assert.throws(() => lab.samples('valid', 0, 1), /split must be 'train' or 'test'/);
  assert.throws(() => lab.activations([1, 2], 1), /need 4 values, got 2/);
});

test('layers by id, any parameter (batchnorm statistics), probes; a link replays edits made by id', async () => {
  const spec = {
    seed: 4, data: { name: 'circle', n: 120 },
    model: { layers: [{ type: 'dense', units: 6, activation: 'silu', id: 'hidden' }, { type: 'batchnorm', id: 'norm' },
      { type: 'dense', units: 2, id: 'out' }] },
    optimizer: { name: 'adam', lr: 0.01 }, batch_size: 12,
  };
  lab.load(spec);
  await lab.train(15);
  assert.deepEqual(lab.weights('out', 'bias'), lab.weights(3, 'bias'));
  assert.equal(lab.weights('norm', 'running_var').length, 6);
  lab.setWeight('norm', 'running_mean', 1, 0.25);
  lab.setWeight('out', 'weight', 0, -0.5);
  await lab.train(5);
  const h = lab.history();
  assert.deepEqual(h.events.map((e) => e.weight.layer), ['norm', 'out']);
  const probes = lab.probes();
  assert.deepEqual(probes.map((p) => p.name), ['hidden', 'layer1', 'norm', 'out']);
  const x = lab.samples('test', 0, 3).x;
  const a = lab.probe('norm', x, 3);
  assert.deepEqual(a.shape, [3, 1, 6]);
  assert.deepEqual(Array.from(a), Array.from(lab.activations(x, 3)[2]));
  assert.throws(() => lab.probe('nope', x, 3), /no probe named 'nope'/);
  const digest = lab.digest();
  const other = await createLab({ threads: 1 });
  try {
    const { state, ignored } = decodeState(encodeState(h));
    assert.deepEqual(ignored, []);
    await other.replay({ spec: h.spec, events: state.events, step: state.step });
    assert.equal(other.digest(), digest, 'replayed from a link that names layers by id');
  } finally {
    other.close();
  }
});

test('intervene: record, ablate and patch at a probe, on a copy of the network', () => {
  lab.load({ seed: 6, data: { name: 'circle', n: 120 },
    model: { layers: [{ type: 'dense', units: 5, activation: 'tanh', id: 'h' }, { type: 'dense', units: 2 }] } });
  const x = lab.samples('test', 0, 2).x;
  const d = lab.digest();
  const r = lab.intervene(x, 2, [{ probe: 'layer1', kind: 'record' }, { probe: 'layer1', kind: 'mask', units: [3], value: [0] },
    { probe: 'layer1', kind: 'record' }]);
  assert.equal(r.records.length, 2);
  assert.equal(r.records[0].values.length, 10);
  assert.ok(r.records[1].values[3] === 0 && r.records[1].values[8] === 0, 'unit 3 is ablated in both samples (±0)');
  assert.equal(r.outputs.length, 4);
  assert.notDeepEqual(Array.from(r.outputs), Array.from(lab.predict(x, 2)));
  assert.deepEqual(Array.from(lab.intervene(x, 2, []).outputs), Array.from(lab.predict(x, 2)));
  assert.equal(lab.digest(), d);
  assert.throws(() => lab.intervene(x, 2, [{ probe: 'nope', kind: 'record' }]), /no probe named 'nope'/);
  assert.throws(() => lab.intervene(x, 2, [{ probe: 'h', kind: 'mask', units: [9], value: [0] }]), /unit 9 is out of range/);
  assert.throws(() => lab.intervene(x, 2, 'all'), /hooks must be a list/);
});
