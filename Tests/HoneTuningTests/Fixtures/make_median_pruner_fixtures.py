#!/usr/bin/env python3
"""Optuna's MedianPruner / PercentilePruner decisions on hand-built studies, for
MedianPrunerFixtureTests. Run with Optuna 5.0.0 (../shared/anchors' venv):

    python make_median_pruner_fixtures.py > median_pruner_optuna.json

Intermediate values are [step, value] pairs; a NaN value is written as null."""
import json
import math

import optuna
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.WARNING)


def decide(direction, completed, pruned, running, startup, warmup, percentile):
    study = optuna.create_study(direction=direction)
    for values in completed:
        study.add_trial(create_trial(state=TrialState.COMPLETE, value=1.0, intermediate_values=dict(values)))
    for values in pruned:
        study.add_trial(create_trial(state=TrialState.PRUNED, intermediate_values=dict(values)))
    study.add_trial(create_trial(state=TrialState.RUNNING, intermediate_values=dict(running)))
    pruner = optuna.pruners.PercentilePruner(percentile, n_startup_trials=startup, n_warmup_steps=warmup)
    return pruner.prune(study, study.get_trials(deepcopy=False)[-1])


NAN = float("nan")
ONE_TO_FIVE = [[(0, 10.0), (2, float(k))] for k in range(1, 6)]
CASES = [
    ("the worse half, minimising", "minimize", ONE_TO_FIVE, [], [(2, 3.5)], 5, 0, 50),
    ("better than the median", "minimize", ONE_TO_FIVE, [], [(2, 2.5)], 5, 0, 50),
    ("equal to the median", "minimize", ONE_TO_FIVE, [], [(2, 3.0)], 5, 0, 50),
    ("maximising, above the median", "maximize", ONE_TO_FIVE, [], [(2, 3.5)], 5, 0, 50),
    ("maximising, below the median", "maximize", ONE_TO_FIVE, [], [(2, 2.5)], 5, 0, 50),
    ("the best step so far counts, not the latest", "minimize", ONE_TO_FIVE, [], [(0, 1.0), (2, 3.5)], 5, 0, 50),
    ("the best step so far, maximising", "maximize", ONE_TO_FIVE, [], [(0, 9.0), (2, 2.5)], 5, 0, 50),
    ("pruned trials do not set the bar", "minimize", ONE_TO_FIVE, [[(2, 0.1)]] * 6, [(2, 3.5)], 5, 0, 50),
    ("pruned trials do not count for start-up", "minimize", ONE_TO_FIVE[:4], [[(2, 0.1)]] * 3, [(2, 99.0)], 5, 0, 50),
    ("a trial of NaNs is pruned", "minimize", ONE_TO_FIVE, [], [(2, NAN)], 5, 0, 50),
    ("NaNs among completed values are left out", "minimize", ONE_TO_FIVE + [[(2, NAN)]] * 3, [], [(2, 3.1)], 5, 0, 50),
    ("NaNs left out, better than the median", "minimize", ONE_TO_FIVE + [[(2, NAN)]] * 3, [], [(2, 2.9)], 5, 0, 50),
    ("no completed trial has the step", "minimize", ONE_TO_FIVE, [], [(7, 99.0)], 5, 0, 50),
    ("warm-up protects early steps", "minimize", ONE_TO_FIVE, [], [(2, 99.0)], 1, 3, 50),
    ("80th percentile, 4.1 passes", "minimize", ONE_TO_FIVE, [], [(2, 4.1)], 1, 0, 80),
    ("80th percentile, 4.3 is pruned", "minimize", ONE_TO_FIVE, [], [(2, 4.3)], 1, 0, 80),
    ("25th percentile maximising uses the 75th", "maximize", ONE_TO_FIVE, [], [(2, 3.9)], 1, 0, 25),
    ("25th percentile maximising, 4.1 passes", "maximize", ONE_TO_FIVE, [], [(2, 4.1)], 1, 0, 25),
]


def pairs(values):
    return [[step, None if math.isnan(value) else value] for step, value in values]


out = []
for name, direction, completed, pruned, running, startup, warmup, percentile in CASES:
    out.append({"name": name, "direction": direction, "completed": [pairs(t) for t in completed],
                "pruned": [pairs(t) for t in pruned], "running": pairs(running), "startupTrials": startup,
                "warmupSteps": warmup, "percentile": percentile,
                "prune": bool(decide(direction, completed, pruned, running, startup, warmup, percentile))})
print(json.dumps({"optuna": optuna.__version__, "cases": out}, indent=1))
