// Backpropagation-based attribution methods: gradient family, reference family, LRP, layer and neuron
// methods. Each takes the batch x (B, input...) and the validated parameters (attribution.h).
//
// [SECTION] quadrature and paths
// [SECTION] gradient family: saliency, grad × input, integrated gradients, guided backprop, deconvolution
// [SECTION] Grad-CAM and guided Grad-CAM
// [SECTION] reference family: DeepLIFT, DeepLIFT-SHAP, GradientSHAP
// [SECTION] LRP composites
// [SECTION] layer and neuron methods
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "interp/attribution/attr_internal.h"
#include "nn/layer.h"

namespace lab::attr::detail {

// ------------------------------------------------------------------------------------------------------
// [SECTION] quadrature and paths
// ------------------------------------------------------------------------------------------------------
void quadrature(const std::string& rule, int n, std::vector<double>& a, std::vector<double>& w) {
  a.assign(n, 0.0);
  w.assign(n, 1.0 / n);
  if (rule == "gausslegendre") {
    // Nodes of P_n by Newton's method from Chebyshev guesses, mapped from [−1, 1] to [0, 1].
    for (int i = 0; i < n; ++i) {
      double z = std::cos(M_PI * (i + 0.75) / (n + 0.5)), pp = 1;
      for (int it = 0; it < 100; ++it) {
        double p1 = 1, p2 = 0;
        for (int j = 1; j <= n; ++j) {
          const double p3 = p2;
          p2 = p1;
          p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j;
        }
        pp = n * (z * p1 - p2) / (z * z - 1);
        const double dz = p1 / pp;
        z -= dz;
        if (std::fabs(dz) < 1e-15) break;
      }
      a[n - 1 - i] = 0.5 * (1 + z);
      w[n - 1 - i] = 1.0 / ((1 - z * z) * pp * pp);  // 0.5 × the standard weight 2/((1−z²)P'²)
    }
    return;
  }
  if ((rule == "riemann_trapezoid" || rule == "riemann_trapezoid_captum") && n < 2)
    throw std::invalid_argument("integrated gradients: the " + rule + " rule needs at least 2 steps");
  for (int k = 0; k < n; ++k) {
    if (rule == "riemann_left")
      a[k] = (double)k / n;
    else if (rule == "riemann_right")
      a[k] = (double)(k + 1) / n;
    else if (rule == "riemann_middle")
      a[k] = (k + 0.5) / n;
    else if (rule == "riemann_trapezoid" || rule == "riemann_trapezoid_captum")
      a[k] = (double)k / (n - 1);
    else
      throw std::invalid_argument("integrated gradients: unknown rule '" + rule + "'");
  }
  if (rule == "riemann_trapezoid") {  // spacing 1/(n−1), ends halved: weights sum to 1
    for (int k = 0; k < n; ++k) w[k] = 1.0 / (n - 1);
    w[0] *= 0.5;
    w[n - 1] *= 0.5;
  } else if (rule == "riemann_trapezoid_captum") {  // captum's weights 1/n, ends halved: sum 1 − 1/n
    w[0] *= 0.5;
    w[n - 1] *= 0.5;
  }
}

namespace {

// Rows b·n + k: x'_b + α_k (x_b − x'_b).
Tensor path(const Tensor& x, const Tensor& base, const std::vector<double>& alphas) {
  const int B = x.dim(0), n = (int)alphas.size();
  const size_t d = x.row_size();
  Shape s = x.shape();
  s[0] = B * n;
  Tensor out(s);
  for (int b = 0; b < B; ++b)
    for (int k = 0; k < n; ++k) {
      const float al = (float)alphas[k];
      float* o = out.data() + ((size_t)b * n + k) * d;
      const float* xb = x.data() + (size_t)b * d;
      const float* bb = base.data() + (size_t)b * d;
      for (size_t i = 0; i < d; ++i) o[i] = bb[i] + al * (xb[i] - bb[i]);
    }
  return out;
}

std::vector<int> repeat_targets(const std::vector<int>& t, int n) {
  std::vector<int> o;
  for (int v : t)
    for (int k = 0; k < n; ++k) o.push_back(v);
  return o;
}

// delta_b = Σa_b − (f(x_b) − f(x'_b))
std::vector<float> deltas(Run& r, const Tensor& map, const std::vector<float>& f_base) {
  std::vector<float> d(r.B);
  const size_t n = map.row_size();
  for (int b = 0; b < r.B; ++b) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += map.at((size_t)b * n + i);
    d[b] = (float)(s - ((double)r.f[b] - f_base[b]));
  }
  return d;
}

Result grad_method(Run& r, const Tensor& x, Mode mode) {
  r.add_work(r.B);
  Result res = empty_result(r, r.net.input);
  res.map = input_grads(r, x, r.targets, mode);
  return res;
}

}  // namespace

