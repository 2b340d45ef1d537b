// NeuronLab UI — chart widgets drawn with ImDrawList (there is no ImPlot): colour maps, a line chart, a
// 2-D plane with points over a decision surface, a confusion matrix, a histogram, image tiles and a bar
// list, plus the pixel converters that turn tensors into RGBA for textures (ui/texture.h).
//
//   std::vector<lab::ui::Series> s = {{"train loss", steps, train_loss, lab::ui::class_color(0)},
//                                     {"test loss", eval_steps, test_loss, lab::ui::class_color(1)}};
//   lab::ui::line_chart("##loss", s, ImVec2(0, 0), /*log_y=*/true);       // full width, default height
//
//   signed_to_rgba(surface.data(), 64 * 64, 1.0f, rgba_);                  // (64,64) in [-1,1] → pixels
//   ImTextureID t = textures.update("surface", rgba_.data(), 64, 64, /*smooth=*/true);
//   PlaneHit hit = plane_plot("##plane", t, ImVec2(0, 0), -6, 6, -6, 6, points, true, true);
//   if (hit.hovered && hit.nearest >= 0) ImGui::SetTooltip("point %d", hit.nearest);
//
// Conventions shared by every widget:
// - `id` is the ImGui label of the one item the widget submits (an InvisibleButton), so it must be unique
//   in its ID scope; use "##name" to keep it out of sight (ui_probe strips the "##" part). The item covers
//   the whole widget, so ImGui::IsItemHovered() / SetItemTooltip() / SameLine() work after the call.
// - `size` is in pixels, following ImGui's CalcItemSize rule: a component > 0 is used as is; 0 means the
//   default (width: the available width; height: what the widget's comment says); < 0 means the available
//   extent plus that (negative) amount, e.g. ImVec2(-FLT_MIN, -FLT_MIN) fills the region. The result is
//   clamped to at least 1×1 px; a widget too small for its axes just reserves its space.
// - Everything is sized from ImGui::GetFontSize(), and axes, grid and text use the current style's colours
//   (ImGuiCol_Text, ImGuiCol_TextDisabled, ImGuiCol_FrameBg), so widgets follow the UI scale and the
//   dark/light theme. Data colours come from the Okabe–Ito colour-blind-safe palette.
// - Inputs are borrowed for the duration of the call only; nothing is retained between frames and nothing
//   is allocated per frame (scratch lives on the stack). Off-screen (clipped) widgets only reserve space.
// - Vertex budget: with WebGL, ImGui uses 16-bit indices without VtxOffset, so one window's draw list holds
//   at most 65 536 vertices. Line charts draw at most two points per pixel column per series, and
//   plane_plot lowers the detail of its markers (and then subsamples them) to stay near 24 000 vertices.
#pragma once
#include <cmath>  // NAN
#include <cstdint>
#include <string>
#include <vector>

#include "imgui.h"

