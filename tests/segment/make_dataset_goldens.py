#!/usr/bin/python3
"""Writes the golden values that tests/segment/seg_dataset_test.ts, crop_sampler_test.ts
and crop_batch_source_test.ts compare lib/segment against.

Run with Debian's Python stack (numpy, scipy, PIL, tifffile), not the python3 first on PATH:

    /usr/bin/python3 tests/segment/make_dataset_goldens.py

Writes these fixtures (deterministic: a rerun gives the same bytes):
- fixtures/dataset_goldens.json: per pair of ../shared/data/seg/glomeruli (JPEG, decoded by
  PIL/libjpeg) and ../shared/data/seg/em_mito (TIFF slices + PNG masks): size, foreground
  fraction (mask > 127), per-channel image mean (grey for EM, RGB for glomeruli).
- ../image/fixtures/crop_goldens.json (for tests/image/crop_sampler_test.ts): a synthetic 20x24 RGB pattern, its 8x8 window at (5, 3) under
  every flip/rot90 combination (numpy fliplr/flipud then rot90), and one rotated, scaled,
  flipped crop that runs past the left edge, resampled by scipy.ndimage.map_coordinates
  (order 1, mode "reflect" = half-sample symmetric) along the coordinate map documented in
  lib/segment/crop_sampler.ts.
- fixtures/stack_image.tif + stack_mask.tif: 3-page 6x5 grey stacks (page p pixel i is
  2 x (30 p + i); the mask is 255 where that value is a multiple of 3).
"""
import json
import math
import pathlib

import numpy as np
import tifffile
from PIL import Image
from scipy import ndimage

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parents[2] / "shared" / "data" / "seg"


def _dataset_goldens():
    glomeruli = []
    for path in sorted((DATA / "glomeruli" / "images").iterdir()):
        image = np.asarray(Image.open(path).convert("RGB"))
        mask = np.asarray(Image.open(DATA / "glomeruli" / "masks" / f"{path.stem}_mask.jpg"))
        assert mask.ndim == 2, mask.shape
        glomeruli.append({
            "id": path.stem,
            "subject": path.stem.split("_")[0],
            "width": image.shape[1],
            "height": image.shape[0],
            "foreground": float((mask > 127).mean()),
            # Pixels close to the threshold: where JPEG decoders may disagree.
            "near_threshold": int(((mask >= 120) & (mask <= 134)).sum()),
            "mean": [float(v) for v in image.reshape(-1, 3).mean(axis=0)],
        })
    em = []
    for path in sorted((DATA / "em_mito" / "raw").iterdir()):
        image = tifffile.imread(path)
        assert image.dtype == np.uint8 and image.ndim == 2, (image.dtype, image.shape)
        # convert("L"): PIL opens 1-bit PNGs (slices 01, 07) as mode "1" (bools), L gives 0/255.
        mask = np.asarray(Image.open(DATA / "em_mito" / "mito" / f"{path.stem}.png").convert("L"))
        em.append({
            "id": path.stem,
            "width": image.shape[1],
            "height": image.shape[0],
            "foreground": float((mask > 127).mean()),
            "sum": int(image.astype(np.int64).sum()),
            "mean": [float(image.mean())],
        })
    return {"glomeruli": glomeruli, "em_mito": em}


def _pattern():
    y, x, c = np.meshgrid(np.arange(20), np.arange(24), np.arange(3), indexing="ij")
    image = ((x * 7 + y * 13 + c * 50 + (x * y) % 11) % 256).astype(np.uint8)
    mask = (((x[..., 0] - 9) ** 2 + (y[..., 0] - 8) ** 2) <= 30).astype(np.uint8)
    return image, mask


def _source_coords(t, size_out):
    """The inverse map of lib/segment/crop_sampler.ts renderCrop, written out plainly."""
    i, j = np.meshgrid(np.arange(size_out), np.arange(size_out), indexing="ij")
    u = j + 0.5 - size_out / 2
    v = i + 0.5 - size_out / 2
    factor = t["size"] * t["scale"] / size_out
    theta = math.radians(t["angleDegrees"])
    a = (math.cos(theta) * u + math.sin(theta) * v) * factor
    b = (-math.sin(theta) * u + math.cos(theta) * v) * factor
    for _ in range(t["quarterTurns"]):
        a, b = -b, a
    if t["flipH"]:
        a = -a
    if t["flipV"]:
        b = -b
    xs = t["x"] + t["size"] / 2 - 0.5 + a
    ys = t["y"] + t["size"] / 2 - 0.5 + b
    return ys, xs


def _crop_goldens():
    image, mask = _pattern()
    x0, y0, size = 5, 3, 8
    window = image[y0:y0 + size, x0:x0 + size]
    window_mask = mask[y0:y0 + size, x0:x0 + size]
    def orient(w, flip_h, flip_v, k):
        if flip_h:
            w = np.fliplr(w)
        if flip_v:
            w = np.flipud(w)
        return np.rot90(w, k)

    combos = []
    for flip_h in (False, True):
        for flip_v in (False, True):
            for k in range(4):
                combos.append({
                    "flipH": flip_h,
                    "flipV": flip_v,
                    "quarterTurns": k,
                    "image": orient(window, flip_h, flip_v, k).reshape(-1).tolist(),
                    "mask": orient(window_mask, flip_h, flip_v, k).reshape(-1).tolist(),
                })
    transform = {
        "x": -3, "y": 5, "size": 10, "flipH": True, "flipV": False, "quarterTurns": 1,
        "angleDegrees": 12.5, "scale": 1.1,
    }
    size_out = 8
    ys, xs = _source_coords(transform, size_out)
    warped = np.stack([
        ndimage.map_coordinates(image[..., c].astype(np.float64), [ys, xs], order=1,
                                mode="reflect")
        for c in range(3)
    ], axis=-1)
    mask_soft = ndimage.map_coordinates(mask.astype(np.float64), [ys, xs], order=1,
                                        mode="reflect")
    assert np.abs(mask_soft - 0.5).min() > 1e-6, "a mask value sits on the threshold"
    return {
        "pattern": {"width": 24, "height": 20, "channels": 3,
                    "image": image.reshape(-1).tolist(), "mask": mask.reshape(-1).tolist()},
        "window": {"x": x0, "y": y0, "size": size},
        "combos": combos,
        "warp": {
            "transform": transform,
            "inputSize": size_out,
            "image": warped.reshape(-1).tolist(),
            "mask": (mask_soft > 0.5).astype(np.uint8).reshape(-1).tolist(),
        },
    }


def _stacks():
    """A tiny Lucchi-style pair: 3 grey 6x5 pages and their 0/255 masks, uncompressed."""
    pages = np.arange(3 * 5 * 6, dtype=np.uint8).reshape(3, 5, 6) * 2
    masks = np.where(pages % 3 == 0, 255, 0).astype(np.uint8)
    tifffile.imwrite(HERE / "fixtures" / "stack_image.tif", pages, photometric="minisblack")
    tifffile.imwrite(HERE / "fixtures" / "stack_mask.tif", masks, photometric="minisblack")


def main():
    (HERE / "fixtures").mkdir(exist_ok=True)
    _stacks()
    (HERE / "fixtures" / "dataset_goldens.json").write_text(
        json.dumps(_dataset_goldens(), indent=1) + "\n")
    (HERE.parent / "image" / "fixtures" / "crop_goldens.json").write_text(json.dumps(_crop_goldens()) + "\n")


if __name__ == "__main__":
    main()
