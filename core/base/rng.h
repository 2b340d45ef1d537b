// NeuronLab core — the seeded random number generator every random draw goes through.
//
// PCG32 (O'Neill, pcg-random.org; the "XSH RR" 64→32 output function): small state, fast, and the same
// sequence on every platform and compiler, which std::mt19937 + std::uniform_*_distribution does not
// guarantee. Nothing in the core uses a global or time-seeded generator: an experiment's randomness is
// its seed.
//
//   lab::Rng rng(42);
//   float x = rng.uniform(-1.f, 1.f);   // [lo, hi)
//   float g = rng.normal();             // N(0, 1), Box–Muller
#pragma once
#include <cmath>
#include <cstdint>

namespace lab {

class Rng {
 public:
  explicit Rng(uint64_t seed, uint64_t stream = 0x14057b7ef767814fULL) {
    inc_ = (stream << 1u) | 1u;
    state_ = 0;
    next_u32();
    state_ += seed;
    next_u32();
  }

  uint32_t next_u32() {
    uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
  }

  // Uniform in [0, 1) with 24 random bits (exactly representable as float).
  float uniform01() { return (float)(next_u32() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform01(); }

  // Uniform integer in [0, n), n > 0 (Lemire's unbiased method).
  uint32_t below(uint32_t n) {
    uint64_t m = (uint64_t)next_u32() * n;
    uint32_t l = (uint32_t)m;
    if (l < n) {
      uint32_t t = (0u - n) % n;
      while (l < t) {
        m = (uint64_t)next_u32() * n;
        l = (uint32_t)m;
      }
    }
    return (uint32_t)(m >> 32);
  }

  // Standard normal (Box–Muller, both values used).
  float normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    float u1, u2;
    do {
      u1 = uniform01();
    } while (u1 <= 0.0f);
    u2 = uniform01();
    const float r = std::sqrt(-2.0f * std::log(u1)), th = 6.28318530717958647692f * u2;
    spare_ = r * std::sin(th);
    has_spare_ = true;
    return r * std::cos(th);
  }

 private:
  uint64_t state_ = 0, inc_ = 0;
  float spare_ = 0.0f;
  bool has_spare_ = false;
};

}  // namespace lab
