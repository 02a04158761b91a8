"""Bitcoin mining: integer containers of whole catalog ASICs, freely curtailable every hour.

A container holds the most whole ASICs whose power with cooling fits in its rated `container_mw` (at least
one); it draws ASICs x asic_power_w x container_pue (`container_mw`), which every size, limit, cost and land
use reads, and its hashrate is that of the whole ASICs.

Revenue per MWh = hashprice (USD/PH/day) / 24 x PH/s per MW x (1 - pool fee); the yearly hashprice
path (BTC price drift, network growth, halvings) is this technology's own price path (`hashprice_factor`).
ASICs are replaced every `asic_life_years` at a declining USD/TH; containers have their own life.

Reserves (the Reserves sheet): the fleet can be paid to hold MW back in each hour for up to two products; the
MW held is load it runs (10a), within each product's share of the fleet (10b), and the dispatch is the expected
one (10c): `mining_mw` = the scheduled load less deployment probability x MW held, so deployment costs, in
expectation, the margin of the energy not mined (its revenue less what that energy would have cost or earned).
"""

from __future__ import annotations

import math

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.inputs import RESERVE_PRODUCTS, Mining, whole_units
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

NEW = "mining_new_containers"


def ph_per_mw(mn: Mining) -> float:
    """Hashrate (PH/s) per MW of container power (ASIC power = container power / container PUE)."""
    return 1000.0 / (mn.asic_efficiency_j_per_th * mn.container_pue)


def asics_per_container(mn: Mining) -> int:
    """Whole ASICs in one container: the most whose power with cooling fits in container_mw (floor), at least one."""
    return whole_units(mn.container_mw * 1e6, mn.asic_power_w * mn.container_pue)


def container_mw(mn: Mining) -> float:
    """Power one container draws at full load: whole ASICs x asic_power_w x container_pue (at most container_mw)."""
    return asics_per_container(mn) * mn.asic_power_w * mn.container_pue / 1e6


def revenue_usd_per_mwh(mn: Mining) -> float:
    """Year-1 revenue of one MWh mined at today's hashprice, after the pool fee."""
    return mn.hashprice_usd_per_ph_day / 24.0 * ph_per_mw(mn) * (1.0 - mn.pool_fee)


def hashprice_factor(mining: Mining, cod_year: float, n_years: int) -> np.ndarray:
    """Average hashprice in each operating year relative to today's hashprice (exact integral).

    hashprice(t) = hp0 * ((1+g_btc)/(1+g_hash))^t * ((1 - fee_share) * subsidy(t) + fee_share),
    where subsidy(t) halves at each halving date; t is years since COD.
    """
    r = (1.0 + mining.btc_price_growth_per_year) / (1.0 + mining.network_hashrate_growth_per_year)
    halvings = [mining.next_halving_year - cod_year + k * mining.halving_interval_years for k in range(60)]
    out = np.zeros(n_years)
    for y in range(1, n_years + 1):
        t0, t1 = y - 1.0, float(y)
        cuts = [t0] + [h for h in halvings if t0 < h < t1] + [t1]
        total = 0.0
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            n_halved = sum(1 for h in halvings if h <= a)
            reward = (1.0 - mining.fee_share_of_reward) * 0.5 ** n_halved + mining.fee_share_of_reward
            growth = (b - a) if abs(r - 1.0) < 1e-12 else (r ** b - r ** a) / math.log(r)
            total += reward * growth
        out[y - 1] = total
    return out


def add(ctx: Ctx) -> None:
    """An hourly mining load up to the available fleet power, free to switch off in any hour (10)."""
    mn = ctx.sc.mining
    m, n = ctx.m, ctx.sc.n_steps
    count = ctx.sizes["mining_containers"]
    load = hourly_var(m, "mining_mw", n)
    per_container = container_mw(mn)
    hourly_con(m, "mining_fleet_limit", n, lambda t: load[t] <= mn.availability * per_container * count)
    ctx.hourly["mining_mw"] = load
    products = offered_products(ctx.sc)
    if not products:
        return
    held = {}
    fleet_mw = ctx.sizes["mining_mw"]
    for k in products:
        share = getattr(ctx.sc.reserves, f"product_{k}_max_fleet_share")
        r = held[k] = hourly_var(m, reserve_column(k), n)
        hourly_con(m, f"reserve_{k}_fleet_share", n, lambda t, r=r, share=share: r[t] <= share * fleet_mw)  # (10b)
        ctx.hourly[reserve_column(k)] = r
    # (10a) the MW held in all products together is load the fleet runs that hour, so it can drop it
    hourly_con(m, "reserve_within_load", n, lambda t: sum(r[t] for r in held.values()) <= load[t])
    # (10c) the dispatch is the expected one: deployment takes probability x MW held off the scheduled load, so
    # the mining revenue, variable O&M, import, export and curtailment all see the energy not mined
    q = {k: getattr(ctx.sc.reserves, f"product_{k}_deployment_probability") for k in products}
    ctx.hourly["mining_scheduled_mw"] = load
    ctx.hourly["mining_mw"] = lambda t: load[t] - sum(q[k] * held[k][t] for k in products)


