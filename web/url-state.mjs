// NeuronLab share-by-URL codec: the whole experiment in location.hash — dataset and seed, architecture,
// hyper-parameters, the log of what the user changed at which step, the step reached, and an optional
// classroom mode — so that opening the link replays the same trajectory. No dependencies; browsers and Node 20.
//
//   import { encodeState, decodeState, loadFromHash } from './url-state.mjs';
//   location.hash = encodeState({ spec: lab.spec(), events: lab.history().events, step: lab.metrics().step });
//   const { state, ignored, loaded } = await loadFromHash(lab, location.hash, defaultSpec);
//   for (const m of ignored) console.warn(m);                    // "ignored 'lr=abc': not a number"
//   await lab.replay({ spec: state.spec, events: state.events, step: state.step });
//
// [SECTION] index
//   Format ........ the link's grammar (this comment; docs/api.md has the same text)
//   Limits ........ LIMITS: what a link may hold; larger parts are cut and reported
//   Field table ... key ⇄ spec path ⇄ value type, the one table both directions read
//   Values ........ numbers, percent-encoding, typed values
//   Encoding ...... encodeState
//   Decoding ...... decodeState (never throws), the JSON form
//   Loading ....... loadFromHash (merge over defaults, drop what the core refuses, one group at a time)
//   Classroom ..... classroomOf
//
// [SECTION] Format (v=1)
//   #v=1&seed=42&data=spiral&n=500&noise=0.1&test=0.5&data.seed=42&features=x1,x2,x1sq
//    &layers=dense:8:tanh,dense:2&init=glorot_uniform&opt=sgd&lr=0.03&momentum=0.9&nesterov=false&wd=0
//    &sched=cosine&total_steps=5000&min_lr=0&batch=10&l1=0&l2=0.001&stop.epochs=0
//    &step=1200&log=120:lr=0.01;300:w2.weight[5]=0.25;450:reset
//    &hide=optimizer,lr&lock=data,network&text=Make+the+spiral+work+without+sin+features
//
// - Pairs `key=value` joined by `&`, in any order. The last of a repeated key wins (the earlier one is
//   reported). Unknown keys are reported and skipped.
// - `v`: the format version (1). `v=1` also stands for spec.version 1; `specv=N` gives another spec version.
//   A link without `v` is read as v=1. A newer v is read as far as v=1 understands it, and says so.
// - Spec fields, by short key: seed, specv (version), data (data.name), n, noise, test (data.test_ratio),
//   features (data.features: names joined by `,`, or one number for datasets whose `features` is a count),
//   layers (model.layers), init (model.init), loss, opt (optimizer.name), lr, momentum, nesterov, beta1,
//   beta2, eps, alpha, wd (optimizer.weight_decay), sched (schedule.name), step_size, gamma, total_steps,
//   min_lr, batch (batch_size), l1, l2 (regularization.*). Every other field by its dotted path under its
//   group: `data.seed=7`, `data.classes=3`, `stop.epochs=20`, `stop.test_loss=0.1`, `optimizer.x=…`
//   (opt., sched., reg. also name the groups); a new top-level field as `spec.name=…`.
// - Numbers: JS's shortest decimal, which reads back as the same double (so every float32 value of
//   lab.spec() round-trips exactly): 0.03, 1e-7, 3.4e38 (an exponent's `+` is left out; `e+38` reads too).
// - Values of fields the table does not type: a number; true/false; null (events only); a JSON array or
//   object (`[…]`, `{…}`, percent-encoded); else text. Text that would read as one of those starts with `'`
//   (`'42` is the text "42", `'` alone the empty text).
// - layers: layers joined by `,`, each `type:param:param…`. A param is `name=value` (any name, value typed
//   as above), or one of these short forms:
//     dense:8:tanh                   units, activation
//     conv2d:f8:k3:s1:p1:relu        f filters, k kernel, s stride, p padding, activation (a bare number: filters)
//     maxpool2d:2:s2, avgpool2d:2:s2 size, s stride
//     dropout:0.5                    rate
//     activation:relu                activation
//     flatten                        (no params)
//   A bare word is the activation; e.g. `dense:8:tanh:init=he_normal:bias=0`. Any other type: name=value only.
//   An unreadable layer list is ignored as a whole (the model is one thing).
// - step: the step the sender had reached (0 … 100000000); opening the link trains to it. Default 0.
// - log: the event log, events joined by `;`, each `at:change`, `at` a step (0 … 100000000):
//     120:lr=0.01,l2=0.0001     a merge patch of the spec ({at, set}), as key=value by the table above
//                               joined by `,`; `null` removes a field. A patch the short form cannot
//                               hold (arrays, empty objects) is compact JSON: 120:{"set":{…}} (encoded)
//     300:w2.weight[5]=0.25     a weight edit {at, weight: {layer: 2, param: 'weight', index: 5, value: 0.25}}
//                               (w2[5]=0.25 without a param)
//     450:reset                 a reset {at, reset: true}: weights re-initialised from the seed, step 0;
//                               later events count from 0 again
//   Events out of order (an `at` before the previous event's, except right after a reset) are dropped.
// - Classroom: hide=names (controls to hide), lock=names (controls to lock, e.g. data,network), joined by
//   `,` (names: letters, digits, _ . -); text=an instruction (any Unicode, plain text: never HTML;
//   `+` is a space).
// - Percent-encoding (UTF-8) only where needed: in a value, `% & # = , : ; + [ ] { } "` spaces, controls
//   and non-ASCII are encoded; letters, digits and `- _ . ~ ! $ ' ( ) * / ? @` are not.
// - The JSON form, for links written by hand or by older tools: the hash is a spec object as JSON, or a
//   {spec, events, step, classroom} object (lab.history()), optionally percent-encoded: `#{"seed":3,…}`.
//
// Reading never throws: whatever it cannot use becomes a short message in `ignored`
// ("ignored 'lr=abc': not a number"), and the rest still loads.

// [SECTION] Limits

export const URL_STATE_VERSION = 1;

