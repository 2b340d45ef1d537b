// NeuronLab core — datasets: one registry of seeded generators and loaders.
//
// A Dataset holds a train and a test split, each as a dense float matrix of inputs (n, input_size)
// and targets: class labels for classification, a float matrix (n, output_dim) for regression.
// Every generator draws only from an explicit lab::Rng seeded by DatasetParams::seed, so the same
// name + params give the same bytes on every platform and thread count.
//
//   lab::DatasetParams p;  p.n = 400;  p.noise = 0.1f;  p.test_ratio = 0.5f;  p.seed = 7;
//   lab::Dataset d = lab::make_dataset("spiral", p);      // throws std::invalid_argument on bad input
//   d.train_x  // (n_train, 2)     d.train_label  // (n_train) in [0, num_classes)
//
// Registry: dataset_registry() lists every dataset with its parameter schema; the UI's menu, the
// experiment spec and the JS API all read it. Adding a dataset = one entry there.
//
// Real data (digits, mnist, fashion_mnist) is not generated but read from a data file, built by
// scripts/pack-datasets.sh into build/data/<name>.nlds (format: nlds.h). Its DatasetInfo::asset names
// the file; the caller reads it and hands the bytes in, keyed by dataset name:
//
//   lab::DatasetAssets assets;  assets["mnist"] = read_file("build/data/mnist.nlds");
//   lab::Dataset m = lab::make_dataset("mnist", p, &assets);   // (n, 784) pixels in [0, 1]
//
// An Experiment takes the same map (experiment.h), a Lab stores it (Lab::set_asset in lab.h).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/param_spec.h"

namespace lab {

enum class TaskKind { Classification, Regression };

struct Dataset {
  std::string name;
  TaskKind task = TaskKind::Classification;
  std::vector<int> input_shape;            // per sample: {features} for tables, {C, H, W} for images
  int num_classes = 0;                     // classification: labels in [0, num_classes); regression: 0
  int output_dim = 0;                      // network outputs needed: num_classes (classification) or targets per sample
  std::vector<std::string> class_names;    // classification, size num_classes (may be "0", "1", ...)
  std::vector<std::string> feature_names;  // tables: size input_size(); images: empty

  std::vector<float> train_x, test_x;        // (n, input_size()) row-major
  std::vector<int> train_label, test_label;  // classification: (n)
  std::vector<float> train_y, test_y;        // regression: (n, output_dim)
  // Ground truth for attribution evaluation, where known by construction: (n, input_size()), 1 where
  // the input element decides the label, else 0. Empty when unknown.
  std::vector<float> train_mask, test_mask;

  size_t input_size() const {
    size_t s = 1;
    for (int d : input_shape) s *= (size_t)d;
    return s;
  }
  size_t n_train() const { return input_size() ? train_x.size() / input_size() : 0; }
  size_t n_test() const { return input_size() ? test_x.size() / input_size() : 0; }
};

struct DatasetParams {
  int n = 500;              // total samples (train + test) for generated data
  float noise = 0.0f;       // generator-specific noise level (e.g. std-dev of added Gaussian noise)
  float test_ratio = 0.5f;  // fraction of samples in the test split, in [0, 0.9]
  uint64_t seed = 1;
  // Generator-specific extras by name (e.g. "classes" for blobs / multi-arm spirals); each must be
  // declared in the dataset's schema, or make_dataset throws.
  std::map<std::string, double> extra;
};

struct DatasetInfo {
  std::string name;         // registry key, e.g. "spiral"
  std::string title;        // for menus, e.g. "Spiral (2 arms)"
  std::string description;  // one sentence for users
  TaskKind task;
  std::string kind;               // "2d", "image", "table"
  std::vector<ParamSpec> params;  // n, noise, test_ratio, seed, then the dataset's extras
  // The data file this dataset reads (e.g. "mnist.nlds"; dist/data/ in the site, build/data/ after a
  // build), handed to make_dataset in DatasetAssets under the dataset's name. Empty: generated.
  std::string asset = {};
};

// Data files by dataset name ("mnist" → the bytes of mnist.nlds). Wherever a pointer to it is taken
// (make_dataset, Experiment) it is borrowed: the caller keeps it alive and unchanged during the call.
using DatasetAssets = std::map<std::string, std::vector<uint8_t>>;

const Registry<DatasetInfo>& dataset_registry();
// The entry for `name`, or nullptr.
const DatasetInfo* find_dataset(const std::string& name);

// Generates or loads a registered dataset. Throws std::invalid_argument with a message for the user
// when the name is unknown or a parameter is out of its schema's range. A dataset with a data file
// (DatasetInfo::asset) reads (*assets)[name]; when assets is null or has no such entry it throws
// "dataset 'mnist' needs its data file mnist.nlds, which is not loaded (...)", and when the bytes are
// not a valid file for this dataset, a message saying what is wrong with them.
Dataset make_dataset(const std::string& name, const DatasetParams& params, const DatasetAssets* assets = nullptr);

// Checks that `bytes` is a valid data file for dataset `name`: format, checksum, image shape and class
// count (what make_dataset would check). Throws std::invalid_argument saying what is wrong, or that
// `name` reads no data file.
void check_dataset_asset(const std::string& name, const std::vector<uint8_t>& bytes);

// Parses user CSV text: a header row, numeric feature columns, and the label column (by name; by
// default the last column). Labels that are all integers 0..K-1 or any strings make a classification
// task (strings become classes in order of first appearance); non-integer numbers make a regression.
// Throws std::invalid_argument naming the first bad row and column ("row 17, column 'x2': 'abc' is not a number").
Dataset parse_csv_dataset(const std::string& text, const std::string& label_column, float test_ratio, uint64_t seed);

}  // namespace lab