// ------------------------------------------------------------------------------------------------------
// [SECTION] gradient family
// ------------------------------------------------------------------------------------------------------
Result saliency(Run& r, const Tensor& x) {
  Result res = grad_method(r, x, Mode::Gradient);
  if (r.p.get("abs") != 0)
    for (size_t i = 0; i < res.map.size(); ++i) res.map.at(i) = std::fabs(res.map.at(i));
  return res;
}

Result input_x_gradient(Run& r, const Tensor& x) {
  Result res = grad_method(r, x, Mode::Gradient);
  for (size_t i = 0; i < res.map.size(); ++i) res.map.at(i) *= x.at(i);
  // Grad × input has no baseline; its delta compares Σa with f(x) − f(0) (completeness with a zero baseline).
  Tensor zero(x.shape());
  res.delta = deltas(r, res.map, scores(r, zero, r.targets));
  return res;
}

Result guided_backprop(Run& r, const Tensor& x) { return grad_method(r, x, Mode::Guided); }
Result deconvolution(Run& r, const Tensor& x) { return grad_method(r, x, Mode::Deconv); }

Result integrated_gradients(Run& r, const Tensor& x) {
  const int n = r.p.geti("steps");
  std::vector<double> al, w;
  quadrature(r.p.choice("rule"), n, al, w);
  const Tensor base = make_baseline(r, x);
  r.add_work((double)r.B * n + r.B);
  const Tensor pts = path(x, base, al);
  const Tensor g = input_grads(r, pts, repeat_targets(r.targets, n), Mode::Gradient);
  Result res = empty_result(r, r.net.input);
  const size_t d = r.d;
  const bool mul = r.p.get("multiply_by_inputs") != 0;
  for (int b = 0; b < r.B; ++b) {
    float* o = res.map.data() + (size_t)b * d;
    std::vector<double> acc(d, 0.0);
    for (int k = 0; k < n; ++k) {
      const float* gk = g.data() + ((size_t)b * n + k) * d;
      for (size_t i = 0; i < d; ++i) acc[i] += w[k] * gk[i];
    }
    for (size_t i = 0; i < d; ++i) {
      const size_t j = (size_t)b * d + i;
      o[i] = (float)(mul ? acc[i] * ((double)x.at(j) - base.at(j)) : acc[i]);
    }
  }
  if (mul) res.delta = deltas(r, res.map, scores(r, base, r.targets));
  return res;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] Grad-CAM and guided Grad-CAM
