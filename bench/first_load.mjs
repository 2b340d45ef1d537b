// The first minute over a slow connection: a cold visit (empty cache) with Chromium's network emulation,
// counting the bytes that cross the wire (encoded, headers included) until the lab has drawn, and the time
// to a trained spiral (the default page, ≥ 90 % test accuracy, trained through window.lab as fast as it
// goes); then the bytes an MNIST pick downloads. Served by web/serve.mjs from dist/ (or NEURONLAB_DIST).
//   node bench/first_load.mjs [Mbit/s, default 10] [latency ms, default 40]
import { launch, openPage, serve, waitForLab } from '../tests/e2e/helpers.mjs';

const mbit = Number(process.argv[2] || 10), latency = Number(process.argv[3] || 40);
const srv = await serve(true);
const browser = await launch();
const { page, context } = await openPage(browser, 'about:blank', { viewport: { width: 1280, height: 800 } });
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
await cdp.send('Network.emulateNetworkConditions', {
  offline: false, latency, downloadThroughput: (mbit * 1e6) / 8, uploadThroughput: (mbit * 1e6) / 8,
});
const sizes = new Map();  // requestId → {url, bytes}
cdp.on('Network.requestWillBeSent', (e) => sizes.set(e.requestId, { url: e.request.url, bytes: 0 }));
cdp.on('Network.loadingFinished', (e) => { const r = sizes.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
const total = () => [...sizes.values()].reduce((s, r) => s + r.bytes, 0);

const t0 = Date.now();
await page.goto(srv.url);
await waitForLab(page, 2);
const painted = Date.now() - t0;
await new Promise((r) => setTimeout(r, 500));  // anything the page fetches right after it starts
const firstBytes = total();
const files = [...sizes.values()].filter((r) => r.bytes > 0).map((r) => `${r.url.replace(srv.url, '')} ${(r.bytes / 1e3).toFixed(0)} kB`);
const trained = await page.evaluate(async () => {
  const t = performance.now();
  let m;
  do m = await window.lab.train(200); while (m.testAccuracy < 0.9 && m.step < 20000);
  return { ms: performance.now() - t, acc: m.testAccuracy, step: m.step };
});
const toTrained = Date.now() - t0;
const before = total();
const t1 = Date.now();
await page.evaluate(() => window.lab.loadDataset('mnist'));
const mnist = { bytes: total() - before, ms: Date.now() - t1 };

const mb = (b) => (b / 1e6).toFixed(2);
console.log(`first load at ${mbit} Mbit/s, ${latency} ms latency (headless Chromium, ${srv.url})`);
console.log(`  until the lab has drawn: ${mb(firstBytes)} MB in ${(painted / 1e3).toFixed(1)} s`);
for (const f of files) console.log(`    ${f}`);
console.log(`  a trained spiral (test accuracy ${(trained.acc * 100).toFixed(1)} % at step ${trained.step}): ${(toTrained / 1e3).toFixed(1)} s after the click on the link (training ${(trained.ms / 1e3).toFixed(1)} s)`);
console.log(`  MNIST when picked: ${mb(mnist.bytes)} MB in ${(mnist.ms / 1e3).toFixed(1)} s`);
await browser.close();
await srv.close();
