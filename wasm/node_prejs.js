// Linked with --pre-js into every Node-targeted module.
// Emscripten 3.1.6 under Node >= 18 calls fetch() on the .wasm's absolute file path ("Failed to parse
// URL"); handing it the bytes up front avoids that. Harmless in browsers (no `require` there).
if (typeof process == 'object' && typeof require == 'function' &&
    !Module['ENVIRONMENT_IS_PTHREAD'] && !Module['wasmBinary']) {
  Module['wasmBinary'] = require('fs').readFileSync(__filename.replace(/\.c?js$/, '.wasm'));
}
