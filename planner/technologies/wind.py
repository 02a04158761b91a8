"""Wind: an integer number of catalog turbines; output = power-curve CF x turbines x rating."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, new_var

NEW = "wind_new_turbines"


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    w = sc.wind
    per_turbine = w.capex_usd_per_kw * 1000 * w.turbine_mw
    return [(CapitalItem("wind", "wind", per_turbine, w.life_years, 0.0, w.itc_fraction), NEW)]


def capacity_factor(sc: Scenario) -> np.ndarray:
    """Hourly CF of one turbine: its power curve on the hub-height speed, less losses (or wind_cf as given)."""
    w = sc.wind
    if w.resource == "capacity_factor":
        return sc.hourly["wind_cf"].to_numpy(float)
    speed_mps, power_kw = sc.wind_power_curve
    raw = np.interp(sc.hourly["wind_speed_mps"].to_numpy(float), speed_mps, power_kw, left=0.0, right=0.0)
    rated_kw = float(np.max(power_kw))
    return np.clip(raw / rated_kw, 0.0, 1.0) * (1.0 - w.losses_fraction)


def add(ctx: Ctx) -> None:
    """Integer turbines, their hourly output into the balance, O&M and capex."""
    w = ctx.sc.wind
    new = new_var(ctx.m, NEW, w.min_new_turbines, w.max_new_turbines, integer=True)
    ctx.integers["wind_turbines"] = new
    n = w.existing_turbines + new
    cf = capacity_factor(ctx.sc).tolist()
    mw = w.turbine_mw
    ctx.supply["wind_mw"] = lambda t: cf[t] * mw * n
    ctx.hourly["wind_mw"] = ctx.supply["wind_mw"]
    ctx.stream("wind_fom", "om", lambda sc: -sc.wind.fom_usd_per_kw_year * 1000, mw * n)
    ctx.stream("wind_vom", "om", lambda sc: -sc.wind.vom_usd_per_mwh, ctx.weighted_sum(lambda t: mw * n, cf))
    ctx.land_ha.append(w.land_ha_per_mw * mw * new)
    ctx.sizes["wind_turbines"] = n
    ctx.sizes["wind_mw"] = mw * n


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    w = sc.wind
    n = w.existing_turbines + new[NEW]
    out = {"wind_fom": ("om", -w.fom_usd_per_kw_year * 1000 * w.turbine_mw * n)}
    if w.vom_usd_per_mwh:
        out["wind_vom"] = ("om", -w.vom_usd_per_mwh * float((d["weight"] * d["wind_mw"]).sum()))
    return out
