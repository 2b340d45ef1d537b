// NeuronLab core — the Lab: one session object that owns everything a running lab needs.
//
// A Lab owns the thread pool, the background job runner and the kernel switches; the UI, the Embind
// bindings and the CLI all talk to one Lab. Nothing in the core is global: two Labs in one process
// are independent.
//
//   lab::Lab lab(lab::ThreadPool::hardware_threads());
//   auto job = lab.matmul_async(a, b, M, K, N, false, false);   // runs on the job thread
//   while (!job->finished()) { ... }                              // poll; job->result holds C (M×N)
//
// Errors: methods taking user input throw std::invalid_argument with a message meant for the user
// (the JS wrapper turns it into an Error); nothing aborts on bad input.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exec.h"
#include "experiment.h"
#include "job.h"
#include "thread_pool.h"

namespace lab {

class Lab {
 public:
  // max_threads: threads kernels may use (the job thread included), clamped to >= 1.
  explicit Lab(int max_threads);

  int max_threads() const { return pool_.max_threads(); }
  int threads() const { return pool_.active_threads(); }
  // Threads kernels use from the next job on; clamped to [1, max_threads()]. Returns the value set.
  int set_threads(int n);

  // The runtime switch that forces every kernel's plain reference variant.
  void set_force_reference(bool on) { force_reference_ = on; }
  bool force_reference() const { return force_reference_; }
  Exec exec() { return Exec{&pool_, force_reference_}; }

  JobRunner& jobs() { return jobs_; }

  // C = op(A)·op(B) as a background job; job->result holds C (M×N, row-major). A is M×K (K×M when
  // trans_a), B is K×N (N×K when trans_b). Throws std::invalid_argument on inconsistent sizes.
  std::shared_ptr<Job> matmul_async(std::vector<float> a, std::vector<float> b, int M, int K, int N,
                                    bool trans_a, bool trans_b);

  // Benchmark job: an n×n×n matrix multiply timed with 1 thread and with threads(), `reps` repetitions
  // each (best time taken), and checked for bit-identical results. job->result_json holds
  // {"n","reps","threads","gflops_1","gflops_n","speedup","bit_identical","max_abs_diff_vs_ref",
  //  "simd_peak_gflops","fraction_of_peak"} (the peak: simd_peak.h, measured on one thread).
  std::shared_ptr<Job> matmul_bench_async(int n, int reps);

  // --- experiments (lab_experiment.cpp) ---------------------------------------------------------
  // Stores the data file of a dataset that reads one (DatasetInfo::asset, e.g. "mnist" → the bytes of
  // mnist.nlds); load() and import_model() hand every stored file to the experiments they build.
  // Checks the bytes first (check_dataset_asset); throws std::invalid_argument, storing nothing, when
  // `name` reads no data file or the bytes are not a valid one. Replaces an earlier file of that name.
  void set_asset(const std::string& name, std::vector<uint8_t> bytes);
  bool has_asset(const std::string& name) const;
  // Builds the experiment a spec describes (JSON text) and makes it current. Throws
  // std::invalid_argument with a readable message; on error the current experiment is untouched.
  // Returns the spec's warnings (ignored fields).
  std::vector<std::string> load(const std::string& spec_json);
  bool has_experiment() const;
  // The current experiment (throws std::invalid_argument "no experiment loaded" when there is none).
  std::shared_ptr<Experiment> experiment() const;
  std::string spec_json() const;
  // Changes training hyper-parameters of the current experiment from its next step on, by a JSON merge
  // patch of its spec (e.g. {"optimizer": {"lr": 0.01}}); returns the new spec. Throws, changing nothing,
  // on a bad value or an attempt to change data, model or seed.
  std::string set_hyperparameters(const std::string& patch_json);
  // Trains `steps` mini-batch steps as a job, then (unless evaluate is false) evaluates on the train
  // and test sets; job->result_json = metrics_json(). A diverging run fails the job with the reason;
  // the weights stay those before the failing step.
  std::shared_ptr<Job> train_async(long long steps, bool evaluate = true);
  // {step, epoch, trainLoss, testLoss, trainAccuracy, testAccuracy, regLoss, batchLoss, lr, ...}; NaN → null.
  std::string metrics_json() const;
  std::string digest() const;
  // n rows of inputs (n × input size) → n rows of outputs, on the calling thread.
  std::vector<float> predict(const std::vector<float>& inputs, int n) const;
  std::string export_model_json() const;
  std::vector<uint8_t> export_model_binary() const;
  // Replaces the current experiment with the file's (spec + weights); throws, leaving it untouched, on a bad file.
  void import_model(const std::vector<uint8_t>& bytes);

 private:
  ThreadPool pool_;
  bool force_reference_ = false;
  mutable std::mutex exp_mu_;
  std::shared_ptr<Experiment> exp_;
  mutable std::mutex assets_mu_;  // held while an experiment is built from assets_
  DatasetAssets assets_;
  JobRunner jobs_;  // declared last: destroyed first, so no job outlives the pool it uses
};

}  // namespace lab
