"""PyTorch's side of `npm run bench` (bench/torch.ts runs it when python3 has torch).

Reads spec.json from the folder given as the first argument: the thread count and, per case,
the input files (raw little-endian float32, written by the bench from the same seeded data
chainrule uses), the case's parameters and how many runs to time. Runs each case the way
chainrule's side does, writes the first step's results (and the checked state) as float32
files for the bench to compare, and prints one JSON object of timings on stdout.
"""

import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load(folder, spec):
    return [
        torch.from_numpy(np.fromfile(os.path.join(folder, i["file"]), dtype="<f4").reshape(i["shape"]))
        for i in spec["inputs"]
    ]


def matmul(xs, _params):
    a, b = xs
    return {"step": lambda: [a @ b]}


def mlp(xs, params):
    x, *weights = xs
    for w in weights:
        w.requires_grad_(True)
    w1, b1, w2, b2 = weights
    before = [w.detach().clone() for w in weights]
    labels = torch.tensor(params["labels"])
    lr = params["lr"]

    def step():
        loss = F.cross_entropy(torch.relu(x @ w1 + b1) @ w2 + b2, labels)
        loss.backward()
        with torch.no_grad():
            for w in weights:
                w -= lr * w.grad
                w.grad = None
        return [loss.detach()]

    # What the first step did to each weight, (before - after) / lr: the gradient as applied.
    return {"step": step, "check": lambda: [(b - w.detach()) / lr for b, w in zip(before, weights)]}


def conv(xs, _params):
    x, w, up = xs
    x.requires_grad_(True)
    w.requires_grad_(True)

    def step():
        x.grad = None
        w.grad = None
        F.conv2d(x, w, padding=1).backward(up)
        return [x.grad, w.grad]

    return {"step": step}


def elementwise(xs, _params):
    (x,) = xs
    x.requires_grad_(True)

    def step():
        x.grad = None
        (torch.tanh(x) * x).sum().backward()
        return [x.grad]

    return {"step": step}


def overhead(xs, _params):
    (x,) = xs
    x.requires_grad_(True)

    def step():
        x.grad = None
        y = x
        for _ in range(100):
            y = y * 1.01 + 0.1
        y.backward()
        return [x.grad]

    return {"step": step}


CASES = {"mlp": mlp, "conv": conv, "elementwise": elementwise, "overhead": overhead}


def measure(step, runs, warmup, budget_s):
    start = time.perf_counter()
    for i in range(warmup):
        if i > 0 and time.perf_counter() - start >= budget_s:
            break
        step()
    times = []
    timed_start = time.perf_counter()
    while len(times) < runs and (not times or time.perf_counter() - timed_start < budget_s):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median_low(sorted(times)) * 1000, len(times)


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "spec.json")) as f:
        spec = json.load(f)
    torch.set_num_threads(spec["threads"])
    report = {"version": torch.__version__, "threads": torch.get_num_threads(), "cases": {}}
    for case in spec["cases"]:
        make = matmul if case["id"].startswith("matmul") else CASES.get(case["id"])
        if make is None:
            continue
        prepared = make(load(folder, case), case.get("params", {}))
        first = prepared["step"]()
        first += prepared.get("check", lambda: [])()
        files = []
        for k, r in enumerate(first):
            name = f"{case['id']}.torch.{k}.f32"
            r.detach().numpy().astype("<f4").tofile(os.path.join(folder, name))
            files.append(name)
        ms, runs = measure(prepared["step"], case["runs"], 2, case["budgetMs"] / 1000)
        report["cases"][case["id"]] = {"ms": ms, "runs": runs, "files": files}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
