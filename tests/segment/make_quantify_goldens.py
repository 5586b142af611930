#!/usr/bin/python3
"""Writes the goldens that tests/segment/quantify_test.ts compares lib/segment/quantify.ts
against, computed with numpy and scipy.ndimage (8-connected labels, regions >= 64 px):

- "synthetic": a 48x40 grey image with five blobs whose bright fractions span all grades
  and one 5-pixel speck (stored pixel for pixel).
- "mito": the real ../shared/data/seg/em_mito raw/00.tif (lossless 8-bit grey) with the
  mask mito/00.png > 127: exact per-region values (the pixels are not stored).
- "glomerulus": the real seg/glomeruli T19_Image0.jpg with its mask JPEG > 127, decoded by
  PIL (libjpeg) and made grey with PIL's convert("L") (ITU-R 601 luma, rounded). The
  test decodes with jpeg-js, whose chroma upsampling differs (up to 29 grey levels on a few
  pixels), so it compares these with tolerances.

Run with Debian's Python stack (python3-numpy, python3-scipy, python3-pil), from the
repository root:

    /usr/bin/python3 tests/segment/make_quantify_goldens.py
"""
import json
import pathlib

import numpy as np
from PIL import Image
from scipy import ndimage

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "quantify_goldens.json"
DATA = HERE.parents[1] / ".." / "shared" / "data" / "seg"
rng = np.random.default_rng(3)


def quantify(grey, mask, min_area=64, fraction=0.85, thresholds=(0.6, 0.4, 0.2)):
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    open_from = fraction * float(grey.max())
    out = []
    for index, (ys, xs) in enumerate(ndimage.find_objects(labels), start=1):
        region = labels == index
        area = int(region.sum())
        if area < min_area:
            continue
        values = grey[region].astype(np.float64)
        openness = float((values >= open_from).mean())
        grade = next((g for g, t in enumerate(thresholds) if openness >= t), 3)
        bbox = {"x": xs.start, "y": ys.start, "width": xs.stop - xs.start,
                "height": ys.stop - ys.start}
        out.append({"label": index, "area": area, "bbox": bbox,
                    "fill_fraction": area / (bbox["width"] * bbox["height"]),
                    "mean_intensity": float(values.mean()), "openness": openness,
                    "grade": grade})
    return out


def synthetic():
    h, w = 40, 48
    grey = rng.integers(0, 180, (h, w)).astype(np.uint8)
    mask = np.zeros((h, w), np.uint8)
    blobs = [((2, 2), (10, 12), 0.75), ((2, 20), (9, 10), 0.5), ((2, 34), (11, 11), 0.3),
             ((20, 4), (12, 14), 0.1), ((22, 26), (15, 16), 0.62)]
    for (y, x), (bh, bw), bright in blobs:
        yy, xx = np.mgrid[0:bh, 0:bw]
        ellipse = ((yy - (bh - 1) / 2) / (bh / 2)) ** 2 + ((xx - (bw - 1) / 2) / (bw / 2)) ** 2 <= 1
        mask[y:y + bh, x:x + bw] |= ellipse.astype(np.uint8)
        lit = ellipse & (rng.random((bh, bw)) < bright)
        grey[y:y + bh, x:x + bw][lit] = rng.integers(220, 256, int(lit.sum()))
    mask[36:38, 44:47] = 1  # a 6-pixel speck, dropped by minArea 64
    grey[0, 47] = 250  # the image maximum lies outside every region
    grey[grey > 250] = 250
    return {"width": w, "height": h, "grey": grey.ravel().tolist(), "mask": mask.ravel().tolist(),
            "max": int(grey.max()), "regions": quantify(grey, mask)}


def real_mito():
    grey = np.asarray(Image.open(DATA / "em_mito" / "raw" / "00.tif"))
    mask = np.asarray(Image.open(DATA / "em_mito" / "mito" / "00.png").convert("L")) > 127
    return {"image": "seg/em_mito/raw/00.tif", "mask": "seg/em_mito/mito/00.png",
            "max": int(grey.max()), "regions": quantify(grey, mask)}


def real_glomerulus():
    image = Image.open(DATA / "glomeruli" / "images" / "T19_Image0.jpg")
    grey = np.asarray(image.convert("L"))
    mask = np.asarray(Image.open(DATA / "glomeruli" / "masks" / "T19_Image0_mask.jpg")) > 127
    return {"image": "seg/glomeruli/images/T19_Image0.jpg",
            "mask": "seg/glomeruli/masks/T19_Image0_mask.jpg",
            "max": int(grey.max()), "regions": quantify(grey, mask)}


golden = {"synthetic": synthetic(), "mito": real_mito(), "glomerulus": real_glomerulus()}
OUT.write_text(json.dumps(golden) + "\n")
for name in ("synthetic", "mito", "glomerulus"):
    print(name, [(r["area"], round(r["openness"], 3), r["grade"]) for r in golden[name]["regions"]])
