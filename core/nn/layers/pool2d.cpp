// MaxPool2D and AvgPool2D, no padding.   x (B, C, H, W) → y (B, C, OH, OW);  OH = (H − size) / stride + 1
// Per-sample work only, parallel over samples (each sample's result is independent of the thread).
#include <algorithm>
#include <cfloat>
#include <stdexcept>
#include <vector>

#include "base/thread_pool.h"
#include "nn/layer_factories.h"

namespace lab::layers {
namespace {

template <class Fn>
void per_sample(LayerCtx& ctx, int B, Fn fn) {
  auto one = [&](size_t b) { fn((int)b); };
  if (ctx.exec.pool && B > 1)
    ctx.exec.pool->parallel_for(B, one);
  else
    for (int b = 0; b < B; ++b) fn(b);
}

class Pool2D : public Layer {
 public:
  Pool2D(bool max, int size, int stride) : max_(max), k_(size), s_(stride) {}
  std::string type() const override { return max_ ? "maxpool2d" : "avgpool2d"; }

  Shape output_shape(const Shape& in) const override {
    if (in.size() != 3)
      throw std::invalid_argument(type() + ": expects an image input (channels, height, width), got shape " + shape_str(in));
    if (in[1] < k_ || in[2] < k_)
      throw std::invalid_argument(type() + ": a " + std::to_string(k_) + "×" + std::to_string(k_) + " window does not fit the input " +
                                  shape_str(in));
    return {in[0], (in[1] - k_) / s_ + 1, (in[2] - k_) / s_ + 1};
  }
  void build(const Shape& in, const std::string&, Rng&) override {
    in_ = in;
    out_ = output_shape(in);
  }

  void forward(const Tensor& x, Tensor& y, LayerCtx& ctx) override {
    const int B = x.dim(0), C = in_[0], H = in_[1], W = in_[2], OH = out_[1], OW = out_[2];
    y.resize({B, C, OH, OW});
    if (max_) argmax_.resize(y.size());
    const float inv = 1.0f / (float)(k_ * k_);
    per_sample(ctx, B, [&](int b) {
      for (int c = 0; c < C; ++c) {
        const float* xp = x.data() + ((size_t)b * C + c) * H * W;
        float* yp = y.data() + ((size_t)b * C + c) * OH * OW;
        int* ap = max_ ? argmax_.data() + ((size_t)b * C + c) * OH * OW : nullptr;
        if (max_ && k_ == 2 && s_ == 2) {  // the common case, unrolled; same first-maximum rule
          for (int oi = 0; oi < OH; ++oi)
            for (int oj = 0; oj < OW; ++oj) {
              const int i00 = (2 * oi) * W + 2 * oj, i01 = i00 + 1, i10 = i00 + W, i11 = i10 + 1;
              int w = i00;
              if (xp[i01] > xp[w]) w = i01;
              if (xp[i10] > xp[w]) w = i10;
              if (xp[i11] > xp[w]) w = i11;
              yp[oi * OW + oj] = xp[w];
              ap[oi * OW + oj] = w;
            }
          continue;
        }
        for (int oi = 0; oi < OH; ++oi)
          for (int oj = 0; oj < OW; ++oj) {
            float best = -FLT_MAX, sum = 0;
            int where = (oi * s_) * W + oj * s_;
            for (int ki = 0; ki < k_; ++ki)
              for (int kj = 0; kj < k_; ++kj) {
                const int idx = (oi * s_ + ki) * W + oj * s_ + kj;
                const float v = xp[idx];
                sum += v;
                if (v > best) {
                  best = v;
                  where = idx;
                }  // first maximum wins (as PyTorch)
              }
            if (max_) {
              yp[oi * OW + oj] = best;
              ap[oi * OW + oj] = where;
            } else
              yp[oi * OW + oj] = sum * inv;
          }
      }
    });
  }

  // max: dy goes to the input that was the maximum; avg: dy / (size²) to every input of the window.
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx& ctx) override {
    if (!dx) return;
    const int B = x.dim(0), C = in_[0], H = in_[1], W = in_[2], OH = out_[1], OW = out_[2];
    dx->resize(x.shape());
    const float inv = 1.0f / (float)(k_ * k_);
    per_sample(ctx, B, [&](int b) {
      for (int c = 0; c < C; ++c) {
        float* dxp = dx->data() + ((size_t)b * C + c) * H * W;
        const float* dyp = dy.data() + ((size_t)b * C + c) * OH * OW;
        std::fill_n(dxp, (size_t)H * W, 0.0f);
        if (max_) {
          const int* ap = argmax_.data() + ((size_t)b * C + c) * OH * OW;
          for (int o = 0; o < OH * OW; ++o) dxp[ap[o]] += dyp[o];
        } else {
          for (int oi = 0; oi < OH; ++oi)
            for (int oj = 0; oj < OW; ++oj)
              for (int ki = 0; ki < k_; ++ki)
                for (int kj = 0; kj < k_; ++kj) dxp[(oi * s_ + ki) * W + oj * s_ + kj] += dyp[oi * OW + oj] * inv;
        }
      }
    });
  }

  LayerSpec spec() const override { return {type(), {{"size", (double)k_}, {"stride", (double)s_}}, {}}; }

 private:
  bool max_;
  int k_, s_;
  Shape out_;
  std::vector<int> argmax_;
};

std::unique_ptr<Layer> make_pool(const LayerSpec& s, bool max) {
  const int size = s.num.count("size") ? (int)s.num.at("size") : 2;
  const int stride = s.num.count("stride") ? (int)s.num.at("stride") : size;
  return std::make_unique<Pool2D>(max, size, stride);
}

}  // namespace

std::unique_ptr<Layer> make_maxpool2d(const LayerSpec& s) { return make_pool(s, true); }
std::unique_ptr<Layer> make_avgpool2d(const LayerSpec& s) { return make_pool(s, false); }

}  // namespace lab::layers
