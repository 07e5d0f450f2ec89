#!/usr/bin/env python3
"""Reference fixtures for the HoneLinearAlgebra tests.

Regenerate from this folder with:

    python3 make_fixtures.py

It writes linalg_fixtures.json next to this script. Inputs come from numpy's default_rng
with fixed seeds, so the output is deterministic for given NumPy/SciPy versions (the
versions used are recorded in the file). References come from NumPy and SciPy, which call
their own LAPACK builds, so they are independent of the OpenBLAS that Hone links.

Matrices are stored row-major as lists of rows. Vectors are plain lists. LAPACK pivot
indices are stored 1-based, as LAPACK and Hone report them.
"""

import json
import pathlib

import numpy as np
import scipy
import scipy.linalg

OUTPUT = pathlib.Path(__file__).with_name("linalg_fixtures.json")


def rows(a):
    """A 2-D array as a list of rows of Python floats."""
    a = np.atleast_2d(np.asarray(a, dtype=np.float64))
    return [[float(v) for v in row] for row in a]


def vec(v):
    return [float(x) for x in np.asarray(v, dtype=np.float64).ravel()]


def well_conditioned(rng, n):
    """A random square matrix shifted away from singularity."""
    return rng.standard_normal((n, n)) + n**0.5 * np.eye(n)


def spd(rng, n):
    m = rng.standard_normal((n, n))
    return m @ m.T + n * np.eye(n)


def symmetric(rng, n):
    m = rng.standard_normal((n, n))
    return (m + m.T) / 2


def hilbert(n):
    i = np.arange(n)
    return 1.0 / (i[:, None] + i[None, :] + 1)


def solve_cases():
    cases = []
    for seed, n, k in [(11, 1, 1), (12, 4, 1), (13, 7, 3), (14, 12, 2)]:
        rng = np.random.default_rng(seed)
        a = well_conditioned(rng, n)
        b = rng.standard_normal((n, k))
        cases.append(
            {
                "name": f"random {n}x{n}, {k} rhs (seed {seed})",
                "a": rows(a),
                "b": rows(b),
                "x": rows(np.linalg.solve(a, b)),
                "conditionOne": float(np.linalg.cond(a, 1)),
            }
        )
    return cases


def lu_cases():
    cases = []
    specs = [(21, 1), (22, 3), (23, 6), (24, 10), (25, 12)]
    for seed, n in specs:
        rng = np.random.default_rng(seed)
        a = rng.standard_normal((n, n))
        lu, piv = scipy.linalg.lu_factor(a)
        sign, logabs = np.linalg.slogdet(a)
        cases.append(
            {
                "name": f"random {n}x{n} (seed {seed})",
                "a": rows(a),
                "packed": rows(lu),
                "pivots": [int(p) + 1 for p in piv],
                "determinant": float(scipy.linalg.det(a)),
                "sign": float(sign),
                "logAbsDeterminant": float(logabs),
                "inverse": rows(np.linalg.inv(a)),
                "conditionOne": float(np.linalg.cond(a, 1)),
            }
        )
    # A moderately ill-conditioned matrix, where dgecon's estimate is most likely to be loose.
    a = hilbert(6)
    lu, piv = scipy.linalg.lu_factor(a)
    sign, logabs = np.linalg.slogdet(a)
    cases.append(
        {
            "name": "Hilbert 6x6",
            "a": rows(a),
            "packed": rows(lu),
            "pivots": [int(p) + 1 for p in piv],
            "determinant": float(scipy.linalg.det(a)),
            "sign": float(sign),
            "logAbsDeterminant": float(logabs),
            "inverse": rows(np.linalg.inv(a)),
            "conditionOne": float(np.linalg.cond(a, 1)),
        }
    )
    return cases


def cholesky_cases():
    cases = []
    for seed, n, k in [(31, 1, 1), (32, 5, 2), (33, 12, 3)]:
        rng = np.random.default_rng(seed)
        a = spd(rng, n)
        b = rng.standard_normal((n, k))
        factor = scipy.linalg.cho_factor(a, lower=True)
        cases.append(
            {
                "name": f"SPD {n}x{n}, {k} rhs (seed {seed})",
                "a": rows(a),
                "lower": rows(np.linalg.cholesky(a)),
                "b": rows(b),
                "x": rows(scipy.linalg.cho_solve(factor, b)),
                "logDeterminant": float(np.linalg.slogdet(a)[1]),
            }
        )
    return cases


