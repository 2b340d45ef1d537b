// Accessibility audit, kept as tests: every panel reached and operated with the keyboard alone (focus
// visible), "Describe this view" reads out the numbers behind the plots, every theme's text and focus
// colours meet WCAG AA contrast, and the data palettes stay distinguishable under simulated colour-blindness.
// The colour arithmetic is tests/e2e/colour.mjs, written from the definitions, not from the app's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { DEFICIENCIES, contrast, deltaE, hex, lab, over, simulate } from './colour.mjs';
import { click, controller, hoverClick, idle, nextFrames, openPage, untilController, useBrowser, waitForLab } from './helpers.mjs';

const VIEW = { width: 1280, height: 800 };
const session = useBrowser();

const state = (page) => page.evaluate(() => window.lab.ui.state());

// The label of the widget that has keyboard focus (ImGui's nav id → the item with that id), and its window.
async function focused(page) {
  return page.evaluate(() => {
    const a = window.lab.ui.state().a11y;
    const it = window.lab.ui.items().find((i) => i.id === a.nav.id);
    return { label: it ? it.label : null, window: a.nav.window, visible: a.nav.visible };
  });
}

// Ctrl held, Tab pressed `k` times: ImGui's window switcher moves k windows down its focus order.
async function ctrlTab(page, k) {
  await page.keyboard.down('Control');
  for (let i = 0; i < k; ++i) {
    await page.keyboard.press('Tab');
    await nextFrames(page, 2);
  }
  await page.keyboard.up('Control');
  await nextFrames(page, 2);
}

// Focuses panel `name` with Ctrl+Tab, then tabs through it until every label of `want` had the focus (or
// the focus came round again); returns the labels that took the focus.
async function tabThrough(page, name, want = []) {
  for (let k = 1; k <= 8 && (await focused(page)).window !== name; ++k) await ctrlTab(page, k);
  assert.equal((await focused(page)).window, name, `Ctrl+Tab reaches the ${name} panel`);
  const seen = new Set();
  let first = null;
  for (let i = 0; i < 80 && !want.every((l) => seen.has(l)); ++i) {
    await page.keyboard.press('Tab');
    await nextFrames(page, 1);
    const f = await focused(page);
    if (f.window !== name || (f.label && f.label === first)) break;
    if (f.label) seen.add(f.label);
    first ??= f.label;
  }
  return seen;
}

// Tabs within the focused panel until `label` has the focus.
async function focusOn(page, label, max = 120) {
  for (let i = 0; i < max; ++i) {
    if ((await focused(page)).label === label) return;
    await page.keyboard.press('Tab');
    await nextFrames(page, 1);
  }
  throw new Error(`Tab never reached "${label}"`);
}

