#!/usr/bin/env python3
"""Reference numbers for HoneTreesTests' real-data categorical and regression checks:
LightGBM 4.7.0 with native categorical splits on UCI Adult, and LightGBM regression on
UCI Wine Quality (white), with settings matched to Hone's gradient boosting.

Reads $HONE_DATASETS/adult/adult_{train,test}.csv and
$HONE_DATASETS/wine_quality/winequality-white.csv (HONE_DATASETS defaults to
../shared/datasets relative to the package root). Writes gbdt_categorical.json beside
this script. Run with the anchors' venv:

    ~/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/make_categorical_fixtures.py

Adult: categorical columns are coded 0, 1, ... in order of first appearance in the
training file (as Hone's CSV reader codes them), empty cells are missing (NaN); the test
file's categories are mapped through the training codes, categories the training file
never had become NaN. The target is `>50K` (1) against `<=50K` (0).

Wine: `quality` regressed on the 11 measurements (squared error); every fifth row
(index % 5 == 4) is the test set, the rest the training set.

For each metric the script also writes a bootstrap standard error over the test rows
(1,000 resamples, seed 0): the spread the test-set sample alone puts on the metric, which
is the scale on which two implementations "agree within noise".
"""
import json
import os

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import log_loss, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
BASE = os.path.join(ROOT, os.environ.get("HONE_DATASETS", "../shared/datasets"))

COMMON = {"learning_rate": 0.1, "num_leaves": 31, "min_data_in_leaf": 20, "min_sum_hessian_in_leaf": 1e-3,
          "lambda_l2": 1.0, "max_bin": 255, "max_cat_threshold": 32, "cat_smooth": 10.0, "cat_l2": 10.0,
          "min_data_per_group": 100, "max_cat_to_onehot": 4, "min_data_in_bin": 3}
ROUNDS = 100


def lgb_params(objective):
    return dict(COMMON, objective=objective, verbose=-1, seed=0, num_threads=1, deterministic=True,
                feature_pre_filter=False)


def bootstrap_se(metric, *arrays, resamples=1000):
    rng = np.random.default_rng(0)
    n = len(arrays[0])
    values = []
    for _ in range(resamples):
        idx = rng.integers(0, n, n)
        values.append(metric(*(a[idx] for a in arrays)))
    return float(np.std(values, ddof=1))


def adult():
    train = pd.read_csv(os.path.join(BASE, "adult", "adult_train.csv"), skipinitialspace=False)
    test = pd.read_csv(os.path.join(BASE, "adult", "adult_test.csv"), skipinitialspace=False)
    target = "income"
    features = [c for c in train.columns if c != target]
    categorical = [c for c in features if not pd.api.types.is_numeric_dtype(train[c])]
    xtr = pd.DataFrame(index=train.index)
    xte = pd.DataFrame(index=test.index)
    for c in features:
        if c in categorical:
            codes, uniques = pd.factorize(train[c], sort=False)
            lookup = {u: i for i, u in enumerate(uniques)}
            xtr[c] = np.where(codes < 0, np.nan, codes).astype(float)
            xte[c] = test[c].map(lambda v: lookup.get(v, np.nan) if isinstance(v, str) else np.nan).astype(float)
        else:
            xtr[c] = train[c].astype(float)
            xte[c] = test[c].astype(float)
    ytr = (train[target] == ">50K").astype(float).to_numpy()
    yte = (test[target] == ">50K").astype(float).to_numpy()
    cat_index = [features.index(c) for c in categorical]
    data = lgb.Dataset(xtr.to_numpy(), ytr, categorical_feature=cat_index, free_raw_data=False)
    booster = lgb.train(lgb_params("binary"), data, num_boost_round=ROUNDS)
    p = booster.predict(xte.to_numpy())
    accuracy = lambda y, q: float(np.mean((q > 0.5) == (y == 1)))
    auc = lambda y, q: float(roc_auc_score(y, q))
    # The same model without native categoricals (codes as ordered numbers), to show the
    # native splits matter on this data.
    ordinal = lgb.train(lgb_params("binary"), lgb.Dataset(xtr.to_numpy(), ytr, categorical_feature=[]),
                        num_boost_round=ROUNDS)
    p_ord = ordinal.predict(xte.to_numpy())
    return {
        "categorical_features": categorical,
        "train_rows": len(ytr), "test_rows": len(yte),
        "test_auc": auc(yte, p), "test_accuracy": accuracy(yte, p), "test_logloss": float(log_loss(yte, p)),
        "test_auc_se": bootstrap_se(auc, yte, p), "test_accuracy_se": bootstrap_se(accuracy, yte, p),
        "ordinal_codes_test_auc": auc(yte, p_ord),
        "first_test_probabilities": [float(v) for v in p[:5]],
    }


def wine():
    frame = pd.read_csv(os.path.join(BASE, "wine_quality", "winequality-white.csv"))
    target = "quality"
    features = [c for c in frame.columns if c != target]
    test_mask = (np.arange(len(frame)) % 5) == 4
    x = frame[features].to_numpy(dtype=float)
    y = frame[target].to_numpy(dtype=float)
    booster = lgb.train(lgb_params("regression"), lgb.Dataset(x[~test_mask], y[~test_mask]), num_boost_round=ROUNDS)
    p = booster.predict(x[test_mask])
    rmse = lambda t, q: float(np.sqrt(np.mean((t - q) ** 2)))
    yte = y[test_mask]
    return {"train_rows": int((~test_mask).sum()), "test_rows": int(test_mask.sum()), "test_rmse": rmse(yte, p),
            "test_rmse_se": bootstrap_se(rmse, yte, p),
            "constant_test_rmse": rmse(yte, np.full_like(yte, y[~test_mask].mean()))}


out = {"lightgbm_version": lgb.__version__, "settings": dict(COMMON, rounds=ROUNDS), "adult": adult(),
       "wine_white_regression": wine()}
with open(os.path.join(HERE, "gbdt_categorical.json"), "w") as f:
    json.dump(out, f, indent=2, sort_keys=True)
    f.write("\n")
print(json.dumps(out, indent=2, sort_keys=True))
