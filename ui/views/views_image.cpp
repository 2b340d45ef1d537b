// views_image.cpp — the views of image and table datasets: [SECTION] texture cache · [SECTION] helpers ·
// [SECTION] predictions · [SECTION] confusion · [SECTION] most confused · [SECTION] activations ·
// [SECTION] filters · [SECTION] tables · [SECTION] the view
//
// Images (input shape (C,H,W)) get five tabs: Predictions (a page of test samples, true → predicted),
// Confusion (the test confusion matrix; a click lists that cell's mistakes), Most confused (the wrong
// predictions the network is surest of), Activations (every layer's output for the selected sample) and
// Filters (conv kernels; the first dense layer's weights as images). Tables (input shape {F}) get the
// same tabs as tables of numbers, without Filters. Both get Attributions and Arena (attributions.h).
//
// Textures are keyed by tile ("pred/7", "act/2/5", ...) and re-uploaded only when the snapshot version
// changes, at most kUploadsPerFrame a frame (see TileCache).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "imgui.h"
#include "panels/panels.h"
#include "views/attributions.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {

constexpr ImU32 kRight = IM_COL32(0, 158, 115, 255);  // Okabe–Ito bluish green: a right prediction
constexpr ImU32 kWrong = IM_COL32(213, 94, 0, 255);   // Okabe–Ito vermillion: a wrong one
constexpr int kUploadsPerFrame = 64;                  // texture uploads one frame may start (the issue's budget per snapshot)
constexpr int kMaxChannels = 32;                      // activation maps drawn per layer
constexpr int kMaxCells = 256;                        // 1-D activations drawn per layer
constexpr int kMaxFilters = 32;                       // conv filters (rows) drawn per layer
constexpr int kMaxFilterChannels = 16;                // input channels (columns) drawn per filter
constexpr int kMaxUnitImages = 32;                    // first-dense-layer units drawn as images
constexpr int kMaxCellExamples = 24;                  // examples of one confusion cell
constexpr int kMaxTableFeatures = 6;                  // feature columns in the sample tables

// [SECTION] texture cache -------------------------------------------------------------------------

// The views' textures by key, with the snapshot version their pixels are from. While training, a new
// snapshot can arrive every frame, so uploads are rationed: past kUploadsPerFrame a stale tile keeps its
// old pixels and is owed; an owed tile is refreshed first thing on the next frame it is drawn, so no
// tile starves. Function-local static: the page has one App and one ImGui context.
struct TileCache {
  struct Entry {
    long long version = -1;
    ImTextureID id = 0;
    bool owed = false;
  };
  std::map<std::string, Entry> entries;
  std::vector<uint32_t> rgba;  // scratch pixels, reused
  int frame = -1, uploads = 0;
};

TileCache& tile_cache() {
  static TileCache t;
  return t;
}

// Texture `key` with pixels for `version`: fill(rgba, w, h) makes them when the cached ones are missing
// or stale (and the budget allows). A fill that leaves w*h pixels unset keeps the old texture (0 if none).
template <class Fill>
ImTextureID cached_texture(Textures& tex, const std::string& key, long long version, Fill&& fill) {
  TileCache& t = tile_cache();
  if (t.frame != ImGui::GetFrameCount()) {
    t.frame = ImGui::GetFrameCount();
    t.uploads = 0;
  }
  TileCache::Entry& e = t.entries[key];
  if (e.id && e.version == version) return e.id;
  if (e.id && !e.owed && t.uploads >= kUploadsPerFrame) {
    e.owed = true;
    return e.id;
  }
  int w = 0, h = 0;
  t.rgba.clear();
  fill(t.rgba, w, h);
  if (w <= 0 || h <= 0 || t.rgba.size() < (size_t)w * h) return e.id;
  e.id = tex.update(key, t.rgba.data(), w, h, /*smooth=*/false);
  e.version = version;
  e.owed = false;
  ++t.uploads;
  return e.id;
}

// [SECTION] helpers -------------------------------------------------------------------------------

struct ImageShape {
  int C = 0, H = 0, W = 0;
  size_t size() const { return (size_t)C * H * W; }
  bool ok() const { return C > 0 && H > 0 && W > 0; }
};

ImageShape image_shape(const std::vector<int>& s) {
  if (s.size() != 3 || s[0] <= 0 || s[1] <= 0 || s[2] <= 0) return {};
  return {s[0], s[1], s[2]};
}

