// NeuronLab core — datasets, private part: what the generators share with the registry.
//
// Not a public header: only dataset.cpp, datasets_*.cpp and csv.cpp include it. A generator fills the
// metadata of a Dataset (name, task, shapes, class and feature names) and returns all n samples
// unsplit; make_dataset then shuffles and splits them with the same Rng (shuffle_split), so every
// dataset splits the same way.
#pragma once
#include <cstddef>
#include <vector>

#include "dataset.h"
#include "rng.h"

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

}  // namespace lab::dataset_detail
