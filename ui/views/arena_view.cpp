// arena_view.cpp — the Arena tab: [SECTION] the score columns · [SECTION] running · [SECTION] the table ·
// [SECTION] curves · [SECTION] agreement · [SECTION] the tab · [SECTION] state for tests
//
// The arena (attr_eval.h) is one job on the Lab's job runner, on a snapshot of the model; its JSON report is
// read as it comes (null scores are "–", a method's error is shown in its row and listed under the table).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "app/ui_probe.h"
#include "imgui.h"
#include "views/attributions.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {

// [SECTION] the score columns -----------------------------------------------------------------------------

// One table column: the report's key (metrics.<key>; "ms" is the method's own field), the header, what it
// measures, and which way is better (+1 higher, −1 lower, 0 neither).
struct Column {
  const char* key;
  const char* head;
  const char* title;
  const char* help;
  int better;
};

const Column kColumns[] = {
    {"label", "method", "Method", "The method and the parameters changed from its defaults.", 0},
    {"ms", "ms/input", "Time per input", "Milliseconds the method took per explained input (this machine, these threads).", -1},
    {"mass", "mass", "Relevance mass accuracy",
     "The share of the positive attribution that falls inside the ground-truth mask (the inputs that decide the label;\n"
     "datasets with masks only: block_patterns, one_feature).",
     +1},
    {"rank", "rank", "Relevance rank accuracy", "The share of the K largest attributions inside the mask (K = the mask's size).", +1},
    {"pointing", "pointing", "Pointing game", "How often the single largest attribution lies inside the mask.", +1},
    {"difull", "DiFull", "DiFull localisation",
     "On 2×2 grids of test images where each cell is seen by its own copy of the classifier: the share of the positive\n"
     "attribution inside the explained cell. Anything outside is provably wrong (image models only).",
     +1},
    {"deletionAuc", "del. AUC", "Deletion AUC",
     "Inputs removed (set to 0) in order of decreasing attribution: the area under the explained class' probability.\n"
     "A faithful map removes what matters first, so the probability drops fast.",
     -1},
    {"insertionAuc", "ins. AUC", "Insertion AUC",
     "Inputs inserted into a blank input in the same order: the area under the probability. A faithful map\n"
     "brings the evidence back first.",
     +1},
    {"pixelFlippingAuc", "flip AUC", "Pixel flipping",
     "The explained logit as inputs are flipped to 0 in attribution order (area; Quantus).", -1},
    {"faithfulnessCorrelation", "faith. r", "Faithfulness correlation",
     "Pearson correlation between the attribution summed over random subsets and the output's drop when the subset is removed.", +1},
    {"infidelity", "infid.", "Infidelity (normalised)",
     "How badly the attribution predicts the output's change under random removals (scale-free).", -1},
    {"maxSensitivity", "max-sens.", "Max-sensitivity",
     "The largest relative change of the map when the input is nudged by tiny uniform noise.", -1},
    {"completeness", "compl.", "Completeness residual",
     "Mean |Σa − (f(x) − f(x'))|: how far the map is from adding up to the output's change (methods with a delta).", -1},
    {"sanity", "sanity", "Model randomisation (sanity)",
     "Spearman of |map| before and after re-initialising every layer from the top: a map that survives\n"
     "random weights does not explain the model.",
     -1},
    {"labelRandomisation", "label rand.", "Data randomisation",
     "Spearman of |map| against the same method on a copy trained on shuffled labels (when enabled).", -1},
    {"gini", "gini", "Gini sparseness", "How concentrated |map| is (0: spread evenly, 1: one input). Neither is better by itself.", 0},
};
constexpr int kNumColumns = (int)(sizeof kColumns / sizeof kColumns[0]);

const char* better_text(int b) { return b > 0 ? "higher is better" : b < 0 ? "lower is better" : "no better direction"; }

// A method's value in a column (NaN: none).
double cell_value(const json& m, int col) {
  const json* v = nullptr;
  const std::string key = kColumns[col].key;
  if (key == "ms")
    v = m.contains("ms") ? &m["ms"] : nullptr;
  else if (m.contains("metrics") && m["metrics"].contains(key))
    v = &m["metrics"][key];
  return v && v->is_number() ? v->get<double>() : NAN;
}

std::string label_of(const json& m) { return m.value("label", m.value("name", std::string("?"))); }