// ------------------------------------------------------------------------------------------------------
namespace {

// The layer's activations A and the output's gradient G at it (layer L; −1: the net's input): a record
// hook at the layer's probe keeps both while the model runs its own forward and backward (which stops at
// the hook).
void layer_grad(Run& r, const Tensor& xs, const std::vector<int>& row_targets, int L, Tensor& A, Tensor& G) {
  if (L < 0) {
    A = xs;
    G = input_grads(r, xs, row_targets, Mode::Gradient);
    return;
  }
  const int rows = xs.dim(0);
  const size_t od = r.net.out_size(), n = shape_size(r.net.shapes[L + 1]);
  Shape s = r.net.shapes[L + 1];
  s.insert(s.begin(), rows);
  A.resize(s);
  G.resize(s);
  Model& m = *r.net.model;
  std::vector<Hook> hooks = {record_hook(m.probe_name(L))};
  const HookScope scope(m, hooks);
  Trace t;
  LayerCtx ctx = infer_ctx(r.net);
  chunked(r, rows, r.chunk_rows(), {{A.data(), n}, {G.data(), n}}, [&](int r0, int r1) {
    forward_trace(r.net, rows_of(xs, r0, r1), t);
    Tensor g(t.back().shape());
    for (int i = r0; i < r1; ++i) g.at((size_t)(i - r0) * od + row_targets[i]) = 1.0f;
    m.backward(g, ctx, false);
    std::memcpy(A.data() + (size_t)r0 * n, hooks[0].recorded.data(), (size_t)(r1 - r0) * n * sizeof(float));
    std::memcpy(G.data() + (size_t)r0 * n, hooks[0].recorded_grad.data(), (size_t)(r1 - r0) * n * sizeof(float));
  });
}

// Grad-CAM at layer L, upsampled (nearest) to the model's input shape, then pasted into the net's input
// when the net crops (L = −1: the net's input itself).
Tensor cam(Run& r, const Tensor& x, int L, bool relu) {
  Tensor A, G;
  layer_grad(r, x, r.targets, L, A, G);
  const Shape& ls = L < 0 ? r.net.input : r.net.shapes[L + 1];
  const Shape& in = L < 0 ? r.net.input : r.net.shapes[0];
  Shape s{r.B};
  s.insert(s.end(), in.begin(), in.end());
  Tensor out(s);
  const size_t isz = shape_size(in);
  if (ls.size() != 3) {
    if (L >= 0)
      throw std::invalid_argument("grad_cam: layer " + std::to_string(L) + " (" + r.net.layers[L]->type() +
                                  ") has no spatial output (shape " + shape_str(ls) +
                                  "); pick a conv or pooling layer, or −1 for the input");
    // A flat input: no channels to pool over; the map is g ⊙ x per feature (captum's per-channel form).
    for (size_t i = 0; i < out.size(); ++i) out.at(i) = relu ? std::max(0.0f, G.at(i) * A.at(i)) : G.at(i) * A.at(i);
    return out;
  }
  const int C = ls[0], h = ls[1], w = ls[2];
  const int IC = in.size() == 3 ? in[0] : 1, IH = in.size() == 3 ? in[1] : 1, IW = in.size() == 3 ? in[2] : (int)isz;
  for (int b = 0; b < r.B; ++b) {
    std::vector<double> m(h * w, 0.0);
    for (int c = 0; c < C; ++c) {
      const float* g = G.data() + ((size_t)b * C + c) * h * w;
      const float* a = A.data() + ((size_t)b * C + c) * h * w;
      double wc = 0;
      for (int k = 0; k < h * w; ++k) wc += g[k];
      wc /= (h * w);
      for (int k = 0; k < h * w; ++k) m[k] += wc * a[k];
    }
    float* o = out.data() + (size_t)b * isz;
    for (int c = 0; c < IC; ++c)
      for (int i = 0; i < IH; ++i)
        for (int j = 0; j < IW; ++j) {
          const int si = std::min(h - 1, i * h / IH), sj = std::min(w - 1, j * w / IW);
          const float v = (float)m[(size_t)si * w + sj];
          o[((size_t)c * IH + i) * IW + j] = relu ? std::max(0.0f, v) : v;
        }
  }
  if (L >= 0) to_net_input(r.net, out);
  return out;
}

}  // namespace

Result grad_cam(Run& r, const Tensor& x) {
  const int L = net_layer(r, true);
  r.add_work(r.B);
  Result res = empty_result(r, r.net.input);
  res.map = cam(r, x, L, r.p.get("relu") != 0);
  return res;
}

Result guided_grad_cam(Run& r, const Tensor& x) {
  const int L = net_layer(r, true);
  r.add_work(2.0 * r.B);
  Result res = empty_result(r, r.net.input);
  const Tensor c = cam(r, x, L, true);
  res.map = input_grads(r, x, r.targets, Mode::Guided);
  for (size_t i = 0; i < res.map.size(); ++i) res.map.at(i) *= c.at(i);
  return res;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] reference family
