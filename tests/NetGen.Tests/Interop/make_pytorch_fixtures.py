#!/usr/bin/python3
"""PyTorch fixtures for NetGen's safetensors interop tests, and the check of NetGen's files in PyTorch.

    /usr/bin/python3 make_pytorch_fixtures.py            # (re)writes Fixtures/ beside this script
    /usr/bin/python3 make_pytorch_fixtures.py check DIR  # loads DIR/{net}.netgen.safetensors into the twins

The fixtures: for each network below, the torch.nn.Sequential twin of a network in tests/NetGen.Tests/Networks/
TestNetworks.cs (PyTorchTwin.Describe's text), trained a few SGD steps on seeded random data with the matching loss,
its state_dict as {net}.safetensors, fixed inputs as {net}.inputs.f32 [samples, inputs] and the twin's outputs on them
as {net}.outputs.f32 [samples, outputs] (logits for a CrossEntropy network; NetGen applies Softmax). The .f32 files are
raw little-endian float32, row-major. Seeded and single-threaded, so a rerun writes the same bytes.

The CNN twins (CNN_NETWORKS) are written as PyTorchTwin.Describe writes them, and evaluated as such; their inputs are
[samples, C, H, W], (C, H, W) order being NetGen's too. They also get targets ({net}.targets.f32 [samples, outputs]),
NetGen's per-sample losses on them ({net}.losses.f32 [samples]) and the gradient of the losses' sum
({net}.gradients.safetensors, named as the state_dict): what NetGen's Backward returns and accumulates after Forward
in evaluation mode, so the twin is in eval mode there too (dropout is the identity).

`check` reads what PyTorchFixtureTests.Export and CnnFixtureTests.Export write when NETGEN_PYTORCH_EXPORT=DIR is set
(dotnet test --filter "FullyQualifiedName~Interop&FullyQualifiedName~Export"): NetGen's Save of each network and
NetGen's outputs on the fixture inputs ({net}.netgen-outputs.f32), loads the file into the twin with
load_state_dict(strict=True) and compares the twin's outputs with NetGen's; for the CNNs also NetGen's saved gradients
({net}.netgen-gradients.safetensors) on the fixture targets with the twin's, within 10 times the output tolerance of
each tensor's largest value.

The safetensors format is written and read here with struct and json, as the `safetensors` package may be missing.
"""
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "Fixtures")
SAMPLES = 8
RELATIVE_TOLERANCE = 1e-5

# name: (twin, loss); NetGen's output is Softmax of the twin's for CrossEntropy
NETWORKS = {
    # [Network(Loss.CrossEntropy)] [Input(784)] [Dense(64, Activation.ReLU)] [Dense(10, Activation.Softmax)]
    "MnistSubsetNet": (
        lambda: torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)),
        "CrossEntropy",
    ),
    # [Network(Loss.BinaryCrossEntropy, UnrollThreshold = 0)] [Input(37)] [Dense(19, Tanh)] [Dense(23, ReLU)] [Dense(5, Sigmoid)]
    "WideVectorBce": (
        lambda: torch.nn.Sequential(
            torch.nn.Linear(37, 19), torch.nn.Tanh(), torch.nn.Linear(19, 23), torch.nn.ReLU(),
            torch.nn.Linear(23, 5), torch.nn.Sigmoid()),
        "BinaryCrossEntropy",
    ),
    # [Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.Sigmoid)] [Dense(2, Activation.Tanh)]
    "MseTanhOutput": (
        lambda: torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Sigmoid(), torch.nn.Linear(5, 2), torch.nn.Tanh()),
        "MeanSquaredError",
    ),
}

# name: (PyTorchTwin.Describe's text, input (C, H, W), loss); declared in tests/NetGen.Tests/Interop/CnnTwins.cs
CNN_NETWORKS = {
    # [Input(1, 28, 28)] [Conv2D(6, 5, ReLU)] [MaxPool2D(2)] [Conv2D(16, 5, ReLU)] [MaxPool2D(2)] [Dense(120, ReLU)]
    # [Dense(84, ReLU)] [Dense(10, Softmax)], CrossEntropy
    "LeNet5Twin": (
        "torch.nn.Sequential(torch.nn.Conv2d(1, 6, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), "
        "torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), "
        "torch.nn.Linear(256, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10))",
        (1, 28, 28),
        "CrossEntropy",
    ),
    # [Input(3, 9, 7)] [Conv2D(4, 3, Tanh, Stride = 2, Padding = 1)] (4x5x4) [AvgPool2D(2, Stride = 1)] (4x4x3)
    # [Dense(5, Sigmoid)], MeanSquaredError
    "OddSizeCnnTwin": (
        "torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, stride=2, padding=1), torch.nn.Tanh(), "
        "torch.nn.AvgPool2d(2, stride=1), torch.nn.Flatten(), torch.nn.Linear(48, 5), torch.nn.Sigmoid())",
        (3, 9, 7),
        "MeanSquaredError",
    ),
    # [Input(2, 8, 8)] [Conv2D(3, 3, ReLU)] (3x6x6) [MaxPool2D(3, Stride = 1)] (3x4x4) [Dropout(0.25f)]
    # [Dense(6, Tanh)] [Dropout(0.5f)] [Dense(3, Softmax)], CrossEntropy
    "DropoutCnnTwin": (
        "torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(3, stride=1), "
        "torch.nn.Dropout(p=0.25), torch.nn.Flatten(), torch.nn.Linear(48, 6), torch.nn.Tanh(), torch.nn.Dropout(p=0.5), "
        "torch.nn.Linear(6, 3))",
        (2, 8, 8),
        "CrossEntropy",
    ),
}


