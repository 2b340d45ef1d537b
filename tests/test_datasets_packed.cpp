// Real image datasets (digits, mnist, fashion_mnist): the .nlds format (nlds.h) on small files built
// here, every way a file can be truncated or corrupt, the draw from a data file, the errors when a
// file is missing or does not fit, the Lab's set_asset; then the real packed files of the build.
// Run alone with: core_tests "[datasets]"
//
// The real files are build outputs (scripts/pack-datasets.sh writes build/data/*.nlds; they are never
// committed): their tests WARN and skip when a file is absent.
#include <catch2/catch.hpp>

#include "tolerances.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/rng.h"
#include "data/dataset.h"
#include "data/nlds.h"
#include "session/lab.h"

using namespace lab;

namespace {

using testing::kNoiseStatTol;  // tests/tolerances.h
using testing::kPixelTol;
// Reading and drawing a real dataset at its default size must fit a test's time, as the generators.
constexpr double kLoadBudgetSeconds = 0.5;
// Nearest class mean on raw pixels scores ~0.90 on digits, ~0.82 on MNIST, ~0.68 on Fashion-MNIST;
// shuffled labels score ~0.10. Above this, images and labels were packed in step.
constexpr double kMinCentroidAccuracy = 0.5;
// A packing bug that blanks, saturates or inverts the images moves the mean pixel out of this range
// (true means: digits ~0.30, MNIST ~0.13, Fashion-MNIST ~0.29).
constexpr double kMinMeanPixel = 0.05, kMaxMeanPixel = 0.45;

// A small valid file: `count` samples of (c, h, w) random pixels in [0, pixel_max]; sample i has
// label i % classes. im points into pixels and labels: a Fake is moved, never copied.
struct Fake {
  std::vector<uint8_t> pixels, labels;
  NldsImages im;
};
Fake fake_images(uint32_t count, uint32_t c, uint32_t h, uint32_t w, uint32_t classes = 10, uint32_t pixel_max = 255, uint64_t seed = 5) {
  Fake f;
  Rng rng(seed);
  f.pixels.resize((size_t)count * c * h * w);
  for (uint8_t& v : f.pixels) v = (uint8_t)rng.below(pixel_max + 1);
  for (uint32_t i = 0; i < count; ++i) f.labels.push_back((uint8_t)(i % classes));
  f.im.count = count;
  f.im.channels = c;
  f.im.height = h;
  f.im.width = w;
  f.im.pixel_max = pixel_max;
  f.im.source = "made by test_datasets_packed.cpp";
  for (uint32_t k = 0; k < classes; ++k) f.im.class_names.push_back("class " + std::to_string(k));
  f.im.pixels = f.pixels.data();
  f.im.labels = f.labels.data();
  return f;
}

std::vector<uint8_t> fake_file(uint32_t count, uint32_t c, uint32_t h, uint32_t w, uint32_t classes = 10, uint32_t pixel_max = 255) {
  return write_nlds(fake_images(count, c, h, w, classes, pixel_max).im);
}

void put_u32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}
uint32_t get_u32(const std::vector<uint8_t>& b, size_t off) {
  return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}
// Rewrites the trailing checksum after an edit, so that the parser reaches the later checks.
void reseal(std::vector<uint8_t>& b) { put_u32(b, b.size() - 4, crc32_ieee(b.data(), b.size() - 4)); }

NldsImages parse(const std::vector<uint8_t>& b) { return parse_nlds(b.data(), b.size()); }

// The (C, H, W) and file of each dataset with a data file.
struct Packed {
  const char* name;
  uint32_t c, h, w, pixel_max;
};
const Packed kPacked[] = {{"digits", 1, 8, 8, 16}, {"mnist", 1, 28, 28, 255}, {"fashion_mnist", 1, 28, 28, 255}};

DatasetParams params(int n, uint64_t seed = 3, float noise = 0.0f) {
  DatasetParams p;
  p.n = n;
  p.seed = seed;
  p.noise = noise;
  return p;
}

std::vector<int> class_counts(const std::vector<int>& labels, int K) {
  std::vector<int> c(K, 0);
  for (int l : labels) c[l]++;
  return c;
}

std::vector<int> all_labels(const Dataset& d) {
  std::vector<int> l = d.train_label;
  l.insert(l.end(), d.test_label.begin(), d.test_label.end());
  return l;
}

// Whether the file exists; then its bytes in `out`.
bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

