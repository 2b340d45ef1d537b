// What every fuzz target shares: bad input must end in std::invalid_argument (a readable refusal) or be
// accepted — anything else (a crash, a sanitizer finding, another exception type) is a finding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

namespace lab::fuzz {

template <class F>
void expect_refusal_or_success(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument&) {
    // a refusal with a message: fine
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: not a readable refusal: %s\n", e.what());
    std::abort();
  }
}

inline std::string text_of(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

}  // namespace lab::fuzz
