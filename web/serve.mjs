// NeuronLab dev server: static files with the headers that make the page cross-origin isolated
// (COOP/COEP, so WebAssembly threads work), correct MIME types (application/wasm for streaming
// compilation), no caching, and gzip for the browsers that accept it (as static hosts do: the first visit
// is ~1 MB on the wire instead of ~3; each file compressed once per version of it).
//   node web/serve.mjs [--root dist] [--port 8080] [--host 127.0.0.1] [--no-coi]
//   import { startServer } from './serve.mjs'; const srv = await startServer({ root, port: 0, coi: false });
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.data': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream', '.ttf': 'font/ttf',
};

// Worth compressing (the datasets' .gz files already are).
const COMPRESS = new Set(['.html', '.js', '.mjs', '.wasm', '.json', '.css', '.svg', '.data', '.txt']);

export async function startServer({ root = 'dist', port = 8080, host = '127.0.0.1', coi = true } = {}) {
  const gzipped = new Map();  // file → {key: mtime and size, body}
  const base = path.resolve(root);
  await fs.access(path.join(base, 'index.html')).catch(() => {
    throw new Error(`${base}/index.html not found: run \`npm run build\` first`);
  });
  const server = http.createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-store' };
    if (coi) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400, headers).end('bad request');
      return;
    }
    let file = path.join(base, path.normalize(rel));
    if (!file.startsWith(base)) {
      res.writeHead(403, headers).end('forbidden');
      return;
    }
    try {
      let st = await fs.stat(file);
      if (st.isDirectory()) {
        file = path.join(file, 'index.html');
        st = await fs.stat(file);
      }
      headers['Content-Type'] = TYPES[path.extname(file)] || 'application/octet-stream';
      if (COMPRESS.has(path.extname(file))) {
        headers.Vary = 'Accept-Encoding';
        if (/\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
          const key = `${st.mtimeMs}:${st.size}`;
          let z = gzipped.get(file);
          if (!z || z.key !== key) gzipped.set(file, (z = { key, body: gzipSync(await fs.readFile(file), { level: 9 }) }));
          headers['Content-Encoding'] = 'gzip';
          headers['Content-Length'] = z.body.length;
          res.writeHead(200, headers);
          res.end(req.method === 'HEAD' ? undefined : z.body);
          return;
        }
      }
      headers['Content-Length'] = st.size;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  return { url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${actual}/`, port: actual, close: () => new Promise((r) => server.close(r)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = opt('--root', path.join(here, '..', 'dist'));
  const srv = await startServer({ root, port: Number(opt('--port', process.env.PORT || 8080)),
    host: opt('--host', '127.0.0.1'), coi: !args.includes('--no-coi') }).catch((e) => {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  });
  console.log(`NeuronLab is served at ${srv.url}  (${args.includes('--no-coi') ? 'no COOP/COEP headers' : 'cross-origin isolated'}; Ctrl+C stops)`);
}
