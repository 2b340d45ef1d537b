#!/usr/bin/env bash
# The PyTorch export, run for real: trains small experiments with the CLI, exports each with
# `neuronlab export-pytorch`, and runs the scripts under PyTorch. Fails when
#   - a script's self-check does not print "NeuronLab export check: OK" and exit 0 (the network, weights,
#     features or activations differ from NeuronLab's beyond the script's named tolerance);
#   - train_more() does not run, gives a non-finite loss, or does not lower the loss;
#   - a script with a deliberately wrong activation slope is NOT caught by its check (so the check can fail);
#   - NeuronLab's gradient attributions (saliency, grad × input, integrated gradients, guided backprop,
#     deconvolution) of the run differ from PyTorch autograd's on the exported network.
# Together the specs use every layer type, every activation, every loss and every optimizer.
#
#   tests/export_pytorch_check.sh BUILD/neuronlab WORK_DIR      (ctest: export_pytorch_check)
# Run from the repository root. Needs Debian's python3-torch, which imports only under /usr/bin/python3
# (scripts/install-deps.sh installs it); without it the test is skipped with exit code 77.
set -euo pipefail
NEURONLAB=${1:?usage: tests/export_pytorch_check.sh NEURONLAB_BINARY WORK_DIR}
WORK=${2:?usage: tests/export_pytorch_check.sh NEURONLAB_BINARY WORK_DIR}
PY=/usr/bin/python3
STEPS=40           # training steps in NeuronLab before the export
MORE_STEPS=150     # train_more() steps in PyTorch

if ! "$PY" -c "import torch, numpy" 2>/dev/null; then
  echo "SKIP: $PY cannot import torch and numpy (apt-get install python3-torch, or run scripts/install-deps.sh)"
  exit 77
fi
mkdir -p "$WORK"

write_spec() {  # name json
  printf '%s\n' "$2" > "$WORK/$1.json"
}
# 2-D classification on computed features: dropout, tanh, leaky_relu, elu, relu; adam, L2, step schedule.
write_spec spiral_features '{"seed": 4, "data": {"name": "spiral", "n": 300, "noise": 0.05,
  "features": ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]},
  "model": {"layers": [{"type": "dense", "units": 16, "activation": "tanh"}, {"type": "dropout", "rate": 0.1},
                       {"type": "dense", "units": 12, "activation": "leaky_relu"}, {"type": "dense", "units": 8, "activation": "elu"},
                       {"type": "dense", "units": 8, "activation": "relu"}, {"type": "dense", "units": 2}]},
  "optimizer": {"name": "adam", "lr": 0.01}, "schedule": {"name": "step", "step_size": 100, "gamma": 0.5},
  "batch_size": 16, "regularization": {"l2": 0.0005}}'
# One logit for two classes (bce_logits): gelu, softplus, sigmoid, a softmax layer; sgd nesterov, L1.
write_spec moons_bce '{"seed": 2, "data": {"name": "moons", "n": 200, "features": ["x1", "x2", "x1x2"]},
  "model": {"layers": [{"type": "dense", "units": 10, "activation": "gelu"}, {"type": "dense", "units": 8, "activation": "softplus"},
                       {"type": "dense", "units": 6, "activation": "sigmoid"}, {"type": "activation", "activation": "softmax"},
                       {"type": "dense", "units": 1, "activation": "linear"}]},
  "loss": "bce_logits", "optimizer": {"name": "sgd", "lr": 0.5, "momentum": 0.9, "nesterov": true},
  "batch_size": 20, "regularization": {"l1": 0.0001}}'
# Regression (mse) on raw x1, x2: rmsprop with a cosine schedule.
write_spec bumps_mse '{"seed": 3, "data": {"name": "gaussian_bumps", "n": 300},
  "model": {"layers": [{"type": "dense", "units": 24, "activation": "tanh"}, {"type": "dense", "units": 24, "activation": "tanh"},
                       {"type": "dense", "units": 1}]},
  "optimizer": {"name": "rmsprop", "lr": 0.003}, "schedule": {"name": "cosine", "total_steps": 400}, "batch_size": 10}'
# A CNN: padded conv, overlapping max pool, strided conv, softmax over an image, avg pool (stride 1),
# flatten, dense without bias; adamw.
write_spec cnn_blocks '{"seed": 6, "data": {"name": "block_patterns", "n": 120, "noise": 0.1, "classes": 4},
  "model": {"layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1, "activation": "relu"},
                       {"type": "maxpool2d", "size": 3, "stride": 2},
                       {"type": "conv2d", "filters": 6, "kernel": 3, "stride": 2, "activation": "leaky_relu"},
                       {"type": "activation", "activation": "softmax"}, {"type": "avgpool2d", "size": 2, "stride": 1},
                       {"type": "flatten"}, {"type": "dense", "units": 16, "bias": 0, "activation": "elu"},
                       {"type": "dense", "units": 4}]},
  "optimizer": {"name": "adamw", "lr": 0.005}, "batch_size": 12}'
