#include "app/ui_probe.h"

#include "imgui.h"
#include "imgui_internal.h"

namespace lab::ui {
namespace {
// The probe of a context (set by ui_probe_enable), or nullptr.
UiProbe* probe_of(ImGuiContext* ctx) { return ctx ? static_cast<UiProbe*>(ctx->TestEngine) : nullptr; }
}  // namespace

void ui_probe_enable(ImGuiContext* ctx, UiProbe& probe) {
  ctx->TestEngine = &probe;
  ctx->TestEngineHookItems = true;
}

void ui_probe_frame_done(UiProbe& p) {
  p.last.swap(p.cur);
  p.cur.clear();
  p.index.clear();
  p.early.clear();
}

bool begin_combo_probed(const char* label, const char* preview, int flags) {
  const ImGuiID id = ImGui::GetID(label);
  const bool open = ImGui::BeginCombo(label, preview, flags);
  ui_probe_label(id, label);
  return open;
}

void ui_probe_label(unsigned id, const char* label) { ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), id, label, 0); }

}  // namespace lab::ui

// Dear ImGui test-engine hooks (signatures of imgui_internal.h, 1.89.4+).
void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData*) {
  lab::ui::UiProbe* q = lab::ui::probe_of(ctx);
  if (!q) return;
  auto& p = *q;
  auto it = p.index.find(id);
  lab::ui::ProbeItem item{id, ctx->CurrentWindow ? ctx->CurrentWindow->Name : "", "", bb.Min.x, bb.Min.y, bb.GetWidth(), bb.GetHeight(), 0};
  if (it != p.index.end()) {  // same id submitted twice in a frame: keep the latest rectangle
    p.cur[it->second] = item;
    return;
  }
  if (auto e = p.early.find(id); e != p.early.end()) {
    item.label = e->second.first;
    item.flags = e->second.second;
  }
  p.index[id] = p.cur.size();
  p.cur.push_back(std::move(item));
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
  lab::ui::UiProbe* q = lab::ui::probe_of(ctx);
  if (!q) return;
  auto& p = *q;
  auto it = p.index.find(id);
  if (!label) return;
  std::string l = label;
  if (auto pos = l.find("##"); pos != std::string::npos) l.resize(pos);
  if (it == p.index.end()) {
    p.early[id] = {l, flags};
    return;
  }
  p.cur[it->second].label = l;
  p.cur[it->second].flags = flags;
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
