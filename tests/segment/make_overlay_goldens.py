#!/usr/bin/python3
"""Writes the goldens that tests/segment/overlay_test.ts compares lib/segment/overlay.ts's
outline band against: mask & ~scipy.ndimage.binary_erosion(mask, iterations=t,
border_value=0) (the default cross structure: 4-neighbour steps; beyond the image is
outside), for thickness t = 1, 2, 3, 5 on fixed random blob masks.

Run with Debian's Python stack (python3-scipy), from the repository root:

    /usr/bin/python3 tests/segment/make_overlay_goldens.py
"""
import json
import pathlib

import numpy as np
from scipy import ndimage

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "overlay_goldens.json"
rng = np.random.default_rng(42)


def blobs(height, width):
    # Smoothed noise thresholded: irregular blobs, some touching the image edge.
    noise = ndimage.gaussian_filter(rng.random((height, width)), 2.0)
    return (noise > np.quantile(noise, 0.55)).astype(np.uint8)


cases = []
for height, width in [(24, 31), (17, 12)]:
    mask = blobs(height, width)
    bands = {}
    for t in (1, 2, 3, 5):
        eroded = ndimage.binary_erosion(mask, iterations=t, border_value=0)
        bands[str(t)] = "".join(str(v) for v in (mask & ~eroded).astype(np.uint8).ravel())
    cases.append({"width": width, "height": height,
                  "mask": "".join(str(v) for v in mask.ravel()), "bands": bands})
OUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
print(f"wrote {OUT}")