/** What a link may hold. decodeState cuts larger parts and says so; encodeState refuses them. */
export const LIMITS = Object.freeze({
  hashChars: 200_000,   // characters read from a hash (the rest is cut at a `&`)
  layers: 256,          // the core's own limit
  layerParams: 32,      // params per layer
  events: 10_000,
  patchFields: 64,      // fields in one event's patch
  textChars: 2000,      // classroom text, in code points
  names: 64,            // entries of features / hide / lock
  nameChars: 64,        // a hide/lock name
  stringChars: 200,     // any other text value
  jsonChars: 10_000,    // a JSON value inside a link
  jsonDepth: 8,
  pathDepth: 6,         // dotted key segments
  step: 100_000_000,    // the core's limit for history steps
  weightLayer: 1_000_000,
  messages: 50,         // messages returned; the rest are counted
});

// [SECTION] Field table
// [short key, spec path, type]. Types: int, num, bool, str, features, layers; untyped paths: 'any'.

const FIELDS = [
  ['seed', 'seed', 'int'],
  ['specv', 'version', 'int'],
  ['data', 'data.name', 'str'],
  ['n', 'data.n', 'int'],
  ['noise', 'data.noise', 'num'],
  ['test', 'data.test_ratio', 'num'],
  ['features', 'data.features', 'features'],
  ['layers', 'model.layers', 'layers'],
  ['init', 'model.init', 'str'],
  ['loss', 'loss', 'str'],
  ['opt', 'optimizer.name', 'str'],
  ['lr', 'optimizer.lr', 'num'],
  ['momentum', 'optimizer.momentum', 'num'],
  ['nesterov', 'optimizer.nesterov', 'bool'],
  ['beta1', 'optimizer.beta1', 'num'],
  ['beta2', 'optimizer.beta2', 'num'],
  ['eps', 'optimizer.eps', 'num'],
  ['alpha', 'optimizer.alpha', 'num'],
  ['wd', 'optimizer.weight_decay', 'num'],
  ['sched', 'schedule.name', 'str'],
  ['step_size', 'schedule.step_size', 'int'],
  ['gamma', 'schedule.gamma', 'num'],
  ['total_steps', 'schedule.total_steps', 'int'],
  ['min_lr', 'schedule.min_lr', 'num'],
  ['batch', 'batch_size', 'int'],
  ['l1', 'regularization.l1', 'num'],
  ['l2', 'regularization.l2', 'num'],
];
// Typed paths without a short key.
const MORE_TYPES = [['data.seed', 'int'], ['stop.epochs', 'int'], ['stop.test_loss', 'num'], ['stop.test_accuracy', 'num']];

const KEY_TO_PATH = new Map(FIELDS.map(([k, p]) => [k, p]));
const PATH_TO_KEY = new Map(FIELDS.map(([k, p]) => [p, k]));
const TYPES = new Map([...FIELDS.map(([, p, t]) => [p, t]), ...MORE_TYPES]);
const GROUPS = new Set(['data', 'model', 'optimizer', 'schedule', 'regularization', 'stop']);
const ROOTS = new Map([...[...GROUPS].map((g) => [g, g]), ['opt', 'optimizer'], ['sched', 'schedule'], ['reg', 'regularization']]);
const RESERVED = new Set(['v', 'step', 'log', 'hide', 'lock', 'text']);
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const TYPE_WORDS = { int: 'a whole number', num: 'a number', bool: 'true or false', str: 'a name',
  features: 'a list of feature names or a number', layers: 'a list of layers', any: 'a value' };

// The short forms of layers: a bare number, a bare word, letter+number.
const LAYER_FORMS = new Map([
  ['dense', { num: 'units', word: 'activation' }],
  ['conv2d', { num: 'filters', word: 'activation', prefix: { f: 'filters', k: 'kernel', s: 'stride', p: 'padding' } }],
  ['maxpool2d', { num: 'size', prefix: { s: 'stride' } }],
  ['avgpool2d', { num: 'size', prefix: { s: 'stride' } }],
  ['dropout', { num: 'rate' }],
  ['activation', { word: 'activation' }],
]);
for (const f of LAYER_FORMS.values()) f.letterOf = new Map(Object.entries(f.prefix ?? {}).map(([l, k]) => [k, l]));

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONTROL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// [SECTION] Values

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/** The shortest decimal that reads back as the same double; '-0' keeps its sign; no '+' in exponents. */
function fmtNum(x) {
  return Object.is(x, -0) ? '-0' : String(x).replace('e+', 'e');
}

/** A decimal number literal → {ok, value} (no hex, no Infinity, no blanks). */
function parseNum(s) {
  if (!NUM_RE.test(s)) return { ok: false, why: 'not a number' };
  const x = Number(s);
  return Number.isFinite(x) ? { ok: true, value: x } : { ok: false, why: 'not a finite number' };
}

function wellFormed(s) {
  if (typeof s.toWellFormed === 'function') return s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Percent-encodes what a value must not hold raw (see Format). */
function enc(s) {
  return encodeURIComponent(wellFormed(s)).replace(/%(?:24|2F|3F|40)/g, (m) => decodeURIComponent(m));
}

function dec(s) {
  try {
    return { ok: true, value: decodeURIComponent(s) };
  } catch {
    return { ok: false, why: 'invalid percent-encoding' };
  }
}

/** Decodes what it can; a bad %-sequence stays as typed. */
function decLenient(s) {
  const d = dec(s);
  if (d.ok) return { value: d.value, bad: false };
  let bad = false;
  const value = s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    // Decode the run byte sequence by sequence, keeping any invalid part literally.
    let out = '';
    let i = 0;
    while (i < run.length) {
      let done = false;
      for (let len = Math.min(12, run.length - i); len >= 3; len -= 3) {
        const r = dec(run.slice(i, i + len));
        if (r.ok) { out += r.value; i += len; done = true; break; }
      }
      if (!done) { out += run.slice(i, i + 3); i += 3; bad = true; }
    }
    return out;
  });
  return { value, bad: bad || /%(?![0-9A-Fa-f]{2})/.test(s) };
}

function needsQuote(s) {
  return s === '' || NUM_RE.test(s) || s === 'true' || s === 'false' || s === 'null' || /^['{[]/.test(s);
}

/** Checks a JSON-able value: finite numbers, no __proto__-like keys, bounded depth. Returns a problem or ''. */
function jsonProblem(v, depth = 0) {
  if (depth > LIMITS.jsonDepth) return `nests deeper than ${LIMITS.jsonDepth} levels`;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? '' : `holds ${v}, not a finite number`;
  if (Array.isArray(v)) {
    for (const x of v) { const p = jsonProblem(x, depth + 1); if (p) return p; }
    return '';
  }
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (FORBIDDEN.has(k)) return `has the key '${k}', which is not allowed`;
      const p = jsonProblem(x, depth + 1);
      if (p) return p;
    }
    return '';
  }
  return `holds a ${typeof v}`;
}

