// NeuronLab core — weight initialisers (registry), all drawing from an explicit Rng.
//   glorot_uniform  U(-a, a), a = sqrt(6 / (fan_in + fan_out))      glorot_normal  N(0, 2 / (fan_in + fan_out))
//   he_uniform      U(-a, a), a = sqrt(6 / fan_in)                  he_normal      N(0, 2 / fan_in)
//   uniform         U(-0.05, 0.05)                                  zeros
#pragma once
#include <string>
#include <vector>

namespace lab {

class Rng;
class Tensor;

const std::vector<std::string>& initializer_names();
// Fills w; throws std::invalid_argument for an unknown name.
void initialize(const std::string& name, Tensor& w, int fan_in, int fan_out, Rng& rng);

}  // namespace lab
