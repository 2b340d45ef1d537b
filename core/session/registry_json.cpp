#include "session/registry_json.h"

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "nn/activations.h"
#include "nn/init.h"
#include "nn/layer.h"
#include "nn/loss.h"
#include "optim/optimizer.h"

namespace lab {

namespace {
using json = nlohmann::json;

// The common shape of an entry: {name, title, description, params: schema_json}.
template <class Info>
json entry(const Info& e) {
  return {{"name", e.name}, {"title", e.title}, {"description", e.description}, {"params", schema_json(e.params)}};
}
}  // namespace

std::string registries_json() {
  json j;
  json ds = json::array();
  for (const auto& d : dataset_registry()) {
    json e = entry(d);
    e["kind"] = d.kind;
    e["task"] = d.task == TaskKind::Classification ? "classification" : "regression";
    e["asset"] = d.asset;
    ds.push_back(e);
  }
  j["datasets"] = ds;
  json layers = json::array();
  for (const auto& l : layer_registry()) {
    json e = entry(l);
    e["type"] = l.name;
    e["view"] = l.view;
    layers.push_back(e);
  }
  j["layers"] = layers;
  json acts = json::array();
  for (const auto& a : activation_registry()) acts.push_back({{"name", a.name}, {"title", a.title}, {"description", a.description}});
  j["activations"] = acts;
  json losses = json::array();
  for (const auto& l : loss_registry())
    losses.push_back({{"name", l.name}, {"title", l.title}, {"description", l.description}, {"needsLabels", l.needs_labels}});
  j["losses"] = losses;
  json opts = json::array();
  for (const auto& o : optimizer_registry()) opts.push_back(entry(o));
  j["optimizers"] = opts;
  json scheds = json::array();
  for (const auto& s : schedule_registry()) scheds.push_back(entry(s));
  j["schedules"] = scheds;
  json inits = json::array();
  for (const auto& i : initializer_registry()) inits.push_back({{"name", i.name}, {"title", i.title}, {"description", i.description}});
  j["initializers"] = inits;
  return j.dump();
}

}  // namespace lab
