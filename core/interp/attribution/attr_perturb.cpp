// Perturbation-based attribution methods: occlusion, feature ablation, feature permutation, Shapley value
// sampling, KernelSHAP, LIME. Forward passes only; the perturbed inputs of one sample are evaluated in
// internal batches (scores()). Group-based methods give every element of a group the group's value
// (captum's broadcast); their delta sums over groups, not elements.
//
// [SECTION] helpers
// [SECTION] occlusion, ablation, permutation
// [SECTION] Shapley value sampling
// [SECTION] KernelSHAP and LIME (weighted linear surrogates)
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "interp/attribution/attr_internal.h"

namespace lab::attr::detail {

// ------------------------------------------------------------------------------------------------------
// [SECTION] helpers
// ------------------------------------------------------------------------------------------------------
namespace {

Tensor batch_of(const Run& r, int rows) {
  Shape s{rows};
  s.insert(s.end(), r.net.input.begin(), r.net.input.end());
  return Tensor(s);
}

// Each row: x where mask(row, element) is false, the baseline where true.
template <class Masked>
Tensor perturbed(const Run& r, const float* x, const float* base, int rows, Masked masked) {
  Tensor t = batch_of(r, rows);
  for (int k = 0; k < rows; ++k) {
    float* o = t.data() + (size_t)k * r.d;
    for (size_t i = 0; i < r.d; ++i) o[i] = masked(k, i) ? base[i] : x[i];
  }
  return t;
}

// The group values broadcast to the elements, into row b of the map.
void broadcast(Result& res, int b, const std::vector<int>& ids, const std::vector<double>& phi) {
  float* o = res.map.data() + (size_t)b * ids.size();
  for (size_t i = 0; i < ids.size(); ++i) o[i] = (float)phi[ids[i]];
}

float sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return (float)s;
}

}  // namespace

// ------------------------------------------------------------------------------------------------------
// [SECTION] occlusion, ablation, permutation
// ------------------------------------------------------------------------------------------------------
Result occlusion(Run& r, const Tensor& x) {
  const Shape& in = r.net.input;
  const bool image = in.size() == 3;
  const int H = image ? in[1] : 1, W = image ? in[2] : (int)r.d, C = image ? in[0] : 1;
  int w = r.p.geti("window"), s = r.p.geti("stride");
  if (w == 0) w = image ? std::min(4, std::min(H, W)) : 1;
  if (s == 0) s = std::max(1, w / 2);
  if (w > W || (image && w > H))
    throw std::invalid_argument("occlusion: the window (" + std::to_string(w) + ") is larger than the input (" +
                                (image ? std::to_string(H) + "×" : std::string()) + std::to_string(W) + ")");
  if (s > w)
    throw std::invalid_argument("occlusion: the stride (" + std::to_string(s) + ") must not exceed the window (" + std::to_string(w) + ")");
  // Window origins per axis: 0, s, 2s, … — ceil((d − w)/s) + 1 of them, the last clipped at the edge.
  auto origins = [&](int d) {
    std::vector<int> o;
    const int n = (d - w + s - 1) / s + 1;
    for (int k = 0; k < n; ++k) o.push_back(k * s);
    return o;
  };
  const std::vector<int> oy = image ? origins(H) : std::vector<int>{0}, ox = origins(W);
  const int nwin = (int)(oy.size() * ox.size());
  const Tensor base = make_baseline(r, x);
  r.add_work((double)r.B * nwin);
  Result res = empty_result(r, in);
  // The elements of window k (every channel; clipped at the edges), in element order.
  auto for_window = [&](int k, auto&& fn) {
    const int wy = image ? oy[k / ox.size()] : 0, wx = ox[k % ox.size()];
    const int y1 = image ? std::min(H, wy + w) : 1, x1 = std::min(W, wx + w);
    for (int c = 0; c < C; ++c)
      for (int i = wy; i < y1; ++i)
        for (int j = wx; j < x1; ++j) fn(((size_t)c * H + i) * W + j);
  };
  for (int b = 0; b < r.B; ++b) {
    float* out = res.map.data() + (size_t)b * r.d;
    part(r, {{out, r.d}}, nullptr, [&]() {
      const float* xb = x.data() + (size_t)b * r.d;
      const float* bb = base.data() + (size_t)b * r.d;
      Tensor rows = batch_of(r, nwin);
      for (int k = 0; k < nwin; ++k) {
        float* o = rows.data() + (size_t)k * r.d;
        std::memcpy(o, xb, r.d * sizeof(float));
        for_window(k, [&](size_t e) { o[e] = bb[e]; });
      }
      const std::vector<float> fs = scores(r, rows, std::vector<int>(nwin, r.targets[b]));
      std::vector<double> acc(r.d, 0.0), cnt(r.d, 0.0);
      for (int k = 0; k < nwin; ++k)
        for_window(k, [&](size_t e) {
          acc[e] += r.f[b] - fs[k];
          cnt[e] += 1;
        });
      for (size_t e = 0; e < r.d; ++e) out[e] = cnt[e] > 0 ? (float)(acc[e] / cnt[e]) : 0.0f;
    });
  }
  return res;
}

