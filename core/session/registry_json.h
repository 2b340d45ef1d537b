// NeuronLab core — every registry (datasets, layers, activations, losses, optimizers, schedules,
// initialisers) described as one JSON document, for the UI's menus and the JS API's registries().
#pragma once
#include <string>

namespace lab {
std::string registries_json();
}
