"""Turn a solved model into plain pandas/dicts: sizes, hourly dispatch, energy by use, cash flows.

Everything here is read through the technologies' declarations (planner/technologies). The annual cash
flows are recomputed from the dispatch table and the sizes (`spec.annual_amount`, not read from the
model's expressions), and the pro-forma built from them must reproduce the optimiser's NPV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.core as pyo

from planner import technologies
from planner.economics import Baseline, Investment
from planner.finance import ProForma, proforma
from planner.labels import CAPEX_ROW, merge, static_table
from planner.model import Built
from planner.scenario.scenario import Scenario
from planner.solve.options import SolverStats
from planner.technologies import active, all_flows, balance_columns, streams
from planner.technologies.spec import Emissions, annual_amount, weighted_total
from planner.version import __version__


@dataclass
class Result:
    """Everything a run produces, as plain data."""

    scenario: Scenario
    solver: SolverStats
    npv_usd: float  # the optimiser's objective
    sizes: dict[str, float]  # totals: existing + new
    new_sizes: dict[str, float]  # decision variable -> value (new capacity in its own unit)
    dispatch: pd.DataFrame
    annual: dict[str, tuple[str, float]]
    proforma: ProForma
    energy_mwh: dict[str, float]
    capacity_factors: dict[str, float]
    capex_usd: float
    capex_by_technology_usd: dict[str, float]
    sizes_new: dict[str, float] = field(default_factory=dict)  # the new part of each size
    sizes_existing: dict[str, float] = field(default_factory=dict)  # the existing part of each size
    capex_by_size_usd: dict[str, float] = field(default_factory=dict)  # year-0 capex of each decision's first size
    reports: dict[str, dict] = field(default_factory=dict)  # technology -> its extra figures (e.g. gas flared)
    emissions: Emissions = field(default_factory=lambda: Emissions({"total": 0.0}, {"total": 0.0}))  # tCO2e/yr
    labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # table -> key -> {label, unit}
    marginal_units: dict[str, dict[str, float | None]] = field(default_factory=dict)
    integer_new_sizes: list[str] = field(default_factory=list)  # the keys of new_sizes that are integer counts
    baseline: Baseline | None = None  # the do-nothing plan (planner/run.py: evaluate_baseline), if evaluated
    investment: Investment | None = None  # the plan minus the baseline
    binding_limits: list = field(default_factory=list)  # planner/limits.py: BindingLimit, largest gain first
    extra: dict = field(default_factory=dict)

    @property
    def gas(self) -> dict[str, float]:
        """Gas burned and flared and its CO2e (empty without gensets)."""
        return self.reports.get("gas", {})

    def cash_flow_model(self) -> dict:
        """What the report's live Assumptions sheet rebuilds the pro-forma from (docs/report.md): each stream's
        kind, year-1 amount and driving input, each kind's price path, each technology's capital schedule. A
        multi-period plan sets its own in extra["cash_flow_model"] (planner/periods.py: live_model)."""
        if "cash_flow_model" in self.extra:
            return self.extra["cash_flow_model"]
        drivers = {s.name: s.driver for _t, s in streams(self.scenario)}
        return {"streams": {k: {"kind": kind, "usd_year1": v, "driver": drivers.get(k, "")}
                            for k, (kind, v) in self.annual.items()},
                "price_paths": self.proforma.price_paths,
                "capital_by_technology_usd": self.proforma.capital_by_technology}

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
            "sizes_new": self.sizes_new,
            "sizes_existing": self.sizes_existing,
            "capex_by_size_usd": self.capex_by_size_usd,
            "baseline": (self.baseline or Baseline("not_evaluated", "not asked for (only `planner run` values "
                                                   "the do-nothing baseline)")).to_dict(),
            "investment": None if self.investment is None else self.investment.to_dict(),
            "binding_limits": [b.to_dict() for b in self.binding_limits],
            "energy_mwh": self.energy_mwh,
            "revenue_usd_per_year": {k: v for k, (_, v) in self.annual.items()},
            "cash_flow_model": self.cash_flow_model(),
            "capacity_factors": self.capacity_factors,
            **{name: figures for name, figures in self.reports.items()},
            "emissions_tco2e": self.emissions.emitted,
            "avoided_tco2e": self.emissions.avoided,
            "marginal_units_npv_change_usd": self.marginal_units,
            "warnings": sc.warnings,
            "flows": flow_table(),
            "labels": self.labels,
            **self.extra,
        })


def flow_table() -> list[dict]:
    """Every dispatch column with its role on the bus and how the report draws it (for report/)."""
    return [{"column": f.column, "role": f.role, "label": f.label, "unit": f.unit, "energy_key": f.energy_key,
             "heatmap": f.heatmap, "kpi": f.kpi} for f in all_flows()]


def labels(sc: Scenario, stream_labels: dict[str, str]) -> dict[str, dict[str, dict[str, str]]]:
    """The one label table (planner/labels.py): human label and unit of every key a user sees, by table.

    The technologies' declarations give sizes, dispatch columns, energy figures, streams, capacity factors,
    capex rows and their extra figures; planner/labels.py: STATIC the planner's own keys; the key
    assumptions are labelled by their input notes (dotted name -> note, unit).
    """
    import dataclasses

    from planner.scenario.fields import info

    out: dict[str, dict[str, dict[str, str]]] = {
        "sizes": {}, "columns": {}, "energy": {}, "streams": {}, "capacity_factors": {}, "technologies": {},
        "cashflow": {}, "assumptions": {}}
    for t in technologies.REGISTRY:
        out["technologies"][t.name] = {"label": t.label, "unit": ""}
        out["cashflow"][f"{CAPEX_ROW}{t.name}"] = {"label": f"Capex: {t.label}", "unit": "USD"}
        for s in t.sizes:
            out["sizes"][s.key] = {"label": s.label, "unit": s.unit}
        flow_labels = {f.column: f.label for f in t.flows}
        for cf in t.capacity_factors:
            out["capacity_factors"][cf.key] = {"label": f"{flow_labels.get(cf.column, t.label)} capacity factor",
                                               "unit": "fraction"}
        for fig in t.figures:
            for table, has in (("energy", t.extra_energy), (t.name, t.report), ("emissions", t.emissions)):
                if has is not None:
                    out.setdefault(table, {})[fig.key] = {"label": fig.label, "unit": fig.unit}
    out.setdefault("emissions", {})["total"] = {"label": "Total", "unit": "tCO2e/yr"}
    for f in all_flows():
        out["columns"][f.column] = {"label": f.label, "unit": f.unit}
        if f.energy_key:
            out["energy"][f.energy_key] = {"label": f.label, "unit": "MWh/yr"}
    for name, label in stream_labels.items():
        out["streams"][name] = {"label": label, "unit": "USD/yr"}
        out["cashflow"][name] = {"label": label, "unit": "USD"}
    for attr, _sheet, section_ in sc.sections():
        for f in dataclasses.fields(section_):
            if info(f).key:
                out["assumptions"][f"{attr}.{f.name}"] = {"label": info(f).note, "unit": info(f).unit}
    return merge(static_table(), out)


def scenario_dict(sc: Scenario) -> dict:
    """Every input value by sheet (after catalog filling), for scenario.json and the report's assumptions."""
    import dataclasses

    from planner.scenario.fields import info

    out = {}
    for _attr, sheet, section_ in sc.sections():
        out[sheet] = [{"field": f.name, "value": getattr(section_, f.name), "unit": info(f).unit,
                       "note": info(f).note, "key": info(f).key} for f in dataclasses.fields(section_)]
    return _clean({"inputs": out, "attributes": {attr: sheet for attr, sheet, _ in sc.sections()},
                   "active_sheets": [sheet for _attr, sheet, section_ in sc.sections() if section_.active()],
                   "sources": [list(s) for s in sc.sources],
                   "sensitivity": [dataclasses.asdict(r) for r in sc.sensitivity],
                   "input_sha256": sc.input_sha256, "n_steps": sc.n_steps, "hourly": hourly_fingerprints(sc)})


