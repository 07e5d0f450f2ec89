#!/usr/bin/env bash
# The real tuning task of issue 7: Hone's ModelTuner + TPE on the gbdt classifier versus
# Optuna + LightGBM, under the anchors' protocol (bench_hpo.py, part lgbm): higgs_like_100k,
# first 80,000 rows, 5-fold CV with fold = index % 5, mean fold AUC, 50 trials of
# TPESampler(seed=0), 2 threads, LightGBM's six-parameter space (Hone's names on Hone's
# side). Alternates hone, peer, hone, peer, ... and prints the summary table.
#
#   Benchmarks/scripts/tuning_vs_optuna_lightgbm.sh [REPEATS] [EXTRA...]
#
# REPEATS (default 1) is the number of alternating pairs. EXTRA options go to both sides
# (e.g. `--trials 10`). Both sides stop each trial's folds early after 20 rounds without
# an AUC improvement, within 300 rounds (`--early-stopping N` for another patience,
# `--early-stopping 0` for fixed rounds on both); lgb.cv stops its folds together on the
# mean curve, Hone each fold on its own. HONE_ARGS / PEER_ARGS go to one side only.
#
# OMP_WAIT_POLICY defaults to PASSIVE: on a machine shared with other jobs LightGBM's
# spinning OpenMP barriers slow it by orders of magnitude; Hone's threads do not spin.
# Needs ../shared/anchors/make_data.py (higgs_like_100k). PYTHON defaults to the anchors' venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPEATS="${1:-1}"
shift $(( $# < 1 ? $# : 1 ))
PYTHON="${PYTHON:-$HOME/.cache/hone-anchors/venv/bin/python}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
swift build -c release --package-path Benchmarks >/dev/null
BENCH=Benchmarks/.build/release/hone-bench
for _ in $(seq "$REPEATS"); do
  # Load lines go down the pipe with the results (the summary repeats them): written
  # straight to stderr they would clobber what `tee /dev/stderr` writes to the same file.
  echo "load average before hone: $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  "$BENCH" tune "$@" ${HONE_ARGS:-}
  echo "load average before peer: $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  "$PYTHON" Benchmarks/peers/optuna_lightgbm_tuning.py "$@" ${PEER_ARGS:-}
  echo "load average after peer: $(cut -d' ' -f1-3 /proc/loadavg)"
done | tee /dev/stderr | "$PYTHON" Benchmarks/scripts/summarize_tuning.py
