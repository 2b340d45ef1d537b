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
//   m.zero_grad();  m.backward(dout, ctx);           // adds parameter gradients; input_grad() if asked
//
// Model is the feed-forward Network (nn/network.h); the trainer and the attribution methods use that
// surface. A layer may carry a stable id in the spec ({"type": "conv2d", "id": "conv1", …}): an
// identifier, unique in the model, that names the layer wherever an index can (layer_index) and names
// its probe.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/network.h"

namespace lab {

class Rng;

// The most parameter values (trainable and state) a model may have: with their gradients and an optimizer's
// state (Adam: two more copies) that is 1 GiB, half the wasm heap. Checked before anything is allocated.
inline constexpr uint64_t kMaxModelParams = 64'000'000;

class Model final : public Network {
 public:
  // input: per-sample input shape; specs: the layers as written in the spec; init: default initialiser
  // (a layer's own "init" wins). Throws std::invalid_argument naming the layer (1-based) that fails.
  Model(Shape input, const std::vector<LayerSpec>& specs, const std::string& init, Rng& rng);
  // A model of layers already built for these shapes (Layer::build done), e.g. a test's own layer type
  // that no registry knows. Its specs() are the layers' spec(); clone() needs registered types.
  Model(Shape input, std::vector<std::unique_ptr<Layer>> layers);

  const Shape& input_shape() const override { return input_; }
  const Shape& output_shape() const override { return shapes_.back(); }
  size_t num_layers() const { return layers_.size(); }
  Layer& layer(size_t i) { return *layers_[i]; }
  const Layer& layer(size_t i) const { return *layers_[i]; }
  // Per-sample shape of layer i's output.
  const Shape& layer_output_shape(size_t i) const { return shapes_[i + 1]; }
  // The specs the model was built from (as given, not expanded) — what a saved experiment stores.
  const std::vector<LayerSpec>& specs() const { return specs_; }

  // The model layer with this spec id, or -1. A spec layer's id names its core layer (the first of the
  // two when the spec layer expands into a layer and its activation).
  int layer_index(const std::string& id) const;
  // The id of model layer i ("" when it has none).
  const std::string& layer_id(size_t i) const { return ids_.at(i); }

  // x: (B, input...). Keeps every layer's output.
  void forward(const Tensor& x, LayerCtx& ctx) override;
  // Runs only the first n_layers layers (and their hooks): activity(0 … n_layers) are this forward's.
  void forward(const Tensor& x, LayerCtx& ctx, size_t n_layers);
  const Tensor& output() const override { return acts_.back(); }
  const Tensor& activations(size_t i) const { return acts_[i + 1]; }
  // The values of the last forward by position: activity(0) its input, activity(i + 1) layer i's output.
  const Tensor& activity(size_t i) const { return acts_.at(i); }
  // dout: (B, output...) gradient of the loss. Adds every trainable parameter's gradient (zero_grad
  // first); with want_input_grad, input_grad() holds ∂loss/∂x afterwards. With neither parameter
  // gradients (ctx.param_grads false) nor the input's wanted, it stops at the lowest record hook — the
  // gradient at a probe costs only the layers above it.
  void backward(const Tensor& dout, LayerCtx& ctx, bool want_input_grad = false) override;
  const Tensor& input_grad() const override { return dx_; }
  // One probe per model layer: its output, named by its id or "layer<i>".
  std::vector<ProbeInfo> probes() const override;
  // The name of layer i's probe: its id, or "layer<i>".
  std::string probe_name(size_t i) const { return ids_.at(i).empty() ? "layer" + std::to_string(i) : ids_[i]; }
  Tensor probe(const std::string& name) const override;
  void set_hooks(std::vector<Hook>* hooks) override;

  // A deep copy: the same specs and the same parameter values (nothing shared). Attributions and
  // analyses run on a copy while the original trains on.
  std::unique_ptr<Model> clone();

  std::vector<Param> params() override;
  size_t num_params();
  // FNV-1a (64-bit) over every parameter's shape and bytes, in order: "a3f0…" (16 hex digits).
  std::string digest();

 private:
  Shape input_;
  std::vector<LayerSpec> specs_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<Shape> shapes_;     // shapes_[0] = input, shapes_[i+1] = layer i's output
  std::vector<std::string> ids_;  // per model layer: its spec id, or ""
  std::vector<Hook>* hooks_ = nullptr;
  std::vector<std::vector<Hook*>> hooks_at_;  // per model layer: the hooks on its output, in order
  Tensor dy_hooked_;
  std::vector<Tensor> acts_;  // acts_[0] = copy of the input
  Tensor grad_a_, grad_b_, dx_;
};

}  // namespace lab
