#!/usr/bin/env python3
"""Which basin each Hartmann-6 run ended in: reads the JSON lines of `hone-bench hpo
--function hartmann6` and/or `peers/optuna_hpo.py --function hartmann6` on stdin and prints,
per library, how many best points lie nearer the global minimum (-3.32237) than the
second-best local minimum (-3.20316), with the median best value in each group.

  Benchmarks/.build/release/hone-bench hpo --function hartmann6 --seeds 200 --first-seed 100 \\
    | Benchmarks/scripts/hartmann_basins.py
"""
import collections
import json
import math
import statistics
import sys

# The two minima (Surjanovic & Bingham's test-function library; the local one rounded).
GLOBAL = (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)
LOCAL = (0.40465, 0.88244, 0.84610, 0.57399, 0.13893, 0.03850)

groups = collections.defaultdict(lambda: {"global": [], "local": []})
for line in sys.stdin:
    if not line.startswith("{"):
        continue
    run = json.loads(line)
    if run.get("function") != "hartmann6" or not run.get("x"):
        continue
    basin = "global" if math.dist(run["x"], GLOBAL) < math.dist(run["x"], LOCAL) else "local"
    groups[run["library"]][basin].append(run["best"])
for library, basins in groups.items():
    total = len(basins["global"]) + len(basins["local"])
    cells = [f"{name} {len(v)}/{total} (median {statistics.median(v):.4f})" for name, v in basins.items() if v]
    print(f"{library:7s} " + "  ".join(cells))
