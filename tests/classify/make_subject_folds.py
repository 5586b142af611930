"""Subject-wise cross-validation folds of a preprocessed dataset, for the closing-note runs.

Not a test. Writes <out>/fold<k>/ for k = 0..K-1, each a dataset folder that
`deno task train --set data.root=...` accepts: the source's metadata.csv and
preprocess.json copied, its images/ linked, and train/val/test-metadata.csv where fold k's
test subjects are the k-th of K disjoint groups (every subject is tested exactly once), and
`val` subjects are drawn from the rest. Subjects are shuffled with a fixed seed.

    /usr/bin/python3 tests/classify/make_subject_folds.py datasets/math-db datasets/math-cv 4 2
    (source, out, K folds, validation subjects per fold)
"""
import csv
import os
import random
import shutil
import sys

source, out = sys.argv[1], sys.argv[2]
folds = int(sys.argv[3]) if len(sys.argv) > 3 else 4
val_count = int(sys.argv[4]) if len(sys.argv) > 4 else 2
seed = 0

with open(f"{source}/metadata.csv", newline="") as f:
    reader = csv.DictReader(f)
    columns, rows = reader.fieldnames, list(reader)
subjects = sorted({r["subject"] for r in rows})
random.Random(seed).shuffle(subjects)
groups = [subjects[k::folds] for k in range(folds)]
for k, test in enumerate(groups):
    rest = [s for s in subjects if s not in test]
    val = rest[:val_count]
    split = {s: "test" for s in test} | {s: "val" for s in val}
    folder = f"{out}/fold{k}"
    os.makedirs(folder, exist_ok=True)
    shutil.copy(f"{source}/preprocess.json", folder)
    link = f"{folder}/images"
    if not os.path.lexists(link):
        os.symlink(os.path.relpath(f"{source}/images", folder), link)
    labelled = [dict(r, split=split.get(r["subject"], "train")) for r in rows]
    for name, subset in [("metadata.csv", labelled)] + [
        (f"{s}-metadata.csv", [r for r in labelled if r["split"] == s])
        for s in ("train", "val", "test")
    ]:
        with open(f"{folder}/{name}", "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(subset)
    print(f"fold{k}: test {test}, val {val}")
