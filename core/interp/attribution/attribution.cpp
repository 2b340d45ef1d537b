// Attribution methods: the registry, parameter validation, the dispatcher (with the noise tunnel) and
// the helpers every method shares. The methods themselves: attr_gradient.cpp, attr_perturb.cpp.
//
// [SECTION] the registry (one entry per method: name, family, parameters, implementation)
// [SECTION] parameters: validation and JSON
// [SECTION] shared helpers: batching, scores, gradients, baselines, groups, layers
// [SECTION] attribute(): targets, noise tunnel, dispatch
#include "interp/attribution/attribution.h"
#include "base/json_input.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/job.h"
#include "base/names.h"
#include "interp/attribution/attr_internal.h"
#include "nn/layer.h"

namespace lab::attr {

using detail::Run;
using json = nlohmann::json;

// ------------------------------------------------------------------------------------------------------
// [SECTION] the registry
// ------------------------------------------------------------------------------------------------------
namespace {

ParamSpec num(std::string n, double def, double lo, double hi, std::string help) {
  return number(std::move(n), def, lo, hi, std::move(help));
}

const std::vector<std::string> kRules = {"gausslegendre",  "riemann_left",      "riemann_right",
                                         "riemann_middle", "riemann_trapezoid", "riemann_trapezoid_captum"};

std::vector<ParamSpec> baseline_params() {
  return {choice("baseline", {"zero", "mean", "blur", "uniform", "value"},
                 "the reference input x': zeros, the training data's mean, a Gaussian blur of the input (images), "
                 "uniform noise over the data's range, or a constant"),
          num("baseline_value", 0, -1e6, 1e6, "the constant of baseline = value"),
          num("blur_sigma", 3, 0.1, 100, "the blur's standard deviation in pixels (baseline = blur)")};
}
std::vector<ParamSpec> path_params(int steps, const std::string& rule = "gausslegendre") {
  auto r = with_default_choice(
      choice("rule", kRules, "the quadrature along the path (riemann_trapezoid_captum: captum's weights, which sum to 1 − 1/n)"), rule);
  return {integer("steps", steps, 1, 4096, "points on the path from the baseline to the input"), r};
}
std::vector<ParamSpec> join(std::vector<std::vector<ParamSpec>> parts) {
  std::vector<ParamSpec> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
ParamSpec layer_param(double def, const std::string& help) { return integer("layer", def, -2, 10000, help); }
ParamSpec group_param() {
  return integer("group", 0, 0, 4096,
                 "features perturbed together: square patches of this size on images, runs of this many features "
                 "otherwise (0: automatic, at most about 64 groups)");
}

struct Entry {
  MethodInfo info;
  detail::MethodFn fn;
};

std::vector<Entry> build_registry() {
  using namespace detail;
  std::vector<Entry> r;
  auto add = [&](MethodInfo i, MethodFn fn) { r.push_back({std::move(i), fn}); };
  const std::string layer_help = "model layer index (activation layers counted; −2: automatic)";
  // gradient family
  add({.name = "saliency",
       .title = "Saliency",
       .family = "gradient",
       .description = "The gradient of the output with respect to each input (absolute value by default).",
       .params = {boolean("abs", true, "take |∂f/∂x| (false: the signed gradient)")}},
      saliency);
  add({.name = "input_x_gradient",
       .title = "Gradient × Input",
       .family = "gradient",
       .description = "Each input times the output's gradient with respect to it.",
       .params = {},
       .has_delta = true},
      input_x_gradient);
  add({.name = "integrated_gradients",
       .title = "Integrated Gradients",
       .family = "gradient",
       .description = "The gradient averaged along the straight path from a baseline to the input, times (input − baseline).",
       .params = join({path_params(50),
                       baseline_params(),
                       {boolean("multiply_by_inputs", true, "multiply by (x − x'); false gives the path-averaged gradient")}}),
       .has_delta = true},
      integrated_gradients);
  add({.name = "guided_backprop",
       .title = "Guided Backprop",
       .family = "gradient",
       .description = "The gradient with every ReLU passing only positive gradients where its input was positive.",
       .params = {}},
      guided_backprop);
  add({.name = "deconvolution",
       .title = "Deconvolution",
       .family = "gradient",
       .description = "The gradient with every ReLU passing only positive gradients, whatever its input (Zeiler & Fergus).",
       .params = {}},
      deconvolution);
  add({.name = "grad_cam",
       .title = "Grad-CAM",
       .family = "gradient",
       .description = "A layer's channels weighted by their mean gradient, summed, upsampled to the input.",
       .params = {layer_param(-2, "model layer index (−1: the input; −2: the last layer with a spatial output)"),
                  boolean("relu", false, "keep only positive evidence")}},
      grad_cam);
  add({.name = "guided_grad_cam",
       .title = "Guided Grad-CAM",
       .family = "gradient",
       .description = "Guided Backprop times the (ReLU'd) upsampled Grad-CAM map.",
       .params = {layer_param(-2, "model layer index (−1: the input; −2: the last layer with a spatial output)")}},
      guided_grad_cam);
  // reference family
  add({.name = "deeplift",
       .title = "DeepLIFT (rescale)",
       .family = "reference",
       .description = "Backpropagates the difference from a baseline, with each nonlinearity's multiplier Δy/Δx.",
       .params = join({baseline_params(), {boolean("multiply_by_inputs", true, "multiply the multipliers by (x − x')")}}),
       .has_delta = true},
      deeplift);
  add({.name = "deeplift_shap",
       .title = "DeepLIFT-SHAP",
       .family = "reference",
       .description = "DeepLIFT averaged over baselines drawn from the training data.",
       .params = {integer("baselines", 16, 1, 1024, "how many training samples serve as baselines")},
       .has_delta = true,
       .needs_background = true},
      deeplift_shap);
  add({.name = "gradient_shap",
       .title = "GradientSHAP",
       .family = "reference",
       .description = "Expected gradients: gradients at random points between random data baselines and the (noisy) input.",
       .params = {integer("samples", 32, 1, 4096, "random (baseline, point) draws"),
                  num("input_noise", 0, 0, 1e6, "standard deviation of Gaussian noise added to the input per draw")},
       .has_delta = true,
       .needs_background = true},
      gradient_shap);
  // relevance
  add({.name = "lrp",
       .title = "LRP",
       .family = "relevance",
       .description = "Layer-wise relevance propagation: the output's value redistributed layer by layer with the chosen rules.",
       .params = {choice("composite",
                         {"epsilon", "epsilon_plus", "epsilon_gamma_box", "epsilon_alpha2_beta1", "epsilon_plus_flat",
                          "epsilon_alpha2_beta1_flat", "custom"},
                         "rules by layer type (zennit's composites); custom: `rule` for dense, `conv_rule` for conv, `first_rule`"),
                  choice("rule", {"epsilon", "gamma", "alpha_beta", "zplus", "flat", "w_square"}, "custom: the rule of dense layers"),
                  choice("conv_rule", {"epsilon", "gamma", "alpha_beta", "zplus", "flat", "w_square"}, "custom: the rule of conv layers"),
                  choice("first_rule", {"same", "flat", "w_square", "zbox", "epsilon", "gamma", "alpha_beta", "zplus"},
                         "custom: the rule of the first dense/conv layer"),
                  num("epsilon", 1e-6, 0, 1e6, "ε of the ε rule"), num("gamma", 0.25, 0, 1e6, "γ of the γ rule"),
                  num("alpha", 2, 1, 1e6, "α of the αβ rule (β = α − 1)"), num("low", 0, -1e6, 1e6, "z^B: the inputs' lowest value"),
                  num("high", 1, -1e6, 1e6, "z^B: the inputs' highest value")},
       .has_delta = true},
      lrp);
  // perturbation family
  add({.name = "occlusion",
       .title = "Occlusion",
       .family = "perturbation",
       .description = "The output's drop when a sliding window is set to the baseline, averaged over the windows covering each input.",
       .params = join({{integer("window", 0, 0, 4096, "window size (0: automatic: 4 on images, 1 otherwise)"),
                        integer("stride", 0, 0, 4096, "window stride (0: automatic: half the window, at least 1)")},
                       baseline_params()}),
       .heavy = true},
      occlusion);
  add({.name = "feature_ablation",
       .title = "Feature Ablation",
       .family = "perturbation",
       .description = "The output's drop when a feature group is set to the baseline.",
       .params = join({{group_param()}, baseline_params()}),
       .heavy = true},
      feature_ablation);
  add({.name = "feature_permutation",
       .title = "Feature Permutation",
       .family = "perturbation",
       .description = "The output's mean drop when a feature group takes the values of random training samples.",
       .params = {group_param(), integer("samples", 8, 1, 1024, "training samples whose values replace each group")},
       .needs_background = true,
       .heavy = true},
      feature_permutation);
  add({.name = "shapley_sampling",
       .title = "Shapley Value Sampling",
       .family = "perturbation",
       .description = "Shapley values of feature groups estimated from random orderings (each ordering sums exactly to f(x) − f(x')).",
       .params = join({{group_param(), integer("samples", 25, 1, 10000, "random orderings")}, baseline_params()}),
       .has_delta = true,
       .heavy = true},
      shapley_sampling);
  add({.name = "kernel_shap",
       .title = "KernelSHAP",
       .family = "perturbation",
       .description = "A linear model of the output fitted on random coalitions of feature groups, weighted by the Shapley kernel.",
       .params = join({{group_param(), integer("samples", 256, 4, 100000, "coalitions evaluated")}, baseline_params()}),
       .has_delta = true,
       .heavy = true},
      kernel_shap);
  add({.name = "lime",
       .title = "LIME",
       .family = "perturbation",
       .description = "A sparse linear model (lasso) of the output fitted on random on/off feature groups near the input.",
       .params = join({{group_param(), integer("samples", 256, 4, 100000, "perturbed inputs evaluated"),
                        num("kernel_width", 1, 1e-6, 1e6, "width of the exponential kernel on the cosine distance"),
                        num("alpha", 0.01, 0, 1e6, "the lasso's L1 strength")},
                       baseline_params()}),
       .heavy = true},
      lime);
  // layer and neuron
  add({.name = "layer_activation",
       .title = "Layer Activation",
       .family = "layer",
       .description = "The chosen layer's output.",
       .params = {layer_param(-2, layer_help)},
       .layer_output = true},
      layer_activation);
  add({.name = "layer_grad_x_activation",
       .title = "Layer Gradient × Activation",
       .family = "layer",
       .description = "The chosen layer's output times the output's gradient with respect to it.",
       .params = {layer_param(-2, layer_help)},
       .layer_output = true},
      layer_grad_x_activation);
  add({.name = "layer_conductance",
       .title = "Layer Conductance",
       .family = "layer",
       .description = "How much of f(x) − f(x') flows through each neuron of the layer along the path from the baseline.",
       .params = join({{layer_param(-2, layer_help)}, {integer("steps", 50, 1, 4096, "steps on the path")}, baseline_params()}),
       .has_delta = true,
       .layer_output = true},
      layer_conductance);
  add({.name = "neuron_gradient",
       .title = "Neuron Gradient",
       .family = "neuron",
       .description = "The gradient of one neuron's value with respect to the input.",
       .params = {layer_param(-2, layer_help), integer("neuron", 0, 0, 1e9, "the neuron's index in the layer's (flattened) output")}},
      neuron_gradient);
  add({.name = "neuron_integrated_gradients",
       .title = "Neuron Integrated Gradients",
       .family = "neuron",
       .description = "Integrated gradients of one neuron's value.",
       .params = join({{layer_param(-2, layer_help), integer("neuron", 0, 0, 1e9, "the neuron's index in the layer's output")},
                       path_params(50),
                       baseline_params()}),
       .has_delta = true},
      neuron_integrated_gradients);
  add({.name = "neuron_conductance",
       .title = "Neuron Conductance",
       .family = "neuron",
       .description = "The share of the output's integrated gradient from each input that flows through one neuron.",
       .params = join({{layer_param(-2, layer_help), integer("neuron", 0, 0, 1e9, "the neuron's index in the layer's output")},
                       path_params(50),
                       baseline_params()})},
      neuron_conductance);
  return r;
}

const std::vector<Entry>& registry() {
  static const std::vector<Entry> r = build_registry();
  return r;
}

const Entry& entry(const std::string& name) {
  for (const auto& e : registry())
    if (e.info.name == name) return e;
  method_registry().at(name);  // throws "unknown attribution method 'x' (known: …)"
  throw std::logic_error("unreachable");
}

}  // namespace

const std::vector<ParamSpec>& common_params() {
  static const std::vector<ParamSpec> c = {
      integer("target", -1, -1, 1e9, "the output explained (−1: the predicted class)"),
      integer("seed", 0, 0, 4294967295.0, "seed of every random draw (noise, sampling, random baselines)"),
      choice("noise", {"none", "smoothgrad", "smoothgrad_sq", "vargrad"},
             "noise tunnel: the mean, mean square or variance of the map over noisy copies of the input"),
      integer("nt_samples", 10, 1, 1000, "noisy copies (noise tunnel)"),
      num("stdev", 0, 0, 1e6, "the noise's standard deviation, absolute (0: 0.15 × the input's value range)")};
  return c;
}

const Registry<MethodInfo>& method_registry() {
  static const Registry<MethodInfo> m = [] {
    std::vector<MethodInfo> v;
    for (const auto& e : registry()) v.push_back(e.info);
    return Registry<MethodInfo>("attribution method", std::move(v));
  }();
  return m;
}

const MethodInfo& method_info(const std::string& name) { return entry(name).info; }

namespace {
// A method's whole schema: its own parameters, then the common ones.
std::vector<ParamSpec> schema(const MethodInfo& m) {
  std::vector<ParamSpec> s = m.params;
  s.insert(s.end(), common_params().begin(), common_params().end());
  return s;
}
}  // namespace

std::string methods_json() {
  json a = json::array();
  for (const auto& m : method_registry())
    a.push_back({{"name", m.name},
                 {"title", m.title},
                 {"family", m.family},
                 {"description", m.description},
                 {"hasDelta", m.has_delta},
                 {"layerOutput", m.layer_output},
                 {"needsBackground", m.needs_background},
                 {"heavy", m.heavy},
                 {"params", schema_json(schema(m))}});
  return a.dump();
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] parameters
// ------------------------------------------------------------------------------------------------------
Params default_params(const std::string& method) { return parse_params(method, "{}"); }

Params parse_params(const std::string& method, const std::string& options_json) {
  const MethodInfo& m = method_info(method);
  json j;
  if (!options_json.empty()) j = parse_json_input(options_json, method + ": the options");
  if (!j.is_null() && !j.is_object()) throw std::invalid_argument(method + ": the options must be an object of parameter values");
  Params p;
  static_cast<ParamValues&>(p) = parse_values(schema(m), j, method);
  p.method = method;
  return p;
}

std::string params_json(const Params& p) { return values_json(schema(method_info(p.method)), p).dump(); }

// ------------------------------------------------------------------------------------------------------
// [SECTION] shared helpers
// ------------------------------------------------------------------------------------------------------
namespace detail {

void Run::check() const {
  if (ctx.job) ctx.job->check_cancel();
}
void Run::done(double rows) {
  work_done += rows;
  if (ctx.job) {
    ctx.job->check_cancel();
    const double f = std::min(1.0, work_done / std::max(1.0, work_total));
    ctx.job->set_progress(ctx.progress_lo + (ctx.progress_hi - ctx.progress_lo) * f);
  }
}
int Run::chunk_rows() const {
  size_t per = 0;
  for (const auto& s : net.shapes) per += shape_size(s);
  per = per * 2 + 1;  // activations, and the gradient buffers of the backward
  return (int)std::max<size_t>(1, std::min<size_t>(4096, ctx.max_batch_floats / per));
}

void chunked(Run& r, int rows, int max_rows, std::initializer_list<Resume::Out> outs, const std::function<void(int, int)>& body) {
  Resume::batches(r.ctx.resume, rows, max_rows, outs, body, [&r](int n) { r.done(n); });
}

void part(Run& r, std::initializer_list<Resume::Out> outs, Rng* rng, const std::function<void()>& body) {
  Resume::part(
      r.ctx.resume, outs, rng,
      [&]() {
        const double w0 = r.work_done;
        body();
        return r.work_done - w0;
      },
      [&r](double work) { r.done(work); });
}

Result empty_result(const Run& r, const Shape& shape) {
  Result res;
  res.shape = shape;
  Shape s{r.B};
  s.insert(s.end(), shape.begin(), shape.end());
  res.map.resize(s);
  res.targets = r.targets;
  res.f = r.f;
  return res;
}

std::vector<float> scores(Run& r, const Tensor& xs, const std::vector<int>& row_targets) {
  const int rows = xs.dim(0);
  std::vector<float> out(rows);
  const size_t od = r.net.out_size();
  chunked(r, rows, r.chunk_rows(), {{out.data(), 1}}, [&](int r0, int r1) {
    Tensor y = forward(r.net, rows_of(xs, r0, r1));
    for (int i = r0; i < r1; ++i) out[i] = y.at((size_t)(i - r0) * od + row_targets[i]);
  });
  return out;
}

Tensor input_grads(Run& r, const Tensor& xs, const std::vector<int>& row_targets, Mode mode) {
  const int rows = xs.dim(0);
  Tensor out(xs.shape());
  const size_t od = r.net.out_size(), in = xs.row_size();
  Trace t;
  chunked(r, rows, r.chunk_rows(), {{out.data(), in}}, [&](int r0, int r1) {
    forward_trace(r.net, rows_of(xs, r0, r1), t);
    Tensor g(t.back().shape()), dx;
    for (int i = r0; i < r1; ++i) g.at((size_t)(i - r0) * od + row_targets[i]) = 1.0f;
    if (mode == Mode::Gradient) {  // the network's own backward
      LayerCtx ctx = infer_ctx(r.net);
      r.net.model->backward(g, ctx, true);
      dx = r.net.model->input_grad();
      to_net_input(r.net, dx);
    } else {
      backward(r.net, t, (int)r.net.layers.size() - 1, g, 0, mode, dx);
    }
    std::memcpy(out.data() + (size_t)r0 * in, dx.data(), (size_t)(r1 - r0) * in * sizeof(float));
  });
  return out;
}

Tensor make_baseline(Run& r, const Tensor& x) {
  const std::string& kind = r.p.choice("baseline");
  Tensor b(x.shape());
  const size_t d = r.d;
  const Tensor* bg = r.ctx.background;
  if (kind == "zero") return b;
  if (kind == "value") {
    const float v = (float)r.p.get("baseline_value");
    for (size_t i = 0; i < b.size(); ++i) b.at(i) = v;
    return b;
  }
  if (kind == "mean") {
    if (!bg || bg->dim(0) == 0) throw std::invalid_argument(r.p.method + ": the mean baseline needs training data (none was given)");
    std::vector<double> m(d, 0.0);
    for (int i = 0; i < bg->dim(0); ++i)
      for (size_t k = 0; k < d; ++k) m[k] += bg->at((size_t)i * d + k);
    for (int s = 0; s < r.B; ++s)
      for (size_t k = 0; k < d; ++k) b.at((size_t)s * d + k) = (float)(m[k] / bg->dim(0));
    return b;
  }
  if (kind == "uniform") {
    float lo = INFINITY, hi = -INFINITY;
    const Tensor& src = bg && bg->dim(0) > 0 ? *bg : x;
    for (size_t i = 0; i < src.size(); ++i) {
      lo = std::min(lo, src.at(i));
      hi = std::max(hi, src.at(i));
    }
    Rng rng(r.p.seed(), 0xba5e);
    for (size_t i = 0; i < b.size(); ++i) b.at(i) = rng.uniform(lo, hi);
    return b;
  }
  // blur: a separable Gaussian per channel, edges clamped
  const Shape& in = r.net.input;
  if (in.size() != 3)
    throw std::invalid_argument(r.p.method + ": the blur baseline needs an image input; this one has shape " + shape_str(in));
  const int C = in[0], H = in[1], W = in[2];
  const double sigma = r.p.get("blur_sigma");
  const int rad = std::max(1, (int)std::ceil(3 * sigma));
  std::vector<float> k(2 * rad + 1);
  double ks = 0;
  for (int i = -rad; i <= rad; ++i) ks += (k[i + rad] = (float)std::exp(-0.5 * i * i / (sigma * sigma)));
  for (auto& v : k) v = (float)(v / ks);
  std::vector<float> tmp((size_t)H * W);
  for (int s = 0; s < r.B; ++s)
    for (int c = 0; c < C; ++c) {
      const float* src = x.data() + ((size_t)s * C + c) * H * W;
      float* dst = b.data() + ((size_t)s * C + c) * H * W;
      for (int i = 0; i < H; ++i)
        for (int j = 0; j < W; ++j) {
          float acc = 0;
          for (int t = -rad; t <= rad; ++t) acc += k[t + rad] * src[i * W + std::clamp(j + t, 0, W - 1)];
          tmp[(size_t)i * W + j] = acc;
        }
      for (int i = 0; i < H; ++i)
        for (int j = 0; j < W; ++j) {
          float acc = 0;
          for (int t = -rad; t <= rad; ++t) acc += k[t + rad] * tmp[(size_t)std::clamp(i + t, 0, H - 1) * W + j];
          dst[(size_t)i * W + j] = acc;
        }
    }
  return b;
}

std::vector<int> feature_groups(const Run& r, int* M) {
  const Shape& in = r.net.input;
  int g = r.p.geti("group");
  std::vector<int> ids(r.d);
  if (in.size() == 3) {
    const int C = in[0], H = in[1], W = in[2];
    if (g == 0) g = H * W <= 64 ? 1 : (std::max(H, W) + 7) / 8;
    const int gh = (H + g - 1) / g, gw = (W + g - 1) / g;
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < H; ++i)
        for (int j = 0; j < W; ++j) ids[((size_t)c * H + i) * W + j] = (i / g) * gw + j / g;
    *M = gh * gw;
  } else {
    const int d = (int)r.d;
    if (g == 0) g = d <= 64 ? 1 : (d + 63) / 64;
    for (int k = 0; k < d; ++k) ids[k] = k / g;
    *M = (d + g - 1) / g;
  }
  return ids;
}

int net_layer(const Run& r, bool for_cam) {
  const int L = r.p.geti("layer");
  const Net& n = r.net;
  const int nl = (int)n.layers.size();
  if (L == -1) return -1;
  if (L == -2) {
    if (for_cam) {
      for (int i = nl - 1; i >= 0; --i)
        if (n.shapes[i + 1].size() == 3) return i;
      return -1;  // no spatial layer: the input
    }
    for (int i = nl - 2; i >= 0; --i)
      if (n.layers[i]->type() == "activation") return i;
    if (nl - 2 >= 0) return nl - 2;
    throw std::invalid_argument(r.p.method + ": the network has a single layer; there is no hidden layer to look at");
  }
  if (L >= nl)
    throw std::invalid_argument(r.p.method + ": layer " + std::to_string(L) + " does not exist (the model has " + std::to_string(nl) +
                                " layers, 0 to " + std::to_string(nl - 1) + ")");
  return L;
}

}  // namespace detail

// ------------------------------------------------------------------------------------------------------
// [SECTION] running in pieces (Resume)
// ------------------------------------------------------------------------------------------------------
void Resume::begin() {
  pos_ = 0;
  computed_ = 0;
  replay_ms_ = 0;
  start_ = std::chrono::steady_clock::now();
}

void Resume::clear() {
  saved_.clear();
  begin();
}

void Resume::batches(Resume* res, int rows, int max_rows, std::initializer_list<Out> outs, const std::function<void(int, int)>& body,
                     const std::function<void(int)>& done) {
  max_rows = std::max(1, max_rows);
  size_t per_row = 0;
  for (const Out& o : outs) per_row += o.per_row;
  for (int r0 = 0; r0 < rows;) {
    int r1;
    if (res && res->pos_ < res->saved_.size()) {  // recorded by an earlier try: copy it in
      const Batch& b = res->saved_[res->pos_++];
      if (b.part || b.r0 != r0 || b.r1 <= r0 || b.r1 > rows || b.data.size() != (size_t)(b.r1 - b.r0) * per_row)
        throw std::logic_error("attribution: a resumed run did not repeat the same computation (batch " + std::to_string(res->pos_ - 1) +
                               ")");
      r1 = b.r1;
      const float* src = b.data.data();
      for (const Out& o : outs) {
        const size_t n = (size_t)(r1 - r0) * o.per_row;
        std::memcpy(o.data + (size_t)r0 * o.per_row, src, n * sizeof(float));
        src += n;
      }
    } else if (res) {  // a new batch, while the try is within its budget; about half the budget each
      const auto now = std::chrono::steady_clock::now();
      const double spent = std::chrono::duration<double, std::milli>(now - res->start_).count();
      // A try computes at least one new batch, and new work for at least as long as it replayed: however
      // long the run, replaying costs at most as much again as the work itself (tries then grow longer).
      if (res->computed_ == 0) res->replay_ms_ = spent;
      if (res->computed_ > 0 && spent >= std::max(res->budget_ms_, 2 * res->replay_ms_)) throw Suspended{};
      int n = 1;
      if (res->ms_per_row_ > 0) n = (int)std::clamp(0.5 * res->budget_ms_ / res->ms_per_row_, 1.0, (double)max_rows);
      r1 = std::min(rows, r0 + std::min(n, max_rows));
      body(r0, r1);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - now).count();
      res->ms_per_row_ = std::max(1e-4, ms / (r1 - r0));
      Batch b;
      b.r0 = r0;
      b.r1 = r1;
      b.data.resize((size_t)(r1 - r0) * per_row);
      float* dst = b.data.data();
      for (const Out& o : outs) {
        const size_t k = (size_t)(r1 - r0) * o.per_row;
        std::memcpy(dst, o.data + (size_t)r0 * o.per_row, k * sizeof(float));
        dst += k;
      }
      res->saved_.push_back(std::move(b));
      res->pos_ = res->saved_.size();
      ++res->computed_;
    } else {
      r1 = std::min(rows, r0 + max_rows);
      body(r0, r1);
    }
    if (done) done(r1 - r0);
    r0 = r1;
  }
}