def least_squares_cases():
    cases = []
    rcond = 1e-10
    # Full column rank, overdetermined.
    rng = np.random.default_rng(41)
    a = rng.standard_normal((10, 4))
    b = rng.standard_normal((10, 2))
    cases.append(("tall 10x4 full rank (seed 41)", a, b, True))
    # Full row rank, underdetermined: the minimum-norm solution.
    rng = np.random.default_rng(42)
    a = rng.standard_normal((4, 9))
    b = rng.standard_normal((4, 1))
    cases.append(("wide 4x9 full row rank (seed 42)", a, b, True))
    # Rank 3 but 5 columns: dgels must refuse, dgelsd gives the minimum-norm solution.
    rng = np.random.default_rng(43)
    a = rng.standard_normal((12, 3)) @ rng.standard_normal((3, 5))
    b = rng.standard_normal((12, 2))
    cases.append(("tall 12x5 of rank 3 (seed 43)", a, b, False))
    # A square 1x1 system.
    cases.append(("1x1", np.array([[2.5]]), np.array([[-5.0]]), True))

    out = []
    for name, a, b, full_rank in cases:
        x, _, rank, s = np.linalg.lstsq(a, b, rcond=rcond)
        out.append(
            {
                "name": name,
                "a": rows(a),
                "b": rows(b),
                "rcond": rcond,
                "x": rows(x),
                "rank": int(rank),
                "singularValues": vec(s),
                "fullRank": full_rank,
            }
        )
    return out


def qr_cases():
    cases = []
    for seed, m, n in [(51, 1, 1), (52, 9, 6), (53, 10, 10), (54, 4, 7), (55, 12, 3)]:
        rng = np.random.default_rng(seed)
        a = rng.standard_normal((m, n))
        q, r = np.linalg.qr(a, mode="reduced")
        cases.append({"name": f"{m}x{n} (seed {seed})", "a": rows(a), "q": rows(q), "r": rows(r)})
    return cases


def eigen_cases():
    cases = []
    for seed, n in [(61, 1), (62, 4), (63, 8), (64, 12)]:
        rng = np.random.default_rng(seed)
        a = symmetric(rng, n)
        w, v = np.linalg.eigh(a)
        cases.append({"name": f"symmetric {n}x{n} (seed {seed})", "a": rows(a), "values": vec(w), "vectors": rows(v)})
    return cases


def svd_cases():
    cases = []
    for seed, m, n in [(71, 1, 1), (72, 8, 5), (73, 5, 8), (74, 12, 12)]:
        rng = np.random.default_rng(seed)
        a = rng.standard_normal((m, n))
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        cases.append(
            {"name": f"{m}x{n} (seed {seed})", "a": rows(a), "u": rows(u), "singularValues": vec(s), "vt": rows(vt)}
        )
    return cases


def vector_cases():
    cases = []
    for seed, n in [(81, 1), (82, 7), (83, 100)]:
        rng = np.random.default_rng(seed)
        x = rng.standard_normal(n)
        y = rng.standard_normal(n)
        alpha = float(rng.uniform(-2, 2))
        cases.append(
            {
                "name": f"length {n} (seed {seed})",
                "x": vec(x),
                "y": vec(y),
                "alpha": alpha,
                "dot": float(np.dot(x, y)),
                "axpy": vec(alpha * x + y),
                "scal": vec(alpha * x),
                "nrm2": float(np.linalg.norm(x)),
                "asum": float(np.abs(x).sum()),
            }
        )
    return cases


def gemm_cases():
    rng = np.random.default_rng(91)
    m, n, k = 5, 4, 3
    alpha, beta = 1.5, -0.5
    cases = []
    for trans_a in (False, True):
        for trans_b in (False, True):
            a = rng.standard_normal((k, m) if trans_a else (m, k))
            b = rng.standard_normal((n, k) if trans_b else (k, n))
            c = rng.standard_normal((m, n))
            op_a = a.T if trans_a else a
            op_b = b.T if trans_b else b
            cases.append(
                {
                    "name": f"gemm transA={trans_a} transB={trans_b}",
                    "transposeA": trans_a,
                    "transposeB": trans_b,
                    "alpha": alpha,
                    "beta": beta,
                    "a": rows(a),
                    "b": rows(b),
                    "c": rows(c),
                    "result": rows(alpha * op_a @ op_b + beta * c),
                }
            )
    return cases


