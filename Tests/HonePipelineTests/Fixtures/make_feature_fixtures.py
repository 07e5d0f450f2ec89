"""Reference values for Hone's trading features and labels (Tests/HonePipelineTests/Features).

Run from the package root with the anchors venv (pandas 3, numpy 2, TA-Lib 0.8 from the
`ta-lib` wheel, which bundles the C library):

    /root/.cache/hone-anchors/venv/bin/python Tests/HonePipelineTests/Fixtures/make_feature_fixtures.py

It reads ../shared/datasets/stocks_daily/AAPL.csv (or $HONE_DATASETS/stocks_daily/AAPL.csv)
and writes feature_fixtures.json beside this script with:

- `aapl`: expected values at a slice of rows (not the raw data) and, per feature, the
  number of defined values and their sum over the whole file;
- `synthetic`: a small generated OHLCV series (inputs included) with every value.

Which reference each feature follows (and so which convention Hone matches):

- TA-Lib (the C library via its Python wrapper): EMA (seeded with the SMA of the first
  `period` values, alpha = 2/(n+1)), RSI (Wilder: simple-mean seed, alpha = 1/n), MACD
  (TA-Lib seeds the fast EMA at row slow-1; the line is taken from MACD(signal=1), whose
  line starts at row slow-1 where MACD(signal=9) hides it), BBANDS (SMA, population std),
  ATR (Wilder), OBV (starts at volume[0]).
- pandas: pct_change / log ratio returns, shift lags, rolling mean/min/max, ewm(span).std()
  (adjust=True, bias=False; the volatility of López de Prado 2018 §3.3), calendar fields
  via the .dt accessors.
- numpy, two passes per window (pandas' convention, computed exactly): rolling sample std
  (ddof=1), z-score, adjusted Fisher-Pearson skew (= pandas rolling skew = scipy
  skew(bias=False)); the script asserts pandas agrees to 1e-8, since pandas' running power
  sums lose digits on price-level series.
- Timestamps are converted with .dt.as_unit("ns"): pandas 3 parses dates to microseconds,
  and Hone's timestamps are nanoseconds.
- Labels: forward returns with shift(-h); triple barrier by a direct loop written from
  López de Prado (2018) §3.4 (applyPtSlOnT1, getBins), independent of Hone's code.
"""

import json
import math
import os
import sys

import numpy as np
import pandas as pd
import talib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SLICE = list(range(0, 45)) + list(range(2600, 2640)) + list(range(5380, 5402))


def rolling_two_pass(x, w, statistic):
    out = np.full(len(x), np.nan)
    for t in range(w - 1, len(x)):
        window = x[t - w + 1 : t + 1]
        if np.isnan(window).any():
            continue
        out[t] = statistic(window, x[t])
    return out


def std1(window, _):
    m = math.fsum(window) / len(window)
    return math.sqrt(math.fsum((window - m) ** 2) / (len(window) - 1))


def zscore(window, last):
    s = std1(window, last)
    return (last - math.fsum(window) / len(window)) / s if s > 0 else np.nan


def skew(window, _):
    n = len(window)
    m = math.fsum(window) / n
    d = window - m
    m2 = math.fsum(d * d) / n
    m3 = math.fsum(d * d * d) / n
    if m2 <= 0:
        return np.nan
    return math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5


def close_enough(a, b, tol):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    assert (np.isnan(a) == np.isnan(b)).all(), "NaN patterns differ"
    scale = max(np.nanmax(np.abs(b)), 1e-300)
    err = np.nanmax(np.abs(a - b)) / scale
    assert err <= tol, err
    return err


