// NeuronLab in Node: the same JS API as the page's window.lab, without the UI.
//
//   import { createLab } from 'neuronlab';          // or './web/node.mjs'
//   const lab = await createLab();
//   const c = await lab.matmul(a, b, { m: 2, k: 3, n: 2 });
//   lab.close();                                     // lets Node exit (stops the lab's threads)
//
// Needs the built module (dist/node/, written by `npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { NeuronLabError, makeApi } from './lab-api.mjs';

export { NeuronLabError };

const MAX_THREADS = 16;  // the module's PTHREAD_POOL_SIZE cap (cmake/Wasm.cmake)

/**
 * @param {{threads?: number, modulePath?: string, dataDir?: string}} [options]
 *   threads: threads the kernels use (default: all cores, at most 16);
 *   modulePath: another build of neuronlab_node.js;
 *   dataDir: where the datasets' data files are (default: dist/data).
 */
export async function createLab(options = {}) {
  const file = options.modulePath ?? fileURLToPath(new URL('../dist/node/neuronlab_node.js', import.meta.url));
  if (!existsSync(file)) {
    throw new NeuronLabError(`The NeuronLab Node module is not built (${file} is missing): run \`npm run build\` first.`);
  }
  const require = createRequire(import.meta.url);
  const factory = require(file);
  const M = await factory();
  const core = new M.Lab(Math.min(os.cpus().length, MAX_THREADS));
  // File-backed datasets live in dist/data (written by `npm run build`).
  const dataDir = options.dataDir ?? path.join(path.dirname(file), '..', 'data');
  const api = makeApi(M, core, {
    mode: 'node',
    // dist/data holds each file gzip-compressed (<file>.gz, as the page downloads it); a plain one is read too.
    readAssetSync: (asset) => {
      const plain = path.join(dataDir, asset);
      if (existsSync(plain)) return new Uint8Array(readFileSync(plain));
      return existsSync(`${plain}.gz`) ? new Uint8Array(gunzipSync(readFileSync(`${plain}.gz`))) : null;
    },
    fetchAsset: async (asset) => {
      const plain = path.join(dataDir, asset);
      if (existsSync(plain)) return new Uint8Array(await readFile(plain));
      if (existsSync(`${plain}.gz`)) return new Uint8Array(gunzipSync(await readFile(`${plain}.gz`)));
      throw new NeuronLabError(`data file ${plain}.gz is missing: run \`npm run build\``);
    },
    close() {
      core.delete();  // joins the lab's threads
      if (M.PThread) M.PThread.terminateAllThreads();  // else the pool's workers keep Node alive
    },
  });
  if (options.threads !== undefined) api.setThreads(options.threads);
  return api;
}
