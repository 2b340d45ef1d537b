// The Network surface (nn/network.h): accumulating gradients with zero_grad, trainable parameters and
// state, probes, stable layer ids — and the ids wherever a layer index is accepted (weights, weight
// edits in the history, attribution layers).
// Run alone with: core_tests "[network]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/rng.h"
#include "nn/loss.h"
#include "nn/model.h"
#include "session/lab.h"
#include "tolerances.h"

using namespace lab;
using json = nlohmann::json;

namespace {

using testing::kClosedFormTol;  // tests/tolerances.h
using testing::kSumRoundingTol;

void fill(Tensor& t, Rng& rng) {
  for (size_t i = 0; i < t.size(); ++i) t.at(i) = rng.uniform(-1, 1);
}

void wait_done(Job& j) {
  while (!j.finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  INFO(j.error());
  REQUIRE(j.state() == Job::State::Done);
}

const char* kSpec = R"({"seed": 3, "data": {"name": "circle", "n": 120},
  "model": {"layers": [{"type": "dense", "units": 6, "activation": "tanh", "id": "hidden"},
                       {"type": "batchnorm", "id": "norm"}, {"type": "dense", "units": 2, "id": "out"}]},
  "optimizer": {"name": "adam", "lr": 0.01}, "batch_size": 12})";

}  // namespace

TEST_CASE("backward adds to the gradients; zero_grad clears them; state has no gradient", "[network]") {
  Rng rng(5);
  Model m({1, 5, 5},
          {{"conv2d", {{"filters", 2}, {"kernel", 3}}, {{"activation", "relu"}}},
           {"batchnorm", {}, {}},
           {"flatten", {}, {}},
           {"dense", {{"units", 3}}, {}}},
          "glorot_uniform", rng);
  Tensor x({4, 1, 5, 5}), dout;
  fill(x, rng);
  const int labels[4] = {0, 2, 1, 2};
  LayerCtx ctx{Exec{}, false, nullptr};
  auto grads = [&] {
    std::vector<std::vector<float>> g;
    for (Param& p : m.trainable_params()) g.emplace_back(p.grad->data(), p.grad->data() + p.grad->size());
    return g;
  };
  m.zero_grad();
  m.forward(x, ctx);
  loss("softmax_cross_entropy").compute(m.output(), {labels, nullptr}, &dout);
  m.backward(dout, ctx);
  const auto once = grads();
  m.backward(dout, ctx);  // the same pass again: every gradient doubles
  const auto twice = grads();
  REQUIRE(once.size() == twice.size());
  for (size_t i = 0; i < once.size(); ++i)
    for (size_t k = 0; k < once[i].size(); ++k)  // the second pass adds its partial sums one by one: rounding only
      CHECK(twice[i][k] == Approx(2 * once[i][k]).epsilon(kSumRoundingTol).margin(kSumRoundingTol));
  m.zero_grad();
  for (const auto& g : grads())
    for (float v : g) CHECK(v == 0.0f);
  // Trainable: conv weight, bias, batchnorm weight, bias, dense weight, bias; state: running statistics.
  CHECK(m.trainable_params().size() == 6);
  CHECK(m.params().size() == 8);
  for (Param& p : m.params())
    if (!p.trainable) CHECK((p.grad == nullptr && (p.name == "running_mean" || p.name == "running_var")));
}

TEST_CASE("probes: one per layer, named by id or layer<i>, (B, T = 1, N)", "[network]") {
  Rng rng(2);
  Model m({2}, {{"dense", {{"units", 3}}, {{"activation", "tanh"}, {"id", "h"}}}, {"dense", {{"units", 2}}, {}}}, "glorot_uniform", rng);
  const auto probes = m.probes();
  REQUIRE(probes.size() == 3);  // dense h, its tanh, the output dense
  CHECK(probes[0].name == "h");
  CHECK(probes[1].name == "layer1");
  CHECK(probes[2].name == "layer2");
  CHECK(probes[0].units == 3);
  Tensor x({5, 2});
  fill(x, rng);
  LayerCtx ctx{Exec{}, false, nullptr};
  m.forward(x, ctx);
  const Tensor a = m.probe("h");
  CHECK(a.shape() == Shape{5, 1, 3});
  CHECK(std::memcmp(a.data(), m.activations(0).data(), a.size() * sizeof(float)) == 0);
  CHECK_THROWS_WITH(m.probe("nope"), Catch::Contains("no probe named 'nope'"));
  CHECK(m.layer_index("h") == 0);
  CHECK(m.layer_index("nope") == -1);
}

