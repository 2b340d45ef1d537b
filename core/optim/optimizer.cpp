// optimizer.cpp — [SECTION] update rules · [SECTION] registry & validation · [SECTION] schedules
#include "optim/optimizer.h"
#include "base/names.h"

#include <cmath>
#include <stdexcept>

namespace lab {
namespace {

// [SECTION] update rules ----------------------------------------------------------------------------

// Per-parameter state vectors, allocated on the first step.
class Stateful : public Optimizer {
 public:
  Stateful(OptimizerConfig c, int slots) : Optimizer(std::move(c)), slots_(slots) {}
  std::vector<float> state() const override {
    std::vector<float> s;
    for (const auto& v : buf_) s.insert(s.end(), v.begin(), v.end());
    return s;
  }
  void set_state(const std::vector<float>& s, long long steps) override {
    saved_ = s;
    t_ = steps;
    buf_.clear();
  }

 protected:
  // buf(i, slot): the slot-th state vector of parameter i.
  std::vector<float>& buf(size_t i, int slot) { return buf_[i * slots_ + slot]; }
  void ensure(const std::vector<Param>& ps) {
    if (!buf_.empty()) return;
    buf_.resize(ps.size() * slots_);
    size_t off = 0;
    for (size_t i = 0; i < ps.size(); ++i)
      for (int k = 0; k < slots_; ++k) {
        auto& b = buf(i, k);
        b.assign(ps[i].value->size(), 0.0f);
        if (off + b.size() <= saved_.size()) std::copy(saved_.begin() + off, saved_.begin() + off + b.size(), b.begin());
        off += b.size();
      }
    saved_.clear();
  }
  int slots_;
  std::vector<std::vector<float>> buf_;
  std::vector<float> saved_;
};

class Sgd final : public Stateful {
 public:
  explicit Sgd(OptimizerConfig c) : Stateful(std::move(c), 1) {}
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    const float mu = cfg_.momentum, wd = cfg_.weight_decay;
    for (size_t i = 0; i < ps.size(); ++i) {
      float* p = ps[i].value->data();
      const float* g = ps[i].grad->data();
      float* v = buf(i, 0).data();
      for (size_t j = 0; j < ps[i].value->size(); ++j) {
        float d = g[j] + wd * p[j];
        if (mu != 0.0f) {
          v[j] = t_ == 0 ? d : mu * v[j] + d;
          d = cfg_.nesterov ? d + mu * v[j] : v[j];
        }
        p[j] -= lr * d;
      }
    }
    ++t_;
  }
};

class Adam final : public Stateful {
 public:
  Adam(OptimizerConfig c, bool decoupled) : Stateful(std::move(c), 2), decoupled_(decoupled) {}
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    ++t_;
    const float b1 = cfg_.beta1, b2 = cfg_.beta2, eps = cfg_.eps, wd = cfg_.weight_decay;
    const float bc1 = 1.0f - std::pow(b1, (float)t_), bc2 = 1.0f - std::pow(b2, (float)t_);
    const float step_size = lr / bc1, bc2_sqrt = std::sqrt(bc2);
    for (size_t i = 0; i < ps.size(); ++i) {
      float* p = ps[i].value->data();
      const float* g = ps[i].grad->data();
      float* m = buf(i, 0).data();
      float* v = buf(i, 1).data();
      for (size_t j = 0; j < ps[i].value->size(); ++j) {
        float gj = g[j];
        if (decoupled_) p[j] *= 1.0f - lr * wd;
        else gj += wd * p[j];
        m[j] = b1 * m[j] + (1.0f - b1) * gj;
        v[j] = b2 * v[j] + (1.0f - b2) * gj * gj;
        p[j] -= step_size * m[j] / (std::sqrt(v[j]) / bc2_sqrt + eps);
      }
    }
  }

 private:
  bool decoupled_;
};

class RmsProp final : public Stateful {
 public:
  explicit RmsProp(OptimizerConfig c) : Stateful(std::move(c), 1) {}
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    const float a = cfg_.alpha, eps = cfg_.eps, wd = cfg_.weight_decay;
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
};

