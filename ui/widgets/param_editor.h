// NeuronLab UI — the one schema-driven parameter editor: a widget per ParamSpec (base/param_spec.h).
//
// Every family's parameters (optimizers, schedules, attribution methods, …) are edited through it, so a
// new registry entry gets its editor without UI code.
//
//   json opt = spec["optimizer"];
//   if (param_editor(opt, optimizer_registry().at("adam").params, {.width = w, .skip = {"lr"}}))
//     controller.set_hyper({{"optimizer", opt}});
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/param_spec.h"

namespace lab::ui {

struct ParamEditorOptions {
  float width = 0;                                          // of each widget (0: 8 font sizes)
  std::vector<std::string> skip;                            // parameters drawn elsewhere
  bool drop_defaults = false;                               // a value equal to its default is removed from the object
  bool enter_to_apply = false;                              // numbers change on Enter only (not on every keystroke)
  bool same_line = false;                                   // widgets side by side while they fit
  bool sliders = false;                                     // numbers as sliders over their range, applied on release
  bool steppers = false;                                    // integers with − / + buttons
  std::vector<std::string> disabled;                        // shown, not editable
  std::vector<std::pair<std::string, std::string>> labels;  // parameter → the label shown ("n" → "Samples")
};

// The value a parameter has in `values` (its default when absent).
double param_number(const nlohmann::json& values, const ParamSpec& s);
std::string param_choice(const nlohmann::json& values, const ParamSpec& s);

// One parameter's widget, labelled with its name (or its label), its help (and range) as tooltip; writes a
// change into `values`. Returns true on a change (a slider: when released).
bool param_widget(nlohmann::json& values, const ParamSpec& s, const ParamEditorOptions& o = {});
// Every parameter of `schema` but the skipped ones. Returns true when any changed.
bool param_editor(nlohmann::json& values, const std::vector<ParamSpec>& schema, const ParamEditorOptions& o = {});

// The fields of `after` that are new or differ from `before`: a merge patch of what an editor changed.
nlohmann::json changed_fields(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace lab::ui
