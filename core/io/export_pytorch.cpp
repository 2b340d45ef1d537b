// export_pytorch.cpp — [SECTION] snapshot · [SECTION] Python literals and base64 · [SECTION] layers ·
// [SECTION] inputs · [SECTION] training · [SECTION] data and self-check · [SECTION] the script
//
// The script is written section by section in the order it reads; each emit_* function writes one
// section of it. Everything the script needs from the experiment comes from one Snapshot, taken under
// the experiment's mutex, plus the outputs of Experiment::predict for the check samples.
#include "io/export_pytorch.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "base/version.h"
#include "nn/activations.h"
#include "nn/layer.h"
#include "nn/loss.h"

namespace lab {
namespace {

// The check's tolerance, |torch − neuronlab| ≤ atol + rtol·|neuronlab| per output. Both sides compute in
// float32 but sum in a different order (our SIMD matmul and im2col vs PyTorch's BLAS and conv kernels)
// and use different exp/tanh/erf implementations, so outputs differ by a few ulps per accumulated term:
// 0.6–2.4e-7 on the small models of tests/export_pytorch_check.sh, 4.8e-6 on a digits CNN and 7.6e-6 on
// an MNIST MLP after 300 steps (logits up to ~20). A real mismatch is larger: a leaky_relu slope of 0.3
// instead of 0.01 feeding a softmax, in that check's CNN, moves outputs by 2.4e-3.
constexpr double kCheckAbsTol = 1e-4, kCheckRelTol = 1e-4;
constexpr int kSnapshotTries = 3;  // retries when the experiment trains during the export
constexpr size_t kBase64LineChars = 96;

// [SECTION] snapshot --------------------------------------------------------------------------------

struct ParamSnap {
  std::string name;  // "weight", "bias", "running_mean", …
  Shape shape;
  std::vector<float> values;
  bool regularised = false;  // L1/L2 apply to it
};

struct LayerSnap {
  std::string type;
  LayerSpec spec;  // Layer::spec(): the layer as built (defaults filled in, activation split off)
  Shape in, out;   // per sample
  std::vector<ParamSnap> params;
};

struct Snapshot {
  Spec spec;
  Shape input;
  std::vector<LayerSnap> layers;
  std::string digest;
};

// Reads the model under e's mutex; Model and Experiment::spec() do not lock themselves.
Snapshot take_snapshot(Experiment& e) {
  std::lock_guard<std::mutex> lock(e.mutex());
  Snapshot s;
  s.spec = e.spec();
  Model& m = e.model();
  s.input = m.input_shape();
  for (size_t i = 0; i < m.num_layers(); ++i) {
    Layer& l = m.layer(i);
    LayerSnap ls{l.type(), l.spec(), i == 0 ? m.input_shape() : m.layer_output_shape(i - 1), m.layer_output_shape(i), {}};
    for (const Param& p : l.params())
      ls.params.push_back(
          {p.name, p.value->shape(), std::vector<float>(p.value->data(), p.value->data() + p.value->size()), p.regularised});
    s.layers.push_back(std::move(ls));
  }
  s.digest = m.digest();
  return s;
}

std::string str_or(const LayerSpec& s, const std::string& key, const std::string& def) {
  auto it = s.str.find(key);
  return it == s.str.end() ? def : it->second;
}

// [SECTION] Python literals and base64 -----------------------------------------------------------------

// RFC 4648 base64 with padding.
std::string base64(const std::string& bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t)(uint8_t)bytes[i] << 16 | (uint32_t)(uint8_t)bytes[i + 1] << 8 | (uint8_t)bytes[i + 2];
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest) {
    uint32_t v = (uint32_t)(uint8_t)bytes[i] << 16;
    if (rest == 2) v |= (uint32_t)(uint8_t)bytes[i + 1] << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += rest == 2 ? kAlphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

// Little-endian bytes whatever the host's byte order: the script reads them as numpy "<f4" / "<i4".
std::string le_bytes(const float* v, size_t n) {
  std::string b(n * 4, '\0');
  for (size_t i = 0; i < n; ++i) {
    uint32_t u;
    std::memcpy(&u, &v[i], 4);
    for (int k = 0; k < 4; ++k) b[i * 4 + k] = (char)(u >> (8 * k) & 0xff);
  }
  return b;
}
std::string le_bytes(const int* v, size_t n) {
  std::string b(n * 4, '\0');
  for (size_t i = 0; i < n; ++i) {
    const uint32_t u = (uint32_t)v[i];
    for (int k = 0; k < 4; ++k) b[i * 4 + k] = (char)(u >> (8 * k) & 0xff);
  }
  return b;
}

// A Python string literal for base64 text, split into implicitly concatenated lines (each after `indent`).
std::string b64_literal(const std::string& bytes, const std::string& indent) {
  const std::string t = base64(bytes);
  if (t.empty()) return "\"\"";
  std::string out;
  for (size_t i = 0; i < t.size(); i += kBase64LineChars) {
    if (i) {
      out += '\n';
      out += indent;
    }
    out += '"';
    out.append(t, i, kBase64LineChars);
    out += '"';
  }
  return out;
}

// The shortest decimal that reads back as the same float32, as a Python float literal ("0.03", "1e-08", "1.0").
std::string py_float(double d) {
  const float f = (float)d;
  char b[40];
  for (int prec = 6; prec <= 9; ++prec) {
    std::snprintf(b, sizeof b, "%.*g", prec, (double)f);
    if (std::strtof(b, nullptr) == f) break;
  }
  std::string s = b;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // "1" → "1.0" (n: inf/nan never get here)
  return s;
}

// A Python string literal in double quotes; UTF-8 passes through, control characters are escaped.
std::string py_str(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += (char)c;
    } else if (c == '\n')
      out += "\\n";
    else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else
      out += (char)c;
  }
  return out + "\"";
}

