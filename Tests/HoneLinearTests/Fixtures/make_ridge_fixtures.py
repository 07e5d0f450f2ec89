#!/usr/bin/env python3
"""scikit-learn references for HoneLinear's LinearRegression, Ridge and RidgeCV.

Regenerate from this folder with the anchors' virtual environment (scikit-learn 1.9.1):

    /root/.cache/hone-anchors/venv/bin/python make_ridge_fixtures.py [DATASETS_DIR]

DATASETS_DIR defaults to $HONE_DATASETS, then ../shared/datasets relative to the package
root. It writes ridge_fixtures.json next to this script.

Data sets
---------
* Real data, read from the shared datasets folder and never copied here: concrete
  (target compressive_strength) and wine quality red (target quality). The JSON stores
  only the path, the target and the feature names; the Swift tests read the same CSV.
* Synthetic data from numpy's default_rng with fixed seeds, stored in full: a small
  well-posed set, a rank-deficient set whose last column duplicates column 1, and a wide
  set with more features than rows (p > n).

Every data set carries deterministic sample weights, w_i = 0.5 + (i mod 7) / 4, used by
the weighted cases (stored in the JSON so the tests need no formula).

References
----------
* LinearRegression (coef_, intercept_, rank_) with sklearn's defaults. In 1.9 its dense
  path calls scipy.linalg.lstsq(cond=tol) with tol = 1e-6, a relative singular-value
  cutoff; the fixture records it so the test passes the same rcond.
* Ridge with solver "cholesky" and "svd" at several alphas, with and without weights.
* Ridge on StandardScaler(X) (population standard deviation, weighted when weights are
  given), with the coefficients mapped back to the original scale: Hone's
  `standardize: true`.
* RidgeCV (objective at the chosen alpha as well) with scoring=None, gcv_mode=None (auto) and store_cv_results=True: alpha_, the
  refit coef_/intercept_, and the mean of cv_results_ per alpha, which is the leave-one-out
  mean of w_i * e_i^2 (sklearn rescales the LOO residual by sqrt(w_i) and averages over
  the n rows, not over the weights).

Objectives are sum_i w_i (y_i - x_i.w - b)^2 + alpha * ||w||^2 (w_i = 1 unweighted), with
the penalty on the standardised scale for the standardised cases, summed with math.fsum.
"""

import csv
import json
import math
import os
import pathlib
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.preprocessing import StandardScaler

HERE = pathlib.Path(__file__).resolve().parent
OUTPUT = HERE / "ridge_fixtures.json"
PACKAGE_ROOT = HERE.parents[2]

RIDGE_ALPHAS = [0.01, 1.0, 100.0]
DEFAULT_GRID = [0.1, 1.0, 10.0]
WIDE_GRID = [float(a) for a in np.logspace(-3, 3, 13)]


def vec(v):
    return [float(x) for x in np.asarray(v, dtype=np.float64).ravel()]


def rows(a):
    return [vec(r) for r in np.asarray(a, dtype=np.float64)]


def weights_for(n):
    return np.array([0.5 + (i % 7) / 4 for i in range(n)])


def read_csv(path, target):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        data = np.array([[float(v) for v in row] for row in reader if row])
    j = header.index(target)
    features = [h for h in header if h != target]
    x = np.delete(data, j, axis=1)
    return features, x, data[:, j]


def synthetic_sets():
    rng = np.random.default_rng(20240917)
    n, p = 40, 5
    x = rng.standard_normal((n, p)) * np.array([1.0, 3.0, 0.5, 10.0, 2.0]) + np.array([0, 5, -2, 100, 1])
    y = x @ np.array([1.5, -0.4, 2.0, 0.05, 0.0]) + 3 + 0.5 * rng.standard_normal(n)
    small = (x, y)

    n, p = 30, 4
    x = rng.standard_normal((n, p + 1))
    x[:, p] = x[:, 1]  # an exact duplicate: rank p with the intercept removed
    y = x[:, :p] @ np.array([1.0, 2.0, -1.0, 0.5]) - 1 + 0.1 * rng.standard_normal(n)
    duplicated = (x, y)

    n, p = 15, 40
    x = rng.standard_normal((n, p)) + 0.5
    y = x[:, :5] @ np.array([1.0, -2.0, 0.5, 0.0, 3.0]) + 0.3 * rng.standard_normal(n)
    wide = (x, y)
    return {"small": small, "duplicated": duplicated, "wide": wide}


def objective(x, y, w, coef, intercept, alpha, scale=None):
    r = y - x @ coef - intercept
    penalised = coef if scale is None else coef * scale
    return math.fsum(w * r * r) + alpha * math.fsum(penalised * penalised)


