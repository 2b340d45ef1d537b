#include "nn/init.h"

#include <cmath>
#include <stdexcept>

#include "base/rng.h"
#include "base/tensor.h"

namespace lab {

namespace {
void fill_uniform(Tensor& w, float a, Rng& rng) {
  for (size_t i = 0; i < w.size(); ++i) w.at(i) = rng.uniform(-a, a);
}
void fill_normal(Tensor& w, float sd, Rng& rng) {
  for (size_t i = 0; i < w.size(); ++i) w.at(i) = sd * rng.normal();
}
}  // namespace

const Registry<InitInfo>& initializer_registry() {
  static const Registry<InitInfo> reg(
      "initialiser",
      {
          {.name = "glorot_uniform",
           .title = "Glorot uniform",
           .description = "U(−a, a), a = √(6 / (fan_in + fan_out)).",
           .fill = [](Tensor& w, float fi, float fo, Rng& r) { fill_uniform(w, std::sqrt(6.0f / (fi + fo)), r); }},
          {.name = "glorot_normal",
           .title = "Glorot normal",
           .description = "N(0, 2 / (fan_in + fan_out)).",
           .fill = [](Tensor& w, float fi, float fo, Rng& r) { fill_normal(w, std::sqrt(2.0f / (fi + fo)), r); }},
          {.name = "he_uniform",
           .title = "He uniform",
           .description = "U(−a, a), a = √(6 / fan_in): for ReLU networks.",
           .fill = [](Tensor& w, float fi, float, Rng& r) { fill_uniform(w, std::sqrt(6.0f / fi), r); }},
          {.name = "he_normal",
           .title = "He normal",
           .description = "N(0, 2 / fan_in): for ReLU networks.",
           .fill = [](Tensor& w, float fi, float, Rng& r) { fill_normal(w, std::sqrt(2.0f / fi), r); }},
          {.name = "uniform",
           .title = "Uniform ±0.05",
           .description = "U(−0.05, 0.05).",
           .fill = [](Tensor& w, float, float, Rng& r) { fill_uniform(w, 0.05f, r); }},
          {.name = "zeros", .title = "Zeros", .description = "Every weight 0.", .fill = [](Tensor& w, float, float, Rng&) { w.zero(); }},
      });
  return reg;
}

std::vector<std::string> initializer_names() { return initializer_registry().names(); }

void initialize(const std::string& name, Tensor& w, int fan_in, int fan_out, Rng& rng) {
  const InitInfo& info = initializer_registry().at(name);
  info.fill(w, (float)std::max(1, fan_in), (float)std::max(1, fan_out), rng);
}

}  // namespace lab
