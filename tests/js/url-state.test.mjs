// The share-by-URL codec (web/url-state.mjs): exact round trips, readable output, hostile input, and
// loadFromHash against the real lab (needs dist/node from `npm run build`; those tests skip, saying so, without it).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { LIMITS, classroomOf, decodeState, encodeState, loadFromHash, mergeSpec } from '../../web/url-state.mjs';

// ---- helpers -------------------------------------------------------------------------------------

const roundTrip = (state) => {
  const hash = encodeState(state);
  const { state: back, ignored } = decodeState(hash);
  assert.deepEqual(ignored, [], `${hash} → ${ignored.join(' | ')}`);
  return { hash, back };
};

// A spec as lab.spec() returns it (every field filled in).
const FULL = {
  version: 1, seed: 42,
  data: { name: 'spiral', n: 500, noise: 0.1, test_ratio: 0.5, seed: 42 },
  model: { layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 2 }], init: 'glorot_uniform' },
  optimizer: { name: 'sgd', lr: 0.03, momentum: 0.9, nesterov: false, weight_decay: 0 },
  schedule: { name: 'constant' },
  batch_size: 10,
  regularization: { l1: 0, l2: 0.001 },
  stop: { epochs: 0, test_loss: 0, test_accuracy: 0 },
};
const withSpec = (patch) => ({ ...FULL, ...patch });

// mulberry32: a small seeded PRNG, so a failing fuzz case is reproducible from its seed.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

// What decodeState promises about its result's shape, whatever the input.
function assertShape(r, input) {
  const where = `input ${JSON.stringify(String(input).slice(0, 200))}`;
  assert.ok(isPlain(r) && isPlain(r.state), where);
  assert.ok(Array.isArray(r.ignored) && r.ignored.every((m) => typeof m === 'string'), where);
  assert.ok(r.ignored.length <= LIMITS.messages + 1, where);
  const { spec, events, step, classroom } = r.state;
  assert.ok(isPlain(spec), where);
  const leaves = (v, depth) => {
    assert.ok(depth < 20, where);
    if (typeof v === 'number') assert.ok(Number.isFinite(v), where);
    else if (Array.isArray(v)) v.forEach((x) => leaves(x, depth + 1));
    else if (v !== null && typeof v === 'object') {
      assert.ok(isPlain(v), where);
      for (const k of Object.keys(v)) assert.ok(!['__proto__', 'constructor', 'prototype'].includes(k), where);
      Object.values(v).forEach((x) => leaves(x, depth + 1));
    } else assert.ok(['string', 'boolean'].includes(typeof v) || v === null, where);
  };
  leaves(spec, 0);
  for (const g of ['data', 'model', 'optimizer', 'schedule', 'regularization', 'stop']) if (g in spec) assert.ok(isPlain(spec[g]), where);
  if (spec.model?.layers !== undefined) {
    assert.ok(Array.isArray(spec.model.layers) && spec.model.layers.length >= 1 && spec.model.layers.length <= LIMITS.layers, where);
    for (const l of spec.model.layers) assert.ok(isPlain(l) && typeof l.type === 'string', where);
  }
  assert.ok(Array.isArray(events) && events.length <= LIMITS.events, where);
  for (const e of events) {
    assert.ok(isPlain(e) && Number.isSafeInteger(e.at) && e.at >= 0 && e.at <= LIMITS.step, where);
    const kinds = ['set', 'weight', 'reset'].filter((k) => k in e);
    assert.equal(kinds.length, 1, where);
    if (e.reset !== undefined) assert.equal(e.reset, true, where);
    if (e.set !== undefined) { assert.ok(isPlain(e.set), where); leaves(e.set, 0); }
    if (e.weight !== undefined) assert.ok(Number.isSafeInteger(e.weight.layer) && Number.isSafeInteger(e.weight.index) && Number.isFinite(e.weight.value), where);
  }
  assert.ok(Number.isSafeInteger(step) && step >= 0 && step <= LIMITS.step, where);
  if (classroom !== undefined) {
    assert.ok(isPlain(classroom), where);
    for (const k of ['hide', 'lock']) if (k in classroom) assert.ok(classroom[k].every((n) => /^[A-Za-z0-9_.-]{1,64}$/.test(n)), where);
    if ('text' in classroom) assert.ok(typeof classroom.text === 'string' && Array.from(classroom.text).length <= LIMITS.textChars, where);
  }
}

// Decoding, re-encoding and decoding again gives the same state (the codec is its own fixed point).
function assertStable(state, input) {
  let hash;
  assert.doesNotThrow(() => { hash = encodeState(state); }, `encodeState of the decoded ${JSON.stringify(String(input).slice(0, 200))}`);
  const again = decodeState(hash);
  const { version: _a, ...s1 } = state.spec;
  const { version: _b, ...s2 } = again.state.spec;  // encodeState writes v=1, which reads back as spec.version 1
  assert.deepEqual({ ...again.state, spec: s2 }, { ...state, spec: s1 }, `re-encoded as ${hash}`);
}

// ---- round trips ---------------------------------------------------------------------------------

