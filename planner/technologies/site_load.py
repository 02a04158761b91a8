"""Existing site load: served every hour, or unserved at the value of lost load (user choice)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, hourly_var


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    return []


def load_mw(sc: Scenario) -> np.ndarray:
    return sc.hourly["site_load_mw"].to_numpy(float) * sc.site_load.load_scale


def add(ctx: Ctx) -> None:
    """The load as a demand on the bus; with the voll policy, an unserved-energy variable and its cost."""
    s = ctx.sc.site_load
    load = load_mw(ctx.sc).tolist()
    ctx.demand["site_load_mw"] = lambda t: load[t]
    ctx.site_uses["site_load_mw"] = ctx.demand["site_load_mw"]
    ctx.hourly["site_load_mw"] = ctx.demand["site_load_mw"]
    if s.unserved_policy == "voll":
        uns = hourly_var(ctx.m, "site_load_unserved_mw", ctx.sc.n_steps, ub=load)
        ctx.supply["site_load_unserved_mw"] = lambda t: uns[t]
        ctx.hourly["site_load_unserved_mw"] = uns
        ctx.stream("unserved_load_cost", "om", lambda sc: -sc.site_load.voll_usd_per_mwh,
                   ctx.weighted_sum(lambda t: uns[t]))


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    s = sc.site_load
    if s.unserved_policy != "voll":
        return {}
    return {"unserved_load_cost": ("om", -s.voll_usd_per_mwh * float(
        (d["weight"] * d["site_load_unserved_mw"]).sum()))}
