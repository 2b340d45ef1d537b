// Finite-difference gradient checking, shared by the layer, loss and model tests (and later by the
// input-gradient attribution tests).
#pragma once
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace lab::testing {

// float32 forward passes: central differences with step h have truncation error O(h²) and rounding
// error O(eps32·|f|/h). h = 1e-2 balances them for values of order 1; the agreement we can expect is
// then about 1e-3 relative, so 2e-2 (with an absolute floor) flags real errors without false alarms.
inline constexpr float kFdStep = 1e-2f;
inline constexpr double kFdRelTol = 2e-2;
inline constexpr double kFdAbsTol = 2e-3;

struct FdResult {
  double max_err = 0;  // max over entries of |analytic − numeric| / max(1, |numeric|)
  size_t worst = 0;
  bool ok = true;
  std::string where;
};

// f(): the scalar objective at the current values of `x` (which the checker perturbs in place).
// analytic: ∂f/∂x computed by the code under test, same size as x.
inline FdResult fd_check(std::vector<float*> x, const std::vector<float>& analytic, const std::function<double()>& f,
                         const std::string& what) {
  FdResult r;
  for (size_t i = 0; i < x.size(); ++i) {
    const float keep = *x[i];
    *x[i] = keep + kFdStep;
    const double fp = f();
    *x[i] = keep - kFdStep;
    const double fm = f();
    *x[i] = keep;
    const double num = (fp - fm) / (2.0 * kFdStep);
    const double err = std::fabs(analytic[i] - num);
    const double rel = err / std::max(1.0, std::fabs(num));
    if (rel > r.max_err) { r.max_err = rel; r.worst = i; }
    if (err > kFdAbsTol && rel > kFdRelTol && r.ok) {
      r.ok = false;
      r.where = what + "[" + std::to_string(i) + "]: analytic " + std::to_string(analytic[i]) + " vs numeric " + std::to_string(num);
    }
  }
  return r;
}

}  // namespace lab::testing
