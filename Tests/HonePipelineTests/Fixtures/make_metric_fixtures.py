#!/usr/bin/env python3
"""scikit-learn / SciPy references for HonePipeline's metrics.

Regenerate from this folder with the anchors' virtual environment (scikit-learn 1.9.1):

    /root/.cache/hone-anchors/venv/bin/python make_metric_fixtures.py

It writes metric_fixtures.json next to this script. Every input is synthetic, drawn from
numpy's default_rng with fixed seeds, and stored in full so the Swift tests need no
formula to rebuild it.

Contents
--------
* classification: binary ({0, 1}; {-1, 1} with some zero weights) and multiclass (labels
  1, 3, 7) cases with scores and probabilities rounded to create ties, a label-only case
  whose predictions contain a class absent from y_true, and probabilities of exactly 0 and
  1 (log-loss clipping). Results from sklearn.metrics, unweighted and with the weights
  w_i = 0.5 + (i mod 7) / 4 (or the stored weights).
* regression: MSE, RMSE, MAE, R^2, MAPE (one case has y = 0, where sklearn's epsilon
  matters), pinball loss at alpha 0.1 / 0.5 / 0.9; unweighted and weighted.
* signal: scipy.stats.pearsonr and spearmanr with tied values; a per-period rank IC by
  pandas groupby + spearmanr (periods with one row or a constant signal are skipped),
  with the mean, the sample standard deviation (ddof=1) and t = mean / (sd / sqrt(m)).
* trading: a 500-period series with annualised return (compounded and arithmetic),
  volatility, Sharpe, Sortino and max drawdown computed with numpy from their formulas.
* sharpe: the probabilistic and deflated Sharpe ratios (Bailey & Lopez de Prado 2012,
  2014) with every intermediate value, computed with scipy.stats.skew / kurtosis
  (bias=True, fisher=False) and scipy.stats.norm; plus the paper's numerical example.
* normal_quantiles: scipy.stats.norm.ppf at probabilities across both tails.
* cscv: the probability of backtest overfitting (Bailey, Borwein, Lopez de Prado & Zhu
  2017) by direct enumeration: for each itertools.combinations(range(S), S // 2) the
  in-sample rows are concatenated in time order, each trial's performance is its mean or
  mean / std(ddof=1), the first argmax is selected, its out-of-sample rank is
  scipy.stats.rankdata(method="average"), omega = rank / (N + 1) and the logit is
  log(omega / (1 - omega)); PBO = mean(logit <= 0). Blocks follow np.array_split.
"""

import itertools
import json
import math
import pathlib

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import stats
from sklearn import metrics

HERE = pathlib.Path(__file__).resolve().parent
OUTPUT = HERE / "metric_fixtures.json"


def house_weights(n):
    return [0.5 + (i % 7) / 4 for i in range(n)]


def floats(a):
    return [float(x) for x in np.asarray(a).ravel()]


def classification_results(case, weights):
    y, yp = np.array(case["y_true"]), np.array(case["y_pred"])
    out = {
        "accuracy": metrics.accuracy_score(y, yp, sample_weight=weights),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, yp, sample_weight=weights),
        "confusion_matrix": metrics.confusion_matrix(y, yp, sample_weight=weights).astype(float).tolist(),
    }
    labels = np.unique(np.concatenate([y, yp]))
    averages = ["macro", "weighted"] + (["binary"] if len(labels) <= 2 else [])
    for average in averages:
        kwargs = dict(average=average, sample_weight=weights, zero_division=0)
        if average == "binary":
            kwargs["pos_label"] = float(labels.max())
        out[f"precision_{average}"] = metrics.precision_score(y, yp, **kwargs)
        out[f"recall_{average}"] = metrics.recall_score(y, yp, **kwargs)
        out[f"f1_{average}"] = metrics.f1_score(y, yp, **kwargs)
    if "scores" in case:
        positive = float(np.max(y))
        out["roc_auc"] = metrics.roc_auc_score(y, case["scores"], sample_weight=weights)
        out["average_precision"] = metrics.average_precision_score(
            y, case["scores"], pos_label=positive, sample_weight=weights)
    if "probabilities" in case:
        out["log_loss"] = metrics.log_loss(y, y_proba=np.array(case["probabilities"]), sample_weight=weights)
        out["brier"] = metrics.brier_score_loss(y, np.array(case["probabilities"]), sample_weight=weights)
    if "probability_matrix" in case:
        matrix = np.array(case["probability_matrix"])
        out["log_loss_matrix"] = metrics.log_loss(y, y_proba=matrix, sample_weight=weights)
        out["brier_matrix"] = metrics.brier_score_loss(y, matrix, sample_weight=weights)
    return {k: (float(v) if not isinstance(v, list) else v) for k, v in out.items()}