std::vector<float> floats(const json& j) {
  std::vector<float> out;
  if (!j.is_array()) return out;
  for (const json& x : j) out.push_back(x.is_number() ? x.get<float>() : NAN);
  return out;
}

}  // namespace

ArenaTab::ArenaTab() {
  auto m = [](const char* name, json options = json::object()) { return MethodChoice{name, std::move(options)}; };
  methods_.items = {m("saliency"),
                    m("input_x_gradient"),
                    m("integrated_gradients"),
                    m("guided_backprop"),
                    m("deeplift"),
                    m("lrp", {{"composite", "epsilon_plus"}}),
                    m("grad_cam"),
                    m("occlusion"),
                    m("shapley_sampling"),
                    m("kernel_shap"),
                    m("lime"),
                    m("saliency", {{"noise", "smoothgrad"}})};
}

// [SECTION] running -----------------------------------------------------------------------------------------

void ArenaTab::run(Controller& c) {
  const json config = {
      {"methods", methods_.to_json()},    {"count", count_}, {"groundTruth", ground_truth_}, {"difull", difull_}, {"sanity", sanity_},
      {"labelRandomisation", label_rand_}};
  error_.clear();
  try {
    job_ = c.lab().arena_async(config.dump());
    state_ = "running";
    started_ms_ = now_ms_;
    report_step_ = c.view().step;
    report_dataset_ = c.spec().is_object() && c.spec().contains("data") ? c.spec()["data"].value("name", std::string()) : "";
  } catch (const std::exception& e) {
    job_.reset();
    state_ = "failed";
    error_ = e.what();
  }
}

void ArenaTab::frame(Controller& c, double now_ms) {
  now_ms_ = now_ms;
  frame_seen_ = ImGui::GetFrameCount();
  if (!job_ || !job_->finished()) return;
  switch (job_->state()) {
    case Job::State::Done:
      try {
        report_ = json::parse(job_->result_json);
        const size_t n = report_.contains("methods") && report_["methods"].is_array() ? report_["methods"].size() : 0;
        order_.resize(n);
        std::iota(order_.begin(), order_.end(), 0);
        if (sort_column_ >= 0) sort_rows(sort_column_, sort_ascending_);
        state_ = "done";
      } catch (const std::exception& e) {
        state_ = "failed";
        error_ = std::string("unreadable report: ") + e.what();
      }
      break;
    case Job::State::Failed:
      state_ = "failed";
      error_ = job_->error();
      break;
    default:
      state_ = "cancelled";
      break;
  }
  took_ms_ = now_ms_ - started_ms_;
  job_.reset();
}

// [SECTION] the table ---------------------------------------------------------------------------------------

// Rows by a column; methods without a value go last in either direction, ties keep the report's order.
void ArenaTab::sort_rows(int column, bool ascending) {
  sort_column_ = column;
  sort_ascending_ = ascending;
  if (!report_.contains("methods")) return;
  const json& ms = report_["methods"];
  std::sort(order_.begin(), order_.end(), [&](int a, int b) {
    if (column <= 0) {
      const std::string la = label_of(ms[a]), lb = label_of(ms[b]);
      return la != lb ? (ascending ? la < lb : la > lb) : a < b;
    }
    const double va = cell_value(ms[a], column), vb = cell_value(ms[b], column);
    if (std::isnan(va) != std::isnan(vb)) return std::isnan(vb);
    if (std::isnan(va) || va == vb) return a < b;
    return ascending ? va < vb : va > vb;
  });
}

