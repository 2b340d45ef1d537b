#include "session/registry_json.h"

#include <nlohmann/json.hpp>

#include "nn/activations.h"
#include "data/dataset.h"
#include "nn/init.h"
#include "nn/layer.h"
#include "nn/loss.h"
#include "optim/optimizer.h"

namespace lab {

std::string registries_json() {
  using json = nlohmann::json;
  json j;
  json ds = json::array();
  for (const auto& d : dataset_registry()) {
    json params = json::array();
    for (const auto& p : d.params)
      params.push_back({{"name", p.name}, {"min", p.min}, {"max", p.max}, {"default", p.def}, {"integer", p.integer}, {"help", p.help}});
    ds.push_back({{"name", d.name}, {"title", d.title}, {"description", d.description}, {"kind", d.kind},
                  {"task", d.task == TaskKind::Classification ? "classification" : "regression"}, {"params", params},
                  {"asset", d.asset}});
  }
  j["datasets"] = ds;
  json layers = json::array();
  for (const auto& l : layer_registry()) {
    json params = json::array();
    for (const auto& p : l.params)
      params.push_back({{"name", p.name}, {"min", p.min}, {"max", p.max}, {"default", p.def}, {"integer", p.integer},
                        {"required", p.required}, {"help", p.help}});
    layers.push_back({{"type", l.type}, {"title", l.title}, {"description", l.description}, {"params", params}, {"stringParams", l.string_params}});
  }
  j["layers"] = layers;
  json acts = json::array();
  for (const auto& a : activation_registry()) acts.push_back({{"name", a.name}, {"title", a.title}});
  j["activations"] = acts;
  json losses = json::array();
  for (const auto& l : loss_registry()) losses.push_back({{"name", l.name}, {"title", l.title}, {"needsLabels", l.needs_labels}});
  j["losses"] = losses;
  json opts = json::array();
  for (const auto& o : optimizer_registry()) opts.push_back({{"name", o.name}, {"title", o.title}, {"params", o.params}});
  j["optimizers"] = opts;
  j["schedules"] = schedule_names();
  j["initializers"] = initializer_names();
  return j.dump();
}

}  // namespace lab
