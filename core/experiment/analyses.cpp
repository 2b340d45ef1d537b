#include "experiment/analyses.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>

namespace lab {

std::vector<float> softmax_row(const float* o, int k) {
  std::vector<float> p(k);
  float m = *std::max_element(o, o + k);
  double s = 0;
  for (int i = 0; i < k; ++i) s += (p[i] = std::exp(o[i] - m));
  for (auto& v : p) v = (float)(v / s);
  return p;
}

Surface decision_surface(Experiment& e, int grid, float extent) {
  if (e.raw_train_x().empty()) throw std::invalid_argument("surface: the data is not 2-D points, so there is no plane to draw");
  if (grid < 2 || grid > 512) throw std::invalid_argument("surface: grid must be between 2 and 512 (got " + std::to_string(grid) + ")");
  if (!(extent > 0) || extent > 1e6) throw std::invalid_argument("surface: extent must be a positive number");
  Surface s;
  s.grid = grid;
  s.x0 = s.y0 = -extent;
  s.x1 = s.y1 = extent;
  s.points.resize((size_t)grid * grid * 2);
  for (int r = 0; r < grid; ++r)
    for (int c = 0; c < grid; ++c) {
      s.points[((size_t)r * grid + c) * 2] = s.x0 + (s.x1 - s.x0) * (c + 0.5f) / grid;
      s.points[((size_t)r * grid + c) * 2 + 1] = s.y1 - (s.y1 - s.y0) * (r + 0.5f) / grid;
    }
  const std::vector<float> x = e.featurize(s.points.data(), grid * grid);
  const std::vector<Tensor> acts = e.probe(x.data(), grid * grid);  // acts[i]: (grid², layer i's output...)
  s.outputs.assign(acts.back().data(), acts.back().data() + acts.back().size());
  s.activations.resize(acts.size());
  for (size_t i = 0; i + 1 < acts.size(); ++i)
    if (acts[i].rank() == 2) s.activations[i].assign(acts[i].data(), acts[i].data() + acts[i].size());
  return s;
}

Confusions most_confused(Experiment& e, int scan, int max) {
  ConfusedScan c(e, scan, max);
  while (!c.step()) {
  }
  return c.result();
}

namespace {
constexpr int kScanChunk = 256;  // at most the experiment's inference batch (a row's output does not depend on the others)
}

ConfusedScan::ConfusedScan(Experiment& e, int scan, int max) : e_(e), max_(max) {
  const Dataset& d = e.dataset();  // fixed after construction
  outs_ = d.output_dim;
  n_ = std::min<int>(std::max(scan, 0), (int)d.n_test());
  if (d.task != TaskKind::Classification || outs_ < 2) n_ = 0;
  out_.reserve((size_t)n_ * outs_);
}

bool ConfusedScan::step(int max_rows) {
  if (finished_) return true;
  const Dataset& d = e_.dataset();
  if (done_ < n_) {
    const int B = std::min({kScanChunk, std::max(1, max_rows), n_ - done_});
    const std::vector<float> o = e_.predict(d.test_x.data() + (size_t)done_ * d.input_size(), B);  // (B, outs)
    out_.insert(out_.end(), o.begin(), o.end());
    done_ += B;
    if (done_ < n_) return false;
  }
  std::vector<std::pair<float, int>> wrong;
  for (int i = 0; i < n_; ++i) {
    const float* o = out_.data() + (size_t)i * outs_;
    const int pred = (int)(std::max_element(o, o + outs_) - o);
    if (pred != d.test_label[i]) wrong.push_back({softmax_row(o, outs_)[pred], i});
  }
  std::sort(wrong.begin(), wrong.end(), [](auto& a, auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  if (wrong.size() > (size_t)std::max(max_, 0)) wrong.resize(std::max(max_, 0));
  for (auto& [p, i] : wrong) {
    const float* o = out_.data() + (size_t)i * outs_;
    c_.index.push_back(i);
    c_.p.push_back(p);
    c_.label.push_back(d.test_label[i]);
    c_.predicted.push_back((int)(std::max_element(o, o + outs_) - o));
  }
  finished_ = true;
  return true;
}

NeuronProfile neuron_profile(Experiment& e, int layer, int unit, int max_samples, Job* job) {
  NeuronScan scan(e, layer, unit, max_samples);
  for (;;) {
    if (job) {
      job->check_cancel();
      job->set_progress(scan.progress());
    }
    if (scan.step()) return scan.result();
  }
}

NeuronScan::NeuronScan(Experiment& e, int layer, int unit, int max_samples) : e_(e) {
  rep_.layer = layer;
  rep_.unit = unit;
  const Dataset& d = e.dataset();
  n_ = std::min<int>(std::max(max_samples, 0), (int)d.n_test());
  Shape shp;
  {
    std::lock_guard<std::mutex> l(e.mutex());
    Model& m = e.model();
    if (layer < 0 || layer >= (int)m.num_layers())
      throw std::invalid_argument("neuron: layer " + std::to_string(layer) + " does not exist (the model has layers 0 to " +
                                  std::to_string((int)m.num_layers() - 1) + ")");
    shp = m.layer_output_shape(layer);
  }
  units_ = shp.empty() ? 1 : shp[0];
  if (unit < 0 || unit >= units_)
    throw std::invalid_argument("neuron: layer " + std::to_string(layer) + " has units 0 to " + std::to_string(units_ - 1) + " (got " +
                                std::to_string(unit) + ")");
  shp_ = shp;
  per_ = shape_size(shp);
  plane_ = per_ / (size_t)units_;  // conv: the channel's H×W
  rep_.values.resize(n_);
}

bool NeuronScan::step(int max_rows) {
  if (b0_ >= n_) {
    if (!finished_) finish();
    return true;
  }
  const Dataset& d = e_.dataset();
  const int B = std::min({kScanChunk, std::max(1, max_rows), n_ - b0_});
  const std::vector<Tensor> acts = e_.probe(d.test_x.data() + (size_t)b0_ * d.input_size(), B);
  const float* a = acts[rep_.layer].data();
  for (int i = 0; i < B; ++i) {  // conv channels: the channel's mean activation
    double s = 0;
    for (size_t k = 0; k < plane_; ++k) s += a[(size_t)i * per_ + (size_t)rep_.unit * plane_ + k];
    rep_.values[b0_ + i] = (float)(s / plane_);
  }
  b0_ += B;
  return false;
}

void NeuronScan::finish() {
  finished_ = true;
  const int n = n_;
  const int layer = rep_.layer, unit = rep_.unit;
  NeuronProfile& rep = rep_;
  Experiment& e = e_;
  const Shape& shp = shp_;
  std::vector<int> idx(n);
  for (int i = 0; i < n; ++i) idx[i] = i;
  const int top = std::min(12, n);
  std::partial_sort(idx.begin(), idx.begin() + top, idx.end(),
                    [&](int a, int b) { return rep.values[a] > rep.values[b] || (rep.values[a] == rep.values[b] && a < b); });
  for (int i = 0; i < top; ++i) {
    rep.top.push_back(idx[i]);
    rep.top_value.push_back(rep.values[idx[i]]);
  }
  // Weights: the layer whose weight matrix makes this output (itself, or the one before an activation,
  // pool or norm), and the next weighted layer.
  std::lock_guard<std::mutex> l(e.mutex());
  Model& m = e.model();
  auto weight_matrix = [&](int i) -> const Tensor* {  // the layer's own tensor: the pointer stays valid
    for (const Param& p : m.layer(i).params())
      if (p.name == "weight" && p.value->rank() >= 2) return p.value;
    return nullptr;
  };
  int src = layer;
  while (src >= 0 && !weight_matrix(src)) --src;
  std::string title = "layer " + std::to_string(layer) + " (" + m.layer(layer).type();
  if (src >= 0) {
    for (const Param& p : m.layer(src).params()) {
      const size_t rows = (size_t)p.value->shape()[0];
      if (rows == 0 || (int)rows <= unit) continue;
      const size_t cols = p.value->size() / rows;
      if (p.name == "weight") rep.incoming.assign(p.value->data() + (size_t)unit * cols, p.value->data() + (size_t)(unit + 1) * cols);
      if (p.name == "bias") rep.bias = p.value->data()[unit];
    }
    if (src != layer) title += " after " + m.layer(src).type();
  }
  for (size_t nx = layer + 1; nx < m.num_layers(); ++nx) {
    const Tensor* w = weight_matrix((int)nx);
    if (!w) continue;
    if (m.layer(nx).type() == "dense" && m.layer(nx).input_shape().size() == 1) {
      const size_t rows = (size_t)w->shape()[0], cols = (size_t)w->shape()[1];  // (out, in)
      if ((size_t)unit < cols)
        for (size_t r = 0; r < rows; ++r) rep.outgoing.push_back(w->data()[r * cols + unit]);
    }
    break;
  }
  rep.title = title + "), " + (shp.size() == 3 ? "channel " : "neuron ") + std::to_string(unit);
}

}  // namespace lab
