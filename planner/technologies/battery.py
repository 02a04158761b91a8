"""Battery: power (MW) and energy (MWh) sized separately, chronological cyclic state of charge.

soc_t = soc_{t-1} (1 - self_discharge) + eta_c ch_t - dis_t / eta_d, with soc_{-1} = soc_{T-1}.
No binary forbids charging and discharging in the same hour; losses make it unprofitable except
when energy has negative value (see docs/formulation.md).
"""

from __future__ import annotations

import pandas as pd
import pyomo.core as pyo

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

NEW_MW, NEW_MWH = "battery_new_mw", "battery_new_mwh"


def add(ctx: Ctx) -> None:
    """Duration bounds, hourly charge/discharge within the power, state of charge within the energy (6)."""
    b = ctx.sc.battery
    m, n = ctx.m, ctx.sc.n_steps
    new_mw, new_mwh = ctx.new[NEW_MW], ctx.new[NEW_MWH]
    m.battery_duration_min = pyo.Constraint(expr=new_mwh >= b.min_duration_h * new_mw)
    m.battery_duration_max = pyo.Constraint(expr=new_mwh <= b.max_duration_h * new_mw)
    p = ctx.sizes["battery_mw"]
    e = ctx.sizes["battery_mwh"]
    ch = hourly_var(m, "battery_charge_mw", n)
    dis = hourly_var(m, "battery_discharge_mw", n)
    hourly_con(m, "battery_charge_limit", n, lambda t: ch[t] <= p)
    hourly_con(m, "battery_discharge_limit", n, lambda t: dis[t] <= p)
    periods = ctx.sc.periods
    if periods is not None and periods.storage == "linked":
        soc = add_linked_soc(ctx, ch, dis, e)
    else:
        soc = hourly_var(m, "battery_soc_mwh", n)
        keep = 1.0 - b.self_discharge_per_hour
        hpp = periods.hours_per_period if periods is not None else n  # cyclic over the year or each period
        # each step is one hour of chronology (weights only scale annual sums)
        hourly_con(m, "battery_soc_balance", n, lambda t: soc[t] == keep * soc[t - 1 if t % hpp else t + hpp - 1]
                   + b.charge_efficiency * ch[t] - dis[t] / b.discharge_efficiency)
        hourly_con(m, "battery_soc_max", n, lambda t: soc[t] <= e)
        if b.soc_min_fraction > 0:
            hourly_con(m, "battery_soc_min", n, lambda t: soc[t] >= b.soc_min_fraction * e)
    ctx.hourly.update(battery_charge_mw=ch, battery_discharge_mw=dis, battery_soc_mwh=soc)


