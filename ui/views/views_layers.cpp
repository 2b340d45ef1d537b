// views_layers.cpp — the image views' Activations tab (every layer's output for the selected sample) and
// Filters tab (conv kernels; the first dense layer's weights as images). Shared parts: image_common.h.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "views/image_common.h"
#include "widgets/plots.h"

namespace lab::ui::imageview {

// [SECTION] activations ---------------------------------------------------------------------------

// A 1-D layer's values as a grid of coloured cells (viridis for non-negative, diverging for signed);
// hover shows a unit's value, a click opens it in the neuron inspector.
void unit_cells(Controller& c, int layer, const std::vector<float>& a) {
  const int n = std::min<int>((int)a.size(), kMaxCells);
  if (n == 0) return;
  float mn = 0, mx = 0;
  for (int k = 0; k < n; ++k)
    if (std::isfinite(a[k])) mn = std::min(mn, a[k]), mx = std::max(mx, a[k]);
  const float mabs = std::max(std::fabs(mn), std::fabs(mx));
  const float fs = ImGui::GetFontSize(), cell = std::round(fs * 0.9f);
  const float width = std::max(cell, ImGui::GetContentRegionAvail().x);
  const int cols = std::max(1, std::min(n, (int)(width / cell)));
  const int rows = (n + cols - 1) / cols;
  char id[48];
  std::snprintf(id, sizeof id, "layer %d units", layer);
  const bool clicked = ImGui::InvisibleButton(id, ImVec2(cols * cell, rows * cell));
  const ImVec2 a0 = ImGui::GetItemRectMin();
  if (ImGui::IsItemVisible()) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int k = 0; k < n; ++k) {
      const float x = a0.x + (k % cols) * cell, y = a0.y + (k / cols) * cell;
      const ImU32 col = mn < 0 ? diverging_color(mabs > 0 ? a[k] / mabs : 0.0f) : sequential_color(mx > 0 ? a[k] / mx : 0.0f);
      dl->AddRectFilled(ImVec2(x + 1, y + 1), ImVec2(x + cell - 1, y + cell - 1), col);
    }
  }
  if (ImGui::IsItemHovered() || clicked) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int cx = (int)((m.x - a0.x) / cell), cy = (int)((m.y - a0.y) / cell);
    const int k = cy * cols + cx;
    if (cx >= 0 && cx < cols && k >= 0 && k < n) {
      if (clicked)
        c.inspect_neuron(layer, k);
      else
        ImGui::SetTooltip("unit %d: %.4g\nClick to inspect this neuron", k, a[k]);
    }
  }
  if ((int)a.size() > n) ImGui::TextDisabled("… %d more", (int)a.size() - n);
}

void channel_maps(Controller& c, TextureCache& tex, int layer, const std::vector<int>& shape, const std::vector<float>& a) {
  const int C = shape[0], H = shape[1], W = shape[2];
  const int n = std::min(C, kMaxChannels);
  const float fs = ImGui::GetFontSize(), side = fs * 2.6f;
  const int cols = columns_for(side, ImGui::GetContentRegionAvail().x);
  const size_t plane = (size_t)H * W;
  const long long version = c.view().version;
  char id[48];
  for (int ch = 0; ch < n; ++ch) {
    if (ch % cols) ImGui::SameLine();
    const float* m = a.data() + (size_t)ch * plane;
    ImTextureID t = 0;
    if (tile_visible(ImVec2(side, side)))
      t = cached_texture(tex, "act/" + std::to_string(layer) + "/" + std::to_string(ch), version,
                         [&](std::vector<uint32_t>& px, int& w, int& h) {
                           map_pixels(m, (int)plane, px);
                           w = W;
                           h = H;
                         });
    std::snprintf(id, sizeof id, "layer %d channel %d", layer, ch);
    if (image_tile(id, t, ImVec2(side, side), nullptr, 0)) c.inspect_neuron(layer, ch);
    if (ImGui::IsItemHovered()) {
      float mn = INFINITY, mx = -INFINITY;
      double sum = 0;
      for (size_t k = 0; k < plane; ++k) mn = std::min(mn, m[k]), mx = std::max(mx, m[k]), sum += m[k];
      ImGui::SetTooltip("channel %d: min %.3g, mean %.3g, max %.3g\nClick to inspect this channel", ch, mn, sum / plane, mx);
    }
  }
  if (C > n) ImGui::TextDisabled("… %d more", C - n);
}

