#!/usr/bin/env python3
"""LightGBM 4.7.0 with the objectives whose leaves it refits to a residual quantile
(`regression_l1`, `quantile`), for HoneTreesTests' `LeafRefitTests`.

y = sin(3x) + x + z/16 + Student-t noise on 2,000 rows, where x takes 64 evenly spaced
values in [−2, 2] and z the integers 0…15, so that every value has its own bin in both
libraries and the two grow trees on identical histograms. Targets are rounded to float32,
LightGBM's label type, so both libraries see the same numbers. Records the raw predictions
on every (x, z) pair of a probe grid for each objective. Writes gbdt_leaf_refit.json beside
this script. Run with the anchors' venv:

    ~/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/make_leaf_refit_fixtures.py
"""
import json
import os

import lightgbm as lgb
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(11)
n = 2000
grid = -2 + 4 * np.arange(64) / 63
x = grid[rng.integers(0, 64, n)]
z = rng.integers(0, 16, n).astype(float)
y = (np.sin(3 * x) + x + z / 16 + 0.3 * rng.standard_t(3, n)).astype(np.float32).astype(float)
features = np.column_stack([x, z])

SETTINGS = {"num_leaves": 8, "learning_rate": 0.3, "rounds": 20, "min_data_in_leaf": 20, "lambda_l2": 1.0,
            "min_sum_hessian_in_leaf": 1e-3}
CASES = [("regression_l1", None), ("quantile", 0.9), ("quantile", 0.25)]
probe = np.array([[gx, gz] for gz in (2.0, 9.0, 14.0) for gx in grid])

out = {"lightgbm_version": lgb.__version__, "settings": SETTINGS, "x": x.tolist(), "z": z.tolist(),
       "y": y.tolist(), "probe": probe.tolist(), "cases": []}
for objective, alpha in CASES:
    params = {"objective": objective, "num_leaves": SETTINGS["num_leaves"],
              "learning_rate": SETTINGS["learning_rate"], "min_data_in_leaf": SETTINGS["min_data_in_leaf"],
              "lambda_l2": SETTINGS["lambda_l2"], "min_sum_hessian_in_leaf": SETTINGS["min_sum_hessian_in_leaf"],
              "max_bin": 255, "min_data_in_bin": 3, "verbose": -1, "num_threads": 1, "deterministic": True,
              "seed": 0}
    if alpha is not None:
        params["alpha"] = alpha
    model = lgb.train(params, lgb.Dataset(features, y), num_boost_round=SETTINGS["rounds"])
    raw = model.predict(probe, raw_score=True)
    first = lgb.train(params, lgb.Dataset(features, y), num_boost_round=1)
    out["cases"].append({"objective": objective, "alpha": alpha, "raw_predictions": raw.tolist(),
                         "first_round_predictions": first.predict(probe, raw_score=True).tolist()})
    print(objective, alpha, raw[:3])
with open(os.path.join(HERE, "gbdt_leaf_refit.json"), "w") as f:
    json.dump(out, f)
    f.write("\n")
