// optimizer.cpp — [SECTION] update rules · [SECTION] the optimizer registry · [SECTION] schedules
#include "optim/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "base/names.h"

namespace lab {
namespace {

// [SECTION] update rules ----------------------------------------------------------------------------

// Per-parameter state vectors, allocated on the first step.
class Stateful : public Optimizer {
 public:
  Stateful(OptimizerConfig c, int slots) : Optimizer(std::move(c)), slots_(slots) {}

 protected:
  // buf(i, slot): the slot-th state vector of parameter i.
  std::vector<float>& buf(size_t i, int slot) { return buf_[i * slots_ + slot]; }
  void ensure(const std::vector<Param>& ps) {
    if (!buf_.empty()) return;
    buf_.resize(ps.size() * slots_);
    for (size_t i = 0; i < ps.size(); ++i)
      for (int k = 0; k < slots_; ++k) buf(i, k).assign(ps[i].value->size(), 0.0f);
  }
  int slots_;
  std::vector<std::vector<float>> buf_;
};

class Sgd final : public Stateful {
 public:
  explicit Sgd(OptimizerConfig c) : Stateful(std::move(c), 1) { configure(); }
  void configure() override {
    mu_ = cfg_.f("momentum");
    wd_ = cfg_.f("weight_decay");
    nesterov_ = cfg_.values.flag("nesterov");
  }
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    const float mu = mu_, wd = wd_;
    const bool nesterov = nesterov_;
    for (size_t i = 0; i < ps.size(); ++i) {
      float* p = ps[i].value->data();
      const float* g = ps[i].grad->data();
      float* v = buf(i, 0).data();
      for (size_t j = 0; j < ps[i].value->size(); ++j) {
        float d = g[j] + wd * p[j];
        if (mu != 0.0f) {
          v[j] = t_ == 0 ? d : mu * v[j] + d;
          d = nesterov ? d + mu * v[j] : v[j];
        }
        p[j] -= lr * d;
      }
    }
    ++t_;
  }

 private:
  float mu_ = 0, wd_ = 0;
  bool nesterov_ = false;
};

class Adam final : public Stateful {
 public:
  Adam(OptimizerConfig c, bool decoupled) : Stateful(std::move(c), 2), decoupled_(decoupled) { configure(); }
  void configure() override {
    b1_ = cfg_.f("beta1");
    b2_ = cfg_.f("beta2");
    eps_ = cfg_.f("eps");
    wd_ = cfg_.f("weight_decay");
  }
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    ++t_;
    const float b1 = b1_, b2 = b2_, eps = eps_, wd = wd_;
    const float bc1 = 1.0f - std::pow(b1, (float)t_), bc2 = 1.0f - std::pow(b2, (float)t_);
    const float step_size = lr / bc1, bc2_sqrt = std::sqrt(bc2);
    for (size_t i = 0; i < ps.size(); ++i) {
      float* p = ps[i].value->data();
      const float* g = ps[i].grad->data();
      float* m = buf(i, 0).data();
      float* v = buf(i, 1).data();
      for (size_t j = 0; j < ps[i].value->size(); ++j) {
        float gj = g[j];
        if (decoupled_)
          p[j] *= 1.0f - lr * wd;
        else
          gj += wd * p[j];
        m[j] = b1 * m[j] + (1.0f - b1) * gj;
        v[j] = b2 * v[j] + (1.0f - b2) * gj * gj;
        p[j] -= step_size * m[j] / (std::sqrt(v[j]) / bc2_sqrt + eps);
      }
    }
  }

 private:
  bool decoupled_;
  float b1_ = 0, b2_ = 0, eps_ = 0, wd_ = 0;
};

class RmsProp final : public Stateful {
 public:
  explicit RmsProp(OptimizerConfig c) : Stateful(std::move(c), 1) { configure(); }
  void configure() override {
    a_ = cfg_.f("alpha");
    eps_ = cfg_.f("eps");
    wd_ = cfg_.f("weight_decay");
  }
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    const float a = a_, eps = eps_, wd = wd_;
    for (size_t i = 0; i < ps.size(); ++i) {
      float* p = ps[i].value->data();
      const float* g = ps[i].grad->data();
      float* v = buf(i, 0).data();
      for (size_t j = 0; j < ps[i].value->size(); ++j) {
        const float gj = g[j] + wd * p[j];
        v[j] = a * v[j] + (1.0f - a) * gj * gj;
        p[j] -= lr * gj / (std::sqrt(v[j]) + eps);
      }
    }
    ++t_;
  }

 private:
  float a_ = 0, eps_ = 0, wd_ = 0;
};