# Adagrad, mse on class labels (one-hot targets), a deeper tanh MLP on raw points.
write_spec xor_adagrad '{"seed": 8, "data": {"name": "xor", "n": 200},
  "model": {"layers": [{"type": "dense", "units": 8, "activation": "tanh"}, {"type": "dense", "units": 2}]},
  "loss": "mse", "optimizer": {"name": "adagrad", "lr": 0.1}, "batch_size": 10}'
# Normalisation: batchnorm (2-D after a conv, 1-D after a dense; running statistics in the export),
# layernorm over (C, H, W), silu and mish; adam.
write_spec norm_layers '{"seed": 9, "data": {"name": "block_patterns", "n": 160, "noise": 0.1, "classes": 4},
  "model": {"layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1, "activation": "silu"},
                       {"type": "batchnorm"}, {"type": "maxpool2d", "size": 2}, {"type": "layernorm"},
                       {"type": "flatten"}, {"type": "dense", "units": 16, "activation": "mish"},
                       {"type": "batchnorm", "momentum": 0.2}, {"type": "dense", "units": 4}]},
  "optimizer": {"name": "adam", "lr": 0.005}, "batch_size": 16}'

failures=0
for name in spiral_features moons_bce bumps_mse cnn_blocks xor_adagrad norm_layers; do
  "$NEURONLAB" export-pytorch "$WORK/$name.json" "$STEPS" "$WORK/nl_$name.py" 1 "$WORK/$name.attr.json" > "$WORK/$name.export.log"
  # 1. The self-check, as a student would run it.
  if out=$("$PY" "$WORK/nl_$name.py" 2>&1) && grep -q "^NeuronLab export check: OK" <<<"$out"; then
    echo "$name: $out"
  else
    echo "FAIL $name: the exported script's check did not pass:"; echo "$out"; failures=$((failures + 1))
  fi
  # 1b. Our gradient attributions of the same run agree with PyTorch autograd's (tests/attr_pytorch_check.py).
  if out=$("$PY" tests/attr_pytorch_check.py "$WORK/nl_$name.py" "$WORK/$name.attr.json" 2>&1); then
    echo "$name: $(tail -n1 <<<"$out")"
  else
    echo "FAIL $name: attributions differ from PyTorch autograd:"; echo "$out"; failures=$((failures + 1))
  fi
  # 2. Training goes on in PyTorch: finite losses that go down, the step count moves, check() still passes.
  if ! out=$(cd "$WORK" && "$PY" - "nl_$name" "$MORE_STEPS" 2>&1 <<'EOF'
import importlib, math, sys
import torch
torch.manual_seed(0)
nl = importlib.import_module(sys.argv[1])
steps = int(sys.argv[2])
x, y, tx, ty = nl.load_data()
before = nl.steps_done
losses = nl.train_more(x, y, steps)
assert len(losses) == steps and all(math.isfinite(l) for l in losses), "non-finite or missing losses"
assert nl.steps_done == before + steps, "steps_done did not advance"
k = steps // 5
first, last = sum(losses[:k]) / k, sum(losses[-k:]) / k
assert last < first, "the loss did not go down: %.4g → %.4g" % (first, last)
assert nl.check()[0], "check() is not independent of train_more"
assert nl.predict(tx).shape == (len(tx), nl.OUTPUTS)
print("train_more %d steps: loss %.4g → %.4g" % (steps, first, last))
EOF
  ); then
    echo "FAIL $name: train_more:"; echo "$out"; failures=$((failures + 1))
  else
    echo "$name: $out"
  fi
done

# 3. The check can fail: a wrong leaky_relu slope must be reported as a mismatch, with exit 1.
sed 's/nn.LeakyReLU(negative_slope=0.01)/nn.LeakyReLU(negative_slope=0.3)/' "$WORK/nl_cnn_blocks.py" > "$WORK/nl_broken.py"
if grep -q "negative_slope=0.3" "$WORK/nl_broken.py" && ! out=$("$PY" "$WORK/nl_broken.py" 2>&1) && grep -q "MISMATCH" <<<"$out"; then
  echo "a wrong activation is caught: $(head -n1 <<<"$out")"
else
  echo "FAIL: a script with a wrong leaky_relu slope passed its check:"; echo "$out"; failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "export_pytorch_check: $failures failure(s)"
  exit 1
fi
echo "export_pytorch_check: ok"