void ArenaTab::table() {
  const json& ms = report_["methods"];
  const float fs = ImGui::GetFontSize();
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate | ImGuiTableFlags_ScrollX |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingFixedFit;
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2;
  const float h = std::min(row_h * (float)(order_.size() + 1) + ImGui::GetStyle().ScrollbarSize + 4, fs * 20.0f);
  if (!ImGui::BeginTable("arena_scores", kNumColumns, flags, ImVec2(0, h))) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  for (int col = 0; col < kNumColumns; ++col)
    ImGui::TableSetupColumn(kColumns[col].head, col == 0 ? ImGuiTableColumnFlags_NoHide : 0, 0.0f, (ImGuiID)col);
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
    if (specs->SpecsCount > 0)
      sort_rows((int)specs->Specs[0].ColumnUserID, specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending);
    else {
      sort_column_ = -1;
      std::iota(order_.begin(), order_.end(), 0);
    }
    specs->SpecsDirty = false;
  }
  // Headers by hand: each gets a probe label (so tests can click it to sort) and a tooltip.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int col = 0; col < kNumColumns; ++col) {
    if (!ImGui::TableSetColumnIndex(col)) continue;
    ImGui::TableHeader(kColumns[col].head);
    ui_probe_label(ImGui::GetItemID(), kColumns[col].head);
    if (ImGui::BeginItemTooltip()) {
      ImGui::TextUnformatted(kColumns[col].title);
      ImGui::TextDisabled("%s", kColumns[col].help);
      if (col > 0) ImGui::Text("%s; – where it does not apply. Click to sort.", better_text(kColumns[col].better));
      ImGui::EndTooltip();
    }
  }
  char buf[32];
  for (int i : order_) {
    const json& m = ms[i];
    const std::string err = m.value("error", std::string());
    ImGui::TableNextRow();
    ImGui::PushID(i);
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(label_of(m).c_str());
    if (ImGui::IsItemHovered() && (m.contains("params") || m.contains("note"))) {
      ImGui::BeginTooltip();
      if (m.contains("note") && m["note"].is_string()) ImGui::TextUnformatted(m["note"].get<std::string>().c_str());
      if (m.contains("params")) ImGui::TextDisabled("%s", m["params"].dump().c_str());
      ImGui::EndTooltip();
    }
    for (int col = 1; col < kNumColumns; ++col) {
      if (!ImGui::TableSetColumnIndex(col)) continue;
      if (!err.empty() && col == 1) {
        ImGui::PushStyleColor(ImGuiCol_Text, text_tone(kAttrErrorColor));
        ImGui::TextUnformatted("failed");
        ImGui::PopStyleColor();
        ImGui::SetItemTooltip("%s", err.c_str());
        continue;
      }
      const double v = cell_value(m, col);
      if (std::isnan(v)) {
        ImGui::TextDisabled("–");
        continue;
      }
      std::snprintf(buf, sizeof buf, col == 1 ? "%.2f" : "%.3g", v);
      ImGui::TextUnformatted(buf);
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  for (int i : order_) {  // errors in words, under the table
    const std::string err = ms[i].value("error", std::string());
    if (err.empty()) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, text_tone(kAttrErrorColor));
    ImGui::TextWrapped("%s: %s", label_of(ms[i]).c_str(), err.c_str());
    ImGui::PopStyleColor();
  }
}

// [SECTION] curves ------------------------------------------------------------------------------------------

void ArenaTab::curves() {
  const json& ms = report_["methods"];
  const float fs = ImGui::GetFontSize();
  std::vector<Series> del, ins, san;
  for (size_t i = 0; i < ms.size(); ++i) {
    const json& m = ms[i];
    const ImU32 col = class_color((int)i);
    if (m.contains("curves") && m["curves"].is_object()) {
      const std::vector<float> frac = floats(m["curves"].value("frac", json()));
      del.push_back({label_of(m), frac, floats(m["curves"].value("deletion", json())), col});
      ins.push_back({label_of(m), frac, floats(m["curves"].value("insertion", json())), col});
    }
    if (m.contains("sanity") && m["sanity"].is_array() && !m["sanity"].empty()) {
      std::vector<float> y = floats(m["sanity"]), x(y.size());
      std::iota(x.begin(), x.end(), 1.0f);
      san.push_back({label_of(m), x, y, col});
    }
  }
  const float w = ImGui::GetContentRegionAvail().x;
  auto heading = [](const char* title, const char* text) {
    ImGui::SeparatorText(title);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", text);
    ImGui::PopTextWrapPos();
  };
  heading("Deletion curves (mean)",
          "The explained class' probability as the most attributed inputs are removed first: "
          "the faster it falls, the more faithful the map (lower area is better).");
  line_chart("arena deletion", del, ImVec2(w, fs * 13.0f), false, "fraction removed", 0.0f, 1.0f);
  heading("Insertion curves (mean)",
          "The probability as the same inputs are put back into a blank input: the faster it "
          "rises, the better (higher area is better).");
  line_chart("arena insertion", ins, ImVec2(w, fs * 13.0f), false, "fraction inserted", 0.0f, 1.0f);
  if (!san.empty()) {
    heading("Sanity cascade",
            "Spearman of |map| with the trained model's as layers are re-initialised from the top: a "
            "map that stays similar does not depend on what the model learned (lower is better).");
    std::string layers;
    if (report_.contains("sanityLayers") && report_["sanityLayers"].is_array())
      for (const json& l : report_["sanityLayers"])
        layers += (layers.empty() ? "" : " → ") + (l.is_string() ? l.get<std::string>() : l.dump());
    if (!layers.empty()) ImGui::TextDisabled("randomised in turn: %s", layers.c_str());
    line_chart("arena sanity", san, ImVec2(w, fs * 13.0f), false, "layers randomised", -1.0f, 1.0f);
  }
}

