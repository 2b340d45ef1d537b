// layout.cpp — the panels' places (layout.h): [SECTION] columns · [SECTION] gutters · [SECTION] JSON
#include "app/layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lab::ui {

const char* const kPanelNames[kPanelCount] = {"Data", "Network", "Training", "Views"};

namespace {
constexpr const char* kModeNames[] = {"auto", "three", "two", "one"};
// Auto: three columns from 64 font sizes of width (960 px at 100 %, 1920 px at 150 %), two from 40 (800 px,
// a tablet in portrait, 1280 px at 150 %), one below (a phone).
constexpr float kThreeColumnsEm = 64.0f, kTwoColumnsEm = 40.0f;
constexpr float kMinFraction = 0.05f, kMaxFraction = 0.9f;

int panel_by_name(const std::string& s) {
  for (int i = 0; i < kPanelCount; ++i)
    if (s == kPanelNames[i]) return i;
  return -1;
}
}  // namespace

const char* layout_mode_name(Layout::Mode m) { return kModeNames[int(m)]; }

// [SECTION] columns -------------------------------------------------------------------------------

int Layout::columns(float width, float font) const {
  switch (mode) {
    case kThreeColumns: return 3;
    case kTwoColumns: return 2;
    case kOneColumn: return 1;
    case kAuto: break;
  }
  const float em = width / std::max(1.0f, font);
  return em >= kThreeColumnsEm ? 3 : em >= kTwoColumnsEm ? 2 : 1;
}

Placement Layout::place(ImVec4 ws, float font, bool diagnostics) const {
  Placement p;
  p.columns = columns(ws.z, font);
  const float x0 = ws.x, y0 = ws.y, W = std::max(1.0f, ws.z), H = std::max(1.0f, ws.w);
  const float gw = std::max(4.0f, std::round(font * 0.35f));  // a gutter: page background, dragged with the mouse
  const float th = ImGui::GetFrameHeight();                   // a title bar (a collapsed panel)
  const float strip = std::round(ImGui::GetFrameHeight() + font * 0.5f);  // the tab strip
  const float min_col = font * 10, min_right = font * 16, min_h = font * 6, strip_w = font * 7;

  if (maximised >= 0 && maximised < kPanelCount) {
    p.panel[maximised] = {true, false, false, ImVec4(x0, y0, W, H)};
    return p;
  }

  // The right column (three or two columns): Training above Views, the gutter between them, Diagnostics under.
  auto right_column = [&](float x, float w) {
    float h = H;
    if (diagnostics) {
      const float hd = std::floor(H * 0.18f);
      h = H - hd - gw;
      p.diagnostics = ImVec4(x, y0 + h + gw, w, hd);
    }
    const bool tc = collapsed[kTraining], vc = collapsed[kViews];
    float t;
    if (tc)
      t = th;
    else if (vc)
      t = h - th - gw;
    else
      t = std::clamp(std::floor(training_h * h), min_h, std::max(min_h, h - min_h - gw));
    p.panel[kTraining] = {true, tc, true, ImVec4(x, y0, w, tc ? th : t)};
    p.panel[kViews] = {true, vc, true, ImVec4(x, y0 + t + gw, w, vc ? th : std::max(th, h - t - gw))};
    if (!tc && !vc) {
      Gutter g{Gutter::kTrainingHeight};
      g.vertical = false;
      g.rect = ImVec4(x, y0 + t, w, gw);
      g.lo = y0 + min_h;
      g.hi = std::max(g.lo, y0 + h - min_h - gw);
      g.origin = y0, g.span = h;
      p.gutter[p.gutters++] = g;
    }
  };

  if (p.columns == 3) {
    const bool dc = collapsed[kData], nc = collapsed[kNetwork];
    float d = dc ? strip_w : std::max(min_col, std::floor(data_w * W));
    float n = nc ? strip_w : std::max(min_col, std::floor(network_w * W));
    // The right column keeps its minimum: the other two give way, the wider first.
    float over = d + n + 2 * gw + min_right - W;
    if (over > 0 && !nc) {
      const float cut = std::min(over, std::max(0.0f, n - min_col));
      n -= cut, over -= cut;
    }
    if (over > 0 && !dc) d -= std::min(over, std::max(0.0f, d - min_col));
    const float right = std::max(1.0f, W - d - n - 2 * gw);
    p.panel[kData] = {true, dc, true, ImVec4(x0, y0, d, dc ? th : H)};
    p.panel[kNetwork] = {true, nc, true, ImVec4(x0 + d + gw, y0, n, nc ? th : H)};
    if (!dc) {
      Gutter g{Gutter::kDataWidth};
      g.rect = ImVec4(x0 + d, y0, gw, H);
      g.lo = x0 + min_col;
      g.hi = std::max(g.lo, nc ? x0 + W - 2 * gw - n - min_right : x0 + d + n - min_col);
      g.origin = x0, g.span = W;
      p.gutter[p.gutters++] = g;
    }
    if (!nc) {
      Gutter g{Gutter::kNetworkWidth};
      g.rect = ImVec4(x0 + d + gw + n, y0, gw, H);
      g.lo = x0 + d + gw + min_col;
      g.hi = std::max(g.lo, x0 + W - gw - min_right);
      g.origin = x0 + d + gw, g.span = W;
      p.gutter[p.gutters++] = g;
    }
    right_column(x0 + d + n + 2 * gw, right);
    return p;
  }

  if (p.columns == 2) {
    const float l = std::clamp(std::floor(left_w * W), std::min(min_right, W * 0.3f), std::max(W * 0.3f, W - gw - min_right));
    const int shown = tab == kNetwork ? kNetwork : kData;
    p.tabs = true;
    p.tabs_rect = ImVec4(x0, y0, l, strip);
    p.first_tab = kData, p.last_tab = kNetwork;
    p.panel[shown] = {true, false, false, ImVec4(x0, y0 + strip, l, std::max(th, H - strip))};
    Gutter g{Gutter::kLeftWidth};
    g.rect = ImVec4(x0 + l, y0, gw, H);
    g.lo = x0 + std::min(min_right, W * 0.3f);
    g.hi = std::max(g.lo, x0 + W - gw - min_right);
    g.origin = x0, g.span = W;
    p.gutter[p.gutters++] = g;
    right_column(x0 + l + gw, std::max(1.0f, W - l - gw));
    return p;
  }

  // One column: a tab per panel, the chosen one fills the screen (Diagnostics under it when shown).
  p.tabs = true;
  p.tabs_rect = ImVec4(x0, y0, W, strip);
  p.first_tab = kData, p.last_tab = kViews;
  const int shown = std::clamp(tab, 0, kPanelCount - 1);
  float h = std::max(th, H - strip);
  if (diagnostics) {
    const float hd = std::floor(h * 0.25f);
    h -= hd + gw;
    p.diagnostics = ImVec4(x0, y0 + strip + h + gw, W, hd);
  }
  p.panel[shown] = {true, false, false, ImVec4(x0, y0 + strip, W, h)};
  return p;
}

