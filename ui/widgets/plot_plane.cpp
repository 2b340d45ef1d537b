// plot_plane.cpp — [SECTION] 2-D plane · [SECTION] confusion matrix (plots.h)
#include "widgets/plot_common.h"

namespace lab::ui {

using namespace plot_detail;

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

}  // namespace lab::ui
