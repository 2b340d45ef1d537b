/* NeuronLab — cross-origin isolation on hosts that cannot set headers (e.g. GitHub Pages).
 *
 * Threads in WebAssembly need SharedArrayBuffer, which browsers give only to cross-origin isolated
 * pages (COOP: same-origin + COEP: require-corp). This one file is both halves:
 *  - as a page script it registers itself as a service worker, reloads the page once when the worker
 *    takes control, and exposes window.coi.ready: a Promise<boolean> that says whether the page is
 *    isolated (true), or that isolation is impossible here (false: no service workers, blocked, or the
 *    reload did not help) — boot.mjs then loads the single-threaded build;
 *  - as the service worker it adds the COOP/COEP/CORP headers to every same-origin response.
 * A server that sends the headers itself (npm start) makes the page isolated at once: nothing to do.
 */
if (typeof window === 'undefined') {
  // ---- service worker half ----
  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (e) => {
    const r = e.request;
    if (r.cache === 'only-if-cached' && r.mode !== 'same-origin') return;
    if (new URL(r.url).origin !== self.location.origin) return;  // only our own files
    e.respondWith(fetch(r).then((res) => {
      if (res.status === 0) return res;
      const h = new Headers(res.headers);
      h.set('Cross-Origin-Opener-Policy', 'same-origin');
      h.set('Cross-Origin-Embedder-Policy', 'require-corp');
      h.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers: h });
    }));
  });
} else {
  // ---- page half ----
  (function () {
    const FLAG = 'neuronlab-coi-reload';
    const script = document.currentScript && document.currentScript.src;
    const wait = (ms) => new Promise((r) => setTimeout(() => r(undefined), ms));
    const never = new Promise(() => {});
    async function ready() {
      if (window.crossOriginIsolated) { sessionStorage.removeItem(FLAG); return true; }
      if (!window.isSecureContext || !('serviceWorker' in navigator) || !script) return false;
      const tried = sessionStorage.getItem(FLAG) === '1';
      let reg;
      try {
        // Resolves undefined when service workers are blocked (e.g. by policy or a test harness).
        reg = await Promise.race([navigator.serviceWorker.register(script, { scope: './' }), wait(5000)]);
      } catch (e) {
        console.warn('NeuronLab: service worker registration failed:', e);
        return false;
      }
      if (!reg) return false;
      if (tried) return false;  // we already reloaded under the worker and are still not isolated
      if (!navigator.serviceWorker.controller) {
        const changed = await Promise.race([
          new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r(true), { once: true })),
          wait(5000)]);
        if (!changed) return false;
      }
      sessionStorage.setItem(FLAG, '1');
      location.reload();
      return never;  // the page is going away
    }
    window.coi = { ready: ready() };
  })();
}
