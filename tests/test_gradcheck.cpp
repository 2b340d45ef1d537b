// Finite-difference gradient checks for every layer, activation and loss, and a whole model.
#include <catch2/catch.hpp>

#include <cstring>
#include <map>

#include "base/rng.h"
#include "base/thread_pool.h"
#include "gradcheck.h"
#include "nn/activations.h"
#include "nn/layer.h"
#include "nn/loss.h"
#include "nn/model.h"

using namespace lab;
using lab::testing::fd_check;
using lab::testing::kClosedFormTol;

namespace {

void fill(Tensor& t, Rng& rng, float lo = -1, float hi = 1) {
  for (size_t i = 0; i < t.size(); ++i) t.at(i) = rng.uniform(lo, hi);
}

// Objective Σ y ⊙ r for a fixed random r: its gradient wrt y is r, so backward(dy = r) must give the
// gradients of this scalar.
void check_layer(const LayerSpec& spec, Shape in, int B, ThreadPool* pool, float xlo = -1, float xhi = 1, bool training = false) {
  Rng rng(11);
  auto layer = make_layer(spec);
  const Shape out = layer->output_shape(in);
  layer->build(in, "glorot_uniform", rng);
  Shape bx = in, by = out;
  bx.insert(bx.begin(), B);
  by.insert(by.begin(), B);
  Tensor x(bx), y, r(by), dx;
  fill(x, rng, xlo, xhi);
  fill(r, rng);
  for (auto& p : layer->params()) fill(*p.value, rng, -0.5f, 0.5f);
  LayerCtx ctx{Exec{pool, false}, training, nullptr};
  auto objective = [&] {
    layer->forward(x, y, ctx);
    double s = 0;
    for (size_t i = 0; i < y.size(); ++i) s += (double)y.at(i) * r.at(i);
    return s;
  };
  objective();
  layer->backward(x, y, r, &dx, ctx);
  std::vector<float*> xs;
  for (size_t i = 0; i < x.size(); ++i) xs.push_back(&x.at(i));
  auto res = fd_check(xs, std::vector<float>(dx.data(), dx.data() + dx.size()), objective, spec.type + " dx");
  INFO(res.where);
  CHECK(res.ok);
  for (auto& p : layer->params()) {
    if (!p.trainable) continue;  // state (running statistics): no gradient
    std::vector<float> g(p.grad->data(), p.grad->data() + p.grad->size());
    std::vector<float*> ps;
    for (size_t i = 0; i < p.value->size(); ++i) ps.push_back(&p.value->at(i));
    auto pr = fd_check(ps, g, objective, spec.type + " " + p.name);
    INFO(pr.where);
    CHECK(pr.ok);
  }
}

}  // namespace

// The gradient-check cases of every layer type: (spec, per-sample input, batch, input range, training).
// The test iterates the layer registry and fails, naming it, for a layer without a case.
struct GradCase {
  LayerSpec spec;
  Shape in;
  int batch;
  float lo = -1, hi = 1;
  bool training = false;
  bool threaded = false;
};
const std::map<std::string, std::vector<GradCase>>& grad_cases() {
  static const std::map<std::string, std::vector<GradCase>> c = {
      {"dense", {{{"dense", {{"units", 5}}, {}}, {7}, 4}, {{"dense", {{"units", 3}, {"bias", 0}}, {}}, {2}, 3, -1, 1, false, true}}},
      {"conv2d",
       {{{"conv2d", {{"filters", 3}, {"kernel", 3}}, {}}, {2, 6, 5}, 3},
        {{"conv2d", {{"filters", 2}, {"kernel", 3}, {"stride", 2}, {"padding", 1}}, {}}, {1, 7, 7}, 5, -1, 1, false, true}}},
      // Max pooling is not differentiable at ties; inputs spread over [-3, 3] make ties improbable.
      {"maxpool2d", {{{"maxpool2d", {{"size", 2}}, {}}, {2, 6, 6}, 2, -3, 3}}},
      {"avgpool2d", {{{"avgpool2d", {{"size", 3}, {"stride", 2}}, {}}, {1, 7, 7}, 2}}},
      {"flatten", {{{"flatten", {}, {}}, {2, 3, 3}, 2}}},
      {"dropout", {{{"dropout", {{"rate", 0.5}}, {}}, {6}, 3}}},                 // at evaluation: the identity
      {"activation", {{{"activation", {}, {{"activation", "tanh"}}}, {9}, 3}}},  // every activation: below
      // Batch statistics in training (μ, σ² depend on x), running statistics at evaluation; 1-D and 2-D.
      {"batchnorm",
       {{{"batchnorm", {}, {}}, {5}, 4, -1, 1, true},
        {{"batchnorm", {}, {}}, {3, 3, 2}, 3, -1, 1, true},
        {{"batchnorm", {{"eps", 1e-3}}, {}}, {4}, 3, -1, 1, false}}},
      {"layernorm", {{{"layernorm", {}, {}}, {6}, 3}, {{"layernorm", {{"eps", 1e-3}}, {}}, {2, 3, 3}, 2}}},
  };
  return c;
}

