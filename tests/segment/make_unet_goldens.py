"""Goldens for tests/segment/unet_test.ts: forward parity of lib/segment/unet.ts with the
PyTorch peer network of the unet bench figure (app/cli/bench/peers/unet.py, built with
TensorFlow's "same" padding), on two tiny configurations.

Weights and inputs are small integers times powers of two, so they are exact in float32
in both frameworks and the JSON stays small; weights are stored in tfjs's layout
(conv kernels [KH, KW, Cin, Cout], transposed-conv kernels [KH, KW, Cout, Cin]) per
tfjs layer name, in the order of that layer's `weights`.

Rerun (Debian's python3 has torch):
    /usr/bin/python3 tests/segment/make_unet_goldens.py
which rewrites tests/segment/fixtures/unet_goldens.json.
"""
import json
import math
import pathlib
import sys

import numpy as np
import torch
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "app" / "cli" / "bench" / "peers"))
from unet import Conv, Unet  # noqa: E402

CONFIGS = [
    {
        "options": {
            "inputSize": 32, "inputChannels": 1, "encoder": "resnet18", "widths": [4, 8, 8, 8],
            "decoder": "upsample", "decoderWidths": [8, 8, 4, 4, 4], "output": "sigmoid",
            "norm": "group",
        },
        "batch": 2,
    },
    {
        "options": {
            "inputSize": 32, "inputChannels": 3, "encoder": "resnet34", "widths": [2, 4, 4, 8],
            "decoder": "transposed", "decoderWidths": [4, 4, 4, 2, 2], "output": "softmax",
            "norm": "batch",
        },
        "batch": 2,
    },
]
rng = np.random.default_rng(7)


def quantised(shape, exp, offset=0, low=-127):
    """Integers (offset + U[low, 127]) and their float32 values times 2^exp."""
    ints = offset + rng.integers(low, 128, size=shape)
    return ints, (ints * 2.0 ** exp).astype(np.float32)


def kernel_exp(fan_in):
    # He-like scale: sqrt(2 / fan_in) ~ 73 * 2^exp (73 = std of U[-127, 127]).
    return round(math.log2(math.sqrt(2 / fan_in) / 73))


def set_weights(model):
    """Draws every weight, sets it in torch, returns them per tfjs layer in tfjs layout."""
    out = {}
    for name, module in model.layers.items():
        tensors = []
        if isinstance(module, (Conv, nn.Conv2d)):
            cout, cin, kh, kw = module.weight.shape
            exp = kernel_exp(cin * kh * kw)
            ints, values = quantised((kh, kw, cin, cout), exp)
            module.weight.data = torch.tensor(values.transpose(3, 2, 0, 1).copy())
            tensors.append((ints, exp))
        elif isinstance(module, nn.ConvTranspose2d):
            cin, cout, kh, kw = module.weight.shape
            exp = kernel_exp(cin * kh * kw / 4)
            ints, values = quantised((kh, kw, cout, cin), exp)
            module.weight.data = torch.tensor(values.transpose(3, 2, 0, 1).copy())
            tensors.append((ints, exp))
        elif isinstance(module, (nn.GroupNorm, nn.BatchNorm2d)):
            c = module.weight.shape[0]
            for param, offset in ((module.weight, 512), (module.bias, 0)):
                ints, values = quantised((c,), -9, offset)
                param.data = torch.tensor(values)
                tensors.append((ints, -9))
            if isinstance(module, nn.BatchNorm2d):
                ints, values = quantised((c,), -8)
                module.running_mean.data = torch.tensor(values)
                tensors.append((ints, -8))
                ints, values = quantised((c,), -8, 256, 0)
                module.running_var.data = torch.tensor(values)
                tensors.append((ints, -8))
        if getattr(module, "bias", None) is not None and not isinstance(
                module, (nn.GroupNorm, nn.BatchNorm2d)):
            ints, values = quantised(tuple(module.bias.shape), -9)
            module.bias.data = torch.tensor(values)
            tensors.append((ints, -9))
        out[name] = [
            {"shape": list(ints.shape), "exp": exp, "ints": [int(v) for v in ints.ravel()]}
            for ints, exp in tensors
        ]
    return out


cases = []
for config in CONFIGS:
    o = config["options"]
    model = Unet(o["inputChannels"], o["encoder"], o["widths"], o["decoder"], o["decoderWidths"],
                 o["output"], o["norm"], tf_padding=True)
    weights = set_weights(model)
    model.eval()  # BatchNorm uses its running statistics, as tfjs's predict does
    shape = (config["batch"], o["inputSize"], o["inputSize"], o["inputChannels"])  # NHWC
    input_ints, x = quantised(shape, -7)
    with torch.no_grad():
        y = model(torch.tensor(x.transpose(0, 3, 1, 2).copy())).numpy().transpose(0, 2, 3, 1)
    cases.append({
        "options": o,
        "input": {"shape": list(shape), "exp": -7, "ints": [int(v) for v in input_ints.ravel()]},
        "weights": weights,
        "output": [float(f"{v:.7g}") for v in y.ravel()],
        "outputShape": list(y.shape),
    })

path = pathlib.Path(__file__).parent / "fixtures" / "unet_goldens.json"
path.write_text(json.dumps({
    "note": "made by tests/segment/make_unet_goldens.py (PyTorch float32, eval mode)",
    "cases": cases,
}) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes)")
