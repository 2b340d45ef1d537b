#include "widgets/param_editor.h"

#include <algorithm>
#include <cmath>

#include "app/ui_probe.h"
#include "imgui.h"
#include "imgui_internal.h"  // GetActiveID: the slider being dragged

namespace lab::ui {

using json = nlohmann::json;

double param_number(const json& values, const ParamSpec& s) {
  auto it = values.find(s.name);
  if (it == values.end()) return s.def;
  if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
  return it->is_number() ? it->get<double>() : s.def;
}

std::string param_choice(const json& values, const ParamSpec& s) {
  auto it = values.find(s.name);
  return it != values.end() && it->is_string() ? it->get<std::string>() : s.def_choice;
}

namespace {
// Writes v into values (dropping it when it is the default and the editor drops defaults).
void put(json& values, const ParamSpec& s, double v, bool drop_defaults) {
  if (drop_defaults && v == s.def) {
    values.erase(s.name);
    return;
  }
  if (s.kind == ParamSpec::Boolean)
    values[s.name] = v != 0;
  else if (s.kind == ParamSpec::Integer)
    values[s.name] = (long long)v;
  else
    values[s.name] = v;
}
}  // namespace

namespace {
bool listed(const std::vector<std::string>& names, const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); }

std::string label_of(const ParamSpec& s, const ParamEditorOptions& o) {
  for (const auto& [name, label] : o.labels)
    if (name == s.name) return label + "##" + s.name;
  // A registry field's name in words ("weight_decay" → "weight decay"); the id stays the name.
  std::string words = s.name;
  std::replace(words.begin(), words.end(), '_', ' ');
  return words == s.name ? s.name : words + "##" + s.name;
}
}  // namespace

bool param_widget(json& values, const ParamSpec& s, const ParamEditorOptions& o) {
  const float w = o.width > 0 ? o.width : ImGui::GetFontSize() * 8.0f;
  const ImGuiInputTextFlags flags = o.enter_to_apply ? ImGuiInputTextFlags_EnterReturnsTrue : 0;
  const std::string label = label_of(s, o);
  const char* name = label.c_str();
  bool changed = false;
  // A slider's value while it is dragged lives in ImGui's state storage under the slider's id: the frame
  // that releases it computes no value of its own, and `values` still holds the old one until then.
  const ImGuiID id = ImGui::GetID(name);
  ImGuiStorage* store = ImGui::GetStateStorage();
  const bool dragging = o.sliders && ImGui::GetActiveID() == id;
  ImGui::BeginDisabled(listed(o.disabled, s.name));
  ImGui::SetNextItemWidth(w);
  switch (s.kind) {
    case ParamSpec::Number: {
      double v = param_number(values, s);
      if (o.sliders) {  // the value follows the mouse; the change is written once, on release
        float f = (float)v;
        if (dragging) f = store->GetFloat(id, f);
        ImGui::SliderFloat(name, &f, (float)s.min, (float)s.max, "%.2f", ImGuiSliderFlags_AlwaysClamp);
        if (ImGui::IsItemActive()) store->SetFloat(id, f);
        if (ImGui::IsItemDeactivatedAfterEdit()) {
          put(values, s, std::clamp((double)short_float(f), s.min, s.max), o.drop_defaults);
          changed = true;
        }
      } else if (ImGui::InputDouble(name, &v, 0.0, 0.0, "%.6g", flags) && std::isfinite(v)) {
        put(values, s, std::clamp(v, s.min, s.max), o.drop_defaults);
        changed = true;
      }
      break;
    }
    case ParamSpec::Integer: {
      long long v = (long long)param_number(values, s);
      if (o.sliders) {  // wide ranges (samples: 20 to 70,000) on a logarithmic scale
        int iv = (int)v;
        const ImGuiSliderFlags lf = s.min > 0 && s.max / s.min > 1000 ? ImGuiSliderFlags_Logarithmic : 0;
        if (dragging) iv = store->GetInt(id, iv);
        ImGui::SliderInt(name, &iv, (int)s.min, (int)s.max, "%d", ImGuiSliderFlags_AlwaysClamp | lf);
        if (ImGui::IsItemActive()) store->SetInt(id, iv);
        if (ImGui::IsItemDeactivatedAfterEdit()) {
          put(values, s, std::clamp((double)iv, s.min, s.max), o.drop_defaults);
          changed = true;
        }
      } else {
        const long long one = 1;
        if (ImGui::InputScalar(name, ImGuiDataType_S64, &v, o.steppers ? &one : nullptr, nullptr, "%lld", flags)) {
          put(values, s, std::clamp((double)v, s.min, s.max), o.drop_defaults);
          changed = true;
        }
      }
      break;
    }
    case ParamSpec::Boolean: {
      bool v = param_number(values, s) != 0;
      if (ImGui::Checkbox(name, &v)) {
        put(values, s, v ? 1.0 : 0.0, o.drop_defaults);
        changed = true;
      }
      break;
    }
    case ParamSpec::Choice: {
      const std::string cur = param_choice(values, s);
      if (begin_combo_probed(name, cur.c_str())) {
        for (const std::string& c : s.choices) {
          if (ImGui::Selectable(c.c_str(), c == cur) && c != cur) {
            if (o.drop_defaults && c == s.def_choice)
              values.erase(s.name);
            else
              values[s.name] = c;
            changed = true;
          }
        }
        ImGui::EndCombo();
      }
      break;
    }
    case ParamSpec::Array:
      ImGui::TextDisabled("%s: %s", s.name.c_str(), values.value(s.name, json::array()).dump().c_str());
      break;
  }
  ImGui::EndDisabled();
  if (!s.help.empty()) {
    const ImGuiHoveredFlags hf = ImGuiHoveredFlags_AllowWhenDisabled;
    if ((s.kind == ParamSpec::Number || s.kind == ParamSpec::Integer) && ImGui::IsItemHovered(hf))
      ImGui::SetTooltip("%s (%g to %g)", s.help.c_str(), s.min, s.max);
    else if (ImGui::IsItemHovered(hf))
      ImGui::SetTooltip("%s", s.help.c_str());
  }
  return changed;
}

bool param_editor(json& values, const std::vector<ParamSpec>& schema, const ParamEditorOptions& o) {
  bool changed = false, first = true;
  for (const ParamSpec& s : schema) {
    if (listed(o.skip, s.name)) continue;
    if (o.same_line && !first) {
      const float need = (o.width > 0 ? o.width : ImGui::GetFontSize() * 8.0f) +
                         ImGui::CalcTextSize(label_of(s, o).c_str(), nullptr, true).x + ImGui::GetStyle().ItemSpacing.x * 2;
      const float right = ImGui::GetWindowContentRegionMax().x + ImGui::GetWindowPos().x;
      if (right - ImGui::GetItemRectMax().x > need) ImGui::SameLine();
    }
    first = false;
    changed |= param_widget(values, s, o);
  }
  return changed;
}

json changed_fields(const json& before, const json& after) {
  json patch = json::object();
  for (auto it = after.begin(); it != after.end(); ++it)
    if (!before.contains(it.key()) || before[it.key()] != it.value()) patch[it.key()] = it.value();
  return patch;
}

}  // namespace lab::ui
