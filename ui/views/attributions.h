// NeuronLab UI — the attribution views: which inputs made the network answer what it answered.
//
// Two tabs of the Views panel, drawing over a Controller. Every computation is a job on the Lab's job
// runner (Lab::attribute_async, Lab::arena_async), on a snapshot of the model; the main thread only
// submits, polls and draws. The runner's one thread takes jobs in turn: attribution runs fit between
// training chunks, while an arena holds training until it finishes or is cancelled.
//   Attributions  the sample — an image or a table row: the Controller's selected test sample (a click in
//                 the other views selects one, Previous / Next step through the test set); 2-D data: a
//                 point clicked on the small plane plot — and the chosen methods' maps side by side:
//                 images get the diverging map over the grey sample and the map alone, tables per-feature
//                 bars, 2-D data a map over the whole input plane of one chosen feature's attribution (a
//                 24×24 grid of plane points attributed in one batched job; for classification every point
//                 explains the class predicted at the picked point) with the picked point marked, and the
//                 picked point's per-feature bars. Each map says its method, the completeness
//                 residual Σa − Δf where the method has one, the explained class and the time taken.
//                 With "Live" on, the maps are recomputed when training moves the model (at most every
//                 kLiveIntervalMs), whenever no run is in flight.
//   Arena         attr_eval.h's evaluation of a list of methods on the first N test samples: a sortable
//                 table of the scores (column tooltips say what each measures and which way is better),
//                 the mean deletion / insertion curves, the sanity cascades and the agreement matrix.
// Methods come from the one registry (attribution.h: method_registry, common_params): the picker groups
// them by family and edits each chosen method's parameters from its schema.
//
//   AttributionViews attr;                     // the App owns one (one per page)
//   attr.frame(controller, now_ms);            // every frame, before drawing: polls the jobs in flight
//   if (ImGui::BeginTabItem("Attributions")) { attr.tab_attributions(controller, textures); ImGui::EndTabItem(); }
//   if (ImGui::BeginTabItem("Arena")) { attr.tab_arena(controller, textures); ImGui::EndTabItem(); }
//   attr.state();                              // what the tabs show, for tests: lab.ui.state().attributions
//
// Errors: a method that cannot run (bad options, a layer it cannot use) shows its message in place of its
// map (Attributions) or in its row (Arena); the other methods still run. Nothing here throws.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/texture.h"
#include "imgui.h"
#include "state/controller.h"

namespace lab::attr {
struct MethodInfo;
}

namespace lab::ui {

using json = nlohmann::json;

inline constexpr double kLiveIntervalMs = 400;                       // live re-runs start at least this far apart
inline constexpr double kInlineLiveMs = 30;  // single-threaded: live re-runs only for maps faster than this
#if defined(LAB_SINGLE_THREADED)
inline constexpr bool kJobsOnThread = false;
#else
inline constexpr bool kJobsOnThread = true;
#endif
inline constexpr int kPlaneAttrGrid = 24;                            // 2-D data: the plane is attributed on G×G points
inline constexpr ImU32 kAttrErrorColor = IM_COL32(213, 94, 0, 255);  // Okabe–Ito vermillion: a method's error

// [SECTION] methods and their options (attr_methods.cpp) ---------------------------------------------

// One method as the user set it up: a registry name and the parameters changed from their defaults.
struct MethodChoice {
  std::string method;             // registry name, e.g. "integrated_gradients"
  json options = json::object();  // {param: value}: only values that differ from the schema's default
  // "Integrated Gradients", "Saliency · SmoothGrad", "LRP (epsilon_plus)".
  std::string label() const;
};

// A tab's list of methods, edited through a "Methods…" button and its popup: the chosen methods (each with
// its parameter editors: number and integer fields, combos, checkboxes, the schema's help as tooltip) and
// the registry grouped by family as checkboxes (the description as tooltip). A method may be chosen more
// than once (Duplicate), e.g. to compare two settings.
struct MethodList {
  std::vector<MethodChoice> items;
  // Draws the button (and the popup when open). Returns true on a frame the list or an option changed.
  bool edit(const char* popup_id);
  // Labels unique within the list ("Saliency", "Saliency #2").
  std::vector<std::string> labels() const;
  json to_json() const;  // [{method, options, label}]
};

// The registry's entry of a method name (nullptr when unknown; attr::method_info throws instead).
const attr::MethodInfo* find_method(const std::string& name);
// The registry's methods by family, in registry order (for pickers).
const std::vector<std::string>& method_families();
// Draws diverging bars for signed values (one row per value: name, bar left (orange, −) or right (blue, +)
// of a centre line, the value). scale: the |value| of a full bar (≤ 0: the max |value|). width: 0 = avail.
void signed_bars(const char* id, const std::vector<std::string>& names, const std::vector<float>& values, float scale, float width);

// [SECTION] the Attributions tab (attributions.cpp) ---------------------------------------------------

// One method's result for the current sample.
struct AttrResult {
  std::string label, method, error;  // error: why there is no map
  bool layer_output = false;         // the map has a layer's shape, not the input's
  std::vector<float> map;            // (n, shape...): n = 1 for images/tables; 2-D: G² grid points, then the picked point
  std::vector<int> shape;            // per-sample shape of the map
  std::vector<float> delta, f;       // n each; delta empty for methods without one
  std::vector<int> targets;          // n: the output explained
  double ms = 0;                     // the job's time
  long long step = -1;               // training step of the model it explains
  bool stale = true;                 // from an earlier run (its successor is on the way)
  long long serial = 0;              // bumps when the map changes (texture uploads)
};

class AttributionTab {
 public:
  AttributionTab();
  void frame(Controller& c, double now_ms);
  void draw(Controller& c, TextureCache& tex);
  json state() const;

