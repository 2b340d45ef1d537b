// experiment.cpp — [SECTION] construction · [SECTION] training · [SECTION] prediction and parameters
#include "experiment/experiment.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "base/job.h"
#include "nn/loss.h"
#include "train/trainer.h"

namespace lab {

namespace {
constexpr int kEvalBatch = 256;

// The training half of a spec, with the loss resolved.
TrainConfig train_config(const Spec& s, const std::string& loss) {
  TrainConfig c;
  static_cast<Hyperparameters&>(c) = s;
  c.loss = loss;
  return c;
}

// Refuses a network and batch size that would not fit the memory the lab trains in, before the first
// batch is allocated: parameters with their gradients and two optimizer copies, and the activations and
// gradients of every layer for the larger of a training batch and an evaluation chunk.
constexpr double kTrainingBudgetBytes = 1024.0 * 1024 * 1024;  // of the 2 GB wasm heap (data and code need the rest)
void check_memory(Model& m, int batch_size) {
  const double params = 16.0 * (double)m.num_params();
  double per_row = (double)shape_size(m.input_shape());
  for (size_t i = 0; i < m.num_layers(); ++i) per_row += (double)shape_size(m.layer_output_shape(i));
  per_row *= 12.0;  // floats: the value and two gradient buffers
  const int rows = std::max(batch_size, kEvalBatch);
  const double need = params + per_row * rows;
  if (need <= kTrainingBudgetBytes) return;
  char msg[600];
  const double fit = (kTrainingBudgetBytes - params) / per_row;
  if (fit >= kEvalBatch)
    std::snprintf(msg, sizeof msg,
                  "spec.batch_size: this network needs about %.2f GB to train on batches of %d (parameters, gradients and "
                  "optimizer state %.2f GB, activations %.2f GB); the lab has %.1f GB for it: a batch_size of at most %d fits",
                  need / 1e9, batch_size, params / 1e9, per_row * rows / 1e9, kTrainingBudgetBytes / 1e9, (int)fit);
  else
    std::snprintf(msg, sizeof msg,
                  "spec.model: this network needs about %.2f GB (parameters, gradients and optimizer state %.2f GB, activations "
                  "for %d samples %.2f GB); the lab has %.1f GB for it: use fewer units or filters, or a smaller input",
                  need / 1e9, params / 1e9, rows, per_row * rows / 1e9, kTrainingBudgetBytes / 1e9);
  throw std::invalid_argument(msg);
}

// The hyper-parameters (what may change during a run) of `from`, copied into `to`.
void copy_hyperparameters(Spec& to, const Spec& from) { static_cast<Hyperparameters&>(to) = from; }
}  // namespace

// [SECTION] construction -----------------------------------------------------------------------------

Experiment::Experiment(const Spec& spec, const DatasetAssets* assets) : spec_(spec) {
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
  const bool single_binary =
      data_.task == TaskKind::Classification && data_.num_classes == 2 && outs == 1 && loss_name_ != "softmax_cross_entropy";
  if (outs != data_.output_dim && !single_binary)
    throw std::invalid_argument("spec.model: the last layer has " + std::to_string(outs) + " output" + (outs == 1 ? "" : "s") + ", but '" +
                                data_.name + "' needs " + std::to_string(data_.output_dim) +
                                (data_.task == TaskKind::Classification ? " (one per class)" : " (one per target)"));
  check_memory(*model_, spec.batch_size);
  trainer_ = std::make_unique<Trainer>(*model_, data_, train_config(spec_, loss_name_), spec.seed);
}

long long Experiment::step() const {
  std::lock_guard<std::mutex> l(mu_);
  return trainer_->steps();
}

Metrics Experiment::metrics() const {
  std::lock_guard<std::mutex> l(mu_);
  return trainer_->metrics();
}

long long Experiment::set_hyperparameters(const Spec& updated) {
  std::lock_guard<std::mutex> l(mu_);
  Spec same = updated;  // everything but the hyper-parameters must stay
  copy_hyperparameters(same, spec_);
  same.warnings.clear();
  Spec mine = spec_;
  mine.warnings.clear();
  if (spec_to_json(same) != spec_to_json(mine))
    throw std::invalid_argument(
        "only the optimizer, schedule, batch_size and regularization can change during a run; "
        "data, model and seed need load(spec)");
  check_memory(*model_, updated.batch_size);
  trainer_->set_config(train_config(updated, loss_name_));
  copy_hyperparameters(spec_, updated);
  return trainer_->steps();
}

// [SECTION] training (the Trainer, train/trainer.h, does the work) ------------------------------------

void Experiment::train(long long n, const Exec& exec, Job* job) {
  for (long long i = 0; i < n; ++i) {
    if (job) {
      job->check_cancel();
      job->set_progress((double)i / (double)n);
    }
    std::lock_guard<std::mutex> l(mu_);
    trainer_->step(exec);
  }
}

long long Experiment::steps_to_epoch_end() const {
  std::lock_guard<std::mutex> l(mu_);
  return trainer_->steps_to_epoch_end();
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
      trainer_->step(exec);
    }
    done += chunk;
    std::lock_guard<std::mutex> l(mu_);
    if (!trainer_->at_epoch_start()) break;  // n ran out inside an epoch
    if (trainer_->check_stop(exec)) return true;
  }
  return false;
}

