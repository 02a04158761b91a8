"""What a technology declares about itself, once: the registry's vocabulary (no Pyomo here).

A technology module builds one `Technology`: its decisions (new-size variables and the sheet fields
that bound them), the sizes it reports, its hourly flows and their role on the site bus, its capital
items, its cash-flow streams, its land use, its own price path if it has one, and `add(ctx)`, which
adds its variables and constraints to the model. Everything else (the balance, the objective, the
results, the pro-forma, the reports, the sensitivities) reads these declarations.

A stream is declared once, as a rate (USD per unit, a function of the scenario) times a quantity
(`Hourly`: a dispatch column summed over the weighted hours, optionally times an hourly price series;
`Capacity`: a reported size; `MonthlyPeak`: a column's highest value in each month). The model multiplies
the rate by the quantity's Pyomo expression; the pro-forma multiplies it by the quantity recomputed from
the dispatch table and the sizes
(`annual_amount`), so the two agree only if the dispatch and the model do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.finance import CapitalItem

ScenarioFn = Callable[[Any], float]  # Scenario -> number


@dataclass(frozen=True)
class Retire:
    """How a decision's new capacity may leave the site before its life ends, in a multi-period plan
    (planner/periods.py; docs/periods.md): a share of its capital's undepreciated value comes back, less a cost."""

    recovery: ScenarioFn  # share of the undepreciated value of the decision's capital items returned
    cost_usd_per_unit: ScenarioFn = lambda _sc: 0.0  # paid per unit retired (e.g. moving a genset to another pad)


@dataclass(frozen=True)
class Decision:
    """A new-size variable: how much new capacity to build, bounded by two fields of the sheet."""

    var: str  # Pyomo component name, e.g. "pv_new_mw_ac"
    unit: str
    min_field: str  # section fields that bound it (min_new_*, max_new_*; max blank = no limit)
    max_field: str
    integer: bool = False
    fleet: str | None = None  # an integer fleet's size key (e.g. "wind_turbines"): marginal units are keyed by it
    upper: Callable[[Any], float | None] | None = None  # a tighter upper bound than the sheet's (Scenario -> bound)
    retire: Retire | None = None  # multi-period plans: it may be retired early (None: it stays until its life ends)


@dataclass(frozen=True)
class Size:
    """A reported size: per_unit x (existing + new), e.g. wind_mw = turbine_mw x (existing + new turbines)."""

    key: str  # summary key, e.g. "wind_mw"
    unit: str
    label: str
    existing: ScenarioFn
    new: str | None = None  # the Decision.var it grows with (None: given, e.g. the import limit)
    per_unit: ScenarioFn = lambda _sc: 1.0
    integer: bool = False  # a count: reported as a whole number


@dataclass(frozen=True)
class Flow:
    """One hourly dispatch column (MW, i.e. MWh per hour) and its role on the site bus."""

    column: str
    role: str  # supply (into the bus), demand (out of it), state (e.g. MWh stored), info (not on the bus)
    label: str
    unit: str = "MW"
    site_use: bool = False  # counts against the site's electrical capacity
    energy_key: str | None = None  # key of its annual total in energy_mwh
    generation: bool = False  # output of a generator (LCOE, capacity factors)
    heatmap: bool = False  # a flexible use worth an hour-of-day x day-of-year chart in the report
    kpi: bool = False  # its annual energy is a headline figure of the report


SUPPLY, DEMAND, STATE, INFO = "supply", "demand", "state", "info"


@dataclass(frozen=True)
class Hourly:
    """Quantity: sum over hours of weight x a dispatch column (x an hourly input series, e.g. a price)."""

    column: str
    times: str | None = None


@dataclass(frozen=True)
class Capacity:
    """Quantity: a reported size (e.g. MW for fixed O&M per MW-year)."""

    size: str


@dataclass(frozen=True)
class MonthlyPeak:
    """Quantity: the highest value of a dispatch column in each calendar month, summed over the months and
    scaled to a year (x 12 / months held), e.g. the MW a monthly demand charge bills (docs/formulation.md, (7a))."""

    column: str


@dataclass(frozen=True)
class Stream:
    """An operating cash flow of the representative year: rate (USD per unit) x quantity; revenue positive."""

    name: str
    kind: str  # which price path escalates it: om, electricity, fuel, flat, or a technology's own (ai, mining)
    rate: ScenarioFn
    per: Hourly | Capacity | MonthlyPeak
    label: str
    # the input the rate is proportional to (a dotted name, or hourly.<column> for a price series scaled as a
    # whole): the report's Assumptions sheet makes it a live cell that scales this stream (docs/report.md)
    driver: str = ""


@dataclass(frozen=True)
class Land:
    """Land a technology's new capacity takes: ha per unit of a decision."""

    ha_per_unit: ScenarioFn
    new: str  # Decision.var


