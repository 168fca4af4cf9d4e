#!/usr/bin/python3
"""Trains the PyTorch twin of samples/Embedded's DigitNet on MNIST and writes its weights as safetensors.

    /usr/bin/python3 samples/Embedded/train_twin.py --data ~/.cache/netgen/mnist --out samples/Embedded/digits.safetensors

The twin is DigitNet.PyTorchModule: Linear(784, 128), ReLU, Linear(128, 10), trained with CrossEntropyLoss on the
logits (NetGen's Softmax output layer applies the softmax the loss folds in). Adam, learning rate 1e-3, batch 64,
5 epochs, seed 0, pixels scaled to [0, 1] as NetGen's IdxReader scales them. The file holds the state_dict keys
0.weight [128, 784], 0.bias, 2.weight [10, 128], 2.bias, which NetGen.SafeTensors.Load maps onto DigitNet.
Needs Debian's python3-torch; writes the safetensors format itself, so the safetensors package is not needed.
"""
import argparse, gzip, json, os, struct

import torch


def read_idx(folder, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            dims = data[3]
            shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
            return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)
    raise SystemExit(f"{name}(.gz) is not in {folder}")


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, tensor in tensors.items():
        blob = tensor.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.expanduser("~/.cache/netgen/mnist"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits.safetensors"))
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(2)
    train_x = read_idx(args.data, "train-images-idx3-ubyte").reshape(-1, 784).float() / 255
    train_y = read_idx(args.data, "train-labels-idx1-ubyte").long()
    test_x = read_idx(args.data, "t10k-images-idx3-ubyte").reshape(-1, 784).float() / 255
    test_y = read_idx(args.data, "t10k-labels-idx1-ubyte").long()

    twin = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(twin.parameters(), lr=1e-3)
    loss_function = torch.nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        order = torch.randperm(len(train_x))
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            loss = loss_function(twin(train_x[batch]), train_y[batch])
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            accuracy = (twin(test_x).argmax(1) == test_y).float().mean().item()
        print(f"epoch {epoch + 1}: test accuracy {100 * accuracy:.2f}%")

    write_safetensors(args.out, twin.state_dict(), {"format": "pt", "trained": f"train_twin.py, {args.epochs} epochs, Adam 1e-3, batch 64, seed 0"})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