// Accuracy on the test split of the nearest class mean of the training split (raw pixels).
double nearest_centroid_accuracy(const Dataset& d) {
  const size_t in = d.input_size(), K = (size_t)d.num_classes;
  std::vector<double> mean(K * in, 0.0);  // (K, in)
  std::vector<int> count(K, 0);
  for (size_t i = 0; i < d.n_train(); ++i) {
    const int k = d.train_label[i];
    count[k]++;
    for (size_t j = 0; j < in; ++j) mean[k * in + j] += d.train_x[i * in + j];
  }
  for (size_t k = 0; k < K; ++k)
    for (size_t j = 0; j < in; ++j) mean[k * in + j] /= std::max(count[k], 1);
  size_t right = 0;
  for (size_t i = 0; i < d.n_test(); ++i) {
    size_t best = 0;
    double best_dist = INFINITY;
    for (size_t k = 0; k < K; ++k) {
      double dist = 0;
      for (size_t j = 0; j < in; ++j) {
        const double e = d.test_x[i * in + j] - mean[k * in + j];
        dist += e * e;
      }
      if (dist < best_dist) {
        best_dist = dist;
        best = k;
      }
    }
    right += (int)best == d.test_label[i];
  }
  return (double)right / (double)d.n_test();
}

}  // namespace

// [SECTION] the .nlds format ----------------------------------------------------------------------

TEST_CASE("crc32_ieee is zlib's CRC-32", "[datasets]") {
  const std::string check = "123456789";  // the standard check string of CRC-32/ISO-HDLC
  REQUIRE(crc32_ieee((const uint8_t*)check.data(), check.size()) == 0xCBF43926u);
  REQUIRE(crc32_ieee(nullptr, 0) == 0u);
}

TEST_CASE("write_nlds lays out the documented format and parse_nlds reads every field back", "[datasets]") {
  Fake f = fake_images(30, 2, 3, 4, 3, 16);
  f.im.source = "UTF-8 source ✓";
  f.im.class_names = {"T-shirt/top", "b", "Ankle boot"};
  const std::vector<uint8_t> b = write_nlds(f.im);

  // The header, at the offsets nlds.h gives.
  REQUIRE(std::memcmp(b.data(), "NLDS", 4) == 0);
  REQUIRE(get_u32(b, 4) == 1);   // version
  REQUIRE(get_u32(b, 8) == 30);  // count
  REQUIRE((get_u32(b, 12) == 2 && get_u32(b, 16) == 3 && get_u32(b, 20) == 4));
  REQUIRE(get_u32(b, 24) == 3);   // classes
  REQUIRE(get_u32(b, 28) == 16);  // pixel_max
  REQUIRE(get_u32(b, 32) == f.im.source.size());
  const size_t names = (1 + 11) + (1 + 1) + (1 + 10);
  REQUIRE(b.size() == 36 + f.im.source.size() + names + 30 * 24 + 30 + 4);
  REQUIRE(get_u32(b, b.size() - 4) == crc32_ieee(b.data(), b.size() - 4));

  const NldsImages im = parse(b);
  REQUIRE(im.count == 30);
  REQUIRE((im.channels == 2 && im.height == 3 && im.width == 4));
  REQUIRE(im.sample_size() == 24);
  REQUIRE(im.pixel_max == 16);
  REQUIRE(im.source == f.im.source);
  REQUIRE(im.class_names == f.im.class_names);
  REQUIRE(std::equal(f.pixels.begin(), f.pixels.end(), im.pixels));
  REQUIRE(std::equal(f.labels.begin(), f.labels.end(), im.labels));
  // The views point into the buffer parsed.
  REQUIRE((im.pixels >= b.data() && im.labels + im.count <= b.data() + b.size()));
}

TEST_CASE("parse_nlds rejects every truncation of a valid file", "[datasets]") {
  const std::vector<uint8_t> b = fake_file(6, 1, 2, 2, 3);
  for (size_t len = 0; len < b.size(); ++len) {
    INFO("first " << len << " bytes");
    REQUIRE_THROWS_AS(parse_nlds(b.data(), len), std::invalid_argument);
  }
  REQUIRE_THROWS_WITH(parse_nlds(b.data(), 3), "nlds: not a NeuronLab dataset file (it does not start with \"NLDS\")");
  REQUIRE_THROWS_WITH(parse_nlds(b.data(), 20), "nlds: truncated: 20 bytes are fewer than the 40 of the header and checksum");
  // Header 36 + source 32 + names 3 × 8: the pixels start at 92; 6 samples × 4 pixels.
  REQUIRE_THROWS_WITH(parse_nlds(b.data(), 100), "nlds: truncated at offset 92: 24 bytes of pixels expected, only 8 remain");
  REQUIRE_THROWS_WITH(parse_nlds(b.data(), b.size() - 1), "nlds: truncated at offset 122: 4 bytes of checksum expected, only 3 remain");
  REQUIRE_THROWS_WITH(parse_nlds(b.data(), b.size() - 1, "mnist.nlds"), Catch::StartsWith("mnist.nlds: truncated"));
}

