// Every way the page can be hosted or fail: a static host without headers (service worker path), no
// service workers (single-threaded fallback), and browsers missing WebGL2 or SIMD, or a failed download.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, openPage, serve, waitForLab, waitForMessage } from './helpers.mjs';

let browser, plain;
before(async () => { browser = await launch(); plain = await serve(false); });
after(async () => { await browser?.close(); await plain?.close(); });

test('plain static server: the service worker makes the page isolated, threads work', async () => {
  const { context, page, problems } = await openPage(browser, plain.url);
  try {
    const state = await waitForLab(page);
    assert.equal(state.error, undefined, JSON.stringify(state.error));
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true);
    assert.equal(state.mode, 'mt');
    assert.ok(state.max_threads > 1);
    const r = await page.evaluate(() => window.lab.benchMatmul({ n: 64, reps: 1 }));
    assert.equal(r.bit_identical, true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('service workers disabled: the single-threaded build loads and says so', async () => {
  const { context, page } = await openPage(browser, plain.url, { contextOptions: { serviceWorkers: 'block' } });
  try {
    const state = await waitForLab(page);
    assert.equal(state.error, undefined, JSON.stringify(state.error));
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
    assert.equal(state.mode, 'st');
    assert.equal(state.threads_enabled, false);
    assert.equal(state.max_threads, 1);
    assert.equal(await page.locator('#notice').isVisible(), true);
    assert.match(await page.locator('#notice').innerText(), /single-threaded/);
    // The lab still computes.
    const c = await page.evaluate(async () => Array.from(await window.lab.matmul([1, 2], [3, 4], { m: 1, k: 2, n: 1 })));
    assert.deepEqual(c, [11]);
  } finally {
    await context.close();
  }
});

test('no WebGL2: a readable message instead of a blank page', async () => {
  const init = () => {
    const orig = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) { return type === 'webgl2' ? null : orig.call(this, type, ...rest); };
  };
  const { context, page } = await openPage(browser, plain.url, { init });
  try {
    const m = await waitForMessage(page);
    assert.equal(m.visible, true);
    assert.match(m.text, /WebGL2/);
    assert.match(m.text, /hardware acceleration/);
  } finally {
    await context.close();
  }
});

test('no WebAssembly SIMD: a readable message', async () => {
  const init = () => {
    const orig = WebAssembly.validate;
    // Pretend to be a browser without SIMD: the probe module (and anything else using v128) fails validation.
    WebAssembly.validate = (bytes) => (bytes.length < 64 ? false : orig(bytes));
  };
  const { context, page } = await openPage(browser, plain.url, { init });
  try {
    const m = await waitForMessage(page);
    assert.match(m.text, /WebAssembly SIMD/);
    assert.match(m.text, /Chrome or Edge 91\+/);
  } finally {
    await context.close();
  }
});

test('a failed download of the engine: a readable message', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    await page.route('**/*.wasm', (route) => route.abort());
    await page.goto(plain.url);
    const m = await waitForMessage(page);
    assert.equal(m.visible, true);
    assert.match(m.text, /could not start/i);
    assert.match(m.text, /neuronlab_st\.wasm|network/i);
  } finally {
    await context.close();
  }
});

test('a missing engine script: a readable message', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    await page.route('**/neuronlab_st.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(plain.url);
    const m = await waitForMessage(page);
    assert.match(m.text, /could not download neuronlab_st\.js/);
  } finally {
    await context.close();
  }
});
