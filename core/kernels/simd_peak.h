// NeuronLab core — the machine's measured peak for 128-bit SIMD float arithmetic on one thread.
//
// SIMD128 has no fused multiply-add, so the peak is what independent vector multiplies and adds can
// reach together: 14 independent chains (7 of multiplies, 7 of adds, enough to hide their latencies)
// run for about `seconds`. The matrix-multiply benchmark reports its GFLOP/s against this number.
#pragma once

namespace lab {
// GFLOP/s (4 lanes × one flop per vector op). Runs on the calling thread.
double measure_simd_peak_gflops(double seconds);
}  // namespace lab
