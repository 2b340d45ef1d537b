// A layout that fits (issue 14, point 1): at 1280×800 the learning curves show, tall enough to read,
// without scrolling; the gutters between panels resize them, a panel collapses and maximises (Escape
// restores), and the layout is remembered for the next visit; the curves take a log step axis and a zoom
// to the recent part of the run; medium screens (800×600, 150 % scale) get two columns with Data and
// Network as tabs, narrow ones (a phone) one panel at a time. Screenshots in test-results/layout-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

import { click, hoverClick, idle, item, nextFrames, openPage, untilController, useBrowser, waitFor, waitForLab } from './helpers.mjs';

const session = useBrowser();
mkdirSync('test-results', { recursive: true });

const layout = (page) => page.evaluate(() => window.lab.ui.state().layout);
const windowsByName = async (page) => Object.fromEntries((await page.evaluate(() => window.lab.ui.state().windows)).map((w) => [w.name, w]));

async function ready(page) {
  await waitForLab(page, 3);
  await untilController(page, (c) => idle(c) && c.snapshotVersion > 0, 'the first experiment');
  await nextFrames(page, 3);
}

// The chart's rectangle must lie on screen, inside the Training panel, and be at least `minH` pixels tall.
async function chartOnScreen(page, label, minH) {
  const r = await item(page, label, 'Training');
  const st = await page.evaluate(() => window.lab.ui.state());
  const t = st.layout.panels.Training;
  assert.ok(r.y >= t.y && r.y + r.h <= t.y + t.h + 1, `${label} lies inside the Training panel: ${JSON.stringify(r)} in ${JSON.stringify(t)}`);
  assert.ok(r.y + r.h <= st.display_h, `${label} is above the bottom of the screen`);
  assert.ok(r.h >= minH, `${label} is ${r.h} px tall (at least ${minH})`);
  return r;
}

async function drag(page, from, to) {
  const box = await page.locator('#canvas').boundingBox();
  await page.mouse.move(box.x + from[0], box.y + from[1]);
  await nextFrames(page, 2);
  await page.mouse.down();
  await nextFrames(page, 2);
  await page.mouse.move(box.x + to[0], box.y + to[1], { steps: 4 });
  await nextFrames(page, 2);
  await page.mouse.up();
  await nextFrames(page, 2);
}

