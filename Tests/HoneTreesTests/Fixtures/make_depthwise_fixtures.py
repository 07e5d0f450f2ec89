#!/usr/bin/env python3
"""Reference trees for DepthWiseGrowthTests: XGBoost's depth-wise hist trees on data
whose features take few integer values, so every value has its own bin in both
libraries and their splits can agree exactly.

Settings matched to Hone: squared error, eta 0.3, lambda (l2) 1, min_child_weight 1
(with unit hessians: at least one row per leaf), max_depth 3, grow_policy depthwise,
no leaf budget, 8 rounds, one thread. XGBoost's starting score for squared error is the
mean target, as Hone's. Writes gbdt_depthwise.json beside this script:

    ~/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/make_depthwise_fixtures.py
"""
import json
import os

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
n, p = 300, 4
x = rng.integers(0, 12, size=(n, p)).astype(float)
y = np.sin(x[:, 0] / 2) * 3 + (x[:, 1] > 5) * 2 - 0.1 * x[:, 2] * x[:, 3] + rng.normal(0, 0.5, n)
params = {"objective": "reg:squarederror", "tree_method": "hist", "grow_policy": "depthwise",
          "max_depth": 3, "max_leaves": 0, "eta": 0.3, "lambda": 1.0, "alpha": 0.0,
          "min_child_weight": 1.0, "gamma": 0.0, "max_bin": 256, "nthread": 1, "seed": 0}
rounds = 8
booster = xgb.train(params, xgb.DMatrix(x, y), num_boost_round=rounds)
dump = [json.loads(t) for t in booster.get_dump(dump_format="json")]


def leaves(node):
    return 1 if "leaf" in node else sum(leaves(c) for c in node["children"])


def depth(node):
    return 0 if "leaf" in node else 1 + max(depth(c) for c in node["children"])


out = {
    "xgboost_version": xgb.__version__,
    "params": params,
    "rounds": rounds,
    "features": x.tolist(),
    "target": y.tolist(),
    "base_score": float(json.loads(booster.save_config())["learner"]["learner_model_param"]["base_score"].strip("[]")),
    "predictions": booster.predict(xgb.DMatrix(x), output_margin=True).astype(float).tolist(),
    "leaves_per_tree": [leaves(t) for t in dump],
    "depth_per_tree": [depth(t) for t in dump],
}
with open(os.path.join(HERE, "gbdt_depthwise.json"), "w") as f:
    json.dump(out, f, sort_keys=True)
    f.write("\n")
print({k: out[k] for k in ["xgboost_version", "base_score", "leaves_per_tree", "depth_per_tree"]}, np.mean(y))
