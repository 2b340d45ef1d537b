#!/usr/bin/python3
"""Reference attribution benchmark: PyTorch autograd (Debian python3-torch) on W3 and W4.

What a researcher would write with captum-style batching, without captum itself (not a Debian package):
  saliency              one forward + backward of the batch
  input_x_gradient      the same, times the input
  integrated_gradients  50 Gauss–Legendre points, all batch × 50 path points in one forward + backward
Time per call = median of 3 timed calls after a warm-up, 1 thread (torch.set_num_threads).
    LD_LIBRARY_PATH=<openblas dir> /usr/bin/python3 bench/ref/torch_attr_bench.py --out build/torch-attr.json
Writes a JSON list of {engine: "torch", workload, method, batch, threads, ms_per_call}.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch

import torch.nn as nn

# The networks of bench/workloads/W3.json and W4.json (as in torch_bench.py): name → (factory, shape, classes).
WORKLOADS = {
    'W3': (lambda: nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)),
           (784,), 10),
    'W4': (lambda: nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(),
                                 nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 10)), (1, 28, 28), 10),
}

p = argparse.ArgumentParser()
p.add_argument('--workloads', default='W3,W4')
p.add_argument('--batches', default='1,64')
p.add_argument('--threads', type=int, default=1)
p.add_argument('--out', default=None)
a, _ = p.parse_known_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def saliency(model, x, t):
    x = x.clone().requires_grad_(True)
    out = model(x).gather(1, t.view(-1, 1)).sum()
    (g,) = torch.autograd.grad(out, x)
    return g


def ixg(model, x, t):
    return x * saliency(model, x, t)


NODES, WEIGHTS = np.polynomial.legendre.leggauss(50)
ALPHAS = torch.tensor(0.5 * (1 + NODES), dtype=torch.float32)
STEPW = torch.tensor(0.5 * WEIGHTS, dtype=torch.float32)


def ig(model, x, t):
    n = len(ALPHAS)
    shape = (1, n) + (1,) * (x.dim() - 1)
    pts = (ALPHAS.view(shape) * x.unsqueeze(1)).reshape((-1,) + tuple(x.shape[1:]))  # (B·n, ...)
    g = saliency(model, pts, t.repeat_interleave(n)).view((x.shape[0], n) + tuple(x.shape[1:]))
    return x * (g * STEPW.view(shape)).sum(1)


rows = []
for w in a.workloads.split(','):
    factory, shape, classes = WORKLOADS[w]
    model = factory().eval()
    for batch in map(int, a.batches.split(',')):
        x = torch.rand((batch,) + tuple(shape))
        t = torch.randint(0, classes, (batch,))
        for name, fn in (('saliency', saliency), ('input_x_gradient', ixg), ('integrated_gradients', ig)):
            fn(model, x, t)
            ts = []
            for _ in range(3):
                t0 = time.perf_counter()
                fn(model, x, t)
                ts.append((time.perf_counter() - t0) * 1000)
            rows.append({'engine': 'torch', 'workload': w, 'method': name, 'batch': batch, 'threads': a.threads,
                         'ms_per_call': round(statistics.median(ts), 3)})
            print('torch %s %s batch %d: %.2f ms' % (w, name, batch, rows[-1]['ms_per_call']), file=sys.stderr)
text = json.dumps(rows, indent=2) + '\n'
if a.out:
    open(a.out, 'w').write(text)
else:
    sys.stdout.write(text)
