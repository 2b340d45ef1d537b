// The Lab's experiment API: load a spec, train as a job, read metrics, predict, export/import.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/json_input.h"
#include "io/model_io.h"
#include "session/lab.h"

namespace lab {

namespace {
using json = nlohmann::json;
json num(float v) { return std::isfinite(v) ? json(short_float(v)) : json(nullptr); }

std::string metrics_to_json(const Metrics& m, bool evaluating = false) {
  json j;
  j["evaluating"] = evaluating;
  j["step"] = m.step;
  j["epoch"] = m.epoch;
  j["trainLoss"] = num(m.train_loss);
  j["testLoss"] = num(m.test_loss);
  j["trainAccuracy"] = num(m.train_accuracy);
  j["testAccuracy"] = num(m.test_accuracy);
  j["regLoss"] = num(m.reg_loss);
  j["batchLoss"] = num(m.batch_loss);
  j["lr"] = num(m.lr);
  j["trainRmse"] = num(m.train_rmse);
  j["testRmse"] = num(m.test_rmse);
  j["trainR2"] = num(m.train_r2);
  j["testR2"] = num(m.test_r2);
  j["confusion"] = m.confusion;
  json pc = json::array();
  for (float v : m.per_class_accuracy) pc.push_back(num(v));
  j["perClassAccuracy"] = pc;
  j["diverged"] = m.diverged;
  j["divergedReason"] = m.diverged_reason;
  j["stopped"] = m.stopped;
  j["stopReason"] = m.stop_reason;
  if (!m.warning.empty()) {  // only then: the metrics of a healthy run read as they always did
    j["warning"] = m.warning;
    j["warningLr"] = num(m.warning_lr);
  }
  return j.dump();
}
}  // namespace

void Lab::set_asset(const std::string& name, std::vector<uint8_t> bytes) {
  check_dataset_asset(name, bytes);
  std::lock_guard<std::mutex> l(assets_mu_);
  assets_[name] = std::move(bytes);
}

bool Lab::has_asset(const std::string& name) const {
  std::lock_guard<std::mutex> l(assets_mu_);
  return assets_.count(name) > 0;
}

std::vector<std::string> Lab::load(const std::string& spec_json) {
  Spec spec = parse_spec(spec_json);
  std::shared_ptr<Experiment> e;
  {
    std::lock_guard<std::mutex> a(assets_mu_);
    e = std::make_shared<Experiment>(spec, &assets_);
  }
  {
    std::lock_guard<std::mutex> l(exp_mu_);
    exp_ = e;
    base_spec_ = e->spec_json();
    events_.clear();
    reproducible_ = true;
  }
  start_evaluation(e);  // the metrics at step 0, as a job
  return spec.warnings;
}

// Inline runners (the single-threaded page) evaluate a few rows a slice (SliceSizer, base/job.h); threaded
// ones whole batches. The rows a slice takes change nothing in the result (Evaluation::step).
std::shared_ptr<Job> Lab::start_evaluation(const std::shared_ptr<Experiment>& e) {
  auto ev = std::make_shared<Evaluation>(e->start_evaluation());
  const bool inline_jobs = jobs_.mode() == JobRunner::Inline;
  auto job = jobs_.submit_sliced("evaluate", [this, e, ev, inline_jobs, sizer = SliceSizer()](Job& j) mutable {
    const bool done = inline_jobs ? sizer.run([&](int rows) { return e->evaluate_batch(*ev, exec(), rows); }) : e->evaluate_batch(*ev, exec());
    j.set_progress(ev->progress());
    return done;
  });
  std::lock_guard<std::mutex> l(exp_mu_);
  if (eval_job_) eval_job_->cancel();  // superseded: its experiment was replaced, or this one is newer
  eval_job_ = job;
  return job;
}

std::shared_ptr<Job> Lab::evaluate_async() { return start_evaluation(experiment()); }

std::shared_ptr<Job> Lab::evaluation() const {
  std::lock_guard<std::mutex> l(exp_mu_);
  return eval_job_;
}

bool Lab::has_experiment() const {
  std::lock_guard<std::mutex> l(exp_mu_);
  return exp_ != nullptr;
}

std::shared_ptr<Experiment> Lab::experiment() const {
  std::lock_guard<std::mutex> l(exp_mu_);
  if (!exp_) throw std::invalid_argument("no experiment is loaded: call load(spec) first");
  return exp_;
}

std::string Lab::spec_json() const { return experiment()->spec_json(); }

std::string Lab::set_hyperparameters(const std::string& patch_json) {
  auto e = experiment();
  const Spec updated = patch_spec(e->spec(), patch_json);
  const long long at = e->set_hyperparameters(updated);
  json ev = {{"at", at}, {"set", json::parse(patch_json)}};
  std::lock_guard<std::mutex> l(exp_mu_);
  if (e == exp_) events_.push_back(ev.dump());
  return e->spec_json();
}
std::string Lab::metrics_json() const {
  auto e = experiment();
  const auto ev = evaluation();
  return metrics_to_json(e->metrics(), ev && !ev->finished());
}
std::string Lab::digest() const { return experiment()->digest(); }

std::shared_ptr<Job> Lab::train_async(long long steps, bool evaluate) { return submit_training(steps, evaluate, false); }
std::shared_ptr<Job> Lab::train_until_async(long long steps, bool evaluate) { return submit_training(steps, evaluate, true); }

std::shared_ptr<Job> Lab::submit_training(long long steps, bool evaluate, bool until) {
  if (steps < 0 || steps > 100000000)
    throw std::invalid_argument("train: steps must be between 0 and 100000000 (got " + std::to_string(steps) + ")");
  auto e = experiment();
  if (jobs_.mode() == JobRunner::Threaded) {
    return jobs_.submit("train", [this, e, steps, evaluate, until](Job& job) {
      bool stopped = false;
      try {
        if (until)
          stopped = e->train_until(steps, exec(), &job);
        else
          e->train(steps, exec(), &job);
      } catch (const TrainingDiverged&) {
        e->evaluate(exec());  // keep the metrics of the weights we kept; the divergence flag stays set
        throw;
      }
      // A run stopped at a target has just been evaluated at that step.
      if (evaluate && !(stopped && e->spec().stop.epochs == 0)) e->evaluate(exec());
      job.result_json = metrics_to_json(e->metrics());
    });
  }
  // Inline runner (the single-threaded page): steps for about 5 ms a slice, then the evaluation a few rows
  // a slice. The same steps in any chunking give the same weights (and train_until stops at the same step).
  struct State {
    long long done = 0;
    bool stopped = false, evaluating = false;
    std::string diverged;  // the divergence's message, reported after the evaluation
    std::unique_ptr<Evaluation> ev;
    SliceSizer sizer;
  };
  auto st = std::make_shared<State>();
  return jobs_.submit_sliced("train", [this, e, steps, evaluate, until, st](Job& job) {
    State& S = *st;
    if (!S.evaluating) {
      const auto t0 = std::chrono::steady_clock::now();
      try {
        while (S.done < steps && !S.stopped && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(5)) {
          if (until)
            S.stopped = e->train_until(1, exec(), nullptr);
          else
            e->train(1, exec(), nullptr);
          ++S.done;
        }
      } catch (const TrainingDiverged& x) {
        S.diverged = x.what();
      }
      job.set_progress(steps ? 0.9 * (double)S.done / (double)steps : 0.9);
      if (S.diverged.empty() && S.done < steps && !S.stopped) return false;
      S.evaluating = true;
      // A run stopped at a target has just been evaluated at that step.
      if (S.diverged.empty() && !(evaluate && !(S.stopped && e->spec().stop.epochs == 0))) {
        job.result_json = metrics_to_json(e->metrics());
        return true;
      }
      S.ev = std::make_unique<Evaluation>(e->start_evaluation());
      return false;
    }
    if (!S.sizer.run([&](int rows) { return e->evaluate_batch(*S.ev, exec(), rows); })) return false;
    if (!S.diverged.empty()) throw std::runtime_error(S.diverged);  // the metrics of the weights we kept are in
    job.result_json = metrics_to_json(e->metrics());
    return true;
  });
}

std::vector<float> Lab::predict(const std::vector<float>& inputs, int n) const {
  auto e = experiment();
  const size_t in = e->dataset().input_size();
  if (n < 1) throw std::invalid_argument("predict: n must be at least 1 (got " + std::to_string(n) + ")");
  if (inputs.size() != (size_t)n * in)
    throw std::invalid_argument("predict: " + std::to_string(n) + " rows of " + std::to_string(in) + " inputs need " +
                                std::to_string((size_t)n * in) + " values, got " + std::to_string(inputs.size()));
  return e->predict(inputs.data(), n);
}

std::string Lab::export_model_json() const { return lab::export_model_json(*experiment()); }
std::vector<uint8_t> Lab::export_model_binary() const { return lab::export_model_binary(*experiment()); }

void Lab::import_model(const std::vector<uint8_t>& bytes) {
  std::unique_ptr<Experiment> e;
  {
    std::lock_guard<std::mutex> a(assets_mu_);
    e = lab::import_model(bytes.data(), bytes.size(), &assets_);
  }
  std::shared_ptr<Experiment> fresh(std::move(e));
  {
    std::lock_guard<std::mutex> l(exp_mu_);
    exp_ = fresh;
    base_spec_ = fresh->spec_json();
    events_.clear();
    reproducible_ = false;
  }
  start_evaluation(fresh);
}

std::string Lab::describe_dataset(const std::string& data_json) const {
  const json d = parse_json_input(data_json, "data");
  const Spec spec = parse_spec(json({{"data", d}, {"model", {{"layers", json::array({{{"type", "flatten"}}})}}}}).dump());
  Dataset ds;
  {
    std::lock_guard<std::mutex> a(assets_mu_);
    ds = make_dataset(spec.dataset, spec.data, &assets_);
  }
  const DatasetInfo* info = find_dataset(spec.dataset);
  json j;
  j["task"] = ds.task == TaskKind::Classification ? "classification" : "regression";
  j["kind"] = info ? info->kind : "";
  j["inputShape"] = spec.features.empty() ? ds.input_shape : std::vector<int>{(int)spec.features.size()};
  j["outputDim"] = ds.output_dim;
  j["numClasses"] = ds.num_classes;
  j["nTrain"] = ds.n_train();
  return j.dump();
}

// [SECTION] looking inside -------------------------------------------------------------------------------

size_t Lab::input_size() const { return experiment()->dataset().input_size(); }

std::string Lab::info_json() const {
  auto e = experiment();
  std::lock_guard<std::mutex> l(e->mutex());
  const Dataset& d = e->dataset();
  Model& m = e->model();
  json j;
  j["task"] = d.task == TaskKind::Classification ? "classification" : "regression";
  j["dataset"] = d.name;
  j["inputShape"] = d.input_shape;
  j["featureNames"] = d.feature_names;
  j["classNames"] = d.class_names;
  j["numClasses"] = d.num_classes;
  j["outputDim"] = d.output_dim;
  j["nTrain"] = d.n_train();
  j["nTest"] = d.n_test();
  j["rawPlane"] = !e->raw_train_x().empty();
  j["hasMask"] = !d.test_mask.empty();
  size_t total = 0;
  json layers = json::array();
  for (size_t i = 0; i < m.num_layers(); ++i) {
    Layer& L = m.layer(i);
    json o;
    o["index"] = i;
    o["type"] = L.type();
    o["outputShape"] = m.layer_output_shape(i);
    const LayerSpec sp = L.spec();
    for (const auto& [k, v] : sp.num) o[k] = v;
    for (const auto& [k, v] : sp.str) o[k] = v;
    json ps = json::array();
    for (const Param& p : L.params()) {
      ps.push_back({{"name", p.name}, {"shape", p.value->shape()}});
      total += p.value->size();
    }
    o["params"] = ps;
    layers.push_back(o);
  }
  j["layers"] = layers;
  j["numParams"] = total;
  return j.dump();
}

std::string Lab::probes_json() const {
  auto e = experiment();
  std::lock_guard<std::mutex> l(e->mutex());
  json a = json::array();
  for (const ProbeInfo& p : e->model().probes())
    a.push_back({{"name", p.name}, {"layer", p.layer}, {"shape", p.shape}, {"units", p.units}});
  return a.dump();
}

std::vector<float> Lab::probe(const std::string& name, const std::vector<float>& inputs, int n) const {
  auto e = experiment();
  int layer = -1;
  {
    std::lock_guard<std::mutex> l(e->mutex());
    for (const ProbeInfo& p : e->model().probes())
      if (p.name == name) layer = p.layer;
    if (layer < 0) e->model().probe(name);  // throws, naming the probes there are
  }
  const size_t in = e->dataset().input_size();
  if (n < 1 || inputs.size() != (size_t)n * in)
    throw std::invalid_argument("probe: " + std::to_string(n) + " inputs of " + std::to_string(in) + " values need " +
                                std::to_string((size_t)std::max(n, 0) * in) + " numbers, got " + std::to_string(inputs.size()));
  const std::vector<Tensor> acts = e->probe(inputs.data(), n);
  const Tensor& a = acts.at(layer);  // (n, shape...) = (n, T = 1, N) in row-major order
  return std::vector<float>(a.data(), a.data() + a.size());
}

std::vector<float> Lab::weights(const std::string& layer, const std::string& param) const {
  auto e = experiment();
  return e->parameter(e->resolve_layer(layer), param);
}

std::vector<std::vector<float>> Lab::activations(const std::vector<float>& inputs, int n) const {
  auto e = experiment();
  const size_t in = e->dataset().input_size();
  if (n < 1 || n > (1 << 20)) throw std::invalid_argument("activations: n must be between 1 and 1048576 (got " + std::to_string(n) + ")");
  if (inputs.size() != (size_t)n * in)
    throw std::invalid_argument("activations: " + std::to_string(n) + " rows of " + std::to_string(in) + " inputs need " +
                                std::to_string((size_t)n * in) + " values, got " + std::to_string(inputs.size()));
  std::vector<std::vector<float>> out;
  for (const Tensor& t : e->probe(inputs.data(), n)) out.emplace_back(t.data(), t.data() + t.size());
  return out;
}

namespace {
void check_split(const std::string& split) {
  if (split != "train" && split != "test") throw std::invalid_argument("split must be 'train' or 'test' (got '" + split + "')");
}
}  // namespace

std::vector<float> Lab::samples(const std::string& split, long long start, long long count) const {
  check_split(split);
  auto e = experiment();
  const Dataset& d = e->dataset();
  const long long n = split == "train" ? (long long)d.n_train() : (long long)d.n_test();
  const size_t in = d.input_size();
  start = std::clamp(start, 0LL, n);
  count = std::clamp(count, 0LL, n - start);
  const std::vector<float>& X = split == "train" ? d.train_x : d.test_x;
  return std::vector<float>(X.begin() + start * in, X.begin() + (start + count) * in);
}

std::vector<float> Lab::sample_targets(const std::string& split, long long start, long long count) const {
  check_split(split);
  auto e = experiment();
  const Dataset& d = e->dataset();
  const long long n = split == "train" ? (long long)d.n_train() : (long long)d.n_test();
  start = std::clamp(start, 0LL, n);
  count = std::clamp(count, 0LL, n - start);
  std::vector<float> out;
  if (d.task == TaskKind::Classification) {
    const std::vector<int>& L = split == "train" ? d.train_label : d.test_label;
    for (long long i = start; i < start + count; ++i) out.push_back((float)L[i]);
  } else {
    const std::vector<float>& Y = split == "train" ? d.train_y : d.test_y;
    out.assign(Y.begin() + start * d.output_dim, Y.begin() + (start + count) * d.output_dim);
  }
  return out;
}

// [SECTION] history ------------------------------------------------------------------------------------

std::string Lab::history_json() const {
  auto e = experiment();
  std::lock_guard<std::mutex> l(exp_mu_);
  json h;
  h["spec"] = json::parse(base_spec_);
  json ev = json::array();
  for (const auto& s : events_) ev.push_back(json::parse(s));
  h["events"] = ev;
  h["step"] = e->step();
  h["reproducible"] = reproducible_;
  return h.dump();
}

float Lab::set_weight(const std::string& layer, const std::string& param, long long index, float value) {
  auto e = experiment();
  long long at = 0;
  const int i = e->resolve_layer(layer);
  const float old = e->set_weight(i, param, index, value, &at);
  const json ref = layer.find_first_not_of("0123456789") == std::string::npos ? json(i) : json(layer);
  json ev = {{"at", at}, {"weight", {{"layer", ref}, {"param", param}, {"index", index}, {"value", short_float(value)}}}};
  std::lock_guard<std::mutex> l(exp_mu_);
  if (e == exp_) events_.push_back(ev.dump());
  return old;
}

void Lab::reset() {
  auto e = experiment();
  const long long at = e->step();
  std::shared_ptr<Experiment> fresh;
  {
    std::lock_guard<std::mutex> a(assets_mu_);
    fresh = std::make_shared<Experiment>(e->spec(), &assets_);
  }
  {
    std::lock_guard<std::mutex> l(exp_mu_);
    if (e != exp_) return;  // another load won the race; nothing to reset
    exp_ = fresh;
    events_.push_back(json({{"at", at}, {"reset", true}}).dump());
  }
  start_evaluation(fresh);
}

namespace {
// Reads and checks a history text before anything is built: {spec, events, step}.
struct ParsedHistory {
  std::string spec;
  std::vector<json> events;
  long long step = 0;
};
ParsedHistory parse_history(const std::string& text) {
  const json h = parse_json_input(text, "history");
  if (!h.is_object() || !h.contains("spec") || !h["spec"].is_object())
    throw std::invalid_argument("history: must be an object {spec, events, step}");
  ParsedHistory p;
  p.spec = h["spec"].dump();
  if (h.contains("step")) {
    if (!h["step"].is_number_integer() || h["step"].get<long long>() < 0 || h["step"].get<long long>() > 100000000)
      throw std::invalid_argument("history.step must be an integer between 0 and 100000000");
    p.step = h["step"].get<long long>();
  }
  if (h.contains("events")) {
    if (!h["events"].is_array()) throw std::invalid_argument("history.events must be a list");
    long long at = 0;
    for (size_t i = 0; i < h["events"].size(); ++i) {
      const json& ev = h["events"][i];
      const std::string path = "history.events[" + std::to_string(i) + "]";
      if (!ev.is_object() || !ev.contains("at") || !ev["at"].is_number_integer() || ev["at"].get<long long>() < 0 ||
          ev["at"].get<long long>() > 100000000)
        throw std::invalid_argument(path + " must be an object with an integer step 'at' between 0 and 100000000");
      const long long a = ev["at"].get<long long>();
      const bool reset = ev.contains("reset"), set = ev.contains("set"), weight = ev.contains("weight");
      if (reset + set + weight != 1) throw std::invalid_argument(path + " must hold exactly one of 'set', 'weight' or 'reset'");
      if (a < at && !reset)  // `at` restarts from 0 after a reset
        throw std::invalid_argument(path + ".at (" + std::to_string(a) + ") is before the previous event's step " + std::to_string(at));
      if (set && !ev["set"].is_object()) throw std::invalid_argument(path + ".set must be an object (a merge patch of the spec)");
      if (weight) {
        const json& w = ev["weight"];
        if (!w.is_object() || !w.contains("layer") || !(w["layer"].is_number_integer() || w["layer"].is_string()) || !w.contains("index") ||
            !w["index"].is_number_integer() || !w.contains("value") || !w["value"].is_number() ||
            (w.contains("param") && !w["param"].is_string()))
          throw std::invalid_argument(path + ".weight must be {layer, param, index, value}");
      }
      at = reset ? 0 : a;
      p.events.push_back(ev);
    }
  }
  return p;
}
}  // namespace

std::shared_ptr<Job> Lab::replay_async(const std::string& history_text, long long step) {
  ParsedHistory h = parse_history(history_text);
  if (step >= 0) h.step = step;
  if (h.step > 100000000) throw std::invalid_argument("replay: step must be at most 100000000");
  const Spec spec = parse_spec(h.spec);
  // A sliced job: each slice builds the experiment, trains for a few milliseconds, applies one event, or
  // evaluates one batch — so a single-threaded page replays a link between frames. The steps and the
  // events are the same whatever the slicing, so the weights are too.
  struct State {
    std::shared_ptr<Experiment> e;
    long long total = 0, done = 0;
    size_t next = 0;  // the next event to apply
    std::vector<std::string> events;
    std::unique_ptr<Evaluation> ev;
    SliceSizer sizer;
  };
  auto st = std::make_shared<State>();
  return jobs_.submit_sliced("replay", [this, h, spec, st](Job& job) {
    State& r = *st;
    if (!r.e) {
      std::lock_guard<std::mutex> a(assets_mu_);
      r.e = std::make_shared<Experiment>(spec, &assets_);
      // Total steps to train, for the progress bar.
      long long at = 0;
      for (const json& ev : h.events) {
        const long long a2 = ev["at"].get<long long>();
        r.total += std::max(0LL, a2 - at);
        at = ev.contains("reset") ? 0 : std::max(at, a2);
      }
      r.total += std::max(0LL, h.step - at);
      return false;
    }
    std::shared_ptr<Experiment>& e = r.e;
    if (r.ev) {  // evaluating the replayed run, a batch a slice
      const bool done = jobs_.mode() == JobRunner::Inline ? r.sizer.run([&](int rows) { return e->evaluate_batch(*r.ev, exec(), rows); })
                                                          : e->evaluate_batch(*r.ev, exec());
      if (!done) return false;
      std::lock_guard<std::mutex> l(exp_mu_);
      exp_ = e;
      base_spec_ = spec_to_json(spec);
      events_ = std::move(r.events);
      reproducible_ = true;
      job.result_json = metrics_to_json(e->metrics());
      return true;
    }
    const long long target = r.next < h.events.size() ? h.events[r.next]["at"].get<long long>() : h.step;
    if (e->step() < target) {  // train toward the next event (or the end) for about 5 ms
      const auto t0 = std::chrono::steady_clock::now();
      do {
        if (r.total > 0) job.set_progress((double)r.done / (double)r.total);
        e->train(1, exec(), nullptr);
        ++r.done;
      } while (e->step() < target && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(5));
      return false;
    }
    if (r.next < h.events.size()) {  // apply the event due now
      const json& ev = h.events[r.next];
      const std::string where = "history.events[" + std::to_string(r.next) + "]";
      try {
        if (ev.contains("set")) {
          e->set_hyperparameters(patch_spec(e->spec(), ev["set"].dump()));
        } else if (ev.contains("weight")) {
          const json& w = ev["weight"];
          const int layer = w["layer"].is_string() ? e->resolve_layer(w["layer"].get<std::string>()) : w["layer"].get<int>();
          e->set_weight(layer, w.value("param", std::string("weight")), w["index"].get<long long>(), w["value"].get<float>());
        } else {
          std::lock_guard<std::mutex> a(assets_mu_);
          e = std::make_shared<Experiment>(e->spec(), &assets_);
        }
      } catch (const std::invalid_argument& x) {
        throw std::invalid_argument(where + ": " + x.what());
      }
      r.events.push_back(ev.dump());
      ++r.next;
      return false;
    }
    if (e->step() > h.step)
      throw std::invalid_argument("history: step " + std::to_string(h.step) + " is before the last event (at step " +
                                  std::to_string(e->step()) + ")");
    r.ev = std::make_unique<Evaluation>(e->start_evaluation());
    return false;
  });
}

}  // namespace lab
