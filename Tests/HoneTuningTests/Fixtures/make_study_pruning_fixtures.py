#!/usr/bin/env python3
"""Whole studies played through Optuna's SuccessiveHalvingPruner and WilcoxonPruner, for
PrunerFixtureTests: each trial reports values at increasing steps with gaps, asks
`should_prune()` after some reports (not all), stops at the first "prune" (told PRUNED), or
completes with the mean of its values. Every answer is recorded; the Swift test plays the
same studies through `Study`, `Trial.report` and `Trial.shouldPrune` and compares each one.
Run with Optuna 5.0.0 (../shared/anchors' venv):

    python make_study_pruning_fixtures.py > study_pruning_optuna.json

Seeded: the same file every run."""
import json
import random
import warnings

import optuna
from optuna.trial import TrialState

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.simplefilter("ignore")  # WilcoxonPruner warns about steps the best trial lacks


def make(spec):
    if spec["kind"] == "halving":
        return optuna.pruners.SuccessiveHalvingPruner(
            min_resource=spec["minResource"], reduction_factor=spec["reductionFactor"],
            min_early_stopping_rate=spec["minEarlyStoppingRate"], bootstrap_count=spec["bootstrapCount"])
    return optuna.pruners.WilcoxonPruner(p_threshold=spec["pThreshold"], n_startup_steps=spec["startupSteps"])


def play(spec, direction, trials):
    study = optuna.create_study(direction=direction, pruner=make(spec))
    answers = []
    for reports, asks in trials:
        trial = study.ask()
        mine = []
        pruned = False
        for index, (step, value) in enumerate(reports):
            trial.report(value, step)
            if index in asks:
                answer = bool(trial.should_prune())
                mine.append(answer)
                if answer:
                    pruned = True
                    break
        if pruned:
            study.tell(trial, state=TrialState.PRUNED)
        else:
            study.tell(trial, sum(v for _, v in reports) / len(reports))
        answers.append(mine)
    return answers


rng = random.Random(20261127)
studies = []
for k in range(60):
    if k % 2 == 0:
        spec = {"kind": "halving", "minResource": rng.choice([1, 2]), "reductionFactor": rng.choice([2, 3]),
                "minEarlyStoppingRate": rng.choice([0, 0, 1]), "bootstrapCount": rng.choice([0, 0, 1])}
        max_step = 20
    else:
        spec = {"kind": "wilcoxon", "pThreshold": rng.choice([0.1, 0.3]), "startupSteps": rng.choice([2, 3])}
        max_step = 8
    direction = rng.choice(["minimize", "maximize"])
    ask_rate = rng.choice([0.5, 1.0])
    trials = []
    for _ in range(rng.randint(6, 12)):
        count = rng.randint(2, max_step)
        steps = sorted(rng.sample(range(max_step + 1), count))
        # Whole hundredths: the values and their means are exact enough that a decision
        # never hangs on the last bit of a sum.
        reports = [(s, rng.randint(0, 100) / 100) for s in steps]
        asks = [i for i in range(count) if rng.random() < ask_rate]
        trials.append((reports, asks))
    answers = play(spec, direction, trials)
    studies.append({"pruner": spec, "direction": direction,
                    "trials": [{"reports": r, "asks": a, "answers": ans} for (r, a), ans in zip(trials, answers)]})
print(json.dumps({"optuna": optuna.__version__, "studies": studies}))