/** An untyped value → its text (see Format), or undefined after bad(). */
function encTyped(v, bad, what) {
  if (typeof v === 'number') return Number.isFinite(v) ? fmtNum(v) : bad(`${what} is ${v}, not a finite number`);
  if (typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (typeof v === 'string') return enc(needsQuote(v) ? `'${v}` : v);
  if (Array.isArray(v) || isObj(v)) {
    const p = jsonProblem(v);
    if (p) return bad(`${what} ${p}`);
    const text = JSON.stringify(v);
    if (text.length > LIMITS.jsonChars) return bad(`${what} is longer than ${LIMITS.jsonChars} characters as JSON`);
    return enc(text);
  }
  return bad(`${what} is a ${typeof v}, which a link cannot hold`);
}

/** Text of an untyped value → {ok, value} | {ok: false, why}. */
function decTyped(raw, allowNull) {
  const d = dec(raw);
  if (!d.ok) return d;
  const s = d.value;
  if (s.startsWith("'")) return s.length - 1 > LIMITS.stringChars ? { ok: false, why: 'too long' } : { ok: true, value: s.slice(1) };
  if (NUM_RE.test(s)) return parseNum(s);
  if (s === 'true' || s === 'false') return { ok: true, value: s === 'true' };
  if (s === 'null') return allowNull ? { ok: true, value: null } : { ok: false, why: 'null is only for events' };
  if (s.startsWith('{') || s.startsWith('[')) {
    if (s.length > LIMITS.jsonChars) return { ok: false, why: `JSON longer than ${LIMITS.jsonChars} characters` };
    let v;
    try { v = JSON.parse(s); } catch { return { ok: false, why: 'not valid JSON' }; }
    const p = jsonProblem(v);
    return p ? { ok: false, why: `the JSON ${p}` } : { ok: true, value: v };
  }
  if (s === '') return { ok: false, why: 'empty value' };
  return s.length > LIMITS.stringChars ? { ok: false, why: 'too long' } : { ok: true, value: s };
}

function fits(type, v) {
  switch (type) {
    case 'int': return Number.isSafeInteger(v);
    case 'num': return typeof v === 'number' && Number.isFinite(v);
    case 'bool': return typeof v === 'boolean';
    case 'str': return typeof v === 'string' && v !== '' && v.length <= LIMITS.stringChars;
    case 'features':
      return (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.length > 0 && v.length <= LIMITS.names &&
        v.every((x) => typeof x === 'string' && x !== '' && x.length <= LIMITS.stringChars));
    default: return true;  // layers: checked by encodeLayers; any: by encTyped
  }
}

/** A value of a typed (or untyped) path → its text, or undefined after bad(). */
function encField(path, type, v, bad, allowNull) {
  const what = `spec.${path}`;
  if (v === null) return allowNull ? 'null' : bad(`${what} is null`);
  if (type === 'layers') return encodeLayers(v, bad);
  if (type === 'any') return encTyped(v, bad, what);
  if (!fits(type, v)) return bad(`${what} must be ${TYPE_WORDS[type]} (got ${describe(v)})`);
  if (type === 'int' || type === 'num') return fmtNum(v);
  if (type === 'bool') return String(v);
  if (type === 'str') return enc(v);
  return typeof v === 'number' ? fmtNum(v) : v.map(enc).join(',');  // features
}

/** Text of a typed path's value → {ok, value} | {ok: false, why}. */
function decField(type, raw, allowNull) {
  if (allowNull && raw === 'null') return { ok: true, value: null };
  switch (type) {
    case 'int': case 'num': {
      const d = dec(raw);
      if (!d.ok) return d;
      const r = parseNum(d.value);
      if (r.ok && type === 'int' && !Number.isSafeInteger(r.value)) return { ok: false, why: 'not a whole number' };
      return r;
    }
    case 'bool': {
      const d = dec(raw);
      if (!d.ok) return d;
      if (d.value === 'true' || d.value === '1') return { ok: true, value: true };
      if (d.value === 'false' || d.value === '0') return { ok: true, value: false };
      return { ok: false, why: 'not true or false' };
    }
    case 'str': {
      const d = dec(raw);
      if (!d.ok) return d;
      if (d.value.length > LIMITS.stringChars) return { ok: false, why: `longer than ${LIMITS.stringChars} characters` };
      return d.value === '' ? { ok: false, why: 'empty value' } : d;
    }
    case 'features': {
      const parts = raw.split(',');
      if (parts.length === 1 && NUM_RE.test(raw)) return parseNum(raw);
      if (parts.length > LIMITS.names) return { ok: false, why: `more than ${LIMITS.names} features` };
      const out = [];
      for (const p of parts) {
        const d = dec(p);
        if (!d.ok) return d;
        if (d.value === '' || d.value.length > LIMITS.stringChars) return { ok: false, why: 'has an empty or overlong feature name' };
        out.push(d.value);
      }
      return { ok: true, value: out };
    }
    case 'layers': return decodeLayers(raw);
    default: return decTyped(raw, allowNull);
  }
}

function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? v.slice(0, 30) + '…' : v);
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

/** A key → {path, type} | {why}. Short keys, `group.field…`, `spec.field…`. */
function resolveKey(key) {
  if (KEY_TO_PATH.has(key)) { const path = KEY_TO_PATH.get(key); return { path, type: TYPES.get(path) }; }
  const segs = key.split('.');
  if (segs.length < 2) return { why: 'unknown key' };
  if (segs[0] === 'spec') segs.shift();
  else if (ROOTS.has(segs[0])) segs[0] = ROOTS.get(segs[0]);
  else return { why: 'unknown key' };
  if (segs.length > LIMITS.pathDepth) return { why: 'nests too deep' };
  for (const s of segs) {
    if (FORBIDDEN.has(s)) return { why: `'${s}' is not allowed in a key` };
    if (!IDENT.test(s)) return { why: 'not a field name' };
  }
  if (segs.length === 1 && GROUPS.has(segs[0])) return { why: `${segs[0]} is a group: set its fields` };
  const path = segs.join('.');
  for (let i = 1; i < segs.length; ++i) {
    const prefix = segs.slice(0, i).join('.');
    if (TYPES.has(prefix)) return { why: `${prefix} is a value, not a group` };
  }
  return { path, type: TYPES.get(path) ?? 'any' };
}

