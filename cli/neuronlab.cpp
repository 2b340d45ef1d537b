// neuronlab — the native command-line tool.
//   neuronlab --version             print the core's version and build
//   neuronlab selftest              check the SIMD kernels against the reference and across threads
//   neuronlab bench-matmul [n] [reps] [threads]   matrix-multiply GFLOP/s, 1 thread vs N, as JSON
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "lab.h"
#include "matmul.h"
#include "rng.h"
#include "version.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: neuronlab --version\n"
               "       neuronlab selftest\n"
               "       neuronlab bench-matmul [n=512] [reps=5] [threads=all]\n");
  return 2;
}

int wait_job(const std::shared_ptr<lab::Job>& job) {
  while (!job->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  if (job->state() != lab::Job::State::Done) {
    std::fprintf(stderr, "neuronlab: %s %s: %s\n", job->name().c_str(), lab::job_state_name(job->state()), job->error().c_str());
    return 1;
  }
  return 0;
}

int selftest() {
  int failures = 0;
  lab::Rng rng(2024);
  const int M = 67, N = 131, K = 259;
  std::vector<float> a((size_t)M * K), b((size_t)K * N), ref((size_t)M * N), fast((size_t)M * N);
  for (auto& x : a) x = rng.uniform(-1, 1);
  for (auto& x : b) x = rng.uniform(-1, 1);
  lab::matmul_ref({M, N, K, a.data(), K, false, b.data(), N, false, ref.data(), N, false});
  lab::matmul_simd128({M, N, K, a.data(), K, false, b.data(), N, false, fast.data(), N, false}, nullptr);
  double diff = 0;
  for (size_t i = 0; i < ref.size(); ++i) diff = std::max(diff, (double)std::fabs(ref[i] - fast[i]));
  const bool close = diff < 1e-3;
  std::printf("matmul simd128 vs ref: max |diff| = %.3g  %s\n", diff, close ? "ok" : "FAIL");
  failures += !close;

  lab::Lab lab(lab::ThreadPool::hardware_threads());
  std::vector<float> multi((size_t)M * N);
  lab::matmul_simd128({M, N, K, a.data(), K, false, b.data(), N, false, multi.data(), N, false}, nullptr);
  auto job = lab.matmul_async(a, b, M, K, N, false, false);
  if (wait_job(job)) return 1;
  const bool same = std::memcmp(job->result.data(), multi.data(), multi.size() * 4) == 0;
  std::printf("matmul 1 thread vs %d threads: %s\n", lab.threads(), same ? "bit-identical" : "DIFFERENT");
  failures += !same;
  std::printf("selftest: %s\n", failures ? "FAILED" : "passed");
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    const lab::BuildInfo b = lab::build_info();
    std::printf("NeuronLab %s (native, %s, SIMD %s, %d hardware threads)\n", lab::version(), b.compiler.c_str(),
                b.simd ? "on" : "off", lab::ThreadPool::hardware_threads());
    return 0;
  }
  if (cmd == "selftest") return selftest();
  if (cmd == "bench-matmul") {
    const int n = argc > 2 ? std::atoi(argv[2]) : 512, reps = argc > 3 ? std::atoi(argv[3]) : 5;
    const int threads = argc > 4 ? std::atoi(argv[4]) : lab::ThreadPool::hardware_threads();
    lab::Lab lab(threads);
    std::shared_ptr<lab::Job> job;
    try {
      job = lab.matmul_bench_async(n, reps);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "neuronlab: %s\n", e.what());
      return 2;
    }
    if (wait_job(job)) return 1;
    std::printf("%s\n", job->result_json.c_str());
    return 0;
  }
  return usage();
}
