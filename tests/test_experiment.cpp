// Experiments end to end: specs, training that learns, bit-identical determinism across thread
// counts, divergence reports, and model export/import with damaged files.
#include <catch2/catch.hpp>

#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/rng.h"
#include "base/thread_pool.h"
#include "experiment/experiment.h"
#include "experiment/spec.h"
#include "interp/eval/attr_eval.h"
#include "io/model_io.h"
#include "session/lab.h"
#include "train/trainer.h"

using namespace lab;

namespace {
const char* kSpiral = R"({"seed": 7, "data": {"name": "spiral", "n": 400, "noise": 0.0, "test_ratio": 0.25},
  "model": {"layers": [{"type": "dense", "units": 16, "activation": "tanh"}, {"type": "dense", "units": 16, "activation": "tanh"},
                       {"type": "dense", "units": 2}]},
  "optimizer": {"name": "adam", "lr": 0.02}, "batch_size": 16})";

const char* kCnn = R"({"seed": 3, "data": {"name": "block_patterns", "n": 96, "noise": 0.1, "test_ratio": 0.25, "classes": 4},
  "model": {"layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"}, {"type": "maxpool2d"},
                       {"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1, "activation": "relu"}, {"type": "avgpool2d"},
                       {"type": "flatten"}, {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 4}]},
  "optimizer": {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true}, "batch_size": 12,
  "regularization": {"l2": 0.001}})";

std::string digest_after(const char* spec, int steps, int threads) {
  ThreadPool pool(threads);
  Experiment e(parse_spec(spec));
  e.train(steps, Exec{&pool, false}, nullptr);
  return e.digest();
}
}  // namespace

TEST_CASE("a spiral MLP learns", "[experiment]") {
  ThreadPool pool(2);
  Experiment e(parse_spec(kSpiral));
  const Metrics before = e.evaluate(Exec{&pool, false});
  e.train(3000, Exec{&pool, false}, nullptr);
  const Metrics after = e.evaluate(Exec{&pool, false});
  INFO("train acc " << after.train_accuracy << " test acc " << after.test_accuracy);
  CHECK(after.train_loss < before.train_loss * 0.5f);
  CHECK(after.test_accuracy > 0.9f);
  CHECK(after.step == 3000);
  CHECK(after.epoch == 3000 / 19);  // 300 training samples: 18 batches of 16 and one of 12 per epoch
  REQUIRE(after.confusion.size() == 4);
  CHECK(after.confusion[0] + after.confusion[1] + after.confusion[2] + after.confusion[3] == 100);
}

TEST_CASE("same spec and seed: bit-identical weights with 1, 2, 4 and 8 threads", "[experiment][determinism]") {
  for (const char* spec : {kSpiral, kCnn}) {
    const std::string d1 = digest_after(spec, 40, 1);
    for (int t : {2, 4, 8}) CHECK(digest_after(spec, 40, t) == d1);
  }
  // …and a different seed gives different weights.
  std::string other = kSpiral;
  other.replace(other.find("\"seed\": 7"), 9, "\"seed\": 8");
  CHECK(digest_after(other.c_str(), 40, 1) != digest_after(kSpiral, 40, 1));
}

TEST_CASE("a CNN trains on images with dropout, nesterov and L2", "[experiment]") {
  ThreadPool pool(2);
  Experiment e(parse_spec(kCnn));
  const Metrics m0 = e.evaluate(Exec{&pool, false});
  e.train(60, Exec{&pool, false}, nullptr);
  const Metrics m = e.evaluate(Exec{&pool, false});
  CHECK(m.train_loss < m0.train_loss);
  CHECK(m.reg_loss > 0);
}