size_t shape_count(const std::vector<int>& s) {
  size_t n = 1;
  for (int d : s) n *= (size_t)std::max(d, 0);
  return s.empty() ? 0 : n;
}

std::string shape_text(const std::vector<int>& s) {
  std::string t;
  for (size_t i = 0; i < s.size(); ++i) t += (i ? "×" : "") + std::to_string(s[i]);
  return t;
}

std::string class_name(const Snapshot& v, int k) {
  if (k >= 0 && k < (int)v.class_names.size()) return v.class_names[k];
  return std::to_string(k);
}

// The predicted class of one output row of K logits (one logit: a binary task, class 1 when > 0).
int predicted_class(const float* o, int K) {
  if (K <= 0) return -1;
  if (K == 1) return o[0] > 0 ? 1 : 0;
  return (int)(std::max_element(o, o + K) - o);
}

// Class probabilities of one output row (softmax; one logit: {1 − σ, σ}).
void class_probs(const float* o, int K, std::vector<float>& p) {
  p.clear();
  if (K <= 0) return;
  if (K == 1) {
    const float s = 1.0f / (1.0f + std::exp(-o[0]));
    p = {1.0f - s, s};
    return;
  }
  const float mx = *std::max_element(o, o + K);
  double sum = 0;
  p.resize(K);
  for (int k = 0; k < K; ++k) sum += (p[k] = std::exp(o[k] - mx));
  for (float& x : p) x = (float)(x / sum);
}

// "2: conv2d (relu) 8×28×28"
std::string layer_label(int i, const LayerView& L) {
  std::string t = std::to_string(i) + ": ";
  if (L.type == "activation" && !L.activation.empty())
    t += L.activation;
  else
    t += L.type + (L.activation.empty() || L.activation == "linear" ? "" : " (" + L.activation + ")");
  return t + " " + shape_text(L.out_shape);
}

// An activation map as pixels: non-negative values on viridis from 0 to the map's max (so a dead map is
// dark), signed ones diverging around 0, scaled by the map's max |value|.
void map_pixels(const float* a, int n, std::vector<uint32_t>& out) {
  float mn = 0, mx = 0;
  for (int k = 0; k < n; ++k)
    if (std::isfinite(a[k])) mn = std::min(mn, a[k]), mx = std::max(mx, a[k]);
  if (mn < 0) {
    signed_to_rgba(a, n, 0.0f, out);
    return;
  }
  const float hi = mx > 0 ? mx : 1.0f;
  out.resize(n);
  for (int k = 0; k < n; ++k) out[k] = sequential_color(a[k] / hi);
}

// The largest tile side (between lo and hi) at which n tiles with captions of caption_h fit in avail.
float fit_tile(int n, ImVec2 avail, float caption_h, float lo, float hi) {
  const ImVec2 sp = ImGui::GetStyle().ItemSpacing;
  const float step = std::max(1.0f, ImGui::GetFontSize() * 0.25f);
  for (float s = hi; s > lo; s -= step) {
    const int cols = std::max(1, (int)((avail.x + sp.x) / (s + sp.x)));
    const int rows = (n + cols - 1) / cols;
    if (rows * (s + caption_h + sp.y) <= avail.y) return s;
  }
  return lo;
}

int columns_for(float tile, float width) {
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  return std::max(1, (int)((width + sp) / (tile + sp)));
}

// Tile at the cursor is on screen (textures are made only for visible tiles).
bool tile_visible(ImVec2 size) { return ImGui::IsRectVisible(size); }

// An outline around the last item: the selected sample.
void outline_last_item() {
  const float o = std::max(2.0f, ImGui::GetFontSize() * 0.25f);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - o, a.y - o), ImVec2(b.x + o, b.y + o), ImGui::GetColorU32(ImGuiCol_Text), 0.0f, 0,
                                      std::max(1.0f, o * 0.5f));
}

// The number of test samples, for the page buttons.
int test_count(Controller& c) { return c.view().n_test; }

// What the view remembers between frames (one App per page).
struct ViewState {
  int page_size = 0;                   // the largest page the controller has shown
  int cell_true = -1, cell_pred = -1;  // the clicked confusion cell
};

