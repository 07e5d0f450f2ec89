#!/usr/bin/env python3
"""Reference values for HoneTreesTests' evaluation-metric and early-stopping tests, from
LightGBM's own implementations (lightgbm 4.7.0).

metrics.json: fixed labels, weights and raw scores; LightGBM scores them with its C++ metric
code by attaching the scores as a validation set's `init_score` to a booster with no trees
and calling `eval_valid()`, so the values are LightGBM's metrics of exactly these raw scores
(no model involved). Labels and weights are multiples of 1/64 because LightGBM stores them as
float32; scores are float64, as LightGBM keeps them.

early_stopping.json: hand-written and seeded random metric histories (one value per round and
(set, metric) pair, set-major) fed round by round to
LightGBM's `early_stopping` callback; each case records the round it stopped at and the best
iteration it kept (both from 1). A `criterion` of `first` (Hone's: the first metric of the
first set only) is answered by feeding the callback that one value per round.

Run with the anchors' venv:

    ~/.cache/hone-anchors/venv/bin/python Tests/HoneTreesTests/Fixtures/evaluation/make_evaluation_fixtures.py
"""
import json
import os

import lightgbm as lgb
import numpy as np
from lightgbm.callback import CallbackEnv, EarlyStopException, EvalResult

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261126)
N = 300


def q(x):
    """Rounds to a multiple of 1/64: exact in float32 and float64."""
    return np.round(np.asarray(x) * 64) / 64


def lightgbm_metrics(params, labels, scores, weights, init_score):
    x = rng.normal(size=(len(labels), 2))
    train = lgb.Dataset(x, labels, params={"verbose": -1})
    valid = lgb.Dataset(x, labels, weight=weights, init_score=init_score, reference=train)
    booster = lgb.Booster(params={**params, "verbose": -1, "num_threads": 1}, train_set=train)
    booster.add_valid(valid, "valid")
    return {r.metric_name: float(r.metric_value) for r in booster.eval_valid()}


cases = []


def add(name, loss, params, labels, scores, weights, metrics, class_count=0):
    init = scores if class_count == 0 else scores.reshape(class_count, -1).T
    values = lightgbm_metrics({**params, "metric": metrics}, labels, scores, weights, init)
    cases.append({
        "name": name, "loss": loss, "alpha": params.get("alpha", 0.9), "classCount": class_count,
        "labels": [float(v) for v in labels], "weights": None if weights is None else [float(v) for v in weights],
        "scores": [float(v) for v in scores], "metrics": values,
    })


# Binary: some tied scores (AUC's tie groups), a few saturated ones (log-loss's 1e-15 cap)
# and one exactly at probability 1/2 (binary_error's boundary).
labels = (rng.random(N) < 0.4).astype(float)
scores = rng.normal(size=N) + labels
scores[:60] = np.round(scores[:60], 1)
scores[60] = 40.0
labels[60] = 0.0
scores[61] = -40.0
labels[61] = 1.0
scores[62] = 0.0
weights = q(rng.uniform(0.25, 2, size=N))
binary_metrics = ["auc", "binary_logloss", "binary_error", "l2", "l1", "rmse"]
add("binary", "binary", {"objective": "binary"}, labels, scores, None, binary_metrics)
add("binary-weighted", "binary", {"objective": "binary"}, labels, scores, weights, binary_metrics)
one_class = np.zeros(20)
add("binary-one-class", "binary", {"objective": "binary"}, one_class, rng.normal(size=20), None, ["auc"])

# Regression.
labels = q(rng.normal(size=N) * 3)
scores = labels + rng.normal(size=N) * 2
regression_metrics = ["l2", "rmse", "l1"]
add("regression", "regression", {"objective": "regression"}, labels, scores, None, regression_metrics)
add("regression-weighted", "regression", {"objective": "regression"}, labels, scores, weights, regression_metrics)
add("quantile", "quantile", {"objective": "quantile", "alpha": 0.3}, labels, scores, weights, ["quantile"])
add("huber", "huber", {"objective": "huber", "alpha": 0.9}, labels, scores, weights, ["huber"])
counts = rng.poisson(2.0, size=N).astype(float)
add("poisson", "poisson", {"objective": "poisson"}, counts, rng.normal(size=N) * 0.5 + 0.7, weights, ["poisson"])

# Multiclass: class-major scores; ties between the label's and another class's score
# (multi_error counts them as errors) and one saturated row.
k = 4
labels = rng.integers(0, k, size=N).astype(float)
scores = rng.normal(size=(k, N))
for i in range(N):
    scores[int(labels[i]), i] += 1.0
for i in range(20):
    scores[(int(labels[i]) + 1) % k, i] = scores[int(labels[i]), i]