namespace lab::ui {

// [SECTION] colours ---------------------------------------------------------------------------------

// Class colour k (k ≥ 0) from the Okabe–Ito palette: blue, orange, bluish green, vermillion, sky blue,
// reddish purple, yellow, light grey (instead of black so it shows on dark themes). Past 8 classes it
// wraps with a darker (k = 8..15) then lighter (16..23) variant of the same hues, then repeats; k < 0
// gives a neutral grey. alpha in [0, 1]. The first 10 stay at least 15 ΔE*ab apart under normal vision
// and simulated protanopia, deuteranopia and tritanopia (tests/e2e/accessibility.test.mjs).
ImU32 class_color(int k, float alpha = 1.0f);

// Diverging map for signed values: v in [-1, 1] (clamped; NaN → 0): orange (−1) → light grey (0) →
// blue (+1). Colour-blind safe (Okabe–Ito ends). Used for regression targets, weights and attributions.
ImU32 diverging_color(float v, float alpha = 1.0f);

// Sequential map: t in [0, 1] (clamped; NaN → 0) → viridis (dark purple → teal → yellow), perceptually
// uniform and colour-blind safe. Used for confusion-matrix cells and other magnitudes.
ImU32 sequential_color(float t, float alpha = 1.0f);

// Contrast (WCAG 2): the theme sets the page's opaque background behind the windows; window_background()
// is the theme's WindowBg over it. contrast_ratio() is WCAG's (1 … 21). readable_on() moves col toward
// black (light backgrounds) or white (dark ones), keeping its hue, until its contrast with bg is at least
// `ratio` (4.5: WCAG AA for text). text_tone(col): col made readable on the window background — every
// coloured text (errors, notes, status) goes through it.
void set_page_background(ImU32 bg);
ImU32 page_background();
ImU32 composite(ImU32 fg, ImU32 bg);  // fg (its alpha) over an opaque bg
ImU32 window_background();
float contrast_ratio(ImU32 a, ImU32 b);
ImU32 readable_on(ImU32 col, ImU32 bg, float ratio = 4.5f);
ImU32 text_tone(ImU32 col);

// [SECTION] line chart ------------------------------------------------------------------------------

// One curve of a line chart. x must be non-decreasing (training steps, epochs); when x is empty, y[i] is
// drawn at x = i. If both are given, the first min(x.size(), y.size()) points are used. NaN or ±inf y
// values are gaps (the line breaks there); an isolated point is drawn as a dot. color 0 means
// class_color(index of the series). An empty name keeps the series out of the legend.
struct Series {
  std::string name;
  std::vector<float> x, y;
  ImU32 color = 0;
  std::string now;  // shown after the name in the legend only (the latest value, say)
};

// Line chart of several series sharing one x axis, framed by axes with readable ticks (1, 2, 5 × 10^k
// steps; decades when log_y), and a legend row above the plot for named series. Hovering shows a vertical
// cursor at the data x nearest the mouse and a tooltip with every series' value there (a series sampled
// elsewhere shows its nearest point and that point's x).
//   size    default height: 12 font sizes.
//   log_y   log10 y axis; non-positive values are gaps.
//   x_label name of the x axis, drawn at the right end of the tick labels and used in the tooltip
//           (nullptr or "" for none).
//   y_min, y_max  fix the y range (e.g. 0 and 1 for accuracy); NaN (default) = fit the data. On a log
//           axis, non-positive limits are ignored.
// With no drawable point at all it shows "no data".
void line_chart(const char* id, const std::vector<Series>& series, ImVec2 size, bool log_y, const char* x_label = "step", float y_min = NAN,
                float y_max = NAN);
// The same with every option: besides the above, a log10 x axis (x ≤ 0 is left out) and a window that
// starts at x_from (the zoom to the recent part of a run: the axes fit what is in the window).
struct ChartOptions {
  bool log_y = false, log_x = false;
  double x_from = -INFINITY;
  const char* x_label = "step";
  float y_min = NAN, y_max = NAN;
  const char* title = nullptr;  // what the chart shows ("loss"), at the start of the legend row
};
void line_chart(const char* id, const std::vector<Series>& series, ImVec2 size, const ChartOptions& options);

// [SECTION] 2-D plane -------------------------------------------------------------------------------

// A 2-D data point. cls ≥ 0: a class, filled with class_color(cls). cls < 0: a regression point, filled
// with diverging_color(value) (so value should be in [-1, 1]). test: drawn as a ring instead of a disc.
struct PlotPoint {
  float x, y;
  int cls;
  float value;
  bool test;
};

// What the mouse did on a plane_plot this frame. x, y: the mouse in data coordinates (valid when
// hovered). nearest: index into `points` of the shown point nearest the mouse within ~half a font size
// of it, else -1. clicked: left click released over the data rectangle this frame. plot_min/plot_max:
// the data rectangle on screen (zero-sized when nothing was drawn), so a caller can mark data points on top:
// screen x = plot_min.x + (x − x0) / (x1 − x0) × (plot_max.x − plot_min.x), y likewise from y1 down.
struct PlaneHit {
  bool hovered = false, clicked = false;
  float x = 0, y = 0;
  int nearest = -1;
  ImVec2 plot_min = ImVec2(0, 0), plot_max = ImVec2(0, 0);
};

// A 2-D plane showing the data rectangle [x0, x1] × [y0, y1] (y up) with ticks on the left and bottom.
// `surface` (ImTextureID(0) = none) is stretched over the whole rectangle; its top row is y = y1 and its
// left column x = x0, matching ui/texture.h's row order. Points (train if show_train, test if show_test)
// are drawn on top with a dark outline; the point nearest the mouse gets a highlight ring.
//   size         default height: the resolved width (a square).
//   keep_aspect  when true, the rectangle keeps the data's aspect ratio (one unit is as long on both
//                axes) and is centred in the widget; when false it fills the widget.
// x0 == x1 or y0 == y1 is drawn as a unit-wide range around that value. Returns what the mouse did.
PlaneHit plane_plot(const char* id, ImTextureID surface, ImVec2 size, float x0, float x1, float y0, float y1,
                    const std::vector<PlotPoint>& points, bool show_train, bool show_test, bool keep_aspect = true);

// [SECTION] confusion matrix ------------------------------------------------------------------------

// Confusion matrix of K classes: counts is K×K row-major (row = true class, column = predicted class;
// counts.size() must be ≥ K*K, else it asserts and draws nothing). Square cells are shaded with
// sequential_color(count / row total), with the count written in a cell when it fits; names label the
// rows (left, "true") and columns (top, "predicted"), falling back to the class index when names is
// shorter than K; labels are thinned out when cells are smaller than the font. Hover highlights a cell and
// shows a tooltip (classes, count, share of the row).
//   size    default height: the resolved width (the grid is square and fits inside).
// Returns true on the frame a cell is clicked, and then sets *true_k (row) and *pred_k (column); either
// pointer may be nullptr. K ≤ 0 shows "no data".
bool confusion_matrix(const char* id, const std::vector<int>& counts, int K, const std::vector<std::string>& names, ImVec2 size,
                      int* true_k, int* pred_k);

// [SECTION] histogram -------------------------------------------------------------------------------

inline constexpr int kMaxHistogramBins = 256;  // bins are counted on the stack

// Histogram of `values` in `bins` equal bins (clamped to [1, kMaxHistogramBins]) spanning [min, max] of the
// finite values (NaN and ±inf are skipped; a constant input spans value ± 0.5). The min and max are
// labelled under the bars; hovering a bar shows its range and count, and how many values were skipped.
// color 0 means class_color(0).
//   size    default height: 6 font sizes.
void histogram(const char* id, const std::vector<float>& values, int bins, ImVec2 size, ImU32 color);

// [SECTION] pixels for textures ---------------------------------------------------------------------

// Converts an image tensor chw, shape (C,H,W) row-major, to H*W packed IM_COL32 pixels (top row first) in
// `out` (resized; its capacity is reused, so keep one vector per texture). Values map linearly from
// [lo, hi] to [0, 1] (clamped; lo ≥ hi maps everything to mid-grey; NaN → black).
//   channel ≥ 0        that channel as grey (must be < C).
//   channel < 0, C==3  the three channels as R, G, B.
//   channel < 0, else  channel 0 as grey.
// Empty shapes (C, H or W ≤ 0) or chw == nullptr leave `out` empty.
void image_to_rgba(const float* chw, int C, int H, int W, int channel, float lo, float hi, std::vector<uint32_t>& out);

// Converts n signed values (filters, weights, attributions) to n pixels: diverging_color(v / s), where
// s = scale when scale > 0 (share one scale between tiles to compare them) and s = max|v| otherwise
// (all-zero input → all neutral). The caller chooses the texture's w × h with w*h == n. `out` as above.
void signed_to_rgba(const float* v, int n, float scale, std::vector<uint32_t>& out);

// [SECTION] tiles and bars --------------------------------------------------------------------------

// A small image tile: `tex` (ImTextureID(0) draws an empty frame) at `size` (default: 4 font sizes
// square), with `caption` (nullptr or "" for none) centred on one line under it, shortened with "..."
// when too long (the full caption is then the hover tooltip). border: the colour of a frame around the
// image (0 = none), e.g. class_color(k) or green/vermillion for right/wrong. A hover outline marks it as
// clickable. Returns true on the frame it is clicked.
bool image_tile(const char* id, ImTextureID tex, ImVec2 size, const char* caption, ImU32 border);

// A horizontal bar list, one row per value (e.g. class probabilities): label on the left (index when
// labels is shorter than values), a bar of length values[i] (in [0, 1], clamped; NaN → empty bar) and the
// value as a percentage on the right. Row `highlight` (-1 for none) is drawn in the accent blue, the others
// in a neutral tone; hovering a row shows its exact value. width: as a size's x (0 = available width).
void bar_list(const char* id, const std::vector<std::string>& labels, const std::vector<float>& values, float width, int highlight = -1);

}  // namespace lab::ui
