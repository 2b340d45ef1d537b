// attr_methods.cpp — choosing attribution methods: [SECTION] registry helpers · [SECTION] labels ·
// [SECTION] parameter editors · [SECTION] the method list and its popup · [SECTION] signed bars
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/ui_probe.h"
#include "imgui.h"
#include "interp/attribution/attribution.h"
#include "views/attributions.h"
#include "widgets/param_editor.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {

// [SECTION] registry helpers ----------------------------------------------------------------------

const char* family_title(const std::string& f) {
  if (f == "gradient") return "Gradient";
  if (f == "reference") return "Reference (baseline)";
  if (f == "relevance") return "Relevance propagation";
  if (f == "perturbation") return "Perturbation";
  if (f == "layer") return "Layer";
  if (f == "neuron") return "Neuron";
  return f.c_str();
}

const char* noise_title(const std::string& n) {
  if (n == "smoothgrad") return "SmoothGrad";
  if (n == "smoothgrad_sq") return "SmoothGrad²";
  if (n == "vargrad") return "VarGrad";
  return n.c_str();
}

}  // namespace

const attr::MethodInfo* find_method(const std::string& name) {
  for (const attr::MethodInfo& m : attr::method_registry())
    if (m.name == name) return &m;
  return nullptr;
}

const std::vector<std::string>& method_families() {
  static const std::vector<std::string> f = [] {
    std::vector<std::string> out;
    for (const attr::MethodInfo& m : attr::method_registry())
      if (std::find(out.begin(), out.end(), m.family) == out.end()) out.push_back(m.family);
    return out;
  }();
  return f;
}

// [SECTION] labels ------------------------------------------------------------------------------------

// The title, the method's own choice parameters that differ from their defaults in parentheses, and the
// noise tunnel: "LRP (epsilon_plus)", "Saliency · SmoothGrad".
std::string MethodChoice::label() const {
  const attr::MethodInfo* m = find_method(method);
  if (!m) return method;
  std::string t = m->title, extra;
  for (const ParamSpec& s : m->params) {
    if (s.kind != ParamSpec::Choice) continue;
    const std::string v = param_choice(options, s);
    if (v != s.def_choice) extra += (extra.empty() ? "" : ", ") + v;
  }
  if (!extra.empty()) t += " (" + extra + ")";
  for (const ParamSpec& s : attr::common_params())
    if (s.name == "noise" && param_choice(options, s) != s.def_choice) t += std::string(" · ") + noise_title(param_choice(options, s));
  return t;
}

std::vector<std::string> MethodList::labels() const {
  std::vector<std::string> out;
  for (const MethodChoice& m : items) {
    const std::string base = m.label();
    int same = 0;
    for (const std::string& o : out)
      if (o == base || o.rfind(base + " #", 0) == 0) ++same;
    out.push_back(same ? base + " #" + std::to_string(same + 1) : base);
  }
  return out;
}

json MethodList::to_json() const {
  json a = json::array();
  const std::vector<std::string> l = labels();
  for (size_t i = 0; i < items.size(); ++i) a.push_back({{"method", items[i].method}, {"options", items[i].options}, {"label", l[i]}});
  return a;
}

// [SECTION] parameter editors ---------------------------------------------------------------------------