void tab_activations(Controller& c, TextureCache& tex) {
  const Snapshot& v = c.view();
  const ImageShape s = image_shape(v.input_shape);
  const float fs = ImGui::GetFontSize();
  const size_t in = s.ok() ? s.size() : shape_count(v.input_shape);
  if (v.selected_x.size() < in || in == 0 || v.selected_act.empty()) {
    ImGui::TextDisabled("Waiting for the first results…");
    return;
  }
  // The selected sample and what the network says.
  if (s.ok()) {
    image_tile("selected sample", sample_texture(tex, "act/input", v.version, v.selected_x.data(), s.C, s.H, s.W),
               ImVec2(fs * 3.5f, fs * 3.5f), nullptr, 0);
    ImGui::SameLine();
  }
  ImGui::BeginGroup();
  ImGui::Text("Test sample #%d", v.selected);
  const std::vector<float>& out = v.selected_act.back();
  if (v.task == "classification" && v.output_dim > 0 && out.size() >= (size_t)v.output_dim) {
    std::vector<float> p;
    class_probs(out.data(), v.output_dim, p);
    const int pred = predicted_class(out.data(), v.output_dim);
    ImGui::Text("predicted %s (%.0f%%)", class_name(v, pred).c_str(), pred >= 0 && pred < (int)p.size() ? p[pred] * 100.0f : 0.0f);
  } else if (!out.empty()) {
    ImGui::Text("output %.4g", out[0]);
  }
  if (ImGui::Button("Previous sample")) c.select_sample(std::max(0, v.selected - 1));
  ImGui::SameLine();
  const int total = test_count(c);
  ImGui::BeginDisabled(total > 0 && v.selected + 1 >= total);
  if (ImGui::Button("Next sample")) c.select_sample(v.selected + 1);
  ImGui::EndDisabled();
  ImGui::EndGroup();
  ImGui::TextDisabled("Click a map or a unit to inspect that neuron.");

  if (!ImGui::BeginChild("##activation_layers", ImVec2(0, 0))) {
    ImGui::EndChild();
    return;
  }
  const size_t L = std::min(v.layers.size(), v.selected_act.size());
  for (size_t i = 0; i < L; ++i) {
    const LayerView& lv = v.layers[i];
    const std::vector<float>& a = v.selected_act[i];
    ImGui::PushID((int)i);
    ImGui::TextUnformatted(layer_label((int)i, lv).c_str());
    if (a.empty() || shape_count(lv.out_shape) != a.size()) {
      ImGui::TextDisabled("(no values)");
    } else if (lv.out_shape.size() == 3) {
      channel_maps(c, tex, (int)i, lv.out_shape, a);
    } else {
      unit_cells(c, (int)i, a);
      if (i + 1 == L && v.task == "classification" && v.output_dim > 0 && a.size() == (size_t)v.output_dim) {
        std::vector<float> p;
        class_probs(a.data(), v.output_dim, p);
        std::vector<std::string> names(p.size());
        for (size_t k = 0; k < p.size(); ++k) names[k] = class_name(v, (int)k);
        ImGui::TextDisabled("as probabilities (softmax)");
        bar_list("output probabilities", names, p, std::min(ImGui::GetContentRegionAvail().x, fs * 18.0f),
                 predicted_class(a.data(), v.output_dim));
      }
    }
    ImGui::PopID();
    ImGui::Spacing();
  }
  ImGui::EndChild();
}

// [SECTION] filters -------------------------------------------------------------------------------

// A conv layer's kernels as one texture: a block per filter (its input channels side by side, 1-pixel
// gaps), the blocks in a grid as wide as the view, all on one diverging scale (the layer's max |w|) so
// filters compare. Click a block → that filter's channel in the neuron inspector.
void conv_filters(Controller& c, TextureCache& tex, int layer, const LayerView& lv) {
  const int F = lv.weight_shape[0], C = lv.weight_shape[1], KH = lv.weight_shape[2], KW = lv.weight_shape[3];
  const int rows = std::min(F, kMaxFilters), cols = std::min(C, kMaxFilterChannels);
  float scale = 0;
  for (float w : lv.weight) scale = std::max(scale, std::fabs(w));
  ImGui::Text("%d: conv2d, %d filters of %d×%d×%d", layer, F, C, KH, KW);
  ImGui::TextDisabled("a block per filter, its %d input channel%s side by side; orange −, blue +, ±%.3g", C, C == 1 ? "" : "s", scale);
  const float fs = ImGui::GetFontSize();
  const float avail = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  const int block_w = cols * (KW + 1) + 1, block_h = KH + 1;  // in weights, with the gaps after
  const float px = std::max(1.0f, std::min(fs * 1.8f / std::max(KW, 1), avail / (block_w - 2)));  // screen pixels per weight
  const int per_row = std::clamp((int)((avail / px + 2) / block_w), 1, rows);
  const int grid_rows = (rows + per_row - 1) / per_row;
  const int tw = per_row * block_w - 2, th = grid_rows * block_h - 1;
  const ImVec2 size(tw * px, th * px);
  char id[48];
  std::snprintf(id, sizeof id, "layer %d filters", layer);
  ImTextureID t = 0;
  if (tile_visible(size))
    t = cached_texture(tex, "filt/" + std::to_string(layer) + "/" + std::to_string(per_row), c.view().version,
                       [&](std::vector<uint32_t>& out, int& w, int& h) {
                         out.assign((size_t)tw * th, IM_COL32(0, 0, 0, 0));
                         for (int f = 0; f < rows; ++f)
                           for (int ch = 0; ch < cols; ++ch)
                             for (int y = 0; y < KH; ++y)
                               for (int x = 0; x < KW; ++x) {
                                 const float wv = lv.weight[(((size_t)f * C + ch) * KH + y) * KW + x];
                                 const int X = (f % per_row) * block_w + ch * (KW + 1) + x, Y = (f / per_row) * block_h + y;
                                 out[(size_t)Y * tw + X] = diverging_color(scale > 0 ? wv / scale : 0.0f);
                               }
                         w = tw;
                         h = th;
                       });
  const bool clicked = ImGui::InvisibleButton(id, size);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  if (t && ImGui::IsItemVisible()) ImGui::GetWindowDrawList()->AddImage(t, a, b);
  if (ImGui::IsItemHovered() || clicked) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int bx = (int)((m.x - a.x) / (px * block_w)), by = (int)((m.y - a.y) / (px * block_h));
    const int f = by * per_row + bx, ch = (int)((m.x - a.x - bx * block_w * px) / (px * (KW + 1)));
    if (bx >= 0 && bx < per_row && f >= 0 && f < rows && ch >= 0 && ch < cols) {
      if (clicked)
        c.inspect_neuron(layer, f);
      else
        ImGui::SetTooltip("filter %d, input channel %d\nClick to inspect filter %d", f, ch, f);
    }
  }
  if (F > rows || C > cols) ImGui::TextDisabled("showing %d of %d filters, %d of %d input channels", rows, F, cols, C);
}

