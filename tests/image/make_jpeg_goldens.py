"""Writes tests/image/fixtures/jpeg_goldens.json: what PIL sees in two real glomeruli JPEGs.

Rerun from the repository root with Debian's Python (Pillow 9.4 on libjpeg-turbo 2.1,
numpy):

    /usr/bin/python3 tests/image/make_jpeg_goldens.py

For T19_Image0.jpg (RGB, 4:2:0) and its mask (greyscale): size, mode, per-channel means,
three patches of decoded pixels (centre 64x64, top-left and bottom-right 16x16 corners,
where chroma upsampling meets the edges; base64 of the row-major uint8 bytes), the grey
mean of convert("L"), and the mask's foreground count at > 127. Also 64 RGB triples with
PIL's convert("L") values for the exact luma rounding (toGrey8), after checking that
(R*19595 + G*38470 + B*7471 + 32768) >> 16 equals PIL on all 2^24 triples.

Also writes two small odd-sized colour JPEGs with Pillow (fixtures/small_420.jpg and
small_422.jpg, 37x23, 4:2:0 and 4:2:2 chroma) with PIL's decoded pixels, so both of
libjpeg's fancy upsamplers and their right/bottom edges are compared.
"""

import base64
import json
import pathlib

import numpy as np
from PIL import Image

HERE = pathlib.Path(__file__).parent
DATA = HERE / "../../../shared/data/seg/glomeruli"


def patch(array, top, left, size):
    block = np.ascontiguousarray(array[top:top + size, left:left + size])
    return {"top": top, "left": left, "size": size,
            "base64": base64.b64encode(block.tobytes()).decode()}


def describe(path, centre):
    with Image.open(path) as im:
        mode = im.mode
        array = np.asarray(im)
        grey = np.asarray(im.convert("L"))
    h, w = array.shape[:2]
    flat = array.reshape(h * w, -1).astype(np.float64)
    return {
        "file": path.name, "mode": mode, "width": w, "height": h,
        "channels": flat.shape[1], "means": flat.mean(axis=0).tolist(),
        "greyMean": float(grey.mean()),
        "foregroundAbove127": int((grey > 127).sum()),
        "patches": [patch(array, *centre, 64), patch(array, 0, 0, 16),
                    patch(array, h - 16, w - 16, 16)],
    }


def luma_goldens():
    r, g, b = np.meshgrid(np.arange(256), np.arange(256), np.arange(256), indexing="ij")
    rgb = np.stack([r, g, b], -1).astype(np.uint8).reshape(4096, 4096, 3)
    pil = np.asarray(Image.fromarray(rgb).convert("L")).astype(np.int64)
    x = rgb.astype(np.int64)
    formula = (x[..., 0] * 19595 + x[..., 1] * 38470 + x[..., 2] * 7471 + 32768) >> 16
    assert np.array_equal(formula, pil), "PIL's convert('L') is not the L24 formula"
    rng = np.random.default_rng(601)
    triples = rng.integers(0, 256, (60, 3)).tolist() + [[0, 0, 0], [255, 255, 255], [255, 0, 0], [1, 2, 0]]
    values = [int(pil.reshape(-1)[(t[0] << 16) | (t[1] << 8) | t[2]]) for t in triples]
    return {"rgb": triples, "grey": values}


def small_jpegs():
    y, x = np.mgrid[:23, :37]
    rgb = np.stack([x * 7, y * 11, 255 - x * 3 - y * 4], -1)
    rgb = np.clip(rgb + 40 * ((x // 6 + y // 5) % 2)[..., None], 0, 255).astype(np.uint8)
    out = {}
    for name, subsampling in (("small_420.jpg", 2), ("small_422.jpg", 1)):
        path = HERE / "fixtures" / name
        Image.fromarray(rgb).save(path, quality=90, subsampling=subsampling)
        with Image.open(path) as im:
            decoded = np.asarray(im)
        out[name] = base64.b64encode(decoded.tobytes()).decode()
    return out


def main():
    with Image.open(DATA / "masks/T19_Image0_mask.jpg") as im:
        mask = np.asarray(im) > 127
    # Centre the mask patch on a boundary: the first foreground row, at its first column.
    ys, xs = np.nonzero(mask)
    edge = (int(ys.min()) - 32, int(xs[ys == ys.min()].min()) - 32)
    goldens = {
        "image": describe(DATA / "images/T19_Image0.jpg", (992, 1192)),
        "mask": describe(DATA / "masks/T19_Image0_mask.jpg", edge),
        "luma": luma_goldens(),
        "small": small_jpegs(),
    }
    (HERE / "fixtures" / "jpeg_goldens.json").write_text(json.dumps(goldens) + "\n")
    print({k: {f: v for f, v in goldens[k].items() if f != "patches"} for k in ("image", "mask")})


if __name__ == "__main__":
    main()
