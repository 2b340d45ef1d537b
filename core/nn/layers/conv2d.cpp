// Conv2D by im2col + matrix multiply.
//   x (B, C, H, W), W (F, C, KH, KW), b (F), y (B, F, OH, OW);  OH = (H + 2·pad − KH) / stride + 1
// Work is split over samples in a fixed number of chunks (independent of the thread count); the
// weight gradient is summed chunk by chunk in chunk order, so results are bit-identical for any
// number of threads.
#include <algorithm>
#include <stdexcept>

#include "base/rng.h"
#include "base/thread_pool.h"
#include "kernels/matmul.h"
#include "nn/init.h"
#include "nn/layer_factories.h"

namespace lab::layers {
namespace {

constexpr int kMaxChunks = 8;  // fixed: the weight-gradient partial sums do not depend on threads

class Conv2D final : public Layer {
 public:
  Conv2D(int filters, int kernel, int stride, int pad) : F_(filters), K_(kernel), S_(stride), P_(pad) {}
  std::string type() const override { return "conv2d"; }

  Shape output_shape(const Shape& in) const override {
    if (in.size() != 3) throw std::invalid_argument("conv2d: expects an image input (channels, height, width), got shape " + shape_str(in));
    const int oh = (in[1] + 2 * P_ - K_) / S_ + 1, ow = (in[2] + 2 * P_ - K_) / S_ + 1;
    if (in[1] + 2 * P_ < K_ || in[2] + 2 * P_ < K_ || oh < 1 || ow < 1)
      throw std::invalid_argument("conv2d: a " + std::to_string(K_) + "×" + std::to_string(K_) + " kernel does not fit the input " +
                                  shape_str(in) + " with padding " + std::to_string(P_));
    return {F_, oh, ow};
  }

  uint64_t param_values(const Shape& in) const override { return (uint64_t)F_ * in.at(0) * K_ * K_ + F_; }
  void build(const Shape& in, const std::string& init, Rng& rng) override {
    in_ = in;
    out_ = output_shape(in);
    const int C = in[0];
    w_.resize({F_, C, K_, K_});
    dw_.resize({F_, C, K_, K_});
    b_.resize({F_});
    db_.resize({F_});
    initialize(init, w_, C * K_ * K_, F_ * K_ * K_, rng);
  }

  void forward(const Tensor& x, Tensor& y, LayerCtx& ctx) override {
    const int B = x.dim(0);
    y.resize({B, out_[0], out_[1], out_[2]});
    const int P = out_[1] * out_[2], CKK = in_[0] * K_ * K_;
    run_chunks(ctx, B, [&](int, int b0, int b1) {
      thread_local std::vector<float> col;
      col.resize((size_t)CKK * P);
      for (int b = b0; b < b1; ++b) {
        im2col(x.data() + (size_t)b * x.row_size(), col.data());
        float* yb = y.data() + (size_t)b * y.row_size();
        // y_b (F, P) = W (F, CKK) · col (CKK, P)
        matmul(Exec{nullptr, ctx.exec.force_reference}, {F_, P, CKK, w_.data(), CKK, false, col.data(), P, false, yb, P, false});
        for (int f = 0; f < F_; ++f)
          for (int p = 0; p < P; ++p) yb[(size_t)f * P + p] += b_.at(f);
      }
    });
  }

  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx& ctx) override {
    const int B = x.dim(0);
    const int P = out_[1] * out_[2], CKK = in_[0] * K_ * K_;
    const int chunks = std::min(B, kMaxChunks);
    partial_dw_.resize((size_t)chunks * F_ * CKK);
    partial_db_.resize((size_t)chunks * F_);
    if (dx) dx->resize(x.shape());
    run_chunks(ctx, B, [&](int c, int b0, int b1) {
      float* pdw = partial_dw_.data() + (size_t)c * F_ * CKK;
      float* pdb = partial_db_.data() + (size_t)c * F_;
      std::fill_n(pdw, (size_t)F_ * CKK, 0.0f);
      std::fill_n(pdb, F_, 0.0f);
      thread_local std::vector<float> col, dcol;
      col.resize((size_t)CKK * P);
      dcol.resize((size_t)CKK * P);
      for (int b = b0; b < b1; ++b) {
        const float* dyb = dy.data() + (size_t)b * dy.row_size();
        if (ctx.param_grads) {
          im2col(x.data() + (size_t)b * x.row_size(), col.data());
          // dW += dy_b (F, P) · colᵀ (P, CKK)
          matmul(Exec{nullptr, ctx.exec.force_reference}, {F_, CKK, P, dyb, P, false, col.data(), P, true, pdw, CKK, true});
          for (int f = 0; f < F_; ++f) {
            float s = 0;
            for (int p = 0; p < P; ++p) s += dyb[(size_t)f * P + p];
            pdb[f] += s;
          }
        }
        if (dx) {
          // dcol (CKK, P) = Wᵀ (CKK, F) · dy_b (F, P);  dx_b = col2im(dcol)
          matmul(Exec{nullptr, ctx.exec.force_reference}, {CKK, P, F_, w_.data(), CKK, true, dyb, P, false, dcol.data(), P, false});
          col2im(dcol.data(), dx->data() + (size_t)b * dx->row_size());
        }
      }
    });
    if (!ctx.param_grads) return;
    if (!ctx.accumulate) {
      dw_.zero();
      db_.zero();
    }
    for (int c = 0; c < chunks; ++c) {  // fixed order; added to the gradients (zero_grad clears them)
      const float* pdw = partial_dw_.data() + (size_t)c * F_ * CKK;
      for (size_t i = 0; i < dw_.size(); ++i) dw_.at(i) += pdw[i];
      for (int f = 0; f < F_; ++f) db_.at(f) += partial_db_[(size_t)c * F_ + f];
    }
  }

