// NeuronLab core — background jobs: heavy work off the caller's thread, polled without blocking.
//
// The browser's main thread must never block (it draws the UI and cannot wait on other threads), so
// anything heavy — a training run, a benchmark, an attribution — is a Job: submitted to a JobRunner,
// run on the runner's own thread in submission order, and polled by the UI each frame (or by the JS
// API through a Promise). A job reports progress in [0, 1], can be asked to cancel, and ends Done,
// Failed (with the exception's message) or Cancelled.
//
//   lab::JobRunner runner;
//   auto job = runner.submit("sum", [&](lab::Job& j) { for (int i = 0; i < 100; ++i) { j.check_cancel(); j.set_progress(i / 100.0); } });
//   while (!job->finished()) { /* draw a frame */ }
//
// A job that can run in time slices is submitted as a slice function: each call does a bounded piece of
// work (one evaluation batch, one training step) and returns true when the job is complete.
//
//   auto ev = runner.submit_sliced("evaluate", [state](lab::Job& j) { return state->next_batch(j); });
//
// A threaded runner calls the slices one after another on its thread. An inline runner (the
// single-threaded build's, or JobRunner(JobRunner::Inline)) has no thread: pump(ms) runs queued jobs,
// slice by slice, for about that many milliseconds — the page calls it once per frame, so no job
// freezes the page longer than one slice and cancel() takes effect at the next slice. On an inline
// runner, submit() of a plain job runs it at once when nothing is queued (the polling code stays the
// same); otherwise it waits its turn, in submission order.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lab {

// Thrown by Job::check_cancel() to unwind a cancelled job; the runner marks the job Cancelled.
struct JobCancelled : std::runtime_error {
  JobCancelled() : std::runtime_error("cancelled") {}
};

class Job {
 public:
  enum class State { Queued, Running, Done, Failed, Cancelled };
  explicit Job(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  State state() const { return state_.load(std::memory_order_acquire); }
  bool finished() const {
    State s = state();
    return s == State::Done || s == State::Failed || s == State::Cancelled;
  }
  double progress() const { return progress_.load(std::memory_order_relaxed); }
  // The failure message (State::Failed); empty otherwise. Valid once finished().
  const std::string& error() const { return error_; }

  // Any thread: ask the job to stop at its next check_cancel().
  void cancel() { cancel_.store(true, std::memory_order_relaxed); }
  bool cancel_requested() const { return cancel_.load(std::memory_order_relaxed); }

  // For the job's own function:
  void set_progress(double p) { progress_.store(p, std::memory_order_relaxed); }
  void check_cancel() const {
    if (cancel_requested()) throw JobCancelled();
  }

  // What the job produced, written by its function, read by others once finished(): a float buffer
  // and/or a JSON text (a report, a result object).
  std::vector<float> result;
  std::string result_json;

 private:
  friend class JobRunner;
  std::string name_;
  std::atomic<State> state_{State::Queued};
  std::atomic<double> progress_{0.0};
  std::atomic<bool> cancel_{false};
  std::string error_;
};

const char* job_state_name(Job::State s);

// Sizes the pieces of a sliced job's slices — rows of a batch, samples of a scan — from how long the last
// piece took, so that a slice takes about kTargetMs (an inline runner runs several a frame). Callers only
// use it where the rows a piece takes change no result.
//   SliceSizer z;  bool done = z.run([&](int rows) { return scan.step(rows); });
struct SliceSizer {
  static constexpr double kTargetMs = 6.0;
  int rows = 8;
  int max_rows = 256;
  template <class F>
  bool run(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool done = f(rows);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const double next = rows * kTargetMs / (ms > 0.05 ? ms : 0.05);
    rows = next < 1 ? 1 : next > max_rows ? max_rows : (int)next;
    return done;
  }
};

class JobRunner {
 public:
  enum Mode { Threaded, Inline };
  // The build's default: Threaded, or Inline in a single-threaded build (LAB_SINGLE_THREADED), which
  // has no threads to run one.
  JobRunner();
  explicit JobRunner(Mode mode);
  ~JobRunner();  // cancels queued and running jobs, then joins
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  using Fn = std::function<void(Job&)>;
  // One slice of a sliced job: returns true when the job is complete.
  using SliceFn = std::function<bool(Job&)>;
  std::shared_ptr<Job> submit(std::string name, Fn fn);
  std::shared_ptr<Job> submit_sliced(std::string name, SliceFn slice);

  Mode mode() const { return mode_; }
  // Inline runners: runs queued jobs for about `ms` milliseconds (at least one slice when any is
  // queued); returns the jobs still pending. Threaded runners: returns pending() at once.
  int pump(double ms);

  // Jobs submitted and not yet finished.
  int pending() const;

 private:
  struct Entry {
    std::shared_ptr<Job> job;
    SliceFn slice;
  };
  // Runs one slice of e; returns true when the job has finished (done, failed or cancelled).
  static bool run_slice(Entry& e);
  std::shared_ptr<Job> enqueue(std::string name, SliceFn slice, bool plain);
  int pump(double ms, bool first_only);
  void loop();

  Mode mode_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Entry> queue_;
  std::shared_ptr<Job> running_;
  bool pumping_ = false;  // inline: inside pump() (a job submitting a job queues it)
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lab