def features(frame):
    close = frame["close"].to_numpy(float)
    high = frame["high"].to_numpy(float)
    low = frame["low"].to_numpy(float)
    volume = frame["volume"].to_numpy(float)
    s = pd.Series(close)
    out = {}
    for h in (1, 5):
        out[f"close_return_{h}"] = (s / s.shift(h) - 1).to_numpy()
        out[f"close_log_return_{h}"] = np.log(s / s.shift(h)).to_numpy()
    for k in (1, 3):
        out[f"close_lag_{k}"] = s.shift(k).to_numpy()
    w = 20
    out[f"close_mean_{w}"] = s.rolling(w).mean().to_numpy()
    out[f"close_std_{w}"] = rolling_two_pass(close, w, std1)
    out[f"close_zscore_{w}"] = rolling_two_pass(close, w, zscore)
    out[f"close_min_{w}"] = s.rolling(w).min().to_numpy()
    out[f"close_max_{w}"] = s.rolling(w).max().to_numpy()
    out[f"close_skew_{w}"] = rolling_two_pass(close, w, skew)
    close_enough(s.rolling(w).std().to_numpy(), out[f"close_std_{w}"], 1e-8)
    close_enough(s.rolling(w).skew().to_numpy(), out[f"close_skew_{w}"], 1e-8)
    out["close_ema_12"] = talib.EMA(close, 12)
    out["close_rsi_14"] = talib.RSI(close, 14)
    line9, signal9, hist9 = talib.MACD(close, 12, 26, 9)
    line1, _, _ = talib.MACD(close, 12, 26, 1)
    defined = ~np.isnan(line9)
    assert np.array_equal(line1[defined], line9[defined])
    out["close_macd_12_26_9"] = line1
    out["close_macd_signal_12_26_9"] = signal9
    out["close_macd_histogram_12_26_9"] = hist9
    upper, middle, lower = talib.BBANDS(close, 20, 2, 2, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["close_bollinger_percent_b_20_2"] = (close - lower) / (upper - lower)
        out["close_bollinger_width_20_2"] = (upper - lower) / middle
    out["atr_14"] = talib.ATR(high, low, close, 14)
    out["obv"] = talib.OBV(close, volume)
    out["volume_zscore_20"] = rolling_two_pass(volume, 20, zscore)
    ts = pd.to_datetime(frame["timestamp"], utc=True)
    out["day_of_week"] = ts.dt.day_of_week.to_numpy(float)
    out["day_of_month"] = ts.dt.day.to_numpy(float)
    out["day_of_year"] = ts.dt.day_of_year.to_numpy(float)
    out["iso_week"] = ts.dt.isocalendar().week.to_numpy(float)
    out["month"] = ts.dt.month.to_numpy(float)
    out["quarter"] = ts.dt.quarter.to_numpy(float)
    out["year"] = ts.dt.year.to_numpy(float)
    out["hour"] = ts.dt.hour.to_numpy(float)
    out["minute"] = ts.dt.minute.to_numpy(float)
    returns = s / s.shift(1) - 1
    out["ewm_std_returns_50_20"] = returns.ewm(span=50, min_periods=20).std().to_numpy()
    return out


def triple_barrier(close, ts, sigma, pt, sl, max_rows, max_time, vertical_zero):
    """López de Prado (2018) §3.4, written as a loop over events."""
    n = len(close)
    value = np.full(n, np.nan)
    ret = np.full(n, np.nan)
    end = [None] * n
    for i in range(n):
        if not (sigma[i] > 0):
            continue
        vertical = None
        if max_rows is not None and i + max_rows < n:
            vertical = i + max_rows
        if max_time is not None:
            later = [j for j in range(i + 1, n) if ts[j] >= ts[i] + max_time]
            if later and (vertical is None or later[0] < vertical):
                vertical = later[0]
        upper = pt * sigma[i] if pt > 0 else math.inf
        lower = -sl * sigma[i] if sl > 0 else -math.inf
        last = vertical if vertical is not None else n - 1
        touch = None
        for j in range(i + 1, last + 1):
            r = close[j] / close[i] - 1
            if r >= upper or r <= lower:
                touch = j
                break
        if touch is None and vertical is None:
            continue
        j = touch if touch is not None else vertical
        r = close[j] / close[i] - 1
        value[i] = 0.0 if (touch is None and vertical_zero) else float(np.sign(r))
        ret[i] = r
        end[i] = j
    return value, ret, end


def labels(frame, sigma):
    close = frame["close"].to_numpy(float)
    ts = pd.to_datetime(frame["timestamp"], utc=True).dt.as_unit("ns").astype("int64").to_numpy()
    s = pd.Series(close)
    n = len(close)
    out = {}
    forward = (s.shift(-5) / s - 1).to_numpy()
    ends = [i + 5 if i + 5 < n else None for i in range(n)]
    out["forward_5"] = {"value": forward, "return": forward, "end": ends}
    out["forward_log_5"] = {"value": np.log(s.shift(-5) / s).to_numpy(), "return": forward, "end": ends}
    with np.errstate(invalid="ignore"):
        sign = np.where(np.isnan(forward), np.nan, np.where(forward > 0.01, 1.0, np.where(forward < -0.01, -1.0, 0.0)))
    out["threshold_5_0.01"] = {"value": sign, "return": forward, "end": ends}
    v, r, e = triple_barrier(close, ts, sigma, 2.0, 1.0, 10, None, False)
    out["triple_barrier_rows"] = {"value": v, "return": r, "end": e}
    day = 86_400 * 10**9
    v, r, e = triple_barrier(close, ts, sigma, 1.0, 2.0, None, 14 * day, True)
    out["triple_barrier_time"] = {"value": v, "return": r, "end": e}
    return out


def clean(values):
    return [None if (v is None or (isinstance(v, float) and math.isnan(v))) else float(v) for v in values]


def clean_end(values):
    return [None if v is None else int(v) for v in values]


def synthetic_frame():
    rng = np.random.default_rng(20240607)
    n = 150
    steps = rng.normal(0.0005, 0.02, n)
    close = 50 * np.exp(np.cumsum(steps))
    close[61:64] = close[60]  # unchanged closes: OBV carries, RSI sees zero changes
    open_ = np.concatenate([[close[0]], close[:-1]]) * np.exp(rng.normal(0, 0.004, n))
    high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.01, n)))
    low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.01, n)))
    volume = np.round(1e6 * np.exp(rng.normal(0, 0.3, n)))
    start = pd.Timestamp("1969-12-20T03:17:00Z")
    ts = pd.Series([start + pd.Timedelta(hours=37, minutes=13) * i for i in range(n)]).dt.as_unit("ns")
    return pd.DataFrame({"timestamp": ts, "open": open_, "high": high, "low": low, "close": close, "volume": volume})


