// Types of the NeuronLab JS API: window.lab in the page, and createLab() in Node (web/node.mjs).
// Documentation: docs/api.md.

/** Every error the API throws or rejects with: the message says what was wrong and what to do. */
export declare class NeuronLabError extends Error {
  name: 'NeuronLabError';
}

export interface BuildInfo {
  /** The core's version, "MAJOR.MINOR.PATCH". */
  version: string;
  /** Built with 128-bit SIMD kernels (wasm simd128). */
  simd: boolean;
  /** Built with threads (false in the single-threaded fallback). */
  threadsEnabled: boolean;
  wasm: boolean;
  compiler: string;
  /** 'mt': threaded page; 'st': single-threaded fallback page; 'node': the Node module. */
  mode: 'mt' | 'st' | 'node';
  /** Logical cores the runtime reports (navigator.hardwareConcurrency, or os.cpus() in Node). */
  hardwareThreads: number;
  /** The most threads this lab's kernels can use. */
  maxThreads: number;
}

export interface MatmulShape {
  /** Rows of op(A) and of C. */
  m: number;
  /** Columns of op(A) = rows of op(B). */
  k: number;
  /** Columns of op(B) and of C. */
  n: number;
  /** A is stored K×M (op(A) = Aᵀ). Default false. */
  transA?: boolean;
  /** B is stored N×K (op(B) = Bᵀ). Default false. */
  transB?: boolean;
}

export interface MatmulBenchResult {
  n: number;
  reps: number;
  threads: number;
  gflops_1: number;
  gflops_n: number;
  speedup: number;
  /** The 1-thread and N-thread results are equal bit for bit. */
  bit_identical: boolean;
  /** Largest |difference| against the reference kernel on the first rows. */
  max_abs_diff_vs_ref: number;
  /** The machine's measured 128-bit SIMD peak on one thread, and gflops_1 as a fraction of it. */
  simd_peak_gflops: number;
  fraction_of_peak: number;
}

/** An experiment spec (see docs/api.md). Fields left out take their defaults. */
export interface Spec {
  version?: number;
  seed?: number;
  data?: { name: string; n?: number; noise?: number; test_ratio?: number; seed?: number; [extra: string]: unknown };
  model: { layers: Array<{ type: string; [param: string]: number | string | boolean }>; init?: string };
  loss?: 'softmax_cross_entropy' | 'mse' | 'bce_logits';
  optimizer?: { name: 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad'; lr?: number; momentum?: number; nesterov?: boolean;
    beta1?: number; beta2?: number; eps?: number; alpha?: number; weight_decay?: number };
  schedule?: { name: 'constant' | 'step' | 'cosine'; step_size?: number; gamma?: number; total_steps?: number; min_lr?: number };
  batch_size?: number;
  regularization?: { l1?: number; l2?: number };
  /** Checked at the end of every epoch; 0 = off. */
  stop?: { epochs?: number; test_loss?: number; test_accuracy?: number };
}

/** A change logged in a run's history, with the step it was made at. */
export type HistoryEvent =
  | { at: number; set: Partial<Spec> }
  | { at: number; weight: { layer: number; param: 'weight' | 'bias'; index: number; value: number } }
  | { at: number; reset: true };

export interface History {
  spec: Spec;
  events: HistoryEvent[];
  step: number;
  reproducible?: boolean;
}

export interface LayerInfo {
  index: number;
  type: string;
  outputShape: number[];
  params: Array<{ name: 'weight' | 'bias'; shape: number[] }>;
  [setting: string]: unknown;
}

export interface NetworkInfo {
  task: 'classification' | 'regression';
  dataset: string;
  inputShape: number[];
  featureNames: string[];
  classNames: string[];
  numClasses: number;
  outputDim: number;
  nTrain: number;
  nTest: number;
  rawPlane: boolean;
  hasMask: boolean;
  numParams: number;
  layers: LayerInfo[];
}

