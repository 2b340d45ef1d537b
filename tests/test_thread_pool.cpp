#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "base/thread_pool.h"

using lab::ThreadPool;

TEST_CASE("parallel_for runs every task exactly once", "[threads]") {
  for (int threads : {1, 2, 4, 7}) {
    ThreadPool pool(threads);
    for (size_t n : {0u, 1u, 3u, 1000u}) {
      std::vector<std::atomic<int>> hits(n);
      pool.parallel_for(n, [&](size_t i) { hits[i]++; });
      for (size_t i = 0; i < n; ++i) REQUIRE(hits[i] == 1);
    }
  }
}

TEST_CASE("parallel_for really uses several threads", "[threads]") {
  ThreadPool pool(4);
  std::mutex mu;
  std::set<std::thread::id> ids;
  std::atomic<int> arrived{0};
  // Each of 4 tasks waits until all 4 have started: only possible if 4 threads run them at once.
  pool.parallel_for(4, [&](size_t) {
    {
      std::lock_guard<std::mutex> l(mu);
      ids.insert(std::this_thread::get_id());
    }
    arrived++;
    while (arrived.load() < 4) std::this_thread::yield();
  });
  REQUIRE(ids.size() == 4);
}

TEST_CASE("active thread count is clamped and respected", "[threads]") {
  ThreadPool pool(3);
  REQUIRE(pool.max_threads() == 3);
  pool.set_active_threads(0);
  REQUIRE(pool.active_threads() == 1);
  pool.set_active_threads(99);
  REQUIRE(pool.active_threads() == 3);
  pool.set_active_threads(1);
  std::set<std::thread::id> ids;
  pool.parallel_for(50, [&](size_t) { ids.insert(std::this_thread::get_id()); });  // 1 thread: no race
  REQUIRE(ids.size() == 1);
  REQUIRE(*ids.begin() == std::this_thread::get_id());
}

TEST_CASE("a task's exception reaches the caller and the pool stays usable", "[threads]") {
  ThreadPool pool(3);
  std::atomic<int> ran{0};
  REQUIRE_THROWS_WITH(pool.parallel_for(20,
                                        [&](size_t i) {
                                          ran++;
                                          if (i == 5) throw std::runtime_error("task 5 failed");
                                        }),
                      "task 5 failed");
  REQUIRE(ran == 20);
  std::atomic<int> again{0};
  pool.parallel_for(10, [&](size_t) { again++; });
  REQUIRE(again == 10);
}

TEST_CASE("nested parallel_for runs inline instead of deadlocking", "[threads]") {
  ThreadPool pool(2);
  std::atomic<int> total{0};
  pool.parallel_for(4, [&](size_t) { pool.parallel_for(3, [&](size_t) { total++; }); });
  REQUIRE(total == 12);
}
