// run_loop.cpp — the Controller running: [SECTION] running (play, pause, steps, reset, weight edits, replay) · [SECTION] jobs and snapshots (frame, chunks, job results)
#include "state/controller.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "state/controller_internal.h"

namespace lab::ui {

using namespace tuning;

// [SECTION] running --------------------------------------------------------------------------------

void Controller::play() {
  if (!lab_.has_experiment()) return;
  doctor_.clear();
  if (view_->metrics.stopped) {
    stop_msg_ = view_->metrics.stop_reason + ". Change the stop conditions to train on.";
    return;
  }
  playing_ = true;
  step_target_ = -1;
  live("Training started.");
}

void Controller::set_speed(double steps_per_second) {
  speed_ = std::max(0.0, steps_per_second);
  speed_budget_ = 0;
}

void Controller::pause() {
  if (!playing_) return;
  playing_ = false;
  if (busy() && job_kind_ == "train") job_->cancel();
  live("Training paused at step " + std::to_string(view_->step) + ".");
  state_changed();
}

void Controller::step_batch() {
  pause();
  step_target_ = 1;  // worked out when the chunk starts (a cancelled chunk may still be finishing)
}

void Controller::step_epoch() {
  pause();
  step_target_ = 2;
}

void Controller::reset() {
  pause();
  if (busy()) {
    pending_reset_ = true;
    return;
  }
  if (!lab_.has_experiment()) return;
  try {
    lab_.reset();
  } catch (const std::exception& e) {
    error_ = e.what();
    return;
  }
  exp_seen_ = lab_.experiment();
  curves = Curves{};
  doctor_.clear();
  doctor_is_warning_ = warning_dismissed_ = false;
  stop_msg_.clear();
  refresh_pending_ = true;
  live("Reset: the weights are back to their initial values from seed " + std::to_string(spec_.value("seed", 1)) + ".");
  state_changed();
}

bool Controller::set_weight(int layer, const std::string& param, long long index, float value) {
  pause();
  if (busy()) {
    pending_weights_.push_back({layer, param, index, value});
    return true;
  }
  try {
    lab_.set_weight(layer, param, index, value);
  } catch (const std::exception& e) {
    error_ = e.what();
    return false;
  }
  refresh_pending_ = true;
  state_changed();
  return true;
}

void Controller::replay(const std::string& history_json, const std::string& what) {
  playing_ = false;
  step_target_ = -1;
  if (busy()) job_->cancel();
  pending_replay_ = history_json;
  pending_replay_what_ = what;
}

std::string Controller::progress_text() const {
  if (!progress_what_.empty()) return progress_what_;
  // Anything else that takes over half a second gets a progress bar too.
  if (job_ && now_ms_ - job_started_ms_ > 500) {
    if (job_kind_ == "load") return "Building the data and the network…";
    if (job_kind_ == "neuron") return "Profiling the neuron over the test set…";
  }
  return {};
}

double Controller::progress() const {
  if (!job_ && !pending_dataset_.empty()) return download_progress_;
  return job_ ? job_->progress() : 0.0;
}

// A replay's measured pace: from its first progress on (building the data comes before), the rest at the
// rate so far. Above kAskAboveS seconds, and not answered yet, the question is put.
void Controller::watch_replay() {
  const double p = job_->progress();
  if (p <= 0) return;
  if (replay_t1_ < 0) {
    replay_t1_ = now_ms_, replay_p1_ = p;
    return;
  }
  const double spent = now_ms_ - replay_t1_;
  if (spent < 500 || p <= replay_p1_) return;
  const double rest_s = (1.0 - p) * spent / (p - replay_p1_) / 1000.0;
  replay_estimate_s_ = (now_ms_ - job_started_ms_) / 1000.0 + rest_s;
  if (!replay_answered_ && rest_s > kAskAboveS) replay_question_ = true;
}

std::string Controller::replay_question_text() const {
  return "This experiment replays " + group_digits(replay_steps_) + " training steps to where it was shared: about " +
         duration_words(replay_estimate_s_) + " on this computer (" + duration_words(std::max(0.0, replay_estimate_s_ - (now_ms_ - job_started_ms_) / 1000.0)) +
         " to go). Replay it all, or open it at step 0: its data, network and settings as shared, the weights as they start, "
         "and its history kept to replay later.";
}

void Controller::replay_kept() {
  if (kept_replay_.empty()) return;
  const std::string h = kept_replay_;
  kept_replay_.clear();
  notice_.clear();
  replay_answered_ = true;  // asked already
  replay(h, "Replaying the kept history…");
}

void Controller::cancel() {
  if (job_) job_->cancel();
  pending_replay_.clear();
  if (!pending_dataset_.empty() && !job_) {  // a dataset's download: the file still arrives (and stays), unused now
    pending_dataset_.clear();
    progress_what_.clear();
  }
}

void Controller::select_sample(int test_index) {
  selected_ = std::max(0, test_index);
  refresh_pending_ = true;
}

void Controller::show_page(int first) {
  page_first_ = std::max(0, first);
  refresh_pending_ = true;
}

// The doctor's second look (LossWatch in the core): a run that goes wrong without NaN is flagged with the
// same fix button; the warning goes when the loss comes back; Dismiss keeps it away until a reset.
void Controller::watch_warning(const Metrics& m) {
  if (!m.warning.empty() && !warning_dismissed_ && (doctor_.empty() || doctor_is_warning_)) {
    if (!doctor_is_warning_ || doctor_.empty()) live("Warning: " + m.warning);
    doctor_ = m.warning;
    doctor_lr_ = m.warning_lr;
    doctor_is_warning_ = true;
  } else if (m.warning.empty() && doctor_is_warning_) {
    doctor_.clear();
    doctor_is_warning_ = false;
  }
}

void Controller::clear_doctor() {
  if (doctor_is_warning_) warning_dismissed_ = true;
  doctor_.clear();
  doctor_is_warning_ = false;
}

void Controller::apply_doctor_fix() {
  if (doctor_lr_ > 0) {
    json patch = {{"optimizer", {{"lr", doctor_lr_}}}};
    set_hyper(patch);
    if (spec_.contains("regularization") &&
        (spec_["regularization"].value("l1", 0.0) >= 1 || spec_["regularization"].value("l2", 0.0) >= 1))
      set_hyper({{"regularization", {{"l1", 0}, {"l2", 0}}}});
  }
  doctor_.clear();
  reset();
}

// [SECTION] jobs and snapshots ---------------------------------------------------------------------

void Controller::frame(double now_ms) {
  if (now_ms_ > 0) frame_dt_ += (std::clamp(now_ms - now_ms_, 1.0, 500.0) - frame_dt_) * 0.1;
  // The pace: steps the speed allows, accumulated while playing (at most a quarter second's worth).
  if (playing_ && speed_ > 0 && now_ms_ > 0)
    speed_budget_ = std::min(speed_budget_ + speed_ * std::clamp(now_ms - now_ms_, 0.0, 500.0) / 1000.0, std::max(1.0, speed_ * 0.25));
  now_ms_ = now_ms;
  if (job_ && job_->finished()) on_job_done();
  if (job_ && job_kind_ == "replay") watch_replay();
  if (job_) return;

  // Work waiting for the job to end, in order.
  if (has_pending_spec_) {
    has_pending_spec_ = false;
    load_spec(pending_spec_);
  }
  if (!pending_replay_.empty()) {
    std::string h = pending_replay_;
    pending_replay_.clear();
    try {
      job_ = lab_.replay_async(h);
      job_kind_ = "replay";
      progress_what_ = pending_replay_what_.empty() ? "Replaying the experiment…" : pending_replay_what_;
      job_started_ms_ = now_ms;
      replay_history_ = h;
      const json hj = json::parse(h, nullptr, false);
      replay_steps_ = hj.is_object() ? hj.value("step", 0LL) : 0;
      replay_t1_ = -1, replay_p1_ = 0, replay_estimate_s_ = -1;
      replay_question_ = false;
    } catch (const std::exception& e) {
      error_ = std::string("This experiment could not be replayed: ") + e.what();
    }
    if (job_) return;
  }
  if (deferred_neuron_) {
    auto f = std::move(deferred_neuron_);
    deferred_neuron_ = nullptr;
    f();
    if (job_) return;
  }
  for (const json& p : pending_hyper_) set_hyper(p);
  pending_hyper_.clear();
  for (const auto& w : pending_weights_) set_weight(w.layer, w.param, w.index, w.value);
  pending_weights_.clear();
  if (pending_reset_) {
    pending_reset_ = false;
    reset();
  }
  sync_from_lab();
  if (!lab_.has_experiment()) return;

  const bool stepping = step_target_ >= 0;
  if (playing_ || stepping) {
    auto e = lab_.experiment();
    long long steps;
    if (stepping) {
      steps = step_target_ == 1 ? 1 : std::max(1LL, e->steps_to_epoch_end());
      step_target_ = -1;
    } else {
      // Threaded: keep the job thread busy until the next frame looks (a slow frame gets a longer chunk);
      // inline: short chunks, they run inside the frame.
      const double target = kThreaded ? std::max(kChunkMsThreaded, frame_dt_ * 0.9) : kChunkMsInline;
      // A new network starts with one step to measure it; a chunk at most quadruples the last one.
      steps = calibrated_ ? (long long)std::clamp(target / std::max(chunk_ms_per_step_, 1e-4), 1.0, 200000.0) : 1;
      steps = std::min(steps, std::max(1LL, last_chunk_steps_ * 4));
      last_chunk_steps_ = steps;
      if (speed_ > 0) {  // no faster than the speed: what the budget holds, else wait for the next frame
        steps = std::min<long long>(steps, (long long)speed_budget_);
        speed_budget_ -= (double)steps;
      }
    }
    if (steps > 0) {
      // Between two chunks nothing trains: the moment to save the run (the URL and the autosave, every
      // kStateEveryMs while playing), so that a reload comes back close to where it was.
      if (autosave_due_ && now_ms - last_state_ms_ > 300) emit_state();
      submit_chunk(steps, stepping);
      return;
    }
  }
  if (refresh_pending_) {
    refresh_pending_ = false;
    refresh();
  }
  if (autosave_due_ && now_ms - last_state_ms_ > 300) emit_state();
}

void Controller::sync_from_lab() {
  if (!lab_.has_experiment()) return;
  auto e = lab_.experiment();
  if (e != exp_seen_) {  // loaded or reset through the JS API (or a replay finished)
    spec_ = json::parse(lab_.spec_json());
    exp_seen_ = e;
    calibrated_ = false;
    last_chunk_steps_ = 1;
    curves = Curves{};
    refresh_pending_ = true;
    state_changed();
    return;
  }
  if (e->step() != view_->step) {  // trained through the JS API
    spec_ = json::parse(lab_.spec_json());
    refresh_pending_ = true;
  }
}

void Controller::submit_chunk(long long steps, bool single) {
  auto e = lab_.experiment();
  const bool eval = single || !playing_ || now_ms_ - last_eval_ms_ > kEvalEveryMs;
  if (eval) last_eval_ms_ = now_ms_;
  auto snap = std::make_shared<Snapshot>();
  job_snapshot_ = snap;
  const int sel = selected_, page = page_first_;
  auto prev = view_;
  Lab* lab = &lab_;
  job_steps_ = steps;
  // Threaded: the chunk evaluates on the job thread. Single-threaded: a full evaluation could take seconds
  // inside one frame, so the chunk only trains; the evaluation follows as a sliced job (a batch per slice,
  // a few per frame), then a last job puts its metrics into the chunk's snapshot.
  const bool eval_inline = eval && kThreaded;
  job_ = lab_.jobs().submit("train", [e, steps, eval_inline, snap, sel, page, prev, lab](Job& job) {
    bool stopped = false;
    const auto t0 = std::chrono::steady_clock::now();
    auto took = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
    try {
      stopped = e->train_until(steps, lab->exec(), &job);
    } catch (const TrainingDiverged&) {
      *snap = *compute_snapshot(*e, true, sel, page, prev);
      throw;
    } catch (const JobCancelled&) {
      *snap = *compute_snapshot(*e, kThreaded, sel, page, prev);  // paused: show the state reached
      throw;
    }
    const double ms = took();
    *snap = *compute_snapshot(*e, eval_inline || stopped, sel, page, prev);
    snap->train_ms = ms;
  });
  if (eval && !kThreaded) {
    auto chunk = job_;
    lab_.evaluate_async();
    auto confused = scan_confused(e);
    job_ = lab_.jobs().submit("metrics", [chunk, snap, e, confused](Job&) {
      if (chunk->state() == Job::State::Failed) throw std::runtime_error(chunk->error());
      if (chunk->state() == Job::State::Cancelled) throw JobCancelled();
      snap->metrics = e->metrics();
      snap->evaluated = true;
      if (confused && !snap->plane && snap->task == "classification" && snap->output_dim > 1)
        set_confused(*snap, confused->result(), e->dataset());
    });
  }
  job_kind_ = "train";
  job_started_ms_ = now_ms_;
}

void Controller::refresh() {
  if (!lab_.has_experiment()) return;
  auto e = lab_.experiment();
  auto snap = std::make_shared<Snapshot>();
  job_snapshot_ = snap;
  const int sel = selected_, page = page_first_;
  auto prev = view_;
  // The evaluation is a sliced job of its own (in slices between frames in the single-threaded build);
  // the snapshot runs after it and takes its metrics.
  lab_.evaluate_async();
  auto confused = scan_confused(e);
  job_ = lab_.jobs().submit("snapshot", [e, snap, sel, page, prev, confused](Job&) {
    *snap = *compute_snapshot(*e, false, sel, page, prev, confused ? &confused->result() : nullptr);
    snap->evaluated = true;
  });
  job_kind_ = "snapshot";
  job_started_ms_ = now_ms_;
}

std::shared_ptr<ConfusedScan> Controller::scan_confused(const std::shared_ptr<Experiment>& e) {
  if (!e->raw_train_x().empty()) return nullptr;  // 2-D data: the plane instead
  auto sc = std::make_shared<ConfusedScan>(*e, kConfusedScan, kMaxConfused);
  lab_.jobs().submit_sliced("confused", [e, sc, z = SliceSizer()](Job& j) mutable {
    const bool done = kThreaded ? sc->step() : z.run([&](int rows) { return sc->step(rows); });
    j.set_progress(sc->progress());
    return done;
  });
  return sc;
}

void Controller::on_job_done() {
  auto job = job_;
  job_.reset();
  const std::string kind = job_kind_;
  job_kind_.clear();
  const Job::State st = job->state();
  if (kind == "replay") {
    progress_what_.clear();
    replay_question_ = false;
    if (st == Job::State::Done) {
      exp_seen_.reset();  // adopt the replayed experiment
      sync_from_lab();
      if (!replay_digest_.empty()) {
        const std::string d = lab_.digest();
        notice_ = d == replay_digest_ ? "Replayed bit for bit: the weights digest " + d + " matches the file."
                                      : "Replayed, but the digest " + d + " differs from the file's " + replay_digest_ + ".";
        replay_digest_.clear();
      }
      live("Experiment restored at step " + std::to_string(lab_.experiment()->step()) + ".");
    } else if (st == Job::State::Failed) {
      error_ = "This experiment could not be replayed: " + job->error();
    } else if (st == Job::State::Cancelled) {
      // Where the run stands: the experiment at step 0, its history kept for a replay later.
      const json hj = json::parse(replay_history_, nullptr, false);
      if (hj.is_object() && hj.contains("spec")) {
        kept_replay_ = replay_history_;
        replay_digest_.clear();
        char done[160];
        const double pct = 100.0 * job->progress();
        if (pct < 1)
          std::snprintf(done, sizeof done, "The replay stopped after less than 1%% of its %s steps.", group_digits(replay_steps_).c_str());
        else
          std::snprintf(done, sizeof done, "The replay stopped after about %.0f%% of its %s steps.", pct, group_digits(replay_steps_).c_str());
        notice_ = std::string(done) +
                  " The lab shows the experiment at step 0: its data, network and settings, with the weights it starts from. "
                  "Its whole history is kept: Replay it takes it to step " +
                  group_digits(replay_steps_) + ".";
        live(notice_);
        load_spec(hj["spec"]);
      }
    }
    return;
  }
  if (kind == "load") {
    if (st == Job::State::Done) {
      error_.clear();
      after_rebuild();
    } else if (st == Job::State::Failed) {
      error_ = job->error();
    }
    return;
  }
  if (kind == "neuron") {
    if (st == Job::State::Done && job_neuron_)
      neuron_ = *job_neuron_;
    else if (neuron_.layer == (job_neuron_ ? job_neuron_->layer : -2)) {
      neuron_.ready = true;
      neuron_.error = st == Job::State::Cancelled ? "cancelled" : job->error();
    }
    job_neuron_.reset();
    return;
  }
  // train or snapshot
  auto snap = job_snapshot_;
  job_snapshot_.reset();
  if (snap && !snap->layers.empty()) {
    snap->version = view_->version + 1;
    if (kind == "train" && st == Job::State::Done && job_steps_ > 0 && snap->train_ms > 0) {
      const double per = snap->train_ms / (double)job_steps_;
      chunk_ms_per_step_ = calibrated_ ? 0.5 * chunk_ms_per_step_ + 0.5 * per : per;
      calibrated_ = true;
    }
    if (exp_seen_ && lab_.has_experiment() && lab_.experiment() == exp_seen_) {
      view_ = snap;
      watch_warning(snap->metrics);
      if (snap->evaluated && (curves.step.empty() || curves.step.back() < (float)snap->step || snap->step == 0)) {
        if (!curves.step.empty() && curves.step.back() == (float)snap->step) {
          // same step evaluated again (e.g. after an edit): replace the last point
          curves.step.pop_back();
          curves.train_loss.pop_back();
          curves.test_loss.pop_back();
          curves.train_acc.pop_back();
          curves.test_acc.pop_back();
        }
        curves.step.push_back((float)snap->step);
        curves.train_loss.push_back(snap->metrics.train_loss);
        curves.test_loss.push_back(snap->metrics.test_loss);
        curves.train_acc.push_back(snap->metrics.train_accuracy);
        curves.test_acc.push_back(snap->metrics.test_accuracy);
      }
      if (kind == "train") {
        curves.batch_step.push_back((float)snap->step);
        curves.batch_loss.push_back(snap->metrics.batch_loss);
      }
    }
  }
  if (st == Job::State::Failed) {
    playing_ = false;
    const std::string msg = job->error();
    if (msg.find("training stopped at step") != std::string::npos) {
      doctor_ = msg;
      doctor_is_warning_ = false;
      const float lr = spec_["optimizer"].value("lr", 0.03f);
      doctor_lr_ = std::max(1e-6f, lr / 10);
      live("Training stopped: " + msg);
    } else {
      error_ = msg;
    }
    state_changed();
  } else if (st == Job::State::Done && kind == "train" && view_->metrics.stopped) {
    playing_ = false;
    stop_msg_ = view_->metrics.stop_reason;
    live("Training finished: " + stop_msg_ + ".");
    state_changed();
  }
  if (kind == "train" && playing_) {
    if (now_ms_ - last_live_ms_ > kLiveEveryMs) live(status_sentence());
    if (now_ms_ - last_state_ms_ > kStateEveryMs) autosave_due_ = true;
  }
  if (kind == "train" && !playing_) {
    // A single step or an epoch stepped by hand: the screen reader hears where the run stands.
    if (st == Job::State::Done && !view_->metrics.stopped) live(status_sentence());
    state_changed();
  }
}

}  // namespace lab::ui
