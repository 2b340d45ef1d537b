// app.cpp — [SECTION] theme · [SECTION] frame & layout · [SECTION] menus and dialogs · [SECTION] banners and
// overlays · [SECTION] keyboard · [SECTION] views · [SECTION] diagnostics · [SECTION] status bar ·
// [SECTION] state for tests
#include "app/app.h"

#include "app/describe.h"
#include "app/ui_probe.h"
#include "imgui_internal.h"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/version.h"
#include "imgui.h"
#include "panels/panels.h"

namespace lab::ui {

namespace {
// Okabe–Ito colour-blind-safe palette (used for accents and result colours).
constexpr ImU32 kBlue = IM_COL32(0, 114, 178, 255), kOrange = IM_COL32(230, 159, 0, 255), kGreen = IM_COL32(0, 158, 115, 255),
                kVermillion = IM_COL32(213, 94, 0, 255);

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if ((unsigned char)c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else
      o += c;
  }
  return o;
}

// Reads a number field out of the flat JSON the bench job writes.
double json_number(const std::string& json, const char* key) {
  std::string k = std::string("\"") + key + "\":";
  auto p = json.find(k);
  return p == std::string::npos ? 0.0 : std::atof(json.c_str() + p + k.size());
}
bool json_true(const std::string& json, const char* key) { return json.find(std::string("\"") + key + "\":true") != std::string::npos; }

// Controls a teacher can hide, with the words the dialog shows.
const std::pair<const char*, const char*> kHideable[] = {{"data", "dataset choice"},
                                                         {"noise", "noise"},
                                                         {"ratio", "test ratio"},
                                                         {"seed", "seeds"},
                                                         {"features", "input features"},
                                                         {"activation", "activations"},
                                                         {"lr", "learning rate"},
                                                         {"optimizer", "optimizer"},
                                                         {"batch", "batch size"},
                                                         {"regularization", "regularization"},
                                                         {"schedule", "schedule"},
                                                         {"stop", "stop conditions"},
                                                         {"play", "play / pause"},
                                                         {"step", "step buttons"},
                                                         {"reset", "reset"},
                                                         {"csv", "CSV upload"}};
}  // namespace

constexpr const char* kTourWindow = "Tour of the lab";  // the tour window's id (its title changes per page)

// The keys, as Help → Keyboard shortcuts lists them (docs/accessibility.md too).
constexpr std::pair<const char*, const char*> kKeys[] = {
    {"Space or P", "play / pause (Space activates the focused control while you move with the keyboard)"},
    {"S", "one training step (a mini-batch)"},
    {"E", "train to the end of the epoch"},
    {"R", "reset the weights (same seed)"},
    {"L", "copy the link"},
    {"D", "describe this view: its numbers, read out by your screen reader"},
    {"?", "this list"},
    {"Tab / Shift+Tab", "next / previous control in the panel"},
    {"Arrow keys", "move between controls; in a slider or field, change its value"},
    {"Space / Enter", "press the focused button; Enter edits a number field"},
    {"Ctrl+Tab", "next panel (Data, Network, Training, Views)"},
    {"Alt", "the menu bar (then arrows and Enter)"},
    {"Escape", "close a menu or a window, leave a field; then restore a maximised panel"},
};

App::App(Lab& lab, Textures& textures) : lab_(lab), textures_(textures), controller_(lab) {}

// [SECTION] theme -------------------------------------------------------------------------------

void App::apply_theme() {
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  ImVec4* c = st.Colors;
  // ImGui's themes, adjusted where they miss WCAG AA (tests/e2e/accessibility.test.mjs checks every pair):
  // text 4.5:1 on every surface it is drawn on (hint text — TextDisabled — included), focus and state
  // indicators (nav highlight, check marks, slider grabs) 3:1 against what surrounds them.
  if (dark_) {
    ImGui::StyleColorsDark(&st);
    c[ImGuiCol_TextDisabled] = ImVec4(0.62f, 0.62f, 0.62f, 1.00f);
    const ImVec4 strong(0.16f, 0.40f, 0.72f, 1.00f);  // white text stays above 4.5:1 on it
    c[ImGuiCol_ButtonHovered] = c[ImGuiCol_HeaderHovered] = c[ImGuiCol_TabHovered] = strong;
    c[ImGuiCol_ButtonActive] = c[ImGuiCol_HeaderActive] = ImVec4(0.11f, 0.33f, 0.62f, 1.00f);
    c[ImGuiCol_TabActive] = ImVec4(0.14f, 0.34f, 0.62f, 1.00f);
    c[ImGuiCol_NavHighlight] = ImVec4(0.45f, 0.72f, 1.00f, 1.00f);
  } else {
    ImGui::StyleColorsLight(&st);
    c[ImGuiCol_TextDisabled] = ImVec4(0.36f, 0.36f, 0.36f, 1.00f);
    const ImVec4 mark(0.00f, 0.36f, 0.75f, 1.00f);
    c[ImGuiCol_CheckMark] = c[ImGuiCol_SliderGrab] = c[ImGuiCol_NavHighlight] = mark;
    c[ImGuiCol_SliderGrabActive] = ImVec4(0.00f, 0.28f, 0.60f, 1.00f);
  }
  const ImVec4 page = page_clear_color();
  set_page_background(ImGui::ColorConvertFloat4ToU32(page));
  st.WindowRounding = 4.0f;
  st.FrameRounding = 3.0f;
  st.WindowBorderSize = 1.0f;
  st.ScaleAllSizes(ui_scale_);  // the platform re-rasterises the font at ui_scale() × device pixel ratio
  theme_applied_ = true;
}

// [SECTION] frame & layout -----------------------------------------------------------------------

