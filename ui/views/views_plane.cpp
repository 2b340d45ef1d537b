// views_plane.cpp — the 2-D plane: [SECTION] surface textures · [SECTION] the decision / fitted surface view
#include <algorithm>
#include <cmath>
#include <string>

#include "imgui.h"
#include "panels/panels.h"
#include "widgets/plots.h"

namespace lab::ui {

// [SECTION] surface textures ----------------------------------------------------------------------

namespace {
ImU32 blend(ImU32 a, ImU32 b, float t) {
  auto ch = [&](int s) {
    const float x = ((a >> s) & 0xFF) * (1 - t) + ((b >> s) & 0xFF) * t;
    return (ImU32)std::clamp(x, 0.0f, 255.0f) << s;
  };
  return ch(IM_COL32_R_SHIFT) | ch(IM_COL32_G_SHIFT) | ch(IM_COL32_B_SHIFT) | (0xFFu << IM_COL32_A_SHIFT);
}
}  // namespace

int plane_cell(float x, float y, float x0, float x1, float y0, float y1, int G) {
  if (G <= 0) return 0;
  const int col = std::clamp((int)((x - x0) / (x1 - x0) * G), 0, G - 1);
  const int row = std::clamp((int)((y1 - y) / (y1 - y0) * G), 0, G - 1);
  return row * G + col;
}

ImTextureID plane_texture(Controller& c, TextureCache& tex, int layer, int unit) {
  const Snapshot& v = c.view();
  if (!v.plane || v.grid <= 0) return 0;
  const std::string key = "plane/" + std::to_string(layer) + "/" + std::to_string(unit) + (c.discretize ? "/d" : "");
  const int G = v.grid, N = G * G;
  return tex.cached(
      key, v.version,
      [&](std::vector<uint32_t>& rgba, int& w, int& h) {
        rgba.resize(N);
        const bool dark = ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x < 0.5f;
        const ImU32 bg = dark ? IM_COL32(40, 44, 52, 255) : IM_COL32(250, 250, 250, 255);
        if (layer < 0) {
          const int K = v.output_dim;
          if ((int)v.grid_out.size() < N * K || K < 1) return;
          for (int i = 0; i < N; ++i) {
            const float* o = v.grid_out.data() + (size_t)i * K;
            if (v.task == "regression") {
              float val = std::tanh(o[0]);
              if (c.discretize) val = val >= 0 ? 1.0f : -1.0f;
              rgba[i] = diverging_color(val);
            } else if (K == 1) {  // one logit: p(class 1)
              float p = 1.0f / (1.0f + std::exp(-o[0]));
              if (c.discretize) p = p >= 0.5f ? 1.0f : 0.0f;
              rgba[i] = blend(bg, class_color(p >= 0.5f ? 1 : 0), std::fabs(p - 0.5f) * 1.6f);
            } else {  // class colours blended by the winning probability
              const int best = (int)(std::max_element(o, o + K) - o);
              double s = 0;
              for (int k = 0; k < K; ++k) s += std::exp(o[k] - o[best]);
              float p = (float)(1.0 / s);  // winner's softmax probability, in [1/K, 1]
              float t = K > 1 ? (p - 1.0f / K) / (1.0f - 1.0f / K) : 1.0f;
              if (c.discretize) t = 1.0f;
              rgba[i] = blend(bg, class_color(best), 0.25f + 0.6f * t);
            }
          }
        } else {
          if (layer >= (int)v.grid_act.size() || v.grid_act[layer].empty()) return;
          const std::vector<float>& a = v.grid_act[layer];
          const int units = (int)(a.size() / N);
          if (unit < 0 || unit >= units) return;
          float mx = 1e-6f;
          for (int i = 0; i < N; ++i) mx = std::max(mx, std::fabs(a[(size_t)i * units + unit]));
          for (int i = 0; i < N; ++i) {
            float val = a[(size_t)i * units + unit] / mx;
            if (c.discretize) val = val >= 0 ? 1.0f : -1.0f;
            rgba[i] = diverging_color(val);
          }
        }
        w = h = G;
      },
      /*smooth=*/true);
}

// [SECTION] the decision / fitted surface view --------------------------------------------------------

std::vector<PlotPoint> plane_points(const Snapshot& v) {
  std::vector<PlotPoint> pts;
  pts.reserve(v.train_xy.size() / 2 + v.test_xy.size() / 2);
  auto add = [&](const std::vector<float>& xy, const std::vector<int>& lab, const std::vector<float>& t, bool test) {
    for (size_t i = 0; i < xy.size() / 2; ++i) {
      PlotPoint p{xy[2 * i], xy[2 * i + 1], i < lab.size() ? lab[i] : -1, 0.0f, test};
      if (p.cls < 0 && v.output_dim > 0 && i * v.output_dim < t.size()) p.value = std::tanh(t[i * v.output_dim]);
      pts.push_back(p);
    }
  };
  add(v.train_xy, v.train_label, v.train_t, false);
  add(v.test_xy, v.test_label, v.test_t, true);
  return pts;
}

void view_plane(Controller& c, TextureCache& tex) {
  const Snapshot& v = c.view();
  if (!v.plane) {
    ImGui::TextDisabled("The plane view is for 2-D datasets.");
    return;
  }
  ImGui::Checkbox("Train points", &c.show_train);
  ImGui::SameLine();
  ImGui::Checkbox("Test points", &c.show_test);
  ImGui::SameLine();
  ImGui::Checkbox("Discretize", &c.discretize);
  if (v.task == "regression") {
    ImGui::SameLine();
    ImGui::TextDisabled("  colour = fitted value (orange −, blue +)");
  }
  const std::vector<PlotPoint> pts = plane_points(v);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(64.0f, std::min(avail.x, avail.y - ImGui::GetFrameHeightWithSpacing()));
  ImTextureID surf = plane_texture(c, tex, -1, 0);
  PlaneHit hit = plane_plot("decision_surface", surf, ImVec2(side, side), v.x0, v.x1, v.y0, v.y1, pts, c.show_train, c.show_test);
  if (hit.hovered) {
    // The network's answer under the mouse.
    const int K = v.output_dim;
    const size_t at = (size_t)plane_cell(hit.x, hit.y, v.x0, v.x1, v.y0, v.y1, v.grid) * K;
    if (at + K <= v.grid_out.size()) {
      ImGui::BeginTooltip();
      ImGui::Text("x1 = %.2f, x2 = %.2f", hit.x, hit.y);
      if (v.task == "regression")
        ImGui::Text("fitted value %.3f", v.grid_out[at]);
      else if (K == 1)
        ImGui::Text("p(class 1) = %.2f", 1.0f / (1.0f + std::exp(-v.grid_out[at])));
      else {
        const float* o = v.grid_out.data() + at;
        const int best = (int)(std::max_element(o, o + K) - o);
        double s = 0;
        for (int k = 0; k < K; ++k) s += std::exp(o[k] - o[best]);
        ImGui::Text("class %s (p = %.2f)", best < (int)v.class_names.size() ? v.class_names[best].c_str() : "?", 1.0 / s);
      }
      ImGui::EndTooltip();
    }
  }
}

}  // namespace lab::ui
