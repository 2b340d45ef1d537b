// The attribution views, clicked through in headless Chromium (ui/views/attributions.h):
//   - images (block_patterns, a small CNN): the Attributions tab shows maps for the chosen methods with their
//     completeness residuals, more methods can be picked, Previous/Next change the sample, and the maps follow
//     training live;
//   - the Arena runs on a few samples and fills a sortable table with finite scores; a heavy run cancels;
//   - 2-D data (circle): picking a point on the plane re-attributes it; the Surface tab is still the first.
// The views' state comes from lab.ui.state().attributions ({maps, arena}). Screenshots: test-results/attr-*.png.
// Serve another site dir with NEURONLAB_DIST=/path (default dist/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

import { click, hoverClick, item, launch, nextFrames, openPage, serve, typeInto, waitFor, waitForLab } from './helpers.mjs';

const VIEW = { width: 1280, height: 800 };
const BLOCKS = {
  seed: 2,
  data: { name: 'block_patterns', n: 300, classes: 4, noise: 0.1 },
  model: { layers: [{ type: 'conv2d', filters: 4, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 },
    { type: 'flatten' }, { type: 'dense', units: 4 }] },
  optimizer: { name: 'adam', lr: 0.01 },
  batch_size: 16,
};
const CIRCLE = {
  seed: 4,
  data: { name: 'circle', n: 300 },
  model: { layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 2 }] },
  optimizer: { name: 'adam', lr: 0.03 },
  batch_size: 16,
};
// |Σa − Δf| of integrated gradients (50 Gauss–Legendre points) on this small ReLU CNN: the straight path
// crosses few ReLU kinks, so the quadrature error stays well under this (DeepLIFT's rescale rule is exact).
const COMPLETENESS_TOL = 0.05;

let browser, srv;
mkdirSync('test-results', { recursive: true });