Result feature_ablation(Run& r, const Tensor& x) {
  int M = 0;
  const auto ids = feature_groups(r, &M);
  const Tensor base = make_baseline(r, x);
  r.add_work((double)r.B * M);
  Result res = empty_result(r, r.net.input);
  for (int b = 0; b < r.B; ++b)
    part(r, {{res.map.data() + (size_t)b * r.d, r.d}}, nullptr, [&]() {
      const Tensor rows =
          perturbed(r, x.data() + (size_t)b * r.d, base.data() + (size_t)b * r.d, M, [&](int k, size_t e) { return ids[e] == k; });
      const std::vector<float> fs = scores(r, rows, std::vector<int>(M, r.targets[b]));
      std::vector<double> phi(M);
      for (int g = 0; g < M; ++g) phi[g] = r.f[b] - fs[g];
      broadcast(res, b, ids, phi);
    });
  return res;
}

Result feature_permutation(Run& r, const Tensor& x) {
  int M = 0;
  const auto ids = feature_groups(r, &M);
  const Tensor& bg = *r.ctx.background;
  const int K = r.p.geti("samples");
  Rng rng(r.p.seed(), 0x9e);
  std::vector<int> donors(K);
  for (int& v : donors) v = (int)rng.below((uint32_t)bg.dim(0));
  r.add_work((double)r.B * M * K);
  Result res = empty_result(r, r.net.input);
  for (int b = 0; b < r.B; ++b)
    part(r, {{res.map.data() + (size_t)b * r.d, r.d}}, nullptr, [&]() {
      const float* xb = x.data() + (size_t)b * r.d;
      Tensor rows = batch_of(r, M * K);
      for (int g = 0; g < M; ++g)
        for (int k = 0; k < K; ++k) {
          float* o = rows.data() + ((size_t)g * K + k) * r.d;
          const float* dn = bg.data() + (size_t)donors[k] * r.d;
          for (size_t e = 0; e < r.d; ++e) o[e] = ids[e] == g ? dn[e] : xb[e];
        }
      const std::vector<float> fs = scores(r, rows, std::vector<int>(M * K, r.targets[b]));
      std::vector<double> phi(M, 0.0);
      for (int g = 0; g < M; ++g)
        for (int k = 0; k < K; ++k) phi[g] += (r.f[b] - fs[(size_t)g * K + k]) / K;
      broadcast(res, b, ids, phi);
    });
  return res;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] Shapley value sampling
// ------------------------------------------------------------------------------------------------------
Result shapley_sampling(Run& r, const Tensor& x) {
  int M = 0;
  const auto ids = feature_groups(r, &M);
  const int n = r.p.geti("samples");
  const Tensor base = make_baseline(r, x);
  r.add_work((double)r.B * (n * (double)M + 1));
  Result res = empty_result(r, r.net.input);
  res.delta.resize(r.B);
  Rng rng(r.p.seed(), 0x5a);
  for (int b = 0; b < r.B; ++b) {
    const float* xb = x.data() + (size_t)b * r.d;
    const float* bb = base.data() + (size_t)b * r.d;
    const float f0 = scores(r, rows_of(base, b, b + 1), {r.targets[b]})[0];
    std::vector<double> phi(M, 0.0);
    std::vector<int> perm(M), rank(M);
    for (int t = 0; t < n; ++t) {
      for (int g = 0; g < M; ++g) perm[g] = g;
      for (int g = M - 1; g > 0; --g) std::swap(perm[g], perm[rng.below((uint32_t)(g + 1))]);
      for (int k = 0; k < M; ++k) rank[perm[k]] = k;
      // Row k: the first k+1 groups of the ordering at x, the rest at the baseline.
      std::vector<float> fs(M);
      part(r, {{fs.data(), (size_t)M}}, nullptr, [&]() {
        const Tensor rows = perturbed(r, xb, bb, M, [&](int k, size_t e) { return rank[ids[e]] > k; });
        const std::vector<float> v = scores(r, rows, std::vector<int>(M, r.targets[b]));
        std::copy(v.begin(), v.end(), fs.begin());  // (into fs's own storage: the part records it)
      });
      double prev = f0;
      for (int k = 0; k < M; ++k) {
        phi[perm[k]] += (fs[k] - prev) / n;
        prev = fs[k];
      }
    }
    broadcast(res, b, ids, phi);
    res.delta[b] = (float)(sum(phi) - ((double)r.f[b] - f0));
  }
  return res;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] KernelSHAP and LIME
