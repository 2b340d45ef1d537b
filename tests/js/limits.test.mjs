// The robustness issue's reproductions, each refused with a readable NeuronLabError — and the lab works
// afterwards (a train and a predict after every refusal). Sizes are computed in 64 bits and checked before
// anything is allocated; JSON input is bounded in depth; messages are clipped; model files are checked as
// they are; the Node module adds no process-wide listeners.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { NeuronLabError, createLab } from '../../web/node.mjs';

const SMALL = { seed: 2, data: { name: 'circle', n: 120 }, model: { layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 2 }] } };
const dense = (...units) => ({ layers: units.map((u) => ({ type: 'dense', units: u })) });

let lab, listeners;
before(async () => {
  listeners = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
  lab = await createLab();
});
after(() => lab.close());

// Refused with a NeuronLabError whose message matches `re` and stays short; then the lab still trains and predicts.
async function refused(what, f, re) {
  lab.load(SMALL);
  const digest = lab.digest();
  let err;
  try { await f(); } catch (e) { err = e; }
  assert.ok(err, `${what}: accepted`);
  assert.ok(err instanceof NeuronLabError, `${what}: ${err?.constructor?.name}: ${String(err?.message).slice(0, 200)}`);
  assert.match(err.message, re, what);
  assert.ok(err.message.length <= 1100, `${what}: a message of ${err.message.length} characters`);
  assert.doesNotMatch(err.message, /json\.exception|RuntimeError|bad_alloc|out of bounds/, what);
  if (lab.spec().seed === SMALL.seed) assert.equal(lab.digest(), digest, `${what}: the experiment changed`);
  lab.load(SMALL);
  const m = await lab.train(20);
  assert.ok(Number.isFinite(m.trainLoss), `${what}: training afterwards`);
  assert.equal(lab.predict(new Float32Array([0.1, 0.2]), 1).length, 2, `${what}: predict afterwards`);
}

test('sizes past 32 bits and models too big for memory are refused before anything is built, naming the layer', async () => {
  await refused('two 65536-unit layers', () => lab.load({ data: { name: 'spiral' }, model: dense(65536, 65536, 2) }), /layer 2 \(dense\).*parameters.*fewer units/);
  await refused('a 67-million-parameter layer', () => lab.load({ data: { name: 'spiral' }, model: { layers: [{ type: 'dense', units: 1024 },
    { type: 'dense', units: 65536 }, { type: 'dense', units: 2 }] } }), /layer 2 \(dense\).*at most 64000000/);
  await refused('a batch that does not fit', () => lab.load({ data: { name: 'spiral' }, batch_size: 65536, model: dense(4096, 4096, 2) }),
    /spec\.batch_size: .*GB.*a batch_size of at most \d+ fits/);
  await refused('predict with no inputs for 2^24 rows', () => lab.predict(new Float32Array(0), 2 ** 24), /16777216 rows of 2 inputs need 33554432 values, got 0/);
  await refused('a batch size changed past what fits', async () => {
    lab.load({ data: { name: 'spiral' }, batch_size: 16, model: dense(4096, 4096, 2) });
    lab.setHyperparameters({ batch_size: 65536 });
  }, /a batch_size of at most/);
});

test('deep JSON, out-of-range numbers and long text give short, readable messages', async () => {
  const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
  await refused('a deep spec', () => lab.load(`{"data": {"name": "spiral"}, "x": ${deep}}`), /spec is nested more than 64 levels deep/);
  await refused('a deep patch', () => lab.setHyperparameters(JSON.parse(`{"optimizer": ${'{"a": '.repeat(3000)}1${'}'.repeat(3000)}}`)), /nested more than 64 levels/);
  await refused('a deep history', () => lab.replay(`{"spec": ${deep}}`), /history is nested more than 64 levels/);
  await refused('a deep model file', () => lab.importModel(`{"format": "neuronlab-model", "x": ${deep}}`), /model file is nested more than 64 levels/);
  await refused('1e999', () => lab.load('{"data": {"name": "spiral"}, "seed": 1e999}'), /the number 1e999 is out of range/);
  await refused('a 100,000-character layer type', () => lab.load({ data: { name: 'spiral' }, model: { layers: [{ type: 'x'.repeat(100000) }] } }),
    /unknown layer type 'x+… \(100000 characters\)'/);
  await refused('benchMatmul(null)', () => lab.benchMatmul(null), /benchMatmul\(options\): options must be an object/);
});

test('model files are checked as they are: the format field, the version, each tensor\'s shape', async () => {
  await refused('"format": null', () => lab.importModel('{"format": null}'), /not a NeuronLab model file/);
  await refused('version 2^32 + 1', () => lab.importModel('{"format": "neuronlab-model", "version": 4294967297}'), /version 4294967297 is not supported/);
  lab.load(SMALL);
  const file = JSON.parse(lab.exportModel('json'));
  const w = file.params[0];
  assert.deepEqual(w.shape, [4, 2]);
  w.shape = [2, 4];  // the same 8 values, transposed
  await refused('a transposed weight', () => lab.importModel(JSON.stringify(file)), /parameter 0 \(weight\) has shape \(2, 4\), but its layer in the spec needs \(4, 2\)/);
});

test('the Node module adds no process-wide listeners', () => {
  assert.equal(process.listenerCount('uncaughtException'), listeners[0]);
  assert.equal(process.listenerCount('unhandledRejection'), listeners[1]);
});

test('a model of a file-backed dataset imports into a fresh lab (the data file is read as load() does)', async () => {
  const spec = { seed: 4, data: { name: 'digits', n: 300 }, model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] } };
  lab.load(spec);
  await lab.train(5);
  const digest = lab.digest();
  for (const format of ['binary', 'json']) {
    const file = lab.exportModel(format);
    const fresh = await createLab();
    try {
      fresh.importModel(file);
      assert.equal(fresh.digest(), digest, format);
    } finally {
      fresh.close();
    }
  }
});

test('a link string with a lone UTF-16 surrogate decodes to a state that encodes back to itself (fuzz finding)', async () => {
  const { decodeState, encodeState } = await import('../../web/url-state.mjs');
  const r = decodeState('#v=1&data=xor&layers=dense:4:tanh,dense:2&text=learn%20XOR%E2\ud800');
  assert.doesNotMatch(JSON.stringify(r.state), /\\ud800/);
  const again = decodeState(encodeState(r.state));
  assert.deepEqual(again.state.classroom, r.state.classroom);
});

test('a step of −0 in a link is step 0, as a link writes it; a value keeps its −0 (fuzz finding)', async () => {
  const { decodeState, encodeState } = await import('../../web/url-state.mjs');
  const r = decodeState('#log=-0:stop.epochs=5&step=-0&lr=-0');
  assert.ok(Object.is(r.state.events[0].at, 0) && Object.is(r.state.step, 0));
  assert.ok(Object.is(r.state.spec.optimizer.lr, -0), 'values keep their sign: weights round-trip bit for bit');
  const { version, ...back } = decodeState(encodeState(r.state)).state.spec;  // encodeState writes v=1
  assert.equal(version, 1);
  assert.deepEqual({ ...decodeState(encodeState(r.state)).state, spec: back }, r.state);
});
