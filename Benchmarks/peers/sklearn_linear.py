#!/usr/bin/env python3
"""Peer for `hone-bench linear`: times one scikit-learn fit on the anchors' linear data.

Prints one JSON line per repetition: {"reader": "sklearn", "task": ..., "seconds": ...,
"objective": ...}. Objectives use the same definitions as Hone's benchmark:
  ridge:     ||y - Xw - b||^2 + alpha ||w||^2           (Ridge(solver="cholesky"))
  logistic:  (sum_i logloss_i + ||w||^2 / (2C)) / n      (LogisticRegression(lbfgs, tol 1e-4))
  lassopath: seconds for lasso_path over 100 alphas (eps 1e-3), objective at the last alpha
Run with the anchors' venv; OPENBLAS/OMP threads are set to 2 as in ../shared/anchors.
"""
import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
import numpy as np  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--task", default="ridge")
parser.add_argument("--data", default=os.environ.get("ANCHORS_DATA", os.path.expanduser("~/.cache/hone-anchors/data")))
parser.add_argument("--repeats", type=int, default=1)
parser.add_argument("--alpha", type=float, default=1.0)
parser.add_argument("--C", type=float, default=1.0)
parser.add_argument("--tolerance", type=float, default=1e-4)
args = parser.parse_args()

raw = np.fromfile(os.path.join(args.data, "linear.f64"), dtype="<f8").reshape(-1, 102)
X = np.ascontiguousarray(raw[:, :100])
y = np.ascontiguousarray(raw[:, 100])
label = np.ascontiguousarray(raw[:, 101])
del raw

from sklearn.linear_model import LogisticRegression, Ridge, lasso_path  # noqa: E402

for _ in range(args.repeats):
    extra = {}
    if args.task == "ridge":
        start = time.perf_counter()
        model = Ridge(alpha=args.alpha, solver="cholesky").fit(X, y)
        elapsed = time.perf_counter() - start
        r = y - X @ model.coef_ - model.intercept_
        objective = float(r @ r + args.alpha * model.coef_ @ model.coef_)
    elif args.task == "logistic":
        start = time.perf_counter()
        model = LogisticRegression(C=args.C, tol=args.tolerance, max_iter=1000).fit(X, label)
        elapsed = time.perf_counter() - start
        w, b = model.coef_.ravel(), float(model.intercept_[0])
        z = X @ w + b
        objective = float((np.logaddexp(0.0, z) - label * z).sum() + 0.5 * w @ w / args.C) / len(label)
        extra = {"iterations": int(model.n_iter_[0])}
    elif args.task == "lassopath":
        start = time.perf_counter()
        # lasso_path does not fit an intercept: centre as Lasso(fit_intercept=True) does.
        Xc = X - X.mean(axis=0)
        yc = y - y.mean()
        alphas, coefs, gaps = lasso_path(Xc, yc, n_alphas=100, eps=1e-3)
        elapsed = time.perf_counter() - start
        w = coefs[:, -1]
        r = yc - Xc @ w
        objective = float(r @ r / (2 * len(y)) + alphas[-1] * np.abs(w).sum())
    else:
        raise SystemExit(f"unknown task {args.task}")
    print(json.dumps({"reader": "sklearn", "task": args.task, "seconds": elapsed, "objective": objective,
                      "rows": X.shape[0], "bytes": 0, **extra}))
