// spec.cpp — JSON ⇄ Spec. The one translation unit that includes nlohmann/json for specs.
#include "experiment/spec.h"
#include "base/json_input.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "base/names.h"
#include "nn/activations.h"
#include "nn/init.h"
#include "nn/loss.h"

namespace lab {
namespace {

using json = nlohmann::json;

[[noreturn]] void bad(const std::string& path, const std::string& what) { throw std::invalid_argument("spec." + path + " " + what); }

// A numeric field of the spec itself (version, seed, batch_size, regularization, stop), checked by the one
// validator every registry uses (base/param_spec.h), with its default when absent.
double number(const json& obj, const std::string& key, const std::string& path, double def, double lo, double hi, bool integer) {
  if (!obj.contains(key)) return def;
  const ParamSpec s = integer ? lab::integer(key, def, lo, hi, "") : lab::number(key, def, lo, hi, "");
  return check_number(s, obj[key], "spec." + path.substr(0, path.size() - key.size()));
}

std::string text(const json& obj, const std::string& key, const std::string& path, const std::string& def) {
  if (!obj.contains(key)) return def;
  if (!obj[key].is_string()) bad(path, "must be a string (got " + describe_json(obj[key]) + ")");
  return obj[key].get<std::string>();
}

const json& object(const json& obj, const std::string& key, const std::string& path, const json& empty) {
  if (!obj.contains(key)) return empty;
  if (!obj[key].is_object()) bad(path, "must be an object (got " + describe_json(obj[key]) + ")");
  return obj[key];
}

void note_unknown(const json& obj, const std::set<std::string>& known, const std::string& path, std::vector<std::string>& warn) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (!known.count(it.key())) warn.push_back("ignored unknown field spec." + path + (path.empty() ? "" : ".") + it.key());
}

// A spec section {"name": <entry of `reg`>, its fields...}: the name, then the fields validated by the
// entry's schema (optimizer_config / schedule_config); unknown fields become warnings.
template <class Config, class Reg, class Make>
Config registry_section(const json& j, const std::string& key, const std::string& def, const Reg& reg, Make make,
                        std::vector<std::string>& warn) {
  const json empty = json::object();
  const json& o = object(j, key, key, empty);
  const std::string name = text(o, "name", key + ".name", def);
  if (!reg.find(name)) bad(key + ".name", "'" + name + "' is not a known " + reg.family() + " (known: " + reg.known() + ")");
  json fields = o;
  fields.erase("name");
  std::vector<std::string> unknown;
  Config c;
  try {
    c = make(name, fields, "spec." + key + ".", &unknown);
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    if (m.rfind("spec.", 0) == 0) throw;
    bad(key, "is not valid: " + m);
  }
  for (const auto& u : unknown) warn.push_back("ignored unknown field spec." + key + "." + u);
  return c;
}

}  // namespace

