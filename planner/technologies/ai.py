"""GPU AI data centre: integer blocks of catalog GPU servers selling GPU-hours.

it_t <= util_t x IT (sellable demand); facility power = PUE x it_t; firmness: it_t >= firm x util_t x IT
in every hour (hard), or a penalty per unserved firm IT-MWh (sla). GPU servers are refreshed every
`gpu_refresh_years` at a declining price; the GPU-hour price falls within a generation and resets at refresh.
"""

from __future__ import annotations

import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.inputs import AI
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, hourly_con, hourly_var, new_var

NEW = "ai_new_blocks"


def servers_per_block(a: AI) -> float:
    return a.block_it_mw * 1000.0 / a.server_kw


def gpus_per_block(a: AI) -> float:
    return servers_per_block(a) * a.gpus_per_server


def revenue_usd_per_it_mwh(a: AI) -> float:
    """Year-1 revenue of one IT-MWh sold: GPU-hour price x GPUs per IT-MW."""
    return a.gpu_hour_price_usd * a.gpus_per_server * 1000.0 / a.server_kw


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    a = sc.ai
    servers = CapitalItem("ai_gpu_servers", "ai", servers_per_block(a) * a.server_price_usd, a.gpu_refresh_years,
                          a.server_price_decline_per_year)
    facility = CapitalItem("ai_facility", "ai", a.facility_capex_usd_per_kw_it * 1000 * a.block_it_mw,
                           a.facility_life_years)
    return [(servers, NEW), (facility, NEW)]


def add(ctx: Ctx) -> None:
    """AI blocks, hourly IT load within sellable demand, firmness, facility power, revenue and costs."""
    a = ctx.sc.ai
    m, n = ctx.m, ctx.sc.n_steps
    new = new_var(m, NEW, a.min_new_blocks, a.max_new_blocks, integer=True)
    ctx.integers["ai_blocks"] = new
    blocks = a.existing_blocks + new
    it_cap = a.block_it_mw * blocks
    util = ctx.col("ai_utilisation")
    it = hourly_var(m, "ai_it_mw", n)
    hourly_con(m, "ai_sellable", n, lambda t: it[t] <= util[t] * it_cap)
    firm = a.firm_fraction
    if firm > 0 and a.firmness == "hard" and ctx.elastic:
        short_firm = hourly_var(m, "ai_firm_short_mw", n)
        ctx.slacks["firm_ai"] = short_firm
        hourly_con(m, "ai_firm", n, lambda t: it[t] + short_firm[t] >= firm * util[t] * it_cap)
    elif firm > 0 and a.firmness == "hard":
        hourly_con(m, "ai_firm", n, lambda t: it[t] >= firm * util[t] * it_cap)
    elif firm > 0:
        short = hourly_var(m, "ai_unserved_firm_it_mw", n)
        hourly_con(m, "ai_firm_sla", n, lambda t: it[t] + short[t] >= firm * util[t] * it_cap)
        ctx.hourly["ai_unserved_firm_it_mw"] = short
        ctx.stream("ai_sla_penalty", "ai", lambda sc: -sc.ai.sla_penalty_usd_per_mwh,
                   ctx.weighted_sum(lambda t: short[t]))
    ctx.demand["ai_facility_mw"] = lambda t: a.pue * it[t]
    ctx.site_uses["ai_facility_mw"] = ctx.demand["ai_facility_mw"]
    ctx.hourly["ai_it_mw"] = it
    ctx.hourly["ai_facility_mw"] = ctx.demand["ai_facility_mw"]
    ctx.stream("ai_revenue", "ai", lambda sc: revenue_usd_per_it_mwh(sc.ai), ctx.weighted_sum(lambda t: it[t]))
    ctx.stream("ai_fom", "om", lambda sc: -sc.ai.fom_usd_per_kw_it_year * 1000, it_cap)
    ctx.land_ha.append(a.land_ha_per_mw * a.block_it_mw * new)
    ctx.sizes["ai_blocks"] = blocks
    ctx.sizes["ai_it_mw"] = it_cap
    ctx.sizes["ai_gpus"] = gpus_per_block(a) * blocks


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    a = sc.ai
    w = d["weight"]
    it_cap = a.block_it_mw * (a.existing_blocks + new[NEW])
    out = {
        "ai_revenue": ("ai", revenue_usd_per_it_mwh(a) * float((w * d["ai_it_mw"]).sum())),
        "ai_fom": ("om", -a.fom_usd_per_kw_it_year * 1000 * it_cap),
    }
    if "ai_unserved_firm_it_mw" in d:
        out["ai_sla_penalty"] = ("ai", -a.sla_penalty_usd_per_mwh * float((w * d["ai_unserved_firm_it_mw"]).sum()))
    return out
