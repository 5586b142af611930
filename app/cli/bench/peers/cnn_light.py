"""Peer for the cnn_light figure: the same classifier in PyTorch (CPU, 2 threads).

Architecture (NHWC in tfjs, NCHW here), as lib/classify/backbone.ts + build_classifier.ts:
stem conv5x5(1->C, 'same') GELU, GroupNorm(1, C), Dropout, AvgPool2d(2); then `depth`
blocks i = 1.. of [GroupNorm(1, C_in), layer_repeats x (conv3x3(->C*2^i, 'same') GELU),
Dropout, AvgPool2d(2)]; row pooling (mean over the width, then flatten in tfjs's
[H', F] order); head Linear(F->E), Linear(E->2E), GELU, Linear(2E->K). GELU is the exact
erf form. AdamW (lr 2e-3, weight decay 0.009), cross-entropy (tfjs: softmax + log loss).
"""
import json
import sys

import torch

from timing import median_seconds
from torch import nn

args = json.loads(sys.argv[1])
batch, size, repeats = int(args["batch"]), int(args["size"]), int(args["repeats"])
channels, depth = int(args["channels"]), int(args["depth"])
layer_repeats, embedding = int(args["layer_repeats"]), int(args["embedding"])
dropout, classes = float(args["dropout"]), int(args["classes"])
torch.set_num_threads(int(args.get("threads", 2)))
torch.manual_seed(0)


class RowPool(nn.Module):
    """[B, F, H, W] -> mean over W -> [B, H * F] (h-major, as tfjs flattens NHWC)."""

    def forward(self, x):
        return x.mean(dim=3).transpose(1, 2).flatten(1)


layers = [
    nn.Conv2d(1, channels, 5, padding=2), nn.GELU(), nn.GroupNorm(1, channels),
    nn.Dropout(dropout), nn.AvgPool2d(2),
]
c_in = channels
for block in range(1, depth + 1):
    c_out = channels * 2 ** block
    layers.append(nn.GroupNorm(1, c_in))
    for _ in range(layer_repeats):
        layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.GELU()]
        c_in = c_out
    layers += [nn.Dropout(dropout), nn.AvgPool2d(2)]
layers.append(RowPool())
rows = size // 2 ** (depth + 1)
features = rows * c_in
layers += [
    nn.Linear(features, embedding), nn.Linear(embedding, 2 * embedding), nn.GELU(),
    nn.Linear(2 * embedding, classes),
]
model = nn.Sequential(*layers)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.009)
x = torch.randn(batch, 1, size, size)
y = torch.arange(batch) % classes


def train_step():
    model.train()
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    loss.item()


def forward():
    model.eval()
    with torch.no_grad():
        torch.softmax(model(x), dim=1)


print(json.dumps({
    "train_seconds": median_seconds(train_step, repeats),
    "forward_seconds": median_seconds(forward, repeats),
    "version": f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads",
}))
