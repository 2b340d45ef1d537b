// share.cpp — the Controller sharing: [SECTION] classroom, links, autosave, files, the live region
#include "state/controller.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include "io/export_pytorch.h"

#include "state/controller_internal.h"

namespace lab::ui {

using namespace tuning;

// [SECTION] sharing and files ---------------------------------------------------------------------------

void Controller::set_classroom(const json& c) {
  classroom = Classroom{};
  if (!c.is_object()) return;
  auto strings = [&](const char* key) {
    std::vector<std::string> v;
    if (c.contains(key) && c[key].is_array())
      for (const auto& x : c[key])
        if (x.is_string()) v.push_back(x.get<std::string>());
    return v;
  };
  classroom.hide = strings("hide");
  classroom.lock = strings("lock");
  if (c.contains("text") && c["text"].is_string()) classroom.text = c["text"].get<std::string>().substr(0, 2000);
  classroom.active = !classroom.hide.empty() || !classroom.lock.empty() || !classroom.text.empty();
}

json Controller::classroom_json() const {
  if (!classroom.active) return nullptr;
  return {{"hide", classroom.hide}, {"lock", classroom.lock}, {"text", classroom.text}};
}

json Controller::share_state() const {
  if (!lab_.has_experiment()) return nullptr;
  json s = json::parse(lab_.history_json());
  // A replay cancelled at its start keeps its history: until the run moves on, the link and the autosave
  // are still the shared run's (a reload asks again rather than losing it).
  if (!kept_replay_.empty() && s.value("step", 0LL) == 0 && s.value("events", json::array()).empty()) {
    const json kept = json::parse(kept_replay_, nullptr, false);
    if (kept.is_object()) s = kept;
  }
  if (classroom.active) s["classroom"] = classroom_json();
  return s;
}

void Controller::state_changed() { autosave_due_ = true; }

void Controller::emit_state() {
  autosave_due_ = false;
  last_state_ms_ = now_ms_;
  const json s = share_state();
  if (s.is_null()) return;
  if (s.value("reproducible", true)) request({"state", "", "", s.dump(), {}});
}

void Controller::copy_link() {
  const json s = share_state();
  if (s.is_null()) return;
  request({"copy_link", "", "", s.dump(), {}});
}

void Controller::export_experiment() {
  if (!lab_.has_experiment()) return;
  json f = {{"format", "neuronlab-experiment"},
            {"version", 1},
            {"history", share_state()},
            {"digest", lab_.digest()},
            {"model", json::parse(lab_.export_model_json())}};
  request({"download", "neuronlab-experiment.json", "application/json", f.dump(1), {}});
}

void Controller::export_model() {
  if (!lab_.has_experiment()) return;
  request({"download", "neuronlab-model.nlmodel", "application/octet-stream", "", lab_.export_model_binary()});
}

void Controller::export_pytorch() {
  if (!lab_.has_experiment()) return;
  try {
    request({"download", "neuronlab_model.py", "text/x-python", export_pytorch_script(*lab_.experiment()), {}});
  } catch (const std::exception& e) {
    error_ = std::string("PyTorch export failed: ") + e.what();
  }
}

void Controller::open_file(const std::string& what) {
  const char* accept = what == "csv" ? ".csv,text/csv,text/plain" : what == "model" ? ".nlmodel,.json" : ".json";
  request({"open_file", what, accept, "", {}});
}

void Controller::deliver_file(const std::string& what, const std::string& name, const std::vector<uint8_t>& bytes) {
  if (what == "csv") {
    load_csv(bytes, name);
    return;
  }
  if (what == "model") {
    try {
      lab_.import_model(bytes);
    } catch (const std::exception& e) {
      error_ = name + ": " + e.what();
      return;
    }
    exp_seen_.reset();
    sync_from_lab();
    notice_ = "Loaded the model in " + name + " (its weights; a link to it cannot replay how they were trained).";
    return;
  }
  // An experiment file: replay its history (bit for bit), then compare the digest with the file's.
  json f;
  try {
    f = json::parse(bytes.begin(), bytes.end());
  } catch (const std::exception&) {
    error_ = name + " is not an experiment file (not valid JSON).";
    return;
  }
  if (!f.is_object() || f.value("format", std::string()) != "neuronlab-experiment" || !f.contains("history") || !f["history"].is_object()) {
    error_ = name + " is not a NeuronLab experiment file (it has no \"format\": \"neuronlab-experiment\" and history).";
    return;
  }
  if (f["history"].contains("classroom")) set_classroom(f["history"]["classroom"]);
  replay_digest_ = f.value("digest", std::string());
  replay(f["history"].dump(), "Replaying " + name + "…");
}

void Controller::live(const std::string& text) {
  last_live_ms_ = now_ms_;
  if (text == last_live_text_) return;
  last_live_text_ = text;
  request({"live", "", "", text, {}});
}

std::string Controller::status_sentence() const {
  const Metrics& m = view_->metrics;
  std::string s =
      std::string(playing_ ? "Training" : "Paused") + ": step " + std::to_string(view_->step) + ", epoch " + std::to_string(view_->epoch);
  if (std::isfinite(m.test_loss)) s += ", test loss " + fmt("%.4g", m.test_loss);
  if (std::isfinite(m.test_accuracy)) s += ", test accuracy " + fmt("%.1f%%", 100.0 * m.test_accuracy);
  if (std::isfinite(m.test_rmse)) s += ", test RMSE " + fmt("%.4g", m.test_rmse);
  return s + ".";
}

}  // namespace lab::ui
