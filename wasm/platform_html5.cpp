// platform_html5.cpp — [SECTION] keys · [SECTION] input callbacks · [SECTION] canvas & frame
#include "platform_html5.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "imgui.h"

namespace lab::web {
namespace {

// The one canvas and context of the page (html5 callbacks carry only a user pointer; this is it).
struct Platform {
  const char* canvas = "#canvas";
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = 0;
  int fb_w = 1, fb_h = 1;
  double last_time = 0;
  ImGuiMouseCursor cursor = ImGuiMouseCursor_COUNT;
};
Platform g;

// [SECTION] keys ---------------------------------------------------------------------------------
// KeyboardEvent.code (the physical key) → ImGuiKey.
ImGuiKey key_from_code(const char* code) {
  if (std::strncmp(code, "Key", 3) == 0 && code[3] >= 'A' && code[3] <= 'Z' && code[4] == 0)
    return (ImGuiKey)(ImGuiKey_A + (code[3] - 'A'));
  if (std::strncmp(code, "Digit", 5) == 0 && code[5] >= '0' && code[5] <= '9' && code[6] == 0)
    return (ImGuiKey)(ImGuiKey_0 + (code[5] - '0'));
  if (std::strncmp(code, "Numpad", 6) == 0 && code[6] >= '0' && code[6] <= '9' && code[7] == 0)
    return (ImGuiKey)(ImGuiKey_Keypad0 + (code[6] - '0'));
  if (code[0] == 'F' && code[1] >= '1' && code[1] <= '9') {
    int n = std::atoi(code + 1);
    if (n >= 1 && n <= 12) return (ImGuiKey)(ImGuiKey_F1 + n - 1);
  }
  static const struct {
    const char* code;
    ImGuiKey key;
  } table[] = {
      {"ArrowLeft", ImGuiKey_LeftArrow},
      {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow},
      {"ArrowDown", ImGuiKey_DownArrow},
      {"Backspace", ImGuiKey_Backspace},
      {"Delete", ImGuiKey_Delete},
      {"Enter", ImGuiKey_Enter},
      {"NumpadEnter", ImGuiKey_KeypadEnter},
      {"Escape", ImGuiKey_Escape},
      {"Tab", ImGuiKey_Tab},
      {"Space", ImGuiKey_Space},
      {"Home", ImGuiKey_Home},
      {"End", ImGuiKey_End},
      {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown},
      {"Insert", ImGuiKey_Insert},
      {"ShiftLeft", ImGuiKey_LeftShift},
      {"ShiftRight", ImGuiKey_RightShift},
      {"ControlLeft", ImGuiKey_LeftCtrl},
      {"ControlRight", ImGuiKey_RightCtrl},
      {"AltLeft", ImGuiKey_LeftAlt},
      {"AltRight", ImGuiKey_RightAlt},
      {"MetaLeft", ImGuiKey_LeftSuper},
      {"MetaRight", ImGuiKey_RightSuper},
      {"Minus", ImGuiKey_Minus},
      {"Equal", ImGuiKey_Equal},
      {"BracketLeft", ImGuiKey_LeftBracket},
      {"BracketRight", ImGuiKey_RightBracket},
      {"Backslash", ImGuiKey_Backslash},
      {"Semicolon", ImGuiKey_Semicolon},
      {"Quote", ImGuiKey_Apostrophe},
      {"Comma", ImGuiKey_Comma},
      {"Period", ImGuiKey_Period},
      {"Slash", ImGuiKey_Slash},
      {"Backquote", ImGuiKey_GraveAccent},
      {"CapsLock", ImGuiKey_CapsLock},
      {"NumpadAdd", ImGuiKey_KeypadAdd},
      {"NumpadSubtract", ImGuiKey_KeypadSubtract},
      {"NumpadMultiply", ImGuiKey_KeypadMultiply},
      {"NumpadDivide", ImGuiKey_KeypadDivide},
      {"NumpadDecimal", ImGuiKey_KeypadDecimal},
  };
  for (const auto& t : table)
    if (std::strcmp(code, t.code) == 0) return t.key;
  return ImGuiKey_None;
}

void update_modifiers(ImGuiIO& io, bool ctrl, bool shift, bool alt, bool meta) {
  io.AddKeyEvent(ImGuiMod_Ctrl, ctrl);
  io.AddKeyEvent(ImGuiMod_Shift, shift);
  io.AddKeyEvent(ImGuiMod_Alt, alt);
  io.AddKeyEvent(ImGuiMod_Super, meta);
}

// [SECTION] input callbacks -----------------------------------------------------------------------
// Returning true calls preventDefault() on the browser event.

int mouse_button(unsigned short b) { return b == 1 ? 2 : b == 2 ? 1 : b; }  // DOM: 0 L, 1 M, 2 R

EM_BOOL on_mouse_move(int, const EmscriptenMouseEvent* e, void*) {
  ImGui::GetIO().AddMousePosEvent((float)e->targetX, (float)e->targetY);
  return EM_FALSE;
}
EM_BOOL on_mouse_down(int, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  update_modifiers(io, e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
  io.AddMousePosEvent((float)e->targetX, (float)e->targetY);
  if (e->button < 5) io.AddMouseButtonEvent(mouse_button(e->button), true);
  return EM_TRUE;  // no text selection, no focus stealing
}
EM_BOOL on_mouse_up(int, const EmscriptenMouseEvent* e, void*) {  // on the window: release outside too
  if (e->button < 5) ImGui::GetIO().AddMouseButtonEvent(mouse_button(e->button), false);
  return EM_FALSE;
}
EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent*, void*) {
  ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  return EM_FALSE;
}
EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  // deltaMode 0: pixels (~100 per notch), 1: lines (~3 per notch), 2: pages.
  const double unit = e->deltaMode == DOM_DELTA_PIXEL ? 100.0 : e->deltaMode == DOM_DELTA_LINE ? 3.0 : 1.0;
  ImGui::GetIO().AddMouseWheelEvent((float)(-e->deltaX / unit), (float)(-e->deltaY / unit));
  return EM_TRUE;  // the page itself never scrolls
}
EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  update_modifiers(io, e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
  const ImGuiKey key = key_from_code(e->code);
  if (key != ImGuiKey_None) io.AddKeyEvent(key, type == EMSCRIPTEN_EVENT_KEYDOWN);
  // Printable keys must not be prevented on keydown, or the browser sends no keypress (our text input).
  const bool printable = std::strlen(e->key) == 1 && !e->ctrlKey && !e->metaKey;
  return io.WantCaptureKeyboard && !printable;
}
EM_BOOL on_key_press(int, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  if (e->charCode >= 32 && !e->ctrlKey && !e->metaKey) io.AddInputCharacter(e->charCode);
  return io.WantTextInput;
}
EM_BOOL on_focus(int type, const EmscriptenFocusEvent*, void*) {
  ImGui::GetIO().AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);
  return EM_FALSE;
}

}  // namespace

