// inspector.cpp — the neuron inspector: [SECTION] helpers · [SECTION] sections · [SECTION] the window
//
// A movable window over the lab showing Controller::neuron() (a NeuronReport computed off-thread by
// Controller::inspect_neuron): the unit's activation histogram over the test set, the samples that excite
// it most, its incoming weights (as pictures when they have an image's or a kernel's shape), its bias and
// its outgoing weights.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "panels/panels.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {

constexpr int kHistogramBins = 30;
constexpr int kMaxBars = 16;            // weights listed as bars (the largest |w| first when there are more)
constexpr int kMaxKernelChannels = 16;  // input channels of a conv kernel / channel maps drawn
constexpr int kMaxTableFeatures = 6;    // input columns in the top-samples table

// [SECTION] helpers -------------------------------------------------------------------------------

size_t shape_count(const std::vector<int>& s) {
  size_t n = 1;
  for (int d : s) n *= (size_t)std::max(d, 0);
  return s.empty() ? 0 : n;
}

bool is_image_shape(const std::vector<int>& s) { return s.size() == 3 && s[0] > 0 && s[1] > 0 && s[2] > 0; }

// FNV-1a over a report's contents: the inspector's textures re-upload when it changes (a report carries no
// version of its own, and the snapshot's version moves on every training chunk).
uint64_t report_hash(const NeuronReport& r) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](const void* p, size_t n) {
    const unsigned char* b = (const unsigned char*)p;
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  };
  mix(&r.layer, sizeof r.layer);
  mix(&r.unit, sizeof r.unit);
  mix(r.top.data(), r.top.size() * sizeof(int));
  mix(r.top_value.data(), r.top_value.size() * sizeof(float));
  mix(r.incoming.data(), r.incoming.size() * sizeof(float));
  mix(&r.bias, sizeof r.bias);
  return h;
}

// n signed values as a w×h texture on a shared scale, cached by key + version (the report's).
ImTextureID signed_texture(TextureCache& tex, const std::string& key, long long version, const float* v, int w, int h, float scale) {
  return tex.cached(key, version, [&](std::vector<uint32_t>& rgba, int& tw, int& th) {
    signed_to_rgba(v, w * h, scale, rgba);
    tw = w;
    th = h;
  });
}

// Signed values as horizontal bars around a zero line, one row per entry of `order` (indices into w):
// name on the left, the bar (blue +, orange −, length |w| / max|w|), the value on the right.
void signed_bars(const char* id, const std::vector<std::string>& names, const std::vector<float>& w, const std::vector<int>& order) {
  const float fs = ImGui::GetFontSize(), row = std::round(fs * 1.3f);
  const int n = (int)order.size();
  if (n == 0) return;
  float scale = 0;
  for (int i : order) scale = std::max(scale, std::fabs(w[i]));
  const float width = std::max(fs * 12.0f, ImGui::GetContentRegionAvail().x);
  ImGui::InvisibleButton(id, ImVec2(width, row * n));
  if (!ImGui::IsItemVisible()) return;
  const ImVec2 a = ImGui::GetItemRectMin();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float name_w = std::min(width * 0.35f, fs * 9.0f), value_w = fs * 4.5f;
  const float bar0 = a.x + name_w, bar_w = std::max(fs, width - name_w - value_w), mid = bar0 + bar_w * 0.5f;
  char val[32];
  int hovered = -1;
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsItemHovered()) hovered = std::clamp((int)((m.y - a.y) / row), 0, n - 1);
  for (int r = 0; r < n; ++r) {
    const int i = order[r];
    const float y = a.y + r * row;
    const std::string& name = names[i];
    ImVec4 clip(a.x, y, bar0 - fs * 0.3f, y + row);
    dl->AddText(ImGui::GetFont(), fs, ImVec2(a.x, y + (row - fs) * 0.5f), r == hovered ? text : dim, name.c_str(), nullptr, 0.0f, &clip);
    const float len = scale > 0 ? w[i] / scale * bar_w * 0.5f : 0.0f;
    dl->AddRectFilled(ImVec2(std::min(mid, mid + len), y + row * 0.2f), ImVec2(std::max(mid, mid + len), y + row * 0.8f),
                      diverging_color(scale > 0 ? w[i] / scale : 0.0f));
    std::snprintf(val, sizeof val, "%.3g", w[i]);
    dl->AddText(ImVec2(bar0 + bar_w + fs * 0.3f, y + (row - fs) * 0.5f), text, val);
  }
  dl->AddLine(ImVec2(mid, a.y), ImVec2(mid, a.y + row * n), dim);
  if (hovered >= 0) ImGui::SetTooltip("%s: %.5g", names[order[hovered]].c_str(), w[order[hovered]]);
}

