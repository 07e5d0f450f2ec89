#!/usr/bin/env python3
"""Reference statistics of the shared real datasets, for SharedDatasetTests.swift.

Independent of Hone: Python's csv module reads each file, and each column is classified
with the rules Hone documents (missing tokens; integer when every value is an integer
and none is missing; float when every value is a number; timestamp when every value is
an ISO date; else categorical). Sums use math.fsum (exactly rounded).

Regenerate from the repository root:
    python3 Tests/HoneCoreTests/SharedFixtures/make_shared_dataset_fixtures.py [DATASETS_DIR]
DATASETS_DIR defaults to $HONE_DATASETS, then ../shared/datasets.
"""
import csv
import json
import math
import os
import re
import sys
from pathlib import Path

MISSING = {"", "NA", "N/A", "NaN", "nan", "NULL", "null", "?"}
FILES = [
    "adult/adult_train.csv",
    "bank_marketing/bank-additional-full.csv",
    "wine_quality/winequality-red.csv",
    "concrete/concrete.csv",
    "stocks_daily/AAPL.csv",
    "lightgbm/binary_train.csv",
]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INTEGER = re.compile(r"^ *[+-]?\d+ *$")


def number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value


def describe(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [r for r in rows[1:] if r != []]
    columns = []
    for c, name in enumerate(header):
        values = [r[c] for r in body]
        present = [v for v in values if v not in MISSING]
        missing = len(values) - len(present)
        numbers = [number(v) for v in present]
        if present and all(INTEGER.match(v) for v in present) and missing == 0:
            kind = "integer"
        elif all(n is not None for n in numbers):
            kind = "float"
        elif present and all(DATE.match(v) for v in present):
            kind = "timestamp"
        else:
            kind = "categorical"
        entry = {"name": name, "type": kind, "missing": missing}
        if kind in ("integer", "float"):
            entry["sum"] = math.fsum(numbers)
        if kind == "categorical":
            entry["distinct"] = len(set(present))
        columns.append(entry)
    return {"rows": len(body), "columns": columns}


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HONE_DATASETS", "../shared/datasets"))
    out = {name: describe(root / name) for name in FILES}
    target = Path(__file__).with_name("shared_datasets.json")
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
