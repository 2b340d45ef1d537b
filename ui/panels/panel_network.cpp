// panel_network.cpp — the Network panel: the network as a graph and its layer editor.
//
//   [SECTION] constants and helpers   formatting, JSON look-ups, the 2-D input features' names
//   [SECTION] spec ↔ model layers     which model layers each spec layer became
//   [SECTION] input features          the x1 … sin x2 toggles (2-D data)
//   [SECTION] layer rows              one row per spec layer: neurons ±, activation, parameters, move, remove
//   [SECTION] block diagram           image networks as boxes (height ∝ channels, width ∝ image size)
//   [SECTION] graph                   dense layers as nodes and weighted edges: hover, click to edit, inspect
//   [SECTION] panel                   panel_network()
//
// Spec layers vs model layers: c.spec().model.layers is the list as the user wrote it, where a dense or
// conv2d with an activation is ONE entry; the model (Snapshot::layers) has that activation as a layer of
// its own after it. Edits of the list (add_layer, set_units, set_layer_field, remove_layer) take spec
// indices; set_weight takes the model index of the layer holding the weights, and inspect_neuron / the
// plane thumbnails the model index of the layer whose output the neuron is (its activation when present).
//
// Units are numbered from 0 everywhere in this panel, matching w[layer][to][from] and the JS API; layer
// numbers in labels ("Layer 1", "Remove layer 1") count spec layers from 1, as people do.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "experiment/spec.h"
#include "imgui.h"
#include "imgui_internal.h"  // GetActiveID (the canvas' click), the probe hook for combos
#include "panels/panels.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {

// [SECTION] constants and helpers -----------------------------------------------------------------

constexpr int kMaxNodes = 32;          // nodes drawn per graph column; the rest are summarised as "… N more"
constexpr int kEdgeBudget = 4000;      // edges drawn per frame over the whole graph (frame time, vertex count)
constexpr int kVertexCap = 56000;      // WebGL draws with 16-bit indices: a window's list holds ≤ 65 536 vertices
constexpr int kVerticesPerEdge = 4;    // an anti-aliased line of integer width drawn from the font atlas
constexpr int kSoftMaxUnits = 4096;    // above this a layer size asks first (memory and speed, not a rule)
constexpr int kMaxListedWeights = 16;  // incoming weights editable in a neuron's popup (the rest: click edges)

// The 2-D input features, in the canonical order of input_feature_names() (spec.h), with their labels.
struct FeatureName {
  const char* name;
  const char* label;
};
constexpr FeatureName kFeatures[] = {{"x1", "x1"},      {"x2", "x2"},        {"x1sq", "x1²"},    {"x2sq", "x2²"},
                                     {"x1x2", "x1·x2"}, {"sinx1", "sin x1"}, {"sinx2", "sin x2"}};

const char* feature_label(const std::string& name) {
  for (const auto& f : kFeatures)
    if (name == f.name) return f.label;
  return name.c_str();
}

const json& empty_json_array() {
  static const json a = json::array();
  return a;
}

// o[k] when o is an object holding k, else null (the spec is const: operator[] must not be used on a missing key).
const json* field(const json& o, const char* k) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(k);
  return it == o.end() ? nullptr : &*it;
}
const json& array_field(const json& o, const char* k) {
  const json* f = field(o, k);
  return f && f->is_array() ? *f : empty_json_array();
}
std::string str_field(const json& o, const char* k) {
  const json* f = field(o, k);
  return f && f->is_string() ? f->get<std::string>() : std::string();
}
double num_field(const json& o, const char* k, double def) {
  const json* f = field(o, k);
  return f && f->is_number() ? f->get<double>() : def;
}

// 1234567 → "1,234,567".
void format_count(size_t n, char* buf, size_t cap) {
  char digits[32];
  const int len = std::snprintf(digits, sizeof digits, "%zu", n);
  size_t o = 0;
  for (int i = 0; i < len && o + 2 < cap; ++i) {
    if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = 0;
}

// (8, 14, 14) → "8×14×14".
void format_shape(const std::vector<int>& s, char* buf, size_t cap) {
  size_t o = 0;
  buf[0] = 0;
  for (size_t i = 0; i < s.size() && o + 1 < cap; ++i) {
    const int w = std::snprintf(buf + o, cap - o, i ? "×%d" : "%d", s[i]);
    if (w < 0) break;
    o += (size_t)w;
  }
}

long long shape_size(const std::vector<int>& s) {
  long long n = 1;
  for (int d : s) n *= d;
  return s.empty() ? 0 : n;
}

size_t param_count(const LayerView& l) { return l.weight.size() + l.bias.size(); }

// Keeps the next item on this line when `width` still fits, else starts a new line.
void same_line_if_fits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

float button_width(const char* label) { return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2; }

// BeginCombo (ImGui 1.90.1) reports no label to the test-engine hooks, so ui_probe would list a combo with
// an empty label; this reports it (id: the combo's, taken with GetID(label) just before BeginCombo).
void probe_label(ImGuiID id, const char* label) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  IMGUI_TEST_ENGINE_ITEM_INFO(id, label, 0);
}

const json* layer_schema(const Controller& c, const std::string& type) {
  for (const auto& l : array_field(c.registries(), "layers"))
    if (str_field(l, "type") == type) return &l;
  return nullptr;
}

std::string layer_title(const Controller& c, const std::string& type) {
  const json* s = layer_schema(c, type);
  return s ? s->value("title", type) : type;
}

std::string activation_title(const Controller& c, const std::string& name) {
  for (const auto& a : array_field(c.registries(), "activations"))
    if (str_field(a, "name") == name) return a.value("title", name);
  return name;
}

bool takes_activation(const Controller& c, const std::string& type) {
  const json* s = layer_schema(c, type);
  if (!s) return false;
  for (const auto& p : array_field(*s, "params"))
    if (str_field(p, "name") == "activation") return true;
  return false;
}

// [SECTION] spec ↔ model layers -----------------------------------------------------------------------

// A spec layer other than "activation" with an activation that is not linear is followed in the model by
// that activation as a layer of its own (model.cpp does the same).
bool adds_activation(const json& l) {
  if (str_field(l, "type") == "activation") return false;
  const std::string a = str_field(l, "activation");
  return !a.empty() && a != "linear";
}

struct LayerMap {
  std::vector<int> first, last;  // per spec layer: its first and last model layer
  bool matches = false;          // the snapshot's model layers are this spec's (false while a rebuild is pending)
};

