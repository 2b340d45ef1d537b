// The first minute (issue 14, point 3): a first visit opens a short tour of the four panels — each page
// beside the panel it explains, that panel outlined — ending on a "try this" suggestion; it can be skipped
// (Escape too), it does not come back on the next visit, and Help → Tour of the lab reopens it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

import { click, controller, idle, nextFrames, openPage, untilController, useBrowser, waitForLab } from './helpers.mjs';

const session = useBrowser();
mkdirSync('test-results', { recursive: true });
const VIEW = { width: 1280, height: 800 };

// The tour's window (its title changes page by page; ImGui keeps the first one as the window's name) and
// the page it shows.
const tourWindow = async (page) => (await page.evaluate(() => window.lab.ui.state().windows)).find((w) => w.name.endsWith('###Tour of the lab'));
const tour = (page) => page.evaluate(() => window.lab.ui.state().tour);

async function ready(page) {
  await waitForLab(page, 3);
  await untilController(page, (c) => idle(c) && c.snapshotVersion > 0, 'the first experiment');
  await nextFrames(page, 3);
}

test('a first visit gets the tour: four panels, then something to try; it does not come back', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: VIEW, firstVisit: true });
  await ready(page);
  let w = await tourWindow(page);
  assert.ok(w, 'the tour is open on a first visit');
  assert.deepEqual(await tour(page), { open: true, page: 1, pages: 6, title: 'Welcome to NeuronLab', panel: -1 });
  assert.ok(w.focused, 'it has the keyboard');
  await page.keyboard.press('Space');  // the lab's keys stay out of the tour
  await nextFrames(page, 3);
  assert.equal((await controller(page)).playing, false);
  const panels = await page.evaluate(() => window.lab.ui.state().windows.filter((x) => ['Data', 'Network', 'Training', 'Views'].includes(x.name)));
  for (const [i, name] of ['Data', 'Network', 'Training', 'Views'].entries()) {
    await click(page, 'Next', w.name);
    await nextFrames(page, 2);
    w = await tourWindow(page);
    const t = await tour(page);
    assert.equal(t.title, name);
    assert.equal(t.page, i + 2);
    const p = panels.find((x) => x.name === name);
    const beside = w.x >= p.x + p.w - 1 || w.x + w.w <= p.x + 1 || (w.x >= p.x && w.x + w.w <= p.x + p.w);
    assert.ok(beside && w.y >= p.y, `the ${name} page sits by its panel`);
    assert.ok(w.x >= 0 && w.x + w.w <= VIEW.width && w.y + w.h <= VIEW.height, `the ${name} page is on screen`);
    if (name === 'Data') await page.screenshot({ path: 'test-results/tour-data.png' });
  }
  await click(page, 'Next', w.name);
  w = await tourWindow(page);
  assert.equal((await tour(page)).title, 'Try this');
  await page.screenshot({ path: 'test-results/tour-try-this.png' });
  await click(page, 'Play now', w.name);
  await untilController(page, (c) => c.playing && c.step > 0, 'Play now plays');
  assert.equal(await tourWindow(page), undefined, 'the tour closed');
  assert.equal((await tour(page)).open, false);
  await page.keyboard.press('Space');
  await untilController(page, (c) => !c.playing && idle(c), 'paused');
  // The next visit: no tour. Help reopens it; Escape ends it.
  await page.reload();
  await ready(page);
  assert.equal(await tourWindow(page), undefined, 'no tour on the next visit');
  await click(page, 'Help');
  await click(page, 'Tour of the lab');
  await nextFrames(page, 2);
  assert.ok(await tourWindow(page), 'Help → Tour of the lab reopens it');
  await page.keyboard.press('Escape');
  await nextFrames(page, 3);
  assert.equal(await tourWindow(page), undefined, 'Escape ends it');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a shared link opens without the tour, even on a first visit', async () => {
  const { page, context, problems } = await openPage(session.browser, `${session.srv.url}#v=1&data=moons`, { viewport: VIEW, firstVisit: true });
  await ready(page);
  assert.equal((await controller(page)).dataset, 'moons');
  assert.equal(await tourWindow(page), undefined);
  assert.deepEqual(problems, []);
  await context.close();
});