def main():
    configured = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HONE_DATASETS")
    datasets_dir = pathlib.Path(configured) if configured else PACKAGE_ROOT / "../shared/datasets"
    datasets_dir = (PACKAGE_ROOT / datasets_dir).resolve() if not datasets_dir.is_absolute() else datasets_dir

    data = {}
    entries = {}
    for name, (relative, target) in {
        "concrete": ("concrete/concrete.csv", "compressive_strength"),
        "wine_red": ("wine_quality/winequality-red.csv", "quality"),
    }.items():
        features, x, y = read_csv(datasets_dir / relative, target)
        data[name] = (x, y)
        entries[name] = {"csv": relative, "target": target, "features": features, "weights": vec(weights_for(len(y)))}
    for name, (x, y) in synthetic_sets().items():
        data[name] = (x, y)
        entries[name] = {"x": rows(x), "y": vec(y), "weights": vec(weights_for(len(y)))}

    ols, ridge, ridgecv = [], [], []
    for name, (x, y) in data.items():
        w_all = weights_for(len(y))
        for weighted in (False, True):
            sw = w_all if weighted else None
            w = w_all if weighted else np.ones(len(y))
            suffix = "weighted" if weighted else "unweighted"

            if name != "wide":
                for fit_intercept in (True, False):
                    m = LinearRegression(fit_intercept=fit_intercept).fit(x, y, sample_weight=sw)
                    ols.append({
                        "name": f"{name} ols {suffix}{'' if fit_intercept else ' no-intercept'}",
                        "dataset": name, "weighted": weighted, "fit_intercept": fit_intercept,
                        "rcond": m.tol, "coef": vec(m.coef_), "intercept": float(m.intercept_),
                        "rank": int(m.rank_),
                        "objective": objective(x, y, w, m.coef_, m.intercept_, 0.0),
                    })

            for solver in ("cholesky", "svd"):
                for alpha in RIDGE_ALPHAS:
                    m = Ridge(alpha=alpha, solver=solver).fit(x, y, sample_weight=sw)
                    ridge.append({
                        "name": f"{name} ridge {solver} alpha={alpha} {suffix}",
                        "dataset": name, "weighted": weighted, "fit_intercept": True, "standardize": False,
                        "solver": solver, "alpha": alpha, "coef": vec(m.coef_), "intercept": float(m.intercept_),
                        "objective": objective(x, y, w, m.coef_, m.intercept_, alpha),
                    })
            if name == "small":
                m = Ridge(alpha=1.0, solver="svd", fit_intercept=False).fit(x, y, sample_weight=sw)
                ridge.append({
                    "name": f"{name} ridge svd alpha=1.0 {suffix} no-intercept",
                    "dataset": name, "weighted": weighted, "fit_intercept": False, "standardize": False,
                    "solver": "svd", "alpha": 1.0, "coef": vec(m.coef_), "intercept": float(m.intercept_),
                    "objective": objective(x, y, w, m.coef_, m.intercept_, 1.0),
                })

            scaler = StandardScaler().fit(x, sample_weight=sw)
            xs = scaler.transform(x)
            for alpha in (1.0, 10.0):
                m = Ridge(alpha=alpha, solver="cholesky").fit(xs, y, sample_weight=sw)
                coef = m.coef_ / scaler.scale_
                intercept = float(m.intercept_ - coef @ scaler.mean_)
                ridge.append({
                    "name": f"{name} ridge standardized alpha={alpha} {suffix}",
                    "dataset": name, "weighted": weighted, "fit_intercept": True, "standardize": True,
                    "solver": "cholesky", "alpha": alpha, "coef": vec(coef), "intercept": intercept,
                    "objective": objective(xs, y, w, m.coef_, m.intercept_, alpha),
                })

            grids = [("default", DEFAULT_GRID), ("wide-grid", WIDE_GRID)]
            for grid_name, grid in grids:
                for standardize in (False, True):
                    design = xs if standardize else x
                    m = RidgeCV(alphas=grid, store_cv_results=True).fit(design, y, sample_weight=sw)
                    scores = m.cv_results_.mean(axis=0)
                    order = np.sort(scores)
                    # A near tie would make the chosen alpha depend on rounding; keep the
                    # fixture unambiguous.
                    assert order[1] - order[0] > 1e-9 * order[0], (name, grid_name, scores)
                    coef, intercept = m.coef_, float(m.intercept_)
                    fit_objective = objective(design, y, w, m.coef_, m.intercept_, float(m.alpha_))
                    if standardize:
                        coef = coef / scaler.scale_
                        intercept = float(m.intercept_ - coef @ scaler.mean_)
                    ridgecv.append({
                        "name": f"{name} ridgecv {grid_name}{' standardized' if standardize else ''} {suffix}",
                        "dataset": name, "weighted": weighted, "fit_intercept": True, "standardize": standardize,
                        "alphas": list(grid), "alpha": float(m.alpha_), "coef": vec(coef), "intercept": intercept,
                        "mse": vec(scores), "objective": fit_objective,
                    })
            if name == "small":
                m = RidgeCV(alphas=WIDE_GRID, fit_intercept=False, store_cv_results=True).fit(x, y, sample_weight=sw)
                ridgecv.append({
                    "name": f"{name} ridgecv wide-grid {suffix} no-intercept",
                    "dataset": name, "weighted": weighted, "fit_intercept": False, "standardize": False,
                    "alphas": WIDE_GRID, "alpha": float(m.alpha_), "coef": vec(m.coef_),
                    "intercept": float(m.intercept_), "mse": vec(m.cv_results_.mean(axis=0)),
                    "objective": objective(x, y, w, m.coef_, m.intercept_, float(m.alpha_)),
                })

    out = {
        "generator": "make_ridge_fixtures.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "datasets": entries,
        "ols": ols,
        "ridge": ridge,
        "ridgecv": ridgecv,
    }
    OUTPUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUTPUT}: {len(ols)} ols, {len(ridge)} ridge, {len(ridgecv)} ridgecv cases")


if __name__ == "__main__":
    main()
