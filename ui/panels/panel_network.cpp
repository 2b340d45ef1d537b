// panel_network.cpp — the Network panel: the network as a graph and its layer editor.
//
//   [SECTION] constants and helpers   formatting, JSON look-ups, the 2-D input features' names
//   [SECTION] spec ↔ model layers     which model layers each spec layer became
//   [SECTION] input features          the x1 … sin x2 toggles (2-D data)
//   [SECTION] layer rows              one row per spec layer: neurons ±, activation, parameters, move, remove
//   [SECTION] block diagram           image networks as boxes (height ∝ channels, width ∝ image size)
//   (the graph: network_graph.cpp; constants, helpers, memory types, context: network_common.h)
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

#include "nn/layer.h"
#include "panels/network_common.h"
#include "widgets/flow.h"
#include "widgets/param_editor.h"

namespace lab::ui {

namespace netpanel {

// [SECTION] input features ----------------------------------------------------------------------------
ImTextureID feature_texture(TextureCache& tex, FeatureCache& cache, const Snapshot& v, const std::string& name) {
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
  bool first = true;
  ImGui::BeginDisabled(x.locked);
  if (const LayerInfo* info = layer_registry().find(type)) {  // its numbers and switches, from the registry's schema
    json shown = layer;
    // A pool's stride defaults to its window size (pool2d), not to the schema's fixed default.
    if (!shown.contains("stride") && shown.contains("size")) shown["stride"] = shown["size"];
    json edited = shown;
    ParamEditorOptions o{.width = x.fs * 5.5f, .skip = {"activation", "init"}, .enter_to_apply = true, .same_line = true, .steppers = true};
    if (output) o.disabled = {"units", "filters"};  // fixed by the data
    if (param_editor(edited, info->params, o))
      for (const json patch = changed_fields(shown, edited); const auto& [key, value] : patch.items()) {
        if (key == "units" || key == "filters")
          request_units(x.c, x.st, i, (int)num_field(shown, key.c_str(), 0), value.get<int>());
        else
          x.c.set_layer_field(i, key,
                              value.is_boolean()        ? json(value.get<bool>() ? 1 : 0)
                              : value.is_number_float() ? json(short_float(value.get<float>()))
                                                        : value);
      }
    for (const ParamSpec& p : info->params) first &= p.name == "activation" || p.name == "init";
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
    if (!x.image && view_of(x.c, str_field(x.layers[i], "type")) == "dense")
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
      const std::string view = view_of(x.c, type);
      if (view == "conv" || view == "pool")
        for (int i = 0; i < (int)x.layers.size(); ++i)
          if (view_of(x.c, str_field(x.layers[i], "type")) == "reshape") {
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
  ImFont* font = ImGui::GetFont();
  const float small = fs * 0.85f;
  // The labels over and under each box: "conv 3×3", "16×14×14". When one is wider than its slot, they
  // alternate between two lines so each may take twice the room (the tooltip says it all in any case).
  auto kind_of = [&](int b) {
    const std::string type = b == 0 ? "input" : str_field(x.layers[b - 1], "type");
    const json* l = b == 0 ? nullptr : &x.layers[b - 1];
    char kind[48];
    if (type == "conv2d")
      std::snprintf(kind, sizeof kind, "conv %d×%d", (int)num_field(*l, "kernel", 3), (int)num_field(*l, "kernel", 3));
    else if (type == "maxpool2d")
      std::snprintf(kind, sizeof kind, "max %d", (int)num_field(*l, "size", 2));
    else if (type == "avgpool2d")
      std::snprintf(kind, sizeof kind, "avg %d", (int)num_field(*l, "size", 2));
    else
      std::snprintf(kind, sizeof kind, "%s", type.c_str());
    return std::string(kind);
  };
  bool stagger = false;
  for (int b = 0; b < n; ++b) {
    char shape[64];
    format_shape(shape_of(b), shape, sizeof shape);
    stagger = stagger || font->CalcTextSizeA(small, FLT_MAX, 0, kind_of(b).c_str()).x > slot ||
              font->CalcTextSizeA(small, FLT_MAX, 0, shape).x > slot;
  }
  const float label_h = ImGui::GetTextLineHeight(), lines = stagger ? 2.0f : 1.0f;
  const float box_h_max = fs * 4.0f, total_h = box_h_max + 2 * lines * label_h + fs * 0.4f;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float cy = p0.y + lines * label_h + fs * 0.2f + box_h_max * 0.5f;
  float prev_right = -1;
  for (int b = 0; b < n; ++b) {
    const std::vector<int>& s = shape_of(b);
    const std::string type = b == 0 ? "input" : str_field(x.layers[b - 1], "type");
    const float ch = s.empty() ? 1.0f : (float)s[0];
    const float h = fs * 0.8f + (box_h_max - fs * 0.8f) * std::log2(1 + ch) / std::log2(1 + cmax);
    const float w = s.size() == 3 ? slot * (0.3f + 0.6f * s[1] / smax) : slot * 0.25f;
    const float sx = p0.x + b * (slot + gap), bx = sx + (slot - w) * 0.5f;
    const std::string view = b == 0 ? "input" : view_of(x.c, type);
    ImU32 fill = class_color(7, 0.5f);  // the input and reshapes
    if (view == "conv")
      fill = class_color(0, 0.7f);
    else if (view == "pool")
      fill = class_color(4, 0.7f);
    else if (view == "dense")
      fill = class_color(2, 0.7f);
    else if (view == "pointwise")
      fill = class_color(5, 0.6f);
    const ImVec2 a(bx, cy - h * 0.5f), z(bx + w, cy + h * 0.5f);
    if (prev_right >= 0) dl->AddLine(ImVec2(prev_right, cy), ImVec2(bx, cy), dim, 1.0f);
    prev_right = bx + w;
    dl->AddRectFilled(a, z, fill, fs * 0.15f);
    dl->AddRect(a, z, dim, fs * 0.15f);
    char shape[64], label[160];
    format_shape(s, shape, sizeof shape);
    const std::string kind_s = kind_of(b);
    const char* kind = kind_s.c_str();
    const float room = stagger ? slot * 0.5f + gap + slot * 0.5f : 0.0f;  // reach into the neighbours' slots
    const float first = b == 0 ? 0.0f : room, last = b == n - 1 ? 0.0f : room;
    const ImVec4 clip(sx - first, p0.y, sx + slot + last, p0.y + total_h);
    const float kw = font->CalcTextSizeA(small, FLT_MAX, 0, kind).x, sw = font->CalcTextSizeA(small, FLT_MAX, 0, shape).x;
    const float row = stagger && b % 2 ? label_h : 0.0f;
    auto place = [&](float tw) { return std::clamp(sx + (slot - tw) * 0.5f, clip.x, std::max(clip.x, clip.z - tw)); };
    dl->AddText(font, small, ImVec2(place(kw), p0.y + (stagger ? label_h - row : 0.0f)), text, kind, nullptr, 0, &clip);
    dl->AddText(font, small, ImVec2(place(sw), cy + box_h_max * 0.5f + fs * 0.2f + row), dim, shape, nullptr, 0, &clip);
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
        if (view == "conv" || view == "dense") ImGui::TextDisabled("Click: inspect its first %s", view == "conv" ? "channel" : "neuron");
      }
      ImGui::EndTooltip();
    }
    if (clicked && b > 0 && (view == "conv" || view == "dense")) {
      x.c.inspect_neuron(x.map.last[b - 1], 0);
      x.c.neuron_open = true;
    }
  }
  ImGui::SetCursorScreenPos(p0);
  ImGui::Dummy(ImVec2(std::min(W, n * (slot + gap)), total_h));
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

}  // namespace netpanel

using namespace netpanel;

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

void panel_network(Controller& c, TextureCache& tex, NetworkPanelMemory& mem) {
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
      same_line_if_fits(button_width("Preset…"));
      if (ImGui::Button("Preset…")) ImGui::OpenPopup("network_presets");
      ImGui::SetItemTooltip("Start again from a ready-made network for this data");
      if (ImGui::BeginPopup("network_presets")) {
        if (ImGui::Selectable("Small CNN (flatten + dense head)")) c.use_network_preset("cnn");
        ImGui::SetItemTooltip("Convolutions and max-pools, then flatten and one dense output layer");
        if (ImGui::Selectable("Small CNN with global average pooling")) c.use_network_preset("cnn_gap");
        ImGui::SetItemTooltip(
            "The same convolutions, then each channel averaged over the image before the output layer: the shape "
            "Grad-CAM is meant for (its maps are then the class activation maps)");
        ImGui::EndPopup();
      }
    } else if (ImGui::Button("Add layer")) {
      std::string act = "tanh";  // the last hidden dense layer's activation, else tanh
      for (int i = (int)layers.size() - 2; i >= 0; --i)
        if (view_of(c, str_field(layers[i], "type")) == "dense") {
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
    for (int i = g0; i < (int)layers.size(); ++i) any_dense |= view_of(c, str_field(layers[i], "type")) == "dense";
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
