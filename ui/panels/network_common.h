// Internal to the Network panel (panel_network.cpp, network_graph.cpp): its constants and helpers, the
// spec ↔ model layer map, the panel's memory types and the drawing context.
#pragma once
#include "widgets/flow.h"
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

namespace lab::ui::netpanel {

// [SECTION] constants and helpers -----------------------------------------------------------------

inline constexpr int kMaxNodes = 32;          // nodes drawn per graph column; the rest are summarised as "… N more"
inline constexpr int kEdgeBudget = 4000;      // edges drawn per frame over the whole graph (frame time, vertex count)
inline constexpr int kVertexCap = 56000;      // WebGL draws with 16-bit indices: a window's list holds ≤ 65 536 vertices
inline constexpr int kVerticesPerEdge = 4;    // an anti-aliased line of integer width drawn from the font atlas
inline constexpr int kSoftMaxUnits = 4096;    // above this a layer size asks first (memory and speed, not a rule)
inline constexpr int kMaxListedWeights = 16;  // incoming weights editable in a neuron's popup (the rest: click edges)

// The 2-D input features, in the canonical order of input_feature_names() (spec.h), with their labels.
struct FeatureName {
  const char* name;
  const char* label;
};
inline constexpr FeatureName kFeatures[] = {{"x1", "x1"},      {"x2", "x2"},        {"x1sq", "x1²"},    {"x2sq", "x2²"},
                                            {"x1x2", "x1·x2"}, {"sinx1", "sin x1"}, {"sinx2", "sin x2"}};

inline const char* feature_label(const std::string& name) {
  for (const auto& f : kFeatures)
    if (name == f.name) return f.label;
  return name.c_str();
}

inline const json& empty_json_array() {
  static const json a = json::array();
  return a;
}

// o[k] when o is an object holding k, else null (the spec is const: operator[] must not be used on a missing key).
inline const json* field(const json& o, const char* k) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(k);
  return it == o.end() ? nullptr : &*it;
}
inline const json& array_field(const json& o, const char* k) {
  const json* f = field(o, k);
  return f && f->is_array() ? *f : empty_json_array();
}
inline std::string str_field(const json& o, const char* k) {
  const json* f = field(o, k);
  return f && f->is_string() ? f->get<std::string>() : std::string();
}
inline double num_field(const json& o, const char* k, double def) {
  const json* f = field(o, k);
  return f && f->is_number() ? f->get<double>() : def;
}

// 1234567 → "1,234,567".
inline void format_count(size_t n, char* buf, size_t cap) {
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
inline void format_shape(const std::vector<int>& s, char* buf, size_t cap) {
  size_t o = 0;
  buf[0] = 0;
  for (size_t i = 0; i < s.size() && o + 1 < cap; ++i) {
    const int w = std::snprintf(buf + o, cap - o, i ? "×%d" : "%d", s[i]);
    if (w < 0) break;
    o += (size_t)w;
  }
}

inline long long shape_size(const std::vector<int>& s) {
  long long n = 1;
  for (int d : s) n *= d;
  return s.empty() ? 0 : n;
}

inline size_t param_count(const LayerView& l) { return l.weight.size() + l.bias.size(); }

// BeginCombo (ImGui 1.90.1) reports no label to the test-engine hooks, so ui_probe would list a combo with
// an empty label; this reports it (id: the combo's, taken with GetID(label) just before BeginCombo).
inline void probe_label(ImGuiID id, const char* label) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  IMGUI_TEST_ENGINE_ITEM_INFO(id, label, 0);
}

inline const json* layer_schema(const Controller& c, const std::string& type) {
  for (const auto& l : array_field(c.registries(), "layers"))
    if (str_field(l, "type") == type) return &l;
  return nullptr;
}

inline std::string layer_title(const Controller& c, const std::string& type) {
  const json* s = layer_schema(c, type);
  return s ? s->value("title", type) : type;
}

inline std::string activation_title(const Controller& c, const std::string& name) {
  for (const auto& a : array_field(c.registries(), "activations"))
    if (str_field(a, "name") == name) return a.value("title", name);
  return name;
}

// How the network view draws a layer type: its registry entry's "view" (dense, conv, pool, reshape, pointwise).
inline std::string view_of(const Controller& c, const std::string& type) {
  const json* s = layer_schema(c, type);
  return s ? str_field(*s, "view") : std::string();
}

inline bool takes_activation(const Controller& c, const std::string& type) {
  const json* s = layer_schema(c, type);
  if (!s) return false;
  for (const auto& p : array_field(*s, "params"))
    if (str_field(p, "name") == "activation") return true;
  return false;
}

// [SECTION] spec ↔ model layers -----------------------------------------------------------------------

// A spec layer other than "activation" with an activation that is not linear is followed in the model by
// that activation as a layer of its own (model.cpp does the same).
inline bool adds_activation(const json& l) {
  if (str_field(l, "type") == "activation") return false;
  const std::string a = str_field(l, "activation");
  return !a.empty() && a != "linear";
}

struct LayerMap {
  std::vector<int> first, last;  // per spec layer: its first and last model layer
  bool matches = false;          // the snapshot's model layers are this spec's (false while a rebuild is pending)
};

inline LayerMap map_layers(const json& layers, const Snapshot& v) {
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

inline size_t spec_layer_params(const Snapshot& v, const LayerMap& m, int i) {
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
inline void request_units(Controller& c, PanelState& st, int layer, int current, int units) {
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

// A feature over the input plane (for the input nodes' faces), cached until the plane changes.
struct FeatureTexture {
  int grid = 0;
  float x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  ImTextureID id = 0;
};
using FeatureCache = std::map<std::string, FeatureTexture>;

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
inline const Scales& scales(Scales& s, const Snapshot& v) {
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

// One frame's drawing context: what it draws from, and the panel's memory (owned by the App).
struct Ctx {
  Controller& c;
  TextureCache& tex;
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

// panel_network.cpp: a 2-D input feature over the plane (the input nodes' faces), cached until the plane changes.
ImTextureID feature_texture(TextureCache& tex, FeatureCache& cache, const Snapshot& v, const std::string& name);
// Drawn by network_graph.cpp, called by panel_network.cpp.
void graph(Ctx& x, int g0);  // the dense part (spec layers g0 …) as columns of nodes and weighted edges
void edge_popup(Controller& c, PanelState& st);
void node_popup(Ctx& x);

}  // namespace lab::ui::netpanel
