// The PyTorch export (core/io/export_pytorch.h), checked on its text: every layer, activation, loss,
// optimizer and schedule of the registries maps to its torch counterpart; the embedded weights, check
// samples and outputs decode back bit for bit (with a base64 decoder written here, independent of the
// exporter's encoder); features appear in the spec's order. The script itself is run under PyTorch by
// tests/export_pytorch_check.sh (ctest: export_pytorch_check, native builds with python3-torch).
//
// [SECTION] reading the script · [SECTION] tests
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/thread_pool.h"
#include "experiment/experiment.h"
#include "experiment/spec.h"
#include "io/export_pytorch.h"
#include "nn/activations.h"
#include "nn/layer.h"
#include "nn/loss.h"
#include "optim/optimizer.h"

using namespace lab;

namespace {

// [SECTION] reading the script ------------------------------------------------------------------------

// Strict RFC 4648 base64 (padding required, no other characters): throws on anything else.
std::vector<uint8_t> base64_decode(const std::string& t) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (t.size() % 4) throw std::invalid_argument("base64 length " + std::to_string(t.size()) + " is not a multiple of 4");
  std::vector<uint8_t> out;
  for (size_t i = 0; i < t.size(); i += 4) {
    const bool last = i + 4 == t.size();
    const int pad = last ? (t[i + 3] == '=') + (t[i + 2] == '=') : 0;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = t[i + k];
      const int d = k >= 4 - pad ? 0 : value(c);
      if (d < 0) throw std::invalid_argument(std::string("bad base64 character '") + c + "'");
      v = v << 6 | (uint32_t)d;
    }
    out.push_back((uint8_t)(v >> 16));
    if (pad < 2) out.push_back((uint8_t)(v >> 8));
    if (pad < 1) out.push_back((uint8_t)v);
  }
  return out;
}

// The little-endian float32 values of base64 text.
std::vector<float> floats_of(const std::string& b64) {
  const std::vector<uint8_t> b = base64_decode(b64);
  REQUIRE(b.size() % 4 == 0);
  std::vector<float> f(b.size() / 4);
  for (size_t i = 0; i < f.size(); ++i) {
    const uint32_t u = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
    std::memcpy(&f[i], &u, 4);
  }
  return f;
}

// The implicitly concatenated string literals that start at `pos` ("abc"\n   "def" → abcdef); `end`
// is set past the last one.
std::string literals_at(const std::string& py, size_t pos, size_t* end = nullptr) {
  std::string out;
  for (;;) {
    while (pos < py.size() && (py[pos] == ' ' || py[pos] == '\n')) ++pos;
    if (pos >= py.size() || py[pos] != '"') break;
    const size_t close = py.find('"', pos + 1);
    REQUIRE(close != std::string::npos);
    out += py.substr(pos + 1, close - pos - 1);
    pos = close + 1;
  }
  if (end) *end = pos;
  return out;
}

// The values of `NAME = _array("…", shape, "<f4")`.
std::vector<float> embedded_array(const std::string& py, const std::string& name) {
  const std::string key = name + " = _array(";
  const size_t at = py.find(key);
  INFO(name);
  REQUIRE(at != std::string::npos);
  return floats_of(literals_at(py, at + key.size()));
}

