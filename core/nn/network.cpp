#include "nn/network.h"

namespace lab {

void Network::zero_grad() {
  for (Param& p : params())
    if (p.trainable && p.grad) p.grad->zero();
}

std::vector<Param> Network::trainable_params() {
  std::vector<Param> t;
  for (Param& p : params())
    if (p.trainable) t.push_back(p);
  return t;
}

}  // namespace lab
