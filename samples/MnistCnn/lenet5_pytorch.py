"""How far plain LeNet-5 gets on MNIST in PyTorch, the reason the CNN sample trains a wider network.

Trains the issue's LeNet-5 (or the sample's wider network) with Adam 1e-3, batch 64 and an exponential learning-rate
decay on one thread, and prints the test accuracy after every epoch. Reads the raw MNIST files from
~/.cache/netgen/mnist (where the samples cache them). Run with Debian's python3-torch:

    /usr/bin/python3 samples/MnistCnn/lenet5_pytorch.py lenet 15 64 0.85
    /usr/bin/python3 samples/MnistCnn/lenet5_pytorch.py wide 12 64 0.8
"""
import os
import sys
import time

import numpy as np
import torch

nn = torch.nn
torch.set_num_threads(1)
torch.manual_seed(0)
folder = os.path.expanduser("~/.cache/netgen/mnist/")


def images(name):
    with open(folder + name, "rb") as file:
        return np.frombuffer(file.read()[16:], dtype=np.uint8).reshape(-1, 1, 28, 28).astype(np.float32) / 255


def labels(name):
    with open(folder + name, "rb") as file:
        return np.frombuffer(file.read()[8:], dtype=np.uint8).astype(np.int64)


train_x, train_y = torch.tensor(images("train-images-idx3-ubyte")), torch.tensor(labels("train-labels-idx1-ubyte"))
test_x, test_y = torch.tensor(images("t10k-images-idx3-ubyte")), torch.tensor(labels("t10k-labels-idx1-ubyte"))
architecture, epochs, batch, decay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
if architecture == "lenet":
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
else:
    model = nn.Sequential(
        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(512, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))

optimizer = torch.optim.Adam(model.parameters(), 1e-3)
schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, decay)
for epoch in range(epochs):
    start = time.time()
    model.train()
    order = torch.randperm(len(train_x))
    for first in range(0, len(train_x), batch):
        rows = order[first:first + batch]
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(train_x[rows]), train_y[rows]).backward()
        optimizer.step()

    schedule.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(f"{architecture} epoch {epoch + 1}: test accuracy {accuracy * 100:.2f}% ({time.time() - start:.1f} s)", flush=True)
