// NeuronLab core — input attributions: one registry of methods, each a real computation on the model.
//
// Every method answers "how much did each input element contribute to output `target` for this input?"
// and returns a map the shape of the input (layer methods: the shape of the chosen layer's output).
// Families: gradient (saliency, grad×input, integrated gradients, guided backprop, deconvolution,
// Grad-CAM, guided Grad-CAM), reference (DeepLIFT, DeepLIFT-SHAP, GradientSHAP), relevance propagation
// (LRP rules and composites), perturbation (occlusion, feature ablation/permutation, Shapley sampling,
// KernelSHAP, LIME), layer and neuron methods. Any method can be wrapped in a noise tunnel (SmoothGrad,
// SmoothGrad², VarGrad) through the common parameter `noise`.
//
//   lab::attr::Net net = lab::attr::net_of(model, exec);           // borrows the model (its forward, backward, hooks)
//   lab::attr::Params p = lab::attr::parse_params("integrated_gradients", R"({"steps": 64, "target": 3})");
//   lab::attr::Result r = lab::attr::attribute(net, p, x);   // x: (B, input...)
//   r.map;     // (B, input...) attributions
//   r.delta;   // B convergence deltas Σa − (f(x) − f(x')) (empty for methods without one)
//
// Conventions (captum's unless stated; docs/attributions.md lists every choice):
// - target: the output column explained; −1 (default) = the predicted class (argmax; output 0 for a
//   single-output model). f is that output's raw value (the logit), never a softmax probability.
// - relu'(0) = 0, as in PyTorch.
// - The convergence delta is Σa − (f(x) − f(x')) for every method that has one (LRP: x' is "nothing",
//   f(x') = 0, so delta = ΣR − f(x); captum reports the opposite sign for LRP only).
// - Integrated gradients' "riemann_trapezoid" is the correct trapezoid rule (weights sum to 1);
//   "riemann_trapezoid_captum" reproduces captum's weights (sum 1 − 1/n) for parity checks.
// - Randomness (noise tunnel, sampling methods, random baselines) comes from Params::seed only, so the
//   same call gives the same map; results do not depend on the thread count or on internal batching.
//
// Errors: an unknown method or parameter, a value out of range, a layer index that does not exist, a
// method that cannot apply (Grad-CAM's layer without a spatial output, a background-based method without
// background data) → std::invalid_argument with a message for the user. A cancelled job → JobCancelled.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/exec.h"
#include "base/param_spec.h"
#include "base/rng.h"
#include "base/tensor.h"

namespace lab {

class Job;
class Layer;
class Model;

namespace attr {

// --- the network seen by the methods ------------------------------------------------------------------
// The model (borrowed) runs its own forward and backward, with hooks (nn/hooks.h) at the probes the layer
// methods read; the rule-based passes (guided, deconvolution, DeepLIFT, LRP) walk its layers over the
// values of that forward (Model::activity). The model keeps per-call state (activations, max-pool argmax,
// hooks), so one Net must be used by one thread at a time; clone the model to attribute while it trains
// (Model::clone). An input crop (DiFull's heads) takes the model's input out of a larger one, and the
// gradients and relevances that reach the model's input are pasted back into it (zero outside).
struct InputCrop {
  bool on = false;
  Shape full;  // per-sample (C, H, W) of the net's input
  int y0 = 0, x0 = 0;
};
struct Net {
  Model* model = nullptr;
  Shape input;                 // per-sample input shape of the net (the model's, or the crop's full shape)
  std::vector<Layer*> layers;  // the model's layers, in order (a view for the rule-based passes)
  std::vector<Shape> shapes;   // shapes[0] = the model's input, shapes[i+1] = layers[i]'s output
  InputCrop crop;
  Exec exec;
  size_t out_size() const { return shape_size(shapes.back()); }
  size_t in_size() const { return shape_size(input); }
};
Net net_of(Model& model, const Exec& exec);
// A Net that first crops the per-sample input (C, H, W) to rows [y0, y0+h) and columns [x0, x0+w), then runs
// `model` (whose input must be (C, h, w)). Its input shape is `full` (C, H, W). Every method run on it
// attributes the whole input; the gradient and the relevance are zero outside the crop (DiFull's heads).
Net crop_net(Model& model, const Exec& exec, const Shape& full, int y0, int x0);

// --- the registry -------------------------------------------------------------------------------------
struct MethodInfo {
  std::string name;               // "integrated_gradients"
  std::string title;              // "Integrated Gradients"
  std::string family;             // "gradient", "reference", "relevance", "perturbation", "layer", "neuron"
  std::string description;        // one sentence for the UI's tooltip
  std::vector<ParamSpec> params;  // the method's own parameters (base/param_spec.h); common_params() apply too
  bool has_delta = false;         // reports a convergence delta
  bool layer_output = false;      // the map has the shape of a layer's output, not of the input
  bool needs_background = false;  // reads reference samples (Context::background)
  bool heavy = false;             // many forward passes per input: the UI shows progress
};

// Parameters every method takes: target, seed, noise (none/smoothgrad/smoothgrad_sq/vargrad),
// nt_samples, stdev (absolute; 0 = 0.15 × the input's value range).
const std::vector<ParamSpec>& common_params();
const Registry<MethodInfo>& method_registry();
const MethodInfo& method_info(const std::string& name);  // throws std::invalid_argument naming the known ones
// The registry as JSON: [{name, title, family, description, hasDelta, layerOutput, needsBackground, heavy,
//   params: [{name, kind: "number"|"integer"|"choice"|"boolean", default, min, max, choices, help}]}]
// (common parameters included in each method's list).
std::string methods_json();

// A method's parameters after validation: every parameter of the schema present (defaults filled in).
struct Params : ParamValues {
  std::string method;
  uint64_t seed() const { return (uint64_t)get("seed"); }
};
// options_json: a JSON object of parameter values ({} or "" for all defaults). Unknown names, wrong types
// and out-of-range values throw std::invalid_argument ("integrated_gradients: steps must be an integer in
// [1, 4096], got 0"). Booleans may be given as true/false or 0/1.
Params parse_params(const std::string& method, const std::string& options_json);
Params default_params(const std::string& method);
// The parameters as JSON (what a result reports it used).
std::string params_json(const Params& p);

// --- running a method in pieces ------------------------------------------------------------------------
// The single-threaded page runs jobs in slices of a few milliseconds between frames, and one method's run
// can take far longer. A Resume lets a computation that calls attribute() and forward() — once or many
// times, in a fixed order — run over several tries: every internal batch a try computes is recorded;
// the next try replays the recorded batches (copies, no arithmetic) and computes new ones; once a try has
// spent its budget (and computed at least one batch), the next new batch is not started and the call
// throws Suspended. The caller catches it, and later calls begin() and runs the same computation again
// (the same calls with the same arguments: restore any random generator it advances). The result is bit
// for bit that of one uninterrupted run: batches' sizes change no result (each row is computed on its own).
// What a try re-runs besides the recorded batches (building the inputs, the final sums) is cheap next to
// the batches it skips, and parts recorded whole (a perturbation method's samples) are skipped too; a try
// computes new batches for at least as long as it replayed, so resuming costs at most as much again as
// the work (a run of very many rows gets longer tries). Without a Resume (Context::resume null) nothing
// changes.
//   attr::Resume res(5);                          // ~5 ms a try
//   for (;;) { res.begin(); try { r = attr::attribute(net, p, x, ctx /* .resume = &res */); break; }
//              catch (const attr::Suspended&) { /* draw a frame */ } }
struct Suspended {};  // not a std::exception: code that turns errors into messages lets it pass
class Resume {
 public:
  explicit Resume(double budget_ms = 5) : budget_ms_(budget_ms) {}
  void begin();  // a new try: replay from the first recorded batch
  void clear();  // a new computation: forget the recorded batches
  size_t recorded() const { return saved_.size(); }
  double budget_ms() const { return budget_ms_; }

