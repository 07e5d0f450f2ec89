#!/usr/bin/env bash
# Hone's samplers versus Optuna's on Branin, Hartmann-6 and 10-d Rosenbrock (the anchors'
# bench_hpo.py functions and boxes), alternating per function.
#
#   Benchmarks/scripts/hpo_vs_optuna.sh [TRIALS] [SEEDS] [SAMPLER]     SAMPLER: tpe | tpe-independent | random
set -euo pipefail
cd "$(dirname "$0")/../.."
TRIALS="${1:-100}"
SEEDS="${2:-10}"
SAMPLER="${3:-tpe}"
PYTHON="${PYTHON:-$HOME/.cache/hone-anchors/venv/bin/python}"
swift build -c release --package-path Benchmarks >/dev/null
for f in branin hartmann6 rosenbrock; do
  Benchmarks/.build/release/hone-bench hpo --function "$f" --trials "$TRIALS" --seeds "$SEEDS" --sampler "$SAMPLER"
  "$PYTHON" Benchmarks/peers/optuna_hpo.py --function "$f" --trials "$TRIALS" --seeds "$SEEDS" --sampler "$SAMPLER"
done | "$PYTHON" Benchmarks/scripts/summarize_hpo.py
