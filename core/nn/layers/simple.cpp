// Layers without parameters: Flatten, Dropout, Activation.
#include <stdexcept>
#include <vector>

#include "base/rng.h"
#include "nn/activations.h"
#include "nn/layer_factories.h"

namespace lab::layers {
namespace {

// (B, d1, d2, ...) → (B, d1·d2·…); a view-like copy.
class Flatten final : public Layer {
 public:
  std::string type() const override { return "flatten"; }
  Shape output_shape(const Shape& in) const override { return {(int)shape_size(in)}; }
  void forward(const Tensor& x, Tensor& y, LayerCtx&) override {
    y.resize({x.dim(0), (int)x.row_size()});
    std::copy(x.data(), x.data() + x.size(), y.data());
  }
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx&) override {
    if (!dx) return;
    dx->resize(x.shape());
    std::copy(dy.data(), dy.data() + dy.size(), dx->data());
  }
  LayerSpec spec() const override { return {"flatten", {}, {}}; }
};

// Inverted dropout: in training each element is zeroed with probability `rate` and the rest scaled by
// 1 / (1 − rate); at evaluation it is the identity. The mask comes from the context's seeded Rng.
class Dropout final : public Layer {
 public:
  explicit Dropout(float rate) : rate_(rate) {}
  std::string type() const override { return "dropout"; }
  Shape output_shape(const Shape& in) const override { return in; }
  void forward(const Tensor& x, Tensor& y, LayerCtx& ctx) override {
    y.resize(x.shape());
    const bool active = ctx.training && rate_ > 0 && ctx.rng;
    mask_.assign(active ? x.size() : 0, 0.0f);
    if (!active) {
      std::copy(x.data(), x.data() + x.size(), y.data());
      return;
    }
    const float keep = 1.0f / (1.0f - rate_);
    for (size_t i = 0; i < x.size(); ++i) {
      mask_[i] = ctx.rng->uniform01() >= rate_ ? keep : 0.0f;
      y.at(i) = x.at(i) * mask_[i];
    }
  }
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx&) override {
    if (!dx) return;
    dx->resize(x.shape());
    if (mask_.size() != dy.size()) {  // the forward was the identity
      std::copy(dy.data(), dy.data() + dy.size(), dx->data());
      return;
    }
    for (size_t i = 0; i < dy.size(); ++i) dx->at(i) = dy.at(i) * mask_[i];
  }
  LayerSpec spec() const override { return {"dropout", {{"rate", (double)rate_}}, {}}; }

 private:
  float rate_;
  std::vector<float> mask_;
};

// An activation function as a layer. Softmax acts along the features of each sample.
class Activation final : public Layer {
 public:
  explicit Activation(const ActivationInfo& a) : a_(a) {}
  std::string type() const override { return "activation"; }
  Shape output_shape(const Shape& in) const override { return in; }
  void forward(const Tensor& x, Tensor& y, LayerCtx&) override {
    y.resize(x.shape());
    a_.forward(x.data(), y.data(), x.dim(0), (int)x.row_size());
  }
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx, LayerCtx&) override {
    if (!dx) return;
    dx->resize(x.shape());
    a_.backward(x.data(), y.data(), dy.data(), dx->data(), x.dim(0), (int)x.row_size());
  }
  LayerSpec spec() const override { return {"activation", {}, {{"activation", a_.name}}}; }

 private:
  const ActivationInfo& a_;
};

}  // namespace

std::unique_ptr<Layer> make_flatten(const LayerSpec&) { return std::make_unique<Flatten>(); }
std::unique_ptr<Layer> make_dropout(const LayerSpec& s) {
  return std::make_unique<Dropout>(s.num.count("rate") ? (float)s.num.at("rate") : 0.5f);
}
std::unique_ptr<Layer> make_activation(const LayerSpec& s) {
  auto it = s.str.find("activation");
  return std::make_unique<Activation>(activation(it == s.str.end() ? "linear" : it->second));
}

}  // namespace lab::layers
