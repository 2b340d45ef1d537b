#include "train/metrics.h"

#include <algorithm>
#include <cstring>

#include "nn/loss.h"

namespace lab {

namespace {
constexpr int kEvalBatch = 256;
}

void evaluate_split(Network& model, const Dataset& data, const std::string& loss_name, const Exec& exec, bool test, Metrics& m) {
  const std::vector<float>& X = test ? data.test_x : data.train_x;
  const size_t n = test ? data.n_test() : data.n_train(), in = data.input_size();
  if (n == 0) return;
  const bool cls = data.task == TaskKind::Classification;
  const int K = data.num_classes, D = data.output_dim;
  const LossInfo& L = loss(loss_name);
  double loss_sum = 0, sq = 0, ss_tot = 0;
  size_t correct = 0;
  std::vector<int> conf(cls && test ? (size_t)K * K : 0, 0);
  std::vector<double> mean(cls ? 0 : D, 0.0);
  if (!cls) {
    const std::vector<float>& Y = test ? data.test_y : data.train_y;
    for (size_t i = 0; i < n; ++i)
      for (int j = 0; j < D; ++j) mean[j] += Y[i * D + j] / n;
  }
  LayerCtx ctx{exec, false, nullptr};
  Tensor xb;  // (B, input...)
  for (size_t b0 = 0; b0 < n; b0 += kEvalBatch) {
    const int B = (int)std::min<size_t>(kEvalBatch, n - b0);
    Shape bs = data.input_shape;
    bs.insert(bs.begin(), B);
    xb.resize(bs);
    std::memcpy(xb.data(), X.data() + b0 * in, (size_t)B * in * sizeof(float));
    model.forward(xb, ctx);
    const Tensor& out = model.output();  // (B, outs)
    const int outs = (int)out.row_size();
    Targets t;
    if (cls)
      t.labels = (test ? data.test_label : data.train_label).data() + b0;
    else
      t.values = (test ? data.test_y : data.train_y).data() + b0 * D;
    loss_sum += (double)L.compute(out, t, nullptr) * B;
    for (int b = 0; b < B; ++b) {
      const float* o = out.data() + (size_t)b * outs;
      if (cls) {
        int pred;
        if (outs == 1)
          pred = o[0] > (loss_name == "bce_logits" ? 0.0f : 0.5f) ? 1 : 0;
        else
          pred = (int)(std::max_element(o, o + outs) - o);
        const int y = t.labels[b];
        correct += pred == y;
        if (test && pred < K) conf[(size_t)y * K + pred]++;
      } else {
        for (int j = 0; j < D; ++j) {
          const double e = o[j] - t.values[(size_t)b * D + j], dm = t.values[(size_t)b * D + j] - mean[j];
          sq += e * e;
          ss_tot += dm * dm;
        }
      }
    }
  }
  (test ? m.test_loss : m.train_loss) = (float)(loss_sum / n);
  if (cls) {
    (test ? m.test_accuracy : m.train_accuracy) = (float)correct / n;
    if (test) {
      m.confusion = conf;
      m.per_class_accuracy.assign(K, NAN);
      for (int k = 0; k < K; ++k) {
        int row = 0;
        for (int j = 0; j < K; ++j) row += conf[(size_t)k * K + j];
        if (row) m.per_class_accuracy[k] = (float)conf[(size_t)k * K + k] / row;
      }
    }
  } else {
    (test ? m.test_rmse : m.train_rmse) = (float)std::sqrt(sq / ((double)n * D));
    (test ? m.test_r2 : m.train_r2) = ss_tot > 0 ? (float)(1.0 - sq / ss_tot) : NAN;
  }
}

}  // namespace lab