  // One buffer a batch writes: `per_row` floats for each of its rows, from `data` (row 0).
  struct Out {
    float* data;
    size_t per_row;
  };
  // Runs rows [0, rows) in batches of at most `max_rows`: body(r0, r1) writes rows r0..r1 of `outs`;
  // done(n) after each batch (progress, cancellation). With a Resume, recorded batches are copied in and
  // new ones are sized to about half the budget each; without one (res null), batches of max_rows.
  static void batches(Resume* res, int rows, int max_rows, std::initializer_list<Out> outs, const std::function<void(int, int)>& body,
                      const std::function<void(int)>& done = {});
  // A part of the computation (one sample of a perturbation method) recorded whole once it completes:
  // its outputs (here `per_row` floats from `data`), the state of `rng` after it (may be null) and the
  // work body() returns; a later try copies them, calls skipped(work) and skips body() — so that a try
  // does not redo the arithmetic of the parts before its new batches.
  static void part(Resume* res, std::initializer_list<Out> outs, Rng* rng, const std::function<double()>& body,
                   const std::function<void(double)>& skipped = {});

 private:
  struct Batch {
    int r0 = 0, r1 = 0;
    std::vector<float> data;  // the rows of every output, one after another
    // A part: complete once recorded whole; `end` the position after its batches; the generator after it.
    bool part = false, complete = false;
    size_t end = 0;
    double work = 0;
    std::optional<Rng> rng;
  };
  double budget_ms_;
  std::vector<Batch> saved_;
  size_t pos_ = 0;       // the next recorded batch this try replays
  int computed_ = 0;     // batches this try computed
  double ms_per_row_ = 0;  // the last computed batch's time per row (0: none yet)
  double replay_ms_ = 0;   // this try's time before its first new batch
  std::chrono::steady_clock::time_point start_{};
};

// --- running a method ---------------------------------------------------------------------------------
struct Context {
  const Tensor* background = nullptr;         // reference samples (N, input...): data-mean baseline, SHAP baselines,
                                              // permutation values, the uniform baseline's range; null if none
  Job* job = nullptr;                         // progress and cancellation (may be null)
  double progress_lo = 0, progress_hi = 1;    // the share of job progress this call reports into
  size_t max_batch_floats = 1u << 23;         // activation floats one internal batch may hold (memory bound)
  const std::vector<int>* targets = nullptr;  // per-sample targets (B values), overriding Params "target"
  Resume* resume = nullptr;                   // run in pieces (above); null: in one go
};

struct Result {
  Tensor map;                // (B, shape...) — the input's shape, or the layer's (layer methods)
  Shape shape;               // per-sample shape of the map
  std::vector<float> delta;  // B convergence deltas, or empty
  std::vector<int> targets;  // the target actually explained, per sample
  std::vector<float> f;      // f(x) per sample (the explained output's value)
};

// x: (B, input...) with B >= 1. See the header comment for conventions and errors.
Result attribute(const Net& net, const Params& p, const Tensor& x, const Context& ctx = {});

// Outputs (B, outputs) of the Net for x (inference mode); a helper the evaluation uses. With a Resume, in
// batches through it (above).
Tensor forward(const Net& net, const Tensor& x, Resume* resume = nullptr);

}  // namespace attr
}  // namespace lab
