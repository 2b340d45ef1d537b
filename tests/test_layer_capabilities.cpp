// Every layer of the registry, in a small model, under every attribution method: a method either gives a
// finite map of the right size or refuses with a readable error — never a silent fallback, never NaN.
// The rule-based methods (LRP, DeepLIFT) must work on every layer that declares their rule, and refuse,
// naming the layer, a layer that declares none. A new layer without a case here fails, naming it.
// Run alone with: core_tests "[capabilities]"
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "base/rng.h"
#include "interp/attribution/attr_net.h"
#include "interp/attribution/attribution.h"
#include "nn/activations.h"
#include "nn/layer.h"
#include "nn/model.h"

using namespace lab;

namespace {

struct Case {
  Shape input;
  std::vector<LayerSpec> layers;
};

// One small model per layer type (the layer under test in the middle).
const std::map<std::string, Case>& cases() {
  static const std::map<std::string, Case> c = {
      {"dense", {{3}, {{"dense", {{"units", 4}}, {{"activation", "tanh"}}}, {"dense", {{"units", 2}}, {}}}}},
      {"conv2d",
       {{1, 6, 6},
        {{"conv2d", {{"filters", 2}, {"kernel", 3}}, {{"activation", "relu"}}}, {"flatten", {}, {}}, {"dense", {{"units", 2}}, {}}}}},
      {"maxpool2d",
       {{1, 6, 6},
        {{"conv2d", {{"filters", 2}, {"kernel", 3}}, {}},
         {"maxpool2d", {{"size", 2}}, {}},
         {"flatten", {}, {}},
         {"dense", {{"units", 2}}, {}}}}},
      {"avgpool2d",
       {{1, 6, 6},
        {{"conv2d", {{"filters", 2}, {"kernel", 3}}, {}},
         {"avgpool2d", {{"size", 2}}, {}},
         {"flatten", {}, {}},
         {"dense", {{"units", 2}}, {}}}}},
      {"flatten", {{1, 4, 4}, {{"flatten", {}, {}}, {"dense", {{"units", 2}}, {}}}}},
      {"dropout",
       {{3}, {{"dense", {{"units", 4}}, {{"activation", "relu"}}}, {"dropout", {{"rate", 0.5}}, {}}, {"dense", {{"units", 2}}, {}}}}},
      {"activation", {{3}, {{"dense", {{"units", 4}}, {}}, {"activation", {}, {{"activation", "gelu"}}}, {"dense", {{"units", 2}}, {}}}}},
      {"batchnorm",
       {{1, 6, 6},
        {{"conv2d", {{"filters", 2}, {"kernel", 3}}, {}}, {"batchnorm", {}, {}}, {"flatten", {}, {}}, {"dense", {{"units", 2}}, {}}}}},
      {"layernorm", {{3}, {{"dense", {{"units", 4}}, {}}, {"layernorm", {}, {}}, {"dense", {{"units", 2}}, {}}}}},
  };
  return c;
}

Tensor random_rows(const Shape& per_sample, int n, uint64_t seed) {
  Shape s = per_sample;
  s.insert(s.begin(), n);
  Tensor t(s);
  Rng rng(seed);
  for (size_t i = 0; i < t.size(); ++i) t.at(i) = rng.uniform(-1, 1);
  return t;
}

// A layer no registry entry describes: attribution methods that need a declared rule must refuse it.
class Mystery final : public Layer {
 public:
  std::string type() const override { return "mystery"; }
  Shape output_shape(const Shape& in) const override { return in; }
  void forward(const Tensor& x, Tensor& y, LayerCtx&) override {
    y.resize(x.shape());
    for (size_t i = 0; i < x.size(); ++i) y.at(i) = x.at(i) * x.at(i);
  }
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx, LayerCtx&) override {
    if (!dx) return;
    dx->resize(x.shape());
    for (size_t i = 0; i < x.size(); ++i) dx->at(i) = 2 * x.at(i) * dy.at(i);
  }
  LayerSpec spec() const override { return {"mystery", {}, {}}; }
};

}  // namespace