// ------------------------------------------------------------------------------------------------------
namespace {

constexpr float kDeepLiftEps = 1e-7f;  // |Δx| below this: the gradient instead of Δy/Δx (captum: 1e-10 in float64 terms)

// DeepLIFT multipliers for rows of x against rows of base (same count), target per row.
Tensor deeplift_multipliers(Run& r, const Tensor& x, const Tensor& base, const std::vector<int>& row_targets) {
  const int rows = x.dim(0);
  const size_t d = x.row_size(), od = r.net.out_size();
  Tensor out(x.shape());
  Trace t;
  chunked(r, rows, r.chunk_rows() / 2, {{out.data(), d}}, [&](int r0, int r1) {
    const int n = r1 - r0;
    Shape s = x.shape();
    s[0] = 2 * n;
    Tensor pair(s);
    std::memcpy(pair.data(), x.data() + (size_t)r0 * d, (size_t)n * d * sizeof(float));
    std::memcpy(pair.data() + (size_t)n * d, base.data() + (size_t)r0 * d, (size_t)n * d * sizeof(float));
    forward_trace(r.net, pair, t);
    Tensor g({n, (int)od}), m;
    for (int i = 0; i < n; ++i) g.at((size_t)i * od + row_targets[r0 + i]) = 1.0f;
    deeplift_backward(r.net, t, n, g, m, kDeepLiftEps);
    std::memcpy(out.data() + (size_t)r0 * d, m.data(), (size_t)n * d * sizeof(float));
  });
  return out;
}

// Training samples used as baselines: `count` rows drawn without replacement (all when fewer), seeded.
Tensor background_rows(Run& r, int count, Rng& rng) {
  const Tensor& bg = *r.ctx.background;
  const int N = bg.dim(0);
  std::vector<int> idx(N);
  for (int i = 0; i < N; ++i) idx[i] = i;
  const int k = std::min(count, N);
  for (int i = 0; i < k; ++i) std::swap(idx[i], idx[i + rng.below((uint32_t)(N - i))]);
  Shape s{k};
  s.insert(s.end(), r.net.input.begin(), r.net.input.end());
  Tensor out(s);
  for (int i = 0; i < k; ++i) std::memcpy(out.data() + (size_t)i * r.d, bg.data() + (size_t)idx[i] * r.d, r.d * sizeof(float));
  return out;
}

}  // namespace

Result deeplift(Run& r, const Tensor& x) {
  require_rules(r.net, "deeplift", false);
  const Tensor base = make_baseline(r, x);
  r.add_work(2.0 * r.B);
  Result res = empty_result(r, r.net.input);
  res.map = deeplift_multipliers(r, x, base, r.targets);
  if (r.p.get("multiply_by_inputs") != 0) {
    for (size_t i = 0; i < res.map.size(); ++i) res.map.at(i) *= x.at(i) - base.at(i);
    res.delta = deltas(r, res.map, scores(r, base, r.targets));
  }
  return res;
}

Result deeplift_shap(Run& r, const Tensor& x) {
  require_rules(r.net, "deeplift_shap", false);
  Rng rng(r.p.seed(), 0xd1);
  const Tensor bgs = background_rows(r, r.p.geti("baselines"), rng);
  const int J = bgs.dim(0);
  const size_t d = r.d;
  // Rows b·J + j: input b against baseline j.
  Shape s = x.shape();
  s[0] = r.B * J;
  Tensor xs(s), bs(s);
  for (int b = 0; b < r.B; ++b)
    for (int j = 0; j < J; ++j) {
      std::memcpy(xs.data() + ((size_t)b * J + j) * d, x.data() + (size_t)b * d, d * sizeof(float));
      std::memcpy(bs.data() + ((size_t)b * J + j) * d, bgs.data() + (size_t)j * d, d * sizeof(float));
    }
  const auto rt = repeat_targets(r.targets, J);
  r.add_work(3.0 * r.B * J);
  const Tensor m = deeplift_multipliers(r, xs, bs, rt);
  const std::vector<float> fb = scores(r, bs, rt);
  Result res = empty_result(r, r.net.input);
  res.delta.assign(r.B, 0.0f);
  for (int b = 0; b < r.B; ++b) {
    double fmean = 0;
    for (int j = 0; j < J; ++j) {
      const size_t row = (size_t)b * J + j;
      for (size_t i = 0; i < d; ++i) res.map.at((size_t)b * d + i) += m.at(row * d + i) * (xs.at(row * d + i) - bs.at(row * d + i)) / J;
      fmean += fb[row] / J;
    }
    double s2 = 0;
    for (size_t i = 0; i < d; ++i) s2 += res.map.at((size_t)b * d + i);
    res.delta[b] = (float)(s2 - (r.f[b] - fmean));
  }
  return res;
}

