#!/usr/bin/python3
"""Writes the goldens that tests/segment/regions_test.ts compares lib/segment/regions.ts
against: scipy.ndimage.label, find_objects and center_of_mass.

Run with Debian's Python stack (python3-scipy 1.10), from the repository root:

    /usr/bin/python3 tests/segment/make_regions_goldens.py

Masks: fixed random masks of a few shapes and densities, hand-made ones (diagonal-only
connections, a U whose arms meet late, a spiral, empty, full, one row, one column),
and the real mask ../shared/data/seg/em_mito/mito/00.png binarised at > 127 (only its
per-region numbers are stored, not its pixels). Connectivity 8 is
structure=np.ones((3, 3)); connectivity 4 is scipy's default cross.
"""
import json
import pathlib

import numpy as np
import scipy
from PIL import Image
from scipy import ndimage

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "regions_goldens.json"
REAL = HERE.parents[1] / ".." / "shared" / "data" / "seg" / "em_mito" / "mito" / "00.png"
rng = np.random.default_rng(7)
STRUCTURES = {8: np.ones((3, 3), int), 4: ndimage.generate_binary_structure(2, 1)}


def diagonal():
    m = np.zeros((9, 11), np.uint8)
    for i in range(9):
        m[i, i] = 1  # a staircase: connected only through corners
    for i in range(5):
        m[i, 10 - i] = 1  # an anti-diagonal meeting it only through corners, at (5, 5)
    m[8, 0] = 1
    return m


def u_shape():
    m = np.zeros((7, 9), np.uint8)
    m[0:6, 1] = m[0:6, 7] = m[5, 1:8] = 1  # two arms that meet only on row 5
    m[0:3, 4] = 1  # a middle arm that stays separate
    return m


def spiral():
    m = np.zeros((11, 11), np.uint8)
    top, left, bottom, right = 0, 0, 10, 10
    while top <= bottom and left <= right:
        m[top, left:right + 1] = 1
        m[top:bottom + 1, right] = 1
        m[bottom, left:right + 1] = 1
        m[top + 2:bottom + 1, left] = 1
        top, left, bottom, right = top + 2, left + 2, bottom - 2, right - 2
    return m


MASKS = [
    ("random 20x30 p=0.45", (rng.random((20, 30)) < 0.45).astype(np.uint8)),
    ("random 25x25 p=0.55", (rng.random((25, 25)) < 0.55).astype(np.uint8)),
    ("random 13x40 p=0.3", (rng.random((13, 40)) < 0.3).astype(np.uint8)),
    ("diagonal only", diagonal()),
    ("U shape", u_shape()),
    ("spiral", spiral()),
    ("empty", np.zeros((4, 6), np.uint8)),
    ("full", np.ones((5, 3), np.uint8)),
    ("one row", (rng.random((1, 17)) < 0.5).astype(np.uint8)),
    ("one column", (rng.random((17, 1)) < 0.5).astype(np.uint8)),
]


def regions(mask, connectivity):
    labels, count = ndimage.label(mask, structure=STRUCTURES[connectivity])
    out = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        ys, xs = box
        cy, cx = ndimage.center_of_mass(labels == index)
        out.append({
            "label": index,
            "area": int((labels == index).sum()),
            "bbox": {"x": xs.start, "y": ys.start, "width": xs.stop - xs.start,
                     "height": ys.stop - ys.start},
            "centroid": {"x": float(cx), "y": float(cy)},
        })
    return labels, int(count), out


cases = []
for name, mask in MASKS:
    case = {"name": name, "width": mask.shape[1], "height": mask.shape[0],
            "mask": ["".join(str(v) for v in row) for row in mask]}
    for connectivity in (8, 4):
        labels, count, objs = regions(mask, connectivity)
        case[f"c{connectivity}"] = {"count": count, "labels": labels.ravel().tolist(),
                                    "regions": objs}
    cases.append(case)

real = (np.asarray(Image.open(REAL).convert("L")) > 127).astype(np.uint8)
labels, count, objs = regions(real, 8)
golden = {
    "scipy": scipy.__version__,
    "cases": cases,
    "real": {"file": "seg/em_mito/mito/00.png", "width": real.shape[1], "height": real.shape[0],
             "count": count, "regions": objs,
             "foreground": int(real.sum())},
}
OUT.write_text(json.dumps(golden) + "\n")
print(f"wrote {OUT}: real mask has {count} regions")