TEST_CASE("every registered layer declares its attribution rules and has a capability case", "[capabilities]") {
  for (const LayerInfo& info : layer_registry()) {
    INFO("layer '" << info.name << "': add its case to cases() in tests/test_layer_capabilities.cpp");
    CHECK(cases().count(info.name) == 1);
    INFO("layer '" << info.name << "' declares no PyTorch module (LayerInfo::pytorch): the export would refuse it");
    CHECK(!info.pytorch.empty());
    INFO("layer '" << info.name << "' declares no view (LayerInfo::view): the network panel would not know how to draw it");
    CHECK((info.view == "dense" || info.view == "conv" || info.view == "pool" || info.view == "reshape" || info.view == "pointwise"));
  }
  for (const ActivationInfo& a : activation_registry()) {
    INFO("activation '" << a.name << "' declares no PyTorch module (ActivationInfo::pytorch)");
    CHECK(!a.pytorch.empty());
  }
  for (const auto& [type, c] : cases()) {
    INFO(type);
    CHECK(layer_registry().find(type) != nullptr);
  }
}

TEST_CASE("every attribution method on a model with every layer type: a finite map, or a readable refusal", "[capabilities]") {
  for (const auto& [type, c] : cases()) {
    Rng rng(7);
    Model model(c.input, c.layers, "glorot_uniform", rng);
    const attr::Net net = attr::net_of(model, Exec{});
    const Tensor x = random_rows(c.input, 2, 11), background = random_rows(c.input, 8, 13);
    const LayerInfo& info = layer_registry().at(type);
    for (const attr::MethodInfo& m : attr::method_registry()) {
      INFO("layer " << type << ", method " << m.name);
      attr::Context ctx;
      ctx.background = &background;
      attr::Params p = attr::parse_params(m.name, m.heavy ? R"({"seed": 1})" : "{}");
      if (p.has("steps")) p.num["steps"] = 8;
      if (p.has("samples")) p.num["samples"] = 8;
      if (p.has("baselines")) p.num["baselines"] = 4;
      try {
        const attr::Result r = attr::attribute(net, p, x, ctx);
        REQUIRE(r.map.dim(0) == 2);
        for (size_t i = 0; i < r.map.size(); ++i) REQUIRE(std::isfinite(r.map.at(i)));
      } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        INFO(what);
        CHECK(!what.empty());
        // The rule-based methods may refuse only a layer that declares no rule for them.
        if (m.name == "lrp") CHECK(info.lrp == LrpKind::None);
        if (m.name == "deeplift" || m.name == "deeplift_shap") CHECK(info.deeplift == DeepLiftKind::None);
        // Methods without a layer parameter and without a spatial need work on every model.
        CHECK((m.name != "saliency" && m.name != "integrated_gradients" && m.name != "input_x_gradient"));
      }
    }
  }
}

TEST_CASE("LRP and DeepLIFT refuse a layer without a declared rule, naming it; gradients still work", "[capabilities]") {
  Rng rng(3);
  // The unknown layer between two dense layers, in a model of built layers (no registry knows "mystery").
  std::vector<std::unique_ptr<Layer>> layers;
  layers.push_back(make_layer({"dense", {{"units", 3}}, {}}));
  layers.back()->build({3}, "glorot_uniform", rng);
  layers.push_back(std::make_unique<Mystery>());
  layers.push_back(make_layer({"dense", {{"units", 2}}, {}}));
  layers.back()->build({3}, "glorot_uniform", rng);
  Model model({3}, std::move(layers));
  attr::Net net = attr::net_of(model, Exec{});
  const Tensor x = random_rows({3}, 1, 5), background = random_rows({3}, 4, 6);
  attr::Context ctx;
  ctx.background = &background;
  CHECK_THROWS_WITH(attr::attribute(net, attr::default_params("lrp"), x, ctx), Catch::Contains("lrp: layer 1 (mystery) has no LRP rule"));
  CHECK_THROWS_WITH(attr::attribute(net, attr::default_params("deeplift"), x, ctx),
                    Catch::Contains("deeplift: layer 1 (mystery) has no DeepLIFT rule"));
  const attr::Result g = attr::attribute(net, attr::default_params("saliency"), x, ctx);
  CHECK(g.map.size() == 3);
}

TEST_CASE("every layer says how many parameter values it allocates, before it allocates them", "[capabilities][limits]") {
  for (const auto& [type, c] : cases()) {
    Rng rng(5);
    Model model(c.input, c.layers, "glorot_uniform", rng);
    for (size_t i = 0; i < model.num_layers(); ++i) {
      const Layer& l = model.layer(i);
      INFO("layer " << i << " (" << l.type() << ") of the " << type << " case: param_values must count what build() allocates");
      uint64_t n = 0;
      for (const Param& p : model.layer(i).params()) n += p.value->size();
      const Shape& in = i == 0 ? model.input_shape() : model.layer_output_shape(i - 1);
      CHECK(l.param_values(in) == n);
    }
  }
}
