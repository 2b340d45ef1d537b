// Golden tests: the core against PyTorch (1.13, CPU, float32) on fixed models, batches and weights.
//
// Fixtures: tests/data/golden/<name>.json, written by tests/golden/generate.py (its header describes
// the format). Regenerate them after changing the generator with
//   /usr/bin/python3 tests/golden/generate.py
// and commit the script with the JSON files. Each fixture is checked for: the forward output, the
// loss, every parameter gradient, the input gradient, and the parameters (and batchnorm's running
// statistics) after 10 steps of every optimizer configuration (sgd, momentum, nesterov + weight decay, adam, adamw, rmsprop, adagrad),
// each once with the fast kernels on the calling thread and once with the reference kernels on a pool.
// LAB_GOLDEN_REPORT=1 prints the largest error of every comparison.
//
// [SECTION] tolerances · [SECTION] fixture reading · [SECTION] comparison · [SECTION] tests
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/rng.h"
#include "base/thread_pool.h"
#include "nn/activations.h"
#include "nn/layer.h"
#include "nn/loss.h"
#include "nn/model.h"
#include "optim/optimizer.h"
#include "tolerances.h"

using namespace lab;
using json = nlohmann::json;

namespace {

// [SECTION] tolerances --------------------------------------------------------------------------------
// The tolerances and their reasons: tests/tolerances.h (Tol, kForwardTol, kGradTol, kStepLossTol, kStepsTol).
using testing::kForwardTol;
using testing::kGradTol;
using testing::kStepLossTol;
using testing::kStepsTol;
using testing::Tol;

constexpr int kFixtureVersion = 1;  // = FIXTURE_VERSION in tests/golden/generate.py
const char* const kFixtures[] = {"mlp_ce", "mlp_mse", "cnn_bce", "cnn_ce", "norm_mlp", "norm_cnn"};

// [SECTION] fixture reading ---------------------------------------------------------------------------

json read_fixture(const std::string& name) {
  const std::string path = std::string(LAB_TEST_DATA_DIR) + "/golden/" + name + ".json";
  std::ifstream f(path);
  INFO("fixture " << path << " (regenerate: /usr/bin/python3 tests/golden/generate.py)");
  REQUIRE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  json j = json::parse(ss.str());
  REQUIRE(j.at("fixture_version").get<int>() == kFixtureVersion);
  return j;
}

Shape shape_of(const json& t) { return t.at("shape").get<Shape>(); }

Tensor tensor_of(const json& t) {
  Tensor x(shape_of(t));
  const auto& d = t.at("data");
  REQUIRE(d.size() == x.size());
  for (size_t i = 0; i < x.size(); ++i) x.at(i) = d[i].get<float>();
  return x;
}

std::vector<LayerSpec> specs_of(const json& layers) {
  std::vector<LayerSpec> specs;
  for (const auto& l : layers)
    specs.push_back({l.at("type").get<std::string>(), l.at("num").get<std::map<std::string, double>>(),
                     l.at("str").get<std::map<std::string, std::string>>()});
  return specs;
}

// The fixture lists every field of every optimizer; each optimizer takes its own (its registry entry's).
OptimizerConfig config_of(const json& c) {
  const std::string name = c.at("name").get<std::string>();
  json fields = json::object();
  for (const ParamSpec& p : optimizer_registry().at(name).params) fields[p.name] = c.at(p.name);
  return optimizer_config(name, fields);
}

// The fixture's batch and targets, kept alive for lab::Targets' pointers.
struct Batch {
  Tensor x;
  std::vector<int> labels;
  Tensor values;
  Targets targets() const {
    Targets t;
    if (!labels.empty())
      t.labels = labels.data();
    else
      t.values = values.data();
    return t;
  }
};

Batch batch_of(const json& fx) {
  Batch b;
  b.x = tensor_of(fx.at("input"));
  const json& t = fx.at("targets");
  if (t.contains("labels"))
    b.labels = t.at("labels").get<std::vector<int>>();
  else
    b.values = tensor_of(t.at("values"));
  return b;
}

// Sets every parameter from a fixture list (same order, names and shapes, or the test fails).
void set_params(Model& m, const json& ps) {
  auto params = m.params();
  REQUIRE(params.size() == ps.size());
  for (size_t i = 0; i < params.size(); ++i) {
    INFO("parameter " << i);
    REQUIRE(params[i].name == ps[i].at("name").get<std::string>());
    REQUIRE(params[i].value->shape() == shape_of(ps[i]));
    *params[i].value = tensor_of(ps[i]);
  }
}

// [SECTION] comparison --------------------------------------------------------------------------------

// Compares `ours` with the fixture's values; one CHECK per array, failing with the worst entry.
void compare(const std::string& what, const float* ours, size_t n, const json& ref, Tol tol) {
  REQUIRE(n > 0);
  REQUIRE(ref.size() == n);
  double worst = 0, worst_abs = 0, worst_rel = 0;  // worst: err / allowed
  size_t at = 0;
  for (size_t i = 0; i < n; ++i) {
    const double r = ref[i].get<double>(), e = std::fabs((double)ours[i] - r);
    const double ratio = e / (tol.abs + tol.rel * std::fabs(r));
    if (!(ratio <= worst)) {  // also catches NaN
      worst = std::isnan(ratio) ? INFINITY : ratio;
      at = i;
    }
    worst_abs = std::max(worst_abs, e);
    if (std::fabs(r) > 1e-3) worst_rel = std::max(worst_rel, e / std::fabs(r));
  }
  if (std::getenv("LAB_GOLDEN_REPORT"))
    std::printf("golden %-48s n=%-5zu max abs %.2e  max rel (|ref|>1e-3) %.2e  worst/allowed %.3f\n", what.c_str(), n, worst_abs, worst_rel,
                worst);
  INFO(what << ": entry " << at << " is " << ours[at] << ", PyTorch " << ref[at].get<double>() << " (max abs err " << worst_abs
            << ", allowed " << tol.abs << " + " << tol.rel << "·|ref|)");
  CHECK(worst <= 1.0);
}

void compare(const std::string& what, const Tensor& ours, const json& ref, Tol tol) {
  INFO(what);
  REQUIRE(ours.shape() == shape_of(ref));
  compare(what, ours.data(), ours.size(), ref.at("data"), tol);
}

// grads: the trainable parameters' gradients; else every parameter and state tensor's value.
void compare_params(const std::string& what, Model& m, const json& ref, bool grads, Tol tol) {
  auto params = grads ? m.trainable_params() : m.params();
  REQUIRE(params.size() == ref.size());
  for (size_t i = 0; i < params.size(); ++i)
    compare(what + " param " + std::to_string(i) + " (" + params[i].name + ")", grads ? *params[i].grad : *params[i].value, ref[i], tol);
}

// [SECTION] tests -------------------------------------------------------------------------------------

void check_fixture(const std::string& name, Exec exec, const std::string& mode) {
  const json fx = read_fixture(name);
  const std::string tag = name + " [" + mode + "]";
  Rng rng(1);  // the initial weights are replaced by the fixture's
  Model m(fx.at("input_shape").get<Shape>(), specs_of(fx.at("layers")), "glorot_uniform", rng);
  set_params(m, fx.at("params"));
  const Batch b = batch_of(fx);
  const LossInfo& loss = lab::loss(fx.at("loss").get<std::string>());
  // "train": batchnorm uses the batch's statistics and updates its running ones (compared after the steps).
  const bool training = fx.value("mode", std::string("eval")) == "train";
  LayerCtx ctx{exec, training, nullptr};
  Tensor dout;

  // Forward, loss, backward.
  m.forward(b.x, ctx);
  compare(tag + " output", m.output(), fx.at("output"), kForwardTol);
  const float l = loss.compute(m.output(), b.targets(), &dout);
  compare(tag + " loss", &l, 1, json::array({fx.at("loss_value")}), kForwardTol);
  m.zero_grad();
  m.backward(dout, ctx, true);
  compare_params(tag + " grad", m, fx.at("grads"), true, kGradTol);
  compare(tag + " input grad", m.input_grad(), fx.at("input_grad"), kGradTol);

  // Training: each optimizer from the initial parameters.
  for (const auto& o : fx.at("optimizers")) {
    const std::string what = tag + " " + o.at("label").get<std::string>();
    set_params(m, fx.at("params"));
    const OptimizerConfig cfg = config_of(o.at("config"));
    auto opt = make_optimizer(cfg);
    const int steps = o.at("steps").get<int>();
    std::vector<float> losses;
    for (int s = 0; s < steps; ++s) {
      m.forward(b.x, ctx);
      losses.push_back(loss.compute(m.output(), b.targets(), &dout));
      m.zero_grad();
      m.backward(dout, ctx, false);
      opt->step(m.trainable_params(), cfg.lr());
    }
    compare(what + " losses", losses.data(), losses.size(), o.at("losses"), kStepLossTol);
    compare_params(what + " after " + std::to_string(steps) + " steps", m, o.at("params"), false, kStepsTol);
  }
}

}  // namespace

