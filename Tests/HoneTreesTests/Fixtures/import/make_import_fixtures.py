"""Reference models and predictions for HoneTrees' LightGBM / XGBoost model import.

Run from the package root with the anchors venv (lightgbm 4.7.0, xgboost 3.2.0, numpy):

    /root/.cache/hone-anchors/venv/bin/python \
        Tests/HoneTreesTests/Fixtures/import/make_import_fixtures.py

It trains small models on seeded synthetic data (with NaNs, exact zeros, a categorical
column) and on ../shared/datasets/lightgbm/binary_train.csv (or
$HONE_DATASETS/lightgbm/binary_train.csv), saves each model in the library's own format
(LightGBM `save_model` text, XGBoost `save_model(*.json)`) and writes the library's own
`predict` outputs (raw margins and transformed predictions) next to it.

Synthetic test rows are stored (`synthetic_test.json`); the real test file is not copied:
the Swift tests read binary_test.csv from the shared datasets. All floats are written by
Python's `json`, whose `repr` round-trips float64 exactly; NaN is written as `null`.

Besides random rows, the synthetic test set has rows that sit exactly on split thresholds
(and one ulp either side) so the tests can tell `<=` from `<`, and float64 from float32
comparisons: for XGBoost, one float64 ulp below a float32 threshold rounds up to the
threshold in float32 and goes right, where a float64 comparison would go left.
"""

import json
import os
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import xgboost as xgb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
FEATURES = 8
CATEGORICAL = 7  # column index of the integer-coded categorical feature (LightGBM binary model)


def datasets_dir() -> Path:
    configured = os.environ.get("HONE_DATASETS")
    if configured:
        return (ROOT / configured).resolve()
    return (ROOT / "../shared/datasets").resolve()


def synthetic(rng: np.random.Generator, n: int):
    x = rng.normal(size=(n, FEATURES))
    x[:, 2] = np.round(x[:, 2], 1)  # many ties and exact zeros
    x[:, 3] = np.where(rng.random(n) < 0.3, 0.0, x[:, 3])  # exact zeros for zero_as_missing
    x[:, CATEGORICAL] = rng.integers(0, 12, size=n).astype(float)
    for column, rate in [(0, 0.1), (1, 0.05), (3, 0.1), (5, 0.2)]:
        x[rng.random(n) < rate, column] = np.nan
    signal = (
        np.nan_to_num(x[:, 0], nan=0.5) * 1.5
        - np.nan_to_num(x[:, 1], nan=-1.0) ** 2 * 0.5
        + x[:, 2]
        + np.where(np.isnan(x[:, 3]), 1.0, x[:, 3] * 0.8)
        + np.sin(x[:, 4] * 2)
        + np.isin(x[:, CATEGORICAL], [1, 4, 7, 9]) * 1.2
    )
    noise = rng.normal(scale=0.3, size=n)
    y_reg = signal + noise
    y_bin = (signal + noise > np.median(signal)).astype(float)
    y_multi = np.digitize(signal + noise, np.quantile(signal, [1 / 3, 2 / 3])).astype(float)
    return x, y_reg, y_bin, y_multi


def edge_rows(x_test: np.ndarray) -> np.ndarray:
    """All-NaN, all-zero, tiny-magnitude, negative-zero and out-of-range categorical rows."""
    base = x_test[0].copy()
    rows = [np.full(FEATURES, np.nan), np.zeros(FEATURES)]
    tiny = base.copy()
    tiny[:7] = [1e-40, -1e-40, 1e-36, -1e-36, 1e-34, -1e-34, 1e-300]
    rows.append(tiny)
    negzero = base.copy()
    negzero[:7] = -0.0
    rows.append(negzero)
    for cat in [-1.0, 11.0, 12.0, 40.0, 1e10, 2.5, np.nan]:
        row = base.copy()
        row[CATEGORICAL] = cat
        rows.append(row)
    return np.array(rows)