// The shown page's consistent length: samples with inputs, outputs and (classification) labels.
int shown_count(const Snapshot& v, size_t in) {
  if (in == 0 || v.output_dim <= 0) return 0;
  size_t n = std::min(v.shown_x.size() / in, v.shown_out.size() / (size_t)v.output_dim);
  if (v.task == "classification") n = std::min(n, v.shown_label.size());
  return (int)n;
}

int confused_count(const Snapshot& v, size_t in) {
  if (in == 0) return 0;
  size_t n = std::min({v.confused.size(), v.confused_x.size() / in, v.confused_label.size(), v.confused_pred.size(), v.confused_p.size()});
  return (int)n;
}

// "Previous" / "Next" and where the page is. Returns nothing; the controller moves the page.
void page_buttons(Controller& c, ViewState& st, int shown) {
  const Snapshot& v = c.view();
  st.page_size = std::max(st.page_size, shown);
  const int page = std::max(1, st.page_size);
  const int total = test_count(c);
  ImGui::BeginDisabled(v.shown_first <= 0);
  if (ImGui::Button("Previous")) c.show_page(std::max(0, v.shown_first - page));
  ImGui::EndDisabled();
  ImGui::SameLine();
  const bool last = total > 0 ? v.shown_first + shown >= total : shown < page;
  ImGui::BeginDisabled(last || shown == 0);
  if (ImGui::Button("Next")) c.show_page(v.shown_first + page);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (total > 0)
    ImGui::Text("test samples %d–%d of %d", v.shown_first + 1, v.shown_first + shown, total);
  else
    ImGui::Text("test samples %d–%d", v.shown_first + 1, v.shown_first + shown);
}

// Tooltip body: one sample's class probabilities.
void probs_tooltip(const Snapshot& v, int test_index, int label, const float* out) {
  std::vector<float> p;
  class_probs(out, v.output_dim, p);
  const int pred = predicted_class(out, v.output_dim);
  ImGui::BeginTooltip();
  ImGui::Text("Test sample #%d", test_index);
  if (label >= 0) ImGui::Text("true: %s, predicted: %s", class_name(v, label).c_str(), class_name(v, pred).c_str());
  std::vector<std::string> names(p.size());
  for (size_t k = 0; k < p.size(); ++k) names[k] = class_name(v, (int)k);
  bar_list("##probs", names, p, ImGui::GetFontSize() * 14.0f, pred);
  ImGui::TextDisabled("Click: select it for the Activations tab");
  ImGui::EndTooltip();
}

// [SECTION] predictions -----------------------------------------------------------------------------

void tab_predictions(Controller& c, Textures& tex, ViewState& st) {
  const Snapshot& v = c.view();
  const ImageShape s = image_shape(v.input_shape);
  const int n = shown_count(v, s.size());
  page_buttons(c, st, n);
  if (n == 0) {
    ImGui::TextDisabled("Waiting for the first results…");
    return;
  }
  const bool cls = v.task == "classification";
  const int K = v.output_dim;
  int right = 0;
  for (int i = 0; i < n && cls; ++i) right += predicted_class(v.shown_out.data() + (size_t)i * K, K) == v.shown_label[i];
  if (cls) ImGui::TextDisabled("%d of %d right on this page; green frame = right, vermillion = wrong", right, n);

  if (!ImGui::BeginChild("##prediction_grid", ImVec2(0, 0))) {
    ImGui::EndChild();
    return;
  }
  const float fs = ImGui::GetFontSize(), cap_h = fs * 1.2f;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = fit_tile(n, avail, cap_h, fs * 2.5f, fs * 6.0f);
  const int cols = columns_for(side, avail.x);
  char cap[128], id[32];
  for (int i = 0; i < n; ++i) {
    if (i % cols) ImGui::SameLine();
    const int index = v.shown_first + i;
    const float* x = v.shown_x.data() + (size_t)i * s.size();
    const float* o = v.shown_out.data() + (size_t)i * K;
    ImU32 border = 0;
    if (cls) {
      const int y = v.shown_label[i], p = predicted_class(o, K);
      std::snprintf(cap, sizeof cap, "%s → %s", class_name(v, y).c_str(), class_name(v, p).c_str());
      border = p == y ? kRight : kWrong;
    } else {
      std::snprintf(cap, sizeof cap, "%.3g", o[0]);
    }
    const ImTextureID t = tile_visible(ImVec2(side, side + cap_h))
                              ? sample_texture(tex, "pred/" + std::to_string(i), v.version, x, s.C, s.H, s.W)
                              : ImTextureID(0);
    std::snprintf(id, sizeof id, "sample %d", index);
    if (image_tile(id, t, ImVec2(side, side), cap, border)) c.select_sample(index);
    if (index == v.selected) outline_last_item();
    if (cls && ImGui::IsItemHovered()) probs_tooltip(v, index, v.shown_label[i], o);
  }
  ImGui::EndChild();
}

