#!/usr/bin/env python3
"""Optuna's ThresholdPruner, PatientPruner and MedianPruner (interval_steps, n_min_trials)
decisions on hand-built studies, for PrunerFixtureTests. Run with Optuna 5.0.0
(../shared/anchors' venv):

    python make_pruner_fixtures.py > pruner_optuna.json

Intermediate values are [step, value] pairs; a NaN value is written as null, an infinite one
as the string "inf" or "-inf". "pruner" names
the pruner and its arguments as Hone spells them."""
import json
import math
import warnings

import optuna
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.simplefilter("ignore")  # PatientPruner is experimental; all-NaN slices warn


def make(spec):
    kind = spec["kind"]
    if kind == "threshold":
        return optuna.pruners.ThresholdPruner(lower=spec.get("lower"), upper=spec.get("upper"),
                                              n_warmup_steps=spec.get("warmupSteps", 0),
                                              interval_steps=spec.get("intervalSteps", 1))
    if kind == "median":
        return optuna.pruners.PercentilePruner(spec.get("percentile", 50.0),
                                               n_startup_trials=spec.get("startupTrials", 5),
                                               n_warmup_steps=spec.get("warmupSteps", 0),
                                               interval_steps=spec.get("intervalSteps", 1),
                                               n_min_trials=spec.get("minTrials", 1))
    if kind == "patient":
        inner = make(spec["wrapped"]) if spec.get("wrapped") else None
        return optuna.pruners.PatientPruner(inner, patience=spec["patience"], min_delta=spec.get("minDelta", 0.0))
    raise ValueError(kind)


def decide(spec, direction, completed, running):
    study = optuna.create_study(direction=direction)
    for values in completed:
        study.add_trial(create_trial(state=TrialState.COMPLETE, value=1.0, intermediate_values=dict(values)))
    study.add_trial(create_trial(state=TrialState.RUNNING, intermediate_values=dict(running)))
    return make(spec).prune(study, study.get_trials(deepcopy=False)[-1])


