#!/usr/bin/env python3
"""Peer for `hone-bench csv`: times pandas.read_csv on one file, once per call.

Prints one JSON object: {"reader": "pandas", "seconds": ..., "rows": ..., "columns": ...}.
Run with the anchors' venv (../shared/anchors/setup.sh), which has pandas.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
import pandas as pd  # noqa: E402

path = sys.argv[1]
start = time.perf_counter()
frame = pd.read_csv(path)
elapsed = time.perf_counter() - start
print(json.dumps({"reader": "pandas", "version": pd.__version__, "seconds": elapsed,
                  "rows": frame.shape[0], "columns": frame.shape[1], "bytes": os.path.getsize(path)}))
