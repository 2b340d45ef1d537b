// Real images from .nlds data files (format: nlds.h), packed at build time by
// scripts/pack_datasets.py: scikit-learn's 8×8 handwritten digits, an MNIST subset and a
// Fashion-MNIST subset.
//
// The draw, all from the dataset Rng so that the same seed gives the same samples:
//   1. the file's samples are pooled by class and each pool is shuffled (Fisher–Yates);
//   2. samples are taken from the pools in turn, one per class per round, starting at a random class,
//      until p.n are taken: every class gets p.n / K samples (±1) while its pool lasts;
//   3. pixels become v / pixel_max in [0, 1]; with noise > 0, each gets Gaussian noise of standard
//      deviation `noise` (no clamping), drawn from a stream of its own (kNoiseStream), so that the
//      noise changes no sample and no split;
// then make_dataset shuffles and splits them as every dataset (shuffle_split).
#include <algorithm>
#include <stdexcept>
#include <string>

#include "data/dataset_internal.h"
#include "data/nlds.h"

namespace lab::dataset_detail {

namespace {

constexpr uint64_t kNoiseStream = 0x6e6c64735f6e6f69ULL;  // "nlds_noi": apart from the experiment's streams 1-3

// What a dataset's data file must hold.
struct Expected {
  uint32_t channels, height, width, classes;
};

std::string shape_text(uint32_t c, uint32_t h, uint32_t w, size_t k) {
  return std::to_string(c) + "×" + std::to_string(h) + "×" + std::to_string(w) + " images in " + std::to_string(k) + " classes";
}

Samples load_packed(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset, const Expected& want) {
  const std::string file = d.name + ".nlds", who = "dataset '" + d.name + "': " + file;
  const NldsImages im = parse_nlds(asset.data(), asset.size(), who);
  const size_t K = im.class_names.size();
  if (im.channels != want.channels || im.height != want.height || im.width != want.width || K != want.classes)
    throw std::invalid_argument(who + " holds " + shape_text(im.channels, im.height, im.width, K) + ", but '" + d.name + "' needs " +
                                shape_text(want.channels, want.height, want.width, want.classes));
  if ((uint32_t)p.n > im.count)
    throw std::invalid_argument("dataset '" + d.name + "': n must be at most " + std::to_string(im.count) + ", the samples in " + file +
                                " (got " + std::to_string(p.n) + ")");

  d.task = TaskKind::Classification;
  d.input_shape = {(int)im.channels, (int)im.height, (int)im.width};
  d.num_classes = (int)K;
  d.output_dim = (int)K;
  d.class_names = im.class_names;

  // 1. pools by class, shuffled
  std::vector<std::vector<uint32_t>> pool(K);  // (K) lists of sample indices into the file
  for (uint32_t i = 0; i < im.count; ++i) pool[im.labels[i]].push_back(i);
  for (std::vector<uint32_t>& q : pool)
    for (size_t i = q.size(); i > 1; --i) std::swap(q[i - 1], q[rng.below((uint32_t)i)]);
  // 2. round robin over the classes
  const size_t n = (size_t)p.n;
  std::vector<uint32_t> picked;  // (n) file indices
  picked.reserve(n);
  std::vector<size_t> next(K, 0);
  const size_t first = rng.below((uint32_t)K);
  while (picked.size() < n)
    for (size_t r = 0; r < K && picked.size() < n; ++r) {
      const size_t k = (first + r) % K;
      if (next[k] < pool[k].size()) picked.push_back(pool[k][next[k]++]);
    }
  // 3. pixels to floats
  const size_t in = im.sample_size();
  const float scale = 1.0f / (float)im.pixel_max;
  Samples s;
  s.x.resize(n * in);  // (n, C·H·W)
  s.label.resize(n);   // (n)
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* src = im.pixels + (size_t)picked[i] * in;
    float* dst = s.x.data() + i * in;
    for (size_t j = 0; j < in; ++j) dst[j] = (float)src[j] * scale;
    s.label[i] = im.labels[picked[i]];
  }
  if (p.noise > 0.0f) {
    Rng noise_rng(p.seed, kNoiseStream);
    for (float& v : s.x) v += p.noise * noise_rng.normal();
  }
  return s;
}

}  // namespace

Samples load_digits(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset) {
  return load_packed(p, rng, d, asset, {1, 8, 8, 10});
}

Samples load_mnist(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset) {
  return load_packed(p, rng, d, asset, {1, 28, 28, 10});
}

Samples load_fashion_mnist(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset) {
  return load_packed(p, rng, d, asset, {1, 28, 28, 10});
}

}  // namespace lab::dataset_detail
