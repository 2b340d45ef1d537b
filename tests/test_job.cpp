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
