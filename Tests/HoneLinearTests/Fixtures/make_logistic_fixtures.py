"""Reference fits for HoneLinear's LogisticRegression, made with scikit-learn 1.9.1.

Run from the package root with the anchors' venv:

    /root/.cache/hone-anchors/venv/bin/python \
        Tests/HoneLinearTests/Fixtures/make_logistic_fixtures.py

Writes logistic_fixtures.json next to this script. Every case is fitted with tol=1e-10
and a large max_iter so the reference sits at the optimum, not at a stopping rule; the
script records how close it is (the largest entry of the scaled minimum-norm
subgradient, the quantity Hone's `tolerance` bounds). References: newton-cholesky for
L2 and no penalty (lbfgs's answer is stored too, with its distance from the reference:
lbfgs stops on scipy's ftol=64*eps rule slightly before tol=1e-10 is met), saga for L1
and elastic net (liblinear penalises the intercept, so it solves a different problem).

Objective (what `FitDiagnostics.objective` reports):
    C * sum_i w_i * logloss_i + penalty,   penalty = l1_ratio*|W|_1 + (1-l1_ratio)/2*|W|_2^2
over the coefficients only (the intercept is not penalised); with penalty None it is
sum_i w_i * logloss_i. w_i is sample weight times class weight.

Real data (the Swift test reads the same CSV files from the shared datasets folder and
repeats these steps, so only the results are stored):
  * adult: first 5,000 rows of adult/adult_train.csv; features, in this order: the
    numeric columns age, education-num, capital-gain, capital-loss, hours-per-week, then
    one-hot columns of workclass, marital-status, relationship, race, sex, each
    category in sorted (byte) order, with a missing value as its own category "?";
    target income == ">50K". Standardised with StandardScaler (population std), which
    is what Hone's `standardize: true` does.
  * wine red: all 1,599 rows of wine_quality/winequality-red.csv, the 11 physico-
    chemical columns standardised, target quality (classes 3..8).
"""

import json
import os
import warnings

import numpy as np
import pandas as pd
import sklearn
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = os.environ.get("HONE_DATASETS", os.path.join(HERE, "..", "..", "..", "..", "shared", "datasets"))

ADULT_NUMERIC = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
ADULT_CATEGORICAL = ["workclass", "marital-status", "relationship", "race", "sex"]


def make_lr(penalty, C, l1_ratio, fit_intercept, class_weight, solver):
    # sklearn 1.8 deprecated `penalty` in favour of l1_ratio and C (C=inf for none).
    ratio = {"l2": 0.0, "l1": 1.0, "elasticnet": l1_ratio, "none": 0.0}[penalty]
    return LogisticRegression(
        C=np.inf if penalty == "none" else C,
        l1_ratio=ratio,
        fit_intercept=fit_intercept,
        class_weight=class_weight,
        solver=solver,
        tol=1e-10,
        max_iter=100000,
        random_state=0,
    )


def effective_weights(y, classes, sample_weight, class_weight):
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    if class_weight is None:
        return sw
    if class_weight == "balanced":
        counts = np.array([sw[y == c].sum() for c in classes])
        cw = sw.sum() / (len(classes) * counts)
    else:
        cw = np.array([class_weight.get(int(c), 1.0) for c in classes])
    return sw * cw[np.searchsorted(classes, y)]


def scores(model, X):
    z = X @ model.coef_.T + model.intercept_
    if z.shape[1] == 1:
        z = np.hstack([np.zeros_like(z), z])
    return z


def objective(model, X, y, w, penalty, C, l1_ratio):
    z = scores(model, X)
    idx = np.searchsorted(model.classes_, y)
    loss = logsumexp(z, axis=1) - z[np.arange(len(y)), idx]
    data = float(np.sum(w * loss))
    W = model.coef_
    if penalty == "none":
        return data
    ratio = {"l2": 0.0, "l1": 1.0, "elasticnet": l1_ratio}[penalty]
    return C * data + ratio * np.abs(W).sum() + 0.5 * (1 - ratio) * (W**2).sum()


