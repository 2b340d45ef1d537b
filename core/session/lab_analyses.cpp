// The Lab's analyses: what the views draw, computed in the core (experiment/analyses.h) and reachable
// from the JS API — the decision surface, the most confused test samples, a neuron's profile.
#include <cmath>
#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "experiment/analyses.h"
#include "session/lab.h"

namespace lab {

using json = nlohmann::json;

Surface Lab::surface(int grid) const {
  auto e = experiment();
  return decision_surface(*e, grid);
}

std::shared_ptr<Job> Lab::confused_async(int scan, int max) {
  if (scan < 1 || scan > 1000000)
    throw std::invalid_argument("mostConfused: scan must be between 1 and 1000000 (got " + std::to_string(scan) + ")");
  if (max < 1 || max > 10000)
    throw std::invalid_argument("mostConfused: max must be between 1 and 10000 (got " + std::to_string(max) + ")");
  auto e = experiment();
  auto sc = std::make_shared<ConfusedScan>(*e, scan, max);
  const bool inline_jobs = jobs_.mode() == JobRunner::Inline;
  return jobs_.submit_sliced("confused", [e, sc, inline_jobs, z = SliceSizer()](Job& job) mutable {  // a chunk of samples a slice
    if (!(inline_jobs ? z.run([&](int rows) { return sc->step(rows); }) : sc->step())) {
      job.set_progress(sc->progress());
      return false;
    }
    const Confusions& c = sc->result();
    json a = json::array();
    for (size_t i = 0; i < c.index.size(); ++i)
      a.push_back({{"index", c.index[i]}, {"label", c.label[i]}, {"predicted", c.predicted[i]}, {"p", c.p[i]}});
    job.result_json = a.dump();
    return true;
  });
}

std::shared_ptr<Job> Lab::neuron_async(int layer, int unit, int samples) {
  if (samples < 1 || samples > 1000000)
    throw std::invalid_argument("neuron: samples must be between 1 and 1000000 (got " + std::to_string(samples) + ")");
  auto e = experiment();
  auto sc = std::make_shared<NeuronScan>(*e, layer, unit, samples);  // checks the layer and the unit
  const bool inline_jobs = jobs_.mode() == JobRunner::Inline;
  return jobs_.submit_sliced("neuron", [e, sc, inline_jobs, z = SliceSizer()](Job& job) mutable {  // a chunk of samples a slice
    if (!(inline_jobs ? z.run([&](int rows) { return sc->step(rows); }) : sc->step())) {
      job.set_progress(sc->progress());
      return false;
    }
    const NeuronProfile& p = sc->result();
    job.result = p.values;
    job.result_json = json{{"layer", p.layer},       {"unit", p.unit},         {"top", p.top},   {"topValue", p.top_value},
                           {"incoming", p.incoming}, {"outgoing", p.outgoing}, {"bias", p.bias}, {"title", p.title}}
                          .dump();
    return true;
  });
}

Lab::Intervention Lab::intervene(const std::vector<float>& inputs, int n, const std::string& hooks_json) const {
  auto e = experiment();
  const size_t in = e->dataset().input_size();
  if (n < 1 || n > 100000) throw std::invalid_argument("intervene: n must be between 1 and 100000 (got " + std::to_string(n) + ")");
  if (inputs.size() != (size_t)n * in)
    throw std::invalid_argument("intervene: " + std::to_string(n) + " inputs of " + std::to_string(in) + " values need " +
                                std::to_string((size_t)n * in) + " numbers, got " + std::to_string(inputs.size()));
  const json hj = parse_json_input(hooks_json, "intervene: hooks");
  if (!hj.is_array()) throw std::invalid_argument("intervene: hooks must be a list of {probe, kind, units?, value?}");
  std::vector<Hook> hooks;
  for (size_t i = 0; i < hj.size(); ++i) {
    const json& o = hj[i];
    const std::string where = "intervene: hooks[" + std::to_string(i) + "]";
    if (!o.is_object() || !o.contains("probe") || !o["probe"].is_string() || !o.contains("kind") || !o["kind"].is_string())
      throw std::invalid_argument(where + " must be {probe, kind, units?, value?}");
    Hook h;
    h.probe = o["probe"].get<std::string>();
    const std::string k = o["kind"].get<std::string>();
    if (k == "record")
      h.kind = HookKind::Record;
    else if (k == "replace")
      h.kind = HookKind::Replace;
    else if (k == "mask")
      h.kind = HookKind::Mask;
    else if (k == "add")
      h.kind = HookKind::Add;
    else
      throw std::invalid_argument(where + ".kind must be one of record, replace, mask, add (got '" + k + "')");
    if (o.contains("units")) {
      if (!o["units"].is_array()) throw std::invalid_argument(where + ".units must be a list of unit indices");
      for (const auto& u : o["units"]) {
        if (!u.is_number_integer()) throw std::invalid_argument(where + ".units must be a list of unit indices");
        h.units.push_back(u.get<int>());
      }
    }
    if (o.contains("value")) {
      if (!o["value"].is_array()) throw std::invalid_argument(where + ".value must be a list of numbers");
      for (const auto& v : o["value"]) {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
          throw std::invalid_argument(where + ".value must be a list of finite numbers");
        h.value.push_back(v.get<float>());
      }
    }
    hooks.push_back(std::move(h));
  }
  std::unique_ptr<Model> m = e->snapshot_model();  // a copy: training goes on undisturbed
  m->set_hooks(&hooks);                            // checks every hook first
  Shape s = m->input_shape();
  s.insert(s.begin(), n);
  Tensor x(s);
  std::copy(inputs.begin(), inputs.end(), x.data());
  LayerCtx ctx{Exec{nullptr, force_reference_}, false, nullptr};
  m->forward(x, ctx);
  Intervention r;
  r.outputs.assign(m->output().data(), m->output().data() + m->output().size());
  for (const Hook& h : hooks)
    if (h.kind == HookKind::Record)
      r.records.push_back({h.probe, std::vector<float>(h.recorded.data(), h.recorded.data() + h.recorded.size())});
  m->set_hooks(nullptr);
  return r;
}

}  // namespace lab
