// attributions.cpp — the Attributions tab: [SECTION] helpers · [SECTION] running (submit, harvest, live) ·
// [SECTION] toolbar · [SECTION] images · [SECTION] tables · [SECTION] the 2-D plane · [SECTION] the tab ·
// [SECTION] state for tests
//
// A run attributes one input (images, tables: the selected test sample) or, for 2-D data, one batch of
// kPlaneAttrGrid² plane points plus the picked point, with every chosen method: one Lab::attribute_async
// job per method, all submitted in the same frame so they run back to back on the same model. Results
// arrive per method; until then the previous map stays on screen marked "updating".
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/ui_probe.h"
#include "imgui.h"
#include "interp/attribution/attribution.h"
#include "panels/panels.h"
#include "views/attributions.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {

// [SECTION] helpers -------------------------------------------------------------------------------------

size_t count_of(const std::vector<int>& s) {
  if (s.empty()) return 0;
  size_t n = 1;
  for (int d : s) n *= (size_t)std::max(d, 0);
  return n;
}

bool is_image_shape(const std::vector<int>& s) { return s.size() == 3 && s[0] > 0 && s[1] > 0 && s[2] > 0; }

std::string class_label(const Snapshot& v, int k) {
  if (v.task != "classification") return "output " + std::to_string(k);
  if (k >= 0 && k < (int)v.class_names.size()) return "class " + v.class_names[k];
  return "class " + std::to_string(k);
}

// The per-pixel sum over channels of a (C, H, W) map.
std::vector<float> channel_sum(const float* m, int C, int H, int W) {
  std::vector<float> out((size_t)H * W, 0.0f);
  for (int c = 0; c < C; ++c)
    for (size_t k = 0; k < out.size(); ++k) out[k] += m[(size_t)c * H * W + k];
  return out;
}

// The names of a map's n values: the dataset's feature names for an input-shaped map, else "#k".
std::vector<std::string> value_names(const Snapshot& v, bool layer_output, size_t n) {
  std::vector<std::string> names;
  for (size_t k = 0; k < n; ++k)
    names.push_back(!layer_output && k < v.feature_names.size() ? v.feature_names[k] : "#" + std::to_string(k));
  return names;
}

float max_abs(const float* a, size_t n) {
  float s = 0;
  for (size_t k = 0; k < n; ++k)
    if (std::isfinite(a[k])) s = std::max(s, std::fabs(a[k]));
  return s;
}

// The diverging heat map over the grey sample: the sample dimmed to grey, the map's colour laid on with an
// opacity that grows with |a| (so where the map is ~0 the sample shows through).
void overlay_pixels(const float* x, int C, int H, int W, const std::vector<float>& heat, std::vector<uint32_t>& out) {
  const size_t n = (size_t)H * W;
  std::vector<float> grey(n, 0.0f);
  for (int c = 0; c < C; ++c)
    for (size_t k = 0; k < n; ++k) grey[k] += x[(size_t)c * n + k] / C;
  float lo = INFINITY, hi = -INFINITY;
  for (float g : grey)
    if (std::isfinite(g)) lo = std::min(lo, g), hi = std::max(hi, g);
  if (!(lo >= 0.0f && hi <= 1.0f)) {  // not a [0, 1] image: stretch it
    if (!(hi > lo)) lo = 0, hi = 1;
  } else {
    lo = 0, hi = 1;
  }
  const float s = std::max(max_abs(heat.data(), heat.size()), 1e-30f);
  out.resize(n);
  for (size_t k = 0; k < n; ++k) {
    const float g = std::clamp((grey[k] - lo) / (hi - lo), 0.0f, 1.0f) * 0.7f * 255.0f;
    const float v = std::isfinite(heat[k]) ? heat[k] / s : 0.0f;
    const float alpha = std::clamp(std::fabs(v) * 1.6f, 0.0f, 1.0f) * 0.9f;
    const ImU32 col = diverging_color(v);
    auto ch = [&](int shift) {
      const float c = ((col >> shift) & 0xFF) * alpha + g * (1.0f - alpha);
      return (ImU32)std::clamp(c, 0.0f, 255.0f) << shift;
    };
    out[k] = ch(IM_COL32_R_SHIFT) | ch(IM_COL32_G_SHIFT) | ch(IM_COL32_B_SHIFT) | (0xFFu << IM_COL32_A_SHIFT);
  }
}

