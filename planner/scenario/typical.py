"""Typical periods: aggregate the year into K typical days (tsam) plus preserved extreme days.

The reduced scenario has one step per hour of each typical day, weighted by the number of real days
it stands for; its `periods` field tells the battery how to link the state of charge. It is used to
size the plant fast; the answer is then re-dispatched over the full year (planner/run.py). Series the
model turns nonlinearly into energy (wind speed through a power curve) are converted by their
technology before aggregation (planner/technologies: for_typical_days).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.scenario.inputs import HOURLY_COLUMNS, HOURLY_NAMES
from planner.scenario.scenario import Periods, Scenario

HOURS_PER_DAY = 24


def extreme_columns(sc: Scenario, df: pd.DataFrame) -> dict[str, list[str]]:
    """Which days must survive aggregation: each used column's declared extremes (lulls, outages, peaks)."""
    varying = {c for c in df.columns if df[c].std() > 1e-9}
    out: dict[str, list[str]] = {"min_period": [], "max_value": [], "min_value": []}
    for c in HOURLY_COLUMNS:
        if c.name in varying and sc.column_used(c.name):
            for kind in c.extremes:
                out[kind].append(c.name)
    return out


def aggregate(sc: Scenario, n_days: int, storage: str = "linked", own_days: tuple[int, ...] = ()) -> Scenario:
    """A reduced copy of `sc` with `n_days` typical days plus extreme days (tsam, medoid days).

    `own_days` (0-based day numbers) are kept exactly as real days, each its own period of weight one,
    taken out of the cluster they fell in: the full-year check adds the days a design could not serve.
    """
    import tsam

    if sc.n_steps % HOURS_PER_DAY:
        raise ValueError(f"typical days need whole days; the scenario has {sc.n_steps} hours")
    n_periods = sc.n_steps // HOURS_PER_DAY
    if not 1 <= n_days <= n_periods:
        raise ValueError(f"--typical-days must be between 1 and {n_periods}, got {n_days}")
    hour_weight = float(sc.weights.mean())  # hours each input step stands for (1 in a full-year workbook)
    df = sc.hourly[list(HOURLY_NAMES)].copy()
    df.index = pd.date_range("2001-01-01", periods=len(df), freq="h")  # regular index for tsam
    constant = [c for c in df.columns if df[c].std() <= 1e-9]
    varying = df.drop(columns=constant)
    ext = extreme_columns(sc, varying)
    result = tsam.aggregate(
        varying, n_clusters=n_days, period_duration=HOURS_PER_DAY,
        cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"),
        extremes=tsam.ExtremeConfig(method="append", **ext) if any(ext.values()) else None,
        preserve_column_means=False,
    )
    reps = result.cluster_representatives
    clusters = sorted(reps.index.get_level_values(0).unique())
    counts = result.cluster_counts
    rows = []
    for c in clusters:
        day = reps.loc[c].reset_index(drop=True)
        for col in constant:
            day[col] = df[col].iloc[0]
        day["weight"] = float(counts[c]) * hour_weight
        rows.append(day)
    index_of = {c: i for i, c in enumerate(clusters)}
    sequence = np.array([index_of[c] for c in result.cluster_assignments], dtype=int)
    for d in sorted(set(own_days)):
        c = sequence[d]
        day = df.iloc[d * HOURS_PER_DAY:(d + 1) * HOURS_PER_DAY].reset_index(drop=True)
        exact = np.allclose(rows[c][day.columns].to_numpy(float), day.to_numpy(float), rtol=0, atol=1e-12)
        if exact and rows[c]["weight"].iloc[0] <= hour_weight:  # already a period of its own (an extreme day)
            continue
        rows[c]["weight"] -= hour_weight
        day["weight"] = hour_weight
        sequence[d] = len(rows)
        rows.append(day)
    used = [c for c in range(len(rows)) if rows[c]["weight"].iloc[0] > 1e-9]  # drop periods left with no day
    renumber = {c: i for i, c in enumerate(used)}
    rows = [rows[c] for c in used]
    sequence = np.array([renumber[c] for c in sequence], dtype=int)
    reduced_hourly = pd.concat(rows, ignore_index=True)
    reduced_hourly.insert(0, "timestamp", pd.date_range("2001-01-01", periods=len(reduced_hourly), freq="h"))
    out = sc.copy()
    out.hourly = reduced_hourly[["timestamp", *HOURLY_NAMES, "weight"]]
    out.hourly.attrs = dict(sc.hourly.attrs)
    months = pd.DatetimeIndex(sc.hourly["timestamp"]).month.to_numpy()[::HOURS_PER_DAY]
    out.periods = Periods(hours_per_period=HOURS_PER_DAY, n_clusters=len(rows), sequence=sequence,
                          storage=storage, months=months)
    return out


def month_steps(sc: Scenario) -> list[np.ndarray]:
    """The steps of each calendar month the scenario holds (months 1-12 in order; years folded together).

    Full year: the steps whose timestamp falls in the month. Typical days: the steps of every typical
    period that stands for at least one day of the month, so a month's peak is the highest over the typical
    days representing it (docs/formulation.md, (7a)).
    """
    p = sc.periods
    if p is not None and p.months is not None:
        hpp = p.hours_per_period
        return [np.concatenate([np.arange(c * hpp, (c + 1) * hpp) for c in np.unique(p.sequence[p.months == mo])])
                for mo in np.unique(p.months)]
    months = pd.DatetimeIndex(sc.hourly["timestamp"]).month.to_numpy()
    return [np.flatnonzero(months == mo) for mo in np.unique(months)]


MAX_ADD_ROUNDS = 4  # rounds of "add the days the design could not serve" (planner/run.py, planner/periods.py)
SERVED_TOL_MW = 1e-6  # an hour whose elastic shortfall is above this is not served


def short_days(short_mw: np.ndarray) -> set[int]:
    """The days (0-based) of a full year holding an hour whose shortfall is above SERVED_TOL_MW."""
    return {int(h) // HOURS_PER_DAY for h in np.flatnonzero(np.asarray(short_mw) > SERVED_TOL_MW)}


def days_to_add(days: set[int], own_days: set[int], lookback: int) -> tuple[set[int], int]:
    """The real days to add to a reduced model after a design fell short on `days`: those days and the `lookback`
    days before each (storage empties first), the lookback doubling (to at most 64) until some day is new.
    Returns (the new days, the lookback for the next round)."""
    new_days: set[int] = set()
    while not new_days and lookback <= 64:
        new_days = {d - k for d in days for k in range(lookback + 1) if d >= k} - own_days
        lookback *= 2
    return new_days, lookback
