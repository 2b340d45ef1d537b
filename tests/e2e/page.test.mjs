// The lab in headless Chromium, served with COOP/COEP headers (as `npm start` does).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { click, item, launch, nextFrames, openPage, pixel, serve, showDiagnostics, waitForLab } from './helpers.mjs';

let browser, srv;
before(async () => { browser = await launch(); srv = await serve(true); });
after(async () => { await browser?.close(); await srv?.close(); });

test('the shell loads cross-origin isolated, with SIMD and a thread pool', async () => {
  const { context, page, problems } = await openPage(browser, srv.url);
  try {
    const state = await waitForLab(page);
    assert.equal(state.error, undefined, JSON.stringify(state.error));
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
    assert.equal(state.mode, 'mt');
    assert.equal(state.simd, true);
    assert.equal(state.threads_enabled, true);
    const hc = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(state.max_threads, Math.min(hc, 16));
    assert.ok(state.max_threads > 1, 'this test needs a machine with at least 2 cores');
    assert.equal(state.version, await page.evaluate(() => window.lab.version()));
    // The four panels and the menu are on screen.
    const windows = new Set(await page.evaluate(() => window.lab.ui.items().map((i) => i.window)));
    for (const w of ['Data', 'Network', 'Training', 'Views']) assert.ok(windows.has(w), `panel ${w} missing`);
    await item(page, 'View');
    await item(page, 'Help');
    assert.equal(state.show_diagnostics, false, 'Diagnostics opens from the View menu');
    await showDiagnostics(page);
    await item(page, 'Threads', 'Diagnostics');
    assert.equal(await page.locator('#loading').isVisible(), false);
    assert.equal(await page.locator('#notice').isVisible(), false);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/shell.png' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the matmul benchmark runs off the main thread from the UI and is bit-identical', async () => {
  const { context, page, problems } = await openPage(browser, srv.url);
  try {
    await waitForLab(page);
    await showDiagnostics(page);
    await click(page, 'Run matmul benchmark');
    // While the job runs, the page keeps drawing frames: the main thread is free.
    await page.waitForFunction(() => window.lab.ui.state().bench.state === 'done', null, { timeout: 60000 });
    const s = await page.evaluate(() => window.lab.ui.state());
    assert.equal(s.bench.result.bit_identical, true);
    assert.equal(s.bench.result.threads, s.max_threads);
    assert.ok(s.bench.result.gflops_n > 0);
    // The same through the JS API, from the page.
    const r = await page.evaluate(() => window.lab.benchMatmul({ n: 64, reps: 1 }));
    assert.equal(r.bit_identical, true);
    const c = await page.evaluate(async () => Array.from(await window.lab.matmul([1, 2, 3, 4], [5, 6, 7, 8], { m: 2, k: 2, n: 2 })));
    assert.deepEqual(c, [19, 22, 43, 50]);
    const err = await page.evaluate(() => window.lab.matmul([1], [1], { m: 2, k: 1, n: 1 }).then(() => 'no error', (e) => `${e.name}: ${e.message}`));
    assert.equal(err, 'NeuronLabError: matmul: A has 1 elements, but its shape 2×1 needs 2');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the main thread stays responsive while a long job runs', async () => {
  const { context, page } = await openPage(browser, srv.url);
  try {
    await waitForLab(page);
    // Run a long job and watch the main thread: a 5 ms interval timer keeps firing unless the thread is
    // blocked. (Frame rate is no measure here: software WebGL draws each frame slowly.)
    const { maxGap, busy } = await page.evaluate(async () => {
      let last = performance.now(), maxGap = 0;
      const timer = setInterval(() => { const t = performance.now(); maxGap = Math.max(maxGap, t - last); last = t; }, 5);
      const t0 = performance.now();
      await window.lab.benchMatmul({ n: 1024, reps: 4 });
      const busy = performance.now() - t0;
      clearInterval(timer);
      return { maxGap, busy };
    });
    assert.ok(busy > 200, `the job should take a while (${busy.toFixed(0)} ms)`);
    assert.ok(maxGap < busy / 2, `main thread stalled ${maxGap.toFixed(0)} ms during a ${busy.toFixed(0)} ms job`);
  } finally {
    await context.close();
  }
});

test('widgets respond to clicks: threads slider, theme menu, diagnostics toggle', async () => {
  const { context, page } = await openPage(browser, srv.url);
  try {
    await waitForLab(page);
    await showDiagnostics(page);
    // Drag the Threads slider fully left: the lab runs on 1 thread.
    const r = await item(page, 'Threads', 'Diagnostics');
    const box = await page.locator('#canvas').boundingBox();
    await page.mouse.move(box.x + r.x + r.w - 3, box.y + r.y + r.h / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + r.x - 50, box.y + r.y + r.h / 2, { steps: 5 });
    await page.mouse.up();
    await nextFrames(page, 2);
    assert.equal(await page.evaluate(() => window.lab.threads()), 1);
    assert.equal((await page.evaluate(() => window.lab.ui.state())).threads, 1);

    const before = await pixel(page, 1080, 640);  // an empty part of the Diagnostics panel
    await click(page, 'View');
    await click(page, 'Light theme');
    assert.equal((await page.evaluate(() => window.lab.ui.state())).theme, 'light');
    const afterPx = await pixel(page, 1080, 640);
    assert.ok(afterPx[0] > before[0] + 100, `light panel background expected: ${before} → ${afterPx}`);

    await click(page, 'View');
    await click(page, 'Diagnostics');
    assert.equal((await page.evaluate(() => window.lab.ui.state())).show_diagnostics, false);
  } finally {
    await context.close();
  }
});

test('the canvas follows the window size and renders sharp on HiDPI screens', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  try {
    await page.goto(srv.url);
    const s = await waitForLab(page);
    assert.equal(s.dpr, 2);
    const dims = () => page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height, c.clientWidth, c.clientHeight]; });
    let [w, h, cw, ch] = await dims();
    assert.equal(w, cw * 2);
    assert.equal(h, ch * 2);
    assert.equal((await page.evaluate(() => window.lab.ui.state())).display_w, cw);
    await page.setViewportSize({ width: 700, height: 500 });
    await nextFrames(page, 3);
    [w, h, cw, ch] = await dims();
    assert.equal(cw, 700);
    assert.equal(w, 1400);
    const st = await page.evaluate(() => window.lab.ui.state());
    assert.equal(st.display_w, 700);
    assert.equal(st.display_h, ch);
  } finally {
    await context.close();
  }
});

