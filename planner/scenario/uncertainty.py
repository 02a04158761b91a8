"""The scenarios of a two-stage stochastic run, from the Uncertainty sheet (docs/uncertainty.md).

Either the listed scenarios as typed, or `samples` seeded draws of the uncertain inputs reduced to `scenarios`
by fast forward selection (Heitsch, H. and Roemisch, W. (2003), "Scenario reduction algorithms in stochastic
programming", Computational Optimization and Applications 24: 187-206). numpy only: no solver, no technology.

Every draw comes from one numpy `default_rng(seed)` stream in one fixed order (row by row of the uncertain
inputs, sample by sample, year by year for a path), so identical inputs give identical scenarios.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.errors import InputError
from planner.scenario.fields import FieldInfo
from planner.scenario.layout import UNCERTAINTY_SHEET
from planner.scenario.params import get_param, param_info
from planner.scenario.scenario import Scenario, UncertainRow

TIE_RTOL = 1e-12  # two distances or reduction costs this close (relative) are a tie: the lower index wins
BLOCK_ELEMENTS = 4_000_000  # distance-matrix elements computed at once (memory stays ~32 MB at any sample count)


@dataclass(frozen=True)
class UncertainScenario:
    """One scenario of a stochastic run: its name, probability and the inputs it changes."""

    name: str  # "s01", ... or the user's name for a listed scenario
    probability: float  # all scenarios sum to 1 (to 1e-12)
    changes: dict[str, float]  # dotted name -> value for planner.scenario.params.set_param
    # (absolute values for section fields; hourly.X is a multiplier of the series X)


def scenarios(sc: Scenario, n: int | None = None, seed: int | None = None) -> list[UncertainScenario]:
    """The scenarios of sc's Uncertainty sheet: listed ones as typed, or `samples` seeded draws reduced to n
    (default: the sheet's `scenarios`) by fast forward selection. Identical inputs -> identical scenarios."""
    if sc.listed_scenarios:
        return listed(sc)
    if not sc.uncertain:
        raise InputError([f"{UNCERTAINTY_SHEET}: no uncertain inputs and no listed scenarios; a stochastic run needs "
                          f"at least one (add rows below 'Uncertain inputs', or start from `planner template`)"])
    u = sc.uncertainty
    n = u.scenarios if n is None else int(n)
    seed = u.seed if seed is None else int(seed)
    if n < 1:
        raise InputError([f"the number of scenarios must be at least 1, found {n}"])
    if seed < 0:
        raise InputError([f"the seed must be a whole number >= 0, found {seed}"])
    names, values = draw(sc, u.samples, seed)
    gbm = [j for j, row in enumerate(sc.uncertain) if row.model == "gbm_growth"]
    v = pv_weights(sc.finance.discount_rate, sc.finance.analysis_years)
    years = np.arange(1, len(v) + 1, dtype=float)
    space = values.copy()  # a growth enters the NPV through its path's PV: reduced (and averaged) as that PV
    for j in gbm:
        space[:, j] = ((1.0 + values[:, j])[:, None] ** years) @ v
    p = np.full(len(values), 1.0 / len(values))
    keep, to = fast_forward_groups(space, p, n)
    prob = np.zeros(len(keep))
    np.add.at(prob, to, p)
    mean = np.zeros((len(keep), space.shape[1]))
    np.add.at(mean, to, p[:, None] * space)
    mean /= prob[:, None]  # each kept scenario stands for its group: the group's probability-weighted mean
    for j in gbm:
        mean[:, j] = pv_equivalent_growth(mean[:, j:j + 1] / v.sum() * np.ones(len(v)), sc.finance.discount_rate)
    for k in range(len(keep)):  # a group whose draws agree on an input keeps their value exactly
        same = np.all(values[to == k] == values[keep[k]], axis=0)
        mean[k, same] = values[keep[k], same]
    prob = prob / math.fsum(prob)
    width = max(2, len(str(len(keep))))
    return [UncertainScenario(f"s{k + 1:0{width}d}", float(prob[k]),
                              {name: float(mean[k, j]) for j, name in enumerate(names)})
            for k in range(len(keep))]


def expected_changes(sc: Scenario, scens: list[UncertainScenario]) -> dict[str, float]:
    """The expected-value scenario: every input a scenario changes at its probability-weighted mean (a scenario
    that leaves it alone counts with `sc`'s value, 1 for an hourly multiplier), except a `gbm_growth` input: its
    expectation is that of the price path, so it is the constant growth whose path has the probability-weighted
    mean present value of the scenarios' paths (the mean of the growths would be the PV of no scenario's mean:
    with volatility 0.6 it is ~0.15/yr lower, docs/uncertainty.md). Listed scenarios are averaged as typed."""
    if not scens:
        raise ValueError("no scenarios")
    names = sorted({n for s in scens for n in s.changes})
    p = np.array([s.probability for s in scens], dtype=float)
    p = p / p.sum()
    gbm = set() if sc.listed_scenarios else {row.parameter for row in sc.uncertain if row.model == "gbm_growth"}
    years = np.arange(1, sc.finance.analysis_years + 1, dtype=float)
    out = {}
    for name in names:
        values = np.array([s.changes.get(name, get_param(sc, name)) for s in scens], dtype=float)
        if name in gbm:
            mean_path = p @ ((1.0 + values)[:, None] ** years)
            out[name] = float(pv_equivalent_growth(mean_path, sc.finance.discount_rate)[0])
        else:
            out[name] = float(math.fsum(p * values))
    return out


# ------------------------------------------------------------------------------------ listed scenarios

def listed(sc: Scenario) -> list[UncertainScenario]:
    """The hand-typed scenarios in the order first listed, probabilities scaled to sum to exactly 1.

    A parameter that some listed scenario changes and another does not keeps the workbook's value in the other
    (written into its changes), so every scenario changes the same parameters and their mean is defined.
    """
    order: dict[str, float] = {}
    values: dict[str, dict[str, float]] = {}
    for c in sc.listed_scenarios:
        order.setdefault(c.scenario, c.probability)
        values.setdefault(c.scenario, {})[c.parameter] = c.value
    params = list(dict.fromkeys(c.parameter for c in sc.listed_scenarios))
    base = {name: _base_value(sc, name, f"{UNCERTAINTY_SHEET} (listed scenarios)") for name in params}
    total = math.fsum(order.values())
    if total <= 0:
        raise InputError([f"{UNCERTAINTY_SHEET}: the listed scenarios' probabilities sum to {total:g}; they must sum "
                          f"to 1"])
    return [UncertainScenario(name, prob / total, {p: values[name].get(p, base[p]) for p in params})
            for name, prob in order.items()]


# ---------------------------------------------------------------------------------------------- draws

def draw(sc: Scenario, samples: int, seed: int) -> tuple[list[str], np.ndarray]:
    """(parameter names, samples x parameters values): every uncertain input drawn `samples` times.

    Values are clipped to each parameter's declared range (an hourly multiplier to >= 0).
    """
    rng = np.random.default_rng(seed)
    names = [r.parameter for r in sc.uncertain]
    out = np.empty((samples, len(names)))
    for j, row in enumerate(sc.uncertain):
        out[:, j] = clip_to_range(_draw_row(sc, row, samples, rng), param_info(row.parameter))
    return names, out


def _draw_row(sc: Scenario, row: UncertainRow, samples: int, rng: np.random.Generator) -> np.ndarray:
    where = f"{UNCERTAINTY_SHEET}!A{row.row}" if row.row else UNCERTAINTY_SHEET
    if row.model == "gbm_growth":
        years, d = sc.finance.analysis_years, sc.finance.discount_rate
        eps = rng.standard_normal((samples, years))
        g = _base_value(sc, row.parameter, where)
        if g <= -1.0:
            raise InputError([f"{where}: gbm_growth needs the workbook's growth of {row.parameter} above -1 (a price "
                              f"that does not vanish), found {g:g}"])
        if row.a == 0.0:
            return np.full(samples, g)  # no volatility: every path is (1 + g)^y exactly
        return pv_equivalent_growth(gbm_paths(g, row.a, eps), d)
    if row.model == "lognormal":
        base = _base_value(sc, row.parameter, where)
        return base * lognormal_factor(row.a, rng.standard_normal(samples))
    if row.model == "uniform":
        return rng.uniform(row.a, row.b, samples)
    if row.model == "normal":
        return rng.normal(row.a, row.b, samples)
    raise ValueError(f"unknown model {row.model!r}")  # the reader refuses it first


def _base_value(sc: Scenario, name: str, where: str) -> float:
    value = get_param(sc, name)
    if value is None:
        raise InputError([f"{where}: {name} has no value in the workbook (blank and not filled from the catalog); "
                          f"the scenarios need its base value"])
    return float(value)


def gbm_paths(g: float, a: float, eps: np.ndarray) -> np.ndarray:
    """S[s, y-1] = exp(sum_{k<=y} (ln(1+g) - a^2/2 + a eps[s, k-1])): price relative to today in year y.

    A geometric Brownian motion sampled yearly with drift ln(1+g) and volatility a per year; E[S_y] = (1+g)^y.
    """
    return np.exp(np.cumsum(math.log1p(g) - 0.5 * a * a + a * eps, axis=1))


def lognormal_factor(a: float, eps: np.ndarray) -> np.ndarray:
    """exp(a eps - a^2/2): a factor of mean 1 (mean-preserving) and log standard deviation a."""
    return np.exp(a * eps - 0.5 * a * a)


def pv_weights(discount_rate: float, years: int) -> np.ndarray:
    """v_y = (1 + d)^-y for y = 1..years."""
    return (1.0 + discount_rate) ** -np.arange(1, years + 1, dtype=float)


def pv_equivalent_growth(paths: np.ndarray, discount_rate: float) -> np.ndarray:
    """For each path S_y (y = 1..Y), the constant growth g_s with sum_y v_y (1+g_s)^y = sum_y v_y S_y.

    sum_y v_y (1+g)^y rises strictly with g on (-1, inf) from 0, so bisection finds the one root (no SciPy).
    """
    paths = np.atleast_2d(paths)
    years = paths.shape[1]
    v = pv_weights(discount_rate, years)
    y = np.arange(1, years + 1, dtype=float)
    target = paths @ v

    def pv(g: np.ndarray) -> np.ndarray:
        return ((1.0 + g)[:, None] ** y) @ v

    lo, hi = np.full(len(target), -1.0), np.full(len(target), 1.0)
    while np.any(short := pv(hi) < target):
        hi = np.where(short, 2.0 * hi + 1.0, hi)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        up = pv(mid) < target
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
        if np.all(hi - lo <= 4.0 * np.finfo(float).eps * np.maximum(1.0, np.abs(hi))):
            break
    return 0.5 * (lo + hi)


def clip_to_range(values: np.ndarray, fi: FieldInfo) -> np.ndarray:
    """Values within the parameter's declared range (a strict lower bound: the next number above it)."""
    lo = -np.inf if fi.lo is None else (np.nextafter(fi.lo, np.inf) if fi.lo_open else fi.lo)
    hi = np.inf if fi.hi is None else fi.hi
    return np.clip(values, lo, hi)


# ------------------------------------------------------------------------------------------ reduction

def standardised(values: np.ndarray) -> np.ndarray:
    """Each column divided by its sample standard deviation (ddof 1); a column without spread is left out."""
    values = np.asarray(values, float).reshape(len(values), -1)
    if len(values) < 2:
        return np.zeros((len(values), 0))
    sd = values.std(axis=0, ddof=1)
    keep = sd > 0
    return values[:, keep] / sd[keep]


def fast_forward(values: np.ndarray, probabilities: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Fast forward selection of n of the draws (rows of values); returns (kept indices ascending, their
    probabilities). Each dropped draw's probability goes to its nearest kept one (`fast_forward_groups`)."""
    keep, to = fast_forward_groups(values, probabilities, n)
    out = np.zeros(len(keep))
    np.add.at(out, to, np.asarray(probabilities, float))
    return keep, out


def fast_forward_groups(values: np.ndarray, probabilities: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Fast forward selection: (kept indices ascending, for every draw the position in `keep` of its nearest
    kept draw, which it is merged into).

    Distances are Euclidean in the standardised values. Step i picks the draw u that minimises
    z_u = sum_k p_k min(c_ku, d_k) over the draws k not yet kept, where d_k is k's distance to its nearest kept
    draw (infinite before the first pick): Heitsch and Roemisch's c^[i]_ku = min(c^[i-1]_ku, c_k,u_(i-1)).
    Ties within TIE_RTOL go to the lower index. n >= the number of draws keeps all of them.
    """
    p = np.asarray(probabilities, float)
    count = len(p)
    if n >= count:
        return np.arange(count), np.arange(count)
    x = standardised(values)
    nearest = np.full(count, np.inf)
    free = np.ones(count, bool)
    for _ in range(n):
        rest = np.flatnonzero(free)
        z = np.empty(len(rest))
        step = max(1, BLOCK_ELEMENTS // len(rest))
        for s in range(0, len(rest), step):
            u = rest[s:s + step]
            c = _distances(x[rest], x[u])  # (|rest|, |u|)
            z[s:s + step] = p[rest] @ np.minimum(c, nearest[rest][:, None])
        u = int(rest[_first_min(z)])
        free[u] = False
        nearest = np.minimum(nearest, _distances(x, x[u:u + 1])[:, 0])
    keep = np.flatnonzero(~free)
    to = np.empty(count, dtype=int)
    step = max(1, BLOCK_ELEMENTS // len(keep))
    for s in range(0, count, step):
        c = _distances(x[s:s + step], x[keep])  # (block, |keep|)
        m = c.min(axis=1, keepdims=True)
        to[s:s + step] = np.argmax(c <= m + TIE_RTOL * np.maximum(np.abs(m), np.finfo(float).tiny), axis=1)
    return keep, to


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of a and of b, (len(a), len(b))."""
    sq = np.zeros((len(a), len(b)))
    for j in range(a.shape[1]):  # one coordinate at a time: memory len(a) x len(b), exact zeros on the diagonal
        sq += (a[:, j, None] - b[None, :, j]) ** 2
    return np.sqrt(sq)


def _first_min(z: np.ndarray) -> int:
    """The lowest index whose value is within TIE_RTOL of the minimum."""
    m = float(z.min())
    return int(np.flatnonzero(z <= m + TIE_RTOL * max(abs(m), np.finfo(float).tiny))[0])
