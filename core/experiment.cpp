// experiment.cpp — [SECTION] construction · [SECTION] one training step · [SECTION] evaluation ·
// [SECTION] prediction and parameters
#include "experiment.h"

#include "attribution.h"

#include <algorithm>
#include <cstring>

#include "job.h"
#include "loss.h"

namespace lab {

namespace {
constexpr double kExplodingGradNorm = 1e6;  // ‖g‖ beyond this: the run has blown up, stop it
constexpr float kBatchLossSmoothing = 0.05f;
constexpr int kEvalBatch = 256;

std::string fmt(float v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}
}  // namespace

// [SECTION] construction -----------------------------------------------------------------------------

Experiment::Experiment(const Spec& spec, const DatasetAssets* assets)
    : spec_(spec), shuffle_rng_(spec.seed, 2), dropout_rng_(spec.seed, 3) {
  data_ = make_dataset(spec.dataset, spec.data, assets);
  if (!spec.features.empty()) {  // 2-D inputs → the chosen features (the spec checked the names)
    raw_train_x_ = data_.train_x;
    raw_test_x_ = data_.test_x;
    data_.train_x = featurize(raw_train_x_.data(), (int)(raw_train_x_.size() / 2));
    data_.test_x = featurize(raw_test_x_.data(), (int)(raw_test_x_.size() / 2));
    data_.input_shape = {(int)spec.features.size()};
    data_.feature_names = spec.features;
    for (auto* mask : {&data_.train_mask, &data_.test_mask}) {  // a feature matters if a source does
      if (mask->empty()) continue;
      const std::vector<float> m2 = *mask;
      const size_t n = m2.size() / 2, F = spec.features.size();
      mask->assign(n * F, 0.0f);
      for (size_t i = 0; i < n; ++i)
        for (size_t f = 0; f < F; ++f) {
          const std::string& name = spec.features[f];
          const bool uses1 = name.find("x1") != std::string::npos, uses2 = name.find("x2") != std::string::npos;
          (*mask)[i * F + f] = (uses1 && m2[i * 2] > 0) || (uses2 && m2[i * 2 + 1] > 0) ? 1.0f : 0.0f;
        }
    }
  } else if (data_.input_shape.size() == 1 && data_.input_shape[0] == 2 && find_dataset(spec.dataset) &&
             find_dataset(spec.dataset)->kind == "2d") {
    raw_train_x_ = data_.train_x;
    raw_test_x_ = data_.test_x;
  }
  if (data_.n_train() == 0) throw std::invalid_argument("spec.data: the training split is empty; use more samples or a smaller test_ratio");
  loss_name_ = spec.loss.empty() ? (data_.task == TaskKind::Classification ? "softmax_cross_entropy" : "mse") : spec.loss;
  const LossInfo& L = loss(loss_name_);
  if (L.needs_labels && data_.task != TaskKind::Classification)
    throw std::invalid_argument("spec.loss: " + loss_name_ + " needs class labels, but '" + data_.name + "' is a regression task; use mse");
  Rng init_rng(spec.seed, 1);
  model_ = std::make_unique<Model>(Shape(data_.input_shape.begin(), data_.input_shape.end()), spec.layers, spec.init, init_rng);
  const int outs = (int)shape_size(model_->output_shape());
  const bool single_binary = data_.task == TaskKind::Classification && data_.num_classes == 2 && outs == 1 && loss_name_ != "softmax_cross_entropy";
  if (outs != data_.output_dim && !single_binary)
    throw std::invalid_argument("spec.model: the last layer has " + std::to_string(outs) + " output" + (outs == 1 ? "" : "s") + ", but '" +
                                data_.name + "' needs " + std::to_string(data_.output_dim) +
                                (data_.task == TaskKind::Classification ? " (one per class)" : " (one per target)"));
  opt_ = make_optimizer(spec.optimizer);
  params_ = model_->params();
  order_.resize(data_.n_train());
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = (int)i;
  metrics_.lr = spec.optimizer.lr;
}

long long Experiment::step() const {
  std::lock_guard<std::mutex> l(mu_);
  return step_;
}

Metrics Experiment::metrics() const {
  std::lock_guard<std::mutex> l(mu_);
  return metrics_;
}

long long Experiment::set_hyperparameters(const Spec& updated) {
  std::lock_guard<std::mutex> l(mu_);
  Spec same = updated;  // everything but the hyper-parameters must stay
  same.optimizer = spec_.optimizer;
  same.schedule = spec_.schedule;
  same.batch_size = spec_.batch_size;
  same.l1 = spec_.l1;
  same.l2 = spec_.l2;
  same.stop = spec_.stop;
  same.warnings.clear();
  Spec mine = spec_;
  mine.warnings.clear();
  if (spec_to_json(same) != spec_to_json(mine))
    throw std::invalid_argument("only the optimizer, schedule, batch_size and regularization can change during a run; "
                                "data, model and seed need load(spec)");
  const bool stop_changed = updated.stop.epochs != spec_.stop.epochs || updated.stop.test_loss != spec_.stop.test_loss ||
                            updated.stop.test_accuracy != spec_.stop.test_accuracy;
  if (stop_changed) { metrics_.stopped = false; metrics_.stop_reason.clear(); }
  if (updated.optimizer.name != spec_.optimizer.name) {
    opt_ = make_optimizer(updated.optimizer);
  } else {
    validate_optimizer(updated.optimizer);
    opt_->config() = updated.optimizer;
  }
  spec_.optimizer = updated.optimizer;
  spec_.schedule = updated.schedule;
  spec_.batch_size = updated.batch_size;
  spec_.l1 = updated.l1;
  spec_.l2 = updated.l2;
  spec_.stop = updated.stop;
  return step_;
}

// [SECTION] one training step ----------------------------------------------------------------------

void Experiment::train(long long n, const Exec& exec, Job* job) {
  for (long long i = 0; i < n; ++i) {
    if (job) {
      job->check_cancel();
      job->set_progress((double)i / (double)n);
    }
    std::lock_guard<std::mutex> l(mu_);
    one_step(exec);
  }
}

long long Experiment::steps_to_epoch_end() const {
  std::lock_guard<std::mutex> l(mu_);
  const long long left = (long long)data_.n_train() - (long long)pos_;
  return (left + spec_.batch_size - 1) / spec_.batch_size;
}

bool Experiment::train_until(long long n, const Exec& exec, Job* job) {
  if (!spec_.stop.any()) {
    train(n, exec, job);
    return false;
  }
  if (metrics().stopped) return true;
  long long done = 0;
  while (done < n) {
    const long long chunk = std::min(n - done, steps_to_epoch_end());
    for (long long i = 0; i < chunk; ++i) {
      if (job) {
        job->check_cancel();
        job->set_progress((double)(done + i) / (double)n);
      }
      std::lock_guard<std::mutex> l(mu_);
      one_step(exec);
    }
    done += chunk;
    std::lock_guard<std::mutex> l(mu_);
    if (pos_ != 0) break;  // n ran out inside an epoch
    const Spec::Stop& st = spec_.stop;
    char why[160] = "";
    if (st.epochs > 0 && epoch_ >= st.epochs) {
      std::snprintf(why, sizeof why, "reached %d epoch%s", st.epochs, st.epochs == 1 ? "" : "s");
    } else if (st.test_loss > 0 || st.test_accuracy > 0) {
      Metrics m = metrics_;
      evaluate_split(exec, false, m);
      evaluate_split(exec, true, m);
      metrics_ = m;
      if (st.test_loss > 0 && m.test_loss <= st.test_loss)
        std::snprintf(why, sizeof why, "reached the target test loss %g (%.4g) after epoch %d", st.test_loss, m.test_loss, epoch_);
      else if (st.test_accuracy > 0 && m.test_accuracy >= st.test_accuracy)
        std::snprintf(why, sizeof why, "reached the target test accuracy %g (%.4g) after epoch %d", st.test_accuracy, m.test_accuracy, epoch_);
    }
    if (why[0]) {
      metrics_.stopped = true;
      metrics_.stop_reason = why;
      return true;
    }
  }
  return false;
}

// L1/L2 on the weights: adds the penalty's gradient to each weight's gradient; returns the penalty.
//   penalty = l2/2 · Σ w² + l1 · Σ |w|
float Experiment::regularize() {
  const float l1 = spec_.l1, l2 = spec_.l2;
  if (l1 == 0.0f && l2 == 0.0f) return 0.0f;
  double pen = 0;
  for (auto& p : params_) {
    if (!p.regularised) continue;
    float* w = p.value->data();
    float* g = p.grad->data();
    for (size_t i = 0; i < p.value->size(); ++i) {
      pen += 0.5 * l2 * w[i] * w[i] + l1 * std::fabs(w[i]);
      g[i] += l2 * w[i] + (w[i] > 0 ? l1 : w[i] < 0 ? -l1 : 0.0f);
    }
  }
  return (float)pen;
}

void Experiment::one_step(const Exec& exec) {
  const size_t n_train = data_.n_train(), in = data_.input_size();
  if (pos_ == 0) {  // a new epoch: Fisher–Yates with the shuffle stream
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[shuffle_rng_.below((uint32_t)i)]);
  }
  const int B = (int)std::min<size_t>(spec_.batch_size, n_train - pos_);
  Shape bs = data_.input_shape;
  bs.insert(bs.begin(), B);
  xb_.resize(bs);
  const bool cls = data_.task == TaskKind::Classification;
  yb_.resize(cls ? B : 0);
  tb_.resize(cls ? 0 : (size_t)B * data_.output_dim);
  for (int b = 0; b < B; ++b) {
    const int idx = order_[pos_ + b];
    std::memcpy(xb_.data() + (size_t)b * in, data_.train_x.data() + (size_t)idx * in, in * sizeof(float));
    if (cls) yb_[b] = data_.train_label[idx];
    else std::memcpy(tb_.data() + (size_t)b * data_.output_dim, data_.train_y.data() + (size_t)idx * data_.output_dim, data_.output_dim * sizeof(float));
  }
  LayerCtx ctx{exec, true, &dropout_rng_};
  model_->forward(xb_, ctx);
  Targets t;
  if (cls) t.labels = yb_.data(); else t.values = tb_.data();
  const float data_loss = loss(loss_name_).compute(model_->output(), t, &dout_);
  const float lr = scheduled_lr(spec_.schedule, opt_->config().lr, step_);
  auto diverge = [&](const std::string& what) {
    std::string cause;
    if (spec_.l1 >= 1.0f || spec_.l2 >= 1.0f)
      cause = "the regularisation rate (l1 " + fmt(spec_.l1) + ", l2 " + fmt(spec_.l2) + ") is too strong; lower it";
    else
      cause = "the learning rate " + fmt(lr) + " is too high for this model; try " + fmt(lr / 10) + " and reset";
    const std::string msg = "training stopped at step " + std::to_string(step_) + ": " + what + ". Likely cause: " + cause + ".";
    metrics_.diverged = true;
    metrics_.diverged_reason = msg;
    throw TrainingDiverged(msg);
  };
  if (!std::isfinite(data_loss)) diverge("the loss became " + std::string(std::isnan(data_loss) ? "NaN" : "infinite"));
  model_->backward(dout_, ctx);
  const float pen = regularize();
  // ‖g‖²: eight partial sums (fixed order, so still deterministic) instead of one long dependent chain.
  double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (auto& p : params_) {
    const float* g = p.grad->data();
    const size_t n = p.grad->size();
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
      for (int k = 0; k < 8; ++k) part[k] += (double)g[i + k] * g[i + k];
    for (; i < n; ++i) part[i % 8] += (double)g[i] * g[i];
  }
  const double norm2 = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  if (!std::isfinite(norm2)) diverge("the gradients became NaN or infinite");
  if (std::sqrt(norm2) > kExplodingGradNorm) diverge("the gradients exploded (norm " + fmt((float)std::sqrt(norm2)) + ")");
  opt_->step(params_, lr);
  ++step_;
  pos_ += B;
  if (pos_ >= n_train) {
    pos_ = 0;
    ++epoch_;
  }
  metrics_.step = step_;
  metrics_.epoch = epoch_;
  metrics_.lr = lr;
  metrics_.reg_loss = pen;
  metrics_.batch_loss = std::isnan(metrics_.batch_loss) ? data_loss : metrics_.batch_loss + kBatchLossSmoothing * (data_loss - metrics_.batch_loss);
  metrics_.diverged = false;
  metrics_.diverged_reason.clear();
}

