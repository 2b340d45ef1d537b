// The JS API in Node (web/node.mjs → dist/node/neuronlab_node.js): the same calls the page's window.lab offers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { NeuronLabError, createLab } from '../../web/node.mjs';

let lab;
before(async () => { lab = await createLab(); });
after(() => lab.close());

// Deterministic pseudo-random floats in [-1, 1) (xorshift32), so failures reproduce.
function randomArray(n, seed) {
  let s = seed >>> 0 || 1;
  const a = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = (s / 2 ** 32) * 2 - 1;
  }
  return a;
}

// C = op(A)·op(B) in float64, the yardstick for the core's float32 kernel.
function matmulRef(a, b, m, k, n, ta, tb) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; ++i)
    for (let j = 0; j < n; ++j) {
      let s = 0;
      for (let p = 0; p < k; ++p) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

test('version and build info', () => {
  assert.match(lab.version(), /^\d+\.\d+\.\d+$/);
  const b = lab.build();
  assert.equal(b.version, lab.version());
  assert.equal(b.simd, true);
  assert.equal(b.wasm, true);
  assert.equal(b.threadsEnabled, true);
  assert.equal(b.mode, 'node');
  assert.ok(b.maxThreads >= 1);
});

test('matmul computes a known product', async () => {
  const c = await lab.matmul([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], { m: 2, k: 3, n: 2 });
  assert.ok(c instanceof Float32Array);
  assert.deepEqual(Array.from(c), [58, 64, 139, 154]);
});

test('matmul agrees with a float64 reference for every transpose combination', async () => {
  for (const [m, k, n] of [[1, 1, 1], [5, 7, 3], [33, 65, 17], [70, 300, 9]]) {
    for (const ta of [false, true]) for (const tb of [false, true]) {
      const a = randomArray(m * k, m * 31 + k), b = randomArray(k * n, n * 17 + k);
      const c = await lab.matmul(a, b, { m, k, n, transA: ta, transB: tb });
      const ref = matmulRef(a, b, m, k, n, ta, tb);
      // float32 accumulation of k products of magnitude ≤ 1: error ≤ k·eps32·k, with margin.
      const tol = 4 * k * k * 2 ** -23;
      for (let i = 0; i < c.length; ++i) assert.ok(Math.abs(c[i] - ref[i]) <= tol, `(${m},${k},${n},${ta},${tb})[${i}]: ${c[i]} vs ${ref[i]}`);
    }
  }
});

test('matmul results are bit-identical with 1 thread and with all threads', async () => {
  const m = 150, k = 600, n = 270;
  const a = randomArray(m * k, 1), b = randomArray(k * n, 2);
  lab.setThreads(1);
  const one = await lab.matmul(a, b, { m, k, n });
  lab.setThreads(lab.maxThreads());
  const all = await lab.matmul(a, b, { m, k, n });
  assert.deepEqual(Buffer.from(one.buffer), Buffer.from(all.buffer));
});

test('setThreads clamps to the pool and rejects non-integers', () => {
  assert.equal(lab.setThreads(1), 1);
  assert.equal(lab.threads(), 1);
  assert.equal(lab.setThreads(10000), lab.maxThreads());
  assert.throws(() => lab.setThreads(0), /between 1 and/);
  assert.throws(() => lab.setThreads(1.5), NeuronLabError);
  assert.throws(() => lab.setThreads('4'), /must be an integer \(got "4"\)/);
});

test('bad matmul input is a readable NeuronLabError, and the lab keeps working', async () => {
  await assert.rejects(lab.matmul([1, 2, 3], [1, 2], { m: 2, k: 2, n: 1 }),
    { name: 'NeuronLabError', message: 'matmul: A has 3 elements, but its shape 2×2 needs 4' });
  await assert.rejects(lab.matmul([1], [1], { m: 0, k: 1, n: 1 }), /shape.m must be between 1 and/);
  await assert.rejects(lab.matmul([1], [1], { m: 1, k: 1.5, n: 1 }), /shape.k must be an integer/);
  await assert.rejects(lab.matmul('abc', [1], { m: 1, k: 1, n: 1 }), /a must be a Float32Array or an array of numbers/);
  await assert.rejects(lab.matmul([1], [1]), /shape.m must be an integer \(got undefined\)/);
  await assert.rejects(lab.matmul([1], [1], null), /shape must be an object/);
  await assert.rejects(lab.matmul(['x'], [1], { m: 1, k: 1, n: 1 }), /a\[0\] is not a number/);
  assert.deepEqual(Array.from(await lab.matmul([2], [3], { m: 1, k: 1, n: 1 })), [6]);
});

test('force-reference switch runs the reference kernel (same result within rounding)', async () => {
  const m = 9, k = 1000, n = 11;
  const a = randomArray(m * k, 5), b = randomArray(k * n, 6);
  const fast = await lab.matmul(a, b, { m, k, n });
  lab.setForceReference(true);
  assert.equal(lab.forceReference(), true);
  const ref = await lab.matmul(a, b, { m, k, n });
  lab.setForceReference(false);
  const exact = matmulRef(a, b, m, k, n, false, false);
  let differ = false;
  for (let i = 0; i < ref.length; ++i) {
    assert.ok(Math.abs(ref[i] - exact[i]) < 1e-3);
    differ ||= ref[i] !== fast[i];
  }
  assert.ok(differ, 'blocked SIMD and the plain loop round differently somewhere for k = 1000');
  assert.throws(() => lab.setForceReference('yes'), /must be true or false/);
});

test('benchMatmul reports bit-identical results and positive speeds', async () => {
  lab.setThreads(lab.maxThreads());
  const r = await lab.benchMatmul({ n: 128, reps: 2 });
  assert.equal(r.n, 128);
  assert.equal(r.bit_identical, true);
  assert.ok(r.gflops_1 > 0 && r.gflops_n > 0);
  assert.equal(r.threads, lab.maxThreads());
  await assert.rejects(lab.benchMatmul({ n: 0 }), /n must be between 1 and 4096/);
});

test('a closed lab says so instead of crashing', async () => {
  const other = await createLab({ threads: 1 });
  assert.equal(other.threads(), 1);
  other.close();
  assert.throws(() => other.threads(), /closed/);
  other.close();  // twice is harmless
});