def add_linked_soc(ctx: Ctx, ch, dis, e):
    """State of charge across typical periods linked through the real calendar (Kotzur et al. 2018).

    Within each typical period the charge is tracked relative to its start (`battery_soc_intra_mwh`,
    free sign); one inter-period level per real period carries the charge from day to day and, with the
    intra-period extremes, keeps the true state of charge within [soc_min x E, E].
    """
    b, m, periods = ctx.sc.battery, ctx.m, ctx.sc.periods
    n, hpp = ctx.sc.n_steps, periods.hours_per_period
    keep = 1.0 - b.self_discharge_per_hour
    intra = pyo.Var(range(n), domain=pyo.Reals)
    m.add_component("battery_soc_intra_mwh", intra)
    hourly_con(m, "battery_soc_intra_balance", n, lambda t: intra[t] == (keep * intra[t - 1] if t % hpp else 0)
               + b.charge_efficiency * ch[t] - dis[t] / b.discharge_efficiency)
    clusters = range(periods.n_clusters)
    m.battery_intra_max = pyo.Var(clusters, domain=pyo.NonNegativeReals)
    m.battery_intra_min = pyo.Var(clusters, domain=pyo.NonPositiveReals)
    hourly_con(m, "battery_intra_max_def", n, lambda t: intra[t] <= m.battery_intra_max[t // hpp])
    hourly_con(m, "battery_intra_min_def", n, lambda t: intra[t] >= m.battery_intra_min[t // hpp])
    seq = [int(c) for c in periods.sequence]
    days = range(len(seq))
    m.battery_soc_inter_mwh = pyo.Var(days, domain=pyo.NonNegativeReals)
    inter = m.battery_soc_inter_mwh
    decay = keep ** hpp
    m.battery_inter_link = pyo.Constraint(days, rule=lambda _m, d: inter[(d + 1) % len(seq)]
                                          == decay * inter[d] + intra[seq[d] * hpp + hpp - 1])
    m.battery_inter_max = pyo.Constraint(days, rule=lambda _m, d: inter[d] + m.battery_intra_max[seq[d]] <= e)
    m.battery_inter_min = pyo.Constraint(days, rule=lambda _m, d: inter[d] + m.battery_intra_min[seq[d]]
                                         >= b.soc_min_fraction * e)
    # reported state of charge of a typical period: as if it started at its first day's inter level
    first_day = {c: seq.index(c) if c in seq else 0 for c in clusters}
    return lambda t: inter[first_day[t // hpp]] + intra[t]


def capital(sc: Scenario) -> list[CapitalItem]:
    b = sc.battery
    return [
        CapitalItem("battery_power", "battery", b.capex_usd_per_kw * 1000, b.life_years, 0.0, b.itc_fraction,
                    size=NEW_MW),
        CapitalItem("battery_energy", "battery", b.capex_usd_per_kwh * 1000, b.life_years, 0.0, b.itc_fraction,
                    size=NEW_MWH),
    ]


def streams(sc: Scenario) -> list[spec.Stream]:
    return [
        spec.Stream("battery_fom", "om", lambda sc: -sc.battery.fom_usd_per_kw_year * 1000, spec.Capacity("battery_mw"),
                    "Battery fixed O&M"),
        spec.Stream("battery_fom_energy", "om", lambda sc: -sc.battery.fom_usd_per_kwh_year * 1000,
                    spec.Capacity("battery_mwh"), "Battery fixed O&M (energy)"),
        spec.Stream("battery_vom", "om", lambda sc: -sc.battery.vom_usd_per_mwh, spec.Hourly("battery_discharge_mw"),
                    "Battery variable O&M"),
    ]


def losses(d: pd.DataFrame) -> dict[str, float]:
    """Energy lost in the battery: MWh charged minus MWh discharged."""
    w = d["weight"]
    return {"battery_losses": float((w * d["battery_charge_mw"]).sum()) - float((w * d["battery_discharge_mw"]).sum())}


TECHNOLOGY = spec.Technology(
    name="battery",
    hedge=True,
    label="Battery",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW_MW, "MW", "min_new_mw", "max_new_mw"),
                          spec.Decision(NEW_MWH, "MWh", "min_new_mwh", "max_new_mwh")],
    sizes=(
        spec.Size("battery_mw", "MW", "Battery power", existing=lambda sc: sc.battery.existing_mw, new=NEW_MW),
        spec.Size("battery_mwh", "MWh", "Battery energy", existing=lambda sc: sc.battery.existing_mwh, new=NEW_MWH),
    ),
    flows=(
        spec.Flow("battery_charge_mw", spec.DEMAND, "Battery charge", site_use=True, energy_key="battery_charge"),
        spec.Flow("battery_discharge_mw", spec.SUPPLY, "Battery discharge", energy_key="battery_discharge"),
        spec.Flow("battery_soc_mwh", spec.STATE, "Battery state of charge", unit="MWh"),
    ),
    capital=capital,
    streams=streams,
    land=(spec.Land(lambda sc: sc.battery.land_ha_per_mw, NEW_MW),),
    extra_energy=losses,
    figures=(spec.Figure("battery_losses", "Battery losses", "MWh/yr"),),
)