// Rows to list: all in order when few, else the kMaxBars largest |w|.
std::vector<int> bar_order(const std::vector<float>& w) {
  std::vector<int> idx(w.size());
  for (size_t i = 0; i < w.size(); ++i) idx[i] = (int)i;
  if ((int)w.size() <= kMaxBars) return idx;
  std::partial_sort(idx.begin(), idx.begin() + kMaxBars, idx.end(),
                    [&](int a, int b) { return std::fabs(w[a]) > std::fabs(w[b]) || (std::fabs(w[a]) == std::fabs(w[b]) && a < b); });
  idx.resize(kMaxBars);
  return idx;
}

// The shape a parameterised layer `src` reads: the data's, or the output of the layer before it. A dense
// layer behind a flatten reads the last (C, H, W) before it.
std::vector<int> source_shape(const Snapshot& v, int src) {
  for (int j = src - 1; j >= 0; --j) {
    const std::vector<int>& s = v.layers[j].out_shape;
    if (s.size() == 3 || !v.layers[j].weight.empty() || v.layers[j].type != "flatten") return s;
  }
  return v.input_shape;
}

// Names of the values feeding layer `src`: the data's features for the first parameterised layer on
// table data, else "unit j".
std::vector<std::string> source_names(const Snapshot& v, int src, size_t n) {
  bool on_data = true;
  for (int j = 0; j < src; ++j)
    if (!v.layers[j].weight.empty()) on_data = false;
  std::vector<std::string> names(n);
  for (size_t j = 0; j < n; ++j)
    names[j] = on_data && j < v.feature_names.size() && v.feature_names.size() == n ? v.feature_names[j]
                                                                                    : (on_data ? "input " : "unit ") + std::to_string(j);
  return names;
}

// [SECTION] sections ------------------------------------------------------------------------------

void section_activation(Controller& c, TextureCache& tex, const NeuronReport& r) {
  const Snapshot& v = c.view();
  float mn = INFINITY, mx = -INFINITY;
  double sum = 0;
  int finite = 0;
  for (float x : r.values)
    if (std::isfinite(x)) mn = std::min(mn, x), mx = std::max(mx, x), sum += x, ++finite;
  if (finite == 0) {
    ImGui::TextDisabled("No activation values.");
    return;
  }
  ImGui::Text("over %zu test samples: mean %.3g, min %.3g, max %.3g", r.values.size(), sum / finite, mn, mx);
  const bool conv = r.layer >= 0 && r.layer < (int)v.layers.size() && v.layers[r.layer].out_shape.size() == 3;
  if (conv) ImGui::TextDisabled("per sample: the channel's mean over its map");
  histogram("activation_histogram", r.values, kHistogramBins, ImVec2(0, 0), 0);
  if (v.plane && r.layer >= 0 && r.layer < (int)v.grid_act.size() && !v.grid_act[r.layer].empty()) {
    const ImTextureID t = plane_texture(c, tex, r.layer, r.unit);
    if (t) {
      const float side = ImGui::GetFontSize() * 8.0f;
      ImGui::Image(t, ImVec2(side, side));
      ImGui::SameLine();
      ImGui::TextDisabled("its output over the plane\n(orange −, blue +)");
    }
  }
}

