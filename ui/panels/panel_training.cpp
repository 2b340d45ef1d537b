// panel_training.cpp — the Training panel: [SECTION] run controls · [SECTION] the divergence doctor ·
// [SECTION] hyper-parameters · [SECTION] stop conditions · [SECTION] numbers and curves
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/ui_probe.h"
#include "imgui.h"
#include "optim/optimizer.h"
#include "panels/panels.h"
#include "widgets/flow.h"
#include "widgets/param_editor.h"
#include "widgets/plots.h"

namespace lab::ui {

namespace {
constexpr ImU32 kVermillion = IM_COL32(213, 94, 0, 255), kGreen = IM_COL32(0, 158, 115, 255), kBlue = IM_COL32(0, 114, 178, 255),
                kOrange = IM_COL32(230, 159, 0, 255);

const char* kLearningRates[] = {"0.00001", "0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"};
const char* kRegRates[] = {"0", "0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"};

// A compact "value" combo for a list of numbers written as text; returns the value picked.
bool number_combo(const char* label, double current, const char* const* items, int n, double* out) {
  char preview[32];
  std::snprintf(preview, sizeof preview, "%g", current);
  bool changed = false;
  if (begin_combo_probed(label, preview)) {
    for (int i = 0; i < n; ++i) {
      const double v = std::atof(items[i]);
      if (ImGui::Selectable(items[i], std::fabs(v - current) <= 1e-12 * std::max(1.0, std::fabs(v)))) {
        *out = v;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

void text_colored(ImU32 col, const char* fmt, const std::string& s) {
  ImGui::PushStyleColor(ImGuiCol_Text, text_tone(col));
  ImGui::TextWrapped(fmt, s.c_str());
  ImGui::PopStyleColor();
}
}  // namespace

void panel_training(Controller& c) {
  const json spec = c.spec();  // a copy: an edit below replaces the controller's
  if (!spec.is_object()) {
    ImGui::TextDisabled("Loading…");
    return;
  }
  const Classroom& cl = c.classroom;
  const float fs = ImGui::GetFontSize();

  // [SECTION] run controls -------------------------------------------------------------------------
  if (!cl.hidden("play")) {
    // One id for both labels ("###play"), so keyboard focus stays on the button when it toggles.
    if (ImGui::Button(c.playing() ? "Pause###play" : "Play###play", ImVec2(fs * 4.5f, 0))) c.toggle_play();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Space");
  }
  // The run's buttons flow onto a second line when the panel is narrow (a phone, 150 %).
  bool first = cl.hidden("play");
  if (!cl.hidden("step")) {
    if (!first) same_line_if_fits(button_width("Step batch"));
    first = false;
    if (ImGui::Button("Step batch")) c.step_batch();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("One mini-batch step (S)");
    same_line_if_fits(button_width("Step epoch"));
    if (ImGui::Button("Step epoch")) c.step_epoch();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Train to the end of this epoch");
  }
  if (!cl.hidden("reset")) {
    if (!first) same_line_if_fits(button_width("Reset"));
    if (ImGui::Button("Reset")) c.reset();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the initial weights of seed %d (R)", spec.value("seed", 1));
  }
  const Snapshot& v = c.view();
  ImGui::Text("Step %lld · epoch %d", v.step, v.epoch);
  ImGui::SameLine();
  ImGui::TextDisabled("%s", c.playing() ? "training…" : "paused");
  // The pace of Play (TensorFlow Playground runs a fixed pace too): slow enough to watch by default.
  {
    static const std::pair<double, const char*> kSpeeds[] = {{10, "10 steps/s"},      {30, "30 steps/s"},       {100, "100 steps/s"},
                                                             {300, "300 steps/s"},    {1000, "1,000 steps/s"},  {3000, "3,000 steps/s"},
                                                             {10000, "10,000 steps/s"}, {0, "as fast as it goes"}};
    const char* now = "as fast as it goes";
    for (const auto& [sp, name] : kSpeeds)
      if (sp == c.speed()) now = name;
    same_line_if_fits(fs * 9.0f + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize("Speed").x);
    ImGui::SetNextItemWidth(fs * 9.0f);
    if (begin_combo_probed("Speed", now)) {
      for (const auto& [sp, name] : kSpeeds)
        if (ImGui::Selectable(name, sp == c.speed())) c.set_speed(sp);
      ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("How fast Play trains: slow to watch the network learn, fast to get there. The result is the same.");
  }

  // [SECTION] the divergence doctor (on top: the first thing to read when a run goes wrong) ---------------
  if (!c.doctor().empty()) {
    ImGui::Separator();
    text_colored(kVermillion, "%s", c.doctor());
    char fix[96];
    std::snprintf(fix, sizeof fix, "Use learning rate %g and reset", c.doctor_suggested_lr());
    if (ImGui::Button(fix)) c.apply_doctor_fix();
    ImGui::SameLine();
    if (ImGui::Button("Dismiss")) c.clear_doctor();
    if (!c.doctor_is_warning()) ImGui::TextDisabled("The weights shown are those before the step that failed.");
    ImGui::Separator();
  }

  // [SECTION] hyper-parameters ----------------------------------------------------------------------
  // The settings take what they need up to about half the panel and scroll past it; the numbers and the
  // curves below always keep the rest (at least 10.5 lines), so they show at 1280×800 without scrolling.
  {
    const float room = ImGui::GetContentRegionAvail().y;
    const float curves_min = std::min(room, std::max(fs * 10.5f, room * 0.48f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(FLT_MAX, std::max(fs * 2.5f, room - curves_min)));
  }
  ImGui::BeginChild("settings", ImVec2(0, 0), ImGuiChildFlags_AutoResizeY);
  const json& opt = spec["optimizer"];
  const float w = fs * 7.5f;
  if (!cl.hidden("lr")) {
    double lr = opt.value("lr", 0.03), picked = lr;
    ImGui::SetNextItemWidth(w);
    if (number_combo("Learning rate", lr, kLearningRates, IM_ARRAYSIZE(kLearningRates), &picked))
      c.set_hyper({{"optimizer", {{"lr", picked}}}});
    ImGui::SameLine();
    float lrf = (float)lr;
    ImGui::SetNextItemWidth(w);
    const ImGuiID lr_id = ImGui::GetID("##lr_exact");
    const bool lr_entered = ImGui::InputFloat("##lr_exact", &lrf, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue);
    ui_probe_label(lr_id, "Learning rate value");
    if (lr_entered && lrf > 0) c.set_hyper({{"optimizer", {{"lr", lrf}}}});
  }
  if (!cl.hidden("optimizer")) {
    const std::string name = opt.value("name", std::string("sgd"));
    ImGui::SetNextItemWidth(w);
    if (begin_combo_probed("Optimizer", name.c_str())) {
      for (const auto& o : c.registries()["optimizers"]) {
        const std::string n = o["name"];
        if (ImGui::Selectable(o.value("title", n).c_str(), n == name) && n != name) {
          // A new optimizer starts from its own defaults: null removes the old one's fields in the merge
          // patch (every field but the learning rate, which carries over).
          json patch = {{"name", n}};
          for (const ParamSpec& p : optimizer_registry().at(name).params) patch[p.name] = nullptr;
          patch["lr"] = opt.value("lr", 0.03);
          c.set_hyper({{"optimizer", patch}});
        }
      }
      ImGui::EndCombo();
    }
    // The optimizer's own fields, from its registry entry (the learning rate is above).
    if (const OptimizerInfo* info = optimizer_registry().find(name)) {
      json edited = opt;
      if (param_editor(edited, info->params, {.width = w * 0.8f, .skip = {"lr"}, .enter_to_apply = true, .same_line = true})) {
        c.set_hyper({{"optimizer", changed_fields(opt, edited)}});
      }
    }
  }
  if (!cl.hidden("batch")) {
    int batch = spec.value("batch_size", 10);
    ImGui::SetNextItemWidth(w);
    // Any value entered goes to the core: one it refuses (0, −5, 10⁸) is said in the error banner, in words.
    if (ImGui::InputInt("Batch size", &batch, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue)) c.set_hyper({{"batch_size", batch}});
    if (ImGui::IsItemDeactivatedAfterEdit() && batch != spec.value("batch_size", 10)) c.set_hyper({{"batch_size", batch}});
  }
  if (!cl.hidden("regularization")) {
    const json& r = spec["regularization"];
    const double l1 = r.value("l1", 0.0), l2 = r.value("l2", 0.0);
    const int kind = l1 > 0 ? 1 : l2 > 0 ? 2 : 0;
    static const char* kinds[] = {"None", "L1", "L2"};
    ImGui::SetNextItemWidth(w);
    int k = kind;
    if (kind != 0) c.regularization_shown = kind;
    k = kind != 0 ? kind : c.regularization_shown;
    const ImGuiID reg_id = ImGui::GetID("Regularization");
    const bool reg_changed = ImGui::Combo("Regularization", &k, kinds, 3);
    ui_probe_label(reg_id, "Regularization");
    if (reg_changed) {
      c.regularization_shown = k;
      const double rate = std::max(l1, l2) > 0 ? std::max(l1, l2) : 0.001;
      c.set_hyper({{"regularization", {{"l1", k == 1 ? rate : 0.0}, {"l2", k == 2 ? rate : 0.0}}}});
    }
    if (k != 0) {
      ImGui::SameLine();
      double rate = std::max(l1, l2), picked = rate;
      ImGui::SetNextItemWidth(w * 0.8f);
      if (number_combo("Rate", rate, kRegRates, IM_ARRAYSIZE(kRegRates), &picked))
        c.set_hyper({{"regularization", {{"l1", k == 1 ? picked : 0.0}, {"l2", k == 2 ? picked : 0.0}}}});
    }
  }
  if (!cl.hidden("schedule")) {
    const json& sc = spec["schedule"];
    const std::string name = sc.value("name", std::string("constant"));
    ImGui::SetNextItemWidth(w);
    if (begin_combo_probed("Schedule", name.c_str())) {
      for (const auto& o : c.registries()["schedules"]) {
        const std::string n = o.is_string() ? o.get<std::string>() : o.value("name", std::string());
        if (ImGui::Selectable(o.value("title", n).c_str(), n == name) && n != name) {
          json patch = {{"name", n}};  // the new schedule's own defaults (see the optimizer above)
          for (const ParamSpec& p : schedule_registry().at(name).params) patch[p.name] = nullptr;
          c.set_hyper({{"schedule", patch}});
        }
      }
      ImGui::EndCombo();
    }
    if (const ScheduleInfo* info = schedule_registry().find(name)) {
      json edited = sc;
      if (param_editor(edited, info->params, {.width = w * 0.8f, .enter_to_apply = true, .same_line = true})) {
        c.set_hyper({{"schedule", changed_fields(sc, edited)}});
      }
    }
  }

  // [SECTION] stop conditions -------------------------------------------------------------------------
  if (!cl.hidden("stop") && ImGui::TreeNode("Stop when…")) {
    const json& st = spec["stop"];
    int epochs = st.value("epochs", 0);
    float loss = st.value("test_loss", 0.0f), acc = st.value("test_accuracy", 0.0f) * 100.0f;
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("epochs (0 = never)", &epochs, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue) && epochs >= 0)
      c.set_hyper({{"stop", {{"epochs", epochs}}}});
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputFloat("test loss ≤ (0 = off)", &loss, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue) && loss >= 0)
      c.set_hyper({{"stop", {{"test_loss", loss}}}});
    if (c.view().task == "classification") {
      ImGui::SetNextItemWidth(w);
      if (ImGui::InputFloat("test accuracy ≥ % (0 = off)", &acc, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue) && acc >= 0 &&
          acc <= 100)
        c.set_hyper({{"stop", {{"test_accuracy", acc / 100.0f}}}});
    }
    ImGui::TextDisabled("Checked at the end of every epoch.");
    ImGui::TreePop();
  }
  ImGui::EndChild();
  if (!c.stop_message().empty()) text_colored(kGreen, "Stopped: %s", c.stop_message());

  // [SECTION] numbers and curves ------------------------------------------------------------------
  // The numbers are in the curves' legends (train and test, as the lines are coloured); a regression's
  // RMSE and R² in a line above them.
  const Metrics& m = v.metrics;
  const bool cls = v.task == "classification";
  auto num = [](float x, const char* f) {
    char b[32];
    if (std::isfinite(x))
      std::snprintf(b, sizeof b, f, x);
    else
      std::snprintf(b, sizeof b, "–");
    return std::string(b);
  };
  if (v.task == "regression")
    ImGui::Text("RMSE %s train, %s test · R² %s train, %s test", num(m.train_rmse, "%.4f").c_str(), num(m.test_rmse, "%.4f").c_str(),
                num(m.train_r2, "%.4f").c_str(), num(m.test_r2, "%.4f").c_str());
  if (m.reg_loss > 0) ImGui::TextDisabled("regularization penalty %.4g (not in the loss)", m.reg_loss);

  auto box_w = [&](const char* l) { return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(l).x; };
  ImGui::Checkbox("Log loss", &c.log_scale);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A log scale for the loss: late, small improvements show");
  same_line_if_fits(box_w("Log steps"));
  ImGui::Checkbox("Log steps", &c.log_steps);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A log scale for the steps: the early learning and the long run side by side");
  same_line_if_fits(box_w("Recent"));
  ImGui::Checkbox("Recent", &c.recent);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Only the last fifth of the run (at least 100 steps): is it still improving?");
  const Controller::Curves& cv = c.curves;
  ChartOptions o;
  o.log_x = c.log_steps;
  if (c.recent && !cv.step.empty()) {
    const double last = cv.step.back();
    o.x_from = std::max(0.0, last - std::max(100.0, last * 0.2));
  }
  // Side by side when each chart gets 17 font sizes of width, else one above the other; as tall as the
  // panel leaves them
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const int charts = cls ? 2 : 1;
  // (also when one above the other would leave each under 8 lines: narrow charts beat clipped ones)
  const bool side = charts == 2 && (avail.x >= fs * 34 || (avail.y - ImGui::GetStyle().ItemSpacing.y) * 0.5f < fs * 8);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float cw = side ? std::floor((avail.x - gap) * 0.5f) : avail.x;
  const float chh = std::max(fs * 6, side || charts == 1 ? avail.y - 2 : (avail.y - ImGui::GetStyle().ItemSpacing.y) * 0.5f - 1);
  std::vector<Series> loss_series = {{"train", cv.step, cv.train_loss, kBlue, num(m.train_loss, "%.4f")},
                                     {"test", cv.step, cv.test_loss, kOrange, num(m.test_loss, "%.4f")}};
  o.log_y = c.log_scale;
  o.title = "loss";
  line_chart("loss_chart", loss_series, ImVec2(cw, chh), o);
  if (cls) {
    std::vector<float> tr(cv.train_acc), te(cv.test_acc);
    for (auto& x : tr) x *= 100;
    for (auto& x : te) x *= 100;
    std::vector<Series> acc_series = {{"train", cv.step, tr, kBlue, num(m.train_accuracy * 100, "%.1f %%")},
                                      {"test", cv.step, te, kOrange, num(m.test_accuracy * 100, "%.1f %%")}};
    if (side) ImGui::SameLine();
    o.log_y = false;
    o.title = "accuracy %";
    line_chart("accuracy_chart", acc_series, ImVec2(cw, chh), o);
  }
}

}  // namespace lab::ui
