// controller.cpp — [SECTION] defaults · [SECTION] edits · [SECTION] running · [SECTION] jobs and
// snapshots · [SECTION] neuron reports · [SECTION] sharing and files · [SECTION] state for tests
#include "state/controller.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "io/export_pytorch.h"
#include "session/registry_json.h"

namespace lab::ui {

namespace {
constexpr int kGrid = 64;                 // the 2-D plane is sampled on 64×64 points
constexpr float kPlaneExtent = 6.0f;      // the 2-D datasets live in [-6, 6]²
constexpr int kMaxPlanePoints = 4000;     // points drawn on the plane (per split)
constexpr int kPageSize = 32;             // test samples in the prediction grid
constexpr int kConfusedScan = 2000;       // test samples scanned for the most confused
constexpr int kMaxConfused = 64;
constexpr int kNeuronSamples = 2000;      // samples the neuron inspector profiles
constexpr double kChunkMsThreaded = 40;   // a training chunk's target duration (job thread)
constexpr double kChunkMsInline = 12;     // single-threaded: chunks run inside the frame
constexpr double kEvalEveryMs = 250;      // full evaluations while playing, at most this often
constexpr double kLiveEveryMs = 5000;     // screen-reader status while training
constexpr double kStateEveryMs = 2000;    // URL hash / autosave while training

#if defined(LAB_SINGLE_THREADED)
constexpr bool kThreaded = false;
#else
constexpr bool kThreaded = true;
#endif

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::vector<float> softmax_row(const float* o, int k) {
  std::vector<float> p(k);
  float m = *std::max_element(o, o + k);
  double s = 0;
  for (int i = 0; i < k; ++i) s += (p[i] = std::exp(o[i] - m));
  for (auto& v : p) v = (float)(v / s);
  return p;
}
}  // namespace

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
json default_layers(const json& shape, int outputs, const std::string& kind) {
  json layers = json::array();
  if (shape.size() == 3) {
    const int hw = shape[1].get<int>();
    layers.push_back({{"type", "conv2d"}, {"filters", 8}, {"kernel", 3}, {"stride", 1}, {"padding", 1}, {"activation", "relu"}});
    layers.push_back({{"type", "maxpool2d"}, {"size", 2}, {"stride", 2}});
    if (hw >= 16) {
      layers.push_back({{"type", "conv2d"}, {"filters", 16}, {"kernel", 3}, {"stride", 1}, {"padding", 1}, {"activation", "relu"}});
      layers.push_back({{"type", "maxpool2d"}, {"size", 2}, {"stride", 2}});
    }
    layers.push_back({{"type", "flatten"}});
    layers.push_back({{"type", "dense"}, {"units", outputs}});
    return layers;
  }
  const bool plane = kind == "2d";
  const int units = plane ? 8 : 32;
  const char* act = plane ? "tanh" : "relu";
  layers.push_back({{"type", "dense"}, {"units", units}, {"activation", act}});
  layers.push_back({{"type", "dense"}, {"units", units}, {"activation", act}});
  layers.push_back({{"type", "dense"}, {"units", outputs}});
  return layers;
}
}  // namespace

bool Controller::set_dataset(const std::string& name) {
  const json* info = dataset_info(name);
  if (!info) { error_ = "'" + name + "' is not a known dataset"; return false; }
  if (classroom.locked("data") && spec_.is_object()) { error_ = "The dataset is locked in this exercise."; return false; }
  const std::string asset = info->value("asset", std::string());
  if (!asset.empty() && name != "csv" && !lab_.has_asset(name)) {
    pending_dataset_ = name;  // the page downloads it and calls dataset_ready()
    progress_what_ = "Downloading " + name + "…";
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
            {"model", {{"layers", default_layers(desc["inputShape"], desc["outputDim"].get<int>(), desc["kind"].get<std::string>())},
                       {"init", "glorot_uniform"}}},
            {"optimizer", {{"name", "adam"}, {"lr", image ? 0.003 : regression ? 0.01 : 0.03}}},
            {"batch_size", image ? 32 : 10}};
  return apply_spec(s);
}

void Controller::dataset_ready(const std::string& name, const std::string& error) {
  if (name != pending_dataset_) return;
  pending_dataset_.clear();
  progress_what_.clear();
  if (!error.empty()) { error_ = "Could not download the dataset '" + name + "': " + error; return; }
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
  if (names.empty()) { error_ = "keep at least one input feature"; return false; }
  json s = spec_;
  s["data"]["features"] = names;
  return apply_spec(s);
}

