// describe.cpp — the text behind "Describe this view" (describe.h): [SECTION] helpers · [SECTION] the run ·
// [SECTION] the views.
#include "app/describe.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

namespace lab::ui {

namespace {
using json = nlohmann::json;

// [SECTION] helpers ---------------------------------------------------------------------------------

std::string num(double v, const char* f = "%.3g") {
  if (!std::isfinite(v)) return "not available";
  char b[48];
  std::snprintf(b, sizeof b, f, v);
  return b;
}
std::string pct(double v) { return std::isfinite(v) ? num(v * 100, "%.1f") + "%" : "not available"; }

std::string class_name(const Snapshot& v, int k) {
  if (k >= 0 && k < (int)v.class_names.size() && !v.class_names[k].empty()) return v.class_names[k];
  return "class " + std::to_string(k);
}

// "falling", "rising" or "flat" over the last points of a curve (finite values only).
std::string trend(const std::vector<float>& y) {
  std::vector<float> f;
  for (float v : y)
    if (std::isfinite(v)) f.push_back(v);
  if (f.size() < 3) return "";
  const size_t n = std::min<size_t>(f.size(), 10);
  const float a = f[f.size() - n], b = f.back();
  const float rel = (b - a) / std::max(1e-12f, std::fabs(a));
  if (rel < -0.02f) return "falling";
  if (rel > 0.02f) return "rising";
  return "flat";
}

// [SECTION] the run ---------------------------------------------------------------------------------

std::string describe_run(const Controller& c) {
  const Snapshot& v = c.view();
  const Metrics& m = v.metrics;
  const bool cls = v.task == "classification";
  std::string s;
  const json spec = c.spec();
  const std::string data = spec.is_object() && spec.contains("data") ? spec["data"].value("name", std::string("?")) : std::string("?");
  s += "Data: " + data + ", a " + v.task + (cls ? " with " + std::to_string(v.num_classes) + " classes" : "") + ", " +
       std::to_string(v.n_train) + " training and " + std::to_string(v.n_test) + " test samples. ";
  int units = 0;
  for (const LayerView& L : v.layers) units += !L.weight.empty();
  s += "Network: " + std::to_string(v.layers.size()) + " layers (" + std::to_string(units) + " with weights), " +
       std::to_string(v.num_params) + " parameters. ";
  s += "Step " + std::to_string(v.step) + ", epoch " + std::to_string(v.epoch) + ". ";
  if (!v.evaluated && !std::isfinite(m.train_loss)) return s + "The evaluation is still running. ";
  s += "Loss: training " + num(m.train_loss) + ", test " + num(m.test_loss) + ". ";
  if (cls)
    s += "Accuracy: training " + pct(m.train_accuracy) + ", test " + pct(m.test_accuracy) + ". ";
  else
    s += "Test RMSE " + num(m.test_rmse) + ", R² " + num(m.test_r2) + ". ";
  const auto& cv = c.curves;
  if (cv.step.size() >= 2) {
    auto best = std::min_element(cv.test_loss.begin(), cv.test_loss.end(), [](float a, float b) {
      return std::isfinite(a) && (!std::isfinite(b) || a < b);
    });
    s += "Learning curves: " + std::to_string(cv.step.size()) + " evaluations from step " + num(cv.step.front(), "%.0f") + " to " +
         num(cv.step.back(), "%.0f") + "; the test loss went from " + num(cv.test_loss.front()) + " to " + num(cv.test_loss.back());
    if (best != cv.test_loss.end() && std::isfinite(*best))
      s += " (lowest " + num(*best) + " at step " + num(cv.step[best - cv.test_loss.begin()], "%.0f") + ")";
    const std::string t = trend(cv.test_loss);
    if (!t.empty()) s += ", " + t + " lately";
    s += ". ";
    if (cls && !cv.test_acc.empty()) s += "Test accuracy went from " + pct(cv.test_acc.front()) + " to " + pct(cv.test_acc.back()) + ". ";
  }
  if (m.diverged) s += "The run diverged: " + m.diverged_reason + " ";
  if (m.stopped) s += "Training stopped: " + m.stop_reason + ". ";
  return s;
}

// [SECTION] the views -------------------------------------------------------------------------------

std::string describe_surface(const Snapshot& v) {
  if (!v.plane || v.grid <= 0 || v.grid_out.empty()) return "";
  const int g = v.grid, D = v.output_dim;
  std::string s = "Decision surface over x1 from " + num(v.x0) + " to " + num(v.x1) + " and x2 from " + num(v.y0) + " to " + num(v.y1) + ": ";
  if (v.task == "classification") {
    std::vector<int> area(std::max(2, v.num_classes), 0);
    for (int i = 0; i < g * g; ++i) {
      const float* o = v.grid_out.data() + (size_t)i * D;
      const int k = D == 1 ? (o[0] > 0 ? 1 : 0) : (int)(std::max_element(o, o + D) - o);
      if (k < (int)area.size()) area[k]++;
    }
    for (size_t k = 0; k < area.size(); ++k)
      s += (k ? ", " : "") + class_name(v, (int)k) + " covers " + pct((double)area[k] / (g * g)) + " of the plane";
    s += ". ";
  } else {
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < g * g; ++i) lo = std::min(lo, v.grid_out[(size_t)i * D]), hi = std::max(hi, v.grid_out[(size_t)i * D]);
    s += "the network's output ranges from " + num(lo) + " to " + num(hi) + ". ";
  }
  s += std::to_string(v.train_xy.size() / 2) + " training and " + std::to_string(v.test_xy.size() / 2) + " test points are drawn on it. ";
  return s;
}

std::string describe_confusion(const Snapshot& v) {
  const int K = v.num_classes;
  const auto& cm = v.metrics.confusion;
  if (K <= 0 || cm.size() != (size_t)K * K) return "The confusion matrix is not available yet. ";
  std::string s = "Confusion matrix of the test set (rows: true class, columns: predicted). Per-class accuracy: ";
  for (int k = 0; k < K; ++k)
    s += (k ? ", " : "") + class_name(v, k) + " " +
         (k < (int)v.metrics.per_class_accuracy.size() ? pct(v.metrics.per_class_accuracy[k]) : std::string("not available"));
  struct Cell {
    int t, p, n;
  };
  std::vector<Cell> off;
  for (int t = 0; t < K; ++t)
    for (int p = 0; p < K; ++p)
      if (t != p && cm[(size_t)t * K + p] > 0) off.push_back({t, p, cm[(size_t)t * K + p]});
  std::sort(off.begin(), off.end(), [](const Cell& a, const Cell& b) { return a.n != b.n ? a.n > b.n : a.t * 1000 + a.p < b.t * 1000 + b.p; });
  if (off.empty()) return s + ". No test sample is misclassified. ";
  s += ". Most frequent mistakes: ";
  for (size_t i = 0; i < std::min<size_t>(5, off.size()); ++i)
    s += (i ? ", " : "") + class_name(v, off[i].t) + " taken for " + class_name(v, off[i].p) + " " + std::to_string(off[i].n) +
         (off[i].n == 1 ? " time" : " times");
  return s + ". ";
}

std::string describe_predictions(const Snapshot& v) {
  const int D = v.output_dim;
  const int n = D > 0 ? (int)(v.shown_out.size() / D) : 0;
  if (n == 0) return "";
  std::string s = "Predictions for test samples " + std::to_string(v.shown_first) + " to " + std::to_string(v.shown_first + n - 1) + ": ";
  if (v.task != "classification") return s + std::to_string(n) + " regression outputs shown. ";
  int right = 0;
  std::vector<std::string> wrong;
  for (int i = 0; i < n; ++i) {
    const float* o = v.shown_out.data() + (size_t)i * D;
    const int p = D == 1 ? (o[0] > 0 ? 1 : 0) : (int)(std::max_element(o, o + D) - o);
    const int y = i < (int)v.shown_label.size() ? v.shown_label[i] : -1;
    if (p == y)
      ++right;
    else if (wrong.size() < 5)
      wrong.push_back("sample " + std::to_string(v.shown_first + i) + " (true " + class_name(v, y) + ") predicted " + class_name(v, p));
  }
  s += std::to_string(right) + " of " + std::to_string(n) + " right";
  for (size_t i = 0; i < wrong.size(); ++i) s += (i ? "; " : ". Wrong: ") + wrong[i];
  return s + ". ";
}

std::string describe_confused(const Snapshot& v) {
  if (v.confused.empty()) return "No test sample is confidently wrong. ";
  std::string s = "The test samples the network gets most confidently wrong: ";
  for (size_t i = 0; i < std::min<size_t>(5, v.confused.size()); ++i)
    s += (i ? "; " : "") + std::string("sample ") + std::to_string(v.confused[i]) + ", a " + class_name(v, v.confused_label[i]) +
         " taken for " + class_name(v, v.confused_pred[i]) + " with probability " + num(v.confused_p[i], "%.2f");
  return s + ". ";
}

std::string describe_layers(const Snapshot& v) {
  std::string s = "Layer outputs for test sample " + std::to_string(v.selected) + ": ";
  for (size_t i = 0; i < v.selected_act.size() && i < v.layers.size(); ++i) {
    const auto& a = v.selected_act[i];
    if (a.empty()) continue;
    int active = 0;
    float mx = -INFINITY;
    for (float x : a) active += x > 0, mx = std::max(mx, x);
    s += "layer " + std::to_string(i) + " (" + v.layers[i].type + ") " + std::to_string(active) + " of " + std::to_string(a.size()) +
         " values positive, largest " + num(mx) + "; ";
  }
  return s;
}

std::string describe_attributions(const Snapshot& v, const json& st) {
  const json& maps = st.contains("maps") ? st["maps"] : json::object();
  if (!maps.contains("results") || maps["results"].empty()) return "No attribution has been computed yet. ";
  std::string s = "Attribution maps";
  if (maps.value("sample", -1) >= 0) s += " for test sample " + std::to_string(maps.value("sample", -1));
  s += ": ";
  for (const json& r : maps["results"]) {
    s += r.value("label", std::string("?"));
    if (!r.value("error", std::string()).empty()) {
      s += " failed (" + r.value("error", std::string()) + "); ";
      continue;
    }
    if (r.contains("values") && r["values"].is_array() && !r["values"].empty()) {
      std::vector<float> a = r["values"].get<std::vector<float>>();
      std::vector<int> idx(a.size());
      std::iota(idx.begin(), idx.end(), 0);
      const size_t top = std::min<size_t>(3, a.size());
      std::partial_sort(idx.begin(), idx.begin() + (long)top, idx.end(), [&](int i, int j) { return std::fabs(a[i]) > std::fabs(a[j]); });
      s += ", strongest inputs ";
      for (size_t t = 0; t < top; ++t) {
        const int i = idx[t];
        const std::string name = v.feature_names.size() == a.size() && !v.feature_names[i].empty() ? v.feature_names[i] : "#" + std::to_string(i);
        s += (t ? ", " : "") + name + " (" + num(a[i]) + ")";
      }
    }
    if (r.contains("delta") && r["delta"].is_number()) s += ", completeness gap " + num(r["delta"].get<double>());
    s += "; ";
  }
  return s;
}

std::string describe_arena(const json& st) {
  const json& a = st.contains("arena") ? st["arena"] : json::object();
  if (!a.contains("rows") || a["rows"].empty()) return "The arena has not been run yet. ";
  std::string s = "Arena over " + std::to_string(a.value("samples", 0)) + " test samples, methods in the table's order: ";
  int i = 0;
  for (const json& r : a["rows"]) {
    if (i++ >= 8) break;
    s += r.value("label", std::string("?"));
    std::string cells;
    for (const auto& [k, val] : r.items())
      if (k != "label" && k != "error" && val.is_number()) cells += (cells.empty() ? "" : ", ") + k + " " + num(val.get<double>());
    if (!cells.empty()) s += " (" + cells + ")";
    s += "; ";
  }
  return s;
}
}  // namespace

std::string describe_views(const Controller& c, const std::string& tab, const json& attributions) {
  const Snapshot& v = c.view();
  if (v.layers.empty()) return "The lab is still building its first experiment.";
  std::string s = describe_run(c);
  if (!tab.empty()) s += "View: " + tab + ". ";
  if (tab == "Surface" || (tab.empty() && v.plane))
    s += describe_surface(v);
  else if (tab == "Confusion")
    s += describe_confusion(v);
  else if (tab == "Predictions")
    s += describe_predictions(v);
  else if (tab == "Most confused")
    s += describe_confused(v);
  else if (tab == "Activations" || tab == "Filters")
    s += describe_layers(v);
  else if (tab == "Attributions")
    s += describe_attributions(v, attributions);
  else if (tab == "Arena")
    s += describe_arena(attributions);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace lab::ui