describe('round trips', () => {
  test('a full MLP spec with events, step and classroom comes back identical, readable', () => {
    const state = {
      spec: withSpec({ data: { ...FULL.data, features: ['x1', 'x2', 'x1sq'] } }),
      events: [{ at: 120, set: { optimizer: { lr: 0.01 } } }, { at: 300, weight: { layer: 2, param: 'weight', index: 5, value: 0.25 } }, { at: 450, reset: true }],
      step: 1200,
      classroom: { hide: ['optimizer', 'lr'], lock: ['data', 'network'], text: 'Make the spiral work without sin features' },
    };
    const { hash, back } = roundTrip(state);
    assert.deepEqual(back, state);
    assert.equal(hash,
      '#v=1&seed=42&data=spiral&n=500&noise=0.1&test=0.5&data.seed=42&features=x1,x2,x1sq' +
      '&layers=dense:8:tanh,dense:8:tanh,dense:2&init=glorot_uniform&opt=sgd&lr=0.03&momentum=0.9&nesterov=false&wd=0' +
      '&sched=constant&batch=10&l1=0&l2=0.001&stop.epochs=0&stop.test_loss=0&stop.test_accuracy=0' +
      '&step=1200&log=120:lr=0.01;300:w2.weight[5]=0.25;450:reset' +
      '&hide=optimizer,lr&lock=data,network&text=Make+the+spiral+work+without+sin+features');
  });

  test('CNN layers use the short forms; every layer param survives', () => {
    const layers = [
      { type: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 1, activation: 'relu' },
      { type: 'maxpool2d', size: 2, stride: 2 },
      { type: 'conv2d', filters: 16, kernel: 5, stride: 2, padding: 0, init: 'he_normal' },
      { type: 'avgpool2d', size: 2, stride: 1 },
      { type: 'activation', activation: 'sigmoid' },
      { type: 'flatten' },
      { type: 'dropout', rate: 0.25 },
      { type: 'dense', units: 10, bias: 0, init: 'zeros' },
    ];
    const spec = withSpec({ data: { name: 'mnist', n: 2000, noise: 0, test_ratio: 0.2, seed: 3 }, model: { layers, init: 'he_uniform' } });
    const { hash, back } = roundTrip({ spec, events: [], step: 0 });
    assert.deepEqual(back.spec, spec);
    assert.match(hash, /&layers=conv2d:f8:k3:s1:p1:relu,maxpool2d:2:s2,conv2d:f16:k5:s2:p0:init=he_normal,avgpool2d:2:s1,activation:sigmoid,flatten,dropout:0.25,dense:10:bias=0:init=zeros&/);
  });

  test('layer params of any name and type round-trip, including awkward strings', () => {
    const layers = [
      { type: 'conv2d', activation: 's1' },                 // would read as stride 1 if bare
      { type: 'dense', activation: 'true', units: 4 },       // would read as a boolean
      { type: 'dense', activation: '42' },                   // would read as a number
      { type: 'fancy_new_layer', heads: 4, causal: true, mode: 'a,b:c=d&e#f%g', note: "'quoted", empty: '', ratio: -0.5, big: 1e21 },
      { type: 'dense', units: 2, extra: [1, 'two', { three: 3 }], obj: { k: null } },
      { type: 'dense', units: 2, label: 'ünïcödé 😀 spaces' },
    ];
    const spec = { model: { layers } };
    const { back } = roundTrip({ spec, events: [], step: 0 });
    assert.deepEqual(back.spec, { version: 1, ...spec });
  });

  for (const optimizer of [
    { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.0005 },
    { name: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0 },
    { name: 'adamw', lr: 0.003, beta1: 0.85, beta2: 0.99, eps: 1e-7, weight_decay: 0.01 },
    { name: 'rmsprop', lr: 0.01, alpha: 0.99, eps: 1e-8, weight_decay: 0 },
    { name: 'adagrad', lr: 0.05, eps: 1e-10, weight_decay: 0 },
    { name: 'future_opt', lr: 0.1, warmup: 'linear', lookahead: 5 },
  ]) {
    test(`optimizer ${optimizer.name} round-trips`, () => {
      const spec = withSpec({ optimizer });
      assert.deepEqual(roundTrip({ spec, events: [], step: 0 }).back.spec, spec);
    });
  }

  for (const schedule of [{ name: 'constant' }, { name: 'step', step_size: 1000, gamma: 0.5 }, { name: 'cosine', total_steps: 5000, min_lr: 1e-5 }]) {
    test(`schedule ${schedule.name} round-trips`, () => {
      const spec = withSpec({ schedule, stop: { epochs: 20, test_loss: 0.05, test_accuracy: 0.97 } });
      assert.deepEqual(roundTrip({ spec, events: [], step: 0 }).back.spec, spec);
    });
  }

  test('dataset extras, a numeric features count, loss, unknown fields and groups', () => {
    const spec = {
      version: 1, seed: 4294967295,
      data: { name: 'random', n: 1000, features: 64, classes: 10, seed: 0 },
      model: { layers: [{ type: 'dense', units: 10 }] },
      loss: 'softmax_cross_entropy',
      optimizer: { name: 'sgd', lr: 0.03, future_flag: true, mode: 'fast' },
      augment: { flip: true, crop: { size: 24 } },
      top_level_thing: 'x',
    };
    const { hash, back } = roundTrip({ spec, events: [], step: 0 });
    assert.deepEqual(back.spec, spec);
    assert.match(hash, /&features=64&data.classes=10&/);
    assert.match(hash, /&optimizer.future_flag=true&optimizer.mode=fast&spec.augment.flip=true&spec.augment.crop.size=24&spec.top_level_thing=x/);
  });

  test('a partial spec stays partial (only what was given), plus the version v=1 stands for', () => {
    const { hash, back } = roundTrip({ spec: { seed: 7, optimizer: { lr: 0.5 } } });
    assert.equal(hash, '#v=1&seed=7&lr=0.5');
    assert.deepEqual(back, { spec: { version: 1, seed: 7, optimizer: { lr: 0.5 } }, events: [], step: 0 });
    assert.equal(encodeState({ spec: {} }), '#v=1');
    assert.equal(encodeState({ spec: { version: 2 } }), '#v=1&specv=2');
    assert.deepEqual(decodeState('#v=1&specv=2').state.spec, { version: 2 });
  });

  test('events of every kind, generic patches and the JSON fallback', () => {
    const events = [
      { at: 0, set: { optimizer: { name: 'adam', lr: 0.001, beta1: 0.8 } } },
      { at: 10, set: { regularization: { l2: 0.0001, l1: null }, batch_size: 32 } },  // null: remove (merge patch)
      { at: 10, set: { schedule: { name: 'step', step_size: 100, gamma: 0.9 }, stop: { epochs: 3 } } },
      { at: 20, weight: { layer: 0, param: 'bias', index: 0, value: -1.5 } },
      { at: 21, weight: { layer: 4, index: 7, value: 3 } },                          // no param
      { at: 22, weight: { layer: 1, param: 'w.odd[name]=x', index: 2, value: 0 } },
      { at: 30, set: { optimizer: { lr: 'fast' } } },                                // does not fit its type: JSON
      { at: 31, set: { model: { layers: [{ type: 'dense', units: 2 }] } } },         // an array: JSON
      { at: 32, set: { optimizer: {} } },                                            // an empty object: JSON
      { at: 33, set: { init: 'null' } },                                             // the text "null": JSON
      { at: 34, set: { new_group: { x: 'a;b,c:d' } } },
      { at: 40, reset: true },
      { at: 5, set: { optimizer: { lr: 0.02 } } },                                   // after a reset, steps count from 0
      { at: 6, custom_kind: { x: 1 } },                                              // unknown kind: written, not read back
    ];
    const hash = encodeState({ spec: {}, events, step: 100 });
    const { state, ignored } = decodeState(hash);
    assert.deepEqual(state.events, events.slice(0, -1));
    assert.equal(ignored.length, 1);
    assert.match(ignored[0], /ignored event 14 .*must hold exactly one of set, weight or reset/);
    assert.match(hash, /log=0:opt=adam,lr=0.001,beta1=0.8;10:l2=0.0001,l1=null,batch=32;10:sched=step,step_size=100,gamma=0.9,stop.epochs=3;20:w0.bias\[0\]=-1.5;21:w4\[7\]=3;/);
    assert.match(hash, /;40:reset;5:lr=0.02;/);
  });

  test('classroom text with Unicode and URL syntax characters', () => {
    for (const text of ['a & b = c # d % e + f', '100% sure? #1 / a@b.c', 'Ünïcödé ✓ 日本語 😀 עברית', 'line 1\nline 2\ttab', "quotes ' \" and ; , : [ ] { }", '%E0%A4%A literal', '+ plus +']) {
      const state = { spec: {}, events: [], step: 0, classroom: { text } };
      const { hash, back } = roundTrip(state);
      assert.equal(back.classroom.text, text);
      assert.ok(!/[ #&"\n]/.test(hash.slice('#v=1&text='.length)), hash);
    }
    const c = classroomOf(decodeState('#hide=lr,optimizer&lock=data&text=Hi').state);
    assert.deepEqual([c.hide, c.lock, c.text, c.active, c.hidden('lr'), c.locked('network')], [['lr', 'optimizer'], ['data'], 'Hi', true, true, false]);
    for (const odd of [undefined, null, 5, {}, { classroom: 'x' }]) {
      const e = classroomOf(odd);
      assert.deepEqual([e.hide, e.lock, e.text, e.active, e.hidden('lr')], [[], [], '', false, false]);
    }
    assert.equal(classroomOf({ classroom: { hide: 'lr', text: 5 } }).active, false);
  });

  test('numbers round-trip exactly: float32 values, extremes, -0', () => {
    const values = [0.1, 0.03, 1e-7, 3.4e38, 0.001, 1e-10, 0.9999, 123456.789, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 - 1, -2.5e-8, -0];
    const f32 = [...values.map(Math.fround), ...values].filter(Number.isFinite);
    for (const x of f32) {
      const state = {
        spec: { optimizer: { lr: x }, model: { layers: [{ type: 'dropout', rate: x }, { type: 'dense', units: 2, scale: x }] } },
        events: [{ at: 1, weight: { layer: 0, param: 'weight', index: 0, value: x } }, { at: 2, set: { regularization: { l2: x } } }],
        step: 3,
      };
      const { back } = roundTrip(state);
      for (const y of [back.spec.optimizer.lr, back.spec.model.layers[0].rate, back.spec.model.layers[1].scale, back.events[0].weight.value, back.events[1].set.regularization.l2]) {
        assert.ok(Object.is(y, x), `${x} came back as ${y}`);
      }
    }
    assert.match(encodeState({ spec: { optimizer: { lr: Math.fround(3.4e38) } } }), /lr=3\.3999999521443642e38$/);
    assert.equal(decodeState('#lr=3.4e+38').state.spec.optimizer.lr, 3.4e38);
  });

  test('encodeState refuses what a link cannot hold, saying what', () => {
    assert.throws(() => encodeState({ spec: { optimizer: { lr: NaN } } }), /spec\.optimizer\.lr must be a number/);
    assert.throws(() => encodeState({ spec: { foo: Infinity } }), /spec\.foo is Infinity/);
    assert.throws(() => encodeState({ spec: { model: { layers: [] } } }), /non-empty list of layers/);
    assert.throws(() => encodeState({ spec: { model: { layers: Array(257).fill({ type: 'flatten' }) } } }), /at most 256/);
    assert.throws(() => encodeState({ spec: { model: { layers: [{ units: 2 }] } } }), /layers\[0\] must be an object with a type/);
    assert.throws(() => encodeState({ spec: {}, events: [{ at: -1, reset: true }] }), /events\[0\]\.at must be a step/);
    assert.throws(() => encodeState({ spec: {}, classroom: { text: 'x'.repeat(2001) } }), /longer than 2000/);
    assert.throws(() => encodeState({ spec: {}, classroom: { hide: ['no spaces'] } }), /not a control name/);
    assert.throws(() => encodeState({ spec: { 'bad key': 1 } }), /field named "bad key"/);
    assert.throws(() => encodeState({ spec: JSON.parse('{"__proto__": {"x": 1}}') }), /field named "__proto__"/);
    assert.throws(() => encodeState(null), /must be an object/);
    assert.throws(() => encodeState({ spec: {}, step: 1.5 }), /state\.step must be a step/);
  });
});

// ---- hostile and odd input -------------------------------------------------------------------------

describe('hostile input', () => {
  const ign = (hash) => decodeState(hash).ignored;

  test('each unusable pair is named, the rest still loads', () => {
    const { state, ignored } = decodeState('#v=1&seed=5&lr=abc&noise=0.2&momentum=&bogus=3&=7&justaword&n=1.5&batch=0x10&nesterov=maybe');
    assert.deepEqual(state.spec, { version: 1, seed: 5, data: { noise: 0.2 } });
    assert.deepEqual(ignored, [
      "ignored 'lr=abc': not a number",
      "ignored 'momentum=': empty value",
      "ignored 'bogus=3': unknown key",
      "ignored '=7': no key",
      "ignored 'justaword': not key=value",
      "ignored 'n=1.5': not a whole number",
      "ignored 'batch=0x10': not a number",
      "ignored 'nesterov=maybe': not true or false",
    ]);
  });

  test('NaN, Infinity, huge numbers, bad steps', () => {
    for (const v of ['NaN', 'Infinity', '-Infinity', '1e400', ' 1', '1%20', '%2B', '1e', '.', '--1', '']) assert.equal(decodeState(`#lr=${v}`).state.spec.optimizer, undefined, v);
    assert.match(ign('#lr=1e400')[0], /not a finite number/);
    for (const s of ['-5', '1.5', '1e20', '100000001', 'abc', '0x10']) {
      const r = decodeState(`#step=${s}&seed=1`);
      assert.equal(r.state.step, 0, s);
      assert.match(r.ignored[0], /the step must be a whole number from 0 to 100000000/, s);
    }
    assert.equal(decodeState('#step=100000000').state.step, 100000000);
    assert.match(ign('#seed=99999999999999999999')[0], /not a whole number/);
  });

  test('invalid percent-encoding is reported; text keeps what it can', () => {
    assert.deepEqual(ign('#data=%E0%A4%A'), ["ignored 'data=%E0%A4%A': invalid percent-encoding"]);
    assert.deepEqual(ign('#%ZZ=1'), ["ignored '%ZZ=1': invalid percent-encoding"]);
    const r = decodeState('#text=caf%C3%A9+%E0%A4%A+ok+%');
    assert.equal(r.state.classroom.text, 'café %E0%A4%A ok %');
    assert.match(r.ignored[0], /text: kept invalid percent-encoding/);
    assert.equal(decodeState('#layers=dense:%E0%A4:tanh').state.spec.model, undefined);
  });

  test('no prototype pollution through any door', () => {
    const doors = [
      '#__proto__=1', '#__proto__.polluted=1', '#spec.__proto__.polluted=1', '#data.__proto__=1', '#data.constructor.prototype.polluted=1',
      '#opt.prototype=1', '#layers=dense:__proto__=1', '#layers=__proto__:1', '#layers=dense:2:x={"__proto__":{"polluted":1}}',
      '#spec.x=' + encodeURIComponent('{"__proto__":{"polluted":1}}'),
      '#log=1:' + encodeURIComponent('{"set":{"__proto__":{"polluted":1}}}'),
      '#log=1:__proto__.polluted=1', '#log=1:spec.constructor=1', '#log=1:w0.__proto__[0]=1',
      '#' + JSON.stringify({ __proto__: null, spec: JSON.parse('{"__proto__":{"polluted":1},"seed":3}') }),
      '#' + encodeURIComponent('{"__proto__":{"polluted":1},"optimizer":{"__proto__":{"polluted":1}}}'),
      '#constructor=1&hasOwnProperty=1&toString=1&valueOf=1',
      '#hide=__proto__,constructor&lock=toString',
    ];
    for (const d of doors) {
      const r = decodeState(d);
      assertShape(r, d);
      assert.equal({}.polluted, undefined, d);
      assert.equal(Object.prototype.polluted, undefined, d);
      assert.ok(!JSON.stringify(r.state).includes('polluted') || d.includes('hide'), `${d} → ${JSON.stringify(r.state)}`);
    }
    assert.match(ign('#spec.__proto__.x=1')[0], /'__proto__' is not allowed/);
    assert.match(ign('#layers=dense:2:x=' + encodeURIComponent('{"a":{"__proto__":1}}'))[0], /x: the JSON has the key '__proto__', which is not allowed/);
  });

  test('repeated keys: the last wins, the earlier is reported', () => {
    const r = decodeState('#lr=0.1&seed=1&lr=0.2&optimizer.lr=0.3&step=5&step=6');
    assert.equal(r.state.spec.optimizer.lr, 0.3);
    assert.equal(r.state.step, 6);
    assert.deepEqual(r.ignored, ["ignored 'lr=0.1': lr is given again later", "ignored 'lr=0.2': optimizer.lr is given again later", "ignored 'step=5': step is given again later"]);
  });

  test('keys that clash: a group set as a value, a value used as a group', () => {
    assert.match(ign('#spec.data=5')[0], /data is a group/);
    assert.match(ign('#optimizer.lr.x=1')[0], /optimizer.lr is a value, not a group/);
    assert.match(ign('#spec.a=1&spec.a.b=2')[0], /conflicts with another key/);
  });

  test('bad layer lists are ignored whole, with the reason', () => {
    for (const [layers, why] of [
      ['dense:8:tanh,,dense:2', /layer 2 '': is empty/],
      ['dense:8:tanh:9', /sets units twice/],
      ['maxpool2d:relu', /'relu' is not a short maxpool2d parameter/],
      ['flatten:3', /'3' is not a short flatten parameter/],
      ['dense:x=', /x: empty value/],
      ['1dense', /does not start with a layer type/],
      ['dense:x-y', /'x-y' is not a short dense parameter/],
      ['dense:8:relu:tanh', /sets activation twice/],
      ['dense:units=1e999', /units: not a finite number/],
    ]) {
      const r = decodeState(`#layers=${layers}&seed=2`);
      assert.deepEqual(r.state.spec, { seed: 2 }, layers);
      assert.match(r.ignored[0], why, layers);
    }
  });

  test('sizes are capped, and the cut is reported', () => {
    const many = decodeState('#layers=' + Array(300).fill('dense:2').join(','));
    assert.equal(many.state.spec.model.layers.length, 256);
    assert.match(many.ignored[0], /kept the first 256 of 300 layers/);
    const ev = decodeState('#log=' + Array.from({ length: 10005 }, (_, i) => `${i}:reset`).join(';'));
    assert.equal(ev.state.events.length, 10000);
    assert.match(ev.ignored[0], /kept the first 10000 of 10005 events/);
    const text = decodeState('#text=' + 'ab'.repeat(1500));
    assert.equal(text.state.classroom.text.length, 2000);
    assert.match(text.ignored[0], /kept the first 2000 of 3000 characters/);
    const emoji = decodeState('#text=' + encodeURIComponent('😀'.repeat(2100)));
    assert.equal(Array.from(emoji.state.classroom.text).length, 2000);
    const hide = decodeState('#hide=' + Array.from({ length: 70 }, (_, i) => `c${i}`).join(','));
    assert.equal(hide.state.classroom.hide.length, 64);
    const t0 = performance.now();
    const huge = decodeState('#seed=3&noise=0.5&' + 'x'.repeat(1 << 20));
    assert.ok(performance.now() - t0 < 2000, 'a 1 MB hash is read quickly');
    assert.deepEqual(huge.state.spec, { seed: 3, data: { noise: 0.5 } });
    assert.match(huge.ignored[0], /the link is \d+ characters long; read only its first 200000/);
    const noisy = decodeState('#' + Array.from({ length: 500 }, (_, i) => `bad${i}=1`).join('&'));
    assert.equal(noisy.ignored.length, LIMITS.messages + 1);
    assert.match(noisy.ignored.at(-1), /… and 450 more things ignored/);
  });

  test('events: malformed, out of order, and after a reset', () => {
    const r = decodeState('#log=10:lr=0.1;5:lr=0.2;abc;20:;30:w1.weight[2]=x;40:lr=oops;50:reset;3:lr=0.3;60:{bad json;70:%7B%22reset%22%3A1%7D;80:w1.weight[-1]=0;90:lr=0.4,lr=0.5');
    assert.deepEqual(r.state.events, [{ at: 10, set: { optimizer: { lr: 0.1 } } }, { at: 50, reset: true }, { at: 3, set: { optimizer: { lr: 0.3 } } }]);
    assert.equal(r.ignored.length, 9);
    assert.match(r.ignored[0], /event 2 '5:lr=0.2': its step 5 is before the previous event's 10/);
    assert.match(r.ignored[1], /event 3 'abc': not step:change/);
    assert.match(r.ignored.join('\n'), /weight value is not a number/);
    assert.match(r.ignored.join('\n'), /reset must be true/);
    assert.match(r.ignored.join('\n'), /sets lr twice/);
  });

  test('non-string and odd hashes', () => {
    for (const h of [undefined, null, 42, {}, [], Symbol('s'), () => 1, new String('#seed=1')]) {
      const r = decodeState(h);
      assertShape(r, typeof h);
      assert.match(r.ignored[0], /not text/);
    }
    for (const h of ['', '#', '##', '#&&&', '#=', '#==', '#&=&', ' #seed=1 ', '#?seed=1', 'https://x.org/lab/#seed=9&lr=0.5']) assertShape(decodeState(h), h);
    assert.deepEqual(decodeState('https://x.org/lab/?q=1#seed=9&lr=0.5').state.spec, { seed: 9, optimizer: { lr: 0.5 } });
    assert.deepEqual(decodeState('seed=9').state.spec, { seed: 9 });
    assert.deepEqual(decodeState('#').ignored, []);
  });

  test('fuzz: random strings never throw and always give a well-shaped, stable state', () => {
    const rnd = prng(0x5eed);
    const alphabet = ['&', '=', ',', ':', ';', '%', '#', '.', '[', ']', '{', '}', '"', "'", '+', '-', 'e', '1', '0', '9', 'a', 'w', 'x', ' ', '%2', '%E0', '%C3%A9', 'ü', '😀', '\u0000', '\n',
      'v', 'seed', 'lr', 'layers', 'dense', 'conv2d', 'log', 'reset', 'text', 'hide', 'step', 'data', 'spec', '__proto__', 'null', 'true', 'NaN', '1e400'];
    for (let i = 0; i < 3000; ++i) {
      let s = rnd() < 0.5 ? '#' : '';
      const len = Math.floor(rnd() * 60);
      for (let j = 0; j < len; ++j) s += alphabet[Math.floor(rnd() * alphabet.length)];
      let r;
      assert.doesNotThrow(() => { r = decodeState(s); }, s);
      assertShape(r, s);
      assertStable(r.state, s);
    }
  });

  test('fuzz: mutations of valid hashes never throw and always give a well-shaped, stable state', () => {
    const rnd = prng(42);
    const seeds = [
      encodeState({ spec: withSpec({ data: { ...FULL.data, features: ['x1', 'x2', 'sinx1'] } }), events: [{ at: 120, set: { optimizer: { lr: 0.01 } } }, { at: 300, weight: { layer: 2, param: 'weight', index: 5, value: 0.25 } }, { at: 450, reset: true }], step: 1200, classroom: { hide: ['lr'], lock: ['data'], text: 'Try it & see — 100% ✓' } }),
      encodeState({ spec: { model: { layers: [{ type: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 1, activation: 'relu' }, { type: 'maxpool2d', size: 2, stride: 2 }, { type: 'flatten' }, { type: 'dense', units: 10 }] } }, events: [{ at: 3, set: { model: { layers: [] } } }] }),
      '#' + encodeURIComponent(JSON.stringify({ spec: FULL, events: [{ at: 1, reset: true }], step: 4 })),
    ];
    const pieces = ['&', '=', ',', ':', ';', '%', '%%', '%E0%A4%A', '__proto__', 'NaN', '-', '1e999', '{', '[', "'", 'lr=', '&lr=x', 'w9.', '[99]', 'reset', '', 'v=7&'];
    for (let i = 0; i < 3000; ++i) {
      let s = seeds[i % seeds.length];
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; ++e) {
        const at = Math.floor(rnd() * (s.length + 1));
        const kind = rnd();
        if (kind < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 5));                       // delete
        else if (kind < 0.6) s = s.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + s.slice(at);  // insert
        else if (kind < 0.8) s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 95)) + s.slice(at + 1);  // replace
        else { const parts = s.split('&'); const a = Math.floor(rnd() * parts.length); parts.push(parts[a]); s = parts.join('&'); }  // duplicate a pair
      }
      let r;
      assert.doesNotThrow(() => { r = decodeState(s); }, s);
      assertShape(r, s);
      assertStable(r.state, s);
    }
  });
});

