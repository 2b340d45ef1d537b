// dataset.cpp — [SECTION] registry table · [SECTION] lookup · [SECTION] parameter validation ·
// [SECTION] shuffle and split · [SECTION] make_dataset
//
// The generators live in datasets_2d.cpp (2-D toy problems), datasets_image.cpp (synthetic images
// with ground truth) and datasets_random.cpp; the loaders of real images from data files in
// datasets_packed.cpp; CSV loading in csv.cpp. Adding a dataset = one row in entries() below plus its
// generator (or loader).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include "base/names.h"
#include "data/dataset.h"
#include "data/dataset_internal.h"

namespace lab {

using namespace dataset_detail;

// [SECTION] registry table -----------------------------------------------------------------------
namespace {

constexpr double kMaxSeed = 4294967295.0;  // seeds are 32-bit so that they survive a URL and JS numbers
constexpr int kMax2dSamples = 100000;
constexpr int kMaxImageSamples = 10000;  // 10 000 × 784 floats × (pixels + mask) ≈ 63 MB
constexpr int kMinSamples = 10;

struct Entry {
  DatasetInfo info;
  GenerateFn generate;    // generated datasets
  LoadFn load = nullptr;  // datasets with a data file (info.asset); then generate is null
};

// The four parameters every dataset has, then the dataset's extras.
std::vector<ParamSpec> schema(int n_max, int n_def, double noise_def, const std::string& noise_help, std::vector<ParamSpec> extras = {}) {
  std::vector<ParamSpec> s = {
      with_url(integer("n", n_def, kMinSamples, n_max, "number of samples (train + test)"), "n"),
      with_url(number("noise", noise_def, 0.0, 1.0, noise_help), "noise"),
      with_url(number("test_ratio", 0.5, 0.0, 0.9, "fraction of the samples held out for testing"), "test"),
      integer("seed", 1.0, 0.0, kMaxSeed, "random seed: the same seed gives the same data"),
  };
  for (auto& e : extras) s.push_back(std::move(e));
  return s;
}

Entry entry_2d(const char* name, const char* title, const char* description, TaskKind task, double noise_def, const char* noise_help,
               GenerateFn fn, std::vector<ParamSpec> extras = {}) {
  return {{name, title, description, task, "2d", schema(kMax2dSamples, 500, noise_def, noise_help, std::move(extras))}, fn};
}

// A dataset of real images read from build/data/<name>.nlds (scripts/pack-datasets.sh).
Entry entry_packed(const char* name, const char* title, const char* description, int n_max, int n_def, LoadFn fn) {
  return {{name, title, description, TaskKind::Classification, "image",
           schema(n_max, n_def, 0.0, "Gaussian pixel noise, standard deviation noise (pixels are in [0, 1])"), std::string(name) + ".nlds"},
          nullptr,
          fn};
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = [] {
    const auto C = TaskKind::Classification, R = TaskKind::Regression;
    const ParamSpec arms = integer("classes", 3, 3, 5, "number of spiral arms (one class each)");
    const ParamSpec blobs = integer("classes", 3, 3, 5, "number of clusters (one class each)");
    std::vector<Entry> t = {
        entry_2d("circle", "Circle", "A disk of one class inside a ring of the other.", C, 0.0,
                 "each coordinate moves by up to ±5·noise (uniform); labels stay", generate_circle),
        entry_2d("xor", "Exclusive or", "The class is whether x1 and x2 have the same sign.", C, 0.0,
                 "each coordinate moves by up to ±5·noise (uniform); labels stay", generate_xor),
        entry_2d("gaussians", "Two Gaussians", "Two round Gaussian clusters, one per class.", C, 0.0,
                 "cluster spread: standard deviation 0.7 + 2·noise", generate_gaussians),
        entry_2d("spiral", "Spiral (2 arms)", "Two interleaved spiral arms, one per class.", C, 0.0,
                 "each coordinate moves by up to ±noise (uniform)", generate_spiral),
        entry_2d("moons", "Two moons", "Two interleaving half circles, one per class.", C, 0.1,
                 "Gaussian jitter, standard deviation 3·noise", generate_moons),
        entry_2d("checkerboard", "Checkerboard", "A 4×4 checkerboard of alternating classes.", C, 0.0,
                 "each coordinate moves by up to ±3·noise (one cell at noise 1); labels stay", generate_checkerboard),
        entry_2d("spiral_multi", "Spiral (3–5 arms)", "Several interleaved spiral arms, one class each.", C, 0.0,
                 "each coordinate moves by up to ±noise (uniform)", generate_spiral_multi, {arms}),
        entry_2d("blobs", "Blobs (3–5 classes)", "Gaussian clusters on a circle, one class each.", C, 0.0,
                 "cluster spread: standard deviation 0.7 + 2·noise", generate_blobs, {blobs}),
        entry_2d("plane", "Plane (regression)", "The target is a linear function of x1 and x2.", R, 0.0,
                 "the target is read at a point moved by up to ±6·noise per coordinate", generate_plane),
        entry_2d("gaussian_bumps", "Gaussian bumps (regression)", "The target is a sum of six positive and negative Gaussian bumps.", R,
                 0.0, "the target is read at a point moved by up to ±6·noise per coordinate", generate_gaussian_bumps),
        entry_2d("one_feature", "One relevant feature", "The class is whether x1 > 0; x2 is pure noise (ground truth for attributions).", C,
                 0.0, "x1 moves by up to ±5·noise (uniform); labels stay", generate_one_feature),
        {{"block_patterns", "Block patterns (ground-truth images)",
          "28×28 images with a class pattern in the top or bottom half and a fixed decoy pattern in the other.", C, "image",
          schema(kMaxImageSamples, 2000, 0.1, "Gaussian pixel noise, standard deviation noise",
                 {integer("classes", 10, 2, 10, "number of classes (one pattern each)")})},
         generate_block_patterns},
        {{"random", "Random features (benchmarks)",
          "Uniform random features in [-1, 1) with random labels: nothing to learn but memorisation.", C, "table",
          schema(kMax2dSamples, 1000, 0.0, "unused",
                 {integer("features", 64, 1, 100000, "features per sample"), integer("classes", 10, 2, 1000, "number of classes")})},
         generate_random},
        {{"random_images", "Random images (benchmarks)", "Uniform random pixels in [-1, 1) with random labels, of any image shape.", C,
          "image",
          schema(kMaxImageSamples, 1000, 0.0, "unused",
                 {integer("channels", 1, 1, 64, "image channels"), integer("height", 28, 1, 512, "image height"),
                  integer("width", 28, 1, 512, "image width"), integer("classes", 10, 2, 1000, "number of classes")})},
         generate_random_images},
        entry_packed("digits", "Handwritten digits (8×8)", "scikit-learn's 1797 handwritten digits 0-9 as 8×8 images (UCI optical digits).",
                     kDigitsSamples, kDigitsSamples, load_digits),
        entry_packed("mnist", "MNIST digits", "Handwritten digits 0-9 as 28×28 grey images: a class-balanced subset of MNIST.",
                     kMnistSamples, 2000, load_mnist),
        entry_packed("fashion_mnist", "Fashion-MNIST", "Zalando's 28×28 grey images of 10 kinds of clothing: the Fashion-MNIST test set.",
                     kFashionMnistSamples, 2000, load_fashion_mnist),
        {{"csv", "Your CSV table", "A table you load yourself: numeric feature columns and a label column. It never leaves your browser.",
          C, "table",
          schema(1000000, 1000, 0.0, "unused (n too: the file has the rows it has)",
                 {integer("label_column", 0, 0, 10000, "the label's column: 1 = the first, 0 = the last")}),
          "user.csv"},
         nullptr,
         load_csv},
    };
    return t;
  }();
  return table;
}

}  // namespace

// [SECTION] lookup -------------------------------------------------------------------------------

const Registry<DatasetInfo>& dataset_registry() {
  static const Registry<DatasetInfo> reg = [] {
    std::vector<DatasetInfo> v;
    for (const Entry& e : entries()) v.push_back(e.info);
    return Registry<DatasetInfo>("dataset", std::move(v));
  }();
  return reg;
}

const DatasetInfo* find_dataset(const std::string& name) { return dataset_registry().find(name); }

// [SECTION] parameter validation -----------------------------------------------------------------
namespace {

bool is_core_param(const std::string& name) { return name == "n" || name == "noise" || name == "test_ratio" || name == "seed"; }

// Checks every parameter against the schema (base/param_spec.h's one validator); returns a copy of p
// with every extra present. Float fields are checked as the shortest decimal of the float (0.9f is 0.9).
DatasetParams validate(const DatasetInfo& info, const DatasetParams& p) {
  const std::string where = "dataset '" + info.name + "'";
  std::vector<ParamSpec> extras;
  for (const ParamSpec& s : info.params) {
    if (!is_core_param(s.name)) {
      extras.push_back(s);
      continue;
    }
    nlohmann::json v;
    if (s.name == "n")
      v = p.n;
    else if (s.name == "noise")
      v = short_float(p.noise);
    else if (s.name == "test_ratio")
      v = short_float(p.test_ratio);
    else
      v = (double)p.seed;
    check_number(s, v, where);
  }
  nlohmann::json given = nlohmann::json::object();
  for (const auto& [name, value] : p.extra) given[name] = value;
  const ParamValues values = parse_values(extras, given, where);
  DatasetParams out = p;
  for (const ParamSpec& s : extras) out.extra[s.name] = values.get(s.name);
  return out;
}

}  // namespace

// [SECTION] shuffle and split --------------------------------------------------------------------
namespace dataset_detail {

size_t test_split_size(size_t n, float test_ratio) {
  // Parts per million, in integers: no float rounding decides a split size.
  const long long ppm = std::llround((double)test_ratio * 1e6);
  if (n == 0 || ppm <= 0) return 0;
  size_t k = (size_t)(((unsigned long long)n * (unsigned long long)ppm + 500000ull) / 1000000ull);
  if (n >= 2) {
    if (k < 1) k = 1;
    if (k > n - 1) k = n - 1;
  } else if (k > n) {
    k = n;
  }
  return k;
}

void shuffle_split(Dataset& d, const Samples& s, size_t n, float test_ratio, Rng& rng) {
  const size_t in = d.input_size(), out = (size_t)d.output_dim;
  const bool has_mask = !s.mask.empty(), is_cls = d.task == TaskKind::Classification;
  std::vector<size_t> order(n);  // (n) sample indices, shuffled
  for (size_t i = 0; i < n; ++i) order[i] = i;
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below((uint32_t)i)]);