Result gradient_shap(Run& r, const Tensor& x) {
  const int n = r.p.geti("samples");
  const float sd = (float)r.p.get("input_noise");
  const Tensor& bg = *r.ctx.background;
  const size_t d = r.d;
  Rng rng(r.p.seed(), 0x65);
  Shape s = x.shape();
  s[0] = r.B * n;
  Tensor noisy(s), base(s), pts(s);
  for (int b = 0; b < r.B; ++b)
    for (int k = 0; k < n; ++k) {
      const size_t row = (size_t)b * n + k;
      const int j = (int)rng.below((uint32_t)bg.dim(0));
      const float al = rng.uniform01();
      for (size_t i = 0; i < d; ++i) {
        const float xv = x.at((size_t)b * d + i) + (sd > 0 ? sd * rng.normal() : 0.0f);
        const float bv = bg.at((size_t)j * d + i);
        noisy.at(row * d + i) = xv;
        base.at(row * d + i) = bv;
        pts.at(row * d + i) = bv + al * (xv - bv);
      }
    }
  const auto rt = repeat_targets(r.targets, n);
  r.add_work(3.0 * r.B * n);
  const Tensor g = input_grads(r, pts, rt, Mode::Gradient);
  const std::vector<float> fx = scores(r, noisy, rt), fb = scores(r, base, rt);
  Result res = empty_result(r, r.net.input);
  res.delta.assign(r.B, 0.0f);
  for (int b = 0; b < r.B; ++b) {
    double dsum = 0;
    for (int k = 0; k < n; ++k) {
      const size_t row = (size_t)b * n + k;
      double s1 = 0;
      for (size_t i = 0; i < d; ++i) {
        const float v = (noisy.at(row * d + i) - base.at(row * d + i)) * g.at(row * d + i);
        res.map.at((size_t)b * d + i) += v / n;
        s1 += v;
      }
      dsum += s1 - (fx[row] - fb[row]);
    }
    res.delta[b] = (float)(dsum / n);  // the mean per-draw delta (→ 0 in expectation)
  }
  return res;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] LRP composites
// ------------------------------------------------------------------------------------------------------
namespace {

LrpRule rule_named(const std::string& name, const Params& p) {
  LrpRule r;
  r.name = name;
  r.epsilon = (float)p.get("epsilon");
  r.gamma = (float)p.get("gamma");
  r.alpha = (float)p.get("alpha");
  r.beta = r.alpha - 1;
  r.low = (float)p.get("low");
  r.high = (float)p.get("high");
  if (name == "zplus") {
    r.alpha = 1;
    r.beta = 0;
  }
  return r;
}

std::vector<LrpRule> lrp_rules(const Net& net, const Params& p) {
  const std::string& comp = p.choice("composite");
  std::string dense = "epsilon", conv = "epsilon", first = "same";
  if (comp == "epsilon_plus")
    conv = "zplus";
  else if (comp == "epsilon_gamma_box") {
    conv = "gamma";
    first = "zbox";
  } else if (comp == "epsilon_alpha2_beta1")
    conv = "alpha_beta";
  else if (comp == "epsilon_plus_flat") {
    conv = "zplus";
    first = "flat";
  } else if (comp == "epsilon_alpha2_beta1_flat") {
    conv = "alpha_beta";
    first = "flat";
  } else if (comp == "custom") {
    dense = p.choice("rule");
    conv = p.choice("conv_rule");
    first = p.choice("first_rule");
  }
  Params q = p;
  if (comp == "epsilon_alpha2_beta1" || comp == "epsilon_alpha2_beta1_flat") q.num["alpha"] = 2;
  std::vector<LrpRule> rules(net.layers.size());
  bool seen_first = false;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = *net.layers[i];
    if (!is_param_layer(l)) continue;
    std::string name = l.type() == "conv2d" ? conv : dense;
    if (!seen_first) {
      seen_first = true;
      // zennit's EpsilonGammaBox puts z^B on the first conv; with no conv layer, on the first layer.
      if (first != "same") name = first;
    }
    rules[i] = rule_named(name, q);
  }
  return rules;
}

}  // namespace

Result lrp(Run& r, const Tensor& x) {
  require_rules(r.net, "lrp", true);
  r.add_work(r.B);
  const auto rules = lrp_rules(r.net, r.p);
  const size_t od = r.net.out_size(), d = r.d;
  Result res = empty_result(r, r.net.input);
  Trace t;
  chunked(r, r.B, r.chunk_rows() / 4, {{res.map.data(), d}}, [&](int r0, int r1) {
    forward_trace(r.net, rows_of(x, r0, r1), t);
    Tensor R(t.back().shape()), out;
    for (int i = r0; i < r1; ++i) {  // R_out = f(x) at the target (captum's initial relevance)
      const size_t k = (size_t)(i - r0) * od + r.targets[i];
      R.at(k) = t.back().at(k);
    }
    lrp_backward(r.net, t, R, rules, out);
    std::memcpy(res.map.data() + (size_t)r0 * d, out.data(), (size_t)(r1 - r0) * d * sizeof(float));
  });
  res.delta = deltas(r, res.map, std::vector<float>(r.B, 0.0f));  // ΣR − f(x)
  return res;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] layer and neuron methods
