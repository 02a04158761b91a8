"""Firm thermal units (geothermal, small reactors): integer units, availability, must-run floor, outages.

  min_load x avail_t x N x P  <=  gen_t  <=  avail_t x N x P,   avail_t = availability x planned-outage profile
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.inputs import FirmUnits
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, hourly_con, hourly_var, new_var


def new_key(tech: str) -> str:
    return f"{tech}_new_units"


def capital_items_for(tech: str, f: FirmUnits) -> list[tuple[CapitalItem, str]]:
    per_unit = f.capex_usd_per_kw * 1000 * f.unit_mw
    return [(CapitalItem(tech, tech, per_unit, f.life_years, 0.0, f.itc_fraction), new_key(tech))]


def available_fraction(sc: Scenario, f: FirmUnits) -> np.ndarray:
    return f.availability * sc.hourly["firm_available_fraction"].to_numpy(float)


def add_for(ctx: Ctx, tech: str, f: FirmUnits) -> None:
    """Integer firm units with must-run floor and outage profile; fuel, O&M and capex."""
    m = ctx.m
    new = new_var(m, new_key(tech), f.min_new_units, f.max_new_units, integer=True)
    ctx.integers[f"{tech}_units"] = new
    n = f.existing_units + new
    avail = available_fraction(ctx.sc, f).tolist()
    gen = hourly_var(m, f"{tech}_mw", ctx.sc.n_steps)
    hourly_con(m, f"{tech}_max", ctx.sc.n_steps, lambda t: gen[t] <= avail[t] * f.unit_mw * n)
    if f.min_load_fraction > 0:
        hourly_con(m, f"{tech}_must_run", ctx.sc.n_steps,
                   lambda t: gen[t] >= f.min_load_fraction * avail[t] * f.unit_mw * n)
    ctx.supply[f"{tech}_mw"] = lambda t: gen[t]
    ctx.hourly[f"{tech}_mw"] = gen
    energy = ctx.weighted_sum(lambda t: gen[t])
    ctx.stream(f"{tech}_fuel", "fuel", lambda sc: -getattr(sc, tech).fuel_usd_per_mwh, energy)
    ctx.stream(f"{tech}_vom", "om", lambda sc: -getattr(sc, tech).vom_usd_per_mwh, energy)
    ctx.stream(f"{tech}_fom", "om", lambda sc: -getattr(sc, tech).fom_usd_per_kw_year * 1000, f.unit_mw * n)
    ctx.land_ha.append(f.land_ha_per_mw * f.unit_mw * new)
    ctx.sizes[f"{tech}_units"] = n
    ctx.sizes[f"{tech}_mw"] = f.unit_mw * n


def annual_cash_for(tech: str, f: FirmUnits, new: dict[str, float], d: pd.DataFrame
                    ) -> dict[str, tuple[str, float]]:
    n = f.existing_units + new[new_key(tech)]
    energy = float((d["weight"] * d[f"{tech}_mw"]).sum())
    return {
        f"{tech}_fuel": ("fuel", -f.fuel_usd_per_mwh * energy),
        f"{tech}_vom": ("om", -f.vom_usd_per_mwh * energy),
        f"{tech}_fom": ("om", -f.fom_usd_per_kw_year * 1000 * f.unit_mw * n),
    }