TEST_CASE("parse_nlds rejects corrupt and malformed files with readable messages", "[datasets]") {
  const std::vector<uint8_t> good = fake_file(6, 1, 2, 2, 3, 16);
  const size_t pixels_at = 92, labels_at = pixels_at + 24;
  REQUIRE_NOTHROW(parse(good));
  auto bad = [&](auto edit) {
    std::vector<uint8_t> b = good;
    edit(b);
    return b;
  };

  // A changed byte anywhere in the body: the checksum.
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { b[pixels_at + 5] ^= 1; })),
                      Catch::StartsWith("nlds: checksum mismatch (stored ") && Catch::EndsWith("the file is corrupt"));
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { b[40] ^= 0x20; })), Catch::Contains("checksum mismatch"));
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { b.push_back(0); })),
                      "nlds: 1 unexpected byte after the checksum (the file should be " + std::to_string(good.size()) + " bytes)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { b[0] = 'X'; })), "nlds: not a NeuronLab dataset file (it does not start with \"NLDS\")");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 4, 2); })), "nlds: version 2 is not supported (this build reads version 1)");
  // Header fields out of their limits (checked before the sizes they imply are trusted).
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 24, 1); })), "nlds: classes must be between 2 and 255 (got 1)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 24, 300); })), "nlds: classes must be between 2 and 255 (got 300)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 8, 0); })), "nlds: count must be at least 1 (got 0)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 20, 0); })), "nlds: width must be between 1 and 512 (got 0)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 12, 65); })), "nlds: channels must be between 1 and 64 (got 65)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 28, 0); })), "nlds: pixel_max must be between 1 and 255 (got 0)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 32, 5000); })), "nlds: source length must be between 0 and 4096 (got 5000)");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) {
                        put_u32(b, 8, 0xFFFFFFFFu);
                        put_u32(b, 16, 512);
                        put_u32(b, 20, 512);
                      })),
                      Catch::Contains("samples of 262144 pixels are too many"));
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { put_u32(b, 8, 7); })),  // one sample more than there is
                      "nlds: truncated at offset 120: 7 bytes of labels expected, only 6 remain");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) { b[36 + 32] = 0; })), "nlds: class 0's name is empty");
  // Values out of range in a file whose checksum is right (a faulty writer, not a damaged file).
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) {
                        b[pixels_at + 4 * 2 + 3] = 17;
                        reseal(b);
                      })),
                      "nlds: pixel 3 of sample 2 is 17, above pixel_max 16");
  REQUIRE_THROWS_WITH(parse(bad([&](auto& b) {
                        b[labels_at + 5] = 3;
                        reseal(b);
                      })),
                      "nlds: sample 5 has label 3, but there are only 3 classes");
}

TEST_CASE("write_nlds refuses images that break the format's limits", "[datasets]") {
  Fake f = fake_images(4, 1, 2, 2, 3, 16);
  f.pixels[0] = 16;
  REQUIRE_NOTHROW(write_nlds(f.im));
  NldsImages im = f.im;
  im.class_names = {"only"};
  REQUIRE_THROWS_WITH(write_nlds(im), "nlds (write): classes must be between 2 and 255 (got 1)");
  im = f.im;
  im.class_names[1] = "";
  REQUIRE_THROWS_WITH(write_nlds(im), "nlds (write): class 1's name must be 1 to 255 bytes long (got 0)");
  im = f.im;
  im.pixel_max = 8;  // the random pixels go up to 16
  REQUIRE_THROWS_WITH(write_nlds(im), Catch::Contains("above pixel_max 8"));
  im = f.im;
  im.labels = nullptr;
  REQUIRE_THROWS_WITH(write_nlds(im), "nlds (write): pixels and labels must not be null");
  im = f.im;
  im.count = 0;
  REQUIRE_THROWS_WITH(write_nlds(im), "nlds (write): count must be at least 1 (got 0)");
}

// [SECTION] datasets from data files --------------------------------------------------------------

