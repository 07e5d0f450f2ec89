"""Makes wilcoxon_scipy.json: scipy.stats.wilcoxon(d, zero_method="zsplit", alternative=...)
on difference vectors that exercise each of SciPy's default paths — the exact null
distribution (n <= 50, no ties or zeros), the exhaustive permutation test (n <= 13 with
ties or zeros) and the normal approximation (n > 50, or ties/zeros with n > 13) — which
WilcoxonSignedRankTest must reproduce.

Run with the anchors venv:  ~/.cache/hone-anchors/venv/bin/python make_wilcoxon_fixtures.py
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20261126)
cases = {
    "single": [0.7],
    "exact_6": (rng.normal(size=6) + 0.8).tolist(),
    "exact_10": (rng.normal(size=10) - 0.3).tolist(),
    "exact_25": (rng.normal(size=25) + 0.4).tolist(),
    "exact_50": (rng.normal(size=50) + 0.1).tolist(),
    "normal_60": (rng.normal(size=60) + 0.3).tolist(),
    "ties_8": np.round(rng.normal(size=8) + 0.5, 1).tolist(),
    "zeros_10": [0.0, 0.0, 0.3, -0.1, 0.5, 0.25, -0.4, 0.9, 0.0, 1.2],
    "ties_zeros_13": np.round(rng.normal(size=13), 0).tolist(),
    "ties_20": np.round(rng.normal(size=20) + 0.3, 1).tolist(),
    "ties_zeros_40": np.round(rng.normal(size=40) - 0.2, 0).tolist(),
    "all_positive_5": [0.1, 0.2, 0.3, 0.4, 0.5],
}
out = {"scipy": scipy.__version__, "cases": []}
for name, d in cases.items():
    for alternative in ["two-sided", "less", "greater"]:
        result = stats.wilcoxon(d, zero_method="zsplit", alternative=alternative)
        out["cases"].append(
            {
                "name": name,
                "differences": d,
                "alternative": alternative,
                "statistic": float(result.statistic),
                "pvalue": float(result.pvalue),
            }
        )
path = pathlib.Path(__file__).with_name("wilcoxon_scipy.json")
path.write_text(json.dumps(out, indent=1))
print(f"wrote {path}")
