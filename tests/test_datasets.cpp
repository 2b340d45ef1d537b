// Datasets: the registry, every generator's shapes and ground truth, the schema's error messages, the
// split, and the CSV loader. Run alone with: core_tests "[datasets]"
#include <catch2/catch.hpp>

#include "tolerances.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/dataset.h"

using namespace lab;

namespace {

// Recomputing a generated point's geometry in float loses a few ulps of a value up to ~6.
using testing::kGeometryTol;  // tests/tolerances.h
// 2-D inputs stay "roughly in [-6, 6]": the ring's radius 5 plus the default noise; 8 leaves room.
constexpr float kMax2dExtentAtDefaults = 8.0f;
// A dataset at its defaults must generate well within a test's time (one frame of headroom to spare
// in wasm under Node, where this runs several times slower than natively).
constexpr double kGenerationBudgetSeconds = 0.5;
constexpr int kImageSide = 28, kPatchSide = 8, kPatchArea = kPatchSide * kPatchSide;
// block_patterns' class glyphs differ pairwise (and from the null glyph) in at least this many pixels.
constexpr int kMinGlyphDistance = 16;

DatasetParams defaults_of(const DatasetInfo& info) {
  DatasetParams p;
  for (const ParamSpec& s : info.params) {
    if (s.name == "n")
      p.n = (int)s.def;
    else if (s.name == "noise")
      p.noise = (float)s.def;
    else if (s.name == "test_ratio")
      p.test_ratio = (float)s.def;
    else if (s.name == "seed")
      p.seed = (uint64_t)s.def;
    else
      p.extra[s.name] = s.def;
  }
  return p;
}

// Defaults, with fewer samples for the image task (784 inputs each) so loops over all datasets stay fast.
DatasetParams small_params(const DatasetInfo& info, int n_2d = 200) {
  DatasetParams p = defaults_of(info);
  p.n = info.kind == "image" ? 40 : n_2d;
  return p;
}

template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_dataset(const Dataset& a, const Dataset& b) {
  return same_bytes(a.train_x, b.train_x) && same_bytes(a.test_x, b.test_x) && same_bytes(a.train_label, b.train_label) &&
         same_bytes(a.test_label, b.test_label) && same_bytes(a.train_y, b.train_y) && same_bytes(a.test_y, b.test_y) &&
         same_bytes(a.train_mask, b.train_mask) && same_bytes(a.test_mask, b.test_mask);
}

// Checks one split's arrays against the dataset's shapes; returns its sample count. (Counts bad
// values and checks the counts, rather than one REQUIRE per value: thousands of values per split.)
size_t check_split(const Dataset& d, const std::vector<float>& x, const std::vector<int>& label, const std::vector<float>& y,
                   const std::vector<float>& mask) {
  const size_t in = d.input_size();
  REQUIRE(in > 0);
  REQUIRE(x.size() % in == 0);
  const size_t n = x.size() / in;
  REQUIRE(std::count_if(x.begin(), x.end(), [](float v) { return !std::isfinite(v); }) == 0);
  if (d.task == TaskKind::Classification) {
    REQUIRE(label.size() == n);
    REQUIRE(y.empty());
    REQUIRE(std::count_if(label.begin(), label.end(), [&](int l) { return l < 0 || l >= d.num_classes; }) == 0);
  } else {
    REQUIRE(label.empty());
    REQUIRE(y.size() == n * (size_t)d.output_dim);
    REQUIRE(std::count_if(y.begin(), y.end(), [](float v) { return !std::isfinite(v); }) == 0);
  }
  REQUIRE((mask.empty() || mask.size() == x.size()));
  REQUIRE(std::count_if(mask.begin(), mask.end(), [](float m) { return m != 0.0f && m != 1.0f; }) == 0);
  return n;
}

void check_dataset(const Dataset& d, const DatasetInfo& info, const DatasetParams& p) {
  REQUIRE(d.name == info.name);
  REQUIRE(d.task == info.task);
  if (d.task == TaskKind::Classification) {
    REQUIRE(d.num_classes >= 2);
    REQUIRE(d.output_dim == d.num_classes);
    REQUIRE(d.class_names.size() == (size_t)d.num_classes);
  } else {
    REQUIRE(d.num_classes == 0);
    REQUIRE(d.output_dim == 1);
  }
  if (info.kind == "2d") {
    REQUIRE(d.input_shape == std::vector<int>{2});
    REQUIRE(d.feature_names == std::vector<std::string>{"x1", "x2"});
  } else if (info.kind == "table") {
    REQUIRE(d.input_shape.size() == 1);
    REQUIRE(d.feature_names.size() == (size_t)d.input_shape[0]);
  } else {
    REQUIRE(info.kind == "image");
    REQUIRE(d.input_shape == std::vector<int>{1, kImageSide, kImageSide});
    REQUIRE(d.feature_names.empty());
  }
  const size_t n_train = check_split(d, d.train_x, d.train_label, d.train_y, d.train_mask);
  const size_t n_test = check_split(d, d.test_x, d.test_label, d.test_y, d.test_mask);
  REQUIRE(n_train == d.n_train());
  REQUIRE(n_test == d.n_test());
  REQUIRE(n_train + n_test == (size_t)p.n);
  REQUIRE(d.train_mask.empty() == d.test_mask.empty());
}

// All samples of both splits, in order (train then test).
struct Rows {
  std::vector<float> x, y, mask;
  std::vector<int> label;
};
Rows all_rows(const Dataset& d) {
  Rows r;
  r.x = d.train_x;
  r.x.insert(r.x.end(), d.test_x.begin(), d.test_x.end());
  r.label = d.train_label;
  r.label.insert(r.label.end(), d.test_label.begin(), d.test_label.end());
  r.y = d.train_y;
  r.y.insert(r.y.end(), d.test_y.begin(), d.test_y.end());
  r.mask = d.train_mask;
  r.mask.insert(r.mask.end(), d.test_mask.begin(), d.test_mask.end());
  return r;
}

Dataset make(const std::string& name, int n, float noise, uint64_t seed = 3, std::map<std::string, double> extra = {}) {
  DatasetParams p;
  p.n = n;
  p.noise = noise;
  p.seed = seed;
  p.extra = std::move(extra);
  return make_dataset(name, p);
}

}  // namespace

