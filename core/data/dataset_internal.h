// NeuronLab core — datasets, private part: what the generators share with the registry.
//
// Not a public header: only dataset.cpp, datasets_*.cpp and csv.cpp include it. A generator fills the
// metadata of a Dataset (name, task, shapes, class and feature names) and returns all n samples
// unsplit; make_dataset then shuffles and splits them with the same Rng (shuffle_split), so every
// dataset splits the same way.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/rng.h"
#include "data/dataset.h"

namespace lab::dataset_detail {

// All samples of a dataset before the train/test split.
struct Samples {
  std::vector<float> x;     // (n, input_size)
  std::vector<int> label;   // classification: (n); regression: empty
  std::vector<float> y;     // regression: (n, output_dim); classification: empty
  std::vector<float> mask;  // (n, input_size) ground truth, or empty when unknown
};

// Size of the test split for n samples. test_ratio is read to 6 decimals (so 0.7f means 0.7); the
// result is n·test_ratio rounded half up, then clamped to [1, n−1] when n >= 2 and test_ratio > 0,
// so that both splits are non-empty. test_ratio == 0 gives 0.
size_t test_split_size(size_t n, float test_ratio);

// Shuffles the n samples of `s` (Fisher–Yates with `rng`) and writes the first test_split_size(n)
// of the shuffled order to d's test split, the rest to its train split. d's shapes must be set
// (input_size(), output_dim); s's arrays must have n rows.
void shuffle_split(Dataset& d, const Samples& s, size_t n, float test_ratio, Rng& rng);

// A generator: fills d's metadata and returns p.n samples. `p` is validated, and p.extra holds every
// extra of the dataset's schema (defaults filled in).
using GenerateFn = Samples (*)(const DatasetParams& p, Rng& rng, Dataset& d);
// A loader of a dataset with a data file (DatasetInfo::asset): the same, reading `asset`, the file's
// bytes. Throws std::invalid_argument when they are not a valid file for this dataset, or hold fewer
// than p.n samples.
using LoadFn = Samples (*)(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset);

// datasets_2d.cpp
Samples generate_circle(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_xor(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_gaussians(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_spiral(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_moons(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_checkerboard(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_spiral_multi(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_blobs(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_plane(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_gaussian_bumps(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_one_feature(const DatasetParams& p, Rng& rng, Dataset& d);

// datasets_image.cpp
Samples generate_block_patterns(const DatasetParams& p, Rng& rng, Dataset& d);

// datasets_random.cpp
Samples generate_random(const DatasetParams& p, Rng& rng, Dataset& d);
Samples generate_random_images(const DatasetParams& p, Rng& rng, Dataset& d);

// datasets_packed.cpp: real images from .nlds files (nlds.h). Each checks the file's image shape and
// class count against the dataset's, draws p.n of its samples class by class, and scales the pixels
// to [0, 1]. These sample counts are what scripts/pack_datasets.py writes (the schemas' maximum n).
constexpr int kDigitsSamples = 1797;         // all of scikit-learn's digits
constexpr int kMnistSamples = 8500;          // 850 per class
constexpr int kFashionMnistSamples = 10000;  // 1000 per class
// csv.cpp: the user's CSV (asset "user.csv"); extra "label_column" (1-based; 0 = the last column).
Samples load_csv(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset);
Samples csv_samples(const std::string& text, const std::string& label_column, int label_position, Dataset& d);

Samples load_digits(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset);
Samples load_mnist(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset);
Samples load_fashion_mnist(const DatasetParams& p, Rng& rng, Dataset& d, const std::vector<uint8_t>& asset);

}  // namespace lab::dataset_detail
