// neuronlab — the native command-line tool.
//   neuronlab --version             print the core's version and build
//   neuronlab selftest              check the SIMD kernels against the reference and across threads
//   neuronlab bench-matmul [n] [reps] [threads]   matrix-multiply GFLOP/s, 1 thread vs N, as JSON
//   neuronlab train SPEC.json STEPS [threads]      train, print metrics and digest
//   neuronlab export-pytorch SPEC.json STEPS OUT.py [threads]   train, then write a runnable PyTorch script
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "base/rng.h"
#include "base/version.h"
#include "data/dataset.h"
#include "io/export_pytorch.h"
#include "kernels/matmul.h"
#include "session/lab.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: neuronlab --version\n"
               "       neuronlab selftest\n"
               "       neuronlab bench-matmul [n=512] [reps=5] [threads=all]\n"
               "       neuronlab train SPEC.json STEPS [threads=all]     train, print metrics and digest\n"
               "       neuronlab bench-train SPEC.json [seconds=2] [threads=all]   training samples/s (median of 3)\n"
               "       neuronlab export-pytorch SPEC.json STEPS OUT.py [threads=all] [ATTRIBUTIONS.json]\n"
               "                 train, then write OUT.py: the network, its weights, loss and optimizer for PyTorch\n"
               "                 (`python3 OUT.py` checks it against this run); ATTRIBUTIONS.json: gradient maps of\n"
               "                 the first test samples, for tests/attr_pytorch_check.py\n");
  return 2;
}

