#include "nn/init.h"

#include <cmath>
#include <stdexcept>

#include "base/rng.h"
#include "base/tensor.h"
#include "base/names.h"

namespace lab {

const std::vector<std::string>& initializer_names() {
  static const std::vector<std::string> n = {"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "uniform", "zeros"};
  return n;
}

void initialize(const std::string& name, Tensor& w, int fan_in, int fan_out, Rng& rng) {
  const float fi = (float)std::max(1, fan_in), fo = (float)std::max(1, fan_out);
  auto fill_uniform = [&](float a) { for (size_t i = 0; i < w.size(); ++i) w.at(i) = rng.uniform(-a, a); };
  auto fill_normal = [&](float sd) { for (size_t i = 0; i < w.size(); ++i) w.at(i) = sd * rng.normal(); };
  if (name == "glorot_uniform") fill_uniform(std::sqrt(6.0f / (fi + fo)));
  else if (name == "glorot_normal") fill_normal(std::sqrt(2.0f / (fi + fo)));
  else if (name == "he_uniform") fill_uniform(std::sqrt(6.0f / fi));
  else if (name == "he_normal") fill_normal(std::sqrt(2.0f / fi));
  else if (name == "uniform") fill_uniform(0.05f);
  else if (name == "zeros") w.zero();
  else {
    const std::string known = join_names(initializer_names(), [](const std::string& n) { return n; });
    throw std::invalid_argument("unknown initialiser '" + name + "' (known: " + known + ")");
  }
}

}  // namespace lab