// [SECTION] canvas & frame ------------------------------------------------------------------------

std::string platform_init(const char* canvas_selector) {
  g.canvas = canvas_selector;
  EmscriptenWebGLContextAttributes attr;
  emscripten_webgl_init_context_attributes(&attr);
  attr.majorVersion = 2;
  attr.minorVersion = 0;
  attr.alpha = EM_FALSE;
  attr.depth = EM_FALSE;
  attr.stencil = EM_FALSE;
  attr.antialias = EM_FALSE;
  attr.premultipliedAlpha = EM_FALSE;
  attr.preserveDrawingBuffer = EM_FALSE;
  g.ctx = emscripten_webgl_create_context(canvas_selector, &attr);
  if (g.ctx <= 0) return "This browser could not create a WebGL2 context on the canvas.";
  emscripten_webgl_make_context_current(g.ctx);

  const char* c = canvas_selector;
  const char* win = EMSCRIPTEN_EVENT_TARGET_WINDOW;
  emscripten_set_mousemove_callback(c, nullptr, EM_TRUE, on_mouse_move);
  emscripten_set_mousedown_callback(c, nullptr, EM_TRUE, on_mouse_down);
  emscripten_set_mouseup_callback(win, nullptr, EM_TRUE, on_mouse_up);
  emscripten_set_mouseleave_callback(c, nullptr, EM_TRUE, on_mouse_leave);
  emscripten_set_wheel_callback(c, nullptr, EM_TRUE, on_wheel);
  emscripten_set_keydown_callback(win, nullptr, EM_TRUE, on_key);
  emscripten_set_keyup_callback(win, nullptr, EM_TRUE, on_key);
  emscripten_set_keypress_callback(win, nullptr, EM_TRUE, on_key_press);
  emscripten_set_focus_callback(win, nullptr, EM_TRUE, on_focus);
  emscripten_set_blur_callback(win, nullptr, EM_TRUE, on_focus);
  g.last_time = emscripten_get_now();
  return "";
}

float platform_new_frame() {
  ImGuiIO& io = ImGui::GetIO();
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size(g.canvas, &css_w, &css_h);
  css_w = std::max(1.0, css_w);
  css_h = std::max(1.0, css_h);
  const double dpr = std::max(0.25, emscripten_get_device_pixel_ratio());
  const int fb_w = (int)std::lround(css_w * dpr), fb_h = (int)std::lround(css_h * dpr);
  int cur_w = 0, cur_h = 0;
  emscripten_get_canvas_element_size(g.canvas, &cur_w, &cur_h);
  if (cur_w != fb_w || cur_h != fb_h) emscripten_set_canvas_element_size(g.canvas, fb_w, fb_h);
  g.fb_w = fb_w;
  g.fb_h = fb_h;
  io.DisplaySize = ImVec2((float)css_w, (float)css_h);
  io.DisplayFramebufferScale = ImVec2((float)(fb_w / css_w), (float)(fb_h / css_h));
  const double now = emscripten_get_now();
  io.DeltaTime = (float)std::max(1e-4, (now - g.last_time) / 1000.0);
  g.last_time = now;
  return (float)dpr;
}

void platform_end_frame() {
  ImGuiMouseCursor c = ImGui::GetMouseCursor();
  if (c == g.cursor) return;
  g.cursor = c;
  static const char* const names[] = {"default",     "text",        "move",    "ns-resize",  "ew-resize",
                                      "nesw-resize", "nwse-resize", "pointer", "not-allowed"};
  const char* name = (c >= 0 && c < (int)(sizeof names / sizeof names[0])) ? names[c] : "none";
  EM_ASM(
      {
        const el = document.querySelector(UTF8ToString($0));
        if (el) el.style.cursor = UTF8ToString($1);
      },
      g.canvas, name);
}

int framebuffer_width() { return g.fb_w; }
int framebuffer_height() { return g.fb_h; }

}  // namespace lab::web