def lightgbm_threshold_rows(boosters, x_test):
    """Rows that sit on a LightGBM threshold and one float64 ulp either side of it."""
    rows = []
    for booster in boosters:
        frame = booster.trees_to_dataframe()
        splits = frame[frame["decision_type"] == "<="].head(12)
        for _, split in splits.iterrows():
            feature = int(split["split_feature"].replace("Column_", ""))
            threshold = float(split["threshold"])
            for value in [threshold, np.nextafter(threshold, -np.inf), np.nextafter(threshold, np.inf)]:
                row = x_test[len(rows) % len(x_test)].copy()
                row[feature] = value
                rows.append(row)
    return rows


def xgboost_threshold_rows(boosters, x_test):
    """Rows on a float32 XGBoost threshold, and float64 values that round to it."""
    rows = []
    for booster in boosters:
        tree = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]["model"]["trees"][0]
        for node, (left, feature) in enumerate(zip(tree["left_children"], tree["split_indices"])):
            if left == -1:
                continue
            threshold = float(np.float32(tree["split_conditions"][node]))
            below32 = float(np.nextafter(np.float32(threshold), np.float32(-np.inf)))
            for value in [threshold, np.nextafter(threshold, -np.inf), np.nextafter(threshold, np.inf), below32]:
                row = x_test[len(rows) % len(x_test)].copy()
                row[feature] = value
                rows.append(row)
    return rows


def json_matrix(matrix) -> list:
    return [[None if np.isnan(v) else float(v) for v in row] for row in np.asarray(matrix, dtype=np.float64)]


def write_json(name: str, payload) -> None:
    with open(HERE / name, "w") as handle:
        json.dump(payload, handle, separators=(",", ":"), allow_nan=False)
        handle.write("\n")


