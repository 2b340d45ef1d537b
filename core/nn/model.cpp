#include "nn/model.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "base/json_input.h"
#include "base/rng.h"

namespace lab {

Model::Model(Shape input, const std::vector<LayerSpec>& specs, const std::string& init, Rng& rng)
    : input_(std::move(input)), specs_(specs) {
  if (input_.empty()) throw std::invalid_argument("model: the input shape is empty");
  for (int d : input_)
    if (d < 1) throw std::invalid_argument("model: the input shape " + shape_str(input_) + " has a dimension below 1");
  if (specs.empty()) throw std::invalid_argument("model: needs at least one layer");
  shapes_.push_back(input_);
  uint64_t total_params = 0;
  for (size_t i = 0; i < specs.size(); ++i) {
    const LayerSpec& s = specs[i];
    try {
      LayerSpec core = s;
      std::string act, layer_init = init, id;
      if (auto it = core.str.find("id"); it != core.str.end()) {
        id = it->second;
        core.str.erase(it);
        bool ok = !id.empty() && id.size() <= 64 && !std::isdigit((unsigned char)id[0]);
        for (char c : id) ok &= std::isalnum((unsigned char)c) || c == '_';
        if (!ok) throw std::invalid_argument("id '" + id + "' must be a name of letters, digits and _ that does not start with a digit");
        if (layer_index(id) >= 0) throw std::invalid_argument("id '" + id + "' is used by another layer");
      }
      if (auto it = core.str.find("init"); it != core.str.end()) {
        layer_init = it->second;
        core.str.erase(it);
      }
      if (core.type != "activation")
        if (auto it = core.str.find("activation"); it != core.str.end()) {
          act = it->second;
          core.str.erase(it);
        }
      auto layer = make_layer(core);
      Shape out = layer->output_shape(shapes_.back());
      if (shape_size(out) == 0) throw std::invalid_argument("its output would be empty");
      const uint64_t mine = layer->param_values(shapes_.back());
      if ((total_params += mine) > kMaxModelParams)
        throw std::invalid_argument("the network would have " + std::to_string(total_params) + " parameters up to here (this layer " +
                                    std::to_string(mine) + "); the lab trains at most " + std::to_string(kMaxModelParams) +
                                    " (their gradients and the optimizer's state must fit in memory too): use fewer units or filters");
      layer->build(shapes_.back(), layer_init, rng);
      layers_.push_back(std::move(layer));
      shapes_.push_back(out);
      ids_.push_back(id);
      if (!act.empty() && act != "linear") {
        auto a = make_layer({"activation", {}, {{"activation", act}}});
        shapes_.push_back(a->output_shape(out));
        a->build(out, layer_init, rng);
        layers_.push_back(std::move(a));
        ids_.push_back("");
      }
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("layer " + std::to_string(i + 1) + " (" + clip_text(s.type, 40) + "): " + e.what());
    }
  }
  acts_.resize(layers_.size() + 1);
}

Model::Model(Shape input, std::vector<std::unique_ptr<Layer>> layers) : input_(std::move(input)), layers_(std::move(layers)) {
  if (input_.empty() || layers_.empty()) throw std::invalid_argument("model: needs an input shape and at least one layer");
  shapes_.push_back(input_);
  for (const auto& l : layers_) {
    shapes_.push_back(l->output_shape(shapes_.back()));
    specs_.push_back(l->spec());
    ids_.push_back("");
  }
  acts_.resize(layers_.size() + 1);
}

int Model::layer_index(const std::string& id) const {
  for (size_t i = 0; i < ids_.size(); ++i)
    if (!id.empty() && ids_[i] == id) return (int)i;
  return -1;
}

std::vector<ProbeInfo> Model::probes() const {
  std::vector<ProbeInfo> p;
  for (size_t i = 0; i < layers_.size(); ++i) p.push_back({probe_name(i), (int)i, shapes_[i + 1], shape_size(shapes_[i + 1])});
  return p;
}

Tensor Model::probe(const std::string& name) const {
  for (const ProbeInfo& p : probes())
    if (p.name == name) {
      const Tensor& a = acts_[p.layer + 1];
      const int B = a.rank() ? a.dim(0) : 0;
      Tensor t({B, 1, (int)p.units});  // (B, T, N), T = 1
      std::copy(a.data(), a.data() + a.size(), t.data());
      return t;
    }
  throw std::invalid_argument("no probe named '" + name + "' (probes: a layer's id, or layer0 … layer" +
                              std::to_string((int)layers_.size() - 1) + ")");
}

void Model::set_hooks(std::vector<Hook>* hooks) {
  std::vector<std::vector<Hook*>> at(layers_.size());
  if (hooks) {
    const std::vector<ProbeInfo> ps = probes();
    for (Hook& h : *hooks) {
      auto p = std::find_if(ps.begin(), ps.end(), [&](const ProbeInfo& q) { return q.name == h.probe; });
      if (p == ps.end())
        throw std::invalid_argument("hook: no probe named '" + h.probe + "' (probes: a layer's id, or layer0 … layer" +
                                    std::to_string((int)layers_.size() - 1) + ")");
      check_hook(h, p->units);
      at[p->layer].push_back(&h);
    }
  }
  hooks_ = hooks;
  hooks_at_ = std::move(at);
}

void Model::forward(const Tensor& x, LayerCtx& ctx) { forward(x, ctx, layers_.size()); }

void Model::forward(const Tensor& x, LayerCtx& ctx, size_t n_layers) {
  acts_[0].resize(x.shape());
  std::memcpy(acts_[0].data(), x.data(), x.size() * sizeof(float));
  for (size_t i = 0; i < std::min(n_layers, layers_.size()); ++i) {
    layers_[i]->forward(acts_[i], acts_[i + 1], ctx);
    if (hooks_)
      for (Hook* h : hooks_at_[i]) apply_hook(*h, acts_[i + 1], shape_size(shapes_[i + 1]));
  }
}

void Model::backward(const Tensor& dout, LayerCtx& ctx, bool want_input_grad) {
  const Tensor* dy = &dout;
  Tensor* bufs[2] = {&grad_a_, &grad_b_};
  // Only the gradient at record hooks wanted: stop at the lowest one.
  long lowest = -1;  // layers at or below this one run no backward
  if (hooks_ && !ctx.param_grads && !want_input_grad) {
    lowest = (long)layers_.size();
    for (size_t k = 0; k < layers_.size() && lowest == (long)layers_.size(); ++k)
      for (const Hook* h : hooks_at_[k])
        if (h->kind == HookKind::Record) lowest = (long)k;
  }
  for (size_t k = layers_.size(); k-- > 0;) {
    Tensor* dx = k > 0 ? bufs[k % 2] : (want_input_grad ? &dx_ : nullptr);
    if (hooks_ && !hooks_at_[k].empty()) {  // the gradient through the intervened output
      dy_hooked_.resize(dy->shape());
      std::memcpy(dy_hooked_.data(), dy->data(), dy->size() * sizeof(float));
      for (auto it = hooks_at_[k].rbegin(); it != hooks_at_[k].rend(); ++it) hook_backward(**it, dy_hooked_, shape_size(shapes_[k + 1]));
      dy = &dy_hooked_;
    }
    if ((long)k <= lowest) break;
    layers_[k]->backward(acts_[k], acts_[k + 1], *dy, dx, ctx);
    dy = dx;
  }
}

std::unique_ptr<Model> Model::clone() {
  Rng rng(0);  // the initial values are overwritten below
  auto m = std::make_unique<Model>(input_, specs_, "zeros", rng);
  auto src = params();
  auto dst = m->params();
  if (src.size() != dst.size()) throw std::logic_error("Model::clone: parameter lists differ");
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i].value->size() != dst[i].value->size()) throw std::logic_error("Model::clone: parameter sizes differ");
    std::memcpy(dst[i].value->data(), src[i].value->data(), src[i].value->size() * sizeof(float));
  }
  return m;
}

std::vector<Param> Model::params() {
  std::vector<Param> all;
  for (auto& l : layers_)
    for (auto& p : l->params()) all.push_back(p);
  return all;
}

size_t Model::num_params() {
  size_t n = 0;
  for (auto& p : params()) n += p.value->size();
  return n;
}

std::string Model::digest() {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto eat = [&](const void* data, size_t n) {
    const unsigned char* b = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3ULL;
  };
  for (auto& p : params()) {
    for (int d : p.value->shape()) {
      const int32_t v = d;
      eat(&v, sizeof v);
    }
    eat(p.value->data(), p.value->size() * sizeof(float));  // little-endian on every target we build
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
  return buf;
}

}  // namespace lab
