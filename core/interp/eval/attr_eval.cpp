// The attribution arena (attr_eval.h): every method's maps on the same samples, scored.
//
// [SECTION] config parsing
// [SECTION] scoring helpers (the model's output as the metrics' Score callback)
// [SECTION] DiFull grids
// [SECTION] run_arena
#include "interp/eval/attr_eval.h"
#include "base/json_input.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/job.h"
#include "base/rng.h"
#include "interp/attribution/attr_net.h"
#include "interp/eval/attr_metrics.h"
#include "nn/init.h"
#include "nn/layer.h"
#include "nn/model.h"

namespace lab::attr {

using json = nlohmann::json;

// ------------------------------------------------------------------------------------------------------
// [SECTION] config parsing
// ------------------------------------------------------------------------------------------------------
ArenaConfig parse_arena_config(const std::string& text, bool* label_randomisation) {
  const json j = parse_json_input(text.empty() ? "{}" : text, "arena: the configuration");
  if (!j.is_object()) throw std::invalid_argument("arena: the configuration must be an object");
  ArenaConfig c;
  static const char* known[] = {"methods",     "count",  "curveSteps", "sensitivitySamples", "faithfulnessRuns",
                                "groundTruth", "difull", "sanity",     "labelRandomisation", "seed"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return it.key() == k; }) == std::end(known))
      throw std::invalid_argument("arena: unknown setting '" + it.key() +
                                  "' (known: methods, count, curveSteps, sensitivitySamples, faithfulnessRuns, groundTruth, "
                                  "difull, sanity, labelRandomisation, seed)");
  auto int_in = [&](const char* k, int lo, int hi, int def) {
    if (!j.contains(k)) return def;
    const json& v = j[k];
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
      throw std::invalid_argument(std::string("arena: ") + k + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                  "], got " + v.dump());
    return v.get<int>();
  };
  auto flag = [&](const char* k, bool def) {
    if (!j.contains(k)) return def;
    if (!j[k].is_boolean()) throw std::invalid_argument(std::string("arena: ") + k + " must be true or false");
    return j[k].get<bool>();
  };
  c.count = int_in("count", 1, 4096, c.count);
  c.curve_steps = int_in("curveSteps", 2, 1000, c.curve_steps);
  c.sensitivity_samples = int_in("sensitivitySamples", 0, 1000, c.sensitivity_samples);
  c.faithfulness_runs = int_in("faithfulnessRuns", 2, 10000, c.faithfulness_runs);
  c.ground_truth = flag("groundTruth", true);
  c.difull = flag("difull", true);
  c.sanity = flag("sanity", true);
  if (label_randomisation) *label_randomisation = flag("labelRandomisation", false);
  c.seed = (uint64_t)int_in("seed", 0, 2147483647, 0);
  if (!j.contains("methods") || !j["methods"].is_array() || j["methods"].empty())
    throw std::invalid_argument(
        "arena: methods must be a non-empty list, e.g. [\"saliency\", {\"method\": \"integrated_gradients\", \"options\": {\"steps\": "
        "32}}]");
  for (const json& m : j["methods"]) {
    std::string name, label, opts = "{}";
    if (m.is_string())
      name = m.get<std::string>();
    else if (m.is_object() && m.contains("method") && m["method"].is_string()) {
      name = m["method"].get<std::string>();
      if (m.contains("options")) opts = m["options"].dump();
      if (m.contains("label") && m["label"].is_string()) label = m["label"].get<std::string>();
    } else {
      throw std::invalid_argument("arena: each method is a name or {\"method\": name, \"options\": {...}}, got " + m.dump());
    }
    c.methods.push_back(parse_params(name, opts));
    c.labels.push_back(label);
  }
  return c;
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] scoring helpers
// ------------------------------------------------------------------------------------------------------
namespace {

// The explained output of one sample for rows of inputs: its logit, or its softmax probability.
metrics::Score scorer(const Net& net, int target, bool probability, Resume* resume) {
  return [&net, target, probability, resume](const float* xs, int rows, float* out) {
    Shape s{rows};
    s.insert(s.end(), net.input.begin(), net.input.end());
    Tensor t(s);
    std::memcpy(t.data(), xs, t.size() * sizeof(float));
    const Tensor y = forward(net, t, resume);
    const size_t od = net.out_size();
    for (int r = 0; r < rows; ++r) {
      const float* yr = y.data() + (size_t)r * od;
      if (!probability || od < 2) {
        out[r] = yr[target];
        continue;
      }
      const float m = *std::max_element(yr, yr + od);
      double z = 0;
      for (size_t k = 0; k < od; ++k) z += std::exp((double)yr[k] - m);
      out[r] = (float)(std::exp((double)yr[target] - m) / z);
    }
  };
}

Tensor batch(const Shape& sample, int n) {
  Shape s{n};
  s.insert(s.end(), sample.begin(), sample.end());
  return Tensor(s);
}

float mean_of(const std::vector<float>& v) {
  double s = 0;
  int n = 0;
  for (float x : v)
    if (std::isfinite(x)) {
      s += x;
      ++n;
    }
  return n ? (float)(s / n) : NAN;
}

std::vector<float> absv(const float* a, size_t n) {
  std::vector<float> o(n);
  for (size_t i = 0; i < n; ++i) o[i] = std::fabs(a[i]);
  return o;
}

// Re-initialises one dense/conv layer's parameters (weights glorot-uniform, biases zero), seeded.
void randomise(Layer& l, uint64_t seed) {
  Rng rng(seed, 0x5a17);
  for (auto& p : l.params()) {
    if (p.name == "bias") {
      p.value->zero();
      continue;
    }
    const Shape& s = p.value->shape();
    const int fan_out = s[0], fan_in = (int)(p.value->size() / (size_t)s[0]);
    const int rf = s.size() == 4 ? s[2] * s[3] : 1;
    initialize("glorot_uniform", *p.value, fan_in, fan_out * rf, rng);
  }
}

// ------------------------------------------------------------------------------------------------------
// [SECTION] DiFull grids
// ------------------------------------------------------------------------------------------------------
// G grids (C, 2H, 2W) of four test images, of distinct classes where the data allows.
Tensor difull_grids(const Dataset& d, int G, Rng& rng) {
  const int C = d.input_shape[0], H = d.input_shape[1], W = d.input_shape[2];
  const size_t n = d.n_test(), in = d.input_size();
  Tensor g = batch({C, 2 * H, 2 * W}, G);
  for (int k = 0; k < G; ++k) {
    int cells[4];
    std::vector<int> used;
    for (int c = 0; c < 4; ++c) {
      int pick = (int)rng.below((uint32_t)n);
      for (int tries = 0; tries < 64; ++tries) {  // prefer a class not yet in the grid
        const int cand = (int)rng.below((uint32_t)n);
        const int lab = d.test_label.empty() ? 0 : d.test_label[cand];
        if (std::find(used.begin(), used.end(), lab) == used.end()) {
          pick = cand;
          break;
        }
      }
      cells[c] = pick;
      used.push_back(d.test_label.empty() ? 0 : d.test_label[pick]);
    }
    for (int c = 0; c < 4; ++c) {
      const int oy = (c / 2) * H, ox = (c % 2) * W;
      const float* src = d.test_x.data() + (size_t)cells[c] * in;
      for (int ch = 0; ch < C; ++ch)
        for (int i = 0; i < H; ++i)
          std::memcpy(g.data() + (((size_t)k * C + ch) * 2 * H + oy + i) * 2 * W + ox, src + ((size_t)ch * H + i) * W, sizeof(float) * W);
    }
  }
  return g;
}

// Σ a⁺ inside the cell / Σ a⁺ (0 when Σ a⁺ < 1e-7): the DiFull localisation of one map.
float cell_share(const float* a, int C, int H2, int W2, int y0, int x0, int h, int w) {
  double in = 0, all = 0;
  for (int c = 0; c < C; ++c)
    for (int i = 0; i < H2; ++i)
      for (int j = 0; j < W2; ++j) {
        const float v = std::max(0.0f, a[((size_t)c * H2 + i) * W2 + j]);
        all += v;
        if (i >= y0 && i < y0 + h && j >= x0 && j < x0 + w) in += v;
      }
  return all < 1e-7 ? 0.0f : (float)(in / all);
}

}  // namespace