def as_columns(values) -> list:
    """Predictions as rows of per-class values (one column for single-output models)."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    return json_matrix(values)


def main() -> None:
    rng = np.random.default_rng(20240611)
    x_train, y_reg, y_bin, y_multi = synthetic(rng, 3000)
    x_test, *_ = synthetic(rng, 200)

    common = dict(
        n_estimators=30, learning_rate=0.1, num_leaves=31, min_child_samples=10, deterministic=True,
        force_row_wise=True, num_threads=1, verbose=-1, random_state=7)
    lgb_models = {
        "lightgbm_regression": lgb.LGBMRegressor(**common).fit(x_train, y_reg),
        "lightgbm_regression_zero_as_missing": lgb.LGBMRegressor(
            **common, zero_as_missing=True).fit(x_train, y_reg),
        "lightgbm_regression_no_missing": lgb.LGBMRegressor(**common, use_missing=False).fit(x_train, y_reg),
        "lightgbm_binary_categorical": lgb.LGBMClassifier(
            **{**common, "num_leaves": 15}, sigmoid=0.7, cat_smooth=1, min_data_per_group=5).fit(
                x_train, y_bin, categorical_feature=[CATEGORICAL]),
        "lightgbm_multiclass": lgb.LGBMClassifier(**{**common, "n_estimators": 12, "num_leaves": 15}).fit(
            x_train, y_multi),
        "lightgbm_rf_binary": lgb.LGBMClassifier(
            **{**common, "n_estimators": 15, "num_leaves": 15}, boosting_type="rf", subsample=0.7,
            subsample_freq=1).fit(x_train, y_bin),
    }
    xgb_common = dict(
        n_estimators=30, learning_rate=0.1, max_depth=0, max_leaves=31, grow_policy="lossguide",
        tree_method="hist", n_jobs=1, random_state=7)
    xgb_models = {
        "xgboost_regression": xgb.XGBRegressor(**xgb_common, objective="reg:squarederror").fit(x_train, y_reg),
        "xgboost_binary": xgb.XGBClassifier(
            **{**xgb_common, "max_leaves": 15}, objective="binary:logistic").fit(x_train, y_bin),
        "xgboost_multiclass": xgb.XGBClassifier(
            **{**xgb_common, "n_estimators": 12, "max_leaves": 15}, objective="multi:softprob").fit(
                x_train, y_multi),
    }

    x_all = np.vstack([
        x_test, edge_rows(x_test),
        np.array(lightgbm_threshold_rows([m.booster_ for m in lgb_models.values()], x_test)),
        np.array(xgboost_threshold_rows([m.get_booster() for m in xgb_models.values()], x_test)),
    ])
    write_json("synthetic_test.json", {"features": FEATURES, "rows": json_matrix(x_all)})

    manifest = []
    for name, model in lgb_models.items():
        booster = model.booster_
        booster.save_model(str(HERE / f"{name}.txt"))
        # Predict with a Booster reloaded from the saved text: the file is what Swift reads.
        loaded = lgb.Booster(model_file=str(HERE / f"{name}.txt"))
        write_json(f"{name}.predictions.json", {
            "raw": as_columns(loaded.predict(x_all, raw_score=True)),
            "transformed": as_columns(loaded.predict(x_all)),
        })
        manifest.append({"name": name, "library": "lightgbm", "model": f"{name}.txt", "data": "synthetic"})
    for name, model in xgb_models.items():
        model.get_booster().save_model(str(HERE / f"{name}.json"))
        loaded = xgb.Booster(model_file=str(HERE / f"{name}.json"))
        matrix = xgb.DMatrix(x_all, missing=np.nan)
        write_json(f"{name}.predictions.json", {
            "raw": as_columns(loaded.predict(matrix, output_margin=True)),
            "transformed": as_columns(loaded.predict(matrix)),
        })
        manifest.append({"name": name, "library": "xgboost", "model": f"{name}.json", "data": "synthetic"})

    shared = datasets_dir() / "lightgbm"
    if not (shared / "binary_train.csv").exists():
        sys.exit(f"missing {shared / 'binary_train.csv'}: set HONE_DATASETS")
    train = np.loadtxt(shared / "binary_train.csv", delimiter=",", skiprows=1)
    test = np.loadtxt(shared / "binary_test.csv", delimiter=",", skiprows=1)
    real_lgb = lgb.LGBMClassifier(**{**common, "n_estimators": 25}).fit(train[:, 1:], train[:, 0])
    real_xgb = xgb.XGBClassifier(**{**xgb_common, "n_estimators": 25}, objective="binary:logistic").fit(
        train[:, 1:], train[:, 0])
    real_lgb.booster_.save_model(str(HERE / "lightgbm_binary_real.txt"))
    real_xgb.get_booster().save_model(str(HERE / "xgboost_binary_real.json"))
    loaded_lgb = lgb.Booster(model_file=str(HERE / "lightgbm_binary_real.txt"))
    write_json("lightgbm_binary_real.predictions.json", {
        "raw": as_columns(loaded_lgb.predict(test[:, 1:], raw_score=True)),
        "transformed": as_columns(loaded_lgb.predict(test[:, 1:])),
    })
    loaded_xgb = xgb.Booster(model_file=str(HERE / "xgboost_binary_real.json"))
    matrix = xgb.DMatrix(test[:, 1:], missing=np.nan)
    write_json("xgboost_binary_real.predictions.json", {
        "raw": as_columns(loaded_xgb.predict(matrix, output_margin=True)),
        "transformed": as_columns(loaded_xgb.predict(matrix)),
    })
    manifest += [
        {"name": "lightgbm_binary_real", "library": "lightgbm", "model": "lightgbm_binary_real.txt",
         "data": "lightgbm/binary_test.csv"},
        {"name": "xgboost_binary_real", "library": "xgboost", "model": "xgboost_binary_real.json",
         "data": "lightgbm/binary_test.csv"},
    ]
    write_json("manifest.json", {
        "lightgbm": lgb.__version__, "xgboost": xgb.__version__, "numpy": np.__version__, "models": manifest})


if __name__ == "__main__":
    main()
