// plots.cpp — [SECTION] colours · [SECTION] pixels for textures · [SECTION] tiles and bars. The charts:
// plot_chart.cpp (line chart, histogram), plot_plane.cpp (2-D plane, confusion matrix); shared helpers:
// plot_common.h.
#include "widgets/plot_common.h"

#include <algorithm>
#include <cmath>

namespace lab::ui {

using namespace plot_detail;

// [SECTION] colours -----------------------------------------------------------------------------

ImU32 class_color(int k, float alpha) {
  ImU32 c = IM_COL32(128, 128, 128, 255);
  if (k >= 0) {
    c = kOkabeIto[k % 8];
    const int cycle = (k / 8) % 3;
    if (cycle == 1)
      c = mix(c, kBlack, 0.5f);  // classes 8, 9 (the digits): darker, apart from all 8 under every simulated CVD
    else if (cycle == 2)
      c = mix(c, kWhite, 0.45f);
  }
  return with_alpha(c, alpha);
}

ImU32 diverging_color(float v, float alpha) {
  if (!(v == v)) v = 0.0f;
  v = std::clamp(v, -1.0f, 1.0f);
  return with_alpha(mix(kDivNeutral, v < 0 ? kDivNegative : kDivPositive, std::fabs(v)), alpha);
}

ImU32 sequential_color(float t, float alpha) {
  const float x = clamp01(t) * 8.0f;
  const int i = std::min(int(x), 7);
  return with_alpha(mix(kViridis[i], kViridis[i + 1], x - float(i)), alpha);
}

// The opaque colour behind the windows (the page's clear colour), set with the theme.
namespace {
ImU32 g_page_background = IM_COL32(26, 31, 41, 255);
float channel_luminance(float v) { return v <= 0.04045f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f); }
float relative_luminance(ImU32 c) {
  const ImVec4 f = ImGui::ColorConvertU32ToFloat4(c);
  return 0.2126f * channel_luminance(f.x) + 0.7152f * channel_luminance(f.y) + 0.0722f * channel_luminance(f.z);
}
}  // namespace

void set_page_background(ImU32 bg) { g_page_background = bg | IM_COL32_A_MASK; }
ImU32 page_background() { return g_page_background; }

ImU32 composite(ImU32 fg, ImU32 bg) {
  const ImVec4 f = ImGui::ColorConvertU32ToFloat4(fg), b = ImGui::ColorConvertU32ToFloat4(bg);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(f.x * f.w + b.x * (1 - f.w), f.y * f.w + b.y * (1 - f.w), f.z * f.w + b.z * (1 - f.w), 1.0f));
}

ImU32 window_background() { return composite(ImGui::GetColorU32(ImGuiCol_WindowBg), g_page_background); }

