#include "kernels/simd_peak.h"

#include <chrono>
#include <cstring>

namespace lab {
namespace {
typedef float v4f __attribute__((vector_size(16)));

// One round: 7 multiplies and 7 adds on independent chains — more than the 6 needed to cover a
// 3-cycle latency on two pipes each — sharing one constant, so that 15 vectors stay live: x86 has 16
// vector registers, and with more V8 spills and the "peak" drops. Not unrolled, for the same reason.
// noinline: V8 optimises a wasm function only between calls, so the hot loop must be its own function.
__attribute__((noinline)) double run(long long rounds) {
  volatile float fk = 0.99999994f;  // volatile: not a constant the compiler could fold
  const v4f k{fk, fk, fk, fk};
  v4f m0{1.0f, 1.0f, 1.0f, 1.0f}, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0;
  v4f a0{0.0f, 0.0f, 0.0f, 0.0f}, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0;
#if defined(__clang__)
#pragma clang loop unroll(disable)
#endif
  for (long long r = 0; r < rounds; ++r) {
    m0 *= k;
    m1 *= k;
    m2 *= k;
    m3 *= k;
    m4 *= k;
    m5 *= k;
    m6 *= k;
    a0 += k;
    a1 += k;
    a2 += k;
    a3 += k;
    a4 += k;
    a5 += k;
    a6 += k;
  }
  v4f s = m0 + m1 + m2 + m3 + m4 + m5 + m6 + a0 + a1 + a2 + a3 + a4 + a5 + a6;
  float out[4];
  std::memcpy(out, &s, sizeof out);
  return out[0] + out[1] + out[2] + out[3];
}
}  // namespace

double measure_simd_peak_gflops(double seconds) {
  // Many short calls, not one long one: V8 has no on-stack replacement for wasm, so a function is
  // tiered up to optimised code only between calls. Warm up for a tenth of the time, then measure.
  using clock = std::chrono::steady_clock;
  constexpr long long kRoundsPerCall = 1 << 14;
  volatile double sink = 0;
  const auto w0 = clock::now();
  while (std::chrono::duration<double>(clock::now() - w0).count() < seconds * 0.1) sink = sink + run(kRoundsPerCall);
  long long rounds = 0;
  const auto t0 = clock::now();
  double t = 0;
  while (t < seconds) {
    for (int i = 0; i < 16; ++i) sink = sink + run(kRoundsPerCall);
    rounds += 16 * kRoundsPerCall;
    t = std::chrono::duration<double>(clock::now() - t0).count();
  }
  return 14.0 * 4.0 * (double)rounds / t * 1e-9;
}

}  // namespace lab