function keyForPath(path) {
  if (PATH_TO_KEY.has(path)) return PATH_TO_KEY.get(path);
  return GROUPS.has(path.split('.')[0]) ? path : `spec.${path}`;
}

/** [[path, value, label]] → a nested object; a path under another's value is a conflict. */
function buildObject(entries, note) {
  const root = {};
  const leaves = new Set();
  for (const [path, value, label] of entries) {
    const segs = path.split('.');
    let o = root;
    let ok = true;
    for (let i = 0; i < segs.length - 1 && ok; ++i) {
      const prefix = segs.slice(0, i + 1).join('.');
      if (leaves.has(prefix)) ok = false;
      else { if (!has(o, segs[i])) o[segs[i]] = {}; o = o[segs[i]]; }
    }
    const last = segs[segs.length - 1];
    if (ok && has(o, last)) ok = false;  // an object made by longer paths
    if (!ok) { note(`ignored ${label}: conflicts with another key for spec.${path}`); continue; }
    o[last] = value;
    leaves.add(path);
  }
  return root;
}

function quote(s) {
  const cps = Array.from(s.length > 200 ? s.slice(0, 200) : s);
  return `'${cps.length > 60 ? cps.slice(0, 57).join('') + '…' : cps.join('')}'`;
}

// [SECTION] Encoding

function plainWord(v, form) {
  if (!IDENT.test(v) || v === 'true' || v === 'false' || v === 'null') return false;
  return !(form.prefix && v.length > 1 && has(form.prefix, v[0]) && NUM_RE.test(v.slice(1)));
}

function encodeLayers(layers, bad) {
  if (!Array.isArray(layers) || layers.length === 0) return bad('spec.model.layers must be a non-empty list of layers');
  if (layers.length > LIMITS.layers) return bad(`spec.model.layers has ${layers.length} layers; a link holds at most ${LIMITS.layers}`);
  const out = [];
  for (let i = 0; i < layers.length; ++i) {
    const t = encodeLayer(layers[i], i, bad);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return out.join(',');
}

function encodeLayer(l, i, bad) {
  const what = `spec.model.layers[${i}]`;
  if (!isObj(l) || typeof l.type !== 'string' || !IDENT.test(l.type) || FORBIDDEN.has(l.type)) return bad(`${what} must be an object with a type name, like {type: 'dense', units: 8}`);
  const form = LAYER_FORMS.get(l.type) ?? { letterOf: new Map() };
  const toks = [l.type];
  const entries = Object.entries(l).filter(([k]) => k !== 'type');
  if (entries.length > LIMITS.layerParams) return bad(`${what} has more than ${LIMITS.layerParams} parameters`);
  for (const [k, v] of entries) {
    if (!IDENT.test(k) || FORBIDDEN.has(k)) return bad(`${what} has a parameter named ${describe(k)}, which a link cannot hold`);
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (form.letterOf.has(k)) { toks.push(form.letterOf.get(k) + fmtNum(v)); continue; }
      if (k === form.num) { toks.push(fmtNum(v)); continue; }
    }
    if (k === form.word && typeof v === 'string' && plainWord(v, form)) { toks.push(v); continue; }
    const t = encTyped(v, bad, `${what}.${k}`);
    if (t === undefined) return undefined;
    toks.push(`${k}=${t}`);
  }
  return toks.join(':');
}

/** Spec leaves in the spec's own order: [path, value]. */
function flattenSpec(spec, bad) {
  const out = [];
  const walk = (obj, prefix, depth) => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!IDENT.test(k) || FORBIDDEN.has(k)) { bad(`spec${prefix ? '.' + prefix : ''} has a field named ${describe(k)}, which a link cannot hold`); continue; }
      if (v === undefined) continue;
      if (!TYPES.has(path) && isObj(v)) {
        if (Object.keys(v).length === 0) continue;  // nothing to write: the defaults stand
        if (depth < LIMITS.pathDepth - 1) { walk(v, path, depth + 1); continue; }
      }
      if (!prefix && GROUPS.has(k)) bad(`spec.${k} must be an object (got ${describe(v)})`);
      else out.push([path, v]);
    }
  };
  walk(spec, '', 0);
  return out;
}

// A patch the short form holds: scalar leaves at field paths that fit their types.
function patchLeaves(patch) {
  if (!isObj(patch) || Object.keys(patch).length === 0) return null;
  const leaves = flattenSpec(patch, () => { throw new Error('not short'); });
  if (leaves.length === 0 || leaves.length > LIMITS.patchFields) return null;
  for (const [path, v] of leaves) {
    if (path === 'version' || !resolveKey(keyForPath(path)).path) return null;
    if (v !== null && (typeof v === 'object' || typeof v === 'undefined')) return null;
    const type = TYPES.get(path) ?? 'any';
    if (type === 'layers' || (v !== null && !fits(type, v)) || (type === 'str' && v === 'null')) return null;
  }
  return leaves;
}

