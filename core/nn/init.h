// NeuronLab core — weight initialisers (a registry), all drawing from an explicit Rng.
//   glorot_uniform  U(-a, a), a = sqrt(6 / (fan_in + fan_out))      glorot_normal  N(0, 2 / (fan_in + fan_out))
//   he_uniform      U(-a, a), a = sqrt(6 / fan_in)                  he_normal      N(0, 2 / fan_in)
//   uniform         U(-0.05, 0.05)                                  zeros
//
//   lab::initialize("he_normal", w, fan_in, fan_out, rng);   // throws std::invalid_argument if unknown
#pragma once
#include <string>
#include <vector>

#include "base/param_spec.h"

namespace lab {

class Rng;
class Tensor;

struct InitInfo {
  std::string name, title, description;
  // Fills w (fan_in, fan_out ≥ 1).
  void (*fill)(Tensor& w, float fan_in, float fan_out, Rng& rng) = nullptr;
};
const Registry<InitInfo>& initializer_registry();
std::vector<std::string> initializer_names();
// Fills w; throws std::invalid_argument for an unknown name.
void initialize(const std::string& name, Tensor& w, int fan_in, int fan_out, Rng& rng);

}  // namespace lab