TEST_CASE("gradient check: every layer of the registry", "[gradcheck]") {
  ThreadPool pool(3);
  for (const LayerInfo& info : layer_registry()) {
    INFO("layer '" << info.name << "': add its case to grad_cases() in tests/test_gradcheck.cpp");
    REQUIRE(grad_cases().count(info.name) == 1);
    for (const GradCase& g : grad_cases().at(info.name))
      check_layer(g.spec, g.in, g.batch, g.threaded ? &pool : nullptr, g.lo, g.hi, g.training);
  }
}

TEST_CASE("gradient check: every activation", "[gradcheck]") {
  for (const auto& a : activation_registry()) {
    INFO(a.name);
    // Keep ReLU-family inputs away from the kink at 0 by less than the FD step only by chance.
    check_layer({"activation", {}, {{"activation", a.name}}}, {9}, 3, nullptr, -2.5f, 2.5f);
  }
}

TEST_CASE("gradient check: every loss, with labels and with values", "[gradcheck]") {
  Rng rng(5);
  const int B = 4, D = 3;
  Tensor out({B, D}), dout;
  fill(out, rng, -2, 2);
  const int labels[B] = {0, 2, 1, 2};
  std::vector<float> values(B * D);
  for (auto& v : values) v = rng.uniform(0, 1);
  for (const auto& l : loss_registry()) {
    for (int mode = 0; mode < 2; ++mode) {
      if (mode == 1 && l.needs_labels) continue;
      Targets t;
      if (mode == 0)
        t.labels = labels;
      else
        t.values = values.data();
      l.compute(out, t, &dout);
      std::vector<float*> xs;
      for (size_t i = 0; i < out.size(); ++i) xs.push_back(&out.at(i));
      auto r = fd_check(
          xs, std::vector<float>(dout.data(), dout.data() + dout.size()), [&] { return (double)l.compute(out, t, nullptr); }, l.name);
      INFO(l.name << (mode ? " values" : " labels") << ": " << r.where);
      CHECK(r.ok);
    }
  }
}

TEST_CASE("losses match closed forms", "[loss]") {
  Tensor out({2, 2});
  out.at(0) = 0;
  out.at(1) = 0;
  out.at(2) = 1;
  out.at(3) = -1;
  const int labels[2] = {0, 1};
  // CE: row 0: log 2; row 1: log(e + e^-1) + 1
  const double ce = (std::log(2.0) + std::log(std::exp(1.0) + std::exp(-1.0)) + 1.0) / 2;
  CHECK(loss("softmax_cross_entropy").compute(out, {labels, nullptr}, nullptr) == Approx(ce).epsilon(kClosedFormTol));
  // MSE against one-hot: ((0-1)² + 0 + (1-0)² + (-1-1)²) / 4
  CHECK(loss("mse").compute(out, {labels, nullptr}, nullptr) == Approx(1.5).epsilon(kClosedFormTol));
  const int bad[2] = {0, 2};
  CHECK_THROWS_WITH(loss("softmax_cross_entropy").compute(out, {bad, nullptr}, nullptr),
                    Catch::Contains("label 2 does not fit 2 network outputs"));
  CHECK_THROWS_WITH(loss("hinge"), Catch::Contains("unknown loss 'hinge'"));
}

