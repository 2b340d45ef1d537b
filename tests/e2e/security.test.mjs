// Security: the page runs under its Content-Security-Policy with no violation (threaded and single-threaded
// builds); once it has loaded, no request goes anywhere but the page's own origin, and only for its own data
// files; links and files cannot make it fetch anything or inject HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DIST, click, idle, nextFrames, openPage, serve, untilController, useBrowser, waitForLab } from './helpers.mjs';

const VIEW = { width: 1280, height: 800 };
const session = useBrowser();

// Registered before any page script: every CSP violation the page reports.
const WATCH_CSP = () => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
};


// Every request the page makes (main frame, workers and the service worker included).
function recordRequests(context) {
  const seen = [];
  context.on('request', (r) => seen.push({ url: r.url(), t: Date.now() }));
  return seen;
}

test('dist/index.html ships a strict Content-Security-Policy: no inline code, no eval', () => {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  const csp = Object.fromEntries(m[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(csp['default-src'], ["'none'"]);
  assert.deepEqual(csp['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(csp['style-src'], ["'self'"]);
  assert.deepEqual(csp['connect-src'], ["'self'"]);
  assert.deepEqual(csp['object-src'], ["'none'"]);
  assert.deepEqual(csp['base-uri'], ["'none'"]);
  for (const [k, v] of Object.entries(csp)) assert.ok(!v.includes("'unsafe-inline'") && !v.includes("'unsafe-eval'"), k);
  // Nothing inline for it to allow: no <style>, no inline script, no on* attribute.
  assert.doesNotMatch(html, /<style|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+="/i);
  // The generated module does not evaluate strings (Embind built with DYNAMIC_EXECUTION=0).
  for (const f of ['neuronlab.js', 'neuronlab_st.js']) {
    const js = readFileSync(path.join(DIST, f), 'utf8');
    assert.doesNotMatch(js, /new Function\(|\beval\(/, f);
  }
});

test('a whole visit runs with no CSP violation and sends no request off the page or after it has loaded (threaded)', async () => {
  const { page, context, problems } = await openPage(session.browser, session.srv.url, { viewport: VIEW, init: WATCH_CSP });
  const requests = recordRequests(context);
  await waitForLab(page, 3);
  assert.equal(await page.evaluate(() => window.lab.build().mode), 'mt');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  const loaded = Date.now();
  // Click through: data, training, a view of the insides, attributions, the file menu.
  await click(page, 'Spiral (2 arms)');
  await untilController(page, (c) => c.dataset === 'spiral' && idle(c), 'spiral');
  await click(page, 'Play');
  await untilController(page, (c) => c.step > 50, 'training');
  await click(page, 'Pause');
  await untilController(page, (c) => !c.playing && idle(c), 'the pause');
  await click(page, 'Step epoch');
  await click(page, 'Dataset');
  await click(page, 'MNIST digits');
  await untilController(page, (c) => c.dataset === 'mnist' && idle(c) && c.snapshotVersion > 0, 'the MNIST CNN', 90000);
  await click(page, 'Confusion');
  await click(page, 'File');
  await nextFrames(page, 3);
  await page.keyboard.press('Escape');
  await nextFrames(page, 3);
  // The lab's own JS API too.
  await page.evaluate(async () => {
    window.lab.load({ seed: 1, data: { name: 'xor', n: 200 }, model: { layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 2 }] } });
    await window.lab.evaluated();
    await window.lab.train(20);
    await window.lab.attribute('integrated_gradients', new Float32Array([0.1, 0.2]));
  });
  const origin = new URL(session.srv.url).origin;
  const away = requests.filter((r) => new URL(r.url).origin !== origin && !r.url.startsWith('data:') && !r.url.startsWith('blob:'));
  assert.deepEqual(away.map((r) => r.url), [], 'requests to another origin');
  // After loading, only the lab's own data files are fetched (in the background, or when a dataset needs one).
  const late = requests.filter((r) => r.t > loaded && !/\/data\/[a-z_]+\.nlds(\.gz)?$/.test(r.url));
  assert.deepEqual(late.map((r) => r.url), [], 'requests after the page had loaded');
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the single-threaded build runs under the same policy with no violation', async () => {
  const s = await serve(false);
  try {
    const { page, context, problems } = await openPage(session.browser, s.url, { viewport: VIEW, init: WATCH_CSP, contextOptions: { serviceWorkers: 'block' } });
    await waitForLab(page, 3);
    assert.equal(await page.evaluate(() => window.lab.build().mode), 'st');
    await click(page, 'Play');
    await untilController(page, (c) => c.step > 20, 'training');
    await click(page, 'Pause');
    await untilController(page, (c) => !c.playing && idle(c), 'the pause');
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations');
    assert.deepEqual(problems.filter((p) => !/Service Worker registration blocked/.test(p)), []);
    await context.close();
  } finally {
    await s.close();
  }
});

test('links cannot make the page fetch anything or inject HTML', async () => {
  const evil = [
    '#v=1&data=https://evil.example/x.csv&layers=dense:4:tanh,dense:2',
    `#v=1&data=xor&layers=dense:4:tanh,dense:2&text=${encodeURIComponent('<img src="https://evil.example/p.png" onerror="window.__pwned=1"><script>window.__pwned=2</script>')}`,
    `#v=1&data=${encodeURIComponent('<b>x</b>')}&layers=${encodeURIComponent('<svg onload=window.__pwned=3>')}`,
  ];
  for (const hash of evil) {
    const { page, context } = await openPage(session.browser, `${session.srv.url}${hash}`, { viewport: VIEW, init: WATCH_CSP });
    const requests = recordRequests(context);
    await waitForLab(page, 3);
    await nextFrames(page, 10);
    const origin = new URL(session.srv.url).origin;
    assert.deepEqual(requests.filter((r) => new URL(r.url).origin !== origin && !/^(data|blob):/.test(r.url)).map((r) => r.url), [], hash);
    const dom = await page.evaluate(() => ({ pwned: window.__pwned, imgs: document.querySelectorAll('img, svg, iframe, object').length,
      scripts: document.querySelectorAll('script').length, csp: window.__csp }));
    assert.equal(dom.pwned, undefined, hash);
    assert.equal(dom.imgs, 0, hash);
    assert.deepEqual(dom.csp, [], hash);
    await context.close();
  }
});
