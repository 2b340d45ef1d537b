#include "simd_peak.h"

#include <chrono>
#include <cstring>

namespace lab {
namespace {
typedef float v4f __attribute__((vector_size(16)));

// One round: 8 multiplies and 8 adds, on independent chains. The factors keep values finite forever.
double run(long long rounds) {
  v4f m0{1.0f, 1.0f, 1.0f, 1.0f}, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0, m7 = m0;
  v4f a0{0.0f, 0.0f, 0.0f, 0.0f}, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  volatile float fm = 0.99999994f, fa = 1e-30f;  // volatile: not constants the compiler could fold
  const v4f k{fm, fm, fm, fm}, c{fa, fa, fa, fa};
  for (long long r = 0; r < rounds; ++r) {
    m0 *= k; m1 *= k; m2 *= k; m3 *= k; m4 *= k; m5 *= k; m6 *= k; m7 *= k;
    a0 += c; a1 += c; a2 += c; a3 += c; a4 += c; a5 += c; a6 += c; a7 += c;
  }
  v4f s = m0 + m1 + m2 + m3 + m4 + m5 + m6 + m7 + a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
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
  return 16.0 * 4.0 * (double)rounds / t * 1e-9;
}

}  // namespace lab
