"""The shared model context every technology adds its variables, flows and constraints to, and helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.core as pyo

from planner.scenario.scenario import Scenario

FlowFn = Callable[[int], Any]  # t -> Pyomo expression in MW (MWh per hour)
# message of an elastic slack that stayed positive: (scenario, ctx, shortfall per step, "e.g. 02:00-06:00 on ...")
SlackMessage = Callable[[Scenario, "Ctx", np.ndarray, str], str]


@dataclass
class Ctx:
    """What one model build collects from the technologies before the balance and objective.

    planner/model.py fills `new` (the decision variables) and `sizes` from each technology's declarations
    before calling its `add`, and reads `hourly` (the flows it registered) afterwards.
    """

    m: pyo.ConcreteModel
    sc: Scenario
    pwf: dict[str, float]  # after-tax present-worth factor per stream kind
    new: dict[str, Any] = field(default_factory=dict)  # decision var name -> Pyomo Var of new capacity
    sizes: dict[str, Any] = field(default_factory=dict)  # size key -> expression (totals incl. existing)
    hourly: dict[str, Any] = field(default_factory=dict)  # dispatch column -> indexed Var or FlowFn
    supply: dict[str, FlowFn] = field(default_factory=dict)  # flows into the site bus
    demand: dict[str, FlowFn] = field(default_factory=dict)  # flows out of the site bus
    site_uses: dict[str, FlowFn] = field(default_factory=dict)  # what counts against site_capacity_mw
    annual: dict[str, tuple[str, Any]] = field(default_factory=dict)  # stream -> (kind, USD/yr expr)
    integers: dict[str, Any] = field(default_factory=dict)  # fleet (size key) -> integer Var of new units
    land_ha: list[Any] = field(default_factory=list)
    elastic: bool = False  # diagnosis mode: hard requirements get penalised slacks (planner/solve/elastic.py)
    slacks: dict[str, Any] = field(default_factory=dict)  # requirement name -> slack Var (elastic mode)
    slack_messages: dict[str, SlackMessage] = field(default_factory=dict)
    firm_labels: list[str] = field(default_factory=list)  # technologies that can carry a firm load (messages)

    @property
    def T(self) -> range:
        return range(self.sc.n_steps)

    @property
    def w(self) -> np.ndarray:
        return self.sc.weights

    def col(self, name: str) -> list[float]:
        """An hourly input column as a plain list of floats (fast in Pyomo expressions)."""
        return self.sc.hourly[name].to_numpy(float).tolist()

    def flow(self, column: str) -> FlowFn:
        """A registered dispatch column as t -> expression."""
        obj = self.hourly[column]
        return (lambda t: obj[t]) if isinstance(obj, pyo.Var) else obj

    def weighted_sum(self, fn: FlowFn, coef: list[float] | float = 1.0):
        """Sum over t of weight_t * coef_t * fn(t): the representative-year total of an hourly flow."""
        w = self.w.tolist()
        if isinstance(coef, (int, float)):
            return pyo.quicksum(w[t] * coef * fn(t) for t in self.T)
        return pyo.quicksum(w[t] * coef[t] * fn(t) for t in self.T if coef[t] != 0)

    def slack(self, name: str, var: Any, message: SlackMessage) -> None:
        """An elastic slack on a hard requirement (diagnosis mode) and how to say it failed."""
        self.slacks[name] = var
        self.slack_messages[name] = message


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
