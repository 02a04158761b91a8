"""Turn a solved model into plain pandas/dicts: sizes, hourly dispatch, energy by use, cash flows.

The annual cash flows here are recomputed from the dispatch table (not read from the model's
expressions), and the pro-forma built from them must reproduce the optimiser's NPV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner import __version__
from planner.finance import ProForma, proforma
from planner.model import Built
from planner.scenario.scenario import Scenario
from planner.solve.options import SolverStats
from planner.technologies import active
from planner.technologies.gas import gas_report

SUPPLY_COLS = ["pv_mw", "wind_mw", "gas_mw", "hydro_mw", "geothermal_mw", "nuclear_mw", "battery_discharge_mw",
               "grid_import_mw", "site_load_unserved_mw"]
DEMAND_COLS = ["site_load_mw", "ai_facility_mw", "mining_mw", "battery_charge_mw", "grid_export_mw",
               "curtailed_mw"]
GENERATION = {"pv": "pv_mw", "wind": "wind_mw", "gas": "gas_mw", "hydro": "hydro_mw",
              "geothermal": "geothermal_mw", "nuclear": "nuclear_mw"}
CAPACITY_KEY = {"pv": "pv_mw_ac", "wind": "wind_mw", "gas": "gas_mw", "hydro": "hydro_mw",
                "geothermal": "geothermal_mw", "nuclear": "nuclear_mw"}


@dataclass
class Result:
    """Everything a run produces, as plain data."""

    scenario: Scenario
    solver: SolverStats
    npv_usd: float  # the optimiser's objective
    sizes: dict[str, float]
    new_sizes: dict[str, float]
    dispatch: pd.DataFrame
    annual: dict[str, tuple[str, float]]
    proforma: ProForma
    energy_mwh: dict[str, float]
    capacity_factors: dict[str, float]
    gas: dict[str, float]
    capex_usd: float
    capex_by_technology_usd: dict[str, float]
    marginal_units: dict[str, dict[str, float | None]] = field(default_factory=dict)
    integer_new_sizes: list[str] = field(default_factory=list)  # the keys of new_sizes that are integer counts
    extra: dict = field(default_factory=dict)

    def summary(self) -> dict:
        """The JSON-able summary written to summary.json."""
        pf = self.proforma
        sc = self.scenario
        return _clean({
            "site": sc.site.name,
            "planner_version": __version__,
            "input_sha256": sc.input_sha256,
            "dollar_basis": sc.finance.dollar_basis,
            "npv_usd": self.npv_usd,
            "proforma_npv_usd": pf.npv_usd,
            "npv_relative_difference": abs(pf.npv_usd - self.npv_usd) / max(1.0, abs(self.npv_usd)),
            "irr": pf.irr,
            "simple_payback_years": pf.simple_payback_years,
            "discounted_payback_years": pf.discounted_payback_years,
            "lcoe_usd_per_mwh": pf.lcoe_usd_per_mwh,
            "capex_usd": self.capex_usd,
            "capex_by_technology_usd": self.capex_by_technology_usd,
            "solver": self.solver.to_dict(),
            "sizes": self.sizes,
            "energy_mwh": self.energy_mwh,
            "revenue_usd_per_year": {k: v for k, (_, v) in self.annual.items()},
            "capacity_factors": self.capacity_factors,
            "gas": self.gas,
            "marginal_units_npv_change_usd": self.marginal_units,
            "warnings": sc.warnings,
            **self.extra,
        })


def scenario_dict(sc: Scenario) -> dict:
    """Every input value by sheet (after catalog filling), for scenario.json and the report's assumptions."""
    import dataclasses

    from planner.scenario.fields import info
    from planner.scenario.inputs import SECTION_ATTR

    out = {}
    for attr, sheet in SECTION_ATTR.items():
        section = getattr(sc, attr)
        out[sheet] = [{"field": f.name, "value": getattr(section, f.name), "unit": info(f).unit,
                       "note": info(f).note} for f in dataclasses.fields(section)]
    return _clean({"inputs": out, "sources": [list(s) for s in sc.sources],
                   "sensitivity": [dataclasses.asdict(r) for r in sc.sensitivity],
                   "input_sha256": sc.input_sha256, "n_steps": sc.n_steps})