def gemv_cases():
    rng = np.random.default_rng(92)
    cases = []
    for trans in (False, True):
        a = rng.standard_normal((6, 4))
        op_a = a.T if trans else a
        x = rng.standard_normal(op_a.shape[1])
        y = rng.standard_normal(op_a.shape[0])
        alpha, beta = -0.75, 2.0
        cases.append(
            {
                "name": f"gemv transpose={trans}",
                "transpose": trans,
                "alpha": alpha,
                "beta": beta,
                "a": rows(a),
                "x": vec(x),
                "y": vec(y),
                "result": vec(alpha * op_a @ x + beta * y),
            }
        )
    return cases


def ger_cases():
    rng = np.random.default_rng(93)
    a = rng.standard_normal((5, 3))
    x = rng.standard_normal(5)
    y = rng.standard_normal(3)
    alpha = 0.3
    return [{"name": "ger 5x3", "alpha": alpha, "a": rows(a), "x": vec(x), "y": vec(y),
             "result": rows(alpha * np.outer(x, y) + a)}]


def syrk_cases():
    rng = np.random.default_rng(94)
    cases = []
    for trans in (False, True):
        a = rng.standard_normal((4, 7) if trans else (7, 4))
        op_a = a.T if trans else a
        n = op_a.shape[0]
        c = rng.standard_normal((n, n))
        alpha, beta = 2.0, 0.5
        full = alpha * op_a @ op_a.T + beta * c
        # dsyrk writes only the lower triangle; the strictly upper part of C is left as it was.
        result = np.tril(full) + np.triu(c, 1)
        cases.append(
            {
                "name": f"syrk lower transpose={trans}",
                "transpose": trans,
                "alpha": alpha,
                "beta": beta,
                "a": rows(a),
                "c": rows(c),
                "result": rows(result),
            }
        )
    return cases


def trsm_cases():
    rng = np.random.default_rng(95)
    cases = []
    specs = [
        ("left", "lower", False, False),
        ("left", "upper", False, False),
        ("right", "lower", False, False),
        ("right", "upper", False, False),
        ("left", "upper", True, False),
        ("right", "lower", False, True),
    ]
    for side, triangle, trans, unit in specs:
        n = 5
        b = rng.standard_normal((n, 3) if side == "left" else (3, n))
        # A full random matrix: the routine must read only `triangle`, so the other half is
        # noise that would spoil the answer if it were read. The diagonal is pushed away
        # from zero so the triangular system is well conditioned.
        a = rng.standard_normal((n, n)) + np.diag(3.0 + rng.uniform(0, 1, n))
        t = np.tril(a) if triangle == "lower" else np.triu(a)
        if unit:
            t = t - np.diag(np.diag(t)) + np.eye(n)
        op_t = t.T if trans else t
        alpha = 1.25
        if side == "left":
            x = np.linalg.solve(op_t, alpha * b)
        else:
            x = np.linalg.solve(op_t.T, alpha * b.T).T
        cases.append(
            {
                "name": f"trsm {side} {triangle} transpose={trans} unit={unit}",
                "side": side,
                "triangle": triangle,
                "transpose": trans,
                "unitDiagonal": unit,
                "alpha": alpha,
                "a": rows(a),
                "b": rows(b),
                "result": rows(x),
            }
        )
    return cases


def main():
    fixtures = {
        "generator": {"numpy": np.__version__, "scipy": scipy.__version__},
        "solve": solve_cases(),
        "lu": lu_cases(),
        "cholesky": cholesky_cases(),
        "leastSquares": least_squares_cases(),
        "qr": qr_cases(),
        "eigen": eigen_cases(),
        "svd": svd_cases(),
        "vectors": vector_cases(),
        "gemm": gemm_cases(),
        "gemv": gemv_cases(),
        "ger": ger_cases(),
        "syrk": syrk_cases(),
        "trsm": trsm_cases(),
    }
    OUTPUT.write_text(json.dumps(fixtures, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