void App::frame(const AppInfo& info, double frame_ms) {
  info_ = info;
  frame_ms_ = frame_ms;
  ++frames_;
  if (!theme_applied_) apply_theme();
  poll_jobs();
  controller_.frame(ImGui::GetTime() * 1000.0);
  shortcuts();
  menu_bar();
  const float bar_h = ImGui::GetFrameHeight();
  float top = ImGui::GetFrameHeight();  // main menu bar height
  banners();                            // first: the panels start below them in this same frame
  top += banners_height_;
  panels(top, ImGui::GetIO().DisplaySize.y - bar_h);
  status_bar(bar_h);
  window_neuron(controller_, textures_);
  overlays();
  classroom_dialog();
  description_window();
  tour();
  if (show_about_) {
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("About NeuronLab", &show_about_, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
      ImGui::Text("NeuronLab %s", version());
      ImGui::TextUnformatted("A neural-network laboratory that runs entirely in your browser.");
      ImGui::TextUnformatted("C++ core compiled to WebAssembly (SIMD, threads); UI drawn with Dear ImGui.");
      ImGui::TextUnformatted("Nothing you do here leaves your browser.");
    }
    ImGui::End();
  }
}

// [SECTION] menus and dialogs ---------------------------------------------------------------------

void App::menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  Controller& c = controller_;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Copy link")) {
      c.copy_link();
      show_link_ = true;
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Export experiment…")) c.export_experiment();
    if (ImGui::MenuItem("Import experiment…")) c.open_file("experiment");
    ImGui::Separator();
    if (ImGui::MenuItem("Export model…")) c.export_model();
    if (ImGui::MenuItem("Import model…")) c.open_file("model");
    if (ImGui::MenuItem("Export PyTorch script…")) c.export_pytorch();
    ImGui::Separator();
    if (!c.classroom.locked("data") && ImGui::MenuItem("Load CSV…")) c.open_file("csv");
    if (ImGui::MenuItem("Classroom link…")) show_classroom_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Describe this view", "D")) describe_view();
    ImGui::Separator();
    ImGui::MenuItem("Diagnostics", nullptr, &show_diagnostics_);
    ImGui::Separator();
    if (ImGui::BeginMenu("Layout")) {
      static const char* kModes[] = {"Fit the screen", "Three columns", "Two columns", "One panel at a time"};
      for (int m = 0; m < 4; ++m)
        if (ImGui::MenuItem(kModes[m], nullptr, layout_.mode == m)) {
          layout_.mode = Layout::Mode(m);
          layout_changed();
        }
      ImGui::Separator();
      for (int i = 0; i < kPanelCount; ++i) {
        char label[48];
        std::snprintf(label, sizeof label, "Maximise %s", kPanelNames[i]);
        if (ImGui::MenuItem(label, nullptr, layout_.maximised == i)) {
          layout_.maximised = layout_.maximised == i ? -1 : i;
          layout_changed();
        }
      }
      ImGui::Separator();
      if (ImGui::MenuItem("Reset the layout")) {
        layout_ = Layout();
        layout_changed();
      }
      ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Dark theme", nullptr, dark_)) {
      dark_ = true;
      theme_applied_ = false;
    }
    if (ImGui::MenuItem("Light theme", nullptr, !dark_)) {
      dark_ = false;
      theme_applied_ = false;
    }
    ImGui::Separator();
    for (float s : {0.75f, 1.0f, 1.25f, 1.5f, 2.0f}) {
      char label[32];
      std::snprintf(label, sizeof label, "UI scale %d%%", (int)(s * 100 + 0.5f));
      if (ImGui::MenuItem(label, nullptr, ui_scale_ == s)) {
        ui_scale_ = s;
        theme_applied_ = false;
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Tour of the lab")) start_tour();
    if (ImGui::MenuItem("Keyboard shortcuts", "?")) show_shortcuts_ = true;
    if (ImGui::MenuItem("About NeuronLab")) show_about_ = true;
    ImGui::EndMenu();
  }
  // Always in reach: share.
  ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize("Copy link").x - ImGui::GetStyle().FramePadding.x * 4);
  if (ImGui::SmallButton("Copy link")) {
    c.copy_link();
    show_link_ = true;
  }
  ImGui::EndMainMenuBar();
}

