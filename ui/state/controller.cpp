// controller.cpp — [SECTION] defaults · [SECTION] edits · [SECTION] state for tests. The rest of the
// Controller: run_loop.cpp (running, jobs), snapshot.cpp (what the views draw, neuron reports),
// share.cpp (links, files, classroom).
#include "state/controller.h"

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "session/registry_json.h"
#include "state/controller_internal.h"

namespace lab::ui {

using namespace tuning;

bool Classroom::hidden(const char* id) const {
  if (!active) return false;
  return std::find(hide.begin(), hide.end(), id) != hide.end();
}
bool Classroom::locked(const char* what) const {
  if (!active) return false;
  return std::find(lock.begin(), lock.end(), what) != lock.end();
}

// [SECTION] defaults ------------------------------------------------------------------------------

Controller::Controller(Lab& lab) : lab_(lab), view_(std::make_shared<Snapshot>()) {
  registries_ = json::parse(registries_json());
  set_dataset("spiral");
}

const json* Controller::dataset_info(const std::string& name) const {
  for (const auto& d : registries_["datasets"])
    if (d["name"] == name) return &d;
  return nullptr;
}

bool Controller::is_image() const { return view_ && view_->input_shape.size() == 3; }

namespace {
// A network that fits the data: what a user would start from.
// gap: an image network whose head averages each channel over the image (global average pooling) before
// the output layer — the shape Grad-CAM is meant for (CAM: each channel's weight is the output layer's).
json default_layers(const json& shape, int outputs, const std::string& kind, bool gap = false) {
  json layers = json::array();
  if (shape.size() == 3) {
    const int hw = shape[1].get<int>();
    layers.push_back({{"type", "conv2d"}, {"filters", 8}, {"kernel", 3}, {"stride", 1}, {"padding", 1}, {"activation", "relu"}});
    layers.push_back({{"type", "maxpool2d"}, {"size", 2}, {"stride", 2}});
    int side = hw / 2;
    if (hw >= 16) {
      layers.push_back({{"type", "conv2d"}, {"filters", 16}, {"kernel", 3}, {"stride", 1}, {"padding", 1}, {"activation", "relu"}});
      layers.push_back({{"type", "maxpool2d"}, {"size", 2}, {"stride", 2}});
      side /= 2;
    }
    if (gap && side > 1) layers.push_back({{"type", "avgpool2d"}, {"size", side}, {"stride", side}});
    layers.push_back({{"type", "flatten"}});
    layers.push_back({{"type", "dense"}, {"units", outputs}});
    return layers;
  }
  // 2-D data: two tanh layers of 16 — with Adam at 0.01 and batches of 20 every 2-D dataset converges and
  // stays converged while Play runs on (tests/e2e/pace.test.mjs keeps the spiral at ≥ 90 % for 5 minutes'
  // worth of steps).
  const bool plane = kind == "2d";
  const int units = plane ? 16 : 32;
  const char* act = plane ? "tanh" : "relu";
  layers.push_back({{"type", "dense"}, {"units", units}, {"activation", act}});
  layers.push_back({{"type", "dense"}, {"units", units}, {"activation", act}});
  layers.push_back({{"type", "dense"}, {"units", outputs}});
  return layers;
}
}  // namespace

bool Controller::use_network_preset(const std::string& name) {
  if (!spec_.is_object() || !view_ || view_->input_shape.size() != 3) {
    error_ = "The network presets are for image data.";
    return false;
  }
  if (name != "cnn" && name != "cnn_gap") {
    error_ = "'" + name + "' is not a network preset (cnn, cnn_gap).";
    return false;
  }
  return set_layers(default_layers(json(view_->input_shape), view_->output_dim, "image", name == "cnn_gap"));
}

bool Controller::set_dataset(const std::string& name) {
  const json* info = dataset_info(name);
  if (!info) {
    error_ = "'" + name + "' is not a known dataset";
    return false;
  }
  if (classroom.locked("data") && spec_.is_object()) {
    error_ = "The dataset is locked in this exercise.";
    return false;
  }
  const std::string asset = info->value("asset", std::string());
  if (!asset.empty() && name != "csv" && !lab_.has_asset(name)) {
    pending_dataset_ = name;  // the page downloads it (download_progress) and calls dataset_ready()
    download_progress_ = 0;
    progress_what_ = "Downloading " + info->value("title", name) + "…";
    request({"fetch_dataset", name, "", "", {}});
    return true;
  }
  json data = {{"name", name}};
  const uint64_t seed = spec_.is_object() ? spec_.value("seed", 1) : 1;
  json desc;
  try {
    desc = json::parse(lab_.describe_dataset(data.dump()));
  } catch (const std::exception& e) {
    error_ = e.what();
    return false;
  }
  const bool regression = desc["task"] == "regression";
  const bool image = desc["inputShape"].size() == 3;
  json s = {{"version", 1},
            {"seed", seed},
            {"data", data},
            {"model",
             {{"layers", default_layers(desc["inputShape"], desc["outputDim"].get<int>(), desc["kind"].get<std::string>())},
              {"init", "glorot_uniform"}}},
            {"optimizer",
             {{"name", "adam"},
              {"lr", image                                      ? 0.003
                     : regression || desc["kind"] == "2d" ? 0.01
                                                              : 0.03}}},
            {"batch_size", image ? 32 : desc["kind"] == "2d" ? 20 : 10}};
  return apply_spec(s);
}

void Controller::download_progress(const std::string& name, double fraction) {
  if (name == pending_dataset_) download_progress_ = std::clamp(fraction, 0.0, 1.0);
}

void Controller::dataset_ready(const std::string& name, const std::string& error) {
  if (name != pending_dataset_) return;
  pending_dataset_.clear();
  download_progress_ = 0;
  progress_what_.clear();
  if (!error.empty()) {
    error_ = "Could not download the dataset '" + name + "': " + error;
    return;
  }
  set_dataset(name);
}

// [SECTION] edits ------------------------------------------------------------------------------------

bool Controller::apply_spec(const json& s) {
  if (busy()) {  // one job at a time: stop the chunk, apply when it is done
    if (job_kind_ == "train" || job_kind_ == "snapshot") job_->cancel();
    pending_spec_ = s;
    has_pending_spec_ = true;
    return true;
  }
  return load_spec(s);
}

bool Controller::load_spec(const json& s) {
  playing_ = false;
  step_target_ = -1;
  // Built on the job thread (a dataset and a first evaluation can take a while); adopted in on_job_done.
  const std::string text = s.dump();
  Lab* lab = &lab_;
  job_ = lab_.jobs().submit("load", [lab, text](Job&) { lab->load(text); });
  job_kind_ = "load";
  job_started_ms_ = now_ms_;
  progress_what_.clear();
  return true;
}

void Controller::after_rebuild() {
  spec_ = json::parse(lab_.spec_json());
  exp_seen_ = lab_.experiment();
  calibrated_ = false;
  last_chunk_steps_ = 1;
  curves = Curves{};
  doctor_.clear();
  doctor_is_warning_ = warning_dismissed_ = false;
  stop_msg_.clear();
  selected_ = 0;
  page_first_ = 0;
  neuron_open = false;
  neuron_ = NeuronReport{};
  refresh_pending_ = true;
  state_changed();
}

bool Controller::set_data_param(const std::string& key, double value) {
  json s = spec_;
  s["data"][key] = value;
  return apply_spec(s);
}

bool Controller::regenerate() {
  json s = spec_;
  const uint64_t old = s["data"].value("seed", (uint64_t)1);
  s["data"]["seed"] = (old * 2654435761ULL + 12345ULL) % 4294967295ULL;  // a new, still explicit seed
  return apply_spec(s);
}

bool Controller::set_seed(uint64_t seed) {
  json s = spec_;
  s["seed"] = seed;
  s["data"]["seed"] = seed;
  return apply_spec(s);
}

bool Controller::set_features(const std::vector<std::string>& names) {
  if (names.empty()) {
    error_ = "keep at least one input feature";
    return false;
  }
  json s = spec_;
  s["data"]["features"] = names;
  return apply_spec(s);
}

bool Controller::set_layers(const json& layers) {
  if (classroom.locked("network")) {
    error_ = "The network is locked in this exercise.";
    return false;
  }
  json s = spec_;
  s["model"]["layers"] = layers;
  return apply_spec(s);
}

bool Controller::add_layer(int at, const json& layer) {
  json layers = spec_["model"]["layers"];
  const int n = (int)layers.size();
  if (at < 0 || at > n - 1) at = n - 1;
  layers.insert(layers.begin() + at, layer);
  return set_layers(layers);
}

bool Controller::remove_layer(int at) {
  json layers = spec_["model"]["layers"];
  if (at < 0 || at >= (int)layers.size() - 1) {
    error_ = "the output layer cannot be removed";
    return false;
  }
  layers.erase(layers.begin() + at);
  return set_layers(layers);
}

bool Controller::set_units(int at, int units) {
  json layers = spec_["model"]["layers"];
  if (at < 0 || at >= (int)layers.size()) return false;
  if (units < 1) {
    error_ = "a layer needs at least one unit";
    return false;
  }
  json& l = layers[at];
  if (l["type"] == "conv2d")
    l["filters"] = units;
  else
    l["units"] = units;
  return set_layers(layers);
}

bool Controller::set_layer_field(int at, const std::string& key, const json& value) {
  json layers = spec_["model"]["layers"];
  if (at < 0 || at >= (int)layers.size()) return false;
  if (value.is_null())
    layers[at].erase(key);
  else
    layers[at][key] = value;
  return set_layers(layers);
}

bool Controller::load_csv(const std::vector<uint8_t>& bytes, const std::string& file_name) {
  try {
    lab_.set_asset("csv", bytes);
  } catch (const std::exception& e) {
    error_ = file_name + ": " + e.what();
    return false;
  }
  csv_name_ = file_name;
  return set_dataset("csv");
}

namespace {
// A message of the core in the UI's words: the spec path it names becomes what the panel calls it
// ("spec.optimizer.lr must be … (got 300)" → "The learning rate must be … (you entered 300)"). Messages
// that name no spec path are left as they are (the JS API keeps the paths: they name the field to fix).
std::string plain_words(const std::string& msg) {
  if (msg.rfind("spec.", 0) != 0) return msg;
  const size_t end = msg.find(' ');
  if (end == std::string::npos) return msg;
  const std::string path = msg.substr(5, end - 5);
  static const std::pair<const char*, const char*> kNames[] = {
      {"optimizer.lr", "The learning rate"},        {"optimizer.momentum", "The momentum"},
      {"optimizer.beta1", "Adam's β1"},             {"optimizer.beta2", "Adam's β2"},
      {"optimizer.eps", "The optimizer's ε"},       {"optimizer.weight_decay", "The weight decay"},
      {"batch_size", "The batch size"},             {"seed", "The seed"},
      {"regularization.l1", "The L1 rate"},         {"regularization.l2", "The L2 rate"},
      {"data.n", "The number of samples"},          {"data.noise", "The noise"},
      {"data.test_ratio", "The share of test samples"}, {"data.classes", "The number of classes"}};
  std::string name;
  for (const auto& [p, n] : kNames)
    if (path == p) name = n;
  if (name.empty()) {
    // model.layers[2].units → "Layer 3's units"; other fields: "The <last part>" with spaces.
    const size_t lb = path.find("layers["), rb = path.find(']');
    std::string last = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
    for (char& ch : last)
      if (ch == '_') ch = ' ';
    if (lb != std::string::npos && rb != std::string::npos && rb > lb + 7) {
      const int k = std::atoi(path.c_str() + lb + 7);
      name = "Layer " + std::to_string(k + 1) + (rb + 1 < path.size() ? "'s " + last : std::string());
    } else {
      name = "The " + last;
    }
  }
  std::string rest = msg.substr(end);
  for (size_t at; (at = rest.find("(got ")) != std::string::npos;) rest.replace(at, 5, "(you entered ");
  return name + rest;
}
}  // namespace

bool Controller::set_hyper(const json& patch) {
  if (busy() && job_kind_ == "train") {  // applied between chunks, so the step it is logged at is exact
    pending_hyper_.push_back(patch);
    return true;
  }
  try {
    spec_ = json::parse(lab_.set_hyperparameters(patch.dump()));
  } catch (const std::exception& e) {
    error_ = plain_words(e.what());
    return false;
  }
  if (patch.contains("stop")) stop_msg_.clear();
  error_.clear();
  state_changed();
  return true;
}

// [SECTION] state for tests ---------------------------------------------------------------------------

json Controller::state() const {
  const Snapshot& v = *view_;
  json j;
  j["playing"] = playing_;
  j["busy"] = busy();
  j["job"] = job_kind_;
  j["step"] = v.step;
  j["epoch"] = v.epoch;
  j["digest"] = v.digest;
  j["dataset"] = spec_.is_object() ? spec_["data"].value("name", std::string()) : "";
  j["spec"] = spec_;
  j["numParams"] = v.num_params;
  auto num = [](float x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  j["trainLoss"] = num(v.metrics.train_loss);
  j["testLoss"] = num(v.metrics.test_loss);
  j["trainAccuracy"] = num(v.metrics.train_accuracy);
  j["testAccuracy"] = num(v.metrics.test_accuracy);
  j["testRmse"] = num(v.metrics.test_rmse);
  j["testR2"] = num(v.metrics.test_r2);
  j["confusionTotal"] = 0;
  int tot = 0;
  for (int c : v.metrics.confusion) tot += c;
  j["confusionTotal"] = tot;
  j["curvePoints"] = curves.step.size();
  j["replay"] = {{"question", replay_question_}, {"estimateS", replay_estimate_s_}, {"steps", replay_steps_}, {"kept", !kept_replay_.empty()}};
  j["curveView"] = {{"logLoss", log_scale}, {"logSteps", log_steps}, {"recent", recent}};
  j["snapshotVersion"] = v.version;
  j["plane"] = v.plane;
  j["error"] = error_;
  j["notice"] = notice_;
  j["doctor"] = doctor_;
  j["speed"] = speed_;
  j["stopMessage"] = stop_msg_;
  j["progress"] = progress_text();
  j["classroom"] = classroom_json();
  j["neuronOpen"] = neuron_open;
  j["neuronReady"] = neuron_.ready;
  j["msPerStep"] = chunk_ms_per_step_;
  return j;
}

}  // namespace lab::ui
