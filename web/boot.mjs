// NeuronLab page boot: check what the browser can do, pick the threaded or the single-threaded build,
// start it, and publish window.lab. Never a blank page: every way this can fail ends in a readable
// message that says what is missing and what to do.
import { makeApi, NeuronLabError } from './lab-api.mjs';
import { encodeState, loadFromHash } from './url-state.mjs';

const AUTOSAVE_KEY = 'neuronlab.autosave';
const TOUR_KEY = 'neuronlab.toured';  // set once the first-run tour has been closed
const LAYOUT_KEY = 'neuronlab.layout';  // the panels' layout as the user left it (ui/app/layout.h)

const $ = (id) => document.getElementById(id);

function showMessage(title, body) {
  $('loading').hidden = true;
  $('stage').hidden = true;
  const m = $('message');
  m.hidden = false;
  m.replaceChildren();
  const box = document.createElement('div');
  box.className = 'message';
  const h = document.createElement('h1');
  h.textContent = title;
  box.appendChild(h);
  for (const line of [].concat(body)) {
    const p = document.createElement('p');
    p.textContent = line;
    box.appendChild(p);
  }
  m.appendChild(box);
  window.labError = { title, body: [].concat(body).join(' ') };
  document.dispatchEvent(new CustomEvent('neuronlab-error', { detail: window.labError }));
}

function showNotice(text) {
  const n = $('notice');
  n.textContent = text;
  n.hidden = false;
}