function encodeEvent(ev, i, bad) {
  const what = `events[${i}]`;
  if (!isObj(ev)) return bad(`${what} must be an object like {at: 120, set: {...}}`);
  const { at } = ev;
  if (!Number.isSafeInteger(at) || at < 0 || at > LIMITS.step) return bad(`${what}.at must be a step from 0 to ${LIMITS.step} (got ${describe(at)})`);
  const kinds = Object.keys(ev).filter((k) => k !== 'at');
  const only = kinds.length === 1 ? kinds[0] : '';
  if (only === 'reset' && ev.reset === true) return `${at}:reset`;
  if (only === 'weight' && isObj(ev.weight)) {
    const w = ev.weight;
    const keysOk = Object.keys(w).every((k) => k === 'layer' || k === 'param' || k === 'index' || k === 'value');
    if (keysOk && Number.isSafeInteger(w.layer) && w.layer >= 0 && w.layer <= LIMITS.weightLayer &&
        Number.isSafeInteger(w.index) && w.index >= 0 && typeof w.value === 'number' && Number.isFinite(w.value) &&
        (w.param === undefined || (typeof w.param === 'string' && w.param !== '' && w.param.length <= LIMITS.nameChars))) {
      return `${at}:w${w.layer}${w.param === undefined ? '' : '.' + enc(w.param)}[${w.index}]=${fmtNum(w.value)}`;
    }
  }
  if (only === 'set') {
    let leaves = null;
    try { leaves = patchLeaves(ev.set); } catch { leaves = null; }
    if (leaves) return `${at}:` + leaves.map(([p, v]) => `${keyForPath(p)}=${encField(p, TYPES.get(p) ?? 'any', v, bad, true)}`).join(',');
  }
  const rest = {};
  for (const k of kinds) rest[k] = ev[k];
  const p = jsonProblem(rest);
  if (p) return bad(`${what} ${p}`);
  const text = JSON.stringify(rest);
  if (text.length > LIMITS.jsonChars) return bad(`${what} is longer than ${LIMITS.jsonChars} characters as JSON`);
  return `${at}:${enc(text)}`;
}

function encodeNames(list, what, bad) {
  if (!Array.isArray(list)) return bad(`${what} must be a list of control names`);
  if (list.length > LIMITS.names) return bad(`${what} has ${list.length} names; a link holds at most ${LIMITS.names}`);
  for (const n of list) if (typeof n !== 'string' || !CONTROL_NAME.test(n)) return bad(`${what} holds ${describe(n)}, not a control name (letters, digits, _ . -)`);
  return list.join(',');
}

function encodePairs(state, bad) {
  if (!isObj(state)) { bad('the state must be an object {spec, events?, step?, classroom?}'); return ['v=1']; }
  const spec = state.spec === undefined ? {} : state.spec;
  const parts = [`v=${URL_STATE_VERSION}`];
  if (!isObj(spec)) bad(`state.spec must be a spec object (got ${describe(spec)})`);
  else {
    for (const [path, v] of flattenSpec(spec, bad)) {
      if (path === 'version' && v === 1) continue;  // v=1 stands for it
      const t = encField(path, TYPES.get(path) ?? 'any', v, bad, false);
      if (t !== undefined) parts.push(`${keyForPath(path)}=${t}`);
    }
  }
  if (state.step !== undefined && state.step !== 0) {
    if (!Number.isSafeInteger(state.step) || state.step < 0 || state.step > LIMITS.step) bad(`state.step must be a step from 0 to ${LIMITS.step} (got ${describe(state.step)})`);
    else parts.push(`step=${state.step}`);
  }
  if (state.events !== undefined) {
    if (!Array.isArray(state.events)) bad('state.events must be a list');
    else if (state.events.length > LIMITS.events) bad(`state.events has ${state.events.length} events; a link holds at most ${LIMITS.events}`);
    else {
      const toks = state.events.map((ev, i) => encodeEvent(ev, i, bad)).filter((t) => t !== undefined);
      if (toks.length) parts.push(`log=${toks.join(';')}`);
    }
  }
  const c = state.classroom;
  if (c !== undefined && c !== null) {
    if (!isObj(c)) bad('state.classroom must be an object {hide?, lock?, text?}');
    else {
      for (const k of ['hide', 'lock']) {
        if (c[k] === undefined || (Array.isArray(c[k]) && c[k].length === 0)) continue;
        const t = encodeNames(c[k], `classroom.${k}`, bad);
        if (t !== undefined) parts.push(`${k}=${t}`);
      }
      if (c.text !== undefined && c.text !== '') {
        if (typeof c.text !== 'string') bad('classroom.text must be text');
        else if (Array.from(c.text).length > LIMITS.textChars) bad(`classroom.text is longer than ${LIMITS.textChars} characters`);
        else parts.push(`text=${enc(c.text).replace(/%20/g, '+')}`);
      }
    }
  }
  return parts;
}

/**
 * The link's hash ('#v=1&…') for a state {spec, events?, step?, classroom?}. Throws a TypeError saying
 * which field a link cannot hold (a non-finite number, too many layers or events, a text over 2000
 * characters, a field name that is not an identifier): those are the caller's mistakes.
 */
export function encodeState(state) {
  const parts = encodePairs(state, (m) => { throw new TypeError(`encodeState: ${m}`); });
  const hash = '#' + parts.join('&');
  if (hash.length > LIMITS.hashChars) throw new TypeError(`encodeState: the link would be ${hash.length} characters; at most ${LIMITS.hashChars} are read back (fewer events?)`);
  return hash;
}

// [SECTION] Decoding

function decodeLayers(raw) {
  let toks = raw.split(',');
  let note = '';
  if (toks.length > LIMITS.layers) { note = `kept the first ${LIMITS.layers} of ${toks.length} layers`; toks = toks.slice(0, LIMITS.layers); }
  const layers = [];
  for (let i = 0; i < toks.length; ++i) {
    const r = decodeLayer(toks[i]);
    if (!r.ok) return { ok: false, why: `layer ${i + 1} ${quote(toks[i])}: ${r.why}` };
    layers.push(r.value);
  }
  return { ok: true, value: layers, note };
}

function decodeLayer(tok) {
  if (tok === '') return { ok: false, why: 'is empty' };
  const parts = tok.split(':');
  if (parts.length - 1 > LIMITS.layerParams) return { ok: false, why: `has more than ${LIMITS.layerParams} parameters` };
  const t = dec(parts[0]);
  if (!t.ok || !IDENT.test(t.value) || FORBIDDEN.has(t.value)) return { ok: false, why: 'does not start with a layer type' };
  const type = t.value;
  const form = LAYER_FORMS.get(type) ?? {};
  const layer = { type };
  for (const p of parts.slice(1)) {
    let k, v;
    const eq = p.indexOf('=');
    if (eq >= 0) {
      const kd = dec(p.slice(0, eq));
      if (!kd.ok || !IDENT.test(kd.value) || FORBIDDEN.has(kd.value) || kd.value === 'type') return { ok: false, why: `${quote(p)} is not name=value` };
      const r = decTyped(p.slice(eq + 1), false);
      if (!r.ok) return { ok: false, why: `${kd.value}: ${r.why}` };
      k = kd.value;
      v = r.value;
    } else {
      const d = dec(p);
      if (!d.ok) return d;
      const s = d.value;
      if (NUM_RE.test(s) && form.num) { const r = parseNum(s); if (!r.ok) return r; k = form.num; v = r.value; }
      else if (form.prefix && s.length > 1 && has(form.prefix, s[0]) && NUM_RE.test(s.slice(1))) {
        const r = parseNum(s.slice(1));
        if (!r.ok) return r;
        k = form.prefix[s[0]];
        v = r.value;
      } else if (form.word && IDENT.test(s)) { k = form.word; v = s; }
      else return { ok: false, why: `${quote(s)} is not a short ${type} parameter (write name=value)` };
    }
    if (has(layer, k)) return { ok: false, why: `sets ${k} twice` };
    layer[k] = v;
  }
  return { ok: true, value: layer };
}

