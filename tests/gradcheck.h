// Finite-difference gradient checking, shared by the layer, loss and model tests (and later by the
// input-gradient attribution tests).
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "tolerances.h"

namespace lab::testing {

// Central differences with step h on float32 forward passes (objectives summed in double): truncation
// error O(h^2 f''') plus rounding O(eps32 |terms| / h). Measured over every check in test_gradcheck.cpp
// (LAB_FD_REPORT=1 prints each entry): the largest |analytic - numeric| is 2.3e-5. A gradient is wrong
// when it misses by more than kFdAbsTol + kFdRelTol * |numeric|: about 10x that margin, and tight
// enough that a 1 % error in any gradient of magnitude >= 0.02 fails (kFdAbsTol, kFdRelTol: tolerances.h).
inline constexpr float kFdStep = 1e-2f;

struct FdResult {
  double max_err = 0;  // max over entries of |analytic - numeric|
  size_t worst = 0;
  bool ok = true;
  std::string where;
};

// f(): the scalar objective at the current values of `x` (which the checker perturbs in place).
// analytic: df/dx computed by the code under test, same size as x.
inline FdResult fd_check(std::vector<float*> x, const std::vector<float>& analytic, const std::function<double()>& f,
                         const std::string& what) {
  FdResult r;
  const bool report = std::getenv("LAB_FD_REPORT") != nullptr;
  for (size_t i = 0; i < x.size(); ++i) {
    const float keep = *x[i];
    *x[i] = keep + kFdStep;
    const double fp = f();
    *x[i] = keep - kFdStep;
    const double fm = f();
    *x[i] = keep;
    const double num = (fp - fm) / (2.0 * kFdStep);
    const double err = std::fabs(analytic[i] - num);
    if (report) std::fprintf(stderr, "FD|%s|%.3g|%.3g\n", what.c_str(), err, num);
    if (err > r.max_err) {
      r.max_err = err;
      r.worst = i;
    }
    if (err > kFdAbsTol + kFdRelTol * std::fabs(num) && r.ok) {
      r.ok = false;
      r.where = what + "[" + std::to_string(i) + "]: analytic " + std::to_string(analytic[i]) + " vs numeric " + std::to_string(num);
    }
  }
  return r;
}

}  // namespace lab::testing
