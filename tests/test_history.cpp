// The run's history: event log, replay bit for bit, reset, weight edits, stop conditions, input features.
#include <catch2/catch.hpp>

#include "tolerances.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "session/lab.h"

using namespace lab;
using json = nlohmann::json;

namespace {
void wait_done(const std::shared_ptr<Job>& j) {
  for (int i = 0; i < 120000 && !j->finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(j->finished());
  INFO(j->error());
  REQUIRE(j->state() == Job::State::Done);
}
void train(Lab& lab, long long n) { wait_done(lab.train_async(n, false)); }

const char* kSpiral = R"({"seed": 7, "data": {"name": "spiral", "n": 200, "noise": 0.1},
  "model": {"layers": [{"type": "dense", "units": 8, "activation": "tanh"}, {"type": "dense", "units": 2}]},
  "optimizer": {"name": "sgd", "lr": 0.05}, "batch_size": 10})";
}  // namespace

TEST_CASE("history: the log of a run replays to the same digest, on any thread count", "[history]") {
  Lab a(2);
  a.load(kSpiral);
  train(a, 37);
  a.set_hyperparameters(R"({"optimizer": {"lr": 0.01}})");
  train(a, 20);
  a.set_weight(0, "weight", 3, 0.25f);
  a.set_weight(2, "bias", 1, -0.5f);
  train(a, 11);
  a.reset();
  train(a, 5);
  a.set_hyperparameters(R"({"batch_size": 7, "optimizer": {"name": "adam", "lr": 0.02}})");
  train(a, 30);
  const std::string digest = a.digest();
  const json h = json::parse(a.history_json());
  REQUIRE(h["step"] == 35);
  REQUIRE(h["events"].size() == 5);
  REQUIRE(h["events"][0]["at"] == 37);
  REQUIRE(h["events"][1]["weight"]["value"] == 0.25);
  REQUIRE(h["events"][3]["reset"] == true);
  REQUIRE(h["events"][3]["at"] == 68);
  REQUIRE(h["reproducible"] == true);

  for (int threads : {1, 2}) {
    Lab b(threads);
    wait_done(b.replay_async(h.dump()));
    REQUIRE(b.digest() == digest);
    REQUIRE(json::parse(b.history_json()) == h);
  }
  // A step before the last event cannot be reached; the lab stays as it was.
  Lab c(1);
  auto j = c.replay_async(h.dump(), 2);
  for (int i = 0; i < 60000 && !j->finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(j->state() == Job::State::Failed);
  REQUIRE_THAT(j->error(), Catch::Contains("before the last event"));
  REQUIRE(!c.has_experiment());
}

TEST_CASE("history: reset gives the same initial weights; load starts a new log", "[history]") {
  Lab lab(1);
  lab.load(kSpiral);
  const std::string d0 = lab.digest();
  train(lab, 10);
  REQUIRE(lab.digest() != d0);
  lab.reset();
  REQUIRE(lab.digest() == d0);
  REQUIRE(json::parse(lab.metrics_json())["step"] == 0);
  lab.load(kSpiral);
  REQUIRE(json::parse(lab.history_json())["events"].empty());
}

TEST_CASE("history: bad histories and weight edits are refused and change nothing", "[history]") {
  Lab lab(1);
  lab.load(kSpiral);
  train(lab, 3);
  const std::string d = lab.digest();
  REQUIRE_THROWS_WITH(lab.set_weight(9, "weight", 0, 1), Catch::Contains("layer 9 does not exist"));
  REQUIRE_THROWS_WITH(lab.set_weight(1, "weight", 0, 1), Catch::Contains("has no parameter 'weight'"));  // the tanh layer
  REQUIRE_THROWS_WITH(lab.set_weight(0, "weight", 16, 1), Catch::Contains("out of range"));
  REQUIRE_THROWS_WITH(lab.set_weight(0, "weight", 0, NAN), Catch::Contains("finite"));
  REQUIRE(lab.digest() == d);
  REQUIRE_THROWS_WITH(lab.replay_async("{nope"), Catch::Contains("not valid JSON"));
  REQUIRE_THROWS_WITH(lab.replay_async(R"({"spec": {"data": {"name": "nope"}}})"), Catch::Contains("not a known dataset"));
  REQUIRE_THROWS_WITH(lab.replay_async(R"({"spec": {}, "events": [{"at": 5, "set": {}, "reset": true}]})"), Catch::Contains("exactly one"));
  REQUIRE_THROWS_WITH(lab.replay_async(R"({"spec": {}, "events": [{"at": 5, "reset": true}, {"at": 9, "set": {}}, {"at": 2, "set": {}}]})"),
                      Catch::Contains("before the previous event"));
  // A history whose event cannot apply fails the job, and the current experiment stays.
  auto j = lab.replay_async(std::string(R"({"spec": )") + kSpiral +
                            R"(, "events": [{"at": 2, "weight": {"layer": 0, "param": "weight", "index": 999, "value": 1}}]})");
  for (int i = 0; i < 60000 && !j->finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(j->state() == Job::State::Failed);
  REQUIRE_THAT(j->error(), Catch::Contains("history.events[0]") && Catch::Contains("out of range"));
  REQUIRE(lab.digest() == d);
}

TEST_CASE("stop conditions end a run at an epoch boundary, the same step whatever the chunking", "[history]") {
  const std::string spec = R"({"seed": 3, "data": {"name": "circle", "n": 200, "noise": 0},
    "model": {"layers": [{"type": "dense", "units": 6, "activation": "tanh"}, {"type": "dense", "units": 2}]},
    "optimizer": {"name": "adam", "lr": 0.03}, "batch_size": 10, "stop": {"test_accuracy": 0.9}})";
  long long stop_step = -1;
  std::string digest;
  for (long long chunk : {1000LL, 7LL, 33LL}) {
    Lab lab(1);
    lab.load(spec);
    json m;
    for (int k = 0; k < 400; ++k) {
      wait_done(lab.train_until_async(chunk));
      m = json::parse(lab.metrics_json());
      if (m["stopped"] == true) break;
    }
    REQUIRE(m["stopped"] == true);
    REQUIRE(m["testAccuracy"].get<double>() >= 0.9);
    REQUIRE_THAT(m["stopReason"].get<std::string>(), Catch::Contains("target test accuracy"));
    REQUIRE(m["step"].get<long long>() % 10 == 0);  // 100 training samples, batch 10: epochs end every 10 steps
    if (stop_step < 0) {
      stop_step = m["step"];
      digest = lab.digest();
    }
    REQUIRE(m["step"] == stop_step);
    REQUIRE(lab.digest() == digest);
    // Stopped runs do not train on until the condition changes.
    wait_done(lab.train_until_async(50));
    REQUIRE(json::parse(lab.metrics_json())["step"] == stop_step);
    lab.set_hyperparameters(R"({"stop": {"test_accuracy": 0, "epochs": 1000}})");
    wait_done(lab.train_until_async(5));
    REQUIRE(json::parse(lab.metrics_json())["step"] == stop_step + 5);
  }
  Lab e(1);
  e.load(
      R"({"data": {"name": "xor", "n": 100}, "model": {"layers": [{"type": "dense", "units": 2}]}, "batch_size": 10, "stop": {"epochs": 3}})");
  wait_done(e.train_until_async(1000));
  REQUIRE(json::parse(e.metrics_json())["step"] == 15);
  REQUIRE_THAT(json::parse(e.metrics_json())["stopReason"].get<std::string>(), Catch::Contains("reached 3 epochs"));
}

