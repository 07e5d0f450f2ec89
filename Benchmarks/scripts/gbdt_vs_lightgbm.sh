#!/usr/bin/env bash
# GBDT training, accuracy, memory and prediction: Hone versus LightGBM (and optionally
# XGBoost) under the anchors' bench_gbdt.py protocol (higgs_like 1,000,000 x 28, first 80%
# train, last 20% test; 100 rounds, learning rate 0.1, 255 leaves, 255 bins, min data in
# leaf 20, L2 1, 2 threads), interleaved (hone, lightgbm, hone, lightgbm, ...), one fit per
# process so each peak RSS (/proc/self/status VmHWM) is its own.
#
#   Benchmarks/scripts/gbdt_vs_lightgbm.sh [ROUNDS] [EXTRA...]
#
# ROUNDS is the number of interleaved repetitions (default 3). EXTRA options go to both
# sides (e.g. `--rounds 10` for boosting rounds). PEERS (default "lightgbm") lists the
# peer libraries, e.g. PEERS="lightgbm xgboost sklearn".
#
# Needs ../shared/anchors/setup.sh and make_data.py (higgs_like). PYTHON defaults to the
# anchors' venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPEATS="${1:-3}"
shift $(( $# < 1 ? $# : 1 ))
PYTHON="${PYTHON:-$HOME/.cache/hone-anchors/venv/bin/python}"
swift build -c release --package-path Benchmarks >/dev/null
BENCH=Benchmarks/.build/release/hone-bench
for _ in $(seq "$REPEATS"); do
  "$BENCH" gbdt --threads 2 "$@"
  for peer in ${PEERS:-lightgbm}; do
    "$PYTHON" Benchmarks/peers/lightgbm_gbdt.py --lib "$peer" "$@"
  done
done | tee /dev/stderr | python3 Benchmarks/scripts/summarize_gbdt.py