Spec parse_spec(const std::string& text_in) {
  const json j = parse_json_input(text_in, "spec");
  if (!j.is_object()) throw std::invalid_argument("spec: must be a JSON object, like {\"data\": {...}, \"model\": {...}}");
  Spec s;
  const json empty = json::object();
  note_unknown(j, {"version", "seed", "data", "model", "loss", "optimizer", "schedule", "batch_size", "regularization", "stop"}, "",
               s.warnings);
  s.version = (int)number(j, "version", "version", kSpecVersion, 1, kSpecVersion, true);
  s.seed = (uint64_t)number(j, "seed", "seed", 1, 0, 4294967295.0, true);

  // data
  const json& d = object(j, "data", "data", empty);
  s.dataset = text(d, "name", "data.name", "spiral");
  const DatasetInfo* info = find_dataset(s.dataset);
  if (!info) {
    bad("data.name", "'" + s.dataset + "' is not a known dataset (known: " + dataset_registry().known() + ")");
  }
  bool param_named_features = false;  // e.g. 'random' takes a number of features: its own parameter
  for (const auto& p : info->params) param_named_features |= p.name == "features";
  std::set<std::string> data_known = {"name", "features"};
  if (d.contains("features") && !param_named_features) {
    const json& f = d["features"];
    if (info->kind != "2d") bad("data.features", "only applies to 2-D datasets ('" + s.dataset + "' is not one); remove it");
    if (!f.is_array() || f.empty() || f.size() > 64)
      bad("data.features", "must be a non-empty list of feature names (known: " +
                               join_names(input_feature_names(), [](const std::string& x) { return x; }) + ")");
    for (size_t i = 0; i < f.size(); ++i) {
      const std::string path = "data.features[" + std::to_string(i) + "]";
      if (!f[i].is_string()) bad(path, "must be a feature name (got " + describe_json(f[i]) + ")");
      const std::string name = f[i].get<std::string>();
      bool ok = false;
      for (const auto& k : input_feature_names()) ok |= k == name;
      if (!ok)
        bad(path, "'" + name + "' is not a known feature (known: " + join_names(input_feature_names(), [](const std::string& x) {
                    return x;
                  }) + ")");
      for (const auto& prev : s.features)
        if (prev == name) bad(path, "'" + name + "' is listed twice");
      s.features.push_back(name);
    }
  }
  for (const auto& p : info->params) {
    data_known.insert(p.name);
    if (!d.contains(p.name)) continue;
    const double v = check_number(p, d[p.name], "spec.data.");
    if (p.name == "n")
      s.data.n = (int)v;
    else if (p.name == "noise")
      s.data.noise = (float)v;
    else if (p.name == "test_ratio")
      s.data.test_ratio = (float)v;
    else if (p.name == "seed") {
      s.data.seed = (uint64_t)v;
      s.data_seed_given = true;
    } else
      s.data.extra[p.name] = v;
  }
  // Defaults from the dataset's schema where the spec is silent.
  for (const auto& p : info->params) {
    if (d.contains(p.name)) continue;
    if (p.name == "n")
      s.data.n = (int)p.def;
    else if (p.name == "noise")
      s.data.noise = (float)p.def;
    else if (p.name == "test_ratio")
      s.data.test_ratio = (float)p.def;
  }
  if (!s.data_seed_given) s.data.seed = s.seed;
  note_unknown(d, data_known, "data", s.warnings);

  // model
  const json& m = object(j, "model", "model", empty);
  note_unknown(m, {"layers", "init"}, "model", s.warnings);
  s.init = text(m, "init", "model.init", "glorot_uniform");
  if (!initializer_registry().find(s.init))
    bad("model.init", "'" + s.init + "' is not a known initialiser (known: " + initializer_registry().known() + ")");
  if (!m.contains("layers")) bad("model.layers", "is missing: list the layers, e.g. [{\"type\": \"dense\", \"units\": 8}]");
  if (!m["layers"].is_array() || m["layers"].empty()) bad("model.layers", "must be a non-empty list of layers");
  if (m["layers"].size() > 256) bad("model.layers", "has more than 256 layers");
  for (size_t i = 0; i < m["layers"].size(); ++i) {
    const json& l = m["layers"][i];
    const std::string path = "model.layers[" + std::to_string(i) + "]";
    if (!l.is_object()) bad(path, "must be an object like {\"type\": \"dense\", \"units\": 8}");
    LayerSpec ls;
    ls.type = text(l, "type", path + ".type", "");
    if (ls.type.empty()) bad(path + ".type", "is missing");
    for (auto it = l.begin(); it != l.end(); ++it) {
      if (it.key() == "type") continue;
      if (it.value().is_number())
        ls.num[it.key()] = it.value().get<double>();
      else if (it.value().is_boolean())
        ls.num[it.key()] = it.value().get<bool>() ? 1 : 0;
      else if (it.value().is_string())
        ls.str[it.key()] = it.value().get<std::string>();
      else
        bad(path + "." + it.key(), "must be a number or a string (got " + describe_json(it.value()) + ")");
    }
    s.layers.push_back(std::move(ls));
  }

  // loss
  s.loss = text(j, "loss", "loss", "");
  if (!s.loss.empty()) {
    try {
      loss(s.loss);
    } catch (const std::invalid_argument& e) {
      bad("loss", std::string("is not valid: ") + e.what());
    }
  }

  // optimizer and schedule: each entry of their registries declares its own fields (optim/optimizer.h)
  s.optimizer = registry_section<OptimizerConfig>(j, "optimizer", "sgd", optimizer_registry(), optimizer_config, s.warnings);
  s.schedule = registry_section<ScheduleConfig>(j, "schedule", "constant", schedule_registry(), schedule_config, s.warnings);

  s.batch_size = (int)number(j, "batch_size", "batch_size", 10, 1, 65536, true);
  const json& r = object(j, "regularization", "regularization", empty);
  note_unknown(r, {"l1", "l2"}, "regularization", s.warnings);
  s.l1 = (float)number(r, "l1", "regularization.l1", 0, 0, 10, false);
  s.l2 = (float)number(r, "l2", "regularization.l2", 0, 0, 10, false);
  const json& st = object(j, "stop", "stop", empty);
  note_unknown(st, {"epochs", "test_loss", "test_accuracy"}, "stop", s.warnings);
  s.stop.epochs = (int)number(st, "epochs", "stop.epochs", 0, 0, 1e7, true);
  s.stop.test_loss = (float)number(st, "test_loss", "stop.test_loss", 0, 0, 1e6, false);
  s.stop.test_accuracy = (float)number(st, "test_accuracy", "stop.test_accuracy", 0, 0, 1, false);
  return s;
}

