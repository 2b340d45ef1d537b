// views_image.cpp — the views of image and table datasets: [SECTION] helpers · [SECTION] predictions ·
// [SECTION] confusion · [SECTION] most confused · [SECTION] the view. Activations and filters are in
// views_layers.cpp, the table forms in views_table.cpp, what they share in image_common.h.
//
// Images (input shape (C,H,W)) get five tabs: Predictions (a page of test samples, true → predicted),
// Confusion (the test confusion matrix; a click lists that cell's mistakes), Most confused (the wrong
// predictions the network is surest of), Activations (every layer's output for the selected sample) and
// Filters (conv kernels; the first dense layer's weights as images). Tables (input shape {F}) get the
// same tabs as tables of numbers, without Filters. Both get Attributions and Arena (attributions.h).
//
// Textures are keyed by tile ("pred/7", "act/2/5", ...) and re-uploaded only when the snapshot version
// changes, at most TextureCache::kUploadsPerFrame a frame (app/texture.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "panels/panels.h"
#include "views/attributions.h"
#include "views/image_common.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace imageview {

// [SECTION] helpers (declared in image_common.h) -------------------------------------------------------------------------------

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

// An outline around the last item: the selected sample.
void outline_last_item() {
  const float o = std::max(2.0f, ImGui::GetFontSize() * 0.25f);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - o, a.y - o), ImVec2(b.x + o, b.y + o), ImGui::GetColorU32(ImGuiCol_Text), 0.0f, 0,
                                      std::max(1.0f, o * 0.5f));
}

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

}  // namespace imageview

namespace {

using namespace imageview;

// [SECTION] predictions -----------------------------------------------------------------------------

void tab_predictions(Controller& c, TextureCache& tex, ViewState& st) {
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

void cell_examples(Controller& c, TextureCache& tex, ViewState& st, float width) {
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

void tab_confusion(Controller& c, TextureCache& tex, ViewState& st) {
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

void tab_most_confused(Controller& c, TextureCache& tex) {
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

}  // namespace

using namespace imageview;

// [SECTION] the view --------------------------------------------------------------------------------

ImTextureID sample_texture(TextureCache& tex, const std::string& key, long long version, const float* chw, int C, int H, int W) {
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

void view_images(Controller& c, TextureCache& tex, ImageViewMemory& st, AttributionViews* attr) {
  const Snapshot& v = c.view();
  if (v.layers.empty() || (v.shown_x.empty() && v.selected_x.empty())) {
    ImGui::TextDisabled("Waiting for the first results…");
    return;
  }
  const bool image = image_shape(v.input_shape).ok();
  if (st.cell_true >= v.num_classes || st.cell_pred >= v.num_classes) st.cell_true = st.cell_pred = -1;
  // Tabs that do not fit shrink with an ellipsis, their whole name in a tooltip (ImGui's own).
  if (!ImGui::BeginTabBar("image_views")) return;
  if (ImGui::BeginTabItem("Predictions")) {
    st.tab = "Predictions";
    if (image)
      tab_predictions(c, tex, st);
    else
      table_predictions(c, st);
    ImGui::EndTabItem();
  }
  if (v.task == "classification" && ImGui::BeginTabItem("Confusion")) {
    st.tab = "Confusion";
    tab_confusion(c, tex, st);
    ImGui::EndTabItem();
  }
  if (v.task == "classification" && ImGui::BeginTabItem("Most confused")) {
    st.tab = "Most confused";
    if (image)
      tab_most_confused(c, tex);
    else
      table_most_confused(c);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Activations")) {
    st.tab = "Activations";
    tab_activations(c, tex);
    ImGui::EndTabItem();
  }
  if (image && ImGui::BeginTabItem("Filters")) {
    st.tab = "Filters";
    tab_filters(c, tex);
    ImGui::EndTabItem();
  }
  if (attr && ImGui::BeginTabItem("Attributions")) {
    st.tab = "Attributions";
    attr->tab_attributions(c, tex);
    ImGui::EndTabItem();
  }
  if (attr && ImGui::BeginTabItem("Arena")) {
    st.tab = "Arena";
    attr->tab_arena(c, tex);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

}  // namespace lab::ui