// (8,) or (16, 5): a Python tuple.
std::string py_shape(const Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

// (n, 1, 28, 28): a per-sample shape with the batch in front, for docstrings.
std::string batch_shape(const Shape& s) {
  std::string out = "(n";
  for (int d : s) out += ", " + std::to_string(d);
  return out + ")";
}

std::string py_bool(bool b) { return b ? "True" : "False"; }

// _array(<base64>, shape, dtype): an embedded array, as the script's helper decodes it; `column` is where
// "_array(" starts on its line, so the continuation lines line up under the first literal.
std::string py_array(const std::string& bytes, const Shape& shape, const char* dtype, size_t column) {
  const std::string indent(column + 7, ' ');
  return "_array(" + b64_literal(bytes, indent) + ",\n" + indent + py_shape(shape) + ", \"" + dtype + "\")";
}

// "# [SECTION] name ----…": a section rule of the script, 100 characters wide.
std::string section(const std::string& name) {
  const std::string head = "# [SECTION] " + name + " ";
  return head + std::string(head.size() < 100 ? 100 - head.size() : 3, '-') + "\n\n";
}

// [SECTION] layers ----------------------------------------------------------------------------------

std::string fill_template(std::string t, const std::vector<ParamSpec>& schema, const ParamValues& v);

// The torch module of one activation (its registry entry's); `in` is the per-sample input shape (our
// softmax acts over all of a sample's features at once, so a multi-dimensional input needs SampleSoftmax).
std::string activation_module(const std::string& name, const Shape& in, bool& needs_sample_softmax) {
  const ActivationInfo& a = activation(name);
  if (a.pytorch.empty())
    throw std::invalid_argument("export_pytorch: activation '" + name + "' has no PyTorch equivalent in the exporter yet");
  if (name == "softmax" && in.size() != 1) {
    needs_sample_softmax = true;
    return "SampleSoftmax()";
  }
  return a.pytorch;
}

// One line of nn.Sequential(...) per NeuronLab layer, so model[i] is layer i: the layer's declared template
// (LayerInfo::pytorch) with its values filled in.
std::string layer_module(size_t i, const LayerSnap& l, bool& needs_sample_softmax) {
  const LayerInfo* info = layer_registry().find(l.type);
  if (!info || info->pytorch.empty())
    throw std::invalid_argument("export_pytorch: layer " + std::to_string(i) + " is a '" + l.type +
                                "' layer, which has no PyTorch equivalent in the exporter yet");
  nlohmann::json given = nlohmann::json::object();
  for (const auto& [k, v] : l.spec.num) given[k] = v;
  for (const auto& [k, v] : l.spec.str) given[k] = v;
  const ParamValues values = parse_values(info->params, given, "layer " + std::to_string(i));
  std::string t = info->pytorch;
  auto put = [&](const std::string& key, const std::string& value) {
    for (size_t at; (at = t.find(key)) != std::string::npos;) t.replace(at, key.size(), value);
  };
  put("{in0}", std::to_string(l.in.at(0)));
  put("{in_shape}", py_shape(l.in));
  put("{spatial}", l.in.size() == 3 ? "2" : "1");
  put("{out0}", std::to_string(l.out.at(0)));
  if (t.find("{activation}") != std::string::npos)
    put("{activation}", activation_module(values.choice("activation"), l.in, needs_sample_softmax));
  return fill_template(t, info->params, values);
}

std::string layer_comment(size_t i, const LayerSnap& l) {
  std::string c = "# " + std::to_string(i) + " " + l.type;
  if (l.type == "activation") c += " " + str_or(l.spec, "activation", "linear");
  return c + ": " + shape_str(l.in) + " → " + shape_str(l.out);
}

std::string emit_network(const Snapshot& s) {
  bool needs_sample_softmax = false;
  std::vector<std::string> mods;
  size_t width = 0;
  for (size_t i = 0; i < s.layers.size(); ++i) {
    mods.push_back(layer_module(i, s.layers[i], needs_sample_softmax) + ",");
    width = std::max(width, mods.back().size());
  }
  std::string o = section("the network");
  if (needs_sample_softmax)
    o += "class SampleSoftmax(nn.Module):\n"
         "    \"\"\"NeuronLab's softmax on a multi-dimensional input: over all features of each sample at once.\"\"\"\n\n"
         "    def forward(self, x):\n"
         "        return torch.softmax(x.flatten(1), dim=1).view_as(x)\n\n\n";
  o += "def build_model():\n"
       "    \"\"\"The network with fresh (untrained) weights. Index i is NeuronLab's layer i (activations counted).\"\"\"\n"
       "    return nn.Sequential(\n";
  for (size_t i = 0; i < mods.size(); ++i)
    o += "        " + mods[i] + std::string(width - mods[i].size() + 2, ' ') + layer_comment(i, s.layers[i]) + "\n";
  o += "    )\n\n\n";
  o += "# Trained parameters: (name in model.state_dict(), shape, base64 of little-endian float32), in\n"
       "# PyTorch's layouts, which NeuronLab uses too: Linear weight (out, in), Conv2d weight (F, C, KH, KW).\n"
       "WEIGHTS = [\n";
  for (size_t i = 0; i < s.layers.size(); ++i)
    for (const ParamSnap& p : s.layers[i].params)
      o += "    (" + py_str(std::to_string(i) + "." + p.name) + ", " + py_shape(p.shape) + ",\n     " +
           b64_literal(le_bytes(p.values.data(), p.values.size()), "     ") + "),\n";
  o += "]\n\n\n"
       "def load_weights(m):\n"
       "    \"\"\"Loads the trained parameters and state (batchnorm's running statistics) into a model from\n"
       "    build_model(). Every one must match; only batchnorm's step counter num_batches_tracked, which\n"
       "    NeuronLab does not keep, stays as built.\"\"\"\n"
       "    missing, unexpected = m.load_state_dict(\n"
       "        {name: _array(b64, shape, \"<f4\") for name, shape, b64 in WEIGHTS}, strict=False)\n"
       "    missing = [k for k in missing if not k.endswith(\"num_batches_tracked\")]\n"
       "    if missing or unexpected:\n"
       "        raise RuntimeError(\"the weights do not fit the model: missing %s, unexpected %s\" % (missing, unexpected))\n"
       "    return m\n\n\n"
       "model = load_weights(build_model()).eval()\n\n\n"
       "def _as_inputs(x):\n"
       "    \"\"\"x as the network's input: a float32 tensor (n, *INPUT_SHAPE); flat rows are reshaped.\"\"\"\n"
       "    x = torch.as_tensor(x, dtype=torch.float32)\n"
       "    per_sample = math.prod(INPUT_SHAPE)\n"
       "    if x.dim() == 0 or (tuple(x.shape[1:]) != INPUT_SHAPE and x.numel() != x.shape[0] * per_sample):\n"
       "        raise ValueError(\"the network takes inputs of shape (n, %s), got %s%s\" % (\n"
       "            \", \".join(map(str, INPUT_SHAPE)), tuple(x.shape),\n"
       "            \" (raw 2-D points go through featurize(points) first)\" if FEATURES else \"\"))\n"
       "    return x.reshape((-1,) + INPUT_SHAPE)\n\n\n"
       "def predict(x):\n"
       "    \"\"\"Outputs (n, OUTPUTS) for network inputs x (n, *INPUT_SHAPE), in eval mode, without gradients.\"\"\"\n"
       "    was_training = model.training\n"
       "    model.eval()\n"
       "    with torch.no_grad():\n"
       "        out = model(_as_inputs(x))\n"
       "    model.train(was_training)\n"
       "    return out\n\n\n";
  return o;
}

// [SECTION] inputs ----------------------------------------------------------------------------------

struct FeatureExpr {
  const char* name;
  const char* expr;  // in terms of the float32 tensors x1, x2
  const char* about;
};
// Mirrors input_feature() in core/experiment/spec.cpp.
const FeatureExpr kFeatureExprs[] = {
    {"x1", "x1", "x1"},
    {"x2", "x2", "x2"},
    {"x1sq", "x1 * x1", "x1²"},
    {"x2sq", "x2 * x2", "x2²"},
    {"x1x2", "x1 * x2", "x1·x2"},
    {"sinx1", "torch.sin(x1)", "sin(x1)"},
    {"sinx2", "torch.sin(x2)", "sin(x2)"},
};

const FeatureExpr& feature_expr(const std::string& name) {
  for (const auto& f : kFeatureExprs)
    if (name == f.name) return f;
  throw std::invalid_argument("export_pytorch: input feature '" + name + "' has no PyTorch expression in the exporter yet");
}

std::string emit_inputs(const Snapshot& s, bool is_2d) {
  std::string o = section("inputs");
  if (!is_2d) {
    o += "def featurize(rows):\n"
         "    \"\"\"The dataset's rows (n, " +
         std::to_string(shape_size(s.input)) + ") → the network's input tensor " + batch_shape(s.input) +
         ".\n\n"
         "    '" +
         s.spec.dataset +
         "' has no computed features: this only converts and reshapes (images are\n"
         "    (channels, height, width), row-major, as NeuronLab stores them).\n"
         "    \"\"\"\n"
         "    return _as_inputs(rows)\n\n\n";
    return o;
  }
  std::vector<std::string> names = s.spec.features;
  if (names.empty()) names = {"x1", "x2"};
  std::string about, exprs;
  for (size_t i = 0; i < names.size(); ++i) {
    const FeatureExpr& f = feature_expr(names[i]);
    about += std::string(i ? ", " : "") + f.about;
    exprs += "        " + std::string(f.expr) + ",  # " + names[i] + "\n";
  }
  o += "def featurize(points):\n"
       "    \"\"\"Raw 2-D points (n, 2), columns x1 and x2 → the network's inputs (n, " +
       std::to_string(names.size()) +
       "):\n"
       "    " +
       about + " — the spec's data.features" + (s.spec.features.empty() ? " (none: the raw x1, x2)" : "") +
       ", in order.\n\n"
       "    NeuronLab computes the same in float32 (input_feature in core/experiment/spec.cpp), so featurize(points) gives\n"
       "    what the network saw in the lab.\n"
       "    \"\"\"\n"
       "    p = torch.as_tensor(points, dtype=torch.float32).reshape(-1, 2)\n"
       "    x1, x2 = p[:, 0], p[:, 1]\n"
       "    return torch.stack([\n" +
       exprs + "    ], dim=1)\n\n\n";
  return o;
}

// [SECTION] training --------------------------------------------------------------------------------

std::string loss_module(const std::string& loss) {
  const LossInfo& info = lab::loss(loss);
  if (info.pytorch.empty())
    throw std::invalid_argument("export_pytorch: loss '" + loss + "' has no PyTorch equivalent in the exporter yet");
  return info.pytorch;
}

// A registry entry's PyTorch template with each {field} replaced by the field's value as Python.
std::string fill_template(std::string t, const std::vector<ParamSpec>& schema, const ParamValues& v) {
  for (const auto& p : schema) {
    const std::string key = "{" + p.name + "}";
    std::string value;
    if (p.kind == ParamSpec::Boolean)
      value = py_bool(v.flag(p.name));
    else if (p.kind == ParamSpec::Integer)
      value = std::to_string((long long)v.get(p.name));
    else if (p.kind == ParamSpec::Number)
      value = py_float((float)v.get(p.name));
    else
      continue;
    for (size_t at; (at = t.find(key)) != std::string::npos;) t.replace(at, key.size(), value);
  }
  if (t.find('{') != std::string::npos) throw std::logic_error("export_pytorch: a placeholder is left in " + t);
  return t;
}

std::string optimizer_expr(const OptimizerConfig& c) {
  const OptimizerInfo& info = optimizer_registry().at(c.name);
  if (info.pytorch.empty()) throw std::invalid_argument("export_pytorch: optimizer '" + c.name + "' has no PyTorch equivalent");
  return fill_template(info.pytorch, info.params, c.values);
}

std::string schedule_body(const ScheduleConfig& s) {
  const ScheduleInfo& info = schedule_registry().at(s.name);
  if (info.pytorch.empty()) throw std::invalid_argument("export_pytorch: schedule '" + s.name + "' has no PyTorch equivalent");
  return fill_template(info.pytorch, info.params, s.values);
}

// "0.weight", "3.weight": the state_dict names of the parameters our L1/L2 apply to.
std::string regularised_names(const Snapshot& s) {
  std::string out;
  for (size_t i = 0; i < s.layers.size(); ++i)
    for (const ParamSnap& p : s.layers[i].params)
      if (p.regularised) out += (out.empty() ? "" : ", ") + py_str(std::to_string(i) + "." + p.name);
  return out;
}

std::string emit_training(const Snapshot& s, const std::string& loss, long long step) {
  const Spec& sp = s.spec;
  std::string o = section("training");
  o += "LOSS = " + py_str(loss) +
       "\n"
       "loss_fn = " +
       loss_module(loss) +
       "\n\n\n"
       "def _loss_targets(y, out):\n"
       "    \"\"\"Targets as NeuronLab's loss reads them (core/nn/loss.cpp): class labels for softmax_cross_entropy;\n"
       "    for mse / bce_logits, labels become one-hot rows (or the label itself, 0/1, for a single output).\"\"\"\n"
       "    y = torch.as_tensor(y)\n"
       "    if LOSS == \"softmax_cross_entropy\":\n"
       "        return y.long().reshape(-1)\n"
       "    if not torch.is_floating_point(y):\n"
       "        if out.shape[1] == 1:\n"
       "            return y.float().reshape(-1, 1)\n"
       "        return nn.functional.one_hot(y.long().reshape(-1), out.shape[1]).float()\n"
       "    return y.float().reshape(out.shape)\n\n\n";
  o += "# The optimizer as NeuronLab configured it (its update rules are PyTorch's, core/optim/optimizer.h). Its state\n"
       "# (momentum, Adam moments) starts fresh here: NeuronLab's is not exported.\n"
       "LR = " +
       py_float(sp.optimizer.lr()) +
       "\n"
       "optimizer = " +
       optimizer_expr(sp.optimizer) +
       "\n\n\n"
       "def lr_at(step):\n"
       "    \"\"\"The learning rate of (0-based) step `step` under the spec's '" +
       sp.schedule.name + "' schedule.\"\"\"\n" + schedule_body(sp.schedule) + "\n\n";
  o += "BATCH_SIZE = " + std::to_string(sp.batch_size) +
       "\n"
       "L1, L2 = " +
       py_float(sp.l1) + ", " + py_float(sp.l2) +
       "\n\n\n"
       "REGULARISED = frozenset([" +
       regularised_names(s) +
       "])  # the parameters L1/L2 apply to (weights; not biases, not norms)\n\n\n"
       "def penalty(m=None):\n"
       "    \"\"\"NeuronLab's regularisation: L2/2 · Σ w² + L1 · Σ |w| over the REGULARISED parameters.\"\"\"\n"
       "    m = model if m is None else m\n"
       "    total = torch.zeros(())\n"
       "    if L1 == 0 and L2 == 0:\n"
       "        return total\n"
       "    for name, p in m.named_parameters():\n"
       "        if name in REGULARISED:\n"
       "            total = total + 0.5 * L2 * p.pow(2).sum() + L1 * p.abs().sum()\n"
       "    return total\n\n\n"
       "steps_done = " +
       std::to_string(step) +
       "  # mini-batch steps so far (NeuronLab's, then train_more's)\n\n\n"
       "def train_more(x, y, steps, batch_size=None):\n"
       "    \"\"\"Trains `model` for `steps` mini-batch steps on network inputs x (n, *INPUT_SHAPE) and targets y.\n\n"
       "    y: class labels (n,) for classification, values (n, OUTPUTS) for regression (load_data() gives both).\n"
       "    Like NeuronLab: a fresh random order every epoch, batches of BATCH_SIZE (the last one of an epoch\n"
       "    smaller), the loss plus penalty(), lr_at(steps_done) for each step. Returns the data loss of every step.\n"
       "    \"\"\"\n"
       "    global steps_done\n"
       "    x = _as_inputs(x)\n"
       "    y = torch.as_tensor(y)\n"
       "    if len(y) != len(x):\n"
       "        raise ValueError(\"train_more: %d inputs but %d targets\" % (len(x), len(y)))\n"
       "    batch_size = batch_size or BATCH_SIZE\n"
       "    losses, order, pos = [], None, 0\n"
       "    model.train()\n"
       "    for _ in range(steps):\n"
       "        if pos == 0:\n"
       "            order = torch.randperm(len(x))\n"
       "        idx = order[pos:pos + batch_size]\n"
       "        pos = pos + len(idx) if pos + len(idx) < len(x) else 0\n"
       "        for group in optimizer.param_groups:\n"
       "            group[\"lr\"] = lr_at(steps_done)\n"
       "        out = model(x[idx])\n"
       "        loss = loss_fn(out, _loss_targets(y[idx], out))\n"
       "        optimizer.zero_grad()\n"
       "        (loss + penalty()).backward()\n"
       "        optimizer.step()\n"
       "        steps_done += 1\n"
       "        losses.append(loss.item())\n"
       "    model.eval()\n"
       "    return losses\n\n\n";
  return o;
}

// [SECTION] data and self-check -----------------------------------------------------------------------

// The train and test sets, when small enough: raw points (n, 2) for 2-D datasets (load_data() featurizes
// them), else the rows as stored; labels or target values.
std::string emit_data(const Experiment& e, const Dataset& d, bool is_2d) {
  const std::vector<float>& trx = is_2d ? e.raw_train_x() : d.train_x;
  const std::vector<float>& tex = is_2d ? e.raw_test_x() : d.test_x;
  const int per = is_2d ? 2 : (int)d.input_size();
  const long long values = (long long)(trx.size() + tex.size());
  std::string o = section("data");
  const bool cls = d.task == TaskKind::Classification;
  if (values > kEmbedDataMaxValues) {
    o += "_DATA = None  # " + std::to_string(values) + " input values: more than the export embeds (" +
         std::to_string(kEmbedDataMaxValues) + ")\n\n\n";
  } else {
    auto targets = [&](bool test) {
      const size_t n = test ? d.n_test() : d.n_train();
      if (cls) {
        const auto& l = test ? d.test_label : d.train_label;
        return py_array(le_bytes(l.data(), l.size()), {(int)n}, "<i4", 15);
      }
      const auto& v = test ? d.test_y : d.train_y;
      return py_array(le_bytes(v.data(), v.size()), {(int)n, d.output_dim}, "<f4", 15);
    };
    o += std::string("# ") + (is_2d ? "Raw 2-D points (load_data() featurizes them)" : "Rows as NeuronLab stores them") + " and " +
         (cls ? "class labels" : "target values") +
         ", base64 of little-endian bytes.\n"
         "_DATA = {\n"
         "    \"train_x\": " +
         py_array(le_bytes(trx.data(), trx.size()), {(int)(trx.size() / per), per}, "<f4", 15) +
         ",\n"
         "    \"train_y\": " +
         targets(false) +
         ",\n"
         "    \"test_x\":  " +
         py_array(le_bytes(tex.data(), tex.size()), {(int)(tex.size() / per), per}, "<f4", 15) +
         ",\n"
         "    \"test_y\":  " +
         targets(true) +
         ",\n"
         "}\n\n\n";
  }
  o += "def load_data():\n"
       "    \"\"\"The experiment's data: (train_x, train_y, test_x, test_y), inputs ready for the network\n"
       "    (n, *INPUT_SHAPE), targets as train_more takes them (labels int64 (n,), or values float32 (n, OUTPUTS)).\"\"\"\n"
       "    if _DATA is None:\n"
       "        raise RuntimeError(\"the dataset '%s' is too large to embed in this export; load it in Python \"\n"
       "                           \"yourself (rows of %d values, as NeuronLab stores them)\" % (DATASET, math.prod(INPUT_SHAPE)))\n"
       "    return (featurize(_DATA[\"train_x\"]), _DATA[\"train_y\"], featurize(_DATA[\"test_x\"]), _DATA[\"test_y\"])\n\n\n";
  return o;
}

std::string emit_check(const std::vector<float>& inputs, const Shape& in_shape, const std::vector<float>& outputs, const Shape& out_shape) {
  char tol[160];
  std::snprintf(tol, sizeof tol, "CHECK_ATOL, CHECK_RTOL = %g, %g\n", kCheckAbsTol, kCheckRelTol);
  std::string o = section("self-check");
  o += "# |torch − NeuronLab| ≤ CHECK_ATOL + CHECK_RTOL·|NeuronLab| for every output. Both compute in float32 but\n"
       "# sum in a different order (NeuronLab's SIMD kernels vs PyTorch's BLAS) and use different exp/tanh/erf,\n"
       "# so outputs differ by a few float32 ulps per summed term (1e-7 to 1e-5); a real mismatch (a wrong\n"
       "# weight layout, padding, activation or feature) moves them by 1e-3 or more.\n" +
       std::string(tol) +
       "# A few test samples (as featurize() takes them) and the outputs NeuronLab gave for them.\n"
       "_CHECK_INPUTS = " +
       py_array(le_bytes(inputs.data(), inputs.size()), in_shape, "<f4", 16) +
       "\n"
       "_CHECK_OUTPUTS = " +
       py_array(le_bytes(outputs.data(), outputs.size()), out_shape, "<f4", 17) +
       "\n\n\n"
       "def check():\n"
       "    \"\"\"Rebuilds the network from the embedded weights (so train_more does not affect it), runs it on the\n"
       "    embedded samples and compares with NeuronLab's outputs. Returns (ok, max |diff|, a report).\"\"\"\n"
       "    fresh = load_weights(build_model()).eval()\n"
       "    with torch.no_grad():\n"
       "        out = fresh(featurize(_CHECK_INPUTS))\n"
       "    if tuple(out.shape) != tuple(_CHECK_OUTPUTS.shape):\n"
       "        return False, float(\"inf\"), \"output shape %s, NeuronLab's %s\" % (tuple(out.shape), tuple(_CHECK_OUTPUTS.shape))\n"
       "    diff = (out - _CHECK_OUTPUTS).abs()\n"
       "    bad = ~(diff <= CHECK_ATOL + CHECK_RTOL * _CHECK_OUTPUTS.abs())  # NaN counts as bad\n"
       "    worst = diff.max().item() if diff.numel() else 0.0\n"
       "    lines = [\"sample %d output %d: torch %.9g, NeuronLab %.9g\" % (i, j, out[i, j].item(), _CHECK_OUTPUTS[i, j].item())\n"
       "             for i, j in bad.nonzero().tolist()[:10]]\n"
       "    return not lines, worst, \"\\n\".join(lines)\n\n\n";
  return o;
}

// [SECTION] the script ------------------------------------------------------------------------------

std::string header(const Snapshot& s, const Dataset& d, const std::string& loss, long long step, bool is_2d) {
  const bool cls = d.task == TaskKind::Classification;
  std::string net;
  for (size_t i = 0; i < s.layers.size(); ++i) {
    const LayerSnap& l = s.layers[i];
    net += (i ? " → " : "") + (l.type == "activation" ? str_or(l.spec, "activation", "linear") : l.type);
  }
  std::string o = "#!/usr/bin/env python3\n";
  o += "\"\"\"NeuronLab export: a trained network as a runnable PyTorch script, weights included.\n\n"
       "Dataset: " +
       s.spec.dataset + " (" + (cls ? "classification, " + std::to_string(d.num_classes) + " classes" : "regression") +
       ")\n"
       "Network: input " +
       shape_str(s.input) + " → " + net +
       "\n"
       "Trained: " +
       std::to_string(step) + " mini-batch steps in NeuronLab " + version() + " with " + loss + ", " + s.spec.optimizer.name + " (lr " +
       py_float(s.spec.optimizer.lr()) + "), batch size " + std::to_string(s.spec.batch_size) +
       "\n"
       "Digest:  " +
       s.digest +
       " (NeuronLab's hash of every parameter; the lab shows the same for these weights)\n\n"
       "Run it as a script to check it against NeuronLab (exit 1 on a mismatch):\n"
       "    python3 model.py\n\n"
       "In a notebook, with this file saved as model.py next to it:\n"
       "    import model as nl\n"
       "    nl.model                          # torch.nn.Sequential in eval mode; model[i] is NeuronLab's layer i\n" +
       (is_2d ? "    nl.predict(nl.featurize(points))  # outputs for raw 2-D points (n, 2)\n"
              : "    nl.predict(nl.featurize(rows))    # outputs for dataset rows (n, input size)\n") +
       "    x, y, tx, ty = nl.load_data()     # the experiment's train and test sets (when small enough to embed)\n"
       "    losses = nl.train_more(x, y, 500) # keep training: same loss, optimizer, schedule, batch size, L1/L2\n"
       "    nl.check()                        # (ok, max |diff|, report) for the weights as exported\n\n"
       "Needs Python 3 with torch and numpy only. Written by lab::export_pytorch_script (core/io/export_pytorch.h).\n"
       "\"\"\"\n"
       "# [SECTION] the experiment · inputs · the network · training · data · self-check · main\n"
       "import base64\n"
       "import math\n"
       "import sys\n\n"
       "import numpy as np\n"
       "import torch\n"
       "import torch.nn as nn\n\n" +
       section("the experiment") + "NEURONLAB_VERSION = " + py_str(version()) +
       "\n"
       "SPEC_JSON = " +
       py_str(spec_to_json(s.spec)) +
       "  # the experiment's spec\n"
       "DATASET = " +
       py_str(s.spec.dataset) +
       "\n"
       "TASK = " +
       py_str(cls ? "classification" : "regression") + "\n";
  if (cls) {
    o += "CLASS_NAMES = [";
    for (size_t i = 0; i < d.class_names.size(); ++i) o += (i ? ", " : "") + py_str(d.class_names[i]);
    o += "]\n";
  }
  o += "FEATURES = [";
  for (size_t i = 0; i < s.spec.features.size(); ++i) o += (i ? ", " : "") + py_str(s.spec.features[i]);
  o += "]  # 2-D datasets: the network's inputs computed from (x1, x2); empty: none\n"
       "INPUT_SHAPE = " +
       py_shape(s.input) +
       "  # per sample\n"
       "OUTPUTS = " +
       std::to_string(s.layers.empty() ? 0 : shape_size(s.layers.back().out)) +
       "\n"
       "STEPS_IN_NEURONLAB = " +
       std::to_string(step) +
       "\n"
       "DIGEST = " +
       py_str(s.digest) +
       "\n\n\n"
       "def _array(b64, shape, dtype):\n"
       "    \"\"\"Base64 of little-endian bytes (dtype \"<f4\": float32, \"<i4\": int32) → a torch tensor of `shape`\n"
       "    (float32, or int64 for integers: what losses take as labels).\"\"\"\n"
       "    a = np.frombuffer(base64.b64decode(b64), dtype=dtype).reshape(shape)\n"
       "    return torch.from_numpy(a.astype(np.float32 if dtype == \"<f4\" else np.int64))\n\n\n";
  return o;
}

std::string main_section() {
  return section("main") +
         "if __name__ == \"__main__\":\n"
         "    ok, worst, report = check()\n"
         "    if ok:\n"
         "        print(\"NeuronLab export check: OK (max |diff| = %.3g)\" % worst)\n"
         "    else:\n"
         "        print(\"NeuronLab export check: MISMATCH (max |diff| = %.3g, allowed %g + %g * |output|)\" % (worst, CHECK_ATOL, "
         "CHECK_RTOL))\n"
         "        print(report)\n"
         "        sys.exit(1)\n";
}

}  // namespace