bool Controller::set_layers(const json& layers) {
  if (classroom.locked("network")) { error_ = "The network is locked in this exercise."; return false; }
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
  if (at < 0 || at >= (int)layers.size() - 1) { error_ = "the output layer cannot be removed"; return false; }
  layers.erase(layers.begin() + at);
  return set_layers(layers);
}

bool Controller::set_units(int at, int units) {
  json layers = spec_["model"]["layers"];
  if (at < 0 || at >= (int)layers.size()) return false;
  if (units < 1) { error_ = "a layer needs at least one unit"; return false; }
  json& l = layers[at];
  if (l["type"] == "conv2d") l["filters"] = units;
  else l["units"] = units;
  return set_layers(layers);
}

bool Controller::set_layer_field(int at, const std::string& key, const json& value) {
  json layers = spec_["model"]["layers"];
  if (at < 0 || at >= (int)layers.size()) return false;
  if (value.is_null()) layers[at].erase(key);
  else layers[at][key] = value;
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

bool Controller::set_hyper(const json& patch) {
  if (busy() && job_kind_ == "train") {  // applied between chunks, so the step it is logged at is exact
    pending_hyper_.push_back(patch);
    return true;
  }
  try {
    spec_ = json::parse(lab_.set_hyperparameters(patch.dump()));
  } catch (const std::exception& e) {
    error_ = e.what();
    return false;
  }
  if (patch.contains("stop")) stop_msg_.clear();
  error_.clear();
  state_changed();
  return true;
}

// [SECTION] running --------------------------------------------------------------------------------

void Controller::play() {
  if (!lab_.has_experiment()) return;
  doctor_.clear();
  if (view_->metrics.stopped) {
    stop_msg_ = view_->metrics.stop_reason + ". Change the stop conditions to train on.";
    return;
  }
  playing_ = true;
  step_target_ = -1;
  live("Training started.");
}

void Controller::pause() {
  if (!playing_) return;
  playing_ = false;
  if (busy() && job_kind_ == "train") job_->cancel();
  live("Training paused at step " + std::to_string(view_->step) + ".");
  state_changed();
}

void Controller::step_batch() {
  pause();
  step_target_ = 1;  // worked out when the chunk starts (a cancelled chunk may still be finishing)
}

void Controller::step_epoch() {
  pause();
  step_target_ = 2;
}

void Controller::reset() {
  pause();
  if (busy()) { pending_reset_ = true; return; }
  if (!lab_.has_experiment()) return;
  try {
    lab_.reset();
  } catch (const std::exception& e) {
    error_ = e.what();
    return;
  }
  exp_seen_ = lab_.experiment();
  curves = Curves{};
  doctor_.clear();
  stop_msg_.clear();
  refresh_pending_ = true;
  live("Reset: the weights are back to their initial values from seed " + std::to_string(spec_.value("seed", 1)) + ".");
  state_changed();
}

bool Controller::set_weight(int layer, const std::string& param, long long index, float value) {
  pause();
  if (busy()) {
    pending_weights_.push_back({layer, param, index, value});
    return true;
  }
  try {
    lab_.set_weight(layer, param, index, value);
  } catch (const std::exception& e) {
    error_ = e.what();
    return false;
  }
  refresh_pending_ = true;
  state_changed();
  return true;
}

void Controller::replay(const std::string& history_json, const std::string& what) {
  playing_ = false;
  step_target_ = -1;
  if (busy()) job_->cancel();
  pending_replay_ = history_json;
  pending_replay_what_ = what;
}

std::string Controller::progress_text() const {
  if (!progress_what_.empty()) return progress_what_;
  // Anything else that takes over half a second gets a progress bar too.
  if (job_ && now_ms_ - job_started_ms_ > 500) {
    if (job_kind_ == "load") return "Building the data and the network…";
    if (job_kind_ == "neuron") return "Profiling the neuron over the test set…";
  }
  return {};
}

double Controller::progress() const { return job_ ? job_->progress() : 0.0; }

void Controller::cancel() {
  if (job_) job_->cancel();
  pending_replay_.clear();
}

void Controller::select_sample(int test_index) {
  selected_ = std::max(0, test_index);
  refresh_pending_ = true;
}

void Controller::show_page(int first) {
  page_first_ = std::max(0, first);
  refresh_pending_ = true;
}

void Controller::apply_doctor_fix() {
  if (doctor_lr_ > 0) {
    json patch = {{"optimizer", {{"lr", doctor_lr_}}}};
    set_hyper(patch);
    if (spec_.contains("regularization") && (spec_["regularization"].value("l1", 0.0) >= 1 || spec_["regularization"].value("l2", 0.0) >= 1))
      set_hyper({{"regularization", {{"l1", 0}, {"l2", 0}}}});
  }
  doctor_.clear();
  reset();
}

// [SECTION] jobs and snapshots ---------------------------------------------------------------------

void Controller::frame(double now_ms) {
  if (now_ms_ > 0) frame_dt_ += (std::clamp(now_ms - now_ms_, 1.0, 500.0) - frame_dt_) * 0.1;
  now_ms_ = now_ms;
  if (job_ && job_->finished()) on_job_done();
  if (job_) return;

  // Work waiting for the job to end, in order.
  if (has_pending_spec_) {
    has_pending_spec_ = false;
    load_spec(pending_spec_);
  }
  if (!pending_replay_.empty()) {
    std::string h = pending_replay_;
    pending_replay_.clear();
    try {
      job_ = lab_.replay_async(h);
      job_kind_ = "replay";
      progress_what_ = pending_replay_what_.empty() ? "Replaying the experiment…" : pending_replay_what_;
      job_started_ms_ = now_ms;
    } catch (const std::exception& e) {
      error_ = std::string("This experiment could not be replayed: ") + e.what();
    }
    if (job_) return;
  }
  if (deferred_neuron_) {
    auto f = std::move(deferred_neuron_);
    deferred_neuron_ = nullptr;
    f();
    if (job_) return;
  }
  for (const json& p : pending_hyper_) set_hyper(p);
  pending_hyper_.clear();
  for (const auto& w : pending_weights_) set_weight(w.layer, w.param, w.index, w.value);
  pending_weights_.clear();
  if (pending_reset_) {
    pending_reset_ = false;
    reset();
  }
  sync_from_lab();
  if (!lab_.has_experiment()) return;

  const bool stepping = step_target_ >= 0;
  if (playing_ || stepping) {
    auto e = lab_.experiment();
    long long steps;
    if (stepping) {
      steps = step_target_ == 1 ? 1 : std::max(1LL, e->steps_to_epoch_end());
      step_target_ = -1;
    } else {
      // Threaded: keep the job thread busy until the next frame looks (a slow frame gets a longer chunk);
      // inline: short chunks, they run inside the frame.
      const double target = kThreaded ? std::max(kChunkMsThreaded, frame_dt_ * 0.9) : kChunkMsInline;
      // A new network starts with one step to measure it; a chunk at most quadruples the last one.
      steps = calibrated_ ? (long long)std::clamp(target / std::max(chunk_ms_per_step_, 1e-4), 1.0, 200000.0) : 1;
      steps = std::min(steps, std::max(1LL, last_chunk_steps_ * 4));
      last_chunk_steps_ = steps;
    }
    if (steps > 0) {
      submit_chunk(steps, stepping);
      return;
    }
  }
  if (refresh_pending_) {
    refresh_pending_ = false;
    refresh();
  }
  if (autosave_due_ && now_ms - last_state_ms_ > 300) emit_state();
}

void Controller::sync_from_lab() {
  if (!lab_.has_experiment()) return;
  auto e = lab_.experiment();
  if (e != exp_seen_) {  // loaded or reset through the JS API (or a replay finished)
    spec_ = json::parse(lab_.spec_json());
    exp_seen_ = e;
    calibrated_ = false;
    last_chunk_steps_ = 1;
    curves = Curves{};
    refresh_pending_ = true;
    state_changed();
    return;
  }
  if (e->step() != view_->step) {  // trained through the JS API
    spec_ = json::parse(lab_.spec_json());
    refresh_pending_ = true;
  }
}

void Controller::submit_chunk(long long steps, bool single) {
  auto e = lab_.experiment();
  const bool eval = single || !playing_ || now_ms_ - last_eval_ms_ > kEvalEveryMs;
  if (eval) last_eval_ms_ = now_ms_;
  auto snap = std::make_shared<Snapshot>();
  job_snapshot_ = snap;
  const int sel = selected_, page = page_first_;
  auto prev = view_;
  Lab* lab = &lab_;
  job_steps_ = steps;
  job_ = lab_.jobs().submit("train", [e, steps, eval, snap, sel, page, prev, lab](Job& job) {
    bool stopped = false;
    const auto t0 = std::chrono::steady_clock::now();
    auto took = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
    try {
      stopped = e->train_until(steps, lab->exec(), &job);
    } catch (const TrainingDiverged&) {
      *snap = *compute_snapshot(*e, true, sel, page, prev);
      throw;
    } catch (const JobCancelled&) {
      *snap = *compute_snapshot(*e, true, sel, page, prev);  // paused: show the state reached
      throw;
    }
    const double ms = took();
    *snap = *compute_snapshot(*e, eval || stopped, sel, page, prev);
    snap->train_ms = ms;
  });
  job_kind_ = "train";
  job_started_ms_ = now_ms_;
}

void Controller::refresh() {
  if (!lab_.has_experiment()) return;
  auto e = lab_.experiment();
  auto snap = std::make_shared<Snapshot>();
  job_snapshot_ = snap;
  const int sel = selected_, page = page_first_;
  auto prev = view_;
  job_ = lab_.jobs().submit("snapshot", [e, snap, sel, page, prev](Job&) { *snap = *compute_snapshot(*e, true, sel, page, prev); });
  job_kind_ = "snapshot";
  job_started_ms_ = now_ms_;
}

void Controller::on_job_done() {
  auto job = job_;
  job_.reset();
  const std::string kind = job_kind_;
  job_kind_.clear();
  const Job::State st = job->state();
  if (kind == "replay") {
    progress_what_.clear();
    if (st == Job::State::Done) {
      exp_seen_.reset();  // adopt the replayed experiment
      sync_from_lab();
      if (!replay_digest_.empty()) {
        const std::string d = lab_.digest();
        notice_ = d == replay_digest_ ? "Replayed bit for bit: the weights digest " + d + " matches the file."
                                      : "Replayed, but the digest " + d + " differs from the file's " + replay_digest_ + ".";
        replay_digest_.clear();
      }
      live("Experiment restored at step " + std::to_string(lab_.experiment()->step()) + ".");
    } else if (st == Job::State::Failed) {
      error_ = "This experiment could not be replayed: " + job->error();
    }
    return;
  }
  if (kind == "load") {
    if (st == Job::State::Done) {
      error_.clear();
      after_rebuild();
    } else if (st == Job::State::Failed) {
      error_ = job->error();
    }
    return;
  }
  if (kind == "neuron") {
    if (st == Job::State::Done && job_neuron_) neuron_ = *job_neuron_;
    else if (neuron_.layer == (job_neuron_ ? job_neuron_->layer : -2)) {
      neuron_.ready = true;
      neuron_.error = st == Job::State::Cancelled ? "cancelled" : job->error();
    }
    job_neuron_.reset();
    return;
  }
  // train or snapshot
  auto snap = job_snapshot_;
  job_snapshot_.reset();
  if (snap && !snap->layers.empty()) {
    snap->version = view_->version + 1;
    if (kind == "train" && st == Job::State::Done && job_steps_ > 0 && snap->train_ms > 0) {
      const double per = snap->train_ms / (double)job_steps_;
      chunk_ms_per_step_ = calibrated_ ? 0.5 * chunk_ms_per_step_ + 0.5 * per : per;
      calibrated_ = true;
    }
    if (exp_seen_ && lab_.has_experiment() && lab_.experiment() == exp_seen_) {
      view_ = snap;
      if (snap->evaluated && (curves.step.empty() || curves.step.back() < (float)snap->step || snap->step == 0)) {
        if (!curves.step.empty() && curves.step.back() == (float)snap->step) {
          // same step evaluated again (e.g. after an edit): replace the last point
          curves.step.pop_back(); curves.train_loss.pop_back(); curves.test_loss.pop_back();
          curves.train_acc.pop_back(); curves.test_acc.pop_back();
        }
        curves.step.push_back((float)snap->step);
        curves.train_loss.push_back(snap->metrics.train_loss);
        curves.test_loss.push_back(snap->metrics.test_loss);
        curves.train_acc.push_back(snap->metrics.train_accuracy);
        curves.test_acc.push_back(snap->metrics.test_accuracy);
      }
      if (kind == "train") {
        curves.batch_step.push_back((float)snap->step);
        curves.batch_loss.push_back(snap->metrics.batch_loss);
      }
    }
  }
  if (st == Job::State::Failed) {
    playing_ = false;
    const std::string msg = job->error();
    if (msg.find("training stopped at step") != std::string::npos) {
      doctor_ = msg;
      const float lr = spec_["optimizer"].value("lr", 0.03f);
      doctor_lr_ = std::max(1e-6f, lr / 10);
      live("Training stopped: " + msg);
    } else {
      error_ = msg;
    }
    state_changed();
  } else if (st == Job::State::Done && kind == "train" && view_->metrics.stopped) {
    playing_ = false;
    stop_msg_ = view_->metrics.stop_reason;
    live("Training finished: " + stop_msg_ + ".");
    state_changed();
  }
  if (kind == "train" && playing_) {
    if (now_ms_ - last_live_ms_ > kLiveEveryMs) live(status_sentence());
    if (now_ms_ - last_state_ms_ > kStateEveryMs) autosave_due_ = true;
  }
  if (kind == "train" && !playing_) state_changed();
}

std::shared_ptr<Snapshot> Controller::compute_snapshot(Experiment& e, bool evaluate, int selected, int page_first,
                                                       std::shared_ptr<const Snapshot> prev) {
  auto s = std::make_shared<Snapshot>();
  if (evaluate) e.evaluate(Exec{nullptr, false});
  s->evaluated = evaluate;
  s->metrics = e.metrics();
  s->step = s->metrics.step;
  s->epoch = s->metrics.epoch;
  s->digest = e.digest();
  const Dataset& d = e.dataset();  // never changes after the experiment is built
  s->task = d.task == TaskKind::Classification ? "classification" : "regression";
  s->num_classes = d.num_classes;
  s->output_dim = d.output_dim;
  s->class_names = d.class_names;
  s->feature_names = d.feature_names;
  s->input_shape = d.input_shape;
  s->n_test = (int)d.n_test();
  s->n_train = (int)d.n_train();
  s->page_size = kPageSize;
  {
    std::lock_guard<std::mutex> l(e.mutex());
    Model& m = e.model();
    for (size_t i = 0; i < m.num_layers(); ++i) {
      Layer& L = m.layer(i);
      LayerView v;
      v.type = L.type();
      const LayerSpec sp = L.spec();
      if (auto it = sp.str.find("activation"); it != sp.str.end()) v.activation = it->second;
      v.out_shape = m.layer_output_shape(i);
      for (const Param& p : L.params()) {
        std::vector<float> vals(p.value->data(), p.value->data() + p.value->size());
        s->num_params += vals.size();
        if (p.name == "weight") { v.weight = std::move(vals); v.weight_shape = p.value->shape(); }
        else if (p.name == "bias") v.bias = std::move(vals);
      }
      s->layers.push_back(std::move(v));
    }
  }
  const int outs = d.output_dim;
  const size_t in = d.input_size();
  if (!e.raw_train_x().empty()) {  // the 2-D plane
    s->plane = true;
    s->grid = kGrid;
    s->x0 = s->y0 = -kPlaneExtent;
    s->x1 = s->y1 = kPlaneExtent;
    std::vector<float> raw((size_t)kGrid * kGrid * 2);
    for (int r = 0; r < kGrid; ++r)
      for (int c = 0; c < kGrid; ++c) {
        raw[((size_t)r * kGrid + c) * 2] = s->x0 + (s->x1 - s->x0) * (c + 0.5f) / kGrid;
        raw[((size_t)r * kGrid + c) * 2 + 1] = s->y1 - (s->y1 - s->y0) * (r + 0.5f) / kGrid;
      }
    const std::vector<float> x = e.featurize(raw.data(), kGrid * kGrid);
    std::vector<Tensor> acts = e.probe(x.data(), kGrid * kGrid);
    s->grid_out.assign(acts.back().data(), acts.back().data() + acts.back().size());
    s->grid_act.resize(acts.size());
    for (size_t i = 0; i + 1 < acts.size(); ++i)
      if (s->layers[i].out_shape.size() == 1) s->grid_act[i].assign(acts[i].data(), acts[i].data() + acts[i].size());
    auto take = [&](const std::vector<float>& xy, std::vector<float>& out) {
      const size_t n = std::min<size_t>(xy.size() / 2, kMaxPlanePoints);
      out.assign(xy.begin(), xy.begin() + n * 2);
      return n;
    };
    const size_t ntr = take(e.raw_train_x(), s->train_xy), nte = take(e.raw_test_x(), s->test_xy);
    if (d.task == TaskKind::Classification) {
      s->train_label.assign(d.train_label.begin(), d.train_label.begin() + ntr);
      s->test_label.assign(d.test_label.begin(), d.test_label.begin() + nte);
    } else {
      s->train_t.assign(d.train_y.begin(), d.train_y.begin() + ntr * outs);
      s->test_t.assign(d.test_y.begin(), d.test_y.begin() + nte * outs);
    }
    return s;
  }
  // Images and tables: a page of test samples, the selected sample's activations, the most confused.
  const int nte = (int)d.n_test();
  if (nte == 0) return s;
  s->shown_first = std::clamp(page_first, 0, std::max(0, nte - 1));
  const int shown = std::min(kPageSize, nte - s->shown_first);
  s->shown_x.assign(d.test_x.begin() + (size_t)s->shown_first * in, d.test_x.begin() + (size_t)(s->shown_first + shown) * in);
  s->shown_out = e.predict(s->shown_x.data(), shown);
  if (d.task == TaskKind::Classification)
    s->shown_label.assign(d.test_label.begin() + s->shown_first, d.test_label.begin() + s->shown_first + shown);
  s->selected = std::clamp(selected, 0, nte - 1);
  s->selected_x.assign(d.test_x.begin() + (size_t)s->selected * in, d.test_x.begin() + (size_t)(s->selected + 1) * in);
  for (const Tensor& t : e.probe(s->selected_x.data(), 1)) s->selected_act.emplace_back(t.data(), t.data() + t.size());
  if (d.task == TaskKind::Classification && outs > 1) {
    if (evaluate || !prev) {
      const int n = std::min(kConfusedScan, nte);
      const std::vector<float> out = e.predict(d.test_x.data(), n);
      std::vector<std::pair<float, int>> wrong;
      for (int i = 0; i < n; ++i) {
        const float* o = out.data() + (size_t)i * outs;
        const int pred = (int)(std::max_element(o, o + outs) - o);
        if (pred != d.test_label[i]) wrong.push_back({softmax_row(o, outs)[pred], i});
      }
      std::sort(wrong.begin(), wrong.end(), [](auto& a, auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
      if (wrong.size() > (size_t)kMaxConfused) wrong.resize(kMaxConfused);
      for (auto& [p, i] : wrong) {
        const float* o = out.data() + (size_t)i * outs;
        s->confused.push_back(i);
        s->confused_p.push_back(p);
        s->confused_label.push_back(d.test_label[i]);
        s->confused_pred.push_back((int)(std::max_element(o, o + outs) - o));
        s->confused_x.insert(s->confused_x.end(), d.test_x.begin() + (size_t)i * in, d.test_x.begin() + (size_t)(i + 1) * in);
      }
    } else {
      s->confused = prev->confused;
      s->confused_p = prev->confused_p;
      s->confused_label = prev->confused_label;
      s->confused_pred = prev->confused_pred;
      s->confused_x = prev->confused_x;
    }
  }
  return s;  // without a new evaluation, metrics() still holds the last one's numbers
}

// [SECTION] neuron reports ---------------------------------------------------------------------------

void Controller::inspect_neuron(int layer, int unit) {
  neuron_open = true;
  neuron_ = NeuronReport{};
  neuron_.layer = layer;
  neuron_.unit = unit;
  if (busy() && job_kind_ == "train") job_->cancel();  // the report runs when the chunk has stopped
  if (!lab_.has_experiment()) return;
  auto e = lab_.experiment();
  auto rep = std::make_shared<NeuronReport>();
  rep->layer = layer;
  rep->unit = unit;
  job_neuron_ = rep;
  auto submit = [this, e, rep, layer, unit] {
    job_ = lab_.jobs().submit("neuron", [e, rep, layer, unit](Job& job) {
      const Dataset& d = e->dataset();
      const size_t in = d.input_size();
      const int n = std::min<int>(kNeuronSamples, (int)d.n_test());
      Model& m = e->model();
      if (layer < 0 || layer >= (int)m.num_layers()) throw std::invalid_argument("no such layer");
      const Shape shp = m.layer_output_shape(layer);
      const int units = shp.empty() ? 1 : shp[0];
      if (unit < 0 || unit >= units) throw std::invalid_argument("no such neuron");
      const size_t per = shape_size(shp), plane = per / (size_t)units;  // conv: the channel's H×W
      rep->values.resize(n);
      const int kChunk = 256;
      for (int b0 = 0; b0 < n; b0 += kChunk) {
        job.check_cancel();
        job.set_progress((double)b0 / n);
        const int B = std::min(kChunk, n - b0);
        std::vector<Tensor> acts = e->probe(d.test_x.data() + (size_t)b0 * in, B);
        const float* a = acts[layer].data();
        for (int i = 0; i < B; ++i) {  // conv channels: the channel's mean activation
          double s = 0;
          for (size_t k = 0; k < plane; ++k) s += a[(size_t)i * per + (size_t)unit * plane + k];
          rep->values[b0 + i] = (float)(s / plane);
        }
      }
      std::vector<int> idx(n);
      for (int i = 0; i < n; ++i) idx[i] = i;
      const int top = std::min(12, n);
      std::partial_sort(idx.begin(), idx.begin() + top, idx.end(), [&](int a, int b) {
        return rep->values[a] > rep->values[b] || (rep->values[a] == rep->values[b] && a < b);
      });
      for (int i = 0; i < top; ++i) {
        rep->top.push_back(idx[i]);
        rep->top_value.push_back(rep->values[idx[i]]);
        rep->top_x.insert(rep->top_x.end(), d.test_x.begin() + (size_t)idx[i] * in, d.test_x.begin() + (size_t)(idx[i] + 1) * in);
      }
      // Weights: the parameterised layer that makes this output (itself, or the one before an activation /
      // pool), and the next parameterised layer.
      std::lock_guard<std::mutex> l(e->mutex());
      int src = layer;
      while (src >= 0 && m.layer(src).params().empty()) --src;
      std::string title = "layer " + std::to_string(layer) + " (" + m.layer(layer).type();
      if (src >= 0) {
        for (const Param& p : m.layer(src).params()) {
          const size_t rows = (size_t)p.value->shape()[0];
          if (rows == 0 || (int)rows <= unit) continue;
          const size_t cols = p.value->size() / rows;
          if (p.name == "weight") rep->incoming.assign(p.value->data() + (size_t)unit * cols, p.value->data() + (size_t)(unit + 1) * cols);
          if (p.name == "bias") rep->bias = p.value->data()[unit];
        }
        if (src != layer) title += " after " + m.layer(src).type();
      }
      for (size_t nx = layer + 1; nx < m.num_layers(); ++nx) {
        auto ps = m.layer(nx).params();
        if (ps.empty()) continue;
        if (m.layer(nx).type() == "dense" && m.layer(nx).input_shape().size() == 1) {
          const Tensor& w = *ps[0].value;  // (out, in)
          const size_t rows = (size_t)w.shape()[0], cols = (size_t)w.shape()[1];
          if ((size_t)unit < cols)
            for (size_t r = 0; r < rows; ++r) rep->outgoing.push_back(w.data()[r * cols + unit]);
        }
        break;
      }
      rep->title = title + "), " + (shp.size() == 3 ? "channel " : "neuron ") + std::to_string(unit);
      rep->ready = true;
    });
    job_kind_ = "neuron";
  };
  if (!busy()) submit();
  else deferred_neuron_ = submit;
}

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
  json f = {{"format", "neuronlab-experiment"}, {"version", 1}, {"history", share_state()}, {"digest", lab_.digest()},
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
  std::string s = std::string(playing_ ? "Training" : "Paused") + ": step " + std::to_string(view_->step) + ", epoch " + std::to_string(view_->epoch);
  if (std::isfinite(m.test_loss)) s += ", test loss " + fmt("%.4g", m.test_loss);
  if (std::isfinite(m.test_accuracy)) s += ", test accuracy " + fmt("%.1f%%", 100.0 * m.test_accuracy);
  if (std::isfinite(m.test_rmse)) s += ", test RMSE " + fmt("%.4g", m.test_rmse);
  return s + ".";
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
  j["snapshotVersion"] = v.version;
  j["plane"] = v.plane;
  j["error"] = error_;
  j["notice"] = notice_;
  j["doctor"] = doctor_;
  j["stopMessage"] = stop_msg_;
  j["progress"] = progress_text();
  j["classroom"] = classroom_json();
  j["neuronOpen"] = neuron_open;
  j["neuronReady"] = neuron_.ready;
  j["msPerStep"] = chunk_ms_per_step_;
  return j;
}

}  // namespace lab::ui
