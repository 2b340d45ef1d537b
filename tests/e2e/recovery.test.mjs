// Recovery: a crashed engine worker never loses the experiment — the page says it stopped and that the run
// is saved, the autosave survives, and a reload replays it to the same digest. A restore that fails keeps
// the autosave for a later reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { click, idle, openPage, untilController, useBrowser, waitForLab } from './helpers.mjs';

const VIEW = { width: 1280, height: 800 };
const session = useBrowser();

const saved = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('neuronlab.autosave') || 'null'));

test('a crashed worker: the page says the run is saved; the autosave survives and a reload replays it bit for bit', async () => {
  const { page, context } = await openPage(session.browser, session.srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  await click(page, 'Two moons');
  await untilController(page, (c) => c.dataset === 'moons' && idle(c), 'moons');
  await click(page, 'Step epoch');
  await click(page, 'Step epoch');
  const before = await untilController(page, (c) => c.step > 0 && idle(c) && !c.playing, 'two epochs');
  await page.waitForFunction((s) => JSON.parse(localStorage.getItem('neuronlab.autosave') || '{}').step === s, before.step, { timeout: 10000 });
  // The engine's worker threads die as a crashing worker does: its error reaches the page, the workers are gone.
  await page.evaluate(() => {
    const M = window.__neuronlabModule;
    const w = M.PThread.runningWorkers[0] || M.PThread.unusedWorkers[0];
    setTimeout(() => w.onerror({ filename: 'neuronlab.worker.js', lineno: 1, message: 'RuntimeError: unreachable (simulated crash)' }), 0);
    setTimeout(() => M.PThread.terminateAllThreads(), 10);
  });
  await page.waitForFunction(() => window.labError, null, { timeout: 10000 });
  const msg = await page.evaluate(() => ({ ...window.labError, text: document.getElementById('message').innerText }));
  assert.equal(msg.title, 'NeuronLab stopped');
  assert.match(msg.text, new RegExp(`saved in this browser at step ${before.step}: reload the page`));
  const kept = await saved(page);
  assert.equal(kept.step, before.step, 'the autosave is intact');
  assert.equal(kept.spec.data.name, 'moons');
  // A fresh page (the crashed one's link stripped) restores it from the autosave, to the same weights.
  await page.goto(session.srv.url);
  await waitForLab(page, 3);
  const back = await untilController(page, (c) => c.step === before.step && idle(c), 'the restored run');
  assert.equal(back.digest, before.digest);
  await context.close();
});

test('an autosave that cannot be restored now is kept for a later reload', async () => {
  // A saved MNIST run (left by an earlier visit: planted before the page starts) whose data file cannot be
  // downloaded at the moment. (Planted from a live page instead, that page's own save as it goes would
  // replace it — as it should.)
  const state = { spec: { seed: 1, data: { name: 'mnist', n: 400 }, model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] } }, events: [], step: 3 };
  const init = `if (!sessionStorage.getItem('planted')) { sessionStorage.setItem('planted', '1'); localStorage.setItem('neuronlab.autosave', ${JSON.stringify(JSON.stringify(state))}); }`;
  const { page, context, problems } = await openPage(session.browser, 'about:blank', { viewport: VIEW });
  await context.route('**/data/mnist.nlds*', (r) => r.abort());
  await page.addInitScript(init);
  await page.goto(session.srv.url);
  await waitForLab(page, 3);
  const c = await untilController(page, (x) => idle(x) && x.snapshotVersion > 0, 'the default lab');
  assert.match(c.notice, /could not be restored/);
  assert.deepEqual((await saved(page)).spec.data, state.spec.data, 'still saved');
  await context.unroute('**/data/mnist.nlds*');
  await page.reload();
  await waitForLab(page, 3);
  const r = await untilController(page, (x) => x.dataset === 'mnist' && x.step === 3 && idle(x), 'restored once the file downloads', 90000);
  assert.equal(r.step, 3);
  assert.deepEqual(problems.filter((p) => !/mnist|Failed to load resource/.test(p)), []);
  await context.close();
});