// Every WEIGHTS entry: ("3.weight", (16, 5), "…"), in order.
struct WeightEntry {
  std::string name, shape;
  std::vector<float> values;
};
std::vector<WeightEntry> weight_entries(const std::string& py) {
  size_t pos = py.find("\nWEIGHTS = [\n");
  REQUIRE(pos != std::string::npos);
  const size_t end = py.find("\n]\n", pos);
  std::vector<WeightEntry> out;
  while ((pos = py.find("\n    (\"", pos)) != std::string::npos && pos < end) {
    WeightEntry w;
    const size_t name_end = py.find('"', pos + 7);
    w.name = py.substr(pos + 7, name_end - pos - 7);
    const size_t shape_end = py.find("),", name_end);
    w.shape = py.substr(name_end + 3, shape_end - name_end - 2);
    w.values = floats_of(literals_at(py, shape_end + 2, &pos));
    out.push_back(std::move(w));
  }
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Every layer type: conv2d (padding, stride), both pools, flatten, dropout, dense (with and without bias),
// a softmax on an image (over all of each sample's features) and one on a vector.
const char* kEveryLayer = R"({"seed": 5, "data": {"name": "block_patterns", "n": 48, "noise": 0.1, "test_ratio": 0.25, "classes": 3},
  "model": {"layers": [{"type": "conv2d", "filters": 3, "kernel": 3, "padding": 1, "activation": "leaky_relu"},
                       {"type": "maxpool2d", "size": 3, "stride": 2},
                       {"type": "conv2d", "filters": 2, "kernel": 2, "stride": 2, "activation": "gelu"},
                       {"type": "activation", "activation": "softmax"},
                       {"type": "avgpool2d", "size": 2, "stride": 1}, {"type": "flatten"}, {"type": "dropout", "rate": 0.25},
                       {"type": "dense", "units": 5, "bias": 0, "activation": "elu"}, {"type": "dense", "units": 3},
                       {"type": "activation", "activation": "softmax"}]},
  "optimizer": {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.001}, "batch_size": 12,
  "regularization": {"l1": 0.0001, "l2": 0.001}})";

// A 2-D MLP on computed features.
const char* kFeatures =
    R"({"seed": 9, "data": {"name": "spiral", "n": 120, "noise": 0.05, "features": ["x1", "x2", "x1sq", "sinx2", "x1x2"]},
  "model": {"layers": [{"type": "dense", "units": 7, "activation": "tanh"}, {"type": "dense", "units": 2}]},
  "optimizer": {"name": "adam", "lr": 0.02}, "batch_size": 16})";

std::string spec_with(const std::string& base, const std::string& patch) { return spec_to_json(patch_spec(parse_spec(base), patch)); }

// The script of an untrained experiment.
std::string export_of(const std::string& spec_json) {
  Experiment e(parse_spec(spec_json));
  return export_pytorch_script(e);
}

// (16, 5) or (16,), as the script writes shapes.
std::string py_shape(const Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

}  // namespace

// [SECTION] tests ---------------------------------------------------------------------------------------

TEST_CASE("export_pytorch: every layer type becomes its torch module, one per NeuronLab layer", "[export_pytorch]") {
  ThreadPool pool(1);
  Experiment e(parse_spec(kEveryLayer));
  e.train(6, Exec{&pool, false}, nullptr);
  std::string py;
  REQUIRE_NOTHROW(py = export_pytorch_script(e));
  // Layer i of the model is line i of nn.Sequential (activations counted), with its shapes.
  CHECK(contains(py, "nn.Conv2d(1, 3, kernel_size=3, stride=1, padding=1),"));
  CHECK(contains(py, "# 0 conv2d: (1, 28, 28) → (3, 28, 28)"));
  CHECK(contains(py, "nn.LeakyReLU(negative_slope=0.01),"));
  CHECK(contains(py, "nn.MaxPool2d(kernel_size=3, stride=2, padding=0, ceil_mode=False),"));
  CHECK(contains(py, "# 2 maxpool2d: (3, 28, 28) → (3, 13, 13)"));
  CHECK(contains(py, "nn.Conv2d(3, 2, kernel_size=2, stride=2, padding=0),"));
  CHECK(contains(py, "nn.GELU(approximate=\"none\"),"));
  CHECK(contains(py, "SampleSoftmax(),"));  // layer 5: softmax over all of (2, 6, 6), per sample
  CHECK(contains(py, "# 5 activation softmax: (2, 6, 6) → (2, 6, 6)"));
  CHECK(contains(py, "class SampleSoftmax(nn.Module):"));
  CHECK(contains(py, "nn.AvgPool2d(kernel_size=2, stride=1, padding=0, ceil_mode=False),"));
  CHECK(contains(py, "nn.Flatten(),"));
  CHECK(contains(py, "nn.Dropout(p=0.25),"));
  CHECK(contains(py, "nn.Linear(50, 5, bias=False),"));
  CHECK(contains(py, "nn.ELU(alpha=1.0),"));
  CHECK(contains(py, "nn.Linear(5, 3, bias=True),"));
  CHECK(contains(py, "nn.Softmax(dim=1),"));  // the last layer: softmax over a vector
  CHECK(contains(py, "# 12 activation softmax: (3) → (3)"));
  // Training settings: loss, optimizer with every hyper-parameter, L1/L2, batch size, the steps so far.
  CHECK(contains(py, "loss_fn = nn.CrossEntropyLoss()"));
  CHECK(contains(py, "torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001)"));
  CHECK(contains(py, "L1, L2 = 0.0001, 0.001"));
  CHECK(contains(py, "BATCH_SIZE = 12"));
  CHECK(contains(py, "steps_done = 6 "));
  CHECK(contains(py, "STEPS_IN_NEURONLAB = 6\n"));
  CHECK(contains(py, "DIGEST = \"" + e.digest() + "\""));
  CHECK(contains(py, "Digest:  " + e.digest()));
  CHECK(contains(py, "INPUT_SHAPE = (1, 28, 28)"));
  CHECK(contains(py, "if __name__ == \"__main__\":"));
  // 48·784 pixels are below the embedding limit: the data is in the script.
  CHECK(contains(py, "\"train_x\": _array("));
}

