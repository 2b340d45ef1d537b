#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "base/job.h"

using namespace lab;

namespace {
void wait_finished(const Job& j) {
  for (int i = 0; i < 20000 && !j.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(j.finished());
}
}  // namespace

TEST_CASE("jobs run in order and report results", "[jobs]") {
  JobRunner runner;
  std::vector<int> order;
  auto a = runner.submit("a", [&](Job& j) {
    order.push_back(1);
    j.result = {1.0f, 2.0f};
  });
  auto b = runner.submit("b", [&](Job& j) {
    order.push_back(2);
    j.result_json = "{\"ok\":true}";
  });
  wait_finished(*a);
  wait_finished(*b);
  REQUIRE(a->state() == Job::State::Done);
  REQUIRE(b->state() == Job::State::Done);
  REQUIRE(order == std::vector<int>{1, 2});
  REQUIRE(a->result == std::vector<float>{1.0f, 2.0f});
  REQUIRE(b->result_json == "{\"ok\":true}");
  REQUIRE(a->progress() == 1.0);
}

TEST_CASE("a failing job reports its message; the runner goes on", "[jobs]") {
  JobRunner runner;
  auto bad = runner.submit("bad", [](Job&) { throw std::invalid_argument("shape 3x4 does not fit 5"); });
  auto good = runner.submit("good", [](Job&) {});
  wait_finished(*bad);
  wait_finished(*good);
  REQUIRE(bad->state() == Job::State::Failed);
  REQUIRE(bad->error() == "shape 3x4 does not fit 5");
  REQUIRE(good->state() == Job::State::Done);
  REQUIRE(std::string(job_state_name(bad->state())) == "failed");
}

#if !defined(LAB_SINGLE_THREADED)
TEST_CASE("a running job can be cancelled", "[jobs]") {
  JobRunner runner;
  std::atomic<bool> started{false};
  auto job = runner.submit("spin", [&](Job& j) {
    started = true;
    for (;;) {
      j.check_cancel();
      std::this_thread::yield();
    }
  });
  while (!started) std::this_thread::yield();
  job->cancel();
  wait_finished(*job);
  REQUIRE(job->state() == Job::State::Cancelled);
}

TEST_CASE("jobs run off the submitting thread", "[jobs]") {
  JobRunner runner;
  std::thread::id ran_on;
  auto job = runner.submit("where", [&](Job&) { ran_on = std::this_thread::get_id(); });
  wait_finished(*job);
  REQUIRE(ran_on != std::this_thread::get_id());
}
#endif

TEST_CASE("an inline runner runs sliced jobs only when pumped, in order, a slice at a time", "[jobs]") {
  JobRunner runner(JobRunner::Inline);
  REQUIRE(runner.mode() == JobRunner::Inline);
  std::vector<std::string> log;
  int left = 5;
  auto sliced = runner.submit_sliced("count", [&](Job& j) {
    log.push_back("slice" + std::to_string(left));
    j.set_progress((5 - left + 1) / 5.0);
    return --left == 0;
  });
  // A plain job behind a queued one waits its turn (submission order).
  auto after = runner.submit("after", [&](Job&) { log.push_back("after"); });
  REQUIRE(log.empty());
  REQUIRE(sliced->state() == Job::State::Queued);
  REQUIRE(runner.pending() == 2);
  // A pump of 0 ms runs exactly one slice.
  REQUIRE(runner.pump(0) == 2);
  REQUIRE(log == std::vector<std::string>{"slice5"});
  REQUIRE(sliced->state() == Job::State::Running);
  REQUIRE(sliced->progress() == Approx(0.2));
  while (runner.pump(0) > 0) {
  }
  REQUIRE(log == std::vector<std::string>{"slice5", "slice4", "slice3", "slice2", "slice1", "after"});
  REQUIRE(sliced->state() == Job::State::Done);
  REQUIRE(after->state() == Job::State::Done);
  // With nothing queued, a plain job runs before submit() returns (what single-threaded callers expect).
  auto now = runner.submit("now", [&](Job&) { log.push_back("now"); });
  REQUIRE(now->state() == Job::State::Done);
  REQUIRE(log.back() == "now");
}

TEST_CASE("a sliced job is cancelled between slices; a failing slice fails the job", "[jobs]") {
  JobRunner runner(JobRunner::Inline);
  int slices = 0;
  auto forever = runner.submit_sliced("forever", [&](Job&) {
    ++slices;
    return false;
  });
  runner.pump(0);
  runner.pump(0);
  REQUIRE(slices == 2);
  forever->cancel();
  runner.pump(0);
  REQUIRE(slices == 2);
  REQUIRE(forever->state() == Job::State::Cancelled);
  auto bad = runner.submit_sliced("bad", [](Job&) -> bool { throw std::invalid_argument("batch 3 has NaN inputs"); });
  runner.pump(0);
  REQUIRE(bad->state() == Job::State::Failed);
  REQUIRE(bad->error() == "batch 3 has NaN inputs");
  // A job a slice submits is queued behind it, never run inside it.
  std::vector<int> order;
  std::shared_ptr<Job> inner;
  auto outer = runner.submit_sliced("outer", [&](Job&) {
    inner = runner.submit("inner", [&](Job&) { order.push_back(2); });
    order.push_back(1);
    return true;
  });
  runner.pump(0);
  REQUIRE(order == std::vector<int>{1});
  runner.pump(1000);
  REQUIRE(order == std::vector<int>{1, 2});
  // Destroying a runner with queued jobs marks them cancelled.
  std::shared_ptr<Job> orphan;
  {
    JobRunner r2(JobRunner::Inline);
    orphan = r2.submit_sliced("orphan", [](Job&) { return true; });
  }
  REQUIRE(orphan->state() == Job::State::Cancelled);
}

#if !defined(LAB_SINGLE_THREADED)
TEST_CASE("a threaded runner runs a sliced job's slices to the end on its thread", "[jobs]") {
  JobRunner runner;
  std::atomic<int> left{1000};
  auto job = runner.submit_sliced("count", [&](Job&) { return --left == 0; });
  REQUIRE(runner.pump(5) >= 0);  // a no-op on a threaded runner
  wait_finished(*job);
  REQUIRE(job->state() == Job::State::Done);
  REQUIRE(left == 0);
}
#endif
