// Attribution scores (attr_metrics.h): correlations, complexity, localisation, perturbation curves,
// faithfulness correlation, infidelity, sensitivity.
#include "interp/eval/attr_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace lab::attr::metrics {

namespace {

void need(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("attribution metrics: " + what);
}

// Indices sorted by a descending; ties: the lower index first. NaNs last.
std::vector<size_t> order_desc(const float* a, size_t d) {
  std::vector<size_t> o(d);
  std::iota(o.begin(), o.end(), 0);
  std::stable_sort(o.begin(), o.end(), [a](size_t i, size_t j) {
    const bool ni = std::isnan(a[i]), nj = std::isnan(a[j]);
    if (ni != nj) return nj;
    return a[i] > a[j];
  });
  return o;
}

std::vector<double> ranks(const float* a, size_t n) {  // average ranks for ties, 1-based
  std::vector<size_t> o(n);
  std::iota(o.begin(), o.end(), 0);
  std::stable_sort(o.begin(), o.end(), [a](size_t i, size_t j) { return a[i] < a[j]; });
  std::vector<double> r(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && a[o[j + 1]] == a[o[i]]) ++j;
    const double avg = 0.5 * (double)(i + j) + 1;
    for (size_t k = i; k <= j; ++k) r[o[k]] = avg;
    i = j + 1;
  }
  return r;
}

double pearson_d(const double* a, const double* b, size_t n) {
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= (double)n;
  mb /= (double)n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (saa == 0 || sbb == 0) return NAN;
  return sab / std::sqrt(saa * sbb);
}

float trapz(const std::vector<float>& x, const std::vector<float>& y) {
  double s = 0;
  for (size_t k = 1; k < y.size(); ++k) s += 0.5 * ((double)y[k] + y[k - 1]) * ((double)x[k] - x[k - 1]);
  return (float)s;
}

bool any_nan(const float* a, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (std::isnan(a[i])) return true;
  return false;
}

}  // namespace

float spearman(const float* a, const float* b, size_t n) {
  if (n < 2 || any_nan(a, n) || any_nan(b, n)) return NAN;
  const auto ra = ranks(a, n), rb = ranks(b, n);
  return (float)pearson_d(ra.data(), rb.data(), n);
}

float pearson(const float* a, const float* b, size_t n) {
  if (n < 2) return NAN;
  std::vector<double> da(a, a + n), db(b, b + n);
  return (float)pearson_d(da.data(), db.data(), n);
}

float gini(const float* a, size_t n) {
  need(n > 0, "gini of an empty map");
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = std::fabs((double)a[i]) + 1e-7;
  std::sort(v.begin(), v.end());
  double num = 0, sum = 0;
  for (size_t k = 0; k < n; ++k) {
    num += (2.0 * (double)(k + 1) - (double)n - 1) * v[k];
    sum += v[k];
  }
  return (float)(num / ((double)n * sum));
}

float entropy(const float* a, size_t n) {
  need(n > 0, "entropy of an empty map");
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += std::fabs((double)a[i]);
  if (s == 0) return NAN;
  double h = 0;
  for (size_t i = 0; i < n; ++i) {
    const double p = std::fabs((double)a[i]) / s;
    h -= p * std::log(p + 1e-12);
  }
  return (float)h;
}

Localisation localisation(const float* a, const float* mask, size_t n) {
  size_t K = 0;
  for (size_t i = 0; i < n; ++i) K += mask[i] != 0;
  if (K == 0 || any_nan(a, n)) return {NAN, NAN, NAN};
  double in = 0, all = 0;
  float mx = -INFINITY;
  for (size_t i = 0; i < n; ++i) {
    const double p = std::max(0.0f, a[i]);
    all += p;
    if (mask[i] != 0) in += p;
    mx = std::max(mx, a[i]);
  }
  Localisation l;
  l.mass = all > 0 ? (float)(in / all) : NAN;
  const auto o = order_desc(a, n);
  size_t hit = 0;
  for (size_t k = 0; k < K; ++k) hit += mask[o[k]] != 0;
  l.rank = (float)hit / (float)K;
  l.pointing = 0;
  for (size_t i = 0; i < n; ++i)
    if (a[i] == mx && mask[i] != 0) l.pointing = 1;
  return l;
}

namespace {

// Rows k = 0..steps: the first round(d·k/steps) features of `order` taken from `to`, the rest from `from`.
Curve path_curve(const float* from, const float* to, const float* a, size_t d, int steps, const Score& f) {
  need(d > 0, "an empty input");
  need(steps >= 1, "the curve needs at least 1 step, got " + std::to_string(steps));
  const auto o = order_desc(a, d);
  const int rows = steps + 1;
  std::vector<float> xs((size_t)rows * d);
  Curve c;
  for (int k = 0; k < rows; ++k) {
    const size_t m = (size_t)std::llround((double)d * k / steps);
    float* r = xs.data() + (size_t)k * d;
    std::copy(from, from + d, r);
    for (size_t j = 0; j < m; ++j) r[o[j]] = to[o[j]];
    c.frac.push_back((float)m / (float)d);
  }
  c.score.resize(rows);
  f(xs.data(), rows, c.score.data());
  c.auc = trapz(c.frac, c.score);
  return c;
}

}  // namespace

Curve deletion_curve(const float* x, const float* a, const float* baseline, size_t d, int steps, const Score& f) {
  return path_curve(x, baseline, a, d, steps, f);
}

Curve insertion_curve(const float* x, const float* a, const float* baseline, size_t d, int steps, const Score& f) {
  return path_curve(baseline, x, a, d, steps, f);
}

