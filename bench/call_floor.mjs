// The cost of one small call, end to end from JavaScript: batch-1 saliency on the default 2-D MLP (the map a
// live view asks for every frame), in Node and in the page (headless Chromium), mean over many calls; and,
// for comparison, the same call through its job (a call that asks for progress gets one).
//   node bench/call_floor.mjs [calls, default 2000]
import { createLab } from '../web/node.mjs';
import { launch, openPage, serve, waitForLab } from '../tests/e2e/helpers.mjs';

const calls = Number(process.argv[2] || 2000);
const SPIRAL = { seed: 1, data: { name: 'spiral', n: 500 }, model: { layers: [{ type: 'dense', units: 16, activation: 'tanh' },
  { type: 'dense', units: 16, activation: 'tanh' }, { type: 'dense', units: 2 }] }, optimizer: { name: 'adam', lr: 0.01 }, batch_size: 20 };

// Runs in Node and, stringified, in the page.
async function measure(lab, spec, n) {
  lab.load(spec);
  await lab.train(200);
  const x = new Float32Array([0.5, -1.5]);
  const time = async (opts) => {
    for (let i = 0; i < 50; ++i) await lab.attribute('saliency', x, { ...opts });  // warm up
    const ts = [];
    for (let i = 0; i < n; ++i) {
      const t0 = performance.now();
      await lab.attribute('saliency', x, { ...opts });
      ts.push(performance.now() - t0);
    }
    ts.sort((a, b) => a - b);
    return { median: ts[n >> 1], p90: ts[Math.floor(n * 0.9)], mean: ts.reduce((a, b) => a + b, 0) / n };
  };
  const direct = await time({});
  const job = await time({ onProgress: () => {} });
  return { direct, job };
}

const node = await createLab();
const r = await measure(node, SPIRAL, calls);
node.close();
const us = (t) => `median ${(t.median * 1000).toFixed(0)} µs, 90th percentile ${(t.p90 * 1000).toFixed(0)}, mean ${(t.mean * 1000).toFixed(0)}`;
console.log(`batch-1 saliency, 2-D MLP (354 parameters), ${calls} calls (Node) / ${Math.min(calls, 500)} (page), one after another`);
console.log(`  Node:     ${us(r.direct)}; through a job: ${us(r.job)}`);

const srv = await serve(true);
const browser = await launch();
const { page } = await openPage(browser, srv.url, { viewport: { width: 1280, height: 800 } });
await waitForLab(page, 3);
// (an expression evaluated by the debugger protocol: the page's CSP allows no eval of its own)
const p = await page.evaluate(`(${measure.toString()})(window.lab, ${JSON.stringify(SPIRAL)}, ${Math.min(calls, 500)})`);
console.log(`  Chromium: ${us(p.direct)}; through a job: ${us(p.job)} (the page's own frames run meanwhile)`);
await browser.close();
await srv.close();
