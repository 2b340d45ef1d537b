// NeuronLab core — a fixed-size thread pool for data-parallel kernels.
//
// The pool owns `max_threads - 1` worker threads; the thread that calls parallel_for() works too, so
// parallel_for() with N active threads runs on exactly N threads. Work is split into tasks by index;
// which thread runs which task is not fixed, so kernels must make each task's result independent of
// the thread that computes it (that is what keeps results bit-identical for any thread count).
//
//   lab::ThreadPool pool(4);
//   pool.parallel_for(rows, [&](size_t i) { out[i] = f(in[i]); });   // blocks until all tasks ran
//
// Threads: parallel_for() must not be called from the browser's main thread (it blocks); the app runs
// heavy work on a JobRunner thread instead (job.h). Nested parallel_for() calls run inline.
// In a single-threaded build (LAB_SINGLE_THREADED) the pool has no workers and runs tasks inline.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lab {

class ThreadPool {
 public:
  // max_threads >= 1: the most threads parallel_for() may use (caller included). Clamped to 1 in a
  // single-threaded build.
  explicit ThreadPool(int max_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int max_threads() const { return max_threads_; }
  // Threads parallel_for() uses from now on: clamped to [1, max_threads()].
  void set_active_threads(int n);
  int active_threads() const { return active_.load(std::memory_order_relaxed); }

  // Runs fn(i) for every i in [0, n_tasks) and returns when all have finished. An exception thrown by
  // a task is rethrown here (the first one; the remaining tasks still run).
  void parallel_for(size_t n_tasks, const std::function<void(size_t)>& fn);

  // Threads the hardware offers (>= 1).
  static int hardware_threads();

 private:
  void worker_loop(int index);
  void run_tasks();

  int max_threads_;
  std::atomic<int> active_{1};
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::mutex call_mu_;  // one parallel_for at a time
  // Current batch (guarded by mu_ for publication; tasks claimed through next_).
  const std::function<void(size_t)>* fn_ = nullptr;
  size_t n_tasks_ = 0;
  std::atomic<size_t> next_{0};
  int helpers_wanted_ = 0;   // workers that should join this batch
  int helpers_running_ = 0;  // workers still inside this batch
  unsigned long generation_ = 0;
  std::atomic<unsigned long> published_{0};  // generation_, readable without the lock (for spinning)
  std::atomic<int> running_{0};              // helpers_running_, readable without the lock
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace lab
