#include "base/job.h"
#include "base/json_input.h"

#include <chrono>

namespace lab {

const char* job_state_name(Job::State s) {
  switch (s) {
    case Job::State::Queued:
      return "queued";
    case Job::State::Running:
      return "running";
    case Job::State::Done:
      return "done";
    case Job::State::Failed:
      return "failed";
    case Job::State::Cancelled:
      return "cancelled";
  }
  return "unknown";
}

bool JobRunner::run_slice(Entry& e) {
  Job& job = *e.job;
  Job::State end = Job::State::Done;
  try {
    job.check_cancel();  // before the first slice, and between slices
    job.state_.store(Job::State::Running, std::memory_order_release);
    if (!e.slice(job)) return false;
    job.set_progress(1.0);
  } catch (const JobCancelled&) {
    end = Job::State::Cancelled;
  } catch (const std::exception& ex) {
    job.error_ = readable_error(ex);
    end = Job::State::Failed;
  } catch (...) {
    job.error_ = "unknown error";
    end = Job::State::Failed;
  }
  job.state_.store(end, std::memory_order_release);
  return true;
}

#if defined(LAB_SINGLE_THREADED)
JobRunner::JobRunner() : JobRunner(Inline) {}
#else
JobRunner::JobRunner() : JobRunner(Threaded) {}
#endif

JobRunner::JobRunner(Mode mode) : mode_(mode) {
#if defined(LAB_SINGLE_THREADED)
  mode_ = Inline;  // no threads in this build
#else
  if (mode_ == Threaded) thread_ = std::thread([this] { loop(); });
#endif
}

JobRunner::~JobRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    for (auto& q : queue_) q.job->cancel();
    if (running_) running_->cancel();
  }
  if (mode_ == Threaded) {
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  } else {
    for (auto& q : queue_) run_slice(q);  // cancelled: marks each job finished
    queue_.clear();
  }
}

std::shared_ptr<Job> JobRunner::submit(std::string name, Fn fn) {
  return enqueue(std::move(name), [fn = std::move(fn)](Job& j) {
    fn(j);
    return true;
  }, true);
}

std::shared_ptr<Job> JobRunner::submit_sliced(std::string name, SliceFn slice) { return enqueue(std::move(name), std::move(slice), false); }

std::shared_ptr<Job> JobRunner::enqueue(std::string name, SliceFn slice, bool plain) {
  auto job = std::make_shared<Job>(std::move(name));
  bool run_now;
  {
    std::lock_guard<std::mutex> lock(mu_);
    run_now = mode_ == Inline && plain && !pumping_ && queue_.empty();
    queue_.push_back({job, std::move(slice)});
  }
  if (mode_ == Threaded)
    cv_.notify_one();
  else if (run_now)
    pump(1e300, true);  // the only job queued: run it before returning, as a single-threaded caller expects
  return job;
}

int JobRunner::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size()) + (running_ ? 1 : 0);
}

int JobRunner::pump(double ms) { return pump(ms, false); }

int JobRunner::pump(double ms, bool first_only) {
  if (mode_ == Threaded || pumping_) return pending();
  pumping_ = true;
  const auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    Entry e;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.empty()) break;
      e = std::move(queue_.front());
      queue_.pop_front();
      running_ = e.job;
    }
    const bool done = run_slice(e);
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_.reset();
      if (!done) queue_.push_front(std::move(e));
    }
    if (first_only && done) break;
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() >= ms) break;
  }
  pumping_ = false;
  return pending();
}

void JobRunner::loop() {
  if (mode_ != Threaded) return;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    Entry e = std::move(queue_.front());
    queue_.pop_front();
    running_ = e.job;
    lock.unlock();
    while (!run_slice(e)) {
    }
    lock.lock();
    running_.reset();
  }
}

}  // namespace lab