// [SECTION] agreement ---------------------------------------------------------------------------------------

// The methods × methods rank-correlation matrix: blue cells agree, orange ones disagree; hover for the pair.
void ArenaTab::agreement() {
  if (!report_.contains("agreement") || !report_["agreement"].is_array()) return;
  const json& A = report_["agreement"];
  const json& ms = report_["methods"];
  const int n = (int)std::min(A.size(), ms.size());
  if (n == 0) return;
  ImGui::SeparatorText("Agreement");
  ImGui::TextDisabled("Spearman of |map| between methods, mean over samples (blue: agree, orange: disagree)");
  const float fs = ImGui::GetFontSize();
  float label_w = 0;
  std::vector<std::string> names(n);
  for (int i = 0; i < n; ++i) {
    names[i] = std::to_string(i + 1) + " " + label_of(ms[i]);
    label_w = std::max(label_w, ImGui::CalcTextSize(names[i].c_str()).x);
  }
  label_w = std::min(label_w, fs * 14.0f) + fs * 0.5f;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float cell = std::clamp((avail - label_w) / n, fs * 1.0f, fs * 2.6f);
  const ImVec2 size(label_w + cell * n, fs * 1.3f + cell * n);
  ImGui::InvisibleButton("arena agreement", size);
  const ImVec2 a = ImGui::GetItemRectMin();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float gx = a.x + label_w, gy = a.y + fs * 1.3f;
  char buf[16];
  for (int j = 0; j < n; ++j) {  // column numbers
    std::snprintf(buf, sizeof buf, "%d", j + 1);
    const float tw = ImGui::CalcTextSize(buf).x;
    dl->AddText(ImVec2(gx + cell * j + (cell - tw) * 0.5f, a.y), dim, buf);
  }
  int hi = -1, hj = -1;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int i = 0; i < n; ++i) {
    dl->PushClipRect(ImVec2(a.x, gy + cell * i), ImVec2(gx - fs * 0.3f, gy + cell * (i + 1)), true);
    dl->AddText(ImVec2(a.x, gy + cell * i + (cell - fs) * 0.5f), text, names[i].c_str());
    dl->PopClipRect();
    const json& row = A[i];
    for (int j = 0; j < n; ++j) {
      const float v = row.is_array() && j < (int)row.size() && row[j].is_number() ? row[j].get<float>() : NAN;
      const ImVec2 p0(gx + cell * j, gy + cell * i), p1(p0.x + cell - 1, p0.y + cell - 1);
      dl->AddRectFilled(p0, p1, std::isfinite(v) ? diverging_color(v) : ImGui::GetColorU32(ImGuiCol_FrameBg));
      if (std::isfinite(v) && cell >= fs * 2.2f) {
        std::snprintf(buf, sizeof buf, "%.2f", v);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        dl->AddText(ImVec2(p0.x + (cell - ts.x) * 0.5f, p0.y + (cell - ts.y) * 0.5f), IM_COL32(20, 20, 20, 255), buf);
      }
      if (ImGui::IsItemHovered() && mouse.x >= p0.x && mouse.x < p1.x + 1 && mouse.y >= p0.y && mouse.y < p1.y + 1) hi = i, hj = j;
    }
  }
  if (hi >= 0) {
    const json& v = A[hi][hj];
    ImGui::SetTooltip("%s vs %s: %s", label_of(ms[hi]).c_str(), label_of(ms[hj]).c_str(),
                      v.is_number() ? (std::snprintf(buf, sizeof buf, "%.3f", v.get<double>()), buf) : "–");
  }
}

// [SECTION] the tab -----------------------------------------------------------------------------------------

