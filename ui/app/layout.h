// layout.h — where the four panels go. The user resizes the columns and the Training / Views split by
// dragging the gutters between them, collapses a panel (its title bar's arrow, or a double click on it)
// and maximises one (the title bar's square button, View → Maximise, Escape restores). The layout follows
// the screen: three columns on a wide one, two columns (Data and Network as tabs) on a medium one, one
// panel at a time with tabs on a narrow one (a tablet in portrait, a phone). The choices are remembered per
// user: the page keeps Layout::to_json() in localStorage and hands it back at start (lab.ui.layout()).
//
//   Layout l;                       // the defaults
//   l.apply(json::parse(saved));    // a remembered layout (unknown or bad fields: an error, nothing changed)
//   Placement p = l.place(workspace, font_size);
//   if (p.panel[kTraining].visible) { ... p.panel[kTraining].rect ... }
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "imgui.h"

namespace lab::ui {

enum PanelId { kData = 0, kNetwork = 1, kTraining = 2, kViews = 3, kPanelCount = 4 };
extern const char* const kPanelNames[kPanelCount];  // "Data", "Network", "Training", "Views" (their window titles)

struct PanelPlace {
  bool visible = false;  // drawn this frame (a panel on another tab, or behind a maximised one, is not)
  bool collapsed = false;
  bool can_collapse = false;  // in columns only (a tab or a maximised panel fills its space)
  ImVec4 rect{};              // x, y, w, h (a collapsed panel: its title bar)
};

// A gutter between two panels that the user drags: which split it moves, and where it is.
struct Gutter {
  enum Split { kDataWidth, kNetworkWidth, kLeftWidth, kTrainingHeight } split;
  ImVec4 rect{};  // x, y, w, h
  bool vertical = true;  // a vertical line, dragged left and right
  float lo = 0, hi = 0;  // the range of the mouse coordinate that the split may take (screen pixels)
  float origin = 0, span = 1;  // the split's fraction is (mouse − origin) / span
};

struct Placement {
  int columns = 3;  // 3, 2 or 1 (the mode in effect)
  PanelPlace panel[kPanelCount];
  bool tabs = false;  // a tab strip at tabs_rect chooses the panel shown in the left column (2) or the screen (1)
  ImVec4 tabs_rect{};
  int first_tab = 0, last_tab = -1;  // the panels the strip offers
  Gutter gutter[3];
  int gutters = 0;
  ImVec4 diagnostics{};  // the Diagnostics window, when shown: under Views
};

struct Layout {
  enum Mode { kAuto = 0, kThreeColumns, kTwoColumns, kOneColumn };
  Mode mode = kAuto;
  // Fractions of the workspace, as the user dragged them.
  float data_w = 0.21f, network_w = 0.33f;  // three columns: Data's and Network's widths
  float left_w = 0.45f;                     // two columns: the left column's width
  float training_h = 0.56f;                 // the Training panel's share of the right column's height
  bool collapsed[kPanelCount] = {};
  int maximised = -1;  // a panel that fills the workspace, or −1
  int tab = kData;     // the panel the tab strip shows (two columns: Data or Network)

  // The number of columns in effect for a workspace this wide (Auto: by the width in font sizes).
  int columns(float width, float font) const;
  Placement place(ImVec4 workspace, float font, bool diagnostics) const;
  // The drag of a gutter to mouse coordinate `at` (clamped to the gutter's range).
  void drag(const Gutter& g, float at);
  void reset_split(Gutter::Split s);

  nlohmann::json to_json() const;
  // Applies the fields present in `patch` (see to_json); an unknown field or a bad value: "" is not returned
  // but the error in words, and nothing changes.
  std::string apply(const nlohmann::json& patch);
};

// Mode names as the JSON writes them: "auto", "three", "two", "one".
const char* layout_mode_name(Layout::Mode m);

}  // namespace lab::ui