// ------------------------------------------------------------------------------------------------------
// [SECTION] run_arena
// ------------------------------------------------------------------------------------------------------
// The arena is run a piece at a time (ArenaRun::step): one method's attributions, one sample's metrics,
// one layer of the sanity cascade, the label-randomisation and DiFull comparisons, then the agreement. The
// pieces run in the order the whole run would, with the same random streams, so the report is the same
// however it is sliced. With cfg.resume_ms ≥ 0 a piece's attributions and forward passes go through a
// Resume: a step that runs out of time throws Suspended, and the next step tries the same piece again
// (what it changes besides — the sanity cascade's randomised layer, the samples' random stream — is done
// once, or restored, so that every try computes the same thing).
struct ArenaRun::State {
  enum class Phase { Attribute, Samples, Sanity, Labels, Difull, Agreement, Done };
  Model& model;
  const Dataset& data;
  ArenaConfig cfg;
  Exec exec;
  Net net;
  size_t d = 0;
  int n = 0, nbg = 0, M = 0;
  bool classification = false, image = false, has_mask = false;
  Tensor X, bg;
  std::vector<int> targets;
  std::vector<int> param_layers;
  Model* randomised_labels = nullptr;
  std::vector<Tensor> maps;
  std::vector<bool> usable;
  json methods = json::array();
  std::string report;
  // The method being scored.
  Phase phase = Phase::Attribute;
  int m = 0;
  json out, mt;
  Result r;
  int b = 0;  // the next sample to score
  std::vector<float> mass, rank, point, del, ins, pf, fc, infd, sens, gini, ent, frac;
  std::vector<double> del_curve, ins_curve;
  std::unique_ptr<Rng> rng;
  std::unique_ptr<Model> rm;  // the sanity cascade's copy
  Net rn;
  json sanity_steps;
  size_t s = 0;  // the next cascade step
  // Pieces in tries (cfg.resume_ms ≥ 0).
  std::unique_ptr<Resume> res;
  bool retrying = false;           // this step tries again the piece the last step suspended
  std::unique_ptr<Rng> rng_saved;  // the samples' stream as the piece began
  double method_ms = 0;            // the method's attribution time over its tries