function decodePatch(body) {
  const parts = body.split(',');
  if (parts.length > LIMITS.patchFields) return { ok: false, why: `a change of more than ${LIMITS.patchFields} fields` };
  const entries = [];
  const paths = new Set();
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) return { ok: false, why: `${quote(p)} is not key=value` };
    const kd = dec(p.slice(0, eq));
    if (!kd.ok) return kd;
    const r = resolveKey(kd.value);
    if (!r.path) return { ok: false, why: `${kd.value}: ${r.why}` };
    if (r.path === 'version') return { ok: false, why: 'the spec version cannot change in a run' };
    const raw = p.slice(eq + 1);
    if (raw === '') return { ok: false, why: `${kd.value}: empty value` };
    const v = decField(r.type, raw, true);
    if (!v.ok) return { ok: false, why: `${kd.value}: ${v.why}` };
    if (paths.has(r.path)) return { ok: false, why: `sets ${kd.value} twice` };
    paths.add(r.path);
    entries.push([r.path, v.value, kd.value]);
  }
  let conflict = '';
  const patch = buildObject(entries, (m) => { conflict ||= m; });
  return conflict ? { ok: false, why: conflict } : { ok: true, value: patch };
}

function checkWeight(w) {
  if (!isObj(w)) return 'the weight edit must be {layer, param, index, value}';
  if (!Number.isSafeInteger(w.layer) || w.layer < 0 || w.layer > LIMITS.weightLayer) return 'the layer must be a whole number';
  if (!Number.isSafeInteger(w.index) || w.index < 0) return 'the index must be a whole number';
  if (typeof w.value !== 'number' || !Number.isFinite(w.value)) return 'the value must be a finite number';
  if (w.param !== undefined && (typeof w.param !== 'string' || w.param === '' || w.param.length > LIMITS.nameChars)) return 'the param must be a name';
  return '';
}

const WEIGHT_RE = /^w(\d+)(?:\.([^[\]=]+))?\[(\d+)\]=(.+)$/;

function decodeEvent(tok) {
  const colon = tok.indexOf(':');
  if (colon < 0) return { ok: false, why: 'not step:change' };
  const at = parseNum(tok.slice(0, colon));
  if (!at.ok || !Number.isSafeInteger(at.value) || at.value < 0 || at.value > LIMITS.step) return { ok: false, why: `the step must be a whole number from 0 to ${LIMITS.step}` };
  const body = tok.slice(colon + 1);
  if (body === 'reset') return { ok: true, value: { at: at.value, reset: true } };
  const m = WEIGHT_RE.exec(body);
  if (m) {
    let param;
    if (m[2] !== undefined) { const d = dec(m[2]); if (!d.ok) return d; param = d.value; }
    const value = dec(m[4]);
    if (!value.ok) return value;
    const v = parseNum(value.value);
    if (!v.ok) return { ok: false, why: `the weight value is ${v.why}` };
    const weight = { layer: Number(m[1]), ...(param === undefined ? {} : { param }), index: Number(m[3]), value: v.value };
    const p = checkWeight(weight);
    return p ? { ok: false, why: p } : { ok: true, value: { at: at.value, weight } };
  }
  if (body.startsWith('{') || /^%7b/i.test(body)) {
    const d = dec(body);
    if (!d.ok) return d;
    if (d.value.length > LIMITS.jsonChars) return { ok: false, why: `JSON longer than ${LIMITS.jsonChars} characters` };
    let o;
    try { o = JSON.parse(d.value); } catch { return { ok: false, why: 'not valid JSON' }; }
    if (!isObj(o)) return { ok: false, why: 'the JSON is not an object' };
    const p = jsonProblem(o);
    if (p) return { ok: false, why: `the JSON ${p}` };
    const kinds = ['set', 'weight', 'reset'].filter((k) => has(o, k));
    if (kinds.length !== 1) return { ok: false, why: 'must hold exactly one of set, weight or reset' };
    const extra = Object.keys(o).filter((k) => k !== kinds[0] && k !== 'at');
    if (extra.length) return { ok: false, why: `unknown part ${quote(extra[0])} (from a newer NeuronLab?)` };
    if (kinds[0] === 'reset') return o.reset === true ? { ok: true, value: { at: at.value, reset: true } } : { ok: false, why: 'reset must be true' };
    if (kinds[0] === 'weight') {
      const q = checkWeight(o.weight);
      return q ? { ok: false, why: q } : { ok: true, value: { at: at.value, weight: o.weight } };
    }
    if (!isObj(o.set) || Object.keys(o.set).length === 0) return { ok: false, why: 'set must be a non-empty object (a merge patch of the spec)' };
    return { ok: true, value: { at: at.value, set: o.set } };
  }
  if (body === '') return { ok: false, why: 'no change after the step' };
  const r = decodePatch(body);
  return r.ok ? { ok: true, value: { at: at.value, set: r.value } } : r;
}

function decodeLog(raw, note) {
  let toks = raw.split(';');
  if (toks.length > LIMITS.events) { note(`kept the first ${LIMITS.events} of ${toks.length} events`); toks = toks.slice(0, LIMITS.events); }
  const events = [];
  let prev = 0;
  for (let i = 0; i < toks.length; ++i) {
    if (toks[i] === '') continue;
    const r = decodeEvent(toks[i]);
    if (!r.ok) { note(`ignored event ${i + 1} ${quote(toks[i])}: ${r.why}`); continue; }
    const ev = r.value;
    if (!ev.reset && ev.at < prev) { note(`ignored event ${i + 1} ${quote(toks[i])}: its step ${ev.at} is before the previous event's ${prev}`); continue; }
    prev = ev.reset ? 0 : ev.at;
    events.push(ev);
  }
  return events;
}

