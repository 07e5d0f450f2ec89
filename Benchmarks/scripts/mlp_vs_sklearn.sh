#!/usr/bin/env bash
# MLP training time per epoch: Hone versus scikit-learn's MLPClassifier under the anchors'
# bench_mlp.py protocol (higgs_like_100k, 28-64-64-1 ReLU, Adam, batch 256, 10 epochs),
# interleaved (hone, sklearn, hone, sklearn, ...), one fit per process call.
#
#   Benchmarks/scripts/mlp_vs_sklearn.sh [ROUNDS] [EXTRA...]
#
# EXTRA options go to both sides (e.g. `--epochs 5`). HONE_PRECISION (float32 | float64,
# default float32) and HONE_THREADS (BLAS threads, default 2 as the anchors) select
# Hone's variant; SKLEARN_DTYPE (float64 | float32, default float64) scikit-learn's.
#
# Needs ../shared/anchors/setup.sh and make_data.py --only higgs_like_100k. PYTHON defaults
# to the anchors' venv. PyTorch is not installed on the project machines, so it is not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-5}"
shift $(( $# < 1 ? $# : 1 ))
PYTHON="${PYTHON:-$HOME/.cache/hone-anchors/venv/bin/python}"
swift build -c release --package-path Benchmarks >/dev/null
BENCH=Benchmarks/.build/release/hone-bench
for _ in $(seq "$ROUNDS"); do
  "$BENCH" mlp --precision "${HONE_PRECISION:-float32}" --threads "${HONE_THREADS:-2}" "$@"
  "$PYTHON" Benchmarks/peers/sklearn_mlp.py --dtype "${SKLEARN_DTYPE:-float64}" "$@"
done | tee /dev/stderr | python3 Benchmarks/scripts/summarize_interleaved.py
