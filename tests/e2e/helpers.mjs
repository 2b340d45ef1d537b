// Shared helpers for the browser end-to-end tests: Debian's Chromium driven by playwright-core.
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

import { startServer } from '../../web/serve.mjs';

// The site the tests serve: dist/ (scripts/build.sh), or another assembled site dir (NEURONLAB_DIST=/path).
export const DIST = process.env.NEURONLAB_DIST || fileURLToPath(new URL('../../dist', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Software WebGL (deterministic, no GPU needed); no background connections on a closed network.
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export const serve = (coi) => startServer({ root: DIST, port: 0, coi });

// Console messages that are noise, not faults (SwiftShader read-backs during screenshots).
const NOISE = [/GPU stall due to ReadPixels/, /GL Driver Message/];

// Pages open as a returning visitor's (the first-run tour seen), unless firstVisit: true.
export async function openPage(browser, url, { contextOptions = {}, viewport = { width: 1100, height: 700 }, init, firstVisit = false } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, ...contextOptions });
  const page = await context.newPage();
  if (!firstVisit) await page.addInitScript(() => { try { localStorage.setItem('neuronlab.toured', '1'); } catch { /* no storage */ } });
  const problems = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !NOISE.some((re) => re.test(m.text()))) problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { context, page, problems };
}

// Waits until the lab is up and has drawn a few frames (or reported an error).
export async function waitForLab(page, frames = 3) {
  await page.waitForFunction((n) => window.labError || (window.lab && window.lab.ui.state().frame > n), frames, { timeout: 30000 });
  return page.evaluate(() => (window.labError ? { error: window.labError } : window.lab.ui.state()));
}

export async function waitForMessage(page) {
  await page.waitForFunction(() => window.labError, null, { timeout: 30000 });
  return page.evaluate(() => ({ ...window.labError, text: document.getElementById('message').innerText,
    visible: !document.getElementById('message').hidden }));
}

// An ImGui widget by its label (the first one, or the one in `window`).
export async function item(page, label, window) {
  const found = await page.evaluate(([l, w]) => window.lab.ui.items().find((i) => i.label === l && (!w || i.window === w)), [label, window]);
  if (!found) {
    const labels = await page.evaluate(() => window.lab.ui.items().map((i) => i.label).filter(Boolean));
    throw new Error(`no widget labelled "${label}" on screen; labels: ${labels.join(', ')}`);
  }
  return found;
}

export async function click(page, label, window) {
  const r = await item(page, label, window);
  const box = await page.locator('#canvas').boundingBox();
  await page.mouse.click(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
  await nextFrames(page, 2);
}

// Clicks the field labelled `label`, replaces its text with `text` and presses Enter.
export async function typeInto(page, label, text, window) {
  await click(page, label, window);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await nextFrames(page, 2);
}

// Tab items and table headers (ImGui's overlap-allowing widgets) take a press only when the mouse was over
// them on the previous frame: hover first, then press and release on later frames.
export async function hoverClick(page, label, window) {
  const r = await item(page, label, window);
  const box = await page.locator('#canvas').boundingBox();
  await page.mouse.move(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
  await nextFrames(page, 2);
  await page.mouse.down();
  await nextFrames(page, 1);
  await page.mouse.up();
  await nextFrames(page, 2);
}

// Reads read(page) every 100 ms until pred(value) holds, and returns that value. Past `timeout` ms it throws,
// naming `what` and showing show(value) of the last read.
export async function waitFor(page, read, pred, what, { timeout = 60000, show = (v) => JSON.stringify(v) } = {}) {
  const t0 = Date.now();
  for (;;) {
    const v = await read(page);
    if (pred(v)) return v;
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}; ${show(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function nextFrames(page, n = 2) {
  const start = await page.evaluate(() => window.lab.ui.state().frame);
  await page.waitForFunction(([s, k]) => window.lab.ui.state().frame >= s + k, [start, n]);
}

// The RGB of a screenshot pixel (decoded in the page: WebGL canvases cannot be read back from JS).
export async function pixel(page, x, y) {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(async ([b64, px, py]) => {
    // Decoded here, not fetched from a data: URL: the page's CSP allows connections to its own origin only.
    const blob = new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], { type: 'image/png' });
    const bmp = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    return Array.from(g.getImageData(px, py, 1, 1).data.slice(0, 3));
  }, [png, x, y]);
}

// Opens the Diagnostics panel (hidden by default) from the View menu.
export async function showDiagnostics(page) {
  if ((await page.evaluate(() => window.lab.ui.state().show_diagnostics))) return;
  await click(page, 'View');
  await click(page, 'Diagnostics');
  await page.waitForFunction(() => window.lab.ui.state().show_diagnostics);
  await nextFrames(page, 2);
}

// One server (with the cross-origin isolation headers, or without) and one browser for a test file, closed
// after it: const lab = useBrowser(); … openPage(lab.browser, lab.srv.url).
export function useBrowser(coi = true) {
  const s = {};
  before(async () => {
    s.srv = await serve(coi);
    s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    await s.srv?.close();
  });
  return s;
}

// The UI controller's state (lab.ui.state().controller), and waiting on it.
export const controller = (page) => page.evaluate(() => window.lab.ui.state().controller);
export const idle = (c) => !c.busy && !c.progress;
export const untilController = (page, pred, what, timeout = 60000) =>
  waitFor(page, controller, pred, what, { timeout, show: (c) => JSON.stringify({ ...c, spec: undefined }) });
