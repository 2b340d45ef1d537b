// texture_gl.cpp — GlTextures: one GL texture per key, re-used when the size stays the same.
#include "texture_gl.h"

#include <GLES3/gl3.h>

namespace lab::web {

GlTextures::~GlTextures() {
  for (auto& [k, t] : tex_) glDeleteTextures(1, &t.id);
}

ImTextureID GlTextures::update(const std::string& key, const uint32_t* rgba, int w, int h, bool smooth) {
  if (w <= 0 || h <= 0 || !rgba) return 0;
  Tex& t = tex_[key];
  const bool fresh = t.id == 0;
  if (fresh) glGenTextures(1, &t.id);
  glBindTexture(GL_TEXTURE_2D, t.id);
  if (fresh || t.smooth != smooth) {
    const GLint filter = smooth ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    t.smooth = smooth;
  }
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (fresh || t.w != w || t.h != h) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    t.w = w;
    t.h = h;
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  }
  return (ImTextureID)(intptr_t)t.id;
}

void GlTextures::release(const std::string& key) {
  auto it = tex_.find(key);
  if (it == tex_.end()) return;
  glDeleteTextures(1, &it->second.id);
  tex_.erase(it);
}

}  // namespace lab::web