void App::classroom_dialog() {
  if (show_classroom_) ImGui::OpenPopup("Classroom link");
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Classroom link", &show_classroom_)) return;
  ImGui::TextWrapped(
      "A link for your students: this experiment, with the controls you tick hidden, optionally the "
      "data or the network locked, and your instructions shown on top.");
  ImGui::SeparatorText("Hide");
  int i = 0;
  for (const auto& [id, words] : kHideable) {
    bool on = std::find(cls_hide_.begin(), cls_hide_.end(), id) != cls_hide_.end();
    if (i++ % 3) ImGui::SameLine(ImGui::GetFontSize() * 10 * ((i - 1) % 3));
    if (ImGui::Checkbox(words, &on)) {
      if (on)
        cls_hide_.push_back(id);
      else
        cls_hide_.erase(std::remove(cls_hide_.begin(), cls_hide_.end(), std::string(id)), cls_hide_.end());
    }
  }
  ImGui::SeparatorText("Lock");
  for (const char* what : {"data", "network"}) {
    bool on = std::find(cls_lock_.begin(), cls_lock_.end(), what) != cls_lock_.end();
    if (std::string(what) == "network") ImGui::SameLine();
    if (ImGui::Checkbox(what, &on)) {
      if (on)
        cls_lock_.push_back(what);
      else
        cls_lock_.erase(std::remove(cls_lock_.begin(), cls_lock_.end(), std::string(what)), cls_lock_.end());
    }
  }
  ImGui::SeparatorText("Instructions");
  ImGui::InputTextMultiline("##instructions", cls_text_, sizeof cls_text_, ImVec2(-FLT_MIN, ImGui::GetFontSize() * 5));
  if (ImGui::Button("Copy classroom link")) {
    json s = controller_.share_state();
    if (!s.is_null()) {
      s["classroom"] = {{"hide", cls_hide_}, {"lock", cls_lock_}, {"text", std::string(cls_text_)}};
      controller_.request({"copy_link", "classroom", "", s.dump(), {}});
      show_link_ = true;
    }
    show_classroom_ = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) {
    show_classroom_ = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// [SECTION] banners and overlays ------------------------------------------------------------------

void App::banners() {
  Controller& c = controller_;
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  const float top = ImGui::GetFrameHeight();
  struct Line {
    std::string text;
    ImU32 col;
    int kind;
  };  // kind: 0 classroom, 1 notice, 2 error
  std::vector<Line> lines;
  if (c.classroom.active && !c.classroom.text.empty()) lines.push_back({c.classroom.text, kBlue, 0});
  if (!c.notice().empty()) lines.push_back({c.notice(), kOrange, 1});
  if (!c.error().empty()) lines.push_back({c.error(), kVermillion, 2});
  if (lines.empty()) {
    banners_height_ = 0;
    return;
  }
  // The height is worked out before drawing, so the panels below move in the same frame (a click read
  // from this frame's widget positions lands where it should).
  const ImGuiStyle& style = ImGui::GetStyle();
  const float reserve = ImGui::GetFontSize() * (c.has_kept_replay() ? 10.5f : 5.0f);  // the buttons at the right
  const float wrap = ds.x - reserve;
  float hgt = style.WindowPadding.y * 2;
  for (const auto& l : lines) {
    const float lead = ImGui::CalcTextSize("Exercise: ").x + style.ItemSpacing.x;
    hgt += std::max(ImGui::GetFrameHeight(), ImGui::CalcTextSize(l.text.c_str(), nullptr, false, std::max(10.0f, wrap - lead)).y) +
           style.ItemSpacing.y;
  }
  banners_height_ = std::floor(hgt);
  ImGui::SetNextWindowPos(ImVec2(0, top), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(ds.x, banners_height_), ImGuiCond_Always);
  const ImGuiWindowFlags f =
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
  if (ImGui::Begin("##banners", nullptr, f)) {
    for (size_t i = 0; i < lines.size(); ++i) {
      ImGui::PushID((int)i);
      ImGui::PushStyleColor(ImGuiCol_Text, text_tone(lines[i].col));
      ImGui::TextUnformatted(lines[i].kind == 0 ? "Exercise:" : lines[i].kind == 1 ? "Note:" : "Error:");
      ImGui::PopStyleColor();
      ImGui::SameLine();
      ImGui::PushTextWrapPos(wrap);
      ImGui::TextUnformatted(lines[i].text.c_str());
      ImGui::PopTextWrapPos();
      if (lines[i].kind == 1 && c.has_kept_replay()) {  // a cancelled replay's history, kept
        ImGui::SameLine(ds.x - ImGui::GetFontSize() * 9.5f);
        if (ImGui::SmallButton("Replay it")) c.replay_kept();
      }
      if (lines[i].kind) {
        ImGui::SameLine(ds.x - ImGui::GetFontSize() * 4);
        if (ImGui::SmallButton("Dismiss")) {
          if (lines[i].kind == 1) {
            c.set_notice("");
            c.drop_kept_replay();
          } else {
            c.clear_error();
          }
        }
      }
      ImGui::PopID();
    }
  }
  ImGui::End();
}

void App::overlays() {
  Controller& c = controller_;
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  const std::string what = c.progress_text();
  if (!what.empty()) {  // long jobs: a progress bar that can be cancelled
    ImGui::SetNextWindowPos(ImVec2(ds.x * 0.5f, ds.y * 0.45f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 22, 0), ImGuiCond_Always);
    if (ImGui::Begin(
            "Working", nullptr,
            ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings)) {
      ImGui::TextWrapped("%s", what.c_str());
      ImGui::ProgressBar((float)c.progress(), ImVec2(-FLT_MIN, 0));
      if (c.replay_question()) {  // a long replay asks first (it goes on meanwhile)
        ImGui::TextWrapped("%s", c.replay_question_text().c_str());
        if (ImGui::Button("Replay it all")) c.keep_replaying();
        ImGui::SameLine();
        if (ImGui::Button("Open at step 0")) c.open_at_start();
      } else if (ImGui::Button("Cancel##progress")) {
        c.cancel();
      }
    }
    ImGui::End();
  }
  if (show_link_) {
    // Centred, as wide as fits (up to 40 em); the height follows the content every frame, so the link and
    // its buttons show without scrolling whatever the text wraps to.
    ImGui::SetNextWindowPos(ImVec2(ds.x * 0.5f, ds.y * 0.3f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(ds.x * 0.9f, ImGui::GetFontSize() * 40), 0), ImGuiCond_Always);
    if (ImGui::Begin("Share this experiment", &show_link_, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
      if (c.last_link.empty())
        ImGui::TextDisabled("Making the link…");
      else {
        ImGui::TextWrapped(
            "The link holds the whole experiment: data, network, hyper-parameters and every change you made, "
            "so whoever opens it replays the same run to step %lld (weights digest %s).",
            c.view().step, c.view().digest.c_str());
        link_buf_ = c.last_link;
        ImGui::SetNextItemWidth(-FLT_MIN);
        ImGui::InputText("##link", link_buf_.data(), link_buf_.size() + 1, ImGuiInputTextFlags_ReadOnly);
        if (ImGui::Button("Copy the link")) c.copy_link();
        ImGui::SameLine();
        if (ImGui::Button("Close##share")) show_link_ = false;
        ImGui::SameLine();
        ImGui::TextDisabled(
            "%s", c.link_copied ? "Copied to the clipboard." : "Select the text and copy it (the browser refused the clipboard).");
      }
    }
    ImGui::End();
  }
  if (show_shortcuts_) {
    if (ImGui::Begin("Keyboard shortcuts", &show_shortcuts_, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
      if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_SizingFixedFit)) {
        for (const auto& [key, what] : kKeys) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(key);
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(what);
        }
        ImGui::EndTable();
      }
    }
    ImGui::End();
  }
}

// [SECTION] describe this view ----------------------------------------------------------------------

std::string App::describe() const { return describe_views(controller_, image_view_.tab, attributions_.state()); }

void App::describe_view() {
  description_ = describe();
  show_description_ = true;
  controller_.say(description_);
}

void App::description_window() {
  if (!show_description_) return;
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.4f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::Begin("Description", &show_description_, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::TextWrapped("%s", description_.c_str());
    if (ImGui::Button("Describe again")) describe_view();
    ImGui::SameLine();
    if (ImGui::Button("Close")) show_description_ = false;
  }
  ImGui::End();
}

// [SECTION] the first-run tour ----------------------------------------------------------------------

namespace {
struct TourPage {
  int panel;  // the panel it points at (−1: none)
  const char* title;
  const char* text;
};
constexpr TourPage kTour[] = {
    {-1, "Welcome to NeuronLab",
     "A neural network that trains right here, in your browser: nothing to install, nothing leaves your machine. "
     "Four panels make the lab; this tour shows each in a sentence or two (Escape ends it, Help → Tour of the lab "
     "brings it back)."},
    {0, "Data",
     "What the network learns from: pick a dataset. The spiral is two arms of points, one per colour; the network "
     "must learn which arm a point belongs to. Samples, noise and the test share are here too, or load your own CSV."},
    {1, "Network",
     "The layers and their neurons. Each neuron shows what it computes over the plane; lines are weights (blue "
     "positive, orange negative, as wide as they are strong). + neuron, − neuron and Add layer change it; click a "
     "neuron to look inside it."},
    {2, "Training",
     "Play trains (Space pauses), at the pace Speed sets: 300 steps a second lets you watch. Learning rate, optimizer "
     "and batch size change live; the curves show loss and accuracy, and the doctor speaks up when a run goes wrong."},
    {3, "Views",
     "What the network has learned: the decision surface with the points. Attributions shows which inputs a "
     "decision rests on, method by method; Arena scores those methods against each other."},
    {2, "Try this",
     "Press Play and watch the surface bend around the spiral: about half a minute to 90 % test accuracy. Then take "
     "neurons away (− neuron), press Reset and Play again: how few can still do it? Copy link shares the whole run."},
};
}  // namespace

std::string App::tour_json() const {
  const int n = (int)(sizeof kTour / sizeof kTour[0]);
  if (tour_step_ < 0) return R"({"open":false})";
  return nlohmann::json({{"open", true}, {"page", tour_step_ + 1}, {"pages", n}, {"title", kTour[std::min(tour_step_, n - 1)].title},
                         {"panel", kTour[std::min(tour_step_, n - 1)].panel}})
      .dump();
}

void App::end_tour() {
  if (tour_step_ < 0) return;
  tour_step_ = -1;
  controller_.request({"tour_done", "", "", "", {}});  // the page remembers: no tour on the next visit
}

void App::tour() {
  tour_visible_ = false;
  if (tour_step_ < 0) return;
  const int n = (int)(sizeof kTour / sizeof kTour[0]);
  tour_step_ = std::min(tour_step_, n - 1);
  const TourPage& pg = kTour[tour_step_];
  if (pg.panel >= 0 && !placement_.panel[pg.panel].visible) {  // on another tab, or behind a maximised panel
    layout_.maximised = -1;
    layout_.tab = pg.panel;
  }
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  const float fs = ImGui::GetFontSize(), w = std::min(ds.x * 0.9f, fs * 26);
  // Beside the panel it explains (inside it when there is no room), or centred.
  ImVec2 pos(ds.x * 0.5f, ds.y * 0.4f), pivot(0.5f, 0.5f);
  if (pg.panel >= 0) {
    const ImVec4 r = panel_rect_[pg.panel];
    const bool right = r.x + r.z + w + fs < ds.x;
    pos = ImVec2(right ? r.x + r.z + fs * 0.5f : std::max(fs * 0.5f, r.x + r.z - w - fs * 0.5f), r.y + fs * 3);
    pivot = ImVec2(0, 0);
    ImDrawList* fg = ImGui::GetForegroundDrawList();
    fg->AddRect(ImVec2(r.x + 2, r.y + 2), ImVec2(r.x + r.z - 2, r.y + r.w - 2), ImGui::GetColorU32(ImGuiCol_NavHighlight), 4.0f, 0,
                std::max(3.0f, fs * 0.2f));
  }
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always, pivot);
  ImGui::SetNextWindowSize(ImVec2(w, 0), ImGuiCond_Always);
  bool open = true;
  char title[96];
  std::snprintf(title, sizeof title, "%s (%d of %d)###%s", pg.title, tour_step_ + 1, n, kTourWindow);
  if (ImGui::Begin(title, &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove)) {
    tour_visible_ = true;
    ImGui::TextWrapped("%s", pg.text);
    ImGui::Spacing();
    if (tour_step_ > 0) {
      if (ImGui::Button("Back")) --tour_step_;
      ImGui::SameLine();
    }
    if (tour_step_ + 1 < n) {
      if (ImGui::Button("Next")) ++tour_step_;
      ImGui::SameLine();
      if (ImGui::Button("Skip the tour")) end_tour();
    } else {
      if (ImGui::Button("Play now")) {
        end_tour();
        if (!controller_.playing()) controller_.toggle_play();
      }
      ImGui::SameLine();
      if (ImGui::Button("Close##tour")) end_tour();
    }
  }
  ImGui::End();
  if (!open) end_tour();
}

