// NeuronLab core — optimizers and learning-rate schedules: two registries, PyTorch's update rules.
//
//   sgd      v = μ·v + g (v = g on the first step);  nesterov: d = g + μ·v, else d = v;  p −= lr·d   (μ = momentum)
//   adam     m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p −= lr·(m/(1−β1ᵗ)) / (sqrt(v/(1−β2ᵗ)) + ε)
//   adamw    p −= lr·wd·p, then adam
//   rmsprop  v = α·v + (1−α)·g²;  p −= lr·g / (sqrt(v) + ε)
//   adagrad  s = s + g²;  p −= lr·g / (sqrt(s) + ε)
// Weight decay `weight_decay` (sgd, adam, rmsprop, adagrad) adds wd·p to g, as PyTorch does; the lab's
// own L1/L2 regularisation is separate (applied to the gradients before the optimizer, train/trainer.h).
//
// Each optimizer and schedule declares its own fields (ParamSpec, base/param_spec.h): the spec's
// validation, registries(), the UI's editor and the URL codec read them from here. Adding an optimizer
// is one class and one registry entry (optimizer.cpp); see docs/contributing.md.
// Hyper-parameters may change between steps: step() takes this step's learning rate and reads the
// config each time.
//
//   lab::OptimizerConfig c = lab::optimizer_config("adam", {{"lr", 1e-3}});  // throws on a bad field
//   auto opt = lab::make_optimizer(c);
//   opt->step(params, c.lr());
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/param_spec.h"
#include "nn/layer.h"

namespace lab {

// An optimizer's name and its validated fields (every field of its registry entry, defaults filled in).
// Engine values are float32: a field reads as (float) of the stored value.
struct OptimizerConfig {
  std::string name = "sgd";
  ParamValues values;
  float f(const std::string& field) const { return (float)values.get(field); }
  float lr() const { return f("lr"); }
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Updates params from their gradients. Parameter order must stay the same from call to call.
  virtual void step(const std::vector<Param>& params, float lr) = 0;
  const OptimizerConfig& config() const { return cfg_; }
  // New values of the same optimizer's fields from the next step on (the state is kept).
  void set_config(const OptimizerConfig& c) {
    cfg_ = c;
    configure();
  }
  long long steps() const { return t_; }

 protected:
  explicit Optimizer(OptimizerConfig c) : cfg_(std::move(c)) {}
  // Reads the fields step() uses from cfg_ (once per change, not per step).
  virtual void configure() = 0;
  OptimizerConfig cfg_;
  long long t_ = 0;
};

struct OptimizerInfo {
  std::string name;
  std::string title;
  std::string description;
  std::vector<ParamSpec> params;  // its fields; "lr" first
  std::unique_ptr<Optimizer> (*make)(const OptimizerConfig& validated) = nullptr;
  // Rules across fields (e.g. sgd: nesterov needs momentum); throws std::invalid_argument. May be null.
  void (*check)(const ParamValues& v) = nullptr;
  // The PyTorch constructor, with {field} placeholders (io/export_pytorch.cpp fills them in).
  std::string pytorch;
};
const Registry<OptimizerInfo>& optimizer_registry();
// Validates `fields` (a JSON object; null = defaults) for optimizer `name`. where: the message prefix
// ("spec.optimizer."). Unknown fields throw, or are listed in `unknown` when it is non-null.
OptimizerConfig optimizer_config(const std::string& name, const nlohmann::json& fields, const std::string& where = "optimizer.",
                                 std::vector<std::string>* unknown = nullptr);
// Checks a config built in code (the name, every field's range, the cross-field rules).
void validate_optimizer(const OptimizerConfig& c);
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c);
// {"name": …, every field} — floats written as the shortest decimal that reads back as the same float.
nlohmann::json optimizer_json(const OptimizerConfig& c);

// --- learning-rate schedules ----------------------------------------------------------------------
struct ScheduleConfig {
  std::string name = "constant";
  ParamValues values;
  float f(const std::string& field) const { return (float)values.get(field); }
  int i(const std::string& field) const { return (int)values.get(field); }
};
struct ScheduleInfo {
  std::string name;
  std::string title;
  std::string description;
  std::vector<ParamSpec> params;
  // The learning rate at (0-based) step t from the base rate.
  float (*lr)(const ScheduleConfig& s, float base, long long t) = nullptr;
  // The body of a Python function lr_at(step) (indented), with {field} placeholders and LR the base rate.
  std::string pytorch;
};
const Registry<ScheduleInfo>& schedule_registry();
ScheduleConfig schedule_config(const std::string& name, const nlohmann::json& fields, const std::string& where = "schedule.",
                               std::vector<std::string>* unknown = nullptr);
nlohmann::json schedule_json(const ScheduleConfig& s);
// The learning rate at (0-based) step t.
float scheduled_lr(const ScheduleConfig& s, float base_lr, long long t);

}  // namespace lab