LayerMap map_layers(const json& layers, const Snapshot& v) {
  LayerMap m;
  int n = 0;
  for (const auto& l : layers) {
    m.first.push_back(n);
    n += adds_activation(l) ? 2 : 1;
    m.last.push_back(n - 1);
  }
  m.matches = n == (int)v.layers.size() && n > 0;
  for (size_t i = 0; m.matches && i < layers.size(); ++i) {
    m.matches = v.layers[m.first[i]].type == str_field(layers[i], "type");
    if (m.last[i] != m.first[i]) m.matches = m.matches && v.layers[m.last[i]].type == "activation";
  }
  return m;
}

size_t spec_layer_params(const Snapshot& v, const LayerMap& m, int i) {
  size_t n = 0;
  for (int k = m.first[i]; k <= m.last[i]; ++k) n += param_count(v.layers[k]);
  return n;
}

// What the panel remembers between frames: the open popups' targets.
struct PanelState {
  struct {
    int layer = -1, to = 0, from = 0, in = 0;  // model layer (dense), unit, input, inputs per unit
    float value = 0;
    char title[48] = "", what[160] = "";
  } edge;
  struct {
    int dense = -1, out = -1, unit = 0;  // model layers: weights, output
    char title[64] = "";
    int prev_spec = -1;  // the spec layer feeding it (-1: the graph's inputs)
    int g0 = 0;          // the graph's first spec layer (inputs: its input)
  } node;
  struct {
    int layer = -1, units = 0;
    ImGuiID popup = 0;  // "Large layer" at the panel's ID level (rows open it from inside PushID)
  } confirm;
};
// Units beyond kSoftMaxUnits ask first (the confirmation popup in panel_network).
void request_units(Controller& c, PanelState& st, int layer, int current, int units) {
  units = std::max(1, units);
  if (units == current) return;
  if (units > kSoftMaxUnits && units > current) {
    st.confirm.layer = layer;
    st.confirm.units = units;
    ImGui::OpenPopup(st.confirm.popup);
    return;
  }
  c.set_units(layer, units);
}

// [SECTION] input features ----------------------------------------------------------------------------

// A feature over the input plane (for the input nodes' faces), cached until the plane changes.
struct FeatureTexture {
  int grid = 0;
  float x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  ImTextureID id = 0;
};
using FeatureCache = std::map<std::string, FeatureTexture>;
ImTextureID feature_texture(Textures& tex, FeatureCache& cache, const Snapshot& v, const std::string& name) {
  bool known = false;
  for (const auto& f : kFeatures) known |= name == f.name;
  if (!known || v.grid <= 0) return 0;
  FeatureTexture& e = cache[name];
  if (e.id && e.grid == v.grid && e.x0 == v.x0 && e.x1 == v.x1 && e.y0 == v.y0 && e.y1 == v.y1) return e.id;
  const int G = v.grid;
  std::vector<float> vals((size_t)G * G);  // (G, G), row 0 = top (y = y1), as the plane textures
  for (int r = 0; r < G; ++r)
    for (int q = 0; q < G; ++q) {
      const float x = v.x0 + (q + 0.5f) / G * (v.x1 - v.x0), y = v.y1 - (r + 0.5f) / G * (v.y1 - v.y0);
      vals[(size_t)r * G + q] = input_feature(name, x, y);
    }
  std::vector<uint32_t> rgba;
  signed_to_rgba(vals.data(), G * G, 0.0f, rgba);
  e = {G, v.x0, v.x1, v.y0, v.y1, tex.update("network/feature/" + name, rgba.data(), G, G, true)};
  return e.id;
}

std::vector<std::string> active_features(const Controller& c) {
  std::vector<std::string> on;
  const json* data = field(c.spec(), "data");
  for (const auto& f : data ? array_field(*data, "features") : empty_json_array())
    if (f.is_string()) on.push_back(f.get<std::string>());
  if (on.empty()) on = {"x1", "x2"};
  return on;
}