TEST_CASE("a diverging run stops with the likely cause, weights finite", "[experiment]") {
  // ReLU layers and plain SGD at a huge rate: the weights blow up within a few steps.
  const char* spec = R"({"seed": 7, "data": {"name": "spiral", "n": 200},
    "model": {"layers": [{"type": "dense", "units": 16, "activation": "relu"}, {"type": "dense", "units": 16, "activation": "relu"},
                         {"type": "dense", "units": 2}]},
    "optimizer": {"name": "sgd", "lr": 90}, "batch_size": 10})";
  Experiment e(parse_spec(spec));
  bool threw = false;
  try {
    e.train(2000, Exec{nullptr, false}, nullptr);
  } catch (const TrainingDiverged& d) {
    threw = true;
    CHECK_THAT(d.what(), Catch::Contains("learning rate 90 is too high"));
  }
  REQUIRE(threw);
  CHECK(e.metrics().diverged);
  for (auto& p : e.model().params())
    for (size_t i = 0; i < p.value->size(); ++i) REQUIRE(std::isfinite(p.value->at(i)));
}

TEST_CASE("spec errors are readable; round trip keeps the experiment", "[spec]") {
  CHECK_THROWS_WITH(parse_spec("{nope"), Catch::StartsWith("spec is not valid JSON"));
  CHECK_THROWS_WITH(parse_spec("[]"), Catch::StartsWith("spec: must be a JSON object"));
  CHECK_THROWS_WITH(parse_spec(R"({"model": {"layers": [{"type": "dense", "units": 2}]}, "optimizer": {"lr": -1}})"),
                    "spec.optimizer.lr must be a number between 0 and 100 (got -1)");
  CHECK_THROWS_WITH(parse_spec(R"({"data": {"name": "sprial"}, "model": {"layers": [{"type": "dense", "units": 2}]}})"),
                    Catch::StartsWith("spec.data.name 'sprial' is not a known dataset"));
  CHECK_THROWS_WITH(parse_spec(R"({"data": {"name": "spiral"}})"), Catch::StartsWith("spec.model.layers is missing"));
  CHECK_THROWS_WITH(parse_spec(R"({"model": {"layers": [{"type": "dense", "units": 2}]}, "batch_size": 0})"),
                    "spec.batch_size must be an integer between 1 and 65536 (got 0)");
  CHECK_THROWS_WITH(Experiment(parse_spec(R"({"model": {"layers": [{"type": "dense", "units": 3}]}})")),
                    Catch::Contains("the last layer has 3 outputs, but 'spiral' needs 2 (one per class)"));
  const Spec s = parse_spec(R"({"seed": 5, "colour": "blue", "model": {"layers": [{"type": "dense", "units": 2}]}})");
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0] == "ignored unknown field spec.colour");
  const std::string canon = spec_to_json(parse_spec(kSpiral));
  CHECK(spec_to_json(parse_spec(canon)) == canon);
  CHECK(canon.find("\"lr\":0.02") != std::string::npos);  // floats written short, not 0.0199999996
}

TEST_CASE("models export and import, bit for bit; damaged files are refused", "[model_io]") {
  Experiment e(parse_spec(kCnn));
  e.train(5, Exec{nullptr, false}, nullptr);
  const std::string d = e.digest();
  const std::vector<uint8_t> bin = export_model_binary(e);
  const std::string js = export_model_json(e);
  CHECK(import_model(bin.data(), bin.size())->digest() == d);
  CHECK(import_model(reinterpret_cast<const uint8_t*>(js.data()), js.size())->digest() == d);
  // truncated, corrupted, foreign
  CHECK_THROWS_WITH(import_model(bin.data(), bin.size() / 2), Catch::Contains("truncated") || Catch::Contains("corrupt"));
  std::vector<uint8_t> flipped = bin;
  flipped[flipped.size() / 2] ^= 0x40;
  CHECK_THROWS_WITH(import_model(flipped.data(), flipped.size()), Catch::Contains("corrupt"));
  CHECK_THROWS_WITH(import_model(reinterpret_cast<const uint8_t*>(js.data()), js.size() - 10), Catch::Contains("not valid JSON"));
  const std::string png = "\x89PNG\r\n\x1a\n....";
  CHECK_THROWS_WITH(import_model(reinterpret_cast<const uint8_t*>(png.data()), png.size()), Catch::Contains("not a NeuronLab model file"));
  CHECK_THROWS_WITH(import_model(nullptr, 0), "model file is empty");
}

