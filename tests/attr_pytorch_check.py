"""NeuronLab's gradient attributions against PyTorch autograd, on the same trained network.

    /usr/bin/python3 tests/attr_pytorch_check.py WORK_DIR/nl_NAME.py WORK_DIR/NAME.attr.json

The script `nl_NAME.py` is NeuronLab's PyTorch export of a trained run (the network with its weights);
`NAME.attr.json` holds NeuronLab's maps for the first test samples of the same run
(`neuronlab export-pytorch … ATTRIBUTIONS.json`). Here every map is recomputed independently:
  saliency (signed)      ∂f/∂x by autograd
  input_x_gradient       x ⊙ ∂f/∂x
  integrated_gradients   (x − 0) ⊙ Σ_k w_k ∂f/∂x(α_k x): Gauss–Legendre (numpy's leggauss, 32 points) and
                         the midpoint rule (16 points), batched through autograd
  guided_backprop        backward hooks on every nn.ReLU: relu(grad) where the input was positive
  deconvolution          backward hooks on every nn.ReLU: relu(grad of the output), mask ignored
Prints one line per method and exits 1 on any mismatch beyond the tolerance.
"""
import importlib.util
import json
import sys

import numpy as np
import torch

# |ours − torch| ≤ ATOL + RTOL·max|torch| per map: both compute in float32 but sum in different orders
# (SIMD kernels vs BLAS), a few ulps per summed term; a wrong rule or layout moves maps by ≥ 1e-2 relative.
ATOL, RTOL = 1e-5, 2e-4


def load(path):
    spec = importlib.util.spec_from_file_location("nl_export", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def grads(model, x, targets):
    x = x.clone().requires_grad_(True)
    out = model(x)
    sel = out.gather(1, targets.view(-1, 1)).sum()
    (g,) = torch.autograd.grad(sel, x)
    return g


def relu_hooks(model, deconv):
    handles = []
    for m in model.modules():
        if isinstance(m, torch.nn.ReLU):
            if deconv:
                # The gradient arriving at the ReLU's output, clamped, ignoring the forward mask.
                def hook(mod, grad_in, grad_out):
                    return (torch.clamp(grad_out[0], min=0.0),)
            else:
                def hook(mod, grad_in, grad_out):
                    return (torch.clamp(grad_in[0], min=0.0),)
            handles.append(m.register_full_backward_hook(hook))
    return handles


def integrated(model, x, targets, alphas, weights):
    total = torch.zeros_like(x)
    for a, w in zip(alphas, weights):
        total += float(w) * grads(model, float(a) * x, targets)
    return x * total


def main():
    nl = load(sys.argv[1])
    ref = json.load(open(sys.argv[2]))
    model = nl.model.eval()
    n = len(ref["targets"])
    x = nl._as_inputs(np.asarray(ref["inputs"], dtype=np.float32).reshape(n, -1))

    targets = torch.tensor(ref["targets"], dtype=torch.int64).view(n)
    ours = {k: torch.tensor(v, dtype=torch.float32).view(x.shape) for k, v in ref["methods"].items()}
    gl_nodes, gl_weights = np.polynomial.legendre.leggauss(32)
    theirs = {
        "saliency": grads(model, x, targets),
        "input_x_gradient": x * grads(model, x, targets),
        "integrated_gradients": integrated(model, x, targets, 0.5 * (1 + gl_nodes), 0.5 * gl_weights),
        "integrated_gradients_middle": integrated(model, x, targets, (np.arange(16) + 0.5) / 16, np.full(16, 1 / 16)),
    }
    for name, deconv in (("guided_backprop", False), ("deconvolution", True)):
        hs = relu_hooks(model, deconv)
        theirs[name] = grads(model, x, targets)
        for h in hs:
            h.remove()
    failures = 0
    for name, t in theirs.items():
        o = ours[name]
        scale = float(t.abs().max())
        err = float((o - t).abs().max())
        ok = err <= ATOL + RTOL * scale
        failures += not ok
        print("%-28s max|ours − torch| = %.3g (scale %.3g) %s" % (name, err, scale, "ok" if ok else "MISMATCH"))
    # The check can fail: where the network has ReLUs, guided backprop must differ from the plain gradient
    # (else the hooks, or our rule, did nothing and the comparison above proved little).
    if any(isinstance(m, torch.nn.ReLU) for m in model.modules()):
        gap = float((ours["guided_backprop"] - theirs["saliency"]).abs().max())
        ok = gap > ATOL + RTOL * float(theirs["saliency"].abs().max())
        failures += not ok
        print("%-28s max|guided − gradient| = %.3g %s" % ("(control)", gap, "ok: they differ" if ok else "MISMATCH: identical"))
    if failures:
        print("attributions vs PyTorch autograd: %d mismatch(es)" % failures)
        sys.exit(1)
    print("attributions vs PyTorch autograd: OK")


if __name__ == "__main__":
    main()
