// Internal: the factories the layer registry (nn/layer_registry.cpp) points at, one per layer file.
#pragma once
#include <memory>

#include "nn/layer.h"

namespace lab::layers {
std::unique_ptr<Layer> make_dense(const LayerSpec& s);       // layers/dense.cpp
std::unique_ptr<Layer> make_conv2d(const LayerSpec& s);      // layers/conv2d.cpp
std::unique_ptr<Layer> make_maxpool2d(const LayerSpec& s);   // layers/pool2d.cpp
std::unique_ptr<Layer> make_avgpool2d(const LayerSpec& s);   // layers/pool2d.cpp
std::unique_ptr<Layer> make_flatten(const LayerSpec& s);     // layers/simple.cpp
std::unique_ptr<Layer> make_dropout(const LayerSpec& s);     // layers/simple.cpp
std::unique_ptr<Layer> make_activation(const LayerSpec& s);  // layers/simple.cpp
std::unique_ptr<Layer> make_batchnorm(const LayerSpec& s);   // layers/norm.cpp
std::unique_ptr<Layer> make_layernorm(const LayerSpec& s);   // layers/norm.cpp
}  // namespace lab::layers