// A marker on a plane_plot at data (x, y): a ring with a dark outline and a cross.
void mark_point(const PlaneHit& h, float x, float y, float x0, float x1, float y0, float y1) {
  if (!(h.plot_max.x > h.plot_min.x) || !(h.plot_max.y > h.plot_min.y) || x1 == x0 || y1 == y0) return;
  const float px = h.plot_min.x + (x - x0) / (x1 - x0) * (h.plot_max.x - h.plot_min.x);
  const float py = h.plot_min.y + (y1 - y) / (y1 - y0) * (h.plot_max.y - h.plot_min.y);
  const float r = std::max(4.0f, ImGui::GetFontSize() * 0.45f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(h.plot_min, h.plot_max, true);
  dl->AddCircle(ImVec2(px, py), r + 1.5f, IM_COL32(0, 0, 0, 230), 20, 3.0f);
  dl->AddCircle(ImVec2(px, py), r, IM_COL32(255, 255, 255, 255), 20, 2.0f);
  dl->AddLine(ImVec2(px - r * 2.2f, py), ImVec2(px - r, py), IM_COL32(255, 255, 255, 230), 1.5f);
  dl->AddLine(ImVec2(px + r, py), ImVec2(px + r * 2.2f, py), IM_COL32(255, 255, 255, 230), 1.5f);
  dl->AddLine(ImVec2(px, py - r * 2.2f), ImVec2(px, py - r), IM_COL32(255, 255, 255, 230), 1.5f);
  dl->AddLine(ImVec2(px, py + r), ImVec2(px, py + r * 2.2f), IM_COL32(255, 255, 255, 230), 1.5f);
  dl->PopClipRect();
}

// What a reader should know about this map beyond its numbers ("" when nothing): completeness that holds
// only on average, and a Grad-CAM with nothing positive in it (real behaviour that looks broken).
std::string result_note(const AttrResult& r, size_t row) {
  if (r.method == "gradient_shap")
    return "Σa − Δf is 0 only on average: GradientSHAP samples its baselines and points, so one map's residual is not 0.";
  if (r.method == "grad_cam" || r.method == "guided_grad_cam") {
    const size_t per = count_of(r.shape);
    if (per == 0 || r.map.size() < (row + 1) * per) return "";
    float mx = -INFINITY;
    for (size_t k = row * per; k < (row + 1) * per; ++k) mx = std::max(mx, r.map[k]);
    if (mx <= 0)
      return "Nothing positive: in a head of flatten + dense, the gradients averaged over each channel cancel. "
             "Grad-CAM is meant for networks that average each channel (global average pooling) before the last layer: "
             "Network → Preset… → Small CNN with global average pooling.";
  }
  return "";
}

// The lines under a map: the completeness residual, the explained output, the time; or the error.
void result_caption(const Snapshot& v, const AttrResult& r, size_t row, float wrap_w) {
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_w);
  if (!r.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, text_tone(kAttrErrorColor));
    ImGui::TextWrapped("%s", r.error.c_str());
    ImGui::PopStyleColor();
  } else if (r.map.empty()) {
    ImGui::TextDisabled("computing…");
  } else {
    if (row < r.delta.size())
      ImGui::Text("Σa − Δf = %.3g", r.delta[row]);
    else
      ImGui::TextDisabled("Σa − Δf: –");
    ImGui::SetItemTooltip(row < r.delta.size()
                              ? "The completeness residual: the attributions' sum minus f(x) − f(baseline). Near 0 means the\n"
                                "map accounts for the whole change of the explained output."
                              : "This method does not promise that its map adds up to the output's change.");
    if (row < r.targets.size()) {
      const std::string cls = class_label(v, r.targets[row]);
      if (row < r.f.size())
        ImGui::TextDisabled("%s (f = %.3g)", cls.c_str(), r.f[row]);
      else
        ImGui::TextDisabled("%s", cls.c_str());
    }
    ImGui::TextDisabled("%.1f ms%s", r.ms, r.stale ? " · updating…" : "");
    const std::string note = result_note(r, row);
    if (!note.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ImGui::TextWrapped("%s", note.c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::PopTextWrapPos();
}

// The maps' colour key, on screen (not only in tooltips): a swatch of each end of the diverging scale.
void colour_key() {
  const float fs = ImGui::GetFontSize();
  auto swatch = [&](float v, const char* words) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + fs * 0.15f), ImVec2(p.x + fs * 0.8f, p.y + fs * 0.95f), diverging_color(v), 2.0f);
    ImGui::Dummy(ImVec2(fs * 0.8f, fs));
    ImGui::SameLine(0, fs * 0.3f);
    ImGui::TextUnformatted(words);
  };
  swatch(1.0f, "raises the explained output");
  ImGui::SameLine(0, fs);
  swatch(-1.0f, "lowers it");
  ImGui::SetItemTooltip("Each map's colours are scaled to its own largest |a|: compare shapes across maps, not shades.");
}

}  // namespace