def optimality(model, X, y, w, penalty, C, l1_ratio):
    """Largest entry of the minimum-norm subgradient of objective / (C * sum(w))."""
    S = w.sum()
    scale = 1.0 if penalty == "none" else C
    z = scores(model, X)
    p = np.exp(z - logsumexp(z, axis=1, keepdims=True))
    idx = np.searchsorted(model.classes_, y)
    Y = np.zeros_like(p)
    Y[np.arange(len(y)), idx] = 1
    R = (p - Y) * w[:, None]
    if model.coef_.shape[0] == 1:
        R = R[:, 1:]
    gW = (X.T @ R).T / S
    gb = R.sum(axis=0) / S
    W = model.coef_
    if penalty == "none":
        sub = gW
    else:
        ratio = {"l2": 0.0, "l1": 1.0, "elasticnet": l1_ratio}[penalty]
        l1, l2 = ratio / (scale * S), (1 - ratio) / (scale * S)
        g = gW + l2 * W
        sub = np.where(W != 0, g + l1 * np.sign(W), np.maximum(np.abs(g) - l1, 0))
    parts = [np.abs(sub).ravel()]
    if model.fit_intercept:
        parts.append(np.abs(gb))
    return float(np.max(np.concatenate(parts)))


def fit_case(name, X, y, *, penalty="l2", C=1.0, l1_ratio=0.0, fit_intercept=True, class_weight=None,
             sample_weight=None, solver=None, store_data=True):
    if solver is None:
        solver = "newton-cholesky" if penalty in ("l2", "none") else "saga"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        model = make_lr(penalty, C, l1_ratio, fit_intercept, class_weight, solver)
        model.fit(X, y, sample_weight=sample_weight)
    classes = model.classes_
    w = effective_weights(y, classes, sample_weight, class_weight)
    case = {
        "name": name,
        "penalty": penalty,
        "C": C,
        "l1_ratio": l1_ratio,
        "fit_intercept": fit_intercept,
        "class_weight": class_weight if class_weight in (None, "balanced") else {str(k): v for k, v in class_weight.items()},
        "solver": solver,
        "n_iter": int(np.max(model.n_iter_)),
        "classes": classes.tolist(),
        "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
        "objective": objective(model, X, y, w, penalty, C, l1_ratio),
        "optimality": optimality(model, X, y, w, penalty, C, l1_ratio),
        "proba_rows": X[:5].tolist(),
        "proba": model.predict_proba(X[:5]).tolist(),
    }
    if penalty in ("l2", "none"):
        # The reference is newton-cholesky (quadratic convergence); lbfgs stops on its
        # relative-reduction rule (ftol = 64 eps) a little before tol=1e-10, so its
        # answer is kept beside the reference with its distance from it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            lbfgs = make_lr(penalty, C, l1_ratio, fit_intercept, class_weight, "lbfgs")
            lbfgs.fit(X, y, sample_weight=sample_weight)
        scale = max(np.abs(model.coef_).max(), 1e-300)
        case["lbfgs_coef"] = lbfgs.coef_.tolist()
        case["lbfgs_intercept"] = lbfgs.intercept_.tolist()
        case["lbfgs_objective"] = objective(lbfgs, X, y, w, penalty, C, l1_ratio)
        case["lbfgs_optimality"] = optimality(lbfgs, X, y, w, penalty, C, l1_ratio)
        case["lbfgs_vs_newton_cholesky"] = float(np.abs(lbfgs.coef_ - model.coef_).max() / scale)
    if store_data:
        case["X"] = X.tolist()
        case["y"] = y.tolist()
        case["sample_weight"] = None if sample_weight is None else np.asarray(sample_weight).tolist()
    print(f"{name:32s} solver={solver:8s} n_iter={case['n_iter']:6d} objective={case['objective']:.12g} "
          f"optimality={case['optimality']:.2e} lbfgs/newton={case.get('lbfgs_vs_newton_cholesky', float('nan')):.1e} "
          f"lbfgs objective rel. diff={abs(case.get('lbfgs_objective', case['objective']) / case['objective'] - 1):.1e}")
    return case