  std::vector<Param> params() override { return {{"weight", &w_, &dw_, true}, {"bias", &b_, &db_, false}}; }

  LayerSpec spec() const override {
    return {"conv2d", {{"filters", (double)F_}, {"kernel", (double)K_}, {"stride", (double)S_}, {"padding", (double)P_}}, {}};
  }

 private:
  // Runs fn(chunk, b0, b1) over `chunks` fixed sample ranges, in parallel on the pool.
  template <class Fn>
  void run_chunks(LayerCtx& ctx, int B, Fn fn) {
    const int chunks = std::min(B, kMaxChunks);
    auto one = [&](size_t c) { fn((int)c, (int)((long long)B * c / chunks), (int)((long long)B * (c + 1) / chunks)); };
    if (ctx.exec.pool)
      ctx.exec.pool->parallel_for(chunks, one);
    else
      for (int c = 0; c < chunks; ++c) one(c);
  }

  // col (C·KH·KW, OH·OW) from one sample x (C, H, W); zero outside the image (padding).
  // For one (c, ki, kj, oi) the valid output columns oj ∈ [lo, hi) read x[c, i, oj·S − P + kj]: with
  // stride 1 that is a contiguous run, copied at once.
  void im2col(const float* x, float* col) const {
    const int C = in_[0], H = in_[1], W = in_[2], OH = out_[1], OW = out_[2];
    for (int c = 0; c < C; ++c)
      for (int ki = 0; ki < K_; ++ki)
        for (int kj = 0; kj < K_; ++kj) {
          float* row = col + ((size_t)(c * K_ + ki) * K_ + kj) * OH * OW;
          const int lo = col_lo(kj), hi = col_hi(kj, W);
          for (int oi = 0; oi < OH; ++oi) {
            float* dst = row + (size_t)oi * OW;
            const int i = oi * S_ - P_ + ki;
            if (i < 0 || i >= H || lo >= hi) {
              std::fill_n(dst, OW, 0.0f);
              continue;
            }
            const float* src = x + ((size_t)c * H + i) * W;
            for (int oj = 0; oj < lo; ++oj) dst[oj] = 0.0f;
            if (S_ == 1) {
              const float* run = src - P_ + kj;  // stride 1: a contiguous run
              for (int oj = lo; oj < hi; ++oj) dst[oj] = run[oj];
            } else {
              for (int oj = lo; oj < hi; ++oj) dst[oj] = src[oj * S_ - P_ + kj];
            }
            for (int oj = hi; oj < OW; ++oj) dst[oj] = 0.0f;
          }
        }
  }
  // Output columns whose input column oj·S − P + kj lies inside [0, W).
  int col_lo(int kj) const { return std::min(out_[2], std::max(0, (P_ - kj + S_ - 1) / S_)); }
  int col_hi(int kj, int W) const { return std::max(0, std::min(out_[2], (W - 1 + P_ - kj) / S_ + 1)); }
  // The adjoint of im2col: dx (C, H, W) = Σ of dcol entries over the positions they came from.
  void col2im(const float* dcol, float* dx) const {
    const int C = in_[0], H = in_[1], W = in_[2], OH = out_[1], OW = out_[2];
    std::fill_n(dx, (size_t)C * H * W, 0.0f);
    for (int c = 0; c < C; ++c)
      for (int ki = 0; ki < K_; ++ki)
        for (int kj = 0; kj < K_; ++kj) {
          const float* row = dcol + ((size_t)(c * K_ + ki) * K_ + kj) * OH * OW;
          const int lo = col_lo(kj), hi = col_hi(kj, W);
          for (int oi = 0; oi < OH; ++oi) {
            const int i = oi * S_ - P_ + ki;
            if (i < 0 || i >= H) continue;
            float* dst = dx + ((size_t)c * H + i) * W - P_ + kj;
            const float* src = row + (size_t)oi * OW;
            for (int oj = lo; oj < hi; ++oj) dst[oj * S_] += src[oj];
          }
        }
  }

  int F_, K_, S_, P_;
  Shape out_;
  Tensor w_, dw_, b_, db_;
  std::vector<float> partial_dw_, partial_db_;
};

}  // namespace

std::unique_ptr<Layer> make_conv2d(const LayerSpec& s) {
  auto get = [&](const char* k, double d) { return s.num.count(k) ? (int)s.num.at(k) : (int)d; };
  return std::make_unique<Conv2D>(get("filters", 8), get("kernel", 3), get("stride", 1), get("padding", 0));
}

}  // namespace lab::layers