TEST_CASE("golden: fixtures cover every layer type, activation, loss and optimizer", "[golden]") {
  std::set<std::string> layers, activations, losses, optimizers;
  for (const char* name : kFixtures) {
    const json fx = read_fixture(name);
    losses.insert(fx.at("loss").get<std::string>());
    for (const auto& l : fx.at("layers")) {
      layers.insert(l.at("type").get<std::string>());
      if (l.at("str").contains("activation")) activations.insert(l.at("str").at("activation").get<std::string>());
    }
    for (const auto& o : fx.at("optimizers")) optimizers.insert(o.at("config").at("name").get<std::string>());
  }
  for (const auto& l : layer_registry()) {
    INFO("layer type " << l.name << " has no golden fixture");
    CHECK(layers.count(l.name));
  }
  for (const auto& a : activation_registry()) {
    INFO("activation " << a.name << " has no golden fixture");
    CHECK(activations.count(a.name));
  }
  for (const auto& l : loss_registry()) {
    INFO("loss " << l.name << " has no golden fixture");
    CHECK(losses.count(l.name));
  }
  for (const auto& o : optimizer_registry()) {
    INFO("optimizer " << o.name << " has no golden fixture");
    CHECK(optimizers.count(o.name));
  }
}

TEST_CASE("golden: forward, loss, gradients and 10 optimizer steps match PyTorch", "[golden]") {
  ThreadPool pool(3);
  for (const char* name : kFixtures) {
    check_fixture(name, Exec{nullptr, false}, "fast kernels");
    check_fixture(name, Exec{&pool, true}, "reference kernels, 3 threads");
  }
}
