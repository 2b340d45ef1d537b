// NeuronLab core — Network: what a trainer, the attribution methods and the views need of a network,
// whatever its shape (a feed-forward Model today; recurrent and spiking models implement the same).
//
//   lab::Network& net = model;
//   net.zero_grad();
//   net.forward(x, ctx);                         // x (B, input...)
//   net.backward(dout, ctx);                     // ADDS ∂loss/∂p to every trainable parameter's grad
//   opt->step(net.trainable_params(), lr);
//   for (const auto& p : net.probes()) …         // named unit groups: p.name, p.units
//   lab::Tensor a = net.probe("conv1");          // (B, T, N) activity of the last forward (T = 1 here)
//
// Gradients accumulate: backward adds, zero_grad clears. So truncated BPTT and shared weights sum
// several backward passes; a trainer calls zero_grad before each step.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/hooks.h"
#include "nn/layer.h"

namespace lab {

// A named group of units whose activity a probe reads: a layer's output, by its id (or "layer<i>").
struct ProbeInfo {
  std::string name;  // the layer's spec id when it has one, else "layer<i>" (i: Model::layer index)
  int layer = -1;    // the model layer it reads
  Shape shape;       // per-sample shape of the activity
  size_t units = 0;  // N = product of the shape
};

class Network {
 public:
  virtual ~Network() = default;
  virtual const Shape& input_shape() const = 0;
  virtual const Shape& output_shape() const = 0;
  // x: (B, input...). Keeps what backward and the probes need.
  virtual void forward(const Tensor& x, LayerCtx& ctx) = 0;
  virtual const Tensor& output() const = 0;
  // dout: (B, output...). Adds every trainable parameter's gradient; with want_input_grad, input_grad()
  // holds ∂loss/∂x afterwards.
  virtual void backward(const Tensor& dout, LayerCtx& ctx, bool want_input_grad = false) = 0;
  virtual const Tensor& input_grad() const = 0;
  // Sets every trainable parameter's gradient to zero.
  void zero_grad();
  // Every parameter and state tensor, in a fixed order (what a model file, the digest and a clone hold).
  virtual std::vector<Param> params() = 0;
  // The parameters an optimizer updates (params() without the state).
  std::vector<Param> trainable_params();
  // The named unit groups whose activity probe() reads.
  virtual std::vector<ProbeInfo> probes() const = 0;
  // Activity of a probe in the last forward: (B, T, N). Throws std::invalid_argument for an unknown name.
  virtual Tensor probe(const std::string& name) const = 0;
  // Interventions at probes (nn/hooks.h) applied by every forward and backward until set_hooks(nullptr);
  // the vector is borrowed. Checks every hook first (std::invalid_argument; nothing is set then).
  virtual void set_hooks(std::vector<Hook>* hooks) = 0;
};

}  // namespace lab