export interface Metrics {
  step: number;
  epoch: number;
  trainLoss: number | null;
  testLoss: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  regLoss: number | null;
  batchLoss: number | null;
  lr: number | null;
  trainRmse: number | null;
  testRmse: number | null;
  trainR2: number | null;
  testR2: number | null;
  /** Test set, classes × classes, row-major: row = true class, column = predicted. */
  confusion: number[];
  perClassAccuracy: Array<number | null>;
  diverged: boolean;
  divergedReason: string;
  /** A stop condition of the spec was met (trainUntil). */
  stopped: boolean;
  stopReason: string;
}

/** A widget drawn in the last frame (page only). Coordinates: CSS px from the canvas' top-left corner. */
export interface UiItem {
  window: string;
  label: string;
  id: number;
  flags: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The app's state (page only). */
export interface UiState {
  frame: number;
  frame_ms: number;
  mode: 'mt' | 'st';
  dpr: number;
  display_w: number;
  display_h: number;
  simd: boolean;
  threads_enabled: boolean;
  threads: number;
  max_threads: number;
  version: string;
  theme: 'dark' | 'light';
  ui_scale: number;
  show_diagnostics: boolean;
  force_reference: boolean;
  bench: { state: 'idle' | 'running' | 'done' | 'failed' | 'cancelled'; n: number; error: string; result: MatmulBenchResult | null };
}

export interface Lab {
  version(): string;
  build(): BuildInfo;
  /** Threads the kernels use now. */
  threads(): number;
  maxThreads(): number;
  /** Sets the threads the kernels use, clamped to [1, maxThreads()]; returns the value in force. Results do not depend on it, bit for bit. */
  setThreads(n: number): number;
  /** Runs every kernel's plain reference variant instead of the SIMD one. */
  setForceReference(on: boolean): void;
  forceReference(): boolean;
  /** C = op(A)·op(B) (row-major) on the core's worker threads. Resolves to a new Float32Array of m×n. */
  matmul(a: Float32Array | ArrayLike<number>, b: Float32Array | ArrayLike<number>, shape: MatmulShape): Promise<Float32Array>;
  /** Times an n×n×n multiply on 1 thread and on threads(); checks bit-identity; reports the SIMD peak. */
  benchMatmul(options?: { n?: number; reps?: number }): Promise<MatmulBenchResult>;
  /** Every registry: datasets, layers, activations, losses, optimizers, schedules, initializers. */
  registries(): Record<string, unknown[]>;
  /** Loads an experiment spec (text or object); throws a NeuronLabError naming the bad field. */
  load(spec: string | Spec): { warnings: string[] };
  /** The current spec, every field filled in, seed included. */
  spec(): Spec;
  /** Changes optimizer / schedule / batch_size / regularization from the next step on; returns the new spec. */
  setHyperparameters(patch: Partial<Pick<Spec, 'optimizer' | 'schedule' | 'batch_size' | 'regularization'>>): Spec;
  /** Makes a file-backed dataset (digits, mnist, fashion_mnist) available to load(). */
  loadDataset(name: string): Promise<void>;
  /** Hands in your own CSV table as the dataset 'csv'. */
  loadCsv(text: string): void;
  /** Trains `steps` mini-batch steps; resolves to the metrics, rejects with the cause if the run diverges. */
  train(steps?: number, options?: { evaluate?: boolean }): Promise<Metrics>;
  metrics(): Metrics;
  /** 16 hex digits over every parameter: equal digests, equal weights. */
  digest(): string;
  /** n rows of inputs → n rows of outputs. */
  predict(inputs: Float32Array | ArrayLike<number>, n: number): Float32Array;
  exportModel(format?: 'binary'): Uint8Array;
  exportModel(format: 'json'): string;
  /** Makes a saved model current; a bad file throws and changes nothing. */
  importModel(bytes: Uint8Array | ArrayBuffer | string): void;
  /** train() that obeys the spec's stop conditions (checked at epoch ends). */
  trainUntil(steps?: number, options?: { evaluate?: boolean }): Promise<Metrics>;
  /** The spec as loaded, every change since (with its step), and the step now. */
  history(): History;
  /** Rebuilds a history bit for bit (loads, applies its events at their steps, trains to `step`). */
  replay(history: History | string, options?: { step?: number; onProgress?: (fraction: number) => void }): Promise<Metrics>;
  /** The weights back to the seed's, step 0 (logged). */
  reset(): void;
  /** Sets one weight or bias (logged); returns the old value. */
  setWeight(layer: number, param: 'weight' | 'bias', index: number, value: number): number;
  info(): NetworkInfo;
  weights(layer: number, param?: 'weight' | 'bias'): Float32Array;
  activations(inputs: Float32Array | ArrayLike<number>, n: number): Float32Array[];
  samples(split?: 'train' | 'test', start?: number, count?: number): { x: Float32Array; y: Float32Array };
  /** The attribution methods' registry (docs/attributions.md). */
  methods(): AttributionMethod[];
  /**
   * The attribution map of `input` (one input, or n back to back) for `method`: the input's shape (layer
   * methods: the layer's), with the convergence delta where the method has one.
   */
  attribute(method: string, input: Float32Array | number[], options?: AttributeOptions): Promise<Attribution>;
  /** Scores every method on the first test samples: ground truth, faithfulness, sanity, agreement. */
  arena(config: ArenaConfig, options?: { onProgress?: (fraction: number) => void; signal?: AbortSignal }): Promise<ArenaReport>;
  /** Page only: the link the last "Copy link" made. */
  lastLink?: string;
  /** Releases the lab's threads (Node; lets the process exit). Later calls throw. */
  close(): void;
  /** Page only: what is on screen, for tests and automation. */
  ui?: { items(): UiItem[]; state(): UiState };
}

export interface AttributionParam {
  name: string;
  kind: 'number' | 'integer' | 'choice' | 'boolean';
  default: number | string | boolean;
  min?: number;
  max?: number;
  choices?: string[];
  help: string;
}
export interface AttributionMethod {
  name: string;
  title: string;
  family: 'gradient' | 'reference' | 'relevance' | 'perturbation' | 'layer' | 'neuron';
  description: string;
  hasDelta: boolean;
  layerOutput: boolean;
  needsBackground: boolean;
  heavy: boolean;
  params: AttributionParam[];
}
/** The method's parameters (see methods()), plus progress and cancellation. */
export interface AttributeOptions {
  target?: number;
  seed?: number;
  noise?: 'none' | 'smoothgrad' | 'smoothgrad_sq' | 'vargrad';
  nt_samples?: number;
  stdev?: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  [param: string]: unknown;
}
export interface Attribution extends Float32Array {
  shape: number[];
  /** Σa − (f(x) − f(x')); an array for several inputs; null when the method has none. */
  delta: number | number[] | null;
  target: number | number[];
  f: number | number[];
  method: string;
  params: Record<string, number | string | boolean>;
  ms: number;
}
export interface ArenaConfig {
  methods: (string | { method: string; options?: Record<string, unknown>; label?: string })[];
  count?: number;
  curveSteps?: number;
  sensitivitySamples?: number;
  faithfulnessRuns?: number;
  groundTruth?: boolean;
  difull?: boolean;
  sanity?: boolean;
  labelRandomisation?: boolean;
  seed?: number;
}
export interface ArenaReport {
  samples: number;
  hasMask: boolean;
  difull: boolean;
  sanityLayers: string[];
  methods: {
    name: string;
    label: string;
    params: Record<string, unknown>;
    ms?: number;
    error?: string;
    note?: string;
    metrics: Record<string, number | null>;
    curves?: { frac: number[]; deletion: number[]; insertion: number[] };
    sanity?: number[];
  }[];
  agreement: (number | null)[][];
}

/** Node: loads the built module (dist/node/, from `npm run build`). */
export declare function createLab(options?: { threads?: number; modulePath?: string }): Promise<Lab>;

declare global {
  interface Window {
    /** The running lab, once the page has started (the 'neuronlab-ready' event on document). */
    lab?: Lab;
    /** Set when the page could not start: what is missing. */
    labError?: { title: string; body: string };
  }
}