class Adagrad final : public Stateful {
 public:
  explicit Adagrad(OptimizerConfig c) : Stateful(std::move(c), 1) { configure(); }
  void configure() override {
    eps_ = cfg_.f("eps");
    wd_ = cfg_.f("weight_decay");
  }
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    const float eps = eps_, wd = wd_;
    for (size_t i = 0; i < ps.size(); ++i) {
      float* p = ps[i].value->data();
      const float* g = ps[i].grad->data();
      float* s = buf(i, 0).data();
      for (size_t j = 0; j < ps[i].value->size(); ++j) {
        const float gj = g[j] + wd * p[j];
        s[j] += gj * gj;
        p[j] -= lr * gj / (std::sqrt(s[j]) + eps);
      }
    }
    ++t_;
  }

 private:
  float eps_ = 0, wd_ = 0;
};

}  // namespace

// [SECTION] the optimizer registry ----------------------------------------------------------------------

namespace {

ParamSpec lr_param() { return with_url(number("lr", 0.03, 0, 100, "learning rate"), "lr"); }
ParamSpec wd_param(double def) {
  return with_url(number("weight_decay", def, 0, 10, "weight decay: adds wd·w to each gradient (AdamW: shrinks the weights directly)"),
                  "wd");
}
ParamSpec eps_param(double def) { return with_url(number("eps", def, 0, 1, "ε added to the denominator for stability"), "eps"); }
ParamSpec beta_param(const char* name, double def, const char* help) { return with_url(number(name, def, 0, 0.9999999, help), name); }

template <class T>
std::unique_ptr<Optimizer> make(const OptimizerConfig& c) {
  return std::make_unique<T>(c);
}
std::unique_ptr<Optimizer> make_adam(const OptimizerConfig& c) { return std::make_unique<Adam>(c, false); }
std::unique_ptr<Optimizer> make_adamw(const OptimizerConfig& c) { return std::make_unique<Adam>(c, true); }

void check_sgd(const ParamValues& v) {
  if (v.flag("nesterov") && v.get("momentum") <= 0) throw std::invalid_argument("optimizer 'sgd': nesterov needs a momentum above 0");
}

const std::vector<ParamSpec> kAdamParams = {lr_param(), beta_param("beta1", 0.9, "decay of the gradient's running mean"),
                                            beta_param("beta2", 0.999, "decay of the squared gradient's running mean"), eps_param(1e-8)};

std::vector<ParamSpec> with(std::vector<ParamSpec> v, ParamSpec p) {
  v.push_back(std::move(p));
  return v;
}

}  // namespace

const Registry<OptimizerInfo>& optimizer_registry() {
  static const Registry<OptimizerInfo> reg(
      "optimizer",
      {
          {.name = "sgd",
           .title = "SGD (momentum, Nesterov)",
           .description = "Stochastic gradient descent, with optional momentum and Nesterov momentum.",
           .params = {lr_param(), with_url(number("momentum", 0, 0, 0.9999, "momentum μ: the share of the last update kept"), "momentum"),
                      with_url(boolean("nesterov", false, "Nesterov momentum (needs momentum > 0)"), "nesterov"), wd_param(0)},
           .make = make<Sgd>,
           .check = check_sgd,
           .pytorch =
               "torch.optim.SGD(model.parameters(), lr={lr}, momentum={momentum}, nesterov={nesterov}, weight_decay={weight_decay})"},
          {.name = "adam",
           .title = "Adam",
           .description = "Adaptive moments: each weight's step is scaled by its gradient's history.",
           .params = with(kAdamParams, wd_param(0)),
           .make = make_adam,
           .pytorch = "torch.optim.Adam(model.parameters(), lr={lr}, betas=({beta1}, {beta2}), eps={eps}, weight_decay={weight_decay})"},
          {.name = "adamw",
           .title = "AdamW",
           .description = "Adam with decoupled weight decay (the weights shrink directly).",
           .params = with(kAdamParams, wd_param(0.01)),
           .make = make_adamw,
           .pytorch = "torch.optim.AdamW(model.parameters(), lr={lr}, betas=({beta1}, {beta2}), eps={eps}, weight_decay={weight_decay})"},
          {.name = "rmsprop",
           .title = "RMSprop",
           .description = "Divides each step by a running average of the squared gradient.",
           .params = {lr_param(), with_url(number("alpha", 0.99, 0, 0.9999999, "smoothing of the squared gradient's average"), "alpha"),
                      eps_param(1e-8), wd_param(0)},
           .make = make<RmsProp>,
           .pytorch = "torch.optim.RMSprop(model.parameters(), lr={lr}, alpha={alpha}, eps={eps}, weight_decay={weight_decay})"},
          {.name = "adagrad",
           .title = "Adagrad",
           .description = "Divides each step by the root of the summed squared gradients.",
           .params = {lr_param(), eps_param(1e-10), wd_param(0)},
           .make = make<Adagrad>,
           .pytorch = "torch.optim.Adagrad(model.parameters(), lr={lr}, eps={eps}, weight_decay={weight_decay})"},
      });
  return reg;
}