TEST_CASE("export_pytorch: the weights decode back bit-exactly, in state_dict order", "[export_pytorch]") {
  ThreadPool pool(1);
  for (const char* spec : {kEveryLayer, kFeatures}) {
    Experiment e(parse_spec(spec));
    e.train(5, Exec{&pool, false}, nullptr);
    const std::string py = export_pytorch_script(e);
    const std::vector<WeightEntry> entries = weight_entries(py);
    Model& m = e.model();
    size_t k = 0;
    for (size_t i = 0; i < m.num_layers(); ++i)
      for (const Param& p : m.layer(i).params()) {
        INFO("layer " << i << " " << p.name);
        REQUIRE(k < entries.size());
        CHECK(entries[k].name == std::to_string(i) + "." + p.name);
        CHECK(entries[k].shape == py_shape(p.value->shape()));
        REQUIRE(entries[k].values.size() == p.value->size());
        CHECK(std::memcmp(entries[k].values.data(), p.value->data(), p.value->size() * sizeof(float)) == 0);
        ++k;
      }
    CHECK(k == entries.size());
    CHECK(k == m.params().size());
  }
}

TEST_CASE("export_pytorch: the check samples and outputs are NeuronLab's, bit for bit", "[export_pytorch]") {
  ThreadPool pool(1);
  SECTION("2-D with features: raw points, which featurize() maps") {
    Experiment e(parse_spec(kFeatures));
    e.train(20, Exec{&pool, false}, nullptr);
    const std::string py = export_pytorch_script(e);
    const std::vector<float> in = embedded_array(py, "_CHECK_INPUTS"), out = embedded_array(py, "_CHECK_OUTPUTS");
    REQUIRE(in.size() == (size_t)kCheckSamples * 2);
    CHECK(std::memcmp(in.data(), e.raw_test_x().data(), in.size() * sizeof(float)) == 0);
    const std::vector<float> expected = e.predict(e.dataset().test_x.data(), kCheckSamples);
    REQUIRE(out.size() == expected.size());
    CHECK(std::memcmp(out.data(), expected.data(), out.size() * sizeof(float)) == 0);
    CHECK(contains(py, "_CHECK_INPUTS = _array("));
    CHECK(contains(py, (std::to_string(kCheckSamples) + ", 2), \"<f4\")")));
  }
  SECTION("images: rows as the dataset stores them") {
    Experiment e(parse_spec(kEveryLayer));
    const std::string py = export_pytorch_script(e);
    const std::vector<float> in = embedded_array(py, "_CHECK_INPUTS"), out = embedded_array(py, "_CHECK_OUTPUTS");
    REQUIRE(in.size() == (size_t)kCheckSamples * 784);
    CHECK(std::memcmp(in.data(), e.dataset().test_x.data(), in.size() * sizeof(float)) == 0);
    const std::vector<float> expected = e.predict(e.dataset().test_x.data(), kCheckSamples);
    REQUIRE(out.size() == expected.size());
    CHECK(std::memcmp(out.data(), expected.data(), out.size() * sizeof(float)) == 0);
  }
}

