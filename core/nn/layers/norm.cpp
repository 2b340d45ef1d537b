// Normalisation layers, forward and backward side by side.
//
// batchnorm (PyTorch's BatchNorm1d on (B, F), BatchNorm2d on (B, C, H, W)): per feature / channel c,
//   training:   μ_c, σ²_c = mean and biased variance over the batch (and H, W);
//               y = γ_c · (x − μ_c) / √(σ²_c + ε) + β_c;
//               running_mean ← (1 − m)·running_mean + m·μ_c;  running_var ← (1 − m)·running_var + m·σ²_c·N/(N − 1)
//   inference:  the same with running_mean, running_var in place of μ_c, σ²_c.
//   γ = weight, β = bias (trainable); running_mean, running_var are state (Param::trainable = false): saved
//   in model files, hashed in the digest, never touched by the optimizer.
// layernorm (PyTorch's LayerNorm over the whole per-sample shape): per sample,
//   y = γ ⊙ (x − μ) / √(σ² + ε) + β, μ and σ² (biased) over all of the sample's values; γ, β of the
//   per-sample shape. The same in training and inference.
// Reductions run on one thread in a fixed order (double accumulators): bit-identical on any thread count.
#include <cmath>
#include <stdexcept>

#include "base/rng.h"
#include "nn/layer_factories.h"

namespace lab::layers {
namespace {

// [SECTION] batchnorm ---------------------------------------------------------------------------------

class BatchNorm final : public Layer {
 public:
  BatchNorm(float momentum, float eps) : momentum_(momentum), eps_(eps) {}
  std::string type() const override { return "batchnorm"; }

  Shape output_shape(const Shape& in) const override {
    if (in.size() != 1 && in.size() != 3)
      throw std::invalid_argument("batchnorm: expects features (F) or images (C, H, W), got shape " + shape_str(in));
    return in;
  }

  uint64_t param_values(const Shape& in) const override { return 4 * (uint64_t)in.at(0); }  // γ, β, running mean and variance
  void build(const Shape& in, const std::string&, Rng&) override {
    in_ = in;
    C_ = in[0];
    S_ = in.size() == 3 ? in[1] * in[2] : 1;
    gamma_.resize({C_});
    dgamma_.resize({C_});
    beta_.resize({C_});
    dbeta_.resize({C_});
    rmean_.resize({C_});
    rvar_.resize({C_});
    for (int c = 0; c < C_; ++c) {
      gamma_.at(c) = 1.0f;
      rvar_.at(c) = 1.0f;
    }
  }

  // x, y (B, C[, H, W]).  Training: batch statistics (kept for backward), running ones updated.
  void forward(const Tensor& x, Tensor& y, LayerCtx& ctx) override {
    const int B = x.dim(0);
    y.resize(x.shape());
    mean_.assign(C_, 0.0f);
    inv_std_.assign(C_, 0.0f);
    const double N = (double)B * S_;
    for (int c = 0; c < C_; ++c) {
      float mu, var;
      if (ctx.training) {
        double s = 0, ss = 0;
        for (int b = 0; b < B; ++b) {
          const float* xc = x.data() + ((size_t)b * C_ + c) * S_;
          for (int k = 0; k < S_; ++k) s += xc[k];
        }
        const double m = s / N;
        for (int b = 0; b < B; ++b) {
          const float* xc = x.data() + ((size_t)b * C_ + c) * S_;
          for (int k = 0; k < S_; ++k) ss += (xc[k] - m) * (xc[k] - m);
        }
        mu = (float)m;
        var = (float)(ss / N);
        const float unbiased = N > 1 ? (float)(ss / (N - 1)) : var;
        rmean_.at(c) = (1.0f - momentum_) * rmean_.at(c) + momentum_ * mu;
        rvar_.at(c) = (1.0f - momentum_) * rvar_.at(c) + momentum_ * unbiased;
      } else {
        mu = rmean_.at(c);
        var = rvar_.at(c);
      }
      const float inv = 1.0f / std::sqrt(var + eps_);
      mean_[c] = mu;
      inv_std_[c] = inv;
      const float g = gamma_.at(c), bt = beta_.at(c);
      for (int b = 0; b < B; ++b) {
        const float* xc = x.data() + ((size_t)b * C_ + c) * S_;
        float* yc = y.data() + ((size_t)b * C_ + c) * S_;
        for (int k = 0; k < S_; ++k) yc[k] = g * ((xc[k] - mu) * inv) + bt;
      }
    }
    training_ = ctx.training;
  }

  // x̂ = (x − μ)·inv;  dγ = Σ dy·x̂;  dβ = Σ dy;
  // training:  dx = γ·inv · (dy − mean(dy) − x̂·mean(dy·x̂))   (μ, σ² depend on x)
  // inference: dx = γ·inv · dy                                  (running statistics are constants)
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx& ctx) override {
    const int B = x.dim(0);
    const double N = (double)B * S_;
    if (dx) dx->resize(x.shape());
    if (ctx.param_grads && !ctx.accumulate) {
      dgamma_.zero();
      dbeta_.zero();
    }
    for (int c = 0; c < C_; ++c) {
      const float mu = mean_[c], inv = inv_std_[c], g = gamma_.at(c);
      double sdy = 0, sdyx = 0;
      for (int b = 0; b < B; ++b) {
        const float* xc = x.data() + ((size_t)b * C_ + c) * S_;
        const float* dyc = dy.data() + ((size_t)b * C_ + c) * S_;
        for (int k = 0; k < S_; ++k) {
          sdy += dyc[k];
          sdyx += (double)dyc[k] * ((xc[k] - mu) * inv);
        }
      }
      if (ctx.param_grads) {
        dgamma_.at(c) += (float)sdyx;
        dbeta_.at(c) += (float)sdy;
      }
      if (!dx) continue;
      const float mdy = (float)(sdy / N), mdyx = (float)(sdyx / N), scale = g * inv;
      for (int b = 0; b < B; ++b) {
        const float* xc = x.data() + ((size_t)b * C_ + c) * S_;
        const float* dyc = dy.data() + ((size_t)b * C_ + c) * S_;
        float* dxc = dx->data() + ((size_t)b * C_ + c) * S_;
        for (int k = 0; k < S_; ++k) {
          if (training_)
            dxc[k] = scale * (dyc[k] - mdy - ((xc[k] - mu) * inv) * mdyx);
          else
            dxc[k] = scale * dyc[k];
        }
      }
    }
  }

