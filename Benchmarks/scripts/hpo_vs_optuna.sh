#!/usr/bin/env bash
# Hone's samplers versus Optuna's on Branin, Hartmann-6 and 10-d Rosenbrock (the anchors'
# bench_hpo.py functions and boxes), alternating per function.
#
#   Benchmarks/scripts/hpo_vs_optuna.sh [TRIALS] [SEEDS] [SAMPLER] [FIRST_SEED]
#
# SAMPLER: tpe | tpe-independent | random. Seeds run from FIRST_SEED (default 0, the issue's
# seeds); choices about the sampler's defaults are made on other seeds (100 on). FUNCTIONS
# (environment) replaces the issue's three, e.g. the held-out
# FUNCTIONS="ackley camel hartmann3 rastrigin styblinski".
set -euo pipefail
cd "$(dirname "$0")/../.."
TRIALS="${1:-100}"
SEEDS="${2:-10}"
SAMPLER="${3:-tpe}"
FIRST_SEED="${4:-0}"
PYTHON="${PYTHON:-$HOME/.cache/hone-anchors/venv/bin/python}"
swift build -c release --package-path Benchmarks >/dev/null
for f in ${FUNCTIONS:-branin hartmann6 rosenbrock}; do
  Benchmarks/.build/release/hone-bench hpo --function "$f" --trials "$TRIALS" --seeds "$SEEDS" --sampler "$SAMPLER" \
    --first-seed "$FIRST_SEED"
  "$PYTHON" Benchmarks/peers/optuna_hpo.py --function "$f" --trials "$TRIALS" --seeds "$SEEDS" --sampler "$SAMPLER" \
    --first-seed "$FIRST_SEED"
done | "$PYTHON" Benchmarks/scripts/summarize_hpo.py