class Adagrad final : public Stateful {
 public:
  explicit Adagrad(OptimizerConfig c) : Stateful(std::move(c), 1) {}
  void step(const std::vector<Param>& ps, float lr) override {
    ensure(ps);
    const float eps = cfg_.eps, wd = cfg_.weight_decay;
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
};

void check_range(const char* opt, const char* what, float v, float lo, float hi) {
  if (!(v >= lo && v <= hi)) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "optimizer '%s': %s must be between %g and %g (got %g)", opt, what, lo, hi, v);
    throw std::invalid_argument(buf);
  }
}

}  // namespace

// [SECTION] registry & validation ---------------------------------------------------------------------

const std::vector<OptimizerInfo>& optimizer_registry() {
  static const std::vector<OptimizerInfo> reg = {
      {"sgd", "SGD (momentum, Nesterov)", {"lr", "momentum", "nesterov", "weight_decay"}},
      {"adam", "Adam", {"lr", "beta1", "beta2", "eps", "weight_decay"}},
      {"adamw", "AdamW", {"lr", "beta1", "beta2", "eps", "weight_decay"}},
      {"rmsprop", "RMSprop", {"lr", "alpha", "eps", "weight_decay"}},
      {"adagrad", "Adagrad", {"lr", "eps", "weight_decay"}},
  };
  return reg;
}

void validate_optimizer(const OptimizerConfig& c) {
  bool known = false;
  for (const auto& o : optimizer_registry()) known |= o.name == c.name;
  if (!known) {
    const std::string names = join_names(optimizer_registry(), [](const OptimizerInfo& o) { return o.name; });
    throw std::invalid_argument("unknown optimizer '" + c.name + "' (known: " + names + ")");
  }
  const char* n = c.name.c_str();
  check_range(n, "lr", c.lr, 0.0f, 100.0f);
  check_range(n, "momentum", c.momentum, 0.0f, 0.9999f);
  check_range(n, "beta1", c.beta1, 0.0f, 0.9999999f);
  check_range(n, "beta2", c.beta2, 0.0f, 0.9999999f);
  check_range(n, "eps", c.eps, 0.0f, 1.0f);
  check_range(n, "alpha", c.alpha, 0.0f, 0.9999999f);
  check_range(n, "weight_decay", c.weight_decay, 0.0f, 10.0f);
  if (c.nesterov && c.momentum <= 0.0f) throw std::invalid_argument("optimizer 'sgd': nesterov needs a momentum above 0");
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c) {
  validate_optimizer(c);
  if (c.name == "sgd") return std::make_unique<Sgd>(c);
  if (c.name == "adam") return std::make_unique<Adam>(c, false);
  if (c.name == "adamw") return std::make_unique<Adam>(c, true);
  if (c.name == "rmsprop") return std::make_unique<RmsProp>(c);
  return std::make_unique<Adagrad>(c);
}

// [SECTION] schedules ---------------------------------------------------------------------------------

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> n = {"constant", "step", "cosine"};
  return n;
}

void validate_schedule(const ScheduleConfig& s) {
  if (s.name != "constant" && s.name != "step" && s.name != "cosine")
    throw std::invalid_argument("unknown schedule '" + s.name + "' (known: constant, step, cosine)");
  if (s.step_size < 1) throw std::invalid_argument("schedule 'step': step_size must be at least 1");
  if (!(s.gamma > 0.0f && s.gamma <= 1.0f)) throw std::invalid_argument("schedule 'step': gamma must be in (0, 1]");
  if (s.total_steps < 1) throw std::invalid_argument("schedule 'cosine': total_steps must be at least 1");
  if (!(s.min_lr >= 0.0f)) throw std::invalid_argument("schedule 'cosine': min_lr must be at least 0");
}

float scheduled_lr(const ScheduleConfig& s, float base, long long t) {
  if (s.name == "step") return base * std::pow(s.gamma, (float)(t / s.step_size));
  if (s.name == "cosine") {
    const double f = (double)std::min<long long>(t, s.total_steps) / s.total_steps;
    return (float)(s.min_lr + (base - s.min_lr) * 0.5 * (1.0 + std::cos(3.14159265358979323846 * f)));
  }
  return base;
}

}  // namespace lab
