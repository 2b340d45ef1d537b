// A run's history (replay(), links, experiment files): parsed, its spec loaded and its events applied up
// to a few steps. Corpus: fuzz/corpus/history.
#include <chrono>
#include <thread>

#include "fuzz/fuzz_common.h"
#include "session/lab.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static lab::Lab lab(1);
  const std::string text = lab::fuzz::text_of(data, size);
  lab::fuzz::expect_refusal_or_success([&] {
    auto job = lab.replay_async(text, 3);  // a few steps at most: the fuzzer is after the parsing
    while (!job->finished()) std::this_thread::sleep_for(std::chrono::microseconds(50));
    const std::string err = job->error();
    if (job->state() == lab::Job::State::Failed && err.find("json.exception") != std::string::npos) {
      std::fprintf(stderr, "fuzz: an unreadable message: %s\n", err.c_str());
      std::abort();
    }
  });
  return 0;
}
