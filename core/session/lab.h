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

#include "base/exec.h"
#include "base/job.h"
#include "base/thread_pool.h"
#include "experiment/analyses.h"
#include "experiment/experiment.h"

namespace lab {

class Lab {
 public:
  // max_threads: threads kernels may use (the job thread included), clamped to >= 1.
  explicit Lab(int max_threads);
  // jobs: JobRunner::Inline runs jobs only when jobs().pump() is called, as the single-threaded build's
  // page does between frames (tests use it to check that path natively).
  Lab(int max_threads, JobRunner::Mode jobs);

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
  std::shared_ptr<Job> matmul_async(std::vector<float> a, std::vector<float> b, int M, int K, int N, bool trans_a, bool trans_b);

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
  // Builds the experiment a spec describes (JSON text) and makes it current, and starts its evaluation at
  // step 0 as a job (evaluation()): it returns without evaluating anything, so it takes about as long as
  // building the dataset and the model. Throws std::invalid_argument with a readable message; on error
  // the current experiment is untouched. Returns the spec's warnings (ignored fields).
  std::vector<std::string> load(const std::string& spec_json);
  // The current experiment's evaluation on both splits at its current step as a sliced job (one batch a
  // slice: progress, cancellation, time slices in a single-threaded build); metrics() hold the result
  // when it is done. Jobs submitted later run after it. load(), reset() and import_model() start one;
  // evaluation() is the last one started (null before any).
  std::shared_ptr<Job> evaluate_async();
  std::shared_ptr<Job> evaluation() const;
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
  // {step, epoch, trainLoss, testLoss, trainAccuracy, testAccuracy, regLoss, batchLoss, lr, ..., evaluating};
  // NaN → null; evaluating: the evaluation() job has not finished (the losses are then those of the last
  // finished one, null right after load()).
  std::string metrics_json() const;
  std::string digest() const;
  // n rows of inputs (n × input size) → n rows of outputs, on the calling thread.
  std::vector<float> predict(const std::vector<float>& inputs, int n) const;
  std::string export_model_json() const;
  std::vector<uint8_t> export_model_binary() const;
  // Replaces the current experiment with the file's (spec + weights) and starts its evaluation (like
  // load()); throws, leaving it untouched, on a bad file.
  void import_model(const std::vector<uint8_t>& bytes);

  // What a dataset looks like before an experiment is built on it (data_json: a spec's "data" object):
  // {task, kind, inputShape, outputDim, numClasses, nTrain}. Builds the dataset once; throws
  // std::invalid_argument like load() would.
  std::string describe_dataset(const std::string& data_json) const;

  // --- looking inside -------------------------------------------------------------------------------
  // The current experiment's structure: {task, inputShape, featureNames, classNames, numClasses, outputDim,
  //  nTrain, nTest, numParams, rawPlane (2-D data: true), layers: [{index, type, outputShape, activation?,
  //  params: [{name, shape}]}]}. Layer indices are Model::layer's (activation layers counted).
  std::string info_json() const;
  // The number of values one input has (info_json's inputShape multiplied out), without building the JSON.
  size_t input_size() const;
  // A copy of one parameter tensor's values (its shape: info_json()). layer: a model layer index ("3") or
  // a layer's spec id ("conv1"); param: any of its parameter names (info_json()). Throws
  // std::invalid_argument.
  std::vector<float> weights(const std::string& layer, const std::string& param) const;
  std::vector<float> weights(int layer, const std::string& param) const { return weights(std::to_string(layer), param); }
  // The probes of the current network: [{name, layer, shape, units}] (Network::probes, nn/network.h).
  std::string probes_json() const;
  // A probe's activity for n inputs (n × input size): (n, T, N) values, T = 1 for a feed-forward layer.
  // Throws std::invalid_argument for an unknown probe or bad sizes.
  std::vector<float> probe(const std::string& name, const std::vector<float>& inputs, int n) const;
  // Every layer's output for n inputs (n × input size): out[i] has n × (layer i's output size) values.
  std::vector<std::vector<float>> activations(const std::vector<float>& inputs, int n) const;
  // Samples of a split ("train" or "test"), rows [start, start + count) clipped to the split: inputs
  // (count × input size). labels/targets via sample_targets().
  std::vector<float> samples(const std::string& split, long long start, long long count) const;
  // Class labels (classification) or targets (regression, count × outputs) of the same rows, as floats.
  std::vector<float> sample_targets(const std::string& split, long long start, long long count) const;

  // --- analyses the views draw (lab_analyses.cpp; experiment/analyses.h) --------------------------------
  // 2-D data: the network over the plane, on grid × grid cell centres (on the calling thread).
  Surface surface(int grid) const;
  // A job: the test samples the network gets most confidently wrong, among the first `scan`; at most
  // `max`. job->result_json: [{index, label, predicted, p}].
  std::shared_ptr<Job> confused_async(int scan, int max);
  // A job: one neuron's profile over the first `samples` test samples (experiment/analyses.h). job->result:
  // its activation per sample; job->result_json: {layer, unit, top, topValue, incoming, outgoing, bias, title}.
  std::shared_ptr<Job> neuron_async(int layer, int unit, int samples);

