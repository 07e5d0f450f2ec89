"""Reference fits for Hone's Lasso and ElasticNet, computed by scikit-learn.

Run with the anchors' venv (scikit-learn 1.9.1, NumPy):

    /root/.cache/hone-anchors/venv/bin/python make_enet_fixtures.py [DATASETS_DIR]

DATASETS_DIR defaults to $HONE_DATASETS or ../shared/datasets relative to the package
root. The real datasets (concrete, red wine) are read from there and are NOT copied into
the repository: the Swift tests read the same CSV files. Only the small synthetic
problems are stored whole in enet_fixtures.json.

Every fit uses tol=1e-12 and max_iter=100000 so that scikit-learn's answer is converged
far below the tolerances the Swift tests use. sklearn normalises sample weights to sum to
n_samples; the objective stored here is the weight-scale-free form

    1/(2 Σw) Σ wᵢ (yᵢ − xᵢβ − b)² + alpha·l1_ratio·‖β‖₁ + ½·alpha·(1 − l1_ratio)·‖β‖²

evaluated at sklearn's coefficients (on the standardised scale for `standardize` cases).
Weighted cases use wᵢ = 1 + (i mod 4) for row i (0-based), a rule the Swift test repeats.
"""

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import ElasticNet, enet_path

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TOL = 1e-12
MAX_ITER = 100_000


def datasets_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    configured = os.environ.get("HONE_DATASETS")
    if configured:
        return os.path.join(PACKAGE_ROOT, configured)
    return os.path.join(PACKAGE_ROOT, "..", "shared", "datasets")


def load_real():
    root = datasets_dir()
    concrete = pd.read_csv(os.path.join(root, "concrete", "concrete.csv"))
    wine = pd.read_csv(os.path.join(root, "wine_quality", "winequality-red.csv"))
    return {
        "concrete": (concrete.drop(columns="compressive_strength").to_numpy(float),
                     concrete["compressive_strength"].to_numpy(float)),
        "wine_red": (wine.drop(columns="quality").to_numpy(float), wine["quality"].to_numpy(float)),
    }


def synthetic(n, p, seed):
    """Correlated Gaussian features, a sparse true β and Gaussian noise."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n, 1))
    X = 0.6 * latent + rng.standard_normal((n, p)) * np.linspace(0.5, 3, p)
    beta = np.zeros(p)
    beta[: max(1, p // 4)] = rng.choice([-3.0, -1.5, 2.0, 4.0], size=max(1, p // 4))
    y = X @ beta + 5.0 + 0.5 * rng.standard_normal(n)
    return X, y


def weights_rule(n):
    return 1.0 + (np.arange(n) % 4)


def alpha_max(X, y, w, l1_ratio, fit_intercept, positive=False):
    """sklearn's `_alpha_grid` formula: max |X̃ᵀ W ỹ| / (Σw · l1_ratio)."""
    w = np.ones(len(y)) if w is None else w
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=w)
        y = y - np.average(y, weights=w)
    xy = X.T @ (w * y)
    top = max(0.0, xy.max()) if positive else np.abs(xy).max()
    return top / (w.sum() * l1_ratio)


def objective(X, y, w, coef, intercept, alpha, l1_ratio):
    w = np.ones(len(y)) if w is None else w
    r = y - X @ coef - intercept
    return (0.5 * np.sum(w * r * r) / w.sum() + alpha * l1_ratio * np.abs(coef).sum()
            + 0.5 * alpha * (1 - l1_ratio) * coef @ coef)


def fit_case(data, case):
    X, y = data[case["dataset"]]
    w = weights_rule(len(y)) if case["weighted"] else None
    scale = np.ones(X.shape[1])
    if case["standardize"]:
        ww = np.ones(len(y)) if w is None else w
        mean = np.average(X, axis=0, weights=ww)
        scale = np.sqrt(np.average((X - mean) ** 2, axis=0, weights=ww))
        scale[scale == 0] = 1
    Xs = X / scale
    model = ElasticNet(alpha=case["alpha"], l1_ratio=case["l1_ratio"], fit_intercept=case["fit_intercept"],
                       positive=case["positive"], tol=TOL, max_iter=MAX_ITER)
    with warnings.catch_warnings():
        # l1_ratio = 0 makes sklearn warn that its CD is unreliable there; the fit still converges.
        warnings.simplefilter("ignore")
        model.fit(Xs, y, sample_weight=w)
    assert model.n_iter_ < MAX_ITER, case
    out = dict(case)
    out["coef"] = (model.coef_ / scale).tolist()
    out["intercept"] = float(model.intercept_)
    out["objective"] = float(objective(Xs, y, w, model.coef_, model.intercept_, case["alpha"], case["l1_ratio"]))
    out["dual_gap"] = float(model.dual_gap_)
    out["n_iter"] = int(model.n_iter_)
    return out


