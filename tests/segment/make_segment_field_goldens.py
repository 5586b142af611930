#!/usr/bin/python3
"""Writes the goldens that tests/segment/segment_field_test.ts compares
lib/segment/segment_field.ts against: tiled whole-field inference done with PyTorch's
F.interpolate(mode="bilinear", align_corners=False) (antialias off) on the same tiles.

Run with Debian's Python stack (python3-torch, python3-numpy), from the repository root:

    /usr/bin/python3 tests/segment/make_segment_field_goldens.py

The image is a formula the test recomputes exactly in float32:
    value(x, y, c) = ((7x + 13y + 29c) mod 97) / 97
and the "model" returns its input's channel 0 as the probability map. Tiles follow the
rule of lib/segment/tiling.ts, written out again here: starts 0, stride, 2*stride, ...
while start + tile < size, then size - tile (flush with the edge); one tile of the whole
side when size <= tile. Fields are float32 little-endian, concatenated in
fixtures/segment_field_goldens.f32 at the offsets (in values) listed in the JSON.
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
OUT_JSON = HERE / "fixtures" / "segment_field_goldens.json"
OUT_BIN = HERE / "fixtures" / "segment_field_goldens.f32"

CASES = [
    {"name": "downsampled, max", "width": 100, "height": 76, "channels": 3, "tile": 40,
     "overlap": 0, "inputSize": 16, "merge": "max", "batchSize": 4},
    {"name": "overlap 10, max", "width": 100, "height": 76, "channels": 3, "tile": 40,
     "overlap": 10, "inputSize": 16, "merge": "max", "batchSize": 3},
    {"name": "overlap 10, upsampled, mean", "width": 100, "height": 76, "channels": 2,
     "tile": 40, "overlap": 10, "inputSize": 56, "merge": "mean", "batchSize": 5},
    {"name": "image smaller than a tile", "width": 30, "height": 20, "channels": 2,
     "tile": 40, "overlap": 0, "inputSize": 16, "merge": "max", "batchSize": 4},
]


def image(width, height, channels):
    y, x, c = np.meshgrid(np.arange(height), np.arange(width), np.arange(channels), indexing="ij")
    return (((7 * x + 13 * y + 29 * c) % 97) / 97).astype(np.float32)  # [H, W, C]


def starts(size, tile, stride):
    if size <= tile:
        return [0]
    out, s = [], 0
    while s + tile < size:
        out.append(s)
        s += stride
    return out + [size - tile]


def field(case):
    w, h, tile = case["width"], case["height"], case["tile"]
    img = image(w, h, case["channels"])
    th, tw = min(tile, h), min(tile, w)
    stride = tile - case["overlap"]
    tiles = [(x, y) for y in starts(h, tile, stride) for x in starts(w, tile, stride)]
    acc = np.full((h, w), -np.inf, np.float32) if case["merge"] == "max" else np.zeros((h, w))
    count = np.zeros((h, w))
    size = case["inputSize"]
    for x, y in tiles:
        t = torch.from_numpy(img[y:y + th, x:x + tw]).permute(2, 0, 1)[None]  # [1, C, h, w]
        small = F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False)
        prob = small[:, 0:1]  # the "model": channel 0
        back = F.interpolate(prob, size=(th, tw), mode="bilinear", align_corners=False)[0, 0]
        back = back.numpy()
        if case["merge"] == "max":
            acc[y:y + th, x:x + tw] = np.maximum(acc[y:y + th, x:x + tw], back)
        else:
            acc[y:y + th, x:x + tw] += back
            count[y:y + th, x:x + tw] += 1
    out = acc if case["merge"] == "max" else acc / count
    return [{"x": x, "y": y, "width": tw, "height": th} for x, y in tiles], out.astype(np.float32)


blobs, offset = [], 0
for case in CASES:
    tiles, values = field(case)
    case["tiles"] = tiles
    case["offset"] = offset
    offset += values.size
    blobs.append(values.ravel())
OUT_BIN.write_bytes(np.concatenate(blobs).astype("<f4").tobytes())
OUT_JSON.write_text(json.dumps({"torch": torch.__version__, "cases": CASES}, indent=1) + "\n")
print(f"wrote {OUT_JSON} and {OUT_BIN} ({offset} values)")