test('1280×800: the curves show without scrolling; gutters resize, panels collapse and maximise, and it is remembered', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  let l = await layout(page);
  assert.equal(l.columns, 3);
  for (const p of ['Data', 'Network', 'Training', 'Views']) assert.ok(l.panels[p].visible, `${p} is shown`);
  const loss = await chartOnScreen(page, 'loss_chart', 120);
  const acc = await chartOnScreen(page, 'accuracy_chart', 120);
  assert.equal(loss.y, acc.y, 'side by side');
  await page.screenshot({ path: 'test-results/layout-1280x800.png' });

  // The gutter between Data and Network, dragged 150 px to the right: Data wider, Network's right edge stays.
  const g = l.gutters.find((x) => x.split === 'dataWidth');
  const netRight = l.panels.Network.x + l.panels.Network.w;
  await drag(page, [g.x + g.w / 2, g.y + 200], [g.x + g.w / 2 + 150, g.y + 200]);
  l = await layout(page);
  assert.ok(Math.abs(l.panels.Data.w - (g.x - l.panels.Data.x) - 150) <= 3, `Data is 150 px wider: ${l.panels.Data.w}`);
  assert.ok(Math.abs(l.panels.Network.x + l.panels.Network.w - netRight) <= 3, 'Network keeps its right edge');
  // Training / Views: dragged up, Views taller.
  const h = l.gutters.find((x) => x.split === 'trainingHeight');
  const viewsH = l.panels.Views.h;
  await drag(page, [h.x + h.w / 2, h.y + h.h / 2], [h.x + h.w / 2, h.y + h.h / 2 - 80]);
  l = await layout(page);
  assert.ok(Math.abs(l.panels.Views.h - viewsH - 80) <= 3, `Views 80 px taller: ${viewsH} → ${l.panels.Views.h}`);

  // Collapse Training (a double click on its title bar): Views takes the room.
  const train = l.panels.Training;
  const box = await page.locator('#canvas').boundingBox();
  await page.mouse.move(box.x + train.x + train.w * 0.4, box.y + train.y + 8);
  await nextFrames(page, 2);
  await page.mouse.dblclick(box.x + train.x + train.w * 0.4, box.y + train.y + 8);
  await nextFrames(page, 3);
  l = await layout(page);
  assert.deepEqual(l.collapsed, ['Training']);
  assert.ok(l.panels.Views.h > viewsH + 150, 'Views grew into the room Training left');
  await page.screenshot({ path: 'test-results/layout-collapsed.png' });

  // Maximise Views (its title bar button), Escape restores.
  await click(page, 'Maximise Views');
  await nextFrames(page, 2);
  l = await layout(page);
  assert.equal(l.maximised, 'Views');
  assert.equal(l.panels.Views.w, 1280);
  assert.equal(l.panels.Data.visible, false);
  await page.screenshot({ path: 'test-results/layout-maximised.png' });
  await page.keyboard.press('Escape');
  await nextFrames(page, 3);
  l = await layout(page);
  assert.equal(l.maximised, null);
  assert.ok(l.panels.Data.visible);

  // Remembered: a reload comes back with the same widths and the collapsed panel.
  const before = await layout(page);
  await page.reload();
  await ready(page);
  l = await layout(page);
  assert.deepEqual(l.collapsed, ['Training']);
  assert.ok(Math.abs(l.dataWidth - before.dataWidth) < 1e-6 && Math.abs(l.trainingHeight - before.trainingHeight) < 1e-6, 'same widths');
  // View → Layout → Reset the layout.
  await click(page, 'View');
  await click(page, 'Layout');
  await click(page, 'Reset the layout');
  l = await layout(page);
  assert.deepEqual(l.collapsed, []);
  assert.equal(l.dataWidth, 0.21);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the curves: a log step axis and the recent part of the run; maximised, they fill the screen', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  await page.evaluate(() => window.lab.ui.layout({ maximised: 'Training' }));
  await nextFrames(page, 2);
  await click(page, 'Play');
  await untilController(page, (c) => c.step > 1500 && c.curvePoints > 20, 'a run with some history');
  await click(page, 'Pause');
  const big = await chartOnScreen(page, 'loss_chart', 400);
  assert.ok(big.w > 500, 'wide too');
  await click(page, 'Log steps');
  await click(page, 'Recent');
  await nextFrames(page, 3);
  assert.deepEqual((await page.evaluate(() => window.lab.ui.state().controller.curveView)), { logLoss: false, logSteps: true, recent: true });
  await page.screenshot({ path: 'test-results/layout-curves.png' });
  // The describe text still reads the curves (the numbers moved into the legends, not away).
  assert.match(await page.evaluate(() => window.lab.ui.describe()), /loss/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('800×600 and 150 %: two columns with Data and Network as tabs; a phone: one panel at a time', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 800, height: 600 } });
  await ready(page);
  let l = await layout(page);
  assert.equal(l.columns, 2);
  assert.ok(l.panels.Data.visible && !l.panels.Network.visible && l.panels.Training.visible && l.panels.Views.visible);
  await page.screenshot({ path: 'test-results/layout-800x600.png' });
  await hoverClick(page, 'Network', '##panel_tabs');
  await waitFor(page, layout, (x) => x.panels.Network.visible, 'the Network tab');
  await page.screenshot({ path: 'test-results/layout-800x600-network.png' });
  await chartOnScreen(page, 'loss_chart', 60);

  await page.setViewportSize({ width: 1280, height: 800 });
  await click(page, 'View');
  await click(page, 'UI scale 150%');
  await nextFrames(page, 4);
  l = await layout(page);
  assert.equal(l.columns, 2, 'at 150 % a 1280 px screen is a medium one');
  await page.screenshot({ path: 'test-results/layout-1280x800-150.png' });

  await page.setViewportSize({ width: 390, height: 844 });
  await nextFrames(page, 4);
  l = await layout(page);
  assert.equal(l.columns, 1);
  assert.equal(Object.values(l.panels).filter((p) => p.visible).length, 1, 'one panel at a time');
  await hoverClick(page, 'Training', '##panel_tabs');
  await waitFor(page, layout, (x) => x.panels.Training.visible && x.panels.Training.w === 390, 'the Training tab, full width');
  await page.screenshot({ path: 'test-results/layout-390.png' });

  // The tour shows the panel it explains, switching tabs.
  await click(page, 'Help');
  await click(page, 'Tour of the lab');
  await waitFor(page, (p) => p.evaluate(() => window.lab.ui.state().tour), (t) => t.open, 'the tour');
  await nextFrames(page, 2);
  await click(page, 'Next');
  await waitFor(page, layout, (x) => x.panels.Data.visible, 'the tour on its Data page shows Data');
  await page.keyboard.press('Escape');

  // lab.ui.layout: a bad patch is a readable error and changes nothing.
  const err = await page.evaluate(() => { try { window.lab.ui.layout({ mode: 'four' }); return null; } catch (e) { return `${e.name}: ${e.message}`; } });
  assert.match(err, /^NeuronLabError: ui\.layout: layout\.mode must be "auto", "three", "two" or "one"/);
  const err2 = await page.evaluate(() => { try { window.lab.ui.layout({ dataWidth: 2 }); return null; } catch (e) { return e.message; } });
  assert.match(err2, /between 0\.05 and 0\.9/);
  assert.equal((await layout(page)).mode, 'auto');
  assert.equal((await page.evaluate(() => window.lab.ui.layout({ mode: 'three' }))).columns, 3);
  assert.deepEqual(problems, []);
  await context.close();
});