// [SECTION] keyboard ------------------------------------------------------------------------------

std::vector<std::pair<const char*, bool*>> App::dialogs() {
  return {{"About NeuronLab", &show_about_},
          {"Share this experiment", &show_link_},
          {"Keyboard shortcuts", &show_shortcuts_},
          {"Description", &show_description_},
          {"Neuron inspector", &controller_.neuron_open}};
}

bool App::close_front_dialog() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  if (tour_visible_ && tour_step_ >= 0) {  // the tour first: it sits on top of everything
    end_tour();
    return true;
  }
  const auto ds = dialogs();
  for (int i = g.Windows.Size - 1; i >= 0; --i) {  // display order: the last is in front
    const ImGuiWindow* w = g.Windows[i];
    if (!w->WasActive && !w->Active) continue;
    for (const auto& [name, open] : ds)
      if (*open && std::strcmp(w->Name, name) == 0) {
        *open = false;
        return true;
      }
  }
  return false;
}

bool App::dialog_focused() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiWindow* w = g.NavWindow ? g.NavWindow->RootWindow : nullptr;
  if (!w) return false;
  if (tour_step_ >= 0 && std::strstr(w->Name, kTourWindow) != nullptr) return true;
  for (const auto& [name, open] : dialogs())
    if (*open && std::strcmp(w->Name, name) == 0) return true;
  return false;
}

