// NeuronLab core — scores for attribution maps: pure functions that reach the model only through callbacks.
//
// The arena (attr_eval.h) uses them to grade methods; tests drive them with closed-form lambda models.
// Conventions (Quantus / captum, shared/reference/interpretability.md §1.18 and §3.2):
// - A map `a` and an input `x` are flat arrays of d features; `Score` returns the explained output for a
//   batch of inputs; orderings sort by a descending, ties broken by the lower index first.
// - Localisation takes the map as given, clipped to its positive part (negative evidence is not mass
//   "inside" anything); mass = Σ_mask a⁺ / Σ a⁺, NaN when Σ a⁺ = 0 or the mask is empty.
// - Every random draw comes from the Rng passed in, in a fixed order: the same seed, the same score.
//
//   using namespace lab::attr::metrics;
//   Score f = [](const float* xs, int rows, float* out) { for (int r = 0; r < rows; ++r) out[r] = xs[2*r] - xs[2*r+1]; };
//   float x[2] = {1, 2}, a[2] = {1, -2}, base[2] = {0, 0};
//   Curve c = deletion_curve(x, a, base, 2, 2, f);     // c.score = {−1, −2, 0}
//
// Errors: impossible arguments (d = 0, steps < 1, subset > d, …) throw std::invalid_argument. NaN inputs
// propagate to NaN scores; nothing throws on them.
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

#include "base/rng.h"

namespace lab::attr::metrics {

// The explained output for `rows` inputs of d features (xs: rows × d, row-major) into out[rows].
using Score = std::function<void(const float* xs, int rows, float* out)>;
// The attribution (d values) of one input x (d values).
using Explain = std::function<void(const float* x, float* a)>;

// Spearman rank correlation (average ranks for ties) and Pearson correlation; NaN if a side is constant.
float spearman(const float* a, const float* b, size_t n);
float pearson(const float* a, const float* b, size_t n);
// Quantus Sparseness (Gini of |a| + 1e-7, sorted ascending: Σ(2k − n − 1) a_k / (n Σa)): 0 uniform, (n−1)/n one-hot.
float gini(const float* a, size_t n);
// Quantus Complexity: −Σ p log(p + 1e-12), p = |a| / Σ|a|: 0 one-hot, ln n uniform.
float entropy(const float* a, size_t n);

// Relevance mass accuracy (Σ_mask a⁺ / Σ a⁺), relevance rank accuracy (|top-K(a) ∩ mask| / K, K = |mask|) and
// the pointing game (1 when an element holding the maximum of a lies in the mask, else 0). mask: n values,
// nonzero = ground truth. An empty mask gives NaN for all three.
struct Localisation {
  float mass, rank, pointing;
};
Localisation localisation(const float* a, const float* mask, size_t n);

// A perturbation curve: frac[k] ∈ [0, 1] the share of features changed, score[k] the output there, auc the
// trapezoid area over frac (pixel_flipping: over the step index, dx = 1, as Quantus).
struct Curve {
  std::vector<float> frac, score;
  float auc = 0;
};
// Deletion: from x, features set to the baseline in order of decreasing a, in `steps` equal steps (the last
// replaces all); score[0] = f(x). Insertion: from the baseline, x's values put back in the same order;
// score[0] = f(baseline). One Score call each (steps + 1 rows).
Curve deletion_curve(const float* x, const float* a, const float* baseline, size_t d, int steps, const Score& f);
Curve insertion_curve(const float* x, const float* a, const float* baseline, size_t d, int steps, const Score& f);
// Pixel flipping (Bach et al. 2015): features_in_step features at a time flipped to the baseline in order of
// decreasing a; score[k − 1] = f(x̃_k) for k = 1 … ⌈d / s⌉ (frac = flipped / d); auc = trapz with dx = 1.
Curve pixel_flipping(const float* x, const float* a, const float* baseline, size_t d, int features_in_step, const Score& f);
// Faithfulness correlation (Bhatt et al. 2020): over `runs` random subsets S of `subset` features set to the
// baseline, Pearson({Σ_S a}, {f(x) − f(x̃_S)}).
float faithfulness_correlation(const float* x, const float* a, const float* baseline, size_t d, int runs, int subset, const Score& f,
                               Rng& rng);

// One perturbation draw for infidelity: fills I (d) and the perturbed input x̃ (d).
using Perturb = std::function<void(Rng& rng, const float* x, float* I, float* xt)>;
// Infidelity (Yeh et al. 2019, captum): mean over draws of (Iᵀa − (f(x) − f(x̃)))². normalize: a is first
// scaled by β = E[Iᵀa·Δf] / E[(Iᵀa)²], which makes the score invariant to the map's scale.
float infidelity(const float* x, const float* a, size_t d, int samples, const Perturb& perturb, const Score& f, Rng& rng,
                 bool normalize = false);
// I ~ N(0, σ²) elementwise, x̃ = x − I.
Perturb gaussian_perturbation(float sigma, size_t d);
// Each feature set to the baseline with probability 1 − keep_prob; I = the indicator of the features set (the
// convention for maps that multiply by (x − x')). keep_prob = 0: captum's global perturbation to the baseline.
// The baseline is copied.
Perturb baseline_perturbation(const float* baseline, size_t d, float keep_prob);

// Max- and avg-sensitivity (Yeh et al.; captum sensitivity_max): over `samples` draws δ ~ U(−radius, radius)^d,
// ‖a(x) − a(x + δ)‖₂ / ‖a(x)‖₂ (denominator 1 when ‖a(x)‖ = 0); a = the map of x already computed.
struct Sensitivity {
  float max, mean;
};
Sensitivity sensitivity(const float* x, const float* a, size_t d, float radius, int samples, const Explain& explain, Rng& rng);

}  // namespace lab::attr::metrics