def write_safetensors(path, tensors, metadata):
    """tensors: name -> float32 tensor. The header is padded with spaces to a multiple of 8, as the Python writer does."""
    header, data, offset = {"__metadata__": metadata}, bytearray(), 0
    for name, tensor in tensors.items():
        raw = tensor.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)) + text + bytes(data))


def read_safetensors(path):
    """name -> float32 tensor, with the checks a loader makes: offsets tile the data exactly."""
    with open(path, "rb") as file:
        blob = file.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = blob[8 + length:]
    tensors, end = {}, 0
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        begin, stop = entry["data_offsets"]
        assert entry["dtype"] == "F32", (name, entry["dtype"])
        assert begin == end, (name, begin, end)
        values = torch.frombuffer(bytearray(data[begin:stop]), dtype=torch.float32)
        tensors[name] = values.reshape(entry["shape"])
        end = stop
    assert end == len(data), (end, len(data))
    return tensors, metadata


def write_f32(path, tensor):
    with open(path, "wb") as file:
        file.write(tensor.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes())


def read_f32(path, columns):
    with open(path, "rb") as file:
        return torch.frombuffer(bytearray(file.read()), dtype=torch.float32).reshape(-1, columns)


def sizes(model):
    linears = [module for module in model if isinstance(module, torch.nn.Linear)]
    return linears[0].in_features, linears[-1].out_features


def outputs_as_netgen(model, loss, inputs):
    """The twin's outputs as NetGen returns them: Softmax of the logits for a CrossEntropy network."""
    with torch.no_grad():
        outputs = model(inputs)
    return torch.softmax(outputs, dim=1) if loss == "CrossEntropy" else outputs


def criterion(loss):
    return {"CrossEntropy": torch.nn.CrossEntropyLoss(), "BinaryCrossEntropy": torch.nn.BCELoss(),
            "MeanSquaredError": torch.nn.MSELoss()}[loss]


def random_targets(loss, count, outputs_size):
    if loss == "CrossEntropy":
        return torch.softmax(torch.randn(count, outputs_size), dim=1)
    if loss == "BinaryCrossEntropy":
        return torch.rand(count, outputs_size)
    return torch.rand(count, outputs_size) * 2 - 1


def netgen_losses(outputs, targets, loss):
    """NetGen's per-sample loss, which Backward returns: the mean over outputs (MSE, BCE), or the sum (CrossEntropy)."""
    if loss == "CrossEntropy":
        return -(targets * torch.log_softmax(outputs, dim=1)).sum(dim=1)
    if loss == "BinaryCrossEntropy":
        return torch.nn.functional.binary_cross_entropy(outputs, targets, reduction="none").mean(dim=1)
    return ((outputs - targets) ** 2).mean(dim=1)


def make_cnns():
    for seed, (name, (twin, shape, loss)) in enumerate(CNN_NETWORKS.items(), start=100):
        torch.manual_seed(seed)
        model = eval(twin, {"torch": torch})
        outputs_size = [module for module in model if isinstance(module, torch.nn.Linear)][-1].out_features
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        model.train()
        for _ in range(5):
            batch = torch.rand(16, *shape) * 2 - 1
            optimizer.zero_grad()
            criterion(loss)(model(batch), random_targets(loss, 16, outputs_size)).backward()
            optimizer.step()

        model.eval()
        inputs = torch.rand(SAMPLES, *shape) * 2 - 1
        targets = random_targets(loss, SAMPLES, outputs_size)
        optimizer.zero_grad()
        outputs = model(inputs)
        losses = netgen_losses(outputs, targets, loss)
        losses.sum().backward()
        metadata = {"format": "pt", "twin": twin}
        write_safetensors(os.path.join(FIXTURES, f"{name}.safetensors"), model.state_dict(), metadata)
        write_safetensors(os.path.join(FIXTURES, f"{name}.gradients.safetensors"),
                          {key: parameter.grad for key, parameter in model.named_parameters()}, metadata)
        write_f32(os.path.join(FIXTURES, f"{name}.inputs.f32"), inputs)
        write_f32(os.path.join(FIXTURES, f"{name}.outputs.f32"), outputs)
        write_f32(os.path.join(FIXTURES, f"{name}.targets.f32"), targets)
        write_f32(os.path.join(FIXTURES, f"{name}.losses.f32"), losses)
        print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, keys {list(model.state_dict())}")