TEST_CASE("a dataset with a data file names it and says so when it is not loaded", "[datasets]") {
  for (const Packed& pk : kPacked) {
    INFO(pk.name);
    const DatasetInfo* info = find_dataset(pk.name);
    REQUIRE(info);
    REQUIRE(info->asset == std::string(pk.name) + ".nlds");
    REQUIRE(info->kind == "image");
    REQUIRE(info->task == TaskKind::Classification);
  }
  for (const DatasetInfo& info : dataset_registry())
    if (info.name == "csv")
      REQUIRE(info.asset == "user.csv");
    else if (info.name != "digits" && info.name != "mnist" && info.name != "fashion_mnist")
      REQUIRE(info.asset.empty());

  const std::string missing =
      "dataset 'mnist' needs its data file mnist.nlds, which is not loaded (run scripts/pack-datasets.sh / npm run build)";
  REQUIRE_THROWS_WITH(make_dataset("mnist", params(100)), missing);
  DatasetAssets others;
  others["fashion_mnist"] = fake_file(100, 1, 28, 28);
  REQUIRE_THROWS_WITH(make_dataset("mnist", params(100), &others), missing);
  REQUIRE_THROWS_AS(make_dataset("digits", params(100), &others), std::invalid_argument);
  // Generated datasets ignore the assets.
  REQUIRE(make_dataset("spiral", params(100), &others).n_train() == 50);
  REQUIRE_THROWS_WITH(check_dataset_asset("spiral", others["fashion_mnist"]), "dataset 'spiral' reads no data file: it is generated");
}

TEST_CASE("a data file that does not fit its dataset is refused with a readable message", "[datasets]") {
  DatasetAssets a;
  a["digits"] = fake_file(200, 1, 28, 28);
  REQUIRE_THROWS_WITH(make_dataset("digits", params(100), &a),
                      "dataset 'digits': digits.nlds holds 1×28×28 images in 10 classes, but 'digits' needs 1×8×8 "
                      "images in 10 classes");
  a["mnist"] = fake_file(200, 1, 28, 28, 5);
  REQUIRE_THROWS_WITH(make_dataset("mnist", params(100), &a), Catch::Contains("holds 1×28×28 images in 5 classes"));
  a["mnist"] = fake_file(200, 1, 28, 28);
  REQUIRE_THROWS_WITH(make_dataset("mnist", params(500), &a),
                      "dataset 'mnist': n must be at most 200, the samples in mnist.nlds (got 500)");
  a["mnist"][200] ^= 1;
  REQUIRE_THROWS_WITH(make_dataset("mnist", params(100), &a), Catch::StartsWith("dataset 'mnist': mnist.nlds: checksum mismatch"));
  REQUIRE_THROWS_WITH(check_dataset_asset("mnist", a["mnist"]), Catch::Contains("checksum mismatch"));
  a["mnist"].resize(1000);
  REQUIRE_THROWS_WITH(check_dataset_asset("mnist", a["mnist"]), Catch::StartsWith("dataset 'mnist': mnist.nlds: truncated"));
  REQUIRE_NOTHROW(check_dataset_asset("mnist", fake_file(200, 1, 28, 28)));
  // The schema still applies before the file is read.
  REQUIRE_THROWS_WITH(make_dataset("mnist", params(5), &a), "dataset 'mnist': n must be an integer between 10 and 8500 (got 5)");
}