test('the page trains a network through window.lab, on an image dataset downloaded when asked (compressed, with progress)', async () => {
  const { context, page, problems } = await openPage(browser, srv.url);
  try {
    await waitForLab(page);
    const r = await page.evaluate(async () => {
      const progress = [];
      // Nothing is prefetched: the first visit downloads the lab only; the data file comes when asked for.
      const before = performance.getEntriesByType('resource').filter((e) => /\/data\//.test(e.name)).length;
      await window.lab.loadDataset('digits', { onProgress: (p) => progress.push(p) });
      const files = performance.getEntriesByType('resource').filter((e) => /\/data\//.test(e.name)).map((e) => e.name);
      window.lab.load({ seed: 5, data: { name: 'digits', n: 800, test_ratio: 0.25 },
        model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10 }] },
        optimizer: { name: 'adam', lr: 0.01 }, batch_size: 32 });
      const m = await window.lab.train(300);
      const d1 = window.lab.digest();
      // The same spec on one thread: the same weights, bit for bit.
      window.lab.setThreads(1);
      window.lab.load(window.lab.spec());
      await window.lab.train(300);
      return { acc: m.testAccuracy, d1, d2: window.lab.digest(), threads: window.lab.maxThreads(), before, files, progress };
    });
    assert.equal(r.before, 0, 'no data file fetched before it was asked for');
    assert.deepEqual(r.files.map((f) => f.replace(/^.*\/data\//, '')), ['digits.nlds.gz'], 'one compressed file');
    assert.ok(r.progress.length > 0 && r.progress.at(-1) === 1, `progress heard: ${r.progress}`);
    assert.ok(r.acc > 0.8, `digits test accuracy ${r.acc}`);
    assert.ok(r.threads > 1);
    assert.equal(r.d1, r.d2);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
