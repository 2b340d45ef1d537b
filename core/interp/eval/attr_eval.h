// NeuronLab core — the attribution arena: every chosen method scored on the same inputs, honestly.
//
// For a trained model and a set of test samples, each method's maps are scored by
//   ground truth   relevance-mass accuracy, relevance-rank accuracy, pointing game, where the dataset
//                  knows which inputs decide the label (Dataset::test_mask: block_patterns, one_feature);
//                  and the DiFull localisation on 2×2 grids of test images whose four cells are seen by
//                  four disconnected copies of the classifier (any attribution outside the explained cell
//                  is provably wrong), for image models;
//   faithfulness   deletion and insertion curves of the target's probability with their AUC, pixel
//                  flipping (the target's logit), faithfulness correlation, infidelity (normalised);
//   robustness     max-sensitivity (the map's relative change under uniform noise of radius 0.02);
//   sanity         cascading model-parameter randomisation (top layer first; Spearman of |map| before and
//                  after each step) and, on request, data randomisation (a copy trained on shuffled labels);
//   agreement      the rank-correlation (Spearman of |map|) matrix between methods, mean over samples;
//   axioms         the mean |convergence delta| (completeness residual) where a method has one;
//   complexity     Gini sparseness and entropy of |map|.
//
//   lab::attr::ArenaConfig c;
//   c.methods = {lab::attr::parse_params("saliency", "{}"), lab::attr::parse_params("integrated_gradients", "{}")};
//   std::string report = lab::attr::run_arena(model, dataset, c, exec, job);   // JSON, see run_arena
//
// Every number is a mean over the samples (NaN → null in the JSON where a metric does not apply).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "interp/attribution/attribution.h"

namespace lab {

class Model;
class Job;

namespace attr {

struct ArenaConfig {
  std::vector<Params> methods;
  std::vector<std::string> labels;  // display names (default: the method names, numbered when repeated)
  int count = 16;                   // test samples (the first `count` of the test split, clipped)
  int curve_steps = 20;             // points of the deletion/insertion curves
  int sensitivity_samples = 4;      // perturbed inputs per sample for max-sensitivity (0: skip)
  int faithfulness_runs = 32;       // random subsets for faithfulness correlation and infidelity
  bool ground_truth = true;         // localisation scores where the dataset has masks
  bool difull = true;               // DiFull grids (image classification models only)
  bool sanity = true;               // cascading model-parameter randomisation
  // Data randomisation: a model trained on shuffled labels (given by the caller: it needs a training run).
  // When set, called once; returns the randomised model, or null to skip.
  std::function<Model*()> label_randomised;
  uint64_t seed = 0;
  // ≥ 0: ArenaRun::step runs the attributions and scores of a piece in tries of about this many
  // milliseconds (attr::Resume), a try a step, for a runner without threads; < 0: each piece in one step.
  double resume_ms = -1;
};

// Runs the arena. The model is only read (attributions run on it: do not train it meanwhile — pass a
// clone). Returns JSON:
// {"samples": n, "hasMask": bool, "difull": bool, "sanityLayers": ["dense 4", ...],
//  "methods": [{"name", "label", "params", "ms" (time per input), "error"?, "metrics": {"mass", "rank",
//    "pointing", "difull", "deletionAuc", "insertionAuc", "pixelFlippingAuc", "faithfulnessCorrelation",
//    "infidelity", "maxSensitivity", "completeness", "sanity" (Spearman after the full cascade),
//    "labelRandomisation", "gini", "entropy"}, "curves": {"frac": [...], "deletion": [...],
//    "insertion": [...]}, "sanity": [Spearman per cascade step]}],
//  "agreement": [[...]] (methods × methods)}
// Throws std::invalid_argument on an empty method list or an empty test split; a method that fails
// (e.g. a layer it cannot use) gets "error" and the others still run. Cancellation: JobCancelled.
std::string run_arena(Model& model, const Dataset& data, const ArenaConfig& config, const Exec& exec, Job* job);

// The same run a piece at a time, for a sliced job (a single-threaded page runs one piece between frames):
// step() does the next piece — one method's attributions, one sample's metrics, one step of the sanity
// cascade, the label-randomisation or DiFull comparison, or the agreement — and returns true when report()
// is ready. The report is run_arena's, bit for bit. Throws like run_arena (the constructor: bad config).
// With ArenaConfig::resume_ms ≥ 0 a piece may take several steps (each about that long), with the same
// report.
class ArenaRun {
 public:
  ArenaRun(Model& model, const Dataset& data, ArenaConfig config, const Exec& exec);
  ~ArenaRun();
  ArenaRun(const ArenaRun&) = delete;
  ArenaRun& operator=(const ArenaRun&) = delete;
  bool step(Job* job);
  double progress() const;  // methods done / methods
  const std::string& report() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Parses the arena's JSON config: {"methods": [{"method": "saliency", "options": {...}, "label": "..."}
// | "saliency", ...], "count", "curveSteps", "sensitivitySamples", "faithfulnessRuns", "groundTruth",
// "difull", "sanity", "labelRandomisation" (bool, read by the caller), "seed"}. Throws
// std::invalid_argument with what is wrong.
ArenaConfig parse_arena_config(const std::string& json_text, bool* label_randomisation = nullptr);

}  // namespace attr
}  // namespace lab