def classification_cases():
    cases = []
    rng = np.random.default_rng(61)
    n = 200
    latent = rng.normal(size=n)
    y = (latent + rng.normal(scale=1.2, size=n) > 0.2).astype(float)
    scores = np.round(latent, 1)  # ties between positives and negatives
    probabilities = np.round(1 / (1 + np.exp(-1.5 * latent)), 2)
    probabilities[:3] = [0.0, 1.0, 1.0]  # exact 0 and 1: log-loss clips them
    y[:3] = [1.0, 1.0, 0.0]  # ... one confidently right, two confidently wrong
    y_pred = (probabilities > 0.5).astype(float)
    binary = dict(name="binary01", y_true=floats(y), y_pred=floats(y_pred), scores=floats(scores),
                  probabilities=floats(probabilities),
                  probability_matrix=np.column_stack([1 - probabilities, probabilities]).tolist(),
                  classes=[0.0, 1.0], weights=house_weights(n))
    cases.append(binary)

    rng = np.random.default_rng(62)
    n = 120
    latent = rng.normal(size=n)
    y = np.where(latent + rng.normal(size=n) > 0, 1.0, -1.0)
    scores = np.round(latent * 2) / 2
    weights = house_weights(n)
    for i in range(0, n, 9):
        weights[i] = 0.0  # zero-weight rows are dropped by sklearn's curve
    y_pred = np.where(rng.random(n) < 0.8, y, -y)
    cases.append(dict(name="binary_pm1_zero_weights", y_true=floats(y), y_pred=floats(y_pred),
                      scores=floats(scores), classes=[-1.0, 1.0], weights=weights))

    rng = np.random.default_rng(63)
    n = 150
    classes = np.array([1.0, 3.0, 7.0])
    logits = rng.normal(size=(n, 3))
    y = classes[np.argmax(logits + rng.gumbel(size=(n, 3)), axis=1)]
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    y_pred = classes[np.argmax(p, axis=1)]
    cases.append(dict(name="multiclass137", y_true=floats(y), y_pred=floats(y_pred),
                      probability_matrix=p.tolist(), classes=floats(classes), weights=house_weights(n)))

    rng = np.random.default_rng(64)
    n = 60
    y = rng.choice([0.0, 1.0, 2.0], size=n)
    y_pred = np.where(rng.random(n) < 0.6, y, rng.choice([0.0, 1.0, 2.0, 9.0], size=n))
    cases.append(dict(name="multiclass_extra_predicted", y_true=floats(y), y_pred=floats(y_pred),
                      weights=house_weights(n)))

    for case in cases:
        case["results"] = {
            "unweighted": classification_results(case, None),
            "weighted": classification_results(case, np.array(case["weights"])),
        }
    return cases


def regression_results(y, yp, weights):
    out = {
        "mse": metrics.mean_squared_error(y, yp, sample_weight=weights),
        "rmse": metrics.root_mean_squared_error(y, yp, sample_weight=weights),
        "mae": metrics.mean_absolute_error(y, yp, sample_weight=weights),
        "r2": metrics.r2_score(y, yp, sample_weight=weights),
        "mape": metrics.mean_absolute_percentage_error(y, yp, sample_weight=weights),
    }
    for alpha in (0.1, 0.5, 0.9):
        out[f"pinball_{alpha}"] = metrics.mean_pinball_loss(y, yp, alpha=alpha, sample_weight=weights)
    return {k: float(v) for k, v in out.items()}


def regression_cases():
    cases = []
    rng = np.random.default_rng(71)
    n = 100
    y = rng.normal(loc=3, scale=2, size=n)
    yp = y + rng.normal(scale=0.8, size=n)
    cases.append(dict(name="gaussian", y_true=floats(y), y_pred=floats(yp), weights=house_weights(n)))
    y = np.round(rng.normal(size=40), 1)
    y[5] = 0.0  # MAPE divides by max(|y|, eps)
    yp = y + rng.normal(scale=0.3, size=40)
    cases.append(dict(name="with_zero_target", y_true=floats(y), y_pred=floats(yp), weights=house_weights(40)))
    for case in cases:
        y, yp = np.array(case["y_true"]), np.array(case["y_pred"])
        case["results"] = {"unweighted": regression_results(y, yp, None),
                           "weighted": regression_results(y, yp, np.array(case["weights"]))}
    return cases


