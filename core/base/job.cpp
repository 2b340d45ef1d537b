#include "base/job.h"
#include "base/json_input.h"

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

void JobRunner::run_one(Job& job, const Fn& fn) {
  if (job.cancel_requested()) {
    job.state_.store(Job::State::Cancelled, std::memory_order_release);
    return;
  }
  job.state_.store(Job::State::Running, std::memory_order_release);
  Job::State end = Job::State::Done;
  try {
    fn(job);
    job.set_progress(1.0);
  } catch (const JobCancelled&) {
    end = Job::State::Cancelled;
  } catch (const std::exception& e) {
    job.error_ = readable_error(e);
    end = Job::State::Failed;
  } catch (...) {
    job.error_ = "unknown error";
    end = Job::State::Failed;
  }
  job.state_.store(end, std::memory_order_release);
}

#if defined(LAB_SINGLE_THREADED)

JobRunner::JobRunner() = default;
JobRunner::~JobRunner() = default;

std::shared_ptr<Job> JobRunner::submit(std::string name, Fn fn) {
  auto job = std::make_shared<Job>(std::move(name));
  run_one(*job, fn);
  return job;
}

int JobRunner::pending() const { return 0; }
void JobRunner::loop() {}

#else

JobRunner::JobRunner() : thread_([this] { loop(); }) {}

JobRunner::~JobRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    for (auto& q : queue_) q.first->cancel();
    if (running_) running_->cancel();
  }
  cv_.notify_all();
  thread_.join();
}

std::shared_ptr<Job> JobRunner::submit(std::string name, Fn fn) {
  auto job = std::make_shared<Job>(std::move(name));
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.emplace_back(job, std::move(fn));
  }
  cv_.notify_one();
  return job;
}

int JobRunner::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size()) + (running_ ? 1 : 0);
}

void JobRunner::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    auto [job, fn] = std::move(queue_.front());
    queue_.pop_front();
    running_ = job;
    lock.unlock();
    run_one(*job, fn);
    lock.lock();
    running_.reset();
  }
}

#endif

}  // namespace lab