  // Runs n inputs (n × input size) through a copy of the current network with hooks at its probes
  // (nn/hooks.h) — record, replace (patch), mask (ablate), add (steer) — on the calling thread, in
  // inference mode. hooks_json: [{probe, kind: "record"|"replace"|"mask"|"add", units?: [i…], value?: [v…]}].
  // Returns the outputs (n × outputs) and, per record hook in order, its activity (n × units).
  struct Intervention {
    std::vector<float> outputs;
    std::vector<std::pair<std::string, std::vector<float>>> records;
  };
  Intervention intervene(const std::vector<float>& inputs, int n, const std::string& hooks_json) const;

  // --- attributions (lab_attribution.cpp; the methods: attribution.h, the arena: attr_eval.h) ------------
  // The method registry as JSON (attr::methods_json()).
  static std::string attribution_methods_json();
  // A job attributing n inputs (n × input size) with `method`; options_json: its parameters ({} for the
  // defaults). Validates method, options and sizes before submitting (std::invalid_argument). The job
  // runs on a snapshot of the model taken when it starts, with up to 256 training samples as background.
  // job->result: the maps (n × map size); job->result_json: {"method", "params", "shape" (per sample),
  //  "delta": [n] | null, "targets": [n], "f": [n], "ms"}.
  std::shared_ptr<Job> attribute_async(const std::string& method, std::vector<float> inputs, int n, const std::string& options_json);
  // The same at once on the calling thread, when that costs less than a job's round trip: saliency or
  // input × gradient (no noise tunnel) on a model small enough (2 × parameters × n ≤ 2·10⁵, a 2-D MLP's
  // live maps), with no job pending (so it sees the weights a job would). Returns false, having done
  // nothing, when the call is not such a one (use attribute_async); bad arguments throw as there. The
  // map and the JSON are those of attribute_async, bit for bit.
  bool attribute_now(const std::string& method, const std::vector<float>& inputs, int n, const std::string& options_json,
                     std::vector<float>* map, std::string* result_json);
  // A job running the arena (attr::run_arena) on a snapshot of the current model and its test split;
  // config_json as attr::parse_arena_config. With "labelRandomisation": true it first trains a copy of the
  // experiment on shuffled labels for as many steps as the current run has taken (100 to 5000).
  // job->result_json: the report. Progress 0 → 1; cancellable.
  std::shared_ptr<Job> arena_async(const std::string& config_json);

  // --- the run's history: what makes a shared link replay the same trajectory ---------------------
  // Every change to a loaded experiment goes through these calls, which record it in the event log with
  // the step it was made at; load() starts a new log. history_json() =
  //   {"spec": <the spec as loaded>, "events": [{"at": 120, "set": {...patch}}, {"at": 300, "weight":
  //    {"layer": 2, "param": "weight", "index": 5, "value": 0.25}}, {"at": 450, "reset": true}],
  //    "step": <the current step>, "reproducible": true}
  // "reproducible" is false when the weights came from a model file (import_model) rather than a spec.
  std::string history_json() const;
  // Sets one value of any parameter (Experiment::set_weight) and logs it, with the layer as given (an
  // index, or an id: a link then names the layer by its id). Returns the old value.
  float set_weight(const std::string& layer, const std::string& param, long long index, float value);
  float set_weight(int layer, const std::string& param, long long index, float value) {
    return set_weight(std::to_string(layer), param, index, value);
  }
  // Rebuilds the current experiment from its spec as it stands now (hyper-parameter changes kept): the same
  // seed gives the same initial weights, step 0. Logged. Starts its evaluation (like load()).
  void reset();
  // Trains with the spec's stop conditions (Experiment::train_until); otherwise like train_async. The
  // job's result_json is the metrics; metrics.stopped says whether a condition was met.
  std::shared_ptr<Job> train_until_async(long long steps, bool evaluate = true);
  // A job that rebuilds a history (history_json() text, e.g. from a link or a file): loads its spec, applies
  // its events at their steps, and trains up to `step` (-1: the history's own "step"). When it is done
  // the replayed experiment and its history become current; a bad history fails the job with what is
  // wrong, and the current experiment stays as it was. Progress goes from 0 to 1.
  std::shared_ptr<Job> replay_async(const std::string& history_json, long long step = -1);

 private:
  ThreadPool pool_;
  bool force_reference_ = false;
  mutable std::mutex exp_mu_;
  std::shared_ptr<Experiment> exp_;
  mutable std::mutex assets_mu_;  // held while an experiment is built from assets_
  DatasetAssets assets_;
  // History of the current experiment (guarded by exp_mu_).
  std::string base_spec_;
  std::vector<std::string> events_;  // each one JSON object
  bool reproducible_ = true;
  std::shared_ptr<Job> eval_job_;  // guarded by exp_mu_
  std::shared_ptr<Job> start_evaluation(const std::shared_ptr<Experiment>& e);
  // attribute_now's last parameters, parsed (a live view asks with the same ones every frame).
  struct NowParams;
  std::shared_ptr<const NowParams> now_params_;  // guarded by exp_mu_
  std::shared_ptr<Job> submit_training(long long steps, bool evaluate, bool until);
  JobRunner jobs_;  // declared last: destroyed first, so no job outlives the pool it uses
};

}  // namespace lab