// ------------------------------------------------------------------------------------------------------
namespace {

// Weighted least squares y ≈ c + Z β (Z: rows × M of 0/1), by the normal equations in double with a tiny
// ridge for rank-deficient designs. Returns [c, β_1..β_M].
std::vector<double> weighted_lstsq(const std::vector<uint8_t>& Z, const std::vector<double>& y, const std::vector<double>& w, int rows,
                                   int M) {
  const int P = M + 1;
  std::vector<double> A((size_t)P * P, 0.0), rhs(P, 0.0);
  std::vector<double> row(P);
  for (int i = 0; i < rows; ++i) {
    row[0] = 1;
    for (int j = 0; j < M; ++j) row[j + 1] = Z[(size_t)i * M + j];
    for (int a = 0; a < P; ++a) {
      if (row[a] == 0) continue;
      rhs[a] += w[i] * row[a] * y[i];
      for (int c = 0; c < P; ++c) A[(size_t)a * P + c] += w[i] * row[a] * row[c];
    }
  }
  double tr = 0;
  for (int a = 0; a < P; ++a) tr += A[(size_t)a * P + a];
  for (int a = 0; a < P; ++a) A[(size_t)a * P + a] += 1e-12 * tr / P + 1e-300;
  // Gaussian elimination with partial pivoting.
  for (int c = 0; c < P; ++c) {
    int piv = c;
    for (int a = c + 1; a < P; ++a)
      if (std::fabs(A[(size_t)a * P + c]) > std::fabs(A[(size_t)piv * P + c])) piv = a;
    if (piv != c) {
      for (int k = 0; k < P; ++k) std::swap(A[(size_t)c * P + k], A[(size_t)piv * P + k]);
      std::swap(rhs[c], rhs[piv]);
    }
    const double d = A[(size_t)c * P + c];
    if (d == 0) continue;
    for (int a = c + 1; a < P; ++a) {
      const double f = A[(size_t)a * P + c] / d;
      if (f == 0) continue;
      for (int k = c; k < P; ++k) A[(size_t)a * P + k] -= f * A[(size_t)c * P + k];
      rhs[a] -= f * rhs[c];
    }
  }
  std::vector<double> beta(P, 0.0);
  for (int c = P - 1; c >= 0; --c) {
    double s = rhs[c];
    for (int k = c + 1; k < P; ++k) s -= A[(size_t)c * P + k] * beta[k];
    beta[c] = A[(size_t)c * P + c] != 0 ? s / A[(size_t)c * P + c] : 0.0;
  }
  return beta;
}

// Weighted lasso by coordinate descent: minimises (1/(2Σw)) Σ w_i (y_i − c − z_iβ)² + α‖β‖₁ (the
// intercept c unpenalised, as scikit-learn's Lasso with sample weights). Returns β (M values).
std::vector<double> weighted_lasso(const std::vector<uint8_t>& Z, const std::vector<double>& y, const std::vector<double>& w, int rows,
                                   int M, double alpha) {
  double W = 0, ym = 0;
  std::vector<double> zm(M, 0.0);
  for (int i = 0; i < rows; ++i) {
    W += w[i];
    ym += w[i] * y[i];
    for (int j = 0; j < M; ++j) zm[j] += w[i] * Z[(size_t)i * M + j];
  }
  if (W <= 0) return std::vector<double>(M, 0.0);
  ym /= W;
  for (double& v : zm) v /= W;
  std::vector<double> Zc((size_t)rows * M), res(rows), beta(M, 0.0), norm(M, 0.0);
  for (int i = 0; i < rows; ++i) {
    res[i] = y[i] - ym;
    for (int j = 0; j < M; ++j) {
      const double v = Z[(size_t)i * M + j] - zm[j];
      Zc[(size_t)i * M + j] = v;
      norm[j] += w[i] * v * v / W;
    }
  }
  for (int it = 0; it < 1000; ++it) {
    double change = 0;
    for (int j = 0; j < M; ++j) {
      if (norm[j] == 0) continue;
      double rho = 0;
      for (int i = 0; i < rows; ++i) rho += w[i] * Zc[(size_t)i * M + j] * (res[i] + Zc[(size_t)i * M + j] * beta[j]);
      rho /= W;
      const double nb = (rho > alpha ? rho - alpha : rho < -alpha ? rho + alpha : 0.0) / norm[j];
      const double db = nb - beta[j];
      if (db != 0) {
        for (int i = 0; i < rows; ++i) res[i] -= Zc[(size_t)i * M + j] * db;
        beta[j] = nb;
        change = std::max(change, std::fabs(db));
      }
    }
    if (change < 1e-9) break;
  }
  return beta;
}

}  // namespace