  State(Model& mo, const Dataset& da, ArenaConfig c, const Exec& ex) : model(mo), data(da), cfg(std::move(c)), exec(ex) {}

  void progress(Job* job, double f) const {
    if (!job) return;
    job->check_cancel();
    job->set_progress(std::min(1.0, (m + f) / M));
  }
  // The method is done (or failed): its metrics go into the report.
  void end_method(Job* job, bool report_progress = true) {
    out["metrics"] = mt;
    methods.push_back(out);
    if (report_progress) progress(job, 1.0);
    r = Result();
    rm.reset();
    ++m;
    phase = m < M ? Phase::Attribute : Phase::Agreement;
  }
  void attribute_method(Job* job);
  void score_sample(Job* job);
  void finish_samples();
  void sanity_step(Job* job);
  void labels();
  void difull(Job* job);
  void agreement();
};

ArenaRun::ArenaRun(Model& model, const Dataset& data, ArenaConfig cfg, const Exec& exec) {
  if (cfg.methods.empty()) throw std::invalid_argument("arena: no methods chosen");
  const int n = (int)std::min<size_t>((size_t)cfg.count, data.n_test());
  if (n < 1) throw std::invalid_argument("arena: the test split is empty");
  s_ = std::make_unique<State>(model, data, std::move(cfg), exec);
  State& S = *s_;
  S.n = n;
  S.net = net_of(model, exec);
  S.d = S.net.in_size();
  S.classification = data.task == TaskKind::Classification;
  S.image = S.net.input.size() == 3;
  S.X = batch(S.net.input, n);
  std::memcpy(S.X.data(), data.test_x.data(), (size_t)n * S.d * sizeof(float));
  S.nbg = (int)std::min<size_t>(256, data.n_train());
  S.bg = batch(S.net.input, S.nbg);
  std::memcpy(S.bg.data(), data.train_x.data(), (size_t)S.nbg * S.d * sizeof(float));
  S.has_mask = S.cfg.ground_truth && data.test_mask.size() >= (size_t)n * S.d;
  // Targets: the model's predicted class (the decision being explained), fixed for every method.
  S.targets.assign(n, 0);
  {
    const Tensor y = forward(S.net, S.X);
    const size_t od = S.net.out_size();
    for (int b = 0; b < n; ++b)
      if (S.classification) S.targets[b] = (int)(std::max_element(y.data() + b * od, y.data() + (b + 1) * od) - (y.data() + b * od));
  }
  for (int i = (int)S.net.layers.size() - 1; i >= 0; --i)
    if (detail::is_param_layer(*S.net.layers[i])) S.param_layers.push_back(i);
  if (S.cfg.label_randomised) S.randomised_labels = S.cfg.label_randomised();
  S.M = (int)S.cfg.methods.size();
  if (S.cfg.resume_ms >= 0) S.res = std::make_unique<Resume>(S.cfg.resume_ms);
  S.maps.resize(S.M);
  S.usable.assign(S.M, false);
}