TEST_CASE("a data file's samples come out as [0, 1] floats, class-balanced and split by test_ratio", "[datasets]") {
  for (const Packed& pk : kPacked) {
    INFO(pk.name);
    const Fake f = fake_images(300, pk.c, pk.h, pk.w, 10, pk.pixel_max);  // 30 per class
    DatasetAssets a;
    a[pk.name] = write_nlds(f.im);
    DatasetParams p = params(200);
    p.test_ratio = 0.25f;
    const Dataset d = make_dataset(pk.name, p, &a);

    REQUIRE(d.name == pk.name);
    REQUIRE(d.task == TaskKind::Classification);
    REQUIRE(d.input_shape == std::vector<int>{(int)pk.c, (int)pk.h, (int)pk.w});
    REQUIRE(d.num_classes == 10);
    REQUIRE(d.output_dim == 10);
    REQUIRE(d.class_names == f.im.class_names);
    REQUIRE(d.feature_names.empty());
    REQUIRE((d.train_mask.empty() && d.test_mask.empty() && d.train_y.empty()));
    REQUIRE(d.n_test() == 50);
    REQUIRE(d.n_train() == 150);
    REQUIRE(d.train_label.size() == 150);
    REQUIRE(class_counts(all_labels(d), 10) == std::vector<int>(10, 20));

    // Every sample is one of the file's, with its label, each taken at most once.
    const size_t in = d.input_size();
    std::map<std::string, int> label_of;  // a file sample's pixels (as bytes) → its label
    for (uint32_t i = 0; i < f.im.count; ++i) label_of[std::string((const char*)f.pixels.data() + i * in, in)] = f.labels[i];
    REQUIRE(label_of.size() == f.im.count);
    std::set<std::string> seen;
    int bad_values = 0, unknown = 0, wrong_label = 0;
    auto check_split = [&](const std::vector<float>& x, const std::vector<int>& label) {
      for (size_t r = 0; r < label.size(); ++r) {
        std::string row(in, '\0');
        for (size_t j = 0; j < in; ++j) {
          const float v = x[r * in + j], scaled = v * (float)pk.pixel_max;
          if (!(v >= 0.0f && v <= 1.0f) || std::fabs(scaled - std::round(scaled)) > kPixelTol) ++bad_values;
          row[j] = (char)(uint8_t)std::lround(scaled);
        }
        const auto it = label_of.find(row);
        if (it == label_of.end())
          ++unknown;
        else if (it->second != label[r])
          ++wrong_label;
        seen.insert(row);
      }
    };
    check_split(d.train_x, d.train_label);
    check_split(d.test_x, d.test_label);
    REQUIRE(bad_values == 0);
    REQUIRE(unknown == 0);
    REQUIRE(wrong_label == 0);
    REQUIRE(seen.size() == 200);
  }
}

TEST_CASE("a data file's draw is seeded; the noise changes no sample choice and no split", "[datasets]") {
  DatasetAssets a;
  a["mnist"] = fake_file(300, 1, 28, 28);
  const Dataset d1 = make_dataset("mnist", params(100, 7), &a), d2 = make_dataset("mnist", params(100, 7), &a);
  REQUIRE(d1.train_x == d2.train_x);
  REQUIRE(d1.test_x == d2.test_x);
  REQUIRE(d1.train_label == d2.train_label);
  const Dataset other = make_dataset("mnist", params(100, 8), &a);
  REQUIRE(other.train_x != d1.train_x);

  const float noise = 0.2f;
  const Dataset noisy = make_dataset("mnist", params(100, 7, noise), &a);
  REQUIRE(noisy.train_label == d1.train_label);
  REQUIRE(noisy.test_label == d1.test_label);
  REQUIRE(noisy.train_x.size() == d1.train_x.size());
  double sum = 0, sum_sq = 0;
  for (size_t i = 0; i < d1.train_x.size(); ++i) {
    const double e = (double)noisy.train_x[i] - d1.train_x[i];
    sum += e;
    sum_sq += e * e;
  }
  const double n = (double)d1.train_x.size(), mean = sum / n;
  REQUIRE(std::fabs(mean) < kNoiseStatTol);
  REQUIRE(std::fabs(std::sqrt(sum_sq / n - mean * mean) - noise) < kNoiseStatTol);
}

TEST_CASE("a class with too few samples gives all it has; the others share the rest", "[datasets]") {
  // 5 samples of class 0, 50 of each other class.
  std::vector<uint8_t> labels;
  for (int i = 0; i < 5; ++i) labels.push_back(0);
  for (int k = 1; k < 10; ++k)
    for (int i = 0; i < 50; ++i) labels.push_back((uint8_t)k);
  Fake f = fake_images((uint32_t)labels.size(), 1, 8, 8, 10, 16);
  f.labels = labels;
  f.im.labels = f.labels.data();
  DatasetAssets a;
  a["digits"] = write_nlds(f.im);
  const Dataset d = make_dataset("digits", params(100), &a);
  const std::vector<int> counts = class_counts(all_labels(d), 10);
  REQUIRE(counts[0] == 5);
  for (int k = 1; k < 10; ++k) {
    INFO("class " << k);
    REQUIRE((counts[k] == 10 || counts[k] == 11));  // 95 over 9 classes
  }
}

