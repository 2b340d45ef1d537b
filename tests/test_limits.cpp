// Limits: sizes computed in 64 bits and refused past what the lab can hold, a network and batch that would
// not fit refused before anything is allocated, JSON input bounded in depth and read with errors that say
// what was wrong. The lab keeps working after each refusal.
// Run alone with: core_tests "[limits]"
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <string>

#include "base/json_input.h"
#include "base/rng.h"
#include "base/tensor.h"
#include "experiment/experiment.h"
#include "experiment/spec.h"
#include "io/model_io.h"
#include "nn/model.h"
#include "session/lab.h"

using namespace lab;

TEST_CASE("sizes: 64-bit products, refused past one tensor's limit instead of wrapping", "[limits]") {
  CHECK(shape_size({65536, 4096}) == 65536u * 4096u);
  CHECK(shape_size({0, 1 << 30}) == 0);
  CHECK_THROWS_WITH(shape_size({65536, 65536}), Catch::Contains("(65536, 65536) would hold 4294967296 values"));
  CHECK_THROWS_WITH(shape_size({1 << 30, 1 << 30, 1 << 30}), Catch::Contains("more than 2^64"));
  CHECK_THROWS_WITH(Tensor({-1, 3}), Catch::Contains("negative dimension"));
}

TEST_CASE("a model too large is refused before it is built, naming the layer", "[limits]") {
  Rng rng(1);
  CHECK_THROWS_WITH(Model({2}, {{"dense", {{"units", 65536}}, {}}, {"dense", {{"units", 65536}}, {}}, {"dense", {{"units", 2}}, {}}},
                          "glorot_uniform", rng),
                    Catch::Contains("layer 2 (dense)") && Catch::Contains("parameters") && Catch::Contains("use fewer units"));
}

TEST_CASE("an experiment whose batch would not fit is refused up front, saying what fits", "[limits][slow]") {
  const std::string wide = R"({"data": {"name": "spiral"}, "batch_size": 65536, "model": {"layers": [
      {"type": "dense", "units": 4096, "activation": "relu"}, {"type": "dense", "units": 4096, "activation": "relu"},
      {"type": "dense", "units": 2}]}})";
  CHECK_THROWS_WITH(Experiment(parse_spec(wide)), Catch::Contains("spec.batch_size") && Catch::Contains("a batch_size of at most"));
  // The lab refuses it and keeps the experiment it had.
  Lab lab(1);
  lab.load(R"({"data": {"name": "circle"}, "model": {"layers": [{"type": "dense", "units": 4}, {"type": "dense", "units": 2}]}})");
  const std::string before = lab.digest();
  CHECK_THROWS(lab.load(wide));
  CHECK(lab.digest() == before);
  // A batch size changed during a run is checked the same way; the run keeps its old one.
  std::string small = wide;
  small.replace(small.find("65536"), 5, "16");
  lab.load(small);
  CHECK_THROWS_WITH(lab.set_hyperparameters(R"({"batch_size": 65536})"), Catch::Contains("a batch_size of at most"));
  CHECK(lab.spec_json().find("\"batch_size\":16") != std::string::npos);
}

TEST_CASE("an attribution whose expanded inputs would not fit is refused before it runs, saying what fits", "[limits]") {
  Lab lab(1);
  lab.load(R"({"data": {"name": "spiral"}, "model": {"layers": [{"type": "dense", "units": 4, "activation": "tanh"}, {"type": "dense", "units": 2}]}})");
  const std::vector<float> x(2 * 20000, 0.5f);
  // 20,000 inputs × 4,096 steps of 2 values, with baselines and gradients: ~2 GB.
  CHECK_THROWS_WITH(lab.attribute_async("integrated_gradients", x, 20000, R"({"steps": 4096})"),
                    Catch::Contains("integrated_gradients: 20000 inputs of 2 values with steps 4096 would need about 1.97 GB") &&
                        Catch::Contains("the lab has 1.07 GB for an attribution: attribute at most 10920 inputs at a time"));
  // What fits runs.
  auto job = lab.attribute_async("integrated_gradients", std::vector<float>(x.begin(), x.begin() + 4), 2, R"({"steps": 64})");
  while (!job->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(job->state() == Job::State::Done);
}

TEST_CASE("JSON input: bounded depth, numbers in range, readable errors, clipped echoes", "[limits]") {
  std::string deep = "1";
  for (int i = 0; i < 5000; ++i) deep = "[" + deep + "]";
  CHECK_THROWS_WITH(parse_spec(R"({"x": )" + deep + "}"), Catch::Contains("spec is nested more than 64 levels deep"));
  CHECK_THROWS_WITH(parse_spec(R"({"seed": 1e999})"), Catch::Contains("spec: the number 1e999 is out of range"));
  CHECK_THROWS_WITH(parse_spec("{nope"), !Catch::Contains("json.exception"));
  const std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(parse_json_input(at_limit, "x").is_array());
  CHECK(parse_json_input(R"({"s": "[[[[ not nesting"})", "x").is_object());
  // A long user string is clipped in the message.
  const std::string long_type = R"({"model": {"layers": [{"type": ")" + std::string(100000, 'x') + R"("}]}})";
  try {
    Experiment ex(parse_spec(long_type));
    FAIL("accepted");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).size() < 1000);
  }
  CHECK(clip_text(std::string(100, 'a'), 10) == "aaaaaaaaaa… (100 characters)");
  CHECK(readable_error(std::runtime_error(std::string(5000, 'm'))).size() < kMaxMessageChars + 40);
}

TEST_CASE("model files: the format field and the version are checked as they are, not coerced", "[limits]") {
  auto import = [](const std::string& s) { return import_model(reinterpret_cast<const uint8_t*>(s.data()), s.size()); };
  CHECK_THROWS_WITH(import(R"({"format": null})"), Catch::Contains("not a NeuronLab model file"));
  CHECK_THROWS_WITH(import(R"({"format": "neuronlab-model", "version": 4294967297})"),
                    Catch::Contains("version 4294967297 is not supported"));
}