TEST_CASE("export_pytorch: features appear in featurize() in the spec's order", "[export_pytorch]") {
  Experiment e(parse_spec(kFeatures));
  const std::string py = export_pytorch_script(e);
  CHECK(contains(py, "FEATURES = [\"x1\", \"x2\", \"x1sq\", \"sinx2\", \"x1x2\"]"));
  const size_t a = py.find("        x1,  # x1\n"), b = py.find("        x2,  # x2\n"), c = py.find("        x1 * x1,  # x1sq\n"),
               d = py.find("        torch.sin(x2),  # sinx2\n"), f = py.find("        x1 * x2,  # x1x2\n");
  REQUIRE(a != std::string::npos);
  REQUIRE(f != std::string::npos);
  CHECK((a < b && b < c && c < d && d < f));
  CHECK(contains(py, "x1, x2, x1², sin(x2), x1·x2"));
  CHECK(contains(py, "nn.Linear(5, 7, bias=True),"));
  CHECK(contains(py, "INPUT_SHAPE = (5,)"));
  // Every feature the spec knows has an expression (a new one must be added to the exporter).
  for (const std::string& name : input_feature_names()) {
    INFO(name);
    std::string py;
    REQUIRE_NOTHROW(py = export_of(spec_with(kFeatures, "{\"data\": {\"features\": [\"" + name + "\"]}}")));
    CHECK(contains(py, ",  # " + name + "\n"));
  }
  // Without features, featurize() passes x1, x2 through.
  const std::string raw = export_of(spec_with(kFeatures, "{\"data\": {\"features\": null}}"));
  CHECK(contains(raw, "FEATURES = []"));
  CHECK(contains(raw, "(none: the raw x1, x2)"));
}

TEST_CASE("export_pytorch: every activation, loss, optimizer and schedule of the registries exports", "[export_pytorch]") {
  for (const ActivationInfo& a : activation_registry()) {
    INFO(a.name);
    Experiment e(parse_spec(spec_with(kFeatures, "{\"model\": {\"layers\": [{\"type\": \"dense\", \"units\": 4, \"activation\": \"" +
                                                     a.name + "\"}, {\"type\": \"activation\", \"activation\": \"" + a.name +
                                                     "\"}, {\"type\": \"dense\", \"units\": 2}]}}")));
    std::string py;
    REQUIRE_NOTHROW(py = export_pytorch_script(e));
    CHECK(contains(py, " activation " + a.name + ": (4) → (4)"));
  }
  const std::pair<const char*, const char*> losses[] = {
      {"softmax_cross_entropy", "nn.CrossEntropyLoss()"}, {"mse", "nn.MSELoss()"}, {"bce_logits", "nn.BCEWithLogitsLoss()"}};
  CHECK(std::size(losses) == loss_registry().size());
  for (const auto& [name, module] : losses) {
    INFO(name);
    Experiment e(parse_spec(spec_with(kFeatures, std::string("{\"loss\": \"") + name + "\"}")));
    CHECK(contains(export_pytorch_script(e), std::string("loss_fn = ") + module));
  }
  const std::pair<const char*, const char*> optimizers[] = {
      {R"({"name": "sgd", "lr": 0.1})", "torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.0, nesterov=False, weight_decay=0.0)"},
      {R"({"name": "adam", "lr": 0.002, "beta1": 0.8, "beta2": 0.99, "eps": 1e-07})",
       "torch.optim.Adam(model.parameters(), lr=0.002, betas=(0.8, 0.99), eps=1e-07, weight_decay=0.0)"},
      {R"({"name": "adamw", "lr": 0.001})",
       "torch.optim.AdamW(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01)"},
      {R"({"name": "rmsprop", "lr": 0.01, "alpha": 0.9})",
       "torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=1e-08, weight_decay=0.0)"},
      {R"({"name": "adagrad", "lr": 0.05})", "torch.optim.Adagrad(model.parameters(), lr=0.05, eps=1e-10, weight_decay=0.0)"},
  };
  CHECK(std::size(optimizers) == optimizer_registry().size());
  for (const auto& [config, expected] : optimizers) {
    INFO(config);
    // The whole optimizer object replaced (a merge patch would keep adam's eps and weight decay).
    std::string spec = kFeatures;
    const std::string adam = R"("optimizer": {"name": "adam", "lr": 0.02})";
    spec.replace(spec.find(adam), adam.size(), std::string("\"optimizer\": ") + config);
    Experiment e(parse_spec(spec));
    CHECK(contains(export_pytorch_script(e), expected));
  }
  const std::pair<const char*, const char*> schedules[] = {
      {R"({"name": "constant"})", "    return LR\n"},
      {R"({"name": "step", "step_size": 50, "gamma": 0.5})", "    return LR * 0.5 ** (step // 50)"},
      {R"({"name": "cosine", "total_steps": 300, "min_lr": 0.001})", "    f = min(step, 300) / 300"},
  };
  CHECK(std::size(schedules) == schedule_registry().size());
  for (const auto& [config, expected] : schedules) {
    INFO(config);
    Experiment e(parse_spec(spec_with(kFeatures, std::string("{\"schedule\": ") + config + "}")));
    CHECK(contains(export_pytorch_script(e), expected));
  }
}