AttributionTab::AttributionTab() { methods_.items = {{"saliency", json::object()}, {"integrated_gradients", json::object()}}; }

ImTextureID AttributionTab::texture(TextureCache& tex, const std::string& key, long long serial,
                                    const std::function<void(std::vector<uint32_t>&, int&, int&)>& fill, bool smooth) {
  Tex& t = textures_[key];
  if (t.id && t.serial == serial) return t.id;
  std::vector<uint32_t> rgba;
  int w = 0, h = 0;
  fill(rgba, w, h);
  if (w <= 0 || h <= 0 || rgba.size() < (size_t)w * h) return t.id;
  t.id = tex.update(key, rgba.data(), w, h, smooth);
  t.serial = serial;
  return t.id;
}

// [SECTION] running (submit, harvest, live) ---------------------------------------------------------------

double AttributionTab::progress() const {
  if (run_jobs_ == 0) return 1.0;
  double done = run_jobs_ - (double)pending_.size();
  for (const Pending& p : pending_) done += p.job->progress();
  return done / run_jobs_;
}

void AttributionTab::cancel() {
  for (const Pending& p : pending_) p.job->cancel();
}

void AttributionTab::start_run(Controller& c) {
  const Snapshot& v = c.view();
  if (!c.lab().has_experiment()) return;
  std::shared_ptr<Experiment> e;
  try {
    e = c.lab().experiment();
  } catch (const std::exception&) {
    return;
  }
  const size_t in = count_of(v.input_shape);
  if (in == 0 || e->dataset().input_size() != in) return;  // the snapshot is of another experiment: wait for the next
  std::vector<float> x;
  int n = 1;
  if (v.plane) {
    const int G = kPlaneAttrGrid;
    if (!picked_) {  // the first test point, else the plane's centre
      pick_x_ = v.test_xy.size() >= 2 ? v.test_xy[0] : (v.x0 + v.x1) * 0.5f;
      pick_y_ = v.test_xy.size() >= 2 ? v.test_xy[1] : (v.y0 + v.y1) * 0.5f;
      picked_ = true;
    }
    std::vector<float> raw;  // (G² + 1, 2): row 0 at the top (y = y1), then the picked point
    raw.reserve((size_t)(G * G + 1) * 2);
    for (int r = 0; r < G; ++r)
      for (int col = 0; col < G; ++col) {
        raw.push_back(v.x0 + (col + 0.5f) / G * (v.x1 - v.x0));
        raw.push_back(v.y1 - (r + 0.5f) / G * (v.y1 - v.y0));
      }
    raw.push_back(pick_x_);
    raw.push_back(pick_y_);
    n = G * G + 1;
    x = e->featurize(raw.data(), n);
    if (x.size() != (size_t)n * in) return;
    run_x0_ = v.x0, run_x1_ = v.x1, run_y0_ = v.y0, run_y1_ = v.y1;
    run_px_ = pick_x_, run_py_ = pick_y_;
  } else {
    if (v.selected_x.size() < in) return;
    x.assign(v.selected_x.begin(), v.selected_x.begin() + (long)in);
  }

  // The new results start as the old ones of the same label (shown, marked stale, until replaced).
  const std::vector<std::string> labels = methods_.labels();
  std::vector<AttrResult> next(methods_.items.size());
  for (size_t i = 0; i < next.size(); ++i) {
    for (const AttrResult& old : results_)
      if (old.label == labels[i] && old.error.empty()) next[i] = old;
    next[i].label = labels[i];
    next[i].method = methods_.items[i].method;
    const attr::MethodInfo* info = find_method(next[i].method);
    next[i].layer_output = info && info->layer_output;
    next[i].stale = true;
    next[i].error.clear();
  }
  // 2-D classification: every grid point explains the class predicted at the picked point (unless the user
  // chose a target), so a plane map reads as "this feature's pull towards class k", without flipping where
  // the prediction changes.
  run_target_ = -1;
  if (v.plane && v.task == "classification" && v.output_dim > 1 && v.grid > 0 &&
      v.grid_out.size() >= (size_t)v.grid * v.grid * v.output_dim) {
    const int K = v.output_dim;
    const float* o = v.grid_out.data() + (size_t)plane_cell(pick_x_, pick_y_, v.x0, v.x1, v.y0, v.y1, v.grid) * K;
    run_target_ = (int)(std::max_element(o, o + K) - o);
  }
  pending_.clear();
  for (size_t i = 0; i < next.size(); ++i) {
    json options = methods_.items[i].options;
    if (run_target_ >= 0 && options.value("target", -1) == -1) options["target"] = run_target_;
    try {
      pending_.push_back({c.lab().attribute_async(methods_.items[i].method, x, n, options.dump()), i});
    } catch (const std::exception& ex) {  // bad options: said where the map would be
      AttrResult failed;
      failed.label = next[i].label;
      failed.method = next[i].method;
      failed.error = ex.what();
      failed.stale = false;
      next[i] = std::move(failed);
      next[i].serial = ++serial_;
    }
  }
  results_ = std::move(next);
  run_jobs_ = (int)pending_.size();
  run_exp_ = e;
  run_version_ = v.version;
  run_step_ = v.step;
  run_sample_ = v.plane ? -1 : v.selected;
  run_shape_ = v.input_shape;
  run_x_ = v.plane ? std::vector<float>() : x;
  last_start_ms_ = now_ms_;
  dirty_ = false;
  ++runs_started_;
  last_state_ = pending_.empty() ? "done" : "running";
}

