// NeuronLab — the UI's textures (ui/texture.h) as WebGL2 textures. The only GL the UI's pictures need.
#pragma once
#include <map>
#include <string>

#include "app/texture.h"

namespace lab::web {

class GlTextures : public lab::ui::Textures {
 public:
  ~GlTextures() override;
  ImTextureID update(const std::string& key, const uint32_t* rgba, int w, int h, bool smooth) override;
  void release(const std::string& key) override;

 private:
  struct Tex {
    unsigned id = 0;
    int w = 0, h = 0;
    bool smooth = false;
  };
  std::map<std::string, Tex> tex_;
};

}  // namespace lab::web
