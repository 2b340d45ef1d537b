#include "nn/loss.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lab {
namespace {

// The target of output j for row i: the value, or the one-hot / 0-1 encoding of the label.
float target_at(const Targets& t, int i, int j, int D) {
  if (t.values) return t.values[(size_t)i * D + j];
  const int y = t.labels[i];
  return D == 1 ? (float)y : (y == j ? 1.0f : 0.0f);
}

void check_labels(const Targets& t, int B, int D, const char* name) {
  if (!t.labels && !t.values) throw std::invalid_argument(std::string(name) + ": no targets given");
  if (!t.labels) return;
  const int limit = D == 1 ? 2 : D;
  for (int i = 0; i < B; ++i)
    if (t.labels[i] < 0 || t.labels[i] >= limit)
      throw std::invalid_argument(std::string(name) + ": label " + std::to_string(t.labels[i]) + " does not fit " + std::to_string(D) +
                                  " network output" + (D == 1 ? "" : "s") + " (make the last layer as wide as the number of classes)");
}

float mse(const Tensor& out, const Targets& t, Tensor* dout) {
  const int B = out.dim(0), D = (int)out.row_size();
  check_labels(t, B, D, "mse");
  const float inv = 1.0f / (float)((size_t)B * D);
  if (dout) dout->resize(out.shape());
  double sum = 0;
  for (int i = 0; i < B; ++i)
    for (int j = 0; j < D; ++j) {
      const float d = out.at((size_t)i * D + j) - target_at(t, i, j, D);
      sum += (double)d * d;
      if (dout) dout->at((size_t)i * D + j) = 2.0f * d * inv;
    }
  return (float)(sum * inv);
}

// max(x, 0) − x·t + log(1 + e^−|x|);  ∂/∂x = σ(x) − t
float bce_logits(const Tensor& out, const Targets& t, Tensor* dout) {
  const int B = out.dim(0), D = (int)out.row_size();
  check_labels(t, B, D, "bce_logits");
  const float inv = 1.0f / (float)((size_t)B * D);
  if (dout) dout->resize(out.shape());
  double sum = 0;
  for (int i = 0; i < B; ++i)
    for (int j = 0; j < D; ++j) {
      const float x = out.at((size_t)i * D + j), y = target_at(t, i, j, D);
      sum += std::max(x, 0.0f) - x * y + std::log1p(std::exp(-std::fabs(x)));
      if (dout) {
        const float s = x >= 0 ? 1.0f / (1.0f + std::exp(-x)) : std::exp(x) / (1.0f + std::exp(x));
        dout->at((size_t)i * D + j) = (s - y) * inv;
      }
    }
  return (float)(sum * inv);
}

// logsumexp(x) − x[y];  ∂/∂x = softmax(x) − onehot(y)
float softmax_ce(const Tensor& out, const Targets& t, Tensor* dout) {
  const int B = out.dim(0), D = (int)out.row_size();
  if (!t.labels) throw std::invalid_argument("softmax_cross_entropy: needs class labels (use mse for regression targets)");
  if (D < 2) throw std::invalid_argument("softmax_cross_entropy: needs at least 2 network outputs (use bce_logits for a single output)");
  check_labels(t, B, D, "softmax_cross_entropy");
  const float inv = 1.0f / (float)B;
  if (dout) dout->resize(out.shape());
  double sum = 0;
  for (int i = 0; i < B; ++i) {
    const float* x = out.data() + (size_t)i * D;
    float m = x[0];
    for (int j = 1; j < D; ++j) m = std::max(m, x[j]);
    float s = 0;
    for (int j = 0; j < D; ++j) s += std::exp(x[j] - m);
    const float lse = m + std::log(s);
    sum += lse - x[t.labels[i]];
    if (dout)
      for (int j = 0; j < D; ++j) dout->at((size_t)i * D + j) = (std::exp(x[j] - lse) - (j == t.labels[i] ? 1.0f : 0.0f)) * inv;
  }
  return (float)(sum * inv);
}

}  // namespace

const Registry<LossInfo>& loss_registry() {
  static const Registry<LossInfo> reg(
      "loss", {
                  {.name = "mse",
                   .title = "Mean squared error",
                   .description = "Mean over all elements of (output − target)².",
                   .needs_labels = false,
                   .compute = mse,
                   .pytorch = "nn.MSELoss()"},
                  {.name = "bce_logits",
                   .title = "Binary cross-entropy (logits)",
                   .description = "Binary cross-entropy on logits, mean over all elements (PyTorch's BCEWithLogitsLoss).",
                   .needs_labels = false,
                   .compute = bce_logits,
                   .pytorch = "nn.BCEWithLogitsLoss()"},
                  {.name = "softmax_cross_entropy",
                   .title = "Softmax cross-entropy",
                   .description = "Mean over the batch of −log softmax(output)[label] (PyTorch's CrossEntropyLoss).",
                   .needs_labels = true,
                   .compute = softmax_ce,
                   .pytorch = "nn.CrossEntropyLoss()"},
              });
  return reg;
}

const LossInfo& loss(const std::string& name) { return loss_registry().at(name); }

}  // namespace lab
