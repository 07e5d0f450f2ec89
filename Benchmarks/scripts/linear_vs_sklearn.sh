#!/usr/bin/env bash
# Linear-model fit times: Hone versus scikit-learn on the anchors' 1,000,000 x 100 `linear`
# data, interleaved (hone, sklearn, hone, sklearn, ...), one fit per process call.
#
#   Benchmarks/scripts/linear_vs_sklearn.sh TASK [ROUNDS] [EXTRA...]   TASK: ridge | logistic | lassopath
#
# EXTRA options go to both sides, e.g. `--tolerance 1e-8` for logistic.
#
# Needs ../shared/anchors/setup.sh and make_data.py --only linear --no-csv. PYTHON defaults
# to the anchors' venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
TASK="${1:-ridge}"
ROUNDS="${2:-3}"
shift $(( $# < 2 ? $# : 2 ))
PYTHON="${PYTHON:-$HOME/.cache/hone-anchors/venv/bin/python}"
swift build -c release --package-path Benchmarks >/dev/null
BENCH=Benchmarks/.build/release/hone-bench
for _ in $(seq "$ROUNDS"); do
  "$BENCH" linear --task "$TASK" "$@"
  "$PYTHON" Benchmarks/peers/sklearn_linear.py --task "$TASK" "$@"
done | tee /dev/stderr | python3 Benchmarks/scripts/summarize_interleaved.py
