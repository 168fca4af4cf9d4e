#!/usr/bin/python3
"""PyTorch fixtures for NetGen's safetensors interop tests, and the check of NetGen's files in PyTorch.

    /usr/bin/python3 make_pytorch_fixtures.py            # (re)writes Fixtures/ beside this script
    /usr/bin/python3 make_pytorch_fixtures.py check DIR  # loads DIR/{net}.netgen.safetensors into the twins

The fixtures: for each network below, the torch.nn.Sequential twin of a network in tests/NetGen.Tests/Networks/
TestNetworks.cs (PyTorchTwin.Describe's text), trained a few SGD steps on seeded random data with the matching loss,
its state_dict as {net}.safetensors, fixed inputs as {net}.inputs.f32 [samples, inputs] and the twin's outputs on them
as {net}.outputs.f32 [samples, outputs] (logits for a CrossEntropy network; NetGen applies Softmax). The .f32 files are
raw little-endian float32, row-major. Seeded and single-threaded, so a rerun writes the same bytes.

`check` reads what SafeTensorsInteropTests.Export writes when NETGEN_PYTORCH_EXPORT=DIR is set: NetGen's Save of each
network and NetGen's outputs on the fixture inputs ({net}.netgen-outputs.f32), loads the file into the twin with
load_state_dict(strict=True) and compares the twin's outputs with NetGen's.

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


def make():
    os.makedirs(FIXTURES, exist_ok=True)
    for seed, (name, (twin, loss)) in enumerate(NETWORKS.items()):
        torch.manual_seed(seed)
        model = twin()
        inputs_size, outputs_size = sizes(model)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = {"CrossEntropy": torch.nn.CrossEntropyLoss(), "BinaryCrossEntropy": torch.nn.BCELoss(),
                     "MeanSquaredError": torch.nn.MSELoss()}[loss]
        for _ in range(5):
            batch = torch.rand(16, inputs_size) * 2 - 1
            if loss == "CrossEntropy":
                target = torch.softmax(torch.randn(16, outputs_size), dim=1)
            elif loss == "BinaryCrossEntropy":
                target = torch.rand(16, outputs_size)
            else:
                target = torch.rand(16, outputs_size) * 2 - 1
            optimizer.zero_grad()
            criterion(model(batch), target).backward()
            optimizer.step()

        inputs = torch.rand(SAMPLES, inputs_size) * 2 - 1
        with torch.no_grad():
            outputs = model(inputs)
        write_safetensors(os.path.join(FIXTURES, f"{name}.safetensors"), model.state_dict(),
                          {"format": "pt", "twin": " ".join(str(model).split())})
        write_f32(os.path.join(FIXTURES, f"{name}.inputs.f32"), inputs)
        write_f32(os.path.join(FIXTURES, f"{name}.outputs.f32"), outputs)
        print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, keys {list(model.state_dict())}")


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