before(async () => {
  srv = await serve(true);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

const st = (page) => page.evaluate(() => window.lab.ui.state());
const until = async (page, pred, what, timeout = 60000) =>
  (await waitFor(page, st, (s) => pred(s.attributions, s.controller), what, {
    timeout,
    show: (s) => `attributions: ${JSON.stringify(s.attributions, (k, v) => (k === 'values' ? undefined : v))}`,
  })).attributions;
const idle = (c) => !c.busy && !c.progress;
// Every result of the maps view is there, for the current run, with a finite map.
const mapsReady = (m, n) => m.visible && m.results.length === n && m.inFlight === 0 &&
  m.results.every((r) => !r.stale && r.error === '' && r.finite && r.mapSize > 0);

// A new page with `spec` loaded and trained for `steps` steps; waits until the UI shows it (ready(controller)).
async function openTrained(spec, steps, ready, what) {
  const opened = await openPage(browser, srv.url, { viewport: VIEW });
  await waitForLab(opened.page, 3);
  await opened.page.evaluate(async ([sp, n]) => { window.lab.load(sp); await window.lab.train(n); }, [spec, steps]);
  await until(opened.page, (a, c) => ready(c) && c.step === steps && idle(c), what);
  return opened;
}

test('images: maps for the chosen methods with their residuals, more methods, other samples, live updates', async () => {
  const { page, context, problems } = await openTrained(BLOCKS, 150, (c) => c.dataset === 'block_patterns' && c.snapshotVersion > 0,
    'the trained CNN');

  await hoverClick(page, 'Attributions');
  let m = (await until(page, (a) => mapsReady(a.maps, 2), 'the two default maps')).maps;
  assert.deepEqual(m.results.map((r) => r.method), ['saliency', 'integrated_gradients']);
  for (const r of m.results) assert.deepEqual(r.shape, [1, 28, 28]);
  assert.equal(m.results[0].delta, null, 'saliency has no completeness residual');
  assert.ok(Math.abs(m.results[1].delta) < COMPLETENESS_TOL, `IG residual ${m.results[1].delta}`);
  assert.ok(m.results.every((r) => Number.isInteger(r.target) && r.target >= 0 && r.target < 4));

  // Pick two more methods in the picker (grouped by family).
  await click(page, 'Methods…');
  await click(page, 'DeepLIFT (rescale)');
  await click(page, 'Occlusion');
  await page.screenshot({ path: 'test-results/attr-picker.png' });
  await click(page, 'Done');
  m = (await until(page, (a) => mapsReady(a.maps, 4), 'four maps')).maps;
  assert.deepEqual(m.results.map((r) => r.method), ['saliency', 'integrated_gradients', 'deeplift', 'occlusion']);
  const dl = m.results.find((r) => r.method === 'deeplift');
  assert.ok(Math.abs(dl.delta) < COMPLETENESS_TOL, `DeepLIFT residual ${dl.delta}`);
  assert.equal(m.results.find((r) => r.method === 'occlusion').delta, null);
  await page.screenshot({ path: 'test-results/attr-images.png' });

  // Another sample: the maps follow it.
  const sample = m.sample;
  await click(page, 'Next sample');
  m = (await until(page, (a) => a.maps.sample === sample + 1 && mapsReady(a.maps, 4), 'the maps of the next sample')).maps;

  // Live: training moves the model, the maps are recomputed for a later step.
  const before = m.step;
  await click(page, 'Play');
  // (While training, live runs follow each other, so a result may already be marked for its next update.)
  await until(page, (a) => a.maps.results.length === 4 &&
    a.maps.results.every((r) => r.step > before && r.error === '' && r.finite), 'a live update while training', 90000);
  await click(page, 'Pause');
  await until(page, (a, c) => !c.playing && idle(c), 'the pause');

  // A method's parameters are edited from its schema; a heavy setting shows progress and cancels.
  await click(page, 'Methods…');
  await click(page, 'Shapley Value Sampling');  // the checkbox in the registry list: adds it
  await click(page, 'Shapley Value Sampling');  // now the first one is its entry in the chosen list: opens it
  await typeInto(page, 'samples', '10000');     // 10 000 random orderings of ~50 pixel groups: half a million forwards
  await until(page, (a) => a.maps.methods.some((x) => x.method === 'shapley_sampling' && x.options.samples === 10000), 'samples = 10000');
  await page.screenshot({ path: 'test-results/attr-options.png' });
  await click(page, 'Done');
  await until(page, (a) => a.maps.state === 'running' && a.maps.inFlight > 0 && a.maps.progress > 0, 'the heavy run in progress', 60000);
  await click(page, 'Cancel', 'Views');
  m = (await until(page, (a) => a.maps.inFlight === 0, 'the cancelled run', 30000)).maps;
  assert.equal(m.state, 'cancelled');
  assert.equal(m.results.length, 5);
  await nextFrames(page, 3);
  await page.screenshot({ path: 'test-results/attr-cancelled.png' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the maps carry their colour key and the notes a reader needs (GradientSHAP on average, an empty Grad-CAM)', async () => {
  const { page, context, problems } = await openTrained(BLOCKS, 60, (c) => c.dataset === 'block_patterns' && c.snapshotVersion > 0,
    'the trained CNN');
  await hoverClick(page, 'Attributions');
  await until(page, (a) => mapsReady(a.maps, 2), 'the two default maps');
  await click(page, 'Methods…');
  await click(page, 'Grad-CAM');
  await click(page, 'GradientSHAP');
  await click(page, 'Done');
  const m = (await until(page, (a) => mapsReady(a.maps, 4), 'four maps')).maps;
  const note = (method) => m.results.find((r) => r.method === method).note;
  assert.equal(note('saliency'), '');
  assert.equal(note('integrated_gradients'), '');
  assert.match(note('gradient_shap'), /only on average/);
  const gc = m.results.find((r) => r.method === 'grad_cam');
  const positive = gc.values.some((v) => v > 0);
  assert.equal(gc.note === '', positive, `Grad-CAM's note (${gc.note || 'none'}) says whether the map has anything positive`);
  if (!positive) assert.match(gc.note, /global average pooling/);
  await page.screenshot({ path: 'test-results/attr-notes.png' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the arena scores the methods in a sortable table; a heavy run can be cancelled', async () => {
  const { page, context, problems } = await openTrained(BLOCKS, 150, (c) => c.dataset === 'block_patterns' && c.snapshotVersion > 0,
    'the trained CNN');
  await hoverClick(page, 'Arena');
  let a = (await until(page, (x) => x.arena.visible, 'the arena tab')).arena;
  assert.equal(a.methods.length, 12, 'the default set');
  assert.ok(a.methods.some((x) => x.method === 'lrp' && x.options.composite === 'epsilon_plus'));
  assert.ok(a.methods.some((x) => x.method === 'saliency' && x.options.noise === 'smoothgrad'));

  await typeInto(page, 'Samples', '2', 'Views');
  await until(page, (x) => x.arena.count === 2, 'two samples');
  await click(page, 'Run arena');
  a = (await until(page, (x) => x.arena.state !== 'running' && x.arena.state !== 'idle', 'the arena report', 300000)).arena;
  assert.equal(a.state, 'done', a.error);
  assert.equal(a.samples, 2);
  assert.equal(a.rows.length, 12);
  assert.equal(a.agreementSize, 12);
  const ok = a.rows.filter((r) => r.error === '');
  assert.ok(ok.length >= 10, `rows without an error: ${ok.map((r) => r.label)}; errors: ${a.rows.filter((r) => r.error).map((r) => `${r.label}: ${r.error}`)}`);
  for (const r of ok) {
    for (const k of ['ms', 'deletionAuc', 'insertionAuc', 'gini']) assert.ok(Number.isFinite(r[k]), `${r.label}.${k} = ${r[k]}`);
    assert.ok(Number.isFinite(r.mass), `${r.label}: block_patterns has masks, so mass is a number`);
  }
  await page.mouse.move(5, 795);  // no tooltip over the table
  await nextFrames(page, 3);
  await page.screenshot({ path: 'test-results/attr-arena.png' });
  const run = await item(page, 'Run arena');  // scroll the report (under it) down to the curves and the agreement matrix
  const canvas = await page.locator('#canvas').boundingBox();
  await page.mouse.move(canvas.x + run.x + 20, canvas.y + run.y + run.h + 40);
  for (let i = 0; i < 6; ++i) { await page.mouse.wheel(0, 120); await nextFrames(page, 1); }
  await nextFrames(page, 3);
  await page.screenshot({ path: 'test-results/attr-arena-curves.png' });
  for (let i = 0; i < 8; ++i) { await page.mouse.wheel(0, 120); await nextFrames(page, 1); }
  await nextFrames(page, 3);
  await page.screenshot({ path: 'test-results/attr-arena-agreement.png' });
  for (let i = 0; i < 20; ++i) { await page.mouse.wheel(0, -120); await nextFrames(page, 1); }
  await page.mouse.move(5, 795);
  await nextFrames(page, 2);

  // Sorting by a column header (the first score columns are in view; the others scroll in).
  await hoverClick(page, 'ms/input');
  a = (await until(page, (x) => x.arena.sort.column === 'ms', 'sorted by time')).arena;
  const ms = a.rows.map((r) => r.ms).filter((v) => v !== null);
  assert.deepEqual(ms, [...ms].sort((p, q) => (a.sort.ascending ? p - q : q - p)), `rows in time order (${a.sort.ascending ? 'ascending' : 'descending'})`);
  await hoverClick(page, 'ms/input');
  a = (await until(page, (x) => x.arena.sort.column === 'ms' && !x.arena.sort.ascending, 'sorted by time, descending')).arena;
  assert.ok(a.rows[0].ms >= a.rows.at(-1).ms);

  // A heavy run (many samples, label randomisation) cancels.
  await typeInto(page, 'Samples', '200', 'Views');
  await click(page, 'Label randomisation');
  await until(page, (x) => x.arena.count === 200 && x.arena.labelRandomisation, 'a heavy configuration');
  await click(page, 'Run arena');
  await until(page, (x) => x.arena.state === 'running', 'the heavy run');
  await page.waitForTimeout(1500);
  await click(page, 'Cancel', 'Views');
  a = (await until(page, (x) => x.arena.state !== 'running', 'the cancellation', 60000)).arena;
  assert.equal(a.state, 'cancelled');
  assert.equal(a.rows.length, 12, 'the last report stays');
  assert.deepEqual(problems, []);
  await context.close();
});

test('2-D data: picking a point on the plane re-attributes it; the surface is still the first tab', async () => {
  const { page, context, problems } = await openTrained(CIRCLE, 300, (c) => c.dataset === 'circle' && c.plane,
    'the trained circle classifier');
  await item(page, 'decision_surface', 'Views');  // the Surface tab is open first

  await hoverClick(page, 'Attributions');
  let m = (await until(page, (a) => mapsReady(a.maps, 2) && a.maps.picked, 'the plane maps')).maps;
  for (const r of m.results) {
    assert.deepEqual(r.shape, [2], 'one attribution per input feature');
    assert.equal(r.mapSize, 2 * (24 * 24 + 1), 'the 24×24 grid and the picked point, in one batch');
    assert.equal(r.values.length, 2);
  }
  const first = m.picked;
  const runs = m.runsDone;

  // Click the upper right of the small plane: a new point, new maps.
  const r = await item(page, 'attr pick point');
  const box = await page.locator('#canvas').boundingBox();
  await page.mouse.click(box.x + r.x + r.w * 0.72, box.y + r.y + r.h * 0.3);
  m = (await until(page, (a) => a.maps.runsDone > runs && mapsReady(a.maps, 2) &&
    (a.maps.picked[0] !== first[0] || a.maps.picked[1] !== first[1]), 'the maps of the picked point')).maps;
  assert.ok(m.picked[0] > 0 && m.picked[1] > 0, `picked ${m.picked} in the upper right`);
  assert.ok(m.planeTarget === 0 || m.planeTarget === 1, 'the grid explains the class predicted at the picked point');
  assert.ok(m.results.every((x) => x.target === m.planeTarget));
  const ig = m.results.find((x) => x.method === 'integrated_gradients');
  assert.ok(Math.abs(ig.delta) < COMPLETENESS_TOL, `IG residual ${ig.delta} at the picked point`);

  // The feature shown on the plane maps.
  await click(page, 'Feature');
  const combo = await page.evaluate(() => window.lab.ui.items().find((i) => i.label === 'x2' && i.window.startsWith('##Combo')));
  assert.ok(combo, 'the Feature combo lists x2');
  await click(page, 'x2', combo.window);
  await until(page, (a) => a.maps.feature === 1, 'feature x2');
  await nextFrames(page, 3);
  await page.screenshot({ path: 'test-results/attr-plane.png' });

  await hoverClick(page, 'Surface');
  await item(page, 'decision_surface', 'Views');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a map enlarges on a click; the global-average-pooling preset gives Grad-CAM something to show; filters in a grid', async () => {
  const { page, context, problems } = await openTrained(BLOCKS, 60, (c) => c.dataset === 'block_patterns' && c.snapshotVersion > 0,
    'the trained CNN');
  // The Filters tab lays the first layer's filters (one input channel each) out in a row, not a tall column.
  await hoverClick(page, 'Filters');
  await nextFrames(page, 3);
  const filters = await item(page, 'layer 0 filters');
  assert.ok(filters.w > filters.h * 2, `the four 3×3 filters side by side: ${filters.w}×${filters.h} px`);
  await page.screenshot({ path: 'test-results/filters-grid.png' });
  await hoverClick(page, 'Attributions');
  await until(page, (a) => mapsReady(a.maps, 2), 'the two default maps');
  const small = await item(page, 'attr map 1');
  await click(page, 'attr map 1');
  await until(page, (a) => a.maps.enlarged === 1, 'the second map enlarged');
  await nextFrames(page, 2);
  const big = await item(page, 'attr map 1');
  assert.ok(big.w > small.w * 1.5, `enlarged: ${small.w} → ${big.w} px`);
  await page.screenshot({ path: 'test-results/attr-enlarged.png' });
  await click(page, 'Back to all maps');
  await until(page, (a) => a.maps.enlarged === -1, 'the grid again');

  // Network → Preset… → global average pooling: an avgpool over the whole 7×7 map before the output layer.
  await click(page, 'Preset…');
  await click(page, 'Small CNN with global average pooling');
  const c = await waitFor(page, (p) => p.evaluate(() => window.lab.ui.state().controller), (x) => idle(x) &&
    x.spec.model.layers.some((l) => l.type === 'avgpool2d'), 'the preset');
  const layers = c.spec.model.layers.map((l) => l.type);
  assert.deepEqual(layers, ['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'avgpool2d', 'flatten', 'dense']);
  assert.equal(c.spec.model.layers[4].size, 7);
  await page.evaluate(async () => { await window.lab.train(150); });
  await click(page, 'Methods…');
  await click(page, 'Grad-CAM');
  await click(page, 'Done');
  const m = (await until(page, (a) => mapsReady(a.maps, 3) && a.maps.results.some((r) => r.method === 'grad_cam'), 'Grad-CAM on the GAP CNN')).maps;
  const gc = m.results.find((r) => r.method === 'grad_cam');
  assert.ok(gc.values.some((v) => v > 0), 'Grad-CAM has positive evidence on a GAP network');
  assert.equal(gc.note, '');
  assert.deepEqual(problems, []);
  await context.close();
});
