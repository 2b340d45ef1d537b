#include "nn/hooks.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace lab {

const char* hook_kind_name(HookKind k) {
  switch (k) {
    case HookKind::Record:
      return "record";
    case HookKind::Replace:
      return "replace";
    case HookKind::Mask:
      return "mask";
    case HookKind::Add:
      return "add";
  }
  return "?";
}

void check_hook(const Hook& h, size_t n_units) {
  const std::string where = std::string("hook ") + hook_kind_name(h.kind) + " at '" + h.probe + "'";
  for (int u : h.units)
    if (u < 0 || (size_t)u >= n_units)
      throw std::invalid_argument(where + ": unit " + std::to_string(u) + " is out of range (the probe has units 0 to " +
                                  std::to_string((long long)n_units - 1) + ")");
  if (h.kind == HookKind::Record) return;
  const size_t per = h.units.empty() ? n_units : h.units.size();
  if (h.value.empty() || h.value.size() % per != 0)
    throw std::invalid_argument(where + ": value must hold " + std::to_string(per) + " numbers (one per unit) or a multiple of it " +
                                "(one row per sample); got " + std::to_string(h.value.size()));
}

namespace {
// Calls f(row b, unit u, value v) for each affected (b, u) of a batch of B.
template <class F>
void each(const Hook& h, int B, size_t n_units, F f) {
  const size_t per = h.units.empty() ? n_units : h.units.size();
  const bool per_sample = h.value.size() > per;
  if (per_sample && h.value.size() != per * (size_t)B)
    throw std::invalid_argument(std::string("hook at '") + h.probe + "': value has " + std::to_string(h.value.size() / per) +
                                " rows for a batch of " + std::to_string(B));
  for (int b = 0; b < B; ++b)
    for (size_t k = 0; k < per; ++k) {
      const size_t u = h.units.empty() ? k : (size_t)h.units[k];
      f(b, u, h.value.empty() ? 0.0f : h.value[(per_sample ? (size_t)b * per : 0) + k]);
    }
}
}  // namespace

void apply_hook(Hook& h, Tensor& y, size_t n_units) {
  const int B = y.dim(0);
  if (h.kind == HookKind::Record) {
    h.recorded.resize({B, 1, (int)n_units});
    std::memcpy(h.recorded.data(), y.data(), y.size() * sizeof(float));
    return;
  }
  float* d = y.data();
  each(h, B, n_units, [&](int b, size_t u, float v) {
    float& x = d[(size_t)b * n_units + u];
    if (h.kind == HookKind::Replace)
      x = v;
    else if (h.kind == HookKind::Mask)
      x *= v;
    else
      x += v;
  });
}

void hook_backward(Hook& h, Tensor& dy, size_t n_units) {
  if (h.kind == HookKind::Record) {
    h.recorded_grad.resize({dy.dim(0), 1, (int)n_units});
    std::memcpy(h.recorded_grad.data(), dy.data(), dy.size() * sizeof(float));
    return;
  }
  if (h.kind == HookKind::Add) return;
  float* d = dy.data();
  each(h, dy.dim(0), n_units, [&](int b, size_t u, float v) {
    float& g = d[(size_t)b * n_units + u];
    g = h.kind == HookKind::Mask ? g * v : 0.0f;
  });
}

}  // namespace lab