void App::shortcuts() {
  ImGuiIO& io = ImGui::GetIO();
  // A modal dialog (Classroom link) has the keyboard: Escape closes it, no key reaches the lab behind it.
  if (ImGui::GetTopMostPopupModal() != nullptr) {
    if (!io.WantTextInput && !ImGui::IsAnyItemActive() && ImGui::IsKeyPressed(ImGuiKey_Escape, false)) show_classroom_ = false;
    return;
  }
  if (io.WantTextInput || ImGui::IsAnyItemActive() || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
  // Escape closes the frontmost dialog window; while a dialog has the focus, the lab's keys are off.
  if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && close_front_dialog()) return;
  if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && layout_.maximised >= 0) {  // then a maximised panel is restored
    layout_.maximised = -1;
    layout_changed();
    return;
  }
  if (dialog_focused()) return;
  Controller& c = controller_;
  const Classroom& cl = c.classroom;
  // While the user moves through the controls with the keyboard, Space presses the focused one.
  const bool navigating = io.NavVisible && ImGui::GetCurrentContext()->NavId != 0;
  if (((ImGui::IsKeyPressed(ImGuiKey_Space, false) && !navigating) || ImGui::IsKeyPressed(ImGuiKey_P, false)) && !cl.hidden("play"))
    c.toggle_play();
  if (ImGui::IsKeyPressed(ImGuiKey_D, false)) describe_view();
  if (ImGui::IsKeyPressed(ImGuiKey_Slash, false) && io.KeyShift) show_shortcuts_ = true;
  if (ImGui::IsKeyPressed(ImGuiKey_S, false) && !cl.hidden("step")) c.step_batch();
  if (ImGui::IsKeyPressed(ImGuiKey_E, false) && !cl.hidden("step")) c.step_epoch();
  if (ImGui::IsKeyPressed(ImGuiKey_R, false) && !cl.hidden("reset")) c.reset();
  if (ImGui::IsKeyPressed(ImGuiKey_L, false)) {
    c.copy_link();
    show_link_ = true;
  }
}

// [SECTION] layout --------------------------------------------------------------------------------

