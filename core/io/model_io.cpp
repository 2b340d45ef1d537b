#include "io/model_io.h"
#include "base/json_input.h"

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace lab {
namespace {

using json = nlohmann::json;
constexpr char kMagic[8] = {'N', 'L', 'M', 'O', 'D', 'E', 'L', '1'};
constexpr uint32_t kFormatVersion = 1;

uint64_t fnv1a(const uint8_t* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

struct Loaded {
  std::string spec;
  std::vector<std::vector<float>> params;
  std::vector<Shape> shapes;  // per tensor, as the file states it (JSON: may be absent → empty)
};

std::unique_ptr<Experiment> build(const Loaded& l, const char* what, const DatasetAssets* assets) {
  std::unique_ptr<Experiment> e;
  try {
    e = std::make_unique<Experiment>(parse_spec(l.spec), assets);
  } catch (const std::invalid_argument& err) {
    throw std::invalid_argument(std::string(what) + ": its spec is not valid: " + err.what());
  }
  for (size_t i = 0; i < l.params.size(); ++i)
    for (float v : l.params[i])
      if (!std::isfinite(v))
        throw std::invalid_argument(std::string(what) + ": parameter " + std::to_string(i) + " holds NaN or infinite values");
  // A tensor's stated shape must be the layer's (a transposed weight of the right size is not accepted).
  const std::vector<Param> ps = e->model().params();
  for (size_t i = 0; i < l.shapes.size() && i < ps.size(); ++i)
    if (!l.shapes[i].empty() && l.shapes[i] != ps[i].value->shape())
      throw std::invalid_argument(std::string(what) + ": parameter " + std::to_string(i) + " (" + ps[i].name + ") has shape " +
                                  shape_str(l.shapes[i]) + ", but its layer in the spec needs " + shape_str(ps[i].value->shape()));
  try {
    e->set_parameters(l.params);
  } catch (const std::invalid_argument& err) {
    throw std::invalid_argument(std::string(what) + " does not fit its own spec: " + err.what());
  }
  return e;
}

class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  void need(size_t k, const char* what) const {
    if (n_ - off_ < k)
      throw std::invalid_argument("model file is truncated: " + std::string(what) + " needs " + std::to_string(k) + " bytes at offset " +
                                  std::to_string(off_) + ", only " + std::to_string(n_ - off_) + " remain");
  }
  uint32_t u32(const char* what) {
    need(4, what);
    uint32_t v;
    std::memcpy(&v, p_ + off_, 4);
    off_ += 4;
    return v;
  }
  const uint8_t* bytes(size_t k, const char* what) {
    need(k, what);
    const uint8_t* r = p_ + off_;
    off_ += k;
    return r;
  }
  size_t offset() const { return off_; }

 private:
  const uint8_t* p_;
  size_t n_, off_ = 0;
};

}  // namespace

std::string export_model_json(Experiment& e) {
  std::lock_guard<std::mutex> l(e.mutex());
  json j;
  j["format"] = "neuronlab-model";
  j["version"] = kFormatVersion;
  j["spec"] = json::parse(e.spec_json());
  j["digest"] = e.model().digest();
  json ps = json::array();
  size_t layer = 0;
  for (size_t li = 0; li < e.model().num_layers(); ++li, ++layer)
    for (auto& p : e.model().layer(li).params()) {
      json t;
      t["name"] = "layer" + std::to_string(li) + "." + p.name;
      t["shape"] = p.value->shape();
      t["data"] = std::vector<float>(p.value->data(), p.value->data() + p.value->size());
      ps.push_back(t);
    }
  j["params"] = ps;
  return j.dump();
}

std::vector<uint8_t> export_model_binary(Experiment& e) {
  std::lock_guard<std::mutex> l(e.mutex());
  std::vector<uint8_t> out(kMagic, kMagic + 8);
  auto put32 = [&](uint32_t v) {
    const uint8_t* b = reinterpret_cast<const uint8_t*>(&v);
    out.insert(out.end(), b, b + 4);
  };
  put32(kFormatVersion);
  const std::string spec = e.spec_json();
  put32((uint32_t)spec.size());
  out.insert(out.end(), spec.begin(), spec.end());
  auto ps = e.model().params();
  put32((uint32_t)ps.size());
  for (auto& p : ps) {
    put32((uint32_t)p.value->rank());
    for (int d : p.value->shape()) put32((uint32_t)d);
    const uint8_t* b = reinterpret_cast<const uint8_t*>(p.value->data());
    out.insert(out.end(), b, b + p.value->size() * sizeof(float));
  }
  const uint64_t h = fnv1a(out.data(), out.size());
  const uint8_t* hb = reinterpret_cast<const uint8_t*>(&h);
  out.insert(out.end(), hb, hb + 8);
  return out;
}

std::unique_ptr<Experiment> import_model(const uint8_t* bytes, size_t n, const DatasetAssets* assets) {
  if (n == 0) throw std::invalid_argument("model file is empty");
  size_t first = 0;
  while (first < n && (bytes[first] == ' ' || bytes[first] == '\n' || bytes[first] == '\r' || bytes[first] == '\t')) ++first;
  if (first < n && bytes[first] == '{') {
    const json j = parse_json_input(bytes, n, "the model file");
    if (!j.is_object() || !j.contains("format") || j["format"] != "neuronlab-model")
      throw std::invalid_argument("not a NeuronLab model file (expected \"format\": \"neuronlab-model\")");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<long long>() != (long long)kFormatVersion)
      throw std::invalid_argument("model file version " + clip_text(j.contains("version") ? j["version"].dump() : "(none)", 30) +
                                  " is not supported (this lab reads version 1)");
    if (!j.contains("spec") || !j["spec"].is_object()) throw std::invalid_argument("model file has no spec");
    if (!j.contains("params") || !j["params"].is_array()) throw std::invalid_argument("model file has no params list");
    Loaded l;
    l.spec = j["spec"].dump();
    for (size_t i = 0; i < j["params"].size(); ++i) {
      const json& t = j["params"][i];
      if (!t.is_object() || !t.contains("data") || !t["data"].is_array())
        throw std::invalid_argument("model file: params[" + std::to_string(i) + "] has no data list");
      Shape shape;
      if (t.contains("shape")) {
        const json& sh = t["shape"];
        if (!sh.is_array() || sh.size() > 8)
          throw std::invalid_argument("model file: params[" + std::to_string(i) + "].shape must be a list of at most 8 sizes");
        for (const json& d : sh) {
          if (!d.is_number_integer() || d.get<long long>() < 0 || d.get<long long>() > (1ll << 28))
            throw std::invalid_argument("model file: params[" + std::to_string(i) + "].shape holds " + clip_text(d.dump(), 30) +
                                        ", not a size");
          shape.push_back((int)d.get<long long>());
        }
      }
      l.shapes.push_back(shape);
      std::vector<float> v;
      v.reserve(t["data"].size());
      for (const json& x : t["data"]) {
        if (!x.is_number()) throw std::invalid_argument("model file: params[" + std::to_string(i) + "] holds a value that is not a number");
        v.push_back(x.get<float>());
      }
      l.params.push_back(std::move(v));
    }
    auto e = build(l, "model file", assets);
    if (j.contains("digest") && j["digest"].is_string() && j["digest"].get<std::string>() != e->digest())
      throw std::invalid_argument("model file is corrupt: its weights do not match its digest");
    return e;
  }
  if (n < 8 || std::memcmp(bytes, kMagic, 8) != 0)
    throw std::invalid_argument("not a NeuronLab model file (neither JSON nor the NLMODEL1 binary format)");
  if (n < 8 + 8) throw std::invalid_argument("model file is truncated: too short to hold a header and checksum");
  uint64_t stored;
  std::memcpy(&stored, bytes + n - 8, 8);
  Reader r(bytes, n - 8);
  r.bytes(8, "the magic");
  const uint32_t version = r.u32("the version");
  if (version != kFormatVersion)
    throw std::invalid_argument("model file version " + std::to_string(version) + " is not supported (this lab reads version 1)");
  const uint32_t spec_len = r.u32("the spec length");
  Loaded l;
  const uint8_t* sp = r.bytes(spec_len, "the spec");
  l.spec.assign(reinterpret_cast<const char*>(sp), spec_len);
  const uint32_t count = r.u32("the tensor count");
  if (count > 100000) throw std::invalid_argument("model file is corrupt: it claims " + std::to_string(count) + " tensors");
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t rank = r.u32("a tensor rank");
    if (rank > 8) throw std::invalid_argument("model file is corrupt: tensor " + std::to_string(i) + " has rank " + std::to_string(rank));
    uint64_t size = 1;
    Shape shape;
    for (uint32_t k = 0; k < rank; ++k) {
      const uint32_t d = r.u32("a tensor dimension");
      shape.push_back((int)std::min<uint32_t>(d, 1u << 30));
      size *= d;
      if (size > (1ull << 28)) throw std::invalid_argument("model file is corrupt: tensor " + std::to_string(i) + " is impossibly large");
    }
    const uint8_t* d = r.bytes(size * sizeof(float), "tensor data");
    std::vector<float> v(size);
    if (size > 0) std::memcpy(v.data(), d, size * sizeof(float));  // (a null pointer is UB even for 0 bytes)
    l.params.push_back(std::move(v));
    l.shapes.push_back(shape);
  }
  if (r.offset() != n - 8)
    throw std::invalid_argument("model file is corrupt: " + std::to_string(n - 8 - r.offset()) + " unexpected bytes before the checksum");
  if (fnv1a(bytes, n - 8) != stored)
    throw std::invalid_argument("model file is corrupt: its checksum does not match (the file was changed or damaged)");
  return build(l, "model file", assets);
}

}  // namespace lab
