// NeuronLab UI — what is on screen, for tests.
//
// ImGui draws on a canvas, so browser tests cannot find widgets in the DOM. This implements Dear ImGui's
// own test-engine hooks (IMGUI_ENABLE_TEST_ENGINE; no test engine needed): every widget submitted in a
// frame is recorded with its window, label and rectangle, and the last complete frame's list is what
// probe.last holds. Coordinates are ImGui's: CSS pixels relative to the canvas' top-left.
//
//   lab::ui::UiProbe probe;                              // lives as long as the context
//   ui_probe_enable(ImGui::GetCurrentContext(), probe);  // once, after CreateContext
//   ... NewFrame … widgets … Render ...
//   ui_probe_frame_done(probe);                          // after Render: probe.last = this frame's items
//
// ImGui calls the hooks as free functions; they find the probe through the context's test-engine user
// pointer (ImGuiContext::TestEngine), so the probe is an object its owner holds, not hidden state.
#pragma once
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

struct ImGuiContext;

namespace lab::ui {

struct ProbeItem {
  unsigned id;
  std::string window, label;  // label without its "##id" suffix
  float x, y, w, h;
  int flags;  // ImGuiItemStatusFlags
};

// The items of the frame being built (cur) and of the last complete one (last).
struct UiProbe {
  std::vector<ProbeItem> cur, last;
  std::unordered_map<unsigned, size_t> index;  // item id → position in cur
  // Labels reported before their item is added (tab items in ImGui 1.90 report first), applied in ItemAdd.
  std::unordered_map<unsigned, std::pair<std::string, int>> early;
};

void ui_probe_enable(ImGuiContext* ctx, UiProbe& probe);
// After Render: this frame's items become probe.last.
void ui_probe_frame_done(UiProbe& probe);
// Names an item whose widget reports no label (ImGui 1.90's combos): ui_probe_label(ImGui::GetID("##x"), "Dataset").
void ui_probe_label(unsigned id, const char* label);
// ImGui::BeginCombo that the probe can find by its label (the text before "##").
bool begin_combo_probed(const char* label, const char* preview, int flags = 0);

}  // namespace lab::ui
