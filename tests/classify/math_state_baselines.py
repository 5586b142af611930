"""How far rest vs arithmetic can go across subjects on a preprocessed Math dataset.

Not a test: an analysis kept beside the classifier tests. It explains the gap between the
math-state preset's test balanced accuracy and issue 5's goal of 0.80 on unseen subjects.
Reads the PNG spectrograms that `deno task preprocess --config config/data/math.toml`
wrote, averages each channel strip over its 12 frames (a [256 frequencies, 20 channels]
profile), pools rows into 32 bands, and runs leave-one-subject-out cross-validation
(every subject is the test subject once; nothing from it is seen in training) with:

- logistic regression (class-balanced, standardised features) on the raw profile, on the
  profile minus its own mean (per window: removes the overall gain), and minus each
  channel's mean (per window and channel: keeps only the spectral shape);
- the same with the spread over time (std over the 12 frames) added;
- a random forest;
- per-subject centring (what `data.subject_centering` does for the CNN): each subject's
  profiles minus that subject's mean profile over all its windows, and the same z-scored.
  No labels are used, but the test subject's windows of both states are centred together
  (transductive: a new subject must be evaluated with all of its recordings at once).

Prints one JSON object: per setting, the pooled balanced accuracy over all windows and the
per-subject balanced accuracies. Run with Debian's Python (scikit-learn, Pillow):

    /usr/bin/python3 tests/classify/math_state_baselines.py datasets/math-db
"""
import csv
import json
import sys

import numpy as np
from PIL import Image
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

root = sys.argv[1] if len(sys.argv) > 1 else "datasets/math-db"
rows = list(csv.DictReader(open(f"{root}/metadata.csv")))
images = np.stack([np.asarray(Image.open(f"{root}/{r['file_name']}"), dtype=np.float32)
                   for r in rows])
if images.shape[1:] != (256, 256):
    sys.exit(f"{root}: expected 256x256 greyscale (db) images, got {images.shape[1:]}")
y = np.array([r["task_state"] != "rest" for r in rows], dtype=int)
subject = np.array([r["subject"] for r in rows])
subjects = sorted(set(subject))

# RECIPES.md step 7: 20 strips of 12 columns between 8 px of padding on each side.
frames = images[:, :, 8:248].reshape(len(images), 256, 20, 12)  # [n, freq, channel, time]


def bands(a):
    """[n, 256, ...] -> [n, 32, ...]: 8 frequency rows per band."""
    return a.reshape(len(a), 32, 8, *a.shape[2:]).mean(2)


profile = frames.mean(-1)  # [n, 256, 20]
spread = frames.std(-1)


def features(mode):
    p = profile
    if mode == "minus_window_mean":
        p = p - p.mean((1, 2), keepdims=True)
    elif mode == "minus_channel_mean":
        p = p - p.mean(1, keepdims=True)
    return bands(p).reshape(len(p), -1)


def loso(features_, make):
    predicted = np.zeros(len(y), dtype=int)
    for s in subjects:
        test = subject == s
        model = make()
        model.fit(features_[~test], y[~test])
        predicted[test] = model.predict(features_[test])
    return {
        "pooled_balanced_accuracy": round(float(balanced_accuracy_score(y, predicted)), 3),
        "per_subject": {s: round(float(balanced_accuracy_score(y[subject == s],
                                                                predicted[subject == s])), 2)
                        for s in subjects},
    }


def logistic():
    return make_pipeline(StandardScaler(),
                         LogisticRegression(C=0.01, class_weight="balanced", max_iter=3000))


def forest():
    return RandomForestClassifier(300, class_weight="balanced", min_samples_leaf=3,
                                  random_state=0, n_jobs=2)


results = {
    "dataset": root,
    "windows": len(y),
    "subjects": len(subjects),
    "logistic_raw": loso(features("raw"), logistic),
    "logistic_minus_window_mean": loso(features("minus_window_mean"), logistic),
    "logistic_minus_channel_mean": loso(features("minus_channel_mean"), logistic),
    "logistic_mean_and_spread": loso(
        np.concatenate([features("raw"), bands(spread).reshape(len(y), -1)], 1), logistic),
    "forest_raw": loso(features("raw"), forest),
}
centred = features("raw").copy()
zscored = centred.copy()
for s in subjects:
    m = subject == s
    centred[m] = centred[m] - centred[m].mean(0)
    zscored[m] = centred[m] / (zscored[m].std(0) + 1e-6)
results["logistic_per_subject_centred"] = loso(centred, logistic)
results["logistic_per_subject_zscore"] = loso(zscored, logistic)
print(json.dumps(results, indent=1))
