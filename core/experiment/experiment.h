// NeuronLab core — Experiment: a spec made real — its dataset, its model and the Trainer that trains it.
//
//   lab::Experiment e(lab::parse_spec(text));      // throws std::invalid_argument on a bad spec
//   e.train(100, exec, nullptr);                    // 100 mini-batch steps; throws TrainingDiverged
//   lab::Metrics m = e.evaluate(exec);              // loss/accuracy on train and test
//   e.digest();                                     // "3f1c…": hash of every parameter
//
// Determinism: the initial weights come from Rng(seed, stream 1), the epoch shuffles from stream 2,
// dropout masks from stream 3 (the Trainer's, train/trainer.h); kernels split work independently of the
// thread count. So the same spec gives the same digest after the same steps with any number of threads.
//
// Thread safety: one thread trains at a time; predict(), digest(), metrics() may be called from other
// threads between steps. Every public method takes mutex() itself.
#pragma once
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/exec.h"
#include "base/rng.h"
#include "data/dataset.h"
#include "experiment/spec.h"
#include "nn/model.h"
#include "optim/optimizer.h"
#include "train/metrics.h"
#include "train/trainer.h"

namespace lab {

class Job;

class Experiment {
 public:
  // assets: data files of datasets that read one (dataset.h), borrowed only during construction;
  // null when the spec's dataset is generated.
  explicit Experiment(const Spec& spec, const DatasetAssets* assets = nullptr);

  const Spec& spec() const { return spec_; }
  std::string spec_json() const { return spec_to_json(spec_); }
  const Dataset& dataset() const { return data_; }
  Model& model() { return *model_; }
  std::mutex& mutex() const { return mu_; }

  // Runs n mini-batch steps. job (may be null): progress and cancellation between steps.
  void train(long long n, const Exec& exec, Job* job);
  // Runs up to n steps, checking the spec's stop conditions at the end of every epoch (evaluating there,
  // so the result is the same whatever n is). Returns true when a condition was met: training stopped
  // right after that epoch, and metrics().stopped / stop_reason say why. A run already stopped by a
  // condition trains no further until the condition changes (set_hyperparameters) or it is reset.
  bool train_until(long long n, const Exec& exec, Job* job);
  // Steps left in the current epoch (with the current batch size).
  long long steps_to_epoch_end() const;
  // Evaluates on the whole train and test sets and stores the result as metrics().
  Metrics evaluate(const Exec& exec);
  // The same a batch at a time (a sliced job's slices): evaluate_batch() evaluates the next batch of an
  // Evaluation made by start_evaluation() and returns true after the last one, metrics() then holding the
  // result. Progress: Evaluation::progress().
  Evaluation start_evaluation() const;
  bool evaluate_batch(Evaluation& ev, const Exec& exec, int max_rows = 0);  // max_rows: Evaluation::step
  Metrics metrics() const;
  long long step() const;

  // Outputs (n, outputs) for n inputs (n, input size), on the calling thread.
  std::vector<float> predict(const float* x, int n);
  std::string digest();

  // Replace every parameter's values (in params() order, sizes checked before anything changes).
  void set_parameters(const std::vector<std::vector<float>>& values);
  // A layer reference as users write it: a model layer index ("3") or a layer's spec id ("conv1").
  // Throws std::invalid_argument naming the ids there are when it fits no layer.
  int resolve_layer(const std::string& ref) const;

  // Sets one value: element `index` of parameter `param` ("weight", "bias", "running_mean", …) of model layer `layer`
  // (0-based, activation layers counted; Model::layer). Throws std::invalid_argument naming what is
  // out of range, or when the value is not finite. Returns the old value; *at (if given) the step at
  // which it was set.
  float set_weight(int layer, const std::string& param, long long index, float value, long long* at = nullptr);
  // Reads the same value (same checks).
  float weight(int layer, const std::string& param, long long index);
  // A copy of a whole parameter tensor of model layer `layer` (same checks).
  std::vector<float> parameter(int layer, const std::string& param);

  // Every layer's output for n inputs (n, input size): result[i] = Model::activations(i), (n, out_i...).
  // On the calling thread; inference mode (no dropout).
  std::vector<Tensor> probe(const float* x, int n);

  // A deep copy of the model as it is now (taken under the lock): attributions run on it while this
  // experiment trains on.
  std::unique_ptr<Model> snapshot_model();
  // Shuffles the training labels (regression: the target rows) with `seed`, keeping the inputs: the data
  // randomisation sanity check (attr_eval.h) trains a copy of the experiment on this.
  void shuffle_train_labels(uint64_t seed);

  // 2-D datasets with spec.data.features: the network's inputs for n raw points (n, 2) → (n, features).
  // Without features (or for other datasets) a copy of the input.
  std::vector<float> featurize(const float* raw, int n) const;
  // The 2-D points before the features were computed (n, 2); empty for other datasets.
  const std::vector<float>& raw_train_x() const { return raw_train_x_; }
  const std::vector<float>& raw_test_x() const { return raw_test_x_; }

  // New training hyper-parameters from the next step on: optimizer (a new name starts a fresh optimizer
  // state; the same name keeps it), schedule, batch size, L1/L2. Throws std::invalid_argument if
  // `updated` differs in anything else (data, model, seed: those need a new experiment).
  // Returns the step at which the change took effect (read under the same lock, so a log stays exact
  // while another thread trains).
  long long set_hyperparameters(const Spec& updated);

 private:
  template <class Take>
  void forward_batches(const float* x, int n, Take take);

  Spec spec_;
  Dataset data_;
  std::string loss_name_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<Trainer> trainer_;  // trains model_ on data_
  std::vector<float> raw_train_x_, raw_test_x_;
  mutable std::mutex mu_;
};

}  // namespace lab
