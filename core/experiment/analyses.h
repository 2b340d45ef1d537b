// NeuronLab core — the analyses the views draw, computed in the core so that the page, Node scripts and
// tests see the same numbers (Lab::surface_json, Lab::confused_json; the UI's snapshot reads them).
//
//   lab::Surface s = lab::decision_surface(experiment, 64);   // 2-D data: the network over the plane
//   s.outputs;      // (grid², outputs): row r = 0 is the top (y = y1), column c = 0 the left (x = x0)
//   lab::Confusions c = lab::most_confused(experiment, 2000, 64);   // wrong predictions, most confident first
#pragma once
#include <string>
#include <vector>

#include "base/job.h"

#include "experiment/experiment.h"

namespace lab {

// The plane [x0, x1] × [y0, y1] sampled at the centres of grid × grid cells, through the network.
struct Surface {
  int grid = 0;
  float x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  std::vector<float> points;                    // (grid², 2): the raw (x1, x2) of each cell's centre
  std::vector<float> outputs;                   // (grid², outputs): logits or values
  std::vector<std::vector<float>> activations;  // per model layer: (grid², units) for flat layers, else empty
};
// The 2-D plane a 2-D dataset lives in: [−kPlaneExtent, kPlaneExtent]².
inline constexpr float kPlaneExtent = 6.0f;
// Throws std::invalid_argument when the experiment's data is not 2-D points, or grid is not in [2, 512].
Surface decision_surface(Experiment& e, int grid, float extent = kPlaneExtent);

// Test samples the network gets wrong, the most confident first (ties: lower index first).
struct Confusions {
  std::vector<int> index;      // test indices
  std::vector<int> label;      // their true class
  std::vector<int> predicted;  // the network's class (argmax)
  std::vector<float> p;        // the softmax probability of the predicted class
};
// Scans the first `scan` test samples; keeps at most `max`. Classification with ≥ 2 outputs only
// (otherwise empty).
Confusions most_confused(Experiment& e, int scan, int max);
// The same scan a chunk of 256 samples at a time (a sliced job's slices): step() returns true when done,
// result() then holds most_confused's answer, bit for bit. The experiment must outlive the scan.
class ConfusedScan {
 public:
  ConfusedScan(Experiment& e, int scan, int max);
  bool step(int max_rows = 256);  // at most max_rows samples this step (the result is the same)
  double progress() const { return n_ ? (double)done_ / n_ : 1.0; }
  const Confusions& result() const { return c_; }

 private:
  Experiment& e_;
  int n_ = 0, done_ = 0, max_ = 0, outs_ = 0;
  bool finished_ = false;
  std::vector<float> out_;  // (n, outs)
  Confusions c_;
};

// One neuron (a flat layer's unit, or a conv layer's channel: its mean activation) over the test set.
struct NeuronProfile {
  int layer = -1, unit = -1;
  std::vector<float> values;  // its activation on each of the first max_samples test samples
  std::vector<int> top;       // test indices, highest activation first (≤ 12; ties: lower index first)
  std::vector<float> top_value;
  std::vector<float> incoming;  // the weights into it (dense: in; conv: C×KH×KW) of the layer that makes it
  std::vector<float> outgoing;  // its weights into the next dense layer (when that layer is dense)
  float bias = 0;
  std::string title;  // "layer 2 (dense after …), neuron 3"
};
// job (may be null): progress and cancellation. Throws std::invalid_argument for a layer or unit that
// does not exist.
NeuronProfile neuron_profile(Experiment& e, int layer, int unit, int max_samples, Job* job = nullptr);
// The same profile a chunk of 256 samples at a time (a sliced job's slices): the constructor checks the
// layer and unit (std::invalid_argument); step() returns true when result() is ready (neuron_profile's,
// bit for bit). The experiment must outlive the scan.
class NeuronScan {
 public:
  NeuronScan(Experiment& e, int layer, int unit, int max_samples);
  bool step(int max_rows = 256);  // at most max_rows samples this step (the result is the same)
  double progress() const { return n_ ? (double)b0_ / n_ : 1.0; }
  const NeuronProfile& result() const { return rep_; }

 private:
  void finish();
  Experiment& e_;
  NeuronProfile rep_;
  int n_ = 0, b0_ = 0, units_ = 1;
  size_t per_ = 0, plane_ = 0;
  Shape shp_;
  bool finished_ = false;
};

// Softmax of one row of k logits (max subtracted first).
std::vector<float> softmax_row(const float* logits, int k);

}  // namespace lab
