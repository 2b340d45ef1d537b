#include "base/tensor.h"

namespace lab {

std::string shape_str(const Shape& s) {
  std::string o = "(";
  for (size_t i = 0; i < s.size(); ++i) o += (i ? ", " : "") + std::to_string(s[i]);
  return o + ")";
}

void throw_too_large(const Shape& s) {
  uint64_t n = 1;
  bool huge = false;
  for (int d : s) huge |= __builtin_mul_overflow(n, (uint64_t)d, &n);
  throw std::invalid_argument("a tensor of shape " + shape_str(s) + " would hold " +
                              (huge ? std::string("more than 2^64") : std::to_string(n)) + " values; one tensor holds at most " +
                              std::to_string(kMaxTensorValues) + " (1 GiB): make the layer smaller or the batch smaller");
}

}  // namespace lab
