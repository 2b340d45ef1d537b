// NeuronLab share-by-URL codec, the field table: which fields a link can hold and what each one is. This
// is the one place that says so; the grammar (grammar.mjs) and the codec (codec.mjs) only read it.
//
// The table is data, not logic: rows and sets below, the maps in [SECTION] Derived maps computed from
// them. Adding a field is adding a row (and its line in grammar.mjs [SECTION] Format). The optimizer,
// schedule and layer rows are meant to come from the core's registries() JSON one day: keep them as data.
//
// [SECTION] index
//   Limits ........ URL_STATE_VERSION; LIMITS: what a link may hold; larger parts are cut and reported
//   Field table ... FIELDS: short key ⇄ spec path ⇄ value type, the one table both directions read;
//                   MORE_TYPES (typed paths without a short key); GROUPS and their key prefixes (ROOTS);
//                   RESERVED keys; FORBIDDEN names; TYPE_WORDS; LAYER_FORMS (the short forms of layers)
//   Derived maps .. KEY_TO_PATH, PATH_TO_KEY, TYPES, LAYER_FORMS' letterOf
//   Keys .......... resolveKey (a key → spec path and type), keyForPath (a spec path → its key)

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

// The spec's groups (objects of fields), and the key prefixes that name them (ROOTS).
export const GROUPS = new Set(['data', 'model', 'optimizer', 'schedule', 'regularization', 'stop']);
const ROOTS = new Map([...[...GROUPS].map((g) => [g, g]), ['opt', 'optimizer'], ['sched', 'schedule'], ['reg', 'regularization']]);
// Keys that are not spec fields (see grammar.mjs [SECTION] Format).
export const RESERVED = new Set(['v', 'step', 'log', 'hide', 'lock', 'text']);
// Names never allowed as a key, a field or a layer parameter.
export const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
// How messages name each type.
export const TYPE_WORDS = { int: 'a whole number', num: 'a number', bool: 'true or false', str: 'a name',
  features: 'a list of feature names or a number', layers: 'a list of layers', any: 'a value' };

// The short forms of layers: a bare number, a bare word, letter+number.
export const LAYER_FORMS = new Map([
  ['dense', { num: 'units', word: 'activation' }],
  ['conv2d', { num: 'filters', word: 'activation', prefix: { f: 'filters', k: 'kernel', s: 'stride', p: 'padding' } }],
  ['maxpool2d', { num: 'size', prefix: { s: 'stride' } }],
  ['avgpool2d', { num: 'size', prefix: { s: 'stride' } }],
  ['dropout', { num: 'rate' }],
  ['activation', { word: 'activation' }],
]);

// What a field, layer type or parameter name may be.
export const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

// [SECTION] Derived maps
// Computed from the table above, never edited by hand.

const KEY_TO_PATH = new Map(FIELDS.map(([k, p]) => [k, p]));
const PATH_TO_KEY = new Map(FIELDS.map(([k, p]) => [p, k]));
export const TYPES = new Map([...FIELDS.map(([, p, t]) => [p, t]), ...MORE_TYPES]);
for (const f of LAYER_FORMS.values()) f.letterOf = new Map(Object.entries(f.prefix ?? {}).map(([l, k]) => [k, l]));

// [SECTION] Keys

/** A key → {path, type} | {why}. Short keys, `group.field…`, `spec.field…`. */
export function resolveKey(key) {
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

export function keyForPath(path) {
  if (PATH_TO_KEY.has(path)) return PATH_TO_KEY.get(path);
  return GROUPS.has(path.split('.')[0]) ? path : `spec.${path}`;
}