void ArenaTab::draw(Controller& c, TextureCache& tex) {
  visible_frame_ = ImGui::GetFrameCount();
  const float fs = ImGui::GetFontSize();
  const bool running = job_ != nullptr;
  ImGui::BeginDisabled(running);
  methods_.edit("arena_methods");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fs * 6.0f);
  if (ImGui::InputInt("Samples", &count_, 0, 0)) count_ = std::clamp(count_, 1, 256);
  ImGui::SetItemTooltip("How many test samples (the first of the test split) every method is scored on");
  ImGui::Checkbox("Ground truth", &ground_truth_);
  ImGui::SetItemTooltip("Localisation scores (mass, rank, pointing) where the dataset knows which inputs decide the label");
  ImGui::SameLine();
  ImGui::Checkbox("DiFull", &difull_);
  ImGui::SetItemTooltip("DiFull grids of four test images, each seen by its own copy of the classifier (image models)");
  ImGui::SameLine();
  ImGui::Checkbox("Sanity", &sanity_);
  ImGui::SetItemTooltip("Cascading model-parameter randomisation (Adebayo et al.)");
  ImGui::SameLine();
  ImGui::Checkbox("Label randomisation", &label_rand_);
  ImGui::SetItemTooltip("Also train a copy on shuffled labels and compare its maps (takes as long as the training so far)");
  ImGui::EndDisabled();
  if (!running) {
    ImGui::BeginDisabled(methods_.items.empty());
    if (ImGui::Button("Run arena")) run(c);
    ImGui::EndDisabled();
    ImGui::SetItemTooltip("Score every method on the same samples (a snapshot of the model; training waits meanwhile)");
    ImGui::SameLine();
    if (state_ == "done")
      ImGui::TextDisabled("%d samples, step %lld of %s, in %.1f s", report_.value("samples", 0), report_step_, report_dataset_.c_str(),
                          took_ms_ / 1000.0);
    else if (state_ == "cancelled")
      ImGui::TextDisabled("cancelled");
  } else {
    ImGui::ProgressBar((float)job_->progress(), ImVec2(fs * 12.0f, 0));
    ImGui::SameLine();
    if (ImGui::Button("Cancel##arena")) job_->cancel();
    ImGui::SetItemTooltip("Stop the arena (training resumes)");
  }
  if (!error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, text_tone(kAttrErrorColor));
    ImGui::TextWrapped("%s", error_.c_str());
    ImGui::PopStyleColor();
  }
  if (!report_.is_object() || !report_.contains("methods")) {
    ImGui::TextDisabled("Run the arena to score the methods. Hover a column header for what it measures.");
    return;
  }
  if (!ImGui::BeginChild("##arena_report", ImVec2(0, 0))) {
    ImGui::EndChild();
    return;
  }
  if (!report_.value("hasMask", false)) ImGui::TextDisabled("This dataset has no ground-truth masks: mass, rank and pointing are –.");
  table();
  curves();
  agreement();
  ImGui::EndChild();
}

// [SECTION] state for tests -----------------------------------------------------------------------------------

json ArenaTab::state() const {
  json rows = json::array();
  if (report_.is_object() && report_.contains("methods"))
    for (int i : order_) {
      const json& m = report_["methods"][i];
      json r = {{"label", label_of(m)}, {"error", m.value("error", std::string())}};
      for (int col = 1; col < kNumColumns; ++col) {
        const double v = cell_value(m, col);
        r[kColumns[col].key] = std::isnan(v) ? json(nullptr) : json(v);
      }
      rows.push_back(r);
    }
  return {{"visible", visible_frame_ >= 0 && visible_frame_ == frame_seen_},
          {"methods", methods_.to_json()},
          {"count", count_},
          {"groundTruth", ground_truth_},
          {"difull", difull_},
          {"sanity", sanity_},
          {"labelRandomisation", label_rand_},
          {"state", state_},
          {"progress", job_ ? job_->progress() : (state_ == "done" ? 1.0 : 0.0)},
          {"error", error_},
          {"tookMs", took_ms_},
          {"sort", {{"column", sort_column_ >= 0 ? json(kColumns[sort_column_].key) : json(nullptr)}, {"ascending", sort_ascending_}}},
          {"samples", report_.is_object() ? report_.value("samples", 0) : 0},
          {"agreementSize", report_.is_object() && report_.contains("agreement") ? report_["agreement"].size() : 0},
          {"rows", rows}};
}

}  // namespace lab::ui
