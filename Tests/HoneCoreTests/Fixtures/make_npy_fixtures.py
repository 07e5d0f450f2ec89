#!/usr/bin/env python3
"""Reference .npy files for the HoneCore NPY tests, written by NumPy itself.

Regenerate from this folder with:

    python3 make_npy_fixtures.py

It writes one `.npy` file per case into `npy/` and `npy_fixtures.json`, which lists for
each file its dtype, shape, Fortran flag and the values in C (row-major) order, so the
Swift tests compare what Hone decodes against what NumPy saved. Values are chosen to be
exactly representable in the file's dtype, and the JSON carries float64 values as
`float.hex()` strings too, so nothing is lost to decimal printing.

Files Hone must reject (unsupported dtypes) are listed under `unsupported`.

With `--check PATH...` it instead loads `.npy` files written by Hone with `np.load` and
prints their dtype, shape and values: the manual check that NumPy reads what Hone writes.
"""

import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).parent
OUTPUT_DIR = HERE / "npy"
OUTPUT_JSON = HERE / "npy_fixtures.json"


def supported_cases():
    """(name, array) pairs Hone must read to the exact values."""
    c_order = (np.arange(12, dtype=np.float64).reshape(3, 4) - 5.5) / 4
    c_order[0, 0] = np.pi  # a value with all 53 mantissa bits in use
    c_order[2, 3] = -1e-300  # close to the subnormal range
    fortran = np.asfortranarray(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) * 0.1)
    float32 = np.array([[0.5, -1.25], [3.0e38, 1.0e-45]], dtype=np.float32)
    int64 = np.array([0, 1, -1, 2**62, -(2**63), 2**63 - 1], dtype=np.int64)
    big_endian = (np.arange(5, dtype=np.float64) * 0.3 - 0.6).astype(">f8")
    return [
        ("float64_c_3x4", c_order),
        ("float64_fortran_2x3", fortran),
        ("float32_2x2", float32),
        ("int64_1d", int64),
        ("float64_big_endian_1d", big_endian),
    ]


def unsupported_cases():
    """(name, array) pairs whose dtype Hone does not read."""
    return [
        ("unicode_u3", np.array(["abc", "de", "f"], dtype="<U3")),
        ("bool_1d", np.array([True, False, True])),
    ]


def describe(name, array):
    c_values = np.ascontiguousarray(array).ravel(order="C")
    entry = {
        "name": name,
        "file": f"npy/{name}.npy",
        "descr": array.dtype.str,
        "shape": list(array.shape),
        "fortranOrder": bool(array.flags.f_contiguous and not array.flags.c_contiguous),
    }
    if array.dtype.kind == "i":
        entry["integers"] = [int(v) for v in c_values]
    else:
        entry["values"] = [float(v) for v in c_values]
        entry["hexValues"] = [float(v).hex() for v in c_values]
    return entry


def main():
    OUTPUT_DIR.mkdir(exist_ok=True)
    supported = []
    for name, array in supported_cases():
        np.save(OUTPUT_DIR / f"{name}.npy", array)
        supported.append(describe(name, array))
    unsupported = []
    for name, array in unsupported_cases():
        np.save(OUTPUT_DIR / f"{name}.npy", array)
        unsupported.append({"name": name, "file": f"npy/{name}.npy", "descr": array.dtype.str})
    document = {
        "numpyVersion": np.__version__,
        "supported": supported,
        "unsupported": unsupported,
    }
    OUTPUT_JSON.write_text(json.dumps(document, indent=1) + "\n")


def check(paths):
    for path in paths:
        array = np.load(path)
        print(path, array.dtype.str, array.shape, "F" if np.isfortran(array) else "C")
        print(array)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--check":
        check(sys.argv[2:])
    else:
        main()
