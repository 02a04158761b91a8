"""GPU AI data centre: integer blocks of whole catalog GPU servers selling GPU-hours.

A block holds the most whole servers that fit in the target `block_it_mw` (at least one); its IT power,
servers x server_kw, is what every per-MW_IT size, constraint, cost and land use reads (`block_it_mw`).

it_t <= util_t x IT (sellable demand); facility power = PUE x it_t; firmness: it_t >= firm x util_t x IT
in every hour (hard), or a penalty per unserved firm IT-MWh (sla). GPU servers are refreshed every
`gpu_refresh_years` at a declining price; the GPU-hour price falls within a generation, and each refreshed
generation starts at a price that itself falls from one generation to the next (`price_factor`).
"""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.inputs import AI, whole_units
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

NEW = "ai_new_blocks"


def servers_per_block(a: AI) -> int:
    """Whole servers in one block: the most that fit in the target block_it_mw (floor), at least one."""
    return whole_units(a.block_it_mw * 1000.0, a.server_kw)


def block_it_mw(a: AI) -> float:
    """IT power of one block as built: whole servers x server_kw (at most the target, unless one server exceeds it)."""
    return servers_per_block(a) * a.server_kw / 1000.0


def gpus_per_block(a: AI) -> int:
    return servers_per_block(a) * a.gpus_per_server


def revenue_usd_per_it_mwh(a: AI) -> float:
    """Year-1 revenue of one IT-MWh sold: GPU-hour price x GPUs per IT-MW."""
    return a.gpu_hour_price_usd * a.gpus_per_server * 1000.0 / a.server_kw


def price_factor(sc: Scenario) -> np.ndarray:
    """GPU-hour price in each year y = 1..N relative to year 1.

    The servers are refreshed every R = gpu_refresh_years; generation k = (y-1) // R is bought at the end of
    year kR and starts at (1 - g)^(kR) of the year-1 price (g = gpu_hour_price_refresh_decline_per_year: the
    price a new generation earns falls g a year), then falls d = gpu_hour_price_decline_per_year a year as it
    ages: f(y) = (1 - g)^(kR) x (1 - d)^((y-1) mod R).
    """
    a = sc.ai
    t = np.arange(sc.finance.analysis_years)  # y - 1
    age = t % a.gpu_refresh_years
    bought = t - age  # the year the running generation was bought (0, R, 2R, ...)
    new_generation = (1.0 - a.gpu_hour_price_refresh_decline_per_year) ** bought
    return new_generation * (1.0 - a.gpu_hour_price_decline_per_year) ** age


def add(ctx: Ctx) -> None:
    """Hourly IT load within sellable demand, its firmness (hard, elastic or SLA) and the facility power (9)."""
    a = ctx.sc.ai
    m, n = ctx.m, ctx.sc.n_steps
    it_cap = ctx.sizes["ai_it_mw"]
    util = ctx.col("ai_utilisation")
    it = hourly_var(m, "ai_it_mw", n)
    hourly_con(m, "ai_sellable", n, lambda t: it[t] <= util[t] * it_cap)
    firm = a.firm_fraction
    if firm > 0 and a.firmness == "hard" and ctx.elastic:
        short_firm = hourly_var(m, "ai_firm_short_mw", n)
        ctx.slack("firm_ai", short_firm, firm_message)
        hourly_con(m, "ai_firm", n, lambda t: it[t] + short_firm[t] >= firm * util[t] * it_cap)
    elif firm > 0 and a.firmness == "hard":
        hourly_con(m, "ai_firm", n, lambda t: it[t] >= firm * util[t] * it_cap)
    elif firm > 0:
        short = hourly_var(m, "ai_unserved_firm_it_mw", n)
        hourly_con(m, "ai_firm_sla", n, lambda t: it[t] + short[t] >= firm * util[t] * it_cap)
        ctx.hourly["ai_unserved_firm_it_mw"] = short
    ctx.hourly["ai_it_mw"] = it
    ctx.hourly["ai_facility_mw"] = lambda t: a.pue * it[t]


