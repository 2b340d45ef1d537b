#!/usr/bin/python3
"""Reference training benchmark: PyTorch (Debian python3-torch) on the four fixed workloads.

Training samples per second = batch * steps / seconds, median of --runs timed runs after warm-up.
    /usr/bin/python3 bench/ref/torch_bench.py [--workloads W1,W2,W3,W4] [--engines torch] [--runs 3] [--out FILE]
Run it with /usr/bin/python3 (Debian's torch is not visible to a pyenv python) and with
LD_LIBRARY_PATH pointing at libopenblas0-openmp's directory (bench/ref/run.sh does both). It
checks which library libtorch's sgemm_ really resolves to and fails unless it is OpenBLAS
(--allow-any-blas skips that): with Debian's reference BLAS, MLP training is up to ~16x slower.
Writes a JSON list of rows
{engine, workload, threads, samples_per_s, runs, cpu_share, others_cores, blas, note?}.
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument('--workloads', default='W1,W2,W3,W4')
p.add_argument('--engines', default='torch')
p.add_argument('--runs', type=int, default=3)
p.add_argument('--out', default=None)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--warmup-s', type=float, default=1.0)
p.add_argument('--run-s', type=float, default=1.5)
p.add_argument('--allow-any-blas', action='store_true')
a = p.parse_args()

LR = 0.01
N_BATCHES = 4  # distinct random batches, generated once up front, used in turn
MIN_STEPS = 3

torch.set_num_threads(a.threads)
torch.set_num_interop_threads(1)
torch.manual_seed(1)


def mlp(sizes, act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(act())  # hidden layers only; the last layer is linear logits
    return nn.Sequential(*layers)


# name -> (model factory, input shape per sample, batch, classes)
WORKLOADS = {
    'W1': (lambda: mlp([2, 8, 8, 2], nn.Tanh), (2,), 10, 2),
    'W2': (lambda: mlp([64, 128, 64, 10], nn.ReLU), (64,), 32, 10),
    'W3': (lambda: mlp([784, 256, 128, 10], nn.ReLU), (784,), 64, 10),
    # NCHW: 1x28x28 -> 8x26x26 -> 8x13x13 -> 16x11x11 -> 16x5x5 = 400 -> 10
    'W4': (lambda: nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Flatten(), nn.Linear(400, 10)), (1, 28, 28), 32, 10),
}


def sgemm_provider():
    """The file that libtorch_cpu's sgemm_ resolves to (dlsym in its scope, then dladdr).

    Listing the mapped BLAS libraries is not enough: with the reference libblas.so.3 first on the
    path, OpenBLAS still gets mapped (through liblapack.so.3) while sgemm_ comes from the slow one.
    """
    class DlInfo(ctypes.Structure):
        _fields_ = [('dli_fname', ctypes.c_char_p), ('dli_fbase', ctypes.c_void_p),
                    ('dli_sname', ctypes.c_char_p), ('dli_saddr', ctypes.c_void_p)]
    libc = ctypes.CDLL('libc.so.6')
    libc.dlopen.restype, libc.dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
    libc.dlsym.restype, libc.dlsym.argtypes = ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_char_p]
    libc.dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(DlInfo)]
    with open('/proc/self/maps') as f:
        libtorch = next((line.split()[-1] for line in f if 'libtorch_cpu' in line), None)
    if libtorch is None:
        return 'unknown (libtorch_cpu not mapped)'
    handle = libc.dlopen(libtorch.encode(), 4 | 2)  # RTLD_NOLOAD | RTLD_NOW: the already loaded one
    addr = libc.dlsym(handle, b'sgemm_') if handle else None
    info = DlInfo()
    if not addr or not libc.dladdr(addr, ctypes.byref(info)):
        return 'unknown (sgemm_ not found)'
    return os.path.realpath(info.dli_fname.decode())


def sgemm_gflops(n=512, seconds=0.3):
    a_, b_ = torch.randn(n, n), torch.randn(n, n)
    a_ @ b_
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        a_ @ b_
        steps += 1
    return 2 * n ** 3 * steps / (time.perf_counter() - t0) / 1e9


def machine_busy_s():
    """Seconds of CPU time all processes have used (Linux /proc/stat, 100 ticks per second)."""
    with open('/proc/stat') as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / 100


def bench(name):
    make, shape, batch, classes = WORKLOADS[name]
    model = make()
    lo = 0.0 if len(shape) == 3 else -1.0  # images uniform in [0, 1), MLP inputs in [-1, 1)
    xs = [lo + (1 - lo) * torch.rand((batch, *shape)) for _ in range(N_BATCHES)]
    ys = [torch.randint(0, classes, (batch,)) for _ in range(N_BATCHES)]
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()  # log-softmax + NLL over the logits, mean over the batch
    i = 0

    def step():
        nonlocal i
        x, y = xs[i % N_BATCHES], ys[i % N_BATCHES]
        i += 1
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    def timed(min_s):
        steps = 0
        t0 = time.perf_counter()
        while True:
            step()
            steps += 1
            t = time.perf_counter() - t0
            if t >= min_s and steps >= MIN_STEPS:
                return steps, t

    timed(a.warmup_s)
    runs = []
    cpu0, wall0, busy0 = time.process_time(), time.perf_counter(), machine_busy_s()
    for _ in range(a.runs):
        steps, s = timed(a.run_s)
        runs.append(batch * steps / s)
    # cpu_share: CPU time of this process / wall time; well below 1 means other processes took its
    # core. others_cores: CPU the rest of the machine used meanwhile, in cores.
    wall_s, own_s = time.perf_counter() - wall0, time.process_time() - cpu0
    return runs, own_s / wall_s, max(0.0, (machine_busy_s() - busy0 - own_s) / wall_s)


def main():
    gflops = sgemm_gflops()  # also makes sure the BLAS library is loaded before looking
    provider = sgemm_provider()
    blas = os.path.basename(os.path.dirname(provider)) + '/' + os.path.basename(provider)
    print(f'torch {torch.__version__}, threads {torch.get_num_threads()}, sgemm_ from {provider}, '
          f'512x512 matmul {gflops:.1f} GFLOP/s', file=sys.stderr)
    rows, failed = [], False
    if 'openblas' not in provider and not a.allow_any_blas:
        note = (f'error: torch is not using OpenBLAS (sgemm_ from {provider}, {gflops:.1f} GFLOP/s); '
                'set LD_LIBRARY_PATH to libopenblas0-openmp\'s directory')
        print(note, file=sys.stderr)
        rows = [dict(engine='torch', workload=w, threads=a.threads, samples_per_s=None, note=note) for w in a.workloads.split(',')]
        failed = True
    else:
        for engine in a.engines.split(','):
            if engine != 'torch':
                raise SystemExit(f'unknown engine {engine}')
            for name in a.workloads.split(','):
                if name not in WORKLOADS:
                    raise SystemExit(f'unknown workload {name}')
                try:
                    runs, cpu_share, others = bench(name)
                    row = dict(engine='torch', workload=name, threads=a.threads, samples_per_s=statistics.median(runs),
                               runs=runs, cpu_share=round(cpu_share, 2), others_cores=round(others, 2), blas=blas)
                    print(f'torch {name}: {round(row["samples_per_s"])} samples/s (runs {", ".join(str(round(r)) for r in runs)}; cpu share {row["cpu_share"]}, others {row["others_cores"]} cores)', file=sys.stderr)
                except Exception as e:  # noqa: BLE001 - report the row and keep going
                    row = dict(engine='torch', workload=name, threads=a.threads, samples_per_s=None, note=f'error: {e}')
                    print(f'torch {name}: {row["note"]}', file=sys.stderr)
                    failed = True
                rows.append(row)
    text = json.dumps(rows, indent=2) + '\n'
    if a.out:
        with open(a.out, 'w') as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    sys.exit(1 if failed else 0)


main()