ArenaRun::~ArenaRun() = default;

double ArenaRun::progress() const { return s_->M ? std::min(1.0, (double)s_->m / s_->M) : 1.0; }
const std::string& ArenaRun::report() const { return s_->report; }

bool ArenaRun::step(Job* job) {
  State& S = *s_;
  using Phase = State::Phase;
  if (S.phase == Phase::Done) return true;
  if (S.phase == Phase::Agreement) {
    S.agreement();
    S.phase = Phase::Done;
    return true;
  }
  if (S.res) S.res->begin();
  try {
    switch (S.phase) {
      case Phase::Attribute:
        S.attribute_method(job);
        break;
      case Phase::Samples:
        S.score_sample(job);
        break;
      case Phase::Sanity:
        S.sanity_step(job);
        break;
      case Phase::Labels:
        S.labels();
        break;
      case Phase::Difull:
        S.difull(job);
        break;
      default:
        break;
    }
  } catch (const Suspended&) {  // out of time: the next step tries this piece again
    S.retrying = true;
    return false;
  } catch (const JobCancelled&) {
    throw;
  } catch (const std::exception& e) {  // the method fails; the others still run
    S.out["error"] = e.what();
    S.end_method(job);
  }
  S.retrying = false;
  if (S.res) S.res->clear();
  return false;
}

void ArenaRun::State::attribute_method(Job* job) {
  const Params& p = cfg.methods[m];
  const MethodInfo& info = method_info(p.method);
  std::string label = m < (int)cfg.labels.size() && !cfg.labels[m].empty() ? cfg.labels[m] : info.title;
  out = json{{"name", p.method}, {"label", label}, {"params", json::parse(params_json(p))}};
  mt = json::object();
  Context ctx;
  ctx.background = &bg;
  ctx.job = job;
  ctx.targets = &targets;
  ctx.progress_lo = (double)m / M;
  ctx.progress_hi = (m + 0.4) / M;
  ctx.resume = res.get();
  if (!retrying) method_ms = 0;
  struct Timed {  // this try's time counts, whether it completes or is suspended
    double& total;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    ~Timed() { total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); }
  };
  {
    const Timed timed{method_ms};
    r = attribute(net, p, X, ctx);
  }
  out["ms"] = method_ms / n;
  if (!r.delta.empty()) {
    std::vector<float> ad;
    for (float v : r.delta) ad.push_back(std::fabs(v));
    mt["completeness"] = mean_of(ad);
  }
  if (info.layer_output) {
    out["note"] = "a layer method: its map is not input-shaped, so the input metrics do not apply";
    end_method(job, false);
    return;
  }
  maps[m] = r.map;
  usable[m] = true;
  for (auto* v : {&mass, &rank, &point, &del, &ins, &pf, &fc, &infd, &sens, &gini, &ent, &frac}) v->clear();
  del_curve.assign(cfg.curve_steps + 1, 0.0);
  ins_curve.assign(cfg.curve_steps + 1, 0.0);
  rng = std::make_unique<Rng>(cfg.seed, 0xa7e4a + (uint64_t)m);
  b = 0;
  phase = Phase::Samples;
}