TEST_CASE("gradient check: a whole CNN, through the model's backward", "[gradcheck]") {
  Rng rng(3);
  ThreadPool pool(2);
  Model m({1, 8, 8},
          {{"conv2d", {{"filters", 3}, {"kernel", 3}, {"padding", 1}}, {{"activation", "tanh"}}},
           {"avgpool2d", {{"size", 2}}, {}},
           {"flatten", {}, {}},
           {"dense", {{"units", 4}}, {{"activation", "gelu"}}},
           {"dense", {{"units", 3}}, {}}},
          "glorot_uniform", rng);
  REQUIRE(m.num_layers() == 7);  // two activations expanded
  Tensor x({2, 1, 8, 8}), dout;
  fill(x, rng);
  const int labels[2] = {2, 0};
  LayerCtx ctx{Exec{&pool, false}, false, nullptr};
  auto objective = [&] {
    m.forward(x, ctx);
    return (double)loss("softmax_cross_entropy").compute(m.output(), {labels, nullptr}, nullptr);
  };
  m.forward(x, ctx);
  loss("softmax_cross_entropy").compute(m.output(), {labels, nullptr}, &dout);
  m.backward(dout, ctx, true);
  std::vector<float*> xs;
  for (size_t i = 0; i < x.size(); ++i) xs.push_back(&x.at(i));
  auto r = fd_check(xs, std::vector<float>(m.input_grad().data(), m.input_grad().data() + x.size()), objective, "input");
  INFO(r.where);
  CHECK(r.ok);
  for (auto& p : m.params()) {
    std::vector<float> g(p.grad->data(), p.grad->data() + p.grad->size());
    std::vector<float*> ps;
    for (size_t i = 0; i < p.value->size(); ++i) ps.push_back(&p.value->at(i));
    auto pr = fd_check(ps, g, objective, p.name);
    INFO(pr.where);
    CHECK(pr.ok);
  }
}

TEST_CASE("model spec errors name the layer", "[model]") {
  Rng rng(1);
  CHECK_THROWS_WITH(Model({2}, {{"dense", {{"units", 0}}, {}}}, "glorot_uniform", rng),
                    "layer 1 (dense): layer 'dense': units must be an integer between 1 and 65536 (got 0)");
  CHECK_THROWS_WITH(Model({1, 4, 4}, {{"conv2d", {{"filters", 2}, {"kernel", 5}}, {}}}, "glorot_uniform", rng),
                    Catch::Contains("layer 1 (conv2d): conv2d: a 5×5 kernel does not fit the input (1, 4, 4)"));
  CHECK_THROWS_WITH(Model({1, 4, 4}, {{"dense", {{"units", 2}}, {}}}, "glorot_uniform", rng), Catch::Contains("add a flatten layer"));
  CHECK_THROWS_WITH(Model({2}, {{"dense", {{"units", 2}}, {{"activation", "swish"}}}}, "glorot_uniform", rng),
                    Catch::Contains("activation must be one of linear, relu"));
  CHECK_THROWS_WITH(Model({2}, {{"dense", {{"units", 2}, {"width", 3}}, {}}}, "glorot_uniform", rng),
                    Catch::Contains("unknown parameter 'width'"));
  CHECK_THROWS_WITH(Model({2}, {{"dense", {{"units", 2}}, {{"init", "magic"}}}}, "glorot_uniform", rng),
                    Catch::Contains("unknown initialiser 'magic'"));
}
