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
#include <unordered_map>
#include <vector>

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

// The UI's textures by key, with the version (snapshot version, report serial, …) their pixels are from:
// a texture is filled again only when its version changes. The App owns one and hands it to every panel
// and view, so the UI keeps no texture state of its own.
//
//   ImTextureID t = cache.cached("pred/7", v.version, [&](std::vector<uint32_t>& rgba, int& w, int& h) {…});
//
// Budgeted uploads: while training, a new snapshot can arrive every frame, so a view of many tiles asks
// for `budgeted` ones. Past kUploadsPerFrame such uploads in a frame, a stale tile keeps its old pixels and
// is owed; an owed tile is refreshed first thing on the next frame it is drawn, so no tile starves.
class TextureCache {
 public:
  static constexpr int kUploadsPerFrame = 64;
  explicit TextureCache(Textures& textures) : textures_(textures) {}

  // Direct access (no versioning): creates or replaces texture `key`.
  ImTextureID update(const std::string& key, const uint32_t* rgba, int w, int h, bool smooth) {
    return textures_.update(key, rgba, w, h, smooth);
  }
  void release(const std::string& key) {
    entries_.erase(key);
    textures_.release(key);
  }

  // Texture `key` with pixels for `version`: fill(rgba, w, h) makes them when the cached ones are missing
  // or stale (and, when budgeted, the frame's budget allows). A fill that leaves fewer than w*h pixels
  // keeps the old texture (0 if none).
  template <class Fill>
  ImTextureID cached(const std::string& key, long long version, Fill&& fill, bool smooth = false, bool budgeted = false) {
    if (frame_ != ImGui::GetFrameCount()) {
      frame_ = ImGui::GetFrameCount();
      uploads_ = 0;
    }
    Entry& e = entries_[key];
    if (e.id && e.version == version) return e.id;
    if (budgeted && e.id && !e.owed && uploads_ >= kUploadsPerFrame) {
      e.owed = true;
      return e.id;
    }
    int w = 0, h = 0;
    rgba_.clear();
    fill(rgba_, w, h);
    if (w <= 0 || h <= 0 || rgba_.size() < (size_t)w * h) return e.id;
    e.id = textures_.update(key, rgba_.data(), w, h, smooth);
    e.version = version;
    e.owed = false;
    if (budgeted) ++uploads_;
    return e.id;
  }

 private:
  struct Entry {
    long long version = -1;
    ImTextureID id = 0;
    bool owed = false;
  };
  Textures& textures_;
  std::unordered_map<std::string, Entry> entries_;
  std::vector<uint32_t> rgba_;  // scratch pixels, reused
  int frame_ = -1, uploads_ = 0;
};

}  // namespace lab::ui
