"""Explain an infeasible scenario in the user's terms with an elastic copy of the model.

The copy gives each hard requirement (the energy balance, site capacity, land and budget, and the hard
requirements technologies declare, such as a firm load) a non-negative slack and minimises their
weighted sum; whatever slack remains says which requirement fails, when, and by how much, in the words
its declaration gives (`Ctx.slack`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.core as pyo

from planner.errors import SolveError
from planner.model import build, fix_sizes
from planner.scenario.scenario import Scenario
from planner.solve.direct import solve_direct
from planner.solve.highs_model import HighsModel
from planner.solve.options import SolveOptions

TOL = 1e-5


def _elastic_model(sc: Scenario, fixed: dict[str, float] | None = None):
    """The elastic copy of the model (minimise the weighted slack), some new sizes fixed if given."""
    built = build(sc, elastic=True)
    m, ctx = built.m, built.ctx
    fix_sizes(m, fixed or {})
    w = ctx.w.tolist()
    terms = []
    for var in ctx.slacks.values():
        if var.is_indexed():
            terms.append(pyo.quicksum(w[t] * var[t] for t in ctx.T))
        else:
            terms.append(1e3 * var)
    m.objective.deactivate()
    m.elastic_objective = pyo.Objective(expr=pyo.quicksum(terms), sense=pyo.minimize)
    return built


def elastic_solve(sc: Scenario, opts: SolveOptions | None = None, fixed: dict[str, float] | None = None):
    """Solve the elastic copy (minimise weighted slack); return the built model, or None if it has no answer."""
    opts = opts or SolveOptions()
    built = _elastic_model(sc, fixed)
    try:
        stats = solve_direct(HighsModel(built.m, scale=1.0), opts)
    except SolveError:
        return None
    return built if stats.status in ("optimal", "time_limit", "node_limit", "gap_not_reached") else None


class YearCheck:
    """The elastic copy of the full-year model, built once and re-solved (an LP) for design after design.

    `shortfall_mw(design)` fixes the new sizes by their column bounds and returns the per-step sum of
    the hourly slacks (MW) the design needs to be served, or None if the LP cannot be solved.
    """

    def __init__(self, sc: Scenario, opts: SolveOptions | None = None):
        self.sc, self.opts = sc, opts or SolveOptions()
        self.built = _elastic_model(sc)
        self.hm = HighsModel(self.built.m, scale=1.0)
        self.hm.relax_integers()

    def cut(self, design: dict[str, float], names: list[str]) -> tuple[float, np.ndarray] | None:
        """The least weighted shortfall of this design and its subgradient in the decisions `names` (the
        reduced costs of their fixed columns), for a Benders feasibility cut (planner/solve/benders.py, (S6))."""
        stats = self._solve(design)
        solution = self.hm.h.getSolution()
        if stats is None or stats.status != "optimal" or not solution.dual_valid:
            return None
        duals = np.asarray(solution.col_dual, dtype=float)
        m = self.built.m
        return float(stats.objective), np.array([duals[self.hm.col_index[id(m.component(k))]] for k in names])

    def _solve(self, design: dict[str, float]):
        """The elastic LP with these new sizes fixed by their column bounds; its stats, or None if no answer."""
        m = self.built.m
        self.hm.fix_columns([(m.component(name), value) for name, value in design.items()])
        try:
            stats = solve_direct(self.hm, self.opts)
        except SolveError:
            return None
        return stats if stats.status in ("optimal", "time_limit", "node_limit", "gap_not_reached") else None

    def shortfall_mw(self, design: dict[str, float]) -> np.ndarray | None:
        if self._solve(design) is None:
            return None
        total = np.zeros(self.sc.n_steps)
        for var in self.built.ctx.slacks.values():
            if var.is_indexed():
                total += _hourly(var, self.built.ctx.T)
        return total


def _hourly(var, steps) -> np.ndarray:
    """An hourly slack's solved values."""
    return np.array([var[t].value or 0.0 for t in steps])


def diagnose(sc: Scenario, opts: SolveOptions | None = None, fixed: dict[str, float] | None = None) -> list[str]:
    """Plain-language reasons why the scenario (with some sizes fixed, if given) has no feasible plan."""
    built = elastic_solve(sc, opts, fixed)
    if built is None:
        return ["the elastic copy of the model could not be solved either; check the inputs for contradictions"]
    ctx = built.ctx
    stamps = pd.DatetimeIndex(sc.hourly["timestamp"])
    out = []
    for name, var in ctx.slacks.items():
        message = ctx.slack_messages[name]  # declared with the slack, by the model or its technology
        if var.is_indexed():
            vals = _hourly(var, ctx.T)
            if vals.max() > TOL:
                out.append(message(sc, ctx, vals, describe_hours(np.flatnonzero(vals > TOL), stamps)))
        elif (var.value or 0.0) > TOL:
            out.append(message(sc, ctx, float(var.value), ""))
    return out


def describe_hours(hours: np.ndarray, stamps: pd.DatetimeIndex, most: int = 3) -> str:
    """'e.g. 02:00-06:00 on 01 Jan, 02:00-05:00 on 02 Jan and 12 more periods' for a set of step indices."""
    runs = []
    start = prev = int(hours[0])
    for h in list(hours[1:]) + [None]:
        if h is not None and int(h) == prev + 1:
            prev = int(h)
            continue
        runs.append((start, prev))
        if h is not None:
            start = prev = int(h)
    if len(runs) == 1 and runs[0] == (0, len(stamps) - 1):
        return "every hour of the year"
    parts = []
    for a, b in runs[:most]:
        ta, tb = stamps[a], stamps[b] + pd.Timedelta(hours=1)
        if tb.year != ta.year:  # a run to the end of the year: say which year it ends in
            parts.append(f"{ta:%d %b %Y %H:%M} to {tb:%d %b %Y %H:%M}")
        elif ta.date() == stamps[b].date():
            parts.append(f"{ta:%H:%M}-{tb:%H:%M} on {ta:%d %b}")
        else:
            parts.append(f"{ta:%d %b %H:%M} to {tb:%d %b %H:%M}")
    more = f" and {len(runs) - most} more period(s)" if len(runs) > most else ""
    return "e.g. " + ", ".join(parts) + more