def main():
    base = os.environ.get("HONE_DATASETS")
    base = os.path.join(ROOT, base) if base else os.path.join(ROOT, "..", "shared", "datasets")
    aapl = pd.read_csv(os.path.join(base, "stocks_daily", "AAPL.csv"))
    aapl_features = features(aapl)
    aapl_labels = labels(aapl, aapl_features["ewm_std_returns_50_20"])
    result = {
        "aapl": {
            "file": "stocks_daily/AAPL.csv",
            "rows": len(aapl),
            "slice": SLICE,
            "features": {k: clean(v[SLICE]) for k, v in aapl_features.items()},
            "summary": {
                k: {"defined": int((~np.isnan(v)).sum()), "sum": math.fsum(v[~np.isnan(v)]),
                    "absSum": math.fsum(np.abs(v[~np.isnan(v)]))}
                for k, v in aapl_features.items()
            },
            "labels": {
                k: {"value": clean(d["value"][SLICE]), "return": clean(d["return"][SLICE]),
                    "end": clean_end([d["end"][i] for i in SLICE]),
                    "defined": sum(e is not None for e in d["end"]),
                    "valueSum": math.fsum(x for x in d["value"] if not math.isnan(x))}
                for k, d in aapl_labels.items()
            },
        }
    }
    synthetic = synthetic_frame()
    synthetic_features = features(synthetic)
    synthetic_labels = labels(synthetic, synthetic_features["ewm_std_returns_50_20"])
    result["synthetic"] = {
        "timestamp": [int(t) for t in synthetic["timestamp"].dt.as_unit("ns").astype("int64")],
        **{c: [float(x) for x in synthetic[c]] for c in ("open", "high", "low", "close", "volume")},
        "features": {k: clean(v) for k, v in synthetic_features.items()},
        "labels": {
            k: {"value": clean(d["value"]), "return": clean(d["return"]), "end": clean_end(d["end"])}
            for k, d in synthetic_labels.items()
        },
    }
    with open(os.path.join(HERE, "feature_fixtures.json"), "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.join(HERE, "feature_fixtures.json"), file=sys.stderr)


if __name__ == "__main__":
    main()
