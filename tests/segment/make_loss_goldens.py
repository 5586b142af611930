"""Goldens for tests/segment/losses_test.ts: the losses of lib/segment/losses.ts written out
again in PyTorch (float32, autograd), on fixed random inputs.

Rerun (Debian's python3 has torch):
    /usr/bin/python3 tests/segment/make_loss_goldens.py
which rewrites tests/segment/fixtures/loss_goldens.json.
"""
import json
import pathlib

import numpy as np
import torch

EPS = 1e-7
B, H, W = 3, 6, 5
rng = np.random.default_rng(20240611)

# Truth: image 0 and 2 random 0/1 masks, image 1 empty (tests the smoothing term).
truth = (rng.random((B, H, W, 1)) < 0.4).astype(np.float32)
truth[1] = 0
# One-channel (sigmoid) probabilities, with an exact 0 and an exact 1 to exercise clipping.
sigmoid = rng.uniform(0.02, 0.98, (B, H, W, 1)).astype(np.float32)
sigmoid[0, 0, 0, 0] = 0.0
sigmoid[2, 1, 1, 0] = 1.0
# Two-channel (softmax) probabilities.
logits = torch.tensor(rng.normal(0, 2, (B, H, W, 2)).astype(np.float32))
softmax = torch.softmax(logits, dim=-1).numpy()


def foreground(p):
    return p if p.shape[3] == 1 else p[..., 1:2]


def bce(p, t):
    if p.shape[3] == 1:
        q = p.clamp(EPS, 1 - EPS)
        return -(t * q.log() + (1 - t) * (1 - q).log()).mean()
    q = (p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS)
    return -(t * q[..., 1:2].log() + (1 - t) * q[..., 0:1].log()).mean()


def axes(reduction):
    # "batch": one ratio over every pixel of the batch (smp's DiceLoss); "image": one each.
    return (0, 1, 2, 3) if reduction == "batch" else (1, 2, 3)


def dice(p, t, smooth=1.0, reduction="batch"):
    f = foreground(p)
    overlap = (f * t).sum(dim=axes(reduction))
    total = f.sum(dim=axes(reduction)) + t.sum(dim=axes(reduction))
    return (1 - (2 * overlap + smooth) / (total + smooth)).mean()


def tversky(p, t, alpha=0.5, beta=0.5, smooth=1.0, reduction="batch"):
    f = foreground(p)
    tp = (f * t).sum(dim=axes(reduction))
    fp = (f * (1 - t)).sum(dim=axes(reduction))
    fn = ((1 - f) * t).sum(dim=axes(reduction))
    return (1 - (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)).mean()


def bce_dice(p, t, bceWeight=1.0, diceWeight=1.0, smooth=1.0, reduction="batch"):
    return bceWeight * bce(p, t) + diceWeight * dice(p, t, smooth, reduction)


LOSSES = {"bce": bce, "dice": dice, "tversky": tversky, "bce_dice": bce_dice}
CASES = [
    ("bce", {}),
    ("dice", {}),
    ("dice", {"smooth": 0.5}),
    ("dice", {"reduction": "image"}),
    ("tversky", {}),
    ("tversky", {"alpha": 0.3, "beta": 0.7, "smooth": 1.0}),
    ("tversky", {"alpha": 0.3, "beta": 0.7, "reduction": "image"}),
    ("bce_dice", {}),
    ("bce_dice", {"bceWeight": 0.5, "diceWeight": 2.0}),
    ("bce_dice", {"reduction": "image"}),
]

cases = []
for pred_name, pred in (("sigmoid", sigmoid), ("softmax", softmax)):
    for loss, options in CASES:
        p = torch.tensor(pred, requires_grad=True)
        value = LOSSES[loss](p, torch.tensor(truth), **options)
        (grad,) = torch.autograd.grad(value, p)
        cases.append({
            "loss": loss,
            "options": options,
            "pred": pred_name,
            "value": float(value),
            "grad": [float(v) for v in grad.numpy().ravel()],
        })

out = {
    "note": "made by tests/segment/make_loss_goldens.py (PyTorch float32 autograd)",
    "shape": [B, H, W],
    "truth": [float(v) for v in truth.ravel()],
    "sigmoid": [float(v) for v in sigmoid.ravel()],
    "softmax": [float(v) for v in softmax.ravel()],
    "cases": cases,
}
path = pathlib.Path(__file__).parent / "fixtures" / "loss_goldens.json"
path.write_text(json.dumps(out) + "\n")
print(f"wrote {path} ({len(cases)} cases)")