scores[:, 25] = [-50.0, 50.0, -50.0, -50.0]
labels[25] = 0.0
multi = ["multi_logloss", "multi_error"]
add("multiclass", "multiclass", {"objective": "multiclass", "num_class": k}, labels, scores.ravel(), None, multi, k)
add("multiclass-weighted", "multiclass", {"objective": "multiclass", "num_class": k}, labels, scores.ravel(), weights,
    multi, k)

with open(os.path.join(HERE, "metrics.json"), "w") as f:
    json.dump({"lightgbm_version": lgb.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")


# Early stopping.
def lightgbm_stop(history, patience, first_metric_only):
    """Feeds `history` (rounds of [set, metric, value, higherIsBetter]) to LightGBM's callback."""
    callback = lgb.early_stopping(stopping_rounds=patience, first_metric_only=first_metric_only, verbose=False)
    rounds = len(history)
    for iteration, entries in enumerate(history):
        env = CallbackEnv(
            model=None, params={}, iteration=iteration, begin_iteration=0, end_iteration=rounds,
            evaluation_result_list=[EvalResult(s, m, v, hib, None) for s, m, v, hib in entries])
        try:
            callback(env)
        except EarlyStopException as stop:
            return {"stopRound": iteration + 1, "bestIteration": stop.best_iteration + 1}
    raise AssertionError("LightGBM's callback always stops by the last round")


stopping = []


def add_history(name, history, patience):
    for criterion in ["first", "first_metric", "every"]:
        if criterion == "first":
            expected = lightgbm_stop([[r[0]] for r in history], patience, False)
        else:
            expected = lightgbm_stop(history, patience, criterion == "first_metric")
        stopping.append({
            "name": name, "criterion": criterion, "patience": patience,
            "pairs": [{"set": s, "metric": m, "higherIsBetter": hib} for s, m, _, hib in history[0]],
            "values": [[v for _, _, v, _ in r] for r in history],
            **expected,
        })


def rounds_of(sets, metrics, columns):
    """Rounds of entries, set-major, from one value column per (set, metric)."""
    names = [(s, m, hib) for s in sets for m, hib in metrics]
    return [[(s, m, float(v), hib) for (s, m, hib), v in zip(names, row)] for row in zip(*columns)]


# A plateau: an equal value is not an improvement.
add_history("plateau", rounds_of(["valid"], [("l2", False)], [[1.0, 0.8, 0.7, 0.72, 0.7, 0.71, 0.69, 0.9, 0.9, 0.9,
                                                                0.9, 0.9]]), 3)
# Two sets, two metrics: the second set's AUC peaks early, the first set's l2 keeps improving;
# the first set's AUC peaks in the middle.
l2_a = [1.0 - 0.05 * i for i in range(15)]
auc_a = [0.6, 0.7, 0.75, 0.8, 0.81, 0.8, 0.79, 0.81, 0.8, 0.8, 0.79, 0.78, 0.8, 0.8, 0.8]
l2_b = [1.0, 0.9, 0.85, 0.86, 0.84, 0.83, 0.83, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92]
auc_b = [0.6, 0.72, 0.71, 0.7, 0.7, 0.69, 0.72, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
add_history("two-sets", rounds_of(["recent", "older"], [("l2", False), ("auc", True)], [l2_a, auc_a, l2_b, auc_b]), 4)
# Nothing triggers before the last round, where the second pair would: the first watched pair decides.
add_history("last-round", rounds_of(["valid"], [("l2", False), ("l1", False)],
                                    [[1.0, 0.9, 0.8, 0.7, 0.6, 0.5], [1.0, 0.5, 0.6, 0.7, 0.8, 0.9]]), 4)
# Seeded random walks over 1–3 sets and 1–3 metrics.
for case in range(40):
    sets = ["valid_%d" % s for s in range(int(rng.integers(1, 4)))]
    metrics = [(m, m == "auc") for m in ["l2", "auc", "l1"][: int(rng.integers(1, 4))]]
    rounds = int(rng.integers(5, 40))
    columns = []
    for _ in range(len(sets) * len(metrics)):
        steps = rng.normal(size=rounds) * 0.1 + np.linspace(-0.05, 0.05, rounds)
        columns.append(list(np.round(np.cumsum(steps), 2)))
    add_history("random-%d" % case, rounds_of(sets, metrics, columns), int(rng.integers(1, 6)))

with open(os.path.join(HERE, "early_stopping.json"), "w") as f:
    json.dump({"lightgbm_version": lgb.__version__, "cases": stopping}, f, separators=(",", ":"))
    f.write("\n")
print(len(cases), "metric cases,", len(stopping), "early-stopping cases")