// A tiny module whose one function uses SIMD (i32.const 0; i8x16.splat; i8x16.popcnt → v128): it
// validates only where WebAssembly SIMD is supported.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0,
  65, 0, 253, 15, 253, 98, 11]);

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not download ${src}`));
    document.head.appendChild(s);
  });
}

let started = false;
let savedStep = null;  // the step of the last state saved in this browser (autosave)

// After the start: the engine itself failed (a worker crashed, a wasm trap, an abort). The page cannot go on,
// but the experiment is safe in the autosave: say so, and how to get it back.
function engineStopped(reason) {
  showMessage('NeuronLab stopped', [
    `The engine stopped: ${reason}.`,
    savedStep !== null ? `Your experiment is saved in this browser at step ${savedStep}: reload the page to continue from there.`
      : 'Reload the page to start again.']);
}
const ENGINE_FAULT = /RuntimeError|worker sent an error|Aborted\(|unreachable|memory access out of bounds|neuronlab(_st)?\.(js|wasm)|neuronlab\.worker\.js/;

function onBootError(e) {
  if (started) {
    const what = (e && (e.message || e.reason?.message || e.reason || e.error?.message)) || String(e);
    const where = (e && e.filename) || '';
    if (ENGINE_FAULT.test(`${what} ${where}`) && !window.labError) engineStopped(String(what).slice(0, 300));
    return;
  }
  const reason = (e && (e.message || e.reason || e.error)) || String(e);
  showMessage('NeuronLab could not start', [
    `Loading the lab failed: ${reason instanceof Error ? reason.message : reason}.`,
    'Check your network connection and reload the page. If it keeps failing, the site may be only partly uploaded.']);
}
window.addEventListener('error', onBootError);
window.addEventListener('unhandledrejection', onBootError);

async function boot() {
  // The canvas has its own context menu actions (no inline handler: the page's CSP allows none).
  $('canvas').addEventListener('contextmenu', (e) => e.preventDefault());
  if (typeof WebAssembly !== 'object') {
    return showMessage('This browser cannot run NeuronLab', [
      'NeuronLab needs WebAssembly, which this browser does not offer (or has switched off).',
      'Use a current Chrome, Edge, Firefox or Safari.']);
  }
  if (!WebAssembly.validate(SIMD_PROBE)) {
    return showMessage('This browser cannot run NeuronLab', [
      'NeuronLab needs WebAssembly SIMD (128-bit vector instructions), which this browser does not support.',
      'Use Chrome or Edge 91+, Firefox 89+ or Safari 16.4+.']);
  }
  const probe = document.createElement('canvas').getContext('webgl2');
  if (!probe) {
    return showMessage('This browser cannot run NeuronLab', [
      'NeuronLab draws with WebGL2, which is unavailable here: the browser does not support it, or hardware acceleration is switched off.',
      'Enable hardware acceleration in the browser settings, or use a current Chrome, Edge, Firefox or Safari.']);
  }
  const isolated = await (window.coi ? window.coi.ready : Promise.resolve(self.crossOriginIsolated));
  const mt = isolated === true && self.crossOriginIsolated && typeof SharedArrayBuffer === 'function';
  const name = mt ? 'neuronlab' : 'neuronlab_st';
  if (!mt) {
    showNotice('Running single-threaded: this page is not cross-origin isolated, so the browser allows no WebAssembly threads. Training will be slower.');
  }
  await loadScript(`${name}.js`);
  const factory = window.createNeuronLab;
  let fatal = null;
  const ready = new Promise((resolve, reject) => {
    factory({
      onLabReady: resolve,
      onLabRequest: (...args) => handleRequest(...args),
      onLabFatal: (msg) => { fatal = msg; reject(new Error(msg)); },
      onAbort: (what) => { if (started) engineStopped(`it aborted (${what})`); else reject(new Error(`the engine stopped (${what})`)); },
    }).then((M) => { window.__neuronlabModule = M; }, reject);
  });
  try {
    await ready;
  } catch (e) {
    if (fatal) {
      return showMessage('NeuronLab could not start', [fatal,
        'Enable hardware acceleration in the browser settings, or try another browser.']);
    }
    throw new Error(`could not download or start ${name}.wasm: ${e.message}`);
  }
  // The factory's promise resolves after main() has run; wait for it so the module is in hand.
  while (!window.__neuronlabModule) await new Promise((r) => setTimeout(r, 5));
  const M = window.__neuronlabModule;
  started = true;
  $('loading').hidden = true;
  window.lab = makeApi(M, M.appLab(), {
    mode: mt ? 'mt' : 'st',
    fetchAsset,
    ui: {
      /** Every widget of the last frame: {window, label, id, flags, x, y, w, h}, CSS px from the canvas' corner. */
      items: () => M.uiItems(),
      /** The app's state (frame count, frame time, threads, theme, diagnostics …). */
      state: () => JSON.parse(M.appState()),
      /** "Describe this view": the numbers behind the plots on screen, as sentences (what the D key reads out). */
      describe: () => M.uiDescribe(),
      /** The panels' layout; a patch ({mode, dataWidth, networkWidth, leftWidth, trainingHeight, collapsed,
       *  maximised, tab}) is applied first. Remembered for the next visit, as the user's own changes are. */
      layout: (patch) => {
        const r = JSON.parse(M.uiLayout(patch === undefined ? '' : JSON.stringify(patch)));
        if (r.error) throw new NeuronLabError(`ui.layout: ${r.error}`);
        return r.layout;
      },
    },
  });
  // The layout the user left last time (a bad or outdated one is dropped: the defaults then).
  try {
    const saved = localStorage.getItem(LAYOUT_KEY);
    if (saved && JSON.parse(M.uiLayout(saved)).error) localStorage.removeItem(LAYOUT_KEY);
  } catch { /* storage refused: the default layout */ }
  await openStartState(M);
  document.dispatchEvent(new CustomEvent('neuronlab-ready'));
  // The file-backed datasets (MNIST …) are fetched when they are picked, with a progress bar — not before:
  // the first visit downloads the lab only.
}

// A dataset's data file: data/<file>.gz (gzip, compressed at build time), decompressed with the browser's
// own DecompressionStream; the plain file where no .gz is served. onProgress(fraction) as the bytes arrive.
async function fetchAsset(asset, onProgress) {
  let res = await fetch(`data/${asset}.gz`);
  if (res.status === 404) res = await fetch(`data/${asset}`);
  if (!res.ok) throw new Error(`could not download data/${asset} (HTTP ${res.status})`);
  const total = Number(res.headers.get('content-length')) || 0;
  const chunks = [];
  let got = 0;
  if (res.body && res.body.getReader) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      got += value.length;
      if (onProgress && total > 0) onProgress(Math.min(1, got / total));
    }
  } else {
    chunks.push(new Uint8Array(await res.arrayBuffer()));
  }
  if (onProgress) onProgress(1);  // (also when the server did not say the length)
  const blob = new Blob(chunks);
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  // (a server that sends the .gz with Content-Encoding: gzip has had the browser decompress it already)
  if (head[0] !== 0x1f || head[1] !== 0x8b) return new Uint8Array(await blob.arrayBuffer());
  if (typeof DecompressionStream === 'undefined') {
    throw new Error('this browser cannot decompress the data files (DecompressionStream: Chrome 80, Firefox 113, Safari 16.4 or later)');
  }
  return new Uint8Array(await new Response(blob.stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

// ---- the UI's requests (ui/state/controller.h Request) ---------------------------------------------------
let moduleRef = null;
let started_ = false;  // the link / autosave has been read: from now on the UI's state may overwrite them
const linkOf = (state) => `${location.origin}${location.pathname}${encodeState(state)}`;

function saveLocally(text) {
  try { localStorage.setItem(AUTOSAVE_KEY, text); } catch { /* storage full or refused: the URL still holds it */ }
}

// The run as it stands (`text`: the UI's share state, `state` its parse) into the address bar and the autosave.
let savedHere = false;  // this page has saved the run at least once
function keepState(text, state) {
  history.replaceState(null, '', encodeState(state));
  saveLocally(text);
  savedHere = true;
  if (Number.isInteger(state.step)) savedStep = state.step;
}

// Leaving the page (a reload, a closed tab, a tab hidden and maybe discarded): save the run as it stands
// now, not at the UI's next save (every 2 s while training) — once this page has saved anything at all:
// until the user changes something, a kept autosave (one that could not be restored yet) stays.
function saveNow() {
  const M = moduleRef || window.__neuronlabModule;
  if (!started_ || !savedHere || !M || !M.uiShareState) return;
  try {
    const text = M.uiShareState();
    const state = JSON.parse(text);
    if (state && state.reproducible !== false) keepState(text, state);
  } catch { /* the engine has stopped: the last save stands */ }
}
addEventListener('pagehide', saveNow);
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') saveNow(); });

function download(name, mime, text, bytes) {
  const blob = new Blob([bytes || text], { type: mime || 'application/octet-stream' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function pickFile(what, accept) {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.style.display = 'none';
  input.addEventListener('change', async () => {
    const f = input.files && input.files[0];
    input.remove();
    if (!f) return;
    const bytes = new Uint8Array(await f.arrayBuffer());
    moduleRef.uiDeliverFile(what, f.name, bytes);
  });
  document.body.appendChild(input);
  input.click();
}

// The user's choices in a layout (not where the panels went on this screen).
function pickLayout(l) {
  const keys = ['mode', 'dataWidth', 'networkWidth', 'leftWidth', 'trainingHeight', 'collapsed', 'maximised', 'tab'];
  return Object.fromEntries(keys.filter((k) => k in l).map((k) => [k, l[k]]));
}

function handleRequest(kind, name, mime, text, bytes) {
  const M = moduleRef || window.__neuronlabModule;
  moduleRef = M;
  try {
    if (kind === 'live') { $('live').textContent = text; return; }
    if (kind === 'layout') {
      try { localStorage.setItem(LAYOUT_KEY, JSON.stringify(pickLayout(JSON.parse(text)))); } catch { /* refused: not remembered */ }
      return;
    }
    if (kind === 'tour_done') { try { localStorage.setItem(TOUR_KEY, '1'); } catch { /* refused: the tour shows again */ } return; }
    if (kind === 'state') {
      if (!started_) return;  // the default lab of the first frames must not replace the link being opened
      keepState(text, JSON.parse(text));
      return;
    }
    if (kind === 'copy_link') {
      const url = linkOf(JSON.parse(text));
      if (name !== 'classroom') keepState(text, JSON.parse(text));
      const done = (ok) => M.uiLink(url, ok);
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(() => done(true), () => done(false));
      else done(false);
      window.lab.lastLink = url;
      return;
    }
    if (kind === 'download') { download(name, mime, text, bytes); return; }
    if (kind === 'open_file') { pickFile(name, mime); return; }
    if (kind === 'fetch_dataset') {
      window.lab.loadDataset(name, { onProgress: (p) => M.uiDownloadProgress(name, p) })
        .then(() => M.uiDatasetReady(name, ''), (e) => M.uiDatasetReady(name, e.message || String(e)));
      return;
    }
  } catch (e) {
    console.error(`NeuronLab: request ${kind} failed`, e);
  }
}

// ---- what the page opens with: a link's experiment, else the autosaved one, else the default ---------
async function openStartState(M) {
  moduleRef = M;
  try {
    await openStartStateInner(M);
  } finally {
    started_ = true;
  }
}

async function openStartStateInner(M) {
  const lab = window.lab;
  // The UI builds its first experiment on the job thread: the defaults are that experiment's spec.
  for (let t = 0; !M.appLab().hasExperiment() && t < 30000; t += 10) await new Promise((r) => setTimeout(r, 10));
  const hash = location.hash;
  const fileBacked = (name) => lab.registries().datasets.some((d) => d.name === name && d.asset && name !== 'csv');
  if (hash && hash.length > 1) {
    let result;
    try {
      result = await loadFromHash(lab, hash, lab.spec());
    } catch (e) {
      M.uiNotify(`This link could not be read (${e.message}); the default lab is shown instead.`);
      return;
    }
    const { state, ignored, loaded } = result;
    if (ignored.length) {
      M.uiNotify(`This link had parts that could not be used, so they were left out: ${ignored.join('; ')}.` +
                 (loaded ? '' : ' The default lab is shown instead.'));
    }
    if (state.classroom) M.uiSetClassroom(JSON.stringify(state.classroom));
    const events = Array.isArray(state.events) ? state.events : [];
    const step = Number.isInteger(state.step) ? state.step : 0;
    if (loaded && (events.length || step > 0)) {
      M.uiReplay(JSON.stringify({ spec: lab.spec(), events, step }), `Opening the shared experiment (replaying ${step.toLocaleString('en-US')} steps)…`);
    }
    return;
  }
  let saved = null;
  try { saved = localStorage.getItem(AUTOSAVE_KEY); } catch { /* storage refused */ }
  if (!saved) {
    // A first visit (no link, nothing saved, no tour seen): the tour of the four panels.
    let toured = false;
    try { toured = !!localStorage.getItem(TOUR_KEY); } catch { toured = true; /* storage refused: no tour each visit */ }
    if (!toured && M.uiTour) M.uiTour();
    return;
  }
  try {
    const state = JSON.parse(saved);
    if (Number.isInteger(state?.step)) savedStep = state.step;
    const name = state?.spec?.data?.name;
    if (typeof name === 'string' && fileBacked(name)) await lab.loadDataset(name);
    if (state.classroom) M.uiSetClassroom(JSON.stringify(state.classroom));
    M.uiReplay(saved, 'Restoring your last experiment…');
  } catch (e) {
    // Kept: a later reload (the network back, the data file downloaded) may restore it; the next change
    // in this page replaces it.
    M.uiNotify(`Your last experiment could not be restored (${e.message}); starting with the default lab.`);
  }
}

boot().catch(onBootError);
