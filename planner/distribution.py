"""Probability-weighted figures of a discrete distribution (the scenarios of a stochastic run, each with its own
probability): expected value, percentile, CDF, CVaR and probability of a loss.

Convention (docs/report.md, "Uncertainty"): the p-percentile is the lowest value whose cumulative probability
reaches p (the inverse of the step CDF, no interpolation between scenarios), so P10 is the NPV that 10 % of the
probability lies at or below. Probabilities are normalised by their sum. Numpy only: the reports, the command
line and the stochastic model may all use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

TOLERANCE = 1e-9  # a cumulative probability within this of p reaches p (0.1 + 0.2 is 0.30000000000000004)


def _sorted(values: Sequence[float], probabilities: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Values ascending and their probabilities (normalised to sum to 1); a bad distribution is a ValueError."""
    v, p = np.asarray(values, dtype=float), np.asarray(probabilities, dtype=float)
    if v.shape != p.shape or v.ndim != 1 or not len(v):
        raise ValueError(f"a distribution needs as many probabilities as values, at least one (got {v.shape} "
                         f"values and {p.shape} probabilities)")
    if not (np.isfinite(v).all() and np.isfinite(p).all()) or (p < 0).any() or p.sum() <= 0:
        raise ValueError("the values and probabilities of a distribution must be finite, the probabilities >= 0 "
                         "with a positive sum")
    order = np.argsort(v, kind="stable")
    return v[order], p[order] / p.sum()


def weighted_cdf(values: Sequence[float], probabilities: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values ascending, probability of a value at most each): the step CDF's corners."""
    v, p = _sorted(values, probabilities)
    x, start = np.unique(v, return_index=True)
    cum = np.cumsum(p)
    ends = np.append(start[1:], len(v)) - 1  # the last position of each distinct value
    return x, np.minimum(cum[ends], 1.0)


def cdf_steps(x: Sequence[float], cum: Sequence[float]) -> tuple[list[float], list[float]]:
    """The points of the step CDF drawn as a line: (x1, 0), (x1, F1), (x2, F1), (x2, F2), ..."""
    xs, ys, last = [], [], 0.0
    for xi, fi in zip(x, cum, strict=True):
        xs += [float(xi), float(xi)]
        ys += [last, float(fi)]
        last = float(fi)
    return xs, ys


def weighted_percentile(values: Sequence[float], probabilities: Sequence[float], p: float) -> float:
    """The lowest value whose cumulative probability reaches p (0 <= p <= 1): P10 is p = 0.1."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a percentile's probability lies in [0, 1], got {p}")
    x, cum = weighted_cdf(values, probabilities)
    return float(x[int(np.argmax(cum >= p - TOLERANCE))])


def expected(values: Sequence[float], probabilities: Sequence[float]) -> float:
    """The probability-weighted mean."""
    v, p = _sorted(values, probabilities)
    return float(v @ p)


def cvar(values: Sequence[float], probabilities: Sequence[float], alpha: float) -> float:
    """Conditional value at risk: the mean of the worst (lowest) `alpha` of the probability, a scenario on the edge
    counted with the part of its probability that falls inside."""
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"the CVaR share lies in (0, 1], got {alpha}")
    v, p = _sorted(values, probabilities)
    inside = np.minimum(p, np.maximum(alpha - np.concatenate([[0.0], np.cumsum(p)[:-1]]), 0.0))
    return float(v @ inside / alpha)


def probability_of_loss(values: Sequence[float], probabilities: Sequence[float]) -> float:
    """The probability of a value below zero (an NPV that loses money)."""
    v, p = _sorted(values, probabilities)
    return float(p[v < 0].sum())
