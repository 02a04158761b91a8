"""Waste heat: the heat of the mining containers and liquid-cooled AI sold to a heat customer.

Each source gives heat in proportion to its power: mining `mining_recoverable_fraction` x container power,
liquid-cooled AI `ai_recoverable_fraction` x IT power, each at its own temperature. A source at or above the
customer's `supply_temp_c` is sold directly; a colder one only through the heat pump, which lifts it: heat
out q, electricity drawn q / COP (a demand on the site bus), source heat drawn q x (1 - 1/COP). Heat sold
(direct + heat-pump output) is at most the hourly demand and the heat connection's capacity; what is not
sold or lifted is rejected (docs/formulation.md, (W1)-(W5)).
"""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

CONNECTION = "heat_new_connection_mw_th"
HEAT_PUMP = "heat_new_heat_pump_mw_th"


def sources(sc: Scenario) -> list[tuple[str, float, float]]:
    """(dispatch column, recoverable MW_th per MW of it, temperature degC) of each active heat source."""
    h = sc.heat
    out = []
    if sc.mining.active():
        out.append(("mining_mw", float(h.mining_recoverable_fraction), float(h.mining_heat_temp_c)))
    if sc.ai.active() and h.ai_liquid_cooled:
        out.append(("ai_it_mw", h.ai_recoverable_fraction, h.ai_heat_temp_c))
    return out


