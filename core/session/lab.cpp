#include "session/lab.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "base/rng.h"
#include "kernels/matmul.h"
#include "kernels/simd_peak.h"

namespace lab {

Lab::Lab(int max_threads) : pool_(std::max(1, max_threads)) {}
Lab::Lab(int max_threads, JobRunner::Mode jobs) : pool_(std::max(1, max_threads)), jobs_(jobs) {}

int Lab::set_threads(int n) {
  pool_.set_active_threads(n);
  return pool_.active_threads();
}

namespace {
constexpr long long kMaxMatmulElems = 1LL << 26;  // 64 Mi floats = 256 MB per operand

void check_dim(const char* name, int v) {
  if (v <= 0) throw std::invalid_argument(std::string("matmul: ") + name + " must be a positive integer (got " + std::to_string(v) + ")");
}
void check_size(const char* name, size_t have, long long rows, long long cols) {
  if (rows * cols > kMaxMatmulElems)
    throw std::invalid_argument(std::string("matmul: ") + name + " is too large (" + std::to_string(rows) + "×" + std::to_string(cols) +
                                " elements; the limit is 2^26)");
  if ((long long)have != rows * cols)
    throw std::invalid_argument(std::string("matmul: ") + name + " has " + std::to_string(have) + " elements, but its shape " +
                                std::to_string(rows) + "×" + std::to_string(cols) + " needs " + std::to_string(rows * cols));
}
}  // namespace

std::shared_ptr<Job> Lab::matmul_async(std::vector<float> a, std::vector<float> b, int M, int K, int N, bool trans_a, bool trans_b) {
  check_dim("M", M);
  check_dim("K", K);
  check_dim("N", N);
  check_size("A", a.size(), trans_a ? K : M, trans_a ? M : K);
  check_size("B", b.size(), trans_b ? N : K, trans_b ? K : N);
  check_size("C", (size_t)M * N, M, N);
  return jobs_.submit("matmul", [this, a = std::move(a), b = std::move(b), M, K, N, trans_a, trans_b](Job& job) {
    job.result.assign((size_t)M * N, 0.0f);
    matmul(exec(), {M, N, K, a.data(), trans_a ? M : K, trans_a, b.data(), trans_b ? K : N, trans_b, job.result.data(), N, false});
  });
}

std::shared_ptr<Job> Lab::matmul_bench_async(int n, int reps) {
  if (n < 1 || n > 4096) throw std::invalid_argument("matmul bench: n must be in 1..4096 (got " + std::to_string(n) + ")");
  if (reps < 1 || reps > 1000) throw std::invalid_argument("matmul bench: reps must be in 1..1000 (got " + std::to_string(reps) + ")");
  return jobs_.submit("matmul bench", [this, n, reps](Job& job) {
    Rng rng(12345);
    std::vector<float> a((size_t)n * n), b((size_t)n * n), c1((size_t)n * n), cn((size_t)n * n);
    for (auto& x : a) x = rng.uniform(-1.0f, 1.0f);
    for (auto& x : b) x = rng.uniform(-1.0f, 1.0f);
    const int threads = pool_.active_threads();
    auto time_best = [&](int t, std::vector<float>& c, double progress0) {
      pool_.set_active_threads(t);
      double best = 1e300;
      for (int r = 0; r < reps; ++r) {
        job.check_cancel();
        auto t0 = std::chrono::steady_clock::now();
        matmul_simd128({n, n, n, a.data(), n, false, b.data(), n, false, c.data(), n, false}, &pool_);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        job.set_progress(progress0 + 0.45 * (r + 1) / reps);
      }
      return best;
    };
    double t1 = 0, tn = 0;
    // Warm-up, untimed: a JIT (V8 tiers wasm up from a baseline compiler) and cold caches would
    // otherwise be charged to the first configuration timed.
    // Repeated for at least 0.3 s: V8 tiers a hot function up only after it has run for a while.
    const auto warm0 = std::chrono::steady_clock::now();
    do {
      job.check_cancel();
      matmul_simd128({n, n, n, a.data(), n, false, b.data(), n, false, c1.data(), n, false}, &pool_);
    } while (std::chrono::steady_clock::now() - warm0 < std::chrono::milliseconds(300));
    try {
      t1 = time_best(1, c1, 0.0);
      tn = time_best(threads, cn, 0.45);
    } catch (...) {
      pool_.set_active_threads(threads);
      throw;
    }
    pool_.set_active_threads(threads);
    const bool identical = std::memcmp(c1.data(), cn.data(), c1.size() * sizeof(float)) == 0;
    // Agreement with the reference kernel on a few rows (the full reference is O(n^3) scalar).
    double max_diff = 0;
    const int rows = std::min(n, 8);
    std::vector<float> cref((size_t)rows * n);
    matmul_ref({rows, n, n, a.data(), n, false, b.data(), n, false, cref.data(), n, false});
    for (size_t i = 0; i < cref.size(); ++i) max_diff = std::max(max_diff, (double)std::fabs(cref[i] - c1[i]));
    const double flop = 2.0 * n * (double)n * n;
    const double peak = measure_simd_peak_gflops(0.2);
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "{\"n\":%d,\"reps\":%d,\"threads\":%d,\"gflops_1\":%.3f,\"gflops_n\":%.3f,\"speedup\":%.3f,"
                  "\"bit_identical\":%s,\"max_abs_diff_vs_ref\":%.3g,\"simd_peak_gflops\":%.3f,\"fraction_of_peak\":%.3f}",
                  n, reps, threads, flop / t1 * 1e-9, flop / tn * 1e-9, t1 / tn, identical ? "true" : "false", max_diff, peak,
                  flop / t1 * 1e-9 / peak);
    job.result_json = buf;
  });
}

}  // namespace lab
