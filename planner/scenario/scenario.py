"""The typed Scenario that the reader produces and everything downstream consumes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.scenario.catalog import Catalog
from planner.scenario.inputs import (
    AI,
    PV,
    Battery,
    Finance,
    Gas,
    Geothermal,
    Grid,
    Hydro,
    Mining,
    Nuclear,
    Site,
    SiteLoad,
    Wind,
)


@dataclass
class SensitivityRow:
    """One line of the Sensitivity sheet: a dotted parameter with its low/high values."""

    parameter: str
    low: float
    high: float
    distribution: str = "uniform"  # none | uniform | triangular | normal
    note: str = ""


@dataclass
class Periods:
    """Typical-period structure of a reduced scenario: steps are `n_clusters` periods of equal length."""

    hours_per_period: int
    n_clusters: int
    sequence: np.ndarray  # cluster id of each original period, in calendar order (e.g. 365 days)
    storage: str = "linked"  # linked: state of charge carried across the real sequence; cyclic: per period


@dataclass
class Scenario:
    """Everything the model needs, typed and unit-checked; no openpyxl beyond this point."""

    site: Site = field(default_factory=Site)
    finance: Finance = field(default_factory=Finance)
    pv: PV = field(default_factory=PV)
    wind: Wind = field(default_factory=Wind)
    gas: Gas = field(default_factory=Gas)
    hydro: Hydro = field(default_factory=Hydro)
    geothermal: Geothermal = field(default_factory=Geothermal)
    nuclear: Nuclear = field(default_factory=Nuclear)
    battery: Battery = field(default_factory=Battery)
    grid: Grid = field(default_factory=Grid)
    site_load: SiteLoad = field(default_factory=SiteLoad)
    ai: AI = field(default_factory=AI)
    mining: Mining = field(default_factory=Mining)
    # hourly series: one row per time step, columns of HOURLY_COLUMNS plus `weight` (hours it stands for)
    hourly: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: list[SensitivityRow] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    wind_power_curve: tuple[np.ndarray, np.ndarray] | None = None  # (m/s, kW) of the chosen turbine
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

    def copy(self) -> Scenario:
        """A deep-enough copy to change inputs safely (sections and the hourly table are copied)."""
        kw = {f.name: dataclasses.replace(getattr(self, f.name)) for f in dataclasses.fields(self)
              if dataclasses.is_dataclass(getattr(self, f.name))}
        return dataclasses.replace(self, hourly=self.hourly.copy(), sensitivity=list(self.sensitivity),
                                   warnings=list(self.warnings), **kw)


def fill_from_catalog(sc: Scenario, catalog: Catalog) -> None:
    """Replace blank (None) catalog-backed fields by the catalog values of the chosen models."""

    def take(section, attr: str, kind: str, model: str, column: str) -> None:
        if getattr(section, attr) is None:
            setattr(section, attr, type_like(section, attr, catalog.row(kind, model)[column]))

    g = sc.gas
    for attr, col in [("unit_mw", "unit_mw"), ("heat_rate_mmbtu_per_mwh", "heat_rate_mmbtu_per_mwh"),
                      ("capex_usd_per_kw", "capex_usd_per_kw"), ("fom_usd_per_kw_year", "fom_usd_per_kw_year"),
                      ("vom_usd_per_mwh", "vom_usd_per_mwh"), ("life_years", "life_years")]:
        take(g, attr, "gas_gensets", g.genset_model, col)
    for f in (sc.geothermal, sc.nuclear):
        for attr in ("unit_mw", "capex_usd_per_kw", "fom_usd_per_kw_year", "vom_usd_per_mwh", "fuel_usd_per_mwh",
                     "availability", "min_load_fraction", "life_years"):
            take(f, attr, "firm_units", f.unit_model, attr)
    w = sc.wind
    take(w, "turbine_mw", "wind_turbines", w.turbine_model, "rated_mw")
    sc.wind_power_curve = catalog.power_curves.get(w.turbine_model)
    a = sc.ai
    take(a, "gpus_per_server", "gpu_systems", a.gpu_system, "gpus_per_server")
    take(a, "server_kw", "gpu_systems", a.gpu_system, "server_kw")
    take(a, "server_price_usd", "gpu_systems", a.gpu_system, "price_usd_per_server")
    take(a, "gpu_hour_price_usd", "gpu_systems", a.gpu_system, "gpu_hour_price_usd")
    m = sc.mining
    take(m, "asic_efficiency_j_per_th", "asics", m.asic_model, "efficiency_j_per_th")
    take(m, "asic_price_usd_per_th", "asics", m.asic_model, "price_usd_per_th")


def type_like(section, attr: str, value):
    """Cast a catalog value to the field's declared type (int fields stay int)."""
    ftype = {f.name: f.type for f in dataclasses.fields(section)}[attr]
    return int(round(float(value))) if str(ftype).startswith("int") else float(value)
