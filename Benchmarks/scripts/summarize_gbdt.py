#!/usr/bin/env python3
"""Summarises interleaved `hone-bench gbdt` / `peers/lightgbm_gbdt.py` JSON lines from
standard input: the median of every measure per library, and Hone's ratio to each peer
(time and RSS ratios below 1 and throughput ratios above 1 favour Hone).
"""
import json
import statistics
import sys

runs = [json.loads(line) for line in sys.stdin if line.startswith("{")]
libs = {}
for run in runs:
    libs.setdefault(run["lib"], []).append(run)
keys = [("construct_s", "binning s", "{:.3f}"), ("train_s", "boosting s", "{:.2f}"),
        ("fit_total_s", "fit total s", "{:.2f}"), ("peak_rss_mb", "peak RSS MB", "{:.0f}"),
        ("rss_after_load_mb", "RSS after load MB", "{:.0f}"), ("test_auc", "test AUC", "{:.4f}"),
        ("test_logloss", "test log-loss", "{:.4f}"), ("predict_rows_per_s", "predict rows/s (100k)", "{:,.0f}"),
        ("latency_median_us", "1-row median us", "{:.2f}"), ("latency_p99_us", "1-row p99 us", "{:.2f}"),
        ("mean_leaves_per_tree", "leaves/tree", "{:.1f}")]
med = {lib: {k: statistics.median(r[k] for r in rs) for k, _, _ in keys} for lib, rs in libs.items()}
n = min(len(rs) for rs in libs.values())
print(f"{n} interleaved repetitions; medians")
print("| library | " + " | ".join(label for _, label, _ in keys) + " |")
print("|---|" + "---:|" * len(keys))
for lib, m in med.items():
    print(f"| {lib} {libs[lib][0].get('version', '')} | " + " | ".join(fmt.format(m[k]) for k, _, fmt in keys) + " |")
if "hone" in med:
    for lib in med:
        if lib == "hone":
            continue
        h, o = med["hone"], med[lib]
        print(f"\nHone / {lib}: binning {h['construct_s'] / o['construct_s']:.3f}, boosting "
              f"{h['train_s'] / o['train_s']:.3f}, fit total {h['fit_total_s'] / o['fit_total_s']:.3f}, "
              f"peak RSS {h['peak_rss_mb'] / o['peak_rss_mb']:.3f}, AUC difference "
              f"{h['test_auc'] - o['test_auc']:+.4f}, batch throughput "
              f"{h['predict_rows_per_s'] / o['predict_rows_per_s']:.2f}x, 1-row latency "
              f"{h['latency_median_us'] / o['latency_median_us']:.3f}")