Curve pixel_flipping(const float* x, const float* a, const float* baseline, size_t d, int s, const Score& f) {
  need(d > 0, "an empty input");
  need(s >= 1, "features_in_step must be at least 1, got " + std::to_string(s));
  const auto o = order_desc(a, d);
  const int rows = (int)((d + (size_t)s - 1) / (size_t)s);
  std::vector<float> xs((size_t)rows * d);
  Curve c;
  std::vector<float> cur(x, x + d);
  for (int k = 0; k < rows; ++k) {
    const size_t lo = (size_t)k * s, hi = std::min(d, lo + (size_t)s);
    for (size_t j = lo; j < hi; ++j) cur[o[j]] = baseline[o[j]];
    std::copy(cur.begin(), cur.end(), xs.begin() + (size_t)k * d);
    c.frac.push_back((float)hi / (float)d);
  }
  c.score.resize(rows);
  f(xs.data(), rows, c.score.data());
  double s2 = 0;
  for (size_t k = 1; k < c.score.size(); ++k) s2 += 0.5 * ((double)c.score[k] + c.score[k - 1]);
  c.auc = (float)s2;
  return c;
}

float faithfulness_correlation(const float* x, const float* a, const float* baseline, size_t d, int runs, int subset, const Score& f,
                               Rng& rng) {
  need(d > 0, "an empty input");
  need(runs >= 2, "faithfulness correlation needs at least 2 runs");
  need(subset >= 1 && (size_t)subset <= d, "the subset size must be in [1, " + std::to_string(d) + "], got " + std::to_string(subset));
  std::vector<float> xs((size_t)(runs + 1) * d);
  std::copy(x, x + d, xs.begin());
  std::vector<double> sums(runs);
  std::vector<size_t> idx(d);
  for (int r = 0; r < runs; ++r) {
    std::iota(idx.begin(), idx.end(), 0);
    for (int k = 0; k < subset; ++k) std::swap(idx[k], idx[k + rng.below((uint32_t)(d - k))]);
    float* row = xs.data() + (size_t)(r + 1) * d;
    std::copy(x, x + d, row);
    double s = 0;
    for (int k = 0; k < subset; ++k) {
      row[idx[k]] = baseline[idx[k]];
      s += a[idx[k]];
    }
    sums[r] = s;
  }
  std::vector<float> y(runs + 1);
  f(xs.data(), runs + 1, y.data());
  std::vector<double> drop(runs);
  for (int r = 0; r < runs; ++r) drop[r] = (double)y[0] - y[r + 1];
  return (float)pearson_d(sums.data(), drop.data(), (size_t)runs);
}

float infidelity(const float* x, const float* a, size_t d, int samples, const Perturb& perturb, const Score& f, Rng& rng, bool normalize) {
  need(d > 0, "an empty input");
  need(samples >= 1, "infidelity needs at least 1 sample");
  std::vector<float> I((size_t)samples * d), xs((size_t)(samples + 1) * d);
  std::copy(x, x + d, xs.begin());
  for (int k = 0; k < samples; ++k) perturb(rng, x, I.data() + (size_t)k * d, xs.data() + (size_t)(k + 1) * d);
  std::vector<float> y(samples + 1);
  f(xs.data(), samples + 1, y.data());
  std::vector<double> ia(samples), df(samples);
  for (int k = 0; k < samples; ++k) {
    double s = 0;
    for (size_t i = 0; i < d; ++i) s += (double)I[(size_t)k * d + i] * a[i];
    ia[k] = s;
    df[k] = (double)y[0] - y[k + 1];
  }
  double beta = 1;
  if (normalize) {
    double num = 0, den = 0;
    for (int k = 0; k < samples; ++k) {
      num += ia[k] * df[k];
      den += ia[k] * ia[k];
    }
    beta = den > 0 ? num / den : 0.0;
  }
  double e = 0;
  for (int k = 0; k < samples; ++k) e += (beta * ia[k] - df[k]) * (beta * ia[k] - df[k]);
  return (float)(e / samples);
}

Perturb gaussian_perturbation(float sigma, size_t d) {
  return [sigma, d](Rng& rng, const float* x, float* I, float* xt) {
    for (size_t i = 0; i < d; ++i) {
      I[i] = sigma * rng.normal();
      xt[i] = x[i] - I[i];
    }
  };
}

Perturb baseline_perturbation(const float* baseline, size_t d, float keep_prob) {
  std::vector<float> b(baseline, baseline + d);
  return [b, d, keep_prob](Rng& rng, const float* x, float* I, float* xt) {
    for (size_t i = 0; i < d; ++i) {
      const bool set = keep_prob <= 0 || rng.uniform01() >= keep_prob;
      I[i] = set ? 1.0f : 0.0f;
      xt[i] = set ? b[i] : x[i];
    }
  };
}

Sensitivity sensitivity(const float* x, const float* a, size_t d, float radius, int samples, const Explain& explain, Rng& rng) {
  need(d > 0, "an empty input");
  need(samples >= 1, "sensitivity needs at least 1 sample");
  double na = 0;
  for (size_t i = 0; i < d; ++i) na += (double)a[i] * a[i];
  na = std::sqrt(na);
  if (na == 0) na = 1;
  std::vector<float> xp(d), ap(d);
  Sensitivity s{0, 0};
  for (int k = 0; k < samples; ++k) {
    for (size_t i = 0; i < d; ++i) xp[i] = x[i] + rng.uniform(-radius, radius);
    explain(xp.data(), ap.data());
    double e = 0;
    for (size_t i = 0; i < d; ++i) e += ((double)a[i] - ap[i]) * ((double)a[i] - ap[i]);
    const float v = (float)(std::sqrt(e) / na);
    s.max = std::max(s.max, v);
    s.mean += v / samples;
  }
  return s;
}

}  // namespace lab::attr::metrics
