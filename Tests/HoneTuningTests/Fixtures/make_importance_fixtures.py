"""Makes importance_optuna.json: trials of a known additive objective and the
importances Optuna's FanovaImportanceEvaluator gives them.

Run with the anchors venv:  ~/.cache/hone-anchors/venv/bin/python make_importance_fixtures.py
f = 4*x1 + 2*x2**2 + 0.75*x4, x3 unused; closed-form main-effect shares are about
0.77 (x1), 0.21 (x2), 0.03 (x4), 0 (x3). Every range is linear: Optuna's evaluator
measures log ranges on the linear scale, Hone's on the log scale, so a log range would
rate differently by design.
"""
import json
import pathlib

import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from optuna.importance import FanovaImportanceEvaluator, get_param_importances

optuna.logging.set_verbosity(optuna.logging.WARNING)
rng = np.random.default_rng(20261126)
n = 300
distributions = {
    "x1": FloatDistribution(0, 1),
    "x2": FloatDistribution(0, 1),
    "x3": FloatDistribution(0, 1),
    "x4": FloatDistribution(0, 1),
}
study = optuna.create_study()
trials, values = [], []
for _ in range(n):
    params = {
        "x1": float(rng.uniform()),
        "x2": float(rng.uniform()),
        "x3": float(rng.uniform()),
        "x4": float(rng.uniform()),
    }
    value = 4 * params["x1"] + 2 * params["x2"] ** 2 + 0.75 * params["x4"]
    study.add_trial(optuna.trial.create_trial(params=params, distributions=distributions, value=value))
    trials.append(params)
    values.append(value)
importances = get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=0), normalize=True)
out = {
    "optuna": optuna.__version__,
    "trials": trials,
    "values": values,
    "importances": {k: float(v) for k, v in importances.items()},
}
path = pathlib.Path(__file__).with_name("importance_optuna.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(out["optuna"], out["importances"])