def signal_case():
    rng = np.random.default_rng(81)
    n = 300
    signal = np.round(rng.normal(size=n), 1)
    returns = np.round(0.02 * signal + rng.normal(scale=0.05, size=n), 3)
    pearson = stats.pearsonr(signal, returns).statistic
    spearman = stats.spearmanr(signal, returns).statistic

    periods = np.repeat(np.arange(20), 15)
    cross_signal = np.round(rng.normal(size=300), 1)
    cross_returns = 0.01 * cross_signal + rng.normal(scale=0.03, size=300)
    cross_signal[periods == 4] = 0.5  # constant signal: IC undefined, skipped
    keep = ~((periods == 11) & (np.arange(300) % 15 != 0))  # period 11 keeps one row: skipped
    frame = pd.DataFrame({"period": periods[keep], "signal": cross_signal[keep], "ret": cross_returns[keep]})
    ics = {}
    skipped = []
    for period, group in frame.groupby("period"):
        if len(group) < 2 or group["signal"].nunique() < 2 or group["ret"].nunique() < 2:
            skipped.append(int(period))
            continue
        ics[int(period)] = float(stats.spearmanr(group["signal"], group["ret"]).statistic)
    values = np.array(list(ics.values()))
    mean, sd = values.mean(), values.std(ddof=1)
    return dict(
        signal=floats(signal), returns=floats(returns), pearson=float(pearson), spearman=float(spearman),
        rank_ic=dict(periods=[int(p) for p in frame["period"]], signal=floats(frame["signal"]),
                     returns=floats(frame["ret"]), periods_with_ic=list(ics.keys()), ics=list(ics.values()),
                     skipped=skipped, mean=float(mean), standard_deviation=float(sd),
                     t_statistic=float(mean / (sd / math.sqrt(len(values))))))


def trading_case():
    rng = np.random.default_rng(91)
    r = rng.standard_t(df=4, size=500) * 0.01 + 0.0004
    periods = 252
    wealth = np.cumprod(np.concatenate([[1.0], 1 + r]))
    peaks = np.maximum.accumulate(wealth)
    downside = np.sqrt(np.mean(np.minimum(r, 0) ** 2))
    return dict(
        returns=floats(r), periods_per_year=periods,
        annualised_return_compounded=float(wealth[-1] ** (periods / len(r)) - 1),
        annualised_return_arithmetic=float(periods * r.mean()),
        annualised_volatility=float(r.std(ddof=1) * math.sqrt(periods)),
        sharpe=float(r.mean() / r.std(ddof=1) * math.sqrt(periods)),
        sortino=float(r.mean() / downside * math.sqrt(periods)),
        max_drawdown=float(np.max(1 - wealth / peaks)))


def psr_values(sr, n, skew, kurt, benchmark):
    variance_term = 1 - skew * sr + (kurt - 1) / 4 * sr ** 2
    z = (sr - benchmark) * math.sqrt(n - 1) / math.sqrt(variance_term)
    return variance_term, z, float(stats.norm.cdf(z))


def expected_max(trials, variance):
    gamma = float(np.euler_gamma)
    quantiles = (stats.norm.ppf(1 - 1 / trials), stats.norm.ppf(1 - 1 / (trials * math.e)))
    return math.sqrt(variance) * ((1 - gamma) * quantiles[0] + gamma * quantiles[1]), quantiles


