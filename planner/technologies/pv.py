"""Solar PV: continuous MW_ac; output = pv_cf x degradation-average x capacity (surplus is curtailed)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.finance import CapitalItem, degradation_factor
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, new_var

NEW = "pv_new_mw_ac"


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    p = sc.pv
    return [(CapitalItem("pv", "pv", p.capex_usd_per_kw_ac * 1000, p.life_years, 0.0, p.itc_fraction), NEW)]


def available_cf(sc: Scenario) -> np.ndarray:
    """Hourly AC output per MW_ac, with the discount-weighted average degradation over the period."""
    return sc.hourly["pv_cf"].to_numpy(float) * degradation_factor(sc.finance, sc.pv.degradation_per_year)


def add(ctx: Ctx) -> None:
    """PV capacity, its hourly output into the balance, O&M and capex."""
    p = ctx.sc.pv
    new = new_var(ctx.m, NEW, p.min_new_mw_ac, p.max_new_mw_ac)
    cap = p.existing_mw_ac + new
    cf = available_cf(ctx.sc).tolist()
    ctx.supply["pv_mw"] = lambda t: cf[t] * cap
    ctx.hourly["pv_mw"] = ctx.supply["pv_mw"]
    ctx.stream("pv_fom", "om", lambda sc: -sc.pv.fom_usd_per_kw_year * 1000, cap)
    ctx.stream("pv_vom", "om", lambda sc: -sc.pv.vom_usd_per_mwh, ctx.weighted_sum(lambda t: cap, cf))
    ctx.land_ha.append(p.land_ha_per_mw * new)
    ctx.sizes["pv_mw_ac"] = cap
    ctx.sizes["pv_mw_dc"] = p.dc_ac_ratio * cap


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    p = sc.pv
    cap = p.existing_mw_ac + new[NEW]
    out = {"pv_fom": ("om", -p.fom_usd_per_kw_year * 1000 * cap)}
    if p.vom_usd_per_mwh:
        out["pv_vom"] = ("om", -p.vom_usd_per_mwh * float((d["weight"] * d["pv_mw"]).sum()))
    return out
