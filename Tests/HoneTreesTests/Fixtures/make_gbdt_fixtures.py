#!/usr/bin/env python3
"""Reference numbers for HoneTreesTests: LightGBM (and XGBoost) on LightGBM's own binary
example data, with settings matched to Hone's GradientBoostingClassifier.

Reads $HONE_DATASETS/lightgbm/binary_{train,test}.csv (default ../shared/datasets relative
to the package root); first column `label`, 28 features. Writes gbdt_binary.json beside
this script. Run with the anchors' venv (lightgbm 4.7.0, xgboost 3.2.0):

    /root/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/make_gbdt_fixtures.py
"""
import json
import os

import lightgbm as lgb
import numpy as np
import xgboost as xgb
from sklearn.metrics import log_loss, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
BASE = os.path.join(ROOT, os.environ.get("HONE_DATASETS", "../shared/datasets"))

SETTINGS = {"rounds": 100, "learning_rate": 0.1, "num_leaves": 31, "min_data_in_leaf": 20,
            "lambda_l2": 1.0, "max_bin": 255, "min_sum_hessian_in_leaf": 1e-3}


def load(name):
    data = np.loadtxt(os.path.join(BASE, "lightgbm", name), delimiter=",", skiprows=1)
    return data[:, 1:], data[:, 0]


xtr, ytr = load("binary_train.csv")
xte, yte = load("binary_test.csv")
s = SETTINGS
params = {"objective": "binary", "learning_rate": s["learning_rate"], "num_leaves": s["num_leaves"],
          "min_data_in_leaf": s["min_data_in_leaf"], "lambda_l2": s["lambda_l2"], "max_bin": s["max_bin"],
          "min_sum_hessian_in_leaf": s["min_sum_hessian_in_leaf"], "verbose": -1, "seed": 0,
          "num_threads": 1, "deterministic": True}
booster = lgb.train(params, lgb.Dataset(xtr, ytr), num_boost_round=s["rounds"])
p_lgb = booster.predict(xte)
xparams = {"objective": "binary:logistic", "tree_method": "hist", "grow_policy": "lossguide",
           "max_leaves": s["num_leaves"], "max_depth": 0, "eta": s["learning_rate"], "max_bin": s["max_bin"],
           "min_child_weight": s["min_sum_hessian_in_leaf"], "lambda": s["lambda_l2"], "nthread": 1, "seed": 0}
xmodel = xgb.train(xparams, xgb.DMatrix(xtr, ytr), num_boost_round=s["rounds"])
p_xgb = xmodel.predict(xgb.DMatrix(xte))
out = {
    "settings": s,
    "lightgbm_version": lgb.__version__,
    "xgboost_version": xgb.__version__,
    "lightgbm": {"test_auc": roc_auc_score(yte, p_lgb), "test_logloss": log_loss(yte, p_lgb),
                 "test_accuracy": float(np.mean((p_lgb > 0.5) == yte))},
    "xgboost": {"test_auc": roc_auc_score(yte, p_xgb), "test_logloss": log_loss(yte, p_xgb),
                "test_accuracy": float(np.mean((p_xgb > 0.5) == yte))},
}
with open(os.path.join(HERE, "gbdt_binary.json"), "w") as f:
    json.dump(out, f, indent=2, sort_keys=True)
    f.write("\n")
print(json.dumps(out, indent=2))