def make():
    os.makedirs(FIXTURES, exist_ok=True)
    for seed, (name, (twin, loss)) in enumerate(NETWORKS.items()):
        torch.manual_seed(seed)
        model = twin()
        inputs_size, outputs_size = sizes(model)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(5):
            batch = torch.rand(16, inputs_size) * 2 - 1
            if loss == "CrossEntropy":
                target = torch.softmax(torch.randn(16, outputs_size), dim=1)
            elif loss == "BinaryCrossEntropy":
                target = torch.rand(16, outputs_size)
            else:
                target = torch.rand(16, outputs_size) * 2 - 1
            optimizer.zero_grad()
            criterion(loss)(model(batch), target).backward()
            optimizer.step()

        inputs = torch.rand(SAMPLES, inputs_size) * 2 - 1
        with torch.no_grad():
            outputs = model(inputs)
        write_safetensors(os.path.join(FIXTURES, f"{name}.safetensors"), model.state_dict(),
                          {"format": "pt", "twin": " ".join(str(model).split())})
        write_f32(os.path.join(FIXTURES, f"{name}.inputs.f32"), inputs)
        write_f32(os.path.join(FIXTURES, f"{name}.outputs.f32"), outputs)
        print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, keys {list(model.state_dict())}")
    make_cnns()


def check(folder):
    worst = 0.0
    for name, (twin, loss) in NETWORKS.items():
        path = os.path.join(folder, f"{name}.netgen.safetensors")
        tensors, metadata = read_safetensors(path)
        model = twin()
        model.load_state_dict(tensors, strict=True)
        inputs = read_f32(os.path.join(FIXTURES, f"{name}.inputs.f32"), sizes(model)[0])
        ours = outputs_as_netgen(model, loss, inputs)
        theirs = read_f32(os.path.join(folder, f"{name}.netgen-outputs.f32"), ours.shape[1])
        relative = ((ours - theirs).abs() / ours.abs().clamp(min=1e-30)).max().item()
        worst = max(worst, relative)
        print(f"{name}: {metadata.get('netgen.architecture')}: max relative difference {relative:.3g}")
    for name, (twin, shape, loss) in CNN_NETWORKS.items():
        path = os.path.join(folder, f"{name}.netgen.safetensors")
        if not os.path.exists(path):
            print(f"{name}: no {path} (its generated class is not in the tests yet)")
            continue
        tensors, metadata = read_safetensors(path)
        model = eval(twin, {"torch": torch})
        model.load_state_dict(tensors, strict=True)
        model.eval()
        inputs = read_f32(os.path.join(FIXTURES, f"{name}.inputs.f32"), shape[0] * shape[1] * shape[2]).reshape(-1, *shape)
        ours = outputs_as_netgen(model, loss, inputs)
        theirs = read_f32(os.path.join(folder, f"{name}.netgen-outputs.f32"), ours.shape[1])
        relative = ((ours - theirs).abs() / ours.abs().clamp(min=1e-30)).max().item()
        # The gradient of the summed per-sample losses, as NetGen's Backward accumulates them; relative to each
        # tensor's largest value.
        targets = read_f32(os.path.join(FIXTURES, f"{name}.targets.f32"), ours.shape[1])
        netgen_losses(model(inputs), targets, loss).sum().backward()
        gradients, _ = read_safetensors(os.path.join(folder, f"{name}.netgen-gradients.safetensors"))
        gradient = max(((parameter.grad - gradients[key]).abs().max() / parameter.grad.abs().max()).item()
                       for key, parameter in model.named_parameters())
        worst = max(worst, relative, gradient / 10)
        print(f"{name}: {metadata.get('netgen.architecture')}: max relative difference {relative:.3g}, "
              f"gradients {gradient:.3g} of each tensor's largest")
    print("OK" if worst <= RELATIVE_TOLERANCE else f"FAILED: {worst:.3g} > {RELATIVE_TOLERANCE}")
    return 0 if worst <= RELATIVE_TOLERANCE else 1


if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2]))
    elif len(sys.argv) == 1:
        make()
    else:
        sys.exit(__doc__)
