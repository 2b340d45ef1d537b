// NeuronLab UI — textures for pictures the UI computes (decision surfaces, neuron thumbnails, images,
// filters). The UI never calls GL itself: the platform (wasm/texture_gl.cpp) implements this interface
// and the App draws the returned ImTextureID with ImGui::Image / ImDrawList::AddImage.
//
//   ImTextureID t = textures.update("surface", rgba.data(), 64, 64, /*smooth=*/true);
//   ImGui::Image(t, ImVec2(256, 256));
//
// A key names one texture; updating a key replaces its pixels (and size). Pixels are RGBA8, row-major,
// top row first, packed as IM_COL32 values (so ImU32 buffers can be passed directly).
#pragma once
#include <cstdint>
#include <string>

#include "imgui.h"

namespace lab::ui {

class Textures {
 public:
  virtual ~Textures() = default;
  // Creates or replaces texture `key` with w×h pixels (rgba: w*h IM_COL32 values). smooth: bilinear
  // filtering (surfaces); else nearest (pixel images, filters). Returns the id to draw it with.
  virtual ImTextureID update(const std::string& key, const uint32_t* rgba, int w, int h, bool smooth) = 0;
  // Forgets a texture (no-op for an unknown key).
  virtual void release(const std::string& key) = 0;
};

}  // namespace lab::ui
