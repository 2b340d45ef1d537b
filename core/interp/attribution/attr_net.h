// Internal to the attribution methods (attr_*.cpp): forward traces and the modified backward passes.
//
// A Trace is the model's own forward of one batch (Model::activity: its input and every layer's output;
// hooks set on the model apply). The backward passes walk the model's layers from a layer's output
// gradient down to the input, with one rule per layer kind:
//   gradient   — the layers' own backward (parameter gradients switched off);
//   guided     — ReLU layers pass relu(g ⊙ 1[x > 0]) (Springenberg et al.; captum hooks nn.ReLU only,
//                so other activations keep their gradient);
//   deconv     — ReLU layers pass relu(g), ignoring the forward mask (Zeiler & Fergus);
//   deeplift   — the rescale rule on a paired trace (x rows, then reference rows): nonlinear layers
//                use Δy/Δx, max-pool routes Δ through the argmax of max(x, x'), linear layers their Jacobian;
//   lrp        — relevance with a rule per dense/conv layer (ε, γ, αβ, z⁺, flat, w², z^B); activations
//                pass relevance unchanged, pooling uses the ε rule.
// A backward must follow the forward of the same batch (max-pool remembers its argmax from forward).
#pragma once
#include <string>
#include <vector>

#include "interp/attribution/attribution.h"
#include "nn/layer.h"

namespace lab::attr::detail {

struct Trace {
  const Model* model = nullptr;
  // [0] = the model's input (B, input...) (cropped when the net crops), [i+1] = layers[i]'s output.
  const Tensor& operator[](size_t i) const;
  const Tensor& back() const;  // the output (after a forward of every layer)
};

// Runs the model's layers [0, upto) (upto < 0: all) in inference mode on x (B, net input...), cropped
// first when the net crops. Hooks set on the model apply.
void forward_trace(const Net& net, const Tensor& x, Trace& t, int upto = -1);
// The inference-mode context of the net's passes (no parameter gradients).
LayerCtx infer_ctx(const Net& net);
// A gradient or relevance at the model's input (B, model input...) → at the net's input: pasted into
// zeros when the net crops, unchanged otherwise.
void to_net_input(const Net& net, Tensor& g);

enum class Mode { Gradient, Guided, Deconv };
// g: (B, shapes[top+1]...) the gradient at layer `top`'s output. Walks down to the input of layer
// `bottom` and writes that gradient to `out` (B, shapes[bottom]...); bottom 0: the net's input.
void backward(const Net& net, const Trace& t, int top, const Tensor& g, int bottom, Mode mode, Tensor& out);

// DeepLIFT (rescale) multipliers. `pair` traces 2B rows: rows [0, B) the inputs, [B, 2B) their references.
// g: (B, outputs) at the net's output. out: (B, net input...) the multipliers m (attribution = (x − x') ⊙ m).
void deeplift_backward(const Net& net, const Trace& pair, int B, const Tensor& g, Tensor& out, float eps);

struct LrpRule {
  std::string name = "epsilon";  // epsilon, gamma, alpha_beta, zplus, flat, w_square, zbox
  float epsilon = 1e-6f, gamma = 0.25f, alpha = 1, beta = 0, low = 0, high = 1;
};
// R: (B, outputs) the relevance at the output. rules[i]: the rule of layer i (read for dense/conv only).
// out: (B, input...) the input relevance.
void lrp_backward(const Net& net, const Trace& t, const Tensor& R, const std::vector<LrpRule>& rules, Tensor& out);

// The layer's declared rules (LayerInfo in nn/layer.h).
LrpKind lrp_rule_of(const Layer& l);
DeepLiftKind deeplift_rule_of(const Layer& l);
// Throws std::invalid_argument "lrp: layer 3 (x) has no LRP rule; …" (lrp false: DeepLIFT) for the first
// layer of the net without the rule, before any work is done.
void require_rules(const Net& net, const char* method, bool lrp);
bool is_param_layer(const Layer& l);        // a layer with a weighted LRP rule (dense, conv2d)
std::string activation_of(const Layer& l);  // the activation layer's function ("" for other layers)
// Rows [r0, r1) of a batched tensor, as a copy.
Tensor rows_of(const Tensor& t, int r0, int r1);
// A batched tensor (B, shape...) with B copies of one sample.
Tensor repeat(const float* sample, const Shape& shape, int B);

}  // namespace lab::attr::detail
