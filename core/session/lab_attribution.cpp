// Lab: attributions and the arena as jobs, on a snapshot of the current model (lab.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/json_input.h"
#include "interp/attribution/attribution.h"
#include "interp/eval/attr_eval.h"
#include "nn/model.h"
#include "session/lab.h"

namespace lab {

namespace {
constexpr int kBackgroundRows = 256;  // training samples handed to the methods as background

Tensor background_of(const Dataset& d) {
  const int n = (int)std::min<size_t>(kBackgroundRows, d.n_train());
  Shape s{n};
  s.insert(s.end(), d.input_shape.begin(), d.input_shape.end());
  Tensor t(s);
  std::memcpy(t.data(), d.train_x.data(), t.size() * sizeof(float));
  return t;
}

// The methods expand each input into rows — integration steps, baselines, samples, perturbations —
// that they hold at once with their baselines and gradients (the model's activations are chunked by
// Context::max_batch_floats). Refused before anything is built when that would not fit, saying what would.
constexpr double kAttributionBudgetBytes = 1024.0 * 1024 * 1024;
void check_attribution_memory(const attr::Params& p, int n, size_t input_size) {
  double per_input = 1;
  std::string why;
  for (const char* k : {"steps", "baselines", "samples"})  // (a noise tunnel runs its copies one after another)
    if (p.has(k) && p.get(k) > 1) {
      per_input *= p.get(k);
      why += std::string(why.empty() ? "" : " × ") + k + " " + std::to_string(p.geti(k));
    }
  const double bytes = 4.0 * 3.0 * (double)input_size * (per_input * n + n);  // rows, baselines, gradients
  if (bytes <= kAttributionBudgetBytes) return;
  const double fit = kAttributionBudgetBytes / (4.0 * 3.0 * (double)input_size * (per_input + 1));
  char msg[512];
  std::snprintf(msg, sizeof msg,
                "%s: %d inputs of %zu values%s%s would need about %.2f GB at once; the lab has %.2f GB for an attribution: "
                "%s",
                p.method.c_str(), n, input_size, why.empty() ? "" : " with ", why.c_str(), bytes / 1e9, kAttributionBudgetBytes / 1e9,
                fit >= 1 ? ("attribute at most " + std::to_string((long long)fit) + " inputs at a time").c_str()
                         : ("use fewer " + (why.empty() ? std::string("inputs") : why.substr(0, why.find(' '))) + " (one input fits " +
                            std::to_string((long long)(kAttributionBudgetBytes / (4.0 * 3.0 * (double)input_size) - 1)) + " rows)")
                               .c_str());
  throw std::invalid_argument(msg);
}
}  // namespace

std::string Lab::attribution_methods_json() { return attr::methods_json(); }

namespace {
void check_inputs(const std::vector<float>& inputs, int n, size_t in) {
  if (n < 1 || n > 100000) throw std::invalid_argument("attribute: n must be between 1 and 100000 (got " + std::to_string(n) + ")");
  if (inputs.size() != (size_t)n * in)
    throw std::invalid_argument("attribute: " + std::to_string(n) + " inputs of " + std::to_string(in) + " values need " +
                                std::to_string((size_t)n * in) + " numbers, got " + std::to_string(inputs.size()));
}

// attribute_now's limit: the multiply-adds of a forward and a backward pass over the model, times the
// inputs. A 2-D MLP's map at one point is ~10³; 2·10⁵ is a small fraction of a millisecond on one core.
constexpr double kNowMaxWork = 2e5;
}  // namespace

// The method, its parsed parameters and their JSON, for the options text they came from.
struct Lab::NowParams {
  std::string method, options;
  attr::Params p;
  std::string params_json;
};

namespace {
// What a result reports besides its map (lab.h attribute_async), written directly: in the browser's build
// every C++ destructor on the way costs a trip through JavaScript (-fexceptions), so building it with
// nlohmann::json cost more than a small map (attribute_now). Numbers print as the doubles they are.
std::string result_json_of(const std::string& method, const std::string& params_json, const attr::Result& r, double ms) {
  std::string s;
  s.reserve(256);
  char b[40];
  auto reals = [&](const std::vector<float>& v) {
    s += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += ',';
      if (std::isfinite(v[i])) {
        std::snprintf(b, sizeof b, "%.17g", (double)v[i]);
        s += b;
      } else {
        s += "null";
      }
    }
    s += ']';
  };
  auto ints = [&](const auto& v) {
    s += '[';
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string((long long)v[i]);
    s += ']';
  };
  s += "{\"method\":\"" + method + "\",\"params\":" + params_json + ",\"shape\":";
  ints(r.shape);
  s += ",\"targets\":";
  ints(r.targets);
  s += ",\"f\":";
  reals(r.f);
  std::snprintf(b, sizeof b, ",\"ms\":%.6g,\"delta\":", ms);
  s += b;
  if (r.delta.empty())
    s += "null";
  else
    reals(r.delta);
  s += '}';
  return s;
}
}  // namespace

