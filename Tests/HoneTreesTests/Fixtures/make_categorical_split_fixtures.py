#!/usr/bin/env python3
"""LightGBM 4.7.0's categorical splits on small synthetic data, for HoneTreesTests'
`CategoricalSplitTests.matchesLightGBM`.

One categorical feature with 20 categories of unequal sizes (one of them seen twice, so
below LightGBM's min_data_in_bin = 3) and no missing values; each case trains LightGBM
with one split (`stump`) and with a few small trees (`trees`), and records the category
set of the stump's split and every category's prediction. Writes
gbdt_categorical_splits.json beside this script. Run with the anchors' venv:

    ~/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/make_categorical_split_fixtures.py
"""
import json
import os

import lightgbm as lgb
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

rng = np.random.default_rng(42)
sizes = [2, 5, 8, 12, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 90, 100]
codes = np.concatenate([np.full(s, c) for c, s in enumerate(sizes)]).astype(float)
rng.shuffle(codes)
effects = rng.normal(0, 1, len(sizes))
noise = rng.normal(0, 0.5, len(codes))
regression_target = effects[codes.astype(int)] + noise
binary_target = (regression_target > 0.2).astype(float)

CASES = [
    {"name": "regression", "objective": "regression", "target": regression_target,
     "params": {"cat_smooth": 10.0, "cat_l2": 10.0, "min_data_per_group": 20, "max_cat_threshold": 32,
                "lambda_l2": 0.0}},
    {"name": "binary_capped", "objective": "binary", "target": binary_target,
     "params": {"cat_smooth": 5.0, "cat_l2": 1.0, "min_data_per_group": 10, "max_cat_threshold": 4,
                "lambda_l2": 1.0}},
]


def train(case, leaves, rounds, learning_rate):
    params = dict(case["params"], objective=case["objective"], num_leaves=leaves, learning_rate=learning_rate,
                  min_data_in_leaf=5, min_sum_hessian_in_leaf=1e-3, max_cat_to_onehot=4, min_data_in_bin=3,
                  max_bin=255, verbose=-1, num_threads=1, deterministic=True, feature_pre_filter=False, seed=0)
    data = lgb.Dataset(codes.reshape(-1, 1), case["target"], categorical_feature=[0])
    return lgb.train(params, data, num_boost_round=rounds)


out = {"lightgbm_version": lgb.__version__, "codes": codes.tolist(), "cases": []}
grid = np.arange(len(sizes) + 2, dtype=float).reshape(-1, 1)  # two codes never seen
for case in CASES:
    stump = train(case, leaves=2, rounds=1, learning_rate=1.0)
    root = stump.dump_model()["tree_info"][0]["tree_structure"]
    assert root["decision_type"] == "==", root
    left_set = sorted(int(v) for v in str(root["threshold"]).split("||"))
    trees = train(case, leaves=4, rounds=5, learning_rate=0.3)
    out["cases"].append({
        "name": case["name"], "objective": case["objective"], "target": case["target"].tolist(),
        "params": case["params"], "stump_left_categories": left_set,
        "stump_raw_predictions": stump.predict(grid, raw_score=True).tolist(),
        "trees_raw_predictions": trees.predict(grid, raw_score=True).tolist(),
    })
with open(os.path.join(HERE, "gbdt_categorical_splits.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
for case in out["cases"]:
    print(case["name"], case["stump_left_categories"])
    print(" stump", np.round(case["stump_raw_predictions"], 4))
    print(" trees", np.round(case["trees_raw_predictions"], 4))