// ---- versions and the JSON form --------------------------------------------------------------------

describe('versions', () => {
  test('a link without v reads as v=1, quietly', () => {
    const r = decodeState('#seed=5&lr=0.1&layers=dense:4:relu,dense:2');
    assert.deepEqual(r.ignored, []);
    assert.deepEqual(r.state.spec, { seed: 5, optimizer: { lr: 0.1 }, model: { layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'dense', units: 2 }] } });
  });

  test('a newer v reads what v=1 understands and says so', () => {
    const r = decodeState('#v=3&seed=5&lr=0.1&hologram=on&layers=dense:2&log=5:lr=0.2;6:teleport');
    assert.deepEqual(r.state.spec, { seed: 5, optimizer: { lr: 0.1 }, model: { layers: [{ type: 'dense', units: 2 }] } });
    assert.deepEqual(r.state.events, [{ at: 5, set: { optimizer: { lr: 0.2 } } }]);
    assert.match(r.ignored.join('\n'), /newer NeuronLab \(v=3\); read what v=1 understands/);
    assert.match(r.ignored.join('\n'), /'hologram=on': unknown key/);
    assert.match(r.ignored.join('\n'), /event 2 '6:teleport'/);
    assert.match(decodeState('#v=zero&seed=1').ignored[0], /not a version number; read as v=1/);
    assert.match(decodeState('#v=0&seed=1').ignored[0], /not a version number/);
  });

  test('the JSON form: a spec or a lab.history() object, raw or percent-encoded', () => {
    const history = { spec: FULL, events: [{ at: 10, set: { optimizer: { lr: 0.01 } } }, { at: 20, reset: true }], step: 30, reproducible: true };
    for (const h of ['#' + JSON.stringify(history), '#' + encodeURIComponent(JSON.stringify(history))]) {
      const r = decodeState(h);
      assert.deepEqual(r.ignored, []);
      assert.deepEqual(r.state, { spec: FULL, events: history.events, step: 30 });
    }
    const r = decodeState('#' + JSON.stringify({ seed: 3, optimizer: { lr: 'fast' }, data: { name: 'xor' } }));
    assert.deepEqual(r.state.spec, { version: 1, seed: 3, data: { name: 'xor' } });
    assert.match(r.ignored[0], /spec\.optimizer\.lr must be a number \(got "fast"\)/);
    assert.match(decodeState('#{"seed":').ignored[0], /not valid JSON/);
    assert.match(decodeState('#[1,2]').ignored[0], /unknown key|not key=value/);
    assert.match(decodeState('#{"events": 5, "spec": {}}').ignored[0], /state\.events must be a list/);
  });
});

