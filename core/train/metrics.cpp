#include "train/metrics.h"

#include <algorithm>
#include <cstring>

#include "nn/loss.h"

namespace lab {

namespace {
constexpr int kEvalBatch = 256;
}

Evaluation::Evaluation(const Dataset& data, std::string loss_name, bool train, bool test)
    : data_(data), loss_name_(std::move(loss_name)), loss_(&loss(loss_name_)) {
  if (train && data.n_train() > 0) splits_.push_back(false);
  if (test && data.n_test() > 0) splits_.push_back(true);
  for (bool t : splits_) total_batches_ += ((t ? data.n_test() : data.n_train()) + kEvalBatch - 1) / kEvalBatch;
  for (bool t : splits_) total_samples_ += t ? data.n_test() : data.n_train();
  if (!splits_.empty()) begin_split();
}

void Evaluation::begin_split() {
  const bool test = splits_[split_];
  const size_t n = test ? data_.n_test() : data_.n_train();
  const bool cls = data_.task == TaskKind::Classification;
  const int K = data_.num_classes, D = data_.output_dim;
  b0_ = 0;
  loss_sum_ = sq_ = ss_tot_ = 0;
  correct_ = 0;
  conf_.assign(cls && test ? (size_t)K * K : 0, 0);
  mean_.assign(cls ? 0 : D, 0.0);
  if (!cls) {
    const std::vector<float>& Y = test ? data_.test_y : data_.train_y;
    for (size_t i = 0; i < n; ++i)
      for (int j = 0; j < D; ++j) mean_[j] += Y[i * D + j] / n;
  }
}

bool Evaluation::step(Network& model, const Exec& exec, Metrics& m, int max_rows) {
  if (done()) return true;
  const bool test = splits_[split_];
  const std::vector<float>& X = test ? data_.test_x : data_.train_x;
  const size_t n = test ? data_.n_test() : data_.n_train(), in = data_.input_size();
  const bool cls = data_.task == TaskKind::Classification;
  const int K = data_.num_classes, D = data_.output_dim;
  LayerCtx ctx{exec, false, nullptr};
  const int B = (int)std::min<size_t>(kEvalBatch, n - b0_);
  // The batch's rows are run through the network `max_rows` at a time (inference: a row's output does not
  // depend on the rows beside it), and scored as one batch once all are in.
  const int r0 = rows_done_, R = max_rows > 0 ? std::min(max_rows, B - r0) : B - r0;
  Shape bs = data_.input_shape;
  bs.insert(bs.begin(), R);
  xb_.resize(bs);
  std::memcpy(xb_.data(), X.data() + (b0_ + r0) * in, (size_t)R * in * sizeof(float));
  model.forward(xb_, ctx);
  const Tensor& part = model.output();  // (R, outs...)
  if (r0 == 0 && R == B) {
    out_ = part;
  } else {
    if (r0 == 0) {
      Shape os = part.shape();
      os[0] = B;
      out_.resize(os);
    }
    std::memcpy(out_.data() + (size_t)r0 * part.row_size(), part.data(), part.size() * sizeof(float));
  }
  rows_done_ += R;
  samples_done_ += R;
  if (rows_done_ < B) return false;
  rows_done_ = 0;
  const Tensor& out = out_;  // (B, outs)
  const int outs = (int)out.row_size();
  Targets t;
  if (cls)
    t.labels = (test ? data_.test_label : data_.train_label).data() + b0_;
  else
    t.values = (test ? data_.test_y : data_.train_y).data() + b0_ * D;
  loss_sum_ += (double)loss_->compute(out, t, nullptr) * B;
  for (int b = 0; b < B; ++b) {
    const float* o = out.data() + (size_t)b * outs;
    if (cls) {
      int pred;
      if (outs == 1)
        pred = o[0] > (loss_name_ == "bce_logits" ? 0.0f : 0.5f) ? 1 : 0;
      else
        pred = (int)(std::max_element(o, o + outs) - o);
      const int y = t.labels[b];
      correct_ += pred == y;
      if (test && pred < K) conf_[(size_t)y * K + pred]++;
    } else {
      for (int j = 0; j < D; ++j) {
        const double e = o[j] - t.values[(size_t)b * D + j], dm = t.values[(size_t)b * D + j] - mean_[j];
        sq_ += e * e;
        ss_tot_ += dm * dm;
      }
    }
  }
  b0_ += B;
  ++batches_done_;
  if (b0_ < n) return false;
  // The split is complete: write its fields.
  (test ? m.test_loss : m.train_loss) = (float)(loss_sum_ / n);
  if (cls) {
    (test ? m.test_accuracy : m.train_accuracy) = (float)correct_ / n;
    if (test) {
      m.confusion = conf_;
      m.per_class_accuracy.assign(K, NAN);
      for (int k = 0; k < K; ++k) {
        int row = 0;
        for (int j = 0; j < K; ++j) row += conf_[(size_t)k * K + j];
        if (row) m.per_class_accuracy[k] = (float)conf_[(size_t)k * K + k] / row;
      }
    }
  } else {
    (test ? m.test_rmse : m.train_rmse) = (float)std::sqrt(sq_ / ((double)n * D));
    (test ? m.test_r2 : m.train_r2) = ss_tot_ > 0 ? (float)(1.0 - sq_ / ss_tot_) : NAN;
  }
  if (++split_ < splits_.size()) begin_split();
  return done();
}

void evaluate_split(Network& model, const Dataset& data, const std::string& loss_name, const Exec& exec, bool test, Metrics& m) {
  Evaluation ev(data, loss_name, !test, test);
  while (!ev.step(model, exec, m)) {
  }
}

}  // namespace lab