// [SECTION] confusion -------------------------------------------------------------------------------

void cell_examples(Controller& c, Textures& tex, ViewState& st, float width) {
  const Snapshot& v = c.view();
  const int K = v.num_classes;
  const int t = st.cell_true, p = st.cell_pred;
  if (t < 0 || p < 0 || t >= K || p >= K) return;
  const int count = (size_t)t * K + p < v.metrics.confusion.size() ? v.metrics.confusion[(size_t)t * K + p] : 0;
  ImGui::TextWrapped("true %s, predicted %s: %d test samples", class_name(v, t).c_str(), class_name(v, p).c_str(), count);
  if (ImGui::SmallButton("Clear cell")) {
    st.cell_true = st.cell_pred = -1;
    return;
  }
  if (t == p) {
    ImGui::TextDisabled("Right predictions. Click a cell off the diagonal to see mistakes.");
    return;
  }
  const ImageShape s = image_shape(v.input_shape);
  const int n = confused_count(v, s.ok() ? s.size() : shape_count(v.input_shape));
  const float fs = ImGui::GetFontSize(), side = fs * 3.0f;
  const int cols = columns_for(side, width);
  int shown = 0;
  char id[32], cap[32];
  for (int i = 0; i < n && shown < kMaxCellExamples; ++i) {
    if (v.confused_label[i] != t || v.confused_pred[i] != p) continue;
    const int index = v.confused[i];
    std::snprintf(cap, sizeof cap, "%.0f%%", v.confused_p[i] * 100.0f);
    if (!s.ok()) {  // a table: the rows' indices
      std::snprintf(id, sizeof id, "#%d (%s)", index, cap);
      if (ImGui::Selectable(id, index == v.selected)) c.select_sample(index);
      ++shown;
      continue;
    }
    if (shown % cols) ImGui::SameLine();
    std::snprintf(id, sizeof id, "cell sample %d", index);
    const ImTextureID tx =
        tile_visible(ImVec2(side, side + fs * 1.2f))
            ? sample_texture(tex, "cell/" + std::to_string(shown), v.version, v.confused_x.data() + (size_t)i * s.size(), s.C, s.H, s.W)
            : ImTextureID(0);
    if (image_tile(id, tx, ImVec2(side, side), cap, kWrong)) c.select_sample(index);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Test sample #%d: said %s with %.0f%%. Click to select it.", index, class_name(v, p).c_str(),
                        v.confused_p[i] * 100.0f);
    ++shown;
  }
  if (shown == 0 && count > 0) ImGui::TextDisabled("None of these is among the %d most confident mistakes.", n);
}

void per_class_list(const Snapshot& v, ViewState& st) {
  const int K = v.num_classes;
  ImGui::TextUnformatted("Per-class accuracy (test)");
  std::vector<std::string> names(K);
  for (int k = 0; k < K; ++k) names[k] = class_name(v, k);
  std::vector<float> acc = v.metrics.per_class_accuracy;
  acc.resize(std::min<size_t>(acc.size(), K));
  bar_list("per_class_accuracy", names, acc, 0.0f, st.cell_true);
}

