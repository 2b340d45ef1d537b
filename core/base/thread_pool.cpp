#include "base/thread_pool.h"

#include <algorithm>
#include <chrono>

namespace lab {

namespace {
thread_local bool t_inside_pool = false;  // nested parallel_for runs inline
// Training calls parallel_for thousands of times a second, and waking a sleeping thread costs tens of
// µs (a futex; in wasm an Atomics.wait/notify round trip). So threads spin for a while before they
// sleep: long enough to bridge the gap between two kernels of a training step, short enough not to
// burn a core when the work stops.
constexpr auto kWorkerSpin = std::chrono::microseconds(200);
// The caller has nothing else to do while the last tasks finish, and a futex wake-up is slow in wasm
// (W3 training in wasm still does not scale on 2 threads; see the open note in issue 3).
constexpr auto kCallerSpin = std::chrono::microseconds(500);
template <class Pred>
void spin_while(Pred busy, std::chrono::microseconds how_long) {
  const auto until = std::chrono::steady_clock::now() + how_long;
  for (int i = 0; busy(); ++i) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) return;
  }
}
}  // namespace

int ThreadPool::hardware_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

ThreadPool::ThreadPool(int max_threads) {
#if defined(LAB_SINGLE_THREADED)
  max_threads = 1;
#endif
  max_threads_ = std::max(1, max_threads);
  active_.store(max_threads_);
  workers_.reserve(max_threads_ - 1);
  for (int i = 0; i < max_threads_ - 1; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::set_active_threads(int n) { active_.store(std::clamp(n, 1, max_threads_)); }

void ThreadPool::run_tasks() {
  for (;;) {
    size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= n_tasks_) return;
    try {
      (*fn_)(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ThreadPool::worker_loop(int index) {
  unsigned long seen = 0;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    // Training calls parallel_for thousands of times a second: spin a little before sleeping, since a
    // condition-variable wake-up costs far more than a short spin.
    if (!stop_ && generation_ == seen) {
      lock.unlock();
      spin_while([&] { return published_.load(std::memory_order_acquire) == seen; }, kWorkerSpin);
      lock.lock();
    }
    wake_.wait(lock, [&] { return stop_ || (generation_ != seen && index < helpers_wanted_); });
    if (stop_) return;
    seen = generation_;
    lock.unlock();
    t_inside_pool = true;
    run_tasks();
    t_inside_pool = false;
    lock.lock();
    running_.fetch_sub(1, std::memory_order_release);
    if (--helpers_running_ == 0) done_.notify_all();
  }
}

void ThreadPool::parallel_for(size_t n_tasks, const std::function<void(size_t)>& fn) {
  if (n_tasks == 0) return;
  const int threads = static_cast<int>(std::min<size_t>(active_threads(), n_tasks));
  if (threads <= 1 || t_inside_pool || workers_.empty()) {
    for (size_t i = 0; i < n_tasks; ++i) fn(i);
    return;
  }
  std::lock_guard<std::mutex> call(call_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn_ = &fn;
    n_tasks_ = n_tasks;
    next_.store(0);
    error_ = nullptr;
    helpers_wanted_ = threads - 1;
    helpers_running_ = threads - 1;
    running_.store(threads - 1, std::memory_order_relaxed);
    ++generation_;
    published_.store(generation_, std::memory_order_release);
  }
  wake_.notify_all();
  t_inside_pool = true;
  run_tasks();
  t_inside_pool = false;
  // The helpers usually finish within microseconds of the caller: spin briefly before sleeping.
  spin_while([&] { return running_.load(std::memory_order_acquire) > 0; }, kCallerSpin);
  std::exception_ptr err;
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return helpers_running_ == 0; });
    fn_ = nullptr;
    err = error_;
    error_ = nullptr;
  }
  if (err) std::rethrow_exception(err);
}

}  // namespace lab