function decodeNames(raw, key, note) {
  let parts = raw.split(',');
  if (parts.length > LIMITS.names) { note(`${key}: kept the first ${LIMITS.names} of ${parts.length} names`); parts = parts.slice(0, LIMITS.names); }
  const out = [];
  for (const p of parts) {
    const d = dec(p);
    if (!d.ok || !CONTROL_NAME.test(d.value)) { if (p !== '') note(`${key}: ignored ${quote(p)}: not a control name`); continue; }
    if (!out.includes(d.value)) out.push(d.value);
  }
  return out;
}

function decodeText(raw, note) {
  const d = decLenient(raw.replace(/\+/g, ' '));
  if (d.bad) note(`text: kept invalid percent-encoding as typed`);
  let text = d.value;
  const cleaned = text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
  if (cleaned.length !== text.length) note(`text: removed ${text.length - cleaned.length} control characters`);
  text = cleaned;
  const cps = Array.from(text);
  if (cps.length > LIMITS.textChars) { note(`text: kept the first ${LIMITS.textChars} of ${cps.length} characters`); text = cps.slice(0, LIMITS.textChars).join(''); }
  return text;
}

function messages() {
  const list = [];
  let more = 0;
  return {
    push(m) { if (list.length < LIMITS.messages) list.push(m); else ++more; },
    done() { return more ? [...list, `… and ${more} more things ignored`] : list; },
  };
}

function decodePairsInto(s, state, note) {
  const entries = new Map();  // path → [path, value, label]
  const reserved = new Map();  // key → {raw, pair}
  for (const pair of s.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) { note(`ignored ${quote(pair)}: not key=value`); continue; }
    const kd = dec(pair.slice(0, eq));
    if (!kd.ok) { note(`ignored ${quote(pair)}: invalid percent-encoding`); continue; }
    const key = kd.value;
    const raw = pair.slice(eq + 1);
    if (key === '') { note(`ignored ${quote(pair)}: no key`); continue; }
    if (raw === '') { note(`ignored ${quote(pair)}: empty value`); continue; }
    if (RESERVED.has(key)) {
      if (reserved.has(key)) note(`ignored ${quote(reserved.get(key).pair)}: ${key} is given again later`);
      reserved.set(key, { raw, pair });
      continue;
    }
    const r = resolveKey(key);
    if (!r.path) { note(`ignored ${quote(pair)}: ${r.why}`); continue; }
    const v = decField(r.type, raw, false);
    if (!v.ok) { note(`ignored ${quote(pair)}: ${v.why}`); continue; }
    if (v.note) note(`${key}: ${v.note}`);
    if (entries.has(r.path)) note(`ignored ${entries.get(r.path)[2]}: ${key} is given again later`);
    entries.set(r.path, [r.path, v.value, quote(pair)]);
  }

  const v = reserved.get('v');
  let version = URL_STATE_VERSION;
  if (v) {
    const n = parseNum(v.raw);
    if (!n.ok || !Number.isSafeInteger(n.value) || n.value < 1) note(`ignored ${quote(v.pair)}: not a version number; read as v=${URL_STATE_VERSION}`);
    else {
      version = n.value;
      if (version > URL_STATE_VERSION) note(`this link is from a newer NeuronLab (v=${version}); read what v=${URL_STATE_VERSION} understands`);
    }
  }
  const specEntries = [...entries.values()];
  if (v && version === 1 && !entries.has('version')) specEntries.unshift(['version', 1, "'v=1'"]);
  state.spec = buildObject(specEntries, note);

  const step = reserved.get('step');
  if (step) {
    const n = parseNum(step.raw);
    if (!n.ok || !Number.isSafeInteger(n.value) || n.value < 0 || n.value > LIMITS.step) note(`ignored ${quote(step.pair)}: the step must be a whole number from 0 to ${LIMITS.step}`);
    else state.step = n.value;
  }
  const log = reserved.get('log');
  if (log) state.events = decodeLog(log.raw, note);

  const classroom = {};
  for (const k of ['hide', 'lock']) {
    const x = reserved.get(k);
    if (!x) continue;
    const names = decodeNames(x.raw, k, note);
    if (names.length) classroom[k] = names;
  }
  const text = reserved.get('text');
  if (text) {
    const t = decodeText(text.raw, note);
    if (t !== '') classroom.text = t;
  }
  if (Object.keys(classroom).length) state.classroom = classroom;
}

function decodeJsonForm(s, state, note) {
  const d = decLenient(s);
  let o;
  try { o = JSON.parse(d.value); } catch { note('ignored the link: it starts like JSON but is not valid JSON'); return; }
  if (!isObj(o)) { note('ignored the link: its JSON is not an object'); return; }
  const hist = isObj(o.spec) ? o : { spec: o };
  // Through the same pairs, so the JSON form is checked exactly like the short one.
  const parts = encodePairs({ spec: hist.spec, events: hist.events, step: hist.step, classroom: hist.classroom },
    (m) => { note(`ignored ${m}`); });
  decodePairsInto(parts.join('&'), state, note);
}

/**
 * Reads a hash ('#v=1&…', also without '#', or a whole URL) into {state: {spec, events, step,
 * classroom?}, ignored: [messages]}. Never throws. state.spec holds only the fields the link gave (a
 * partial spec: the rest takes the lab's defaults); events is [] and step 0 when the link has none.
 */
