// NeuronLab tests — every named tolerance, with the reason for its size. A test compares with one of
// these, never with a bare 1e-…; a new tolerance is added here with its reason (and, where it was
// measured, the measurement).
#pragma once

namespace lab::testing {

// --- float32 against closed forms and exact references ------------------------------------------------
// A float32 computation of a few operations against its closed form (losses, Gini, entropy, Spearman,
// a tanh, a hook's linear effect): a handful of roundings of values of order 1.
inline constexpr double kClosedFormTol = 1e-6;
// A float32 sum of tens of terms against the exact sum (convergence deltas on small models; a second
// backward pass's partial sums added to the first's).
inline constexpr double kSumRoundingTol = 1e-5;
// Relevance totals of order 100 (captum's LRP reference models, P15): float32 sums of products of order
// 10, so about 1e-5 relative.
inline constexpr double kConservationTol = 1e-3;

// --- finite differences (gradcheck.h) ---------------------------------------------------------------
// Central differences in float32 with step 1e-2: measured max error 2.3e-5 over every layer, activation
// and loss; a deliberate 1 % gradient error fails. Allowed: kFdAbsTol + kFdRelTol·|g|.
inline constexpr double kFdAbsTol = 2e-4;
inline constexpr double kFdRelTol = 1e-3;

// --- PyTorch golden fixtures (test_golden.cpp) -----------------------------------------------------------
// An entry passes when |ours − torch| ≤ abs + rel·|torch|. Both sides compute in float32 with the same
// formulas; they differ only in summation order (our tiled matmul and im2col against PyTorch's BLAS and
// conv kernels) and in libm's last bits (glibc natively, musl in wasm). LAB_GOLDEN_REPORT=1 prints the
// measured worst cases. A wrong formula misses by far more (PyTorch's tanh GELU, a leaky slope of 0.02,
// rmsprop's alpha 0.9, adagrad's eps 1e-8, sgd without Nesterov, coupled AdamW decay each fail).
struct Tol {
  double rel, abs;
};
// Output and loss: a few roundings per layer through ≤ 9 layers (measured: abs 6.3e-8, rel 1.4e-6).
inline constexpr Tol kForwardTol{4e-6, 4e-7};
// Gradients: backward sums in yet another order; small entries are differences of larger terms, hence the
// absolute part (measured: abs 5.3e-8, rel 3.7e-6 on entries above 1e-3; the batchnorm fixtures reach half
// of this bound on the first dense layer: normalising by a batch variance amplifies).
inline constexpr Tol kGradTol{1e-5, 1e-7};
// The loss before each of the 10 steps: the forward bound, widened by 10 steps of drift (measured: abs
// 3.8e-7, rel 1.1e-6).
inline constexpr Tol kStepLossTol{1e-5, 1e-6};
// Parameters after 10 steps: gradient noise compounds; adam, rmsprop and adagrad divide by sqrt(v), so a
// relative gradient error becomes an absolute step error of order lr·1e-6 per step (measured: abs 9.2e-7,
// rel 6.2e-5 on entries above 1e-3; sgd variants 8e-8).
inline constexpr Tol kStepsTol{2e-5, 4e-6};

// --- datasets ----------------------------------------------------------------------------------------------
// Generated 2-D geometry (radii, angles) computed in float32 against double formulas.
inline constexpr float kGeometryTol = 1e-4f;
// A pixel v is stored as a byte and read as v / pixel_max in float: recomputing v from the float is exact
// to well within this.
inline constexpr float kPixelTol = 1e-4f;
// The noise test averages n·784 Gaussian draws: the sample mean and std-dev land within this of 0 and of
// `noise` (> 20 standard errors at these sizes).
inline constexpr double kNoiseStatTol = 0.01;

}  // namespace lab::testing
