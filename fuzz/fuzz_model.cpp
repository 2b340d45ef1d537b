// Model files, both formats (importModel). Corpus: fuzz/corpus/model (a JSON and a binary file of small
// models, written by scripts/fuzz.sh from tests/data/compat).
#include "fuzz/fuzz_common.h"
#include "io/model_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lab::fuzz::expect_refusal_or_success([&] { (void)lab::import_model(data, size); });
  return 0;
}
