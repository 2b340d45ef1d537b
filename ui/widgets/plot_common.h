// Internal to ui/widgets/plot*.cpp: the helpers every plot shares — colour maths, the widget box,
// ticks and number formats, text fitting. Not part of the widgets' interface (plots.h).
#pragma once
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "imgui.h"
#include "imgui_internal.h"  // GetCurrentWindow()->SkipItems: the usual check of a custom widget
#include "widgets/plots.h"

namespace lab::ui::plot_detail {
// Okabe & Ito (2008), "Color Universal Design"; the 8th colour is a light grey rather than black (dark
// themes), light enough to stay apart from reddish purple under deuteranopia (tests/e2e/accessibility).
inline constexpr ImU32 kOkabeIto[8] = {
    IM_COL32(0, 114, 178, 255),    // blue
    IM_COL32(230, 159, 0, 255),    // orange
    IM_COL32(0, 158, 115, 255),    // bluish green
    IM_COL32(213, 94, 0, 255),     // vermillion
    IM_COL32(86, 180, 233, 255),   // sky blue
    IM_COL32(204, 121, 167, 255),  // reddish purple
    IM_COL32(240, 228, 66, 255),   // yellow
    IM_COL32(200, 200, 200, 255),  // light grey
};
inline constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255), kBlack = IM_COL32(0, 0, 0, 255);
inline constexpr ImU32 kDivNegative = IM_COL32(230, 159, 0, 255), kDivNeutral = IM_COL32(224, 224, 224, 255),
                       kDivPositive = IM_COL32(0, 114, 178, 255);
// matplotlib's viridis sampled at t = 0, 1/8, ..., 1 (linear interpolation between them is within a few
// levels of the full 256-entry table).
inline constexpr ImU32 kViridis[9] = {
    IM_COL32(68, 1, 84, 255),    IM_COL32(71, 45, 123, 255),  IM_COL32(59, 82, 139, 255),
    IM_COL32(44, 114, 142, 255), IM_COL32(33, 145, 140, 255), IM_COL32(40, 174, 128, 255),
    IM_COL32(94, 201, 98, 255),  IM_COL32(173, 220, 48, 255), IM_COL32(253, 231, 37, 255),
};
inline constexpr ImU32 kInk = IM_COL32(20, 20, 20, 170);  // point outlines: visible on the pale surfaces

// Vertices one plane_plot may add (see "Vertex budget" in plots.h), and its markers' approximate cost:
// an anti-aliased disc of n segments is 2n vertices, a 1-px (texture) outline another 2n.
inline constexpr int kPlaneVertexBudget = 9000;  // software GL (SwiftShader) draws ~60k vertices at ~10 fps
inline constexpr int kMarkerCostDetailed = 40, kMarkerCostPlain = 16, kMarkerCostSquare = 8;

inline constexpr int kMaxTicks = 24;
inline constexpr int kMaxLegendRows = 3;
inline constexpr int kNearestSearchSpan = 512;  // how far (in samples) a tooltip looks past NaN gaps

inline float clamp01(float v) { return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; }  // NaN → 0

inline ImU32 mix(ImU32 a, ImU32 b, float t) {
  auto chan = [&](int shift) {
    float x = float((a >> shift) & 0xFF), y = float((b >> shift) & 0xFF);
    return ImU32(x + (y - x) * t + 0.5f) << shift;
  };
  return chan(IM_COL32_R_SHIFT) | chan(IM_COL32_G_SHIFT) | chan(IM_COL32_B_SHIFT) | chan(IM_COL32_A_SHIFT);
}

