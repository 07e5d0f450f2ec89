#!/usr/bin/env python3
"""scikit-learn references for HonePipeline's standard splitters.

Regenerate from this folder with the anchors' virtual environment (scikit-learn 1.9.1):

    /root/.cache/hone-anchors/venv/bin/python make_splitter_fixtures.py

It writes splitter_fixtures.json next to this script. Every case stores its inputs (row
count, folds, targets, groups, sizes) and scikit-learn's exact folds: for each split the
training and test row indices, sorted ascending. The Swift tests must match them exactly.

Cases
-----
* KFold (shuffle=False) over several (n, k), including n % k != 0 and k == n.
* StratifiedKFold (shuffle=False): targets drawn with fixed seeds, with classes whose first
  appearance is not in sorted order, imbalanced classes, and a class with fewer members
  than folds (scikit-learn only warns there; it raises only when every class is smaller).
  shuffle=True is not compared: scikit-learn shuffles with NumPy's Mersenne Twister, Hone
  with xoshiro256**, so only the allocation per fold can agree, not the rows.
* GroupKFold (shuffle=False, the default): group labels with ties in group size (the
  tie-break of the greedy assignment matters), negative and non-contiguous labels.
* TimeSeriesSplit with and without gap, max_train_size and test_size.
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit


def folds(splitter, n, y=None, groups=None):
    x = np.zeros((n, 1))
    return [
        {"train": sorted(int(i) for i in train), "test": sorted(int(i) for i in test)}
        for train, test in splitter.split(x, y, groups)
    ]


def main():
    kfold = [
        {"n": n, "k": k, "splits": folds(KFold(n_splits=k), n)}
        for n, k in [(2, 2), (5, 2), (10, 3), (11, 4), (7, 7), (23, 5), (100, 10)]
    ]

    stratified = []
    rng = np.random.default_rng(20240601)
    target_sets = [
        ("two classes, balanced", [0, 1] * 6),
        ("first class not smallest label", [2, 2, 0, 1, 2, 0, 1, 1, 2, 0, 0, 2, 1, 2]),
        ("imbalanced three classes", rng.choice([0, 1, 2], size=37, p=[0.6, 0.3, 0.1]).tolist()),
        ("negative and gapped labels", rng.choice([-3, 5, 9], size=25).tolist()),
        ("one class smaller than k", [1] * 9 + [0] * 2),
        ("sorted targets", sorted(rng.choice([0, 1, 2, 3], size=30).tolist())),
    ]
    for name, y in target_sets:
        for k in (2, 3, 5):
            y_array = np.asarray(y)
            counts = np.unique(y_array, return_counts=True)[1]
            if np.all(counts < k):
                continue
            stratified.append(
                {
                    "name": name,
                    "k": k,
                    "targets": [float(v) for v in y],
                    "splits": folds(StratifiedKFold(n_splits=k), len(y), y=y_array),
                }
            )

    grouped = []
    group_sets = [
        ("one row per group", list(range(8))),
        ("ties in group size", [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5]),
        ("unequal groups", [7, 7, 7, 7, 7, 3, 3, 3, 1, 1, 9, 9, 9, 9, 0, 2, 2, 2]),
        ("negative, interleaved labels", rng.choice([-5, -1, 4, 10, 11, 30], size=40).tolist()),
        ("many groups", rng.integers(0, 17, size=120).tolist()),
    ]
    for name, groups in group_sets:
        n_groups = len(set(groups))
        for k in (2, 3, 5):
            if k > n_groups:
                continue
            grouped.append(
                {
                    "name": name,
                    "k": k,
                    "groups": [int(g) for g in groups],
                    "splits": folds(GroupKFold(n_splits=k), len(groups), groups=np.asarray(groups)),
                }
            )

    time_series = []
    for n, k, max_train, test_size, gap in [
        (6, 5, None, None, 0),
        (10, 3, None, None, 0),
        (13, 4, None, None, 0),
        (20, 3, None, None, 2),
        (20, 3, 5, None, 0),
        (20, 3, 5, None, 1),
        (20, 4, None, 2, 0),
        (20, 4, None, 3, 3),
        (25, 2, 4, 6, 2),
        (30, 5, 10, 4, 1),
        (12, 2, 100, None, 0),
    ]:
        splitter = TimeSeriesSplit(n_splits=k, max_train_size=max_train, test_size=test_size, gap=gap)
        time_series.append(
            {
                "n": n,
                "k": k,
                "max_train_size": max_train,
                "test_size": test_size,
                "gap": gap,
                "splits": folds(splitter, n),
            }
        )

    fixtures = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "kfold": kfold,
        "stratified_kfold": stratified,
        "group_kfold": grouped,
        "time_series_split": time_series,
    }
    path = pathlib.Path(__file__).with_name("splitter_fixtures.json")
    path.write_text(json.dumps(fixtures, separators=(",", ":")) + "\n")
    print(f"wrote {path}: {len(kfold)} KFold, {len(stratified)} StratifiedKFold, "
          f"{len(grouped)} GroupKFold, {len(time_series)} TimeSeriesSplit cases")


if __name__ == "__main__":
    main()