test('1920×1080: three columns, every panel readable', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1920, height: 1080 } });
  await ready(page);
  const l = await layout(page);
  assert.equal(l.columns, 3);
  await chartOnScreen(page, 'loss_chart', 150);
  const w = await windowsByName(page);
  for (const p of ['Data', 'Network', 'Training', 'Views']) assert.ok(w[p], `${p} drawn`);
  await page.screenshot({ path: 'test-results/layout-1920x1080.png' });
  assert.deepEqual(problems, []);
  await context.close();
});

// Every labelled widget of a panel lies inside it, left to right (a panel scrolls down, never sideways: a
// widget past its right edge is a label cut off).
async function cutOff(page) {
  return page.evaluate(() => {
    const st = window.lab.ui.state();
    const wins = Object.fromEntries(st.windows.map((w) => [w.name, w]));
    const out = [];
    for (const it of window.lab.ui.items()) {
      const root = it.window.split('/')[0];
      const w = wins[root];
      if (!w || !['Data', 'Network', 'Training', 'Views', '##panel_tabs'].includes(root) || !it.label) continue;
      if (it.y > w.y + w.h || it.y + it.h < w.y) continue;  // scrolled out of view (down)
      if (it.x + it.w > w.x + w.w + 1 || it.x < w.x - 1) out.push(`${root}: "${it.label}" ${Math.round(it.x)}+${Math.round(it.w)} > ${Math.round(w.x + w.w)}`);
    }
    return out;
  });
}

test('no label cut off: 1280×800, 1366×768, 1920×1080 and 800×600, at 100 % and 150 %, 2-D and image data', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  const found = [];
  for (const scale of ['100%', '150%']) {
    if (scale === '150%') {
      await click(page, 'View');
      await click(page, 'UI scale 150%');
    }
    for (const data of ['2-D', 'image']) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.evaluate(() => window.lab.ui.layout({ tab: 'Data' }));
      await nextFrames(page, 3);
      if (data === 'image') {
        await page.evaluate(() => window.lab.load({ data: { name: 'block_patterns', n: 200, classes: 4 },
          model: { layers: [{ type: 'conv2d', filters: 4, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 4 }] } }));
        await untilController(page, (c) => idle(c) && c.dataset === 'block_patterns' && c.snapshotVersion > 0, 'the image data');
      } else if (scale === '150%') {
        await click(page, 'Spiral (2 arms)');
        await untilController(page, (c) => idle(c) && c.dataset === 'spiral' && c.snapshotVersion > 0, 'the spiral');
      }
      for (const [w, h] of [[1280, 800], [1366, 768], [1920, 1080], [800, 600]]) {
        await page.setViewportSize({ width: w, height: h });
        await nextFrames(page, 4);
        for (const tab of (await layout(page)).columns === 3 ? [null] : ['Data', 'Network']) {
          if (tab) {
            await page.evaluate((t) => window.lab.ui.layout({ tab: t }), tab);
            await nextFrames(page, 3);
          }
          for (const x of await cutOff(page)) found.push(`${w}×${h} ${scale} ${data}: ${x}`);
        }
        if (w === 800 && data === 'image') await page.screenshot({ path: `test-results/layout-800x600-${scale.replace('%', '')}-image.png` });
      }
    }
  }
  assert.deepEqual(found, []);
  assert.deepEqual(problems, []);
  await context.close();
});
