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
// In a single-threaded build (LAB_SINGLE_THREADED) submit() runs the job to completion before it
// returns; the polling code stays the same.
#pragma once
#include <atomic>
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

class JobRunner {
 public:
  JobRunner();
  ~JobRunner();  // cancels queued and running jobs, then joins
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  using Fn = std::function<void(Job&)>;
  std::shared_ptr<Job> submit(std::string name, Fn fn);

  // Jobs submitted and not yet finished.
  int pending() const;

 private:
  static void run_one(Job& job, const Fn& fn);
  void loop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::shared_ptr<Job>, Fn>> queue_;
  std::shared_ptr<Job> running_;
#if !defined(LAB_SINGLE_THREADED)
  bool stop_ = false;
  std::thread thread_;
#endif
};

}  // namespace lab