namespace {

// The chosen method's own parameters, then the common ones (target, seed, noise tunnel) folded away.
bool method_options(MethodChoice& m, const attr::MethodInfo& info) {
  bool changed = false;
  if (info.params.empty()) ImGui::TextDisabled("no parameters of its own");
  for (const ParamSpec& s : info.params) changed |= param_widget(m.options, s, {.drop_defaults = true});
  if (ImGui::TreeNode("common parameters")) {
    for (const ParamSpec& s : attr::common_params()) changed |= param_widget(m.options, s, {.drop_defaults = true});
    ImGui::TreePop();
  }
  if (!m.options.empty() && ImGui::SmallButton("Defaults")) {
    m.options = json::object();
    changed = true;
  }
  return changed;
}

void method_tooltip(const attr::MethodInfo& m) {
  if (!ImGui::BeginItemTooltip()) return;
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24.0f);
  ImGui::TextUnformatted(m.description.c_str());
  std::string notes;
  if (m.has_delta) notes += "reports its completeness residual Σa − Δf; ";
  if (m.needs_background) notes += "reads training samples as references; ";
  if (m.heavy) notes += "many forward passes per input (shows progress); ";
  if (m.layer_output) notes += "the map has the layer's shape; ";
  if (!notes.empty()) {
    notes.resize(notes.size() - 2);
    ImGui::TextDisabled("%s", notes.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

}  // namespace

// [SECTION] the method list and its popup ----------------------------------------------------------------

bool MethodList::edit(const char* popup_id) {
  bool changed = false;
  ImGui::PushID(popup_id);
  if (ImGui::Button("Methods…")) ImGui::OpenPopup("methods");
  ImGui::SetItemTooltip("Choose the attribution methods and their parameters");
  ImGui::SameLine();
  ImGui::TextDisabled("%zu chosen", items.size());
  const float fs = ImGui::GetFontSize();
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowSizeConstraints(ImVec2(std::min(fs * 30.0f, ds.x * 0.9f), 0),
                                      ImVec2(std::min(fs * 40.0f, ds.x * 0.95f), ds.y * 0.8f));
  if (ImGui::BeginPopup("methods")) {
    ImGui::TextUnformatted("Attribution methods");
    ImGui::SameLine();
    if (ImGui::SmallButton("Done")) ImGui::CloseCurrentPopup();
    ImGui::SeparatorText("Chosen (open one to edit its parameters)");
    if (items.empty()) ImGui::TextDisabled("none yet: tick methods below");
    const std::vector<std::string> names = labels();
    int remove = -1, duplicate = -1;
    for (size_t i = 0; i < items.size(); ++i) {
      const attr::MethodInfo* info = find_method(items[i].method);
      if (!info) continue;
      ImGui::PushID((int)i);
      if (ImGui::SmallButton("Remove")) remove = (int)i;
      ImGui::SameLine();
      if (ImGui::SmallButton("Duplicate")) duplicate = (int)i;
      ImGui::SetItemTooltip("Add a copy, e.g. to compare two settings of the same method");
      ImGui::SameLine();
      if (ImGui::TreeNode("##options", "%s", names[i].c_str())) {
        changed |= method_options(items[i], *info);
        ImGui::TreePop();
      }
      ImGui::PopID();
    }
    if (remove >= 0) {
      items.erase(items.begin() + remove);
      changed = true;
    } else if (duplicate >= 0) {
      items.insert(items.begin() + duplicate + 1, items[duplicate]);
      changed = true;
    }
    ImGui::SeparatorText("Add (by family; hover for what each computes)");
    for (const std::string& fam : method_families()) {
      ImGui::TextDisabled("%s", family_title(fam));
      if (!ImGui::BeginTable(fam.c_str(), 2, ImGuiTableFlags_SizingStretchSame)) continue;
      for (const attr::MethodInfo& m : attr::method_registry()) {
        if (m.family != fam) continue;
        ImGui::TableNextColumn();
        bool on = std::any_of(items.begin(), items.end(), [&](const MethodChoice& c) { return c.method == m.name; });
        if (ImGui::Checkbox(m.title.c_str(), &on)) {
          if (on)
            items.push_back({m.name, json::object()});
          else
            items.erase(std::remove_if(items.begin(), items.end(), [&](const MethodChoice& c) { return c.method == m.name; }), items.end());
          changed = true;
        }
        method_tooltip(m);
      }
      ImGui::EndTable();
    }
    ImGui::EndPopup();
  }
  ImGui::PopID();
  return changed;
}

// [SECTION] signed bars -----------------------------------------------------------------------------------

void signed_bars(const char* id, const std::vector<std::string>& names, const std::vector<float>& values, float scale, float width) {
  const float fs = ImGui::GetFontSize(), row = fs * 1.25f;
  const float w = width > 0 ? width : std::max(fs * 8.0f, ImGui::GetContentRegionAvail().x);
  const int n = (int)values.size();
  if (n == 0) return;
  float s = scale;
  if (!(s > 0)) {
    s = 0;
    for (float v : values)
      if (std::isfinite(v)) s = std::max(s, std::fabs(v));
  }
  if (!(s > 0)) s = 1;
  ImGui::InvisibleButton(id, ImVec2(w, row * n));
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 a = ImGui::GetItemRectMin();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float name_w = 0;
  for (int i = 0; i < n; ++i) name_w = std::max(name_w, ImGui::CalcTextSize(i < (int)names.size() ? names[i].c_str() : "x99").x);
  name_w = std::min(name_w, w * 0.35f);
  const float value_w = ImGui::CalcTextSize("-0.000e+00").x;
  const float bx0 = a.x + name_w + fs * 0.4f, bx1 = a.x + w - value_w - fs * 0.3f, mid = (bx0 + bx1) * 0.5f;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  char buf[32];
  int hover_row = -1;
  for (int i = 0; i < n; ++i) {
    const float y = a.y + row * i;
    const std::string nm = i < (int)names.size() ? names[i] : "x" + std::to_string(i + 1);
    dl->PushClipRect(ImVec2(a.x, y), ImVec2(a.x + name_w, y + row), true);
    dl->AddText(ImVec2(a.x, y + (row - fs) * 0.5f), text, nm.c_str());
    dl->PopClipRect();
    const float v = values[i];
    if (std::isfinite(v) && bx1 > bx0) {
      const float len = std::clamp(v / s, -1.0f, 1.0f) * (bx1 - bx0) * 0.5f;
      const ImU32 col = diverging_color(v >= 0 ? 0.85f : -0.85f);
      dl->AddRectFilled(ImVec2(std::min(mid, mid + len), y + row * 0.2f), ImVec2(std::max(mid, mid + len), y + row * 0.8f), col);
    }
    std::snprintf(buf, sizeof buf, "%.3g", v);
    dl->AddText(ImVec2(bx1 + fs * 0.3f, y + (row - fs) * 0.5f), std::isfinite(v) ? text : dim, buf);
    if (hovered && ImGui::GetIO().MousePos.y >= y && ImGui::GetIO().MousePos.y < y + row) hover_row = i;
  }
  dl->AddLine(ImVec2(mid, a.y), ImVec2(mid, a.y + row * n), dim);
  if (hover_row >= 0)
    ImGui::SetTooltip("%s: %.6g", hover_row < (int)names.size() ? names[hover_row].c_str() : "feature", values[hover_row]);
}

}  // namespace lab::ui