  const size_t n_test = test_split_size(n, test_ratio);
  auto fill = [&](size_t first, size_t count, std::vector<float>& x, std::vector<int>& label, std::vector<float>& y,
                  std::vector<float>& mask) {
    x.resize(count * in);                   // (count, in)
    if (has_mask) mask.resize(count * in);  // (count, in)
    if (is_cls)
      label.resize(count);  // (count)
    else
      y.resize(count * out);  // (count, out)
    for (size_t r = 0; r < count; ++r) {
      const size_t src = order[first + r];
      std::copy_n(s.x.begin() + (ptrdiff_t)(src * in), in, x.begin() + (ptrdiff_t)(r * in));
      if (has_mask) std::copy_n(s.mask.begin() + (ptrdiff_t)(src * in), in, mask.begin() + (ptrdiff_t)(r * in));
      if (is_cls)
        label[r] = s.label[src];
      else
        std::copy_n(s.y.begin() + (ptrdiff_t)(src * out), out, y.begin() + (ptrdiff_t)(r * out));
    }
  };
  fill(0, n_test, d.test_x, d.test_label, d.test_y, d.test_mask);
  fill(n_test, n - n_test, d.train_x, d.train_label, d.train_y, d.train_mask);
}

}  // namespace dataset_detail

// [SECTION] make_dataset -------------------------------------------------------------------------

