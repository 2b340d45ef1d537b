// NeuronLab core — single-precision matrix multiply, C = op(A)·op(B) (+ C).
//
// Row-major storage. op(A) is M×K: A is stored M×K (lda ≥ K) or, with trans_a, K×M (lda ≥ M).
// op(B) is K×N: B is stored K×N (ldb ≥ N) or, with trans_b, N×K (ldb ≥ K). C is M×N (ldc ≥ N).
// With accumulate, the product is added to C; otherwise C is overwritten (its old contents ignored,
// NaNs included).
//
//   std::vector<float> a(M*K), b(K*N), c(M*N);
//   lab::matmul(lab::Exec{&pool}, {M, N, K, a.data(), K, false, b.data(), N, false, c.data(), N, false});
//
// Kernels:
//   matmul_ref      — the plain triple loop, summing k in ascending order. The definition of the result.
//   matmul_simd128  — packed, cache-blocked, 4×8 register-tiled kernel on 128-bit vectors (wasm simd128,
//                     SSE natively). Work is split into tiles of C (smaller tiles when there are more
//                     threads to feed); every element is summed over k in blocks of KC, in k order,
//                     whichever tile and thread hold it: results are bit-identical for 1…N threads. With
//                     K ≤ KC they equal matmul_ref's bit for bit; otherwise they differ by float rounding.
//   matmul          — dispatches: the reference when exec.force_reference, else the SIMD kernel.
// Shapes are the caller's responsibility (asserted); the JS boundary validates user input first.
#pragma once
#include "base/exec.h"

namespace lab {

struct MatmulArgs {
  int M, N, K;
  const float* A;
  int lda;
  bool trans_a;
  const float* B;
  int ldb;
  bool trans_b;
  float* C;
  int ldc;
  bool accumulate;
};

void matmul_ref(const MatmulArgs& args);
void matmul_simd128(const MatmulArgs& args, ThreadPool* pool);
void matmul(const Exec& exec, const MatmulArgs& args);

// Tile sizes of matmul_simd128 (exposed for tests that probe tile edges).
inline constexpr int kMatmulMR = 4, kMatmulNR = 8, kMatmulMC = 64, kMatmulNC = 256, kMatmulKC = 256;
// Below this many multiply-adds (~100 µs of work) a product runs on the calling thread: handing it to
// the pool costs more than it saves (measured in wasm: a 2 M-MAC product got slower on 2 threads).
inline constexpr double kMatmulParallelMinMacs = 1 << 22;

}  // namespace lab
