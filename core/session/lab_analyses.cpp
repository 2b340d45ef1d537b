// The Lab's analyses: what the views draw, computed in the core (experiment/analyses.h) and reachable
// from the JS API — the decision surface, the most confused test samples, a neuron's profile.
#include <nlohmann/json.hpp>

#include "experiment/analyses.h"
#include "session/lab.h"

namespace lab {

using json = nlohmann::json;

Surface Lab::surface(int grid) const {
  auto e = experiment();
  return decision_surface(*e, grid);
}

std::shared_ptr<Job> Lab::confused_async(int scan, int max) {
  if (scan < 1 || scan > 1000000) throw std::invalid_argument("mostConfused: scan must be between 1 and 1000000 (got " + std::to_string(scan) + ")");
  if (max < 1 || max > 10000) throw std::invalid_argument("mostConfused: max must be between 1 and 10000 (got " + std::to_string(max) + ")");
  auto e = experiment();
  return jobs_.submit("confused", [e, scan, max](Job& job) {
    const Confusions c = most_confused(*e, scan, max);
    json a = json::array();
    for (size_t i = 0; i < c.index.size(); ++i)
      a.push_back({{"index", c.index[i]}, {"label", c.label[i]}, {"predicted", c.predicted[i]}, {"p", c.p[i]}});
    job.result_json = a.dump();
  });
}

std::shared_ptr<Job> Lab::neuron_async(int layer, int unit, int samples) {
  if (samples < 1 || samples > 1000000) throw std::invalid_argument("neuron: samples must be between 1 and 1000000 (got " + std::to_string(samples) + ")");
  auto e = experiment();
  {  // the layer and unit are checked before the job starts (a readable error at the call)
    std::lock_guard<std::mutex> l(e->mutex());
    const Model& m = e->model();
    if (layer < 0 || layer >= (int)m.num_layers())
      throw std::invalid_argument("neuron: layer " + std::to_string(layer) + " does not exist (the model has layers 0 to " +
                                  std::to_string((int)m.num_layers() - 1) + ")");
    const Shape s = m.layer_output_shape(layer);
    if (unit < 0 || unit >= (s.empty() ? 1 : s[0]))
      throw std::invalid_argument("neuron: layer " + std::to_string(layer) + " has units 0 to " + std::to_string((s.empty() ? 1 : s[0]) - 1) +
                                  " (got " + std::to_string(unit) + ")");
  }
  return jobs_.submit("neuron", [e, layer, unit, samples](Job& job) {
    const NeuronProfile p = neuron_profile(*e, layer, unit, samples, &job);
    job.result = p.values;
    job.result_json = json{{"layer", p.layer}, {"unit", p.unit}, {"top", p.top}, {"topValue", p.top_value}, {"incoming", p.incoming},
                           {"outgoing", p.outgoing}, {"bias", p.bias}, {"title", p.title}}.dump();
  });
}

}  // namespace lab