export function decodeState(hash) {
  const msgs = messages();
  const note = (m) => msgs.push(m);
  const state = { spec: {}, events: [], step: 0 };
  try {
    if (typeof hash !== 'string') note(`ignored the link: it is not text (got ${describe(hash)})`);
    else {
      let s = hash;
      const at = s.indexOf('#');
      if (at >= 0) s = s.slice(at + 1);
      if (s.length > LIMITS.hashChars) {
        const cut = s.lastIndexOf('&', LIMITS.hashChars);
        note(`the link is ${s.length} characters long; read only its first ${LIMITS.hashChars}`);
        s = s.slice(0, cut > 0 ? cut : LIMITS.hashChars);
      }
      s = s.trim();
      if (s.startsWith('{') || /^%7b/i.test(s)) decodeJsonForm(s, state, note);
      else if (s !== '') decodePairsInto(s, state, note);
    }
  } catch (e) {
    // A bug here must not take the page down; say so and keep the defaults.
    note(`could not read the link (${e && e.message})`);
    if (!isObj(state.spec)) state.spec = {};
    if (!Array.isArray(state.events)) state.events = [];
    if (!Number.isSafeInteger(state.step)) state.step = 0;
  }
  return { state, ignored: msgs.done() };
}

// [SECTION] Loading

const DROP_ORDER = ['model', 'data', 'loss', 'optimizer', 'schedule', 'batch_size', 'regularization', 'stop', 'seed', 'version'];

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function deepMerge(base, patch) {
  const out = isObj(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (FORBIDDEN.has(k)) continue;
    out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : clone(v);
  }
  return out;
}

/**
 * The spec to load: `partial` over `defaults`. A group whose `name` changes (data, optimizer, schedule)
 * takes only the link's fields (the others belong to the old name); data.seed follows a new seed when
 * the defaults' data.seed was just the default seed.
 */
export function mergeSpec(defaults, partial) {
  const out = clone(defaults);
  for (const [k, v] of Object.entries(partial)) {
    if (FORBIDDEN.has(k)) continue;
    const renamed = (k === 'data' || k === 'optimizer' || k === 'schedule') && isObj(v) && v.name !== undefined && v.name !== defaults[k]?.name;
    out[k] = renamed ? clone(v) : isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : clone(v);
  }
  if (has(partial, 'seed') && !(isObj(partial.data) && has(partial.data, 'seed')) && isObj(out.data) &&
      isObj(defaults.data) && defaults.data.seed === defaults.seed && partial.seed !== defaults.seed) {
    delete out.data.seed;
  }
  return out;
}

function pickGroup(message, keys) {
  const m = /\bspec\.([A-Za-z_][A-Za-z0-9_]*)/.exec(message);
  if (m && keys.includes(m[1])) return m[1];
  if (/dataset|data file/.test(message) && keys.includes('data')) return 'data';
  return DROP_ORDER.find((g) => keys.includes(g)) ?? keys[0];
}

const errText = (e) => String((e && e.message) || e);

async function tryLoad(lab, spec, files) {
  const name = spec?.data?.name;
  if (typeof name === 'string' && name !== 'csv') {  // csv: the user's own table (loadCsv), nothing to fetch
    if (!files.datasets) {
      try { files.datasets = lab.registries().datasets; } catch { files.datasets = []; }
    }
    const entry = files.datasets.find((d) => d.name === name);
    if (entry && entry.asset) {
      if (!files.fetched.has(name)) {
        let err = '';
        try { await lab.loadDataset(name); } catch (e) { err = `dataset '${name}' could not be loaded: ${errText(e)}`; }
        files.fetched.set(name, err);
      }
      if (files.fetched.get(name)) return { error: files.fetched.get(name) };
    }
  }
  try {
    const r = lab.load(spec);
    return { warnings: Array.isArray(r?.warnings) ? r.warnings : [] };
  } catch (e) {
    return { error: errText(e) };
  }
}

/**
 * Opens a link: decodes `hash`, merges its partial spec over `defaults` (a full spec, e.g. lab.spec() of
 * the default experiment) and calls lab.load(). When the core refuses the spec, the link's part it names
 * (data, model, optimizer, …; one top-level group at a time) is dropped and the load tried again, each
 * drop adding the core's message to `ignored`; last comes `defaults` alone. A file-backed dataset is
 * fetched first (lab.loadDataset); if that fails, the link's data is dropped the same way.
 * Resolves to {state, ignored, loaded, dropped}: state.spec is the spec in force (lab.spec()), or
 * `defaults` when even they did not load (loaded: false); dropped lists the groups given up.
 * It neither replays the events nor trains: the caller does (lab.replay). Never rejects for a bad link.
 */
export async function loadFromHash(lab, hash, defaults) {
  if (!lab || typeof lab.load !== 'function') throw new TypeError('loadFromHash(lab, hash, defaults): lab must be the NeuronLab API object');
  if (!isObj(defaults)) throw new TypeError('loadFromHash(lab, hash, defaults): defaults must be a full spec object (e.g. lab.spec())');
  const { state, ignored } = decodeState(hash);
  const msgs = [...ignored];
  const remaining = { ...state.spec };
  const dropped = [];
  const files = { datasets: null, fetched: new Map() };
  for (;;) {
    const spec = mergeSpec(defaults, remaining);
    const r = await tryLoad(lab, spec, files);
    if (!r.error) {
      for (const w of r.warnings) msgs.push(`the lab ${w}`);
      let loaded = spec;
      try { loaded = lab.spec(); } catch { /* keep the merged spec */ }
      return { state: { ...state, spec: loaded }, ignored: msgs, loaded: true, dropped };
    }
    const keys = Object.keys(remaining);
    if (keys.length === 0) {
      msgs.push(`the default experiment did not load either: ${r.error}`);
      return { state: { ...state, spec: clone(defaults) }, ignored: msgs, loaded: false, dropped };
    }
    const g = pickGroup(r.error, keys);
    msgs.push(`ignored the link's ${g}: ${r.error}`);
    delete remaining[g];
    dropped.push(g);
  }
}

// [SECTION] Classroom

/**
 * The classroom settings of a decoded state, always well-formed: {hide: [names], lock: [names],
 * text: string, active: boolean, hidden(name), locked(name)}.
 */
export function classroomOf(state) {
  const c = isObj(state) && isObj(state.classroom) ? state.classroom : {};
  const names = (x) => (Array.isArray(x) ? x.filter((n) => typeof n === 'string' && CONTROL_NAME.test(n)) : []);
  const hide = names(c.hide);
  const lock = names(c.lock);
  const text = typeof c.text === 'string' ? c.text : '';
  return { hide, lock, text, active: hide.length > 0 || lock.length > 0 || text !== '',
    hidden: (name) => hide.includes(name), locked: (name) => lock.includes(name) };
}