// [SECTION] gutters -------------------------------------------------------------------------------

void Layout::drag(const Gutter& g, float at) {
  const float f = std::clamp((std::clamp(at, g.lo, g.hi) - g.origin) / std::max(1.0f, g.span), kMinFraction, kMaxFraction);
  switch (g.split) {
    case Gutter::kDataWidth:
      // The gutter moves the line between Data and Network: Network's right edge stays where it is.
      if (!collapsed[kNetwork]) network_w = std::clamp(network_w + data_w - f, kMinFraction, kMaxFraction);
      data_w = f;
      break;
    case Gutter::kNetworkWidth: network_w = f; break;
    case Gutter::kLeftWidth: left_w = f; break;
    case Gutter::kTrainingHeight: training_h = f; break;
  }
}

void Layout::reset_split(Gutter::Split s) {
  const Layout d;
  switch (s) {
    case Gutter::kDataWidth: data_w = d.data_w, network_w = d.network_w; break;
    case Gutter::kNetworkWidth: network_w = d.network_w; break;
    case Gutter::kLeftWidth: left_w = d.left_w; break;
    case Gutter::kTrainingHeight: training_h = d.training_h; break;
  }
}

// [SECTION] JSON ----------------------------------------------------------------------------------

nlohmann::json Layout::to_json() const {
  nlohmann::json c = nlohmann::json::array();
  for (int i = 0; i < kPanelCount; ++i)
    if (collapsed[i]) c.push_back(kPanelNames[i]);
  auto frac = [](float f) { return std::round(double(f) * 1e4) / 1e4; };  // 0.22, not 0.2199999988
  return {{"mode", kModeNames[int(mode)]},
          {"dataWidth", frac(data_w)},
          {"networkWidth", frac(network_w)},
          {"leftWidth", frac(left_w)},
          {"trainingHeight", frac(training_h)},
          {"collapsed", c},
          {"maximised", maximised >= 0 ? nlohmann::json(kPanelNames[maximised]) : nlohmann::json(nullptr)},
          {"tab", kPanelNames[std::clamp(tab, 0, kPanelCount - 1)]}};
}

std::string Layout::apply(const nlohmann::json& patch) {
  if (!patch.is_object()) return "The layout must be an object such as {\"mode\": \"two\", \"maximised\": \"Views\"}.";
  Layout n = *this;
  const std::string panels = "\"Data\", \"Network\", \"Training\" or \"Views\"";
  for (const auto& [key, v] : patch.items()) {
    if (key == "mode") {
      int m = -1;
      for (int i = 0; i < 4; ++i)
        if (v.is_string() && v.get<std::string>() == kModeNames[i]) m = i;
      if (m < 0) return "layout.mode must be \"auto\", \"three\", \"two\" or \"one\" (columns).";
      n.mode = Mode(m);
    } else if (key == "dataWidth" || key == "networkWidth" || key == "leftWidth" || key == "trainingHeight") {
      if (!v.is_number() || !(v.get<double>() >= kMinFraction && v.get<double>() <= kMaxFraction))
        return "layout." + key + " must be a fraction of the screen between 0.05 and 0.9.";
      const float f = v.get<float>();
      (key == "dataWidth" ? n.data_w : key == "networkWidth" ? n.network_w : key == "leftWidth" ? n.left_w : n.training_h) = f;
    } else if (key == "collapsed") {
      if (!v.is_array()) return "layout.collapsed must be a list of panels (" + panels + ").";
      for (bool& c : n.collapsed) c = false;
      for (const auto& e : v) {
        const int i = e.is_string() ? panel_by_name(e.get<std::string>()) : -1;
        if (i < 0) return "layout.collapsed lists panels by name: " + panels + ".";
        n.collapsed[i] = true;
      }
    } else if (key == "maximised") {
      const int i = v.is_string() ? panel_by_name(v.get<std::string>()) : -1;
      if (!v.is_null() && i < 0) return "layout.maximised must be " + panels + ", or null for none.";
      n.maximised = v.is_null() ? -1 : i;
    } else if (key == "tab") {
      const int i = v.is_string() ? panel_by_name(v.get<std::string>()) : -1;
      if (i < 0) return "layout.tab must be " + panels + ".";
      n.tab = i;
    } else {
      return "layout has no field \"" + key +
             "\" (it has mode, dataWidth, networkWidth, leftWidth, trainingHeight, collapsed, maximised and tab).";
    }
  }
  *this = n;
  return "";
}

}  // namespace lab::ui
