// snapshot.cpp — what the views draw, computed off the main thread: [SECTION] snapshots (the core's analyses, experiment/analyses.h) · [SECTION] neuron reports
#include "state/controller.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "state/controller_internal.h"

namespace lab::ui {

using namespace tuning;

// [SECTION] snapshots -------------------------------------------------------------------------------

void Controller::set_confused(Snapshot& s, const Confusions& c, const Dataset& d) {
  const size_t in = d.input_size();
  s.confused = c.index;
  s.confused_p = c.p;
  s.confused_label = c.label;
  s.confused_pred = c.predicted;
  s.confused_x.clear();
  for (int i : c.index) s.confused_x.insert(s.confused_x.end(), d.test_x.begin() + (size_t)i * in, d.test_x.begin() + (size_t)(i + 1) * in);
}

std::shared_ptr<Snapshot> Controller::compute_snapshot(Experiment& e, bool evaluate, int selected, int page_first,
                                                       std::shared_ptr<const Snapshot> prev, const Confusions* confused) {
  auto s = std::make_shared<Snapshot>();
  if (evaluate) e.evaluate(Exec{nullptr, false});
  s->evaluated = evaluate;
  s->metrics = e.metrics();
  s->step = s->metrics.step;
  s->epoch = s->metrics.epoch;
  s->digest = e.digest();
  const Dataset& d = e.dataset();  // never changes after the experiment is built
  s->task = d.task == TaskKind::Classification ? "classification" : "regression";
  s->num_classes = d.num_classes;
  s->output_dim = d.output_dim;
  s->class_names = d.class_names;
  s->feature_names = d.feature_names;
  s->input_shape = d.input_shape;
  s->n_test = (int)d.n_test();
  s->n_train = (int)d.n_train();
  s->page_size = kPageSize;
  {
    std::lock_guard<std::mutex> l(e.mutex());
    Model& m = e.model();
    for (size_t i = 0; i < m.num_layers(); ++i) {
      Layer& L = m.layer(i);
      LayerView v;
      v.type = L.type();
      const LayerSpec sp = L.spec();
      if (auto it = sp.str.find("activation"); it != sp.str.end()) v.activation = it->second;
      v.out_shape = m.layer_output_shape(i);
      for (const Param& p : L.params()) {
        std::vector<float> vals(p.value->data(), p.value->data() + p.value->size());
        s->num_params += vals.size();
        if (p.name == "weight") {
          v.weight = std::move(vals);
          v.weight_shape = p.value->shape();
        } else if (p.name == "bias")
          v.bias = std::move(vals);
      }
      s->layers.push_back(std::move(v));
    }
  }
  const int outs = d.output_dim;
  const size_t in = d.input_size();
  if (!e.raw_train_x().empty()) {  // the 2-D plane
    s->plane = true;
    Surface sf = decision_surface(e, kGrid);  // experiment/analyses.h: the same numbers as lab.surface()
    s->grid = sf.grid;
    s->x0 = sf.x0;
    s->x1 = sf.x1;
    s->y0 = sf.y0;
    s->y1 = sf.y1;
    s->grid_out = std::move(sf.outputs);
    s->grid_act = std::move(sf.activations);
    auto take = [&](const std::vector<float>& xy, std::vector<float>& out) {
      const size_t n = std::min<size_t>(xy.size() / 2, kMaxPlanePoints);
      out.assign(xy.begin(), xy.begin() + n * 2);
      return n;
    };
    const size_t ntr = take(e.raw_train_x(), s->train_xy), nte = take(e.raw_test_x(), s->test_xy);
    if (d.task == TaskKind::Classification) {
      s->train_label.assign(d.train_label.begin(), d.train_label.begin() + ntr);
      s->test_label.assign(d.test_label.begin(), d.test_label.begin() + nte);
    } else {
      s->train_t.assign(d.train_y.begin(), d.train_y.begin() + ntr * outs);
      s->test_t.assign(d.test_y.begin(), d.test_y.begin() + nte * outs);
    }
    return s;
  }
  // Images and tables: a page of test samples, the selected sample's activations, the most confused.
  const int nte = (int)d.n_test();
  if (nte == 0) return s;
  s->shown_first = std::clamp(page_first, 0, std::max(0, nte - 1));
  const int shown = std::min(kPageSize, nte - s->shown_first);
  s->shown_x.assign(d.test_x.begin() + (size_t)s->shown_first * in, d.test_x.begin() + (size_t)(s->shown_first + shown) * in);
  s->shown_out = e.predict(s->shown_x.data(), shown);
  if (d.task == TaskKind::Classification)
    s->shown_label.assign(d.test_label.begin() + s->shown_first, d.test_label.begin() + s->shown_first + shown);
  s->selected = std::clamp(selected, 0, nte - 1);
  s->selected_x.assign(d.test_x.begin() + (size_t)s->selected * in, d.test_x.begin() + (size_t)(s->selected + 1) * in);
  for (const Tensor& t : e.probe(s->selected_x.data(), 1)) s->selected_act.emplace_back(t.data(), t.data() + t.size());
  if (d.task == TaskKind::Classification && outs > 1) {
    if (confused) {
      set_confused(*s, *confused, d);
    } else if (evaluate || !prev) {
      set_confused(*s, most_confused(e, kConfusedScan, kMaxConfused), d);  // as lab.mostConfused()
    } else {
      s->confused = prev->confused;
      s->confused_p = prev->confused_p;
      s->confused_label = prev->confused_label;
      s->confused_pred = prev->confused_pred;
      s->confused_x = prev->confused_x;
    }
  }
  return s;  // without a new evaluation, metrics() still holds the last one's numbers
}

// [SECTION] neuron reports ---------------------------------------------------------------------------

void Controller::inspect_neuron(int layer, int unit) {
  neuron_open = true;
  neuron_ = NeuronReport{};
  neuron_.layer = layer;
  neuron_.unit = unit;
  if (busy() && job_kind_ == "train") job_->cancel();  // the report runs when the chunk has stopped
  if (!lab_.has_experiment()) return;
  auto e = lab_.experiment();
  auto rep = std::make_shared<NeuronReport>();
  rep->layer = layer;
  rep->unit = unit;
  job_neuron_ = rep;
  auto submit = [this, e, rep, layer, unit] {
    // A sliced job (256 samples a slice: between frames in the single-threaded build), as lab.neuron().
    job_ = lab_.jobs().submit_sliced("neuron", [e, rep, layer, unit, scan = std::shared_ptr<NeuronScan>(), z = SliceSizer()](Job& job) mutable {
      if (!scan) {
        scan = std::make_shared<NeuronScan>(*e, layer, unit, kNeuronSamples);
        return false;
      }
      if (!(kThreaded ? scan->step() : z.run([&](int rows) { return scan->step(rows); }))) {
        job.set_progress(scan->progress());
        return false;
      }
      const NeuronProfile& p = scan->result();
      const Dataset& d = e->dataset();
      const size_t in = d.input_size();
      rep->values = p.values;
      rep->top = p.top;
      rep->top_value = p.top_value;
      for (int i : p.top) rep->top_x.insert(rep->top_x.end(), d.test_x.begin() + (size_t)i * in, d.test_x.begin() + (size_t)(i + 1) * in);
      rep->incoming = p.incoming;
      rep->outgoing = p.outgoing;
      rep->bias = p.bias;
      rep->title = p.title;
      rep->ready = true;
      return true;
    });
    job_kind_ = "neuron";
  };
  if (!busy())
    submit();
  else
    deferred_neuron_ = submit;
}

}  // namespace lab::ui