// [SECTION] registry ------------------------------------------------------------------------------

TEST_CASE("the dataset registry lists every dataset with a complete schema", "[datasets]") {
  const std::vector<std::string> expected = {
      "circle",       "xor",           "gaussians", "spiral",         "moons",         "checkerboard",
      "spiral_multi", "blobs",         "plane",     "gaussian_bumps", "one_feature",   "block_patterns",
      "random",       "random_images", "digits",    "mnist",          "fashion_mnist", "csv"};
  std::vector<std::string> names;
  for (const DatasetInfo& info : dataset_registry()) names.push_back(info.name);
  REQUIRE(names == expected);

  for (const DatasetInfo& info : dataset_registry()) {
    INFO(info.name);
    REQUIRE(find_dataset(info.name) == &info);
    REQUIRE(!info.title.empty());
    REQUIRE(!info.description.empty());
    REQUIRE((info.kind == "2d" || info.kind == "image" || info.kind == "table"));
    std::set<std::string> params;
    for (const ParamSpec& s : info.params) {
      INFO(s.name);
      REQUIRE(params.insert(s.name).second);
      REQUIRE(s.min <= s.def);
      REQUIRE(s.def <= s.max);
      REQUIRE(!s.help.empty());
      if (s.kind == ParamSpec::Integer) REQUIRE(s.def == std::floor(s.def));
    }
    for (const char* core : {"n", "noise", "test_ratio", "seed"}) REQUIRE(params.count(core) == 1);
    for (const ParamSpec& s : info.params) {
      if (s.name == "test_ratio") REQUIRE((s.min == 0.0 && s.max == 0.9 && s.def == 0.5 && s.kind == ParamSpec::Number));
      if (s.name == "seed") REQUIRE((s.min == 0.0 && s.max == 4294967295.0 && s.kind == ParamSpec::Integer));
      if (s.name == "n") REQUIRE((s.kind == ParamSpec::Integer && s.min >= 2));
    }
  }
  REQUIRE(find_dataset("sprial") == nullptr);
}

TEST_CASE("every registered dataset generates with its schema defaults", "[datasets]") {
  for (const DatasetInfo& info : dataset_registry()) {
    if (!info.asset.empty()) continue;  // reads a data file: test_datasets_packed.cpp
    INFO(info.name);
    const DatasetParams p = defaults_of(info);
    const Dataset d = make_dataset(info.name, p);
    check_dataset(d, info, p);
    if (info.kind == "2d") {
      const std::vector<float> x = all_rows(d).x;
      REQUIRE(std::count_if(x.begin(), x.end(), [](float v) { return std::fabs(v) > kMax2dExtentAtDefaults; }) == 0);
    }
    // Every class is present.
    if (d.task == TaskKind::Classification) {
      const std::vector<int> labels = all_rows(d).label;
      REQUIRE(std::set<int>(labels.begin(), labels.end()).size() == (size_t)d.num_classes);
    }
  }
}

TEST_CASE("every dataset generates at its default size within the time budget", "[datasets]") {
  for (const DatasetInfo& info : dataset_registry()) {
    if (!info.asset.empty()) continue;  // reads a data file: test_datasets_packed.cpp
    INFO(info.name);
    const auto t0 = std::chrono::steady_clock::now();
    const Dataset d = make_dataset(info.name, defaults_of(info));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(d.n_train() > 0);
    REQUIRE(seconds < kGenerationBudgetSeconds);
  }
}

// [SECTION] determinism and split ----------------------------------------------------------------

TEST_CASE("same name and params give identical bytes; another seed gives other data", "[datasets]") {
  for (const DatasetInfo& info : dataset_registry()) {
    if (!info.asset.empty()) continue;  // reads a data file: test_datasets_packed.cpp
    INFO(info.name);
    DatasetParams p = small_params(info);
    p.noise = 0.2f;
    const Dataset a = make_dataset(info.name, p), b = make_dataset(info.name, p);
    REQUIRE(same_dataset(a, b));
    p.seed += 1;
    const Dataset c = make_dataset(info.name, p);
    REQUIRE(!same_bytes(a.train_x, c.train_x));
  }
}

TEST_CASE("for one seed, the noise moves the same points (labels unchanged)", "[datasets]") {
  for (const char* name : {"circle", "xor", "spiral", "moons", "checkerboard", "one_feature", "block_patterns"}) {
    INFO(name);
    const Dataset clean = make(name, 100, 0.0f), noisy = make(name, 100, 0.3f);
    REQUIRE(clean.train_label == noisy.train_label);
    REQUIRE(clean.test_label == noisy.test_label);
    REQUIRE(!same_bytes(clean.train_x, noisy.train_x));
  }
}