// [SECTION] evaluation ------------------------------------------------------------------------------

void Experiment::evaluate_split(const Exec& exec, bool test, Metrics& m) {
  const std::vector<float>& X = test ? data_.test_x : data_.train_x;
  const size_t n = test ? data_.n_test() : data_.n_train(), in = data_.input_size();
  if (n == 0) return;
  const bool cls = data_.task == TaskKind::Classification;
  const int K = data_.num_classes, D = data_.output_dim;
  const LossInfo& L = loss(loss_name_);
  double loss_sum = 0, sq = 0, ss_tot = 0;
  size_t correct = 0;
  std::vector<int> conf(cls && test ? (size_t)K * K : 0, 0);
  std::vector<double> mean(cls ? 0 : D, 0.0);
  if (!cls) {
    const std::vector<float>& Y = test ? data_.test_y : data_.train_y;
    for (size_t i = 0; i < n; ++i)
      for (int j = 0; j < D; ++j) mean[j] += Y[i * D + j] / n;
  }
  LayerCtx ctx{exec, false, nullptr};
  Tensor xb;
  for (size_t b0 = 0; b0 < n; b0 += kEvalBatch) {
    const int B = (int)std::min<size_t>(kEvalBatch, n - b0);
    Shape bs = data_.input_shape;
    bs.insert(bs.begin(), B);
    xb.resize(bs);
    std::memcpy(xb.data(), X.data() + b0 * in, (size_t)B * in * sizeof(float));
    model_->forward(xb, ctx);
    const Tensor& out = model_->output();
    const int outs = (int)out.row_size();
    Targets t;
    if (cls) t.labels = (test ? data_.test_label : data_.train_label).data() + b0;
    else t.values = (test ? data_.test_y : data_.train_y).data() + b0 * D;
    loss_sum += (double)L.compute(out, t, nullptr) * B;
    for (int b = 0; b < B; ++b) {
      const float* o = out.data() + (size_t)b * outs;
      if (cls) {
        int pred;
        if (outs == 1) pred = o[0] > (loss_name_ == "bce_logits" ? 0.0f : 0.5f) ? 1 : 0;
        else pred = (int)(std::max_element(o, o + outs) - o);
        const int y = t.labels[b];
        correct += pred == y;
        if (test && pred < K) conf[(size_t)y * K + pred]++;
      } else {
        for (int j = 0; j < D; ++j) {
          const double e = o[j] - t.values[(size_t)b * D + j], dm = t.values[(size_t)b * D + j] - mean[j];
          sq += e * e;
          ss_tot += dm * dm;
        }
      }
    }
  }
  (test ? m.test_loss : m.train_loss) = (float)(loss_sum / n);
  if (cls) {
    (test ? m.test_accuracy : m.train_accuracy) = (float)correct / n;
    if (test) {
      m.confusion = conf;
      m.per_class_accuracy.assign(K, NAN);
      for (int k = 0; k < K; ++k) {
        int row = 0;
        for (int j = 0; j < K; ++j) row += conf[(size_t)k * K + j];
        if (row) m.per_class_accuracy[k] = (float)conf[(size_t)k * K + k] / row;
      }
    }
  } else {
    (test ? m.test_rmse : m.train_rmse) = (float)std::sqrt(sq / ((double)n * D));
    (test ? m.test_r2 : m.train_r2) = ss_tot > 0 ? (float)(1.0 - sq / ss_tot) : NAN;
  }
}

