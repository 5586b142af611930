#!/usr/bin/python3
"""Writes the golden values that tests/classify/metrics_test.ts compares
lib/classify/metrics.ts against: scikit-learn's metrics with their default arguments.

Run with Debian's Python stack (python3-sklearn), not the python3 first on PATH:

    /usr/bin/python3 tests/classify/make_metric_goldens.py

Inputs are small fixed arrays chosen for the edge cases: imbalanced labels, a class that
is never predicted, a class that is only predicted, ties in AUROC scores.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn import metrics

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "metric_goldens.json"

CLASSIFICATION = [
    {
        "name": "binary imbalanced",
        "y_true": [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1],
        "y_pred": [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        "num_classes": 2,
    },
    {
        "name": "three classes, class 2 never predicted",
        "y_true": [0, 1, 2, 2, 1, 0, 0, 2, 1, 1],
        "y_pred": [0, 1, 1, 0, 1, 0, 1, 1, 1, 0],
        "num_classes": 3,
    },
    {
        "name": "four classes, class 3 only predicted, class 1 absent",
        "y_true": [0, 0, 2, 2, 2, 0, 2, 0],
        "y_pred": [0, 3, 2, 0, 2, 0, 3, 0],
        "num_classes": 4,
    },
    {
        "name": "all correct",
        "y_true": [1, 0, 1, 1],
        "y_pred": [1, 0, 1, 1],
        "num_classes": 2,
    },
]

AUROC = [
    {"name": "no ties", "y_true": [0, 0, 1, 1, 0, 1, 0], "scores": [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.55]},
    {
        "name": "ties across classes",
        "y_true": [0, 1, 0, 1, 1, 0, 0, 1, 0, 0],
        "scores": [0.5, 0.5, 0.2, 0.7, 0.2, 0.7, 0.1, 0.9, 0.5, 0.3],
    },
    {"name": "all tied", "y_true": [0, 1, 1, 0, 1], "scores": [0.3, 0.3, 0.3, 0.3, 0.3]},
    {
        "name": "imbalanced with ties",
        "y_true": [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
        "scores": [0.12, 0.5, 0.33, 0.5, 0.01, 0.9, 0.33, 0.2, 0.5, 0.33],
    },
]

REGRESSION = [
    {"name": "ages", "y_true": [23.0, 41.5, 35.0, 60.0, 19.0], "y_pred": [25.5, 38.0, 35.0, 52.25, 30.0]},
    {"name": "negative and fractional", "y_true": [-1.5, 0.25, 3.0], "y_pred": [0.5, 0.125, -2.0]},
]


def main():
    goldens = {
        "generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}",
        "classification": [],
        "auroc": [],
        "regression": [],
    }
    for case in CLASSIFICATION:
        t, p = case["y_true"], case["y_pred"]
        goldens["classification"].append({
            **case,
            "accuracy": metrics.accuracy_score(t, p),
            "balanced_accuracy": metrics.balanced_accuracy_score(t, p),
            "macro_f1": metrics.f1_score(t, p, average="macro", zero_division=0),
            "confusion_matrix": metrics.confusion_matrix(
                t, p, labels=list(range(case["num_classes"]))).tolist(),
        })
    for case in AUROC:
        goldens["auroc"].append({**case, "auroc": metrics.roc_auc_score(case["y_true"], case["scores"])})
    for case in REGRESSION:
        t, p = case["y_true"], case["y_pred"]
        goldens["regression"].append({
            **case,
            "mae": metrics.mean_absolute_error(t, p),
            "rmse": metrics.mean_squared_error(t, p, squared=False),
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(goldens, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
