#!/usr/bin/python3
"""Writes the goldens that tests/segment/metrics_test.ts compares lib/segment/metrics.ts
against: scikit-learn's binary metrics on fixed random masks.

Run with Debian's Python stack (python3-sklearn 1.2.1), from the repository root:

    /usr/bin/python3 tests/segment/make_metrics_goldens.py

Predictions are probabilities rounded to 2 decimals (so some equal the 0.5 threshold
exactly: those are negative, as `pred > 0.5`); truths are 0/1. Each case records
sklearn's values with zero_division=1 (policy "one") and zero_division=0 (policy "zero").
sklearn 1.2 has no zero_division=nan, so the test derives policy "nan" from the two.
Dice is f1_score (sklearn's F1 is 2TP / (2TP + FP + FN)), IoU jaccard_score,
specificity recall_score with pos_label=0; counts from confusion_matrix.
"""
import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn import metrics

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "metrics_goldens.json"
rng = np.random.default_rng(20240611)


def random_case(name, height, width, density, agreement):
    truth = (rng.random((height, width)) < density).astype(np.int64)
    noise = rng.random((height, width))
    # With probability `agreement` a probability on the truth's side of 0.5, else uniform.
    pred = np.where(noise < agreement, truth * 0.5 + rng.random(truth.shape) * 0.5,
                    rng.random(truth.shape))
    return name, np.round(pred, 2), truth


CASES = [
    random_case("8x8 half full", 8, 8, 0.5, 0.8),
    random_case("16x12 sparse", 16, 12, 0.1, 0.7),
    random_case("5x7 dense", 5, 7, 0.8, 0.6),
    random_case("32x32 noisy", 32, 32, 0.3, 0.3),
    ("both empty", np.full((6, 6), 0.2), np.zeros((6, 6), np.int64)),
    ("pred empty, truth not", np.full((4, 5), 0.5), np.eye(4, 5, dtype=np.int64)),
    ("truth empty, pred not", np.eye(5, 4) * 0.9, np.zeros((5, 4), np.int64)),
    ("both full", np.full((3, 4), 0.99), np.ones((3, 4), np.int64)),
    ("disjoint", np.eye(4) * 0.8, np.eye(4, k=1, dtype=np.int64)),
]


def sklearn_metrics(truth, pred_bin, zero_division):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw = dict(zero_division=zero_division)
        return {
            "dice": metrics.f1_score(truth, pred_bin, **kw),
            "iou": metrics.jaccard_score(truth, pred_bin, **kw),
            "precision": metrics.precision_score(truth, pred_bin, **kw),
            "recall": metrics.recall_score(truth, pred_bin, **kw),
            "f1": metrics.f1_score(truth, pred_bin, **kw),
            "pixel_accuracy": metrics.accuracy_score(truth, pred_bin),
            "specificity": metrics.recall_score(truth, pred_bin, pos_label=0, **kw),
        }


def counts(truth, pred_bin):
    tn, fp, fn, tp = metrics.confusion_matrix(truth, pred_bin, labels=[0, 1]).ravel()
    return {"tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}


cases = []
all_truth, all_pred = [], []
for name, pred, truth in CASES:
    t, p = truth.ravel(), (pred.ravel() > 0.5).astype(np.int64)
    all_truth.append(t)
    all_pred.append(p)
    cases.append({
        "id": name,
        "pred": [float(v) for v in pred.ravel()],
        "truth": [int(v) for v in t],
        "counts": counts(t, p),
        "one": sklearn_metrics(t, p, 1),
        "zero": sklearn_metrics(t, p, 0),
    })

T, P = np.concatenate(all_truth), np.concatenate(all_pred)
golden = {
    "sklearn": sklearn.__version__,
    "cases": cases,
    # Pooled = sklearn on all pixels of all cases at once; mean = np.mean of per-case values.
    "pooled": {"counts": counts(T, P), "one": sklearn_metrics(T, P, 1)},
    "mean": {
        policy: {k: float(np.mean([c[policy][k] for c in cases])) for k in cases[0]["one"]}
        for policy in ("one", "zero")
    },
}
OUT.write_text(json.dumps(golden, indent=1) + "\n")
print(f"wrote {OUT}")
