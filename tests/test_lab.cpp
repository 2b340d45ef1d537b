#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "base/version.h"
#include "session/lab.h"

using namespace lab;

namespace {
void wait_finished(const Job& j) {
  for (int i = 0; i < 60000 && !j.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(j.finished());
}
}  // namespace

TEST_CASE("version and build info", "[lab]") {
  REQUIRE(std::string(version()) == "0.1.0");
  BuildInfo b = build_info();
  REQUIRE(b.simd);
#if defined(__wasm__)
  REQUIRE(b.wasm);
#endif
}

TEST_CASE("Lab::matmul_async computes C = A·B off-thread", "[lab]") {
  Lab lab(2);
  // A (2×3), B (3×2)
  auto job = lab.matmul_async({1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}, 2, 3, 2, false, false);
  wait_finished(*job);
  REQUIRE(job->state() == Job::State::Done);
  REQUIRE(job->result == std::vector<float>{58, 64, 139, 154});
  // Transposed operands: op(A) = stored(3×2)^T.
  auto t = lab.matmul_async({1, 4, 2, 5, 3, 6}, {7, 9, 11, 8, 10, 12}, 2, 3, 2, true, true);
  wait_finished(*t);
  REQUIRE(t->result == std::vector<float>{58, 64, 139, 154});
}

TEST_CASE("Lab::matmul_async rejects bad shapes with a readable message", "[lab]") {
  Lab lab(1);
  REQUIRE_THROWS_WITH(lab.matmul_async({1, 2, 3}, {1, 2}, 2, 2, 1, false, false), "matmul: A has 3 elements, but its shape 2×2 needs 4");
  REQUIRE_THROWS_WITH(lab.matmul_async({}, {}, 0, 2, 1, false, false), "matmul: M must be a positive integer (got 0)");
  REQUIRE_THROWS_AS(lab.matmul_async({}, {}, 100000, 100000, 1, false, false), std::invalid_argument);
}

TEST_CASE("Lab thread settings are clamped", "[lab]") {
  Lab lab(3);
  REQUIRE(lab.max_threads() >= 1);
  REQUIRE(lab.set_threads(0) == 1);
  REQUIRE(lab.set_threads(1000) == lab.max_threads());
}

TEST_CASE("matmul benchmark job reports bit-identical results across thread counts", "[lab]") {
  Lab lab(4);
  auto job = lab.matmul_bench_async(96, 1);
  wait_finished(*job);
  REQUIRE(job->state() == Job::State::Done);
  REQUIRE(job->result_json.find("\"bit_identical\":true") != std::string::npos);
  REQUIRE_THROWS_AS(lab.matmul_bench_async(0, 1), std::invalid_argument);
}
