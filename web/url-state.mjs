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
// This file is the public entry point; the code lives in url/, one concept a file, imported in this order
// (no cycles): fields.mjs ← grammar.mjs ← codec.mjs ← url-state.mjs.
//   url/fields.mjs .... which fields a link holds: LIMITS, the field table (key ⇄ spec path ⇄ value type),
//                       the layer short forms, resolveKey/keyForPath
//   url/grammar.mjs ... how a value is written: the format description, numbers, percent-encoding, typed
//                       values, layer lists, name lists and text
//   url/codec.mjs ..... encodeState, decodeState, mergeSpec, loadFromHash, classroomOf
//
// [SECTION] index
//   Format ........ url/grammar.mjs: the link's grammar (docs/api.md has the same text)
//   Limits ........ url/fields.mjs: LIMITS: what a link may hold; larger parts are cut and reported
//   Field table ... url/fields.mjs: key ⇄ spec path ⇄ value type, the one table both directions read
//   Values ........ url/grammar.mjs: numbers, percent-encoding, typed values, layers, names and text
//   Encoding ...... url/codec.mjs: encodeState
//   Decoding ...... url/codec.mjs: decodeState (never throws), the JSON form
//   Loading ....... url/codec.mjs: loadFromHash (merge over defaults, drop what the core refuses, one group at a time)
//   Classroom ..... url/codec.mjs: classroomOf

export { LIMITS, URL_STATE_VERSION } from './url/fields.mjs';
export { classroomOf, decodeState, encodeState, loadFromHash, mergeSpec } from './url/codec.mjs';
