#!/usr/bin/env bash
# CSV parse throughput: Hone versus pandas.read_csv on the same file, interleaved
# (hone, pandas, hone, pandas, …) so both see the same machine state.
#
#   Benchmarks/scripts/csv_vs_pandas.sh [FILE] [ROUNDS]
#
# FILE defaults to the anchors' 1,000,000 x 28 higgs_like.csv (make it with
# ../shared/anchors/setup.sh and make_data.py --only higgs_like). PYTHON defaults to the
# anchors' venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE="${1:-${ANCHORS_DATA:-$HOME/.cache/hone-anchors/data}/higgs_like.csv}"
ROUNDS="${2:-5}"
PYTHON="${PYTHON:-$HOME/.cache/hone-anchors/venv/bin/python}"
swift build -c release --package-path Benchmarks >/dev/null
BENCH=Benchmarks/.build/release/hone-bench
for _ in $(seq "$ROUNDS"); do
  "$BENCH" csv "$FILE" --json
  "$PYTHON" Benchmarks/peers/pandas_read_csv.py "$FILE"
done | python3 Benchmarks/scripts/summarize_interleaved.py