void AttributionTab::harvest() {
  if (pending_.empty()) return;
  bool cancelled = false;
  for (size_t k = 0; k < pending_.size();) {
    const Pending& p = pending_[k];
    if (!p.job->finished()) {
      ++k;
      continue;
    }
    if (p.index < results_.size()) {
      AttrResult& r = results_[p.index];
      switch (p.job->state()) {
        case Job::State::Done:
          try {
            const json j = json::parse(p.job->result_json);
            r.shape = j.at("shape").get<std::vector<int>>();
            r.delta = j.at("delta").is_null() ? std::vector<float>() : j.at("delta").get<std::vector<float>>();
            r.targets = j.at("targets").get<std::vector<int>>();
            r.f = j.at("f").get<std::vector<float>>();
            r.ms = j.value("ms", 0.0);
            r.map = p.job->result;
            r.error.clear();
            if (count_of(r.shape) == 0 || r.map.size() % count_of(r.shape) != 0) r.error = "the map has an unexpected size";
          } catch (const std::exception& ex) {
            r.error = std::string("unreadable result: ") + ex.what();
          }
          r.step = run_step_;
          r.stale = false;
          r.serial = ++serial_;
          break;
        case Job::State::Failed:
          r.error = p.job->error();
          r.map.clear();
          r.stale = false;
          r.serial = ++serial_;
          break;
        default:  // cancelled: the old map stays, still marked stale
          cancelled = true;
          break;
      }
    }
    pending_.erase(pending_.begin() + (long)k);
  }
  if (pending_.empty()) {
    ++runs_done_;
    last_state_ = cancelled ? "cancelled" : "done";
    run_ms_ = 0;
    for (const AttrResult& r : results_) run_ms_ += r.ms;
  }
}

void AttributionTab::frame(Controller& c, double now_ms) {
  now_ms_ = now_ms;
  frame_seen_ = ImGui::GetFrameCount();
  harvest();
}

// Starts a run when one is due: the methods, their options or the sample changed, or (Live) training moved
// the model and the last run started at least kLiveIntervalMs ago. Never while one is in flight.
void AttributionTab::maybe_run(Controller& c) {
  const Snapshot& v = c.view();
  if (v.input_shape != run_shape_ && !run_shape_.empty()) {  // another dataset: start over
    results_.clear();
    picked_ = false;
    feature_ = 0;
    dirty_ = true;
  }
  if (!v.plane && v.selected != run_sample_) dirty_ = true;
  if (c.lab().has_experiment() && c.lab().experiment() != run_exp_.lock()) dirty_ = true;  // loaded, rebuilt or reset
  if (in_flight() || methods_.items.empty()) return;
  // Single-threaded build: a job runs inside a frame, so live re-runs are for maps that take less than
  // about two frames (Run still computes any method on request).
  live_too_slow_ = !kJobsOnThread && run_ms_ > kInlineLiveMs;
  const bool live_due = live_ && !held_ && !live_too_slow_ && v.version != run_version_ && now_ms_ - last_start_ms_ >= kLiveIntervalMs;
  if (dirty_ || live_due || run_shape_.empty()) start_run(c);
}