double cosine_similarity(const float* a, const float* b, size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; ++i) {
    ab += (double)a[i] * b[i];
    aa += (double)a[i] * a[i];
    bb += (double)b[i] * b[i];
  }
  return ab / std::max(std::sqrt(aa * bb), 1e-8);
}

namespace {

// Evaluates coalitions Z (rows × M, 1 = the group at x) for sample b.
std::vector<double> coalition_scores(Run& r, int b, const std::vector<int>& ids, const std::vector<uint8_t>& Z, int rows, int M,
                                     const Tensor& base, const Tensor& x) {
  const float* xb = x.data() + (size_t)b * r.d;
  const float* bb = base.data() + (size_t)b * r.d;
  const Tensor t = perturbed(r, xb, bb, rows, [&](int k, size_t e) { return Z[(size_t)k * M + ids[e]] == 0; });
  const std::vector<float> fs = scores(r, t, std::vector<int>(rows, r.targets[b]));
  return std::vector<double>(fs.begin(), fs.end());
}

}  // namespace

Result kernel_shap(Run& r, const Tensor& x) {
  int M = 0;
  const auto ids = feature_groups(r, &M);
  const int n = r.p.geti("samples");
  const Tensor base = make_baseline(r, x);
  r.add_work((double)r.B * n);
  Result res = empty_result(r, r.net.input);
  res.delta.resize(r.B);
  Rng rng(r.p.seed(), 0x4b);
  // Coalition sizes k = 1..M−1 with p(k) ∝ (M − 1)/(k (M − k)), the Shapley kernel's size distribution.
  std::vector<double> cdf;
  double tot = 0;
  for (int k = 1; k < M; ++k) cdf.push_back(tot += (double)(M - 1) / ((double)k * (M - k)));
  for (int b = 0; b < r.B; ++b)
    part(r, {{res.map.data() + (size_t)b * r.d, r.d}, {&res.delta[b], 1}}, &rng, [&]() {
      std::vector<uint8_t> Z((size_t)n * M, 0);
      std::vector<double> w(n, 1.0);
      for (int j = 0; j < M; ++j) Z[j] = 1;  // row 0: everything at x; row 1: everything at the baseline
      w[0] = w[1] = 1e6;                     // captum's inf_weight
      std::vector<int> perm(M);
      for (int i = 2; i < n; ++i) {
        int k = 1;
        if (M > 1) {
          const double u = rng.uniform01() * tot;
          k = (int)(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin()) + 1;
          k = std::min(k, M - 1);
        }
        for (int g = 0; g < M; ++g) perm[g] = g;
        for (int g = 0; g < k; ++g) std::swap(perm[g], perm[g + rng.below((uint32_t)(M - g))]);
        for (int g = 0; g < k; ++g) Z[(size_t)i * M + perm[g]] = 1;
      }
      const std::vector<double> y = coalition_scores(r, b, ids, Z, n, M, base, x);
      const std::vector<double> beta = weighted_lstsq(Z, y, w, n, M);
      std::vector<double> phi(beta.begin() + 1, beta.end());
      broadcast(res, b, ids, phi);
      res.delta[b] = (float)(sum(phi) - (y[0] - y[1]));
    });
  return res;
}

Result lime(Run& r, const Tensor& x) {
  int M = 0;
  const auto ids = feature_groups(r, &M);
  const int n = r.p.geti("samples");
  const double width = r.p.get("kernel_width"), alpha = r.p.get("alpha");
  const Tensor base = make_baseline(r, x);
  r.add_work((double)r.B * n);
  Result res = empty_result(r, r.net.input);
  Rng rng(r.p.seed(), 0x11);
  for (int b = 0; b < r.B; ++b)
    part(r, {{res.map.data() + (size_t)b * r.d, r.d}}, &rng, [&]() {
      const float* xb = x.data() + (size_t)b * r.d;
      const float* bb = base.data() + (size_t)b * r.d;
      std::vector<uint8_t> Z((size_t)n * M);
      for (auto& v : Z) v = rng.uniform01() < 0.5f ? 1 : 0;  // Bernoulli(0.5) per group
      const std::vector<double> y = coalition_scores(r, b, ids, Z, n, M, base, x);
      // Weights: exp(−d²/(2 width²)), d the cosine distance between x and the perturbed input.
      std::vector<double> w(n);
      std::vector<float> xz(r.d);
      for (int i = 0; i < n; ++i) {
        for (size_t e = 0; e < r.d; ++e) xz[e] = Z[(size_t)i * M + ids[e]] ? xb[e] : bb[e];
        const double dist = 1 - cosine_similarity(xb, xz.data(), r.d);
        w[i] = std::exp(-dist * dist / (2 * width * width));
      }
      const std::vector<double> beta = weighted_lasso(Z, y, w, n, M, alpha);
      broadcast(res, b, ids, beta);
    });
  return res;
}

}  // namespace lab::attr::detail