def adult():
    path = os.path.join(DATASETS, "adult", "adult_train.csv")
    df = pd.read_csv(path, nrows=5000, keep_default_na=False)
    cols = [df[c].astype(float).to_numpy()[:, None] for c in ADULT_NUMERIC]
    names = list(ADULT_NUMERIC)
    for c in ADULT_CATEGORICAL:
        values = df[c].replace("", "?").to_numpy()
        for level in sorted(set(values), key=lambda s: s.encode()):
            cols.append((values == level).astype(float)[:, None])
            names.append(f"{c}={level}")
    X = StandardScaler().fit_transform(np.hstack(cols))
    y = (df["income"].to_numpy() == ">50K").astype(float)
    return X, y, names


def wine():
    df = pd.read_csv(os.path.join(DATASETS, "wine_quality", "winequality-red.csv"))
    X = StandardScaler().fit_transform(df.drop(columns="quality").to_numpy(float))
    return X, df["quality"].to_numpy(float)


def main():
    rng = np.random.default_rng(20240607)
    cases = []

    # Binary, 200 x 5, overlapping classes (not separable, so penalty None has an optimum).
    n, p = 200, 5
    Xb = rng.normal(size=(n, p)) * np.array([1.0, 2.0, 0.5, 1.0, 3.0]) + np.array([0.5, -1.0, 0.0, 2.0, 0.0])
    beta = np.array([1.0, -0.5, 0.0, 0.8, 0.05])
    yb = (rng.uniform(size=n) < 1 / (1 + np.exp(-(Xb @ beta - 1.0)))).astype(float)
    swb = rng.uniform(0.5, 2.0, size=n)
    cases.append(fit_case("binary-l2", Xb, yb, C=0.5))
    cases.append(fit_case("binary-l2-no-intercept", Xb, yb, C=2.0, fit_intercept=False))
    cases.append(fit_case("binary-none", Xb, yb, penalty="none"))
    cases.append(fit_case("binary-l2-weighted-balanced", Xb, yb, C=1.0, class_weight="balanced", sample_weight=swb))
    cases.append(fit_case("binary-l2-class-dict", Xb, yb, C=1.0, class_weight={0: 2.0, 1: 0.5}))
    cases.append(fit_case("binary-l1", Xb, yb, penalty="l1", C=0.05))
    cases.append(fit_case("binary-elasticnet", Xb, yb, penalty="elasticnet", C=0.1, l1_ratio=0.5))

    # Multiclass, 300 x 4, 3 classes, labels 0, 1, 2.
    n, p, k = 300, 4, 3
    Xm = rng.normal(size=(n, p))
    Bm = np.array([[1.0, -1.0, 0.0, 0.5], [-0.5, 1.0, 0.5, 0.0], [0.0, 0.0, -1.0, 0.3]])
    Zm = Xm @ Bm.T + rng.gumbel(size=(n, k))
    ym = np.argmax(Zm, axis=1).astype(float)
    cases.append(fit_case("multiclass-l2", Xm, ym, C=1.0))
    cases.append(fit_case("multiclass-none", Xm, ym, penalty="none"))
    cases.append(fit_case("multiclass-l2-balanced", Xm, ym, C=0.3, class_weight="balanced"))
    cases.append(fit_case("multiclass-l1", Xm, ym, penalty="l1", C=0.05))
    cases.append(fit_case("multiclass-elasticnet", Xm, ym, penalty="elasticnet", C=0.2, l1_ratio=0.3))

    if os.path.exists(os.path.join(DATASETS, "adult", "adult_train.csv")):
        Xa, ya, names = adult()
        print("adult features:", len(names))
        cases.append(fit_case("adult-l2", Xa, ya, C=1.0, store_data=False))
        cases.append(fit_case("adult-l1", Xa, ya, penalty="l1", C=0.01, store_data=False))
    Xw, yw = wine()
    cases.append(fit_case("wine-red-l2", Xw, yw, C=1.0, store_data=False))

    out = {"sklearn_version": sklearn.__version__, "cases": cases}
    with open(os.path.join(HERE, "logistic_fixtures.json"), "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
