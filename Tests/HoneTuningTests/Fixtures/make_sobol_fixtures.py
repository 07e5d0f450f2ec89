"""Makes sobol_scipy.json: the first 128 points of SciPy's unscrambled Sobol sequence in
all 64 dimensions of Hone's direction-number table, which SobolSequence must reproduce
exactly (the points are dyadic fractions, so exact equality is the right test).

Run with the anchors venv:  ~/.cache/hone-anchors/venv/bin/python make_sobol_fixtures.py
"""
import json
import pathlib

import scipy
from scipy.stats import qmc

DIMENSIONS, LOG2_POINTS = 64, 7
points = qmc.Sobol(d=DIMENSIONS, scramble=False).random_base2(m=LOG2_POINTS)
out = pathlib.Path(__file__).with_name("sobol_scipy.json")
out.write_text(json.dumps({"scipy": scipy.__version__, "dimensions": DIMENSIONS, "points": points.tolist()}))
print(f"wrote {out}")
