// NeuronLab core — how a kernel executes: on which pool, and whether the reference kernels are forced.
//
// Every kernel with a fast variant takes an Exec. `force_reference` is the runtime switch that makes it
// run its plain `_ref` kernel instead (for debugging a SIMD kernel, and for the tests that compare the
// two). A null pool means "run on the calling thread".
#pragma once

namespace lab {

class ThreadPool;

struct Exec {
  ThreadPool* pool = nullptr;
  bool force_reference = false;
};

}  // namespace lab
