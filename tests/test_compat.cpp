// Proof that a refactor changes no bits: fixed specs trained 200 steps give the recorded digests, test
// metrics and attribution maps, bit for bit, on 1 and 2 threads (natively and as wasm under Node).
//
// The specs live in tests/data/compat/specs.json; what they gave is in results_native.json and
// results_wasm.json (libm differs between glibc and Emscripten, so each platform has its own numbers).
// Those files were recorded BEFORE the core was reorganised (issue "Room to grow"); they are never to be
// regenerated to make a change pass. Recording (only for a new spec, on the commit that adds it):
//   build/native/core_tests "[.compat-record]"
//   node build/wasm/core_tests.js "[.compat-record]"
// Run alone with: core_tests "[compat]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "session/lab.h"

using namespace lab;
using json = nlohmann::json;

namespace {

#if defined(__wasm__)
const char* kPlatform = "wasm";
#else
const char* kPlatform = "native";
#endif

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

void wait_done(Job& j) {
  while (!j.finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  INFO(j.name() << ": " << j.error());
  REQUIRE(j.state() == Job::State::Done);
}

// FNV-1a (64-bit) over the floats' bytes: equal hashes ⇔ (practically) the same bits.
std::string hash_floats(const std::vector<float>& v) {
  uint64_t h = 0xcbf29ce484222325ULL;
  const unsigned char* b = reinterpret_cast<const unsigned char*>(v.data());
  for (size_t i = 0; i < v.size() * sizeof(float); ++i) h = (h ^ b[i]) * 0x100000001b3ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
  return buf;
}

// One spec's run: digest, metrics and attribution maps after `steps` steps on `threads` threads.
json run_spec(const json& entry, int threads) {
  Lab lab(threads);
  lab.set_threads(threads);
  for (const auto& a : entry.value("assets", json::array())) {
    const std::string name = a.get<std::string>();
    if (name == "csv") {
      const std::string text = read_text(std::string(LAB_TEST_DATA_DIR) + "/compat/table.csv");
      lab.set_asset(name, std::vector<uint8_t>(text.begin(), text.end()));
    } else {
      lab.set_asset(name, read_bytes(std::string(LAB_BUILD_DATA_DIR) + "/" + name + ".nlds"));
    }
  }
  lab.load(entry["spec"].dump());
  auto t = lab.train_async(entry["steps"].get<long long>());
  wait_done(*t);
  json out;
  out["digest"] = lab.digest();
  const std::string metrics = lab.metrics_json();
  INFO("metrics: " << metrics);
  out["metrics"] = json::parse(metrics);
  out["metrics"].erase("evaluating");  // a job's state, not a result (added after these files were written)
  const int n = 3;
  const std::vector<float> x = lab.samples("test", 0, n);
  json maps = json::array();
  for (const auto& m : entry["attributions"]) {
    auto j = lab.attribute_async(m["method"].get<std::string>(), x, n, m["options"].dump());
    wait_done(*j);
    INFO(m["method"] << " result: " << j->result_json);
    json r = json::parse(j->result_json);
    maps.push_back({{"method", m["method"]},
                    {"hash", hash_floats(j->result)},
                    {"size", j->result.size()},
                    {"first", std::vector<float>(j->result.begin(), j->result.begin() + std::min<size_t>(4, j->result.size()))},
                    {"targets", r["targets"]},
                    {"delta", r["delta"]}});
  }
  out["attributions"] = maps;
  return out;
}

bool assets_present(const json& entry) {
  for (const auto& a : entry.value("assets", json::array()))
    if (a != "csv" && read_bytes(std::string(LAB_BUILD_DATA_DIR) + "/" + a.get<std::string>() + ".nlds").empty()) return false;
  return true;
}

const std::string kDir = std::string(LAB_TEST_DATA_DIR) + "/compat/";
const std::string kResults = kDir + "results_" + kPlatform + ".json";
json load_specs() {
  const json specs = json::parse(read_text(kDir + "specs.json"));
  REQUIRE(specs.size() >= 8);
  return specs;
}
}  // namespace

// Hidden (runs only when named): writes this platform's results file. See the top of this file.
TEST_CASE("record the compat results of this platform", "[.compat-record]") {
  json rec = json::object();
  for (const auto& e : load_specs()) {
    REQUIRE(assets_present(e));
    rec[e["name"].get<std::string>()] = run_spec(e, 1);
  }
  std::ofstream(kResults) << rec.dump(1) << "\n";
  WARN("recorded " << kResults);
}

TEST_CASE("fixed specs give the recorded digests, metrics and attribution maps on 1 and 2 threads", "[compat][slow]") {
  const json specs = load_specs();
  const json expected = json::parse(read_text(kResults));
  for (const auto& e : specs) {
    const std::string name = e["name"];
    if (!assets_present(e)) {
      WARN("skipped " << name << ": its data files are not built (scripts/pack-datasets.sh)");
      continue;
    }
    REQUIRE(expected.contains(name));
    for (int threads : {1, 2}) {
      INFO(name << " on " << threads << " thread(s)");
      const json got = run_spec(e, threads);
      CHECK(got["digest"] == expected[name]["digest"]);
      CHECK(got["metrics"].dump() == expected[name]["metrics"].dump());
      REQUIRE(got["attributions"].size() == expected[name]["attributions"].size());
      for (size_t i = 0; i < got["attributions"].size(); ++i) {
        INFO(got["attributions"][i]["method"]);
        CHECK(got["attributions"][i].dump() == expected[name]["attributions"][i].dump());
      }
    }
  }
}
