// datasets_2d.cpp — the 2-D toy problems (TensorFlow Playground style): [SECTION] shared ·
// [SECTION] two-class · [SECTION] multi-class · [SECTION] regression · [SECTION] ground truth
//
// Every generator returns n samples with inputs (x1, x2) roughly in [-6, 6]. Class labels are dealt
// in turn (sample i gets class i mod K, so classes are balanced to within one sample) and the
// shuffle in make_dataset mixes them. Each sample makes the same draws whatever `noise` is, so for
// one seed, changing the noise moves the same points rather than drawing new ones.
#include <cmath>
#include <string>
#include <vector>

#include "data/dataset_internal.h"

namespace lab::dataset_detail {

// [SECTION] shared -------------------------------------------------------------------------------
namespace {

constexpr float kTwoPi = 6.28318530717958647692f;

// TensorFlow Playground's geometry (playground/src/dataset.ts), kept so lessons can refer to it.
constexpr float kCircleInnerRadius = 2.5f;  // class "inside": radius uniform in [0, 2.5)
constexpr float kRingInnerRadius = 3.5f;    // class "outside": radius uniform in [3.5, 5)
constexpr float kRingOuterRadius = 5.0f;
constexpr float kPlaygroundNoiseScale = 5.0f;  // circle / xor: displacement up to ±5·noise
constexpr float kXorExtent = 5.0f;             // xor: coordinates uniform in [-5, 5) ...
constexpr float kXorPadding = 0.3f;            // ... pushed 0.3 away from the axes
constexpr float kSpiralRadius = 5.0f;
constexpr float kSpiralTurns = 1.75f;
constexpr float kInputExtent = 6.0f;  // uniform inputs in [-6, 6)

constexpr float kGaussianCentre = 2.0f;  // gaussians: centres (-2, -2) and (2, 2)
constexpr float kClusterStd = 0.7f;      // gaussians / blobs: std-dev 0.7 + 2·noise
constexpr float kClusterStdPerNoise = 2.0f;
constexpr float kBlobRing = 4.0f;  // blobs: centres on a circle of radius 4

constexpr float kMoonScale = 3.0f;  // moons: sklearn's shapes, centred and scaled by 3
constexpr float kMoonCentreX = 0.5f, kMoonCentreY = 0.25f;

constexpr int kCheckerCells = 4;  // checkerboard: 4×4 cells over [-6, 6)
constexpr float kCheckerCell = 2.0f * kInputExtent / kCheckerCells;

constexpr float kPlaneScale = 12.0f;           // plane: y = (x1 + x2) / 12, in [-1, 1]
constexpr float kBumpSigma = 1.2f;             // gaussian_bumps: width of each bump
constexpr float kRegressionNoiseScale = 6.0f;  // regression: target read at x ± 6·noise

std::vector<std::string> numbered(const std::string& prefix, int k) {
  std::vector<std::string> v;
  for (int i = 1; i <= k; ++i) v.push_back(prefix + " " + std::to_string(i));
  return v;
}

// Fills the metadata shared by every 2-D dataset and sizes the samples for n rows.
Samples start_2d(const DatasetParams& p, Dataset& d, std::vector<std::string> class_names) {
  d.input_shape = {2};
  d.feature_names = {"x1", "x2"};
  Samples s;
  s.x.resize((size_t)p.n * 2);  // (n, 2)
  if (d.task == TaskKind::Classification) {
    d.num_classes = (int)class_names.size();
    d.output_dim = d.num_classes;
    d.class_names = std::move(class_names);
    s.label.resize((size_t)p.n);  // (n)
  } else {
    d.num_classes = 0;
    d.output_dim = 1;
    s.y.resize((size_t)p.n);  // (n, 1)
  }
  return s;
}

// Uniform displacement in [-amplitude, amplitude); always draws, even for amplitude 0.
float jitter(Rng& rng, float amplitude) { return amplitude * rng.uniform(-1.0f, 1.0f); }

int classes_extra(const DatasetParams& p) { return (int)p.extra.at("classes"); }

// Spiral arms: arm k of `arms` starts at angle 2πk/arms and winds 1.75 turns out to radius 5.
Samples spiral_arms(const DatasetParams& p, Rng& rng, Dataset& d, int arms) {
  Samples s = start_2d(p, d, numbered("arm", arms));
  for (int i = 0; i < p.n; ++i) {
    const int cls = i % arms;
    const float u = rng.uniform01();
    const float r = kSpiralRadius * u, t = kSpiralTurns * kTwoPi * u + kTwoPi * (float)cls / (float)arms;
    s.x[2 * i] = r * std::sin(t) + jitter(rng, p.noise);
    s.x[2 * i + 1] = r * std::cos(t) + jitter(rng, p.noise);
    s.label[i] = cls;
  }
  return s;
}

// Round Gaussian clusters, class k around centres[k].
Samples clusters(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<float>& centres, std::vector<std::string> names) {
  const int k = (int)names.size();
  Samples s = start_2d(p, d, std::move(names));
  const float std_dev = kClusterStd + kClusterStdPerNoise * p.noise;
  for (int i = 0; i < p.n; ++i) {
    const int cls = i % k;
    s.x[2 * i] = centres[2 * cls] + std_dev * rng.normal();
    s.x[2 * i + 1] = centres[2 * cls + 1] + std_dev * rng.normal();
    s.label[i] = cls;
  }
  return s;
}

}  // namespace

// [SECTION] two-class ----------------------------------------------------------------------------

Samples generate_circle(const DatasetParams& p, Rng& rng, Dataset& d) {
  Samples s = start_2d(p, d, {"inside", "outside"});
  const float amp = kPlaygroundNoiseScale * p.noise;
  for (int i = 0; i < p.n; ++i) {
    const int cls = i % 2;
    const float r = cls == 0 ? rng.uniform(0.0f, kCircleInnerRadius) : rng.uniform(kRingInnerRadius, kRingOuterRadius);
    const float a = rng.uniform(0.0f, kTwoPi);
    s.x[2 * i] = r * std::sin(a) + jitter(rng, amp);
    s.x[2 * i + 1] = r * std::cos(a) + jitter(rng, amp);
    s.label[i] = cls;
  }
  return s;
}

Samples generate_xor(const DatasetParams& p, Rng& rng, Dataset& d) {
  Samples s = start_2d(p, d, {"opposite signs", "same signs"});
  const float amp = kPlaygroundNoiseScale * p.noise;
  for (int i = 0; i < p.n; ++i) {
    float x1 = rng.uniform(-kXorExtent, kXorExtent), x2 = rng.uniform(-kXorExtent, kXorExtent);
    x1 += x1 > 0 ? kXorPadding : -kXorPadding;
    x2 += x2 > 0 ? kXorPadding : -kXorPadding;
    s.label[i] = x1 * x2 > 0 ? 1 : 0;
    s.x[2 * i] = x1 + jitter(rng, amp);
    s.x[2 * i + 1] = x2 + jitter(rng, amp);
  }
  return s;
}

Samples generate_gaussians(const DatasetParams& p, Rng& rng, Dataset& d) {
  return clusters(p, rng, d, {-kGaussianCentre, -kGaussianCentre, kGaussianCentre, kGaussianCentre}, {"lower left", "upper right"});
}

Samples generate_spiral(const DatasetParams& p, Rng& rng, Dataset& d) { return spiral_arms(p, rng, d, 2); }

// sklearn.datasets.make_moons: an upper half circle, and a lower one shifted right; Gaussian noise
// of std-dev `noise` in sklearn's units, then centred and scaled by 3 (x in [-4.5, 4.5], y in [-2.25, 2.25]).
Samples generate_moons(const DatasetParams& p, Rng& rng, Dataset& d) {
  Samples s = start_2d(p, d, {"upper moon", "lower moon"});
  for (int i = 0; i < p.n; ++i) {
    const int cls = i % 2;
    const float t = rng.uniform(0.0f, kTwoPi / 2);
    float x = std::cos(t), y = std::sin(t);
    if (cls == 1) {
      x = 1.0f - x;
      y = 0.5f - y;
    }
    x += p.noise * rng.normal();
    y += p.noise * rng.normal();
    s.x[2 * i] = kMoonScale * (x - kMoonCentreX);
    s.x[2 * i + 1] = kMoonScale * (y - kMoonCentreY);
    s.label[i] = cls;
  }
  return s;
}

Samples generate_checkerboard(const DatasetParams& p, Rng& rng, Dataset& d) {
  Samples s = start_2d(p, d, {"even cell", "odd cell"});
  const float amp = kCheckerCell * p.noise;
  auto cell = [](float v) {
    const int c = (int)std::floor((v + kInputExtent) / kCheckerCell);
    return c < 0 ? 0 : c >= kCheckerCells ? kCheckerCells - 1 : c;
  };
  for (int i = 0; i < p.n; ++i) {
    const float x1 = rng.uniform(-kInputExtent, kInputExtent), x2 = rng.uniform(-kInputExtent, kInputExtent);
    s.label[i] = (cell(x1) + cell(x2)) % 2;
    s.x[2 * i] = x1 + jitter(rng, amp);
    s.x[2 * i + 1] = x2 + jitter(rng, amp);
  }
  return s;
}

// [SECTION] multi-class --------------------------------------------------------------------------

Samples generate_spiral_multi(const DatasetParams& p, Rng& rng, Dataset& d) { return spiral_arms(p, rng, d, classes_extra(p)); }

Samples generate_blobs(const DatasetParams& p, Rng& rng, Dataset& d) {
  const int k = classes_extra(p);
  std::vector<float> centres;  // (k, 2): evenly spaced on a circle, the first at the top
  for (int c = 0; c < k; ++c) {
    const float a = kTwoPi / 4 + kTwoPi * (float)c / (float)k;
    centres.push_back(kBlobRing * std::cos(a));
    centres.push_back(kBlobRing * std::sin(a));
  }
  return clusters(p, rng, d, centres, numbered("blob", k));
}

// [SECTION] regression ---------------------------------------------------------------------------
// Inputs uniform in [-6, 6)²; the target is f at the input moved by up to ±6·noise per coordinate
// (TensorFlow Playground's convention), so noise blurs f rather than adding a separate term.

Samples generate_plane(const DatasetParams& p, Rng& rng, Dataset& d) {
  Samples s = start_2d(p, d, {});
  const float amp = kRegressionNoiseScale * p.noise;
  for (int i = 0; i < p.n; ++i) {
    const float x1 = rng.uniform(-kInputExtent, kInputExtent), x2 = rng.uniform(-kInputExtent, kInputExtent);
    s.x[2 * i] = x1;
    s.x[2 * i + 1] = x2;
    const float u = x1 + jitter(rng, amp), v = x2 + jitter(rng, amp);  // two declarators: drawn in order
    s.y[i] = (u + v) / kPlaneScale;
  }
  return s;
}

// Six bumps of height ±1 (a 3×2 grid of alternating signs, TensorFlow Playground's "multi-gaussian"
// layout), far enough apart that the sum stays within about [-1, 1].
Samples generate_gaussian_bumps(const DatasetParams& p, Rng& rng, Dataset& d) {
  struct Bump {
    float cx, cy, sign;
  };
  const Bump bumps[6] = {{-4, 2.5f, 1}, {0, 2.5f, -1}, {4, 2.5f, 1}, {-4, -2.5f, -1}, {0, -2.5f, 1}, {4, -2.5f, -1}};
  Samples s = start_2d(p, d, {});
  const float amp = kRegressionNoiseScale * p.noise;
  for (int i = 0; i < p.n; ++i) {
    const float x1 = rng.uniform(-kInputExtent, kInputExtent), x2 = rng.uniform(-kInputExtent, kInputExtent);
    s.x[2 * i] = x1;
    s.x[2 * i + 1] = x2;
    const float u = x1 + jitter(rng, amp), v = x2 + jitter(rng, amp);
    float y = 0.0f;
    for (const Bump& b : bumps) {
      const float d2 = (u - b.cx) * (u - b.cx) + (v - b.cy) * (v - b.cy);
      y += b.sign * std::exp(-d2 / (2.0f * kBumpSigma * kBumpSigma));
    }
    s.y[i] = y;
  }
  return s;
}

// [SECTION] ground truth -------------------------------------------------------------------------

// The label is x1 > 0 (decided before the noise moves x1); x2 is independent of the label. The mask
// is (1, 0) for every sample: only x1 decides.
Samples generate_one_feature(const DatasetParams& p, Rng& rng, Dataset& d) {
  Samples s = start_2d(p, d, {"x1 < 0", "x1 > 0"});
  s.mask.resize((size_t)p.n * 2);  // (n, 2)
  const float amp = kPlaygroundNoiseScale * p.noise;
  for (int i = 0; i < p.n; ++i) {
    const float x1 = rng.uniform(-kInputExtent, kInputExtent), x2 = rng.uniform(-kInputExtent, kInputExtent);
    s.label[i] = x1 > 0 ? 1 : 0;
    s.x[2 * i] = x1 + jitter(rng, amp);
    s.x[2 * i + 1] = x2;
    s.mask[2 * i] = 1.0f;
    s.mask[2 * i + 1] = 0.0f;
  }
  return s;
}

}  // namespace lab::dataset_detail
