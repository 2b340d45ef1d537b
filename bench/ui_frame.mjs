// Where a frame of the page's UI goes, in headless Chromium: the page's own work (wasm UI + JS) against
// waiting for the GL driver (WebGL getParameter blocks until the GPU process has drawn the last frame).
// With software GL (SwiftShader, as on CI machines) the waiting dominates; on a hardware GPU the page's
// own work is what bounds the frame rate.
//   node bench/ui_frame.mjs [--train] [--dataset mnist] [--width 1280 --height 800] [--seconds 3]
import { launch, openPage, serve, waitForLab, click } from '../tests/e2e/helpers.mjs';

const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
const train = process.argv.includes('--train');
const seconds = Number(arg('seconds', 3));
const srv = await serve(true);
const browser = await launch();
const { page } = await openPage(browser, srv.url, { viewport: { width: Number(arg('width', 1280)), height: Number(arg('height', 800)) } });
await waitForLab(page, 3);
const dataset = arg('dataset', 'spiral');
if (dataset !== 'spiral') {
  await click(page, 'Dataset');
  const title = (await page.evaluate((n) => window.lab.registries().datasets.find((d) => d.name === n)?.title, dataset));
  await click(page, title);
  await page.waitForFunction((n) => { const c = window.lab.ui.state().controller; return c.dataset === n && !c.busy; }, dataset, { timeout: 60000 });
}
if (train) await click(page, 'Play');
await page.waitForTimeout(1500);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
const f0 = await page.evaluate(() => window.lab.ui.state().frame);
await cdp.send('Profiler.start');
await page.waitForTimeout(seconds * 1000);
const { profile } = await cdp.send('Profiler.stop');
const frames = (await page.evaluate(() => window.lab.ui.state().frame)) - f0;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let gl = 0, own = 0, idle = 0;
profile.samples.forEach((id, i) => {
  const name = byId.get(id).callFrame.functionName;
  const dt = (profile.timeDeltas[i] || 0) / 1000;
  if (name === 'getParameter' || name === 'readPixels') gl += dt;
  else if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') idle += dt;
  else own += dt;
});
const state = await page.evaluate(() => window.lab.ui.state());
console.log(JSON.stringify({ dataset, training: train, frames, fps: +(frames / seconds).toFixed(1),
  ms_per_frame_own_work: +(own / frames).toFixed(2), ms_per_frame_waiting_for_gl: +(gl / frames).toFixed(2),
  ms_per_frame_idle_or_browser: +(idle / frames).toFixed(2), step: state.controller.step, gl: await page.evaluate(() => {
    const g = document.createElement('canvas').getContext('webgl2'); const e = g.getExtension('WEBGL_debug_renderer_info');
    return e ? g.getParameter(e.UNMASKED_RENDERER_WEBGL) : g.getParameter(g.RENDERER); }) }));
await browser.close();
await srv.close();
