"""Assemble the technologies, the hourly energy balance, site-wide limits and the NPV objective.

NPV (USD) = sum_streams PWF_kind x rate_s x quantity_s  -  sum_capital PVcost_item x new_size_item
(see planner/finance.py for PWF and PVcost; docs/formulation.md for the whole model). Every technology
is added from its declaration (planner/technologies): its decisions and sizes here, its variables and
constraints by its own `add`, then its flows onto the bus, its streams into the objective and its land.
PWFs, stream rates and capital costs are mutable Params, so `update_objective` can re-price a built
model in place (planner/solve: reprice). The Pyomo objective is the NPV in USD; the solver layer scales it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.core as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.visitor import identify_variables

from planner.errors import SolveError
from planner.finance import CapitalItem, capital_pv_per_unit, stream_pwf, trajectories
from planner.scenario.scenario import Scenario
from planner.scenario.typical import month_steps
from planner.technologies import active, capital_items, firm_labels, price_paths, section
from planner.technologies.base import Ctx, hourly_con, hourly_var, new_var, series_scale
from planner.technologies.spec import DEMAND, SUPPLY, Hourly, Limit, MonthlyPeak, Stream, Technology

# the limits of the Site sheet, in the constraints add_site_limits builds (binding limits, planner/limits.py)
SITE_LIMITS = (
    Limit("site_capacity", "site_capacity_mw", "Site electrical capacity", "MW"),
    Limit("land_limit", "land_area_ha", "Land for new capacity", "ha"),
    Limit("capex_budget", "capex_budget_usd", "Capex budget", "USD", rhs_per_unit=1e-6, step=1e6,
          step_label="1 M USD"),
)


@dataclass
class Built:
    """A built model with what results extraction needs to read it back."""

    m: pyo.ConcreteModel
    ctx: Ctx
    capital: list[tuple[CapitalItem, float]]  # (item, PV cost per unit of its decision)
    traj: dict
    streams: dict[str, Stream] = field(default_factory=dict)  # stream name -> declaration
    scales: dict[str, float] = field(default_factory=dict)  # price series -> its multiplier when built


FIXED_ROW_TOL = 1e-6  # relative violation a row of fixed sizes may carry (the sizing solve's own tolerance)


def fix_sizes(m: pyo.ConcreteModel, fixed: dict[str, float]) -> None:
    """Fix these new-size variables; a scalar row left with fixed variables only is checked and dropped.

    The sizes come from another solve (typical days, a branch-and-bound node), so a row between them (a
    battery's duration bounds, a site limit) can be violated at rounding level; Pyomo's compiler would reject
    such a row with no tolerance. A row violated by more than FIXED_ROW_TOL (relative)
    raises SolveError naming it.
    """
    for name, value in fixed.items():
        m.component(name).fix(value)
    for con in m.component_objects(pyo.Constraint, active=True, descend_into=True):
        if con.is_indexed():
            continue  # hourly rows always hold hourly variables
        if any(not v.fixed for v in identify_variables(con.body, include_fixed=True)):
            continue
        body = pyo.value(con.body)
        tol = FIXED_ROW_TOL * max(1.0, abs(body))
        below, above = con.lb is not None and body < con.lb - tol, con.ub is not None and body > con.ub + tol
        if below or above:
            bound = f"at least {con.lb:.6g}" if below else f"at most {con.ub:.6g}"
            raise SolveError("No feasible plan exists for this design:",
                             [f"the fixed sizes give {con.name} = {body:.6g}, which must be {bound}"])
        con.deactivate()


def capital_list(sc: Scenario) -> list[tuple[CapitalItem, float]]:
    """Every capital item of the active technologies with its PV cost per unit."""
    return [(item, capital_pv_per_unit(item, sc.finance)) for item in capital_items(sc)]


def build(sc: Scenario, elastic: bool = False) -> Built:
    """The whole Pyomo model for one scenario, objective (15) (elastic: hard requirements get slacks).

    Python's cyclic garbage collector is paused while it is built: the model's ~10^6 new objects would start
    collection after collection, each walking the whole growing model (west_texas: 2.3 -> 1.4 s CPU).
    """
    with PauseGC():
        return _build(sc, elastic)


def _build(sc: Scenario, elastic: bool) -> Built:
    m = pyo.ConcreteModel(name=sc.site.name)
    traj = trajectories(sc.finance, price_paths(sc))
    ctx = Ctx(m=m, sc=sc, pwf=stream_pwf(sc.finance, traj), elastic=elastic, firm_labels=firm_labels())
    built = Built(m=m, ctx=ctx, capital=[], traj=traj)
    for tech in active(sc):
        add_technology(built, tech)
    built.capital = capital = capital_list(sc)
    m.pwf = pyo.Param(list(traj), mutable=True, initialize=ctx.pwf)
    names = [item.name for item, _ in capital]
    m.capex_usd_per_unit = pyo.Param(names, mutable=True, initialize={i.name: i.usd_per_unit for i, _ in capital})
    m.capital_pv_usd_per_unit = pyo.Param(names, mutable=True, initialize={i.name: pv for i, pv in capital})
    add_balance(ctx)
    add_site_limits(ctx, capital)
    npv = sum(m.pwf[kind] * expr for kind, expr in ctx.annual.values())
    npv -= sum(m.capital_pv_usd_per_unit[item.name] * ctx.new[item.size] for item, _ in capital)
    m.npv_usd = pyo.Expression(expr=npv)
    m.objective = pyo.Objective(expr=m.npv_usd, sense=pyo.maximize)
    return built


def add_technology(built: Built, tech: Technology) -> None:
    """One technology from its declaration: decisions, sizes, its own variables and constraints, flows,
    streams and land."""
    ctx, sc = built.ctx, built.ctx.sc
    s = section(sc, tech)
    for d in tech.decisions(sc):
        upper = d.upper(sc) if d.upper is not None else getattr(s, d.max_field)
        var = new_var(ctx.m, d.var, getattr(s, d.min_field), upper, integer=d.integer)
        ctx.new[d.var] = var
        if d.integer:
            ctx.integers[d.fleet] = var
    for size in tech.sizes:
        base = size.existing(sc) if size.new is None else size.existing(sc) + ctx.new[size.new]
        k = size.per_unit(sc)
        ctx.sizes[size.key] = base if k == 1.0 else k * base
    tech.add(ctx)
    for f in tech.flows:
        if f.column not in ctx.hourly or f.role not in (SUPPLY, DEMAND):
            continue
        fn = ctx.flow(f.column)
        (ctx.supply if f.role == SUPPLY else ctx.demand)[f.column] = fn
        if f.site_use:
            ctx.site_uses[f.column] = fn
    for stream in tech.streams(sc):
        add_stream(built, stream)
    for land in tech.land:
        ctx.land_ha.append(land.ha_per_unit(sc) * ctx.new[land.new])


def add_stream(built: Built, stream: Stream) -> None:
    """A stream's term: a mutable rate Param (USD per unit) times its quantity's expression."""
    ctx = built.ctx
    q = stream.per
    if isinstance(q, Hourly):
        if q.times is not None:
            built.scales[q.times] = series_scale(ctx.sc, q.times)
        coef = 1.0 if q.times is None else ctx.col(q.times)
        quantity = ctx.weighted_sum(ctx.flow(q.column), coef)
    elif isinstance(q, MonthlyPeak):
        quantity = monthly_peak(ctx, stream.name, q.column)
    else:
        quantity = ctx.sizes[q.size]
    rate = pyo.Param(mutable=True, initialize=rate_value(built, stream, ctx.sc))
    ctx.m.add_component(f"rate_{stream.name}", rate)
    built.streams[stream.name] = stream
    ctx.annual[stream.name] = (stream.kind, rate * quantity)


def monthly_peak(ctx: Ctx, name: str, column: str):
    """A peak variable per month at least the column in every step of that month (7a); returns the year's billed
    MW: 12 / months held x the sum of the peaks (spec.MonthlyPeak)."""
    groups = month_steps(ctx.sc)
    peak = pyo.Var(range(len(groups)), domain=pyo.NonNegativeReals)
    ctx.m.add_component(f"peak_{name}", peak)
    fn = ctx.flow(column)
    pairs = [(k, int(t)) for k, steps in enumerate(groups) for t in steps]
    ctx.m.add_component(f"peak_{name}_month", pyo.Constraint(pairs, rule=lambda _m, k, t: peak[k] >= fn(t)))
    return 12.0 / max(1, len(groups)) * pyo.quicksum(peak[k] for k in range(len(groups)))


def rate_value(built: Built, stream: Stream, sc: Scenario) -> float:
    """The stream's rate for `sc`; an hourly price series scaled since the build scales the rate with it."""
    rate = float(stream.rate(sc))
    q = stream.per
    if isinstance(q, Hourly) and q.times is not None:
        rate *= series_scale(sc, q.times) / built.scales[q.times]
    return rate


def update_objective(built: Built, sc: Scenario) -> None:
    """Re-price a built model for a changed scenario whose change touches only prices, costs and finance.

    Sets the mutable PWFs, stream rates and capital costs from `sc`; the caller must be sure the change
    is objective-only (planner/technologies: reprice_only) and hand the new objective to the solver
    (planner/solve: reprice does both).
    """
    m, ctx = built.m, built.ctx
    traj = trajectories(sc.finance, price_paths(sc))
    pwf = stream_pwf(sc.finance, traj)
    for kind in m.pwf:
        m.pwf[kind] = pwf[kind]
    for name, stream in built.streams.items():
        m.component(f"rate_{name}").set_value(rate_value(built, stream, sc))
    capital = capital_list(sc)
    for item, pv in capital:
        m.capex_usd_per_unit[item.name] = item.usd_per_unit
        m.capital_pv_usd_per_unit[item.name] = pv
    ctx.sc, ctx.pwf = sc, pwf
    built.capital, built.traj = capital, traj


def add_balance(ctx: Ctx) -> None:
    """Every hour: supply = demand + curtailment (curtailment >= 0 is the only slack; (12))."""
    n = ctx.sc.n_steps
    curtail = hourly_var(ctx.m, "curtailed_mw", n)
    ctx.hourly["curtailed_mw"] = curtail
    supply = list(ctx.supply.values())
    demand = list(ctx.demand.values())
    if ctx.elastic:
        unmet = hourly_var(ctx.m, "unmet_demand_mw", n)
        ctx.slack("energy_balance", unmet, _balance_message)
        supply.append(lambda t: unmet[t])
    hourly_con(ctx.m, "energy_balance", n,
               lambda t: sum(f(t) for f in supply) == sum(f(t) for f in demand) + curtail[t])


def add_site_limits(ctx: Ctx, capital: list[tuple[CapitalItem, float]]) -> None:
    """Shared site electrical capacity (11), the year-0 capex budget (13) and land (14)."""
    s = ctx.sc.site
    m = ctx.m
    if s.site_capacity_mw is not None and ctx.site_uses:
        uses = list(ctx.site_uses.values())
        over = hourly_var(m, "site_capacity_excess_mw", ctx.sc.n_steps) if ctx.elastic else None
        if over is not None:
            ctx.slack("site_capacity", over, _site_capacity_message)
        hourly_con(m, "site_capacity", ctx.sc.n_steps, lambda t: sum(f(t) for f in uses)
                   <= s.site_capacity_mw + (over[t] if over is not None else 0))
    if s.land_area_ha is not None and ctx.land_ha:
        m.land_excess_ha = pyo.Var(domain=pyo.NonNegativeReals, bounds=(0, None if ctx.elastic else 0))
        ctx.slack("land", m.land_excess_ha, _land_message)
        m.land_limit = pyo.Constraint(expr=sum(ctx.land_ha) <= s.land_area_ha + m.land_excess_ha)
    if s.capex_budget_usd is not None and capital:
        m.budget_excess_musd = pyo.Var(domain=pyo.NonNegativeReals, bounds=(0, None if ctx.elastic else 0))
        ctx.slack("capex_budget", m.budget_excess_musd, _budget_message)
        m.capex_budget = pyo.Constraint(
            expr=1e-6 * sum(m.capex_usd_per_unit[item.name] * ctx.new[item.size] for item, _ in capital)
            <= 1e-6 * s.capex_budget_usd + m.budget_excess_musd)


# how a slack of the elastic model that stayed positive is said (planner/solve/elastic.py)

def _balance_message(sc: Scenario, ctx: Ctx, short, when: str) -> str:
    return (f"demand cannot be met: supply falls short by up to {float(short.max()):.3g} MW in "
            f"{int((short > 1e-5).sum())} hour(s), {when} (loads that must be served, including minimum builds, "
            f"need energy that no allowed generation, storage or import can give). Allow more supply, or set "
            f"SiteLoad.unserved_policy = voll")


def _site_capacity_message(sc: Scenario, ctx: Ctx, short, when: str) -> str:
    return (f"site capacity of {sc.site.site_capacity_mw:g} MW is exceeded by up to {float(short.max()):.3g} MW in "
            f"{int((short > 1e-5).sum())} hour(s), {when}, by loads that must be served; raise Site.site_capacity_mw")


def _land_message(sc: Scenario, ctx: Ctx, excess, when: str) -> str:
    return (f"land area of {sc.site.land_area_ha:g} ha is too small for the minimum builds: "
            f"{float(excess):.3g} ha more are needed")


def _budget_message(sc: Scenario, ctx: Ctx, excess, when: str) -> str:
    return (f"capex budget of {sc.site.capex_budget_usd / 1e6:,.1f} M USD is too small for the minimum builds "
            f"and requirements: they need {float(excess):,.2f} M USD more")
