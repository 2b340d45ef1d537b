// NeuronLab — Embind bindings of the core's public API. Thin by design: register and marshal only.
// Calls that take user input return either their result or {error: "message"}; the JS wrapper
// (web/lab-api.mjs) turns that into a thrown NeuronLabError, in one place. Arrays leave the heap as
// copies. Shared by the app (page) and the Node module.
#include <emscripten/bind.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/version.h"
#include "session/lab.h"
#include "session/registry_json.h"

using emscripten::val;

namespace {

val error_value(const std::string& msg) {
  val o = val::object();
  o.set("error", msg);
  return o;
}

// Runs f (returning a Job) and wraps a thrown std::exception as {error}.
template <class F>
val job_or_error(F&& f) {
  try {
    return val(f());
  } catch (const std::exception& e) {
    return error_value(lab::readable_error(e));
  }
}

val build_info() {
  const lab::BuildInfo b = lab::build_info();
  val o = val::object();
  o.set("version", std::string(lab::version()));
  o.set("simd", b.simd);
  o.set("threadsEnabled", b.threads_enabled);
  o.set("wasm", b.wasm);
  o.set("compiler", b.compiler);
  o.set("hardwareThreads", lab::ThreadPool::hardware_threads());
  return o;
}

val lab_matmul(lab::Lab& lab, const val& a, const val& b, int m, int k, int n, bool ta, bool tb) {
  return job_or_error([&] {
    return lab.matmul_async(emscripten::convertJSArrayToNumberVector<float>(a), emscripten::convertJSArrayToNumberVector<float>(b), m, k, n,
                            ta, tb);
  });
}

val lab_matmul_bench(lab::Lab& lab, int n, int reps) {
  return job_or_error([&] { return lab.matmul_bench_async(n, reps); });
}

// Runs f (returning something val can hold) and wraps a thrown std::exception as {error}.
template <class F>
val value_or_error(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return error_value(lab::readable_error(e));
  }
}

