// NeuronLab core — hooks: one intervention mechanism at any probe (a layer's output, nn/network.h).
//
//   record   copy the probe's activity of the forward pass into Hook::recorded (B, T, N), and the gradient
//            that reaches it in the backward pass into Hook::recorded_grad (B, T, N)
//   replace  set units to given values (activation patching); their gradient stops there
//   mask     multiply units by given factors — 0 ablates a unit; the gradient is multiplied alike
//   add      add given values (steering); the gradient passes unchanged
// A hook's `value` holds N values (one per unit, broadcast over the batch) or B × N; `units` restricts it
// to some units (then `value` holds one value per listed unit, or B × that many). Hooks apply in order
// after the layer's forward, and backward treats the intervened output as the layer's output.
//
//   std::vector<lab::Hook> hooks = {{.probe = "hidden", .kind = lab::HookKind::Mask, .units = {3}, .value = zeros}};
//   model.set_hooks(&hooks);   model.forward(x, ctx);   model.set_hooks(nullptr);
//
// Errors: an unknown probe, a unit out of range or a value of the wrong size → std::invalid_argument
// (checked when the hooks are set, before any forward).
#pragma once
#include <string>
#include <vector>

#include "base/tensor.h"

namespace lab {

enum class HookKind { Record, Replace, Mask, Add };
const char* hook_kind_name(HookKind k);  // "record", "replace", "mask", "add"

struct Hook {
  std::string probe;
  HookKind kind = HookKind::Record;
  std::vector<int> units;    // empty: every unit of the probe
  std::vector<float> value;  // replace / mask / add: per unit (broadcast), or per sample and unit
  Tensor recorded;           // record: (B, T = 1, N) after the forward
  Tensor recorded_grad;      // record: (B, T = 1, N) the gradient at the probe after the backward
};

// A record hook at a probe.
inline Hook record_hook(std::string probe) {
  Hook h;
  h.probe = std::move(probe);
  return h;
}

// Applies `h` to a probe's activity y (B, N...) in place (replace, mask, add) or records it. n_units: N.
void apply_hook(Hook& h, Tensor& y, size_t n_units);
// The gradient through a hooked output: dy (B, N...) in place (mask multiplies, replace zeroes); record
// keeps a copy of dy.
void hook_backward(Hook& h, Tensor& dy, size_t n_units);
// Checks a hook against a probe of n_units units (sizes, unit range); throws std::invalid_argument.
void check_hook(const Hook& h, size_t n_units);

}  // namespace lab
