// Internal: the factories the layer registry (layer_registry.cpp) points at, one per layer file.
#pragma once
#include <memory>

#include "nn/layer.h"

namespace lab::layers {
std::unique_ptr<Layer> make_dense(const LayerSpec& s);       // layer_dense.cpp
std::unique_ptr<Layer> make_conv2d(const LayerSpec& s);      // layer_conv2d.cpp
std::unique_ptr<Layer> make_maxpool2d(const LayerSpec& s);   // layer_pool2d.cpp
std::unique_ptr<Layer> make_avgpool2d(const LayerSpec& s);   // layer_pool2d.cpp
std::unique_ptr<Layer> make_flatten(const LayerSpec& s);     // layer_simple.cpp
std::unique_ptr<Layer> make_dropout(const LayerSpec& s);     // layer_simple.cpp
std::unique_ptr<Layer> make_activation(const LayerSpec& s);  // layer_simple.cpp
}  // namespace lab::layers
