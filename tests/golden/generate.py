#!/usr/bin/python3
# Golden fixtures for tests/test_golden.cpp: the NeuronLab core compared with PyTorch.
#
# Regenerate (from the repository root; Debian's python3-torch imports only under /usr/bin/python3):
#   /usr/bin/python3 tests/golden/generate.py
# then rebuild and run `build/native/core_tests "[golden]"`, and commit tests/data/golden/*.json with
# this script. The output is deterministic (CPU, float32, fixed seeds, one thread): running it twice
# writes the same bytes with the same torch version. Bump FIXTURE_VERSION (and kFixtureVersion in
# tests/test_golden.cpp) when the file format changes.
#
# Each fixture (tests/data/golden/<name>.json) holds one model and one loss:
#   input_shape, layers        the model in NeuronLab's spec form ({type, num, str} as in core/nn/layer.h)
#   loss, input, targets       the batch: {"labels": [...]} or {"values": tensor}
#   params                     initial parameters and state in NeuronLab's order and layout (= PyTorch's
#                              state_dict: dense weight (out, in), conv weight (F, C, KH, KW), then the
#                              bias; batchnorm's running_mean and running_var, without num_batches_tracked)
#   mode                       "eval" or "train" (batchnorm: batch statistics, running statistics updated)
#   output, loss_value         the forward pass (in that mode) and the mean loss
#   grads, input_grad          d loss / d every parameter, d loss / d input
#   optimizers[]               {label, config, steps, losses (before each step), params (parameters and
#                              state after the steps: batchnorm's running statistics after 10 updates)}
#                              each step: forward on the same batch, loss, backward, optimizer.step()
# A tensor is {"shape": [...], "data": [row-major float32 values, shortest round-trip decimal]}.
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

FIXTURE_VERSION = 1
STEPS = 10
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "golden")

