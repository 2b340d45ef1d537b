// The layer registry: every layer type with its parameter schema, and spec validation.
#include <cmath>
#include <stdexcept>

#include "nn/activations.h"
#include "nn/layer_factories.h"
#include "base/names.h"

namespace lab {

const std::vector<LayerInfo>& layer_registry() {
  static const std::vector<LayerInfo> reg = [] {
    std::vector<LayerInfo> r;
    r.push_back({"dense", "Dense", "Fully connected: every output neuron sees every input.",
                 {{"units", true, 1, 65536, 8, true, "output neurons"}, {"bias", true, 0, 1, 1, false, "1: learn a bias per neuron"}},
                 {"activation", "init"}, layers::make_dense});
    r.push_back({"conv2d", "Conv2D", "2-D convolution: filters slid over the image.",
                 {{"filters", true, 1, 1024, 8, true, "output channels"}, {"kernel", true, 1, 15, 3, false, "kernel size (square)"},
                  {"stride", true, 1, 8, 1, false, "step between windows"}, {"padding", true, 0, 7, 0, false, "zeros added on each side"}},
                 {"activation", "init"}, layers::make_conv2d});
    r.push_back({"maxpool2d", "Max pool", "Keeps the largest value of each window.",
                 {{"size", true, 1, 8, 2, false, "window size"}, {"stride", true, 1, 8, 2, false, "step (default: the window size)"}},
                 {}, layers::make_maxpool2d});
    r.push_back({"avgpool2d", "Average pool", "Averages each window.",
                 {{"size", true, 1, 8, 2, false, "window size"}, {"stride", true, 1, 8, 2, false, "step (default: the window size)"}},
                 {}, layers::make_avgpool2d});
    r.push_back({"flatten", "Flatten", "Turns an image into a flat vector of features.", {}, {}, layers::make_flatten});
    r.push_back({"dropout", "Dropout", "Randomly silences neurons while training (inverted dropout).",
                 {{"rate", false, 0, 0.95, 0.5, false, "probability of dropping"}}, {}, layers::make_dropout});
    r.push_back({"activation", "Activation", "An activation function applied to every element.", {}, {"activation"},
                 layers::make_activation});
    return r;
  }();
  return reg;
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec) {
  const LayerInfo* info = nullptr;
  for (const auto& l : layer_registry())
    if (l.type == spec.type) info = &l;
  if (!info) {
    const std::string known = join_names(layer_registry(), [](const LayerInfo& l) { return l.type; });
    throw std::invalid_argument("unknown layer type '" + spec.type + "' (known: " + known + ")");
  }
  const std::string where = "layer '" + spec.type + "'";
  for (const auto& [k, v] : spec.num) {
    const LayerParamSpec* p = nullptr;
    for (const auto& q : info->params)
      if (q.name == k) p = &q;
    if (!p) throw std::invalid_argument(where + ": unknown parameter '" + k + "'");
    if (!std::isfinite(v) || v < p->min || v > p->max) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "%s must be between %g and %g (got %g)", k.c_str(), p->min, p->max, v);
      throw std::invalid_argument(where + ": " + buf);
    }
    if (p->integer && v != std::floor(v)) throw std::invalid_argument(where + ": " + k + " must be an integer (got " + std::to_string(v) + ")");
  }
  for (const auto& p : info->params)
    if (p.required && !spec.num.count(p.name)) throw std::invalid_argument(where + ": missing parameter '" + p.name + "'");
  for (const auto& [k, v] : spec.str) {
    bool ok = false;
    for (const auto& q : info->string_params) ok |= q == k;
    if (!ok) throw std::invalid_argument(where + ": unknown parameter '" + k + "'");
    if (k == "activation") activation(v);  // throws for an unknown name
  }
  return info->make(spec);
}

}  // namespace lab