def hourly_fingerprints(sc: Scenario) -> dict[str, dict[str, float | str]]:
    """Each Hourly column's SHA-256 (of its float64 values) and mean, so two runs' hourly data can be compared
    (`planner compare`) without storing the series in scenario.json."""
    import hashlib

    out = {}
    for col in sc.hourly.columns:
        if col in ("timestamp", "weight") or not pd.api.types.is_numeric_dtype(sc.hourly[col].dtype):
            continue
        x = np.ascontiguousarray(sc.hourly[col].to_numpy(dtype=float))
        out[col] = {"sha256": hashlib.sha256(x.tobytes()).hexdigest(), "mean": float(x.mean()) if len(x) else 0.0}
    return out


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
    """Read the decisions and dispatch from the solved model and rebuild sizes, cash flows and pro-forma."""
    sc = built.ctx.sc
    new_sizes, integer_new_sizes = {}, []
    for name, var in built.ctx.new.items():
        v = float(var.value or 0.0)
        new_sizes[name] = float(round(v)) if var.is_integer() else v
        if var.is_integer():
            integer_new_sizes.append(name)
    sizes, sizes_new, sizes_existing = size_table(sc, new_sizes)
    capex_by_size = size_capex(sc, built, new_sizes)
    d = dispatch_table(built)
    # a stream whose rate is zero (e.g. no variable O&M) is in the model, for re-pricing, but not in the table
    annual = {s.name: (s.kind, annual_amount(s, sc, d, sizes)) for _t, s in streams(sc) if s.rate(sc) != 0}
    pf, capex, capex_by_tech = cash_flows(sc, built, new_sizes, annual, d)
    return Result(
        scenario=sc,
        solver=stats,
        npv_usd=float(stats.objective),
        sizes=sizes,
        new_sizes=new_sizes,
        sizes_new=sizes_new,
        sizes_existing=sizes_existing,
        capex_by_size_usd=capex_by_size,
        integer_new_sizes=integer_new_sizes,
        dispatch=d,
        annual=annual,
        proforma=pf,
        energy_mwh=energy_by_use(d),
        capacity_factors=capacity_factors(sc, d, sizes),
        reports=technology_reports(sc, d),
        emissions=technologies.emissions(sc, d),
        labels=labels(sc, {s.name: s.label for _t, s in streams(sc)}),
        capex_usd=capex,
        capex_by_technology_usd=capex_by_tech,
    )