void tab_confusion(Controller& c, Textures& tex, ViewState& st) {
  const Snapshot& v = c.view();
  const int K = v.num_classes;
  if (v.task != "classification" || K < 1) {
    ImGui::TextDisabled("The confusion matrix is for classification.");
    return;
  }
  if (v.metrics.confusion.size() < (size_t)K * K) {
    ImGui::TextDisabled("Waiting for the first evaluation…");
    return;
  }
  if (std::isfinite(v.metrics.test_accuracy)) ImGui::Text("Test accuracy %.1f%%", v.metrics.test_accuracy * 100.0f);
  ImGui::SameLine();
  ImGui::TextDisabled("rows: true class, columns: predicted; click a cell for its examples");
  if (!ImGui::BeginChild("##confusion_tab", ImVec2(0, 0))) {
    ImGui::EndChild();
    return;
  }
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side_by_side_min = fs * 12.0f;  // the right column's least width
  const bool wide = avail.x >= fs * 8.0f + side_by_side_min;
  float side = wide ? std::min(avail.y, avail.x - side_by_side_min) : std::min(avail.x, std::max(fs * 8.0f, avail.y));
  side = std::max(side, fs * 8.0f);
  int tk = -1, pk = -1;
  if (confusion_matrix("confusion", v.metrics.confusion, K, v.class_names, ImVec2(side, side), &tk, &pk)) {
    st.cell_true = tk;
    st.cell_pred = pk;
  }
  if (wide) {
    ImGui::SameLine();
    if (ImGui::BeginChild("##confusion_side", ImVec2(0, side))) {
      cell_examples(c, tex, st, ImGui::GetContentRegionAvail().x);
      if (st.cell_true >= 0) ImGui::Separator();
      per_class_list(v, st);
    }
    ImGui::EndChild();
  } else {
    cell_examples(c, tex, st, avail.x);
    per_class_list(v, st);
  }
  ImGui::EndChild();
}

// [SECTION] most confused -----------------------------------------------------------------------------

// The text above both forms of the most-confused list; false when there is nothing to list.
bool most_confused_header(const Snapshot& v, int n) {
  if (v.task != "classification") {
    ImGui::TextDisabled("Mistakes are counted for classification.");
    return false;
  }
  if (n == 0) {
    ImGui::TextDisabled(v.evaluated || v.step > 0 ? "No mistakes among the test samples checked." : "Waiting for the first results…");
    return false;
  }
  ImGui::TextDisabled("The %d wrong predictions the network is surest of; click one to select it.", n);
  return true;
}

void tab_most_confused(Controller& c, Textures& tex) {
  const Snapshot& v = c.view();
  const ImageShape s = image_shape(v.input_shape);
  const int n = confused_count(v, s.size());
  if (!most_confused_header(v, n)) return;
  if (!ImGui::BeginChild("##confused_grid", ImVec2(0, 0))) {
    ImGui::EndChild();
    return;
  }
  const float fs = ImGui::GetFontSize(), cap_h = fs * 1.2f;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = fit_tile(n, avail, cap_h, fs * 4.5f, fs * 7.0f);  // wide enough for most captions
  const int cols = columns_for(side, avail.x);
  char cap[160], id[32];
  for (int i = 0; i < n; ++i) {
    if (i % cols) ImGui::SameLine();
    const int index = v.confused[i];
    std::snprintf(cap, sizeof cap, "true %s, said %s (%.0f%%)", class_name(v, v.confused_label[i]).c_str(),
                  class_name(v, v.confused_pred[i]).c_str(), v.confused_p[i] * 100.0f);
    std::snprintf(id, sizeof id, "confused %d", index);
    const ImTextureID t =
        tile_visible(ImVec2(side, side + cap_h))
            ? sample_texture(tex, "conf/" + std::to_string(i), v.version, v.confused_x.data() + (size_t)i * s.size(), s.C, s.H, s.W)
            : ImTextureID(0);
    if (image_tile(id, t, ImVec2(side, side), cap, kWrong)) c.select_sample(index);
    if (index == v.selected) outline_last_item();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Test sample #%d\n%s\nClick: select it for the Activations tab", index, cap);
  }
  ImGui::EndChild();
}

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