def path_case(data, name, dataset, l1_ratio, weighted, n_alphas, eps, positive=False):
    """enet_path on the weighted, centred design √w(X − x̄), √w(y − ȳ) with weights scaled
    to sum to n: exactly what ElasticNet.fit hands to the solver."""
    X, y = data[dataset]
    n = len(y)
    w = weights_rule(n) if weighted else np.ones(n)
    w = w * (n / w.sum())
    xm, ym = np.average(X, axis=0, weights=w), np.average(y, weights=w)
    root = np.sqrt(w)[:, None]
    Xt, yt = (X - xm) * root, (y - ym) * root[:, 0]
    alphas, coefs, gaps, iters = enet_path(Xt, yt, l1_ratio=l1_ratio, eps=eps, alphas=n_alphas, positive=positive,
                                           tol=TOL, max_iter=MAX_ITER, return_n_iter=True, precompute=False)
    assert max(iters) < MAX_ITER
    coefs = coefs.T
    return {
        "name": name, "dataset": dataset, "l1_ratio": l1_ratio, "weighted": weighted, "positive": positive,
        "count": n_alphas, "epsilon": eps, "alphas": alphas.tolist(), "coefs": coefs.tolist(),
        "intercepts": [float(ym - xm @ c) for c in coefs], "dual_gaps": gaps.tolist(),
    }


def main():
    data = load_real()
    data["small"] = synthetic(60, 8, seed=7)
    data["wide"] = synthetic(20, 40, seed=11)

    def case(name, dataset, fraction, l1_ratio=1.0, weighted=False, positive=False, fit_intercept=True,
             standardize=False, alpha=None):
        X, y = data[dataset]
        if alpha is None:
            w = weights_rule(len(y)) if weighted else None
            Xs = X
            if standardize:
                Xs = X / X.std(axis=0)
            alpha = float("%.6g" % (fraction * alpha_max(Xs, y, w, l1_ratio, fit_intercept, positive)))
        return {"name": name, "dataset": dataset, "alpha": alpha, "l1_ratio": l1_ratio, "weighted": weighted,
                "positive": positive, "fit_intercept": fit_intercept, "standardize": standardize}

    cases = [
        case("concrete lasso strong", "concrete", 0.3),
        case("concrete lasso weak", "concrete", 0.01),
        case("concrete enet 0.5", "concrete", 0.05, l1_ratio=0.5),
        case("concrete lasso weighted", "concrete", 0.01, weighted=True),
        case("concrete enet 0.3 weighted", "concrete", 0.02, l1_ratio=0.3, weighted=True),
        case("concrete lasso no intercept", "concrete", 0.05, fit_intercept=False),
        case("wine lasso strong", "wine_red", 0.1),
        case("wine lasso weak", "wine_red", 0.001),
        case("wine enet 0.7", "wine_red", 0.01, l1_ratio=0.7),
        case("wine lasso positive", "wine_red", 0.001, positive=True),
        case("wine enet 0.5 weighted positive", "wine_red", 0.003, l1_ratio=0.5, weighted=True, positive=True),
        case("wine lasso standardized", "wine_red", 0.01, standardize=True),
        case("wine enet ridge-like l1_ratio 0", "wine_red", None, l1_ratio=0.0, alpha=0.05),
        case("small lasso", "small", 0.05),
        case("small enet weighted", "small", 0.02, l1_ratio=0.5, weighted=True),
        case("wide lasso", "wide", 0.05),
        case("wide enet 0.5", "wide", 0.02, l1_ratio=0.5),
    ]
    fits = [fit_case(data, c) for c in cases]
    paths = [
        path_case(data, "concrete lasso path", "concrete", 1.0, False, 30, 1e-3),
        path_case(data, "wine enet 0.5 weighted path", "wine_red", 0.5, True, 20, 1e-2),
        path_case(data, "wide lasso positive path", "wide", 1.0, False, 15, 1e-2, positive=True),
    ]
    synthetic_data = {
        key: {"features": data[key][0].tolist(), "target": data[key][1].tolist()} for key in ("small", "wide")
    }
    out = {
        "generator": "make_enet_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "tol": TOL,
        "max_iter": MAX_ITER,
        "weights_rule": "w_i = 1 + (i mod 4), i from 0",
        "synthetic": synthetic_data,
        "fits": fits,
        "paths": paths,
    }
    with open(os.path.join(HERE, "enet_fixtures.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