def offered_products(sc: Scenario) -> list[int]:
    """The reserve products the fleet offers: the Reserves sheet is on, the product named and the fleet fast enough."""
    rs = sc.reserves
    return [k for k in RESERVE_PRODUCTS if rs.enabled and rs.offered(k)]


def reserve_column(k: int) -> str:
    return f"reserve_{k}_mw"


def reserve_streams(sc: Scenario) -> list[spec.Stream]:
    """The capacity payment of each product offered (its deployment's cost is in the expected dispatch, (10c))."""
    return [spec.Stream(f"reserve_{k}_revenue", "electricity", lambda sc: 1.0,
                        spec.Hourly(reserve_column(k), f"reserve_{k}_price_usd_per_mw_h"),
                        f"Reserve capacity revenue: {getattr(sc.reserves, f'product_{k}_name')}")
            for k in offered_products(sc)]


def capital(sc: Scenario) -> list[CapitalItem]:
    mn = sc.mining
    th_per_container = ph_per_mw(mn) * 1000.0 * container_mw(mn)  # = ASICs x asic_power_w / J per TH
    asics = CapitalItem("mining_asics", "mining", th_per_container * mn.asic_price_usd_per_th, mn.asic_life_years,
                        mn.asic_price_decline_per_year, size=NEW)
    infra = CapitalItem("mining_infrastructure", "mining", mn.container_capex_usd_per_mw * container_mw(mn),
                        mn.infrastructure_life_years, size=NEW)
    return [asics, infra]


def streams(sc: Scenario) -> list[spec.Stream]:
    return [
        spec.Stream("mining_revenue", "mining", lambda sc: revenue_usd_per_mwh(sc.mining), spec.Hourly("mining_mw"),
                    "Mining revenue", driver="mining.hashprice_usd_per_ph_day"),
        spec.Stream("mining_fom", "om", lambda sc: -sc.mining.fom_usd_per_mw_year, spec.Capacity("mining_mw"),
                    "Mining fixed O&M"),
        spec.Stream("mining_vom", "om", lambda sc: -sc.mining.vom_usd_per_mwh, spec.Hourly("mining_mw"),
                    "Mining variable O&M"),
        *reserve_streams(sc),
    ]


TECHNOLOGY = spec.Technology(
    name="mining",
    hedge=True,
    label="Bitcoin mining",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "containers", "min_new_containers", "max_new_containers", integer=True,
                                        fleet="mining_containers",
                                        retire=spec.Retire(lambda sc: sc.mining.retire_recovery_fraction))],
    sizes=(
        spec.Size("mining_containers", "containers", "Mining containers",
                  existing=lambda sc: sc.mining.existing_containers,
                  new=NEW, integer=True),
        spec.Size("mining_mw", "MW", "Mining fleet power", existing=lambda sc: sc.mining.existing_containers, new=NEW,
                  per_unit=lambda sc: container_mw(sc.mining)),
        spec.Size("mining_ph_s", "PH/s", "Mining hashrate", existing=lambda sc: sc.mining.existing_containers, new=NEW,
                  per_unit=lambda sc: ph_per_mw(sc.mining) * container_mw(sc.mining)),
        spec.Size("mining_asics", "ASICs", "ASICs", existing=lambda sc: sc.mining.existing_containers, new=NEW,
                  per_unit=lambda sc: asics_per_container(sc.mining), integer=True),
    ),
    flows=(spec.Flow("mining_mw", spec.DEMAND, "Mining", site_use=True, energy_key="mining", heatmap=True, kpi=True),
           spec.Flow("mining_scheduled_mw", spec.INFO, "Mining scheduled (before expected reserve deployment)"),
           *(spec.Flow(reserve_column(k), spec.INFO, f"Reserve held, product {k}") for k in RESERVE_PRODUCTS)),
    capital=capital,
    streams=streams,
    land=(spec.Land(lambda sc: sc.mining.land_ha_per_mw * container_mw(sc.mining), NEW),),
    capacity_factors=(spec.CapacityFactor("mining", "mining_mw", "mining_mw"),),
    price_path=lambda sc: hashprice_factor(sc.mining, sc.site.cod_year, sc.finance.analysis_years),
)