TEST_CASE("layer ids: checked, unique, and accepted wherever a layer index is", "[network]") {
  Rng rng(1);
  CHECK_THROWS_WITH(Model({2}, {{"dense", {{"units", 2}}, {{"id", "1x"}}}}, "glorot_uniform", rng),
                    Catch::Contains("id '1x' must be a name"));
  CHECK_THROWS_WITH(Model({2}, {{"dense", {{"units", 2}}, {{"id", "a"}}}, {"dense", {{"units", 2}}, {{"id", "a"}}}}, "glorot_uniform", rng),
                    Catch::Contains("id 'a' is used by another layer"));

  Lab lab(2);
  lab.load(kSpec);
  CHECK(lab.weights("out", "weight") == lab.weights(3, "weight"));  // dense h (0), its tanh (1), norm (2), out (3)
  CHECK(lab.weights("norm", "running_var") == std::vector<float>(6, 1.0f));
  CHECK_THROWS_WITH(lab.weights("outt", "weight"), Catch::Contains("no layer has the id 'outt' (ids: hidden, norm, out)"));
  auto t = lab.train_async(20);
  wait_done(*t);
  // A weight edit by id is logged by id and replays to the same weights.
  lab.set_weight("out", "bias", 1, 0.75f);
  lab.set_weight("norm", "running_mean", 2, -0.5f);
  auto t2 = lab.train_async(7);
  wait_done(*t2);
  const json h = json::parse(lab.history_json());
  CHECK(h["events"][0]["weight"]["layer"] == "out");
  CHECK(h["events"][1]["weight"]["param"] == "running_mean");
  const std::string digest = lab.digest();
  Lab other(1);
  auto r = other.replay_async(h.dump());
  wait_done(*r);
  CHECK(other.digest() == digest);
  // Attribution layers by id.
  const std::vector<float> x = lab.samples("test", 0, 2);
  auto a1 = lab.attribute_async("layer_activation", x, 2, R"({"layer": "hidden"})");
  auto a2 = lab.attribute_async("layer_activation", x, 2, R"({"layer": 0})");
  wait_done(*a1);
  wait_done(*a2);
  CHECK(a1->result == a2->result);
  CHECK_THROWS_WITH(lab.attribute_async("layer_activation", x, 2, R"({"layer": "nope"})"), Catch::Contains("no layer has the id 'nope'"));
}

