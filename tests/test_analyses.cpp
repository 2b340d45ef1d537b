// The analyses the views draw, computed in the core (experiment/analyses.h, Lab): the decision surface,
// the most confused test samples, a neuron's profile — and their readable errors.
// Run alone with: core_tests "[analyses]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/thread_pool.h"
#include "experiment/analyses.h"
#include "session/lab.h"

using namespace lab;
using json = nlohmann::json;

namespace {
void wait_done(Job& j) {
  while (!j.finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  INFO(j.error());
  REQUIRE(j.state() == Job::State::Done);
}
const char* kPlane = R"({"seed": 2, "data": {"name": "spiral", "n": 200, "features": ["x1", "x2", "sinx1"]},
  "model": {"layers": [{"type": "dense", "units": 5, "activation": "tanh"}, {"type": "dense", "units": 2}]}})";
const char* kImages = R"({"seed": 4, "data": {"name": "block_patterns", "n": 200, "classes": 3},
  "model": {"layers": [{"type": "conv2d", "filters": 3, "kernel": 3, "stride": 2, "activation": "relu"}, {"type": "flatten"},
                       {"type": "dense", "units": 3}]}, "optimizer": {"name": "adam", "lr": 0.003}})";
}  // namespace

TEST_CASE("the decision surface is the network over the plane's cell centres", "[analyses]") {
  Experiment e(parse_spec(kPlane));
  const Surface s = decision_surface(e, 8);
  REQUIRE(s.grid == 8);
  CHECK(s.x0 == -kPlaneExtent);
  CHECK(s.y1 == kPlaneExtent);
  REQUIRE(s.points.size() == 8 * 8 * 2);
  CHECK(s.points[0] == Approx(-kPlaneExtent + 0.75));  // row 0 is the top, column 0 the left
  CHECK(s.points[1] == Approx(kPlaneExtent - 0.75));
  REQUIRE(s.outputs.size() == 8 * 8 * 2);
  const std::vector<float> x = e.featurize(s.points.data(), 64);
  CHECK(e.predict(x.data(), 64) == s.outputs);
  REQUIRE(s.activations.size() == 3);  // dense, tanh, output
  CHECK(s.activations[1].size() == 64 * 5);
  CHECK_THROWS_WITH(decision_surface(e, 1), Catch::Contains("grid must be between 2 and 512"));
  Experiment img(parse_spec(kImages));
  CHECK_THROWS_WITH(decision_surface(img, 8), Catch::Contains("not 2-D points"));
}

TEST_CASE("the most confused: every one wrong, most confident first; the same through the Lab", "[analyses]") {
  Lab lab(2);
  lab.load(kImages);
  auto t = lab.train_async(30);
  wait_done(*t);
  auto e = lab.experiment();
  const Confusions c = most_confused(*e, 200, 10);
  REQUIRE(!c.index.empty());
  for (size_t i = 0; i < c.index.size(); ++i) {
    CHECK(c.label[i] != c.predicted[i]);
    CHECK(c.label[i] == e->dataset().test_label[c.index[i]]);
    if (i) CHECK(c.p[i] <= c.p[i - 1]);
  }
  auto j = lab.confused_async(200, 10);
  wait_done(*j);
  const json r = json::parse(j->result_json);
  REQUIRE(r.size() == c.index.size());
  CHECK(r[0]["index"] == c.index[0]);
  CHECK_THROWS_WITH(lab.confused_async(0, 10), Catch::Contains("scan must be between 1"));
}

TEST_CASE("a neuron's profile: its activations, top samples and weights; errors name the range", "[analyses]") {
  Lab lab(1);
  lab.load(kPlane);
  auto j = lab.neuron_async(1, 2, 50);  // the tanh after the first dense layer, unit 2
  wait_done(*j);
  const json r = json::parse(j->result_json);
  REQUIRE(j->result.size() == 50);
  CHECK(r["incoming"].size() == 3);  // the dense layer's weights into unit 2 (3 features)
  CHECK(r["outgoing"].size() == 2);  // its weights into the output layer
  CHECK(r["top"].size() == 12);
  CHECK(r["title"].get<std::string>().find("after dense") != std::string::npos);
  const std::vector<float> x = lab.samples("test", 0, 50);
  const auto acts = lab.activations(x, 50);
  for (int i = 0; i < 50; ++i) CHECK(j->result[i] == acts[1][(size_t)i * 5 + 2]);
  CHECK_THROWS_WITH(lab.neuron_async(9, 0, 50), Catch::Contains("layer 9 does not exist"));
  CHECK_THROWS_WITH(lab.neuron_async(0, 5, 50), Catch::Contains("has units 0 to 4 (got 5)"));
}

TEST_CASE("the scans a few samples at a time (a single-threaded page's slices) give the whole scan's answer, bit for bit", "[analyses]") {
  Lab lab(1);
  lab.load(kImages);
  auto t = lab.train_async(40);
  wait_done(*t);
  auto e = lab.experiment();
  const Confusions whole = most_confused(*e, 200, 20);
  const NeuronProfile prof = neuron_profile(*e, 0, 1, 150);
  for (int rows : {1, 7, 64}) {
    INFO("rows " << rows);
    ConfusedScan c(*e, 200, 20);
    int steps = 1;
    while (!c.step(rows)) ++steps;
    CHECK(steps >= (int)e->dataset().n_test() / rows);  // the test split: 100 samples
    CHECK(c.result().index == whole.index);
    CHECK(c.result().p == whole.p);
    CHECK(c.result().predicted == whole.predicted);
    NeuronScan n(*e, 0, 1, 150);
    while (!n.step(rows)) {
    }
    CHECK(n.result().values == prof.values);
    CHECK(n.result().top == prof.top);
    CHECK(n.result().title == prof.title);
  }
  CHECK_THROWS_WITH(NeuronScan(*e, 0, 99, 10), Catch::Contains("has units 0 to"));
}
