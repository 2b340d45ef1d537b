// NeuronLab core — Experiment: a spec made real — its dataset, model, optimizer and training state.
//
//   lab::Experiment e(lab::parse_spec(text));      // throws std::invalid_argument on a bad spec
//   e.train(100, exec, nullptr);                    // 100 mini-batch steps; throws TrainingDiverged
//   lab::Metrics m = e.evaluate(exec);              // loss/accuracy on train and test
//   e.digest();                                     // "3f1c…": hash of every parameter
//
// Determinism: the initial weights come from Rng(seed, stream 1), the epoch shuffles from stream 2,
// dropout masks from stream 3; kernels split work independently of the thread count. So the same spec
// gives the same digest after the same steps with any number of threads.
//
// Thread safety: one thread trains at a time; predict(), digest(), metrics() may be called from other
// threads between steps. Every public method takes mutex() itself.
#pragma once
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataset.h"
#include "exec.h"
#include "model.h"
#include "optimizer.h"
#include "rng.h"
#include "spec.h"

namespace lab {

class Job;

struct Metrics {
  long long step = 0;
  int epoch = 0;              // completed passes over the training set
  float train_loss = NAN, test_loss = NAN;          // data loss (without regularisation)
  float train_accuracy = NAN, test_accuracy = NAN;  // classification only
  float reg_loss = 0;         // the L1/L2 penalty, reported apart from the data loss
  float batch_loss = NAN;     // smoothed loss of the recent training batches
  float lr = 0;               // learning rate of the last step
  float train_rmse = NAN, test_rmse = NAN, train_r2 = NAN, test_r2 = NAN;  // regression only
  std::vector<int> confusion;              // test set, classes × classes, row = true, column = predicted
  std::vector<float> per_class_accuracy;   // test set
  bool diverged = false;
  std::string diverged_reason;
};

// Training stopped because the loss or the gradients became non-finite or exploded. The weights are
// those before the step that failed. what() explains the likely cause and the fix.
struct TrainingDiverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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
  // Evaluates on the whole train and test sets and stores the result as metrics().
  Metrics evaluate(const Exec& exec);
  Metrics metrics() const;
  long long step() const;

  // Outputs (n, outputs) for n inputs (n, input size), on the calling thread.
  std::vector<float> predict(const float* x, int n);
  std::string digest();

  // Replace every parameter's values (in params() order, sizes checked before anything changes).
  void set_parameters(const std::vector<std::vector<float>>& values);

  // New training hyper-parameters from the next step on: optimizer (a new name starts a fresh optimizer
  // state; the same name keeps it), schedule, batch size, L1/L2. Throws std::invalid_argument if
  // `updated` differs in anything else (data, model, seed: those need a new experiment).
  void set_hyperparameters(const Spec& updated);

 private:
  void one_step(const Exec& exec);
  float regularize();
  void evaluate_split(const Exec& exec, bool test, Metrics& m);

  Spec spec_;
  Dataset data_;
  std::string loss_name_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<Optimizer> opt_;
  std::vector<Param> params_;  // model_->params(), built once (the tensors never move)
  Rng shuffle_rng_, dropout_rng_;
  std::vector<int> order_;
  size_t pos_ = 0;
  long long step_ = 0;
  int epoch_ = 0;
  Metrics metrics_;
  Tensor xb_, dout_;
  std::vector<int> yb_;
  std::vector<float> tb_;
  mutable std::mutex mu_;
};

}  // namespace lab
