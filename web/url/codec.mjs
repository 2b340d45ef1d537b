// NeuronLab share-by-URL codec, the codec: a state {spec, events, step, classroom} ⇄ a link's hash, and
// opening a link in a lab. The format is described in grammar.mjs ([SECTION] Format); the fields a link
// holds are fields.mjs.
//
// [SECTION] index
//   Encoding ...... encodeState (the spec's pairs, the event log, the classroom)
//   Decoding ...... decodeState (never throws), the JSON form
//   Loading ....... mergeSpec, loadFromHash (merge over defaults, drop what the core refuses, one group at a time)
//   Classroom ..... classroomOf

import { FORBIDDEN, GROUPS, IDENT, LIMITS, RESERVED, TYPES, URL_STATE_VERSION, keyForPath, resolveKey } from './fields.mjs';
import {
  CONTROL_NAME, dec, decField, decLenient, decodeNames, decodeText, describe, enc, encField, encodeNames, fits,
  fmtNum, has, isObj, jsonProblem, parseNum, quote, wellFormed,
} from './grammar.mjs';

// [SECTION] Encoding

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
    const layerOk = (typeof w.layer === 'string' && LAYER_ID.test(w.layer)) ||
      (Number.isSafeInteger(w.layer) && w.layer >= 0 && w.layer <= LIMITS.weightLayer);
    if (keysOk && layerOk &&
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
  const named = typeof w.layer === 'string' && LAYER_ID.test(w.layer);
  if (!named && (!Number.isSafeInteger(w.layer) || w.layer < 0 || w.layer > LIMITS.weightLayer)) return 'the layer must be a whole number or a layer id';
  if (!Number.isSafeInteger(w.index) || w.index < 0) return 'the index must be a whole number';
  if (typeof w.value !== 'number' || !Number.isFinite(w.value)) return 'the value must be a finite number';
  if (w.param !== undefined && (typeof w.param !== 'string' || w.param === '' || w.param.length > LIMITS.nameChars)) return 'the param must be a name';
  return '';
}

// A layer id (the spec's "id" of a layer): a name that cannot be read as an index.
const LAYER_ID = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// w<layer>[.<param>][<index>]=<value>; <layer> is an index or a layer id.
const WEIGHT_RE = /^w(\d+|[A-Za-z_][A-Za-z0-9_]{0,63})(?:\.([^[\]=]+))?\[(\d+)\]=(.+)$/;

function decodeEvent(tok) {
  const colon = tok.indexOf(':');
  if (colon < 0) return { ok: false, why: 'not step:change' };
  const at = parseNum(tok.slice(0, colon));
  if (!at.ok || !Number.isSafeInteger(at.value) || at.value < 0 || at.value > LIMITS.step) return { ok: false, why: `the step must be a whole number from 0 to ${LIMITS.step}` };
  at.value = Math.abs(at.value);  // a step of "-0" is step 0 (values keep their −0: weights round-trip bit for bit)
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
    const weight = { layer: /^\d+$/.test(m[1]) ? Number(m[1]) : m[1], ...(param === undefined ? {} : { param }), index: Number(m[3]), value: v.value };
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
    else state.step = Math.abs(n.value);  // "-0" is step 0
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
      // Lone UTF-16 surrogates (never in a real URL, but a string handed to the API may hold them) become
      // U+FFFD here, as encoding would make them, so that a decoded state encodes back to itself.
      let s = wellFormed(hash);
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