void section_top(Controller& c, TextureCache& tex, const NeuronReport& r, long long version) {
  const Snapshot& v = c.view();
  const size_t in = shape_count(v.input_shape);
  const int n = in ? (int)std::min({r.top.size(), r.top_value.size(), r.top_x.size() / in}) : 0;
  if (n == 0) {
    ImGui::TextDisabled("No samples.");
    return;
  }
  ImGui::TextDisabled("the test samples it responds to most; click one to select it");
  if (is_image_shape(v.input_shape)) {
    const int C = v.input_shape[0], H = v.input_shape[1], W = v.input_shape[2];
    const float fs = ImGui::GetFontSize(), side = fs * 3.2f, sp = ImGui::GetStyle().ItemSpacing.x;
    const int cols = std::max(1, (int)((ImGui::GetContentRegionAvail().x + sp) / (side + sp)));
    char id[32], cap[32];
    for (int i = 0; i < n; ++i) {
      if (i % cols) ImGui::SameLine();
      const ImTextureID t = sample_texture(tex, "neuron/top/" + std::to_string(i), version, r.top_x.data() + (size_t)i * in, C, H, W);
      std::snprintf(id, sizeof id, "top sample %d", i);
      std::snprintf(cap, sizeof cap, "%.3g", r.top_value[i]);
      if (image_tile(id, t, ImVec2(side, side), cap, 0)) c.select_sample(r.top[i]);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Test sample #%d, activation %.4g\nClick to select it", r.top[i], r.top_value[i]);
    }
    return;
  }
  // Tables and 2-D data: the inputs as numbers.
  const int F = std::min<int>((int)in, kMaxTableFeatures);
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  if (!ImGui::BeginTable("top_samples", F + 2, flags)) return;
  ImGui::TableSetupColumn("#");
  for (int f = 0; f < F; ++f)
    ImGui::TableSetupColumn(v.feature_names.size() == in ? v.feature_names[f].c_str() : ("x" + std::to_string(f + 1)).c_str());
  ImGui::TableSetupColumn("activation");
  ImGui::TableHeadersRow();
  char label[32];
  for (int i = 0; i < n; ++i) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    std::snprintf(label, sizeof label, "%d##top", r.top[i]);
    if (ImGui::Selectable(label, r.top[i] == v.selected, ImGuiSelectableFlags_SpanAllColumns)) c.select_sample(r.top[i]);
    for (int f = 0; f < F; ++f) {
      ImGui::TableSetColumnIndex(1 + f);
      ImGui::Text("%.3g", r.top_x[(size_t)i * in + f]);
    }
    ImGui::TableSetColumnIndex(F + 1);
    ImGui::Text("%.4g", r.top_value[i]);
  }
  ImGui::EndTable();
  if ((int)in > F) ImGui::TextDisabled("first %d of %zu inputs shown", F, in);
}

// Incoming weights as pictures: a conv kernel (C maps of KH×KW) or a dense unit over a (C, H, W) input
// (C maps of H×W); every map on the same scale. Returns false when the weights have neither shape.
bool incoming_maps(TextureCache& tex, const NeuronReport& r, int C, int H, int W, float cell, long long version, const char* what) {
  if (C <= 0 || H <= 0 || W <= 0 || r.incoming.size() != (size_t)C * H * W) return false;
  float scale = 0;
  for (float w : r.incoming) scale = std::max(scale, std::fabs(w));
  const int n = std::min(C, kMaxKernelChannels);
  ImGui::TextDisabled("%s; blue +, orange −, ±%.3g", what, scale);
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  const int cols = std::max(1, (int)((ImGui::GetContentRegionAvail().x + sp) / (cell + sp)));
  const size_t plane = (size_t)H * W;
  char id[40];
  for (int ch = 0; ch < n; ++ch) {
    if (ch % cols) ImGui::SameLine();
    const float* w = r.incoming.data() + (size_t)ch * plane;
    const ImTextureID t = signed_texture(tex, "neuron/in/" + std::to_string(ch), version, w, W, H, scale);
    std::snprintf(id, sizeof id, "incoming channel %d", ch);
    image_tile(id, t, ImVec2(cell, cell * H / W), C > 1 ? ("ch " + std::to_string(ch)).c_str() : nullptr, 0);
    if (ImGui::IsItemHovered()) {
      float mn = INFINITY, mx = -INFINITY;
      for (size_t k = 0; k < plane; ++k) mn = std::min(mn, w[k]), mx = std::max(mx, w[k]);
      ImGui::SetTooltip("from input channel %d: weights %.3g … %.3g", ch, mn, mx);
    }
  }
  if (C > n) ImGui::TextDisabled("… %d more channels", C - n);
  return true;
}

void section_incoming(TextureCache& tex, const Snapshot& v, const NeuronReport& r, long long version) {
  int src = std::min(r.layer, (int)v.layers.size() - 1);
  while (src >= 0 && v.layers[src].weight.empty()) --src;
  if (src < 0 || r.incoming.empty()) {
    ImGui::TextDisabled("This unit has no weights of its own.");
    return;
  }
  const LayerView& S = v.layers[src];
  const float fs = ImGui::GetFontSize();
  if (src != r.layer) ImGui::TextDisabled("weights of layer %d (%s), which feeds it", src, S.type.c_str());
  bool drawn = false;
  if (S.type == "conv2d" && S.weight_shape.size() == 4)
    drawn = incoming_maps(tex, r, S.weight_shape[1], S.weight_shape[2], S.weight_shape[3], fs * 3.0f, version,
                          "its kernel, one map per input channel");
  if (!drawn) {
    const std::vector<int> in = source_shape(v, src);
    if (is_image_shape(in))
      drawn = incoming_maps(tex, r, in[0], in[1], in[2], in[0] == 1 ? fs * 9.0f : fs * 4.0f, version,
                            src == 0 || in == v.input_shape ? "what it looks for in the image" : "one map per channel of the layer below");
  }
  if (!drawn) {
    const std::vector<int> order = bar_order(r.incoming);
    if (order.size() < r.incoming.size()) ImGui::TextDisabled("%zu weights; the %zu largest |w|:", r.incoming.size(), order.size());
    signed_bars("incoming_weights", source_names(v, src, r.incoming.size()), r.incoming, order);
  }
  if (!S.bias.empty()) ImGui::Text("bias %.4g", r.bias);
}