 private:
  struct Pending {  // one method's job in flight
    std::shared_ptr<Job> job;
    size_t index;  // into results_
  };
  void maybe_run(Controller& c);
  void start_run(Controller& c);
  void harvest();
  bool in_flight() const { return !pending_.empty(); }
  double progress() const;
  void cancel();
  void toolbar(Controller& c);
  void draw_image_maps(Controller& c, TextureCache& tex);
  void draw_table_maps(Controller& c);
  void draw_plane(Controller& c, TextureCache& tex);
  void draw_plane_maps(Controller& c, TextureCache& tex);
  // Texture `key`, re-made by fill(rgba, w, h) when `serial` differs from the cached one.
  ImTextureID texture(TextureCache& tex, const std::string& key, long long serial,
                      const std::function<void(std::vector<uint32_t>&, int&, int&)>& fill, bool smooth);

  MethodList methods_;
  bool live_ = true;
  bool dirty_ = true;              // methods, options or the sample changed: run as soon as possible
  bool held_ = false;              // the user cancelled: no live re-runs until Run or a change
  int enlarged_ = -1;              // the map shown large (a click on a map), or −1: the grid
  int feature_ = 0;                // 2-D: the input feature the plane maps show
  bool picked_ = false;            // 2-D: a point was picked (else the first test point)
  float pick_x_ = 0, pick_y_ = 0;  // 2-D: the picked point (raw plane coordinates)
  std::vector<AttrResult> results_;
  std::vector<Pending> pending_;
  // What the last run was for: the displayed results belong to it.
  long long run_version_ = -1, run_step_ = -1;
  int run_sample_ = -1, runs_done_ = 0, runs_started_ = 0, run_jobs_ = 0;
  double run_ms_ = 0;           // the last whole run's compute time (its maps' ms)
  bool live_too_slow_ = false;  // single-threaded: too slow for live re-runs
  std::weak_ptr<Experiment> run_exp_;                        // the experiment attributed (a new one — load, edit, reset — re-runs)
  std::vector<float> run_x_;                                 // images/tables: the sample attributed
  std::vector<int> run_shape_;                               // its input shape
  float run_px_ = 0, run_py_ = 0;                            // 2-D: the picked point of the run
  int run_target_ = -1;                                      // 2-D classification: the class every grid point explains (−1: each its own)
  float run_x0_ = 0, run_x1_ = 0, run_y0_ = 0, run_y1_ = 0;  // 2-D: the plane of the run
  std::string last_state_ = "idle";                          // "idle", "running", "done", "cancelled"
  double now_ms_ = 0, last_start_ms_ = -1e9;
  long long serial_ = 0;
  int visible_frame_ = -1, frame_seen_ = -1;
  struct Tex {
    long long serial = -1;
    ImTextureID id = 0;
  };
  std::map<std::string, Tex> textures_;
};

// [SECTION] the Arena tab (arena_view.cpp) -------------------------------------------------------------

class ArenaTab {
 public:
  ArenaTab();
  void frame(Controller& c, double now_ms);
  void draw(Controller& c, TextureCache& tex);
  json state() const;

 private:
  void run(Controller& c);
  void table();
  void curves();
  void agreement();
  void sort_rows(int column, bool ascending);

  MethodList methods_;
  int count_ = 16;
  bool sanity_ = true, difull_ = true, label_rand_ = false, ground_truth_ = true;
  std::shared_ptr<Job> job_;
  std::string state_ = "idle", error_;  // "idle", "running", "done", "failed", "cancelled"
  json report_;                         // the last finished report (null before)
  long long report_step_ = -1;
  std::string report_dataset_;
  double now_ms_ = 0, started_ms_ = 0, took_ms_ = 0;
  std::vector<int> order_;  // table rows (indices into report_["methods"]) in display order
  int sort_column_ = -1;    // -1: report order
  bool sort_ascending_ = true;
  int visible_frame_ = -1, frame_seen_ = -1;
};

// [SECTION] both tabs ------------------------------------------------------------------------------------

class AttributionViews {
 public:
  void frame(Controller& c, double now_ms) {
    maps_.frame(c, now_ms);
    arena_.frame(c, now_ms);
  }
  void tab_attributions(Controller& c, TextureCache& tex) { maps_.draw(c, tex); }
  void tab_arena(Controller& c, TextureCache& tex) { arena_.draw(c, tex); }
  json state() const { return {{"maps", maps_.state()}, {"arena", arena_.state()}}; }

 private:
  AttributionTab maps_;
  ArenaTab arena_;
};

}  // namespace lab::ui