Metrics Experiment::evaluate(const Exec& exec) {
  std::lock_guard<std::mutex> l(mu_);
  Metrics m = metrics_;
  evaluate_split(exec, false, m);
  evaluate_split(exec, true, m);
  metrics_ = m;
  return m;
}

// [SECTION] prediction and parameters ------------------------------------------------------------------

// Runs the model in inference mode over n inputs in batches of kEvalBatch; after each forward,
// take(first row, rows) reads what it needs from the model. The caller holds mu_.
template <class Take>
void Experiment::forward_batches(const float* x, int n, Take take) {
  const size_t in = data_.input_size();
  LayerCtx ctx{Exec{nullptr, false}, false, nullptr};
  Tensor xb;  // (B, input...)
  for (int b0 = 0; b0 < n; b0 += kEvalBatch) {
    const int B = std::min(kEvalBatch, n - b0);
    Shape bs = data_.input_shape;
    bs.insert(bs.begin(), B);
    xb.resize(bs);
    std::memcpy(xb.data(), x + (size_t)b0 * in, (size_t)B * in * sizeof(float));
    model_->forward(xb, ctx);
    take(b0, B);
  }
}

std::vector<float> Experiment::predict(const float* x, int n) {
  std::lock_guard<std::mutex> l(mu_);
  const int outs = (int)shape_size(model_->output_shape());
  std::vector<float> out((size_t)n * outs);  // (n, outs)
  forward_batches(x, n, [&](int b0, int B) {
    std::memcpy(out.data() + (size_t)b0 * outs, model_->output().data(), (size_t)B * outs * sizeof(float));
  });
  return out;
}