// ------------------------------------------------------------------------------------------------------
Result layer_activation(Run& r, const Tensor& x) {
  const int L = net_layer(r, false);
  r.add_work(r.B);
  Result res = empty_result(r, L < 0 ? r.net.input : r.net.shapes[L + 1]);
  if (L < 0) {
    res.map = x;
  } else {  // the layer's probe, recorded by a hook on a forward that stops there
    Model& m = *r.net.model;
    std::vector<Hook> hooks = {record_hook(m.probe_name(L))};
    const HookScope scope(m, hooks);
    Trace t;
    const size_t n = res.map.row_size();
    chunked(r, r.B, r.B, {{res.map.data(), n}}, [&](int r0, int r1) {
      forward_trace(r.net, rows_of(x, r0, r1), t, L + 1);
      std::memcpy(res.map.data() + (size_t)r0 * n, hooks[0].recorded.data(), (size_t)(r1 - r0) * n * sizeof(float));
    });
    return res;
  }
  r.done(r.B);
  return res;
}

Result layer_grad_x_activation(Run& r, const Tensor& x) {
  const int L = net_layer(r, false);
  r.add_work(r.B);
  Tensor A, G;
  layer_grad(r, x, r.targets, L, A, G);
  Result res = empty_result(r, L < 0 ? r.net.input : r.net.shapes[L + 1]);
  for (size_t i = 0; i < A.size(); ++i) res.map.at(i) = A.at(i) * G.at(i);
  return res;
}

Result layer_conductance(Run& r, const Tensor& x) {
  // Σ_k ∂f/∂A(midpoint_k) · (A(α_{k+1}) − A(α_k)) on the uniform partition α_k = k/n: the gradient at
  // each step's midpoint times the step's change of the layer's value (exact when the kinks fall on
  // partition points). Σ over the layer ≈ f(x) − f(x').
  const int L = net_layer(r, false), n = r.p.geti("steps");
  const Tensor base = make_baseline(r, x);
  std::vector<double> ends(n + 1), mids(n);
  for (int k = 0; k <= n; ++k) ends[k] = (double)k / n;
  for (int k = 0; k < n; ++k) mids[k] = (k + 0.5) / n;
  r.add_work((double)r.B * (2 * n + 2));
  Tensor Ae, Ge, Am, Gm;
  layer_grad(r, path(x, base, ends), repeat_targets(r.targets, n + 1), L, Ae, Ge);
  layer_grad(r, path(x, base, mids), repeat_targets(r.targets, n), L, Am, Gm);
  const Shape ls = L < 0 ? r.net.input : r.net.shapes[L + 1];
  const size_t m = shape_size(ls);
  Result res = empty_result(r, ls);
  for (int b = 0; b < r.B; ++b)
    for (size_t j = 0; j < m; ++j) {
      double s = 0;
      for (int k = 0; k < n; ++k)
        s += (double)Gm.at(((size_t)b * n + k) * m + j) *
             (Ae.at(((size_t)b * (n + 1) + k + 1) * m + j) - Ae.at(((size_t)b * (n + 1) + k) * m + j));
      res.map.at((size_t)b * m + j) = (float)s;
    }
  res.delta = deltas(r, res.map, scores(r, base, r.targets));
  return res;
}

