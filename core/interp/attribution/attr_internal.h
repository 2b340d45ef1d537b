// Internal to the attribution methods: what every method implementation shares (attribution.cpp holds
// the registry and the dispatcher; attr_gradient.cpp and attr_perturb.cpp the methods).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "base/rng.h"
#include "interp/attribution/attr_net.h"
#include "interp/attribution/attribution.h"
#include "nn/model.h"

namespace lab::attr::detail {

// Hooks set on a model for one scope (set_hooks(nullptr) on the way out, also on an exception).
struct HookScope {
  Model& model;
  HookScope(Model& m, std::vector<Hook>& hooks) : model(m) { m.set_hooks(&hooks); }
  ~HookScope() { model.set_hooks(nullptr); }
  HookScope(const HookScope&) = delete;
  HookScope& operator=(const HookScope&) = delete;
};

// One call of one method on a batch: the net, the parameters, the targets, progress.
struct Run {
  Run(const Net& n, const Params& pp, const Context& c) : net(n), p(pp), ctx(c) {}
  const Net& net;
  const Params& p;
  const Context& ctx;
  std::vector<int> targets;              // per sample
  std::vector<float> f;                  // f(x) per sample
  double work_total = 1, work_done = 0;  // rows; progress = done / total within [progress_lo, progress_hi]

  int B = 0;
  size_t d = 0;  // input size per sample
  void add_work(double rows) { work_total += rows; }
  void done(double rows);  // reports progress, checks cancellation
  void check() const;      // cancellation only
  // Rows one internal batch may hold (from ctx.max_batch_floats and the net's activation sizes).
  int chunk_rows() const;
};

using MethodFn = Result (*)(Run& r, const Tensor& x);

// Rows [0, rows) in internal batches of at most max_rows (Resume::batches with the run's resume), each
// reported done. body(r0, r1) writes rows r0..r1 of `outs` and nothing else that outlives it.
void chunked(Run& r, int rows, int max_rows, std::initializer_list<Resume::Out> outs, const std::function<void(int, int)>& body);
// A part of the run recorded whole (Resume::part): body() writes `outs` (each: `per_row` floats from
// `data`) and may advance rng; a later try of a resumed run copies them and skips it.
void part(Run& r, std::initializer_list<Resume::Out> outs, Rng* rng, const std::function<void()>& body);

// Scores of output column targets[row / per] for every row of xs (rows × d inputs), chunked.
std::vector<float> scores(Run& r, const Tensor& xs, const std::vector<int>& row_targets);
// Input gradients of output targets (one per row), chunked; mode: plain / guided / deconv.
Tensor input_grads(Run& r, const Tensor& xs, const std::vector<int>& row_targets, Mode mode);

// Baselines (B, input...) for a batch x, from the common baseline parameters (baseline, baseline_value,
// blur_sigma). Throws std::invalid_argument when the kind cannot apply.
Tensor make_baseline(Run& r, const Tensor& x);
// Feature groups: one id per input element (0..M−1) from the parameter `group` (0 = automatic). M out.
std::vector<int> feature_groups(const Run& r, int* M);
// The net index of the model layer parameter `layer` (−1: the input; −2: automatic, `for_cam` picks the
// last layer with a spatial output). Throws when it does not exist.
int net_layer(const Run& r, bool for_cam);

// Method implementations.
Result saliency(Run& r, const Tensor& x);
Result input_x_gradient(Run& r, const Tensor& x);
Result integrated_gradients(Run& r, const Tensor& x);
Result guided_backprop(Run& r, const Tensor& x);
Result deconvolution(Run& r, const Tensor& x);
Result grad_cam(Run& r, const Tensor& x);
Result guided_grad_cam(Run& r, const Tensor& x);
Result deeplift(Run& r, const Tensor& x);
Result deeplift_shap(Run& r, const Tensor& x);
Result gradient_shap(Run& r, const Tensor& x);
Result lrp(Run& r, const Tensor& x);
Result layer_activation(Run& r, const Tensor& x);
Result layer_grad_x_activation(Run& r, const Tensor& x);
Result layer_conductance(Run& r, const Tensor& x);
Result neuron_gradient(Run& r, const Tensor& x);
Result neuron_integrated_gradients(Run& r, const Tensor& x);
Result neuron_conductance(Run& r, const Tensor& x);
Result occlusion(Run& r, const Tensor& x);
Result feature_ablation(Run& r, const Tensor& x);
Result feature_permutation(Run& r, const Tensor& x);
Result shapley_sampling(Run& r, const Tensor& x);
Result kernel_shap(Run& r, const Tensor& x);
Result lime(Run& r, const Tensor& x);

// a·b / max(‖a‖‖b‖, 1e-8), as torch.cosine_similarity: 0 when either is all zeros (LIME's kernel, the
// similarity captum's Lime uses; attr_perturb.cpp).
double cosine_similarity(const float* a, const float* b, size_t n);

// Quadrature on [0, 1] for integrated gradients: points and weights (attr_gradient.cpp).
void quadrature(const std::string& rule, int n, std::vector<double>& alphas, std::vector<double>& weights);

// A result shaped like the input (or `shape`), zero-filled.
Result empty_result(const Run& r, const Shape& shape);

}  // namespace lab::attr::detail
