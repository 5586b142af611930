"""Writes tests/image/fixtures/label_studio_goldens.json for label_studio_rle_test.ts.

Rerun from the repository root with Debian's Python (numpy, Pillow 9.4):

    /usr/bin/python3 tests/image/make_label_studio_goldens.py

Decodes every brush of the T19 Label Studio export with `decode_rle` below, a plain
port of label-studio-converter's brush.py algorithm (a bit-string reader; header of a
32-bit value count, word size - 1 in 5 bits, four run-length sizes - 1 in 4 bits; then
runs), reshapes to [height, width, 4] and keeps channel 3 (alpha). Records, per brush,
the SHA-256 of the alpha bytes (the TypeScript decoder must give the very same bytes),
the alpha values present, the count above 127, how many repeat and literal chunks the
stream had, and the Dice against the mask JPEG decoded by PIL and binarised at > 127.

The real brushes hold only repeat chunks, so a small synthetic RGBA image is also
encoded with literal chunks too (`encode_rle` below) and checked to decode back.
"""

import hashlib
import json
import pathlib
import re

import numpy as np
from PIL import Image

HERE = pathlib.Path(__file__).parent
DATA = HERE / "../../../shared/data/seg/glomeruli"


def decode_rle(rle):
    bits = "".join(f"{byte:08b}" for byte in rle)
    position = 0

    def read(size):
        nonlocal position
        field = bits[position:position + size]
        position += size
        return int(field, 2)

    count = read(32)
    word_size = read(5) + 1
    run_sizes = [read(4) + 1 for _ in range(4)]
    out = np.zeros(count, dtype=np.uint8)
    chunks = {"repeat": 0, "literal": 0}
    i = 0
    while i < count:
        repeated = read(1)
        j = i + 1 + read(run_sizes[read(2)])
        if repeated:
            out[i:j] = read(word_size)
            i = j
            chunks["repeat"] += 1
        else:
            while i < j:
                out[i] = read(word_size)
                i += 1
            chunks["literal"] += 1
    return out, chunks


def encode_rle(values, run_sizes=(3, 4, 8, 16)):
    """Repeat chunks for runs of 2+, literal chunks of up to 8 words otherwise."""
    bits = f"{len(values):032b}" + f"{8 - 1:05b}" + "".join(f"{s - 1:04b}" for s in run_sizes)

    def chunk(flag, words):
        size = next(i for i, s in enumerate(run_sizes) if len(words) - 1 < 2 ** s)
        head = f"{flag}{size:02b}" + f"{len(words) - 1:0{run_sizes[size]}b}"
        return head + "".join(f"{w:08b}" for w in (words[:1] if flag else words))

    out, i, literal = [], 0, []
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i] and j + 1 - i < 2 ** 16 - 1:
            j += 1
        if j > i:
            if literal:
                out.append(chunk(0, literal))
                literal = []
            out.append(chunk(1, [values[i]] * (j - i + 1)))
        else:
            literal.append(values[i])
            if len(literal) == 8:
                out.append(chunk(0, literal))
                literal = []
        i = j + 1
    if literal:
        out.append(chunk(0, literal))
    bits += "".join(out)
    bits += "0" * (-len(bits) % 8)
    return [int(bits[k:k + 8], 2) for k in range(0, len(bits), 8)]


def synthetic():
    width, height = 7, 5
    y, x = np.mgrid[:height, :width]
    rgba = np.zeros((height, width, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[..., 3] = np.where(x < 3, 0, (x * 37 + y * 11) % 256)  # runs, then varying alpha
    rle = encode_rle(rgba.reshape(-1).tolist())
    values, chunks = decode_rle(rle)
    assert np.array_equal(values, rgba.reshape(-1)) and chunks["literal"] > 0
    return {"width": width, "height": height, "rle": rle,
            "alpha": rgba[..., 3].reshape(-1).tolist(), "chunks": chunks}


def main():
    tasks = json.loads((DATA / "labelstudio_annotations_T19.json").read_text())
    brushes = []
    for task in tasks:
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                if result["type"] != "brushlabels":
                    continue
                width, height = result["original_width"], result["original_height"]
                values, chunks = decode_rle(result["value"]["rle"])
                alpha = values.reshape(height, width, 4)[:, :, 3]
                stem = re.sub(r"^[0-9a-f]{8}-", "", pathlib.PurePosixPath(task["data"]["image"]).stem)
                with Image.open(DATA / "masks" / f"{stem}_mask.jpg") as im:
                    truth = np.asarray(im.convert("L")) > 127
                brush = alpha > 127
                dice = 2 * (brush & truth).sum() / (brush.sum() + truth.sum())
                brushes.append({
                    "taskId": task["id"], "stem": stem, "width": width, "height": height,
                    "sha256": hashlib.sha256(alpha.tobytes()).hexdigest(),
                    "alphaValues": sorted(int(v) for v in np.unique(alpha)),
                    "above127": int(brush.sum()), "maskAbove127": int(truth.sum()),
                    "chunks": chunks, "dice": float(dice),
                })
    goldens = {"brushes": brushes, "synthetic": synthetic()}
    (HERE / "fixtures" / "label_studio_goldens.json").write_text(json.dumps(goldens) + "\n")
    for b in brushes:
        print(b["stem"], b["above127"], b["maskAbove127"], b["chunks"], round(b["dice"], 4))


if __name__ == "__main__":
    main()
