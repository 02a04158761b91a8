"""Statistics of an NPV distribution given as outcomes with probabilities (no Pyomo, no pandas).

Used by the stochastic plan (planner/stochastic.py) and the reports' uncertainty section. Conventions
(docs/stochastic.md): the p-th percentile is the lowest outcome whose cumulative probability reaches p
(so P10 is the low outcome, the side `planner sensitivity --samples` also calls P10, though it interpolates
between equally likely samples as numpy's percentile does); CVaR at `alpha` is the
probability-weighted mean of the worst `alpha` share of outcomes, the outcome on the boundary counted with
the part of its probability that falls inside the share (the value Rockafellar and Uryasev's linear program
gives); the probability of a loss is that of NPV < 0.
"""

from __future__ import annotations

import numpy as np

PROB_TOL = 1e-9  # cumulative probabilities within this of a threshold count as reaching it


def _sorted(values, probs) -> tuple[np.ndarray, np.ndarray]:
    v = np.asarray(values, dtype=float)
    p = np.asarray(probs, dtype=float)
    if v.shape != p.shape or not len(v):
        raise ValueError("outcomes and probabilities must be non-empty and of the same length")
    if (p < 0).any() or abs(p.sum() - 1.0) > 1e-6:
        raise ValueError(f"probabilities must be >= 0 and sum to 1 (they sum to {p.sum():.9g})")
    order = np.argsort(v, kind="stable")
    return v[order], p[order] / p.sum()


def expected(values, probs) -> float:
    """The probability-weighted mean."""
    v, p = _sorted(values, probs)
    return float(np.dot(v, p))


def weighted_cdf(values, probs) -> tuple[np.ndarray, np.ndarray]:
    """The outcomes in increasing order and the cumulative probability at each (a step function)."""
    v, p = _sorted(values, probs)
    return v, np.cumsum(p)


def weighted_percentile(values, probs, q: float) -> float:
    """The lowest outcome whose cumulative probability reaches q / 100."""
    v, cum = weighted_cdf(values, probs)
    return float(v[min(int(np.searchsorted(cum, q / 100.0 - PROB_TOL)), len(v) - 1)])


def cvar(values, probs, alpha: float) -> float:
    """The mean of the worst `alpha` share of outcomes (0 < alpha <= 1; alpha = 1 is the mean)."""
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"alpha must be in (0, 1], not {alpha}")
    v, p = _sorted(values, probs)
    left, total = alpha, 0.0
    for x, px in zip(v, p, strict=True):
        take = min(px, left)
        total += take * x
        left -= take
        if left <= PROB_TOL * alpha:
            break
    return float(total / alpha)


def probability_of_loss(values, probs) -> float:
    """The probability that NPV < 0."""
    v, p = _sorted(values, probs)
    return float(p[v < 0].sum())


def figures(values, probs, alpha: float) -> dict[str, float]:
    """expected_npv_usd, cvar_usd, p10/p50/p90_usd and probability_of_loss of one design."""
    return {"expected_npv_usd": expected(values, probs), "cvar_usd": cvar(values, probs, alpha),
            "p10_usd": weighted_percentile(values, probs, 10), "p50_usd": weighted_percentile(values, probs, 50),
            "p90_usd": weighted_percentile(values, probs, 90),
            "probability_of_loss": probability_of_loss(values, probs)}
