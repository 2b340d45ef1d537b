// Dense (fully connected): y = x·Wᵀ + b.   x (B, in), W (out, in), b (out), y (B, out)
#include <stdexcept>

#include "base/rng.h"
#include "kernels/matmul.h"
#include "nn/init.h"
#include "nn/layer_factories.h"

namespace lab::layers {
namespace {

class Dense final : public Layer {
 public:
  Dense(int units, bool bias) : units_(units), use_bias_(bias) {}
  std::string type() const override { return "dense"; }

  Shape output_shape(const Shape& in) const override {
    if (in.size() != 1)
      throw std::invalid_argument("dense: expects a flat input of features, got shape " + shape_str(in) +
                                  "; add a flatten layer before it");
    return {units_};
  }

  uint64_t param_values(const Shape& in) const override { return (uint64_t)units_ * (uint64_t)in.at(0) + (use_bias_ ? units_ : 0); }
  void build(const Shape& in, const std::string& init, Rng& rng) override {
    in_ = in;
    const int n_in = in.at(0);
    w_.resize({units_, n_in});
    dw_.resize({units_, n_in});
    initialize(init, w_, n_in, units_, rng);
    if (use_bias_) {
      b_.resize({units_});
      db_.resize({units_});
    }
  }

  // y (B, out) = x (B, in) · Wᵀ (in, out) + b
  void forward(const Tensor& x, Tensor& y, LayerCtx& ctx) override {
    const int B = x.dim(0), n_in = in_[0];
    y.resize({B, units_});
    matmul(ctx.exec, {B, units_, n_in, x.data(), n_in, false, w_.data(), n_in, true, y.data(), units_, false});
    if (use_bias_)
      for (int i = 0; i < B; ++i) {
        float* row = y.data() + (size_t)i * units_;
        for (int j = 0; j < units_; ++j) row[j] += b_.at(j);
      }
  }

  // dW (out, in) += dyᵀ (out, B) · x (B, in);  db (out) += Σ_B dy;  dx (B, in) = dy (B, out) · W (out, in)
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx& ctx) override {
    const int B = x.dim(0), n_in = in_[0];
    if (ctx.param_grads)
      matmul(ctx.exec, {units_, n_in, B, dy.data(), units_, true, x.data(), n_in, false, dw_.data(), n_in, ctx.accumulate});
    if (use_bias_ && ctx.param_grads) {
      if (!ctx.accumulate) db_.zero();
      for (int i = 0; i < B; ++i) {  // fixed order: deterministic
        const float* row = dy.data() + (size_t)i * units_;
        for (int j = 0; j < units_; ++j) db_.at(j) += row[j];
      }
    }
    if (dx) {
      dx->resize(x.shape());
      matmul(ctx.exec, {B, n_in, units_, dy.data(), units_, false, w_.data(), n_in, false, dx->data(), n_in, false});
    }
  }

  std::vector<Param> params() override {
    std::vector<Param> p{{"weight", &w_, &dw_, true}};
    if (use_bias_) p.push_back({"bias", &b_, &db_, false});
    return p;
  }

  LayerSpec spec() const override {
    LayerSpec s{"dense", {{"units", (double)units_}}, {}};
    if (!use_bias_) s.num["bias"] = 0;
    return s;
  }

 private:
  int units_;
  bool use_bias_;
  Tensor w_, dw_, b_, db_;
};

}  // namespace

std::unique_ptr<Layer> make_dense(const LayerSpec& s) {
  return std::make_unique<Dense>((int)s.num.at("units"), s.num.count("bias") ? s.num.at("bias") != 0 : true);
}

}  // namespace lab::layers