void channel_maps(Controller& c, Textures& tex, int layer, const std::vector<int>& shape, const std::vector<float>& a) {
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

void tab_activations(Controller& c, Textures& tex) {
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

// A conv layer's kernels as one texture: a row per filter, a column per input channel, 1-pixel gaps,
// all on one diverging scale (the layer's max |w|) so filters compare. Click a row → that filter's channel
// in the neuron inspector.
void conv_filters(Controller& c, Textures& tex, int layer, const LayerView& lv) {
  const int F = lv.weight_shape[0], C = lv.weight_shape[1], KH = lv.weight_shape[2], KW = lv.weight_shape[3];
  const int rows = std::min(F, kMaxFilters), cols = std::min(C, kMaxFilterChannels);
  const int tw = cols * (KW + 1) - 1, th = rows * (KH + 1) - 1;
  float scale = 0;
  for (float w : lv.weight) scale = std::max(scale, std::fabs(w));
  ImGui::Text("%d: conv2d, %d filters of %d×%d×%d", layer, F, C, KH, KW);
  ImGui::SameLine();
  ImGui::TextDisabled("(rows: filters, columns: input channels; orange −, blue +, ±%.3g)", scale);
  const float fs = ImGui::GetFontSize();
  const float avail = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  const float px = std::max(1.0f, std::min(fs * 1.8f / std::max(KW, 1), avail / tw));  // screen pixels per weight
  const ImVec2 size(tw * px, th * px);
  char id[48];
  std::snprintf(id, sizeof id, "layer %d filters", layer);
  ImTextureID t = 0;
  if (tile_visible(size))
    t = cached_texture(tex, "filt/" + std::to_string(layer), c.view().version, [&](std::vector<uint32_t>& out, int& w, int& h) {
      out.assign((size_t)tw * th, IM_COL32(0, 0, 0, 0));
      for (int f = 0; f < rows; ++f)
        for (int ch = 0; ch < cols; ++ch)
          for (int y = 0; y < KH; ++y)
            for (int x = 0; x < KW; ++x) {
              const float wv = lv.weight[(((size_t)f * C + ch) * KH + y) * KW + x];
              out[(size_t)(f * (KH + 1) + y) * tw + ch * (KW + 1) + x] = diverging_color(scale > 0 ? wv / scale : 0.0f);
            }
      w = tw;
      h = th;
    });
  const bool clicked = ImGui::InvisibleButton(id, size);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  if (t && ImGui::IsItemVisible()) ImGui::GetWindowDrawList()->AddImage(t, a, b);
  if (ImGui::IsItemHovered() || clicked) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int f = (int)((m.y - a.y) / (px * (KH + 1))), ch = (int)((m.x - a.x) / (px * (KW + 1)));
    if (f >= 0 && f < rows && ch >= 0 && ch < cols) {
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
void dense_unit_images(Controller& c, Textures& tex, int layer, const LayerView& lv, const ImageShape& s) {
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

void tab_filters(Controller& c, Textures& tex) {
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

// [SECTION] tables ----------------------------------------------------------------------------------

// Rows of samples (inputs, true label, prediction); a click selects one. wrong rows get a vermillion tint.
void sample_table(Controller& c, const char* id, int n, size_t in, const float* x, const int* labels, const float* out, const int* preds,
                  const float* conf, const int* index_of, int first_index) {
  const Snapshot& v = c.view();
  const bool cls = v.task == "classification";
  const int F = std::min<int>((int)in, kMaxTableFeatures);
  const int K = v.output_dim;
  const int ncols = 1 + F + (cls ? 3 : 1);
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable(id, ncols, flags, ImVec2(0, 0))) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("#");
  for (int f = 0; f < F; ++f)
    ImGui::TableSetupColumn(f < (int)v.feature_names.size() ? v.feature_names[f].c_str() : ("x" + std::to_string(f + 1)).c_str());
  if (cls) {
    ImGui::TableSetupColumn("true");
    ImGui::TableSetupColumn("predicted");
    ImGui::TableSetupColumn("p");
  } else {
    ImGui::TableSetupColumn(K > 1 ? "prediction (1st)" : "prediction");
  }
  ImGui::TableHeadersRow();
  std::vector<float> p;
  char label[32];
  for (int i = 0; i < n; ++i) {
    const int index = index_of ? index_of[i] : first_index + i;
    ImGui::TableNextRow();
    int pred = -1;
    float pp = NAN;
    if (cls) {
      if (preds)
        pred = preds[i], pp = conf ? conf[i] : NAN;
      else if (out) {
        class_probs(out + (size_t)i * K, K, p);
        pred = predicted_class(out + (size_t)i * K, K);
        pp = pred >= 0 && pred < (int)p.size() ? p[pred] : NAN;
      }
      if (labels && pred != labels[i])
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, (kWrong & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 60));
    }
    ImGui::TableSetColumnIndex(0);
    std::snprintf(label, sizeof label, "%d##%s", index, id);
    if (ImGui::Selectable(label, index == v.selected, ImGuiSelectableFlags_SpanAllColumns)) c.select_sample(index);
    for (int f = 0; f < F; ++f) {
      ImGui::TableSetColumnIndex(1 + f);
      ImGui::Text("%.3g", x[(size_t)i * in + f]);
    }
    if (cls) {
      ImGui::TableSetColumnIndex(1 + F);
      ImGui::TextUnformatted(labels ? class_name(v, labels[i]).c_str() : "");
      ImGui::TableSetColumnIndex(2 + F);
      ImGui::TextUnformatted(pred >= 0 ? class_name(v, pred).c_str() : "");
      ImGui::TableSetColumnIndex(3 + F);
      if (std::isfinite(pp)) ImGui::Text("%.0f%%", pp * 100.0f);
    } else {
      ImGui::TableSetColumnIndex(1 + F);
      if (out) ImGui::Text("%.4g", out[(size_t)i * K]);
    }
  }
  ImGui::EndTable();
}

void table_predictions(Controller& c, ViewState& st) {
  const Snapshot& v = c.view();
  const size_t in = shape_count(v.input_shape);
  const int n = shown_count(v, in);
  page_buttons(c, st, n);
  if (n == 0) {
    ImGui::TextDisabled("Waiting for the first results…");
    return;
  }
  if (in > (size_t)kMaxTableFeatures) ImGui::TextDisabled("first %d of %zu features shown", kMaxTableFeatures, in);
  sample_table(c, "samples", n, in, v.shown_x.data(), v.task == "classification" ? v.shown_label.data() : nullptr, v.shown_out.data(),
               nullptr, nullptr, nullptr, v.shown_first);
}

void table_most_confused(Controller& c) {
  const Snapshot& v = c.view();
  const size_t in = shape_count(v.input_shape);
  const int n = confused_count(v, in);
  if (!most_confused_header(v, n)) return;
  sample_table(c, "confused", n, in, v.confused_x.data(), v.confused_label.data(), nullptr, v.confused_pred.data(), v.confused_p.data(),
               v.confused.data(), 0);
}

}  // namespace

// [SECTION] the view --------------------------------------------------------------------------------

ImTextureID sample_texture(Textures& tex, const std::string& key, long long version, const float* chw, int C, int H, int W) {
  if (!chw || C <= 0 || H <= 0 || W <= 0) return 0;
  return cached_texture(tex, key, version, [&](std::vector<uint32_t>& out, int& w, int& h) {
    // Pixels in [0, 1] (the image datasets) are shown as they are; anything else is stretched to its range.
    const size_t n = (size_t)C * H * W;
    float mn = INFINITY, mx = -INFINITY;
    for (size_t k = 0; k < n; ++k)
      if (std::isfinite(chw[k])) mn = std::min(mn, chw[k]), mx = std::max(mx, chw[k]);
    const bool unit = !(mn < 0.0f) && !(mx > 1.0f);
    image_to_rgba(chw, C, H, W, -1, unit ? 0.0f : mn, unit ? 1.0f : mx, out);
    w = W;
    h = H;
  });
}

void view_images(Controller& c, Textures& tex, AttributionViews* attr) {
  static ViewState st;  // one App per page
  const Snapshot& v = c.view();
  if (v.layers.empty() || (v.shown_x.empty() && v.selected_x.empty())) {
    ImGui::TextDisabled("Waiting for the first results…");
    return;
  }
  const bool image = image_shape(v.input_shape).ok();
  if (st.cell_true >= v.num_classes || st.cell_pred >= v.num_classes) st.cell_true = st.cell_pred = -1;
  if (!ImGui::BeginTabBar("image_views")) return;
  if (ImGui::BeginTabItem("Predictions")) {
    if (image)
      tab_predictions(c, tex, st);
    else
      table_predictions(c, st);
    ImGui::EndTabItem();
  }
  if (v.task == "classification" && ImGui::BeginTabItem("Confusion")) {
    tab_confusion(c, tex, st);
    ImGui::EndTabItem();
  }
  if (v.task == "classification" && ImGui::BeginTabItem("Most confused")) {
    if (image)
      tab_most_confused(c, tex);
    else
      table_most_confused(c);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Activations")) {
    tab_activations(c, tex);
    ImGui::EndTabItem();
  }
  if (image && ImGui::BeginTabItem("Filters")) {
    tab_filters(c, tex);
    ImGui::EndTabItem();
  }
  if (attr && ImGui::BeginTabItem("Attributions")) {
    attr->tab_attributions(c, tex);
    ImGui::EndTabItem();
  }
  if (attr && ImGui::BeginTabItem("Arena")) {
    attr->tab_arena(c, tex);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

}  // namespace lab::ui
