// plot_chart.cpp — [SECTION] line chart · [SECTION] histogram (plots.h)
#include "widgets/plot_common.h"

namespace lab::ui {

using namespace plot_detail;

// [SECTION] line chart --------------------------------------------------------------------------

namespace {

// Index-safe view of a Series (x may be empty: x = index), on an x axis that may be logarithmic and may
// start at `from` (the samples before it are skipped, found by bisection: x is non-decreasing).
struct SeriesView {
  const Series& s;
  int n, begin = 0;
  bool log_x;
  double from;
  SeriesView(const Series& s_, bool log_x_ = false, double from_ = -INFINITY)
      : s(s_), n(int(s_.x.empty() ? s_.y.size() : std::min(s_.x.size(), s_.y.size()))), log_x(log_x_), from(from_) {
    if (!std::isfinite(from)) return;
    if (s.x.empty())
      begin = std::clamp(int(std::ceil(from)), 0, n);
    else
      begin = int(std::lower_bound(s.x.data(), s.x.data() + n, float(from)) - s.x.data());
  }
  double x(int i) const { return s.x.empty() ? double(i) : double(s.x[i]); }
  bool x_ok(int i) const {
    const double v = x(i);
    return std::isfinite(v) && v >= from && (!log_x || v > 0);
  }
  double ax(int i) const { return log_x ? std::log10(x(i)) : x(i); }  // x in axis space
};

bool usable(float y, bool log_y) { return std::isfinite(y) && (!log_y || y > 0.0f); }
double axis_y(float y, bool log_y) { return log_y ? std::log10(double(y)) : double(y); }
ImU32 series_color(const Series& s, size_t k) { return s.color ? s.color : class_color(int(k)); }

// The drawable sample nearest `target` (a data x, not axis space) in x (x non-decreasing), looking past
// gaps; -1 if none.
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
  auto ok = [&](int j) { return j >= 0 && j < v.n && usable(v.s.y[j], log_y) && v.x_ok(j); };
  for (int d = 0; d < kNearestSearchSpan; ++d) {
    if (ok(i - d)) return i - d;
    if (ok(i + d)) return i + d;
  }
  return -1;
}

// Lays out the legend of named series in [x0, x1] from y0, drawing it when dl != nullptr; returns its height.
float legend(ImDrawList* dl, const std::vector<Series>& series, float x0, float x1, float y0, ImU32 text, const char* title = nullptr,
             ImU32 dim = 0) {
  const float font = ImGui::GetFontSize(), row_h = font * 1.3f, swatch = font * 1.1f, gap = font * 0.3f;
  float x = x0;
  int row = 0;
  bool any = false;
  if (title && *title) {
    if (dl) dl->AddText(ImVec2(x, y0 + row_h * 0.5f - font * 0.5f), dim, title);
    x += ImGui::CalcTextSize(title).x + font * 0.9f;
    any = true;
  }
  for (size_t k = 0; k < series.size(); ++k) {
    if (series[k].name.empty()) continue;
    const std::string label = series[k].now.empty() ? series[k].name : series[k].name + " " + series[k].now;
    const char* name = label.c_str();
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
void draw_series(ImDrawList* dl, const SeriesView& v, ImU32 col, const Map& mx, const Map& my, bool log_y, float thick) {
  const Series& s = v.s;
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
  for (int i = v.begin; i < v.n; ++i) {
    if (!v.x_ok(i)) continue;  // before the window, or x ≤ 0 on a log axis: not a gap in the data
    if (!usable(s.y[i], log_y)) {
      stroke();
      continue;
    }
    const float px = mx.px(v.ax(i)), py = std::clamp(my.px(axis_y(s.y[i], log_y)), -1e6f, 1e6f);
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
  line_chart(id, series, size, ChartOptions{.log_y = log_y, .x_label = x_label, .y_min = y_min, .y_max = y_max});
}

void line_chart(const char* id, const std::vector<Series>& series, ImVec2 size, const ChartOptions& o) {
  const bool log_y = o.log_y, log_x = o.log_x;
  const char* x_label = o.x_label;
  const float y_min = o.y_min, y_max = o.y_max;
  std::vector<SeriesView> views;
  views.reserve(series.size());
  for (const Series& s : series) views.emplace_back(s, log_x, o.x_from);
  const float font = ImGui::GetFontSize(), pad = font * 0.3f, tick = font * 0.3f;
  Box box;
  if (!begin_widget(id, resolve_size(size, -1.0f, font * 12.0f), &box)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = theme_ink();

  // Data extent (y in axis space).
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (const SeriesView& v : views) {
    for (int i = v.begin; i < v.n; ++i) {
      if (!usable(v.s.y[i], log_y) || !v.x_ok(i)) continue;
      const double x = v.ax(i), y = axis_y(v.s.y[i], log_y);
      xlo = std::min(xlo, x), xhi = std::max(xhi, x), ylo = std::min(ylo, y), yhi = std::max(yhi, y);
    }
  }

  dl->PushClipRect(box.min, box.max, true);
  const float legend_h = legend(nullptr, series, box.min.x + pad, box.max.x - pad, box.min.y, ink.text, o.title, ink.dim);
  if (legend_h > 0) legend(dl, series, box.min.x + pad, box.max.x - pad, box.min.y, ink.text, o.title, ink.dim);
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
  if (log_x)
    log_ticks(xlo, xhi, int((right - left) / (font * 4.0f)), &xt);
  else
    linear_ticks(xlo, xhi, int((right - left) / (font * 6.0f)), &xt);
  const double x_mag = log_x ? std::pow(10.0, std::max(std::fabs(xlo), std::fabs(xhi))) : std::max(std::fabs(xlo), std::fabs(xhi));
  float last_right = -INFINITY;
  for (int i = 0; i < xt.n; ++i) {
    const float px = std::round(mx.px(xt.pos[i]));
    dl->AddLine(ImVec2(px, top), ImVec2(px, bottom), ink.grid);
    dl->AddLine(ImVec2(px, bottom), ImVec2(px, bottom + tick), ink.axis);
    char buf[24];
    format_tick(xt.val[i], xt.step, x_mag, buf, sizeof buf);
    const float w = ImGui::CalcTextSize(buf).x, lx = std::max(box.min.x, px - w * 0.5f);
    if (lx < last_right + font * 0.5f || lx + w > label_limit) continue;  // would overlap: grid line only
    dl->AddText(ImVec2(lx, label_y), ink.dim, buf);
    last_right = lx + w;
  }
  dl->AddLine(ImVec2(left, top), ImVec2(left, bottom), ink.axis);
  dl->AddLine(ImVec2(left, bottom), ImVec2(right, bottom), ink.axis);

  const float thick = std::max(1.0f, std::round(font / 8.0f));  // integral: ImGui's cheap textured lines
  dl->PushClipRect(ImVec2(left - thick, top - thick), ImVec2(right + thick, bottom + thick), true);
  for (size_t k = 0; k < series.size(); ++k) draw_series(dl, views[k], series_color(series[k], k), mx, my, log_y, thick);

  // Hover: a cursor at the sample x nearest the mouse, each series' nearest value in a tooltip.
  if (box.hovered && mouse_in(ImVec2(left, top), ImVec2(right, bottom))) {
    const double at = mx.data(ImGui::GetIO().MousePos.x), target = log_x ? std::pow(10.0, at) : at;
    double cursor = NAN, best = INFINITY;  // in axis space
    for (const SeriesView& v : views) {
      const int j = nearest_valid(v, target, log_y);
      if (j >= 0 && std::fabs(v.ax(j) - at) < best) best = std::fabs(v.ax(j) - at), cursor = v.ax(j);
    }
    if (std::isfinite(cursor) && ImGui::BeginTooltip()) {
      const float cx = std::round(mx.px(cursor));
      const double cursor_x = log_x ? std::pow(10.0, cursor) : cursor;
      dl->AddLine(ImVec2(cx, top), ImVec2(cx, bottom), ink.axis);
      char xbuf[32], vbuf[32];
      format_value(cursor_x, xbuf, sizeof xbuf);
      ImGui::Text("%s %s", x_label && *x_label ? x_label : "x", xbuf);
      for (size_t k = 0; k < series.size(); ++k) {
        const SeriesView& v = views[k];
        const int j = nearest_valid(v, cursor_x, log_y);
        if (j < 0 || std::fabs(mx.px(v.ax(j)) - cx) > font * 3.0f) continue;  // no sample near the cursor
        const ImU32 col = series_color(series[k], k);
        const ImVec2 p(mx.px(v.ax(j)), my.px(axis_y(series[k].y[j], log_y)));
        dl->AddCircleFilled(p, thick * 2.0f, col, 12);
        dl->AddCircle(p, thick * 2.0f, ink.text, 12);
        tooltip_swatch(col);
        std::snprintf(vbuf, sizeof vbuf, "%.4g", double(series[k].y[j]));
        if (series[k].name.empty())
          ImGui::Text("series %d: %s", int(k), vbuf);
        else
          ImGui::Text("%s: %s", series[k].name.c_str(), vbuf);
        if (v.ax(j) != cursor) {
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

}  // namespace lab::ui
