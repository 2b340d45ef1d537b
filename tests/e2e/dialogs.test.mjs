// Dialogs and keys (issue 14, points 4 and 5): Escape closes every window, the frontmost first; a modal
// dialog keeps every shortcut from the lab behind it, and so does a focused dialog window; the share dialog
// shows the link and its buttons without scrolling at 1280×800 and 800×600; the doctor flags a run that
// goes wrong without NaN (Adam at rate 100) while it trains, and its fix lowers the rate and resets (point
// 5); a reload while training comes back where the run was (point 6: saved as the page goes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

import { click, controller, idle, item, nextFrames, openPage, typeInto, untilController, useBrowser, waitFor, waitForLab } from './helpers.mjs';

const session = useBrowser();
mkdirSync('test-results', { recursive: true });

const windows = (page) => page.evaluate(() => window.lab.ui.state().windows);
const names = async (page) => (await windows(page)).map((w) => w.name);
const DIALOGS = ['About NeuronLab', 'Share this experiment', 'Keyboard shortcuts', 'Description'];
const openDialogs = async (page) => (await names(page)).filter((n) => DIALOGS.includes(n));

async function ready(page) {
  await waitForLab(page, 3);
  await untilController(page, (c) => idle(c) && c.snapshotVersion > 0, 'the first experiment');
}

async function escape(page) {
  await page.keyboard.press('Escape');
  await nextFrames(page, 3);
}