void ArenaRun::State::score_sample(Job* job) {
  const Params& p = cfg.methods[m];
  const float* x = X.data() + (size_t)b * d;
  const float* a = r.map.data() + (size_t)b * d;
  // Every number first, then recorded: a try that is suspended records nothing, and a retry draws the
  // same random numbers.
  if (!retrying)
    rng_saved = std::make_unique<Rng>(*rng);
  else
    *rng = *rng_saved;
  metrics::Localisation loc{};
  if (has_mask) loc = metrics::localisation(a, data.test_mask.data() + (size_t)b * d, d);
  const auto prob = scorer(net, targets[b], true, res.get()), logit = scorer(net, targets[b], false, res.get());
  std::vector<float> base(d, 0.0f);
  const auto dc = metrics::deletion_curve(x, a, base.data(), d, cfg.curve_steps, prob);
  const auto ic = metrics::insertion_curve(x, a, base.data(), d, cfg.curve_steps, prob);
  const int step = std::max<int>(1, (int)(d / (size_t)cfg.curve_steps));
  const float pfv = metrics::pixel_flipping(x, a, base.data(), d, step, logit).auc;
  const int subset = std::max<int>(1, (int)(d / 5));
  const float fcv = metrics::faithfulness_correlation(x, a, base.data(), d, cfg.faithfulness_runs, subset, logit, *rng);
  const float infv = metrics::infidelity(x, a, d, cfg.faithfulness_runs, metrics::baseline_perturbation(base.data(), d, 0.8f), logit, *rng, true);
  float sensv = NAN;
  if (cfg.sensitivity_samples > 0) {
    const std::vector<int> one_target{targets[b]};
    metrics::Explain explain = [&](const float* xp, float* ap) {
      Tensor xt = batch(net.input, 1);
      std::memcpy(xt.data(), xp, d * sizeof(float));
      Context c1;
      c1.background = &bg;
      c1.targets = &one_target;
      c1.resume = res.get();
      const Result r1 = attribute(net, p, xt, c1);
      std::memcpy(ap, r1.map.data(), d * sizeof(float));
    };
    sensv = metrics::sensitivity(x, a, d, 0.02f, cfg.sensitivity_samples, explain, *rng).max;
  }
  if (has_mask) {
    mass.push_back(loc.mass);
    rank.push_back(loc.rank);
    point.push_back(loc.pointing);
  }
  del.push_back(dc.auc);
  ins.push_back(ic.auc);
  frac = dc.frac;
  for (size_t k = 0; k < dc.score.size() && k < del_curve.size(); ++k) del_curve[k] += dc.score[k] / n;
  for (size_t k = 0; k < ic.score.size() && k < ins_curve.size(); ++k) ins_curve[k] += ic.score[k] / n;
  pf.push_back(pfv);
  fc.push_back(fcv);
  infd.push_back(infv);
  gini.push_back(metrics::gini(a, d));
  ent.push_back(metrics::entropy(a, d));
  if (cfg.sensitivity_samples > 0) sens.push_back(sensv);
  progress(job, 0.4 + 0.3 * (b + 1) / n);
  if (++b < n) return;
  finish_samples();
  if (cfg.sanity && !param_layers.empty()) {
    // Sanity: cascading randomisation, top layer first; Spearman(|a|, |a_randomised|) after each step.
    rm = model.clone();
    rn = net_of(*rm, exec);
    sanity_steps = json::array();
    s = 0;
    phase = Phase::Sanity;
  } else {
    phase = Phase::Labels;
  }
}

void ArenaRun::State::finish_samples() {
  if (has_mask) {
    mt["mass"] = mean_of(mass);
    mt["rank"] = mean_of(rank);
    mt["pointing"] = mean_of(point);
  }
  mt["deletionAuc"] = mean_of(del);
  mt["insertionAuc"] = mean_of(ins);
  mt["pixelFlippingAuc"] = mean_of(pf);
  mt["faithfulnessCorrelation"] = mean_of(fc);
  mt["infidelity"] = mean_of(infd);
  if (!sens.empty()) mt["maxSensitivity"] = mean_of(sens);
  mt["gini"] = mean_of(gini);
  mt["entropy"] = mean_of(ent);
  out["curves"] = {{"frac", frac}, {"deletion", del_curve}, {"insertion", ins_curve}};
}

