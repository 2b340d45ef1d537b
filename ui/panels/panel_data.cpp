// panel_data.cpp — the Data panel: [SECTION] dataset · [SECTION] parameters and seed · [SECTION] your CSV ·
// [SECTION] preview
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/ui_probe.h"
#include "data/dataset.h"
#include "imgui.h"
#include "panels/panels.h"
#include "widgets/flow.h"
#include "widgets/param_editor.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {
const char* kind_title(const std::string& k) {
  if (k == "2d") return "2-D problems";
  if (k == "image") return "Images";
  return "Tables";
}
}  // namespace

void panel_data(Controller& c, TextureCache& tex) {
  const json spec = c.spec();  // a copy: an edit below replaces the controller's
  if (!spec.is_object()) {
    ImGui::TextDisabled("Loading…");
    return;
  }
  const Classroom& cl = c.classroom;
  const bool locked = cl.locked("data");
  const std::string current = spec["data"].value("name", std::string());
  const json* info = c.dataset_info(current);
  const float fs = ImGui::GetFontSize();

  // [SECTION] dataset ----------------------------------------------------------------------------------
  if (!cl.hidden("data")) {
    ImGui::BeginDisabled(locked);
    ImGui::SetNextItemWidth(-FLT_MIN);
    const std::string preview = info ? info->value("title", current) : current;
    const ImGuiID combo_id = ImGui::GetID("##dataset");
    const bool combo_open = ImGui::BeginCombo("##dataset", preview.c_str(), ImGuiComboFlags_HeightLarge);
    ui_probe_label(combo_id, "Dataset");
    if (!combo_open && ImGui::CalcTextSize(preview.c_str()).x > ImGui::GetItemRectSize().x - ImGui::GetFrameHeight() * 1.5f)
      ImGui::SetItemTooltip("%s", preview.c_str());  // a title the box cuts off, in full
    if (combo_open) {
      for (const char* kind : {"2d", "image", "table"}) {
        ImGui::SeparatorText(kind_title(kind));
        for (const auto& d : c.registries()["datasets"]) {
          if (d.value("kind", std::string()) != kind) continue;
          const std::string name = d["name"];
          if (name.rfind("random", 0) == 0) continue;           // benchmark data, not for lessons
          if (name == "csv" && c.csv_name().empty()) continue;  // offered by "Load CSV…" below
          const std::string title = d.value("title", name);
          if (ImGui::Selectable((title + "##" + name).c_str(), name == current) && name != current) c.set_dataset(name);
          if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.value("description", std::string()).c_str());
        }
      }
      ImGui::EndCombo();
    }
    // The same choice as buttons for the 2-D problems (one click, like the playgrounds), by their titles,
    // flowing onto as many lines as the panel's width needs.
    bool first = true;
    for (const auto& d : c.registries()["datasets"]) {
      if (d.value("kind", std::string()) != "2d") continue;
      const std::string name = d["name"];
      const std::string label = d.value("title", name) + "##2d_" + name;
      if (!first) same_line_if_fits(button_width(label.c_str()));
      first = false;
      const bool on = name == current;
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyle().Colors[ImGuiCol_ButtonActive]);
      if (ImGui::Button(label.c_str()) && !on) c.set_dataset(name);
      if (on) ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.value("description", std::string()).c_str());
    }
    ImGui::EndDisabled();
    if (info) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s", info->value("description", std::string()).c_str());
      ImGui::PopTextWrapPos();
    }
  }

  // [SECTION] parameters and seed -------------------------------------------------------------------
  ImGui::BeginDisabled(locked);
  if (const DatasetInfo* d = dataset_registry().find(current)) {  // its parameters, from the registry's schema
    std::vector<std::string> skip = {"seed"};                     // drawn below with the experiment's seed
    if (cl.hidden("noise")) skip.push_back("noise");
    if (cl.hidden("ratio")) skip.push_back("test_ratio");
    const json before = spec["data"];
    json edited = before;
    if (param_editor(edited, d->params,
                     {.width = fs * 9,
                      .skip = skip,
                      .sliders = true,
                      .labels = {{"n", "Samples"}, {"noise", "Noise"}, {"test_ratio", "Test ratio"}}}))
      for (const json patch = changed_fields(before, edited); const auto& [key, value] : patch.items())
        if (value.is_number() || value.is_boolean())
          c.set_data_param(key, value.is_boolean() ? (double)value.get<bool>() : value.get<double>());
  }
  if (!cl.hidden("seed")) {
    int seed = (int)spec["data"].value("seed", (uint64_t)1);
    ImGui::SetNextItemWidth(fs * 9);
    if (ImGui::InputInt("Data seed", &seed, 1, 100, ImGuiInputTextFlags_EnterReturnsTrue) && seed >= 0) c.set_data_param("seed", seed);
    same_line_if_fits(button_width("Regenerate"));
    if (ImGui::Button("Regenerate")) c.regenerate();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Draw the data again with a new seed (written into the link)");
    int wseed = (int)spec.value("seed", (uint64_t)1);
    ImGui::SetNextItemWidth(fs * 9);
    if (ImGui::InputInt("Seed", &wseed, 1, 100, ImGuiInputTextFlags_EnterReturnsTrue) && wseed >= 0) c.set_seed((uint64_t)wseed);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The experiment's seed: initial weights, shuffling and (unless set apart) the data");
  }
  ImGui::EndDisabled();

  // [SECTION] your CSV ------------------------------------------------------------------------------
  if (!cl.hidden("csv") && !locked) {
    if (ImGui::Button("Load CSV…")) c.open_file("csv");
    ImGui::SameLine();
    ImGui::TextDisabled("stays in your browser");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "Your file is read by this page only: nothing is uploaded anywhere.\nA header row, numeric feature columns, the label in the "
          "last column.");
    if (current == "csv" && !c.csv_name().empty()) ImGui::Text("Table: %s", c.csv_name().c_str());
  }

  // [SECTION] preview ---------------------------------------------------------------------------------
  ImGui::Separator();
  const Snapshot& v = c.view();
  if (v.layers.empty()) {
    ImGui::TextDisabled("Preparing the data…");
    return;
  }
  if (v.plane) {
    ImGui::Checkbox("Train##pv", &c.show_train);
    ImGui::SameLine();
    ImGui::Checkbox("Test##pv", &c.show_test);
    const std::vector<PlotPoint> pts = plane_points(v);
    const float side = std::min(ImGui::GetContentRegionAvail().x, std::max(fs * 8, ImGui::GetContentRegionAvail().y - fs * 2));
    plane_plot("data_preview", 0, ImVec2(side, side), v.x0, v.x1, v.y0, v.y1, pts, c.show_train, c.show_test);
    ImGui::TextDisabled("%zu train, %zu test points shown", v.train_xy.size() / 2, v.test_xy.size() / 2);
  } else if (v.input_shape.size() == 3) {
    const int C = v.input_shape[0], H = v.input_shape[1], W = v.input_shape[2];
    const size_t in = (size_t)C * H * W;
    const int n = (int)(v.shown_x.size() / std::max<size_t>(1, in));
    const float tile = fs * 2.6f;
    const int per_row = std::max(1, (int)(ImGui::GetContentRegionAvail().x / (tile + ImGui::GetStyle().ItemSpacing.x)));
    for (int i = 0; i < n && i < 24; ++i) {
      if (i % per_row) ImGui::SameLine();
      ImTextureID t = sample_texture(tex, "data/" + std::to_string(i), v.version, v.shown_x.data() + (size_t)i * in, C, H, W);
      const int y = i < (int)v.shown_label.size() ? v.shown_label[i] : -1;
      const std::string cap = y >= 0 && y < (int)v.class_names.size() ? v.class_names[y] : "";
      ImGui::PushID(i);
      image_tile("sample", t, ImVec2(tile, tile), cap.c_str(), 0);
      ImGui::PopID();
    }
    ImGui::TextDisabled("%d×%d%s images, %d classes", H, W, C == 3 ? " colour" : "", v.num_classes);
  } else {
    ImGui::Text("%zu features: ", v.feature_names.size());
    std::string names;
    for (size_t i = 0; i < v.feature_names.size() && i < 12; ++i) names += (i ? ", " : "") + v.feature_names[i];
    ImGui::TextWrapped("%s", names.c_str());
    ImGui::Text("%s, %d %s", v.task.c_str(), v.task == "classification" ? v.num_classes : v.output_dim,
                v.task == "classification" ? "classes" : "targets");
  }
}

}  // namespace lab::ui