void input_features(Controller& c, bool locked) {
  const std::vector<std::string> on = active_features(c);
  auto is_on = [&](const char* n) { return std::find(on.begin(), on.end(), n) != on.end(); };
  ImGui::PushID("features");
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Inputs");
  ImGui::BeginDisabled(locked);
  for (const auto& f : kFeatures) {
    bool active = is_on(f.name);
    const bool only = active && on.size() == 1;
    same_line_if_fits(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(f.label).x);
    ImGui::BeginDisabled(only);
    if (ImGui::Checkbox(f.label, &active)) {
      std::vector<std::string> next;
      for (const auto& g : kFeatures)
        if (&g == &f ? active : is_on(g.name)) next.push_back(g.name);
      c.set_features(next);
    }
    ImGui::EndDisabled();
    if (only && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("At least one input stays on.");
  }
  ImGui::EndDisabled();
  ImGui::PopID();
}

// [SECTION] layer rows --------------------------------------------------------------------------------

struct Column;
struct Scales;
// One frame's drawing context: what it draws from, and the panel's memory (owned by the App).
struct Ctx {
  Controller& c;
  Textures& tex;
  const Snapshot& v;
  const json& layers;
  const LayerMap& map;
  bool locked, show_activation, image;
  float fs;
  PanelState& st;
  FeatureCache& features;
  Scales& scales;
  std::vector<Column>& cols;
  std::vector<float>& mags;
};

void activation_combo(Ctx& x, int i, const json& layer) {
  std::string cur = str_field(layer, "activation");
  if (cur.empty()) cur = "linear";
  const std::string title = activation_title(x.c, cur);
  same_line_if_fits(x.fs * 6.5f + ImGui::CalcTextSize("activation").x);
  ImGui::SetNextItemWidth(x.fs * 6.0f);
  const ImGuiID id = ImGui::GetID("activation");
  const bool open = ImGui::BeginCombo("activation", title.c_str());
  probe_label(id, "activation");
  if (open) {
    for (const auto& a : array_field(x.c.registries(), "activations")) {
      const std::string name = str_field(a, "name"), t = a.value("title", name);
      const bool sel = name == cur;
      if (ImGui::Selectable(t.c_str(), sel) && !sel) x.c.set_layer_field(i, "activation", name);
      if (sel) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
}

// "Layer 2 · Conv2D → 8×14×14 · 80 parameters" (shape and count when the snapshot matches the spec).
void row_title(Ctx& x, int i, bool output, const std::string& type) {
  const std::string title = layer_title(x.c, type);
  ImGui::AlignTextToFramePadding();
  if (output)
    ImGui::Text("Output layer · %s", title.c_str());
  else
    ImGui::Text("Layer %d · %s", i + 1, title.c_str());
  if (x.map.matches) {
    char shape[64], count[32];
    format_shape(x.v.layers[x.map.last[i]].out_shape, shape, sizeof shape);
    format_count(spec_layer_params(x.v, x.map, i), count, sizeof count);
    ImGui::SameLine();
    ImGui::TextDisabled("→ %s · %s params", shape, count);
  }
}

// Up / Down / Remove for a hidden layer (Up and Down only in the image editor, where order matters most).
void row_buttons(Ctx& x, int i, bool output, bool movable) {
  if (output) return;
  const int n = (int)x.layers.size();
  char remove[40];
  std::snprintf(remove, sizeof remove, "Remove layer %d", i + 1);
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  same_line_if_fits(button_width(remove) + (movable ? button_width("Up") + button_width("Down") + 2 * sp : 0.0f));
  ImGui::BeginDisabled(x.locked);
  if (movable) {
    ImGui::BeginDisabled(i == 0);
    if (ImGui::SmallButton("Up")) {
      json l = x.layers;
      std::swap(l[i], l[i - 1]);
      x.c.set_layers(l);
    }
    ImGui::SetItemTooltip("Move layer %d up", i + 1);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(i + 2 >= n);  // the output layer stays last
    if (ImGui::SmallButton("Down")) {
      json l = x.layers;
      std::swap(l[i], l[i + 1]);
      x.c.set_layers(l);
    }
    ImGui::SetItemTooltip("Move layer %d down", i + 1);
    ImGui::EndDisabled();
    ImGui::SameLine();
  }
  if (ImGui::SmallButton(remove)) x.c.remove_layer(i);
  ImGui::EndDisabled();
}

// A dense layer of a 1-D network: − neuron [units] + neuron, activation.
void dense_row(Ctx& x, int i, bool output) {
  const json& layer = x.layers[i];
  const int units = (int)num_field(layer, "units", 1);
  row_title(x, i, output, "dense");
  row_buttons(x, i, output, false);
  ImGui::BeginDisabled(x.locked || output);
  ImGui::BeginDisabled(units <= 1);
  if (ImGui::Button("− neuron")) request_units(x.c, x.st, i, units, units - 1);
  ImGui::EndDisabled();
  ImGui::SameLine();
  int u = units;
  ImGui::SetNextItemWidth(x.fs * 3.2f);
  if (ImGui::InputInt("##units", &u, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)) request_units(x.c, x.st, i, units, u);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(output ? "%d outputs: one per class or target (fixed by the data)" : "%d neurons (type a number, Enter)", units);
  ImGui::SameLine();
  if (ImGui::Button("+ neuron")) request_units(x.c, x.st, i, units, units + 1);
  ImGui::EndDisabled();
  if (x.show_activation) {
    ImGui::BeginDisabled(x.locked);
    activation_combo(x, i, layer);
    ImGui::EndDisabled();
  }
}

// Any layer, from its registry schema: a widget per numeric parameter, the activation where it applies.
void generic_row(Ctx& x, int i, bool output) {
  const json& layer = x.layers[i];
  const std::string type = str_field(layer, "type");
  row_title(x, i, output, type);
  row_buttons(x, i, output, x.image);
  const json* schema = layer_schema(x.c, type);
  bool first = true;
  ImGui::BeginDisabled(x.locked);
  if (schema)
    for (const auto& p : array_field(*schema, "params")) {
      const std::string kind = str_field(p, "kind");
      if (kind != "number" && kind != "integer" && kind != "boolean") continue;  // activation, init: their own combos
      const std::string name = str_field(p, "name");
      const double lo = num_field(p, "min", 0), hi = num_field(p, "max", 1e9), def = num_field(p, "default", 0);
      double cur = num_field(layer, name.c_str(), def);
      // A pool's stride defaults to its window size (pool2d), not to the schema's fixed default.
      if (name == "stride" && !field(layer, "stride") && field(layer, "size")) cur = num_field(layer, "size", def);
      const bool units_like = name == "units" || name == "filters";
      const bool integral =
          kind == "integer" || (lo == std::floor(lo) && hi == std::floor(hi) && def == std::floor(def) && cur == std::floor(cur));
      if (!first) same_line_if_fits(x.fs * 6.0f + ImGui::CalcTextSize(name.c_str()).x);
      first = false;
      ImGui::BeginDisabled(output && units_like);
      if (kind == "boolean") {
        bool b = field(layer, name.c_str()) ? cur != 0 : p.value("default", false);
        if (ImGui::Checkbox(name.c_str(), &b)) x.c.set_layer_field(i, name, b ? 1 : 0);
      } else if (integral) {
        int val = (int)cur;
        ImGui::SetNextItemWidth(x.fs * 5.5f);
        if (ImGui::InputInt(name.c_str(), &val, 1, 0, ImGuiInputTextFlags_EnterReturnsTrue)) {
          val = (int)std::clamp<double>(val, lo, hi);
          if (units_like)
            request_units(x.c, x.st, i, (int)cur, val);
          else if (val != (int)cur)
            x.c.set_layer_field(i, name, val);
        }
      } else {
        float val = (float)cur;
        ImGui::SetNextItemWidth(x.fs * 5.5f);
        if (ImGui::InputFloat(name.c_str(), &val, 0.0f, 0.0f, "%g", ImGuiInputTextFlags_EnterReturnsTrue)) {
          val = (float)std::clamp<double>(val, lo, hi);
          if (val != (float)cur) x.c.set_layer_field(i, name, short_float(val));
        }
      }
      ImGui::EndDisabled();
      const std::string help = str_field(p, "help");
      if (!help.empty()) ImGui::SetItemTooltip("%s (%g to %g)", help.c_str(), lo, hi);
    }
  ImGui::EndDisabled();
  if (x.show_activation && takes_activation(x.c, type)) {
    if (first) ImGui::NewLine();  // activation_combo starts with a SameLine
    ImGui::BeginDisabled(x.locked);
    activation_combo(x, i, layer);
    ImGui::EndDisabled();
  }
}

void layer_rows(Ctx& x) {
  const int n = (int)x.layers.size();
  for (int i = 0; i < n; ++i) {
    ImGui::PushID(i);
    const bool output = i == n - 1;
    if (!x.image && str_field(x.layers[i], "type") == "dense")
      dense_row(x, i, output);
    else
      generic_row(x, i, output);
    if (x.image && i + 1 < n) ImGui::Separator();
    ImGui::PopID();
  }
}

// A new layer as the registry describes it: required parameters at their defaults, plus a sensible
// activation and "same" padding for convolutions.
json default_layer(const Controller& c, const std::string& type) {
  json l = {{"type", type}};
  if (const json* s = layer_schema(c, type))
    for (const auto& p : array_field(*s, "params"))
      if (p.value("required", false)) {
        const double d = num_field(p, "default", 0);
        if (d == std::floor(d))
          l[str_field(p, "name")] = (long long)d;
        else
          l[str_field(p, "name")] = d;
      }
  if (type == "dropout") l["rate"] = 0.2;
  if (type == "conv2d") l["padding"] = (long long)num_field(l, "kernel", 3) / 2;
  if (type == "dense" || type == "conv2d" || type == "activation") l["activation"] = "relu";
  return l;
}

// The image editor's "Add layer" menu: convolutions and pools go before the first flatten (they need an
// image), everything else before the output layer.
void add_layer_menu(Ctx& x) {
  if (!ImGui::BeginPopup("add_layer_menu")) return;
  for (const auto& l : array_field(x.c.registries(), "layers")) {
    const std::string type = str_field(l, "type");
    const std::string title = l.value("title", type);
    if (ImGui::Selectable(title.c_str())) {
      int at = -1;
      if (type == "conv2d" || type == "maxpool2d" || type == "avgpool2d")
        for (int i = 0; i < (int)x.layers.size(); ++i)
          if (str_field(x.layers[i], "type") == "flatten") {
            at = i;
            break;
          }
      x.c.add_layer(at, default_layer(x.c, type));
    }
    const std::string d = str_field(l, "description");
    if (!d.empty()) ImGui::SetItemTooltip("%s", d.c_str());
  }
  ImGui::EndPopup();
}

// [SECTION] block diagram -----------------------------------------------------------------------------

// One box per spec layer (and the input): height ∝ log(channels or units), width ∝ the image's size.
// Each box is an invisible button labelled with its layer and shape; clicking a conv/dense box inspects
// its first channel / neuron.
void block_diagram(Ctx& x) {
  const Snapshot& v = x.v;
  const int n = (int)x.layers.size() + 1;  // the input, then each spec layer
  auto shape_of = [&](int b) -> const std::vector<int>& { return b == 0 ? v.input_shape : v.layers[x.map.last[b - 1]].out_shape; };
  float cmax = 1, smax = 1;
  for (int b = 0; b < n; ++b) {
    const std::vector<int>& s = shape_of(b);
    if (s.empty()) continue;
    cmax = std::max(cmax, (float)s[0]);
    if (s.size() == 3) smax = std::max(smax, (float)s[1]);
  }
  const float fs = x.fs, gap = fs * 0.5f, W = ImGui::GetContentRegionAvail().x;
  const float slot = std::clamp((W - gap * (n - 1)) / n, fs * 1.4f, fs * 5.0f);
  const float box_h_max = fs * 4.0f, label_h = ImGui::GetTextLineHeight(), total_h = box_h_max + 2 * label_h + fs * 0.4f;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* font = ImGui::GetFont();
  const float small = fs * 0.85f;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float cy = p0.y + label_h + fs * 0.2f + box_h_max * 0.5f;
  float prev_right = -1;
  for (int b = 0; b < n; ++b) {
    const std::vector<int>& s = shape_of(b);
    const std::string type = b == 0 ? "input" : str_field(x.layers[b - 1], "type");
    const float ch = s.empty() ? 1.0f : (float)s[0];
    const float h = fs * 0.8f + (box_h_max - fs * 0.8f) * std::log2(1 + ch) / std::log2(1 + cmax);
    const float w = s.size() == 3 ? slot * (0.3f + 0.6f * s[1] / smax) : slot * 0.25f;
    const float sx = p0.x + b * (slot + gap), bx = sx + (slot - w) * 0.5f;
    ImU32 fill = class_color(7, 0.5f);
    if (type == "conv2d")
      fill = class_color(0, 0.7f);
    else if (type == "maxpool2d" || type == "avgpool2d")
      fill = class_color(4, 0.7f);
    else if (type == "dense")
      fill = class_color(2, 0.7f);
    else if (type == "dropout")
      fill = class_color(6, 0.6f);
    else if (type == "activation")
      fill = class_color(5, 0.6f);
    const ImVec2 a(bx, cy - h * 0.5f), z(bx + w, cy + h * 0.5f);
    if (prev_right >= 0) dl->AddLine(ImVec2(prev_right, cy), ImVec2(bx, cy), dim, 1.0f);
    prev_right = bx + w;
    dl->AddRectFilled(a, z, fill, fs * 0.15f);
    dl->AddRect(a, z, dim, fs * 0.15f);
    char shape[64], kind[48], label[160];
    format_shape(s, shape, sizeof shape);
    const json* l = b == 0 ? nullptr : &x.layers[b - 1];
    if (type == "conv2d")
      std::snprintf(kind, sizeof kind, "conv %d×%d", (int)num_field(*l, "kernel", 3), (int)num_field(*l, "kernel", 3));
    else if (type == "maxpool2d")
      std::snprintf(kind, sizeof kind, "max %d", (int)num_field(*l, "size", 2));
    else if (type == "avgpool2d")
      std::snprintf(kind, sizeof kind, "avg %d", (int)num_field(*l, "size", 2));
    else
      std::snprintf(kind, sizeof kind, "%s", type.c_str());
    const ImVec4 clip(sx, p0.y, sx + slot, p0.y + total_h);
    const float kw = font->CalcTextSizeA(small, FLT_MAX, 0, kind).x, sw = font->CalcTextSizeA(small, FLT_MAX, 0, shape).x;
    dl->AddText(font, small, ImVec2(sx + std::max(0.0f, (slot - kw) * 0.5f), p0.y), text, kind, nullptr, 0, &clip);
    dl->AddText(font, small, ImVec2(sx + std::max(0.0f, (slot - sw) * 0.5f), cy + box_h_max * 0.5f + fs * 0.2f), dim, shape, nullptr, 0,
                &clip);
    // The item: readable label (ui_probe) and tooltip.
    if (b == 0)
      std::snprintf(label, sizeof label, "input %s##block", shape);
    else
      std::snprintf(label, sizeof label, "layer %d %s %s##block%d", b, type.c_str(), shape, b);
    ImGui::SetCursorScreenPos(ImVec2(sx, p0.y));
    const bool clicked = ImGui::InvisibleButton(label, ImVec2(slot, total_h));
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      if (b == 0)
        ImGui::Text("Input %s", shape);
      else {
        char count[32];
        format_count(spec_layer_params(v, x.map, b - 1), count, sizeof count);
        ImGui::Text("Layer %d · %s → %s", b, layer_title(x.c, type).c_str(), shape);
        ImGui::TextDisabled("%s parameters", count);
        if (type == "conv2d" || type == "dense")
          ImGui::TextDisabled("Click: inspect its first %s", type == "conv2d" ? "channel" : "neuron");
      }
      ImGui::EndTooltip();
    }
    if (clicked && b > 0 && (type == "conv2d" || type == "dense")) {
      x.c.inspect_neuron(x.map.last[b - 1], 0);
      x.c.neuron_open = true;
    }
  }
  ImGui::SetCursorScreenPos(p0);
  ImGui::Dummy(ImVec2(std::min(W, n * (slot + gap)), total_h));
}

// [SECTION] graph -------------------------------------------------------------------------------------

struct Column {
  int spec = -1;   // spec layer (-1: the inputs)
  int dense = -1;  // model layer holding the weights into this column (-1: the inputs)
  int out = -1;    // model layer whose output the neurons are (its activation when present)
  int n = 0;       // units
  int shown = 0;   // nodes drawn (n, or kMaxNodes - 1 and a "… N more" row)
  float x = 0;     // centre
  bool output = false;
  int rows() const { return shown + (n > shown ? 1 : 0); }
};

// Per snapshot: max |w| and max |b| of every model layer (edge colours and widths, node fills).
struct Scales {
  long long version = -1;
  const void* key = nullptr;
  std::vector<float> w, b;
};
const Scales& scales(Scales& s, const Snapshot& v) {
  if (s.version == v.version && s.key == (const void*)v.layers.data() && s.w.size() == v.layers.size()) return s;
  s.version = v.version;
  s.key = v.layers.data();
  s.w.assign(v.layers.size(), 0.0f);
  s.b.assign(v.layers.size(), 0.0f);
  for (size_t i = 0; i < v.layers.size(); ++i) {
    for (float x : v.layers[i].weight) s.w[i] = std::max(s.w[i], std::fabs(x));
    for (float x : v.layers[i].bias) s.b[i] = std::max(s.b[i], std::fabs(x));
  }
  return s;
}

void input_name(const Snapshot& v, int g0, int i, char* buf, size_t cap) {
  if (g0 == 0 && i < (int)v.feature_names.size())
    std::snprintf(buf, cap, "%s", feature_label(v.feature_names[i]));
  else
    std::snprintf(buf, cap, "#%d", i);
}

void node_name(const Snapshot& v, const Column& col, int g0, int i, char* buf, size_t cap) {
  if (col.spec < 0) {
    char in[64];
    input_name(v, g0, i, in, sizeof in);
    std::snprintf(buf, cap, "input %s", in);
  } else if (col.output) {
    std::snprintf(buf, cap, "output %d", i);
  } else {
    std::snprintf(buf, cap, "layer %d neuron %d", col.spec + 1, i);
  }
}

// Distance² from p to the segment a–b.
float segment_dist2(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

// Columns of the graph: the input of spec layer g0, then every dense spec layer from g0 on. False when
// the snapshot does not fit the spec (shapes differ while a rebuild is pending).
bool graph_columns(Ctx& x, int g0, std::vector<Column>& cols) {
  const Snapshot& v = x.v;
  const int n = (int)x.layers.size();
  cols.clear();
  Column in;
  in.n = (int)(g0 == 0 ? shape_size(v.input_shape) : shape_size(v.layers[x.map.last[g0 - 1]].out_shape));
  if (in.n <= 0) return false;
  cols.push_back(in);
  int last_dense = -1;
  for (int i = g0; i < n; ++i)
    if (str_field(x.layers[i], "type") == "dense") last_dense = i;
  for (int i = g0; i < n; ++i) {
    if (str_field(x.layers[i], "type") != "dense") continue;
    Column col;
    col.spec = i;
    col.dense = x.map.first[i];
    col.out = x.map.last[i];
    for (int j = i + 1; j < n && str_field(x.layers[j], "type") == "activation"; ++j) col.out = x.map.last[j];
    const LayerView& L = v.layers[col.dense];
    if (L.weight_shape.size() != 2 || L.weight_shape[1] != cols.back().n) return false;
    col.n = L.weight_shape[0];
    if (col.n <= 0 || L.weight.size() != (size_t)col.n * cols.back().n) return false;
    col.output = i == last_dense;
    cols.push_back(col);
  }
  for (auto& col : cols) col.shown = col.n <= kMaxNodes ? col.n : kMaxNodes - 1;
  return cols.size() >= 2;
}

void open_edge_popup(Ctx& x, const Column& prev, const Column& col, int g0, int to, int from) {
  PanelState& st = x.st;
  const LayerView& L = x.v.layers[col.dense];
  st.edge.layer = col.dense;
  st.edge.to = to;
  st.edge.from = from;
  st.edge.in = prev.n;
  st.edge.value = L.weight[(size_t)to * prev.n + from];
  std::snprintf(st.edge.title, sizeof st.edge.title, "w[%d][%d][%d]", col.dense, to, from);
  char a[80], b[80];
  node_name(x.v, prev, g0, from, a, sizeof a);
  node_name(x.v, col, g0, to, b, sizeof b);
  std::snprintf(st.edge.what, sizeof st.edge.what, "from %s to %s", a, b);
  ImGui::OpenPopup("Edit weight");
}

void edge_popup(Controller& c, PanelState& st) {
  if (!ImGui::BeginPopup("Edit weight")) return;
  ImGui::Text("Weight %s", st.edge.title);
  ImGui::TextDisabled("%s", st.edge.what);
  bool apply = false;
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  apply |= ImGui::InputFloat("Weight", &st.edge.value, 0.0f, 0.0f, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue);
  apply |= ImGui::Button("Set weight");
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  if (apply && std::isfinite(st.edge.value)) {
    c.set_weight(st.edge.layer, "weight", (long long)st.edge.to * st.edge.in + st.edge.from, st.edge.value);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// Right-click on a neuron: its bias and (the first few of) its incoming weights, editable; and inspect.
void node_popup(Ctx& x) {
  PanelState& st = x.st;
  if (!ImGui::BeginPopup("Edit neuron")) return;
  const Snapshot& v = x.v;
  const int d = st.node.dense, u = st.node.unit;
  if (d < 0 || d >= (int)v.layers.size() || v.layers[d].weight_shape.size() != 2 || u >= v.layers[d].weight_shape[0]) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  const LayerView& L = v.layers[d];
  const int in = L.weight_shape[1];
  ImGui::TextUnformatted(st.node.title);
  if (ImGui::Button("Inspect neuron")) {
    x.c.inspect_neuron(st.node.out, u);
    x.c.neuron_open = true;
    ImGui::CloseCurrentPopup();
  }
  ImGui::BeginDisabled(x.locked);
  ImGui::SetNextItemWidth(x.fs * 7);
  if (u < (int)L.bias.size()) {
    float b = L.bias[u];
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    if (ImGui::InputFloat("Bias", &b, 0.0f, 0.0f, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue) && std::isfinite(b))
      x.c.set_weight(d, "bias", u, b);
    ImGui::SetItemTooltip("Enter to apply");
  } else {
    ImGui::TextDisabled("no bias (bias: 0 in the spec)");
  }
  ImGui::SeparatorText("Incoming weights");
  const int listed = std::min(in, kMaxListedWeights);
  for (int i = 0; i < listed; ++i) {
    char from[96], label[112];
    if (st.node.prev_spec < 0) {
      char nm[64];
      input_name(v, st.node.g0, i, nm, sizeof nm);
      std::snprintf(from, sizeof from, "%s", nm);
    } else {
      std::snprintf(from, sizeof from, "layer %d neuron %d", st.node.prev_spec + 1, i);
    }
    std::snprintf(label, sizeof label, "from %s##w%d", from, i);
    float w = L.weight[(size_t)u * in + i];
    ImGui::SetNextItemWidth(x.fs * 7);
    if (ImGui::InputFloat(label, &w, 0.0f, 0.0f, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue) && std::isfinite(w))
      x.c.set_weight(d, "weight", (long long)u * in + i, w);
  }
  if (in > listed) ImGui::TextDisabled("… and %d more: click an edge to edit it", in - listed);
  ImGui::EndDisabled();
  ImGui::EndPopup();
}

// The dense part of the network (spec layers g0 …) as columns of nodes joined by weighted edges.
void graph(Ctx& x, int g0) {
  std::vector<Column>& cols = x.cols;  // reused: no allocation per frame once sized
  const Snapshot& v = x.v;
  if (!x.map.matches || !graph_columns(x, g0, cols)) {
    ImGui::TextDisabled("Updating the network…");
    return;
  }
  const Scales& sc = scales(x.scales, v);
  const int K = (int)cols.size();
  const float fs = x.fs;
  const bool plane = v.plane && g0 == 0;
  int rows = 1;
  for (const auto& col : cols) rows = std::max(rows, col.rows());

  // Layout: node size from the tallest column, labels left of the inputs and right of the outputs.
  const float W = ImGui::GetContentRegionAvail().x;
  // Node size: the tallest column fills the panel's remaining height (at least ~20 lines), within limits.
  const float room = std::max(fs * 20.0f, ImGui::GetContentRegionAvail().y - 4 * ImGui::GetTextLineHeightWithSpacing());
  float s = std::clamp(room / (rows * 1.3f), fs * 0.7f, fs * 2.6f);
  float left_w = 0, right_w = 0;
  char buf[128];
  for (int i = 0; i < cols[0].shown; ++i) {
    input_name(v, g0, i, buf, sizeof buf);
    left_w = std::max(left_w, ImGui::CalcTextSize(buf).x);
  }
  const Column& out_col = cols.back();
  if (out_col.output && v.task == "classification")
    for (int i = 0; i < out_col.shown && i < (int)v.class_names.size(); ++i)
      right_w = std::max(right_w, ImGui::CalcTextSize(v.class_names[i].c_str()).x);
  left_w = std::min(left_w + fs * 0.3f, W * 0.2f);
  right_w = right_w > 0 ? std::min(right_w + fs * 0.3f, W * 0.15f) : 0.0f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  auto place = [&] {
    const float x0 = origin.x + left_w + s * 0.5f, x1 = origin.x + W - right_w - s * 0.5f;
    for (int k = 0; k < K; ++k) cols[k].x = K > 1 ? x0 + (x1 - x0) * k / (K - 1) : x0;
  };
  place();
  if (K > 1 && cols[1].x - cols[0].x < s * 2.0f) {  // many layers: smaller nodes so edges stay visible
    s = std::max(fs * 0.5f, (cols[1].x - cols[0].x) * 0.5f);
    place();
  }
  const float pitch = s * 1.3f;

  // Column titles: "Inputs" / "Layer 2" / "Output", with units and activation under them.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  for (const auto& col : cols) {
    char title[48], sub[64];
    if (col.spec < 0)
      std::snprintf(title, sizeof title, g0 == 0 ? "Inputs" : "Flattened");
    else if (col.output)
      std::snprintf(title, sizeof title, "Output");
    else
      std::snprintf(title, sizeof title, "Layer %d", col.spec + 1);
    if (col.spec < 0)
      std::snprintf(sub, sizeof sub, "%d", col.n);
    else {
      const std::string act = col.out != col.dense ? v.layers[col.out].activation : std::string("linear");
      std::snprintf(sub, sizeof sub, "%d · %s", col.n, act.c_str());
    }
    const float tw = ImGui::CalcTextSize(title).x, sw = ImGui::CalcTextSize(sub).x;
    ImGui::SetCursorScreenPos(ImVec2(std::clamp(col.x - tw * 0.5f, origin.x, origin.x + W - tw), origin.y));
    ImGui::TextUnformatted(title);
    ImGui::SetCursorScreenPos(ImVec2(std::clamp(col.x - sw * 0.5f, origin.x, origin.x + W - sw), origin.y + line));
    ImGui::TextDisabled("%s", sub);
  }
  const float top = origin.y + 2 * line + fs * 0.3f, H = rows * pitch;
  auto node_y = [&](const Column& col, int i) { return top + (H - col.rows() * pitch) * 0.5f + (i + 0.5f) * pitch; };

  // Edges, strongest first when a pair of columns has more than its share of the budget. The edge nearest
  // the mouse (among those drawn) is found on the way, without storing any.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  // The canvas is submitted below; while it is held (a click in progress) the window still counts as hovered.
  const ImGuiID canvas_id = ImGui::GetID("network graph##canvas");
  const ImGuiID active = ImGui::GetActiveID();
  const bool mouse_in = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) && (active == 0 || active == canvas_id) &&
                        mouse.x >= origin.x && mouse.x <= origin.x + W && mouse.y >= top && mouse.y <= top + H;
  const float px = fs / 15.0f;
  const float hit2 = (fs * 0.35f) * (fs * 0.35f);
  int budget = std::min(kEdgeBudget, std::max(0, (kVertexCap - dl->VtxBuffer.Size) / kVerticesPerEdge - 2000));
  bool thinned = false;
  int best_k = -1, best_to = -1, best_from = -1;
  float best_d2 = hit2;
  x.mags.resize(kMaxNodes * kMaxNodes);
  float* mags = x.mags.data();  // |w| of one column pair's shown edges (thinning threshold)
  for (int k = 1; k < K; ++k) {
    const Column &prev = cols[k - 1], &col = cols[k];
    const LayerView& L = v.layers[col.dense];
    const float* wt = L.weight.data();  // (col.n, prev.n)
    const int in = prev.n;
    const float scale = sc.w[col.dense] > 0 ? sc.w[col.dense] : 1.0f;
    const int pair_budget = budget / (K - k);
    const int count = col.shown * prev.shown;
    float thr = 0.0f;
    if (count > pair_budget) {
      thinned = true;
      int m = 0;
      for (int to = 0; to < col.shown; ++to)
        for (int from = 0; from < prev.shown; ++from) mags[m++] = std::fabs(wt[(size_t)to * in + from]);
      if (pair_budget <= 0)
        thr = INFINITY;
      else {
        std::nth_element(mags, mags + (m - pair_budget), mags + m);
        thr = mags[m - pair_budget];
      }
    }
    int drawn = 0;
    for (int to = 0; to < col.shown && drawn < pair_budget; ++to) {
      const ImVec2 b(col.x - s * 0.5f, node_y(col, to));
      for (int from = 0; from < prev.shown && drawn < pair_budget; ++from) {
        const float w = wt[(size_t)to * in + from], r = std::fabs(w) / scale;
        if (!(std::fabs(w) >= thr)) continue;
        const ImVec2 a(prev.x + s * 0.5f, node_y(prev, from));
        const float width = std::max(1.0f, std::round((0.5f + 4.5f * r) * px));
        dl->AddLine(a, b, diverging_color(w / scale, 0.35f + 0.6f * std::min(r, 1.0f)), width);
        ++drawn;
        if (mouse_in) {
          const float d2 = segment_dist2(mouse, a, b);
          if (d2 < best_d2) {
            best_d2 = d2;
            best_k = k;
            best_to = to;
            best_from = from;
          }
        }
      }
    }
    budget -= drawn;
  }
  if (best_k > 0) {  // highlight the edge under the mouse
    const Column &prev = cols[best_k - 1], &col = cols[best_k];
    const float w = v.layers[col.dense].weight[(size_t)best_to * prev.n + best_from];
    const float scale = sc.w[col.dense] > 0 ? sc.w[col.dense] : 1.0f;
    const ImVec2 a(prev.x + s * 0.5f, node_y(prev, best_from)), b(col.x - s * 0.5f, node_y(col, best_to));
    const float width = std::max(1.0f, std::round((0.5f + 4.5f * std::fabs(w) / scale) * px));
    dl->AddLine(a, b, ImGui::GetColorU32(ImGuiCol_Text), width + 2.0f * std::max(1.0f, px));
    dl->AddLine(a, b, diverging_color(w / scale), width);
  }

  const ImGuiID node_popup_id = ImGui::GetID("Edit neuron");  // node_popup() begins it at this ID level

  // Nodes: invisible buttons (hover: name, bias, the big thumbnail; click: inspect; right-click: edit),
  // faces drawn on top of the edges.
  const ImU32 border = ImGui::GetColorU32(ImGuiCol_TextDisabled), frame = ImGui::GetColorU32(ImGuiCol_FrameBg);
  const ImU32 hover_border = ImGui::GetColorU32(ImGuiCol_Text);
  const float round = s >= fs * 1.2f ? s * 0.18f : 0.0f;  // small nodes square: far fewer vertices
  for (int k = 0; k < K; ++k) {
    const Column& col = cols[k];
    ImGui::PushID(k);
    for (int i = 0; i < col.shown; ++i) {
      const float y = node_y(col, i);
      const ImVec2 a(col.x - s * 0.5f, y - s * 0.5f), z(col.x + s * 0.5f, y + s * 0.5f);
      ImTextureID face = 0;
      if (plane) {
        if (col.spec < 0) {
          if (i < (int)v.feature_names.size()) face = feature_texture(x.tex, x.features, v, v.feature_names[i]);
        } else if (col.output) {
          face = v.output_dim > 1 ? plane_texture(x.c, x.tex, col.out, i) : 0;
          if (!face) face = plane_texture(x.c, x.tex, -1, 0);
        } else {
          face = plane_texture(x.c, x.tex, col.out, i);
        }
      }
      const LayerView* L = col.dense >= 0 ? &v.layers[col.dense] : nullptr;
      const bool has_bias = L && i < (int)L->bias.size();
      const float bias = has_bias ? L->bias[i] : 0.0f;
      if (face)
        dl->AddImageRounded(face, a, z, ImVec2(0, 0), ImVec2(1, 1), IM_COL32_WHITE, round);
      else if (has_bias)
        dl->AddRectFilled(a, z, diverging_color(sc.b[col.dense] > 0 ? bias / sc.b[col.dense] : 0.0f), round);
      else
        dl->AddRectFilled(a, z, frame, round);
      char name[96], label[112];
      node_name(v, col, g0, i, name, sizeof name);
      std::snprintf(label, sizeof label, "%s##node%d", name, i);
      ImGui::SetCursorScreenPos(a);
      const bool clicked =
          ImGui::InvisibleButton(label, ImVec2(s, s), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
      const bool hovered = ImGui::IsItemHovered();
      dl->AddRect(a, z, hovered ? hover_border : border, round, 0, hovered ? 2.0f * std::max(1.0f, px) : 1.0f);
      if (hovered) {
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(name);
        if (col.output && v.task == "classification" && i < (int)v.class_names.size())
          ImGui::TextDisabled("class %s", v.class_names[i].c_str());
        if (col.spec >= 0) {
          if (has_bias)
            ImGui::Text("bias b[%d][%d] = %.4f", col.dense, i, bias);
          else
            ImGui::TextDisabled("no bias");
          if (face) ImGui::Image(face, ImVec2(fs * 9, fs * 9));
          ImGui::TextDisabled(x.locked ? "Click: inspect" : "Click: inspect · right-click: edit bias and weights");
        } else if (face) {
          ImGui::Image(face, ImVec2(fs * 9, fs * 9));
        }
        ImGui::EndTooltip();
      }
      if (clicked && col.spec >= 0) {
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Right)) {
          if (!x.locked) {
            PanelState& st = x.st;
            st.node.dense = col.dense;
            st.node.out = col.out;
            st.node.unit = i;
            st.node.prev_spec = cols[k - 1].spec;
            st.node.g0 = g0;
            std::snprintf(st.node.title, sizeof st.node.title, "%s", name);
            ImGui::OpenPopup(node_popup_id);
          }
        } else {
          x.c.inspect_neuron(col.out, i);
          x.c.neuron_open = true;
        }
      }
      // Labels beside the inputs and the outputs.
      if (col.spec < 0) {
        input_name(v, g0, i, buf, sizeof buf);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        ImGui::SetCursorScreenPos(ImVec2(std::max(origin.x, a.x - fs * 0.3f - ts.x), y - ts.y * 0.5f));
        ImGui::TextUnformatted(buf);
      } else if (col.output && right_w > 0 && i < (int)v.class_names.size()) {
        const ImVec2 ts = ImGui::CalcTextSize(v.class_names[i].c_str());
        ImGui::SetCursorScreenPos(ImVec2(z.x + fs * 0.3f, y - ts.y * 0.5f));
        ImGui::TextUnformatted(v.class_names[i].c_str());
      }
    }
    if (col.n > col.shown) {
      std::snprintf(buf, sizeof buf, "… %d more", col.n - col.shown);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      ImGui::SetCursorScreenPos(
          ImVec2(std::clamp(col.x - ts.x * 0.5f, origin.x, origin.x + W - ts.x), node_y(col, col.shown) - ts.y * 0.5f));
      ImGui::TextDisabled("%s", buf);
    }
    ImGui::PopID();
  }

  // The canvas, submitted last so that the nodes above take the hover first: the edges' hover and click.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, top));
  const bool canvas_clicked = ImGui::InvisibleButton("network graph##canvas", ImVec2(std::max(1.0f, W), std::max(1.0f, H)));
  const bool canvas_hovered = ImGui::IsItemHovered();
  if (canvas_hovered && best_k > 0) {
    const Column &prev = cols[best_k - 1], &col = cols[best_k];
    const float w = v.layers[col.dense].weight[(size_t)best_to * prev.n + best_from];
    char a[80], b[80];
    node_name(v, prev, g0, best_from, a, sizeof a);
    node_name(v, col, g0, best_to, b, sizeof b);
    ImGui::BeginTooltip();
    ImGui::Text("w[%d][%d][%d] = %.4f", col.dense, best_to, best_from, w);
    ImGui::TextDisabled("from %s to %s", a, b);
    if (!x.locked) ImGui::TextDisabled("Click to edit");
    ImGui::EndTooltip();
  }
  if (canvas_clicked && best_k > 0 && !x.locked) open_edge_popup(x, cols[best_k - 1], cols[best_k], g0, best_to, best_from);
  if (thinned) ImGui::TextDisabled("Wide layers: the strongest of the shown edges are drawn.");
}

// Confirmation for a layer above kSoftMaxUnits units.
void units_popup(Controller& c, PanelState& st) {
  if (!ImGui::BeginPopup("Large layer")) return;
  char n[32];
  format_count((size_t)st.confirm.units, n, sizeof n);
  ImGui::Text("Layer %d with %s units?", st.confirm.layer + 1, n);
  ImGui::TextDisabled("Large layers need much memory and train slowly.");
  if (ImGui::Button("Use this size")) {
    c.set_units(st.confirm.layer, st.confirm.units);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace

// [SECTION] panel -------------------------------------------------------------------------------------

// What the panel keeps between frames (owned by the App: panels.h).
struct NetworkPanelMemory {
  PanelState st;
  FeatureCache features;
  Scales scales;
  std::vector<Column> cols;
  std::vector<float> mags;
};
std::shared_ptr<NetworkPanelMemory> make_network_panel_memory() { return std::make_shared<NetworkPanelMemory>(); }

void panel_network(Controller& c, Textures& tex, NetworkPanelMemory& mem) {
  const json& spec = c.spec();
  if (!spec.is_object()) {
    ImGui::TextDisabled("Loading…");
    return;
  }
  // Actions below replace the controller's spec (and may replace its snapshot) in the middle of this
  // frame: hold the snapshot and a copy of the layer list so that nothing drawn after a click dangles.
  const std::shared_ptr<const Snapshot> keep = c.view_ptr();
  const Snapshot& v = *keep;
  if (v.layers.empty()) {
    ImGui::TextDisabled("Building the network…");
    return;
  }
  const Classroom& cl = c.classroom;
  const json* model = field(spec, "model");
  const json layers = model ? array_field(*model, "layers") : empty_json_array();  // a copy (see above)
  const LayerMap map = map_layers(layers, v);
  const float fs = ImGui::GetFontSize();
  Ctx x{c,      tex,          v,          layers,   map,     cl.locked("network"), !cl.hidden("activation"), c.is_image(), fs,
        mem.st, mem.features, mem.scales, mem.cols, mem.mags};
  mem.st.confirm.popup = ImGui::GetID("Large layer");

  const json* data = field(spec, "data");
  const json* info = data ? c.dataset_info(str_field(*data, "name")) : nullptr;
  const bool two_d = c.is_plane() || (info && str_field(*info, "kind") == "2d");

  // Header: the parameter count and "Add layer".
  char count[32];
  format_count(v.num_params, count, sizeof count);
  ImGui::AlignTextToFramePadding();
  ImGui::Text("%s parameters", count);
  if (!cl.hidden("network")) {
    ImGui::SameLine();
    ImGui::BeginDisabled(x.locked);
    if (x.image) {
      if (ImGui::Button("Add layer")) ImGui::OpenPopup("add_layer_menu");
      ImGui::SetItemTooltip("Insert a layer: convolutions and pools before the flatten, others before the output");
      add_layer_menu(x);
    } else if (ImGui::Button("Add layer")) {
      std::string act = "tanh";  // the last hidden dense layer's activation, else tanh
      for (int i = (int)layers.size() - 2; i >= 0; --i)
        if (str_field(layers[i], "type") == "dense") {
          const std::string a = str_field(layers[i], "activation");
          if (!a.empty()) act = a;
          break;
        }
      c.add_layer(-1, {{"type", "dense"}, {"units", 4}, {"activation", act}});
    }
    if (!x.image) ImGui::SetItemTooltip("Add a hidden layer of 4 neurons before the output layer");
    ImGui::EndDisabled();
  }
  if (x.locked) ImGui::TextDisabled("The network is locked in this exercise.");

  if (two_d && !cl.hidden("features")) input_features(c, x.locked || cl.locked("data"));
  ImGui::Separator();

  if (x.image) {
    if (map.matches)
      block_diagram(x);
    else
      ImGui::TextDisabled("Updating the network…");
    if (!cl.hidden("network")) {
      ImGui::Separator();
      layer_rows(x);
    }
    // The dense tail (after the last conv / pool / flatten) as a graph.
    int g0 = 0;
    for (int i = 0; i < (int)layers.size(); ++i) {
      const std::string t = str_field(layers[i], "type");
      if (t != "dense" && t != "dropout" && t != "activation") g0 = i + 1;
    }
    bool any_dense = false;
    for (int i = g0; i < (int)layers.size(); ++i) any_dense |= str_field(layers[i], "type") == "dense";
    if (any_dense && g0 > 0 && g0 < (int)layers.size()) {
      ImGui::Spacing();
      if (ImGui::CollapsingHeader("Dense layers as a graph", ImGuiTreeNodeFlags_DefaultOpen)) graph(x, g0);
    }
  } else {
    if (!cl.hidden("network")) {
      layer_rows(x);
      ImGui::Separator();
    }
    int g0 = 0;  // a table network may still hold a flatten or the like: graph the dense part after it
    for (int i = 0; i < (int)layers.size(); ++i) {
      const std::string t = str_field(layers[i], "type");
      if (t != "dense" && t != "dropout" && t != "activation") g0 = i + 1;
    }
    if (g0 < (int)layers.size()) graph(x, g0);
  }

  edge_popup(c, x.st);
  node_popup(x);
  units_popup(c, x.st);
}

}  // namespace lab::ui
