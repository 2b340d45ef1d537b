// activations.cpp — each activation's forward and backward, then the registry.
#include "nn/activations.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lab {
namespace {

template <class F>
void map1(const float* x, float* y, int rows, int cols, F f) {
  const size_t n = (size_t)rows * cols;
  for (size_t i = 0; i < n; ++i) y[i] = f(x[i]);
}
// dx = dy * g(x, y)
template <class G>
void map_grad(const float* x, const float* y, const float* dy, float* dx, int rows, int cols, G g) {
  const size_t n = (size_t)rows * cols;
  for (size_t i = 0; i < n; ++i) dx[i] = dy[i] * g(x[i], y[i]);
}

constexpr float kLeakySlope = 0.01f, kEluAlpha = 1.0f, kSoftplusThreshold = 20.0f;
constexpr float kInvSqrt2 = 0.70710678118654752f, kInvSqrt2Pi = 0.39894228040143268f;

// linear
void linear_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return v; });
}
void linear_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float, float) { return 1.0f; });
}
// relu
void relu_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return v > 0 ? v : 0.0f; });
}
void relu_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float v, float) { return v > 0 ? 1.0f : 0.0f; });
}
// leaky relu
void leaky_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return v > 0 ? v : kLeakySlope * v; });
}
void leaky_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float v, float) { return v > 0 ? 1.0f : kLeakySlope; });
}
// elu
void elu_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return v > 0 ? v : kEluAlpha * std::expm1(v); });
}
void elu_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float v, float out) { return v > 0 ? 1.0f : out + kEluAlpha; });
}
// tanh
void tanh_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return std::tanh(v); });
}
void tanh_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float, float out) { return 1.0f - out * out; });
}
// sigmoid
float sigmoid1(float v) { return v >= 0 ? 1.0f / (1.0f + std::exp(-v)) : std::exp(v) / (1.0f + std::exp(v)); }
void sigmoid_f(const float* x, float* y, int r, int c) { map1(x, y, r, c, sigmoid1); }
void sigmoid_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float, float out) { return out * (1.0f - out); });
}
// gelu (exact)
void gelu_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return 0.5f * v * (1.0f + std::erf(v * kInvSqrt2)); });
}
void gelu_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c,
           [](float v, float) { return 0.5f * (1.0f + std::erf(v * kInvSqrt2)) + v * kInvSqrt2Pi * std::exp(-0.5f * v * v); });
}
// softplus
void softplus_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return v > kSoftplusThreshold ? v : std::log1p(std::exp(v)); });
}
void softplus_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float v, float) { return v > kSoftplusThreshold ? 1.0f : sigmoid1(v); });
}
// softmax along each row (max subtracted for stability)
void softmax_f(const float* x, float* y, int rows, int cols) {
  for (int i = 0; i < rows; ++i) {
    const float* xr = x + (size_t)i * cols;
    float* yr = y + (size_t)i * cols;
    float m = xr[0];
    for (int j = 1; j < cols; ++j) m = std::max(m, xr[j]);
    float s = 0;
    for (int j = 0; j < cols; ++j) s += (yr[j] = std::exp(xr[j] - m));
    const float inv = 1.0f / s;
    for (int j = 0; j < cols; ++j) yr[j] *= inv;
  }
}
// dx_j = y_j (dy_j - Σ_k dy_k y_k)
void softmax_b(const float*, const float* y, const float* dy, float* dx, int rows, int cols) {
  for (int i = 0; i < rows; ++i) {
    const float* yr = y + (size_t)i * cols;
    const float* g = dy + (size_t)i * cols;
    float dot = 0;
    for (int j = 0; j < cols; ++j) dot += g[j] * yr[j];
    float* d = dx + (size_t)i * cols;
    for (int j = 0; j < cols; ++j) d[j] = yr[j] * (g[j] - dot);
  }
}