def hot_and_cold(sc: Scenario) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The sources hot enough to sell directly, and those that need the heat pump: (column, fraction)."""
    hot = [(c, f) for c, f, temp in sources(sc) if temp >= sc.heat.supply_temp_c]
    cold = [(c, f) for c, f, temp in sources(sc) if temp < sc.heat.supply_temp_c]
    return hot, cold


def add(ctx: Ctx) -> None:
    """Heat sold within recoverable heat, demand and connection; heat-pump lift and its electricity (W1)-(W5)."""
    h = ctx.sc.heat
    m, n = ctx.m, ctx.sc.n_steps
    hot, cold = hot_and_cold(ctx.sc)
    demand = ctx.col("heat_demand_mwh_th")
    cop = h.heat_pump_cop
    flows = {c: ctx.flow(c) for c, _ in hot + cold}

    def heat(group):
        return lambda t: sum(f * flows[c](t) for c, f in group)

    hot_heat, cold_heat = heat(hot), heat(cold)
    direct = lifted = None
    if hot:
        direct = hourly_var(m, "heat_direct_mw_th", n, ub=demand)
        hourly_con(m, "heat_direct_limit", n, lambda t: direct[t] <= hot_heat(t))  # (W1)
        ctx.hourly["heat_direct_mw_th"] = direct
    if cold:
        lifted = hourly_var(m, "heat_pump_out_mw_th", n, ub=demand)
        hourly_con(m, "heat_pump_source_limit", n, lambda t: (1.0 - 1.0 / cop) * lifted[t] <= cold_heat(t))  # (W2)
        hourly_con(m, "heat_pump_capacity", n, lambda t: lifted[t] <= ctx.sizes["heat_pump_mw_th"])  # (W3)
        ctx.hourly["heat_pump_out_mw_th"] = lifted
        ctx.hourly["heat_pump_mw"] = lambda t: lifted[t] / cop  # (W5): electricity drawn, on the bus

    def sold(t):
        return (direct[t] if hot else 0.0) + (lifted[t] if cold else 0.0)

    def used(t):  # recoverable heat sold directly or taken by the heat pump
        return (direct[t] if hot else 0.0) + ((1.0 - 1.0 / cop) * lifted[t] if cold else 0.0)

    if hot or cold:
        hourly_con(m, "heat_demand_limit", n, lambda t: sold(t) <= demand[t])  # (W4)
        hourly_con(m, "heat_connection_limit", n, lambda t: sold(t) <= ctx.sizes["heat_connection_mw_th"])  # (W4)
    ctx.hourly["heat_sold_mw_th"] = sold
    ctx.hourly["heat_recoverable_mw_th"] = lambda t: hot_heat(t) + cold_heat(t)
    ctx.hourly["heat_rejected_mw_th"] = lambda t: hot_heat(t) + cold_heat(t) - used(t)


def capital(sc: Scenario) -> list[CapitalItem]:
    h = sc.heat
    return [
        CapitalItem("heat_connection", "heat", h.connection_capex_usd_per_kw_th * 1000, h.connection_life_years,
                    size=CONNECTION),
        CapitalItem("heat_pump", "heat", h.heat_pump_capex_usd_per_kw_th * 1000, h.heat_pump_life_years,
                    size=HEAT_PUMP),
    ]


def hourly_price_used(sc: Scenario) -> bool:
    """Does the Hourly heat price column add anything (any non-zero hour)?"""
    return bool(np.any(sc.hourly["heat_price_usd_per_mwh_th"].to_numpy(float) != 0.0))


def streams(sc: Scenario) -> list[spec.Stream]:
    out = [spec.Stream("heat_revenue", "heat", lambda sc: sc.heat.price_usd_per_mwh_th,
                       spec.Hourly("heat_sold_mw_th"), "Heat sales")]
    if hourly_price_used(sc):
        out.append(spec.Stream("heat_revenue_hourly", "heat", lambda sc: 1.0,
                               spec.Hourly("heat_sold_mw_th", "heat_price_usd_per_mwh_th"),
                               "Heat sales (hourly price part)"))
    return out + [spec.Stream("heat_pump_fom", "om", lambda sc: -sc.heat.heat_pump_fom_usd_per_kw_th_year * 1000,
                              spec.Capacity("heat_pump_mw_th"), "Heat pump fixed O&M")]


def price_path(sc: Scenario) -> np.ndarray:
    """Heat price in year y relative to year 1: (1 + e)^(y-1)."""
    return (1.0 + sc.heat.price_escalation_per_year) ** np.arange(sc.finance.analysis_years)


TECHNOLOGY = spec.Technology(
    name="heat",
    label="Waste heat",
    add=add,
    decisions=lambda sc: [spec.Decision(CONNECTION, "MW_th", "min_new_connection_mw_th", "max_new_connection_mw_th"),
                          spec.Decision(HEAT_PUMP, "MW_th", "min_new_heat_pump_mw_th", "max_new_heat_pump_mw_th")],
    sizes=(
        spec.Size("heat_connection_mw_th", "MW_th", "Heat connection",
                  existing=lambda sc: sc.heat.existing_connection_mw_th, new=CONNECTION),
        spec.Size("heat_pump_mw_th", "MW_th", "Heat pump (heat output)",
                  existing=lambda sc: sc.heat.existing_heat_pump_mw_th, new=HEAT_PUMP),
    ),
    flows=(
        spec.Flow("heat_pump_mw", spec.DEMAND, "Heat pump", site_use=True, energy_key="heat_pump"),
        spec.Flow("heat_sold_mw_th", spec.INFO, "Heat sold (thermal)", unit="MW_th", energy_key="heat_sold_th",
                  kpi=True),
        spec.Flow("heat_direct_mw_th", spec.INFO, "Heat sold directly (thermal)", unit="MW_th"),
        spec.Flow("heat_pump_out_mw_th", spec.INFO, "Heat-pump output (thermal)", unit="MW_th",
                  energy_key="heat_pump_out_th"),
        spec.Flow("heat_recoverable_mw_th", spec.INFO, "Recoverable heat (thermal)", unit="MW_th",
                  energy_key="heat_recoverable_th"),
        spec.Flow("heat_rejected_mw_th", spec.INFO, "Heat rejected (thermal)", unit="MW_th",
                  energy_key="heat_rejected_th"),
    ),
    capital=capital,
    streams=streams,
    capacity_factors=(spec.CapacityFactor("heat_pump", "heat_pump_out_mw_th", "heat_pump_mw_th"),),
    price_path=price_path,
)