TEST_CASE("export_pytorch: regression, tables and datasets too large to embed", "[export_pytorch]") {
  SECTION("a 2-D regression embeds its target values") {
    Experiment e(parse_spec(R"({"data": {"name": "gaussian_bumps", "n": 60},
      "model": {"layers": [{"type": "dense", "units": 6, "activation": "softplus"}, {"type": "dense", "units": 1}]}})"));
    const std::string py = export_pytorch_script(e);
    CHECK(contains(py, "TASK = \"regression\""));
    CHECK(contains(py, "loss_fn = nn.MSELoss()"));
    CHECK(contains(py, "\"train_y\": _array("));
    CHECK(contains(py, std::to_string(e.dataset().n_train()) + ", 1), \"<f4\")"));
    CHECK_FALSE(contains(py, "CLASS_NAMES"));
  }
  SECTION("a table: featurize() only reshapes") {
    Experiment e(parse_spec(R"({"data": {"name": "random", "n": 40, "classes": 3},
      "model": {"layers": [{"type": "dense", "units": 3}]}})"));
    const std::string py = export_pytorch_script(e);
    CHECK(contains(py, "def featurize(rows):"));
    CHECK(contains(py, "The dataset's rows (n, 64) → the network's input tensor (n, 64)."));
    CHECK(contains(py, "\"train_y\": _array("));
    CHECK(contains(py, std::to_string(e.dataset().n_train()) + ",), \"<i4\")"));
  }
  SECTION("large image sets are left out, with a reason load_data() gives") {
    Experiment e(parse_spec(R"({"data": {"name": "random_images", "n": 400, "height": 28, "width": 28, "classes": 2},
      "model": {"layers": [{"type": "flatten"}, {"type": "dense", "units": 2}]}})"));
    REQUIRE((long long)(e.dataset().train_x.size() + e.dataset().test_x.size()) > kEmbedDataMaxValues);
    const std::string py = export_pytorch_script(e);
    CHECK(contains(py, "_DATA = None  # 313600 input values"));
    CHECK(contains(py, "too large to embed"));
    CHECK(contains(py, "_CHECK_OUTPUTS = _array("));  // the check is embedded all the same
  }
}

TEST_CASE("export_pytorch: the test's base64 decoder is strict", "[export_pytorch]") {
  // The decoder above is what makes the bit-exactness tests meaningful; pin it to RFC 4648's examples.
  auto text = [](const std::string& b64) {
    const auto v = base64_decode(b64);
    return std::string(v.begin(), v.end());
  };
  CHECK(text("") == "");
  CHECK(text("Zg==") == "f");
  CHECK(text("Zm8=") == "fo");
  CHECK(text("Zm9v") == "foo");
  CHECK(text("Zm9vYmFy") == "foobar");
  CHECK_THROWS(base64_decode("Zm9"));
  CHECK_THROWS(base64_decode("Zm9*"));
}
