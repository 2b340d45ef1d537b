// NeuronLab core — Model: a stack of layers built from a spec, with its activations and gradients.
//
// The model keeps every layer's output of the last forward() (activations(i)), which the training loop,
// the UI's neuron views and the attribution methods read. A `dense` or `conv2d` entry with an
// "activation" expands into that layer followed by an `activation` layer, so every activation has
// its own inspectable output.
//
//   lab::Model m({2}, {{"dense", {{"units", 8}}, {{"activation", "tanh"}}}, {"dense", {{"units", 2}}, {}}},
//                "glorot_uniform", rng);             // throws std::invalid_argument on a bad spec
//   m.forward(x, ctx);  m.output();                  // x (B, 2) → (B, 2)
//   m.backward(dout, ctx);                           // parameter gradients; input_grad() if asked
//
// Recurrent and spiking models will implement the same surface (forward over a batch, backward from
// the output gradient, params()); the trainer only uses that.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"

namespace lab {

class Rng;

class Model {
 public:
  // input: per-sample input shape; specs: the layers as written in the spec; init: default initialiser
  // (a layer's own "init" wins). Throws std::invalid_argument naming the layer (1-based) that fails.
  Model(Shape input, const std::vector<LayerSpec>& specs, const std::string& init, Rng& rng);

  const Shape& input_shape() const { return input_; }
  const Shape& output_shape() const { return shapes_.back(); }
  size_t num_layers() const { return layers_.size(); }
  Layer& layer(size_t i) { return *layers_[i]; }
  const Layer& layer(size_t i) const { return *layers_[i]; }
  // Per-sample shape of layer i's output.
  const Shape& layer_output_shape(size_t i) const { return shapes_[i + 1]; }
  // The specs the model was built from (as given, not expanded) — what a saved experiment stores.
  const std::vector<LayerSpec>& specs() const { return specs_; }

  // x: (B, input...). Keeps every layer's output.
  void forward(const Tensor& x, LayerCtx& ctx);
  const Tensor& output() const { return acts_.back(); }
  const Tensor& activations(size_t i) const { return acts_[i + 1]; }
  // dout: (B, output...) gradient of the loss. Sets all parameter gradients; with want_input_grad,
  // input_grad() holds ∂loss/∂x afterwards.
  void backward(const Tensor& dout, LayerCtx& ctx, bool want_input_grad = false);
  const Tensor& input_grad() const { return dx_; }

  // A deep copy: the same specs and the same parameter values (nothing shared). Attributions and
  // analyses run on a copy while the original trains on.
  std::unique_ptr<Model> clone();

  std::vector<Param> params();
  size_t num_params();
  // FNV-1a (64-bit) over every parameter's shape and bytes, in order: "a3f0…" (16 hex digits).
  std::string digest();

 private:
  Shape input_;
  std::vector<LayerSpec> specs_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<Shape> shapes_;  // shapes_[0] = input, shapes_[i+1] = layer i's output
  std::vector<Tensor> acts_;   // acts_[0] = copy of the input
  Tensor grad_a_, grad_b_, dx_;
};

}  // namespace lab