float contrast_ratio(ImU32 a, ImU32 b) {
  const float la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

ImU32 readable_on(ImU32 col, ImU32 bg, float ratio) {
  const ImU32 towards = relative_luminance(bg) > 0.18f ? kBlack : kWhite;
  ImU32 c = col | IM_COL32_A_MASK;
  for (int i = 1; i <= 20 && contrast_ratio(c, bg) < ratio; ++i) c = mix(col | IM_COL32_A_MASK, towards, i * 0.05f);
  return c;
}

ImU32 text_tone(ImU32 col) { return readable_on(col, window_background(), 4.6f); }

// [SECTION] pixels for textures -----------------------------------------------------------------

void image_to_rgba(const float* chw, int C, int H, int W, int channel, float lo, float hi, std::vector<uint32_t>& out) {
  out.clear();
  if (!chw || C <= 0 || H <= 0 || W <= 0) return;
  IM_ASSERT(channel < C && "image_to_rgba: channel must be < C (or < 0 for all channels)");
  const size_t hw = size_t(H) * size_t(W);
  out.resize(hw);
  const bool flat = !(hi > lo);
  const float inv = flat ? 0.0f : 1.0f / (hi - lo);
  auto level = [&](float v) -> ImU32 {
    if (!(v == v)) return 0;
    if (flat) return 128;
    return ImU32(clamp01((v - lo) * inv) * 255.0f + 0.5f);
  };
  if (channel < 0 && C == 3) {
    const float *r = chw, *g = chw + hw, *b = chw + 2 * hw;  // (3,H,W)
    for (size_t i = 0; i < hw; ++i) out[i] = IM_COL32(level(r[i]), level(g[i]), level(b[i]), 255);
  } else {
    const float* p = chw + size_t(std::clamp(channel, 0, C - 1)) * hw;  // (H,W)
    for (size_t i = 0; i < hw; ++i) {
      const ImU32 g = level(p[i]);
      out[i] = IM_COL32(g, g, g, 255);
    }
  }
}

void signed_to_rgba(const float* v, int n, float scale, std::vector<uint32_t>& out) {
  out.clear();
  if (!v || n <= 0) return;
  out.resize(size_t(n));
  float s = scale;
  if (!(s > 0.0f)) {
    s = 0.0f;
    for (int i = 0; i < n; ++i)
      if (std::isfinite(v[i])) s = std::max(s, std::fabs(v[i]));
  }
  const float inv = s > 0.0f && std::isfinite(s) ? 1.0f / s : 0.0f;
  for (int i = 0; i < n; ++i) out[size_t(i)] = diverging_color(v[i] * inv);
}

// [SECTION] tiles and bars ----------------------------------------------------------------------

bool image_tile(const char* id, ImTextureID tex, ImVec2 size, const char* caption, ImU32 border) {
  const float font = ImGui::GetFontSize(), pad = font * 0.2f;
  const bool has_caption = caption && *caption;
  const ImVec2 img = resolve_size(size, font * 4.0f, -1.0f);
  Box box;
  if (!begin_widget(id, ImVec2(img.x, img.y + (has_caption ? font + pad : 0.0f)), &box)) return box.clicked;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = theme_ink();
  const ImVec2 a = box.min, b(box.min.x + img.x, box.min.y + img.y);
  if (tex)
    dl->AddImage(tex, a, b);
  else
    dl->AddRectFilled(a, b, ink.frame);
  const float t = std::max(1.0f, std::round(font * 0.15f));
  if (border) dl->AddRect(ImVec2(a.x - t * 0.5f, a.y - t * 0.5f), ImVec2(b.x + t * 0.5f, b.y + t * 0.5f), border, 0.0f, 0, t);
  if (box.hovered) {
    const float o = (border ? t : 0.0f) + 1.5f;
    dl->AddRect(ImVec2(a.x - o, a.y - o), ImVec2(b.x + o, b.y + o), ImGui::GetColorU32(ImGuiCol_Text, 0.6f));
  }
  if (has_caption) {
    bool shortened = false;
    const char* end = fit_text(caption, img.x, &shortened);
    const float w = ImGui::CalcTextSize(caption, end).x + (shortened ? ImGui::CalcTextSize("...").x : 0.0f);
    const ImVec2 p(a.x + std::max(0.0f, (img.x - w) * 0.5f), b.y + pad);
    dl->AddText(p, ink.text, caption, end);
    if (shortened) dl->AddText(ImVec2(p.x + ImGui::CalcTextSize(caption, end).x, p.y), ink.text, "...");
    if (shortened && box.hovered) ImGui::SetTooltip("%s", caption);
  }
  return box.clicked;
}

void bar_list(const char* id, const std::vector<std::string>& labels, const std::vector<float>& values, float width, int highlight) {
  const float font = ImGui::GetFontSize(), pad = font * 0.3f, row_h = std::round(font * 1.35f);
  const int n = int(values.size());
  Box box;
  if (!begin_widget(id, resolve_size(ImVec2(width, row_h * float(std::max(n, 1))), -1.0f, 0.0f), &box)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = theme_ink();
  dl->PushClipRect(box.min, box.max, true);
  if (n == 0) {
    dl->AddText(ImVec2(box.min.x, box.min.y + (row_h - font) * 0.5f), ink.dim, "no data");
    dl->PopClipRect();
    return;
  }
  char idx[16], val[16];
  auto label_of = [&](int i) -> const char* {
    if (size_t(i) < labels.size()) return labels[i].c_str();
    std::snprintf(idx, sizeof idx, "%d", i);
    return idx;
  };
  float label_w = 0;
  for (int i = 0; i < n; ++i) label_w = std::max(label_w, ImGui::CalcTextSize(label_of(i)).x);
  label_w = std::min(label_w, box.w() * 0.4f);
  const float value_w = ImGui::CalcTextSize("100%").x;
  const float x0 = box.min.x + label_w + pad, x1 = std::max(x0, box.max.x - value_w - pad);
  int hovered = -1;
  if (box.hovered) hovered = std::clamp(int((ImGui::GetIO().MousePos.y - box.min.y) / row_h), 0, n - 1);
  const ImU32 neutral = ImGui::GetColorU32(ImGuiCol_Text, 0.35f), accent = class_color(0);
  for (int i = 0; i < n; ++i) {
    const float y = box.min.y + row_h * float(i), inset = std::round(row_h * 0.2f);
    if (i == hovered) dl->AddRectFilled(ImVec2(box.min.x, y), ImVec2(box.max.x, y + row_h), ink.faint);
    clipped_text(dl, ImVec2(box.min.x, y + (row_h - font) * 0.5f), box.min.x, box.min.x + label_w, i == highlight ? ink.text : ink.dim,
                 label_of(i));
    dl->AddRectFilled(ImVec2(x0, y + inset), ImVec2(x1, y + row_h - inset), ink.frame);
    const float v = clamp01(values[i]);
    if (v > 0) dl->AddRectFilled(ImVec2(x0, y + inset), ImVec2(x0 + (x1 - x0) * v, y + row_h - inset), i == highlight ? accent : neutral);
    const float pct = v * 100.0f;
    if (!(values[i] == values[i]))
      std::snprintf(val, sizeof val, "-");
    else if (pct > 0.0f && pct < 1.0f)
      std::snprintf(val, sizeof val, "<1%%");
    else if (pct > 99.0f && pct < 100.0f)
      std::snprintf(val, sizeof val, ">99%%");
    else
      std::snprintf(val, sizeof val, "%.0f%%", double(pct));
    dl->AddText(ImVec2(box.max.x - ImGui::CalcTextSize(val).x, y + (row_h - font) * 0.5f), i == highlight ? ink.text : ink.dim, val);
  }
  if (hovered >= 0) ImGui::SetTooltip("%s: %.4f", label_of(hovered), double(values[hovered]));
  dl->PopClipRect();
}

}  // namespace lab::ui