// ---- merging over defaults -------------------------------------------------------------------------

test('mergeSpec: the link over the defaults; a renamed group drops the old one\'s fields; data.seed follows seed', () => {
  assert.deepEqual(mergeSpec(FULL, { optimizer: { lr: 0.5 } }).optimizer, { ...FULL.optimizer, lr: 0.5 });
  assert.deepEqual(mergeSpec(FULL, { optimizer: { name: 'adamw' } }).optimizer, { name: 'adamw' });
  assert.deepEqual(mergeSpec(FULL, { data: { name: 'digits' } }).data, { name: 'digits' });
  assert.deepEqual(mergeSpec(FULL, { model: { layers: [{ type: 'dense', units: 2 }] } }).model, { layers: [{ type: 'dense', units: 2 }], init: 'glorot_uniform' });
  const s = mergeSpec(FULL, { seed: 9 });
  assert.equal(s.seed, 9);
  assert.equal('seed' in s.data, false);  // the core sets data.seed = seed
  assert.equal(mergeSpec(FULL, { seed: 9, data: { seed: 4 } }).data.seed, 4);
  assert.equal(mergeSpec({ ...FULL, data: { ...FULL.data, seed: 5 } }, { seed: 9 }).data.seed, 5);  // a chosen data seed stays
  assert.deepEqual(FULL.optimizer, { name: 'sgd', lr: 0.03, momentum: 0.9, nesterov: false, weight_decay: 0 });  // defaults untouched
});