std::string Experiment::digest() {
  std::lock_guard<std::mutex> l(mu_);
  return model_->digest();
}

namespace {
Param find_param(Model& m, int layer, const std::string& param) {
  if (layer < 0 || layer >= (int)m.num_layers())
    throw std::invalid_argument("layer " + std::to_string(layer) + " does not exist (the model has layers 0 to " + std::to_string((int)m.num_layers() - 1) + ")");
  for (const Param& p : m.layer(layer).params())
    if (p.name == param) return p;
  throw std::invalid_argument("layer " + std::to_string(layer) + " (" + m.layer(layer).type() + ") has no parameter '" + param + "'");
}
void check_index(const Param& p, int layer, long long index) {
  if (index < 0 || index >= (long long)p.value->size())
    throw std::invalid_argument("layer " + std::to_string(layer) + " " + p.name + " has " + std::to_string(p.value->size()) +
                                " values; index " + std::to_string(index) + " is out of range");
}
}  // namespace

float Experiment::set_weight(int layer, const std::string& param, long long index, float value, long long* at) {
  std::lock_guard<std::mutex> l(mu_);
  if (at) *at = step_;
  if (!std::isfinite(value)) throw std::invalid_argument("a weight must be a finite number");
  Param p = find_param(*model_, layer, param);
  check_index(p, layer, index);
  const float old = p.value->data()[index];
  p.value->data()[index] = value;
  return old;
}