void ArenaRun::State::sanity_step(Job* job) {
  const Params& p = cfg.methods[m];
  if (!retrying) randomise(*rn.layers[param_layers[s]], cfg.seed + 1 + s);  // once, not again on a retry
  Context c2;
  c2.background = &bg;
  c2.job = job;
  c2.targets = &targets;
  c2.resume = res.get();
  const Result rr = attribute(rn, p, X, c2);
  std::vector<float> rho;
  for (int i = 0; i < n; ++i) {
    const auto a0 = absv(r.map.data() + (size_t)i * d, d), a1 = absv(rr.map.data() + (size_t)i * d, d);
    rho.push_back(metrics::spearman(a0.data(), a1.data(), d));
  }
  sanity_steps.push_back(mean_of(rho));
  progress(job, 0.7 + 0.2 * (s + 1) / param_layers.size());
  if (++s < param_layers.size()) return;
  out["sanity"] = sanity_steps;
  mt["sanity"] = sanity_steps.back();
  phase = Phase::Labels;
}

void ArenaRun::State::labels() {
  if (randomised_labels) {
    const Params& p = cfg.methods[m];
    const Net ln = net_of(*randomised_labels, exec);
    Context c3;
    c3.background = &bg;
    c3.targets = &targets;
    c3.resume = res.get();
    const Result rl = attribute(ln, p, X, c3);
    std::vector<float> rho;
    for (int i = 0; i < n; ++i) {
      const auto a0 = absv(r.map.data() + (size_t)i * d, d), a1 = absv(rl.map.data() + (size_t)i * d, d);
      rho.push_back(metrics::spearman(a0.data(), a1.data(), d));
    }
    mt["labelRandomisation"] = mean_of(rho);
  }
  phase = Phase::Difull;
}

// DiFull: grids of four test images; heads 0 (top left) and 3 (bottom right) see only their cell.
void ArenaRun::State::difull(Job* job) {
  if (cfg.difull && image && classification) {
    const Params& p = cfg.methods[m];
    const int C = net.input[0], H = net.input[1], W = net.input[2], G = std::min(n, 8);
    Rng grng(cfg.seed, 0xd1f);
    const Tensor grids = difull_grids(data, G, grng);
    Rng brng(cfg.seed, 0xd1f + 1);
    const Tensor gbg = difull_grids(data, std::min(32, std::max(4, nbg / 8)), brng);
    std::vector<float> share;
    for (int head : {0, 3}) {
      const int y0 = (head / 2) * H, x0 = (head % 2) * W;
      const Net hn = crop_net(model, exec, {C, 2 * H, 2 * W}, y0, x0);
      const Tensor y = forward(hn, grids, res.get());
      std::vector<int> ht(G);
      const size_t od = hn.out_size();
      for (int g = 0; g < G; ++g) ht[g] = (int)(std::max_element(y.data() + g * od, y.data() + (g + 1) * od) - (y.data() + g * od));
      Context c4;
      c4.background = &gbg;
      c4.job = job;
      c4.targets = &ht;
      c4.resume = res.get();
      const Result rg = attribute(hn, p, grids, c4);
      for (int g = 0; g < G; ++g) share.push_back(cell_share(rg.map.data() + (size_t)g * hn.in_size(), C, 2 * H, 2 * W, y0, x0, H, W));
    }
    mt["difull"] = mean_of(share);
  }
  end_method(job);
}

// Agreement: Spearman of |maps| between input-shaped methods, mean over samples; then the report.
void ArenaRun::State::agreement() {
  json agree = json::array();
  for (int a = 0; a < M; ++a) {
    json row = json::array();
    for (int c = 0; c < M; ++c) {
      if (!usable[a] || !usable[c]) {
        row.push_back(nullptr);
        continue;
      }
      std::vector<float> rho;
      for (int i = 0; i < n; ++i) {
        const auto x0 = absv(maps[a].data() + (size_t)i * d, d), x1 = absv(maps[c].data() + (size_t)i * d, d);
        rho.push_back(metrics::spearman(x0.data(), x1.data(), d));
      }
      row.push_back(mean_of(rho));
    }
    agree.push_back(row);
  }
  json layers = json::array();
  for (int i : param_layers) layers.push_back(net.layers[i]->type() + " " + std::to_string(i));
  json rep{{"samples", n},           {"hasMask", has_mask}, {"difull", cfg.difull && image && classification},
           {"sanityLayers", layers}, {"methods", methods},  {"agreement", agree}};
  report = rep.dump();
}

std::string run_arena(Model& model, const Dataset& data, const ArenaConfig& cfg, const Exec& exec, Job* job) {
  ArenaRun run(model, data, cfg, exec);
  while (!run.step(job)) {
  }
  return run.report();
}

}  // namespace lab::attr
