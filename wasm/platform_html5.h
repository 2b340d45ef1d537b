// NeuronLab browser platform layer: the canvas, WebGL2 and input for Dear ImGui, through Emscripten's
// html5.h API. All browser quirks live in platform_html5.cpp.
//
// Coordinates: ImGui works in CSS pixels (io.DisplaySize = the canvas' CSS size); the canvas' drawing
// buffer is CSS size × devicePixelRatio (io.DisplayFramebufferScale), so text stays sharp on HiDPI
// screens and the app follows window resizes every frame.
#pragma once
#include <string>

namespace lab::web {

// Creates the WebGL2 context on `canvas_selector` (e.g. "#canvas") and registers input callbacks.
// Returns an empty string on success, else what is missing (no WebGL2, ...).
std::string platform_init(const char* canvas_selector);

// Call before ImGui::NewFrame(): resizes the drawing buffer, feeds display size, scale and time.
// Returns the device pixel ratio.
float platform_new_frame();

// Call after ImGui::Render(): updates the mouse cursor's CSS shape.
void platform_end_frame();

// Framebuffer size in device pixels (for glViewport).
int framebuffer_width();
int framebuffer_height();

}  // namespace lab::web
