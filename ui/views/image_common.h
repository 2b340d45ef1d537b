// image_common.h — what the image and table views share (views_image.cpp, views_layers.cpp,
// views_table.cpp): limits, colours, the budgeted tile textures, shapes and class helpers, page buttons.
// Internal to ui/views.
#pragma once
#include <string>
#include <vector>

#include "imgui.h"
#include "panels/panels.h"

namespace lab::ui::imageview {

constexpr ImU32 kRight = IM_COL32(0, 158, 115, 255);  // Okabe–Ito bluish green: a right prediction
constexpr ImU32 kWrong = IM_COL32(213, 94, 0, 255);   // Okabe–Ito vermillion: a wrong one
constexpr int kMaxChannels = 32;                      // activation maps drawn per layer
constexpr int kMaxCells = 256;                        // 1-D activations drawn per layer
constexpr int kMaxFilters = 32;                       // conv filters (rows) drawn per layer
constexpr int kMaxFilterChannels = 16;                // input channels (columns) drawn per filter
constexpr int kMaxUnitImages = 32;                    // first-dense-layer units drawn as images
constexpr int kMaxCellExamples = 24;                  // examples of one confusion cell
constexpr int kMaxTableFeatures = 6;                  // feature columns in the sample tables

// The views' tiles, keyed "pred/7", "act/2/5", …: budgeted uploads of the App's TextureCache.
template <class Fill>
ImTextureID cached_texture(TextureCache& tex, const std::string& key, long long version, Fill&& fill) {
  return tex.cached(key, version, std::forward<Fill>(fill), /*smooth=*/false, /*budgeted=*/true);
}

struct ImageShape {
  int C = 0, H = 0, W = 0;
  size_t size() const { return (size_t)C * H * W; }
  bool ok() const { return C > 0 && H > 0 && W > 0; }
};
using ViewState = ImageViewMemory;  // what the view remembers between frames (panels.h; the App owns it)

ImageShape image_shape(const std::vector<int>& s);  // {} unless (C, H, W) with every dimension ≥ 1
size_t shape_count(const std::vector<int>& s);
std::string shape_text(const std::vector<int>& s);  // "8×28×28"
std::string class_name(const Snapshot& v, int k);
// The predicted class of one output row of K logits (one logit: a binary task, class 1 when > 0).
int predicted_class(const float* o, int K);
// Class probabilities of one output row (softmax; one logit: {1 − σ, σ}).
void class_probs(const float* o, int K, std::vector<float>& p);
std::string layer_label(int i, const LayerView& L);  // "2: conv2d (relu) 8×28×28"
// An activation map as pixels: viridis from 0 to the max when non-negative, else diverging around 0.
void map_pixels(const float* a, int n, std::vector<uint32_t>& out);
// The largest tile side (between lo and hi) at which n tiles with captions of caption_h fit in avail.
float fit_tile(int n, ImVec2 avail, float caption_h, float lo, float hi);
int columns_for(float tile, float width);
// Tile at the cursor is on screen (textures are made only for visible tiles).
inline bool tile_visible(ImVec2 size) { return ImGui::IsRectVisible(size); }
void outline_last_item();  // around the last item: the selected sample
inline int test_count(Controller& c) { return c.view().n_test; }
// The shown page's consistent length: samples with inputs, outputs and (classification) labels.
int shown_count(const Snapshot& v, size_t in);
int confused_count(const Snapshot& v, size_t in);
void page_buttons(Controller& c, ViewState& st, int shown);  // "Previous" / "Next" and where the page is
void probs_tooltip(const Snapshot& v, int test_index, int label, const float* out);
// The text above both forms of the most-confused list; false when there is nothing to list.
bool most_confused_header(const Snapshot& v, int n);

// views_layers.cpp
void tab_activations(Controller& c, TextureCache& tex);
void tab_filters(Controller& c, TextureCache& tex);
// views_table.cpp: the same views for table datasets (input shape {F})
void table_predictions(Controller& c, ViewState& st);
void table_most_confused(Controller& c);

}  // namespace lab::ui::imageview
