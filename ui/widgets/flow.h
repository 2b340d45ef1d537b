// flow.h — items that flow like words: the next one goes on the same line when it fits there, else on the
// next (so a narrow panel, a 150 % scale or a long title never cuts a button off at the panel's edge).
//
//   for (...) { if (i) same_line_if_fits(button_width(title)); ImGui::Button(title); }
#pragma once
#include "imgui.h"

namespace lab::ui {

// Keeps the next item, `width` pixels wide, on this line when it still fits, else starts a new line.
inline void same_line_if_fits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// The width of a button labelled `label` (its text up to "##").
inline float button_width(const char* label) { return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2; }

}  // namespace lab::ui