// [SECTION] toolbar -------------------------------------------------------------------------------------

void AttributionTab::toolbar(Controller& c) {
  if (methods_.edit("attr_methods")) {
    dirty_ = true;
    held_ = false;
    cancel();  // the run in flight is for the old list
  }
  ImGui::SameLine();
  ImGui::Checkbox("Live", &live_);
  ImGui::SetItemTooltip("Recompute the maps as training changes the network (at most every %.0f ms)", kLiveIntervalMs);
  ImGui::SameLine();
  if (ImGui::Button("Run")) {
    dirty_ = true;
    held_ = false;
  }
  ImGui::SetItemTooltip("Compute the maps now");
  ImGui::SameLine();
  if (in_flight()) {
    ImGui::ProgressBar((float)progress(), ImVec2(ImGui::GetFontSize() * 7.0f, 0));
    ImGui::SameLine();
    if (ImGui::Button("Cancel##attr")) {
      cancel();
      held_ = true;
    }
    ImGui::SetItemTooltip("Stop the methods still running (their previous maps stay)");
  } else if (last_state_ == "cancelled") {
    ImGui::TextDisabled("cancelled: Run computes again");
  } else if (live_ && live_too_slow_) {
    ImGui::TextDisabled("live paused: these maps take %.0f ms; without threads they would hold training back; Run updates them", run_ms_);
  } else if (run_step_ >= 0) {
    ImGui::TextDisabled("for step %lld", run_step_);
  }
  colour_key();
}

// [SECTION] images -------------------------------------------------------------------------------------

void AttributionTab::draw_image_maps(Controller& c, TextureCache& tex) {
  const Snapshot& v = c.view();
  const int C = run_shape_[0], H = run_shape_[1], W = run_shape_[2];
  const size_t in = (size_t)C * H * W;
  const float fs = ImGui::GetFontSize(), sp = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const int n = (int)results_.size();
  if (enlarged_ >= n) enlarged_ = -1;
  // A grid of as many maps as fit; a click on one shows it as large as the view allows (a click, or the
  // button, goes back to the grid).
  float tile = std::clamp((avail / std::max(1, std::min(n, 2)) - sp * 3) / 2, fs * 3.0f, fs * 7.0f);
  if (enlarged_ >= 0) {
    if (ImGui::Button("Back to all maps")) enlarged_ = -1;
    // As wide as the view allows (the view scrolls down when it is taller; Maximise gives it the screen).
    tile = std::clamp((avail - sp * 3) / 2, fs * 3.0f, fs * 30.0f);
  }
  const float group_w = tile * 2 + sp;
  const int cols = std::max(1, (int)((avail + sp * 2) / (group_w + sp * 2)));
  int drawn = 0;
  for (int i = 0; i < n; ++i) {
    if (enlarged_ >= 0 && i != enlarged_) continue;
    const AttrResult& r = results_[i];
    ImGui::PushID(i);
    if (drawn++ % cols) ImGui::SameLine(0, sp * 2);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + group_w);
    ImGui::TextUnformatted(r.label.c_str());
    ImGui::PopTextWrapPos();
    const bool have = r.error.empty() && !r.map.empty() && run_x_.size() == in;
    const size_t per = count_of(r.shape);
    // The heat map per pixel (input-shaped maps: summed over channels; layer maps: their own H×W).
    int mh = H, mw = W;
    bool overlay = have;
    if (have && r.layer_output) {
      overlay = r.shape.size() == 3 && r.shape[1] == H && r.shape[2] == W;
      if (r.shape.size() == 3)
        mh = r.shape[1], mw = r.shape[2];
      else
        mh = 1, mw = (int)per;
    }
    const std::string key = "attr/" + std::to_string(i);
    auto heat = [&]() -> std::vector<float> {
      if (r.shape.size() == 3) return channel_sum(r.map.data(), r.shape[0], r.shape[1], r.shape[2]);
      return std::vector<float>(r.map.begin(), r.map.begin() + (long)per);
    };
    ImTextureID ov = 0, alone = 0;
    if (have && per > 0 && r.map.size() >= per) {
      ov = texture(
          tex, key + "/overlay", r.serial,
          [&](std::vector<uint32_t>& out, int& w, int& h) {
            if (overlay)
              overlay_pixels(run_x_.data(), C, H, W, heat(), out);
            else
              image_to_rgba(run_x_.data(), C, H, W, -1, 0.0f, 1.0f, out);
            w = W, h = H;
          },
          false);
      alone = texture(
          tex, key + "/map", r.serial,
          [&](std::vector<uint32_t>& out, int& w, int& h) {
            const std::vector<float> m = heat();
            signed_to_rgba(m.data(), (int)m.size(), 0.0f, out);
            w = mw, h = mh;
          },
          false);
    }
    char id[64];
    std::snprintf(id, sizeof id, "attr overlay %d", i);
    const char* click = enlarged_ == i ? "click: back to all maps" : "click to enlarge";
    if (image_tile(id, ov, ImVec2(tile, tile), "on the sample", 0) && have) enlarged_ = enlarged_ == i ? -1 : i;
    if (ImGui::IsItemHovered() && have)
      ImGui::SetTooltip("%s over the grey sample\nblue: raises the explained output, orange: lowers it\n(%s)", r.label.c_str(), click);
    ImGui::SameLine(0, sp);
    std::snprintf(id, sizeof id, "attr map %d", i);
    if (image_tile(id, alone, ImVec2(tile, mw == (int)per && mh == 1 ? tile * 0.25f : tile), "map", 0) && have)
      enlarged_ = enlarged_ == i ? -1 : i;
    if (ImGui::IsItemHovered() && have) {
      const float s = max_abs(r.map.data(), per);
      ImGui::SetTooltip("%s: max |a| = %.3g (colours scaled to it)%s\n(%s)", r.label.c_str(), s,
                        r.layer_output ? "\nlayer method: the map has the layer's shape" : "", click);
    }
    result_caption(v, r, 0, group_w);
    ImGui::EndGroup();
    ImGui::PopID();
  }
}

