// flow.h — items that flow like words: the next one goes on the same line when it fits there, else on the
// next (so a narrow panel, a 150 % scale or a long title never cuts a button off at the panel's edge).
//
//   for (...) { flow_next(label_button_width(title), i == 0); ImGui::Button(title); }
#pragma once
#include "imgui.h"

namespace lab::ui {

// Call before an item `width` pixels wide that follows the last one; `first`: the first of a run (it starts
// a line of its own).
inline void flow_next(float width, bool first = false) {
  if (first) return;
  const ImGuiStyle& st = ImGui::GetStyle();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + st.ItemSpacing.x + width <= right) ImGui::SameLine();
}

// The width of a button labelled `label` (its text up to "##").
inline float label_button_width(const char* label) { return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2; }

}  // namespace lab::ui