// The first dense layer straight on the image (through flatten): each unit's weights as an H×W picture
// of what it looks for (channels averaged), each on its own scale.
void dense_unit_images(Controller& c, TextureCache& tex, int layer, const LayerView& lv, const ImageShape& s) {
  const int units = lv.weight_shape[0], n = std::min(units, kMaxUnitImages);
  const size_t in = s.size(), plane = (size_t)s.H * s.W;
  ImGui::Text("%d: dense, %d units on the %d×%d image", layer, units, s.H, s.W);
  ImGui::TextDisabled("each unit's incoming weights: blue pixels excite it, orange ones inhibit it");
  const float fs = ImGui::GetFontSize(), side = fs * 3.2f, cap_h = fs * 1.2f;
  const int cols = columns_for(side, ImGui::GetContentRegionAvail().x);
  char id[48], cap[16];
  for (int u = 0; u < n; ++u) {
    if (u % cols) ImGui::SameLine();
    ImTextureID t = 0;
    if (tile_visible(ImVec2(side, side + cap_h)))
      t = cached_texture(tex, "unit/" + std::to_string(layer) + "/" + std::to_string(u), c.view().version,
                         [&](std::vector<uint32_t>& out, int& w, int& h) {
                           std::vector<float> m(plane, 0.0f);
                           const float* wr = lv.weight.data() + (size_t)u * in;
                           for (int ch = 0; ch < s.C; ++ch)
                             for (size_t k = 0; k < plane; ++k) m[k] += wr[ch * plane + k] / s.C;
                           signed_to_rgba(m.data(), (int)plane, 0.0f, out);
                           w = s.W;
                           h = s.H;
                         });
    std::snprintf(id, sizeof id, "layer %d unit %d", layer, u);
    std::snprintf(cap, sizeof cap, "unit %d", u);
    if (image_tile(id, t, ImVec2(side, side), cap, 0)) c.inspect_neuron(layer, u);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("unit %d of layer %d\nClick to inspect it", u, layer);
  }
  if (units > n) ImGui::TextDisabled("… %d more", units - n);
}

void tab_filters(Controller& c, TextureCache& tex) {
  const Snapshot& v = c.view();
  const ImageShape s = image_shape(v.input_shape);
  if (!ImGui::BeginChild("##filters", ImVec2(0, 0))) {
    ImGui::EndChild();
    return;
  }
  bool any = false, before_params = true;
  for (size_t i = 0; i < v.layers.size(); ++i) {
    const LayerView& lv = v.layers[i];
    const std::vector<int>& ws = lv.weight_shape;
    ImGui::PushID((int)i);
    if (lv.type == "conv2d" && ws.size() == 4 && ws[0] > 0 && ws[1] > 0 && ws[2] > 0 && ws[3] > 0 && lv.weight.size() == shape_count(ws)) {
      conv_filters(c, tex, (int)i, lv);
      ImGui::Spacing();
      any = true;
    } else if (before_params && lv.type == "dense" && s.ok() && ws.size() == 2 && ws[0] > 0 && (size_t)ws[1] == s.size() &&
               lv.weight.size() == shape_count(ws)) {
      dense_unit_images(c, tex, (int)i, lv, s);
      ImGui::Spacing();
      any = true;
    }
    if (!lv.weight.empty()) before_params = false;
    ImGui::PopID();
  }
  if (!any) ImGui::TextDisabled("This network has no convolution filters and no dense layer directly on the image.");
  ImGui::EndChild();
}

}  // namespace lab::ui::imageview