NAN = float("nan")
CURVE = [(s, 10.0 - s) for s in range(8)]  # 10, 9, ..., 3 at steps 0...7
ONE_TO_FIVE = [[(s, float(k)) for s in range(10)] for k in range(1, 6)]
STALLED = [(0, 5.0), (1, 4.0), (2, 3.0), (3, 3.5), (4, 3.2), (5, 3.1)]
RISING = [(0, 1.0), (1, 2.0), (2, 3.0), (3, 2.5), (4, 2.8), (5, 2.9)]
CASES = [
    ("threshold: above the upper bound", {"kind": "threshold", "upper": 1.0}, "minimize", [], [(0, 0.5), (1, 1.2)]),
    ("threshold: inside", {"kind": "threshold", "upper": 1.0}, "minimize", [], [(0, 1.2), (1, 0.5)]),
    ("threshold: equal to the bound", {"kind": "threshold", "upper": 1.0}, "minimize", [], [(0, 1.0)]),
    ("threshold: below the lower bound", {"kind": "threshold", "lower": 0.0}, "maximize", [], [(0, 0.3), (1, -1.0)]),
    ("threshold: both bounds, inside", {"kind": "threshold", "lower": 0.0, "upper": 1.0}, "minimize", [], [(0, 0.7)]),
    ("threshold: NaN", {"kind": "threshold", "upper": 1.0}, "minimize", [], [(0, NAN)]),
    ("threshold: warm-up", {"kind": "threshold", "upper": 1.0, "warmupSteps": 3}, "minimize", [], [(2, 9.0)]),
    ("threshold: at a check point", {"kind": "threshold", "upper": 1.0, "warmupSteps": 2, "intervalSteps": 5},
     "minimize", [], CURVE),
    ("threshold: between check points", {"kind": "threshold", "upper": 1.0, "warmupSteps": 2, "intervalSteps": 5},
     "minimize", [], CURVE + [(8, 2.0)]),
    ("threshold: a check point skipped is taken at the next step",
     {"kind": "threshold", "upper": 1.0, "warmupSteps": 2, "intervalSteps": 5}, "minimize", [], [(0, 9.0), (3, 8.0), (9, 7.0)]),
    ("threshold: the first check point is the warm-up's end",
     {"kind": "threshold", "upper": 1.0, "warmupSteps": 2, "intervalSteps": 5}, "minimize", [], [(0, 9.0), (2, 8.0)]),
    ("threshold: one step after the warm-up's end",
     {"kind": "threshold", "upper": 1.0, "warmupSteps": 2, "intervalSteps": 5}, "minimize", [], [(0, 9.0), (2, 8.0), (3, 7.0)]),
    ("patient: stalled", {"kind": "patient", "patience": 2}, "minimize", [], STALLED),
    ("patient: stalled within the tolerance", {"kind": "patient", "patience": 2, "minDelta": 0.2}, "minimize", [], STALLED),
    ("patient: still improving", {"kind": "patient", "patience": 2}, "minimize", [], STALLED[:3] + [(3, 2.9)]),
    ("patient: too few steps", {"kind": "patient", "patience": 5}, "minimize", [], STALLED),
    ("patient: patience 0", {"kind": "patient", "patience": 0}, "minimize", [], [(0, 1.0), (1, 2.0)]),
    ("patient: maximising, stalled", {"kind": "patient", "patience": 2}, "maximize", [], RISING),
    ("patient: maximising, within the tolerance", {"kind": "patient", "patience": 2, "minDelta": 0.15}, "maximize", [], RISING),
    ("patient: NaNs in the window only", {"kind": "patient", "patience": 1}, "minimize", [], [(0, 1.0), (1, NAN), (2, NAN)]),
    ("patient: NaNs before are left out", {"kind": "patient", "patience": 1}, "minimize", [], [(0, NAN), (1, 1.0), (2, 2.0), (3, 3.0)]),
    ("patient: stalled, wrapped median keeps a good trial",
     {"kind": "patient", "patience": 2, "wrapped": {"kind": "median", "startupTrials": 1}}, "minimize",
     [[(s, 4.0) for s in range(6)]] * 3, STALLED),
    ("patient: stalled, wrapped median prunes a poor trial",
     {"kind": "patient", "patience": 2, "wrapped": {"kind": "median", "startupTrials": 1}}, "minimize",
     [[(s, 1.0) for s in range(6)]] * 3, STALLED),
    ("patient: improving, wrapped median does not get asked",
     {"kind": "patient", "patience": 2, "wrapped": {"kind": "median", "startupTrials": 1}}, "minimize",
     [[(s, 1.0) for s in range(6)]] * 3, STALLED[:3] + [(3, 2.9)]),
    ("median: interval, at a check point", {"kind": "median", "warmupSteps": 1, "intervalSteps": 3}, "minimize",
     ONE_TO_FIVE, [(s, 4.0) for s in range(8)]),
    ("median: interval, between check points", {"kind": "median", "warmupSteps": 1, "intervalSteps": 3}, "minimize",
     ONE_TO_FIVE, [(s, 4.0) for s in range(9)]),
    ("median: interval, a skipped check point", {"kind": "median", "warmupSteps": 1, "intervalSteps": 3}, "minimize",
     ONE_TO_FIVE, [(0, 4.0), (5, 4.0)]),
    ("median: fewer completed values at the step than minTrials", {"kind": "median", "startupTrials": 1, "minTrials": 3},
     "minimize", [[(2, 1.0)], [(2, 2.0)], [(1, 0.5)]], [(2, 9.0)]),
    ("median: enough completed values at the step", {"kind": "median", "startupTrials": 1, "minTrials": 2},
     "minimize", [[(2, 1.0)], [(2, 2.0)], [(1, 0.5)]], [(2, 9.0)]),
    ("median: NaNs count towards minTrials", {"kind": "median", "startupTrials": 1, "minTrials": 3},
     "minimize", [[(2, NAN)], [(2, NAN)], [(2, 1.0)]], [(2, 3.5)]),
    ("percentile: interpolated from the upper value past half-way, to the last bit",
     {"kind": "median", "startupTrials": 1, "percentile": 25}, "minimize",
     [[(2, 0.57)], [(2, 0.8)], [(2, 0.06)]], [(2, 0.315)]),
    ("median: between two infinities there is no threshold", {"kind": "median", "startupTrials": 1},
     "maximize", [[(2, 1.0)], [(2, math.inf)]], [(2, 5.0)]),
]


def pairs(values):
    return [[step, None if math.isnan(value) else value if math.isfinite(value) else str(value)]
            for step, value in values]


out = []
for name, spec, direction, completed, running in CASES:
    out.append({"name": name, "pruner": spec, "direction": direction, "completed": [pairs(t) for t in completed],
                "running": pairs(running), "prune": bool(decide(spec, direction, completed, running))})
print(json.dumps({"optuna": optuna.__version__, "cases": out}, indent=1))
