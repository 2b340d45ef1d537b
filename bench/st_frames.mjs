// The single-threaded page (no cross-origin isolation, service workers blocked) while heavy calls run:
// how long each takes and the worst gap between two animation frames meanwhile — how far jobs running in
// slices between frames keep the page responsive (docs/api.md "Threads and the main thread").
// Headless Chromium draws with SwiftShader here, ~50 ms a frame by itself: compare gaps with that.
//   node bench/st_frames.mjs [call ...]   (the calls below by name; load always runs first)
import { launch, openPage, serve, waitForLab } from '../tests/e2e/helpers.mjs';

const srv = await serve(false);
const browser = await launch();
const { page } = await openPage(browser, srv.url, { viewport: { width: 1280, height: 800 }, contextOptions: { serviceWorkers: 'block' } });
await waitForLab(page, 3);
const mode = await page.evaluate(() => window.lab.build().mode);
if (mode !== 'st') throw new Error(`expected the single-threaded page, got mode ${mode}`);
await page.evaluate(() => window.lab.loadDataset('mnist'));

// The MNIST CNN (conv 32, conv 64, pool, dense) on 8,500 images.
const CNN = { seed: 1, data: { name: 'mnist', n: 8500 }, batch_size: 32, model: { layers: [
  { type: 'conv2d', filters: 32, kernel: 3, activation: 'relu' }, { type: 'conv2d', filters: 64, kernel: 3, activation: 'relu' },
  { type: 'maxpool2d' }, { type: 'flatten' }, { type: 'dense', units: 10 }] } };

async function measure(what) {
  return page.evaluate(async ([w, cnn]) => {
    const lab = window.lab;
    let last = performance.now(), worst = 0, run = true, frames = 0;
    const tick = (t) => { worst = Math.max(worst, t - last); last = t; frames++; if (run) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    if (w === 'load') { lab.load(cnn); await lab.evaluated(); }
    if (w === 'train') await lab.train(20);
    if (w === 'mostConfused') await lab.mostConfused({ scan: 2000 });
    if (w === 'neuron') await lab.neuron(1, 3, { samples: 2000 });
    if (w === 'arena') await lab.arena({ methods: ['saliency', 'integrated_gradients'], count: 8, sanity: false, difull: false, sensitivitySamples: 0 });
    if (w === 'arenaFull') await lab.arena({ methods: ['saliency', 'integrated_gradients', 'occlusion'], count: 4 });
    if (w === 'attribute') await lab.attribute('integrated_gradients', lab.samples('test', 0, 1).x);
    if (w === 'attribute8') await lab.attribute('integrated_gradients', lab.samples('test', 0, 8).x);
    if (w === 'occlusion') await lab.attribute('occlusion', lab.samples('test', 0, 1).x);
    if (w === 'kernelShap') await lab.attribute('kernel_shap', lab.samples('test', 0, 1).x);
    if (w === 'lrp') await lab.attribute('lrp', lab.samples('test', 0, 8).x);
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
    run = false;
    return { ms, frames, worst };
  }, [what, CNN]);
}

const label = {
  load: 'load + evaluation (8,500 images)', train: 'train(20) with its evaluation', mostConfused: 'mostConfused({scan: 2000})',
  neuron: 'neuron(1, 3, {samples: 2000})', arena: 'arena: saliency + IG, 8 samples',
  arenaFull: 'arena: saliency + IG + occlusion, 4 samples, every score (sanity, DiFull, sensitivity)',
  attribute: 'attribute: IG, 1 image', attribute8: 'attribute: IG, 8 images', occlusion: 'attribute: occlusion, 1 image',
  kernelShap: 'attribute: KernelSHAP, 1 image', lrp: 'attribute: LRP, 8 images',
};
const only = process.argv.slice(2);
console.log('call | took | frames | worst frame gap');
for (const w of Object.keys(label)) {
  if (only.length && w !== 'load' && !only.includes(w)) continue;
  const r = await measure(w);
  console.log(`${label[w]} | ${r.ms.toFixed(0)} ms | ${r.frames} | ${r.worst.toFixed(0)} ms`);
}
await browser.close();
await srv.close();
