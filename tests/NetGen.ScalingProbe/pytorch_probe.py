"""The scaling probe's workloads in PyTorch, for the side-by-side figures of docs/performance.md.

Times one MNIST training epoch of W1 (784-128-10, SGD momentum 0.9, learning rate 0.05) or W5 (LeNet-5, Adam 1e-3) at
each thread count and batch size asked for: a warm-up epoch, then the median, fastest and slowest of the measured ones,
as a table like NetGen.ScalingProbe's. Reads the raw MNIST files from ~/.cache/netgen/mnist (where the samples cache
them). Run with Debian's python3-torch:

    /usr/bin/python3 tests/NetGen.ScalingProbe/pytorch_probe.py w1 1,2 64,256 3
"""
import os
import statistics
import sys
import time

import numpy as np
import torch

nn = torch.nn
folder = os.path.expanduser("~/.cache/netgen/mnist/")


def images(name):
    with open(folder + name, "rb") as file:
        return np.frombuffer(file.read()[16:], dtype=np.uint8).reshape(-1, 1, 28, 28).astype(np.float32) / 255


def labels(name):
    with open(folder + name, "rb") as file:
        return np.frombuffer(file.read()[8:], dtype=np.uint8).astype(np.int64)


def model_and_optimizer(workload):
    if workload == "w1":
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
        return model, torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return model, torch.optim.Adam(model.parameters(), 1e-3)


def epoch_seconds(model, optimizer, train_x, train_y, batch):
    start = time.perf_counter()
    order = torch.randperm(len(train_x))
    for first in range(0, len(train_x), batch):
        rows = order[first:first + batch]
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(train_x[rows]), train_y[rows]).backward()
        optimizer.step()
    return time.perf_counter() - start


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("w1", "w5"):
        sys.exit("usage: pytorch_probe.py w1|w5 THREADS,... BATCH,... EPOCHS")
    workload, epochs = sys.argv[1], int(sys.argv[4])
    threads = [int(t) for t in sys.argv[2].split(",")]
    batches = [int(b) for b in sys.argv[3].split(",")]
    torch.manual_seed(1)
    train_x = torch.tensor(images("train-images-idx3-ubyte"))
    train_y = torch.tensor(labels("train-labels-idx1-ubyte"))
    print(f"# PyTorch {torch.__version__} {workload}, {len(train_x)} samples, {os.cpu_count()} processors")
    print("| batch | threads | epoch median (s) | min | max | vs 1 thread |")
    print("|---|---|---|---|---|---|")
    for batch in batches:
        one_thread = None
        for count in threads:
            torch.set_num_threads(count)
            model, optimizer = model_and_optimizer(workload)
            model.train()
            epoch_seconds(model, optimizer, train_x, train_y, batch)
            seconds = sorted(epoch_seconds(model, optimizer, train_x, train_y, batch) for _ in range(epochs))
            median = statistics.median(seconds)
            if count == 1:
                one_thread = median
            speed_up = f"{one_thread / median:.2f}×" if one_thread else ""
            print(f"| {batch} | {count} | {median:.3f} | {seconds[0]:.3f} | {seconds[-1]:.3f} | {speed_up} |", flush=True)


main()
