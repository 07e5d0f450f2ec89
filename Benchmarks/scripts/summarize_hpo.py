#!/usr/bin/env python3
"""Summarises `hone-bench hpo` and `peers/optuna_hpo.py` JSON lines: per function, the median
best value of each library over seeds, the Wilcoxon signed-rank test on the paired seeds, and
the median overhead per trial with its ratio (per seed: mean of the last 10 trials, as the
issue defines it), then the same from each seed's median of its last 100 trials, which a
shared machine's preemptions disturb much less."""
import json
import math
import statistics
import sys

from scipy.stats import wilcoxon

runs = [json.loads(line) for line in sys.stdin if line.startswith("{")]
functions = sorted({r["function"] for r in runs})


def paired(function):
    """Hone's and Optuna's runs of `function` by seed, and the seeds both have."""
    hone = {r["seed"]: r for r in runs if r["function"] == function and r["library"] == "hone"}
    optuna = {r["seed"]: r for r in runs if r["function"] == function and r["library"] == "optuna"}
    return hone, optuna, sorted(set(hone) & set(optuna))


print("| function | trials | seeds | Hone median best | Optuna median best | Hone better on | Wilcoxon p (two-sided) | Hone ms/trial | Optuna ms/trial | overhead ratio |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for f in functions:
    hone, optuna, seeds = paired(f)
    h = [hone[s]["best"] for s in seeds]
    o = [optuna[s]["best"] for s in seeds]
    wins = sum(a < b for a, b in zip(h, o))
    try:
        p = wilcoxon(h, o).pvalue
    except ValueError:
        p = float("nan")
    ho = statistics.median(hone[s]["overhead_ms"] for s in seeds)
    oo = statistics.median(optuna[s]["overhead_ms"] for s in seeds)
    trials = hone[seeds[0]]["trials"]
    print(f"| {f} | {trials} | {len(seeds)} | {statistics.median(h):.6g} | {statistics.median(o):.6g} | {wins}/{len(seeds)} | {p:.3g} | {ho:.3f} | {oo:.3f} | {ho / oo:.3f} |")

robust = [f for f in functions if all("overhead_median_ms" in r for r in runs if r["function"] == f)]
if robust:
    print()
    print("| function | Hone ms/trial (median of last 100) | Optuna ms/trial (median of last 100) | overhead ratio |")
    print("|---|---:|---:|---:|")
    for f in robust:
        hone, optuna, seeds = paired(f)
        ho = statistics.median(hone[s]["overhead_median_ms"] for s in seeds)
        oo = statistics.median(optuna[s]["overhead_median_ms"] for s in seeds)
        print(f"| {f} | {ho:.3f} | {oo:.3f} | {ho / oo:.3f} |")

# The mean over seeds of log10(best − f*): a median of ten seeds swings with one run, and
# this weighs every seed's distance to the optimum on the scale TPE progresses on.
MINIMA = {"branin": 0.397887357729739, "hartmann6": -3.32236801141551, "rosenbrock": 0.0, "ackley": 0.0,
          "camel": -1.0316284534898774, "hartmann3": -3.86278214782076, "rastrigin": 0.0,
          "styblinski": -39.16616570377142 * 5}
known = [f for f in functions if f in MINIMA]
if known:
    print()
    print("| function | Hone mean log10(best − f*) | Optuna mean log10(best − f*) |")
    print("|---|---:|---:|")
    for f in known:
        hone, optuna, seeds = paired(f)
        regret = lambda r: math.log10(max(r["best"] - MINIMA[f], 1e-12))  # noqa: E731
        print(f"| {f} | {statistics.mean(regret(hone[s]) for s in seeds):+.3f} | "
              f"{statistics.mean(regret(optuna[s]) for s in seeds):+.3f} |")