OptimizerConfig optimizer_config(const std::string& name, const nlohmann::json& fields, const std::string& where,
                                 std::vector<std::string>* unknown) {
  const OptimizerInfo& info = optimizer_registry().at(name);
  OptimizerConfig c;
  c.name = name;
  c.values = parse_values(info.params, fields, where, unknown);
  if (info.check) info.check(c.values);
  return c;
}

void validate_optimizer(const OptimizerConfig& c) {
  const OptimizerInfo& info = optimizer_registry().at(c.name);
  const std::string where = "optimizer '" + c.name + "'";
  for (const auto& p : info.params) {
    if (!c.values.has(p.name)) throw std::invalid_argument(where + ": " + p.name + " is missing");
    check_number(p, p.kind == ParamSpec::Boolean ? nlohmann::json(c.values.flag(p.name)) : nlohmann::json(c.values.get(p.name)), where);
  }
  if (info.check) info.check(c.values);
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c) {
  validate_optimizer(c);
  return optimizer_registry().at(c.name).make(c);
}

nlohmann::json optimizer_json(const OptimizerConfig& c) {
  nlohmann::json j = values_json(optimizer_registry().at(c.name).params, c.values, /*float32=*/true);
  j["name"] = c.name;
  return j;
}

// [SECTION] schedules ------------------------------------------------------------------------------------

namespace {
float constant_lr(const ScheduleConfig&, float base, long long) { return base; }
float step_lr(const ScheduleConfig& s, float base, long long t) { return base * std::pow(s.f("gamma"), (float)(t / s.i("step_size"))); }
float cosine_lr(const ScheduleConfig& s, float base, long long t) {
  const int total = s.i("total_steps");
  const float min_lr = s.f("min_lr");
  const double f = (double)std::min<long long>(t, total) / total;
  return (float)(min_lr + (base - min_lr) * 0.5 * (1.0 + std::cos(3.14159265358979323846 * f)));
}
}  // namespace

const Registry<ScheduleInfo>& schedule_registry() {
  static const Registry<ScheduleInfo> reg(
      "schedule", {
                      {.name = "constant",
                       .title = "Constant",
                       .description = "The same learning rate at every step.",
                       .params = {},
                       .lr = constant_lr,
                       .pytorch = "    return LR\n"},
                      {.name = "step",
                       .title = "Step decay",
                       .description = "The rate times gamma every step_size steps.",
                       .params = {with_url(integer("step_size", 1000, 1, 1e9, "steps between two decays"), "step_size"),
                                  with_url(number("gamma", 0.5, 1e-6, 1, "factor applied at each decay"), "gamma")},
                       .lr = step_lr,
                       .pytorch = "    return LR * {gamma} ** (step // {step_size})  # × gamma every step_size steps\n"},
                      {.name = "cosine",
                       .title = "Cosine",
                       .description = "From the rate down to min_lr along a half cosine over total_steps.",
                       .params = {with_url(integer("total_steps", 10000, 1, 1e9, "steps from the rate down to min_lr"), "total_steps"),
                                  with_url(number("min_lr", 0, 0, 100, "the rate at the end"), "min_lr")},
                       .lr = cosine_lr,
                       .pytorch = "    f = min(step, {total_steps}) / {total_steps}  # cosine from LR to min_lr over total_steps\n"
                                  "    return {min_lr} + (LR - {min_lr}) * 0.5 * (1.0 + math.cos(math.pi * f))\n"},
                  });
  return reg;
}

ScheduleConfig schedule_config(const std::string& name, const nlohmann::json& fields, const std::string& where,
                               std::vector<std::string>* unknown) {
  const ScheduleInfo& info = schedule_registry().at(name);
  ScheduleConfig c;
  c.name = name;
  c.values = parse_values(info.params, fields, where, unknown);
  return c;
}

nlohmann::json schedule_json(const ScheduleConfig& s) {
  nlohmann::json j = values_json(schedule_registry().at(s.name).params, s.values, /*float32=*/true);
  j["name"] = s.name;
  return j;
}

float scheduled_lr(const ScheduleConfig& s, float base, long long t) { return schedule_registry().at(s.name).lr(s, base, t); }

}  // namespace lab