void App::panels(float top, float bottom) {
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  const ImVec4 ws(0, top, ds.x, std::max(1.0f, bottom - top));
  const Placement p = layout_.place(ws, ImGui::GetFontSize(), show_diagnostics_);
  placement_ = p;
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoSavedSettings;
  if (p.tabs) panel_tabs(p);
  for (int i = 0; i < kPanelCount; ++i) {
    const PanelPlace& pp = p.panel[i];
    panel_rect_[i] = pp.visible ? pp.rect : ImVec4(0, 0, 0, 0);
    if (!pp.visible) continue;
    ImGui::SetNextWindowPos(ImVec2(pp.rect.x, pp.rect.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(pp.rect.z, pp.rect.w), ImGuiCond_Always);
    // (a panel that cannot collapse here — a tab, a maximised one — is open even if collapsed in columns)
    ImGui::SetNextWindowCollapsed(pp.can_collapse && layout_.collapsed[i], ImGuiCond_Always);
    const bool open = ImGui::Begin(kPanelNames[i], nullptr, fixed | (pp.can_collapse ? 0 : ImGuiWindowFlags_NoCollapse));
    // The title bar's arrow (or a double click on it) collapses the panel; the others take its room.
    if (pp.can_collapse && ImGui::IsWindowCollapsed() != layout_.collapsed[i]) {
      layout_.collapsed[i] = ImGui::IsWindowCollapsed();
      layout_changed();
    }
    if (title_button(i)) {
      layout_.maximised = layout_.maximised == i ? -1 : i;
      layout_changed();
    }
    if (open && !layout_.collapsed[i]) {
      switch (i) {
        case kData: panel_data(controller_, textures_); break;
        case kNetwork: panel_network(controller_, textures_, *network_memory_); break;
        case kTraining: panel_training(controller_); break;
        case kViews: panel_views(); break;
      }
    }
    ImGui::End();
  }
  if (show_diagnostics_ && p.diagnostics.z > 0) {
    ImGui::SetNextWindowPos(ImVec2(p.diagnostics.x, p.diagnostics.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(p.diagnostics.z, p.diagnostics.w), ImGuiCond_Always);
    if (ImGui::Begin("Diagnostics", nullptr, fixed | ImGuiWindowFlags_NoCollapse)) panel_diagnostics();
    ImGui::End();
  }
  gutters(p);
}

// The tab strip of a narrow screen: which panel the left column (two columns) or the screen (one) shows.
void App::panel_tabs(const Placement& p) {
  ImGui::SetNextWindowPos(ImVec2(p.tabs_rect.x, p.tabs_rect.y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(p.tabs_rect.z, p.tabs_rect.w), ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetFontSize() * 0.25f, ImGui::GetFontSize() * 0.25f));
  const ImGuiWindowFlags f = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  if (ImGui::Begin("##panel_tabs", nullptr, f)) {
    if (ImGui::BeginTabBar("panels", ImGuiTabBarFlags_FittingPolicyResizeDown)) {
      for (int i = p.first_tab; i <= p.last_tab; ++i) {
        // A layout that changes the panel shown (a tour page, lab.ui.layout()) selects its tab; the strip's
        // selection follows a frame later, and until then its old selection is not read as a click.
        const bool shown = p.panel[i].visible;
        if (ImGui::BeginTabItem(kPanelNames[i], nullptr, shown && tab_shown_ != i ? ImGuiTabItemFlags_SetSelected : 0)) {
          if (i != tab_shown_ && !shown) {  // the user picked this tab
            layout_.tab = i;
            layout_changed();
          }
          tab_shown_ = i;
          ImGui::EndTabItem();
        }
      }
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

// The gutters between panels: page background that the mouse drags to resize them (a double click puts
// the split back). They lie between windows, so a scrollbar or a widget at a panel's edge never competes.
void App::gutters(const Placement& p) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiIO& io = ImGui::GetIO();
  const bool blocked = ImGui::GetTopMostPopupModal() != nullptr || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  if (dragging_ >= p.gutters) dragging_ = -1;
  int hovered = -1;
  if (!blocked && g.HoveredWindow == nullptr && dragging_ < 0 && g.ActiveId == 0) {
    for (int k = 0; k < p.gutters; ++k) {
      const ImVec4 r = p.gutter[k].rect;
      const float m = 1.0f;  // a pixel either side: the gutter's edges are the panels' borders
      if (io.MousePos.x >= r.x - m && io.MousePos.x < r.x + r.z + m && io.MousePos.y >= r.y - m && io.MousePos.y < r.y + r.w + m)
        hovered = k;
    }
  }
  if (hovered >= 0 && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    layout_.reset_split(p.gutter[hovered].split);
    layout_changed();
    return;
  }
  if (hovered >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) dragging_ = hovered;
  if (dragging_ >= 0) {
    const Gutter& gt = p.gutter[dragging_];
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      dragging_ = -1;
      layout_changed();  // remembered once the drag ends
    } else {
      layout_.drag(gt, gt.vertical ? io.MousePos.x : io.MousePos.y);
    }
  }
  const int shown = dragging_ >= 0 ? dragging_ : hovered;
  if (shown >= 0) {
    const Gutter& gt = p.gutter[shown];
    ImGui::SetMouseCursor(gt.vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    const ImVec4 r = gt.rect;
    ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.x + r.z, r.y + r.w), ImGui::GetColorU32(ImGuiCol_SeparatorHovered));
  }
}

// The square button at the right of a panel's title bar: maximise it (the workspace is its), or restore.
bool App::title_button(int panel) {
  ImGuiWindow* w = ImGui::GetCurrentWindow();
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImRect title = w->TitleBarRect();
  const float sz = ImGui::GetFontSize();
  const ImVec2 pos(title.Max.x - st.FramePadding.x - sz, title.Min.y + (title.GetHeight() - sz) * 0.5f);
  const ImRect bb(pos, ImVec2(pos.x + sz, pos.y + sz));
  const ImGuiID id = w->GetID("#maximise");
  const bool max = layout_.maximised == panel;
  char label[48];
  std::snprintf(label, sizeof label, "%s %s", max ? "Restore" : "Maximise", kPanelNames[panel]);
  ImGui::PushClipRect(title.Min, title.Max, false);
  const ImGuiNavLayer layer = w->DC.NavLayerCurrent;
  w->DC.NavLayerCurrent = ImGuiNavLayer_Menu;
  bool pressed = false;
  if (ImGui::ItemAdd(bb, id)) {
    ui_probe_label(id, label);
    bool hovered = false, held = false;
    pressed = ImGui::ButtonBehavior(bb, id, &hovered, &held);
    ImDrawList* dl = w->DrawList;
    if (hovered || held) dl->AddRectFilled(bb.Min, bb.Max, ImGui::GetColorU32(held ? ImGuiCol_ButtonActive : ImGuiCol_ButtonHovered), 2.0f);
    const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
    const float t = std::max(1.0f, std::round(sz * 0.08f)), a = std::round(sz * 0.22f), b = std::round(sz * 0.78f);
    if (!max) {
      dl->AddRect(ImVec2(pos.x + a, pos.y + a), ImVec2(pos.x + b, pos.y + b), ink, 0, 0, t);
      dl->AddLine(ImVec2(pos.x + a, pos.y + a + t), ImVec2(pos.x + b, pos.y + a + t), ink, t);
    } else {  // two overlapping squares: restore
      const float m = std::round(sz * 0.16f);
      dl->AddRect(ImVec2(pos.x + a + m, pos.y + a), ImVec2(pos.x + b, pos.y + b - m), ink, 0, 0, t);
      dl->AddRectFilled(ImVec2(pos.x + a, pos.y + a + m), ImVec2(pos.x + b - m, pos.y + b), ImGui::GetColorU32(ImGuiCol_TitleBgActive));
      dl->AddRect(ImVec2(pos.x + a, pos.y + a + m), ImVec2(pos.x + b - m, pos.y + b), ink, 0, 0, t);
    }
    if (hovered) ImGui::SetTooltip("%s (%s)", label, max ? "or Escape" : "the whole workspace; Escape restores");
  }
  w->DC.NavLayerCurrent = layer;
  ImGui::PopClipRect();
  return pressed;
}

void App::layout_changed() { controller_.request({"layout", "", "", layout_.to_json().dump(), {}}); }

nlohmann::json App::layout_json() const {
  nlohmann::json j = layout_.to_json();
  j["columns"] = layout_.columns(ImGui::GetIO().DisplaySize.x, ImGui::GetFontSize());  // as the next frame places them
  nlohmann::json ps = nlohmann::json::object();
  for (int i = 0; i < kPanelCount; ++i) {
    const PanelPlace& pp = placement_.panel[i];
    ps[kPanelNames[i]] = {{"visible", pp.visible}, {"collapsed", pp.visible && pp.collapsed}, {"x", pp.rect.x},
                          {"y", pp.rect.y},        {"w", pp.rect.z},                          {"h", pp.rect.w}};
  }
  j["panels"] = ps;
  nlohmann::json gs = nlohmann::json::array();
  for (int k = 0; k < placement_.gutters; ++k) {
    const Gutter& g = placement_.gutter[k];
    static const char* kSplit[] = {"dataWidth", "networkWidth", "leftWidth", "trainingHeight"};
    gs.push_back({{"split", kSplit[g.split]}, {"x", g.rect.x}, {"y", g.rect.y}, {"w", g.rect.z}, {"h", g.rect.w}, {"vertical", g.vertical}});
  }
  j["gutters"] = gs;
  return j;
}

std::string App::set_layout(const nlohmann::json& patch) {
  std::string err = layout_.apply(patch);
  if (err.empty()) layout_changed();
  return err;
}

// [SECTION] views ---------------------------------------------------------------------------------

void App::panel_views() {
  Controller& c = controller_;
  const Snapshot& v = c.view();
  if (v.layers.empty()) {
    ImGui::TextDisabled("Waiting for the first results…");
    return;
  }
  attributions_.frame(c, ImGui::GetTime() * 1000.0);
  if (!v.plane) {
    view_images(c, textures_, image_view_, &attributions_);
    return;
  }
  if (!ImGui::BeginTabBar("plane_views")) return;
  if (ImGui::BeginTabItem("Surface")) {
    image_view_.tab = "Surface";
    view_plane(c, textures_);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Attributions")) {
    image_view_.tab = "Attributions";
    attributions_.tab_attributions(c, textures_);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Arena")) {
    image_view_.tab = "Arena";
    attributions_.tab_arena(c, textures_);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

// [SECTION] diagnostics ---------------------------------------------------------------------------

void App::poll_jobs() {
  if (!bench_job_ || !bench_job_->finished()) return;
  bench_state_ = job_state_name(bench_job_->state());
  if (bench_job_->state() == Job::State::Done) bench_result_json_ = bench_job_->result_json;
  bench_error_ = bench_job_->error();
  bench_job_.reset();
}

void App::panel_diagnostics() {
  const BuildInfo b = build_info();
  ImGui::Text("Build: %s, SIMD %s, %s", b.compiler.c_str(), b.simd ? "on" : "off", b.threads_enabled ? "threads" : "single-threaded");
  int threads = lab_.threads();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::BeginDisabled(lab_.max_threads() <= 1);
  if (ImGui::SliderInt("Threads", &threads, 1, std::max(1, lab_.max_threads()))) lab_.set_threads(threads);
  ImGui::EndDisabled();
  ImGui::SameLine();
  bool force_ref = lab_.force_reference();
  if (ImGui::Checkbox("Force reference kernels", &force_ref)) lab_.set_force_reference(force_ref);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::SliderInt("Matrix size", &bench_n_, 64, 1024);
  ImGui::SameLine();
  const bool running = bench_job_ != nullptr;
  if (!running) {
    if (ImGui::Button("Run matmul benchmark")) {
      bench_job_ = lab_.matmul_bench_async(bench_n_, bench_reps_);
      bench_state_ = "running";
      bench_error_.clear();
      poll_jobs();  // a single-threaded build has already finished it
    }
  } else {
    if (ImGui::Button("Cancel")) bench_job_->cancel();
    ImGui::SameLine();
    ImGui::ProgressBar((float)bench_job_->progress(), ImVec2(-1, 0));
  }
  if (!bench_result_json_.empty()) {
    const std::string& r = bench_result_json_;
    ImGui::Text("%d×%d×%d: %.1f GFLOP/s on 1 thread, %.1f on %d (×%.2f)", (int)json_number(r, "n"), (int)json_number(r, "n"),
                (int)json_number(r, "n"), json_number(r, "gflops_1"), json_number(r, "gflops_n"), (int)json_number(r, "threads"),
                json_number(r, "speedup"));
    const bool same = json_true(r, "bit_identical");
    ImGui::PushStyleColor(ImGuiCol_Text, text_tone(same ? kGreen : kVermillion));
    ImGui::TextUnformatted(same ? "1 thread and N threads: bit-identical" : "1 thread and N threads DIFFER");
    ImGui::PopStyleColor();
  }
  if (!bench_error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, text_tone(kVermillion));
    ImGui::TextWrapped("Benchmark failed: %s", bench_error_.c_str());
    ImGui::PopStyleColor();
  }
}

// [SECTION] status bar --------------------------------------------------------------------------

void App::status_bar(float height) {
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(0, ds.y - height), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(ds.x, height), ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().FramePadding.x, ImGui::GetStyle().FramePadding.y));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  const ImGuiWindowFlags f = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                             ImGuiWindowFlags_NoNavFocus;  // no controls: Ctrl+Tab skips it
  if (ImGui::Begin("##status", nullptr, f)) {
    const BuildInfo b = build_info();
    ImGui::PushStyleColor(ImGuiCol_Text, text_tone(b.simd ? kGreen : kOrange));
    ImGui::Text("SIMD %s", b.simd ? "on" : "off");
    ImGui::PopStyleColor();
    ImGui::SameLine(0, ImGui::GetFontSize());
    if (b.threads_enabled) {
      ImGui::Text("threads %d of %d in the pool", lab_.threads(), lab_.max_threads());
    } else {
      ImGui::PushStyleColor(ImGuiCol_Text, text_tone(kOrange));
      ImGui::TextUnformatted("single-threaded fallback");
      ImGui::PopStyleColor();
    }
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::Text("%.1f ms/frame (%.0f fps)", frame_ms_, frame_ms_ > 0 ? 1000.0 / frame_ms_ : 0.0);
    const Snapshot& v = controller_.view();
    if (!v.digest.empty()) {
      ImGui::SameLine(0, ImGui::GetFontSize());
      ImGui::Text("step %lld · weights %s", v.step, v.digest.c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The weights digest: two people who see the same digest have the same weights, bit for bit.");
    }
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::PushStyleColor(ImGuiCol_Text, text_tone(kBlue));
    ImGui::Text("NeuronLab %s", version());
    ImGui::PopStyleColor();
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

// [SECTION] state for tests ---------------------------------------------------------------------

std::string App::state_json() const {
  std::string c = controller_.state().dump();
  const BuildInfo b = build_info();
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"frame\":%lld,\"frame_ms\":%.3f,\"mode\":\"%s\",\"dpr\":%.3f,\"display_w\":%.1f,\"display_h\":%.1f,\"simd\":%s,"
                "\"threads_enabled\":%s,"
                "\"threads\":%d,\"max_threads\":%d,\"version\":\"%s\",\"theme\":\"%s\",\"ui_scale\":%.2f,"
                "\"show_diagnostics\":%s,\"force_reference\":%s,\"bench\":{\"state\":\"%s\",\"n\":%d,\"error\":\"",
                frames_, frame_ms_, json_escape(info_.mode).c_str(), info_.dpr, ImGui::GetIO().DisplaySize.x, ImGui::GetIO().DisplaySize.y,
                b.simd ? "true" : "false", b.threads_enabled ? "true" : "false", lab_.threads(), lab_.max_threads(), version(),
                dark_ ? "dark" : "light", ui_scale_, show_diagnostics_ ? "true" : "false", lab_.force_reference() ? "true" : "false",
                bench_state_.c_str(), bench_n_);
  std::string s = buf;
  s += json_escape(bench_error_) + "\",\"result\":" + (bench_result_json_.empty() ? "null" : bench_result_json_) + "},\"controller\":" + c +
       ",\"attributions\":" + attributions_.state().dump() + ",\"a11y\":" + a11y_json() + ",\"windows\":" + windows_json() +
       ",\"tour\":" + tour_json() + ",\"layout\":" + layout_json().dump() + "}";
  return s;
}

// The windows drawn in the last frame, back to front: where they are, how far their content scrolls,
// which has the focus — for tests of the layout and the dialogs.
std::string App::windows_json() const {
  using nlohmann::json;
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiWindow* focused = g.NavWindow ? g.NavWindow->RootWindow : nullptr;
  json ws = json::array();
  for (const ImGuiWindow* w : g.Windows) {
    if (!w->Active || w->Hidden || (w->Flags & ImGuiWindowFlags_ChildWindow)) continue;
    ws.push_back({{"name", w->Name},
                  {"x", w->Pos.x},
                  {"y", w->Pos.y},
                  {"w", w->Size.x},
                  {"h", w->Size.y},
                  {"scrollY", w->Scroll.y},
                  {"scrollMaxY", w->ScrollMax.y},
                  {"modal", (w->Flags & ImGuiWindowFlags_Modal) != 0},
                  {"focused", w == focused}});
  }
  return ws.dump();
}

// The colours the accessibility test checks (tests/e2e/accessibility.test.mjs computes the contrasts and the
// simulated colour-blindness itself), and where keyboard focus is.
std::string App::a11y_json() const {
  using nlohmann::json;
  auto rgba = [](const ImVec4& c) { return json::array({c.x, c.y, c.z, c.w}); };
  auto u32 = [&](ImU32 c) { return rgba(ImGui::ColorConvertU32ToFloat4(c)); };
  const ImGuiStyle& st = ImGui::GetStyle();
  json colors = json::object();
  for (int i = 0; i < ImGuiCol_COUNT; ++i) colors[ImGui::GetStyleColorName(i)] = rgba(st.Colors[i]);
  json tones = json::object();
  const std::pair<const char*, ImU32> kTones[] = {{"error", IM_COL32(213, 94, 0, 255)},
                                                  {"warning", IM_COL32(230, 159, 0, 255)},
                                                  {"success", IM_COL32(0, 158, 115, 255)},
                                                  {"info", IM_COL32(0, 114, 178, 255)}};
  for (const auto& [name, col] : kTones) tones[name] = u32(text_tone(col));
  json palette = json::array(), diverging = json::array(), sequential = json::array();
  for (int k = 0; k < 24; ++k) palette.push_back(u32(class_color(k)));
  for (float v : {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f}) diverging.push_back(u32(diverging_color(v)));
  for (float t : {0.0f, 0.25f, 0.5f, 0.75f, 1.0f}) sequential.push_back(u32(sequential_color(t)));
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  json nav = {{"visible", ImGui::GetIO().NavVisible}, {"id", g.NavId}, {"window", g.NavWindow ? g.NavWindow->Name : ""}};
  return json({{"page", rgba(page_clear_color())}, {"colors", colors}, {"tones", tones}, {"palette", palette},
               {"diverging", diverging}, {"sequential", sequential}, {"nav", nav}, {"description", description_}})
      .dump();
}

}  // namespace lab::ui