TEST_CASE("Lab: load, train as a job, metrics, predict; a bad import keeps the model", "[lab][experiment]") {
  Lab lab(2);
  CHECK_THROWS_WITH(lab.digest(), Catch::Contains("no experiment is loaded"));
  lab.load(kSpiral);
  const std::string d0 = lab.digest();
  auto job = lab.train_async(50);
  while (!job->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(job->state() == Job::State::Done);
  CHECK(job->result_json.find("\"step\":50") != std::string::npos);
  CHECK(lab.digest() != d0);
  const std::vector<float> out = lab.predict({0.5f, -0.5f, 1.0f, 2.0f}, 2);
  CHECK(out.size() == 4);
  CHECK_THROWS_WITH(lab.predict({1.0f, 2.0f, 3.0f}, 2), Catch::Contains("2 rows of 2 inputs need 4 values, got 3"));
  const std::string d1 = lab.digest();
  std::vector<uint8_t> junk = {'N', 'L', 'M', 'O', 'D', 'E', 'L', '1', 1, 0};
  CHECK_THROWS(lab.import_model(junk));
  CHECK(lab.digest() == d1);
  CHECK_THROWS(lab.load("{\"model\": 1}"));
  CHECK(lab.digest() == d1);
}

TEST_CASE("an evaluation a batch at a time gives evaluate()'s metrics bit for bit", "[experiment]") {
  for (const char* spec : {kSpiral, kCnn}) {
    Experiment a(parse_spec(spec)), b(parse_spec(spec));
    a.train(30, Exec{nullptr, false}, nullptr);
    b.train(30, Exec{nullptr, false}, nullptr);
    const Metrics whole = a.evaluate(Exec{nullptr, false});
    Evaluation ev = b.start_evaluation();
    int batches = 1;
    CHECK(ev.progress() == 0.0);
    while (!b.evaluate_batch(ev, Exec{nullptr, false})) {
      ++batches;
      CHECK(ev.progress() > 0.0);
      CHECK(ev.progress() < 1.0);
    }
    CHECK(ev.progress() == 1.0);
    CHECK(batches == (int)((b.dataset().n_train() + 255) / 256 + (b.dataset().n_test() + 255) / 256));
    const Metrics sliced = b.metrics();
    CHECK(std::memcmp(&whole.train_loss, &sliced.train_loss, sizeof(float)) == 0);
    CHECK(std::memcmp(&whole.test_loss, &sliced.test_loss, sizeof(float)) == 0);
    CHECK(whole.train_accuracy == sliced.train_accuracy);
    CHECK(whole.test_accuracy == sliced.test_accuracy);
    CHECK(whole.confusion == sliced.confusion);
    // A batch's rows in pieces of any size (a single-threaded page's slices): the same numbers, bit for bit.
    for (int rows : {1, 7, 100}) {
      Experiment c(parse_spec(spec));
      c.train(30, Exec{nullptr, false}, nullptr);
      Evaluation ev2 = c.start_evaluation();
      int steps = 1;
      while (!c.evaluate_batch(ev2, Exec{nullptr, false}, rows)) ++steps;
      const Metrics pieces = c.metrics();
      INFO("rows " << rows);
      CHECK(steps >= batches);
      CHECK(std::memcmp(&whole.train_loss, &pieces.train_loss, sizeof(float)) == 0);
      CHECK(std::memcmp(&whole.test_loss, &pieces.test_loss, sizeof(float)) == 0);
      CHECK(whole.train_accuracy == pieces.train_accuracy);
      CHECK(whole.test_accuracy == pieces.test_accuracy);
      CHECK(whole.confusion == pieces.confusion);
    }
  }
}

TEST_CASE("Lab::load, reset and import_model return before evaluating; the evaluation is a job", "[lab][experiment]") {
  Lab lab(2);
  CHECK(lab.evaluation() == nullptr);
  lab.load(kCnn);
  auto ev = lab.evaluation();
  REQUIRE(ev != nullptr);
  CHECK(ev->name() == "evaluate");
  // A job submitted now runs after the evaluation: its metrics come from the trained weights.
  auto train = lab.train_async(5);
  while (!train->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(ev->finished());
  CHECK(ev->state() == Job::State::Done);
  CHECK(lab.metrics_json().find("\"evaluating\":false") != std::string::npos);
  // The evaluation's numbers are Experiment::evaluate's at step 0.
  lab.reset();
  auto ev2 = lab.evaluation();
  CHECK(ev2 != ev);
  while (!ev2->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Experiment ref(parse_spec(kCnn));
  const Metrics m0 = ref.evaluate(Exec{nullptr, false});
  const Metrics got = lab.experiment()->metrics();
  CHECK(got.step == 0);
  CHECK(got.test_loss == m0.test_loss);
  CHECK(got.train_accuracy == m0.train_accuracy);
  // A new load supersedes a pending evaluation: the older one ends cancelled (or done, if it was quick).
  const std::vector<uint8_t> file = lab.export_model_binary();
  lab.load(kSpiral);
  auto ev3 = lab.evaluation();
  lab.import_model(file);
  auto ev4 = lab.evaluation();
  while (!ev4->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  while (!ev3->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK((ev3->state() == Job::State::Cancelled || ev3->state() == Job::State::Done));
  CHECK(ev4->state() == Job::State::Done);
  CHECK(lab.experiment()->metrics().test_loss == m0.test_loss);
}

TEST_CASE("single-threaded page: load, evaluation and replay advance a slice per pump, to the threaded result", "[lab][experiment]") {
  Lab threaded(2);
  threaded.load(kCnn);
  auto t = threaded.train_async(30);
  while (!t->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  threaded.set_weight(0, "bias", 0, 0.5f);
  const std::string history = threaded.history_json();
  auto rt = threaded.replay_async(history);
  while (!rt->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(rt->state() == Job::State::Done);

  Lab inline_lab(2, JobRunner::Inline);
  inline_lab.load(kCnn);
  auto ev = inline_lab.evaluation();
  REQUIRE(ev != nullptr);
  CHECK(ev->state() == Job::State::Queued);  // nothing ran inside load()
  CHECK(inline_lab.metrics_json().find("\"evaluating\":true") != std::string::npos);
  int pumps = 0;
  do ++pumps;
  while (inline_lab.jobs().pump(0) > 0);
  CHECK(ev->state() == Job::State::Done);
  CHECK(pumps >= 2);  // a batch a slice: block_patterns has a train and a test split
  auto r = inline_lab.replay_async(history);
  int slices = 0;
  double last = 0;
  while (!r->finished()) {
    inline_lab.jobs().pump(0);
    CHECK(r->progress() >= last);
    last = r->progress();
    ++slices;
  }
  REQUIRE(r->state() == Job::State::Done);
  CHECK(slices > 3);
  CHECK(inline_lab.digest() == threaded.digest());
  CHECK(inline_lab.metrics_json() == threaded.metrics_json());
  // Cancelled between slices: the experiment before the replay stays.
  const std::string d = inline_lab.digest();
  auto r2 = inline_lab.replay_async(R"({"spec": )" + inline_lab.spec_json() + R"(, "events": [], "step": 500})");
  inline_lab.jobs().pump(0);
  inline_lab.jobs().pump(0);
  r2->cancel();
  inline_lab.jobs().pump(0);
  CHECK(r2->state() == Job::State::Cancelled);
  CHECK(inline_lab.digest() == d);
}

TEST_CASE("the arena as a sliced job: a single-threaded page's report is the threaded one's", "[lab][attribution][slow]") {
  const std::string config =
      R"({"methods": ["saliency", "integrated_gradients", "gradient_shap", {"method": "layer_activation", "options": {"layer": 0}}],
          "count": 5, "labelRandomisation": true, "seed": 3})";
  auto strip = [](const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text);
    for (auto& m : j["methods"]) m.erase("ms");
    return j.dump();
  };
  Lab threaded(2);
  threaded.load(kCnn);
  auto t = threaded.train_async(20);
  while (!t->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto a = threaded.arena_async(config);
  while (!a->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(a->state() == Job::State::Done);

  Lab inline_lab(2, JobRunner::Inline);
  inline_lab.load(kCnn);
  auto t2 = inline_lab.train_async(20);
  while (!t2->finished()) inline_lab.jobs().pump(0);
  auto b = inline_lab.arena_async(config);
  int slices = 0;
  while (!b->finished()) {
    inline_lab.jobs().pump(0);
    ++slices;
  }
  REQUIRE(b->state() == Job::State::Done);
  CHECK(slices > 20);  // the shuffled-label training in ~5 ms pieces, then a method, a sample, a layer at a time
  CHECK(strip(b->result_json) == strip(a->result_json));
  CHECK(b->result_json.find("labelRandomisation") != std::string::npos);
}

TEST_CASE("the arena in tries: a Resume that stops after every batch gives the same report", "[lab][attribution][slow]") {
  Lab lab(1);
  lab.load(kCnn);
  auto t = lab.train_async(20);
  while (!t->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto e = lab.experiment();
  const std::string config = R"({"methods": ["saliency", {"method": "integrated_gradients", "options": {"steps": 6, "noise": "smoothgrad",
      "nt_samples": 2}}, {"method": "occlusion", "options": {"window": 4}}, "deeplift",
      {"method": "kernel_shap", "options": {"samples": 24}}, {"method": "layer_activation", "options": {"layer": 0}}],
      "count": 2, "sensitivitySamples": 2, "faithfulnessRuns": 4,
      "curveSteps": 5, "seed": 5})";
  auto strip = [](const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text);
    for (auto& m : j["methods"]) {
      CHECK(!m.contains("error"));
      m.erase("ms");
    }
    return j.dump();
  };
  auto shuffled = e->snapshot_model();
  attr::ArenaConfig c = attr::parse_arena_config(config);
  c.label_randomised = [&]() { return shuffled.get(); };
  auto m1 = e->snapshot_model();
  const std::string whole = attr::run_arena(*m1, e->dataset(), c, Exec{}, nullptr);
  c.resume_ms = 0;
  auto m2 = e->snapshot_model();
  attr::ArenaRun run(*m2, e->dataset(), c, Exec{});
  int steps = 0;
  while (!run.step(nullptr)) ++steps;
  CHECK(steps > 300);  // one batch a step
  const std::string pieces = run.report();
  CHECK(pieces.find("\"sanity\"") != std::string::npos);
  CHECK(pieces.find("labelRandomisation") != std::string::npos);
  CHECK(pieces.find("maxSensitivity") != std::string::npos);
  CHECK(strip(pieces) == strip(whole));
}

TEST_CASE("single-threaded page: an attribution runs in pieces between frames, to the threaded result", "[lab][attribution][slow]") {
  Lab threaded(2), inline_lab(2, JobRunner::Inline);
  threaded.load(kCnn);
  inline_lab.load(kCnn);
  while (inline_lab.jobs().pump(0) > 0) {
  }
  const size_t d = inline_lab.experiment()->dataset().input_size();
  std::vector<float> x(4 * d);
  Rng rng(9);
  for (float& v : x) v = rng.uniform(0, 1);
  const std::string options = R"({"steps": 512, "seed": 1})";
  auto a = threaded.attribute_async("integrated_gradients", x, 4, options);
  while (!a->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(a->state() == Job::State::Done);
  auto b = inline_lab.attribute_async("integrated_gradients", x, 4, options);
  int slices = 0;
  double last = 0;
  while (!b->finished()) {
    inline_lab.jobs().pump(0);
    CHECK(b->progress() >= last);
    last = b->progress();
    ++slices;
  }
  REQUIRE(b->state() == Job::State::Done);
  CHECK(slices > 3);
  CHECK(b->result == a->result);
  auto strip = [](const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text);
    j.erase("ms");
    return j.dump();
  };
  CHECK(strip(b->result_json) == strip(a->result_json));
  // Cancelled between pieces: the job ends Cancelled and the lab goes on.
  auto c = inline_lab.attribute_async("integrated_gradients", x, 4, options);
  inline_lab.jobs().pump(0);
  inline_lab.jobs().pump(0);
  c->cancel();
  inline_lab.jobs().pump(0);
  CHECK(c->state() == Job::State::Cancelled);
  auto d2 = inline_lab.attribute_async("saliency", x, 4, "{}");
  while (!d2->finished()) inline_lab.jobs().pump(0);
  CHECK(d2->state() == Job::State::Done);
}

TEST_CASE("attribute_now: a small gradient map at once, bit for bit the job's; anything else is left to the job", "[lab][attribution]") {
  Lab lab(2);
  lab.load(kSpiral);
  auto t = lab.train_async(50);
  while (!t->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  while (lab.jobs().pending() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::vector<float> x = {0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 0.1f};
  auto strip = [](const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text);
    j.erase("ms");
    return j.dump();
  };
  for (const char* method : {"saliency", "input_x_gradient"}) {
    std::vector<float> map;
    std::string json;
    REQUIRE(lab.attribute_now(method, x, 3, "{}", &map, &json));
    auto job = lab.attribute_async(method, x, 3, "{}");
    while (!job->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    REQUIRE(job->state() == Job::State::Done);
    CHECK(map == job->result);
    CHECK(strip(json) == strip(job->result_json));
  }
  std::vector<float> map;
  std::string json;
  // Not for it: another method, a noise tunnel, a model too large, a job pending (the queue keeps the order).
  CHECK_FALSE(lab.attribute_now("integrated_gradients", x, 3, "{}", &map, &json));
  CHECK_FALSE(lab.attribute_now("saliency", x, 3, R"({"noise": "smoothgrad"})", &map, &json));
  CHECK_FALSE(lab.attribute_now("saliency", std::vector<float>(2 * 400, 0.5f), 400, "{}", &map, &json));
  auto busy = lab.train_async(10000000);
  CHECK_FALSE(lab.attribute_now("saliency", x, 3, "{}", &map, &json));
  busy->cancel();
  while (!busy->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(map.empty());
  // Bad arguments: the same errors as the job's.
  CHECK_THROWS_WITH(lab.attribute_now("saliency", x, 2, "{}", &map, &json), Catch::Contains("2 inputs of 2 values need 4 numbers, got 6"));
  CHECK_THROWS_WITH(lab.attribute_now("saliency", x, 3, R"({"bogus": 1})", &map, &json), Catch::Contains("bogus"));
}

TEST_CASE("the doctor's second look: a run that goes wrong without NaN is flagged, a healthy one never", "[experiment][slow]") {
  auto text = [](const char* data, int outputs, const char* act, const char* opt, double lr) {
    return std::string(R"({"seed": 1, "data": {"name": ")") + data + R"("}, "batch_size": 10, "model": {"layers": [
      {"type": "dense", "units": 8, "activation": ")" + act + R"("}, {"type": "dense", "units": 8, "activation": ")" + act +
           R"("}, {"type": "dense", "units": )" + std::to_string(outputs) + R"(}]}, "optimizer": {"name": ")" + opt + R"(", "lr": )" +
           std::to_string(lr) + "}}";
  };
  auto spec = [&](const char* data, int outputs, const char* act, const char* opt, double lr) {
    return parse_spec(text(data, outputs, act, opt, lr));
  };
  // Runs `steps` steps; returns the step at which a warning first showed (−1: never) and the last warning.
  auto run = [](const Spec& s, int steps, std::string* last = nullptr) {
    Experiment e(s);
    long long first = -1;
    for (int i = 0; i < steps; ++i) {
      e.train(1, Exec{}, nullptr);
      if (first < 0 && !e.metrics().warning.empty()) first = e.step();
    }
    if (last) *last = e.metrics().warning;
    return first;
  };
  std::string w;
  // Adam at rate 100 on the spiral: the loss sits near 100 from the first steps; flagged after 300 of them.
  const long long at = run(spec("spiral", 2, "tanh", "adam", 100), 2000, &w);
  CHECK(at > 0);
  CHECK(at < 500);
  CHECK_THAT(w, Catch::Contains("far above its best"));
  CHECK_THAT(w, Catch::Contains("the learning rate 100 is too high"));
  CHECK_THAT(w, Catch::Contains("Try 10 and reset"));
  {
    Experiment e(spec("spiral", 2, "tanh", "adam", 100));
    e.train(1000, Exec{}, nullptr);
    CHECK(e.metrics().warning_lr == Approx(10.0f));
    Lab lab(1);
    lab.load(text("spiral", 2, "tanh", "adam", 100));
    auto t = lab.train_async(1000);
    while (!t->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const auto m = nlohmann::json::parse(lab.metrics_json());
    CHECK(m.value("warning", "").find("far above its best") != std::string::npos);
    CHECK(m["warningLr"] == Approx(10.0));
  }
  // SGD on the plane regression with ReLU units just below the rate where it blows up (0.32 diverges at
  // step 4): no NaN, but no better than predicting the mean, swinging — flagged once it has had 3000 steps.
  {
    Experiment e(spec("plane", 1, "relu", "sgd", 0.32));
    CHECK_THROWS_AS(e.train(100, Exec{}, nullptr), TrainingDiverged);
  }
  CHECK(run(spec("plane", 1, "relu", "sgd", 0.3), 4000, &w) == LossWatch::kStuckSteps + 1);
  CHECK_THAT(w, Catch::Contains("no better than guessing"));
  CHECK_THAT(w, Catch::Contains("Try 0.03 and reset"));
  // Healthy runs: never a word.
  CHECK(run(spec("spiral", 2, "tanh", "adam", 0.03), 20000) == -1);
  CHECK(run(spec("plane", 1, "relu", "sgd", 0.1), 20000) == -1);
  CHECK(run(spec("moons", 2, "relu", "adam", 0.03), 20000) == -1);
  CHECK(run(spec("gaussian_bumps", 1, "tanh", "sgd", 0.4), 20000) == -1);
  CHECK(run(parse_spec(kCnn), 1500) == -1);
  // A healthy run's metrics read as before: no warning fields.
  Lab lab(1);
  lab.load(kSpiral);
  auto t = lab.train_async(500);
  while (!t->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(lab.metrics_json().find("warning") == std::string::npos);
}

TEST_CASE("single-threaded page: training runs a few steps a slice, then evaluates a few rows a slice, as the threaded lab", "[lab][experiment]") {
  for (bool until : {false, true}) {
    Lab threaded(2), inline_lab(2, JobRunner::Inline);
    threaded.load(kCnn);
    inline_lab.load(kCnn);
    auto a = until ? threaded.train_until_async(40) : threaded.train_async(40);
    while (!a->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto b = until ? inline_lab.train_until_async(40) : inline_lab.train_async(40);
    int slices = 0;
    while (!b->finished()) {
      inline_lab.jobs().pump(0);
      ++slices;
    }
    INFO("until " << until);
    REQUIRE(b->state() == Job::State::Done);
    CHECK(slices > 2);
    CHECK(inline_lab.digest() == threaded.digest());
    CHECK(b->result_json == a->result_json);
  }
  // A diverging run fails with the same message and keeps the same weights.
  const std::string hot = R"({"seed": 7, "data": {"name": "spiral", "n": 400}, "model": {"layers": [{"type": "dense", "units": 16,
    "activation": "relu"}, {"type": "dense", "units": 16, "activation": "relu"}, {"type": "dense", "units": 2}]},
    "optimizer": {"name": "sgd", "lr": 90}})";
  Lab threaded(1), inline_lab(1, JobRunner::Inline);
  threaded.load(hot);
  inline_lab.load(hot);
  auto a = threaded.train_async(500);
  while (!a->finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto b = inline_lab.train_async(500);
  while (!b->finished()) inline_lab.jobs().pump(0);
  REQUIRE(a->state() == Job::State::Failed);
  CHECK(b->state() == Job::State::Failed);
  CHECK(b->error() == a->error());
  CHECK(inline_lab.digest() == threaded.digest());
  CHECK(inline_lab.metrics_json() == threaded.metrics_json());
}