TEST_CASE("split sizes: test = n·test_ratio rounded half up, both splits non-empty", "[datasets]") {
  struct Case {
    int n;
    float ratio;
    size_t n_test;
  };
  const Case cases[] = {
      {10, 0.0f, 0},     {10, 0.01f, 1},                        // rounds to 0, raised to 1 so the test split is non-empty
      {10, 0.5f, 5},     {10, 0.9f, 9},         {11, 0.5f, 6},  // 5.5 rounds up
      {15, 0.7f, 11},                                           // 10.5: 0.7f is read as 0.7, not as 0.69999998
      {500, 0.25f, 125}, {100000, 0.9f, 90000},
  };
  for (const Case& c : cases) {
    INFO("n = " << c.n << ", test_ratio = " << c.ratio);
    DatasetParams p;
    p.n = c.n;
    p.test_ratio = c.ratio;
    const Dataset d = make_dataset("xor", p);
    REQUIRE(d.n_test() == c.n_test);
    REQUIRE(d.n_train() == (size_t)c.n - c.n_test);
  }
}

// [SECTION] schema validation ---------------------------------------------------------------------

TEST_CASE("make_dataset rejects bad names and parameters with readable messages", "[datasets]") {
  DatasetParams p;
  REQUIRE_THROWS_AS(make_dataset("sprial", p), std::invalid_argument);
  REQUIRE_THROWS_WITH(make_dataset("sprial", p),
                      "unknown dataset 'sprial' (known: circle, xor, gaussians, spiral, moons, checkerboard, "
                      "spiral_multi, blobs, plane, gaussian_bumps, one_feature, block_patterns, random, random_images, "
                      "digits, mnist, fashion_mnist, csv)");

  DatasetParams bad = p;
  bad.noise = 3.0f;
  REQUIRE_THROWS_WITH(make_dataset("spiral", bad), "dataset 'spiral': noise must be a number between 0 and 1 (got 3)");
  bad = p;
  bad.noise = -0.5f;
  REQUIRE_THROWS_WITH(make_dataset("circle", bad), "dataset 'circle': noise must be a number between 0 and 1 (got -0.5)");
  bad = p;
  bad.noise = std::nanf("");
  REQUIRE_THROWS_AS(make_dataset("circle", bad), std::invalid_argument);
  bad = p;
  bad.n = 5;
  REQUIRE_THROWS_WITH(make_dataset("circle", bad), "dataset 'circle': n must be an integer between 10 and 100000 (got 5)");
  bad.n = 100001;
  REQUIRE_THROWS_WITH(make_dataset("circle", bad), "dataset 'circle': n must be an integer between 10 and 100000 (got 100001)");
  bad.n = 20000;
  REQUIRE_THROWS_WITH(make_dataset("block_patterns", bad),
                      "dataset 'block_patterns': n must be an integer between 10 and 10000 (got 20000)");
  bad = p;
  bad.test_ratio = 0.95f;
  REQUIRE_THROWS_WITH(make_dataset("xor", bad), "dataset 'xor': test_ratio must be a number between 0 and 0.9 (got 0.95)");
  bad = p;
  bad.seed = 4294967296ull;
  REQUIRE_THROWS_WITH(make_dataset("xor", bad), "dataset 'xor': seed must be an integer between 0 and 4294967295 (got 4294967296)");
  bad = p;
  bad.extra["classes"] = 3;
  REQUIRE_THROWS_WITH(make_dataset("spiral", bad), "dataset 'spiral': unknown parameter 'classes' (it takes none)");
  bad = p;
  bad.extra["arms"] = 3;
  REQUIRE_THROWS_WITH(make_dataset("blobs", bad), "dataset 'blobs': unknown parameter 'arms' (known: classes)");
  bad = p;
  bad.extra["noise"] = 0.1;  // a core parameter is not an extra
  REQUIRE_THROWS_WITH(make_dataset("blobs", bad), "dataset 'blobs': unknown parameter 'noise' (known: classes)");
  bad = p;
  bad.extra["classes"] = 3.5;
  REQUIRE_THROWS_WITH(make_dataset("blobs", bad), "dataset 'blobs': classes must be an integer (got 3.5)");
  bad.extra["classes"] = 7;
  REQUIRE_THROWS_WITH(make_dataset("spiral_multi", bad), "dataset 'spiral_multi': classes must be an integer between 3 and 5 (got 7)");
  bad.extra["classes"] = 1;
  REQUIRE_THROWS_WITH(make_dataset("block_patterns", bad), "dataset 'block_patterns': classes must be an integer between 2 and 10 (got 1)");

  // The boundaries themselves are accepted (compared in float: 0.9f is not "above 0.9").
  DatasetParams edge = p;
  edge.n = 10;
  edge.noise = 1.0f;
  edge.test_ratio = 0.9f;
  edge.seed = 4294967295ull;
  REQUIRE_NOTHROW(make_dataset("moons", edge));
  edge.test_ratio = 0.0f;
  edge.noise = 0.0f;
  edge.seed = 0;
  REQUIRE(make_dataset("moons", edge).n_test() == 0);
}

// [SECTION] 2-D ground truth ---------------------------------------------------------------------

