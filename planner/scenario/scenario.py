"""The typed Scenario that the reader produces and everything downstream consumes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.scenario.catalog import Catalog
from planner.scenario.fields import catalog_field, info
from planner.scenario.hourly import HourlyColumn
from planner.scenario.inputs import HOURLY_OWNERS, SECTION_ATTR, Sections


@dataclass
class SensitivityRow:
    """One line of the Sensitivity sheet: a dotted parameter with its low/high values."""

    parameter: str
    low: float
    high: float
    distribution: str = "uniform"  # none | uniform | triangular | normal
    note: str = ""


@dataclass
class UncertainRow:
    """One row of the Uncertainty sheet's uncertain inputs: a dotted parameter and its distribution.

    gbm_growth: a = volatility per year; lognormal: a = volatility (sigma of the log); uniform: [a, b];
    normal: mean a, standard deviation b (docs/uncertainty.md).
    """

    parameter: str
    model: str  # gbm_growth | lognormal | uniform | normal
    a: float
    b: float | None = None
    note: str = ""
    row: int = field(default=0, compare=False)  # the sheet row it was read from (0: not read from a workbook)


@dataclass
class ListedChange:
    """One row of the Uncertainty sheet's listed scenarios: one parameter's value in one hand-typed scenario."""

    scenario: str
    probability: float
    parameter: str
    value: float
    note: str = ""
    row: int = field(default=0, compare=False)  # the sheet row it was read from (0: not read from a workbook)


@dataclass(frozen=True)
class InvestmentPeriod:
    """One row of the Periods sheet: an investment period's first calendar year and the inputs it changes.

    A period stands for the years until the next period starts (the last: until the analysis ends). `changes`
    maps a dotted name to its value in this period (a section field: the value itself; `hourly.X`: a multiplier
    of the whole series X), as planner/scenario/params.py: set_param applies it (docs/periods.md).
    """

    start_year: int
    changes: dict[str, float] = field(default_factory=dict)
    row: int = field(default=0, compare=False)  # the sheet row it was read from (0: not read from a workbook)


@dataclass(frozen=True)
class DeclineRow:
    """One row of the Periods sheet's declines: an Arps decline curve whose average over each period's years,
    relative to year 1, multiplies a parameter in that period (planner/scenario/periods.py: arps_factors)."""

    parameter: str  # hourly.X (a series) or a numeric dotted field
    initial_decline_per_year: float  # D_i, nominal, 1/yr
    b_factor: float  # 0 = exponential, 1 = harmonic, in between hyperbolic (above 1 allowed, as shale type curves)
    note: str = ""
    row: int = field(default=0, compare=False)


@dataclass
class Periods:
    """Typical-period structure of a reduced scenario: steps are `n_clusters` periods of equal length."""

    hours_per_period: int
    n_clusters: int
    sequence: np.ndarray  # cluster id of each original period, in calendar order (e.g. 365 days)
    storage: str = "linked"  # linked: state of charge carried across the real sequence; cyclic: per period
    months: np.ndarray | None = None  # calendar month (1-12) of each original period, in calendar order


@dataclass
class Scenario(Sections):
    """Everything the model needs, typed and unit-checked; no openpyxl beyond this point.

    The input sheets are the fields inherited from `Sections` (planner/scenario/inputs.py).
    """

    # hourly series: one row per time step, columns of HOURLY_COLUMNS plus `weight` (hours it stands for)
    hourly: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: list[SensitivityRow] = field(default_factory=list)
    uncertain: list[UncertainRow] = field(default_factory=list)  # the Uncertainty sheet's uncertain inputs
    listed_scenarios: list[ListedChange] = field(default_factory=list)  # its hand-typed scenarios, one row a change
    investment_periods: list[InvestmentPeriod] = field(default_factory=list)  # the Periods sheet (empty: one period)
    declines: list[DeclineRow] = field(default_factory=list)  # its Arps declines
    sources: list[tuple[str, str]] = field(default_factory=list)
    wind_power_curve: tuple[np.ndarray, np.ndarray] | None = None  # (m/s, kW) of the chosen turbine (catalog)
    cells: dict[str, str] = field(default_factory=dict)  # dotted input name -> workbook cell it was read from
    warnings: list[str] = field(default_factory=list)
    input_sha256: str = ""
    periods: Periods | None = None  # set on a typical-period (reduced) scenario

    @property
    def weights(self) -> np.ndarray:
        """Hours each time step stands for (1 in full-year mode)."""
        return self.hourly["weight"].to_numpy(float)

    @property
    def n_steps(self) -> int:
        return len(self.hourly)

    def sections(self) -> list[tuple[str, str, object]]:
        """(attribute, sheet, section) of every input sheet, in workbook order."""
        return [(attr, sheet, getattr(self, attr)) for attr, sheet in SECTION_ATTR.items()]

    def column_used(self, name: str) -> bool:
        """Does the model use this Hourly column (some section that owns it uses it)?"""
        col, owners = HOURLY_OWNERS[name]
        return any(col.used(getattr(self, a)) for a in owners)

    def column_required(self, name: str) -> bool:
        """Must every hour of this Hourly column hold a value?"""
        col, owners = HOURLY_OWNERS[name]
        return col.required is not None and any(col.required(getattr(self, a)) for a in owners)

    def copy(self) -> Scenario:
        """A deep-enough copy to change inputs safely (sections and the hourly table are copied)."""
        kw = {f.name: dataclasses.replace(getattr(self, f.name)) for f in dataclasses.fields(self)
              if dataclasses.is_dataclass(getattr(self, f.name))}
        return dataclasses.replace(self, hourly=self.hourly.copy(), sensitivity=list(self.sensitivity),
                                   uncertain=list(self.uncertain), listed_scenarios=list(self.listed_scenarios),
                                   investment_periods=list(self.investment_periods), declines=list(self.declines),
                                   warnings=list(self.warnings), **kw)


def fill_from_catalog(sc: Scenario, catalog: Catalog) -> None:
    """Replace blank (None) catalog-backed fields by the values of each sheet's chosen catalog model."""
    for _attr, _sheet, section in sc.sections():
        model_field = catalog_field(section)
        if model_field is None:
            continue
        kind, model = info(model_field).catalog, getattr(section, model_field.name)
        for f in dataclasses.fields(section):
            column = info(f).from_catalog
            if column is not None and getattr(section, f.name) is None:
                setattr(section, f.name, type_like(section, f.name, catalog.row(kind, model)[column]))
    sc.wind_power_curve = catalog.power_curves.get(sc.wind.turbine_model)


def type_like(section, attr: str, value):
    """Cast a catalog value to the field's declared type (int fields stay int)."""
    ftype = {f.name: f.type for f in dataclasses.fields(section)}[attr]
    return int(round(float(value))) if str(ftype).startswith("int") else float(value)


def column_info(name: str) -> HourlyColumn:
    """The declaration of one Hourly column."""
    return HOURLY_OWNERS[name][0]
