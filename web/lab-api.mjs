// NeuronLab JS API — the one wrapper between JavaScript and the core's Embind bindings, shared by the
// page (window.lab) and Node (web/node.mjs). Validation of user input and readable errors live here:
// every failure is thrown as a NeuronLabError whose message says what was wrong and what to do.
// Arrays returned are copies (they never alias wasm memory). Types: web/lab.d.ts. Docs: docs/api.md.

export class NeuronLabError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NeuronLabError';
  }
}

function fail(message) {
  throw new NeuronLabError(message);
}

// A layer reference: a model layer index (info().layers[i].index) or a layer's spec id ("conv1"), as the
// text the core takes.
function layerRef(what, v) {
  if (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v)) return v;
  if (typeof v === 'string') fail(`${what} must be a layer index or a layer id (letters, digits, _; got ${describe(v)})`);
  checkInt(what, v, 0, 1 << 20);
  return String(v);
}

function checkInt(what, v, min, max) {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(`${what} must be an integer (got ${describe(v)})`);
  if (v < min || v > max) fail(`${what} must be between ${min} and ${max} (got ${v})`);
  return v;
}

// The dataset a model file (either format) was trained on, read from its spec without building it; null
// when the file does not say (the core then reports what is wrong with it).
function datasetOfModelFile(u8) {
  try {
    let text;
    const magic = [0x4e, 0x4c, 0x4d, 0x4f, 0x44, 0x45, 0x4c, 0x31];  // "NLMODEL1"
    if (u8.length >= 16 && magic.every((b, i) => u8[i] === b)) {
      const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
      const len = dv.getUint32(12, true);
      if (16 + len > u8.length) return null;
      text = new TextDecoder().decode(u8.subarray(16, 16 + len));
      return JSON.parse(text)?.data?.name ?? null;
    }
    const m = /"data"\s*:\s*\{[^{}]*?"name"\s*:\s*"([a-z_0-9]+)"/.exec(new TextDecoder().decode(u8));
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

function toFloat32(what, a) {
  if (a instanceof Float32Array) return a;
  if (ArrayBuffer.isView(a) && !(a instanceof DataView) && !(a instanceof BigInt64Array) && !(a instanceof BigUint64Array)) {
    return Float32Array.from(a);
  }
  if (Array.isArray(a)) {
    const bad = a.findIndex((x) => typeof x !== 'number');
    if (bad >= 0) fail(`${what}[${bad}] is not a number (got ${describe(a[bad])})`);
    return Float32Array.from(a);
  }
  fail(`${what} must be a Float32Array or an array of numbers (got ${describe(a)})`);
}

const tick = () => new Promise((r) => setTimeout(r, 1));

// Turns a binding's {error} value into a thrown NeuronLabError.
function unwrap(r) {
  if (r && typeof r === 'object' && typeof r.error === 'string') fail(r.error);
  return r;
}

// Waits (without blocking) until a core Job has finished; returns what `take` reads from it.
async function finish(job, take) {
  try {
    while (!job.finished()) await tick();
    const state = job.state();
    if (state === 'failed') fail(job.error());
    if (state === 'cancelled') fail('The job was cancelled.');
    return take(job);
  } finally {
    job.delete();
  }
}

// finish() with progress reports and cancellation through an AbortSignal.
async function watch(job, { onProgress, signal } = {}, take) {
  if (onProgress !== undefined && typeof onProgress !== 'function') { job.delete(); fail('options.onProgress must be a function'); }
  if (signal?.aborted) job.cancel();
  const abort = () => { try { job.cancel(); } catch { /* already finished */ } };
  signal?.addEventListener?.('abort', abort);
  const t = onProgress ? setInterval(() => { try { onProgress(job.progress()); } catch { /* finished */ } }, 100) : null;
  try {
    return await finish(job, take);
  } finally {
    if (t) clearInterval(t);
    signal?.removeEventListener?.('abort', abort);
  }
}

/**
 * Builds the API object around an instantiated module and its Lab.
 * @param M     the Emscripten module (createNeuronLab / createNeuronLabCore)
 * @param core  a Module.Lab instance (the page's own: M.appLab(); Node: new M.Lab(n))
 * @param opts  { mode: 'mt' | 'st' | 'node', ui?: {items, state}, close?: () => void }
 */
export function makeApi(M, core, opts = {}) {
  const info = M.buildInfo();
  // dataset name → its data file ('' for generated datasets), from the core's registry.
  const assets = new Map(JSON.parse(M.registries()).datasets.map((d) => [d.name, d.asset || '']));
  const assetOf = (name) => assets.get(name);
  const downloads = new Map();  // data file → {promise, listeners}: the downloads in flight
  let closed = false;
  const live = () => { if (closed) fail('This lab was closed; create a new one.'); };
  // eslint-disable-next-line prefer-const
  let api;
  api = {
    /** The core's version, e.g. "0.1.0". */
    version: () => info.version,
    /** Build and runtime facts: SIMD, threads, mode ('mt' threads, 'st' single-threaded fallback, 'node'). */
    build: () => ({
      version: info.version,
      simd: info.simd,
      threadsEnabled: info.threadsEnabled,
      wasm: info.wasm,
      compiler: info.compiler,
      mode: opts.mode,
      hardwareThreads: info.hardwareThreads,
      maxThreads: core.maxThreads(),
    }),
    /** Threads the kernels use now (1 … maxThreads()). */
    threads: () => { live(); return core.threads(); },
    /** The most threads this lab can use (its pool size). */
    maxThreads: () => { live(); return core.maxThreads(); },
    /** Sets the threads kernels use; clamped to [1, maxThreads()]; returns the value in force. */
    setThreads(n) {
      live();
      checkInt('setThreads(n): n', n, 1, Number.MAX_SAFE_INTEGER);
      return core.setThreads(Math.min(n, 0x7fffffff));
    },
    /** Forces every kernel's plain reference variant (slow; for checking the SIMD kernels). */
    setForceReference(on) {
      live();
      if (typeof on !== 'boolean') fail(`setForceReference(on): on must be true or false (got ${describe(on)})`);
      core.setForceReference(on);
    },
    forceReference: () => { live(); return core.forceReference(); },
    /**
     * C = op(A)·op(B), computed by the core's SIMD kernel on its worker threads.
     * a: M×K (K×M with transA), b: K×N (N×K with transB), row-major. Resolves to C (M×N) as a new Float32Array.
     */
    async matmul(a, b, shape = {}) {
      live();
      if (shape === null || typeof shape !== 'object') fail('matmul(a, b, shape): shape must be an object {m, k, n}');
      const { m, k, n, transA = false, transB = false } = shape;
      checkInt('matmul: shape.m', m, 1, 1 << 26);
      checkInt('matmul: shape.k', k, 1, 1 << 26);
      checkInt('matmul: shape.n', n, 1, 1 << 26);
      const fa = toFloat32('matmul: a', a), fb = toFloat32('matmul: b', b);
      const job = unwrap(core.matmul(fa, fb, m, k, n, !!transA, !!transB));
      return finish(job, (j) => j.result());
    },
    /**
     * Times an n×n×n matrix multiply on 1 thread and on threads(), and checks the results are
     * bit-identical. Resolves to {n, reps, threads, gflops_1, gflops_n, speedup, bit_identical, max_abs_diff_vs_ref}.
     */
    async benchMatmul(options = {}) {
      live();
      if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(`benchMatmul(options): options must be an object like {n: 256, reps: 3} (got ${describe(options)})`);
      const { n = 256, reps = 3 } = options;
      checkInt('benchMatmul: n', n, 1, 4096);
      checkInt('benchMatmul: reps', reps, 1, 1000);
      const job = unwrap(core.matmulBench(n, reps));
      return finish(job, (j) => JSON.parse(j.resultJson()));
    },
    // ---- experiments ---------------------------------------------------------------------------
    /** The registries: datasets, layers, activations, losses, optimizers, schedules, initializers. */
    registries: () => JSON.parse(M.registries()),
    /**
     * Loads an experiment spec (JSON text or an object; the same text a shared URL holds) and makes it
     * the current experiment. Throws a NeuronLabError naming the bad field; the current experiment is
     * then untouched. Returns {warnings}: fields that were ignored. Returns as soon as the dataset and the
     * model are built: the evaluation at step 0 is a job on the core's threads (metrics().evaluating; await
     * evaluated() for its metrics). Jobs started later (train, …) run after it.
     */
    load(spec) {
      live();
      let text;
      if (typeof spec === 'string') text = spec;
      else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) text = JSON.stringify(spec);
      else fail(`load(spec): spec must be a JSON string or an object (got ${describe(spec)})`);
      // A dataset read from a file (mnist, …): hand its bytes to the core first if they are at hand.
      let name;
      try { name = JSON.parse(text)?.data?.name; } catch { /* the core reports bad JSON */ }
      const asset = typeof name === 'string' && name !== 'csv' && assetOf(name);  // csv: the user's, via loadCsv
      if (asset && !core.hasAsset(name)) {
        const bytes = opts.readAssetSync ? opts.readAssetSync(asset) : null;
        if (bytes) unwrap(core.setAsset(name, bytes));
        else fail(`dataset '${name}' needs its data file ${asset}, which has not been downloaded yet: await lab.loadDataset('${name}') first`);
      }
      return { warnings: unwrap(core.load(text)).warnings };
    },
    /**
     * Makes a file-backed dataset (digits, mnist, fashion_mnist) available: fetches data/<file>.gz (page,
     * compressed at build time; options.onProgress(fraction) hears the download) or reads it from dist/data
     * (Node), once. Resolves when load() can use it. Generated datasets need nothing.
     */
    async loadDataset(name, options = {}) {
      live();
      if (typeof name !== 'string') fail(`loadDataset(name): name must be a string (got ${describe(name)})`);
      if (options === null || typeof options !== 'object') fail(`loadDataset(name, options): options must be an object like {onProgress} (got ${describe(options)})`);
      const onProgress = options.onProgress;
      if (onProgress !== undefined && typeof onProgress !== 'function') fail(`loadDataset: options.onProgress must be a function (fraction in [0, 1])`);
      const asset = assetOf(name);
      if (asset === undefined) fail(`loadDataset: '${name}' is not a known dataset`);
      if (name === 'csv') fail(`loadDataset: 'csv' is your own table: hand it in with loadCsv(text)`);
      if (!asset || core.hasAsset(name)) return;
      if (!opts.fetchAsset) fail(`loadDataset: this lab cannot fetch data files`);
      // One download per file, however many ask for it meanwhile (each hears the progress).
      let d = downloads.get(asset);
      if (!d) {
        d = { listeners: new Set() };
        d.promise = opts.fetchAsset(asset, (p) => { for (const f of d.listeners) try { f(p); } catch { /* a listener's own fault */ } })
          .finally(() => downloads.delete(asset));
        downloads.set(asset, d);
      }
      if (onProgress) d.listeners.add(onProgress);
      const bytes = await d.promise;
      live();
      if (!core.hasAsset(name)) unwrap(core.setAsset(name, bytes));
    },
    /**
     * Changes training hyper-parameters from the next step on — optimizer, schedule, batch_size,
     * regularization — by a patch of the spec, e.g. {optimizer: {lr: 0.01}} or {regularization: {l2: 1e-4}}.
     * Returns the new spec. Data, model and seed cannot change in a run (use load).
     */
    setHyperparameters(patch) {
      live();
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) fail(`setHyperparameters(patch): patch must be an object like {optimizer: {lr: 0.01}} (got ${describe(patch)})`);
      return JSON.parse(unwrap(core.setHyperparameters(JSON.stringify(patch))));
    },
    /**
     * Hands in your own table (CSV text: a header row, numeric feature columns, a label column) as the
     * dataset 'csv'; then load a spec with data {name: 'csv', label_column?: k}. Nothing leaves the
     * browser. A malformed table throws naming the first bad row and column.
     */
    loadCsv(text) {
      live();
      if (typeof text !== 'string') fail(`loadCsv(text): text must be a string (got ${describe(text)})`);
      unwrap(core.setAsset('csv', new TextEncoder().encode(text)));
    },
    /** The current experiment's spec, every field filled in, seed included (an object; JSON.stringify it for text). */
    spec() { live(); return JSON.parse(unwrap(core.spec())); },
    /**
     * Trains `steps` mini-batch steps on the core's threads; resolves to metrics() when done. Rejects
     * with the reason if the run diverges (the weights stay those before the failing step).
     * options.evaluate (default true): evaluate on the train and test sets afterwards; options.onProgress(p)
     * and options.signal (an AbortSignal): progress and cancellation — a cancelled run keeps the steps it
     * took (rejecting with "The job was cancelled.").
     */
    async train(steps = 1, options = {}) {
      live();
      checkInt('train(steps): steps', steps, 0, 1e8);
      const evaluate = options?.evaluate ?? true;
      if (typeof evaluate !== 'boolean') fail(`train(steps, options): options.evaluate must be true or false (got ${describe(evaluate)})`);
      const job = unwrap(core.train(steps, evaluate));
      return watch(job, options ?? {}, () => api.metrics());
    },
    /**
     * {step, epoch, trainLoss, testLoss, trainAccuracy, testAccuracy, regLoss, batchLoss, lr, trainRmse, testRmse,
     * trainR2, testR2, confusion, perClassAccuracy, diverged, divergedReason, stopped, stopReason, evaluating}.
     * evaluating: the evaluation started by load(), reset() or importModel() is still running (the losses are
     * null until it is done, right after a load: await evaluated()).
     */
    metrics() { live(); return JSON.parse(unwrap(core.metrics())); },
    /**
     * Resolves to metrics() once the current experiment's evaluation (started by load(), reset() or
     * importModel(), a job on the core's threads) is done; at once when none is running.
     * options: {onProgress(p), signal} — an aborted signal cancels the evaluation (the metrics then keep
     * null losses; train() evaluates again).
     */
    async evaluated(options = {}) {
      live();
      if (options === null || typeof options !== 'object') fail('evaluated(options): options must be an object {onProgress?, signal?}');
      for (;;) {
        const job = core.hasExperiment() ? core.evaluation() : null;
        if (job === null) return core.hasExperiment() ? api.metrics() : fail('no experiment is loaded: call load(spec) first');
        if (job.state() === 'cancelled') {  // the newest evaluation, cancelled with nothing after it
          job.delete();
          if (options.signal?.aborted) fail('The job was cancelled.');
          return api.metrics();
        }
        try {
          await watch(job, options, () => null);
          return api.metrics();
        } catch (e) {
          // Superseded by a newer evaluation (a reset, a load, the page's own refresh): look again.
          if (options.signal?.aborted || !/cancelled/.test(e.message)) throw e;
        }
      }
    },
    /** Hex digest of every parameter: equal digests = the same weights, bit for bit. */
    digest() { live(); return unwrap(core.digest()); },
    /** n rows of inputs (n × input size, row-major) → n rows of outputs, as a new Float32Array. */
    predict(inputs, n) {
      live();
      checkInt('predict(inputs, n): n', n, 1, 1 << 24);
      return unwrap(core.predict(toFloat32('predict: inputs', inputs), n));
    },
    /** The model (spec + weights): format 'binary' (default) → Uint8Array, 'json' → string. */
    exportModel(format = 'binary') {
      live();
      if (format === 'binary') return unwrap(core.exportModelBinary());
      if (format === 'json') return unwrap(core.exportModelJson());
      fail(`exportModel(format): format must be 'binary' or 'json' (got ${describe(format)})`);
    },
    /**
     * Replaces the current experiment with a saved model (Uint8Array / ArrayBuffer of either format, or
     * the JSON text). A malformed or truncated file throws and leaves the current model untouched.
     * Returns a Promise that resolves when the model is in place: at once (the import is done when the call
     * returns) unless the model's dataset has a data file not downloaded yet, which is fetched first. Its
     * evaluation is a job, like load()'s: await evaluated() for the metrics.
     */
    importModel(bytes) {
      live();
      let u8;
      if (bytes instanceof Uint8Array) u8 = bytes;
      else if (bytes instanceof ArrayBuffer) u8 = new Uint8Array(bytes);
      else if (ArrayBuffer.isView(bytes)) u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      else if (typeof bytes === 'string') u8 = new TextEncoder().encode(bytes);
      else fail(`importModel(bytes): bytes must be a Uint8Array, an ArrayBuffer or the JSON text (got ${describe(bytes)})`);
      // A model of a file-backed dataset (digits, mnist, …): hand the core its data first, as load() does;
      // when it is not here yet, fetch it (the page) and import then.
      const name = datasetOfModelFile(u8);
      const asset = typeof name === 'string' && name !== 'csv' && assetOf(name);
      if (asset && !core.hasAsset(name)) {
        const b = opts.readAssetSync ? opts.readAssetSync(asset) : null;
        if (b) unwrap(core.setAsset(name, b));
        else if (opts.fetchAsset) {
          const copy = new Uint8Array(u8);  // the caller may reuse its buffer meanwhile
          return api.loadDataset(name).then(() => { live(); unwrap(core.importModel(copy)); });
        } else fail(`this model was trained on '${name}', whose data file ${asset} is not available: await lab.loadDataset('${name}') first, then import it again`);
      }
      unwrap(core.importModel(u8));
      return Promise.resolve();
    },
    // ---- the run's history, editing, looking inside ------------------------------------------------
    /**
     * Trains like train(), but obeys the spec's stop conditions ({stop: {epochs, test_loss, test_accuracy}}),
     * checked at the end of every epoch; the metrics' `stopped`/`stopReason` say when one was met.
     */
    async trainUntil(steps = 1, options = {}) {
      live();
      checkInt('trainUntil(steps): steps', steps, 0, 1e8);
      const evaluate = options?.evaluate ?? true;
      if (typeof evaluate !== 'boolean') fail(`trainUntil(steps, options): options.evaluate must be true or false (got ${describe(evaluate)})`);
      const job = unwrap(core.trainUntil(steps, evaluate));
      return watch(job, options ?? {}, () => api.metrics());
    },
    /** {spec, events, step, reproducible}: the spec as loaded, every change since (with its step), the step now. */
    history() { live(); return JSON.parse(unwrap(core.history())); },
    /**
     * Rebuilds a history (from history(), a link or a file): loads its spec, applies its events at their
     * steps and trains to `step` (default: the history's own). Resolves to the metrics; the replayed run
     * becomes current. A bad history rejects and leaves the current experiment as it was.
     * options.onProgress(fraction) is called while it runs.
     */
    async replay(history, options = {}) {
      live();
      let text;
      if (typeof history === 'string') text = history;
      else if (history !== null && typeof history === 'object' && !Array.isArray(history)) text = JSON.stringify(history);
      else fail(`replay(history): history must be an object {spec, events, step} or its JSON text (got ${describe(history)})`);
      const step = options?.step ?? -1;
      if (step !== -1) checkInt('replay: options.step', step, 0, 1e8);
      let name;
      try { name = JSON.parse(text)?.spec?.data?.name; } catch { /* the core reports bad JSON */ }
      const asset = typeof name === 'string' && name !== 'csv' && assetOf(name);
      if (asset && !core.hasAsset(name)) {
        if (opts.readAssetSync) { const b = opts.readAssetSync(asset); if (b) unwrap(core.setAsset(name, b)); }
        else if (opts.fetchAsset) await api.loadDataset(name);
      }
      const job = unwrap(core.replay(text, step));
      const onProgress = typeof options?.onProgress === 'function' ? options.onProgress : null;
      if (onProgress) {
        const t = setInterval(() => { try { if (!job.isDeleted?.()) onProgress(job.progress()); } catch { /* finished */ } }, 100);
        try { return await finish(job, () => api.metrics()); } finally { clearInterval(t); }
      }
      return finish(job, () => api.metrics());
    },
    /**
     * Re-initialises the weights from the seed (the spec as it stands now), back to step 0. Logged in history().
     * Returns at once; the evaluation at step 0 is a job (await evaluated()).
     */
    reset() { live(); unwrap(core.reset()); },
    /**
     * Sets one value: element `index` of parameter `param` (any name info().layers[i].params lists:
     * 'weight', 'bias', 'running_mean', …) of layer `layer` (an index of info().layers, or a layer's spec
     * id such as 'conv1'). Logged in history(), so a shared link replays it. Returns the old value.
     */
    setWeight(layer, param, index, value) {
      live();
      const ref = layerRef('setWeight(layer, param, index, value): layer', layer);
      if (typeof param !== 'string' || !param) fail(`setWeight: param must be a parameter name such as 'weight' or 'bias' (got ${describe(param)})`);
      checkInt('setWeight: index', index, 0, Number.MAX_SAFE_INTEGER);
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`setWeight: value must be a finite number (got ${describe(value)})`);
      return unwrap(core.setWeight(ref, param, index, value));
    },
    /** The current network and data: {task, inputShape, featureNames, classNames, nTrain, nTest, numParams, layers: [{index, type, outputShape, params}]}. */
    info() { live(); return JSON.parse(unwrap(core.info())); },
    /** A copy of one parameter tensor (row-major; its shape is in info().layers[layer].params); layer: an index or a spec id. */
    weights(layer, param = 'weight') {
      live();
      const ref = layerRef('weights(layer, param): layer', layer);
      if (typeof param !== 'string' || !param) fail(`weights: param must be a parameter name such as 'weight' or 'bias' (got ${describe(param)})`);
      return unwrap(core.weights(ref, param));
    },
    /** Every layer's output for n inputs: an array (one per layer of info().layers) of Float32Arrays (n × that layer's size). */
    activations(inputs, n) {
      live();
      checkInt('activations(inputs, n): n', n, 1, 1 << 20);
      return unwrap(core.activations(toFloat32('activations: inputs', inputs), n));
    },
    /**
     * 2-D data: the network over the plane [x0, x1] × [y0, y1] (the decision surface the Views draw):
     * {grid, x0, x1, y0, y1, points: Float32Array (grid², 2), outputs: Float32Array (grid², outputs)};
     * row 0 is the top (y = y1). options.grid: cells per side (2 to 512, default 64).
     */
    surface(options = {}) {
      live();
      const grid = options?.grid ?? 64;
      checkInt('surface(options): options.grid', grid, 2, 512);
      return unwrap(core.surface(grid));
    },
    /**
     * The test samples the network gets most confidently wrong (what the Views list): resolves to
     * [{index, label, predicted, p}], most confident first. options: scan (test samples looked at,
     * default 2000), max (default 64), onProgress, signal.
     */
    async mostConfused(options = {}) {
      live();
      const { scan = 2000, max = 64, onProgress, signal } = options ?? {};
      checkInt('mostConfused(options): options.scan', scan, 1, 1000000);
      checkInt('mostConfused(options): options.max', max, 1, 10000);
      const job = unwrap(core.mostConfused(scan, max));
      return watch(job, { onProgress, signal }, (j) => JSON.parse(j.resultJson()));
    },
    /**
     * One neuron (a dense unit, or a conv channel: its mean) over the test set, as the neuron inspector
     * shows it: resolves to {values: Float32Array (its activation per sample), top, topValue, incoming,
     * outgoing, bias, title}. options: samples (default 2000), onProgress, signal.
     */
    async neuron(layer, unit, options = {}) {
      live();
      const { samples = 2000, onProgress, signal } = options ?? {};
      checkInt('neuron(layer, unit, options): layer', layer, 0, 1 << 20);
      checkInt('neuron(layer, unit, options): unit', unit, 0, 1 << 30);
      checkInt('neuron(layer, unit, options): options.samples', samples, 1, 1000000);
      const job = unwrap(core.neuron(layer, unit, samples));
      return watch(job, { onProgress, signal }, (j) => ({ values: j.result(), ...JSON.parse(j.resultJson()) }));
    },
    /**
     * Runs n inputs through a copy of the network with hooks at its probes (probes()): {probe, kind,
     * units?, value?} with kind 'record' (the activity), 'replace' (activation patching: set the units to
     * `value`), 'mask' (multiply by `value`: 0 ablates a unit) or 'add' (steering). `value` holds one
     * number per unit (all units, or those in `units`), or n rows of them. Returns {outputs: Float32Array
     * (n × outputs), records: [{probe, values: Float32Array (n × units)}]} for the record hooks, in order.
     * Training is not disturbed.
     */
    intervene(inputs, n, hooks = []) {
      live();
      checkInt('intervene(inputs, n, hooks): n', n, 1, 100000);
      if (!Array.isArray(hooks)) fail(`intervene: hooks must be a list of {probe, kind, units?, value?} (got ${describe(hooks)})`);
      const plain = hooks.map((h) => (h && typeof h === 'object' && h.value && ArrayBuffer.isView(h.value) ? { ...h, value: Array.from(h.value) } : h));
      return unwrap(core.intervene(toFloat32('intervene: inputs', inputs), n, JSON.stringify(plain)));
    },
    /** The network's probes: [{name, layer, shape, units}], one per model layer, named by its spec id or "layer<i>". */
    probes() { live(); return JSON.parse(unwrap(core.probes())); },
    /** A probe's activity for n inputs (n × input size): a Float32Array (n, T, N) with .shape; T = 1 for a feed-forward layer. */
    probe(name, inputs, n) {
      live();
      if (typeof name !== 'string' || !name) fail(`probe(name, inputs, n): name must be a probe name from probes() (got ${describe(name)})`);
      checkInt('probe(name, inputs, n): n', n, 1, 1 << 20);
      const out = unwrap(core.probe(name, toFloat32('probe: inputs', inputs), n));
      out.shape = [n, 1, out.length / n];
      return out;
    },
    /** Rows [start, start + count) of a split: {x: inputs, y: labels (classification) or targets}. */
    samples(split = 'test', start = 0, count = 16) {
      live();
      if (split !== 'train' && split !== 'test') fail(`samples(split, start, count): split must be 'train' or 'test' (got ${describe(split)})`);
      checkInt('samples: start', start, 0, Number.MAX_SAFE_INTEGER);
      checkInt('samples: count', count, 0, 1 << 24);
      return unwrap(core.samples(split, start, count));
    },
    // ---- attributions --------------------------------------------------------------------------------
    /**
     * The attribution methods' registry: [{name, title, family, description, hasDelta, layerOutput,
     * needsBackground, heavy, params: [{name, kind, default, min, max, choices, help}]}].
     */
    methods: () => JSON.parse(M.attributionMethods()),
    /**
     * Attributes `input` (one input, or n inputs back to back: n × input size values) with `method`.
     * options: the method's parameters (see methods(): target, steps, baseline, rule, window, samples,
     * seed, noise, …) plus onProgress(fraction) and signal (an AbortSignal that cancels the job).
     * Resolves to a Float32Array of the map (the input's shape; a layer method's: that layer's), with
     * .shape (per input), .delta (the convergence delta; an array for n > 1; null where the method has
     * none), .target (the explained output; an array for n > 1), .f, .method, .params, .ms.
     */
    async attribute(method, input, options = {}) {
      live();
      if (typeof method !== 'string') fail(`attribute(method, input, options): method must be a name from methods() (got ${describe(method)})`);
      if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(`attribute: options must be an object (got ${describe(options)})`);
      const { onProgress, signal, ...params } = options;
      const x = toFloat32('attribute: input', input);
      const size = core.inputSize();
      if (x.length === 0 || x.length % size !== 0) fail(`attribute: input has ${x.length} values; the model takes ${size} per input (or a multiple of it for several inputs)`);
      const n = x.length / size;
      // A small gradient map (a 2-D MLP's) is computed at once, with no job's round trip; a call that asks
      // for progress or may be cancelled gets its job.
      const now = onProgress === undefined && !signal ? unwrap(core.attributeNow(method, x, n, JSON.stringify(params))) : null;
      const r = now ? { map: now.map, meta: JSON.parse(now.json) }
        : await watch(unwrap(core.attribute(method, x, n, JSON.stringify(params))), { onProgress, signal },
          (j) => ({ map: j.result(), meta: JSON.parse(j.resultJson()) }));
      const out = r.map;
      const one = (v) => (v === null || v === undefined ? null : n === 1 ? v[0] : v);
      Object.assign(out, { shape: r.meta.shape, delta: one(r.meta.delta), target: one(r.meta.targets), f: one(r.meta.f),
        method: r.meta.method, params: r.meta.params, ms: r.meta.ms });
      return out;
    },
    /**
     * The attribution arena: runs every method of config.methods (names or {method, options, label}) on
     * the first config.count test samples and scores them (ground truth, faithfulness, robustness,
     * sanity, agreement; docs/attributions.md). Resolves to the report object. options: onProgress, signal.
     */
    async arena(config = {}, options = {}) {
      live();
      if (config === null || typeof config !== 'object' || Array.isArray(config)) fail(`arena(config): config must be an object {methods, count, …} (got ${describe(config)})`);
      const job = unwrap(core.arena(JSON.stringify(config)));
      return watch(job, options ?? {}, (j) => JSON.parse(j.resultJson()));
    },
    /** Releases the lab's threads and memory (Node). The page's lab lives as long as the page. */
    close() {
      if (closed) return;
      closed = true;
      if (opts.close) opts.close();
    },
  };
  if (opts.ui) api.ui = opts.ui;
  return api;
}