TEST_CASE("circle: a disk inside a ring", "[datasets]") {
  const Rows r = all_rows(make("circle", 1000, 0.0f));
  double sum_r[2] = {0, 0};
  int count[2] = {0, 0};
  for (size_t i = 0; i < r.label.size(); ++i) {
    const float radius = std::hypot(r.x[2 * i], r.x[2 * i + 1]);
    const int c = r.label[i];
    if (c == 0)
      REQUIRE(radius <= 2.5f + kGeometryTol);
    else
      REQUIRE((radius >= 3.5f - kGeometryTol && radius <= 5.0f + kGeometryTol));
    sum_r[c] += radius;
    ++count[c];
  }
  REQUIRE(count[0] == 500);
  REQUIRE(count[1] == 500);
  // With noise the classes overlap, but class 0 stays nearer the origin on average.
  const Rows noisy = all_rows(make("circle", 1000, 0.5f));
  double m[2] = {0, 0};
  for (size_t i = 0; i < noisy.label.size(); ++i) m[noisy.label[i]] += std::hypot(noisy.x[2 * i], noisy.x[2 * i + 1]);
  REQUIRE(m[0] / 500 < m[1] / 500);
}

TEST_CASE("xor: at noise 0 the class is sign(x1·x2), away from the axes", "[datasets]") {
  const Rows r = all_rows(make("xor", 1000, 0.0f));
  for (size_t i = 0; i < r.label.size(); ++i) {
    const float x1 = r.x[2 * i], x2 = r.x[2 * i + 1];
    REQUIRE(std::fabs(x1) >= 0.3f);
    REQUIRE(std::fabs(x2) >= 0.3f);
    REQUIRE(r.label[i] == (x1 * x2 > 0 ? 1 : 0));
  }
  // With noise, some labels disagree with the rule (the points moved, their labels did not).
  const Rows n = all_rows(make("xor", 1000, 0.5f));
  int disagree = 0;
  for (size_t i = 0; i < n.label.size(); ++i) disagree += n.label[i] != (n.x[2 * i] * n.x[2 * i + 1] > 0 ? 1 : 0);
  REQUIRE(disagree > 0);
}

TEST_CASE("gaussians and blobs: each class clusters around its centre", "[datasets]") {
  // Centre estimates from 1000 points of std-dev 0.7 have a standard error of ~0.03; 0.3 is 10 of them.
  const float kCentreTol = 0.3f;
  const Rows g = all_rows(make("gaussians", 2000, 0.0f));
  double sx[2] = {0, 0}, sy[2] = {0, 0};
  for (size_t i = 0; i < g.label.size(); ++i) {
    sx[g.label[i]] += g.x[2 * i];
    sy[g.label[i]] += g.x[2 * i + 1];
  }
  REQUIRE(std::fabs(sx[0] / 1000 + 2) < kCentreTol);
  REQUIRE(std::fabs(sy[0] / 1000 + 2) < kCentreTol);
  REQUIRE(std::fabs(sx[1] / 1000 - 2) < kCentreTol);
  REQUIRE(std::fabs(sy[1] / 1000 - 2) < kCentreTol);

  for (int k = 3; k <= 5; ++k) {
    INFO("classes = " << k);
    const Dataset d = make("blobs", 200 * k, 0.0f, 3, {{"classes", k}});
    REQUIRE(d.num_classes == k);
    const Rows b = all_rows(d);
    std::vector<double> mx(k, 0), my(k, 0);
    for (size_t i = 0; i < b.label.size(); ++i) {
      mx[b.label[i]] += b.x[2 * i];
      my[b.label[i]] += b.x[2 * i + 1];
    }
    for (int c = 0; c < k; ++c) {
      // Centres sit on a circle of radius 4, the first at the top.
      REQUIRE(std::fabs(std::hypot(mx[c] / 200, my[c] / 200) - 4.0) < kCentreTol);
      if (c == 0) REQUIRE(std::fabs(my[c] / 200 - 4.0) < kCentreTol);
    }
  }
}

TEST_CASE("spirals: at noise 0 every point lies on its class's arm", "[datasets]") {
  const float kTwoPi = 6.28318530717958647692f;
  // Angle tolerance: a point's angle from atan2 vs the arm's formula; loose near the centre where
  // the radius is tiny, so points within 0.05 of the origin are skipped.
  const float kAngleTol = 1e-3f, kMinRadius = 0.05f;
  for (int arms : {2, 3, 4, 5}) {
    INFO("arms = " << arms);
    const Dataset d = arms == 2 ? make("spiral", 500, 0.0f) : make("spiral_multi", 500, 0.0f, 3, {{"classes", arms}});
    REQUIRE(d.num_classes == arms);
    const Rows r = all_rows(d);
    std::vector<int> count(arms, 0);
    for (size_t i = 0; i < r.label.size(); ++i) {
      const float x1 = r.x[2 * i], x2 = r.x[2 * i + 1], radius = std::hypot(x1, x2);
      REQUIRE(radius <= 5.0f + kGeometryTol);
      ++count[r.label[i]];
      if (radius < kMinRadius) continue;
      const float expected = 1.75f * kTwoPi * radius / 5.0f + kTwoPi * (float)r.label[i] / (float)arms;
      const float diff = std::remainder(std::atan2(x1, x2) - expected, kTwoPi);
      REQUIRE(std::fabs(diff) < kAngleTol);
    }
    for (int c : count) REQUIRE(std::abs(c - 500 / arms) <= 1);  // dealt in turn: balanced
  }
}

