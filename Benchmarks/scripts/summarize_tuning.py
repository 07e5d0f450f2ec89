#!/usr/bin/env python3
"""Summarises `hone-bench tune` and `peers/optuna_lightgbm_tuning.py` JSON lines: per library,
the median over repetitions of the best CV AUC, the best CV AUC after 10 / 25 / all trials,
the wall time, and Hone's ratios to the peer (wall time: Hone / peer; AUC: Hone - peer)."""
import json
import statistics
import sys

lines = sys.stdin.read().splitlines()
runs = [json.loads(line) for line in lines if line.startswith("{")]


def best_after(run, k):
    values = [v for v in run["trial_auc"][:k] if v is not None]
    return max(values) if values else float("nan")


rows = {}
print("| library | runs | trials | rounds | early stopping | best CV AUC | best after 10 / 25 trials (or all) | wall s | s/trial |")
print("|---|---:|---:|---:|---|---:|---|---:|---:|")
for library in dict.fromkeys(r["library"] for r in runs):
    rs = [r for r in runs if r["library"] == library]
    auc = statistics.median(r["best_cv_auc"] for r in rs)
    wall = statistics.median(r["wall_s"] for r in rs)
    trials = rs[0]["trials"]
    rows[library] = (auc, wall)
    after = " / ".join(f"{statistics.median(best_after(r, k) for r in rs):.5f}" for k in (10, 25))
    stopping = "yes" if rs[0]["early_stopping"] else "no"
    print(f"| {library} | {len(rs)} | {trials} | {rs[0]['rounds']} | {stopping} | {auc:.5f} | {after} "
          f"| {wall:.1f} | {wall / trials:.2f} |")
if "hone" in rows and len(rows) > 1:
    peer = next(name for name in rows if name != "hone")
    (ha, hw), (pa, pw) = rows["hone"], rows[peer]
    print(f"\nHone / {peer}: wall time ratio {hw / pw:.3f}; best CV AUC difference {ha - pa:+.5f}")
for r in runs:
    extra = f", median rounds trained {r['median_rounds_trained']:.0f}" if "median_rounds_trained" in r else ""
    print(f"- {r['library']} best params (trial {r['best_trial']}): {json.dumps(r['best_params'])}{extra}",
          file=sys.stderr)
for line in lines:
    if line.startswith("load average"):
        print(line, file=sys.stderr)