namespace {

const Entry& entry_of(const std::string& name) {
  for (const Entry& e : entries())
    if (e.info.name == name) return e;
  const std::string known = join_names(entries(), [](const Entry& e) { return e.info.name; });
  throw std::invalid_argument("unknown dataset '" + name + "' (known: " + known + ")");
}

}  // namespace

Dataset make_dataset(const std::string& name, const DatasetParams& params, const DatasetAssets* assets) {
  const Entry& entry = entry_of(name);
  const DatasetParams p = validate(entry.info, params);
  Rng rng(p.seed);
  Dataset d;
  d.name = name;
  d.task = entry.info.task;
  Samples s;
  if (entry.load) {
    const auto it = assets ? assets->find(name) : DatasetAssets::const_iterator{};
    if (!assets || it == assets->end()) {
      if (name == "csv")
        throw std::invalid_argument("dataset 'csv' is your own table, and none is loaded: hand it in first (lab.loadCsv(text))");
      throw std::invalid_argument("dataset '" + name + "' needs its data file " + entry.info.asset +
                                  ", which is not loaded (run scripts/pack-datasets.sh / npm run build)");
    }
    s = entry.load(p, rng, d, it->second);
  } else {
    s = entry.generate(p, rng, d);
  }
  // A file's own row count where it decides (csv); otherwise the samples drawn are exactly p.n.
  const size_t n = d.input_size() ? s.x.size() / d.input_size() : 0;
  shuffle_split(d, s, n, p.test_ratio, rng);
  return d;
}

void check_dataset_asset(const std::string& name, const std::vector<uint8_t>& bytes) {
  const Entry& entry = entry_of(name);
  if (!entry.load) throw std::invalid_argument("dataset '" + name + "' reads no data file: it is generated");
  DatasetParams in;  // the smallest draw: parsing and the shape checks are the test
  in.n = kMinSamples;
  const DatasetParams p = validate(entry.info, in);
  Rng rng(p.seed);
  Dataset d;
  d.name = name;
  entry.load(p, rng, d, bytes);
}

}  // namespace lab