TEST_CASE("moons: at noise 0 the points lie on sklearn's two half circles", "[datasets]") {
  const Rows r = all_rows(make("moons", 500, 0.0f));
  for (size_t i = 0; i < r.label.size(); ++i) {
    // Undo the centring and scaling to sklearn's coordinates.
    const float x = r.x[2 * i] / 3.0f + 0.5f, y = r.x[2 * i + 1] / 3.0f + 0.25f;
    if (r.label[i] == 0) {
      REQUIRE(std::fabs(std::hypot(x, y) - 1.0f) < kGeometryTol);
      REQUIRE(y >= -kGeometryTol);
    } else {
      REQUIRE(std::fabs(std::hypot(x - 1.0f, y - 0.5f) - 1.0f) < kGeometryTol);
      REQUIRE(y <= 0.5f + kGeometryTol);
    }
  }
}

TEST_CASE("checkerboard: at noise 0 the class alternates over 4×4 cells of side 3", "[datasets]") {
  const Rows r = all_rows(make("checkerboard", 2000, 0.0f));
  int count[2] = {0, 0};
  for (size_t i = 0; i < r.label.size(); ++i) {
    const float x1 = r.x[2 * i], x2 = r.x[2 * i + 1];
    REQUIRE((x1 >= -6.0f && x1 < 6.0f && x2 >= -6.0f && x2 < 6.0f));
    const int cx = (int)std::floor((x1 + 6.0f) / 3.0f), cy = (int)std::floor((x2 + 6.0f) / 3.0f);
    REQUIRE(r.label[i] == (cx + cy) % 2);
    ++count[r.label[i]];
  }
  REQUIRE(count[0] > 0);
  REQUIRE(count[1] > 0);
}