void section_outgoing(const Snapshot& v, const NeuronReport& r) {
  if (r.outgoing.empty()) {
    ImGui::TextDisabled(r.layer + 1 >= (int)v.layers.size() ? "This is an output unit." : "No dense layer reads it directly.");
    return;
  }
  // The layer it feeds: the next with weights. When that is the network's last with weights and its outputs
  // are the classes, name them.
  int next = -1, last = -1;
  for (int j = r.layer + 1; j < (int)v.layers.size(); ++j)
    if (!v.layers[j].weight.empty()) {
      if (next < 0) next = j;
      last = j;
    }
  const bool to_classes = next >= 0 && next == last && v.task == "classification" && r.outgoing.size() == (size_t)v.output_dim &&
                          v.class_names.size() >= r.outgoing.size() && v.output_dim > 1;
  std::vector<std::string> names(r.outgoing.size());
  for (size_t k = 0; k < names.size(); ++k) names[k] = to_classes ? "class " + v.class_names[k] : "unit " + std::to_string(k);
  if (next >= 0) ImGui::TextDisabled("into layer %d (%s)", next, v.layers[next].type.c_str());
  const std::vector<int> order = bar_order(r.outgoing);
  if (order.size() < r.outgoing.size()) ImGui::TextDisabled("%zu weights; the %zu largest |w|:", r.outgoing.size(), order.size());
  signed_bars("outgoing_weights", names, r.outgoing, order);
}

}  // namespace

// [SECTION] the window ----------------------------------------------------------------------------

void window_neuron(Controller& c, TextureCache& tex) {
  if (!c.neuron_open) return;
  const float fs = ImGui::GetFontSize();
  const ImVec2 disp = ImGui::GetIO().DisplaySize;
  // About 420×520 at the default font, never more than most of the screen; centre-right on first use.
  ImGui::SetNextWindowSize(ImVec2(std::min(fs * 32.0f, disp.x * 0.45f), std::min(fs * 40.0f, disp.y * 0.8f)), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(disp.x * 0.7f, disp.y * 0.5f), ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
  if (!ImGui::Begin("Neuron inspector", &c.neuron_open)) {
    ImGui::End();
    return;
  }
  const NeuronReport& r = c.neuron();
  const Snapshot& v = c.view();
  if (!r.ready) {
    ImGui::Text("Layer %d, unit %d", r.layer, r.unit);
    ImGui::TextUnformatted("Computing…");
    ImGui::ProgressBar((float)std::clamp(c.progress(), 0.0, 1.0), ImVec2(-FLT_MIN, 0));
    const std::string what = c.progress_text();
    if (!what.empty()) ImGui::TextDisabled("%s", what.c_str());
    if (ImGui::Button("Close")) c.neuron_open = false;
    ImGui::End();
    return;
  }
  if (!r.error.empty()) {
    ImGui::TextWrapped("This neuron could not be profiled: %s", r.error.c_str());
    if (ImGui::Button("Close")) c.neuron_open = false;
    ImGui::End();
    return;
  }
  // A version for the report's textures: changes with the report, not with every snapshot.
  const long long version = (long long)(report_hash(r) >> 1);

  if (ImGui::SmallButton("Close")) c.neuron_open = false;
  ImGui::SameLine();
  ImGui::TextWrapped("%s", r.title.empty() ? "Neuron" : r.title.c_str());
  ImGui::Separator();
  if (ImGui::CollapsingHeader("Activation", ImGuiTreeNodeFlags_DefaultOpen)) section_activation(c, tex, r);
  if (ImGui::CollapsingHeader("Top-activating samples", ImGuiTreeNodeFlags_DefaultOpen)) section_top(c, tex, r, version);
  if (ImGui::CollapsingHeader("Incoming weights", ImGuiTreeNodeFlags_DefaultOpen)) section_incoming(tex, v, r, version);
  if (ImGui::CollapsingHeader("Outgoing weights", ImGuiTreeNodeFlags_DefaultOpen)) section_outgoing(v, r);
  ImGui::End();
}

}  // namespace lab::ui
