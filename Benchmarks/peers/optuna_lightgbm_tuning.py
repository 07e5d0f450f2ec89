#!/usr/bin/env python3
"""Peer for `hone-bench tune`: Optuna + LightGBM on the anchors' real tuning task
(../shared/anchors/bench_hpo.py, part `lgbm`), written out here with the same settings.

higgs_like_100k (row-major float64 + JSON metadata in the anchors' data folder); the first
80,000 rows; 5-fold CV with fold k = the rows whose index % 5 == k; objective = mean AUC over
the folds from lgb.cv (the best round of the fold-mean curve), LightGBM up to 300 rounds with
early stopping after 20 rounds without improvement; 50 trials of TPESampler(seed=0);
fixed objective=binary, metric=auc, num_threads=2, max_bin=255, seed=0, bagging_freq=1;
space learning_rate [0.02, 0.3] log, num_leaves [8, 256] int log, min_data_in_leaf [5, 200]
int log, feature_fraction [0.4, 1], bagging_fraction [0.4, 1], lambda_l2 [1e-3, 10] log.

`--early-stopping 0` trains every fold for exactly `--rounds` rounds and scores the last
round; `hone-bench tune` takes the same option with the same default (20), though its
folds each stop on their own curve where lgb.cv stops them together on the mean curve.

wall_s times study.optimize only; the one-off binning of the 80k rows (construct_s) is
reported apart, as the anchors do. Prints one JSON line with the keys of `hone-bench tune`.
    ~/.cache/hone-anchors/venv/bin/python Benchmarks/peers/optuna_lightgbm_tuning.py
"""
import os

THREADS = 2
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(THREADS)  # before numpy loads its BLAS

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)

parser = argparse.ArgumentParser()
parser.add_argument("--data", default=os.environ.get("ANCHORS_DATA",
                                                     os.path.expanduser("~/.cache/hone-anchors/data")))
parser.add_argument("--name", default="higgs_like_100k")
parser.add_argument("--trials", type=int, default=50)
parser.add_argument("--rounds", type=int, default=300)
parser.add_argument("--early-stopping", type=int, default=20, help="0 turns early stopping off")
parser.add_argument("--folds", type=int, default=5)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

meta = json.load(open(os.path.join(args.data, args.name + ".json")))
table = np.fromfile(os.path.join(args.data, meta["binary"]), dtype="<f8").reshape(meta["rows"], meta["cols"])
columns = meta["columns"]
x = np.ascontiguousarray(table[:, [columns.index(c) for c in meta["features"]]])
y = np.ascontiguousarray(table[:, columns.index(meta["target"])])
train_rows = int(0.8 * x.shape[0])
x, y = x[:train_rows], y[:train_rows]
index = np.arange(train_rows)
folds = [(index[index % args.folds != k], index[index % args.folds == k]) for k in range(args.folds)]
base = {"objective": "binary", "metric": "auc", "num_threads": THREADS, "verbose": -1, "max_bin": 255,
        "seed": 0, "bagging_freq": 1}

start = time.perf_counter()
# feature_pre_filter=False: min_data_in_leaf changes per trial, so features must not be
# dropped by the first trial's value when the bins are built.
dataset = lgb.Dataset(x, y, params={"max_bin": 255, "verbose": -1, "feature_pre_filter": False},
                      free_raw_data=False).construct()
construct_s = time.perf_counter() - start
trial_rounds = []
trial_seconds = []


def objective(trial):
    params = dict(base)
    params.update({
        "learning_rate": trial.suggest_float("learning_rate", 0.02, 0.3, log=True),
        "num_leaves": trial.suggest_int("num_leaves", 8, 256, log=True),
        "min_data_in_leaf": trial.suggest_int("min_data_in_leaf", 5, 200, log=True),
        "feature_fraction": trial.suggest_float("feature_fraction", 0.4, 1.0),
        "bagging_fraction": trial.suggest_float("bagging_fraction", 0.4, 1.0),
        "lambda_l2": trial.suggest_float("lambda_l2", 1e-3, 10.0, log=True),
    })
    callbacks = [lgb.early_stopping(args.early_stopping, verbose=False)] if args.early_stopping > 0 else []
    began = time.perf_counter()
    history = lgb.cv(params, dataset, num_boost_round=args.rounds, folds=folds, callbacks=callbacks)
    trial_seconds.append(time.perf_counter() - began)
    curve = next(values for key, values in history.items() if key.endswith("auc-mean"))
    if args.early_stopping > 0:
        best_round = int(np.argmax(curve)) + 1
        # lgb.cv cuts the curve at the best round; the folds trained up to patience more.
        trial_rounds.append({"best": best_round, "trained": min(best_round + args.early_stopping, args.rounds)})
        return float(np.max(curve))
    trial_rounds.append({"best": len(curve), "trained": len(curve)})
    return float(curve[-1])


study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed))
start = time.perf_counter()
study.optimize(objective, n_trials=args.trials)
wall_s = time.perf_counter() - start
best = study.best_trial
trained = [r["trained"] for r in trial_rounds]
print(json.dumps({
    "library": "optuna+lightgbm", "version": f"optuna {optuna.__version__}, lightgbm {lgb.__version__}",
    "trials": len(study.trials), "rounds": args.rounds, "early_stopping": args.early_stopping > 0,
    "cores": os.cpu_count(), "best_cv_auc": best.value, "best_trial": best.number,
    "best_params": best.params, "best_rounds": trial_rounds[best.number]["best"], "wall_s": wall_s,
    "construct_s": construct_s, "trial_auc": [t.value for t in study.trials], "trial_s": trial_seconds,
    "trial_rounds_trained": trained, "median_rounds_trained": float(np.median(trained)),
    "mean_rounds_trained": float(np.mean(trained)),
}))