TEST_CASE("regressions: plane and gaussian_bumps follow their formulas at noise 0", "[datasets]") {
  const float kTargetTol = 1e-5f;  // float formula evaluated in a different order
  const Dataset plane = make("plane", 500, 0.0f);
  REQUIRE(plane.task == TaskKind::Regression);
  const Rows p = all_rows(plane);
  for (size_t i = 0; i < p.y.size(); ++i) {
    REQUIRE(std::fabs(p.y[i] - (p.x[2 * i] + p.x[2 * i + 1]) / 12.0f) < kTargetTol);
    REQUIRE(std::fabs(p.y[i]) <= 1.0f);
  }

  const Rows b = all_rows(make("gaussian_bumps", 2000, 0.0f));
  const double bumps[6][3] = {{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
  const double sigma = 1.2;
  float lo = 0, hi = 0;
  for (size_t i = 0; i < b.y.size(); ++i) {
    double y = 0;
    for (const auto& g : bumps) {
      const double dx = b.x[2 * i] - g[0], dy = b.x[2 * i + 1] - g[1];
      y += g[2] * std::exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
    }
    REQUIRE(std::fabs(b.y[i] - y) < kTargetTol);
    lo = std::min(lo, b.y[i]);
    hi = std::max(hi, b.y[i]);
  }
  // Scaled to about [-1, 1]: the peaks are reached, and not exceeded by more than the bumps' overlap.
  REQUIRE(hi > 0.9f);
  REQUIRE(lo < -0.9f);
  REQUIRE(hi < 1.01f);
  REQUIRE(lo > -1.01f);

  // Noise blurs the target: some targets change, the inputs do not.
  const Dataset noisy = make("plane", 500, 0.3f);
  REQUIRE(same_bytes(plane.train_x, noisy.train_x));
  REQUIRE(!same_bytes(plane.train_y, noisy.train_y));
}

TEST_CASE("one_feature: only x1 decides the label, and the mask says so", "[datasets]") {
  const Dataset d = make("one_feature", 1000, 0.0f);
  for (const auto* mask : {&d.train_mask, &d.test_mask}) {
    REQUIRE(mask->size() == (mask == &d.train_mask ? d.train_x.size() : d.test_x.size()));
    for (size_t i = 0; i < mask->size(); i += 2) {
      REQUIRE((*mask)[i] == 1.0f);
      REQUIRE((*mask)[i + 1] == 0.0f);
    }
  }
  const Rows r = all_rows(d);
  double x2_mean[2] = {0, 0};
  int count[2] = {0, 0};
  for (size_t i = 0; i < r.label.size(); ++i) {
    REQUIRE(r.label[i] == (r.x[2 * i] > 0 ? 1 : 0));
    x2_mean[r.label[i]] += r.x[2 * i + 1];
    ++count[r.label[i]];
  }
  // x2 is uniform in [-6, 6) whatever the class: std-dev 3.46, so a class mean over ~500 points has a
  // standard error of ~0.16; 1.0 is 6 of them.
  const double kMeanTol = 1.0;
  REQUIRE(std::fabs(x2_mean[0] / count[0]) < kMeanTol);
  REQUIRE(std::fabs(x2_mean[1] / count[1]) < kMeanTol);
}

// [SECTION] block_patterns ------------------------------------------------------------------------

TEST_CASE("block_patterns: a class glyph in one slot, the null glyph in the other, the mask on the glyph", "[datasets]") {
  const Dataset d = make("block_patterns", 400, 0.0f);
  REQUIRE(d.num_classes == 10);
  REQUIRE(d.input_shape == std::vector<int>{1, kImageSide, kImageSide});
  const Rows r = all_rows(d);
  const size_t px = (size_t)kImageSide * kImageSide;
  const int slot_rows[2] = {3, 17}, slot_col = 10;

  std::vector<std::vector<float>> glyph_of_class(10);  // (10)(64) signal slot of each class, as first seen
  std::vector<float> null_glyph;                       // (64)
  int on_top = 0;
  auto slot = [&](const float* img, int row0) {
    std::vector<float> s;
    for (int y = 0; y < kPatchSide; ++y)
      for (int x = 0; x < kPatchSide; ++x) s.push_back(img[(row0 + y) * kImageSide + slot_col + x]);
    return s;
  };
  for (size_t i = 0; i < r.label.size(); ++i) {
    const float* img = &r.x[i * px];
    const float* mask = &r.mask[i * px];
    int mask_sum = 0;
    for (size_t j = 0; j < px; ++j) mask_sum += (int)mask[j];
    REQUIRE(mask_sum == kPatchArea);
    const bool top = mask[slot_rows[0] * kImageSide + slot_col] == 1.0f;
    on_top += top;
    const int sig = slot_rows[top ? 0 : 1], other = slot_rows[top ? 1 : 0];
    // The mask covers exactly the signal slot; the background is 0; every pixel is 0 or 1.
    int mask_off_slot = 0, background_on = 0, not_binary = 0;
    for (int y = 0; y < kImageSide; ++y)
      for (int x = 0; x < kImageSide; ++x) {
        const bool in_sig = y >= sig && y < sig + kPatchSide && x >= slot_col && x < slot_col + kPatchSide;
        const bool in_other = y >= other && y < other + kPatchSide && x >= slot_col && x < slot_col + kPatchSide;
        const float v = img[y * kImageSide + x];
        mask_off_slot += mask[y * kImageSide + x] != (in_sig ? 1.0f : 0.0f);
        background_on += !in_sig && !in_other && v != 0.0f;
        not_binary += v != 0.0f && v != 1.0f;
      }
    REQUIRE(mask_off_slot == 0);
    REQUIRE(background_on == 0);
    REQUIRE(not_binary == 0);
    // The same glyph for every sample of a class, and the same null glyph for all.
    std::vector<float>& g = glyph_of_class[r.label[i]];
    if (g.empty()) g = slot(img, sig);
    REQUIRE(slot(img, sig) == g);
    if (null_glyph.empty()) null_glyph = slot(img, other);
    REQUIRE(slot(img, other) == null_glyph);
  }
  // Both positions occur (400 fair coin flips).
  REQUIRE(on_top > 0);
  REQUIRE(on_top < (int)r.label.size());
  // The label-deciding glyphs differ between classes, and from the null glyph.
  glyph_of_class.push_back(null_glyph);
  for (size_t a = 0; a < glyph_of_class.size(); ++a)
    for (size_t b = a + 1; b < glyph_of_class.size(); ++b) {
      REQUIRE(glyph_of_class[a].size() == (size_t)kPatchArea);
      int distance = 0;
      for (int j = 0; j < kPatchArea; ++j) distance += glyph_of_class[a][j] != glyph_of_class[b][j];
      INFO("glyphs " << a << " and " << b);
      REQUIRE(distance >= kMinGlyphDistance);
    }
}

TEST_CASE("block_patterns: fewer classes, and pixel noise of the requested std-dev", "[datasets]") {
  const Dataset two = make("block_patterns", 100, 0.0f, 3, {{"classes", 2}});
  REQUIRE(two.num_classes == 2);
  REQUIRE(two.class_names.size() == 2);

  const float noise = 0.3f;
  const Dataset d = make("block_patterns", 200, noise);
  // Background pixels (row 0 is never in a slot) carry only the noise: their std-dev is `noise`.
  // 200 images × 28 pixels: the estimate's relative standard error is ~1/sqrt(2·5600) ≈ 1%; 5% is 5 of them.
  const float kStdTol = 0.05f * noise;
  double sum = 0, sum2 = 0;
  size_t count = 0;
  for (size_t i = 0; i < d.n_train(); ++i)
    for (int x = 0; x < kImageSide; ++x) {
      const double v = d.train_x[i * kImageSide * kImageSide + x];
      sum += v;
      sum2 += v * v;
      ++count;
    }
  const double mean = sum / count, std_dev = std::sqrt(sum2 / count - mean * mean);
  REQUIRE(std::fabs(std_dev - noise) < kStdTol);
}

// [SECTION] CSV ----------------------------------------------------------------------------------

TEST_CASE("CSV: numeric features and integer labels make a classification", "[datasets]") {
  const std::string text = "x1,x2,label\n1,2,0\n3,4,1\n5,6,0\n7,8,2\n";
  const Dataset d = parse_csv_dataset(text, "", 0.5f, 1);
  REQUIRE(d.name == "csv");
  REQUIRE(d.task == TaskKind::Classification);
  REQUIRE(d.input_shape == std::vector<int>{2});
  REQUIRE(d.feature_names == std::vector<std::string>{"x1", "x2"});
  REQUIRE(d.num_classes == 3);
  REQUIRE(d.output_dim == 3);
  REQUIRE(d.class_names == std::vector<std::string>{"0", "1", "2"});
  REQUIRE(d.n_train() == 2);
  REQUIRE(d.n_test() == 2);
  REQUIRE(d.train_mask.empty());
  // The shuffle keeps each row's features with its label.
  const Rows r = all_rows(d);
  std::set<std::vector<float>> rows;
  for (size_t i = 0; i < 4; ++i) rows.insert({r.x[2 * i], r.x[2 * i + 1], (float)r.label[i]});
  REQUIRE(rows == std::set<std::vector<float>>{{1, 2, 0}, {3, 4, 1}, {5, 6, 0}, {7, 8, 2}});
  // Seeded: same seed, same split.
  REQUIRE(same_dataset(d, parse_csv_dataset(text, "", 0.5f, 1)));
}

TEST_CASE("CSV: a NUL byte is refused whole, naming its line; messages write control characters out", "[datasets]") {
  const std::string nul("a,b,label\n1,2,x\n3,\0abc,y\n", 25);
  CHECK_THROWS_WITH(parse_csv_dataset(nul, "", 0.5f, 1),
                    "the file has a NUL byte on line 3: it is not a text CSV (a spreadsheet's own format, or UTF-16?). "
                    "Save it as \"CSV (UTF-8)\" and load it again");
  CHECK_THROWS_WITH(parse_csv_dataset(std::string("a,b,label\n1,2,x\0\n3,4,y\n", 23), "", 0.5f, 1), Catch::Contains("NUL byte on line 2"));
  // Another control character in a cell the message quotes: written as \x01, the message whole.
  CHECK_THROWS_WITH(parse_csv_dataset("a,b,label\n1,2,x\n3,\x01z,y\n", "", 0.5f, 1), Catch::Contains("'\\x01z'"));
}

TEST_CASE("CSV: string labels become classes in order of first appearance", "[datasets]") {
  const Dataset d = parse_csv_dataset("a,species,b\n1,setosa,2\n3,virginica,4\n5,setosa,6\n7,versicolor,8\n", "species", 0.0f, 1);
  REQUIRE(d.task == TaskKind::Classification);
  REQUIRE(d.class_names == std::vector<std::string>{"setosa", "virginica", "versicolor"});
  REQUIRE(d.feature_names == std::vector<std::string>{"a", "b"});
  REQUIRE(d.n_test() == 0);
  for (size_t i = 0; i < d.n_train(); ++i) {
    const float a = d.train_x[2 * i];
    const int expected = a == 1 || a == 5 ? 0 : a == 3 ? 1 : 2;
    REQUIRE(d.train_label[i] == expected);
  }
}

TEST_CASE("CSV: fractional or negative labels make a regression", "[datasets]") {
  const Dataset d = parse_csv_dataset("x,y\n1,0.5\n2,1.25\n3,-2\n", "", 0.0f, 1);
  REQUIRE(d.task == TaskKind::Regression);
  REQUIRE(d.num_classes == 0);
  REQUIRE(d.output_dim == 1);
  REQUIRE(d.train_label.empty());
  std::multiset<float> ys(d.train_y.begin(), d.train_y.end());
  REQUIRE(ys == std::multiset<float>{0.5f, 1.25f, -2.0f});
  // Integers outside 0..999 are numbers, not class indices.
  REQUIRE(parse_csv_dataset("x,y\n1,-1\n2,1\n", "", 0.0f, 1).task == TaskKind::Regression);
}

TEST_CASE("CSV: separators, whitespace, quotes, blank lines, CRLF and a byte-order mark", "[datasets]") {
  const std::vector<std::string> texts = {
      "x1,x2,y\n1,2,a\n3,4,b\n",       "\xEF\xBB\xBF x1 , x2 ,y\r\n\r\n 1 ,2, a\r\n\n3,  4 ,b  \r\n\r\n", "x1;x2;y\n1;2;a\n3;4;b",
      "x1\tx2\ty\n1\t2\ta\n3\t4\tb\n", "\"x1\",\"x2\",\"y\"\n\"1\", 2 ,\"a\"\n3,\"4\",\"b\"\n",
  };
  for (const std::string& t : texts) {
    INFO(t);
    const Dataset d = parse_csv_dataset(t, "y", 0.0f, 1);
    REQUIRE(d.feature_names == std::vector<std::string>{"x1", "x2"});
    REQUIRE(d.class_names == std::vector<std::string>{"a", "b"});
    REQUIRE(d.n_train() == 2);
    std::set<std::vector<float>> rows;
    for (size_t i = 0; i < 2; ++i) rows.insert({d.train_x[2 * i], d.train_x[2 * i + 1], (float)d.train_label[i]});
    REQUIRE(rows == std::set<std::vector<float>>{{1, 2, 0}, {3, 4, 1}});
  }
  // A quoted label may hold the separator, a doubled quote and a line break.
  const Dataset q = parse_csv_dataset("x,y\n1,\"a, \"\"b\"\"\nc\"\n2,d\n", "", 0.0f, 1);
  REQUIRE(q.class_names.size() == 2);
  REQUIRE(std::set<std::string>(q.class_names.begin(), q.class_names.end()) == std::set<std::string>{"a, \"b\"\nc", "d"});
}

TEST_CASE("CSV: two rows split one and one", "[datasets]") {
  const Dataset d = parse_csv_dataset("x,y\n1,0\n2,1\n", "", 0.1f, 1);
  REQUIRE(d.n_train() == 1);
  REQUIRE(d.n_test() == 1);
}

TEST_CASE("CSV: bad input is rejected with the row and column", "[datasets]") {
  auto parse = [](const std::string& text, const std::string& label = "") { return parse_csv_dataset(text, label, 0.5f, 1); };
  REQUIRE_THROWS_AS(parse("x1,x2,y\n1,2,0\n3,abc,1\n"), std::invalid_argument);
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n1,2,0\n3,abc,1\n"), "row 3, column 'x2': 'abc' is not a number");
  // Blank lines count, so row numbers are the editor's line numbers.
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n\n1,2,0\n\n3,4x,1\n"), "row 5, column 'x2': '4x' is not a number");
  // A quoted field spanning two lines: the next row is on line 4.
  REQUIRE_THROWS_WITH(parse("x,y\n1,\"a\nb\"\nzz,c\n"), "row 4, column 'x': 'zz' is not a number");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n1,2,0\n3,4\n"), "row 3 has 2 fields, but the header has 3 columns");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n1,2,0,9\n"), "row 2 has 4 fields, but the header has 3 columns");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n1,2,0\n", "z"), "the CSV has no column named 'z' (columns: x1, x2, y)");
  REQUIRE_THROWS_WITH(parse(""), "the CSV text is empty: expected a header row, then one row per sample");
  REQUIRE_THROWS_WITH(parse(" \n\r\n\n"), "the CSV text is empty: expected a header row, then one row per sample");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n"), "the CSV has a header but no data rows");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n\n\n"), "the CSV has a header but no data rows");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n,2,0\n"), "row 2, column 'x1': the cell is empty (every feature needs a number)");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n1,inf,0\n"), "row 2, column 'x2': 'inf' is not a finite number");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n1,1e999,0\n"), "row 2, column 'x2': '1e999' is too large");
  REQUIRE_THROWS_WITH(parse("x1,x2,y\n1,2,\n"), "row 2, column 'y': the label is empty");
  REQUIRE_THROWS_WITH(parse("x1 x2 y\n1 2 0\n"),
                      "the CSV header has one column ('x1 x2 y'); it needs feature columns and a label column, "
                      "separated by commas");
  REQUIRE_THROWS_WITH(parse("x1,,y\n1,2,0\n"), "the CSV header's column 2 has no name");
  REQUIRE_THROWS_WITH(parse("x,x,y\n1,2,0\n"), "the CSV header names column 'x' twice");
  REQUIRE_THROWS_WITH(parse("x,y\n1,a\n2,a\n"),
                      "the label column 'y' has a single value ('a'); a classification needs at least two classes");
  REQUIRE_THROWS_WITH(parse("x,y\n1,\"a\n2,b\n"), "row 2: a quoted field is never closed");
  REQUIRE_THROWS_WITH(parse("x,y\n1,\"a\"b\n"), "row 2: unexpected text after the closing quote of a field");
  REQUIRE_THROWS_WITH(parse_csv_dataset("x,y\n1,0\n2,1\n", "", 0.95f, 1), "CSV: test_ratio must be between 0 and 0.9 (got 0.95)");
  // A long cell is shortened in the message.
  const std::string long_cell(100, 'z');
  REQUIRE_THROWS_WITH(parse("x,y\n" + long_cell + ",0\n"), "row 2, column 'x': '" + std::string(40, 'z') + "...' is not a number");
}

