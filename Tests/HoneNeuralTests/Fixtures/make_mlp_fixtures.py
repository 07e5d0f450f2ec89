#!/usr/bin/env python3
"""Reference test AUCs of scikit-learn's MLPClassifier on LightGBM's binary example.

Data: ../shared/datasets/lightgbm/binary_train.csv and binary_test.csv (or $HONE_DATASETS),
label first, 28 features. Features are standardised with the training mean and standard
deviation (StandardScaler), as Hone's `standardize: true` does.

Model (the configuration HoneNeuralTests fits): hidden (64, 64), ReLU, Adam (lr 1e-3,
betas 0.9/0.999, eps 1e-8), batch 256, alpha (L2) 1e-4, exactly EPOCHS epochs (tol 0,
no early stopping), shuffled each epoch, float64.

The test AUC varies with the seed (initialisation and shuffling), so the fixture records
its mean and standard deviation over SEEDS seeds; the Swift test asks Hone's mean AUC over
a few seeds to lie within a band around sklearn's mean that this spread defines.

Run:  ~/.cache/hone-anchors/venv/bin/python make_mlp_fixtures.py   (sklearn 1.9.1)
Writes mlp_fixtures.json beside this script, with the test AUC of a logistic regression as
a linear baseline.
"""
import json
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
EPOCHS = 20
SEEDS = list(range(20))


def load(name, root):
    data = np.loadtxt(root / "lightgbm" / name, delimiter=",", skiprows=1)
    return data[:, 1:], data[:, 0]


def main():
    root = Path(os.environ.get("HONE_DATASETS", str(ROOT / "../shared/datasets")))
    if not root.is_absolute():
        root = ROOT / root
    Xtr, ytr = load("binary_train.csv", root)
    Xte, yte = load("binary_test.csv", root)
    scaler = StandardScaler().fit(Xtr)
    Xtr, Xte = scaler.transform(Xtr), scaler.transform(Xte)
    aucs, losses = [], []
    for seed in SEEDS:
        model = MLPClassifier(hidden_layer_sizes=(64, 64), activation="relu", solver="adam", alpha=1e-4,
                              batch_size=256, learning_rate_init=1e-3, max_iter=EPOCHS, shuffle=True,
                              random_state=seed, tol=0.0, n_iter_no_change=10**9, early_stopping=False,
                              beta_1=0.9, beta_2=0.999, epsilon=1e-8)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(Xtr, ytr)
        aucs.append(float(roc_auc_score(yte, model.predict_proba(Xte)[:, 1])))
        losses.append(float(model.loss_))
    # A linear baseline: the Swift test's band must be narrower than the gap to it, or
    # the test could not tell a network from a linear model.
    linear = LogisticRegression(max_iter=1000).fit(Xtr, ytr)
    linear_auc = float(roc_auc_score(yte, linear.predict_proba(Xte)[:, 1]))
    out = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "epochs": EPOCHS,
        "hidden": [64, 64],
        "batch_size": 256,
        "learning_rate": 1e-3,
        "alpha": 1e-4,
        "seeds": SEEDS,
        "test_auc": aucs,
        "test_auc_mean": float(np.mean(aucs)),
        "test_auc_std": float(np.std(aucs, ddof=1)),
        "final_train_loss_mean": float(np.mean(losses)),
        "logistic_test_auc": linear_auc,
    }
    (HERE / "mlp_fixtures.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"sklearn {sklearn.__version__}: test AUC {out['test_auc_mean']:.4f} ± {out['test_auc_std']:.4f} "
          f"over {len(SEEDS)} seeds; logistic regression {linear_auc:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()