def sharpe_cases():
    cases = []
    rng = np.random.default_rng(101)
    # Skewed, fat-tailed returns: a normal body with occasional negative jumps.
    r = 0.0025 + 0.01 * rng.normal(size=750) - 0.05 * (rng.random(750) < 0.03)
    trial_sharpes = rng.normal(loc=0.0, scale=0.03, size=50)
    sr = r.mean() / r.std(ddof=1)
    skew = float(stats.skew(r, bias=True))
    kurt = float(stats.kurtosis(r, fisher=False, bias=True))
    variance_term, z0, psr0 = psr_values(sr, len(r), skew, kurt, 0.0)
    _, z1, psr1 = psr_values(sr, len(r), skew, kurt, 0.02)
    trials = len(trial_sharpes)
    v = float(np.var(trial_sharpes, ddof=1))
    emax, quantiles = expected_max(trials, v)
    variance_term_dsr, z_dsr, dsr = psr_values(sr, len(r), skew, kurt, emax)
    cases.append(dict(
        name="jumps", returns=floats(r), trial_sharpe_ratios=floats(trial_sharpes), sharpe_ratio=float(sr),
        skewness=skew, kurtosis=kurt, variance_term=variance_term, z_benchmark_0=z0, psr_benchmark_0=psr0,
        z_benchmark_0_02=z1, psr_benchmark_0_02=psr1, trials=trials, sharpe_ratio_variance=v,
        quantile_1_minus_1_over_n=float(quantiles[0]), quantile_1_minus_1_over_ne=float(quantiles[1]),
        expected_maximum=emax, z_dsr=z_dsr, dsr=dsr, variance_term_dsr=variance_term_dsr))
    # Bailey & Lopez de Prado (2014), section "A numerical example": annualised SR 2.5 over
    # five years of daily data (T = 1250, 250 days a year), skewness -3, kurtosis 10,
    # N = 100 trials whose annualised Sharpe ratios have variance 1/2. The paper reports
    # E[max SR] = 0.1132 (per day) and DSR = 0.9004.
    sr = 2.5 / math.sqrt(250)
    v = 0.5 / 250
    emax, quantiles = expected_max(100, v)
    _, z, dsr = psr_values(sr, 1250, -3.0, 10.0, emax)
    cases.append(dict(
        name="paper_example", sharpe_ratio=sr, observations=1250, skewness=-3.0, kurtosis=10.0, trials=100,
        sharpe_ratio_variance=v, expected_maximum=emax, z_dsr=z, dsr=dsr, published_expected_maximum=0.1132,
        published_dsr=0.9004))
    return cases


def cscv(matrix, blocks, performance):
    rows, trials = matrix.shape
    parts = np.array_split(np.arange(rows), blocks)
    results = dict(logits=[], selected=[])

    def perf(x):
        return x.mean(axis=0) if performance == "meanReturn" else x.mean(axis=0) / x.std(axis=0, ddof=1)

    for combination in itertools.combinations(range(blocks), blocks // 2):
        complement = [b for b in range(blocks) if b not in combination]
        inside = matrix[np.concatenate([parts[b] for b in combination])]
        outside = matrix[np.concatenate([parts[b] for b in complement])]
        best = int(np.argmax(perf(inside)))
        rank = stats.rankdata(perf(outside), method="average")[best]
        omega = rank / (trials + 1)
        results["selected"].append(best)
        results["logits"].append(float(math.log(omega / (1 - omega))))
    results["pbo"] = float(np.mean(np.array(results["logits"]) <= 0))
    return results


def cscv_cases():
    """The matrices are stored once; each case names its matrix."""
    cases = []
    rng = np.random.default_rng(111)
    # 10 trials of pure noise (PBO near 1/2) over 243 rows (not a multiple of S, so
    # blocks differ in length) ...
    noise = rng.normal(scale=0.01, size=(243, 10))
    # ... and 10 trials, one with a real edge in every period (PBO near 0).
    edge = rng.normal(scale=0.01, size=(240, 10))
    edge[:, 3] += 0.004
    matrices = dict(noise=noise, edge=edge)
    for name, matrix in matrices.items():
        for blocks, performance in ((8, "sharpeRatio"), (8, "meanReturn"), (16, "sharpeRatio")):
            cases.append(dict(name=f"{name}_S{blocks}_{performance}", matrix=name, blocks=blocks,
                              performance=performance, **cscv(matrix, blocks, performance)))
    stored = {name: dict(rows=m.shape[0], columns=m.shape[1], row_major=floats(m)) for name, m in matrices.items()}
    return dict(matrices=stored, cases=cases)


def main():
    probabilities = [1e-300, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.1, 0.3, 0.425, 0.5, 0.6, 0.8, 0.9,
                     0.975, 0.99, 0.999, 1 - 1e-10, 1 - 1 / 100, 1 - 1 / (100 * math.e)]
    fixtures = dict(
        versions=dict(sklearn=sklearn.__version__, numpy=np.__version__, scipy=scipy.__version__,
                      pandas=pd.__version__),
        classification=classification_cases(), regression=regression_cases(), signal=signal_case(),
        trading=trading_case(), sharpe=sharpe_cases(),
        normal_quantiles=[[p, float(stats.norm.ppf(p))] for p in probabilities],
        normal_cdf=[[x, float(stats.norm.cdf(x))] for x in (-30.0, -8.0, -3.0, -1.0, 0.0, 0.5, 1.0, 2.0, 6.0)],
        cscv=cscv_cases())
    OUTPUT.write_text(json.dumps(fixtures, separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
