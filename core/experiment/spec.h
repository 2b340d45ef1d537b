// NeuronLab core — the experiment spec: everything that defines an experiment, seed included.
//
// An experiment = its spec + seed: the same spec gives the same dataset, the same initial weights and
// the same training trajectory, bit for bit, whatever the thread count. The spec is JSON text (the same
// text a shared URL holds); parse_spec() validates every field and throws std::invalid_argument with a
// message naming the field ("spec.optimizer.lr must be a number between 0 and 100 (got -1)").
// Unknown fields are ignored and listed in Spec::warnings, so newer links still load in older labs.
//
//   {"version": 1, "seed": 42,
//    "data": {"name": "spiral", "n": 500, "noise": 0.1, "test_ratio": 0.5},
//    "model": {"layers": [{"type": "dense", "units": 8, "activation": "tanh"}, {"type": "dense", "units": 2}]},
//    "loss": "softmax_cross_entropy", "optimizer": {"name": "sgd", "lr": 0.03},
//    "schedule": {"name": "constant"}, "batch_size": 10, "regularization": {"l1": 0, "l2": 0},
//    "stop": {"epochs": 0, "test_loss": 0, "test_accuracy": 0}}
// 2-D datasets also take "data": {"features": ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]}.
//
// Defaults: loss softmax_cross_entropy for classification, mse for regression; optimizer sgd lr 0.03;
// batch_size 10; init glorot_uniform; data.seed = seed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/layer.h"
#include "optim/optimizer.h"
#include "train/trainer.h"

namespace lab {

inline constexpr int kSpecVersion = 1;

// The hyper-parameters (optimizer, schedule, batch_size, l1, l2, stop) are the Hyperparameters base
// (train/trainer.h): what may change during a run.
struct Spec : Hyperparameters {
  int version = kSpecVersion;
  uint64_t seed = 1;
  std::string dataset = "spiral";
  DatasetParams data;
  bool data_seed_given = false;
  std::vector<LayerSpec> layers;
  std::string init = "glorot_uniform";
  std::string loss;  // empty: the task's default
  // data.features: for 2-D datasets, the inputs the network sees, computed from (x1, x2), in this order
  // (names: input_feature_names()). Empty: the raw x1, x2 (the same as ["x1", "x2"]).
  std::vector<std::string> features;
  std::vector<std::string> warnings;  // fields that were ignored
};

// The input features a 2-D spec may ask for: x1, x2, x1sq (x1²), x2sq (x2²), x1x2 (x1·x2), sinx1, sinx2.
const std::vector<std::string>& input_feature_names();
// The feature `name` of one point (x1, x2); name must be one of input_feature_names().
float input_feature(const std::string& name, float x1, float x2);

Spec parse_spec(const std::string& json_text);
// Canonical JSON: every field written, defaults filled in.
std::string spec_to_json(const Spec& s);

// The spec with `patch_json` merged in (RFC 7386 JSON merge patch, e.g. {"optimizer": {"lr": 0.01}}),
// validated like any spec. Throws std::invalid_argument naming the bad field.
Spec patch_spec(const Spec& base, const std::string& patch_json);

}  // namespace lab
