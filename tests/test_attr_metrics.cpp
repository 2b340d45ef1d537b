// Attribution scores (core/interp/eval/attr_metrics.h) against the reference's closed-form cases
// (shared/reference/interpretability.md §3.2, §1.18, §8: P17–P22).
#include <catch2/catch.hpp>

#include "tolerances.h"

#include <cmath>
#include <vector>

#include "interp/eval/attr_metrics.h"

using namespace lab::attr::metrics;

namespace {
constexpr float kExact = 1e-5f;  // float32 sums of a handful of terms
const std::vector<float> kW = {1, -2, 3, 0.5f, -1, 2};

Score linear() {  // f(x) = w·x
  return [](const float* xs, int rows, float* out) {
    for (int r = 0; r < rows; ++r) {
      double s = 0;
      for (size_t i = 0; i < kW.size(); ++i) s += kW[i] * xs[r * kW.size() + i];
      out[r] = (float)s;
    }
  };
}
float relu(float v) { return v > 0 ? v : 0; }
}  // namespace

TEST_CASE("attr_metrics: Gini and entropy (P19)") {
  const float onehot[] = {0, 0, 0, 1}, uniform[] = {1, 1, 1, 1}, ramp[] = {1, 2, 3, 4};
  CHECK(gini(onehot, 4) == Approx(0.75).margin(lab::testing::kClosedFormTol));
  CHECK(gini(uniform, 4) == Approx(0).margin(lab::testing::kClosedFormTol));
  CHECK(gini(ramp, 4) == Approx(0.25).margin(lab::testing::kClosedFormTol));
  CHECK(entropy(uniform, 4) == Approx(1.386294).margin(lab::testing::kClosedFormTol));
  CHECK(entropy(onehot, 4) == Approx(0).margin(lab::testing::kClosedFormTol));
  CHECK(entropy(ramp, 4) == Approx(1.279854).margin(lab::testing::kClosedFormTol));
}

TEST_CASE("attr_metrics: localisation toy and Quantus fixtures (P20)") {
  const float a[] = {.1f, .9f, .4f, 0, .2f, .3f, 0, .1f}, s[] = {0, 1, 1, 0, 0, 1, 0, 0};
  Localisation l = localisation(a, s, 8);
  CHECK(l.pointing == 1);
  CHECK(l.mass == Approx(0.8).margin(kExact));
  CHECK(l.rank == Approx(1.0).margin(kExact));
  const float in_gt[] = {0, 1, 1, 0}, none[] = {1, 0, 0, 1}, half[] = {1, 1, 0, 0}, m[] = {0, 1, 1, 0};
  CHECK(localisation(in_gt, m, 4).mass == Approx(1));
  CHECK(localisation(none, m, 4).mass == Approx(0));
  CHECK(localisation(none, m, 4).pointing == 0);
  CHECK(localisation(half, m, 4).mass == Approx(0.5));
  CHECK(localisation(half, m, 4).rank == Approx(0.5));
  const float empty[] = {0, 0, 0, 0};
  CHECK(std::isnan(localisation(a, empty, 4).mass));
  CHECK(std::isnan(localisation(a, empty, 4).pointing));
}

TEST_CASE("attr_metrics: faithfulness correlation of w⊙x on a linear model is 1 (P21)") {
  const std::vector<float> x = {0.3f, -1.2f, 2.0f, 0.7f, 1.5f, -0.4f};
  std::vector<float> a(6), base(6, 0.0f);
  for (int i = 0; i < 6; ++i) a[i] = kW[i] * x[i];
  lab::Rng rng(3);
  CHECK(faithfulness_correlation(x.data(), a.data(), base.data(), 6, 20, 3, linear(), rng) == Approx(1).margin(kExact));
  // A map unrelated to the model scores lower.
  std::vector<float> wrong = {6, 5, 4, 3, 2, 1};
  lab::Rng rng2(3);
  CHECK(faithfulness_correlation(x.data(), wrong.data(), base.data(), 6, 20, 3, linear(), rng2) < 0.9);
  CHECK_THROWS_AS(faithfulness_correlation(x.data(), a.data(), base.data(), 6, 20, 7, linear(), rng), std::invalid_argument);
}