namespace {

int neuron_index(const Run& r, int L) {
  const long long j = (long long)r.p.get("neuron");
  const Shape& ls = L < 0 ? r.net.input : r.net.shapes[L + 1];
  if (j >= (long long)shape_size(ls))
    throw std::invalid_argument(r.p.method + ": neuron " + std::to_string(j) + " does not exist (layer " + std::to_string(L) + " has " +
                                std::to_string(shape_size(ls)) + " values, shape " + shape_str(ls) + ")");
  return (int)j;
}

// ∂y_j/∂x for every row (y_j: neuron j of net layer L's output), and y_j itself.
Tensor neuron_grads(Run& r, const Tensor& xs, int L, int j, std::vector<float>* value = nullptr) {
  const int rows = xs.dim(0);
  Tensor out(xs.shape());
  const size_t d = xs.row_size();
  std::vector<float> v(rows, 0.0f);
  Trace t;
  chunked(r, rows, r.chunk_rows(), {{out.data(), d}, {v.data(), 1}}, [&](int r0, int r1) {
    forward_trace(r.net, rows_of(xs, r0, r1), t, L + 1);
    const Tensor& a = t[L + 1];
    const size_t m = a.row_size();
    Tensor g(a.shape()), dx;
    for (int i = r0; i < r1; ++i) {
      g.at((size_t)(i - r0) * m + j) = 1.0f;
      v[i] = a.at((size_t)(i - r0) * m + j);
    }
    backward(r.net, t, L, g, 0, Mode::Gradient, dx);
    std::memcpy(out.data() + (size_t)r0 * d, dx.data(), (size_t)(r1 - r0) * d * sizeof(float));
  });
  if (value) *value = std::move(v);
  return out;
}

}  // namespace

Result neuron_gradient(Run& r, const Tensor& x) {
  const int L = net_layer(r, false);
  if (L < 0) throw std::invalid_argument("neuron_gradient: pick a layer (0 or above), not the input");
  const int j = neuron_index(r, L);
  r.add_work(r.B);
  Result res = empty_result(r, r.net.input);
  res.map = neuron_grads(r, x, L, j);
  return res;
}

Result neuron_integrated_gradients(Run& r, const Tensor& x) {
  const int L = net_layer(r, false);
  if (L < 0) throw std::invalid_argument("neuron_integrated_gradients: pick a layer (0 or above), not the input");
  const int j = neuron_index(r, L), n = r.p.geti("steps");
  std::vector<double> al, w;
  quadrature(r.p.choice("rule"), n, al, w);
  const Tensor base = make_baseline(r, x);
  r.add_work((double)r.B * n + 2.0 * r.B);
  const Tensor g = neuron_grads(r, path(x, base, al), L, j);
  std::vector<float> yx, yb;
  neuron_grads(r, x, L, j, &yx);
  neuron_grads(r, base, L, j, &yb);
  Result res = empty_result(r, r.net.input);
  const size_t d = r.d;
  res.delta.resize(r.B);
  for (int b = 0; b < r.B; ++b) {
    double s = 0;
    for (size_t i = 0; i < d; ++i) {
      double acc = 0;
      for (int k = 0; k < n; ++k) acc += w[k] * g.at(((size_t)b * n + k) * d + i);
      const size_t q = (size_t)b * d + i;
      res.map.at(q) = (float)(acc * ((double)x.at(q) - base.at(q)));
      s += res.map.at(q);
    }
    res.delta[b] = (float)(s - ((double)yx[b] - yb[b]));  // the neuron's own completeness
  }
  return res;
}

Result neuron_conductance(Run& r, const Tensor& x) {
  // (x_i − x'_i) Σ_k w_k ∂f/∂y_j(γ_k) ∂y_j/∂x_i(γ_k): the flow from input i through neuron j to f.
  const int L = net_layer(r, false);
  if (L < 0) throw std::invalid_argument("neuron_conductance: pick a layer (0 or above), not the input");
  const int j = neuron_index(r, L), n = r.p.geti("steps");
  std::vector<double> al, w;
  quadrature(r.p.choice("rule"), n, al, w);
  const Tensor base = make_baseline(r, x);
  r.add_work(2.0 * r.B * n);
  const Tensor pts = path(x, base, al);
  const Tensor dyj = neuron_grads(r, pts, L, j);
  Tensor A, G;
  layer_grad(r, pts, repeat_targets(r.targets, n), L, A, G);
  const size_t m = A.row_size(), d = r.d;
  Result res = empty_result(r, r.net.input);
  for (int b = 0; b < r.B; ++b)
    for (size_t i = 0; i < d; ++i) {
      double acc = 0;
      for (int k = 0; k < n; ++k) {
        const size_t row = (size_t)b * n + k;
        acc += w[k] * G.at(row * m + j) * dyj.at(row * d + i);
      }
      const size_t q = (size_t)b * d + i;
      res.map.at(q) = (float)(acc * ((double)x.at(q) - base.at(q)));
    }
  return res;
}

}  // namespace lab::attr::detail