template <class T>
val copy_out(const std::vector<T>& v) {
  return val(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

val lab_load(lab::Lab& lab, const std::string& spec) {
  return value_or_error([&] {
    val warnings = val::array();
    int i = 0;
    for (const auto& w : lab.load(spec)) warnings.set(i++, w);
    val o = val::object();
    o.set("warnings", warnings);
    return o;
  });
}
val lab_spec(lab::Lab& lab) {
  return value_or_error([&] { return val(lab.spec_json()); });
}
val lab_set_hyper(lab::Lab& lab, const std::string& patch) {
  return value_or_error([&] { return val(lab.set_hyperparameters(patch)); });
}
val lab_metrics(lab::Lab& lab) {
  return value_or_error([&] { return val(lab.metrics_json()); });
}
val lab_digest(lab::Lab& lab) {
  return value_or_error([&] { return val(lab.digest()); });
}
val lab_evaluation(lab::Lab& lab) {
  auto j = lab.evaluation();
  return j ? val(j) : val::null();
}
bool lab_evaluating(lab::Lab& lab) {
  auto j = lab.evaluation();
  return j && !j->finished();
}
int lab_pump(lab::Lab& lab, double ms) { return lab.jobs().pump(ms); }
val lab_has_experiment(lab::Lab& lab) { return val(lab.has_experiment()); }
val lab_train(lab::Lab& lab, double steps, bool evaluate) {
  return job_or_error([&] { return lab.train_async((long long)steps, evaluate); });
}
val lab_predict(lab::Lab& lab, const val& inputs, int n) {
  return value_or_error([&] { return copy_out(lab.predict(emscripten::convertJSArrayToNumberVector<float>(inputs), n)); });
}
val lab_export_json(lab::Lab& lab) {
  return value_or_error([&] { return val(lab.export_model_json()); });
}
val lab_export_binary(lab::Lab& lab) {
  return value_or_error([&] { return copy_out(lab.export_model_binary()); });
}
val lab_import(lab::Lab& lab, const val& bytes) {
  return value_or_error([&] {
    lab.import_model(emscripten::convertJSArrayToNumberVector<uint8_t>(bytes));
    return val::object();
  });
}
val lab_set_asset(lab::Lab& lab, const std::string& name, const val& bytes) {
  return value_or_error([&] {
    lab.set_asset(name, emscripten::convertJSArrayToNumberVector<uint8_t>(bytes));
    return val::object();
  });
}
bool lab_has_asset(lab::Lab& lab, const std::string& name) { return lab.has_asset(name); }
val lab_train_until(lab::Lab& lab, double steps, bool evaluate) {
  return job_or_error([&] { return lab.train_until_async((long long)steps, evaluate); });
}
val lab_history(lab::Lab& lab) {
  return value_or_error([&] { return val(lab.history_json()); });
}
val lab_replay(lab::Lab& lab, const std::string& history, double step) {
  return job_or_error([&] { return lab.replay_async(history, (long long)step); });
}
val lab_reset(lab::Lab& lab) {
  return value_or_error([&] {
    lab.reset();
    return val::object();
  });
}
val lab_set_weight(lab::Lab& lab, const std::string& layer, const std::string& param, double index, double value) {
  return value_or_error([&] { return val(lab.set_weight(layer, param, (long long)index, (float)value)); });
}
double lab_input_size(const lab::Lab& lab) { return (double)lab.input_size(); }
val lab_info(lab::Lab& lab) {
  return value_or_error([&] { return val(lab.info_json()); });
}
val lab_weights(lab::Lab& lab, const std::string& layer, const std::string& param) {
  return value_or_error([&] { return copy_out(lab.weights(layer, param)); });
}
val lab_activations(lab::Lab& lab, const val& inputs, int n) {
  return value_or_error([&] {
    val out = val::array();
    int i = 0;
    for (const auto& a : lab.activations(emscripten::convertJSArrayToNumberVector<float>(inputs), n)) out.set(i++, copy_out(a));
    return out;
  });
}
val lab_surface(lab::Lab& lab, int grid) {
  return value_or_error([&] {
    const lab::Surface s = lab.surface(grid);
    val o = val::object();
    o.set("grid", s.grid);
    o.set("x0", s.x0);
    o.set("x1", s.x1);
    o.set("y0", s.y0);
    o.set("y1", s.y1);
    o.set("points", copy_out(s.points));
    o.set("outputs", copy_out(s.outputs));
    return o;
  });
}
val lab_confused(lab::Lab& lab, int scan, int max) {
  return job_or_error([&] { return lab.confused_async(scan, max); });
}
val lab_neuron(lab::Lab& lab, int layer, int unit, int samples) {
  return job_or_error([&] { return lab.neuron_async(layer, unit, samples); });
}
val lab_intervene(lab::Lab& lab, const val& inputs, int n, const std::string& hooks) {
  return value_or_error([&] {
    const lab::Lab::Intervention r = lab.intervene(emscripten::convertJSArrayToNumberVector<float>(inputs), n, hooks);
    val o = val::object(), rec = val::array();
    o.set("outputs", copy_out(r.outputs));
    int i = 0;
    for (const auto& [probe, v] : r.records) {
      val e = val::object();
      e.set("probe", probe);
      e.set("values", copy_out(v));
      rec.set(i++, e);
    }
    o.set("records", rec);
    return o;
  });
}
val lab_probes(lab::Lab& lab) {
  return value_or_error([&] { return val(lab.probes_json()); });
}
val lab_probe(lab::Lab& lab, const std::string& name, const val& inputs, int n) {
  return value_or_error([&] { return copy_out(lab.probe(name, emscripten::convertJSArrayToNumberVector<float>(inputs), n)); });
}
val lab_samples(lab::Lab& lab, const std::string& split, double start, double count) {
  return value_or_error([&] {
    val o = val::object();
    o.set("x", copy_out(lab.samples(split, (long long)start, (long long)count)));
    o.set("y", copy_out(lab.sample_targets(split, (long long)start, (long long)count)));
    return o;
  });
}
std::string registries() { return lab::registries_json(); }
std::string attribution_methods() { return lab::Lab::attribution_methods_json(); }
val lab_attribute(lab::Lab& lab, const std::string& method, const val& inputs, int n, const std::string& options) {
  return job_or_error([&] { return lab.attribute_async(method, emscripten::convertJSArrayToNumberVector<float>(inputs), n, options); });
}
// null when the call is not one for attribute_now (the caller submits the job), {map, json} or {error}.
val lab_attribute_now(lab::Lab& lab, const std::string& method, const val& inputs, int n, const std::string& options) {
  try {
    std::vector<float> map;
    std::string json;
    if (!lab.attribute_now(method, emscripten::convertJSArrayToNumberVector<float>(inputs), n, options, &map, &json)) return val::null();
    val o = val::object();
    o.set("map", val(emscripten::typed_memory_view(map.size(), map.data())).call<val>("slice"));
    o.set("json", json);
    return o;
  } catch (const std::exception& e) {
    return error_value(lab::readable_error(e));
  }
}
val lab_arena(lab::Lab& lab, const std::string& config) {
  return job_or_error([&] { return lab.arena_async(config); });
}

std::string job_state(const lab::Job& j) { return lab::job_state_name(j.state()); }
bool job_finished(const lab::Job& j) { return j.finished(); }
double job_progress(const lab::Job& j) { return j.progress(); }
std::string job_error(const lab::Job& j) { return j.error(); }
std::string job_result_json(const lab::Job& j) { return j.finished() ? j.result_json : std::string(); }
void job_cancel(lab::Job& j) { j.cancel(); }
// A copy of the float result (a view would die when the job or the heap changes).
val job_result(const lab::Job& j) {
  if (!j.finished()) return val::null();
  return val(emscripten::typed_memory_view(j.result.size(), j.result.data())).call<val>("slice");
}

int lab_threads(const lab::Lab& l) { return l.threads(); }
int lab_max_threads(const lab::Lab& l) { return l.max_threads(); }
int lab_set_threads(lab::Lab& l, int n) { return l.set_threads(n); }
bool lab_force_reference(const lab::Lab& l) { return l.force_reference(); }
void lab_set_force_reference(lab::Lab& l, bool on) { l.set_force_reference(on); }

}  // namespace

EMSCRIPTEN_BINDINGS(neuronlab_core) {
  using namespace emscripten;
  function("buildInfo", &build_info);
  function("registries", &registries);
  function("attributionMethods", &attribution_methods);
  class_<lab::Job>("Job")
      .smart_ptr<std::shared_ptr<lab::Job>>("JobPtr")
      .function("state", &job_state)
      .function("finished", &job_finished)
      .function("progress", &job_progress)
      .function("error", &job_error)
      .function("result", &job_result)
      .function("resultJson", &job_result_json)
      .function("cancel", &job_cancel);
  class_<lab::Lab>("Lab")
      .constructor<int>()
      .function("threads", &lab_threads)
      .function("maxThreads", &lab_max_threads)
      .function("setThreads", &lab_set_threads)
      .function("forceReference", &lab_force_reference)
      .function("setForceReference", &lab_set_force_reference)
      .function("matmul", &lab_matmul)
      .function("matmulBench", &lab_matmul_bench)
      .function("load", &lab_load)
      .function("spec", &lab_spec)
      .function("setHyperparameters", &lab_set_hyper)
      .function("hasExperiment", &lab_has_experiment)
      .function("train", &lab_train)
      .function("metrics", &lab_metrics)
      .function("evaluation", &lab_evaluation)
      .function("evaluating", &lab_evaluating)
      .function("pump", &lab_pump)
      .function("digest", &lab_digest)
      .function("predict", &lab_predict)
      .function("exportModelJson", &lab_export_json)
      .function("exportModelBinary", &lab_export_binary)
      .function("importModel", &lab_import)
      .function("setAsset", &lab_set_asset)
      .function("hasAsset", &lab_has_asset)
      .function("trainUntil", &lab_train_until)
      .function("history", &lab_history)
      .function("replay", &lab_replay)
      .function("reset", &lab_reset)
      .function("setWeight", &lab_set_weight)
      .function("info", &lab_info)
      .function("inputSize", &lab_input_size)
      .function("weights", &lab_weights)
      .function("activations", &lab_activations)
      .function("probes", &lab_probes)
      .function("intervene", &lab_intervene)
      .function("surface", &lab_surface)
      .function("mostConfused", &lab_confused)
      .function("neuron", &lab_neuron)
      .function("probe", &lab_probe)
      .function("samples", &lab_samples)
      .function("attribute", &lab_attribute)
      .function("attributeNow", &lab_attribute_now)
      .function("arena", &lab_arena);
}