Metrics Experiment::evaluate(const Exec& exec) {
  std::lock_guard<std::mutex> l(mu_);
  trainer_->evaluate(exec);
  return trainer_->metrics();
}

Evaluation Experiment::start_evaluation() const {
  std::lock_guard<std::mutex> l(mu_);
  return trainer_->start_evaluation();
}

bool Experiment::evaluate_batch(Evaluation& ev, const Exec& exec, int max_rows) {
  std::lock_guard<std::mutex> l(mu_);
  return trainer_->next_batch(ev, exec, max_rows);
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
  forward_batches(
      x, n, [&](int b0, int B) { std::memcpy(out.data() + (size_t)b0 * outs, model_->output().data(), (size_t)B * outs * sizeof(float)); });
  return out;
}

std::string Experiment::digest() {
  std::lock_guard<std::mutex> l(mu_);
  return model_->digest();
}

namespace {
Param find_param(Model& m, int layer, const std::string& param) {
  if (layer < 0 || layer >= (int)m.num_layers())
    throw std::invalid_argument("layer " + std::to_string(layer) + " does not exist (the model has layers 0 to " +
                                std::to_string((int)m.num_layers() - 1) + ")");
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

int Experiment::resolve_layer(const std::string& ref) const {
  const Model& m = *model_;
  const bool digits = !ref.empty() && ref.size() < 10 && ref.find_first_not_of("0123456789") == std::string::npos;
  if (digits) return std::stoi(ref);  // its range is checked where it is used
  const int i = m.layer_index(ref);
  if (i >= 0) return i;
  std::string ids;
  for (size_t k = 0; k < m.num_layers(); ++k)
    if (!m.layer_id(k).empty()) ids += (ids.empty() ? "" : ", ") + m.layer_id(k);
  throw std::invalid_argument("no layer has the id '" + ref + "' (" + (ids.empty() ? "no layer has an id; use an index" : "ids: " + ids) +
                              ")");
}

float Experiment::set_weight(int layer, const std::string& param, long long index, float value, long long* at) {
  std::lock_guard<std::mutex> l(mu_);
  if (at) *at = trainer_->steps();
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
    throw std::invalid_argument("the model has " + std::to_string(ps.size()) + " parameter tensors, the file " +
                                std::to_string(values.size()));
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
  return model_->clone();
}

void Experiment::shuffle_train_labels(uint64_t seed) {
  std::lock_guard<std::mutex> l(mu_);
  Rng rng(seed, 0x1abe1);
  const size_t n = data_.n_train();
  const size_t od = data_.task == TaskKind::Classification ? 0 : (size_t)data_.output_dim;
  for (size_t i = n; i > 1; --i) {
    const size_t j = rng.below((uint32_t)i);
    if (od == 0)
      std::swap(data_.train_label[i - 1], data_.train_label[j]);
    else
      for (size_t k = 0; k < od; ++k) std::swap(data_.train_y[(i - 1) * od + k], data_.train_y[j * od + k]);
  }
}

}  // namespace lab
