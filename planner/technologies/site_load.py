"""Existing site load: served every hour, or unserved at the value of lost load (user choice)."""

from __future__ import annotations

import numpy as np

from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_var


def load_mw(sc: Scenario) -> np.ndarray:
    return sc.hourly["site_load_mw"].to_numpy(float) * sc.site_load.load_scale


def add(ctx: Ctx) -> None:
    """The load as a fixed demand on the bus; with the voll policy, an unserved-energy variable beside it (8)."""
    s = ctx.sc.site_load
    load = load_mw(ctx.sc).tolist()
    ctx.hourly["site_load_mw"] = lambda t: load[t]
    if s.unserved_policy == "voll":
        ctx.hourly["site_load_unserved_mw"] = hourly_var(ctx.m, "site_load_unserved_mw", ctx.sc.n_steps, ub=load)


def streams(sc: Scenario) -> list[spec.Stream]:
    if sc.site_load.unserved_policy != "voll":
        return []
    return [spec.Stream("unserved_load_cost", "om", lambda sc: -sc.site_load.voll_usd_per_mwh,
                        spec.Hourly("site_load_unserved_mw"), "Cost of unserved site load (VOLL)")]


TECHNOLOGY = spec.Technology(
    name="site_load",
    label="Site load",
    add=add,
    decisions=lambda sc: [],
    sizes=(),
    flows=(
        spec.Flow("site_load_mw", spec.DEMAND, "Site load", site_use=True, energy_key="site_load"),
        spec.Flow("site_load_unserved_mw", spec.SUPPLY, "Unserved site load", energy_key="site_load_unserved"),
    ),
    streams=streams,
)
