#!/usr/bin/env python3
"""Summarises interleaved benchmark runs read as JSON lines on standard input.

Each line is {"reader": NAME, "seconds": S, "rows": R, "bytes": B, ...}. Prints a Markdown
table of median times per reader and the ratio of the first reader's median to the second's.
"""
import json
import statistics
import sys

runs = [json.loads(line) for line in sys.stdin if line.startswith("{")]
times = {}
for run in runs:
    times.setdefault(run["reader"], []).append(run["seconds"])
names = list(times)
rounds = len(times[names[0]])
if "bytes" in runs[0] and runs[0].get("bytes"):
    size, rows = runs[0]["bytes"], runs[0]["rows"]
    print(f"file: {rows} rows, {size / 1e6:.1f} MB; {rounds} interleaved rounds; median seconds")
    print("| reader | seconds | MB/s | M rows/s |")
    print("|---|---:|---:|---:|")
    for name in names:
        m = statistics.median(times[name])
        print(f"| {name} | {m:.3f} | {size / m / 1e6:.0f} | {rows / m / 1e6:.2f} |")
else:
    objectives = {}
    for run in runs:
        objectives.setdefault(run["reader"], []).append(run.get("objective"))
    print(f"task {runs[0].get('task')}; {rounds} interleaved rounds; median seconds")
    print("| library | seconds | objective |")
    print("|---|---:|---:|")
    for name in names:
        print(f"| {name} | {statistics.median(times[name]):.3f} | {objectives[name][-1]!r} |")
if len(names) == 2:
    first, second = (statistics.median(times[n]) for n in names)
    print(f"{names[0]} time / {names[1]} time = {first / second:.3f}")
