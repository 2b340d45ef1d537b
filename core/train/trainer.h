// NeuronLab core — the Trainer: mini-batch training of a network on a dataset — loss, backward,
// regularisation, the divergence doctor, the optimizer step — and the stop conditions at epoch ends.
//
//   lab::TrainConfig c;  c.loss = "softmax_cross_entropy";  c.optimizer = lab::optimizer_config("adam", {});
//   lab::Trainer t(model, data, c, /*seed=*/42);   // borrows model and data: they outlive the trainer
//   t.step(exec);                                 // one mini-batch; throws TrainingDiverged
//   if (t.at_epoch_start() && t.check_stop(exec)) …  // a stop condition was met: t.metrics().stop_reason
//
// Determinism: the epoch shuffles come from Rng(seed, stream 2), dropout masks from stream 3; the
// kernels split work independently of the thread count. The same config, seed and initial weights give
// the same weights after the same steps, bit for bit, with any number of threads.
//
// Thread safety: none; the caller (Experiment) serialises access.
#pragma once
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/exec.h"
#include "base/rng.h"
#include "data/dataset.h"
#include "nn/loss.h"
#include "nn/network.h"
#include "optim/optimizer.h"
#include "train/metrics.h"

namespace lab {

// Conditions checked at the end of every epoch (so a run stops at the same step whatever the chunk
// sizes). 0 = no such condition. epochs: stop after that many passes; test_loss: stop once the test
// loss is at or below it; test_accuracy: stop once the test accuracy is at or above it.
// 0 = no such condition. epochs: stop after that many passes; test_loss: once the test loss is at or below
// it; test_accuracy: once the test accuracy is at or above it (classification).
struct StopConditions {
  int epochs = 0;
  float test_loss = 0.0f, test_accuracy = 0.0f;
  bool any() const { return epochs > 0 || test_loss > 0 || test_accuracy > 0; }
  bool operator==(const StopConditions& o) const {
    return epochs == o.epochs && test_loss == o.test_loss && test_accuracy == o.test_accuracy;
  }
};

// Everything that defines how a network is trained; each may change between steps (set_config).
// What may change during a run (Experiment::set_hyperparameters); a Spec holds them too.
struct Hyperparameters {
  OptimizerConfig optimizer;
  ScheduleConfig schedule;
  int batch_size = 10;
  float l1 = 0.0f, l2 = 0.0f;  // penalty l2/2·Σw² + l1·Σ|w| on regularised parameters (weights)
  // Conditions checked at the end of every epoch (so a run stops at the same step everywhere).
  StopConditions stop;
};

struct TrainConfig : Hyperparameters {
  std::string loss;  // a loss_registry() name (resolved: never empty)
};

// Training stopped because the loss or the gradients became non-finite or exploded. The weights are
// those before the step that failed. what() explains the likely cause and the fix.
struct TrainingDiverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The doctor's second look: a run that goes wrong without NaN. Fed every step's data loss, it keeps a
// smoothed loss (≈50 steps) and its best value, and flags the run when the smoothed loss stays far above
// its best — above best + max(guess, 2 × best) — for kSustainedSteps steps in a row (the learning rate
// makes every step overshoot: Adam at 100 sits at loss ~100), or when, after kStuckSteps steps, the loss
// is still no better than guessing and has not improved for as long while it swings (oscillating without
// progress). `guess` is the loss of a constant prediction: ln C for softmax cross-entropy over C classes,
// ln 2 for binary cross-entropy, the targets' variance for MSE. The warning clears itself when the loss
// comes back. Deterministic: a function of the losses.
class LossWatch {
 public:
  static constexpr int kSustainedSteps = 300, kStuckSteps = 3000, kWarmupSteps = 50;
  explicit LossWatch(double guess = 0) : guess_(guess) {}
  void add(double loss, float lr);
  const std::string& warning() const { return warning_; }
  float suggested_lr() const { return suggested_lr_; }  // the fix the warning proposes (0: none)
  long long version() const { return version_; }        // changes when warning() does

 private:
  int kind_ = 0;  // 0 none, 1 far above its best, 2 no progress
  long long version_ = 0;
  double guess_, slow_ = NAN, best_ = INFINITY, swing_ = 0;
  long long n_ = 0, above_ = 0, since_best_ = 0;
  std::string warning_;
  float suggested_lr_ = 0;
};

class Trainer {
 public:
  Trainer(Network& model, const Dataset& data, const TrainConfig& config, uint64_t seed);

  // One mini-batch step (the last batch of an epoch may be smaller). Throws TrainingDiverged, with the
  // weights left as they were before the step.
  void step(const Exec& exec);
  // Steps left in the current epoch (with the current batch size).
  long long steps_to_epoch_end() const;
  bool at_epoch_start() const { return pos_ == 0; }
  // At an epoch's end: checks the stop conditions (evaluating when a target needs the test metrics).
  // Returns true when one is met, with metrics().stopped and stop_reason set.
  bool check_stop(const Exec& exec);
  // Evaluates on the whole train and test sets into metrics().
  void evaluate(const Exec& exec);
  // The same a batch at a time: next_batch() evaluates the next batch of an Evaluation made by
  // start_evaluation() into metrics() and returns true after the last one.
  Evaluation start_evaluation() const { return Evaluation(data_, cfg_.loss); }
  bool next_batch(Evaluation& ev, const Exec& exec, int max_rows = 0) { return ev.step(model_, exec, metrics_, max_rows); }

  // New hyper-parameters from the next step on: a new optimizer name starts a fresh optimizer state,
  // the same name keeps it; changed stop conditions clear a stop. Throws std::invalid_argument on a bad
  // optimizer config, changing nothing.
  void set_config(const TrainConfig& c);
  const TrainConfig& config() const { return cfg_; }

  long long steps() const { return step_; }
  int epoch() const { return epoch_; }
  Metrics& metrics() { return metrics_; }
  const Metrics& metrics() const { return metrics_; }

 private:
  float regularize();
  void cache_config();  // what step() reads of cfg_, looked up once per change

  Network& model_;
  const Dataset& data_;
  TrainConfig cfg_;
  std::unique_ptr<Optimizer> opt_;
  float base_lr_ = 0;
  const ScheduleInfo* schedule_ = nullptr;
  const LossInfo* loss_ = nullptr;
  std::vector<Param> params_;  // model_.trainable_params(), built once (the tensors never move)
  Rng shuffle_rng_, dropout_rng_;
  std::vector<int> order_;
  size_t pos_ = 0;
  long long step_ = 0;
  int epoch_ = 0;
  Metrics metrics_;
  LossWatch watch_;
  long long watch_seen_ = 0;  // the watch's version metrics_ holds
  Tensor xb_, dout_;  // xb_ (B, input...), dout_ (B, outputs)
  std::vector<int> yb_;
  std::vector<float> tb_;
};

}  // namespace lab
