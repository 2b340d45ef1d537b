// matmul.cpp — [SECTION] reference kernel · [SECTION] packing · [SECTION] 4×8 micro-kernel ·
// [SECTION] blocked driver · [SECTION] dispatch
#include "kernels/matmul.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <vector>

#include "base/thread_pool.h"

namespace lab {

namespace {
inline float a_at(const MatmulArgs& g, int i, int k) { return g.trans_a ? g.A[(size_t)k * g.lda + i] : g.A[(size_t)i * g.lda + k]; }
inline float b_at(const MatmulArgs& g, int k, int j) { return g.trans_b ? g.B[(size_t)j * g.ldb + k] : g.B[(size_t)k * g.ldb + j]; }

void check_args(const MatmulArgs& g) {
  assert(g.M >= 0 && g.N >= 0 && g.K >= 0 && "matmul: negative dimension");
  assert(g.ldc >= g.N && "matmul: ldc < N");
  assert(g.lda >= (g.trans_a ? g.M : g.K) && "matmul: lda too small for op(A)");
  assert(g.ldb >= (g.trans_b ? g.K : g.N) && "matmul: ldb too small for op(B)");
  (void)g;
}
}  // namespace

// [SECTION] reference kernel ---------------------------------------------------------------------

void matmul_ref(const MatmulArgs& g) {
  check_args(g);
  for (int i = 0; i < g.M; ++i)
    for (int j = 0; j < g.N; ++j) {
      float s = 0.0f;
      for (int k = 0; k < g.K; ++k) s += a_at(g, i, k) * b_at(g, k, j);
      float& c = g.C[(size_t)i * g.ldc + j];
      c = g.accumulate ? c + s : s;
    }
}

// [SECTION] packing ------------------------------------------------------------------------------
namespace {
constexpr int MR = kMatmulMR, NR = kMatmulNR, MC = kMatmulMC, NC = kMatmulNC, KC = kMatmulKC;

// op(A)[i0:i0+mc, k0:k0+kc] → panels of MR rows, each laid out [k][MR], zero-padded past mc.
void pack_a(const MatmulArgs& g, int i0, int mc, int k0, int kc, float* dst) {
  for (int p = 0; p < mc; p += MR) {
    const int rows = std::min(MR, mc - p);
    for (int k = 0; k < kc; ++k) {
      for (int r = 0; r < rows; ++r) dst[r] = a_at(g, i0 + p + r, k0 + k);
      for (int r = rows; r < MR; ++r) dst[r] = 0.0f;
      dst += MR;
    }
  }
}

// op(B)[k0:k0+kc, j0:j0+nc] → panels of NR columns, each laid out [k][NR], zero-padded past nc.
void pack_b(const MatmulArgs& g, int k0, int kc, int j0, int nc, float* dst) {
  for (int q = 0; q < nc; q += NR) {
    const int cols = std::min(NR, nc - q);
    for (int k = 0; k < kc; ++k) {
      if (!g.trans_b && cols == NR) {
        std::memcpy(dst, g.B + (size_t)(k0 + k) * g.ldb + j0 + q, NR * sizeof(float));
      } else {
        for (int c = 0; c < cols; ++c) dst[c] = b_at(g, k0 + k, j0 + q + c);
        for (int c = cols; c < NR; ++c) dst[c] = 0.0f;
      }
      dst += NR;
    }
  }
}

// [SECTION] 4×8 micro-kernel ---------------------------------------------------------------------
// GCC/Clang vector extensions: SSE natively, simd128 with -msimd128. Multiply then add (SIMD128 has no
// fused multiply-add), so every lane rounds the same way on both targets.
typedef float v4f __attribute__((vector_size(16)));
inline v4f load4(const float* p) {
  v4f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(float* p, v4f v) { std::memcpy(p, &v, sizeof v); }
inline v4f splat(float x) { return v4f{x, x, x, x}; }

// acc(MR×NR) = Σ_k a[k][0:MR] ⊗ b[k][0:NR];   a: (kc, MR) packed, b: (kc, NR) packed
// c (rows × cols valid of MR×NR, row stride ldc): c = acc, or c += acc when add.
void micro_4x8(int kc, const float* a, const float* b, float* c, int ldc, int rows, int cols, bool add) {
  v4f c00{}, c01{}, c10{}, c11{}, c20{}, c21{}, c30{}, c31{};
  // Not unrolled on purpose: under V8 a 2× unrolled loop needs more registers than x86 has and spills
  // (measured 32 vs 44 GFLOP/s on a 512³ product); so does a 6×8 tile (21 GFLOP/s).
  for (int k = 0; k < kc; ++k) {
    const v4f b0 = load4(b), b1 = load4(b + 4);
    const v4f a0 = splat(a[0]), a1 = splat(a[1]), a2 = splat(a[2]), a3 = splat(a[3]);
    c00 += a0 * b0;
    c01 += a0 * b1;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c30 += a3 * b0;
    c31 += a3 * b1;
    a += MR;
    b += NR;
  }
  if (rows == MR && cols == NR) {
    // Accumulators stay in registers: no address of them is ever taken.
    auto put = [&](float* row, v4f lo, v4f hi) {
      if (add) {
        lo += load4(row);
        hi += load4(row + 4);
      }
      store4(row, lo);
      store4(row + 4, hi);
    };
    put(c, c00, c01);
    put(c + ldc, c10, c11);
    put(c + 2 * (size_t)ldc, c20, c21);
    put(c + 3 * (size_t)ldc, c30, c31);
    return;
  }
  float tmp[MR * NR];
  store4(tmp + 0, c00);
  store4(tmp + 4, c01);
  store4(tmp + 8, c10);
  store4(tmp + 12, c11);
  store4(tmp + 16, c20);
  store4(tmp + 20, c21);
  store4(tmp + 24, c30);
  store4(tmp + 28, c31);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < cols; ++j) {
      float& dst = c[(size_t)r * ldc + j];
      dst = add ? dst + tmp[r * NR + j] : tmp[r * NR + j];
    }
}
}  // namespace

// [SECTION] blocked driver -----------------------------------------------------------------------

void matmul_simd128(const MatmulArgs& g, ThreadPool* pool) {
  check_args(g);
  if (g.M == 0 || g.N == 0) return;
  if (g.K == 0) {
    if (!g.accumulate)
      for (int i = 0; i < g.M; ++i) std::fill_n(g.C + (size_t)i * g.ldc, g.N, 0.0f);
    return;
  }
  // Small products run on the calling thread: waking workers would cost more than it saves.
  const double macs = (double)g.M * g.N * g.K;
  const int threads = (pool && macs >= kMatmulParallelMinMacs) ? pool->active_threads() : 1;
  // Tile sizes. Each element of C is summed over k in blocks of KC, in k order, whatever tile holds
  // it, so the M×N tiling may adapt to the thread count without changing a single bit of the result:
  // shrink the tiles until every thread gets at least four (dynamic scheduling then balances them).
  int mc = MC, nc = NC;
  auto tiles = [&] { return (long long)((g.M + mc - 1) / mc) * ((g.N + nc - 1) / nc); };
  // Split N first: each N-tile packs its own columns of B, while the rows of A can be packed once and
  // shared (below); split M only when N is exhausted.
  while (threads > 1 && tiles() < 4LL * threads && (nc > 4 * NR || mc > 4 * MR)) {
    if (nc > 4 * NR)
      nc /= 2;
    else
      mc /= 2;
  }
  const int tiles_n = (g.N + nc - 1) / nc;
  const int n_kb = (g.K + KC - 1) / KC;
  // When every tile covers all rows of A (M ≤ mc), pack A once for all of them instead of once per tile.
  const bool shared_a = threads > 1 && g.M <= mc && tiles_n > 1;
  thread_local std::vector<float> a_shared;
  if (shared_a) {
    a_shared.resize((size_t)n_kb * MC * KC);
    for (int kb = 0; kb < n_kb; ++kb) pack_a(g, 0, g.M, kb * KC, std::min(KC, g.K - kb * KC), a_shared.data() + (size_t)kb * MC * KC);
  }
  // A plain pointer: a lambda does not capture a thread_local, so the workers would see their own.
  const float* a_all = shared_a ? a_shared.data() : nullptr;
  auto tile = [&](size_t t) {
    // Per-task packing buffers (thread_local: reused across calls, no allocation in steady state).
    thread_local std::vector<float> ap, bp;
    ap.resize((size_t)MC * KC);
    bp.resize((size_t)KC * NC);
    const int i0 = (int)(t / tiles_n) * mc, j0 = (int)(t % tiles_n) * nc;
    const int mcur = std::min(mc, g.M - i0), ncur = std::min(nc, g.N - j0);
    for (int k0 = 0; k0 < g.K; k0 += KC) {
      const int kc = std::min(KC, g.K - k0);
      const bool add = g.accumulate || k0 > 0;
      const float* apk = ap.data();
      if (a_all)
        apk = a_all + (size_t)(k0 / KC) * MC * KC;
      else
        pack_a(g, i0, mcur, k0, kc, ap.data());
      pack_b(g, k0, kc, j0, ncur, bp.data());
      for (int q = 0; q < ncur; q += NR)
        for (int p = 0; p < mcur; p += MR)
          micro_4x8(kc, apk + (size_t)p * kc, bp.data() + (size_t)q * kc, g.C + (size_t)(i0 + p) * g.ldc + j0 + q, g.ldc,
                    std::min(MR, mcur - p), std::min(NR, ncur - q), add);
    }
  };
  const size_t n_tiles = (size_t)tiles();
  if (threads > 1)
    pool->parallel_for(n_tiles, tile);
  else
    for (size_t t = 0; t < n_tiles; ++t) tile(t);
}

// [SECTION] dispatch ------------------------------------------------------------------------------

void matmul(const Exec& exec, const MatmulArgs& args) {
  if (exec.force_reference)
    matmul_ref(args);
  else
    matmul_simd128(args, exec.pool);
}

}  // namespace lab
