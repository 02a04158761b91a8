"""Bitcoin mining: integer containers of a catalog ASIC, freely curtailable every hour.

Revenue per MWh = hashprice (USD/PH/day) / 24 x PH/s per MW x (1 - pool fee); the yearly hashprice
path (BTC price drift, network growth, halvings) enters through the `mining` present-worth factor.
ASICs are replaced every `asic_life_years` at a declining USD/TH; containers have their own life.
"""

from __future__ import annotations

import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.inputs import Mining
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, hourly_con, hourly_var, new_var

NEW = "mining_new_containers"


def ph_per_mw(mn: Mining) -> float:
    """Hashrate (PH/s) per MW of container power (ASIC power = container power / container PUE)."""
    return 1000.0 / (mn.asic_efficiency_j_per_th * mn.container_pue)


def revenue_usd_per_mwh(mn: Mining) -> float:
    """Year-1 revenue of one MWh mined at today's hashprice, after the pool fee."""
    return mn.hashprice_usd_per_ph_day / 24.0 * ph_per_mw(mn) * (1.0 - mn.pool_fee)


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    mn = sc.mining
    th_per_container = ph_per_mw(mn) * 1000.0 * mn.container_mw
    asics = CapitalItem("mining_asics", "mining", th_per_container * mn.asic_price_usd_per_th, mn.asic_life_years,
                        mn.asic_price_decline_per_year)
    infra = CapitalItem("mining_infrastructure", "mining", mn.container_capex_usd_per_mw * mn.container_mw,
                        mn.infrastructure_life_years)
    return [(asics, NEW), (infra, NEW)]


def add(ctx: Ctx) -> None:
    """Containers, an hourly mining load up to the available fleet power, revenue and O&M."""
    mn = ctx.sc.mining
    m, n = ctx.m, ctx.sc.n_steps
    new = new_var(m, NEW, mn.min_new_containers, mn.max_new_containers, integer=True)
    ctx.integers["mining_containers"] = new
    count = mn.existing_containers + new
    load = hourly_var(m, "mining_mw", n)
    hourly_con(m, "mining_fleet_limit", n, lambda t: load[t] <= mn.availability * mn.container_mw * count)
    ctx.demand["mining_mw"] = lambda t: load[t]
    ctx.site_uses["mining_mw"] = ctx.demand["mining_mw"]
    ctx.hourly["mining_mw"] = load
    ctx.stream("mining_revenue", "mining", lambda sc: revenue_usd_per_mwh(sc.mining),
               ctx.weighted_sum(lambda t: load[t]))
    ctx.stream("mining_fom", "om", lambda sc: -sc.mining.fom_usd_per_mw_year, mn.container_mw * count)
    ctx.land_ha.append(mn.land_ha_per_mw * mn.container_mw * new)
    ctx.sizes["mining_containers"] = count
    ctx.sizes["mining_mw"] = mn.container_mw * count
    ctx.sizes["mining_ph_s"] = ph_per_mw(mn) * mn.container_mw * count


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    mn = sc.mining
    count = mn.existing_containers + new[NEW]
    return {
        "mining_revenue": ("mining", revenue_usd_per_mwh(mn) * float((d["weight"] * d["mining_mw"]).sum())),
        "mining_fom": ("om", -mn.fom_usd_per_mw_year * mn.container_mw * count),
    }