test('every panel is reached and operated with the keyboard alone; the focus is visible', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  await untilController(page, (c) => idle(c) && c.snapshotVersion > 0, 'the first experiment');
  const expect = { Data: ['Spiral (2 arms)', 'Circle'], Network: ['+ neuron'], Training: ['Play', 'Reset', 'Step epoch'], Views: ['Surface', 'Attributions'] };
  for (const [panel, labels] of Object.entries(expect)) {
    const seen = await tabThrough(page, panel, labels);
    for (const l of labels) assert.ok(seen.has(l), `${panel}: Tab reaches "${l}" (reached: ${[...seen].join(', ')})`);
    const f = await focused(page);
    assert.ok(f.visible || f.window !== panel, `${panel}: the focus is drawn`);
  }
  // Operate: choose a dataset, then train and pause with the focused button.
  await tabThrough(page, 'Data', ['Dataset']);
  await focusOn(page, 'Spiral (2 arms)');
  await page.keyboard.press('Space');
  await untilController(page, (c) => c.dataset === 'spiral' && idle(c), 'spiral chosen with the keyboard');
  await tabThrough(page, 'Training', ['Play']);
  await focusOn(page, 'Play');
  assert.ok((await focused(page)).visible, 'the focused Play button is highlighted');
  await page.keyboard.press('Space');
  await untilController(page, (c) => c.playing && c.step > 0, 'training started with the keyboard');
  await focusOn(page, 'Pause');
  await page.keyboard.press('Space');
  await untilController(page, (c) => !c.playing && idle(c), 'paused with the keyboard');
  // Shortcuts: Escape leaves the controls; then P plays and pauses, the key list opens with ?.
  await page.keyboard.press('Escape');
  await nextFrames(page, 2);
  await page.keyboard.press('p');
  await untilController(page, (c) => c.playing, 'P plays');
  await page.keyboard.press('p');
  await untilController(page, (c) => !c.playing && idle(c), 'P pauses');
  await page.keyboard.press('Shift+Slash');
  await nextFrames(page, 3);
  const labels = await page.evaluate(() => window.lab.ui.items().map((i) => i.window));
  assert.ok(labels.includes('Keyboard shortcuts'), 'the ? key opens the list of keys');
  await page.screenshot({ path: 'test-results/a11y-keyboard.png' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Describe this view" reads out the numbers behind the plots, in the live region too', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  await click(page, 'Exclusive or');
  await untilController(page, (c) => c.dataset === 'xor' && idle(c), 'xor');
  await click(page, 'Step epoch');
  const c = await untilController(page, (x) => idle(x) && x.step > 0 && x.testAccuracy !== null, 'an epoch');
  await page.keyboard.press('d');
  await nextFrames(page, 3);
  const text = await page.evaluate(() => window.lab.ui.describe());
  assert.match(text, /Data: xor, a classification with 2 classes/);
  assert.match(text, new RegExp(`Step ${c.step}, epoch ${c.epoch}`));
  assert.ok(text.includes(`test ${(c.testAccuracy * 100).toFixed(1)}%`), `the test accuracy in: ${text}`);
  assert.match(text, /Decision surface over x1 from -?\d/);
  assert.match(text, /covers \d+(\.\d)?% of the plane/);
  const live = await page.evaluate(() => document.getElementById('live').textContent);
  assert.equal(live, text, 'the live region says it');
  const a = (await state(page)).a11y;
  assert.equal(a.description, text, 'the Description window shows it');
  await click(page, 'Close', 'Description');
  // An image dataset: the confusion matrix, described cell by cell.
  await click(page, 'Dataset');
  await click(page, 'MNIST digits');
  await untilController(page, (x) => x.dataset === 'mnist' && idle(x) && x.snapshotVersion > 0 && x.confusionTotal > 0, 'MNIST', 90000);
  await hoverClick(page, 'Confusion');
  const t2 = await page.evaluate(() => window.lab.ui.describe());
  assert.match(t2, /View: Confusion\. Confusion matrix of the test set/);
  assert.match(t2, /Per-class accuracy: 0 \d|Per-class accuracy: class 0 \d/);
  assert.deepEqual(problems, []);
  await context.close();
});

// Text (4.5:1) and focus / state indicators (3:1) in the current theme.
function themeFailures(a) {
  const C = a.colors;
  const page = a.page.slice(0, 3);
  const win = over(C.WindowBg, page);
  const fails = [];
  const need = (what, fg, bg, ratio) => {
    const r = contrast(fg, bg);
    if (r < ratio) fails.push(`${what}: ${r.toFixed(2)} < ${ratio} (${hex(fg)} on ${hex(bg)})`);
  };
  for (const s of ['WindowBg', 'PopupBg', 'FrameBg', 'FrameBgHovered', 'MenuBarBg', 'TitleBgActive', 'Button', 'ButtonHovered', 'ButtonActive',
    'Header', 'HeaderHovered', 'HeaderActive', 'Tab', 'TabHovered', 'TabActive', 'TableHeaderBg']) {
    need(`Text on ${s}`, C.Text, s === 'WindowBg' ? win : over(C[s], win), 4.5);
  }
  for (const s of ['WindowBg', 'PopupBg']) need(`TextDisabled (hints) on ${s}`, C.TextDisabled, s === 'WindowBg' ? win : over(C[s], win), 4.5);
  for (const [k, v] of Object.entries(a.tones)) need(`${k} text on WindowBg`, v, win, 4.5);
  need('focus highlight on WindowBg', over(C.NavHighlight, win), win, 3);
  const frame = over(C.FrameBg, win);
  need('check mark on FrameBg', over(C.CheckMark, frame), frame, 3);
  need('slider grab on FrameBg', over(C.SliderGrab, frame), frame, 3);
  return fails;
}

test('every theme meets WCAG AA contrast; the palettes survive simulated colour-blindness', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  const dark = (await state(page)).a11y;
  assert.equal((await state(page)).theme, 'dark');
  await click(page, 'View');
  await click(page, 'Light theme');
  await nextFrames(page, 3);
  assert.equal((await state(page)).theme, 'light');
  const light = (await state(page)).a11y;
  await page.screenshot({ path: 'test-results/a11y-light.png' });
  assert.deepEqual(themeFailures(dark), [], 'dark theme');
  assert.deepEqual(themeFailures(light), [], 'light theme');
  // The page around the canvas (its messages).
  const css = await page.evaluate(() => {
    const parse = (s) => s.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255);
    const el = document.getElementById('notice');
    el.hidden = false;
    const out = { notice: [parse(getComputedStyle(el).color), parse(getComputedStyle(el).backgroundColor)] };
    el.hidden = true;
    const body = getComputedStyle(document.body);
    out.body = [parse(body.color), parse(body.backgroundColor)];
    out.loading = [parse(getComputedStyle(document.getElementById('loading')).color), parse(body.backgroundColor)];
    return out;
  });
  for (const [k, [fg, bg]] of Object.entries(css)) assert.ok(contrast(fg, bg) >= 4.5, `page ${k}: ${contrast(fg, bg).toFixed(2)}`);

  // Class colours: the first 10 (the most classes a built-in dataset has) at least 15 ΔE*ab apart, with normal
  // vision and each simulated deficiency (Machado et al. 2009, severity 1).
  const classes = dark.palette.slice(0, 10);
  for (const d of [null, ...DEFICIENCIES]) {
    const seen = classes.map((c) => (d ? simulate(c, d) : c.slice(0, 3)));
    let min = Infinity, pair;
    for (let i = 0; i < seen.length; ++i) for (let j = i + 1; j < seen.length; ++j) {
      const e = deltaE(seen[i], seen[j]);
      if (e < min) { min = e; pair = [i, j]; }
    }
    assert.ok(min >= 15, `${d ?? 'normal vision'}: classes ${pair} are only ΔE ${min.toFixed(1)} apart`);
  }
  // Diverging map (signed values): its two ends stay apart and apart from the neutral middle.
  for (const d of [null, ...DEFICIENCIES]) {
    const s = dark.diverging.map((c) => (d ? simulate(c, d) : c.slice(0, 3)));
    assert.ok(deltaE(s[0], s[4]) >= 30, `${d}: diverging ends ΔE ${deltaE(s[0], s[4]).toFixed(1)}`);
    assert.ok(deltaE(s[1], s[2]) >= 10 && deltaE(s[3], s[2]) >= 10, `${d}: half-strength values apart from 0`);
  }
  // Sequential map (magnitudes): lightness rises monotonically under every deficiency, so order is readable.
  for (const d of [null, ...DEFICIENCIES]) {
    const L = dark.sequential.map((c) => lab(d ? simulate(c, d) : c.slice(0, 3))[0]);
    for (let i = 1; i < L.length; ++i) assert.ok(L[i] > L[i - 1] + 5, `${d}: sequential lightness ${L.map((x) => x.toFixed(0))}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
