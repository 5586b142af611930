"""Peer for the unet_field figure: whole-field inference of one 2448x2048 RGB image with the
same U-Net in PyTorch (CPU, 2 threads), done as lib/segment/segment_field.ts does it.

ImageNet normalisation; 512 px tiles at stride 512, the last row and column flush to the
edge; each tile resized to 256 (bilinear, align_corners=False, as tf.image.resizeBilinear
with half-pixel centres); model forward in batches of 4; probabilities resized back to 512
and merged by the per-pixel maximum.

Run as the bench peer: python3 unet_field.py '{"width": 2448, "height": 2048, ...}'.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

from timing import median_seconds
from unet import Unet

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def starts(length, tile):
    if length <= tile:
        return [0]
    out = list(range(0, length - tile, tile))
    return out + [length - tile]


def main():
    args = json.loads(sys.argv[1])
    width, height = int(args["width"]), int(args["height"])
    tile, size, batch = int(args["tile"]), int(args["input_size"]), int(args["batch"])
    torch.set_num_threads(int(args.get("threads", 2)))
    torch.manual_seed(0)
    model = Unet(3, args["encoder"], args["widths"], args["decoder"], output="sigmoid",
                 norm="group").eval()
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    boxes = [(x, y) for y in starts(height, tile) for x in starts(width, tile)]

    def segment():
        field = torch.from_numpy((image / np.float32(255) - MEAN) / STD).permute(2, 0, 1)
        prob = torch.zeros(height, width)
        with torch.no_grad():
            for i in range(0, len(boxes), batch):
                part = boxes[i:i + batch]
                tiles = torch.stack([field[:, y:y + tile, x:x + tile] for x, y in part])
                small = F.interpolate(tiles, size=(size, size), mode="bilinear",
                                      align_corners=False)
                out = F.interpolate(model(small.float()), size=(tile, tile), mode="bilinear",
                                    align_corners=False)
                for (x, y), p in zip(part, out[:, 0]):
                    view = prob[y:y + tile, x:x + tile]
                    torch.maximum(view, p, out=view)
        return prob

    seconds = median_seconds(segment, int(args["repeats"]))
    print(json.dumps({
        "seconds": seconds,
        "tiles": len(boxes),
        "version": f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads",
    }))


if __name__ == "__main__":
    main()