std::string export_pytorch_script(Experiment& e) {
  const Dataset& d = e.dataset();               // fixed after construction: no lock needed
  const bool is_2d = !e.raw_train_x().empty();  // 2-D datasets keep their raw points (x1, x2)
  for (int attempt = 0;; ++attempt) {
    const long long step_before = e.metrics().step;
    const Snapshot s = take_snapshot(e);
    const std::string loss = s.spec.loss.empty() ? (d.task == TaskKind::Classification ? "softmax_cross_entropy" : "mse") : s.spec.loss;

    // The check samples: the first test samples (training samples when the test split is empty).
    const bool use_test = d.n_test() > 0;
    const std::vector<float>& rows = use_test ? d.test_x : d.train_x;
    const std::vector<float>& raw = use_test ? e.raw_test_x() : e.raw_train_x();
    const int n = (int)std::min<size_t>(kCheckSamples, use_test ? d.n_test() : d.n_train());
    const size_t in = d.input_size();
    const std::vector<float> outputs = e.predict(rows.data(), n);
    const Shape in_shape = is_2d ? Shape{n, 2} : Shape{n, (int)in};
    const std::vector<float> inputs = is_2d ? std::vector<float>(raw.begin(), raw.begin() + (size_t)n * 2)
                                            : std::vector<float>(rows.begin(), rows.begin() + (size_t)n * in);
    const int outs = n ? (int)(outputs.size() / n) : (int)shape_size(s.layers.back().out);

    const std::string digest_after = e.digest();
    const long long step = e.metrics().step;
    if (digest_after != s.digest || step != step_before) {
      if (attempt + 1 < kSnapshotTries) continue;
      throw std::runtime_error("export_pytorch: the experiment kept training while it was exported; pause training and export again");
    }
    return header(s, d, loss, step, is_2d) + emit_inputs(s, is_2d) + emit_network(s) + emit_training(s, loss, step) +
           emit_data(e, d, is_2d) + emit_check(inputs, in_shape, outputs, {n, outs}) + main_section();
  }
}

}  // namespace lab
