#!/usr/bin/env python3
"""References for TransformerTests.swift, computed by scikit-learn 1.9.1.

Run from the repository root with the anchors' venv:
    ~/.cache/hone-anchors/venv/bin/python Tests/HonePipelineTests/Fixtures/make_transformer_fixtures.py
The inputs are written into the JSON too, so the Swift tests build the same table.
"""
import json
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import (MinMaxScaler, OneHotEncoder, OrdinalEncoder, RobustScaler, StandardScaler,
                                   TargetEncoder)

rng = np.random.default_rng(20261126)
n = 23
a = np.round(rng.normal(3.0, 2.0, n), 6)
a[[2, 9, 17]] = np.nan
b = rng.integers(-5, 40, n).astype(float)
c = rng.choice(["red", "green", "blue", "Zeta", "amber"], n, p=[0.3, 0.25, 0.2, 0.15, 0.1]).astype(object)
c[[4, 11]] = None
d = rng.choice(["x", "y"], n).astype(object)
y = np.round(1.5 * b / 10 + rng.normal(0, 1, n) + np.where(c == "red", 2.0, 0.0), 6)
new_c = np.array(["red", "violet", None, "blue"], dtype=object)   # an unseen category and a missing value


def nan_to_none(values):
    return [None if (isinstance(v, float) and np.isnan(v)) else v for v in np.asarray(values).tolist()]


out = {"sklearn": sklearn.__version__, "inputs": {"a": nan_to_none(a), "b": b.tolist(), "c": list(c), "d": list(d),
                                                  "y": y.tolist(), "new_c": list(new_c)}}
X = np.column_stack([a, b])
out["standard"] = nan_to_none(StandardScaler().fit_transform(X).ravel(order="F"))
out["minmax"] = nan_to_none(MinMaxScaler(feature_range=(-1, 2)).fit_transform(X).ravel(order="F"))
out["robust"] = nan_to_none(RobustScaler(quantile_range=(10, 80)).fit_transform(X).ravel(order="F"))
for strategy in ["mean", "median", "most_frequent"]:
    out[f"impute_{strategy}"] = SimpleImputer(strategy=strategy).fit_transform(a.reshape(-1, 1)).ravel().tolist()
out["impute_constant_indicator"] = SimpleImputer(strategy="constant", fill_value=-7.5, add_indicator=True) \
    .fit_transform(a.reshape(-1, 1)).ravel(order="F").tolist()
C = np.column_stack([np.where(c == None, np.nan, c).astype(object), d])  # noqa: E711  sklearn wants NaN for missing
C[[4, 11], 0] = np.nan
enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(C)
out["onehot_categories"] = [[("nan" if isinstance(v, float) else v) for v in cats] for cats in enc.categories_]
out["onehot"] = enc.transform(C).ravel(order="F").tolist()
newC = np.column_stack([np.array(["red", "violet", np.nan, "blue"], dtype=object), np.array(["x", "y", "y", "x"], dtype=object)])
out["onehot_new"] = enc.transform(newC).ravel(order="F").tolist()
out["onehot_drop_if_binary"] = OneHotEncoder(drop="if_binary", sparse_output=False).fit_transform(C).ravel(order="F").tolist()
Cc = np.column_stack([np.where(c == None, "MISSING_PLACEHOLDER", c).astype(object)])  # noqa: E711
ordinal = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=np.nan)
Co = C[:, :1].copy()
ordinal.fit(Co)
out["ordinal"] = nan_to_none(ordinal.transform(Co).ravel())
out["ordinal_new"] = nan_to_none(ordinal.transform(newC[:, :1]).ravel())
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for name, smooth in [("auto", "auto"), ("value", 3.0)]:
        te = TargetEncoder(smooth=smooth, cv=5, shuffle=False, target_type="continuous")
        oof = te.fit_transform(C[:, :1], y)
        out[f"target_{name}_oof"] = oof.ravel().tolist()
        out[f"target_{name}_full"] = te.transform(C[:, :1]).ravel().tolist()
        out[f"target_{name}_new"] = te.transform(newC[:, :1]).ravel().tolist()
        out[f"target_{name}_mean"] = float(te.target_mean_)

Path(__file__).with_name("transformer_fixtures.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote transformer_fixtures.json")