def firm_message(sc: Scenario, ctx: Ctx, short: np.ndarray, when: str) -> str:
    """Why an elastic firm-AI slack stayed positive, in the user's terms."""
    import pyomo.core as pyo

    it = float(pyo.value(ctx.sizes["ai_it_mw"]))
    hours = int((short > 1e-5).sum())
    firm_supply = ", ".join(label.lower() for label in ctx.firm_labels)
    return (f"firm AI load cannot be served: with {it:g} MW of AI IT load (firm fraction "
            f"{sc.ai.firm_fraction:g}, PUE {sc.ai.pue:g}) the supply that can be built within the limits falls "
            f"short by up to {float(short.max()):.3g} MW of IT load in {hours} hour(s), {when}. Allow firm supply "
            f"({firm_supply}), a battery or grid import, lower AI.min_new_blocks, or set AI.firmness = sla")


def capital(sc: Scenario) -> list[CapitalItem]:
    a = sc.ai
    servers = CapitalItem("ai_gpu_servers", "ai", servers_per_block(a) * a.server_price_usd, a.gpu_refresh_years,
                          a.server_price_decline_per_year, size=NEW)
    facility = CapitalItem("ai_facility", "ai", a.facility_capex_usd_per_kw_it * 1000 * block_it_mw(a),
                           a.facility_life_years, size=NEW)
    return [servers, facility]


def streams(sc: Scenario) -> list[spec.Stream]:
    out = []
    if sc.ai.firm_fraction > 0 and sc.ai.firmness == "sla":
        out.append(spec.Stream("ai_sla_penalty", "ai", lambda sc: -sc.ai.sla_penalty_usd_per_mwh,
                               spec.Hourly("ai_unserved_firm_it_mw"), "AI SLA penalty"))
    return out + [
        spec.Stream("ai_revenue", "ai", lambda sc: revenue_usd_per_it_mwh(sc.ai), spec.Hourly("ai_it_mw"),
                    "GPU-hour revenue", driver="ai.gpu_hour_price_usd"),
        spec.Stream("ai_fom", "om", lambda sc: -sc.ai.fom_usd_per_kw_it_year * 1000, spec.Capacity("ai_it_mw"),
                    "AI data centre fixed O&M"),
        spec.Stream("ai_vom", "om", lambda sc: -sc.ai.vom_usd_per_it_mwh, spec.Hourly("ai_it_mw"),
                    "AI data centre variable O&M"),
    ]


TECHNOLOGY = spec.Technology(
    name="ai",
    label="AI data centre",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "blocks", "min_new_blocks", "max_new_blocks", integer=True,
                                        fleet="ai_blocks",
                                        retire=spec.Retire(lambda sc: sc.ai.retire_recovery_fraction))],
    sizes=(
        spec.Size("ai_blocks", "blocks", "AI blocks", existing=lambda sc: sc.ai.existing_blocks, new=NEW, integer=True),
        spec.Size("ai_it_mw", "MW_IT", "AI IT capacity", existing=lambda sc: sc.ai.existing_blocks, new=NEW,
                  per_unit=lambda sc: block_it_mw(sc.ai)),
        spec.Size("ai_gpus", "GPUs", "GPUs", existing=lambda sc: sc.ai.existing_blocks, new=NEW,
                  per_unit=lambda sc: gpus_per_block(sc.ai), integer=True),
        spec.Size("ai_servers", "servers", "GPU servers", existing=lambda sc: sc.ai.existing_blocks, new=NEW,
                  per_unit=lambda sc: servers_per_block(sc.ai), integer=True),
    ),
    flows=(
        spec.Flow("ai_it_mw", spec.INFO, "AI IT load", energy_key="ai_it"),
        spec.Flow("ai_facility_mw", spec.DEMAND, "AI data centre", site_use=True, energy_key="ai", kpi=True),
        spec.Flow("ai_unserved_firm_it_mw", spec.INFO, "Unserved firm AI IT load"),
    ),
    capital=capital,
    streams=streams,
    land=(spec.Land(lambda sc: sc.ai.land_ha_per_mw * block_it_mw(sc.ai), NEW),),
    capacity_factors=(spec.CapacityFactor("ai_it", "ai_it_mw", "ai_it_mw"),),
    price_path=price_factor,
)
