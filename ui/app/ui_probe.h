// NeuronLab UI — what is on screen, for tests.
//
// ImGui draws on a canvas, so browser tests cannot find widgets in the DOM. This implements Dear ImGui's
// own test-engine hooks (IMGUI_ENABLE_TEST_ENGINE; no test engine needed): every widget submitted in a
// frame is recorded with its window, label and rectangle, and the last complete frame's list is what
// ui_probe_items() returns. Coordinates are ImGui's: CSS pixels relative to the canvas' top-left.
//
//   ui_probe_enable(ImGui::GetCurrentContext());   // once, after CreateContext
//   ... NewFrame … widgets … Render ...
//   ui_probe_frame_done();                          // after Render: publish this frame's items
#pragma once
#include <string>
#include <vector>

struct ImGuiContext;

namespace lab::ui {

struct ProbeItem {
  unsigned id;
  std::string window, label;  // label without its "##id" suffix
  float x, y, w, h;
  int flags;  // ImGuiItemStatusFlags
};

void ui_probe_enable(ImGuiContext* ctx);
void ui_probe_frame_done();
const std::vector<ProbeItem>& ui_probe_items();
// Names an item whose widget reports no label (ImGui 1.90's combos): ui_probe_label(ImGui::GetID("##x"), "Dataset").
void ui_probe_label(unsigned id, const char* label);
// ImGui::BeginCombo that the probe can find by its label (the text before "##").
bool begin_combo_probed(const char* label, const char* preview, int flags = 0);

}  // namespace lab::ui