// silu (PyTorch's nn.SiLU): x·σ(x);  silu'(x) = σ(x)·(1 + x·(1 − σ(x)))
void silu_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return v * sigmoid1(v); });
}
void silu_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float v, float) {
    const float s = sigmoid1(v);
    return s * (1.0f + v * (1.0f - s));
  });
}
// mish (PyTorch's nn.Mish): x·tanh(softplus(x));  mish'(x) = tanh(sp) + x·(1 − tanh²(sp))·σ(x), with
// softplus's threshold 20 as in PyTorch (above it softplus(x) = x)
float softplus1(float v) { return v > kSoftplusThreshold ? v : std::log1p(std::exp(v)); }
void mish_f(const float* x, float* y, int r, int c) {
  map1(x, y, r, c, [](float v) { return v * std::tanh(softplus1(v)); });
}
void mish_b(const float* x, const float* y, const float* dy, float* dx, int r, int c) {
  map_grad(x, y, dy, dx, r, c, [](float v, float) {
    const float t = std::tanh(softplus1(v));
    return t + v * (1.0f - t * t) * sigmoid1(v);
  });
}

}  // namespace

const Registry<ActivationInfo>& activation_registry() {
  static const Registry<ActivationInfo> reg(
      "activation",
      {
          {.name = "linear",
           .title = "Linear",
           .description = "f(x) = x: no nonlinearity.",
           .forward = linear_f,
           .backward = linear_b,
           .pytorch = "nn.Identity()"},
          {.name = "relu", .title = "ReLU", .description = "max(0, x).", .forward = relu_f, .backward = relu_b, .pytorch = "nn.ReLU()"},
          {.name = "leaky_relu",
           .title = "Leaky ReLU (0.01)",
           .description = "x for x > 0, else 0.01·x.",
           .forward = leaky_f,
           .backward = leaky_b,
           .pytorch = "nn.LeakyReLU(negative_slope=0.01)"},
          {.name = "elu",
           .title = "ELU",
           .description = "x for x > 0, else eˣ − 1.",
           .forward = elu_f,
           .backward = elu_b,
           .pytorch = "nn.ELU(alpha=1.0)"},
          {.name = "tanh",
           .title = "tanh",
           .description = "The hyperbolic tangent, in (−1, 1).",
           .forward = tanh_f,
           .backward = tanh_b,
           .pytorch = "nn.Tanh()"},
          {.name = "sigmoid",
           .title = "Sigmoid",
           .description = "1 / (1 + e⁻ˣ), in (0, 1).",
           .forward = sigmoid_f,
           .backward = sigmoid_b,
           .pytorch = "nn.Sigmoid()"},
          {.name = "gelu",
           .title = "GELU",
           .description = "x·Φ(x), Φ the standard normal CDF (exact erf form).",
           .forward = gelu_f,
           .backward = gelu_b,
           .pytorch = "nn.GELU(approximate=\"none\")"},
          {.name = "softplus",
           .title = "Softplus",
           .description = "log(1 + eˣ), a smooth ReLU (x above 20 passes through).",
           .forward = softplus_f,
           .backward = softplus_b,
           .pytorch = "nn.Softplus(beta=1.0, threshold=20.0)"},
          {.name = "silu",
           .title = "SiLU (swish)",
           .description = "x·σ(x): a smooth ReLU that dips below zero.",
           .forward = silu_f,
           .backward = silu_b,
           .pytorch = "nn.SiLU()"},
          {.name = "mish",
           .title = "Mish",
           .description = "x·tanh(softplus(x)): smooth, unbounded above, dips below zero.",
           .forward = mish_f,
           .backward = mish_b,
           .pytorch = "nn.Mish()"},
          {.name = "softmax",
           .title = "Softmax",
           .description = "eˣⁱ / Σ eˣʲ along each row: probabilities.",
           .forward = softmax_f,
           .backward = softmax_b,
           .pytorch = "nn.Softmax(dim=1)"},
      });
  return reg;
}

const ActivationInfo& activation(const std::string& name) { return activation_registry().at(name); }

}  // namespace lab
