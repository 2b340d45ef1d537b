// NeuronLab core — one parameter schema (ParamSpec) and one registry template (Registry<Info>) for
// every extensible family: layers, activations, losses, optimizers, schedules, initialisers, datasets,
// attribution methods (and, later, neuron models, plasticity rules, circuit methods, exercise goals).
//
// A family's entry declares its parameters once; from that one list come the validation of a spec or
// an options object (readable errors naming the field), the defaults, registries() for the JS API and
// the UI's generic parameter editor, the URL codec's short keys and the tests that iterate a registry.
//
//   const std::vector<lab::ParamSpec> schema = {
//       lab::number("lr", 0.03, 0, 100, "learning rate"),
//       lab::boolean("nesterov", false, "Nesterov momentum"),
//       lab::choice("rule", {"epsilon", "gamma"}, "the LRP rule")};
//   lab::ParamValues v = lab::parse_values(schema, nlohmann::json::parse(R"({"lr": 0.1})"), "spec.optimizer");
//   v.get("lr") == 0.1;  v.flag("nesterov") == false;  v.choice("rule") == "epsilon";
//
//   struct WidgetInfo { std::string name, title, description; std::vector<lab::ParamSpec> params; };
//   const lab::Registry<WidgetInfo> widgets("widget", {{.name = "knob", .title = "Knob"}});
//   widgets.at("dial");   // throws std::invalid_argument "unknown widget 'dial' (known: knob)"
//
// Errors: every user-facing check throws std::invalid_argument with a message that names the field
// (`where`.name), says what is allowed and what was given.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/json_input.h"
#include "base/names.h"

namespace lab {

struct ParamSpec {
  enum Kind { Number, Integer, Choice, Boolean, Array };
  std::string name;
  Kind kind = Number;
  double def = 0, min = 0, max = 0;  // Number / Integer; Boolean: def 0 or 1; Array: min/max items
  std::vector<std::string> choices;  // Choice: the allowed values; Array: the allowed items
  std::string def_choice;            // Choice: the default (one of choices)
  bool required = false;             // must be given (no default)
  std::string help;                  // one line for tooltips and docs
  std::string units;                 // e.g. "steps", "px" ("" = none)
  std::string url;                   // short key in share links ("" = no short key)
};

// Builders (designated fields stay readable at the call site).
ParamSpec number(std::string name, double def, double min, double max, std::string help);
ParamSpec integer(std::string name, double def, double min, double max, std::string help);
ParamSpec boolean(std::string name, bool def, std::string help);
ParamSpec choice(std::string name, std::vector<std::string> choices, std::string help);
// Chainable tweaks: number(...).with_url("lr")
ParamSpec with_url(ParamSpec p, std::string url);
ParamSpec required(ParamSpec p);
ParamSpec with_default_choice(ParamSpec p, std::string def);

const char* kind_name(ParamSpec::Kind k);  // "number", "integer", "choice", "boolean", "array"

// Values after validation: every parameter of the schema present (defaults filled in), except a
// required one that was not given (which is an error) .
struct ParamValues {
  std::map<std::string, double> num;                     // Number / Integer / Boolean (0/1)
  std::map<std::string, std::string> str;                // Choice
  std::map<std::string, std::vector<std::string>> list;  // Array
  // Reading a name that is not in the schema is a programmer error: std::logic_error.
  double get(const std::string& k) const;
  int geti(const std::string& k) const { return (int)get(k); }
  bool flag(const std::string& k) const { return get(k) != 0; }
  const std::string& choice(const std::string& k) const;
  bool has(const std::string& k) const { return num.count(k) || str.count(k) || list.count(k); }
};

// Validates obj (a JSON object; null = all defaults) against the schema. Unknown names throw, unless
// `unknown` is non-null: then they are skipped and listed there. where: the prefix of messages
// ("spec.optimizer", "integrated_gradients", "layer 'dense'").
ParamValues parse_values(const std::vector<ParamSpec>& schema, const nlohmann::json& obj, const std::string& where,
                         std::vector<std::string>* unknown = nullptr);
// One value checked against its spec; throws naming where.name.
double check_number(const ParamSpec& s, const nlohmann::json& v, const std::string& where);
// The values as JSON (integers as integers, booleans as booleans). float32: numbers are float32 in the
// engine, so they are written as the shortest decimal that reads back as the same float (short_float).
nlohmann::json values_json(const std::vector<ParamSpec>& schema, const ParamValues& v, bool float32 = false);
// The shortest decimal that reads back as the same float (0.03f → 0.03, not 0.0299999993), for JSON.
double short_float(float f);

// The schema as JSON: [{name, kind, default, min, max, choices, required, help, units, url}].
nlohmann::json schema_json(const std::vector<ParamSpec>& schema);

// --- the registry template ------------------------------------------------------------------------
// Info: a struct with at least `std::string name` (and usually title, description, params).
template <class Info>
class Registry {
 public:
  Registry(std::string family, std::vector<Info> entries) : family_(std::move(family)), entries_(std::move(entries)) {
    for (size_t i = 0; i < entries_.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (entries_[i].name == entries_[j].name) throw std::logic_error(family_ + " registry: '" + entries_[i].name + "' twice");
  }
  const std::string& family() const { return family_; }
  const std::vector<Info>& entries() const { return entries_; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }
  size_t size() const { return entries_.size(); }
  // The entry, or nullptr.
  const Info* find(const std::string& name) const {
    for (const auto& e : entries_)
      if (e.name == name) return &e;
    return nullptr;
  }
  // The entry; throws std::invalid_argument "unknown <family> 'x' (known: a, b, c)".
  const Info& at(const std::string& name) const {
    if (const Info* e = find(name)) return *e;
    throw std::invalid_argument("unknown " + family_ + " '" + clip_text(name) + "' (known: " + known() + ")");
  }
  std::string known() const {
    return join_names(entries_, [](const Info& e) { return e.name; });
  }
  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& e : entries_) n.push_back(e.name);
    return n;
  }

 private:
  std::string family_;
  std::vector<Info> entries_;
};

}  // namespace lab