TEST_CASE("hooks: record, replace, mask and add at a probe; the gradient through them; errors", "[network][hooks]") {
  Rng rng(9);
  Model m({3}, {{"dense", {{"units", 4}}, {{"activation", "tanh"}, {"id", "h"}}}, {"dense", {{"units", 2}}, {{"id", "out"}}}},
          "glorot_uniform", rng);
  Tensor x({2, 3});
  fill(x, rng);
  LayerCtx ctx{Exec{}, false, nullptr};
  m.forward(x, ctx);
  const Tensor plain = m.output();
  const Tensor tanh_out = m.activations(1);  // (2, 4): the probe "layer1"

  // record: the activity as it was.
  std::vector<Hook> rec = {{.probe = "layer1", .kind = HookKind::Record}};
  m.set_hooks(&rec);
  m.forward(x, ctx);
  CHECK(rec[0].recorded.shape() == Shape{2, 1, 4});
  CHECK(std::memcmp(rec[0].recorded.data(), tanh_out.data(), tanh_out.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(m.output().data(), plain.data(), plain.size() * sizeof(float)) == 0);

  // mask unit 2 by 0 (ablation) = replace it by 0; the output moves by −W[:, 2]·a₂.
  std::vector<Hook> ablate = {{.probe = "layer1", .kind = HookKind::Mask, .units = {2}, .value = {0.0f}}};
  m.set_hooks(&ablate);
  m.forward(x, ctx);
  const Tensor ablated = m.output();
  std::vector<Hook> patch = {{.probe = "layer1", .kind = HookKind::Replace, .units = {2}, .value = {0.0f}}};
  m.set_hooks(&patch);
  m.forward(x, ctx);
  CHECK(std::memcmp(m.output().data(), ablated.data(), ablated.size() * sizeof(float)) == 0);
  const Tensor& W = *m.layer(2).params()[0].value;  // (2, 4)
  for (int b = 0; b < 2; ++b)
    for (int o = 0; o < 2; ++o)
      CHECK(ablated.at(b * 2 + o) == Approx(plain.at(b * 2 + o) - W.at(o * 4 + 2) * tanh_out.at(b * 4 + 2)).margin(kClosedFormTol));

  // add (steering) 0.5 to unit 1: the output moves by W[:, 1]·0.5.
  std::vector<Hook> steer = {{.probe = "layer1", .kind = HookKind::Add, .units = {1}, .value = {0.5f}}};
  m.set_hooks(&steer);
  m.forward(x, ctx);
  for (int b = 0; b < 2; ++b)
    for (int o = 0; o < 2; ++o)
      CHECK(m.output().at(b * 2 + o) == Approx(plain.at(b * 2 + o) + 0.5f * W.at(o * 4 + 1)).margin(kClosedFormTol));

  // The gradient through an ablated unit is zero: the first layer's weights into unit 2 get none.
  m.set_hooks(&ablate);
  m.forward(x, ctx);
  Tensor dout({2, 2});
  fill(dout, rng);
  m.zero_grad();
  m.backward(dout, ctx);
  const Tensor& dW0 = *m.layer(0).params()[0].grad;  // (4, 3)
  for (int k = 0; k < 3; ++k) CHECK(dW0.at(2 * 3 + k) == 0.0f);
  CHECK(dW0.at(0) != 0.0f);
  m.set_hooks(nullptr);

  // record also keeps the gradient at the probe; without parameter or input gradients, the backward
  // stops there.
  for (bool stop_early : {false, true}) {
    std::vector<Hook> rg = {{.probe = "h", .kind = HookKind::Record}};
    m.set_hooks(&rg);
    LayerCtx c{Exec{}, false, nullptr};
    c.param_grads = !stop_early;
    m.forward(x, c);
    m.zero_grad();
    m.backward(dout, c, false);
    REQUIRE(rg[0].recorded_grad.shape() == Shape{2, 1, 4});
    // d(out)/d(h) = W2ᵀ dout, then through tanh: the dense layer's gradient is recorded before the tanh layer.
    for (int b = 0; b < 2; ++b)
      for (int u = 0; u < 4; ++u) {
        double g = 0;
        for (int o = 0; o < 2; ++o) g += (double)W.at(o * 4 + u) * dout.at(b * 2 + o);
        const double a = m.activations(1).at(b * 4 + u);
        CHECK(rg[0].recorded_grad.at(b * 4 + u) == Approx(g * (1 - a * a)).margin(kClosedFormTol));
      }
    // Early stop: the first dense layer ran no backward, so its weight gradient stays zero.
    const Tensor& g0 = *m.layer(0).params()[0].grad;
    double norm = 0;
    for (size_t i = 0; i < g0.size(); ++i) norm += std::fabs(g0.at(i));
    CHECK((norm == 0) == stop_early);
    m.set_hooks(nullptr);
  }

  std::vector<Hook> bad = {{.probe = "nope", .kind = HookKind::Record}};
  CHECK_THROWS_WITH(m.set_hooks(&bad), Catch::Contains("hook: no probe named 'nope'"));
  bad = {{.probe = "h", .kind = HookKind::Mask, .units = {7}, .value = {0.0f}}};
  CHECK_THROWS_WITH(m.set_hooks(&bad), Catch::Contains("unit 7 is out of range (the probe has units 0 to 3)"));
  bad = {{.probe = "h", .kind = HookKind::Add, .value = {1.0f, 2.0f, 3.0f}}};
  CHECK_THROWS_WITH(m.set_hooks(&bad), Catch::Contains("value must hold 4 numbers"));
}

TEST_CASE("Lab::intervene runs hooks on a copy of the network", "[network][hooks]") {
  Lab lab(1);
  lab.load(kSpec);
  const std::vector<float> x = lab.samples("test", 0, 3);
  const std::string digest = lab.digest();
  const Lab::Intervention r = lab.intervene(x, 3, R"([{"probe": "hidden", "kind": "record"},
      {"probe": "hidden", "kind": "mask", "units": [0, 1], "value": [0, 0]}, {"probe": "hidden", "kind": "record"}])");
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].second.size() == 3 * 6);
  CHECK(r.records[1].second[0] == 0.0f);  // unit 0 of sample 0 after the mask
  CHECK(r.records[0].second[2] == r.records[1].second[2]);
  CHECK(r.outputs.size() == 3 * 2);
  CHECK(r.outputs != lab.predict(x, 3));
  CHECK(lab.intervene(x, 3, "[]").outputs == lab.predict(x, 3));
  CHECK(lab.digest() == digest);
  CHECK_THROWS_WITH(lab.intervene(x, 3, R"([{"probe": "hidden", "kind": "zap"}])"),
                    Catch::Contains("kind must be one of record, replace, mask, add"));
  CHECK_THROWS_WITH(lab.intervene(x, 2, "[]"), Catch::Contains("2 inputs of 2 values need 4 numbers, got 6"));
}
