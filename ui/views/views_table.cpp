// views_table.cpp — the image views' Predictions and Most confused tabs for table datasets (input shape
// {F}): rows of features, true label and prediction. Shared parts: image_common.h.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "views/image_common.h"
#include "widgets/plots.h"

namespace lab::ui::imageview {

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

}  // namespace lab::ui::imageview
