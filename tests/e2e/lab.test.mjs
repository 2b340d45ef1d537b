// The lab you can see: the acceptance of the UI issue, clicked through in headless Chromium.
//   - a 2-D spiral classifier built by clicking, trained to ≥ 95 % test accuracy; its link opened in a new
//     page replays to the same digest after the same number of steps;
//   - an MNIST-subset CNN trained from the UI: the confusion matrix fills in, the frame time stays low;
//   - a reload restores the experiment; a garbage URL shows a message and a working default lab;
//   - the divergence doctor, classroom links, keyboard shortcuts, the neuron inspector, the live region.
// Screenshots: test-results/lab-*.png (look at them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

import { click, item, launch, nextFrames, openPage, serve, waitFor, waitForLab } from './helpers.mjs';

const VIEW = { width: 1280, height: 800 };
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

const ctl = (page) => page.evaluate(() => window.lab.ui.state().controller);
const until = (page, pred, what, timeout = 60000) =>
  waitFor(page, ctl, pred, what, { timeout, show: (c) => `controller: ${JSON.stringify({ ...c, spec: undefined })}` });
const idle = (c) => !c.busy && !c.progress;

test('a spiral classifier built by clicking reaches 95 %, and its link replays to the same digest', async () => {
  const { page, context, problems } = await openPage(browser, srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  await click(page, 'Circle');
  await until(page, (c) => c.dataset === 'circle' && idle(c), 'the circle dataset');
  await click(page, 'Spiral (2 arms)');
  await until(page, (c) => c.dataset === 'spiral' && idle(c), 'the spiral dataset');
  await click(page, 'sin x1');
  await until(page, (c) => (c.spec.data.features || []).includes('sinx1') && idle(c), 'the sin x1 feature');
  await click(page, 'sin x2');
  await until(page, (c) => (c.spec.data.features || []).includes('sinx2') && idle(c), 'the sin x2 feature');
  await click(page, '+ neuron');  // layer 1: 16 → 17 neurons
  const built = await until(page, (c) => c.spec.model.layers[0].units === 17 && idle(c), 'one more neuron');
  assert.equal(built.step, 0);
  assert.deepEqual(built.spec.data.features, ['x1', 'x2', 'sinx1', 'sinx2']);
  await click(page, 'Play');
  await until(page, (c) => c.testAccuracy >= 0.95 && c.step > 0, 'test accuracy ≥ 95 %', 120000);
  await click(page, 'Pause');
  const paused = await until(page, (c) => !c.playing && idle(c), 'the pause');
  assert.ok(paused.testAccuracy >= 0.95, `test accuracy ${paused.testAccuracy}`);
  await page.screenshot({ path: 'test-results/lab-spiral.png' });

  await click(page, 'Copy link');
  await page.waitForFunction(() => typeof window.lab.lastLink === 'string');
  const link = await page.evaluate(() => window.lab.lastLink);
  assert.match(link, /#v=1&/);
  assert.match(link, new RegExp(`step=${paused.step}(&|$)`));
  assert.match(await page.evaluate(() => location.hash), /data=spiral/);  // the URL itself holds it too

  const other = await openPage(browser, link, { viewport: VIEW });
  await waitForLab(other.page, 3);
  const replayed = await until(other.page, (c) => c.step === paused.step && idle(c), `the replay to step ${paused.step}`, 120000);
  assert.equal(replayed.digest, paused.digest, 'the link replays to the same weights, bit for bit');
  assert.equal(replayed.dataset, 'spiral');
  const status = await other.page.evaluate(() => window.lab.ui.state());
  assert.ok(status.frame > 0);
  await other.page.screenshot({ path: 'test-results/lab-spiral-link.png' });
  assert.deepEqual(other.problems, []);
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the schema-driven editors: a data slider applies on release, a layer field on Enter, its tooltip shows the range', async () => {
  const link = '#v=1&seed=3&data=spiral&layers=dense:8:tanh,batchnorm:momentum=0.2,dense:2';
  const { page, context, problems } = await openPage(browser, srv.url + link, { viewport: VIEW });
  await waitForLab(page, 3);
  await until(page, (c) => c.spec.model.layers[1].type === 'batchnorm' && idle(c), 'the linked network');
  const box = await page.locator('#canvas').boundingBox();
  // Drag the Samples slider (data.n) to the right: nothing changes while it moves, the new count on release.
  const s = await item(page, 'Samples', 'Data');
  await page.mouse.move(box.x + s.x + 20, box.y + s.y + s.h / 2);
  await nextFrames(page, 2);
  await page.mouse.down();
  await nextFrames(page, 2);
  await page.mouse.move(box.x + s.x + 60, box.y + s.y + s.h / 2, { steps: 4 });
  await nextFrames(page, 2);
  assert.equal((await ctl(page)).spec.data.n ?? 500, 500, 'no change while dragging');
  await page.mouse.up();
  const moved = await until(page, (c) => (c.spec.data.n ?? 500) !== 500 && idle(c), 'the new sample count');
  assert.ok(moved.spec.data.n > 500 && moved.spec.data.n <= 100000, `n = ${moved.spec.data.n}`);
  // The batch-norm row's momentum from its registry schema: typed, applied on Enter.
  await click(page, 'momentum', 'Network');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('0.35');
  await page.keyboard.press('Enter');
  const edited = await until(page, (c) => c.spec.model.layers[1].momentum === 0.35 && idle(c), 'momentum 0.35');
  assert.equal(edited.spec.model.layers[1].type, 'batchnorm');
  // Out of range is clamped to the schema's range (0 to 1), not sent as an error.
  await click(page, 'momentum', 'Network');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  await until(page, (c) => c.spec.model.layers[1].momentum === 1 && idle(c), 'momentum clamped to 1');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an MNIST CNN trains from the UI: the confusion matrix fills in and the frame time stays low', async () => {
  const { page, context, problems } = await openPage(browser, srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  await page.waitForTimeout(1500);
  const idleMs = (await page.evaluate(() => window.lab.ui.state())).frame_ms;
  await click(page, 'Dataset');
  await click(page, 'MNIST digits');
  const built = await until(page, (c) => c.dataset === 'mnist' && idle(c) && c.snapshotVersion > 0, 'the MNIST CNN', 60000);
  assert.equal(built.spec.model.layers[0].type, 'conv2d');
  assert.ok(built.confusionTotal > 0, 'the confusion matrix at step 0');
  await click(page, 'Confusion');
  await click(page, 'Play');
  const frames = [];
  const t0 = Date.now();
  let c;
  do {
    await page.waitForTimeout(500);
    const s = await page.evaluate(() => window.lab.ui.state());
    frames.push(s.frame_ms);
    c = s.controller;
  } while ((c.step < 60 || c.curvePoints < 3) && Date.now() - t0 < 90000);
  await page.screenshot({ path: 'test-results/lab-mnist.png' });
  const worstGap = await page.evaluate(() => new Promise((resolve) => {  // while it still trains
    let last = performance.now(), worst = 0, n = 0;
    const tick = (t) => { worst = Math.max(worst, t - last); last = t; if (++n < 20) requestAnimationFrame(tick); else resolve(worst); };
    requestAnimationFrame(tick);
  }));
  assert.ok(worstGap < 2000, `a frame waited ${worstGap.toFixed(0)} ms while training`);
  await click(page, 'Pause');
  c = await until(page, (x) => !x.playing && idle(x), 'the pause');
  assert.ok(c.step >= 60, `trained ${c.step} steps`);
  assert.ok(c.curvePoints >= 3, 'the curves got points while training');
  assert.ok(c.testAccuracy > 0.3, `test accuracy ${c.testAccuracy} after ${c.step} steps`);
  assert.ok(c.confusionTotal > 0);
  // Training runs on worker threads: the page draws as fast while training as when idle. (Absolute numbers
  // here are SwiftShader's, software GL on a small machine; the ratio is what the UI controls.)
  // SwiftShader draws on the same 2 cores that train, so software GL slows down while training; what the
  // UI must guarantee is that the page keeps drawing (no frame waits for the core).
  const sorted = frames.slice(2).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`frame time: ${idleMs.toFixed(1)} ms idle, median ${median.toFixed(1)} ms while training (SwiftShader)`);
  assert.ok(median < idleMs * 3 + 50, `median frame ${median.toFixed(1)} ms while training vs ${idleMs.toFixed(1)} ms idle`);
  console.log(`worst frame gap while training ${worstGap.toFixed(0)} ms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reload restores the experiment; a garbage URL shows a message and a working default lab', async () => {
  const { page, context, problems } = await openPage(browser, srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  await click(page, 'Two moons');
  await until(page, (c) => c.dataset === 'moons' && idle(c), 'moons');
  await click(page, 'Step epoch');
  const before = await until(page, (c) => c.step > 0 && idle(c) && !c.playing, 'one epoch');
  await page.waitForFunction((s) => location.hash.includes(`step=${s}`), before.step, { timeout: 10000 });
  await page.reload();
  await waitForLab(page, 3);
  const back = await until(page, (c) => c.step === before.step && idle(c), 'the restored run');
  assert.equal(back.digest, before.digest);
  assert.equal(back.dataset, 'moons');
  // Without the hash: the autosave brings it back.
  await page.goto(srv.url);
  await waitForLab(page, 3);
  const saved = await until(page, (c) => c.step === before.step && idle(c), 'the autosaved run');
  assert.equal(saved.digest, before.digest);
  await context.close();

  for (const garbage of ['#v=1&data=nope&lr=abc&layers=%E0%A4%A&step=-5&__proto__=1', '#%%%{{{', '#' + 'x'.repeat(300000)]) {
    const g = await openPage(browser, srv.url + garbage, { viewport: VIEW });
    await waitForLab(g.page, 3);
    const c = await until(g.page, (x) => idle(x) && x.snapshotVersion > 0, 'the default lab');
    assert.equal(c.dataset, 'spiral', 'falls back to the default dataset');
    if (garbage.includes('data=nope')) assert.match(c.notice, /could not be used|left out/);
    await click(g.page, 'Step batch');
    await until(g.page, (x) => x.step === 1 && idle(x), 'a working lab');
    if (garbage.includes('data=nope')) await g.page.screenshot({ path: 'test-results/lab-garbage-url.png' });
    assert.deepEqual(g.problems, []);
    await g.context.close();
  }
  assert.deepEqual(problems, []);
});

test('the divergence doctor explains a blow-up and fixes it; shortcuts, inspector, live region, classroom', async () => {
  const { page, context, problems } = await openPage(browser, srv.url, { viewport: VIEW });
  await waitForLab(page, 3);
  await click(page, 'Plane (regression)');  // a regression: plain SGD at rate 10 blows up within a few steps
  await until(page, (c) => c.dataset === 'plane' && idle(c), 'the plane dataset');
  await click(page, 'Optimizer');
  await click(page, 'SGD (momentum, Nesterov)');
  await until(page, (c) => c.spec.optimizer.name === 'sgd' && idle(c), 'SGD');
  await click(page, 'Learning rate value');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('10');
  await page.keyboard.press('Enter');
  await until(page, (c) => c.spec.optimizer.lr === 10 && idle(c), 'the learning rate 10');
  await page.keyboard.press('Space');  // play
  const d = await until(page, (c) => c.doctor !== '', 'the doctor', 60000);
  assert.match(d.doctor, /training stopped at step \d+/);
  assert.match(d.doctor, /learning rate 10 is too high/);
  assert.equal(d.playing, false);
  assert.match(await page.locator('#live').innerText(), /Training stopped/);
  await page.screenshot({ path: 'test-results/lab-doctor.png' });
  await click(page, 'Use learning rate 1 and reset');
  const fixed = await until(page, (c) => c.doctor === '' && c.step === 0 && idle(c), 'the fix');
  assert.equal(fixed.spec.optimizer.lr, 1);

  await page.keyboard.press('s');  // one step
  await until(page, (c) => c.step === 1 && idle(c), 'S = step');
  await page.keyboard.press('r');  // reset
  await until(page, (c) => c.step === 0 && idle(c), 'R = reset');

  await click(page, 'layer 1 neuron 0');
  await until(page, (c) => c.neuronOpen && c.neuronReady, 'the neuron inspector');
  await nextFrames(page, 3);
  await item(page, 'Activation', 'Neuron inspector');
  await page.screenshot({ path: 'test-results/lab-inspector.png' });
  await click(page, 'Close', 'Neuron inspector');

  // A classroom link hides controls, locks the data and shows the instructions.
  await click(page, 'Spiral (2 arms)');
  await until(page, (c) => c.dataset === 'spiral' && idle(c), 'spiral');
  await page.waitForFunction(() => location.hash.includes('data=spiral'));
  const hash = await page.evaluate(() => location.hash);
  const cls = await openPage(browser, `${srv.url}${hash}&hide=optimizer,reset&lock=data&text=Make+the+spiral+work`, { viewport: VIEW });
  await waitForLab(cls.page, 3);
  const cc = await until(cls.page, (c) => c.classroom !== null && idle(c), 'classroom mode');
  assert.deepEqual(cc.classroom.hide, ['optimizer', 'reset']);
  const labels = await cls.page.evaluate(() => window.lab.ui.items().map((i) => i.label));
  assert.ok(!labels.includes('Reset'), 'Reset is hidden');
  assert.ok(!labels.includes('Optimizer'), 'the optimizer is hidden');
  assert.ok(labels.includes('Play'));
  await cls.page.screenshot({ path: 'test-results/lab-classroom.png' });
  await cls.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('your CSV stays in the page; an exported experiment file imports back to the same digest', async () => {
  const { page, context, problems } = await openPage(browser, srv.url, { viewport: VIEW, contextOptions: { acceptDownloads: true } });
  await waitForLab(page, 3);
  let rows = 'a,b,label\n';
  for (let i = 0; i < 120; i++) rows += `${(i % 11) / 10},${(i % 7) / 7},${i % 11 > 5 ? 'big' : 'small'}\n`;
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'Load CSV…')]);
  await chooser.setFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  const c = await until(page, (x) => x.dataset === 'csv' && idle(x) && x.snapshotVersion > 0, 'the CSV dataset');
  assert.equal(c.spec.model.layers.at(-1).units, 2, 'two classes: big, small');
  await click(page, 'Step epoch');
  await until(page, (x) => x.step > 0 && idle(x), 'training on the CSV');
  const [bad] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'Load CSV…')]);
  await bad.setFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,label\n1,2,x\n3,abc,y\n') });
  const e = await until(page, (x) => x.error !== '', 'the CSV error');
  assert.match(e.error, /bad\.csv: .*row \d+, column 'b': 'abc' is not a number/);
  assert.equal(e.dataset, 'csv');

  await click(page, 'Exclusive or');
  await until(page, (x) => x.dataset === 'xor' && idle(x), 'xor');
  await click(page, 'Step epoch');
  const trained = await until(page, (x) => x.step > 0 && idle(x), 'an epoch of xor');
  await click(page, 'File');
  const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'Export experiment…')]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const file = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(file.format, 'neuronlab-experiment');
  assert.equal(file.digest, trained.digest);
  await click(page, 'Reset');
  await until(page, (x) => x.step === 0 && idle(x), 'the reset');
  await click(page, 'File');
  const [imp] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'Import experiment…')]);
  await imp.setFiles(path);
  const back = await until(page, (x) => x.step === trained.step && idle(x), 'the imported experiment');
  assert.equal(back.digest, trained.digest);
  assert.match(back.notice, /bit for bit/);
  await click(page, 'File');
  const [py] = await Promise.all([page.waitForEvent('download'), click(page, 'Export PyTorch script…')]);
  assert.match(readFileSync(await py.path(), 'utf8'), /import torch/);
  assert.deepEqual(problems, []);
  await context.close();
});
