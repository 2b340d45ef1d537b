// The attribution Net: traces, and the backward passes with their per-layer rules (attr_net.h).
//
// [SECTION] Net construction: net_of, the input crop (DiFull heads)
// [SECTION] forward and the gradient / guided / deconvolution backward
// [SECTION] DeepLIFT (rescale)
// [SECTION] LRP rules
#include "interp/attribution/attr_net.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "base/rng.h"
#include "nn/model.h"

namespace lab::attr {

using detail::Trace;

// ------------------------------------------------------------------------------------------------------
// [SECTION] Net construction
// ------------------------------------------------------------------------------------------------------
Net net_of(Model& model, const Exec& exec) {
  Net n;
  n.model = &model;
  n.input = model.input_shape();
  n.exec = exec;
  n.shapes.push_back(n.input);
  for (size_t i = 0; i < model.num_layers(); ++i) {
    n.layers.push_back(&model.layer(i));
    n.shapes.push_back(model.layer_output_shape(i));
  }
  return n;
}

Net crop_net(Model& model, const Exec& exec, const Shape& full, int y0, int x0) {
  const Shape& in = model.input_shape();
  if (in.size() != 3 || full.size() != 3 || full[0] != in[0] || y0 < 0 || x0 < 0 || y0 + in[1] > full[1] || x0 + in[2] > full[2])
    throw std::invalid_argument("crop_net: a " + shape_str(in) + " model does not fit at (" + std::to_string(y0) + ", " +
                                std::to_string(x0) + ") of a " + shape_str(full) + " input");
  Net n = net_of(model, exec);
  n.crop = {.on = true, .full = full, .y0 = y0, .x0 = x0};
  n.input = full;
  return n;
}

namespace detail {

LrpKind lrp_rule_of(const Layer& l) {
  const LayerInfo* i = layer_registry().find(l.type());
  return i ? i->lrp : LrpKind::None;
}

DeepLiftKind deeplift_rule_of(const Layer& l) {
  const LayerInfo* i = layer_registry().find(l.type());
  return i ? i->deeplift : DeepLiftKind::None;
}

void require_rules(const Net& net, const char* method, bool lrp) {
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = *net.layers[i];
    if (lrp ? lrp_rule_of(l) != LrpKind::None : deeplift_rule_of(l) != DeepLiftKind::None) continue;
    throw std::invalid_argument(std::string(method) + ": layer " + std::to_string(i) + " (" + l.type() + ") has no " +
                                (lrp ? "LRP" : "DeepLIFT") + " rule; use a gradient or perturbation method");
  }
}

bool is_param_layer(const Layer& l) { return lrp_rule_of(l) == LrpKind::Weighted; }

std::string activation_of(const Layer& l) {
  if (l.type() != "activation") return "";
  auto s = l.spec();
  auto it = s.str.find("activation");
  return it == s.str.end() ? "linear" : it->second;
}

Tensor rows_of(const Tensor& t, int r0, int r1) {
  Shape s = t.shape();
  s[0] = r1 - r0;
  Tensor out(s);
  const size_t rs = t.row_size();
  std::memcpy(out.data(), t.data() + (size_t)r0 * rs, (size_t)(r1 - r0) * rs * sizeof(float));
  return out;
}

Tensor repeat(const float* sample, const Shape& shape, int B) {
  Shape s{B};
  s.insert(s.end(), shape.begin(), shape.end());
  Tensor out(s);
  const size_t n = shape_size(shape);
  for (int b = 0; b < B; ++b) std::memcpy(out.data() + (size_t)b * n, sample, n * sizeof(float));
  return out;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] forward and the gradient / guided / deconvolution backward
// ------------------------------------------------------------------------------------------------------
LayerCtx infer_ctx(const Net& net) {
  LayerCtx ctx;
  ctx.exec = net.exec;
  ctx.training = false;
  ctx.param_grads = false;
  return ctx;
}

const Tensor& Trace::operator[](size_t i) const { return model->activity(i); }
const Tensor& Trace::back() const { return model->activity(model->num_layers()); }

namespace {

// The layer's own backward, for the first dy.dim(0) rows of its trace (the trace may hold more rows).
void plain_backward(Layer& l, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx, LayerCtx& ctx) {
  const int B = dy.dim(0);
  if (x.dim(0) == B) {
    l.backward(x, y, dy, &dx, ctx);
    return;
  }
  Tensor xs = rows_of(x, 0, B), ys = rows_of(y, 0, B);
  l.backward(xs, ys, dy, &dx, ctx);
}

// Copies between the full input (B, C, H, W) and the model's (B, C, h, w) = its rows [y0, y0+h), columns
// [x0, x0+w). to_full: pastes `from` (model-shaped) into zeros; else crops `from` (full-shaped).
void crop_copy(const InputCrop& c, const Shape& in, const Tensor& from, Tensor& to, bool to_full) {
  const int B = from.dim(0), C = c.full[0], H = c.full[1], W = c.full[2], h = in[1], w = in[2];
  to.resize(to_full ? Shape{B, C, H, W} : Shape{B, C, h, w});
  if (to_full) to.zero();
  for (int b = 0; b < B; ++b)
    for (int ch = 0; ch < C; ++ch)
      for (int i = 0; i < h; ++i) {
        const size_t full = (((size_t)b * C + ch) * H + c.y0 + i) * W + c.x0, part = (((size_t)b * C + ch) * h + i) * w;
        if (to_full)
          std::memcpy(to.data() + full, from.data() + part, sizeof(float) * w);
        else
          std::memcpy(to.data() + part, from.data() + full, sizeof(float) * w);
      }
}

}  // namespace

void to_net_input(const Net& net, Tensor& g) {
  if (!net.crop.on) return;
  Tensor full;
  crop_copy(net.crop, net.shapes[0], g, full, true);
  g = std::move(full);
}

void forward_trace(const Net& net, const Tensor& x, Trace& t, int upto) {
  const size_t n = upto < 0 ? net.layers.size() : (size_t)upto;
  LayerCtx ctx = infer_ctx(net);
  t.model = net.model;
  if (!net.crop.on) {
    net.model->forward(x, ctx, n);
    return;
  }
  Tensor part;
  crop_copy(net.crop, net.shapes[0], x, part, false);
  net.model->forward(part, ctx, n);
}

void backward(const Net& net, const Trace& t, int top, const Tensor& g, int bottom, Mode mode, Tensor& out) {
  LayerCtx ctx = infer_ctx(net);
  Tensor cur = g, next;
  for (int i = top; i >= bottom; --i) {
    Layer& l = *net.layers[i];
    const Tensor& x = t[i];
    const std::string act = activation_of(l);
    if (mode != Mode::Gradient && act == "relu") {
      next.resize(x.shape());
      for (size_t k = 0; k < cur.size(); ++k) {
        const float gk = cur.at(k);
        next.at(k) = mode == Mode::Guided ? (x.at(k) > 0 && gk > 0 ? gk : 0.0f) : std::max(gk, 0.0f);
      }
    } else {
      plain_backward(l, x, t[i + 1], cur, next, ctx);
    }
    std::swap(cur, next);
  }
  if (bottom == 0) to_net_input(net, cur);
  out = std::move(cur);
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] DeepLIFT (rescale)
// ------------------------------------------------------------------------------------------------------
void deeplift_backward(const Net& net, const Trace& pair, int B, const Tensor& g, Tensor& out, float eps) {
  LayerCtx ctx = infer_ctx(net);
  Tensor cur = g, next;
  for (int i = (int)net.layers.size() - 1; i >= 0; --i) {
    Layer& l = *net.layers[i];
    const Tensor& x = pair[i];
    const Tensor& y = pair[i + 1];
    const size_t xin = x.row_size(), yout = y.row_size();
    const DeepLiftKind rule = deeplift_rule_of(l);
    const std::string act = activation_of(l);
    if (rule == DeepLiftKind::Rescale && act != "linear") {
      // Δy/Δx where the input moved, else the gradient at x.
      Tensor grad;
      plain_backward(l, x, y, cur, grad, ctx);
      next.resize(grad.shape());
      for (int b = 0; b < B; ++b) {
        const float* xa = x.data() + (size_t)b * xin;
        const float* xr = x.data() + (size_t)(b + B) * xin;
        const float* ya = y.data() + (size_t)b * yout;
        const float* yr = y.data() + (size_t)(b + B) * yout;
        const float* gb = cur.data() + (size_t)b * yout;
        float* nb = next.data() + (size_t)b * xin;
        const float* gr = grad.data() + (size_t)b * xin;
        for (size_t k = 0; k < xin; ++k) {
          const float dx = xa[k] - xr[k];
          nb[k] = std::fabs(dx) < eps ? gr[k] : gb[k] * (ya[k] - yr[k]) / dx;
        }
        if (act == "softmax") {  // captum: the rescaled gradient minus its mean
          double s = 0;
          for (size_t k = 0; k < xin; ++k) s += nb[k];
          const float mean = (float)(s / (double)xin);
          for (size_t k = 0; k < xin; ++k) nb[k] -= mean;
        }
      }
    } else if (rule == DeepLiftKind::MaxPool) {
      // Each window's Δy goes to the element where max(x, x') is largest (first maximum), as Δy/Δx there.
      const auto s = l.spec();
      const int k = (int)s.num.at("size"), st = (int)s.num.at("stride");
      const Shape& in = net.shapes[i];
      const Shape& o = net.shapes[i + 1];
      const int C = in[0], H = in[1], W = in[2], OH = o[1], OW = o[2];
      Shape sh = x.shape();
      sh[0] = B;
      next.resize(sh);
      next.zero();
      for (int b = 0; b < B; ++b)
        for (int c = 0; c < C; ++c) {
          const float* xa = x.data() + ((size_t)b * C + c) * H * W;
          const float* xr = x.data() + ((size_t)(b + B) * C + c) * H * W;
          const float* ya = y.data() + ((size_t)b * C + c) * OH * OW;
          const float* yr = y.data() + ((size_t)(b + B) * C + c) * OH * OW;
          const float* gb = cur.data() + ((size_t)b * C + c) * OH * OW;
          float* nb = next.data() + ((size_t)b * C + c) * H * W;
          for (int oi = 0; oi < OH; ++oi)
            for (int oj = 0; oj < OW; ++oj) {
              int best = (oi * st) * W + oj * st;
              float bv = -INFINITY;
              int xbest = best;
              float xbv = -INFINITY;
              for (int ki = 0; ki < k; ++ki)
                for (int kj = 0; kj < k; ++kj) {
                  const int idx = (oi * st + ki) * W + oj * st + kj;
                  const float v = std::max(xa[idx], xr[idx]);
                  if (v > bv) {
                    bv = v;
                    best = idx;
                  }
                  if (xa[idx] > xbv) {
                    xbv = xa[idx];
                    xbest = idx;
                  }
                }
              const int o_ = oi * OW + oj;
              const float dx = xa[best] - xr[best];
              if (std::fabs(dx) < eps)
                nb[xbest] += gb[o_];  // nothing moved: the gradient
              else
                nb[best] += gb[o_] * (ya[o_] - yr[o_]) / dx;
            }
        }
    } else if (rule == DeepLiftKind::Linear || rule == DeepLiftKind::Rescale) {  // (a linear activation's Δy/Δx is 1)
      plain_backward(l, x, y, cur, next, ctx);
    } else {
      throw std::invalid_argument("deeplift: layer " + std::to_string(i) + " (" + l.type() + ") has no DeepLIFT rule");
    }
    std::swap(cur, next);
  }
  to_net_input(net, cur);
  out = std::move(cur);
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] LRP rules
// ------------------------------------------------------------------------------------------------------
namespace {

float stab(float z, float eps) { return z + (z >= 0 ? eps : -eps); }

// A copy of a dense/conv layer with its weight and bias replaced by fw(w) and fb(b).
template <class FW, class FB>
std::unique_ptr<Layer> modified(Layer& l, const Shape& in, FW fw, FB fb) {
  LayerSpec s = l.spec();
  auto m = make_layer(s);
  Rng rng(0);
  m->build(in, "zeros", rng);
  auto src = l.params();
  auto dst = m->params();
  for (size_t p = 0; p < src.size(); ++p) {
    const bool bias = src[p].name == "bias";
    for (size_t k = 0; k < src[p].value->size(); ++k) dst[p].value->at(k) = bias ? fb(src[p].value->at(k)) : fw(src[p].value->at(k));
  }
  return m;
}

void fwd(Layer& l, const Tensor& x, Tensor& z, LayerCtx& ctx) { l.forward(x, z, ctx); }
void bwd(Layer& l, const Tensor& x, const Tensor& z, const Tensor& s, Tensor& c, LayerCtx& ctx) { l.backward(x, z, s, &c, ctx); }

Tensor map(const Tensor& t, float (*f)(float)) {
  Tensor o(t.shape());
  for (size_t i = 0; i < t.size(); ++i) o.at(i) = f(t.at(i));
  return o;
}
float pos(float v) { return v > 0 ? v : 0.0f; }
float neg(float v) { return v < 0 ? v : 0.0f; }
float zero(float) { return 0.0f; }
float one(float) { return 1.0f; }
float sq(float v) { return v * v; }

void add_to(Tensor& a, const Tensor& b, float scale = 1) {
  for (size_t i = 0; i < a.size(); ++i) a.at(i) += scale * b.at(i);
}

// R_in for one dense/conv layer. x (B, in...), z the layer's output (B, out...), R (B, out...).
void lrp_param_layer(Layer& l, const Shape& in_shape, const Tensor& x, const Tensor& z, const Tensor& R, const LrpRule& r, Tensor& out,
                     LayerCtx& ctx) {
  const std::string& n = r.name;
  const float st = 1e-6f;  // zennit's stabilizer for the non-ε rules
  out.resize(x.shape());
  out.zero();
  Tensor zz, s, c;
  if (n == "epsilon") {
    s.resize(z.shape());
    for (size_t i = 0; i < s.size(); ++i) s.at(i) = R.at(i) / stab(z.at(i), r.epsilon);
    bwd(l, x, z, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) = x.at(i) * c.at(i);
    return;
  }
  if (n == "alpha_beta" || n == "zplus") {
    const float alpha = n == "zplus" ? 1.0f : r.alpha, beta = n == "zplus" ? 0.0f : r.beta;
    const Tensor xp = map(x, pos), xn = map(x, neg);
    auto lp = modified(l, in_shape, pos, pos), ln0 = modified(l, in_shape, neg, zero);   // W⁺,b⁺ ; W⁻,0
    auto lnb = modified(l, in_shape, neg, neg), lp0 = modified(l, in_shape, pos, zero);  // W⁻,b⁻ ; W⁺,0
    // α part: z_α = W⁺x⁺ + W⁻x⁻ + b⁺
    Tensor za, t;
    fwd(*lp, xp, za, ctx);
    fwd(*ln0, xn, t, ctx);
    add_to(za, t);
    s.resize(za.shape());
    for (size_t i = 0; i < s.size(); ++i) s.at(i) = R.at(i) / stab(za.at(i), st);
    bwd(*lp, xp, za, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) += alpha * xp.at(i) * c.at(i);
    bwd(*ln0, xn, za, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) += alpha * xn.at(i) * c.at(i);
    if (beta != 0) {  // β part: z_β = W⁻x⁺ + W⁺x⁻ + b⁻
      Tensor zb;
      fwd(*lnb, xp, zb, ctx);
      fwd(*lp0, xn, t, ctx);
      add_to(zb, t);
      for (size_t i = 0; i < s.size(); ++i) s.at(i) = R.at(i) / stab(zb.at(i), st);
      bwd(*lnb, xp, zb, s, c, ctx);
      for (size_t i = 0; i < out.size(); ++i) out.at(i) -= beta * xp.at(i) * c.at(i);
      bwd(*lp0, xn, zb, s, c, ctx);
      for (size_t i = 0; i < out.size(); ++i) out.at(i) -= beta * xn.at(i) * c.at(i);
    }
    return;
  }
  if (n == "gamma") {
    const float g = r.gamma;
    auto fp = [g](float v) { return v + g * (v > 0 ? v : 0.0f); };
    auto fn = [g](float v) { return v + g * (v < 0 ? v : 0.0f); };
    auto lp = modified(l, in_shape, fp, fp), ln = modified(l, in_shape, fn, fn);  // W_p, b_p ; W_n, b_n
    auto lp0 = modified(l, in_shape, fp, zero), ln0 = modified(l, in_shape, fn, zero);
    const Tensor xp = map(x, pos), xn = map(x, neg);
    Tensor a, t;
    // outputs > 0: z_p = W_p x⁺ + W_n x⁻ + b_p
    fwd(*lp, xp, a, ctx);
    fwd(*ln0, xn, t, ctx);
    add_to(a, t);
    s.resize(a.shape());
    for (size_t i = 0; i < s.size(); ++i) s.at(i) = z.at(i) > 0 ? R.at(i) / stab(a.at(i), st) : 0.0f;
    bwd(*lp, xp, a, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) += xp.at(i) * c.at(i);
    bwd(*ln0, xn, a, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) += xn.at(i) * c.at(i);
    // outputs < 0: z_n = W_n x⁺ + W_p x⁻ + b_n
    fwd(*ln, xp, a, ctx);
    fwd(*lp0, xn, t, ctx);
    add_to(a, t);
    for (size_t i = 0; i < s.size(); ++i) s.at(i) = z.at(i) < 0 ? R.at(i) / stab(a.at(i), st) : 0.0f;
    bwd(*ln, xp, a, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) += xp.at(i) * c.at(i);
    bwd(*lp0, xn, a, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) += xn.at(i) * c.at(i);
    return;
  }
  if (n == "w_square" || n == "flat") {
    auto lw = n == "flat" ? modified(l, in_shape, one, zero) : modified(l, in_shape, sq, sq);
    Tensor ones(x.shape());
    for (size_t i = 0; i < ones.size(); ++i) ones.at(i) = 1.0f;
    fwd(*lw, ones, zz, ctx);
    s.resize(zz.shape());
    for (size_t i = 0; i < s.size(); ++i) s.at(i) = R.at(i) / stab(zz.at(i), st);
    bwd(*lw, ones, zz, s, out, ctx);
    return;
  }
  if (n == "zbox") {
    auto l0 = modified(
        l, in_shape, [](float v) { return v; }, zero);
    auto lp0 = modified(l, in_shape, pos, zero), ln0 = modified(l, in_shape, neg, zero);
    Tensor lo(x.shape()), hi(x.shape()), t;
    for (size_t i = 0; i < lo.size(); ++i) {
      lo.at(i) = r.low;
      hi.at(i) = r.high;
    }
    fwd(*l0, x, zz, ctx);
    fwd(*lp0, lo, t, ctx);
    add_to(zz, t, -1);
    fwd(*ln0, hi, t, ctx);
    add_to(zz, t, -1);
    s.resize(zz.shape());
    for (size_t i = 0; i < s.size(); ++i) s.at(i) = R.at(i) / stab(zz.at(i), st);
    bwd(*l0, x, zz, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) += x.at(i) * c.at(i);
    bwd(*lp0, lo, zz, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) -= r.low * c.at(i);
    bwd(*ln0, hi, zz, s, c, ctx);
    for (size_t i = 0; i < out.size(); ++i) out.at(i) -= r.high * c.at(i);
    return;
  }
  throw std::invalid_argument("lrp: unknown rule '" + n + "' (known: epsilon, gamma, alpha_beta, zplus, flat, w_square, zbox)");
}

}  // namespace

void lrp_backward(const Net& net, const Trace& t, const Tensor& R, const std::vector<LrpRule>& rules, Tensor& out) {
  LayerCtx ctx = infer_ctx(net);
  Tensor cur = R, next;
  for (int i = (int)net.layers.size() - 1; i >= 0; --i) {
    Layer& l = *net.layers[i];
    const Tensor& x = t[i];
    const Tensor& y = t[i + 1];
    const LrpKind rule = lrp_rule_of(l);
    if (rule == LrpKind::Weighted) {
      lrp_param_layer(l, net.shapes[i], x, y, cur, rules.at(i), next, ctx);
    } else if (rule == LrpKind::Epsilon) {
      Tensor s(y.shape()), c;
      for (size_t k = 0; k < s.size(); ++k) s.at(k) = cur.at(k) / stab(y.at(k), 1e-9f);
      l.backward(x, y, s, &c, ctx);
      next.resize(x.shape());
      for (size_t k = 0; k < next.size(); ++k) next.at(k) = x.at(k) * c.at(k);
    } else if (rule == LrpKind::Pass) {
      next = cur;  // relevance passes through activations unchanged
      next.resize(x.shape());
    } else if (rule == LrpKind::Reshape) {
      l.backward(x, y, cur, &next, ctx);  // flatten, dropout (inference: identity): reshapes
    } else {
      throw std::invalid_argument("lrp: layer " + std::to_string(i) + " (" + l.type() + ") has no LRP rule");
    }
    std::swap(cur, next);
  }
  to_net_input(net, cur);
  out = std::move(cur);
}

}  // namespace detail

Tensor forward(const Net& net, const Tensor& x, Resume* resume) {
  Trace t;
  if (!resume) {
    detail::forward_trace(net, x, t);
    return t.back();
  }
  const int rows = x.dim(0);
  Shape s{rows};
  s.insert(s.end(), net.shapes.back().begin(), net.shapes.back().end());
  Tensor y(s);
  const size_t od = net.out_size();
  Resume::batches(resume, rows, std::max(1, rows), {{y.data(), od}}, [&](int r0, int r1) {
    detail::forward_trace(net, detail::rows_of(x, r0, r1), t);
    std::memcpy(y.data() + (size_t)r0 * od, t.back().data(), (size_t)(r1 - r0) * od * sizeof(float));
  });
  return y;
}

}  // namespace lab::attr
