// Random data of any shape with random labels: the workloads of the speed benchmarks, and a lab for
// memorisation (a network can fit random labels, but nothing it learns generalises).
#include <cstdio>
#include <stdexcept>
#include <string>

#include "data/dataset_internal.h"

namespace lab::dataset_detail {

namespace {
constexpr double kMaxValues = 20e6;  // n × input size, as for CSV: 80 MB of floats

Samples fill(const DatasetParams& p, Rng& rng, Dataset& d) {
  const size_t in = d.input_size();
  if ((double)p.n * (double)in > kMaxValues)
    throw std::invalid_argument("dataset '" + d.name + "': " + std::to_string(p.n) + " samples of " + std::to_string(in) +
                                " values are too many (at most 20 million values)");
  const int K = (int)p.extra.at("classes");
  d.task = TaskKind::Classification;
  d.num_classes = K;
  d.output_dim = K;
  for (int k = 0; k < K; ++k) d.class_names.push_back(std::to_string(k));
  Samples s;
  s.x.resize((size_t)p.n * in);
  s.label.resize(p.n);
  for (int i = 0; i < p.n; ++i) {
    for (size_t j = 0; j < in; ++j) s.x[(size_t)i * in + j] = rng.uniform(-1.0f, 1.0f);
    s.label[i] = (int)rng.below((uint32_t)K);
  }
  return s;
}
}  // namespace

Samples generate_random(const DatasetParams& p, Rng& rng, Dataset& d) {
  const int f = (int)p.extra.at("features");
  d.input_shape = {f};
  for (int j = 0; j < f; ++j) {
    char name[24];
    std::snprintf(name, sizeof name, "x%d", j + 1);
    d.feature_names.emplace_back(name);
  }
  return fill(p, rng, d);
}

Samples generate_random_images(const DatasetParams& p, Rng& rng, Dataset& d) {
  d.input_shape = {(int)p.extra.at("channels"), (int)p.extra.at("height"), (int)p.extra.at("width")};
  return fill(p, rng, d);
}

}  // namespace lab::dataset_detail
