#!/usr/bin/env python3
"""Peer for `hone-bench gbdt`: LightGBM (or XGBoost / scikit-learn) under the anchors'
bench_gbdt.py protocol, one fit per process so peak RSS is per library.

higgs_like (1,000,000 x 28; first 80% train, last 20% test, streamed by the anchors'
common.load_split); binary log-loss, 100 rounds, learning rate 0.1, 255 leaves, 255 bins,
min data in leaf 20, L2 1, min sum hessian 1e-3, 2 threads (bench_gbdt.lib_params).
Times: construct_s (Dataset.construct), train_s (lgb.train), their sum; test AUC and
log-loss on the full 20%; batch prediction of 100k rows (median of 3); median and p99 of
one-row predict calls; peak RSS from /proc/self/status VmHWM.

Prints one JSON line with the same keys as `hone-bench gbdt`. Run with the anchors' venv:
    ~/.cache/hone-anchors/venv/bin/python Benchmarks/peers/lightgbm_gbdt.py [--lib lightgbm|xgboost|sklearn]

scikit-learn's fit() bins and boosts in one call: construct_s is the binning time its
verbose log prints and train_s the rest of the fit's wall time, as in bench_gbdt.py.
"""
import argparse
import json
import os
import sys
import time

ANCHORS = os.environ.get("ANCHORS_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "..", "shared", "anchors"))
sys.path.insert(0, os.path.abspath(ANCHORS))
import common  # noqa: E402,F401  (sets the thread variables before numpy)
from common import load_split  # noqa: E402
import bench_gbdt  # noqa: E402
import numpy as np  # noqa: E402


def vm(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


ap = argparse.ArgumentParser()
ap.add_argument("--lib", default="lightgbm", choices=["lightgbm", "xgboost", "sklearn"])
ap.add_argument("--name", default="higgs_like")
ap.add_argument("--rounds", type=int, default=100)
ap.add_argument("--latency-calls", type=int, default=10_000)
args, _unknown = ap.parse_known_args()

Xtr, ytr, Xte, yte, _meta = load_split(args.name)
rss_after_load = vm("VmRSS")
p = dict(bench_gbdt.lib_params(args.lib, args.rounds))
rounds = p.pop("num_boost_round", args.rounds)
if args.lib == "lightgbm":
    import lightgbm as lgb
    version = lgb.__version__
    t = time.perf_counter()
    ds = lgb.Dataset(Xtr, ytr, params=p, free_raw_data=True).construct()
    construct = time.perf_counter() - t
    t = time.perf_counter()
    model = lgb.train(p, ds, num_boost_round=rounds)
    train = time.perf_counter() - t
    predict_batch = model.predict
    leaves = [ti["num_leaves"] for ti in model.dump_model()["tree_info"]]
elif args.lib == "sklearn":
    import contextlib
    import io
    import re
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier
    version = sklearn.__version__
    # fit() bins and boosts in one call; its verbose log gives the binning seconds, and
    # boosting is the rest of the fit's wall time (the anchors' protocol).
    model = HistGradientBoostingClassifier(verbose=1, **p)
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        t = time.perf_counter()
        model.fit(Xtr, ytr)
        fit = time.perf_counter() - t
    binning = re.search(r"Binning [0-9.]+ GB of training data: ([0-9.]+) s", log.getvalue())
    construct = float(binning.group(1)) if binning else float("nan")
    train = fit - construct
    model.verbose = 0
    predict_batch = lambda Z: model.predict_proba(Z)[:, 1]  # noqa: E731
    leaves = [predictor.get_n_leaf_nodes() for iteration in model._predictors for predictor in iteration]
else:
    import xgboost as xgb
    version = xgb.__version__
    t = time.perf_counter()
    dtr = xgb.QuantileDMatrix(Xtr, ytr, max_bin=bench_gbdt.BINS, nthread=common.THREADS)
    construct = time.perf_counter() - t
    t = time.perf_counter()
    model = xgb.train(p, dtr, num_boost_round=rounds)
    train = time.perf_counter() - t
    predict_batch = model.inplace_predict
    leaves = [d.count("leaf=") for d in model.get_dump()]
train_peak = vm("VmHWM")
pte = np.asarray(predict_batch(Xte), dtype=np.float64)
auc, logloss = bench_gbdt.auc_logloss(yte, pte)
B = np.ascontiguousarray(Xte[:100_000])
ts = []
for _ in range(3):
    t = time.perf_counter()
    predict_batch(B)
    ts.append(time.perf_counter() - t)
rows = [np.ascontiguousarray(Xte[i:i + 1]) for i in range(1000)]
for i in range(200):
    predict_batch(rows[i])
lat = np.empty(args.latency_calls)
for i in range(args.latency_calls):
    t = time.perf_counter_ns()
    predict_batch(rows[i % 1000])
    lat[i] = (time.perf_counter_ns() - t) / 1e3
print(json.dumps({
    "lib": args.lib, "version": version, "threads": common.THREADS, "construct_s": construct, "train_s": train,
    "fit_total_s": construct + train, "rss_after_load_mb": rss_after_load, "train_peak_rss_mb": train_peak,
    "peak_rss_mb": vm("VmHWM"), "test_auc": auc, "test_logloss": logloss,
    "predict_rows_per_s": B.shape[0] / float(np.median(ts)), "latency_median_us": float(np.median(lat)),
    "latency_p99_us": float(np.percentile(lat, 99)), "mean_leaves_per_tree": float(np.mean(leaves)),
    "n_trees": len(leaves)}))