TEST_CASE("Lab::set_asset checks a data file; load and import_model build experiments from it", "[datasets]") {
  const std::string spec =
      R"({"seed": 3, "data": {"name": "mnist", "n": 60}, "model": {"layers": [{"type": "flatten"}, {"type": "dense", "units": 10}]}})";
  Lab lab(1);
  REQUIRE(!lab.has_asset("mnist"));
  REQUIRE_THROWS_WITH(lab.load(spec), Catch::Contains("needs its data file mnist.nlds, which is not loaded"));
  REQUIRE_THROWS_WITH(lab.set_asset("spiral", fake_file(100, 1, 28, 28)), "dataset 'spiral' reads no data file: it is generated");
  REQUIRE_THROWS_WITH(lab.set_asset("mnist", {1, 2, 3}), Catch::StartsWith("dataset 'mnist': mnist.nlds: not a NeuronLab"));
  REQUIRE_THROWS_WITH(lab.set_asset("mnist", fake_file(100, 1, 8, 8)), Catch::Contains("needs 1×28×28 images"));
  REQUIRE(!lab.has_asset("mnist"));

  lab.set_asset("mnist", fake_file(100, 1, 28, 28));
  REQUIRE(lab.has_asset("mnist"));
  lab.load(spec);
  REQUIRE(lab.experiment()->dataset().input_shape == std::vector<int>{1, 28, 28});
  REQUIRE(lab.experiment()->dataset().n_train() == 30);
  const std::vector<uint8_t> model = lab.export_model_binary();
  const std::string digest = lab.digest();

  Lab other(1);
  REQUIRE_THROWS_WITH(other.import_model(model), Catch::Contains("needs its data file mnist.nlds"));
  other.set_asset("mnist", fake_file(100, 1, 28, 28));
  other.import_model(model);
  REQUIRE(other.digest() == digest);
}

// [SECTION] the packed files of the build ---------------------------------------------------------

TEST_CASE("the packed data files of the build hold what their datasets promise", "[datasets]") {
  struct Real {
    const char* name;
    std::vector<std::string> class_names;
    std::vector<int> per_class;  // the source's class counts
  };
  const std::vector<std::string> digits = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  const Real reals[] = {
      // scikit-learn's digits are the whole UCI test set: its class counts, as published.
      {"digits", digits, {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}},
      {"mnist", digits, std::vector<int>(10, 850)},
      {"fashion_mnist",
       {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"},
       std::vector<int>(10, 1000)},
  };
  for (const Real& r : reals) {
    INFO(r.name);
    const std::string path = std::string(LAB_BUILD_DATA_DIR) + "/" + r.name + ".nlds";
    DatasetAssets a;
    if (!read_file(path, a[r.name])) {
      WARN("skipped: " << path << " is not there; scripts/pack-datasets.sh (run by scripts/build.sh) writes it");
      continue;
    }
    const std::vector<uint8_t>& bytes = a[r.name];
    const NldsImages im = parse_nlds(bytes.data(), bytes.size(), path);
    const DatasetInfo* info = find_dataset(r.name);
    REQUIRE(info);
    double n_max = 0, n_def = 0;
    for (const ParamSpec& s : info->params)
      if (s.name == "n") n_max = s.max, n_def = s.def;
    REQUIRE(im.count == (uint32_t)n_max);  // the registry's maximum n is what the file holds
    REQUIRE(im.class_names == r.class_names);
    REQUIRE(!im.source.empty());
    std::vector<int> counts(10, 0);
    for (uint32_t i = 0; i < im.count; ++i) counts[im.labels[i]]++;
    REQUIRE(counts == r.per_class);
    double sum = 0;
    for (size_t i = 0; i < (size_t)im.count * im.sample_size(); ++i) sum += im.pixels[i];
    const double mean_pixel = sum / ((double)im.count * im.sample_size() * im.pixel_max);
    INFO("mean pixel " << mean_pixel);
    REQUIRE((mean_pixel > kMinMeanPixel && mean_pixel < kMaxMeanPixel));

    DatasetParams p = params((int)n_def, 1);
    const auto t0 = std::chrono::steady_clock::now();
    const Dataset d = make_dataset(r.name, p, &a);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(seconds < kLoadBudgetSeconds);
    REQUIRE(d.input_shape == std::vector<int>{(int)im.channels, (int)im.height, (int)im.width});
    REQUIRE(d.n_train() + d.n_test() == (size_t)n_def);
    const std::vector<int> labels = all_labels(d);
    REQUIRE(std::set<int>(labels.begin(), labels.end()).size() == 10);
    const double accuracy = nearest_centroid_accuracy(d);
    INFO("nearest class mean accuracy " << accuracy);
    REQUIRE(accuracy > kMinCentroidAccuracy);
  }
}
