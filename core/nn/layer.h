// NeuronLab core — layers: one interface, one registry (name → factory + parameter schema).
//
// A layer maps a batch x (B, in...) to y (B, out...). Shapes given to output_shape() and build() are
// per sample (no batch dimension). backward() receives the forward's x and y and the gradient dy, ADDS
// the parameter gradients to Param::grad (skipped when ctx.param_grads is false; Network::zero_grad
// clears them, so truncated BPTT and shared weights can sum several backward passes) and, when dx is
// non-null, writes dx. A layer's forward in training mode may update its state (batchnorm's running
// statistics); backward follows the forward of the same batch.
//
//   lab::LayerSpec s{"dense", {{"units", 8}}, {}};
//   auto layer = lab::make_layer(s);               // throws std::invalid_argument on a bad spec
//   lab::Shape out = layer->output_shape({2});     // {8}; throws when the input does not fit
//   layer->build({2}, "glorot_uniform", rng);
//   layer->forward(x, y, ctx);  layer->backward(x, y, dy, &dx, ctx);
//
// Parameters use PyTorch's layouts: dense weight (out, in), conv weight (F, C, KH, KW), so weights and
// golden fixtures move between the two without transposes.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/exec.h"
#include "base/param_spec.h"
#include "base/tensor.h"

namespace lab {

class Rng;

struct LayerCtx {
  Exec exec;
  bool training = false;    // dropout is active only when training
  Rng* rng = nullptr;       // for dropout masks (training only)
  bool param_grads = true;  // false: backward() computes only dx (attributions), parameter gradients untouched
  // true: backward() adds to the parameter gradients (zero_grad first); false: it overwrites them, which
  // equals zero_grad + one backward and spares a pass over them (the trainer's step).
  bool accumulate = true;
};

struct Param {
  std::string name;  // "weight", "bias", "running_mean", … (PyTorch's state_dict names)
  Tensor* value;
  Tensor* grad;           // null for state that is not trained
  bool regularised;       // L1/L2 apply to weights, not biases
  bool trainable = true;  // false: state (batchnorm's running statistics) saved and hashed, not optimised
};

// A layer's configuration as it appears in an experiment spec.
struct LayerSpec {
  std::string type;
  std::map<std::string, double> num;       // e.g. units, filters, kernel, stride, padding, rate
  std::map<std::string, std::string> str;  // e.g. activation, init
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string type() const = 0;
  virtual Shape output_shape(const Shape& in) const = 0;
  // Allocates and initialises parameters for the per-sample input shape `in` (init: initialiser name).
  // How many parameter values (trainable and state) build(in) allocates: the Model checks the total
  // before it allocates anything.
  virtual uint64_t param_values(const Shape& in) const {
    (void)in;
    return 0;
  }
  virtual void build(const Shape& in, const std::string& init, Rng& rng) {
    in_ = in;
    (void)init;
    (void)rng;
  }
  virtual void forward(const Tensor& x, Tensor& y, LayerCtx& ctx) = 0;
  virtual void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, LayerCtx& ctx) = 0;
  virtual std::vector<Param> params() { return {}; }
  virtual LayerSpec spec() const = 0;
  const Shape& input_shape() const { return in_; }

 protected:
  Shape in_;
};

// How relevance (LRP) passes through a layer; interp/attribution/attr_net.cpp applies the kind.
enum class LrpKind {
  None,      // no rule: LRP refuses a model with this layer ("lrp: layer 3 (x) has no LRP rule")
  Weighted,  // dense, conv: the rule the composite picks (ε, γ, αβ, z⁺, flat, w², z^B)
  Epsilon,   // the ε rule through the layer's own backward: pooling; batchnorm (affine in inference)
  Pass,      // relevance passes unchanged (elementwise activations)
  Reshape,   // the layer's backward moves it (flatten; dropout, the identity in inference)
};
// How DeepLIFT's multipliers pass through a layer.
enum class DeepLiftKind {
  None,     // DeepLIFT refuses a model with this layer
  Linear,   // the layer is linear: its Jacobian (the backward)
  Rescale,  // elementwise nonlinearity: Δy/Δx (the gradient where the input did not move)
  MaxPool,  // Δy to the element where max(x, x') is largest
};

struct LayerInfo {
  std::string name;  // the spec's "type", e.g. "conv2d"
  std::string title;
  std::string description;
  // Its parameters: numbers (units, kernel, rate, …) and the choices "activation" / "init" where the
  // layer takes them (the model expands an activation into a layer of its own, model.h).
  std::vector<ParamSpec> params;
  std::unique_ptr<Layer> (*make)(const LayerSpec& validated) = nullptr;  // after schema validation
  // The PyTorch module of the layer (io/export_pytorch.cpp fills it in): {in0} / {out0} are the first
  // dimension of the per-sample input / output shape, {in_shape} the per-sample input shape as a Python
  // tuple, {spatial} 2 for an image input (C, H, W) and 1 otherwise, {name} a parameter's value (as the
  // layer reports it in spec()), {activation} the activation's own module. Empty: the export refuses it.
  std::string pytorch;
  // How the network view draws it: "dense" (a column of neurons with weighted edges; ± neuron), "conv" (a
  // box of channels in the block diagram), "pool" (a downsampling box), "reshape" (images → features: where
  // the block diagram meets the graph), "pointwise" (activations, dropout, norms: a thin box).
  std::string view;
  // Declared capabilities: what the attribution methods may do with it (never guessed from the type).
  LrpKind lrp = LrpKind::None;
  DeepLiftKind deeplift = DeepLiftKind::None;
};

const Registry<LayerInfo>& layer_registry();
// Validates `spec` against its schema (unknown type, unknown or out-of-range parameter → a readable
// std::invalid_argument) and builds the layer, unbuilt.
std::unique_ptr<Layer> make_layer(const LayerSpec& spec);

}  // namespace lab