inline ImU32 with_alpha(ImU32 c, float alpha) {
  ImU32 a = ImU32(float((c >> IM_COL32_A_SHIFT) & 0xFF) * clamp01(alpha) + 0.5f);
  return (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

// Black or white, whichever reads better on `bg`.
inline ImU32 text_on(ImU32 bg) {
  float l = 0.299f * float((bg >> IM_COL32_R_SHIFT) & 0xFF) + 0.587f * float((bg >> IM_COL32_G_SHIFT) & 0xFF) +
            0.114f * float((bg >> IM_COL32_B_SHIFT) & 0xFF);
  return l > 150.0f ? kBlack : kWhite;
}

// The current theme's colours for chart furniture.
struct Ink {
  ImU32 text, dim, axis, grid, faint, frame;
};
inline Ink theme_ink() {
  return {ImGui::GetColorU32(ImGuiCol_Text),        ImGui::GetColorU32(ImGuiCol_TextDisabled), ImGui::GetColorU32(ImGuiCol_Text, 0.45f),
          ImGui::GetColorU32(ImGuiCol_Text, 0.10f), ImGui::GetColorU32(ImGuiCol_Text, 0.04f),  ImGui::GetColorU32(ImGuiCol_FrameBg)};
}

// ImGui's CalcItemSize rule (see plots.h). default_w < 0: the available width; default_h < 0: the width.
inline ImVec2 resolve_size(ImVec2 size, float default_w, float default_h) {
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float w = size.x > 0 ? size.x : size.x < 0 ? avail.x + size.x : (default_w < 0 ? avail.x : default_w);
  w = std::max(w, 1.0f);
  float h = size.y > 0 ? size.y : size.y < 0 ? avail.y + size.y : (default_h < 0 ? w : default_h);
  return ImVec2(w, std::max(h, 1.0f));
}

// The widget's one item. Returns false when there is nothing to draw (window collapsed or item clipped).
struct Box {
  ImVec2 min, max;
  bool clicked = false, hovered = false;
  float w() const { return max.x - min.x; }
  float h() const { return max.y - min.y; }
};
inline bool begin_widget(const char* id, ImVec2 resolved, Box* box) {
  if (ImGui::GetCurrentWindow()->SkipItems) return false;
  box->clicked = ImGui::InvisibleButton(id, resolved);
  box->hovered = ImGui::IsItemHovered();
  box->min = ImGui::GetItemRectMin();
  box->max = ImGui::GetItemRectMax();
  return ImGui::IsItemVisible();
}

inline bool mouse_in(ImVec2 a, ImVec2 b) {
  ImVec2 m = ImGui::GetIO().MousePos;
  return m.x >= a.x && m.x <= b.x && m.y >= a.y && m.y <= b.y;
}

inline void centred_text(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, const char* s) {
  ImVec2 ts = ImGui::CalcTextSize(s);
  dl->AddText(ImVec2(std::max(a.x, (a.x + b.x - ts.x) * 0.5f), std::max(a.y, (a.y + b.y - ts.y) * 0.5f)), col, s);
}

// Text clipped to [x0, x1] horizontally (cpu fine clip: no extra draw command).
inline void clipped_text(ImDrawList* dl, ImVec2 pos, float x0, float x1, ImU32 col, const char* s) {
  ImVec4 clip(x0, pos.y - 1.0f, x1, pos.y + ImGui::GetFontSize() + 1.0f);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, col, s, nullptr, 0.0f, &clip);
}

// End of the longest prefix of s that fits in max_w (with "..." after it when shortened).
inline const char* fit_text(const char* s, float max_w, bool* shortened) {
  const char* end = s + std::strlen(s);
  *shortened = false;
  if (ImGui::CalcTextSize(s, end).x <= max_w) return end;
  *shortened = true;
  const float ellipsis = ImGui::CalcTextSize("...").x;
  while (end > s) {
    do --end;
    while (end > s && (static_cast<unsigned char>(*end) & 0xC0) == 0x80);  // UTF-8 boundary
    if (ImGui::CalcTextSize(s, end).x + ellipsis <= max_w) break;
  }
  return end;
}

// A colour square at the cursor of the current (tooltip) window, followed by SameLine.
inline void tooltip_swatch(ImU32 col) {
  ImVec2 p = ImGui::GetCursorScreenPos();
  float h = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + h * 0.2f), ImVec2(p.x + h * 0.6f, p.y + h * 0.8f), col);
  ImGui::Dummy(ImVec2(h * 0.6f, h));
  ImGui::SameLine();
}

// Linear map from data [lo, hi] to pixels [a, b] (b < a for y axes).
struct Map {
  double lo, hi;
  float a, b;
  float px(double v) const { return a + float((v - lo) / (hi - lo)) * (b - a); }
  double data(float p) const { return lo + double(p - a) / double(b - a) * (hi - lo); }
};

// Axis ticks: pos in axis space (log10 of the value on a log axis), val the value to print, step the
// spacing used to choose decimals (0: each label uses its own decade).
struct Ticks {
  double pos[kMaxTicks], val[kMaxTicks];
  int n = 0;
  double step = 1;
};

