"""The investment periods of a multi-period plan, from the Periods sheet (docs/periods.md). numpy only.

A period starts in a calendar year and stands for the operating years until the next one starts. Operating
year y (1..N) is the y-th year from the year of commercial operation: calendar year floor(cod_year) + y - 1,
so a period starting in calendar year s starts at operating year s - floor(cod_year) + 1, and the first period
must start in the year of COD. Each period's inputs are the workbook's with the period's changes applied, and
every Arps decline multiplies its parameter by the decline curve's average over the period's years relative
to its average over year 1 (the year the workbook's hourly series stand for).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.errors import InputError
from planner.scenario.layout import PERIODS_SHEET
from planner.scenario.params import get_param
from planner.scenario.scenario import DeclineRow, InvestmentPeriod, Scenario


@dataclass(frozen=True)
class PeriodSpan:
    """One period's operating years, first..last inclusive (1-based, as the pro-forma's years)."""

    start_year: int  # calendar year
    first: int
    last: int

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.first, self.last + 1)


def multi_period(sc: Scenario) -> bool:
    """Does the workbook plan more than one investment period?"""
    return len(sc.investment_periods) > 1


def without_periods(sc: Scenario) -> Scenario:
    """A copy of `sc` without its Periods sheet: the one representative year repeated over the whole analysis (the
    one-year answer a multi-period plan is compared with)."""
    out = sc.copy()
    out.investment_periods, out.declines = [], []
    return out


def spans(sc: Scenario) -> list[PeriodSpan]:
    """Each period's operating years; InputError naming the row when a start year does not fit the analysis."""
    rows = sc.investment_periods or [InvestmentPeriod(int(math.floor(sc.site.cod_year)))]
    cod = int(math.floor(sc.site.cod_year))
    n = sc.finance.analysis_years
    firsts = [r.start_year - cod + 1 for r in rows]
    problems = []
    where = [f"{PERIODS_SHEET}!A{r.row}" if r.row else f"{PERIODS_SHEET} (period {k + 1})" for k, r in enumerate(rows)]
    if firsts[0] != 1:
        problems.append(f"{where[0]}: the first period must start in the year of commercial operation "
                        f"({cod}, Site.cod_year = {sc.site.cod_year:g}), found {rows[0].start_year}")
    for k in range(1, len(rows)):
        if firsts[k] <= firsts[k - 1]:
            problems.append(f"{where[k]}: periods must start in increasing years, found {rows[k].start_year} after "
                            f"{rows[k - 1].start_year}")
        elif firsts[k] > n:
            problems.append(f"{where[k]}: the period starting in {rows[k].start_year} begins after the "
                            f"{n}-year analysis ends (its last operating year is {cod + n - 1})")
    if problems:
        raise InputError(problems)
    lasts = [f - 1 for f in firsts[1:]] + [n]
    return [PeriodSpan(r.start_year, f, last) for r, f, last in zip(rows, firsts, lasts, strict=True)]


def cumulative(t: np.ndarray | float, d: float, b: float) -> np.ndarray:
    """Cumulative output of an Arps decline of initial rate 1 from time 0 to t (years):
    b = 0: (1 - e^(-d t)) / d; b = 1: ln(1 + d t) / d; otherwise (1 - (1 + b d t)^(1 - 1/b)) / ((1 - b) d)."""
    t = np.asarray(t, dtype=float)
    if d == 0:
        return t
    if b == 0:
        return -np.expm1(-d * t) / d
    if b == 1:
        return np.log1p(d * t) / d
    return (1.0 - (1.0 + b * d * t) ** (1.0 - 1.0 / b)) / ((1.0 - b) * d)


def arps_factors(row: DeclineRow, periods: list[PeriodSpan]) -> list[float]:
    """For each period, the Arps rate q(t) = (1 + b d t)^(-1/b) (b = 0: e^(-d t)) averaged over the period's
    operating years [first - 1, last), divided by its average over year 1, [0, 1)."""
    d, b = row.initial_decline_per_year, row.b_factor
    year1 = float(cumulative(1.0, d, b))
    return [float((cumulative(p.last, d, b) - cumulative(p.first - 1, d, b)) / (p.last - p.first + 1) / year1)
            for p in periods]


def period_changes(sc: Scenario) -> list[dict[str, float]]:
    """Each period's changes to the workbook's inputs (dotted name -> value, hourly.X a multiplier), the typed
    values with every decline's factor applied (a field: its base or typed value times the factor)."""
    periods = spans(sc)
    rows = sc.investment_periods or [InvestmentPeriod(periods[0].start_year)]
    out = [dict(r.changes) for r in rows]
    for dec in sc.declines:
        for k, f in enumerate(arps_factors(dec, periods)):
            name = dec.parameter
            if name.startswith("hourly."):
                out[k][name] = out[k].get(name, 1.0) * f
            else:
                base = out[k].get(name, get_param(sc, name))
                if base is None:
                    raise InputError([f"{PERIODS_SHEET}!A{dec.row}: {name} has no value to decline (blank in the "
                                      f"workbook and not filled from the catalog)"])
                out[k][name] = float(base) * f
    return out