// ---- loadFromHash with the real lab ----------------------------------------------------------------

const BUILT = existsSync(fileURLToPath(new URL('../../dist/node/neuronlab_node.js', import.meta.url)));
const NOT_BUILT = !BUILT && 'the Node module is not built (dist/node/ is missing): run `npm run build`';

describe('loadFromHash', { skip: NOT_BUILT }, () => {
  const DEFAULTS_IN = {
    seed: 11, data: { name: 'spiral', n: 300, noise: 0.05, test_ratio: 0.3 },
    model: { layers: [{ type: 'dense', units: 12, activation: 'tanh' }, { type: 'dense', units: 2 }] },
    optimizer: { name: 'adam', lr: 0.02 }, batch_size: 10,
  };
  let lab, defaults;
  before(async () => {
    const { createLab } = await import('../../web/node.mjs');
    lab = await createLab();
    lab.load(DEFAULTS_IN);
    defaults = lab.spec();
  });
  after(() => lab?.close());

  test('a link of a full spec loads that experiment, bit for bit', async () => {
    const spec = { ...DEFAULTS_IN, seed: 5, data: { name: 'xor', n: 200, noise: 0.1, test_ratio: 0.25, features: ['x1', 'x2', 'x1x2'] },
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true }, schedule: { name: 'step', step_size: 50, gamma: 0.5 }, regularization: { l1: 0, l2: 0.0001 } };
    lab.load(spec);
    const full = lab.spec();
    await lab.train(40);
    const digest = lab.digest();
    lab.load(defaults);
    const r = await loadFromHash(lab, encodeState({ spec: full, events: [], step: 40 }), defaults);
    assert.deepEqual(r.ignored, []);
    assert.equal(r.loaded, true);
    assert.deepEqual(r.state.spec, full);
    assert.deepEqual(lab.spec(), full);
    assert.equal(r.state.step, 40);
    await lab.train(40);
    assert.equal(lab.digest(), digest);
  });

  test('a partial link fills in the defaults; data.seed follows the link\'s seed', async () => {
    const r = await loadFromHash(lab, '#seed=7&lr=0.05&sched=cosine&total_steps=500', defaults);
    assert.deepEqual(r.ignored, []);
    const s = lab.spec();
    assert.deepEqual([s.seed, s.data.seed, s.optimizer.name, s.optimizer.lr, s.schedule.name, s.schedule.total_steps, s.data.n], [7, 7, 'adam', 0.05, 'cosine', 500, 300]);
    assert.deepEqual(r.state.spec, s);
  });

  test('what the core refuses is dropped one group at a time, with the core\'s message', async () => {
    const r = await loadFromHash(lab, '#seed=8&lr=1000&layers=dense:5&batch=20', defaults);
    assert.equal(r.loaded, true);
    assert.deepEqual(r.dropped.sort(), ['model', 'optimizer']);
    assert.equal(r.ignored.length, 2);
    assert.match(r.ignored.join('\n'), /ignored the link's optimizer: spec\.optimizer\.lr must be a number between 0 and 100 \(got 1000\)/);
    assert.match(r.ignored.join('\n'), /ignored the link's model: .*the last layer has 5 outputs, but 'spiral' needs 2/);
    const s = lab.spec();
    assert.deepEqual([s.seed, s.batch_size, s.optimizer.lr, s.model.layers.length], [8, 20, 0.02, defaults.model.layers.length]);
  });

  test('an unknown dataset falls back to the default data', async () => {
    const r = await loadFromHash(lab, '#data=mnist_typo&n=100&lr=0.01', defaults);
    assert.deepEqual(r.dropped, ['data']);
    assert.match(r.ignored[0], /ignored the link's data: .*'mnist_typo' is not a known dataset/);
    assert.deepEqual([lab.spec().data, lab.spec().optimizer.lr], [defaults.data, 0.01]);
  });

  test('a file-backed dataset is fetched first; when that fails the link\'s data is dropped', async () => {
    const hash = encodeState({ spec: { seed: 2, data: { name: 'digits', n: 600, test_ratio: 0.25 }, model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] } } });
    const fetched = [];
    const spy = { ...lab, loadDataset: async (name) => { fetched.push(name); return lab.loadDataset(name); } };
    const ok = await loadFromHash(spy, hash, defaults);
    assert.deepEqual([ok.loaded, ok.ignored, fetched], [true, [], ['digits']]);
    assert.equal(lab.spec().data.name, 'digits');
    const offline = { ...lab, loadDataset: async () => { throw new Error('network is down') } };
    const r = await loadFromHash(offline, hash, defaults);
    assert.equal(r.loaded, true);
    assert.match(r.ignored[0], /ignored the link's data: dataset 'digits' could not be loaded: network is down/);
    assert.match(r.ignored[1], /ignored the link's model: .*needs 2/);  // 10 outputs do not fit the default data
    assert.equal(lab.spec().data.name, 'spiral');
  });

  test('garbage loads the defaults; unknown fields are reported; hostile links never reject', async () => {
    lab.load(defaults);
    const d0 = lab.digest();
    const r = await loadFromHash(lab, '#%E0%A4%A&&==&lr=NaN&__proto__.x=1', defaults);
    assert.equal(r.loaded, true);
    assert.equal(r.ignored.length, 4);
    assert.equal(lab.digest(), d0);
    const w = await loadFromHash(lab, '#spec.colour=red', defaults);
    assert.deepEqual(w.ignored, ['the lab ignored unknown field spec.colour']);
    const rnd = prng(7);
    const seed = encodeState({ spec: defaults, events: [], step: 0 });
    for (let i = 0; i < 60; ++i) {
      let s = seed;
      for (let e = 0; e < 3; ++e) { const at = Math.floor(rnd() * s.length); s = s.slice(0, at) + '&=,:%9x-'[Math.floor(rnd() * 8)] + s.slice(at + 1); }
      const x = await loadFromHash(lab, s, defaults);
      assert.equal(x.loaded, true, s);
      assert.deepEqual(x.state.spec, lab.spec(), s);
    }
  });

  test('when even the defaults fail: loaded false, the defaults returned, no rejection', async () => {
    const broken = { ...lab, load: () => { throw new Error('spec.model: broken core') } };
    const r = await loadFromHash(broken, '#seed=3&lr=0.1', defaults);
    assert.equal(r.loaded, false);
    assert.deepEqual(r.state.spec, defaults);
    assert.match(r.ignored.at(-1), /the default experiment did not load either: spec\.model: broken core/);
    await assert.rejects(loadFromHash(lab, '#seed=1', null), /defaults must be a full spec object/);
  });

  test('a run with edits and resets round-trips through a link and replays to the same weights', async () => {
    lab.load(defaults);
    await lab.train(30);
    lab.setHyperparameters({ optimizer: { lr: 0.005 }, regularization: { l2: 0.001 } });
    await lab.train(20);
    lab.setWeight(0, 'weight', 3, 0.25);
    await lab.train(10);
    lab.reset();
    await lab.train(15);
    const h = lab.history();
    const digest = lab.digest();
    const hash = encodeState({ spec: h.spec, events: h.events, step: h.step });
    lab.load({ ...defaults, seed: 99 });
    const r = await loadFromHash(lab, hash, defaults);
    assert.deepEqual(r.ignored, []);
    assert.deepEqual(r.state.events, h.events);
    await lab.replay({ spec: r.state.spec, events: r.state.events, step: r.state.step });
    assert.equal(lab.digest(), digest);
  });
});