bool Lab::attribute_now(const std::string& method, const std::vector<float>& inputs, int n, const std::string& options_json,
                        std::vector<float>* map, std::string* result_json) {
  if (method != "saliency" && method != "input_x_gradient") return false;
  if (jobs_.pending() > 0) return false;  // a job first: the queue keeps the order (and the weights it sees)
  auto e = experiment();
  std::shared_ptr<const NowParams> np;
  {
    std::lock_guard<std::mutex> l(exp_mu_);
    np = now_params_;
  }
  if (!np || np->method != method || np->options != options_json) {
    auto fresh = std::make_shared<NowParams>();
    fresh->method = method;
    fresh->options = options_json;
    fresh->p = attr::parse_params(method, options_json);
    fresh->params_json = attr::params_json(fresh->p);
    std::lock_guard<std::mutex> l(exp_mu_);
    now_params_ = np = fresh;
  }
  const attr::Params& p = np->p;
  if (p.has("noise") && p.choice("noise") != "none") return false;
  check_inputs(inputs, n, e->dataset().input_size());
  if (2.0 * (double)e->model().num_params() * n > kNowMaxWork) return false;
  // No job is queued or running, so nothing trains meanwhile: a copy of the model (small by the limit
  // above) is the snapshot a job would take, and one thread computes the same bits as a pool would.
  const auto t0 = std::chrono::steady_clock::now();
  auto model = e->snapshot_model();
  const attr::Net net = attr::net_of(*model, Exec{nullptr, exec().force_reference});
  const Tensor bg = background_of(e->dataset());
  Shape s{n};
  s.insert(s.end(), net.input.begin(), net.input.end());
  Tensor x(s);
  std::memcpy(x.data(), inputs.data(), inputs.size() * sizeof(float));
  attr::Context ctx;
  ctx.background = &bg;
  const attr::Result r = attr::attribute(net, p, x, ctx);
  map->assign(r.map.data(), r.map.data() + r.map.size());
  *result_json = result_json_of(p.method, np->params_json, r,
                                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  return true;
}

std::shared_ptr<Job> Lab::attribute_async(const std::string& method, std::vector<float> inputs, int n, const std::string& options_json) {
  auto e = experiment();
  // A layer parameter may name the layer by its spec id ("conv1"): the methods take its index.
  std::string options = options_json;
  if (!options.empty()) {
    nlohmann::json o = parse_json_input(options, method + ": the options");
    if (o.is_object() && o.contains("layer") && o["layer"].is_string()) {
      o["layer"] = e->resolve_layer(o["layer"].get<std::string>());
      options = o.dump();
    }
  }
  const attr::Params p = attr::parse_params(method, options);
  const size_t in = e->dataset().input_size();
  if (n < 1 || n > 100000) throw std::invalid_argument("attribute: n must be between 1 and 100000 (got " + std::to_string(n) + ")");
  check_attribution_memory(p, n, in);
  check_inputs(inputs, n, in);
  // A sliced job: a snapshot of the model, then the method. Without threads (an inline runner) the method
  // runs in pieces of about a slice each (attr::Resume); with them, in one slice.
  struct State {
    std::unique_ptr<Model> model;
    attr::Net net;
    Tensor bg, x;
    std::unique_ptr<attr::Resume> resume;
    double ms = 0;
  };
  auto st = std::make_shared<State>();
  const bool pieces = jobs_.mode() == JobRunner::Inline;
  return jobs_.submit_sliced("attribute", [this, e, p, inputs = std::move(inputs), n, st, pieces](Job& job) {
    State& S = *st;
    if (!S.model) {
      S.model = e->snapshot_model();
      S.net = attr::net_of(*S.model, exec());
      S.bg = background_of(e->dataset());
      Shape s{n};
      s.insert(s.end(), S.net.input.begin(), S.net.input.end());
      S.x = Tensor(s);
      std::memcpy(S.x.data(), inputs.data(), inputs.size() * sizeof(float));
      if (pieces) {
        S.resume = std::make_unique<attr::Resume>(SliceSizer::kTargetMs);
        return false;
      }
    }
    attr::Context ctx;
    ctx.background = &S.bg;
    ctx.job = &job;
    ctx.resume = S.resume.get();
    if (S.resume) S.resume->begin();
    const auto t0 = std::chrono::steady_clock::now();
    attr::Result r;
    bool complete = true;
    try {
      r = attr::attribute(S.net, p, S.x, ctx);
    } catch (const attr::Suspended&) {
      complete = false;  // the next slice goes on
    }
    S.ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!complete) return false;
    job.result.assign(r.map.data(), r.map.data() + r.map.size());
    job.result_json = result_json_of(p.method, attr::params_json(p), r, S.ms);
    return true;
  });
}