def technology_reports(sc: Scenario, d: pd.DataFrame) -> dict[str, dict]:
    """Each reporting technology's extra figures under its name (empty when it is not in the plan)."""
    on = {t.name for t in active(sc)}
    return {t.name: (t.report(sc, d) if t.name in on else {}) for t in technologies.REGISTRY
            if t.report is not None}


def size_table(sc: Scenario, new_sizes: dict[str, float]) -> tuple[dict, dict, dict]:
    """(total, new, existing) of every reported size: per_unit x existing, per_unit x new, their sum.

    The total is the sum of the two parts, so new + existing == total holds exactly (a count's parts are
    whole numbers: integer decisions are rounded when read back).
    """
    total, new, existing = {}, {}, {}
    for t in active(sc):
        for s in t.sizes:
            k = s.per_unit(sc)
            e = s.existing(sc)
            x = new_sizes.get(s.new, 0.0) if s.new is not None else 0.0
            new[s.key] = float(k * x)
            existing[s.key] = float(k * e)
            if s.integer:
                new[s.key], existing[s.key] = float(round(new[s.key])), float(round(existing[s.key]))
            total[s.key] = existing[s.key] + new[s.key]
    return total, new, existing


def size_capex(sc: Scenario, built: Built, new_sizes: dict[str, float]) -> dict[str, float]:
    """Year-0 capex of the new capacity, on the first size of each decision (a decision's other sizes, e.g.
    PV DC beside PV AC, are the same capacity: they get no entry)."""
    out: dict[str, float] = {}
    for t in active(sc):
        seen: set[str] = set()
        for s in t.sizes:
            if s.new is None or s.new in seen:
                continue
            seen.add(s.new)
            out[s.key] = float(sum(item.usd_per_unit * new_sizes[s.new] for item, _ in built.capital
                                   if item.size == s.new))
    return out


def dispatch_table(built: Built) -> pd.DataFrame:
    """One row per step: every flow the model holds, prices, zero columns for absent flows, balance residual."""
    sc = built.ctx.sc
    d = pd.DataFrame({"timestamp": sc.hourly["timestamp"].to_numpy(), "weight": sc.weights})
    for col in built.ctx.hourly:
        d[col] = hourly_values(built, col)
    d["export_price_usd_per_mwh"] = sc.hourly["export_price_usd_per_mwh"].to_numpy(float)
    d["import_price_usd_per_mwh"] = sc.hourly["import_price_usd_per_mwh"].to_numpy(float)
    supply, demand = balance_columns()
    for col in supply + demand:
        if col not in d:
            d[col] = 0.0
    d["balance_residual_mw"] = d[supply].sum(axis=1) - d[demand].sum(axis=1)
    return d


def cash_flows(sc: Scenario, built: Built, new_sizes: dict[str, float], annual: dict[str, tuple[str, float]],
               d: pd.DataFrame) -> tuple[ProForma, float, dict[str, float]]:
    """The pro-forma from the annual streams and the capital built; capex in total and by technology."""
    capital = [(item, new_sizes[item.size]) for item, _ in built.capital]
    capex_by_tech: dict[str, float] = {}
    for item, size in capital:
        capex_by_tech[item.technology] = capex_by_tech.get(item.technology, 0.0) + item.usd_per_unit * size
    generators = [t for t in active(sc) if t.generation]
    gen_mwh = float(sum(weighted_total(d, f.column) for t in generators for f in t.flows if f.generation))
    gen_streams = tuple(s.name for t in generators for s in t.streams(sc))
    pf = proforma(sc.finance, built.traj, annual, capital, generation_mwh=gen_mwh,
                  generation_cost_items=tuple(t.name for t in generators), generation_cost_streams=gen_streams)
    return pf, float(sum(capex_by_tech.values())), capex_by_tech


def energy_by_use(d: pd.DataFrame) -> dict[str, float]:
    """MWh per year by source and by use (representative year, weighted), every technology's keys."""
    out = {f.energy_key: weighted_total(d, f.column) for f in all_flows() if f.energy_key}
    for t in technologies.REGISTRY:
        if t.extra_energy is not None:
            out.update(t.extra_energy(d))
    return out


def capacity_factors(sc: Scenario, d: pd.DataFrame, sizes: dict[str, float]) -> dict[str, float]:
    """Annual energy / (capacity x hours) of each generator and flexible load built."""
    hours = float(d["weight"].sum())
    out = {}
    for t in active(sc):
        for cf in t.capacity_factors:
            cap = sizes.get(cf.size, 0.0)
            if cap > 0 and cf.column in d:
                out[cf.key] = weighted_total(d, cf.column) / (cap * hours)
    return out

