// trainer.cpp — [SECTION] construction and hyper-parameters · [SECTION] one step (regularisation, the
// divergence doctor) · [SECTION] stop conditions and evaluation
#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "nn/loss.h"

namespace lab {

namespace {
constexpr double kExplodingGradNorm = 1e6;  // ‖g‖ beyond this: the run has blown up, stop it
constexpr float kBatchLossSmoothing = 0.05f;

std::string fmt(double v, int digits = 6) {  // %g: 6 significant digits unless told
  char b[32];
  std::snprintf(b, sizeof b, "%.*g", digits, v);
  return b;
}
}  // namespace

// [SECTION] construction and hyper-parameters --------------------------------------------------------

Trainer::Trainer(Network& model, const Dataset& data, const TrainConfig& config, uint64_t seed)
    : model_(model), data_(data), cfg_(config), shuffle_rng_(seed, 2), dropout_rng_(seed, 3) {
  opt_ = make_optimizer(cfg_.optimizer);
  params_ = model_.trainable_params();
  order_.resize(data_.n_train());
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = (int)i;
  metrics_.lr = cfg_.optimizer.lr();
  cache_config();
  // The loss of a constant prediction, for the LossWatch.
  double guess = 0;
  if (cfg_.loss == "softmax_cross_entropy")
    guess = std::log((double)std::max(2, data_.num_classes));
  else if (cfg_.loss == "bce_logits")
    guess = std::log(2.0);
  else if (data_.n_train() > 0 && !data_.train_y.empty()) {  // mse: the targets' variance (mean over outputs)
    const size_t n = data_.n_train(), k = (size_t)std::max(1, data_.output_dim);
    for (size_t o = 0; o < k; ++o) {
      double m = 0, m2 = 0;
      for (size_t i = 0; i < n; ++i) m += data_.train_y[i * k + o];
      m /= n;
      for (size_t i = 0; i < n; ++i) m2 += (data_.train_y[i * k + o] - m) * (data_.train_y[i * k + o] - m);
      guess += m2 / n / k;
    }
  }
  watch_ = LossWatch(guess);
}

void LossWatch::add(double loss, float lr) {
  ++n_;
  if (std::isnan(slow_)) slow_ = loss;
  const double prev = slow_;
  slow_ += 0.02 * (loss - slow_);
  swing_ += 0.02 * (std::fabs(loss - prev) - swing_);
  // The best smoothed loss from the first step on (a rate that wrecks the run at once still starts from
  // the untrained loss); a new best counts as progress when 2 % lower.
  if (!(slow_ >= best_ * 0.98)) since_best_ = 0;
  else ++since_best_;
  best_ = std::min(best_, slow_);
  if (n_ < kWarmupSteps) return;
  const double far = best_ + std::max(guess_, 2 * best_);
  above_ = slow_ > far ? above_ + 1 : 0;
  const bool stuck = guess_ > 0 && n_ >= kStuckSteps && since_best_ >= kStuckSteps && slow_ >= 0.9 * guess_ && swing_ > 0.25 * slow_;
  const int kind = above_ >= kSustainedSteps ? 1 : stuck ? 2 : 0;
  // The words are rebuilt when the verdict changes and every 256 steps (their numbers), not every step.
  if (kind == kind_ && (kind == 0 || n_ % 256 != 0)) return;
  kind_ = kind;
  ++version_;
  if (kind == 1) {
    suggested_lr_ = lr / 10;
    warning_ = "The loss has stayed far above its best for " + std::to_string(above_) + " steps (now " + fmt(slow_, 3) + ", best " +
               fmt(best_, 3) + (guess_ > 0 ? ", guessing gives " + fmt(guess_, 3) : std::string()) +
               "). Likely cause: the learning rate " + fmt(lr, 3) + " is too high, so every step overshoots. Try " + fmt(lr / 10, 3) +
               " and reset.";
  } else if (kind == 2) {
    suggested_lr_ = lr / 10;
    warning_ = "After " + std::to_string(n_) + " steps the loss (" + fmt(slow_, 3) + ") is no better than guessing (" + fmt(guess_, 3) +
               ") and swings from batch to batch without progress. Likely cause: the learning rate " + fmt(lr, 3) +
               " is too high for this model. Try " + fmt(lr / 10, 3) + " and reset.";
  } else {
    warning_.clear();
    suggested_lr_ = 0;
  }
}

void Trainer::set_config(const TrainConfig& c) {
  if (c.optimizer.name != cfg_.optimizer.name) {
    opt_ = make_optimizer(c.optimizer);
  } else {
    validate_optimizer(c.optimizer);
    opt_->set_config(c.optimizer);
  }
  if (!(c.stop == cfg_.stop)) {
    metrics_.stopped = false;
    metrics_.stop_reason.clear();
  }
  cfg_ = c;
  cache_config();
}

void Trainer::cache_config() {
  base_lr_ = cfg_.optimizer.lr();
  schedule_ = &schedule_registry().at(cfg_.schedule.name);
  loss_ = &loss(cfg_.loss);
}

long long Trainer::steps_to_epoch_end() const {
  const long long left = (long long)data_.n_train() - (long long)pos_;
  return (left + cfg_.batch_size - 1) / cfg_.batch_size;
}

// [SECTION] one step --------------------------------------------------------------------------------

// L1/L2 on the weights: adds the penalty's gradient to each weight's gradient; returns the penalty.
//   penalty = l2/2 · Σ w² + l1 · Σ |w|
float Trainer::regularize() {
  const float l1 = cfg_.l1, l2 = cfg_.l2;
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

void Trainer::step(const Exec& exec) {
  const size_t n_train = data_.n_train(), in = data_.input_size();
  if (pos_ == 0) {  // a new epoch: Fisher–Yates with the shuffle stream
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[shuffle_rng_.below((uint32_t)i)]);
  }
  const int B = (int)std::min<size_t>(cfg_.batch_size, n_train - pos_);
  Shape bs = data_.input_shape;
  bs.insert(bs.begin(), B);
  xb_.resize(bs);
  const bool cls = data_.task == TaskKind::Classification;
  yb_.resize(cls ? B : 0);
  tb_.resize(cls ? 0 : (size_t)B * data_.output_dim);
  for (int b = 0; b < B; ++b) {
    const int idx = order_[pos_ + b];
    std::memcpy(xb_.data() + (size_t)b * in, data_.train_x.data() + (size_t)idx * in, in * sizeof(float));
    if (cls)
      yb_[b] = data_.train_label[idx];
    else
      std::memcpy(tb_.data() + (size_t)b * data_.output_dim, data_.train_y.data() + (size_t)idx * data_.output_dim,
                  data_.output_dim * sizeof(float));
  }
  LayerCtx ctx{exec, true, &dropout_rng_};
  ctx.accumulate = false;  // one backward per step: it overwrites the gradients (= zero_grad + backward)
  model_.forward(xb_, ctx);
  Targets t;
  if (cls)
    t.labels = yb_.data();
  else
    t.values = tb_.data();
  const float data_loss = loss_->compute(model_.output(), t, &dout_);
  const float lr = schedule_->lr(cfg_.schedule, base_lr_, step_);
  auto diverge = [&](const std::string& what) {
    std::string cause;
    if (cfg_.l1 >= 1.0f || cfg_.l2 >= 1.0f)
      cause = "the regularisation rate (l1 " + fmt(cfg_.l1) + ", l2 " + fmt(cfg_.l2) + ") is too strong; lower it";
    else
      cause = "the learning rate " + fmt(lr) + " is too high for this model; try " + fmt(lr / 10) + " and reset";
    const std::string msg = "training stopped at step " + std::to_string(step_) + ": " + what + ". Likely cause: " + cause + ".";
    metrics_.diverged = true;
    metrics_.diverged_reason = msg;
    throw TrainingDiverged(msg);
  };
  if (!std::isfinite(data_loss)) diverge("the loss became " + std::string(std::isnan(data_loss) ? "NaN" : "infinite"));
  model_.backward(dout_, ctx);
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
  metrics_.batch_loss =
      std::isnan(metrics_.batch_loss) ? data_loss : metrics_.batch_loss + kBatchLossSmoothing * (data_loss - metrics_.batch_loss);
  watch_.add(data_loss, lr);
  if (watch_.version() != watch_seen_) {
    watch_seen_ = watch_.version();
    metrics_.warning = watch_.warning();
    metrics_.warning_lr = watch_.suggested_lr();
  }
  metrics_.diverged = false;
  metrics_.diverged_reason.clear();
}

// [SECTION] stop conditions and evaluation ------------------------------------------------------------

bool Trainer::check_stop(const Exec& exec) {
  const StopConditions& st = cfg_.stop;
  char why[160] = "";
  if (st.epochs > 0 && epoch_ >= st.epochs) {
    std::snprintf(why, sizeof why, "reached %d epoch%s", st.epochs, st.epochs == 1 ? "" : "s");
  } else if (st.test_loss > 0 || st.test_accuracy > 0) {
    evaluate(exec);
    const Metrics& m = metrics_;
    if (st.test_loss > 0 && m.test_loss <= st.test_loss)
      std::snprintf(why, sizeof why, "reached the target test loss %g (%.4g) after epoch %d", st.test_loss, m.test_loss, epoch_);
    else if (st.test_accuracy > 0 && m.test_accuracy >= st.test_accuracy)
      std::snprintf(why, sizeof why, "reached the target test accuracy %g (%.4g) after epoch %d", st.test_accuracy, m.test_accuracy,
                    epoch_);
  }
  if (!why[0]) return false;
  metrics_.stopped = true;
  metrics_.stop_reason = why;
  return true;
}

void Trainer::evaluate(const Exec& exec) {
  Metrics m = metrics_;
  evaluate_split(model_, data_, cfg_.loss, exec, false, m);
  evaluate_split(model_, data_, cfg_.loss, exec, true, m);
  metrics_ = m;
}

}  // namespace lab