def _clean(obj):
    """Floats rounded to stable JSON (no NaN/inf, no numpy types)."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        x = float(obj)
        return None if not math.isfinite(x) else x
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def hourly_values(built: Built, name: str) -> np.ndarray:
    """Values of one dispatch column (an indexed Var or a flow function) over all steps."""
    obj = built.ctx.hourly[name]
    n = built.ctx.sc.n_steps
    if isinstance(obj, pyo.Var):
        return np.array([obj[t].value or 0.0 for t in range(n)], dtype=float)
    return np.array([pyo.value(obj(t)) for t in range(n)], dtype=float)


def extract(built: Built, stats: SolverStats) -> Result:
    """Read sizes and dispatch from the solved model and rebuild the cash flows and pro-forma."""
    sc = built.ctx.sc
    m = built.m
    sizes = {k: float(pyo.value(v)) for k, v in built.ctx.sizes.items()}
    for k in ("wind_turbines", "gas_units", "geothermal_units", "nuclear_units", "ai_blocks", "mining_containers"):
        if k in sizes:
            sizes[k] = float(round(sizes[k]))
    new_sizes = {}
    integer_new_sizes = []
    for _item, var_name, _ in built.capital:
        var = m.component(var_name)
        v = float(var.value or 0.0)
        new_sizes[var_name] = float(round(v)) if var.is_integer() else v
        if var.is_integer() and var_name not in integer_new_sizes:
            integer_new_sizes.append(var_name)
    d = pd.DataFrame({"timestamp": sc.hourly["timestamp"].to_numpy(), "weight": sc.weights})
    for col in built.ctx.hourly:
        d[col] = hourly_values(built, col)
    d["export_price_usd_per_mwh"] = sc.hourly["export_price_usd_per_mwh"].to_numpy(float)
    d["import_price_usd_per_mwh"] = sc.hourly["import_price_usd_per_mwh"].to_numpy(float)
    for col in SUPPLY_COLS + DEMAND_COLS:
        if col not in d:
            d[col] = 0.0
    d["balance_residual_mw"] = d[SUPPLY_COLS].sum(axis=1) - d[DEMAND_COLS].sum(axis=1)
    annual, pf, capex, capex_by_tech = cash_flows(sc, built, new_sizes, d)
    return Result(
        scenario=sc,
        solver=stats,
        npv_usd=float(stats.objective),
        sizes=sizes,
        new_sizes=new_sizes,
        integer_new_sizes=integer_new_sizes,
        dispatch=d,
        annual=annual,
        proforma=pf,
        energy_mwh=energy_by_use(d),
        capacity_factors=capacity_factors(d, sizes),
        gas=gas_report(sc, d) if sc.gas.enabled else {},
        capex_usd=capex,
        capex_by_technology_usd=capex_by_tech,
    )


def cash_flows(sc: Scenario, built: Built, new_sizes: dict[str, float], d: pd.DataFrame):
    """Annual streams from the dispatch (each technology's annual_cash) and the pro-forma from them."""
    annual: dict[str, tuple[str, float]] = {}
    for _name, mod in active(sc):
        annual.update(mod.annual_cash(sc, new_sizes, d))
    capital = [(item, new_sizes[var]) for item, var, _ in built.capital]
    capex_by_tech: dict[str, float] = {}
    for item, size in capital:
        capex_by_tech[item.technology] = capex_by_tech.get(item.technology, 0.0) + item.usd_per_unit * size
    gen_mwh = float(sum((d["weight"] * d[c]).sum() for c in GENERATION.values() if c in d))
    gen_streams = tuple(s for s in annual if s.split("_")[0] in GENERATION)
    pf = proforma(sc.finance, built.traj, annual, capital, generation_mwh=gen_mwh,
                  generation_cost_items=tuple(GENERATION), generation_cost_streams=gen_streams)
    return annual, pf, float(sum(capex_by_tech.values())), capex_by_tech


def energy_by_use(d: pd.DataFrame) -> dict[str, float]:
    """MWh per year by source and by use (representative year, weighted)."""
    w = d["weight"]

    def tot(c: str) -> float:
        return float((w * d[c]).sum()) if c in d else 0.0

    out = {f"generation_{k}": tot(c) for k, c in GENERATION.items()}
    out.update({
        "grid_import": tot("grid_import_mw"),
        "site_load": tot("site_load_mw"),
        "site_load_unserved": tot("site_load_unserved_mw"),
        "ai": tot("ai_facility_mw"),
        "ai_it": tot("ai_it_mw"),
        "mining": tot("mining_mw"),
        "export": tot("grid_export_mw"),
        "battery_charge": tot("battery_charge_mw"),
        "battery_discharge": tot("battery_discharge_mw"),
        "battery_losses": tot("battery_charge_mw") - tot("battery_discharge_mw"),
        "curtailed": tot("curtailed_mw"),
    })
    return out


def capacity_factors(d: pd.DataFrame, sizes: dict[str, float]) -> dict[str, float]:
    """Annual energy / (capacity x hours) for each generator and the AI and mining loads."""
    hours = float(d["weight"].sum())
    out = {}
    for tech, col in GENERATION.items():
        cap = sizes.get(CAPACITY_KEY[tech], 0.0)
        if cap > 0 and col in d:
            out[tech] = float((d["weight"] * d[col]).sum()) / (cap * hours)
    if sizes.get("ai_it_mw", 0) > 0:
        out["ai_it"] = float((d["weight"] * d["ai_it_mw"]).sum()) / (sizes["ai_it_mw"] * hours)
    if sizes.get("mining_mw", 0) > 0:
        out["mining"] = float((d["weight"] * d["mining_mw"]).sum()) / (sizes["mining_mw"] * hours)
    return out