TEST_CASE("input features: 2-D inputs become the chosen features", "[history]") {
  Lab lab(1);
  lab.load(R"({"seed": 1, "data": {"name": "circle", "n": 100, "features": ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]},
    "model": {"layers": [{"type": "dense", "units": 2}]}})");
  const json info = json::parse(lab.info_json());
  REQUIRE(info["inputShape"] == json::array({7}));
  REQUIRE(info["featureNames"][2] == "x1sq");
  REQUIRE(info["rawPlane"] == true);
  auto e = lab.experiment();
  const auto& raw = e->raw_train_x();
  const auto x = lab.samples("train", 0, 1);
  REQUIRE(x.size() == 7);
  REQUIRE(x[0] == raw[0]);
  REQUIRE(x[2] == raw[0] * raw[0]);
  REQUIRE(x[4] == raw[0] * raw[1]);
  REQUIRE(x[6] == std::sin(raw[1]));
  const auto f = e->featurize(raw.data(), 1);
  REQUIRE(f == x);
  REQUIRE_THROWS_WITH(lab.load(R"({"data": {"name": "circle", "features": ["x3"]}, "model": {"layers": [{"type": "dense", "units": 2}]}})"),
                      Catch::Contains("spec.data.features[0] 'x3' is not a known feature"));
  REQUIRE_THROWS_WITH(
      lab.load(R"({"data": {"name": "digits", "features": ["x1"]}, "model": {"layers": [{"type": "dense", "units": 10}]}})"),
      Catch::Contains("only applies to 2-D datasets"));
}

TEST_CASE("info, weights and activations describe the network", "[history]") {
  Lab lab(1);
  lab.load(kSpiral);
  const json info = json::parse(lab.info_json());
  REQUIRE(info["layers"].size() == 3);
  REQUIRE(info["layers"][0]["type"] == "dense");
  REQUIRE(info["layers"][1]["type"] == "activation");
  REQUIRE(info["numParams"] == 8 * 2 + 8 + 2 * 8 + 2);
  REQUIRE(lab.weights(0, "weight").size() == 16);
  const auto x = lab.samples("test", 0, 5);
  const auto acts = lab.activations(x, 5);
  REQUIRE(acts.size() == 3);
  REQUIRE(acts[1].size() == 5 * 8);
  REQUIRE(acts[1][0] == Approx(std::tanh(acts[0][0])).margin(lab::testing::kClosedFormTol));
  REQUIRE(acts[2] == lab.predict(x, 5));
  REQUIRE_THROWS_WITH(lab.activations({1, 2, 3}, 1), Catch::Contains("need 2 values, got 3"));
}