# The optimizer configurations every model is trained with. Every NeuronLab OptimizerConfig field is
# written out, so the C++ side sets nothing by default.
OPTIMIZERS = [
    ("sgd", dict(name="sgd", lr=0.05)),
    ("sgd_momentum", dict(name="sgd", lr=0.05, momentum=0.9)),
    ("sgd_nesterov_wd", dict(name="sgd", lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("adam", dict(name="adam", lr=0.01)),
    ("adamw", dict(name="adamw", lr=0.01, weight_decay=0.01)),
    ("rmsprop", dict(name="rmsprop", lr=0.005)),
    ("adagrad", dict(name="adagrad", lr=0.05, eps=1e-10)),
]
CONFIG_DEFAULTS = dict(lr=0.01, momentum=0.0, nesterov=False, beta1=0.9, beta2=0.999, eps=1e-8, alpha=0.99,
                       weight_decay=0.0)

# The models. Together they use every layer type, every activation and every loss.
FIXTURES = [
    dict(name="mlp_ce", about="MLP: relu, leaky_relu, elu, tanh, dropout(0), linear; softmax cross-entropy on labels",
         input_shape=[6], batch=5, loss="softmax_cross_entropy", targets="labels",
         layers=[
             {"type": "dense", "num": {"units": 10}, "str": {"activation": "relu"}},
             {"type": "dense", "num": {"units": 10}, "str": {"activation": "leaky_relu"}},
             {"type": "dense", "num": {"units": 8}, "str": {"activation": "elu"}},
             {"type": "dropout", "num": {"rate": 0}, "str": {}},
             {"type": "dense", "num": {"units": 8}, "str": {"activation": "tanh"}},
             {"type": "dense", "num": {"units": 4}, "str": {"activation": "linear"}},
         ]),
    dict(name="mlp_mse", about="MLP: sigmoid, gelu (no bias), softplus, softmax; mse on probability-vector targets",
         input_shape=[4], batch=6, loss="mse", targets="values", input_scale=2.0,
         layers=[
             {"type": "dense", "num": {"units": 8}, "str": {"activation": "sigmoid"}},
             {"type": "dense", "num": {"units": 8, "bias": 0}, "str": {"activation": "gelu"}},
             {"type": "dense", "num": {"units": 6}, "str": {"activation": "softplus"}},
             {"type": "dense", "num": {"units": 3}, "str": {}},
             {"type": "activation", "num": {}, "str": {"activation": "softmax"}},
         ]),
    dict(name="cnn_bce", about="CNN: conv2d (pad 1) relu, overlapping maxpool, conv2d (stride 2, pad 2) tanh, "
                               "avgpool (stride 1), flatten, dense; bce_logits on targets in [0, 1]",
         input_shape=[2, 10, 10], batch=3, loss="bce_logits", targets="values",
         layers=[
             {"type": "conv2d", "num": {"filters": 4, "kernel": 3, "stride": 1, "padding": 1}, "str": {"activation": "relu"}},
             {"type": "maxpool2d", "num": {"size": 3, "stride": 2}, "str": {}},           # 10 → 4 (floor)
             {"type": "conv2d", "num": {"filters": 5, "kernel": 3, "stride": 2, "padding": 2}, "str": {"activation": "tanh"}},  # 4 → 3
             {"type": "avgpool2d", "num": {"size": 2, "stride": 1}, "str": {}},          # 3 → 2
             {"type": "flatten", "num": {}, "str": {}},
             {"type": "dense", "num": {"units": 3}, "str": {}},
         ]),
    dict(name="cnn_ce", about="CNN: conv2d (kernel 5, pad 2) gelu, maxpool 2, conv2d (stride 2) leaky_relu, "
                              "avgpool 2, flatten, dense elu, dense; softmax cross-entropy on labels",
         input_shape=[1, 8, 8], batch=4, loss="softmax_cross_entropy", targets="labels",
         layers=[
             {"type": "conv2d", "num": {"filters": 3, "kernel": 5, "padding": 2}, "str": {"activation": "gelu"}},  # 8 → 8
             {"type": "maxpool2d", "num": {"size": 2}, "str": {}},                         # 8 → 4
             {"type": "conv2d", "num": {"filters": 4, "kernel": 2, "stride": 2}, "str": {"activation": "leaky_relu"}},  # 4 → 2
             {"type": "avgpool2d", "num": {"size": 2}, "str": {}},                         # 2 → 1
             {"type": "flatten", "num": {}, "str": {}},
             {"type": "dense", "num": {"units": 6}, "str": {"activation": "elu"}},
             {"type": "dense", "num": {"units": 3}, "str": {}},
         ]),
    dict(name="norm_mlp", about="MLP in training mode: silu, batchnorm (1-D), mish, layernorm; softmax cross-entropy",
         input_shape=[5], batch=6, loss="softmax_cross_entropy", targets="labels", mode="train", input_scale=1.5,
         layers=[
             {"type": "dense", "num": {"units": 7}, "str": {"activation": "silu"}},
             {"type": "batchnorm", "num": {"momentum": 0.2, "eps": 1e-5}, "str": {}},
             {"type": "dense", "num": {"units": 6}, "str": {"activation": "mish"}},
             {"type": "layernorm", "num": {"eps": 1e-5}, "str": {}},
             {"type": "dense", "num": {"units": 3}, "str": {}},
         ]),
    dict(name="norm_cnn", about="CNN in training mode: conv2d tanh, batchnorm (2-D) relu, layernorm over (C, H, W), "
                                "avgpool, flatten, dense; mse on values (a bias right before a batchnorm has no "
                                "gradient, only rounding noise, which adaptive optimizers would blow up)",
         input_shape=[2, 6, 6], batch=4, loss="mse", targets="values", mode="train",
         layers=[
             {"type": "conv2d", "num": {"filters": 3, "kernel": 3, "padding": 1}, "str": {"activation": "tanh"}},
             {"type": "batchnorm", "num": {"momentum": 0.1, "eps": 1e-5}, "str": {"activation": "relu"}},
             {"type": "layernorm", "num": {"eps": 1e-4}, "str": {}},
             {"type": "avgpool2d", "num": {"size": 2}, "str": {}},
             {"type": "flatten", "num": {}, "str": {}},
             {"type": "dense", "num": {"units": 2}, "str": {}},
         ]),
]

ACTIVATIONS = {
    "linear": lambda: None,
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "elu": lambda: nn.ELU(alpha=1.0),
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": lambda: nn.GELU(approximate="none"),
    "softplus": lambda: nn.Softplus(beta=1, threshold=20),
    "softmax": lambda: nn.Softmax(dim=1),
    "silu": nn.SiLU,
    "mish": nn.Mish,
}


def build(input_shape, layers):
    """The PyTorch twin of a NeuronLab layer list (same defaults as core/nn/layer_registry.cpp)."""
    mods, shape = [], list(input_shape)
    for spec in layers:
        t, num, s = spec["type"], spec["num"], spec["str"]
        if t == "dense":
            mods.append(nn.Linear(shape[0], int(num["units"]), bias=bool(num.get("bias", 1))))
            shape = [int(num["units"])]
        elif t == "conv2d":
            f, k, st, p = int(num["filters"]), int(num.get("kernel", 3)), int(num.get("stride", 1)), int(num.get("padding", 0))
            mods.append(nn.Conv2d(shape[0], f, k, stride=st, padding=p))
            shape = [f, (shape[1] + 2 * p - k) // st + 1, (shape[2] + 2 * p - k) // st + 1]
        elif t in ("maxpool2d", "avgpool2d"):
            k = int(num.get("size", 2))
            st = int(num.get("stride", k))
            mods.append(nn.MaxPool2d(k, st) if t == "maxpool2d" else nn.AvgPool2d(k, st))
            shape = [shape[0], (shape[1] - k) // st + 1, (shape[2] - k) // st + 1]
        elif t == "flatten":
            mods.append(nn.Flatten())
            shape = [int(np.prod(shape))]
        elif t == "batchnorm":
            bn = nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d
            mods.append(bn(shape[0], eps=num.get("eps", 1e-5), momentum=num.get("momentum", 0.1)))
        elif t == "layernorm":
            mods.append(nn.LayerNorm(list(shape), eps=num.get("eps", 1e-5)))
        elif t == "dropout":
            assert num.get("rate", 0.5) == 0, "dropout is random: only rate 0 has a golden answer"
            mods.append(nn.Dropout(0.0))
        elif t != "activation":
            raise ValueError("unknown layer type " + t)
        act = s.get("activation")
        if act:
            a = ACTIVATIONS[act]()
            if a is not None:
                mods.append(a)
    return nn.Sequential(*mods)


def loss_fn(name):
    return {"softmax_cross_entropy": nn.CrossEntropyLoss(), "mse": nn.MSELoss(),
            "bce_logits": nn.BCEWithLogitsLoss()}[name]


def make_optimizer(params, cfg):
    c = dict(CONFIG_DEFAULTS, **cfg)
    if c["name"] == "sgd":
        return torch.optim.SGD(params, lr=c["lr"], momentum=c["momentum"], nesterov=c["nesterov"],
                               weight_decay=c["weight_decay"])
    if c["name"] in ("adam", "adamw"):
        cls = torch.optim.Adam if c["name"] == "adam" else torch.optim.AdamW
        return cls(params, lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["eps"], weight_decay=c["weight_decay"])
    if c["name"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], alpha=c["alpha"], eps=c["eps"], weight_decay=c["weight_decay"])
    if c["name"] == "adagrad":
        return torch.optim.Adagrad(params, lr=c["lr"], eps=c["eps"], weight_decay=c["weight_decay"])
    raise ValueError(c["name"])


def tensor(t):
    return {"shape": list(t.shape), "data": [np.float32(v) for v in t.detach().reshape(-1).tolist()]}


def state_of(model):
    """Parameters and state (batchnorm's running statistics) in NeuronLab's order: the state_dict's,
    without batchnorm's step counter."""
    return [dict(name=n.rsplit(".", 1)[1], **tensor(p)) for n, p in model.state_dict().items()
            if not n.endswith("num_batches_tracked")]


def fixture(fx, seed):
    torch.manual_seed(seed)
    model = build(fx["input_shape"], fx["layers"])
    for m in model:  # norm layers start from γ = 1, β = 0: move them, so that the fixture tests them
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    mode = fx.get("mode", "eval")
    model.train(mode == "train")  # eval: dropout(0) is the identity either way
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    B = fx["batch"]
    x = torch.randn([B] + fx["input_shape"]) * fx.get("input_scale", 1.0)
    out_dim = [m for m in model if isinstance(m, nn.Linear)][-1].out_features
    if fx["targets"] == "labels":
        y = torch.randint(0, out_dim, (B,))
        targets = {"labels": y.tolist()}
    elif fx["loss"] == "mse":
        y = torch.softmax(torch.randn(B, out_dim) * 2, dim=1)  # probability vectors, as a softmax can reach
        targets = {"values": tensor(y)}
    else:
        y = torch.rand(B, out_dim)
        targets = {"values": tensor(y)}
    crit = loss_fn(fx["loss"])

    xg = x.clone().requires_grad_(True)
    out = model(xg)
    loss = crit(out, y)
    loss.backward()
    res = {
        "fixture_version": FIXTURE_VERSION,
        "torch_version": torch.__version__,
        "generator": "tests/golden/generate.py",
        "name": fx["name"],
        "about": fx["about"],
        "seed": seed,
        "input_shape": fx["input_shape"],
        "layers": fx["layers"],
        "loss": fx["loss"],
        "input": tensor(x),
        "targets": targets,
        "mode": mode,
        "params": [dict(name=n.rsplit(".", 1)[1], **tensor(p)) for n, p in initial.items()
                   if not n.endswith("num_batches_tracked")],
        "output": tensor(out),
        "loss_value": np.float32(loss.item()),
        "grads": [dict(name=n.rsplit(".", 1)[1], **tensor(p.grad)) for n, p in model.named_parameters()],
        "input_grad": tensor(xg.grad),
        "optimizers": [],
    }
    for label, cfg in OPTIMIZERS:
        model.load_state_dict(initial)
        opt = make_optimizer(model.parameters(), cfg)
        losses = []
        for _ in range(STEPS):
            opt.zero_grad(set_to_none=False)
            l = crit(model(x), y)
            l.backward()
            opt.step()
            losses.append(np.float32(l.item()))
        res["optimizers"].append({"label": label, "config": dict(CONFIG_DEFAULTS, **cfg), "steps": STEPS,
                                  "losses": losses, "params": state_of(model)})
    return res


def dump(v, indent=0):
    """JSON with one line per tensor; float32 values in their shortest round-trip form."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = [inner + json.dumps(k) + ": " + dump(x, indent + 1) for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list):
        if all(not isinstance(x, (dict, list)) for x in v):
            return "[" + ", ".join(dump(x) for x in v) + "]"
        return "[\n" + ",\n".join(inner + dump(x, indent + 1) for x in v) + "\n" + pad + "]"
    if isinstance(v, np.float32):
        assert np.isfinite(v)
        return str(v)  # numpy prints the shortest decimal that reads back as the same float32
    if isinstance(v, float):
        return repr(v)
    return json.dumps(v)


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for i, fx in enumerate(FIXTURES):
        text = dump(fixture(fx, seed=1000 + i)) + "\n"
        path = os.path.join(OUT_DIR, fx["name"] + ".json")
        with open(path, "w") as f:
            f.write(text)
        total += len(text)
        print(f"wrote {os.path.relpath(path)} ({len(text) // 1024} KiB)")
    print(f"total {total // 1024} KiB, torch {torch.__version__}")


if __name__ == "__main__":
    sys.exit(main())
