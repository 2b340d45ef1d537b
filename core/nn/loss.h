// NeuronLab core — losses (registry), with PyTorch's definitions and reductions (mean).
//
//   mse                    mean over all elements of (out − target)²
//   bce_logits             binary cross-entropy on logits, mean over all elements (PyTorch's BCEWithLogitsLoss)
//   softmax_cross_entropy  mean over the batch of −log softmax(out)[label] (PyTorch's CrossEntropyLoss)
//
// Targets are class labels (classification) or float values (regression). With labels, mse and
// bce_logits compare against one-hot vectors (or, for a single output, the label itself as 0/1).
//
//   float l = lab::loss("softmax_cross_entropy").compute(out, targets, &dout);   // dout = ∂l/∂out
#pragma once
#include <string>
#include <vector>

#include "base/param_spec.h"
#include "base/tensor.h"

namespace lab {

struct Targets {
  const int* labels = nullptr;    // (B), classification
  const float* values = nullptr;  // (B, D), regression
};

struct LossInfo {
  std::string name, title, description;
  bool needs_labels = false;  // softmax_cross_entropy needs labels; the others take labels or values
  // out (B, D). Returns the mean loss; writes dout (B, D) when non-null. Throws std::invalid_argument
  // for a label outside [0, D) (or {0, 1} for a single-output bce_logits / mse).
  float (*compute)(const Tensor& out, const Targets& t, Tensor* dout) = nullptr;
  std::string pytorch;  // the PyTorch module that computes the same loss (io/export_pytorch.cpp)
};

const Registry<LossInfo>& loss_registry();
// The entry; throws std::invalid_argument "unknown loss 'x' (known: …)".
const LossInfo& loss(const std::string& name);

}  // namespace lab
