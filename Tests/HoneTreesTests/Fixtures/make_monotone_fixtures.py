#!/usr/bin/env python3
"""LightGBM 4.7.0 with a monotone constraint (`monotone_constraints_method=basic`), for
HoneTreesTests' `MonotoneConstraintTests.matchesLightGBM`.

y = sin(3x) + x + 0.5·z + noise on 2,000 rows, where x takes 64 evenly spaced values in
[−2, 2] and z the integers 0…15, so that every distinct value has its own bin in both
libraries and the two grow trees on identical histograms. Records LightGBM's raw
predictions on every x value for z = 3 and z = 11, with and without the constraint.
Writes gbdt_monotone.json beside this script. Run with the anchors' venv:

    ~/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/make_monotone_fixtures.py
"""
import json
import os

import lightgbm as lgb
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
n = 2000
grid = -2 + 4 * np.arange(64) / 63
x = grid[rng.integers(0, 64, n)]
z = rng.integers(0, 16, n).astype(float)
y = np.sin(3 * x) + x + 0.5 * z / 8 + rng.normal(0, 0.3, n)
features = np.column_stack([x, z])

SETTINGS = {"num_leaves": 8, "learning_rate": 0.3, "rounds": 20, "min_data_in_leaf": 20, "lambda_l2": 1.0,
            "min_sum_hessian_in_leaf": 1e-3}


def train(constraints):
    params = {"objective": "regression", "num_leaves": SETTINGS["num_leaves"],
              "learning_rate": SETTINGS["learning_rate"], "min_data_in_leaf": SETTINGS["min_data_in_leaf"],
              "lambda_l2": SETTINGS["lambda_l2"], "min_sum_hessian_in_leaf": SETTINGS["min_sum_hessian_in_leaf"],
              "max_bin": 255, "min_data_in_bin": 3, "verbose": -1, "num_threads": 1, "deterministic": True,
              "seed": 0}
    if constraints:
        params.update(monotone_constraints=constraints, monotone_constraints_method="basic", monotone_penalty=0.0)
    return lgb.train(params, lgb.Dataset(features, y), num_boost_round=SETTINGS["rounds"])


out = {"lightgbm_version": lgb.__version__, "settings": SETTINGS, "x": x.tolist(), "z": z.tolist(),
       "y": y.tolist(), "grid": grid.tolist(), "probe_z": [3.0, 11.0], "cases": []}
for constraints in ([1, 0], []):
    model = train(constraints)
    curves = [model.predict(np.column_stack([grid, np.full(64, v)]), raw_score=True).tolist() for v in out["probe_z"]]
    out["cases"].append({"monotone_constraints": constraints, "raw_predictions": curves})
    print(constraints, [bool(np.all(np.diff(c) >= 0)) for c in curves])
with open(os.path.join(HERE, "gbdt_monotone.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
