// NeuronLab core — optimizers and learning-rate schedules (registries), with PyTorch's update rules.
//
//   sgd      v = μ·v + g (v = g on the first step);  nesterov: d = g + μ·v, else d = v;  p −= lr·d   (μ = momentum)
//   adam     m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p −= lr·(m/(1−β1ᵗ)) / (sqrt(v/(1−β2ᵗ)) + ε)
//   adamw    p −= lr·wd·p, then adam
//   rmsprop  v = α·v + (1−α)·g²;  p −= lr·g / (sqrt(v) + ε)
//   adagrad  s = s + g²;  p −= lr·g / (sqrt(s) + ε)
// Weight decay `weight_decay` (sgd, adam, rmsprop, adagrad) adds wd·p to g, as PyTorch does; the lab's
// own L1/L2 regularisation is separate (applied to the gradients before the optimizer, see trainer.h).
// Hyper-parameters may change between steps: step() takes the learning rate of this step and reads the
// config each time.
//
//   lab::OptimizerConfig c; c.name = "adam"; c.lr = 1e-3f;
//   auto opt = lab::make_optimizer(c);     // throws std::invalid_argument on a bad config
//   opt->step(params, lr_this_step);
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"

namespace lab {

struct OptimizerConfig {
  std::string name = "sgd";
  float lr = 0.01f;
  float momentum = 0.0f;     // sgd (and rmsprop's momentum term is not modelled)
  bool nesterov = false;     // sgd
  float beta1 = 0.9f, beta2 = 0.999f;  // adam, adamw
  float eps = 1e-8f;         // adam, adamw, rmsprop; adagrad uses 1e-10 by default (PyTorch)
  float alpha = 0.99f;       // rmsprop smoothing
  float weight_decay = 0.0f; // PyTorch's weight_decay (adamw: decoupled; default 0.01 there)
};

struct ScheduleConfig {
  std::string name = "constant";  // constant | step | cosine
  int step_size = 1000;           // step: multiply the rate by gamma every step_size steps
  float gamma = 0.5f;
  int total_steps = 10000;        // cosine: steps from lr down to min_lr
  float min_lr = 0.0f;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Updates params from their gradients. Parameter order must stay the same from call to call.
  virtual void step(const std::vector<Param>& params, float lr) = 0;
  OptimizerConfig& config() { return cfg_; }
  const OptimizerConfig& config() const { return cfg_; }
  long long steps() const { return t_; }
  // The optimizer's state (moments), flattened, for saving; and its restoration.
  virtual std::vector<float> state() const = 0;
  virtual void set_state(const std::vector<float>& s, long long steps) = 0;

 protected:
  explicit Optimizer(OptimizerConfig c) : cfg_(std::move(c)) {}
  OptimizerConfig cfg_;
  long long t_ = 0;
};

struct OptimizerInfo {
  std::string name, title;
  std::vector<std::string> params;  // the config fields it reads
};
const std::vector<OptimizerInfo>& optimizer_registry();
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c);
// Throws std::invalid_argument for an unknown name or out-of-range value.
void validate_optimizer(const OptimizerConfig& c);

const std::vector<std::string>& schedule_names();
void validate_schedule(const ScheduleConfig& s);
// The learning rate at (0-based) step t.
float scheduled_lr(const ScheduleConfig& s, float base_lr, long long t);

}  // namespace lab