float Experiment::weight(int layer, const std::string& param, long long index) {
  std::lock_guard<std::mutex> l(mu_);
  Param p = find_param(*model_, layer, param);
  check_index(p, layer, index);
  return p.value->data()[index];
}

std::vector<float> Experiment::parameter(int layer, const std::string& param) {
  std::lock_guard<std::mutex> l(mu_);
  Param p = find_param(*model_, layer, param);
  return std::vector<float>(p.value->data(), p.value->data() + p.value->size());
}

std::vector<Tensor> Experiment::probe(const float* x, int n) {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<Tensor> out(model_->num_layers());  // out[i]: (n, layer i's output...)
  for (size_t i = 0; i < out.size(); ++i) {
    Shape s = model_->layer_output_shape(i);
    s.insert(s.begin(), n);
    out[i].resize(s);
  }
  forward_batches(x, n, [&](int b0, int B) {
    for (size_t i = 0; i < out.size(); ++i) {
      const size_t row = out[i].row_size();
      std::memcpy(out[i].data() + (size_t)b0 * row, model_->activations(i).data(), (size_t)B * row * sizeof(float));
    }
  });
  return out;
}

std::vector<float> Experiment::featurize(const float* raw, int n) const {
  if (spec_.features.empty()) return std::vector<float>(raw, raw + (size_t)n * (raw_train_x_.empty() ? data_.input_size() : 2));
  const size_t F = spec_.features.size();
  std::vector<float> out((size_t)n * F);
  for (int i = 0; i < n; ++i)
    for (size_t f = 0; f < F; ++f) out[(size_t)i * F + f] = input_feature(spec_.features[f], raw[2 * i], raw[2 * i + 1]);
  return out;
}

void Experiment::set_parameters(const std::vector<std::vector<float>>& values) {
  std::lock_guard<std::mutex> l(mu_);
  auto ps = model_->params();
  if (values.size() != ps.size())
    throw std::invalid_argument("the model has " + std::to_string(ps.size()) + " parameter tensors, the file " + std::to_string(values.size()));
  for (size_t i = 0; i < ps.size(); ++i)
    if (values[i].size() != ps[i].value->size())
      throw std::invalid_argument("parameter " + std::to_string(i) + " (" + ps[i].name + ") has " + std::to_string(values[i].size()) +
                                  " values in the file, the model needs " + std::to_string(ps[i].value->size()));
  for (size_t i = 0; i < ps.size(); ++i) std::copy(values[i].begin(), values[i].end(), ps[i].value->data());
}

}  // namespace lab

namespace lab {

std::unique_ptr<Model> Experiment::snapshot_model() {
  std::lock_guard<std::mutex> l(mu_);
  return attr::clone_model(*model_);
}

void Experiment::shuffle_train_labels(uint64_t seed) {
  std::lock_guard<std::mutex> l(mu_);
  Rng rng(seed, 0x1abe1);
  const size_t n = data_.n_train();
  const size_t od = data_.task == TaskKind::Classification ? 0 : (size_t)data_.output_dim;
  for (size_t i = n; i > 1; --i) {
    const size_t j = rng.below((uint32_t)i);
    if (od == 0) std::swap(data_.train_label[i - 1], data_.train_label[j]);
    else
      for (size_t k = 0; k < od; ++k) std::swap(data_.train_y[(i - 1) * od + k], data_.train_y[j * od + k]);
  }
}

}  // namespace lab