// 1, 2 or 5 × 10^k, the smallest not below raw.
inline double nice_step(double raw) {
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  double m = raw / p;
  return (m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 5.0 ? 5.0 : 10.0) * p;
}

inline void linear_ticks(double lo, double hi, int target, Ticks* t) {
  t->n = 0;
  if (!(hi > lo) || !std::isfinite(hi - lo)) return;
  target = std::clamp(target, 2, kMaxTicks - 2);
  const double step = nice_step((hi - lo) / target);
  t->step = step;
  for (double k = std::ceil(lo / step - 1e-9); t->n < kMaxTicks; k += 1.0) {
    double v = k * step;
    if (v > hi + step * 1e-9) break;
    if (std::fabs(v) < step * 1e-9) v = 0.0;
    t->pos[t->n] = t->val[t->n] = v;
    ++t->n;
  }
}

// lo, hi: log10 of the axis ends. Decades (every m-th when crowded), 1-2-5 within decades when there is
// room, and linear ticks in value space when the axis spans too little for either.
inline void log_ticks(double lo, double hi, int target, Ticks* t) {
  t->n = 0;
  if (!(hi > lo) || !std::isfinite(hi - lo)) return;
  target = std::clamp(target, 2, kMaxTicks - 2);
  const double decades = hi - lo;
  if (decades * 3.0 <= target) {
    for (double e = std::floor(lo); e <= std::ceil(hi) && t->n < kMaxTicks; e += 1.0)
      for (double m : {1.0, 2.0, 5.0}) {
        double v = m * std::pow(10.0, e), p = std::log10(v);
        if (p >= lo - 1e-9 && p <= hi + 1e-9 && t->n < kMaxTicks) {
          t->pos[t->n] = p;
          t->val[t->n] = v;
          ++t->n;
        }
      }
    t->step = 0;
    if (t->n >= 2) return;
    linear_ticks(std::pow(10.0, lo), std::pow(10.0, hi), target, t);
    for (int i = 0; i < t->n; ++i) t->pos[i] = t->val[i] > 0 ? std::log10(t->val[i]) : lo - 1.0;  // off-axis
    return;
  }
  const double every = std::max(1.0, std::ceil(decades / target));
  t->step = 0;
  for (double e = std::ceil(lo / every - 1e-9) * every; e <= hi + 1e-9 && t->n < kMaxTicks; e += every) {
    t->pos[t->n] = e;
    t->val[t->n] = std::pow(10.0, e);
    ++t->n;
  }
}

// A tick label: fixed decimals from the step, k/M/G suffixes when the axis reaches 10^4 (mag: the
// largest |value| on the axis, so one axis uses one form), exponents below 10^-3.
inline void format_tick(double v, double step, double mag, char* buf, int n) {
  if (step <= 0) step = mag = std::fabs(v) > 0 ? std::pow(10.0, std::floor(std::log10(std::fabs(v)))) : 1.0;
  if (std::fabs(v) < step * 1e-6) v = 0.0;
  auto decimals = [](double s) { return std::clamp(int(-std::floor(std::log10(s) + 1e-9)), 0, 6); };
  if (mag >= 1e4 && mag < 1e15) {
    const double div = mag >= 1e12 ? 1e12 : mag >= 1e9 ? 1e9 : mag >= 1e6 ? 1e6 : 1e3;
    const char* suffix = div == 1e12 ? "T" : div == 1e9 ? "G" : div == 1e6 ? "M" : "k";
    std::snprintf(buf, n, "%.*f%s", std::min(decimals(step / div), 3), v / div, v == 0 ? "" : suffix);
  } else if (mag < 1e-3 && v != 0.0) {
    const double e = std::floor(std::log10(std::fabs(v)));
    std::snprintf(buf, n, "%.*fe%d", std::min(decimals(step / std::pow(10.0, e)), 3), v / std::pow(10.0, e), int(e));
  } else {
    std::snprintf(buf, n, "%.*f", decimals(step), v);
  }
}

// A value in a tooltip: integers as such (steps), else 4 significant digits.
inline void format_value(double v, char* buf, int n) {
  if (std::fabs(v) < 1e9 && v == std::floor(v))
    std::snprintf(buf, n, "%.0f", v);
  else
    std::snprintf(buf, n, "%.4g", v);
}

}  // namespace lab::ui::plot_detail
