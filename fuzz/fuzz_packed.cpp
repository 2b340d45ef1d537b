// Packed image datasets (.nlds, nlds.h) as a page or a Node script hands them in: the check of the bytes,
// then the dataset built from them. Corpus: fuzz/corpus/packed (small valid files written by
// scripts/fuzz.sh).
#include "data/dataset.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lab::fuzz::expect_refusal_or_success([&] {
    lab::DatasetAssets assets;
    assets["digits"] = std::vector<uint8_t>(data, data + size);
    lab::check_dataset_asset("digits", assets["digits"]);
    lab::DatasetParams p;
    p.n = 16;
    (void)lab::make_dataset("digits", p, &assets);
  });
  return 0;
}