void Resume::part(Resume* res, std::initializer_list<Out> outs, Rng* rng, const std::function<double()>& body,
                  const std::function<void(double)>& skipped) {
  if (!res) {
    body();
    return;
  }
  size_t at = res->pos_;
  if (at < res->saved_.size()) {
    const Batch& b = res->saved_[at];
    if (!b.part) throw std::logic_error("attribution: a resumed run did not repeat the same computation (part " + std::to_string(at) + ")");
    if (b.complete) {  // recorded whole: copy it in, skip it
      const float* src = b.data.data();
      for (const Out& o : outs) {
        std::memcpy(o.data, src, o.per_row * sizeof(float));
        src += o.per_row;
      }
      if (rng && b.rng) *rng = *b.rng;
      res->pos_ = b.end;
      if (skipped) skipped(b.work);
      return;
    }
    ++res->pos_;  // begun by an earlier try: its batches replay inside
  } else {
    Batch b;
    b.part = true;
    res->saved_.push_back(std::move(b));
    res->pos_ = res->saved_.size();
  }
  const double work = body();
  Batch& b = res->saved_[at];  // (the vector may have grown meanwhile)
  for (const Out& o : outs) b.data.insert(b.data.end(), o.data, o.data + o.per_row);
  if (rng) b.rng = *rng;
  b.work = work;
  b.end = res->pos_;
  b.complete = true;
  for (size_t k = at + 1; k < b.end; ++k) std::vector<float>().swap(res->saved_[k].data);  // never replayed again
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] attribute()
// ------------------------------------------------------------------------------------------------------
Result attribute(const Net& net, const Params& p, const Tensor& x, const Context& ctx) {
  const Entry& e = entry(p.method);
  if (x.rank() < 1 || x.dim(0) < 1) throw std::invalid_argument(p.method + ": needs at least one input");
  if (x.row_size() != net.in_size())
    throw std::invalid_argument(p.method + ": an input has " + std::to_string(x.row_size()) + " values; the model takes " +
                                std::to_string(net.in_size()) + " (shape " + shape_str(net.input) + ")");
  for (size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.at(i))) throw std::invalid_argument(p.method + ": the input contains NaN or infinite values");
  if (e.info.needs_background && (!ctx.background || ctx.background->dim(0) == 0))
    throw std::invalid_argument(p.method + ": needs training samples as baselines, and none were given");
  Shape xs{x.dim(0)};
  xs.insert(xs.end(), net.input.begin(), net.input.end());
  Tensor xin = x;
  xin.resize(xs);

  Run r{net, p, ctx};
  r.B = x.dim(0);
  r.d = net.in_size();
  // f(x) and the targets.
  {
    Tensor y = forward(net, xin, ctx.resume);
    const size_t od = net.out_size();
    const long long t = (long long)p.get("target");
    if (t >= (long long)od)
      throw std::invalid_argument(p.method + ": target " + std::to_string(t) + " does not exist (the model has " + std::to_string(od) +
                                  " outputs, 0 to " + std::to_string(od - 1) + ")");
    if (ctx.targets && (int)ctx.targets->size() != r.B)
      throw std::invalid_argument(p.method + ": " + std::to_string(ctx.targets->size()) + " targets for " + std::to_string(r.B) +
                                  " inputs");
    for (int b = 0; b < r.B; ++b) {
      const float* yb = y.data() + (size_t)b * od;
      int tb = t >= 0 ? (int)t : (int)(std::max_element(yb, yb + od) - yb);
      if (ctx.targets) {
        tb = (*ctx.targets)[b];
        if (tb < 0 || tb >= (int)od) throw std::invalid_argument(p.method + ": target " + std::to_string(tb) + " does not exist");
      }
      r.targets.push_back(tb);
      r.f.push_back(yb[tb]);
    }
  }
  const std::string& noise = p.choice("noise");
  if (noise == "none") {
    Result res = e.fn(r, xin);
    res.targets = r.targets;
    res.f = r.f;
    return res;
  }
  // Noise tunnel: the method on nt_samples noisy copies (targets fixed to the clean input's).
  const int n = p.geti("nt_samples");
  float sd = (float)p.get("stdev");
  if (sd == 0) {
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < xin.size(); ++i) {
      lo = std::min(lo, xin.at(i));
      hi = std::max(hi, xin.at(i));
    }
    sd = 0.15f * (hi - lo > 0 ? hi - lo : 1.0f);
  }
  Params inner = p;
  inner.str["noise"] = "none";
  Result acc;
  std::vector<double> s1, s2;
  Rng rng(p.seed(), 0x7e57);
  std::vector<float> delta;
  for (int k = 0; k < n; ++k) {
    Tensor xn = xin;
    for (size_t i = 0; i < xn.size(); ++i) xn.at(i) += sd * rng.normal();
    inner.num["seed"] = (double)((p.seed() + 1 + (uint64_t)k) & 0xffffffffu);
    Context c2 = ctx;
    c2.progress_lo = ctx.progress_lo + (ctx.progress_hi - ctx.progress_lo) * k / n;
    c2.progress_hi = ctx.progress_lo + (ctx.progress_hi - ctx.progress_lo) * (k + 1) / n;
    Run rk{net, inner, c2};
    rk.B = r.B;
    rk.d = r.d;
    rk.targets = r.targets;
    {
      Tensor y = forward(net, xn, ctx.resume);
      for (int b = 0; b < r.B; ++b) rk.f.push_back(y.at((size_t)b * net.out_size() + r.targets[b]));
    }
    Result one = e.fn(rk, xn);
    if (k == 0) {
      acc = one;
      s1.assign(one.map.size(), 0.0);
      s2.assign(one.map.size(), 0.0);
      if (!one.delta.empty()) delta.assign(r.B, 0.0f);
    }
    for (size_t i = 0; i < one.map.size(); ++i) {
      const double v = one.map.at(i);
      s1[i] += v;
      s2[i] += v * v;
    }
    for (size_t b = 0; b < delta.size() && b < one.delta.size(); ++b) delta[b] += one.delta[b] / n;
  }
  for (size_t i = 0; i < acc.map.size(); ++i) {
    const double m = s1[i] / n, m2 = s2[i] / n;
    acc.map.at(i) = (float)(noise == "smoothgrad" ? m : noise == "smoothgrad_sq" ? m2 : std::max(0.0, m2 - m * m));
  }
  // The delta of a noise-tunnelled map is the mean of the per-copy deltas (smoothgrad only: the squared
  // and variance maps are not attributions that sum to a difference of outputs).
  acc.delta = noise == "smoothgrad" ? delta : std::vector<float>{};
  acc.targets = r.targets;
  acc.f = r.f;
  return acc;
}

}  // namespace lab::attr
