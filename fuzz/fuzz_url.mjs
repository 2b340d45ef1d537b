// The share-link codec (web/url/), fuzzed through Node: mutations of the seed links in fuzz/corpus/url
// (inserted and deleted characters, spliced links, extreme numbers, percent-encoding, stray separators)
// go through decodeState; it must never throw, must return the promised shape (finite numbers, plain
// objects, bounded lists and messages), and its state must encode and decode to itself.
//   node fuzz/fuzz_url.mjs [RUNS] [SEED]        (scripts/fuzz.sh runs it as the target "url")
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { LIMITS, decodeState, encodeState } from '../web/url-state.mjs';

const runs = Number(process.argv[2] ?? 100000);
let seed = Number(process.argv[3] ?? 1) >>> 0;
const rand = () => {  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];
const dir = fileURLToPath(new URL('./corpus/url/', import.meta.url));
const seeds = readdirSync(dir).map((f) => readFileSync(dir + f, 'utf8'));

const PIECES = ['&', '=', ':', ',', ';', '#', '%', '%2', '%zz', '%00', '{', '}', '[', ']', '"', '\\', '.', '-', '+', 'e', 'E',
  '1e308', '1e999', '-0', 'NaN', 'Infinity', '99999999999999999999', '0x10', '__proto__', 'constructor', 'prototype', 'w0.weight[',
  ']=', 'log=', 'step=', 'layers=', 'dense:', 'conv2d:', 'v=', '\u00e9', '\u2713', '\ud83d\ude00', '\ud800', ' ', '\n', '\t',
  'x'.repeat(300), '&'.repeat(50), 'layers=' + 'dense:1,'.repeat(100)];
function mutate(s) {
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; ++k) {
    const i = Math.floor(rand() * (s.length + 1)), j = Math.min(s.length, i + Math.floor(rand() * 20));
    switch (Math.floor(rand() * 7)) {
      case 0: s = s.slice(0, i) + pick(PIECES) + s.slice(i); break;                       // insert
      case 1: s = s.slice(0, i) + s.slice(j); break;                                      // delete
      case 2: s = s.slice(0, i) + s.slice(i, j).repeat(2 + Math.floor(rand() * 3)) + s.slice(j); break;  // repeat
      case 3: { const o = pick(seeds); const p = Math.floor(rand() * o.length); s = s.slice(0, i) + o.slice(p); break; }  // splice
      case 4: s = s.replace(/-?\d+(\.\d+)?(e-?\d+)?/, pick(['1e308', '-1e308', '1e-320', '0', '-0', '4294967297', '9007199254740993', '1e999'])); break;
      case 5: s = s.slice(0, i) + encodeURIComponent(s.slice(i, j).toWellFormed()) + s.slice(j); break;  // percent-encode a part
      default: s = s.slice(0, i) + String.fromCharCode(Math.floor(rand() * 0x3000)) + s.slice(i); break;
    }
  }
  return s;
}

const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
function check(input) {
  let r;
  assert.doesNotThrow(() => { r = decodeState(input); });
  assert.ok(isPlain(r) && isPlain(r.state) && Array.isArray(r.ignored) && r.ignored.length <= LIMITS.messages + 1);
  const walk = (v, d) => {
    assert.ok(d < 20);
    if (typeof v === 'number') assert.ok(Number.isFinite(v));
    else if (Array.isArray(v)) v.forEach((x) => walk(x, d + 1));
    else if (v !== null && typeof v === 'object') {
      assert.ok(isPlain(v));
      for (const k of Object.keys(v)) assert.ok(!['__proto__', 'constructor', 'prototype'].includes(k));
      Object.values(v).forEach((x) => walk(x, d + 1));
    }
  };
  walk(r.state, 0);
  assert.ok(r.state.events.length <= LIMITS.events && Number.isSafeInteger(r.state.step));
  const again = decodeState(encodeState(r.state));
  const { version: _a, ...s1 } = r.state.spec;
  const { version: _b, ...s2 } = again.state.spec;
  assert.deepEqual({ ...again.state, spec: s2 }, { ...r.state, spec: s1 });
}

let done = 0;
for (; done < runs; ++done) {
  const input = rand() < 0.1 ? pick(seeds) : mutate(pick(seeds));
  try {
    check(input);
  } catch (e) {
    console.error(`fuzz url: a finding after ${done} inputs: ${e.message}\ninput: ${JSON.stringify(input)}`);
    process.exit(1);
  }
}
console.log(`stat::number_of_executed_units: ${done}`);
