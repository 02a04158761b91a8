"""Stable dotted names for every input (`mining.hashprice_usd_per_ph_day`), to list, get and change them.

`hourly.<column>` names a whole hourly series; setting it to a number multiplies the series
(a sweep of `hourly.export_price_usd_per_mwh` from 0.8 to 1.2 scales prices by -20 % .. +20 %).
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass

from planner.scenario.fields import info
from planner.scenario.hourly import HOURLY_COLUMNS
from planner.scenario.inputs import SECTION_ATTR, SECTIONS
from planner.scenario.scenario import Scenario


@dataclass(frozen=True)
class ParamInfo:
    """A dotted parameter name with its unit and description."""

    name: str
    unit: str
    note: str
    numeric: bool


def all_params() -> list[ParamInfo]:
    """Every dotted name a sensitivity can change, in workbook order."""
    out = []
    for attr, sheet in SECTION_ATTR.items():
        for f in dataclasses.fields(SECTIONS[sheet]):
            i = info(f)
            numeric = any(t in str(f.type) for t in ("float", "int")) and i.choices is None
            out.append(ParamInfo(f"{attr}.{f.name}", i.unit, i.note, numeric))
    for c in HOURLY_COLUMNS:
        out.append(ParamInfo(f"hourly.{c.name}", "multiplier", f"scales the whole series: {c.note}", True))
    return out


def numeric_param_names() -> list[str]:
    """Names that accept a number (the ones sensitivities can sweep)."""
    return [p.name for p in all_params() if p.numeric]


def suggest(name: str) -> str:
    """' (did you mean X?)' for a misspelt parameter, or ''."""
    hit = difflib.get_close_matches(name, numeric_param_names(), n=1, cutoff=0.5)
    return f" (did you mean {hit[0]}?)" if hit else ""


def get_param(sc: Scenario, name: str) -> float:
    """Current value of a dotted parameter (1.0 for an hourly series multiplier)."""
    section, attr = _split(name)
    if section == "hourly":
        return 1.0
    return getattr(getattr(sc, section), attr)


def set_param(sc: Scenario, name: str, value: float) -> None:
    """Change one parameter in place; `hourly.X` multiplies the series X by value."""
    section, attr = _split(name)
    if section == "hourly":
        sc.hourly[attr] = sc.hourly[attr] * float(value)
        scale = dict(sc.hourly.attrs.get("scale", {}))
        scale[attr] = scale.get(attr, 1.0) * float(value)
        sc.hourly.attrs["scale"] = scale
        return
    obj = getattr(sc, section)
    ftype = str({f.name: f.type for f in dataclasses.fields(obj)}[attr])
    setattr(obj, attr, int(round(value)) if ftype.startswith("int") else float(value))


def _split(name: str) -> tuple[str, str]:
    if name not in numeric_param_names():
        raise KeyError(f"unknown parameter {name!r}{suggest(name)}")
    section, attr = name.split(".", 1)
    return section, attr


# Parameters that change only prices, costs and financial factors (stream rates, PWFs, capital costs),
# never a constraint: a built model can be re-priced in place (planner/model.py: update_objective).
_OBJECTIVE_ONLY_FIELDS = {
    "site": ["cod_year"],
    "finance": ["discount_rate", "analysis_years", "om_escalation", "electricity_escalation", "fuel_escalation",
                "tax_rate", "straight_line_years"],
    "pv": ["capex_usd_per_kw_ac", "fom_usd_per_kw_year", "vom_usd_per_mwh", "life_years", "itc_fraction"],
    "wind": ["capex_usd_per_kw", "fom_usd_per_kw_year", "vom_usd_per_mwh", "life_years", "itc_fraction"],
    "gas": ["capex_usd_per_kw", "fom_usd_per_kw_year", "vom_usd_per_mwh", "life_years", "fuel_price_usd_per_mmbtu",
            "co2_kg_per_mmbtu", "flare_efficiency", "methane_kg_per_mmbtu", "methane_gwp",
            "carbon_credit_usd_per_t_co2e"],
    "hydro": ["capex_usd_per_kw", "fom_usd_per_kw_year", "vom_usd_per_mwh", "life_years", "itc_fraction"],
    "geothermal": ["capex_usd_per_kw", "fom_usd_per_kw_year", "vom_usd_per_mwh", "fuel_usd_per_mwh", "life_years",
                   "itc_fraction"],
    "nuclear": ["capex_usd_per_kw", "fom_usd_per_kw_year", "vom_usd_per_mwh", "fuel_usd_per_mwh", "life_years",
                "itc_fraction"],
    "battery": ["capex_usd_per_kw", "capex_usd_per_kwh", "fom_usd_per_kw_year", "vom_usd_per_mwh", "life_years",
                "itc_fraction"],
    "grid": ["export_capex_usd_per_kw", "export_fom_usd_per_kw_year", "export_life_years"],
    "site_load": ["voll_usd_per_mwh"],
    "ai": ["gpu_hour_price_usd", "gpu_hour_price_decline_per_year", "server_price_usd", "gpus_per_server",
           "server_kw", "gpu_refresh_years", "server_price_decline_per_year", "facility_capex_usd_per_kw_it",
           "facility_life_years", "fom_usd_per_kw_it_year", "sla_penalty_usd_per_mwh"],
    "mining": ["asic_efficiency_j_per_th", "asic_price_usd_per_th", "container_pue", "container_capex_usd_per_mw",
               "infrastructure_life_years", "hashprice_usd_per_ph_day", "btc_price_growth_per_year",
               "network_hashrate_growth_per_year", "fee_share_of_reward", "next_halving_year",
               "halving_interval_years", "pool_fee", "asic_life_years", "asic_price_decline_per_year",
               "fom_usd_per_mw_year"],
    "hourly": ["export_price_usd_per_mwh", "import_price_usd_per_mwh"],
}
OBJECTIVE_ONLY = frozenset(f"{s}.{f}" for s, fs in _OBJECTIVE_ONLY_FIELDS.items() for f in fs)


def objective_only(name: str, sc: Scenario) -> bool:
    """True when changing `name` only re-prices the model (no constraint changes) for this scenario.

    The discount rate and analysis period also set the average PV degradation factor, which scales
    PV output in the energy balance, so they are structural when degrading PV is in the model.
    """
    if name in ("finance.discount_rate", "finance.analysis_years") and sc.pv.enabled and sc.pv.degradation_per_year:
        return False
    return name in OBJECTIVE_ONLY
