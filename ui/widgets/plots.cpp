// plots.cpp — [SECTION] helpers (colour maths, widget box, ticks, text) · [SECTION] colours ·
// [SECTION] line chart · [SECTION] 2-D plane · [SECTION] confusion matrix · [SECTION] histogram ·
// [SECTION] pixels for textures · [SECTION] tiles and bars
// (~950 lines, past STYLE's ~800: kept as one file while the build lists it as one source; the natural
// split is plots_common.h for the helpers plus one .cpp per section.)
#include "widgets/plots.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "imgui.h"
#include "imgui_internal.h"  // GetCurrentWindow()->SkipItems: the usual check of a custom widget

namespace lab::ui {

// [SECTION] helpers -----------------------------------------------------------------------------

namespace {

// Okabe & Ito (2008), "Color Universal Design"; the 8th colour is grey rather than black (dark themes).
constexpr ImU32 kOkabeIto[8] = {
    IM_COL32(0, 114, 178, 255),    // blue
    IM_COL32(230, 159, 0, 255),    // orange
    IM_COL32(0, 158, 115, 255),    // bluish green
    IM_COL32(213, 94, 0, 255),     // vermillion
    IM_COL32(86, 180, 233, 255),   // sky blue
    IM_COL32(204, 121, 167, 255),  // reddish purple
    IM_COL32(240, 228, 66, 255),   // yellow
    IM_COL32(153, 153, 153, 255),  // grey
};
constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255), kBlack = IM_COL32(0, 0, 0, 255);
constexpr ImU32 kDivNegative = IM_COL32(230, 159, 0, 255), kDivNeutral = IM_COL32(224, 224, 224, 255),
                kDivPositive = IM_COL32(0, 114, 178, 255);
// matplotlib's viridis sampled at t = 0, 1/8, ..., 1 (linear interpolation between them is within a few
// levels of the full 256-entry table).
constexpr ImU32 kViridis[9] = {
    IM_COL32(68, 1, 84, 255),    IM_COL32(71, 45, 123, 255),  IM_COL32(59, 82, 139, 255),
    IM_COL32(44, 114, 142, 255), IM_COL32(33, 145, 140, 255), IM_COL32(40, 174, 128, 255),
    IM_COL32(94, 201, 98, 255),  IM_COL32(173, 220, 48, 255), IM_COL32(253, 231, 37, 255),
};
constexpr ImU32 kInk = IM_COL32(20, 20, 20, 170);  // point outlines: visible on the pale surfaces

// Vertices one plane_plot may add (see "Vertex budget" in plots.h), and its markers' approximate cost:
// an anti-aliased disc of n segments is 2n vertices, a 1-px (texture) outline another 2n.
constexpr int kPlaneVertexBudget = 9000;  // software GL (SwiftShader) draws ~60k vertices at ~10 fps
constexpr int kMarkerCostDetailed = 40, kMarkerCostPlain = 16, kMarkerCostSquare = 8;

constexpr int kMaxTicks = 24;
constexpr int kMaxLegendRows = 3;
constexpr int kNearestSearchSpan = 512;  // how far (in samples) a tooltip looks past NaN gaps

float clamp01(float v) { return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; }  // NaN → 0

ImU32 mix(ImU32 a, ImU32 b, float t) {
  auto chan = [&](int shift) {
    float x = float((a >> shift) & 0xFF), y = float((b >> shift) & 0xFF);
    return ImU32(x + (y - x) * t + 0.5f) << shift;
  };
  return chan(IM_COL32_R_SHIFT) | chan(IM_COL32_G_SHIFT) | chan(IM_COL32_B_SHIFT) | chan(IM_COL32_A_SHIFT);
}

ImU32 with_alpha(ImU32 c, float alpha) {
  ImU32 a = ImU32(float((c >> IM_COL32_A_SHIFT) & 0xFF) * clamp01(alpha) + 0.5f);
  return (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

// Black or white, whichever reads better on `bg`.
ImU32 text_on(ImU32 bg) {
  float l = 0.299f * float((bg >> IM_COL32_R_SHIFT) & 0xFF) + 0.587f * float((bg >> IM_COL32_G_SHIFT) & 0xFF) +
            0.114f * float((bg >> IM_COL32_B_SHIFT) & 0xFF);
  return l > 150.0f ? kBlack : kWhite;
}

// The current theme's colours for chart furniture.
struct Ink {
  ImU32 text, dim, axis, grid, faint, frame;
};
Ink theme_ink() {
  return {ImGui::GetColorU32(ImGuiCol_Text),        ImGui::GetColorU32(ImGuiCol_TextDisabled), ImGui::GetColorU32(ImGuiCol_Text, 0.45f),
          ImGui::GetColorU32(ImGuiCol_Text, 0.10f), ImGui::GetColorU32(ImGuiCol_Text, 0.04f),  ImGui::GetColorU32(ImGuiCol_FrameBg)};
}

// ImGui's CalcItemSize rule (see plots.h). default_w < 0: the available width; default_h < 0: the width.
ImVec2 resolve_size(ImVec2 size, float default_w, float default_h) {
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
bool begin_widget(const char* id, ImVec2 resolved, Box* box) {
  if (ImGui::GetCurrentWindow()->SkipItems) return false;
  box->clicked = ImGui::InvisibleButton(id, resolved);
  box->hovered = ImGui::IsItemHovered();
  box->min = ImGui::GetItemRectMin();
  box->max = ImGui::GetItemRectMax();
  return ImGui::IsItemVisible();
}

bool mouse_in(ImVec2 a, ImVec2 b) {
  ImVec2 m = ImGui::GetIO().MousePos;
  return m.x >= a.x && m.x <= b.x && m.y >= a.y && m.y <= b.y;
}

void centred_text(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, const char* s) {
  ImVec2 ts = ImGui::CalcTextSize(s);
  dl->AddText(ImVec2(std::max(a.x, (a.x + b.x - ts.x) * 0.5f), std::max(a.y, (a.y + b.y - ts.y) * 0.5f)), col, s);
}

// Text clipped to [x0, x1] horizontally (cpu fine clip: no extra draw command).
void clipped_text(ImDrawList* dl, ImVec2 pos, float x0, float x1, ImU32 col, const char* s) {
  ImVec4 clip(x0, pos.y - 1.0f, x1, pos.y + ImGui::GetFontSize() + 1.0f);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, col, s, nullptr, 0.0f, &clip);
}

// End of the longest prefix of s that fits in max_w (with "..." after it when shortened).
const char* fit_text(const char* s, float max_w, bool* shortened) {
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
void tooltip_swatch(ImU32 col) {
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
double nice_step(double raw) {
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  double m = raw / p;
  return (m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 5.0 ? 5.0 : 10.0) * p;
}

void linear_ticks(double lo, double hi, int target, Ticks* t) {
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
void log_ticks(double lo, double hi, int target, Ticks* t) {
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
void format_tick(double v, double step, double mag, char* buf, int n) {
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
void format_value(double v, char* buf, int n) {
  if (std::fabs(v) < 1e9 && v == std::floor(v))
    std::snprintf(buf, n, "%.0f", v);
  else
    std::snprintf(buf, n, "%.4g", v);
}

}  // namespace

// [SECTION] colours -----------------------------------------------------------------------------

ImU32 class_color(int k, float alpha) {
  ImU32 c = IM_COL32(128, 128, 128, 255);
  if (k >= 0) {
    c = kOkabeIto[k % 8];
    const int cycle = (k / 8) % 3;
    if (cycle == 1)
      c = mix(c, kWhite, 0.45f);
    else if (cycle == 2)
      c = mix(c, kBlack, 0.35f);
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

// [SECTION] line chart --------------------------------------------------------------------------

namespace {

// Index-safe view of a Series (x may be empty: x = index).
struct SeriesView {
  const Series& s;
  int n;
  explicit SeriesView(const Series& s_) : s(s_), n(int(s_.x.empty() ? s_.y.size() : std::min(s_.x.size(), s_.y.size()))) {}
  double x(int i) const { return s.x.empty() ? double(i) : double(s.x[i]); }
};

bool usable(float y, bool log_y) { return std::isfinite(y) && (!log_y || y > 0.0f); }
double axis_y(float y, bool log_y) { return log_y ? std::log10(double(y)) : double(y); }
ImU32 series_color(const Series& s, size_t k) { return s.color ? s.color : class_color(int(k)); }

// The drawable sample nearest `target` in x (x non-decreasing), looking past gaps; -1 if none.
int nearest_valid(const SeriesView& v, double target, bool log_y) {
  if (v.n == 0) return -1;
  int i;
  if (v.s.x.empty()) {
    i = int(std::lround(std::clamp(target, 0.0, double(v.n - 1))));
  } else {
    const float* b = v.s.x.data();
    i = int(std::lower_bound(b, b + v.n, float(target)) - b);
    if (i == v.n)
      i = v.n - 1;
    else if (i > 0 && target - b[i - 1] < b[i] - target)
      --i;
  }
  auto ok = [&](int j) { return j >= 0 && j < v.n && usable(v.s.y[j], log_y) && std::isfinite(v.x(j)); };
  for (int d = 0; d < kNearestSearchSpan; ++d) {
    if (ok(i - d)) return i - d;
    if (ok(i + d)) return i + d;
  }
  return -1;
}

// Lays out the legend of named series in [x0, x1] from y0, drawing it when dl != nullptr; returns its height.
float legend(ImDrawList* dl, const std::vector<Series>& series, float x0, float x1, float y0, ImU32 text) {
  const float font = ImGui::GetFontSize(), row_h = font * 1.3f, swatch = font * 1.1f, gap = font * 0.3f;
  float x = x0;
  int row = 0;
  bool any = false;
  for (size_t k = 0; k < series.size(); ++k) {
    const char* name = series[k].name.c_str();
    if (!*name) continue;
    const float w = swatch + gap + ImGui::CalcTextSize(name).x;
    if (any && x + w > x1) {
      if (row == kMaxLegendRows - 1) break;  // the rest does not fit: the tooltip still names them
      ++row;
      x = x0;
    }
    any = true;
    if (dl) {
      const float y = y0 + float(row) * row_h + row_h * 0.5f;
      dl->AddLine(ImVec2(x, y), ImVec2(x + swatch, y), series_color(series[k], k), std::max(2.0f, std::round(font * 0.15f)));
      dl->AddText(ImVec2(x + swatch + gap, y - font * 0.5f), text, name);
    }
    x += w + font * 0.9f;
  }
  return any ? float(row + 1) * row_h : 0.0f;
}

// One series as polylines broken at gaps, keeping at most the min and max of each pixel column (so the
// vertex count follows the chart's width, not the series' length). An isolated sample becomes a dot.
void draw_series(ImDrawList* dl, const Series& s, ImU32 col, const Map& mx, const Map& my, bool log_y, float thick) {
  const SeriesView v(s);
  dl->PathClear();
  bool open = false;
  int column = INT_MIN, imin = 0, imax = 0;
  float cx = 0, ymin = 0, ymax = 0;
  auto flush = [&] {
    if (!open) return;
    open = false;
    if (ymin == ymax) {
      dl->PathLineTo(ImVec2(cx, ymin));
    } else {
      dl->PathLineTo(ImVec2(cx, imin <= imax ? ymin : ymax));
      dl->PathLineTo(ImVec2(cx, imin <= imax ? ymax : ymin));
    }
  };
  auto stroke = [&] {
    flush();
    if (dl->_Path.Size >= 2) {
      dl->PathStroke(col, ImDrawFlags_None, thick);
    } else if (dl->_Path.Size == 1) {
      const ImVec2 p = dl->_Path[0];
      dl->PathClear();
      dl->AddCircleFilled(p, thick * 1.5f, col, 8);
    }
  };
  for (int i = 0; i < v.n; ++i) {
    const double x = v.x(i);
    if (!usable(s.y[i], log_y) || !std::isfinite(x)) {
      stroke();
      continue;
    }
    const float px = mx.px(x), py = std::clamp(my.px(axis_y(s.y[i], log_y)), -1e6f, 1e6f);
    const int c = int(std::floor(px));
    if (!open || c != column) {
      flush();
      open = true;
      column = c;
      cx = px;
      ymin = ymax = py;
      imin = imax = i;
    } else {
      if (py < ymin) ymin = py, imin = i;
      if (py > ymax) ymax = py, imax = i;
    }
  }
  stroke();
}

}  // namespace

void line_chart(const char* id, const std::vector<Series>& series, ImVec2 size, bool log_y, const char* x_label, float y_min, float y_max) {
  const float font = ImGui::GetFontSize(), pad = font * 0.3f, tick = font * 0.3f;
  Box box;
  if (!begin_widget(id, resolve_size(size, -1.0f, font * 12.0f), &box)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = theme_ink();

  // Data extent (y in axis space).
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (const Series& s : series) {
    const SeriesView v(s);
    for (int i = 0; i < v.n; ++i) {
      const double x = v.x(i);
      if (!usable(s.y[i], log_y) || !std::isfinite(x)) continue;
      const double y = axis_y(s.y[i], log_y);
      xlo = std::min(xlo, x), xhi = std::max(xhi, x), ylo = std::min(ylo, y), yhi = std::max(yhi, y);
    }
  }

  dl->PushClipRect(box.min, box.max, true);
  const float legend_h = legend(nullptr, series, box.min.x + pad, box.max.x - pad, box.min.y, ink.text);
  if (legend_h > 0) legend(dl, series, box.min.x + pad, box.max.x - pad, box.min.y, ink.text);
  if (!(xlo <= xhi)) {
    centred_text(dl, ImVec2(box.min.x, box.min.y + legend_h), box.max, ink.dim, "no data");
    dl->PopClipRect();
    return;
  }

  // Ranges: fixed ends where asked, else the data plus 5 %.
  const bool fixed_lo = std::isfinite(y_min) && (!log_y || y_min > 0);
  const bool fixed_hi = std::isfinite(y_max) && (!log_y || y_max > 0);
  if (fixed_lo) ylo = axis_y(y_min, log_y);
  if (fixed_hi) yhi = axis_y(y_max, log_y);
  if (ylo > yhi) std::swap(ylo, yhi);
  if (!(yhi > ylo)) {
    const double half = log_y ? 0.5 : (ylo != 0.0 ? std::fabs(ylo) * 0.1 : 1.0);
    ylo -= half, yhi += half;
  } else {
    const double margin = (yhi - ylo) * 0.05;
    if (!fixed_lo) ylo -= margin;
    if (!fixed_hi) yhi += margin;
  }
  if (!(xhi > xlo)) xlo -= 0.5, xhi += 0.5;

  // Layout: legend, plot, one row of x tick labels; y tick labels on the left.
  const float top = box.min.y + legend_h + font * 0.6f, bottom = box.max.y - font - tick - pad;
  Ticks yt;
  const int y_target = int((bottom - top) / (font * 2.2f));
  if (log_y)
    log_ticks(ylo, yhi, y_target, &yt);
  else
    linear_ticks(ylo, yhi, y_target, &yt);
  char ylab[kMaxTicks][24];
  float ylab_w = 0;
  for (int i = 0; i < yt.n; ++i) {
    format_tick(yt.val[i], yt.step, log_y ? 0.0 : std::max(std::fabs(ylo), std::fabs(yhi)), ylab[i], sizeof ylab[i]);
    ylab_w = std::max(ylab_w, ImGui::CalcTextSize(ylab[i]).x);
  }
  const float left = box.min.x + pad + ylab_w + pad + tick, right = box.max.x - font * 0.75f;
  if (right - left < font * 2.0f || bottom - top < font) {
    dl->PopClipRect();
    return;
  }
  const Map mx{xlo, xhi, left, right}, my{ylo, yhi, bottom, top};

  for (int i = 0; i < yt.n; ++i) {
    const float py = std::round(my.px(yt.pos[i]));
    if (py < top - 0.5f || py > bottom + 0.5f) continue;
    dl->AddLine(ImVec2(left, py), ImVec2(right, py), ink.grid);
    dl->AddLine(ImVec2(left - tick, py), ImVec2(left, py), ink.axis);
    const float w = ImGui::CalcTextSize(ylab[i]).x;
    dl->AddText(ImVec2(left - tick - pad - w, py - font * 0.5f), ink.dim, ylab[i]);
  }
  float label_limit = box.max.x;
  const float label_y = bottom + tick;
  if (x_label && *x_label) {
    const float w = ImGui::CalcTextSize(x_label).x;
    label_limit = box.max.x - pad - w - font * 0.5f;
    dl->AddText(ImVec2(box.max.x - pad - w, label_y), ink.dim, x_label);
  }
  Ticks xt;
  linear_ticks(xlo, xhi, int((right - left) / (font * 6.0f)), &xt);
  float last_right = -INFINITY;
  for (int i = 0; i < xt.n; ++i) {
    const float px = std::round(mx.px(xt.pos[i]));
    dl->AddLine(ImVec2(px, top), ImVec2(px, bottom), ink.grid);
    dl->AddLine(ImVec2(px, bottom), ImVec2(px, bottom + tick), ink.axis);
    char buf[24];
    format_tick(xt.val[i], xt.step, std::max(std::fabs(xlo), std::fabs(xhi)), buf, sizeof buf);
    const float w = ImGui::CalcTextSize(buf).x, lx = std::max(box.min.x, px - w * 0.5f);
    if (lx < last_right + font * 0.5f || lx + w > label_limit) continue;  // would overlap: grid line only
    dl->AddText(ImVec2(lx, label_y), ink.dim, buf);
    last_right = lx + w;
  }
  dl->AddLine(ImVec2(left, top), ImVec2(left, bottom), ink.axis);
  dl->AddLine(ImVec2(left, bottom), ImVec2(right, bottom), ink.axis);

  const float thick = std::max(1.0f, std::round(font / 8.0f));  // integral: ImGui's cheap textured lines
  dl->PushClipRect(ImVec2(left - thick, top - thick), ImVec2(right + thick, bottom + thick), true);
  for (size_t k = 0; k < series.size(); ++k) draw_series(dl, series[k], series_color(series[k], k), mx, my, log_y, thick);

  // Hover: a cursor at the sample x nearest the mouse, each series' nearest value in a tooltip.
  if (box.hovered && mouse_in(ImVec2(left, top), ImVec2(right, bottom))) {
    const double target = mx.data(ImGui::GetIO().MousePos.x);
    double cursor = NAN, best = INFINITY;
    for (const Series& s : series) {
      const SeriesView v(s);
      const int j = nearest_valid(v, target, log_y);
      if (j >= 0 && std::fabs(v.x(j) - target) < best) best = std::fabs(v.x(j) - target), cursor = v.x(j);
    }
    if (std::isfinite(cursor) && ImGui::BeginTooltip()) {
      const float cx = std::round(mx.px(cursor));
      dl->AddLine(ImVec2(cx, top), ImVec2(cx, bottom), ink.axis);
      char xbuf[32], vbuf[32];
      format_value(cursor, xbuf, sizeof xbuf);
      ImGui::Text("%s %s", x_label && *x_label ? x_label : "x", xbuf);
      for (size_t k = 0; k < series.size(); ++k) {
        const SeriesView v(series[k]);
        const int j = nearest_valid(v, cursor, log_y);
        if (j < 0 || std::fabs(mx.px(v.x(j)) - cx) > font * 3.0f) continue;  // no sample near the cursor
        const ImU32 col = series_color(series[k], k);
        const ImVec2 p(mx.px(v.x(j)), my.px(axis_y(series[k].y[j], log_y)));
        dl->AddCircleFilled(p, thick * 2.0f, col, 12);
        dl->AddCircle(p, thick * 2.0f, ink.text, 12);
        tooltip_swatch(col);
        std::snprintf(vbuf, sizeof vbuf, "%.4g", double(series[k].y[j]));
        if (series[k].name.empty())
          ImGui::Text("series %d: %s", int(k), vbuf);
        else
          ImGui::Text("%s: %s", series[k].name.c_str(), vbuf);
        if (v.x(j) != cursor) {
          format_value(v.x(j), xbuf, sizeof xbuf);
          ImGui::SameLine();
          ImGui::TextDisabled("(at %s)", xbuf);
        }
      }
      ImGui::EndTooltip();
    }
  }
  dl->PopClipRect();
  dl->PopClipRect();
}

// [SECTION] 2-D plane ---------------------------------------------------------------------------

namespace {

enum class Marker { kDetailed, kPlain, kSquare };

void draw_marker(ImDrawList* dl, ImVec2 p, float r, float ring, ImU32 fill, bool test, Marker m) {
  switch (m) {
    case Marker::kDetailed:
      if (test) {
        dl->AddCircle(p, r, kInk, 10, ring + 2.0f);
        dl->AddCircle(p, r, fill, 10, ring);
      } else {
        dl->AddCircleFilled(p, r, fill, 10);
        dl->AddCircle(p, r, kInk, 10, 1.0f);
      }
      break;
    case Marker::kPlain:
      if (test)
        dl->AddCircle(p, r, fill, 8, ring);
      else
        dl->AddCircleFilled(p, r, fill, 8);
      break;
    case Marker::kSquare: {
      const ImVec2 h(r * 0.8f, r * 0.8f);
      if (test)
        dl->AddRect(ImVec2(p.x - h.x, p.y - h.y), ImVec2(p.x + h.x, p.y + h.y), fill, 0.0f, 0, ring);
      else
        dl->AddRectFilled(ImVec2(p.x - h.x, p.y - h.y), ImVec2(p.x + h.x, p.y + h.y), fill);
      break;
    }
  }
}

// A usable axis range from the caller's ends: non-finite → [-1, 1], empty → a unit around the value.
void sane_range(float a, float b, double* lo, double* hi) {
  *lo = a, *hi = b;
  if (!std::isfinite(*lo) || !std::isfinite(*hi)) *lo = -1.0, *hi = 1.0;
  if (*lo == *hi) *lo -= 0.5, *hi += 0.5;
}

}  // namespace

PlaneHit plane_plot(const char* id, ImTextureID surface, ImVec2 size, float x0, float x1, float y0, float y1,
                    const std::vector<PlotPoint>& points, bool show_train, bool show_test, bool keep_aspect) {
  PlaneHit hit;
  const float font = ImGui::GetFontSize(), pad = font * 0.3f, tick = font * 0.3f;
  Box box;
  if (!begin_widget(id, resolve_size(size, -1.0f, -1.0f), &box)) return hit;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = theme_ink();

  double ax, bx, ay, by;  // data at the left, right, bottom and top edges (reversed ranges allowed)
  sane_range(x0, x1, &ax, &bx);
  sane_range(y0, y1, &ay, &by);
  const double xmin = std::min(ax, bx), xmax = std::max(ax, bx), ymin = std::min(ay, by), ymax = std::max(ay, by);

  // Layout: y tick labels (measured at the tallest plot) on the left, one row of x labels below.
  float top = box.min.y + font * 0.6f, bottom = box.max.y - font - tick - pad;
  Ticks yt;
  linear_ticks(ymin, ymax, int((bottom - top) / (font * 2.2f)), &yt);
  float ylab_w = 0;
  char buf[24];
  for (int i = 0; i < yt.n; ++i) {
    format_tick(yt.val[i], yt.step, std::max(std::fabs(ymin), std::fabs(ymax)), buf, sizeof buf);
    ylab_w = std::max(ylab_w, ImGui::CalcTextSize(buf).x);
  }
  float left = box.min.x + pad + ylab_w + pad + tick, right = box.max.x - font * 0.75f;
  if (right - left < font || bottom - top < font) return hit;
  if (keep_aspect) {
    const double aspect = (xmax - xmin) / (ymax - ymin);
    const float w = right - left, h = bottom - top;
    if (w > h * aspect)
      left += (w - float(h * aspect)) * 0.5f, right = left + float(h * aspect);
    else
      top += (h - float(w / aspect)) * 0.5f, bottom = top + float(w / aspect);
    if (right - left < 1.0f || bottom - top < 1.0f) return hit;
    linear_ticks(ymin, ymax, int((bottom - top) / (font * 2.2f)), &yt);
  }
  const ImVec2 pmin(left, top), pmax(right, bottom);
  const Map mx{ax, bx, left, right}, my{ay, by, bottom, top};
  hit.plot_min = pmin;
  hit.plot_max = pmax;

  dl->PushClipRect(box.min, box.max, true);
  if (surface)
    dl->AddImage(surface, pmin, pmax);
  else
    dl->AddRectFilled(pmin, pmax, ink.faint);
  dl->AddRect(pmin, pmax, ink.axis);
  for (int i = 0; i < yt.n; ++i) {
    const float py = std::round(my.px(yt.pos[i]));
    dl->AddLine(ImVec2(left - tick, py), ImVec2(left, py), ink.axis);
    format_tick(yt.val[i], yt.step, std::max(std::fabs(ymin), std::fabs(ymax)), buf, sizeof buf);
    dl->AddText(ImVec2(left - tick - pad - ImGui::CalcTextSize(buf).x, py - font * 0.5f), ink.dim, buf);
  }
  Ticks xt;
  linear_ticks(xmin, xmax, int((right - left) / (font * 4.0f)), &xt);
  float last_right = -INFINITY;
  for (int i = 0; i < xt.n; ++i) {
    const float px = std::round(mx.px(xt.pos[i]));
    dl->AddLine(ImVec2(px, bottom), ImVec2(px, bottom + tick), ink.axis);
    format_tick(xt.val[i], xt.step, std::max(std::fabs(xmin), std::fabs(xmax)), buf, sizeof buf);
    const float w = ImGui::CalcTextSize(buf).x, lx = std::clamp(px - w * 0.5f, box.min.x, box.max.x - w);
    if (lx < last_right + font * 0.5f) continue;
    dl->AddText(ImVec2(lx, bottom + tick), ink.dim, buf);
    last_right = lx + w;
  }

  // Points: the marker detail (then a stride) that keeps this plot near kPlaneVertexBudget vertices.
  auto shown = [&](const PlotPoint& p) { return (p.test ? show_test : show_train) && std::isfinite(p.x) && std::isfinite(p.y); };
  int n_shown = 0;
  for (const PlotPoint& p : points) n_shown += shown(p) ? 1 : 0;
  Marker marker = Marker::kDetailed;
  int stride = 1;
  if (n_shown * kMarkerCostDetailed > kPlaneVertexBudget) marker = Marker::kPlain;
  if (n_shown * kMarkerCostPlain > kPlaneVertexBudget) {
    marker = Marker::kSquare;
    stride = std::max(1, (n_shown * kMarkerCostSquare + kPlaneVertexBudget - 1) / kPlaneVertexBudget);
  }
  const float r = std::max(2.0f, font * 0.28f), ring = std::max(1.0f, std::round(r * 0.45f));
  auto fill_of = [](const PlotPoint& p) { return p.cls >= 0 ? class_color(p.cls) : diverging_color(p.value); };
  dl->PushClipRect(pmin, pmax, true);
  for (int pass = 0; pass < 2; ++pass) {  // test points on top of train points
    int k = 0;
    for (const PlotPoint& p : points) {
      if (p.test != (pass == 1) || !shown(p)) continue;
      if (k++ % stride) continue;
      draw_marker(dl, ImVec2(mx.px(p.x), my.px(p.y)), r, ring, fill_of(p), p.test, marker);
    }
  }

  if (box.hovered && mouse_in(pmin, pmax)) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    hit.hovered = true;
    hit.clicked = box.clicked;
    hit.x = float(mx.data(m.x));
    hit.y = float(my.data(m.y));
    const float reach = std::max(r + 2.0f, font * 0.5f);
    float best = reach * reach;
    for (size_t i = 0; i < points.size(); ++i) {
      if (!shown(points[i])) continue;
      const float dx = mx.px(points[i].x) - m.x, dy = my.px(points[i].y) - m.y;
      if (dx * dx + dy * dy <= best) best = dx * dx + dy * dy, hit.nearest = int(i);
    }
    if (hit.nearest >= 0) {
      const PlotPoint& p = points[hit.nearest];
      dl->AddCircle(ImVec2(mx.px(p.x), my.px(p.y)), r + ring + 1.5f, ink.text, 16, std::max(1.0f, std::round(font / 10.0f)));
    }
  }
  dl->PopClipRect();
  dl->PopClipRect();
  return hit;
}

// [SECTION] confusion matrix --------------------------------------------------------------------

bool confusion_matrix(const char* id, const std::vector<int>& counts, int K, const std::vector<std::string>& names, ImVec2 size,
                      int* true_k, int* pred_k) {
  const float font = ImGui::GetFontSize(), pad = font * 0.3f;
  Box box;
  if (!begin_widget(id, resolve_size(size, -1.0f, -1.0f), &box)) return false;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = theme_ink();
  dl->PushClipRect(box.min, box.max, true);
  const bool sized = K > 0 && counts.size() >= size_t(K) * size_t(K);
  IM_ASSERT((K <= 0 || sized) && "confusion_matrix: counts must hold K*K values (row = true, column = predicted)");
  if (!sized) {
    centred_text(dl, box.min, box.max, ink.dim, "no data");
    dl->PopClipRect();
    return false;
  }

  char num[2][16];
  auto name_of = [&](int k, char* b) -> const char* {
    if (size_t(k) < names.size() && !names[k].empty()) return names[k].c_str();
    std::snprintf(b, 16, "%d", k);
    return b;
  };
  float names_w = 0;
  for (int k = 0; k < K; ++k) names_w = std::max(names_w, ImGui::CalcTextSize(name_of(k, num[0])).x);
  const float label_w = std::max(std::min(names_w, box.w() * 0.3f), ImGui::CalcTextSize("true").x);
  const float gx = box.min.x + pad + label_w + pad, gy = box.min.y + font * 2.0f + pad;
  float cell = std::min((box.max.x - pad - gx) / float(K), (box.max.y - pad - gy) / float(K));
  if (cell >= 3.0f) cell = std::floor(cell);
  if (cell < 1.0f) {
    dl->PopClipRect();
    return false;
  }
  const float grid = cell * float(K), gap = cell >= 8.0f ? 1.0f : 0.0f;

  // Titles and labels (every n-th when cells are smaller than the text).
  const ImVec2 title = ImGui::CalcTextSize("predicted");
  dl->AddText(ImVec2(std::max(gx, gx + (grid - title.x) * 0.5f), box.min.y), ink.dim, "predicted");
  dl->AddText(ImVec2(std::max(box.min.x, gx - pad - ImGui::CalcTextSize("true").x), box.min.y + font), ink.dim, "true");
  const int row_every = std::max(1, int(std::ceil(font * 1.05f / cell)));
  const int col_every = std::max(1, int(std::ceil(std::min(names_w + pad, font * 3.0f) / cell)));
  for (int k = 0; k < K; ++k) {
    const char* s = name_of(k, num[0]);
    if (k % row_every == 0) {
      const float w = ImGui::CalcTextSize(s).x, y = gy + cell * (float(k) + 0.5f) - font * 0.5f;
      clipped_text(dl, ImVec2(std::max(box.min.x + pad, gx - pad - w), y), box.min.x, gx - pad, ink.text, s);
    }
    if (k % col_every == 0) {
      const float span = cell * float(col_every), w = ImGui::CalcTextSize(s).x;
      const float x = gx + cell * float(k) + std::max(0.0f, (std::min(span, cell) - w) * 0.5f);
      clipped_text(dl, ImVec2(x, gy - font - pad * 0.5f), gx + cell * float(k), gx + cell * float(k) + span, ink.text, s);
    }
  }

  // Cells, shaded by share of their row, with counts where they fit.
  for (int r = 0; r < K; ++r) {
    long long row_total = 0;
    for (int c = 0; c < K; ++c) row_total += counts[size_t(r) * K + c];
    for (int c = 0; c < K; ++c) {
      const int n = counts[size_t(r) * K + c];
      const ImU32 col = sequential_color(row_total > 0 ? float(double(n) / double(row_total)) : 0.0f);
      const ImVec2 a(gx + cell * float(c), gy + cell * float(r)), b(a.x + cell - gap, a.y + cell - gap);
      dl->AddRectFilled(a, b, col);
      if (cell < font) continue;
      std::snprintf(num[1], sizeof num[1], "%d", n);
      ImVec2 ts = ImGui::CalcTextSize(num[1]);
      if (ts.x > cell - 2.0f) {
        format_tick(double(n), 1.0, std::fabs(double(n)), num[1], sizeof num[1]);  // 12345 → 12k
        ts = ImGui::CalcTextSize(num[1]);
        if (ts.x > cell - 2.0f) continue;
      }
      dl->AddText(ImVec2(a.x + (cell - gap - ts.x) * 0.5f, a.y + (cell - gap - ts.y) * 0.5f), text_on(col), num[1]);
    }
  }

  bool clicked = false;
  if (box.hovered && mouse_in(ImVec2(gx, gy), ImVec2(gx + grid, gy + grid))) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int c = std::clamp(int((m.x - gx) / cell), 0, K - 1), r = std::clamp(int((m.y - gy) / cell), 0, K - 1);
    const ImVec2 a(gx + cell * float(c), gy + cell * float(r));
    dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), ink.text, 0.0f, 0, std::max(1.0f, std::round(font / 8.0f)));
    long long row_total = 0;
    for (int j = 0; j < K; ++j) row_total += counts[size_t(r) * K + j];
    const int n = counts[size_t(r) * K + c];
    ImGui::SetTooltip("true: %s\npredicted: %s\ncount: %d (%.1f%% of true %s)", name_of(r, num[0]), name_of(c, num[1]), n,
                      row_total > 0 ? 100.0 * double(n) / double(row_total) : 0.0, name_of(r, num[0]));
    if (box.clicked) {
      if (true_k) *true_k = r;
      if (pred_k) *pred_k = c;
      clicked = true;
    }
  }
  dl->PopClipRect();
  return clicked;
}

// [SECTION] histogram ---------------------------------------------------------------------------

void histogram(const char* id, const std::vector<float>& values, int bins, ImVec2 size, ImU32 color) {
  const float font = ImGui::GetFontSize(), pad = font * 0.3f;
  Box box;
  if (!begin_widget(id, resolve_size(size, -1.0f, font * 6.0f), &box)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = theme_ink();
  dl->PushClipRect(box.min, box.max, true);

  bins = std::clamp(bins, 1, kMaxHistogramBins);
  double lo = INFINITY, hi = -INFINITY;
  int n = 0;
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, double(v)), hi = std::max(hi, double(v));
    ++n;
  }
  if (n == 0) {
    centred_text(dl, box.min, box.max, ink.dim, "no data");
    dl->PopClipRect();
    return;
  }
  if (!(hi > lo)) lo -= 0.5, hi += 0.5;
  int count[kMaxHistogramBins] = {};
  int top_count = 0;
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    const int b = std::clamp(int((double(v) - lo) / (hi - lo) * bins), 0, bins - 1);
    top_count = std::max(top_count, ++count[b]);
  }

  const ImVec2 a(box.min.x + pad, box.min.y + pad), b(box.max.x - pad, box.max.y - font - pad * 2.0f);
  if (b.x - a.x < 1.0f || b.y - a.y < 1.0f) {
    dl->PopClipRect();
    return;
  }
  const float bw = (b.x - a.x) / float(bins), gap = bw >= 3.0f ? 1.0f : 0.0f;
  int hovered = -1;
  if (box.hovered && mouse_in(ImVec2(a.x, box.min.y), ImVec2(b.x, box.max.y)))
    hovered = std::clamp(int((ImGui::GetIO().MousePos.x - a.x) / bw), 0, bins - 1);
  const ImU32 base = color ? color : class_color(0);
  for (int i = 0; i < bins; ++i) {
    if (count[i] == 0 && i != hovered) continue;
    const float h = (b.y - a.y) * float(count[i]) / float(top_count);
    const ImVec2 p0(a.x + bw * float(i), b.y - std::max(h, count[i] ? 1.0f : 0.0f)), p1(a.x + bw * float(i + 1) - gap, b.y);
    if (i == hovered) dl->AddRectFilled(ImVec2(p0.x, a.y), p1, ink.grid);
    dl->AddRectFilled(p0, p1, i == hovered ? base : with_alpha(base, 0.8f));
  }
  dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, b.y), ink.axis);

  char lab[32];
  std::snprintf(lab, sizeof lab, "%.4g", lo);
  dl->AddText(ImVec2(a.x, b.y + pad), ink.dim, lab);
  const float lo_w = ImGui::CalcTextSize(lab).x;
  std::snprintf(lab, sizeof lab, "%.4g", hi);
  const float hi_w = ImGui::CalcTextSize(lab).x;
  if (b.x - hi_w > a.x + lo_w + font * 0.5f) dl->AddText(ImVec2(b.x - hi_w, b.y + pad), ink.dim, lab);

  if (hovered >= 0) {
    const double b0 = lo + (hi - lo) * hovered / bins, b1 = lo + (hi - lo) * (hovered + 1) / bins;
    ImGui::SetTooltip("[%.4g, %.4g%c: %d\n%d values, %d skipped (NaN/inf)", b0, b1, hovered == bins - 1 ? ']' : ')', count[hovered], n,
                      int(values.size()) - n);
  }
  dl->PopClipRect();
}

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
