#include "base/version.h"

#include <cstdio>

namespace lab {

const char* version() { return "0.1.0"; }

BuildInfo build_info() {
  BuildInfo b{};
#if defined(__wasm_simd128__) || defined(__SSE2__)
  b.simd = true;
#else
  b.simd = false;
#endif
#if defined(LAB_SINGLE_THREADED)
  b.threads_enabled = false;
#else
  b.threads_enabled = true;
#endif
#if defined(__wasm__)
  b.wasm = true;
#else
  b.wasm = false;
#endif
  char buf[64];
#if defined(__clang__)
  std::snprintf(buf, sizeof buf, "clang %d.%d.%d", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  std::snprintf(buf, sizeof buf, "gcc %d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  std::snprintf(buf, sizeof buf, "unknown compiler");
#endif
  b.compiler = buf;
  return b;
}

}  // namespace lab