test('Escape closes every dialog window, the frontmost first', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  await page.keyboard.press('d');  // Describe this view
  await nextFrames(page, 3);
  assert.deepEqual(await openDialogs(page), ['Description']);
  await escape(page);
  assert.deepEqual(await openDialogs(page), []);
  // Three at once, opened from the menus: they close in the reverse order, one Escape each.
  for (const [menu, entry] of [['Help', 'About NeuronLab'], ['File', 'Copy link'], ['Help', 'Keyboard shortcuts']]) {
    await click(page, menu);
    await click(page, entry);
    await nextFrames(page, 3);
  }
  const open = await windows(page);
  assert.deepEqual(open.filter((w) => DIALOGS.includes(w.name)).map((w) => w.name).sort(), ['About NeuronLab', 'Keyboard shortcuts', 'Share this experiment']);
  assert.equal(open.find((w) => w.focused)?.name, 'Keyboard shortcuts', 'the last opened has the focus');
  await escape(page);
  assert.deepEqual((await openDialogs(page)).sort(), ['About NeuronLab', 'Share this experiment']);
  await escape(page);
  assert.equal((await openDialogs(page)).length, 1);
  await escape(page);
  assert.deepEqual(await openDialogs(page), []);
  // The neuron inspector too.
  await click(page, 'layer 1 neuron 0');
  await untilController(page, (c) => c.neuronOpen && c.neuronReady, 'the neuron inspector');
  await escape(page);
  assert.equal((await controller(page)).neuronOpen, false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a modal dialog, or a focused dialog window, keeps the keys from the lab behind it', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  await page.keyboard.press('s');  // one step, so that a reset would show
  await untilController(page, (c) => c.step === 1 && idle(c), 'S = one step');
  const events = () => page.evaluate(() => window.lab.history().events.length);
  const before = await events();
  await click(page, 'File');
  await click(page, 'Classroom link…');
  await nextFrames(page, 3);
  assert.ok((await windows(page)).some((w) => w.modal && w.name.includes('Classroom link')), 'the classroom dialog is open, modal');
  for (const key of ['Space', 'r', 's', 'e', 'p', 'l', 'd']) {
    await page.keyboard.press(key);
    await nextFrames(page, 2);
  }
  let c = await controller(page);
  assert.equal(c.playing, false, 'Space did not start training');
  assert.equal(c.step, 1, 'neither S nor E nor R reached the lab');
  assert.equal(await events(), before, 'nothing landed in the history');
  assert.deepEqual(await openDialogs(page), [], 'L and D opened nothing behind the modal');
  await escape(page);
  assert.ok(!(await windows(page)).some((w) => w.modal), 'Escape closed the classroom dialog');
  // A focused dialog window (Keyboard shortcuts) keeps the keys too; once closed, they work again.
  await page.keyboard.press('Shift+Slash');  // ?
  await nextFrames(page, 3);
  assert.equal((await windows(page)).find((w) => w.focused)?.name, 'Keyboard shortcuts');
  await page.keyboard.press('Space');
  await nextFrames(page, 3);
  assert.equal((await controller(page)).playing, false);
  await escape(page);
  await page.keyboard.press('Space');
  c = await untilController(page, (x) => x.playing, 'Space plays once the dialogs are closed');
  await page.keyboard.press('Space');
  await untilController(page, (x) => !x.playing && idle(x), 'paused');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the share dialog shows the link and its buttons without scrolling', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 800, height: 600 }]) {
    const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport });
    await ready(page);
    await page.keyboard.press('l');
    await page.waitForFunction(() => window.lab.ui.items().some((i) => i.label === 'Copy the link'), null, { timeout: 20000 });
    await nextFrames(page, 4);
    const w = (await windows(page)).find((x) => x.name === 'Share this experiment');
    assert.ok(w, 'the share dialog is open');
    assert.equal(w.scrollMaxY, 0, `${viewport.width}×${viewport.height}: nothing to scroll`);
    assert.ok(w.x >= 0 && w.y >= 0 && w.x + w.w <= viewport.width && w.y + w.h <= viewport.height, 'the dialog is on screen');
    const items = await page.evaluate(() => window.lab.ui.items().filter((i) => i.window === 'Share this experiment'));
    for (const label of ['Copy the link', 'Close']) {
      const it = items.find((i) => i.label === label);
      assert.ok(it, `the ${label} button`);
      assert.ok(it.y >= w.y && it.y + it.h <= w.y + w.h, `${label} lies inside the dialog`);
    }
    const link = items.find((i) => i.label === '' && i.w > w.w * 0.8);
    assert.ok(link && link.y + link.h <= w.y + w.h, 'the link field spans the dialog, inside it');
    await page.screenshot({ path: `test-results/share-${viewport.width}x${viewport.height}.png` });
    await click(page, 'Close', 'Share this experiment');
    assert.deepEqual(await openDialogs(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the doctor flags a run that goes wrong without NaN, while it trains, and fixes it', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  await typeInto(page, 'Learning rate value', '100');
  await untilController(page, (c) => c.spec.optimizer.lr === 100 && c.spec.optimizer.name === 'adam' && idle(c), 'Adam at rate 100');
  await page.keyboard.press('Escape');  // leave the field
  await nextFrames(page, 2);
  await click(page, 'Play');
  const d = await untilController(page, (c) => c.doctor !== '', 'the warning', 60000);
  assert.match(d.doctor, /far above its best/);
  assert.match(d.doctor, /learning rate 100 is too high/);
  assert.equal(d.playing, true, 'a warning, not a stop: the run goes on');
  assert.match(await page.locator('#live').innerText(), /Warning: /);
  await nextFrames(page, 3);
  await page.screenshot({ path: 'test-results/doctor-warning.png' });
  await click(page, 'Use learning rate 10 and reset');
  const fixed = await untilController(page, (c) => c.doctor === '' && c.step === 0 && !c.playing && idle(c), 'the fix');
  assert.equal(fixed.spec.optimizer.lr, 10);
  assert.deepEqual(problems, []);
  await context.close();
});

