#!/usr/bin/env python3
"""Peer for `hone-bench mlp`: scikit-learn's MLPClassifier under the anchors' bench_mlp.py protocol.

higgs_like_100k (first 80,000 rows train, last 20,000 test), standardised with the training
mean / std ignoring NaN, NaN -> 0; 28-64-64-1 ReLU, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8),
batch 256, alpha 1e-4, exactly --epochs epochs (tol 0, no early stopping), as
../shared/anchors/bench_mlp.py's `sklearn_fit`: fit(max_iter=epochs), time / epochs.

Prints one JSON line per repetition: {"reader": "sklearn_<dtype>", "task": "mlp", "seconds":
<per-epoch seconds>, "objective": <test AUC>, ...}. PyTorch is not part of this peer.
Run with the anchors' venv; OPENBLAS/OMP threads default to 2 as in ../shared/anchors.
"""
import argparse
import json
import os
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
import numpy as np  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--data", default=os.environ.get("ANCHORS_DATA", os.path.expanduser("~/.cache/hone-anchors/data")))
parser.add_argument("--repeats", type=int, default=1)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
parser.add_argument("--seed", type=int, default=0)
args, _unknown = parser.parse_known_args()

raw = np.fromfile(os.path.join(args.data, "higgs_like_100k.f64"), dtype="<f8").reshape(-1, 29)
X, y = raw[:, :28], raw[:, 28]
ntr = int(0.8 * X.shape[0])
mu = np.nanmean(X[:ntr], axis=0)
sd = np.nanstd(X[:ntr], axis=0)
Z = (X - mu) / sd
Z[np.isnan(Z)] = 0.0
Xtr, ytr, Xte, yte = Z[:ntr].astype(args.dtype), y[:ntr], Z[ntr:].astype(args.dtype), y[ntr:]

from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

for _ in range(args.repeats):
    model = MLPClassifier(hidden_layer_sizes=(64, 64), activation="relu", solver="adam", alpha=1e-4,
                          batch_size=256, learning_rate_init=1e-3, max_iter=args.epochs, shuffle=True,
                          random_state=args.seed, tol=0.0, n_iter_no_change=10**9, early_stopping=False,
                          beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        model.fit(Xtr, ytr)
        total = time.perf_counter() - start
    auc = float(roc_auc_score(yte, model.predict_proba(Xte)[:, 1]))
    print(json.dumps({"reader": f"sklearn_{args.dtype}", "task": "mlp", "seconds": total / args.epochs,
                      "total_seconds": total, "objective": auc, "test_auc": auc,
                      "final_train_loss": float(model.loss_), "rows": int(ntr), "bytes": 0}))