std::string floats_json(const std::vector<float>& v) {
  std::string s = "[";
  char b[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(b, sizeof b, i ? ",%.9g" : "%.9g", v[i]);
    s += b;
  }
  return s + "]";
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

std::string read_file(const char* path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::invalid_argument(std::string("cannot read ") + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Loads the spec file into `lab`, with the data files of file-backed datasets. Returns 0, or 2 after
// printing why it failed.
int load_spec(lab::Lab& lab, const char* spec_path) {
  try {
    // File-backed datasets (mnist, ...): their .nlds files from $NEURONLAB_DATA, build/data or dist/data.
    const char* env = std::getenv("NEURONLAB_DATA");
    for (const std::string& dir : {env ? std::string(env) : std::string(), std::string("build/data"), std::string("dist/data")}) {
      if (dir.empty()) continue;
      for (const auto& d : lab::dataset_registry()) {
        if (d.asset.empty() || lab.has_asset(d.name)) continue;
        std::ifstream probe(dir + "/" + d.asset, std::ios::binary);
        if (probe)
          lab.set_asset(d.name, [&] {
            std::string b = read_file((dir + "/" + d.asset).c_str());
            return std::vector<uint8_t>(b.begin(), b.end());
          }());
      }
    }
    for (const auto& w : lab.load(read_file(spec_path))) std::fprintf(stderr, "neuronlab: %s\n", w.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "neuronlab: %s\n", e.what());
    return 2;
  }
  return 0;
}

int train_cmd(int argc, char** argv, bool bench) {
  if (argc < 3) return usage();
  const int threads = argc > 4 ? std::atoi(argv[4]) : lab::ThreadPool::hardware_threads();
  lab::Lab lab(threads);
  if (int rc = load_spec(lab, argv[2])) return rc;
  if (!bench) {
    auto job = lab.train_async(std::atoll(argv[3]));
    if (wait_job(job)) return 1;
    std::printf("%s\ndigest %s\n", job->result_json.c_str(), lab.digest().c_str());
    return 0;
  }
  // Steady state: warm up, find the steps that take ~`seconds`, then time 3 runs and take the median.
  const double seconds = argc > 3 ? std::atof(argv[3]) : 2.0;
  const int batch = lab.experiment()->spec().batch_size;
  auto timed = [&](long long steps) {
    auto t0 = std::chrono::steady_clock::now();
    auto job = lab.train_async(steps, false);
    if (wait_job(job)) std::exit(1);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  long long steps = 10;
  double t = timed(steps);
  while (t < 0.3) {
    steps *= 2;
    t = timed(steps);
  }
  steps = std::max<long long>(1, (long long)(steps * seconds / t));
  std::vector<double> rates;
  for (int r = 0; r < 3; ++r) rates.push_back(steps * batch / timed(steps));
  std::sort(rates.begin(), rates.end());
  std::printf("{\"samples_per_s\":%.1f,\"threads\":%d,\"steps\":%lld,\"batch\":%d}\n", rates[1], lab.threads(), steps, batch);
  return 0;
}

// Writes the gradient attributions of the first test samples (tests/attr_pytorch_check.py recomputes them
// with PyTorch autograd on the exported script): {"inputs": [n × d], "targets": [n], "methods": {name: [n × d]}}.
int attribution_dump(lab::Lab& lab, const char* path) {
  constexpr int kSamples = 6;
  const std::vector<std::pair<std::string, std::string>> methods = {
      {"saliency", R"({"abs": false})"},
      {"input_x_gradient", "{}"},
      {"integrated_gradients", R"({"steps": 32, "rule": "gausslegendre"})"},
      {"integrated_gradients_middle", R"({"steps": 16, "rule": "riemann_middle"})"},
      {"guided_backprop", "{}"},
      {"deconvolution", "{}"}};
  auto e = lab.experiment();
  const int n = (int)std::min<size_t>(kSamples, e->dataset().n_test());
  const size_t d = e->dataset().input_size();
  std::vector<float> x(e->dataset().test_x.begin(), e->dataset().test_x.begin() + (size_t)n * d);
  std::string out = "{\"inputs\": " + floats_json(x) + ", \"methods\": {";
  std::string targets;
  for (size_t m = 0; m < methods.size(); ++m) {
    std::string name = methods[m].first;
    const std::string method = name == "integrated_gradients_middle" ? "integrated_gradients" : name;
    auto job = lab.attribute_async(method, x, n, methods[m].second);
    if (wait_job(job)) return 1;
    if (targets.empty()) {
      const auto p = job->result_json.find("\"targets\":");
      targets = job->result_json.substr(p + 10, job->result_json.find(']', p) - p - 9);
    }
    out += (m ? ", \"" : "\"") + name + "\": " + floats_json(job->result);
  }
  out += "}, \"targets\": " + targets + "}\n";
  std::ofstream f(path, std::ios::binary);
  f << out;
  if (!f) {
    std::fprintf(stderr, "neuronlab: cannot write %s\n", path);
    return 1;
  }
  std::printf("attributions of %d test samples written to %s\n", n, path);
  return 0;
}

// neuronlab export-pytorch SPEC.json STEPS OUT.py [threads [ATTRIBUTIONS.json]]: trains STEPS steps (no evaluation), writes
// the script (export_pytorch.h) and prints the digest of the exported weights.
int export_pytorch_cmd(int argc, char** argv) {
  if (argc < 5) return usage();
  const int threads = argc > 5 ? std::atoi(argv[5]) : lab::ThreadPool::hardware_threads();
  lab::Lab lab(threads);
  if (int rc = load_spec(lab, argv[2])) return rc;
  auto job = lab.train_async(std::atoll(argv[3]), false);
  if (wait_job(job)) return 1;
  std::string script;
  try {
    script = lab::export_pytorch_script(*lab.experiment());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "neuronlab: cannot export to PyTorch: %s\n", e.what());
    return 1;
  }
  std::ofstream out(argv[4], std::ios::binary);
  out << script;
  out.close();
  if (!out) {
    std::fprintf(stderr, "neuronlab: cannot write %s\n", argv[4]);
    return 1;
  }
  std::printf("wrote %s (%zu bytes)\ndigest %s\n", argv[4], script.size(), lab.digest().c_str());
  if (argc > 6) return attribution_dump(lab, argv[6]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    const lab::BuildInfo b = lab::build_info();
    std::printf("NeuronLab %s (native, %s, SIMD %s, %d hardware threads)\n", lab::version(), b.compiler.c_str(), b.simd ? "on" : "off",
                lab::ThreadPool::hardware_threads());
    return 0;
  }
  if (cmd == "selftest") return selftest();
  if (cmd == "train") return train_cmd(argc, argv, false);
  if (cmd == "bench-train") return train_cmd(argc, argv, true);
  if (cmd == "export-pytorch") return export_pytorch_cmd(argc, argv);
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
