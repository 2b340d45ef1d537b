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
  /** Times an n×n×n multiply on 1 thread and on threads(); checks bit-identity. */
  benchMatmul(options?: { n?: number; reps?: number }): Promise<MatmulBenchResult>;
  /** Releases the lab's threads (Node; lets the process exit). Later calls throw. */
  close(): void;
  /** Page only: what is on screen, for tests and automation. */
  ui?: { items(): UiItem[]; state(): UiState };
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
