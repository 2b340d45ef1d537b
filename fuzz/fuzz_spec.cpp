// The experiment spec and a hyper-parameter patch against it (what links, load() and setHyperparameters
// read). Corpus: fuzz/corpus/spec.
#include "experiment/spec.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = lab::fuzz::text_of(data, size);
  lab::fuzz::expect_refusal_or_success([&] {
    const lab::Spec s = lab::parse_spec(text);
    (void)lab::spec_to_json(s);
  });
  // The same bytes as a patch of a valid spec.
  lab::fuzz::expect_refusal_or_success([&] {
    static const lab::Spec base = lab::parse_spec(R"({"data": {"name": "spiral"}, "model": {"layers": [{"type": "dense", "units": 2}]}})");
    (void)lab::patch_spec(base, text);
  });
  return 0;
}
