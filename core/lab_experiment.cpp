// The Lab's experiment API: load a spec, train as a job, read metrics, predict, export/import.
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "lab.h"
#include "model_io.h"

namespace lab {

namespace {
using json = nlohmann::json;
json num(float v) { return std::isfinite(v) ? json(short_float(v)) : json(nullptr); }

std::string metrics_to_json(const Metrics& m) {
  json j;
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
  e->evaluate(Exec{nullptr, force_reference_});  // metrics at step 0
  std::lock_guard<std::mutex> l(exp_mu_);
  exp_ = e;
  return spec.warnings;
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
  e->set_hyperparameters(patch_spec(e->spec(), patch_json));
  return e->spec_json();
}
std::string Lab::metrics_json() const { return metrics_to_json(experiment()->metrics()); }
std::string Lab::digest() const { return experiment()->digest(); }

std::shared_ptr<Job> Lab::train_async(long long steps, bool evaluate) {
  if (steps < 0 || steps > 100000000) throw std::invalid_argument("train: steps must be between 0 and 100000000 (got " + std::to_string(steps) + ")");
  auto e = experiment();
  return jobs_.submit("train", [this, e, steps, evaluate](Job& job) {
    try {
      e->train(steps, exec(), &job);
    } catch (const TrainingDiverged&) {
      e->evaluate(exec());  // keep the metrics of the weights we kept; the divergence flag stays set
      throw;
    }
    if (evaluate) e->evaluate(exec());
    job.result_json = metrics_to_json(e->metrics());
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
  fresh->evaluate(Exec{nullptr, force_reference_});
  std::lock_guard<std::mutex> l(exp_mu_);
  exp_ = fresh;
}

}  // namespace lab