TEST_CASE("CSV: size limits give a clear error", "[datasets]") {
  std::string header;
  for (int c = 0; c <= 10000; ++c) header += (c ? ",c" : "c") + std::to_string(c);
  REQUIRE_THROWS_WITH(parse_csv_dataset(header + "\n", "", 0.5f, 1), "the CSV has 10001 columns; at most 10000 are supported");

  std::string rows = "x,y\n";
  rows.reserve(4 * 1000002 + 4);
  for (int i = 0; i < 1000001; ++i) rows += i % 2 ? "1,1\n" : "0,0\n";
  REQUIRE_THROWS_WITH(parse_csv_dataset(rows, "", 0.5f, 1), "the CSV has more than 1000000 data rows; at most 1000000 are supported");
}

TEST_CASE("the csv dataset reads the user's table from its asset", "[datasets]") {
  DatasetAssets assets;
  DatasetParams p;
  p.test_ratio = 0.25f;
  REQUIRE_THROWS_WITH(make_dataset("csv", p, &assets), Catch::Contains("none is loaded"));
  std::string text = "a,b,label\n";
  for (int i = 0; i < 20; ++i) text += std::to_string(i) + "," + std::to_string(i * 2) + "," + (i % 2 ? "yes" : "no") + "\n";
  assets["csv"] = std::vector<uint8_t>(text.begin(), text.end());
  const Dataset d = make_dataset("csv", p, &assets);
  REQUIRE(d.n_train() + d.n_test() == 20);  // the file's rows, not p.n
  REQUIRE(d.n_test() == 5);
  REQUIRE(d.num_classes == 2);
  REQUIRE(d.class_names == std::vector<std::string>{"no", "yes"});
  p.extra["label_column"] = 1;  // the first column as the label: a text column is then a feature
  REQUIRE_THROWS_WITH(make_dataset("csv", p, &assets), "row 2, column 'label': 'no' is not a number");
  text = "a,b,label\n";
  for (int i = 0; i < 20; ++i) text += std::to_string(i) + "," + std::to_string(i * 2) + "," + std::to_string(i % 2) + "\n";
  assets["csv"] = std::vector<uint8_t>(text.begin(), text.end());  // integers 0..19 in column 1 → 20 classes
  const Dataset by_first = make_dataset("csv", p, &assets);
  REQUIRE(by_first.num_classes == 20);
  REQUIRE(by_first.feature_names[0] == "b");
  p.extra["label_column"] = 9;
  REQUIRE_THROWS_WITH(make_dataset("csv", p, &assets), Catch::Contains("column 9 cannot be the label"));
  REQUIRE_THROWS_WITH(check_dataset_asset("csv", std::vector<uint8_t>{'x', '\n', '1', '\n'}), Catch::Contains("one column"));
}