std::shared_ptr<Job> Lab::arena_async(const std::string& config_json) {
  bool label_rand = false;
  attr::ArenaConfig cfg = attr::parse_arena_config(config_json, &label_rand);
  auto e = experiment();
  if (e->dataset().n_test() == 0) throw std::invalid_argument("arena: this experiment has no test split to evaluate on");
  // A sliced job: a snapshot of the model, then (with label randomisation) a copy trained on shuffled labels
  // about 5 ms a slice, then the arena a piece a slice (attr::ArenaRun).
  struct State {
    std::unique_ptr<Model> model;
    std::unique_ptr<Experiment> shuffled;
    long long shuffled_steps = 0;
    bool label_model = false;  // the shuffled run trained without diverging
    std::unique_ptr<attr::ArenaRun> run;
  };
  auto st = std::make_shared<State>();
  return jobs_.submit_sliced("arena", [this, e, cfg, label_rand, st](Job& job) mutable {
    State& S = *st;
    if (!S.model) {
      S.model = e->snapshot_model();
      if (label_rand) {
        {
          std::lock_guard<std::mutex> a(assets_mu_);
          S.shuffled = std::make_unique<Experiment>(e->spec(), &assets_);
        }
        S.shuffled->shuffle_train_labels(cfg.seed + 1);
        S.shuffled_steps = std::clamp<long long>(e->step(), 100, 5000);
        S.label_model = true;
      }
      return false;
    }
    if (S.shuffled && S.label_model && S.shuffled->step() < S.shuffled_steps) {
      const auto t0 = std::chrono::steady_clock::now();
      try {
        do S.shuffled->train(1, exec(), nullptr);
        while (S.shuffled->step() < S.shuffled_steps && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(5));
      } catch (const TrainingDiverged&) {
        S.label_model = false;  // the shuffled run blew up: no comparison (the report has no labelRandomisation)
      }
      job.set_progress(0.2 * (double)S.shuffled->step() / (double)S.shuffled_steps);
      return false;
    }
    if (!S.run) {
      attr::ArenaConfig c = cfg;
      if (label_rand) {
        Model* m = S.label_model ? &S.shuffled->model() : nullptr;
        c.label_randomised = [m]() { return m; };
      }
      if (jobs_.mode() == JobRunner::Inline) c.resume_ms = SliceSizer::kTargetMs;  // each method's work in pieces
      S.run = std::make_unique<attr::ArenaRun>(*S.model, e->dataset(), std::move(c), exec());
      return false;
    }
    if (!S.run->step(&job)) return false;
    job.result_json = S.run->report();
    return true;
  });
}

}  // namespace lab
