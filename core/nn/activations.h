// NeuronLab core — activation functions: one registry, forward and backward side by side.
//
//   const lab::ActivationInfo& a = lab::activation("tanh");     // throws std::invalid_argument if unknown
//   a.forward(x, y, rows, cols);           // y = f(x), elementwise (softmax: along each row)
//   a.backward(x, y, dy, dx, rows, cols);  // dx = dy · f'(x)   (softmax: the Jacobian-vector product)
//
// Definitions (PyTorch's): leaky_relu slope 0.01; elu alpha 1; gelu the exact erf form
// x·Φ(x); softplus log(1 + e^x) computed stably (PyTorch's threshold 20: x above it passes through).
#pragma once
#include <string>
#include <vector>

#include "base/param_spec.h"

namespace lab {

struct ActivationInfo {
  std::string name;
  std::string title;
  std::string description;
  // x, y: (rows, cols); all pointers may alias only y with x in forward (in-place allowed).
  void (*forward)(const float* x, float* y, int rows, int cols);
  void (*backward)(const float* x, const float* y, const float* dy, float* dx, int rows, int cols);
  std::string pytorch;  // the torch module computing the same function (io/export_pytorch.cpp)
};

const Registry<ActivationInfo>& activation_registry();
// The entry; throws std::invalid_argument "unknown activation 'x' (known: …)".
const ActivationInfo& activation(const std::string& name);

}  // namespace lab
