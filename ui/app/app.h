// NeuronLab UI — the app shell: menu bar, the Network / Data / Training / Inspect panels, the
// Diagnostics window and the status bar. Reads the core (a lab::Lab); the core never sees the UI.
//
// The platform layer (wasm/) owns the window, input and GL; each frame it calls
//   ImGui::NewFrame(); app.frame(); ImGui::Render();
// App never blocks: heavy work is submitted as a lab::Job and polled in later frames.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/layout.h"
#include "app/texture.h"
#include "panels/panels.h"
#include "session/lab.h"
#include "state/controller.h"
#include "views/attributions.h"
#include "widgets/plots.h"

namespace lab::ui {

struct AppInfo {
  std::string mode;  // "mt" (threads) or "st" (single-threaded fallback)
  float dpr = 1.0f;  // device pixel ratio, for the status bar
};

class App {
 public:
  App(Lab& lab, Textures& textures);
  Controller& controller() { return controller_; }

  // Builds this frame's UI. frame_ms: the smoothed frame time the platform measured.
  void frame(const AppInfo& info, double frame_ms);

  // The app's state as a JSON object (for tests and the JS API's lab.ui.state()).
  std::string state_json() const;
  // "Describe this view" (describe.h): the text, and the action (window + live region).
  std::string describe() const;
  void describe_view();

  // The first-run tour of the four panels (the page starts it on a first visit; Help reopens it).
  void start_tour() { tour_step_ = 0; }
  bool tour_open() const { return tour_step_ >= 0; }

  bool dark_theme() const { return dark_; }
  // The page's colour behind the windows (the GL clear colour), per theme.
  ImVec4 page_clear_color() const { return dark_ ? ImVec4(0.10f, 0.12f, 0.16f, 1) : ImVec4(0.94f, 0.94f, 0.94f, 1); }
  float ui_scale() const { return ui_scale_; }

  // The panels' layout (layout.h) as JSON; set_layout applies the fields given (a remembered layout, or
  // lab.ui.layout(patch)) and returns "" or the error in words (nothing changed then).
  nlohmann::json layout_json() const;
  std::string set_layout(const nlohmann::json& patch);

 private:
  void menu_bar();
  void panels(float top, float bottom);
  void panel_tabs(const Placement& p);
  void gutters(const Placement& p);
  bool title_button(int panel);
  void layout_changed();
  void panel_views();
  void panel_diagnostics();
  void banners();
  void overlays();
  void shortcuts();
  void classroom_dialog();
  void status_bar(float height);
  void apply_theme();
  void poll_jobs();
  void description_window();
  void tour();
  void end_tour();
  std::string tour_json() const;
  std::string a11y_json() const;
  std::string windows_json() const;
  // The dialog windows (About, Share, Keyboard shortcuts, Description, Neuron inspector) and whether each
  // is open; Escape closes the frontmost one; while one has the focus, the lab's keys stay out of it.
  std::vector<std::pair<const char*, bool*>> dialogs();
  bool close_front_dialog();
  bool dialog_focused();

  Lab& lab_;
  TextureCache textures_;  // over the platform's textures; every panel and view draws through it
  Controller controller_;
  std::shared_ptr<NetworkPanelMemory> network_memory_ = make_network_panel_memory();
  ImageViewMemory image_view_;     // the image views' page size and clicked confusion cell
  std::string link_buf_;           // the share window's read-only text field
  AttributionViews attributions_;  // the Attributions and Arena views (their methods, results, jobs)
  AppInfo info_;
  bool show_classroom_ = false, show_link_ = false, show_shortcuts_ = false, show_description_ = false;
  std::string description_;
  float banners_height_ = 0;  // height of the banner strip under the menu (last frame)
  // The classroom dialog's choices (what the teacher's link will hide and lock).
  std::vector<std::string> cls_hide_, cls_lock_;
  char cls_text_[2001] = "";
  double frame_ms_ = 0;
  long long frames_ = 0;
  bool dark_ = true, theme_applied_ = false, show_diagnostics_ = false, show_about_ = false;
  float ui_scale_ = 1.0f;
  int tour_step_ = -1;        // the tour's page (−1: closed)
  bool tour_visible_ = false;  // drawn this frame (Escape closes it like a dialog)
  ImVec4 panel_rect_[4] = {};  // Data, Network, Training, Views: x, y, w, h (for the tour's highlight)
  Layout layout_;
  Placement placement_;        // where the panels went in the last frame
  int dragging_ = -1;          // the gutter being dragged (an index into placement_.gutter), or −1
  int tab_shown_ = -1;         // the panel the tab strip had selected in the last frame
  // Diagnostics: the matmul benchmark
  int bench_n_ = 384, bench_reps_ = 3;
  std::shared_ptr<Job> bench_job_;
  std::string bench_state_ = "idle", bench_result_json_, bench_error_;
};

}  // namespace lab::ui