  std::vector<Param> params() override {
    return {{"weight", &gamma_, &dgamma_, false},
            {"bias", &beta_, &dbeta_, false},
            {"running_mean", &rmean_, nullptr, false, false},
            {"running_var", &rvar_, nullptr, false, false}};
  }

  LayerSpec spec() const override { return {"batchnorm", {{"momentum", (double)momentum_}, {"eps", (double)eps_}}, {}}; }

 private:
  float momentum_, eps_;
  int C_ = 0, S_ = 1;
  bool training_ = false;
  Tensor gamma_, dgamma_, beta_, dbeta_, rmean_, rvar_;
  std::vector<float> mean_, inv_std_;  // of the last forward (batch or running statistics), per channel
};

// [SECTION] layernorm ---------------------------------------------------------------------------------

class LayerNorm final : public Layer {
 public:
  explicit LayerNorm(float eps) : eps_(eps) {}
  std::string type() const override { return "layernorm"; }
  Shape output_shape(const Shape& in) const override { return in; }

  uint64_t param_values(const Shape& in) const override { return 2 * (uint64_t)shape_size(in); }  // γ, β
  void build(const Shape& in, const std::string&, Rng&) override {
    in_ = in;
    D_ = (int)shape_size(in);
    gamma_.resize(in);
    dgamma_.resize(in);
    beta_.resize(in);
    dbeta_.resize(in);
    for (size_t i = 0; i < gamma_.size(); ++i) gamma_.at(i) = 1.0f;
  }

  // x, y (B, shape...): each sample normalised over all of its D values.
  void forward(const Tensor& x, Tensor& y, LayerCtx&) override {
    const int B = x.dim(0);
    y.resize(x.shape());
    mean_.assign(B, 0.0f);
    inv_std_.assign(B, 0.0f);
    for (int b = 0; b < B; ++b) {
      const float* xb = x.data() + (size_t)b * D_;
      float* yb = y.data() + (size_t)b * D_;
      double s = 0, ss = 0;
      for (int k = 0; k < D_; ++k) s += xb[k];
      const double m = s / D_;
      for (int k = 0; k < D_; ++k) ss += (xb[k] - m) * (xb[k] - m);
      const float mu = (float)m, inv = 1.0f / std::sqrt((float)(ss / D_) + eps_);
      mean_[b] = mu;
      inv_std_[b] = inv;
      for (int k = 0; k < D_; ++k) yb[k] = gamma_.at(k) * ((xb[k] - mu) * inv) + beta_.at(k);
    }
  }

  // g = dy ⊙ γ;  dx = inv · (g − mean(g) − x̂·mean(g ⊙ x̂));  dγ = Σ_b dy ⊙ x̂;  dβ = Σ_b dy
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx& ctx) override {
    const int B = x.dim(0);
    if (dx) dx->resize(x.shape());
    if (ctx.param_grads && !ctx.accumulate) {
      dgamma_.zero();
      dbeta_.zero();
    }
    for (int b = 0; b < B; ++b) {  // fixed order over the batch: deterministic parameter gradients
      const float* xb = x.data() + (size_t)b * D_;
      const float* dyb = dy.data() + (size_t)b * D_;
      const float mu = mean_[b], inv = inv_std_[b];
      double sg = 0, sgx = 0;
      for (int k = 0; k < D_; ++k) {
        const float xh = (xb[k] - mu) * inv, g = dyb[k] * gamma_.at(k);
        sg += g;
        sgx += (double)g * xh;
        if (ctx.param_grads) {
          dgamma_.at(k) += dyb[k] * xh;
          dbeta_.at(k) += dyb[k];
        }
      }
      if (!dx) continue;
      const float mg = (float)(sg / D_), mgx = (float)(sgx / D_);
      float* dxb = dx->data() + (size_t)b * D_;
      for (int k = 0; k < D_; ++k) dxb[k] = inv * (dyb[k] * gamma_.at(k) - mg - ((xb[k] - mu) * inv) * mgx);
    }
  }

  std::vector<Param> params() override { return {{"weight", &gamma_, &dgamma_, false}, {"bias", &beta_, &dbeta_, false}}; }
  LayerSpec spec() const override { return {"layernorm", {{"eps", (double)eps_}}, {}}; }

 private:
  float eps_;
  int D_ = 0;
  Tensor gamma_, dgamma_, beta_, dbeta_;
  std::vector<float> mean_, inv_std_;  // per sample of the last forward
};

}  // namespace

std::unique_ptr<Layer> make_batchnorm(const LayerSpec& s) {
  return std::make_unique<BatchNorm>((float)(s.num.count("momentum") ? s.num.at("momentum") : 0.1),
                                     (float)(s.num.count("eps") ? s.num.at("eps") : 1e-5));
}

std::unique_ptr<Layer> make_layernorm(const LayerSpec& s) {
  return std::make_unique<LayerNorm>((float)(s.num.count("eps") ? s.num.at("eps") : 1e-5));
}

}  // namespace lab::layers
