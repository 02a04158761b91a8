"""Run-of-river hydro: MW sized continuously; output <= min(river power, capacity); spill is free."""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

NEW = "hydro_new_mw"
RHO_G_MW = 1000 * 9.81 / 1e6  # MW per (m3/s x m)


def power_mw(flow_m3s, head_m: float, efficiency: float) -> np.ndarray:
    """Power of a flow falling through a head, MW: rho g Q H eta (rho 1000 kg/m3, g 9.81 m/s2)."""
    return np.asarray(flow_m3s, dtype=float) * head_m * efficiency * RHO_G_MW


def river_mw(sc: Scenario) -> np.ndarray:
    """Hourly power the river can give: rho g Q H eta."""
    h = sc.hydro
    return power_mw(sc.hourly["hydro_flow_m3s"].to_numpy(float), h.head_m, h.efficiency)


def add(ctx: Ctx) -> None:
    """Hourly output bounded by the river (variable bounds) and by the capacity (4)."""
    cap = ctx.sizes["hydro_mw"]
    gen = hourly_var(ctx.m, "hydro_mw", ctx.sc.n_steps, ub=river_mw(ctx.sc).tolist())
    hourly_con(ctx.m, "hydro_capacity", ctx.sc.n_steps, lambda t: gen[t] <= cap)
    ctx.hourly["hydro_mw"] = gen


def capital(sc: Scenario) -> list[CapitalItem]:
    h = sc.hydro
    return [CapitalItem("hydro", "hydro", h.capex_usd_per_kw * 1000, h.life_years, 0.0, h.itc_fraction, size=NEW)]


def streams(sc: Scenario) -> list[spec.Stream]:
    return [
        spec.Stream("hydro_fom", "om", lambda sc: -sc.hydro.fom_usd_per_kw_year * 1000, spec.Capacity("hydro_mw"),
                    "Hydro fixed O&M"),
        spec.Stream("hydro_vom", "om", lambda sc: -sc.hydro.vom_usd_per_mwh, spec.Hourly("hydro_mw"),
                    "Hydro variable O&M"),
    ]


TECHNOLOGY = spec.Technology(
    name="hydro",
    label="Run-of-river hydro",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "MW", "min_new_mw", "max_new_mw")],
    sizes=(spec.Size("hydro_mw", "MW", "Hydro capacity", existing=lambda sc: sc.hydro.existing_mw, new=NEW),),
    flows=(spec.Flow("hydro_mw", spec.SUPPLY, "Hydro", energy_key="generation_hydro", generation=True),),
    capital=capital,
    streams=streams,
    land=(spec.Land(lambda sc: sc.hydro.land_ha_per_mw, NEW),),
    capacity_factors=(spec.CapacityFactor("hydro", "hydro_mw", "hydro_mw"),),
)