const std::vector<std::string>& input_feature_names() {
  static const std::vector<std::string> names = {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"};
  return names;
}

float input_feature(const std::string& name, float x1, float x2) {
  if (name == "x1") return x1;
  if (name == "x2") return x2;
  if (name == "x1sq") return x1 * x1;
  if (name == "x2sq") return x2 * x2;
  if (name == "x1x2") return x1 * x2;
  if (name == "sinx1") return std::sin(x1);
  if (name == "sinx2") return std::sin(x2);
  throw std::invalid_argument("unknown input feature '" + name + "'");
}

std::string spec_to_json(const Spec& s) {
  json j = json::object();
  j["version"] = s.version;
  j["seed"] = s.seed;
  json d = json::object();
  d["name"] = s.dataset;
  d["n"] = s.data.n;
  d["noise"] = short_float(s.data.noise);
  d["test_ratio"] = short_float(s.data.test_ratio);
  d["seed"] = s.data.seed;
  for (const auto& [k, v] : s.data.extra) d[k] = v;
  if (!s.features.empty()) d["features"] = s.features;
  j["data"] = d;
  json layers = json::array();
  for (const auto& l : s.layers) {
    json o = json::object();
    o["type"] = l.type;
    for (const auto& [k, v] : l.num) {
      if (v == std::floor(v) && std::fabs(v) < 1e15)
        o[k] = (long long)v;
      else
        o[k] = v;
    }
    for (const auto& [k, v] : l.str) o[k] = v;
    layers.push_back(o);
  }
  j["model"] = {{"layers", layers}, {"init", s.init}};
  if (!s.loss.empty()) j["loss"] = s.loss;
  j["optimizer"] = optimizer_json(s.optimizer);
  j["schedule"] = schedule_json(s.schedule);
  j["batch_size"] = s.batch_size;
  j["regularization"] = {{"l1", short_float(s.l1)}, {"l2", short_float(s.l2)}};
  j["stop"] = {
      {"epochs", s.stop.epochs}, {"test_loss", short_float(s.stop.test_loss)}, {"test_accuracy", short_float(s.stop.test_accuracy)}};
  return j.dump();
}

Spec patch_spec(const Spec& base, const std::string& patch_json) {
  const json patch = parse_json_input(patch_json, "the change");
  if (!patch.is_object()) throw std::invalid_argument("the change must be a JSON object, like {\"optimizer\": {\"lr\": 0.01}}");
  json merged = json::parse(spec_to_json(base));
  merged.merge_patch(patch);
  return parse_spec(merged.dump());
}

}  // namespace lab
