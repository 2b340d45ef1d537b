// The user's CSV table (loadCsv, then a spec with data {name: "csv"}). Corpus: fuzz/corpus/csv.
#include "data/dataset.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = lab::fuzz::text_of(data, size);
  lab::fuzz::expect_refusal_or_success([&] { (void)lab::parse_csv_dataset(text, "", 0.3f, 1); });
  lab::fuzz::expect_refusal_or_success([&] { (void)lab::parse_csv_dataset(text, "2", 0.5f, 2); });
  return 0;
}
