#!/usr/bin/env python3
"""LightGBM's own parameter alias table (from the library, `LGBM_DumpParamAliases`) for the
parameters Hone maps, written to lightgbm_aliases.json: primary name -> every accepted name.

    ~/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/evaluation/make_lightgbm_aliases.py
"""
import json
import os

import lightgbm as lgb
from lightgbm.basic import _ConfigAliases

PRIMARIES = ["num_iterations", "learning_rate", "num_leaves", "max_depth", "min_data_in_leaf",
             "min_sum_hessian_in_leaf", "lambda_l1", "lambda_l2", "min_gain_to_split", "bagging_fraction",
             "bagging_freq", "feature_fraction", "max_bin", "seed", "num_threads", "early_stopping_round",
             "first_metric_only", "metric", "objective", "alpha", "categorical_feature", "max_cat_threshold",
             "cat_smooth", "cat_l2", "min_data_per_group", "max_cat_to_onehot", "monotone_constraints"]
aliases = _ConfigAliases._get_all_param_aliases()
out = {"lightgbm_version": lgb.__version__, "aliases": {p: sorted(aliases[p]) for p in PRIMARIES}}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "lightgbm_aliases.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