test('while it trains, the run is saved every few seconds and as the page is hidden; a reload comes back there', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  await click(page, 'Play');
  const hashStep = () => page.evaluate(() => Number((location.hash.match(/[&#]step=(\d+)/) || [0, 0])[1]));
  const saved = await waitFor(page, hashStep, (n) => n > 0, 'the link in the address bar to follow the run while it plays', { timeout: 20000 });
  // Hidden (another tab, the phone's home screen): saved at once.
  const before = (await controller(page)).step;
  const autosaved = await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    return JSON.parse(localStorage.getItem('neuronlab.autosave')).step;
  });
  assert.ok(autosaved >= before, `hidden at step ≥ ${before}: the autosave holds step ${autosaved}`);
  await page.reload();
  await waitForLab(page, 3);
  const back = await untilController(page, (c) => idle(c) && c.snapshotVersion > 0 && c.step > 0, 'the run back after the reload', 120000);
  assert.ok(back.step >= saved, `back at step ${back.step}, at least the ${saved} the link held while playing`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a refused value is said in plain words, never silently dropped', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  const enter = async (label, text) => {
    await typeInto(page, label, text);
    await nextFrames(page, 1);
    await page.keyboard.press('Escape');
    await nextFrames(page, 2);
    return controller(page);
  };
  const b0 = (await controller(page)).spec.batch_size;
  for (const [text, want] of [['0', /^The batch size must be an integer between 1 and \d+ \(you entered 0\)/],
    ['-5', /^The batch size must be .*\(you entered -5\)/], ['100000000', /^The batch size must be .*\(you entered 100000000\)/]]) {
    const c = await enter('Batch size', text);
    assert.match(c.error, want);
    assert.equal(c.spec.batch_size, b0, 'the batch size stays as it was');
  }
  const c = await enter('Learning rate value', '300');
  assert.match(c.error, /^The learning rate must be a number between 0 and 100 \(you entered 300\)/);
  assert.ok(!/spec\./.test(c.error), 'no spec path in the words a student reads');
  await page.screenshot({ path: 'test-results/plain-words.png' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link that takes long to replay asks first, and a cancelled replay says where the run stands, its history kept', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: { width: 1280, height: 800 } });
  await ready(page);
  // The default run shared at step 100,000,000: minutes of replay on any machine.
  await click(page, 'Copy link');
  const link = await page.evaluate(() => window.lab.lastLink);
  const long = /[&#]step=\d+/.test(link) ? link.replace(/([&#])step=\d+/, '$1step=100000000') : `${link}&step=100000000`;
  await page.goto(long);
  await page.reload();
  await waitForLab(page, 3);
  let c = await untilController(page, (x) => x.replay.question, 'the question, once the replay has measured its pace', 30000);
  assert.ok(c.replay.estimateS > 10, `estimated ${c.replay.estimateS} s`);
  assert.equal(c.replay.steps, 100000000);
  await item(page, 'Replay it all');
  await page.screenshot({ path: 'test-results/replay-question.png' });
  // "Replay it all": the question goes, the replay goes on.
  await click(page, 'Replay it all');
  c = await controller(page);
  assert.equal(c.replay.question, false);
  assert.ok(c.busy, 'still replaying');
  // Cancel: the experiment at step 0, the history kept (in the link too), and the words say so.
  await click(page, 'Cancel', 'Working');
  c = await untilController(page, (x) => idle(x) && x.replay.kept && x.snapshotVersion > 0, 'the experiment at step 0');
  assert.equal(c.step, 0);
  assert.match(c.notice, /^The replay stopped after (about \d+%|less than 1%) of its 100,000,000 steps\. The lab shows the experiment at step 0/);
  await nextFrames(page, 3);
  assert.match(await page.evaluate(() => location.hash), /[&#]step=100000000/, 'the link still holds the shared run');
  await page.screenshot({ path: 'test-results/replay-kept.png' });
  // Replay it (the banner's button): no second question.
  await click(page, 'Replay it');
  c = await untilController(page, (x) => x.busy && x.progress, 'the kept history replaying');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await controller(page)).replay.question, false, 'asked once');
  await click(page, 'Cancel', 'Working');
  await untilController(page, (x) => idle(x) && x.replay.kept, 'kept again');
  assert.deepEqual(problems, []);
  await context.close();
});
