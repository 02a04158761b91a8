"""Assemble the technologies, the hourly energy balance, site-wide limits and the NPV objective.

NPV (USD) = sum_streams PWF_kind x rate_s x quantity_s  -  sum_capital PVcost_item x new_size_item
(see planner/finance.py for PWF and PVcost; docs/formulation.md for the whole model). PWFs, stream
rates and capital costs are mutable Params, so `update_objective` can re-price a built model in
place (planner/solve: reprice). The Pyomo objective is the NPV in USD; the solver layer scales it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from planner.finance import STREAM_KINDS, CapitalItem, capital_pv_per_unit, stream_pwf, trajectories
from planner.scenario.scenario import Scenario
from planner.technologies import active
from planner.technologies.base import Ctx, hourly_con, hourly_var


@dataclass
class Built:
    """A built model with what results extraction needs to read it back."""

    m: pyo.ConcreteModel
    ctx: Ctx
    capital: list[tuple[CapitalItem, str, float]]  # (item, new-size var name, PV cost per unit)
    traj: dict


def capital_list(sc: Scenario) -> list[tuple[CapitalItem, str, float]]:
    """Every capital item of the active technologies with its new-size variable and PV cost per unit."""
    out = []
    for _name, mod in active(sc):
        for item, var_name in mod.capital_items(sc):
            out.append((item, var_name, capital_pv_per_unit(item, sc.finance)))
    return out


def build(sc: Scenario, elastic: bool = False) -> Built:
    """The whole Pyomo model for one scenario (elastic: hard requirements get slacks, for diagnosis)."""
    m = pyo.ConcreteModel(name=sc.site.name)
    traj = trajectories(sc.finance, sc.ai, sc.mining, sc.site.cod_year)
    ctx = Ctx(m=m, sc=sc, pwf=stream_pwf(sc.finance, traj), elastic=elastic)
    for _name, mod in active(sc):
        mod.add(ctx)
    capital = capital_list(sc)
    m.pwf = pyo.Param(STREAM_KINDS, mutable=True, initialize=ctx.pwf)
    names = [item.name for item, _, _ in capital]
    m.capex_usd_per_unit = pyo.Param(names, mutable=True, initialize={i.name: i.usd_per_unit for i, _, _ in capital})
    m.capital_pv_usd_per_unit = pyo.Param(names, mutable=True, initialize={i.name: pv for i, _, pv in capital})
    add_balance(ctx)
    add_site_limits(ctx, capital)
    npv = sum(m.pwf[kind] * expr for kind, expr in ctx.annual.values())
    npv -= sum(m.capital_pv_usd_per_unit[item.name] * m.component(var_name) for item, var_name, _ in capital)
    m.npv_usd = pyo.Expression(expr=npv)
    m.objective = pyo.Objective(expr=m.npv_usd, sense=pyo.maximize)
    return Built(m=m, ctx=ctx, capital=capital, traj=traj)


def update_objective(built: Built, sc: Scenario) -> None:
    """Re-price a built model for a changed scenario whose change touches only prices, costs and finance.

    Sets the mutable PWFs, stream rates and capital costs from `sc`; a persistent solver picks the
    new values up on its next solve. The caller must be sure the change is objective-only
    (planner/scenario/params.py: OBJECTIVE_ONLY lists such parameters).
    """
    m, ctx = built.m, built.ctx
    traj = trajectories(sc.finance, sc.ai, sc.mining, sc.site.cod_year)
    pwf = stream_pwf(sc.finance, traj)
    for kind in STREAM_KINDS:
        m.pwf[kind] = pwf[kind]
    for name, fn in ctx.rate_fns.items():
        m.component(f"rate_{name}").set_value(float(fn(sc)))
    capital = capital_list(sc)
    for item, _var, pv in capital:
        m.capex_usd_per_unit[item.name] = item.usd_per_unit
        m.capital_pv_usd_per_unit[item.name] = pv
    ctx.sc, ctx.pwf = sc, pwf
    built.capital, built.traj = capital, traj


def add_balance(ctx: Ctx) -> None:
    """Every hour: supply = demand + curtailment (curtailment >= 0 is the only slack)."""
    n = ctx.sc.n_steps
    curtail = hourly_var(ctx.m, "curtailed_mw", n)
    ctx.hourly["curtailed_mw"] = curtail
    supply = list(ctx.supply.values())
    demand = list(ctx.demand.values())
    if ctx.elastic:
        unmet = hourly_var(ctx.m, "unmet_demand_mw", n)
        ctx.slacks["energy_balance"] = unmet
        supply.append(lambda t: unmet[t])
    hourly_con(ctx.m, "energy_balance", n,
               lambda t: sum(f(t) for f in supply) == sum(f(t) for f in demand) + curtail[t])


def add_site_limits(ctx: Ctx, capital: list[tuple[CapitalItem, str, float]]) -> None:
    """Shared site electrical capacity, land and the year-0 capex budget."""
    s = ctx.sc.site
    m = ctx.m
    if s.site_capacity_mw is not None and ctx.site_uses:
        uses = list(ctx.site_uses.values())
        over = hourly_var(m, "site_capacity_excess_mw", ctx.sc.n_steps) if ctx.elastic else None
        if over is not None:
            ctx.slacks["site_capacity"] = over
        hourly_con(m, "site_capacity", ctx.sc.n_steps, lambda t: sum(f(t) for f in uses)
                   <= s.site_capacity_mw + (over[t] if over is not None else 0))
    if s.land_area_ha is not None and ctx.land_ha:
        m.land_excess_ha = pyo.Var(domain=pyo.NonNegativeReals, bounds=(0, None if ctx.elastic else 0))
        ctx.slacks["land"] = m.land_excess_ha
        m.land_limit = pyo.Constraint(expr=sum(ctx.land_ha) <= s.land_area_ha + m.land_excess_ha)
    if s.capex_budget_usd is not None and capital:
        m.budget_excess_musd = pyo.Var(domain=pyo.NonNegativeReals, bounds=(0, None if ctx.elastic else 0))
        ctx.slacks["capex_budget"] = m.budget_excess_musd
        m.capex_budget = pyo.Constraint(
            expr=1e-6 * sum(m.capex_usd_per_unit[item.name] * m.component(var) for item, var, _ in capital)
            <= 1e-6 * s.capex_budget_usd + m.budget_excess_musd)