// [SECTION] tables --------------------------------------------------------------------------------------

void AttributionTab::draw_table_maps(Controller& c) {
  const Snapshot& v = c.view();
  const float fs = ImGui::GetFontSize(), sp = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float group_w = std::max(fs * 12.0f, std::min(avail, fs * 18.0f));
  const int cols = std::max(1, (int)((avail + sp * 2) / (group_w + sp * 2)));
  for (int i = 0; i < (int)results_.size(); ++i) {
    const AttrResult& r = results_[i];
    ImGui::PushID(i);
    if (i % cols) ImGui::SameLine(0, sp * 2);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(r.label.c_str());
    const size_t per = count_of(r.shape);
    if (r.error.empty() && per > 0 && r.map.size() >= per) {
      signed_bars("bars", value_names(v, r.layer_output, per), std::vector<float>(r.map.begin(), r.map.begin() + (long)per), 0.0f, group_w);
    }
    result_caption(v, r, 0, group_w);
    ImGui::EndGroup();
    ImGui::PopID();
  }
}

// [SECTION] the 2-D plane --------------------------------------------------------------------------------

void AttributionTab::draw_plane(Controller& c, TextureCache& tex) {
  const Snapshot& v = c.view();
  const float fs = ImGui::GetFontSize();
  const float side = std::min(fs * 10.0f, std::max(fs * 6.0f, ImGui::GetContentRegionAvail().x * 0.35f));
  const std::vector<PlotPoint> pts = plane_points(v);
  PlaneHit h = plane_plot("attr pick point", plane_texture(c, tex, -1, 0), ImVec2(side, side), v.x0, v.x1, v.y0, v.y1, pts, c.show_train,
                          c.show_test);
  if (picked_) mark_point(h, pick_x_, pick_y_, v.x0, v.x1, v.y0, v.y1);
  if (h.hovered) ImGui::SetTooltip("Click to explain the network's answer at this point");
  if (h.clicked) {
    if (h.nearest >= 0 && h.nearest < (int)pts.size())
      pick_x_ = pts[h.nearest].x, pick_y_ = pts[h.nearest].y;
    else
      pick_x_ = h.x, pick_y_ = h.y;
    picked_ = true;
    dirty_ = true;
    held_ = false;
    cancel();
  }
  ImGui::SameLine();
  ImGui::BeginGroup();
  toolbar(c);
  const int F = (int)count_of(v.input_shape);
  feature_ = std::clamp(feature_, 0, std::max(0, F - 1));
  const std::string fname = feature_ < (int)v.feature_names.size() ? v.feature_names[feature_] : "x" + std::to_string(feature_ + 1);
  ImGui::SetNextItemWidth(fs * 8.0f);
  if (begin_combo_probed("Feature", fname.c_str())) {
    for (int f = 0; f < F; ++f) {
      const std::string nm = f < (int)v.feature_names.size() ? v.feature_names[f] : "x" + std::to_string(f + 1);
      if (ImGui::Selectable(nm.c_str(), f == feature_)) feature_ = f;
    }
    ImGui::EndCombo();
  }
  ImGui::SetItemTooltip("The input feature whose attribution the plane maps show");
  ImGui::Text("picked point: x1 = %.2f, x2 = %.2f", pick_x_, pick_y_);
  ImGui::PushTextWrapPos(0.0f);
  const std::string what = run_target_ >= 0 ? class_label(v, run_target_) + " (the picked point's prediction)" : "the explained output";
  ImGui::TextDisabled(
      "Click the plane on the left to pick a point. Each map below shows, over the whole plane, how much "
      "%s pulls towards %s (blue +, orange −); the bars are the picked point's attributions.",
      fname.c_str(), what.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

void AttributionTab::draw_plane_maps(Controller& c, TextureCache& tex) {
  const Snapshot& v = c.view();
  const int G = kPlaneAttrGrid;
  const float fs = ImGui::GetFontSize(), sp = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const int n = (int)results_.size();
  const float group_w = std::clamp(avail / std::max(1, std::min(n, 3)) - sp * 2, fs * 8.0f, fs * 13.0f);
  const int cols = std::max(1, (int)((avail + sp * 2) / (group_w + sp * 2)));
  // The map is as large as lets its label, bars and captions fit under it in the visible height.
  const size_t F0 = results_.empty() ? 2 : std::max<size_t>(1, count_of(results_[0].shape));
  const float below = ImGui::GetTextLineHeightWithSpacing() * (1 + 3) + fs * 1.25f * (float)F0 + fs * 2.0f;
  const float side = std::clamp(ImGui::GetContentRegionAvail().y - below, fs * 9.0f, group_w);
  for (int i = 0; i < n; ++i) {
    const AttrResult& r = results_[i];
    ImGui::PushID(i);
    if (i % cols) ImGui::SameLine(0, sp * 2);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + group_w);
    ImGui::TextUnformatted(r.label.c_str());
    ImGui::PopTextWrapPos();
    const size_t F = count_of(r.shape);
    const size_t rows = F ? r.map.size() / F : 0;
    const bool have = r.error.empty() && F > 0 && rows == (size_t)G * G + 1;
    ImTextureID t = 0;
    const size_t f = have && !r.layer_output ? std::min<size_t>(feature_, F - 1) : 0;
    if (have) {
      t = texture(
          tex, "attr/plane/" + std::to_string(i), r.serial * 64 + (long long)f,
          [&](std::vector<uint32_t>& out, int& w, int& h) {
            std::vector<float> m((size_t)G * G);
            for (size_t k = 0; k < m.size(); ++k) m[k] = r.map[k * F + f];
            signed_to_rgba(m.data(), (int)m.size(), 0.0f, out);
            w = h = G;
          },
          true);
    }
    const PlaneHit h = plane_plot("attr plane map", t, ImVec2(std::min(group_w, side + fs * 2.0f), side), run_x0_, run_x1_, run_y0_,
                                  run_y1_, {}, false, false);
    if (have) mark_point(h, run_px_, run_py_, run_x0_, run_x1_, run_y0_, run_y1_);
    if (h.hovered && have) {
      const size_t cell = (size_t)plane_cell(h.x, h.y, run_x0_, run_x1_, run_y0_, run_y1_, G);
      ImGui::SetTooltip("x1 = %.2f, x2 = %.2f\nattribution of feature %zu: %.4g", h.x, h.y, f + 1, r.map[cell * F + f]);
    }
    if (have) {
      const float* picked = r.map.data() + (size_t)G * G * F;
      signed_bars("picked bars", value_names(v, r.layer_output, F), std::vector<float>(picked, picked + F), 0.0f, group_w);
    }
    result_caption(v, r, (size_t)G * G, group_w);
    ImGui::EndGroup();
    ImGui::PopID();
  }
}

// [SECTION] the tab -------------------------------------------------------------------------------------

void AttributionTab::draw(Controller& c, TextureCache& tex) {
  visible_frame_ = ImGui::GetFrameCount();
  const Snapshot& v = c.view();
  if (v.layers.empty() || v.input_shape.empty()) {
    ImGui::TextDisabled("Waiting for the first results…");
    return;
  }
  if (v.plane) {
    draw_plane(c, tex);
  } else {
    const float fs = ImGui::GetFontSize();
    if (is_image_shape(v.input_shape) && v.selected_x.size() >= count_of(v.input_shape)) {
      image_tile("attr sample",
                 sample_texture(tex, "attr/sample", v.version, v.selected_x.data(), v.input_shape[0], v.input_shape[1], v.input_shape[2]),
                 ImVec2(fs * 3.5f, fs * 3.5f), nullptr, 0);
      ImGui::SameLine();
    }
    ImGui::BeginGroup();
    toolbar(c);
    std::string said;
    if (!v.selected_act.empty() && v.task == "classification" && (int)v.selected_act.back().size() >= v.output_dim && v.output_dim > 0) {
      const std::vector<float>& o = v.selected_act.back();
      const int pred = v.output_dim == 1 ? (o[0] > 0 ? 1 : 0) : (int)(std::max_element(o.begin(), o.begin() + v.output_dim) - o.begin());
      said = ", predicted " + class_label(v, pred);
    }
    const int k = v.selected - v.shown_first;
    if (k >= 0 && k < (int)v.shown_label.size()) said += ", true " + class_label(v, v.shown_label[k]);
    ImGui::Text("Test sample #%d%s", v.selected, said.c_str());
    if (ImGui::Button("Previous sample")) c.select_sample(std::max(0, v.selected - 1));
    ImGui::SameLine();
    ImGui::BeginDisabled(v.n_test > 0 && v.selected + 1 >= v.n_test);
    if (ImGui::Button("Next sample")) c.select_sample(v.selected + 1);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextDisabled("(or click a sample in another tab)");
    ImGui::EndGroup();
  }
  maybe_run(c);
  if (methods_.items.empty()) {
    ImGui::TextDisabled("No method chosen: open Methods… and tick some.");
    return;
  }
  if (!ImGui::BeginChild("##attr_maps", ImVec2(0, 0))) {
    ImGui::EndChild();
    return;
  }
  if (results_.empty())
    ImGui::TextDisabled("computing…");
  else if (v.plane)
    draw_plane_maps(c, tex);
  else if (is_image_shape(run_shape_))
    draw_image_maps(c, tex);
  else
    draw_table_maps(c);
  ImGui::EndChild();
}

// [SECTION] state for tests ---------------------------------------------------------------------------------

json AttributionTab::state() const {
  json rs = json::array();
  const size_t row = run_sample_ < 0 && !results_.empty() ? (size_t)kPlaneAttrGrid * kPlaneAttrGrid : 0;  // 2-D: the picked point
  for (const AttrResult& r : results_) {
    const size_t per = count_of(r.shape);
    bool finite = !r.map.empty();
    float mx = 0;
    for (float a : r.map) finite = finite && std::isfinite(a), mx = std::max(mx, std::fabs(a));
    json o = {{"label", r.label}, {"method", r.method}, {"error", r.error},        {"stale", r.stale}, {"ms", r.ms},
              {"step", r.step},   {"shape", r.shape},   {"mapSize", r.map.size()}, {"finite", finite}, {"maxAbs", mx}};
    o["delta"] = row < r.delta.size() && std::isfinite(r.delta[row]) ? json(r.delta[row]) : json(nullptr);
    o["target"] = row < r.targets.size() ? json(r.targets[row]) : json(nullptr);
    o["f"] = row < r.f.size() && std::isfinite(r.f[row]) ? json(r.f[row]) : json(nullptr);
    o["note"] = result_note(r, row);
    if (per > 0 && r.map.size() >= (row + 1) * per)
      o["values"] = std::vector<float>(r.map.begin() + (long)(row * per), r.map.begin() + (long)((row + 1) * per));
    rs.push_back(o);
  }
  json s = {{"visible", visible_frame_ >= 0 && visible_frame_ == frame_seen_},
            {"methods", methods_.to_json()},
            {"live", live_},
            {"livePaused", live_too_slow_},
            {"enlarged", enlarged_},
            {"state", last_state_},
            {"inFlight", pending_.size()},
            {"progress", progress()},
            {"runsStarted", runs_started_},
            {"runsDone", runs_done_},
            {"step", run_step_},
            {"version", run_version_},
            {"sample", run_sample_},
            {"feature", feature_},
            {"results", rs}};
  if (run_sample_ < 0 && !run_shape_.empty()) {
    s["picked"] = {run_px_, run_py_};
    s["planeTarget"] = run_target_;
  }
  return s;
}

}  // namespace lab::ui
