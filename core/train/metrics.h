// NeuronLab core — what a training run reports: its Metrics, and their evaluation on a dataset split.
//
//   lab::Metrics m;
//   lab::evaluate_split(model, data, "softmax_cross_entropy", exec, /*test=*/true, m);  // m.test_loss, …
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "base/exec.h"
#include "data/dataset.h"
#include "nn/loss.h"
#include "nn/network.h"

namespace lab {

struct Metrics {
  long long step = 0;
  int epoch = 0;                                                           // completed passes over the training set
  float train_loss = NAN, test_loss = NAN;                                 // data loss (without regularisation)
  float train_accuracy = NAN, test_accuracy = NAN;                         // classification only
  float reg_loss = 0;                                                      // the L1/L2 penalty, reported apart from the data loss
  float batch_loss = NAN;                                                  // smoothed loss of the recent training batches
  float lr = 0;                                                            // learning rate of the last step
  float train_rmse = NAN, test_rmse = NAN, train_r2 = NAN, test_r2 = NAN;  // regression only
  std::vector<int> confusion;                                              // test set, classes × classes, row = true, column = predicted
  std::vector<float> per_class_accuracy;                                   // test set
  bool diverged = false;
  std::string diverged_reason;
  std::string warning;      // the run goes wrong without NaN (LossWatch, train/trainer.h): what and the fix; "" if not
  float warning_lr = 0;     // the learning rate the warning proposes (0: none)
  bool stopped = false;     // a stop condition of the spec was met (at the end of an epoch)
  std::string stop_reason;  // e.g. "reached the target test accuracy 0.95 (0.956) after epoch 12"
};

// Evaluates `model` (inference mode, batches of 256) on the train or the test split of `data` with the
// loss `loss_name`, and writes that split's fields of `m`: loss; accuracy, and for the test split the
// confusion matrix and per-class accuracy (classification); RMSE and R² (regression). An empty split
// leaves m as it is.
void evaluate_split(Network& model, const Dataset& data, const std::string& loss_name, const Exec& exec, bool test, Metrics& m);

// The same evaluation a batch at a time, for jobs that report progress, can be cancelled between batches
// or run in time slices: step() evaluates the next batch (the train split first, then the test split)
// and writes a split's fields of m when its last batch is done; it returns true when every split is.
// The result is bit for bit evaluate_split's. `data` must outlive the Evaluation.
class Evaluation {
 public:
  Evaluation(const Dataset& data, std::string loss_name, bool train = true, bool test = true);
  // max_rows > 0: run at most that many rows of the batch through the network this step (a batch is then
  // scored when its last rows are in; the result is the same, bit for bit).
  bool step(Network& model, const Exec& exec, Metrics& m, int max_rows = 0);
  bool done() const { return split_ >= splits_.size(); }
  double progress() const { return total_samples_ ? (double)samples_done_ / total_samples_ : 1.0; }

 private:
  void begin_split();
  const Dataset& data_;
  std::string loss_name_;
  const LossInfo* loss_;
  std::vector<bool> splits_;  // test? for each split to evaluate, in order
  size_t split_ = 0, b0_ = 0, batches_done_ = 0, total_batches_ = 0, samples_done_ = 0, total_samples_ = 0;
  int rows_done_ = 0;  // rows of the current batch already run
  double loss_sum_ = 0, sq_ = 0, ss_tot_ = 0;
  size_t correct_ = 0;
  std::vector<int> conf_;
  std::vector<double> mean_;
  Tensor xb_, out_;
};

}  // namespace lab
