// NeuronLab core — version and build information.
//
//   lab::BuildInfo b = lab::build_info();
//   printf("NeuronLab %s, SIMD %s, %s\n", lab::version(), b.simd ? "on" : "off", b.threads_enabled ? "threads" : "single-threaded");
#pragma once
#include <string>

namespace lab {

// The core's semantic version ("MAJOR.MINOR.PATCH"). Static storage; never null.
const char* version();

struct BuildInfo {
  bool simd;             // built with 128-bit SIMD kernels (wasm simd128, or SSE2 natively)
  bool threads_enabled;  // built with thread support (false for the single-threaded wasm fallback)
  bool wasm;             // compiled to WebAssembly
  std::string compiler;  // e.g. "clang 14.0.6"
};
BuildInfo build_info();

}  // namespace lab
