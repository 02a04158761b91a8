"""Run-of-river hydro: MW sized continuously; output <= min(river power, capacity); spill is free."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, hourly_con, hourly_var, new_var

NEW = "hydro_new_mw"
RHO_G_MW = 1000 * 9.81 / 1e6  # MW per (m3/s x m)


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    h = sc.hydro
    return [(CapitalItem("hydro", "hydro", h.capex_usd_per_kw * 1000, h.life_years, 0.0, h.itc_fraction), NEW)]


def river_mw(sc: Scenario) -> np.ndarray:
    """Hourly power the river can give: rho g Q H eta."""
    h = sc.hydro
    return sc.hourly["hydro_flow_m3s"].to_numpy(float) * h.head_m * h.efficiency * RHO_G_MW


def add(ctx: Ctx) -> None:
    """Hydro capacity and hourly output bounded by the river and by the capacity; O&M and capex."""
    h = ctx.sc.hydro
    new = new_var(ctx.m, NEW, h.min_new_mw, h.max_new_mw)
    cap = h.existing_mw + new
    gen = hourly_var(ctx.m, "hydro_mw", ctx.sc.n_steps, ub=river_mw(ctx.sc).tolist())
    hourly_con(ctx.m, "hydro_capacity", ctx.sc.n_steps, lambda t: gen[t] <= cap)
    ctx.supply["hydro_mw"] = lambda t: gen[t]
    ctx.hourly["hydro_mw"] = gen
    ctx.stream("hydro_fom", "om", lambda sc: -sc.hydro.fom_usd_per_kw_year * 1000, cap)
    ctx.stream("hydro_vom", "om", lambda sc: -sc.hydro.vom_usd_per_mwh, ctx.weighted_sum(lambda t: gen[t]))
    ctx.land_ha.append(h.land_ha_per_mw * new)
    ctx.sizes["hydro_mw"] = cap


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    h = sc.hydro
    out = {"hydro_fom": ("om", -h.fom_usd_per_kw_year * 1000 * (h.existing_mw + new[NEW]))}
    if h.vom_usd_per_mwh:
        out["hydro_vom"] = ("om", -h.vom_usd_per_mwh * float((d["weight"] * d["hydro_mw"]).sum()))
    return out
