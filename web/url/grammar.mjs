// NeuronLab share-by-URL codec, the link's grammar: how a value is written in a link and read back —
// numbers, percent-encoding, quoting, typed values, layer lists, name lists and text. Which fields exist is
// fields.mjs; putting the pairs together (and the event log, loading, classroom) is codec.mjs.
//
// [SECTION] index
//   Format ........ the link's grammar (this comment; docs/api.md has the same text)
//   Values ........ numbers, percent-encoding, typed values (encTyped/decTyped, encField/decField)
//   Layers ........ the `layers` value: type:param:param…, with the short forms of fields.mjs LAYER_FORMS
//   Names and text  the classroom's hide/lock name lists and its text

import { FORBIDDEN, IDENT, LAYER_FORMS, LIMITS, TYPE_WORDS } from './fields.mjs';

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

// A hide/lock control name; a decimal number literal.
export const CONTROL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// [SECTION] Values

export const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
export const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/** The shortest decimal that reads back as the same double; '-0' keeps its sign; no '+' in exponents. */
export function fmtNum(x) {
  return Object.is(x, -0) ? '-0' : String(x).replace('e+', 'e');
}

/** A decimal number literal → {ok, value} (no hex, no Infinity, no blanks). */
export function parseNum(s) {
  if (!NUM_RE.test(s)) return { ok: false, why: 'not a number' };
  const x = Number(s);
  return Number.isFinite(x) ? { ok: true, value: x } : { ok: false, why: 'not a finite number' };
}

export function wellFormed(s) {
  if (typeof s.toWellFormed === 'function') return s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Percent-encodes what a value must not hold raw (see Format). */
export function enc(s) {
  return encodeURIComponent(wellFormed(s)).replace(/%(?:24|2F|3F|40)/g, (m) => decodeURIComponent(m));
}

export function dec(s) {
  try {
    return { ok: true, value: decodeURIComponent(s) };
  } catch {
    return { ok: false, why: 'invalid percent-encoding' };
  }
}

/** Decodes what it can; a bad %-sequence stays as typed. */
export function decLenient(s) {
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
export function jsonProblem(v, depth = 0) {
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

export function fits(type, v) {
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
export function encField(path, type, v, bad, allowNull) {
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
export function decField(type, raw, allowNull) {
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

export function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? v.slice(0, 30) + '…' : v);
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

export function quote(s) {
  const cps = Array.from(s.length > 200 ? s.slice(0, 200) : s);
  return `'${cps.length > 60 ? cps.slice(0, 57).join('') + '…' : cps.join('')}'`;
}

// [SECTION] Layers

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

// [SECTION] Names and text

export function encodeNames(list, what, bad) {
  if (!Array.isArray(list)) return bad(`${what} must be a list of control names`);
  if (list.length > LIMITS.names) return bad(`${what} has ${list.length} names; a link holds at most ${LIMITS.names}`);
  for (const n of list) if (typeof n !== 'string' || !CONTROL_NAME.test(n)) return bad(`${what} holds ${describe(n)}, not a control name (letters, digits, _ . -)`);
  return list.join(',');
}

export function decodeNames(raw, key, note) {
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

export function decodeText(raw, note) {
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