@dataclass(frozen=True)
class Limit:
    """A limit a workbook field sets on the plan through one named part of the model, e.g. an annual fuel cap.

    The component is a Constraint `body <= field value` (one row, or one per hour: their duals add up) or,
    with `bound=True`, an hourly Var whose upper bound in every hour is the field's value (its reduced costs
    add up). The value of relaxing it (planner/limits.py) is the dual: USD of NPV per `step` units of the field.
    """

    component: str  # Pyomo name of the constraint (or hourly variable) the field bounds
    field: str  # the field of the technology's sheet (or of the Site sheet) that sets it
    label: str  # what it is, in a user's words ("Annual gas cap")
    unit: str  # the field's unit
    bound: bool = False  # True: the field is the upper bound of an hourly variable, not a constraint's right side
    rhs_per_unit: float = 1.0  # the constraint's right-hand side per unit of the field (1e-6 for a row in M USD)
    step: float = 1.0  # the relaxation the gain is quoted for, in the field's unit (1e6 for a budget in USD)
    step_label: str = ""  # how that step reads ("1 M USD"); default "1 <unit>"


@dataclass(frozen=True)
class CapacityFactor:
    """A reported capacity factor: annual energy of a flow over (size x hours)."""

    key: str
    column: str
    size: str


@dataclass(frozen=True)
class Figure:
    """The label of a figure a technology adds besides its sizes, flows and streams (`extra_energy`, `report`)."""

    key: str
    label: str
    unit: str


@dataclass(frozen=True)
class Emissions:
    """Greenhouse gases of the representative year (tCO2e/yr) by source key, and those the plan avoids."""

    emitted: dict[str, float]
    avoided: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Technology:
    """Everything the planner knows about one technology, declared in its module."""

    name: str  # the Scenario attribute of its input sheet, e.g. "pv"
    label: str
    add: Callable[[Any], None]  # adds variables and constraints to the model (ctx -> None)
    decisions: Callable[[Any], list[Decision]]
    sizes: tuple[Size, ...]
    flows: tuple[Flow, ...]
    capital: Callable[[Any], list[CapitalItem]] = lambda _sc: []
    streams: Callable[[Any], list[Stream]] = lambda _sc: []
    land: tuple[Land, ...] = ()
    capacity_factors: tuple[CapacityFactor, ...] = ()
    limits: tuple[Limit, ...] = ()  # limits of its own that its sheet's fields set (binding limits, planner/limits.py)
    price_path: Callable[[Any], np.ndarray] | None = None  # its own stream kind (named like it), years 1..N
    firm: bool = False  # dispatchable supply that can carry a firm load through the night
    hedge: bool = False  # flexible: the stochastic plan reports its value as a hedge (with and without new builds)
    report: Callable[[Any, pd.DataFrame], dict] | None = None  # extra summary figures (summary[name])
    extra_energy: Callable[[pd.DataFrame], dict[str, float]] | None = None  # derived energy_mwh entries
    for_typical_days: Callable[[Any], None] | None = None  # make its series aggregatable, in place (sc -> None)
    structural: Callable[[Any], set[str]] = lambda _sc: set()  # objective-only names it makes structural
    figures: tuple[Figure, ...] = ()  # labels of the keys its extra_energy, report and emissions produce
    emissions: Callable[[Any, pd.DataFrame], Emissions] | None = None  # its tCO2e/yr by source, and avoided
    generation: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "generation", any(f.generation for f in self.flows))


def weighted_total(d: pd.DataFrame, column: str, times: pd.Series | np.ndarray | None = None) -> float:
    """Annual total of an hourly column: sum over steps of weight x value (x an hourly series)."""
    if column not in d:
        return 0.0
    values = d["weight"] * d[column]
    if times is not None:
        values = values * np.asarray(times, dtype=float)
    return float(values.sum())


def annual_amount(stream: Stream, sc: Any, d: pd.DataFrame, sizes: dict[str, float]) -> float:
    """The stream's cash flow in the representative year, recomputed from the dispatch table and sizes."""
    q = stream.per
    if isinstance(q, Hourly):
        times = None if q.times is None else sc.hourly[q.times].to_numpy(float)
        return stream.rate(sc) * weighted_total(d, q.column, times)
    if isinstance(q, MonthlyPeak):
        return stream.rate(sc) * monthly_peak_total(sc, d, q.column)
    return stream.rate(sc) * sizes[q.size]


def monthly_peak_total(sc: Any, d: pd.DataFrame, column: str) -> float:
    """Sum over the months of the column's highest value in the month, x 12 / months held (planner/scenario/
    typical.py: month_steps gives each month's steps; typical days: the periods that stand for the month)."""
    from planner.scenario.typical import month_steps

    groups = month_steps(sc)
    if column not in d or not groups:
        return 0.0
    values = d[column].to_numpy(float)
    return 12.0 / len(groups) * float(sum(values[steps].max() for steps in groups))