TEST_CASE("attr_metrics: pixel flipping and deletion/insertion on a linear model (P22)") {
  const std::vector<float> x = {0.3f, -1.2f, 2.0f, 0.7f, 1.5f, -0.4f};
  std::vector<float> a(6), base(6, 0.0f), fx(1);
  for (int i = 0; i < 6; ++i) a[i] = kW[i] * x[i];
  linear()(x.data(), 1, fx.data());
  for (int s : {1, 2}) {
    const Curve c = pixel_flipping(x.data(), a.data(), base.data(), 6, s, linear());
    REQUIRE(c.score.size() == (size_t)(6 + s - 1) / s);
    std::vector<float> sorted = a;
    std::sort(sorted.begin(), sorted.end(), std::greater<float>());
    double removed = 0;
    for (size_t k = 0; k < c.score.size(); ++k) {
      for (int j = 0; j < s && k * s + j < 6; ++j) removed += sorted[k * s + j];
      CHECK(c.score[k] == Approx(fx[0] - removed).margin(kExact));  // c_k = f(x) − Σ_{top-k} a
    }
  }
  const Curve del = deletion_curve(x.data(), a.data(), base.data(), 6, 3, linear());
  CHECK(del.score.front() == Approx(fx[0]));
  CHECK(del.score.back() == Approx(0).margin(kExact));
  const Curve ins = insertion_curve(x.data(), a.data(), base.data(), 6, 3, linear());
  CHECK(ins.score.front() == Approx(0).margin(kExact));
  CHECK(ins.score.back() == Approx(fx[0]));
  CHECK(del.frac == std::vector<float>{0, 1.0f / 3, 2.0f / 3, 1});
  // The AUC of a constant curve is the constant.
  const Score seven = [](const float*, int rows, float* out) {
    for (int r = 0; r < rows; ++r) out[r] = 7;
  };
  CHECK(deletion_curve(x.data(), a.data(), base.data(), 6, 4, seven).auc == Approx(7));
  CHECK_THROWS_AS(deletion_curve(x.data(), a.data(), base.data(), 6, 0, linear()), std::invalid_argument);
}

TEST_CASE("attr_metrics: infidelity is 0 for complete attributions under the global perturbation (P17)") {
  // BasicModel2: f = relu(relu(x1) − 1 − relu(x2)), x = (3, 1), exact IG [1.5, −0.5] (sums to f(x) − f(0) = 1).
  const Score f = [](const float* xs, int rows, float* out) {
    for (int r = 0; r < rows; ++r) out[r] = relu(relu(xs[2 * r]) - 1 - relu(xs[2 * r + 1]));
  };
  const float x[] = {3, 1}, base[] = {0, 0}, ig[] = {1.5f, -0.5f}, wrong[] = {1, 1}, big[] = {150, -50};
  lab::Rng rng(1);
  CHECK(infidelity(x, ig, 2, 5, baseline_perturbation(base, 2, 0), f, rng) == Approx(0).margin(kExact));
  CHECK(infidelity(x, wrong, 2, 5, baseline_perturbation(base, 2, 0), f, rng) == Approx(1).margin(kExact));  // (2 − 1)²
  lab::Rng r1(9), r2(9);
  const float n1 = infidelity(x, ig, 2, 16, baseline_perturbation(base, 2, 0.5f), f, r1, true);
  const float n2 = infidelity(x, big, 2, 16, baseline_perturbation(base, 2, 0.5f), f, r2, true);
  CHECK(n1 == Approx(n2).margin(kExact));  // normalised: invariant to a → 100a
  lab::Rng g1(4), g2(4);
  CHECK(infidelity(x, ig, 2, 8, gaussian_perturbation(0.1f, 2), f, g1) == infidelity(x, ig, 2, 8, gaussian_perturbation(0.1f, 2), f, g2));
}

TEST_CASE("attr_metrics: max-sensitivity away from and at a kink (P18)") {
  // The gradient of BasicModel_MultiLayer in its linear region (Σx > 10) is [4, 4, 4]: no change.
  const Explain flat = [](const float* x, float* a) {
    const bool lin = x[0] + x[1] + x[2] > 10;
    for (int i = 0; i < 3; ++i) a[i] = lin ? 4.0f : 3.0f;
  };
  const float x[] = {20, 50, 30}, a[] = {4, 4, 4};
  lab::Rng rng(5);
  CHECK(sensitivity(x, a, 3, 0.02f, 10, flat, rng).max == Approx(0).margin(kExact));
  // BasicModel f(x) = 1 − relu(1 − x): gradient 1 below 1, 0 at and above (relu'(0) = 0). At 0.99 with
  // radius 0.02 some draws cross the kink: the map goes from 1 to 0, a relative change of 1.
  const Explain kink = [](const float* x, float* a) { a[0] = x[0] < 1 ? 1.0f : 0.0f; };
  const float x1[] = {0.99f}, a1[] = {1};
  lab::Rng rng2(7);
  const Sensitivity s = sensitivity(x1, a1, 1, 0.02f, 50, kink, rng2);
  CHECK(s.max == Approx(1));
  CHECK(s.mean > 0);
  CHECK(s.mean < 1);
}

TEST_CASE("attr_metrics: Spearman and Pearson") {
  const float a[] = {1, 2, 3, 4, 5}, sq[] = {1, 4, 9, 16, 100}, rev[] = {5, 4, 3, 2, 1}, c[] = {2, 2, 2, 2, 2};
  CHECK(spearman(a, sq, 5) == Approx(1));
  CHECK(pearson(a, sq, 5) < 0.99);
  CHECK(spearman(a, rev, 5) == Approx(-1));
  CHECK(std::isnan(spearman(a, c, 5)));
  CHECK(std::isnan(pearson(a, c, 5)));
  // Ties get average ranks: [1, 2, 2, 3] → ranks [1, 2.5, 2.5, 4] against [1, 2, 3, 4]: ρ = 0.9486833.
  const float t[] = {1, 2, 2, 3}, u[] = {1, 2, 3, 4};
  CHECK(spearman(t, u, 4) == Approx(0.9486833).margin(lab::testing::kClosedFormTol));
}
