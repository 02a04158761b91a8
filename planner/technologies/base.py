"""The shared model context every technology module adds its variables, flows and cash flows to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario

FlowFn = Callable[[int], Any]  # t -> Pyomo expression in MW (MWh per hour)


@dataclass
class Ctx:
    """What one model build collects from the technology modules before the balance and objective."""

    m: pyo.ConcreteModel
    sc: Scenario
    pwf: dict[str, float]  # after-tax present-worth factor per stream kind
    degradation: dict[str, float] = field(default_factory=dict)
    supply: dict[str, FlowFn] = field(default_factory=dict)  # flows into the site bus
    demand: dict[str, FlowFn] = field(default_factory=dict)  # flows out of the site bus
    site_uses: dict[str, FlowFn] = field(default_factory=dict)  # what counts against site_capacity_mw
    annual: dict[str, tuple[str, Any]] = field(default_factory=dict)  # stream -> (kind, USD/yr expr)
    capital: list[tuple[CapitalItem, Any]] = field(default_factory=list)  # (item, new size expr)
    land_ha: list[Any] = field(default_factory=list)
    sizes: dict[str, Any] = field(default_factory=dict)  # summary key -> expr (totals incl. existing)
    integers: dict[str, Any] = field(default_factory=dict)  # fleet name -> integer Var of new units
    hourly: dict[str, Any] = field(default_factory=dict)  # dispatch column -> indexed Var or FlowFn
    elastic: bool = False  # diagnosis mode: hard requirements get penalised slacks (planner/solve/diagnose.py)
    slacks: dict[str, Any] = field(default_factory=dict)  # requirement name -> slack Var (elastic mode)

    rate_fns: dict[str, Callable[[Scenario], float]] = field(default_factory=dict)

    def stream(self, name: str, kind: str, rate_fn: Callable[[Scenario], float], quantity) -> None:
        """An operating cash-flow stream: rate (USD per unit, a mutable Param) x quantity (an expression).

        The rate is recomputed from a changed scenario by `rate_fn`, so sensitivities can update it in
        place on a persistent solver (planner/model.py: update_objective).
        """
        rate = pyo.Param(mutable=True, initialize=float(rate_fn(self.sc)))
        self.m.add_component(f"rate_{name}", rate)
        self.rate_fns[name] = rate_fn
        self.annual[name] = (kind, rate * quantity)

    @property
    def T(self) -> range:
        return range(self.sc.n_steps)

    @property
    def w(self) -> np.ndarray:
        return self.sc.weights

    def col(self, name: str) -> list[float]:
        """An hourly input column as a plain list of floats (fast in Pyomo expressions)."""
        return self.sc.hourly[name].to_numpy(float).tolist()

    def weighted_sum(self, fn: FlowFn, coef: list[float] | float = 1.0):
        """Sum over t of weight_t * coef_t * fn(t): the representative-year total of an hourly flow."""
        w = self.w.tolist()
        if isinstance(coef, (int, float)):
            return pyo.quicksum(w[t] * coef * fn(t) for t in self.T)
        return pyo.quicksum(w[t] * coef[t] * fn(t) for t in self.T if coef[t] != 0)


def series_scale(sc: Scenario, column: str) -> float:
    """Multiplier applied to an hourly series since the model was built (planner/scenario/params.py)."""
    return float(sc.hourly.attrs.get("scale", {}).get(column, 1.0))


def new_var(m: pyo.ConcreteModel, name: str, lb: float, ub: float | None, integer: bool = False) -> pyo.Var:
    """A non-negative sizing variable for newly built capacity (min..max new; None = no limit)."""
    v = pyo.Var(domain=pyo.NonNegativeIntegers if integer else pyo.NonNegativeReals,
                bounds=(lb, None if ub is None else max(lb, ub)))
    m.add_component(name, v)
    return v


def hourly_var(m: pyo.ConcreteModel, name: str, n: int, ub: list[float] | float | None = None) -> pyo.Var:
    """A non-negative hourly variable; `ub` gives per-hour (list) or constant upper bounds."""
    if ub is None:
        v = pyo.Var(range(n), domain=pyo.NonNegativeReals)
    elif isinstance(ub, list):
        v = pyo.Var(range(n), domain=pyo.NonNegativeReals, bounds=lambda _m, t: (0.0, ub[t]))
    else:
        v = pyo.Var(range(n), domain=pyo.NonNegativeReals, bounds=(0.0, float(ub)))
    m.add_component(name, v)
    return v


def hourly_con(m: pyo.ConcreteModel, name: str, n: int, rule) -> None:
    """An hourly constraint from a rule (t -> relational expression or Constraint.Skip)."""
    m.add_component(name, pyo.Constraint(range(n), rule=lambda _m, t: rule(t)))
