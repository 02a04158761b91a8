"""Investment periods: the plant built in vintages, each period its own inputs and dispatch (docs/periods.md).

The multi-period model (docs/formulation.md, (P1)-(P5)) holds one copy of the deterministic model per period
(planner/model.py: build, on that period's inputs: the workbook's with the period's changes and declines),
each a Pyomo block whose operating streams are discounted over the period's years only (P1) and whose capital
is taken out of it. A decision's new capacity in service in period p is the sum of its vintages still on site
(P2): x[d, q, p] units built at the start of period q and still there in p, never more than in p - 1 (P3) and,
for a decision its technology does not let retire early (`spec.Decision.retire`), the same in every period.
Each vintage pays its own capital schedule (planner/finance.py: capital_schedule from its build year, at its
period's price, replaced at the end of each life, salvaged at N or recovered when retired), which is (P4); the
capex budget bounds each period's purchases (P5). A stochastic model over periods is this model as a block.

Sizing runs on typical days (the same days for every period: the periods' changes are constant multipliers
and values, applied to the reduced year), then every period's full year is re-dispatched with its sizes fixed
(an LP each), and the days a period cannot serve join the reduced model, as the single-period path does
(planner/run.py: optimise_typical). While those days are found the fleets' units stay as the last design had
them and an LP re-sizes the rest; once such a design serves every year, the MILP sizes everything again on those
days, from it, and its plan is the answer (or, if it falls short, the search goes on). The answer's NPV is the
full years' operating values less the vintages' capital, and the multi-period pro-forma (planner/finance.py:
proforma with lines and schedules) rebuilds it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pyomo.core as pyo

from planner.errors import InputError, SolveError
from planner.finance import CapitalItem, capital_schedule, proforma, schedule_pv, stream_pwf, trajectories
from planner.model import Built, build
from planner.results import Result, extract, size_table
from planner.scenario.params import set_param
from planner.scenario.periods import PERIODS_SHEET, PeriodSpan, multi_period, period_changes, spans
from planner.scenario.scenario import Scenario
from planner.scenario.typical import MAX_ADD_ROUNDS, aggregate, days_to_add, short_days
from planner.solve import HighsModel, ProgressFn, SolveOptions, SolverStats, YearCheck, solve_model
from planner.technologies import active, decisions, for_typical_days, price_paths, section, streams
from planner.technologies.spec import Decision, Technology

DEFAULT_TYPICAL_DAYS = 48  # a multi-period plan's typical days when none are asked for (docs/periods.md)
# the last sizing in full goes on from the held round's model and optimum only if the previous full sizing's root
# LP was within this relative distance of its plan: releasing the fleets then moves little (west_texas: 0.02 %,
# its root 9.2k primal iterations, 5.0 s, against 52k from scratch, 23.8 s); permian_gas's root was 10 % above
# its plan, and there the primal simplex reached its cap and the root was solved from scratch anyway, 21 s
# instead of ~10 (docs/periods.md, Performance)
REUSE_ROOT_GAP = 0.01


# ------------------------------------------------------------------------------------------ inputs

def period_inputs(sc: Scenario) -> list[Scenario]:
    """A copy of `sc` per period with its changes applied (planner/scenario/periods.py: period_changes)."""
    out = with_changes(sc, sc)
    check_periods(out)
    return out


def single_period_inputs(sc: Scenario) -> Scenario:
    """The inputs the one-period model plans: `sc` itself unless it is a workbook of one period that changes
    inputs (or declines them); then a copy with the changes applied, a decline as its average over the whole
    analysis relative to year 1 (docs/periods.md). A workbook of several periods is returned as it is."""
    if multi_period(sc) or not (sc.investment_periods or sc.declines):
        return sc
    (out,) = with_changes(sc, sc)
    out.investment_periods, out.declines = [], []
    return out


def check_periods(scs: list[Scenario]) -> None:
    """The periods must share one set of decisions and one size per unit (a container, a block, a genset means
    the same in every period): InputError naming what a period changed otherwise."""
    first = scs[0]
    keys = [d.var for _t, d in decisions(first)]
    problems = []
    for k, sc in enumerate(scs[1:], start=2):
        if [d.var for _t, d in decisions(sc)] != keys:
            problems.append(f"{PERIODS_SHEET}: period {k} enables or disables a technology; every period must "
                            f"consider the same technologies (set its maximum new size to 0 instead)")
            continue
        for t in active(sc):
            for s in t.sizes:
                if not math.isclose(s.per_unit(sc), s.per_unit(first), rel_tol=1e-12):
                    problems.append(f"{PERIODS_SHEET}: period {k} changes the size of one unit of {s.label} "
                                    f"({s.per_unit(first):g} -> {s.per_unit(sc):g} {s.unit}); a unit must be the "
                                    f"same in every period")
    if problems:
        raise InputError(problems)


def operating_block(sc: Scenario, span: PeriodSpan) -> Built:
    """The deterministic model of one period: its streams over the period's years, no capital in its NPV."""
    b = build(sc)
    for kind, value in stream_pwf(sc.finance, b.traj, over=span.years).items():  # (P1)
        b.m.pwf[kind] = value
    for item, _pv in b.capital:
        b.m.capital_pv_usd_per_unit[item.name] = 0.0
    return b


# ------------------------------------------------------------------------------------------ vintages

@dataclass(frozen=True)
class Vintage:
    """Units of one decision built at the start of period `built` (index), leaving at the start of period
    `leaves` (None: they stay until the analysis ends)."""

    decision: str
    built: int
    leaves: int | None


def vintage_schedules(scs: list[Scenario], periods: list[PeriodSpan], tech: Technology, d: Decision, q: int,
                      leaves: int | None) -> list[tuple[str, dict[str, np.ndarray]]]:
    """(technology, capital schedule per unit) of each capital item of decision `d` for one vintage (P4).

    The vintage is bought at the end of the year before period q's first operating year at its price in period
    q's inputs; if period q leaves that price as the first period's, the item's yearly price decline applies to
    it from year 0 (as to a replacement). Leaving early, it recovers the share of its undepreciated value and
    pays the cost per unit of the period it leaves in (spec.Retire); the cost is carried by its first item.
    """
    fin = scs[0].finance
    built = periods[q].first - 1
    first_items = {i.name: i for i in _items(scs[0], d)}
    out = []
    retire = None if leaves is None else periods[leaves].first - 1
    rec = cost = 0.0
    if leaves is not None:
        rec = float(d.retire.recovery(scs[leaves]))
        cost = float(d.retire.cost_usd_per_unit(scs[leaves]))
    for k, item in enumerate(_items(scs[q], d)):
        base = first_items.get(item.name)
        typed = base is None or not math.isclose(item.usd_per_unit, base.usd_per_unit, rel_tol=1e-12)
        price = item.usd_per_unit if typed else None
        s = capital_schedule(item, fin, built=built, retired=retire, recovery=rec, price_usd_per_unit=price,
                             retire_cost_usd_per_unit=cost if k == 0 else 0.0)
        out.append((tech.name, s))
    return out


def ways_of_leaving(d: Decision, q: int, n: int) -> list[int | None]:
    """When units of d bought in period q may leave: at the start of each later period if it may retire early,
    and (None) at the end of the analysis."""
    return [*range(q + 1, n), None] if d.retire is not None else [None]


def leaving_units(x: dict, v: Vintage, n: int):
    """Units of vintage v that leave its way (x: the vintages' variables or their values): retired at the start
    of period `leaves` (on site in the period before, not in it), or still on site in the last period."""
    if v.leaves is None:
        return x[v.decision, v.built, n - 1]
    return x[v.decision, v.built, v.leaves - 1] - x[v.decision, v.built, v.leaves]


def _items(sc: Scenario, d: Decision) -> list[CapitalItem]:
    return [item for t in active(sc) for item in t.capital(sc) if item.size == d.var]


@dataclass
class MultiPeriod:
    """The built multi-period model: the parent, one Built block per period, the vintage variables."""

    m: pyo.ConcreteModel
    blocks: list[Built]
    periods: list[PeriodSpan]
    scs: list[Scenario]
    x: dict[tuple[str, int, int], pyo.Var]  # (decision, built, period) -> units of that vintage on site
    cost: dict[Vintage, float]  # PV of capital per unit of each vintage and way of leaving (P4)


def build_periods(scs: list[Scenario], periods: list[PeriodSpan], integer_vintages: bool = False) -> MultiPeriod:
    """The multi-period model over these period inputs (P1)-(P5).

    The integers are a fleet's units in service in each period (the period blocks' own integer decisions); its
    vintages are continuous. Given whole numbers in service, the vintages' rows (P2)-(P3) form a network (each
    vintage a path through the periods), so a basic solution has whole vintages too; only the budget row (P5)
    can break that, and `integer_vintages` then makes the vintages integer instead (planner: optimise_periods
    rebuilds so when a solution comes back fractional). 12 integers for 3 fleets over 4 periods instead of 30:
    permian_gas, 4 periods x 48 days: one sizing 173 s -> 123 s (docs/periods.md, Performance).
    """
    m = pyo.ConcreteModel(name="periods")
    blocks = []
    for k, (sc, span) in enumerate(zip(scs, periods, strict=True)):
        b = operating_block(sc, span)
        b.m.objective.deactivate()
        m.add_component(f"period_{k}", b.m)
        blocks.append(b)
    n = len(periods)
    x: dict[tuple[str, int, int], pyo.Var] = {}
    cost: dict[Vintage, float] = {}
    m.vintages = pyo.Block()
    links, monotone = [], []
    for t, d in decisions(scs[0]):
        for q in range(n):
            ub = blocks[q].ctx.new[d.var].ub
            dom = pyo.NonNegativeIntegers if d.integer and integer_vintages else pyo.NonNegativeReals
            for p in range(q, n):
                if p == q or d.retire is not None:
                    var = pyo.Var(domain=dom, bounds=(0, ub))
                    m.vintages.add_component(f"{d.var}_built_{q}_in_{p}", var)
                    x[d.var, q, p] = var
                    if p > q:
                        monotone.append((x[d.var, q, p], x[d.var, q, p - 1]))
                else:
                    x[d.var, q, p] = x[d.var, q, q]  # it stays: the same units in every later period
            for leaves in ways_of_leaving(d, q, n):
                cost[Vintage(d.var, q, leaves)] = sum(schedule_pv(s, scs[0].finance)
                                                      for _tech, s in vintage_schedules(scs, periods, t, d, q, leaves))
        for p, b in enumerate(blocks):
            var = b.ctx.new[d.var]
            if integer_vintages:
                var.domain = pyo.NonNegativeReals  # integral through (P2): the vintages carry the integers
            links.append((var, [x[d.var, q, p] for q in range(p + 1)]))
    m.in_service = pyo.Constraint(range(len(links)), rule=lambda _m, i: links[i][0] == sum(links[i][1]))  # (P2)
    m.retire_only = pyo.Constraint(range(len(monotone)),
                                   rule=lambda _m, i: monotone[i][0] <= monotone[i][1])  # (P3)
    add_budget(m, scs, blocks, x, n)
    capital = pyo.quicksum(c * leaving_units(x, v, n) for v, c in cost.items())
    m.capital_pv_usd = pyo.Expression(expr=capital)
    m.npv_usd = pyo.Expression(expr=pyo.quicksum(b.m.npv_usd for b in blocks) - m.capital_pv_usd)
    m.objective = pyo.Objective(expr=m.npv_usd, sense=pyo.maximize)
    return MultiPeriod(m=m, blocks=blocks, periods=periods, scs=scs, x=x, cost=cost)


def add_budget(m: pyo.ConcreteModel, scs: list[Scenario], blocks: list[Built], x: dict, n: int) -> None:
    """(P5): the capex budget (Site.capex_budget_usd) bounds each period's purchases at that period's prices;
    the blocks' own budget rows (on capacity in service) are switched off."""
    budget = scs[0].site.capex_budget_usd
    for b in blocks:
        if hasattr(b.m, "capex_budget"):
            b.m.capex_budget.deactivate()
    if budget is None:
        return
    rows = []
    for q, sc in enumerate(scs):
        spend = [item.usd_per_unit * x[d.var, q, q] for _t, d in decisions(sc) for item in _items(sc, d)]
        if spend:
            rows.append(sum(spend))
    m.period_capex_budget = pyo.Constraint(range(len(rows)), rule=lambda _m, k: 1e-6 * rows[k] <= 1e-6 * budget)


# ------------------------------------------------------------------------------------------ designs

@dataclass
class Design:
    """A multi-period design: units of each vintage on site in each period, and what that puts in service."""

    x: dict[tuple[str, int, int], float]  # (decision, built, period) -> units
    n_periods: int

    def in_service(self, p: int) -> dict[str, float]:
        """New capacity of each decision on site in period p (every vintage built so far and not retired)."""
        out: dict[str, float] = {}
        for (d, q, pp), units in self.x.items():
            if pp == p and q <= p:
                out[d] = out.get(d, 0.0) + units
        return out

    def built(self, p: int) -> dict[str, float]:
        return {d: units for (d, q, pp), units in self.x.items() if q == p and pp == p}

    def retired(self, p: int) -> dict[str, float]:
        """Units of each decision that leave at the start of period p."""
        out: dict[str, float] = {}
        if p == 0:
            return {d: 0.0 for (d, _q, _p) in self.x}
        for (d, q, pp), units in self.x.items():
            if pp == p - 1 and q <= p - 1:
                out[d] = out.get(d, 0.0) + units - self.x[d, q, p]
        return out

    def capital_pv_usd(self, cost: dict[Vintage, float]) -> float:
        """(P4) at this design."""
        return float(sum(c * leaving_units(self.x, v, self.n_periods) for v, c in cost.items()))


INTEGRAL_TOL = 1e-6  # a fleet's vintage this close to a whole number is that number


def read_design(mp: MultiPeriod) -> Design | None:
    """The solved vintages, a fleet's rounded to whole units; None if one of them is not whole (see build_periods)."""
    integer = {d.var for _t, d in decisions(mp.scs[0]) if d.integer}
    out = {}
    for key, var in mp.x.items():
        value = float(pyo.value(var))
        if key[0] in integer:
            if abs(value - round(value)) > INTEGRAL_TOL:
                return None
            value = float(round(value))
        out[key] = value
    return Design(out, len(mp.periods))


def minimum_design(scs: list[Scenario]) -> Design:
    """The do-nothing design: each decision's workbook minimum built in the first period and kept."""
    n = len(scs)
    x = {}
    for t, d in decisions(scs[0]):
        low = float(getattr(section(scs[0], t), d.min_field))
        for q in range(n):
            for p in range(q, n):
                x[d.var, q, p] = low if q == 0 else 0.0
    return Design(x, n)


# ------------------------------------------------------------------------------------------ the pipeline

@dataclass
class PeriodRun:
    """A design valued on every period's full year."""

    design: Design
    results: list[Result]  # each period's full-year dispatch (its npv_usd: the period's operating PV)
    npv_usd: float
    capital_pv_usd: float


def optimise_periods(sc: Scenario, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
                     typical_days: int | None = DEFAULT_TYPICAL_DAYS, baseline: bool = True) -> Result:
    """Size the plant over the investment periods and value the design on each period's full year.

    Returns the plan as a Result: the first period's full-year dispatch for the plan's pages, the whole life's
    NPV and pro-forma, and `extra["periods"]` / `extra["multi_period"]` (docs/periods.md).
    """
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    periods = spans(sc)
    full = period_inputs(sc)
    timings = {"sizing": 0.0, "full_year": 0.0}
    aggregatable = for_typical_days(sc) if typical_days else None
    own_days: set[int] = set()
    years = FullYears(full, periods, opts)
    added, lookback, previous, rounds, log = 0, 1, None, 0, []
    held, fleets = False, {}  # held: this round keeps the fleets at `fleets` while the short days are found
    scs = None if typical_days else full  # the period inputs on the current days (None: days were added)
    reused = None  # the last round's model holding its fleets-held optimum, sized in full next (size_periods)
    while True:
        t1 = t_round = time.perf_counter()
        if scs is None:
            scs = with_changes(aggregate(aggregatable, typical_days, own_days=tuple(sorted(own_days))), sc)
        design, held_model = None, None
        if held:  # the fleets as the last design had them, the rest re-sized: an LP
            mp, hm, design = size_holding_fleets(scs, periods, opts, fleets)
            held = design is not None
            held_model = (mp, hm) if held else None
        if design is None:
            mp, design, stats = size_periods(scs, periods, opts, progress, previous, full, reused)
        timings["sizing"] += time.perf_counter() - t1
        previous = design
        t1 = time.perf_counter()
        run, short_days = value_design(years, design, mp.cost)
        timings["full_year"] += time.perf_counter() - t1
        log.append({"real_days_added": len(own_days), "sizing": "fleets held" if held else "in full",
                    "serves_every_year": run is not None, "seconds": time.perf_counter() - t_round})
        new = set()
        if run is None and typical_days and rounds < MAX_ADD_ROUNDS:
            new, lookback = days_to_add(short_days, own_days, lookback)
        reused = None
        if held and (run is not None or not new):
            # the fleets held serve every year (or no day is left to add): sized in full, from it (on its model)
            held, reused = False, held_model if root_near_plan(stats) else None
            continue
        if not new:
            break
        own_days |= new
        added, rounds, scs = len(own_days), rounds + 1, None
        fleets = design_fleets(mp, design)
        held = bool(fleets)  # a plant without fleets is an LP: sized in full every round
    if run is None:
        raise SolveError(f"The multi-period design sized on {typical_days} typical days cannot serve every period's "
                         f"real year:", [f"after adding {added} real day(s) a period still falls short; size on "
                                         f"more typical days (--typical-days), or over the full year "
                                         f"(--typical-days 0)"])
    result = assemble(sc, full, periods, run, stats)
    result.extra["multi_period"].update({
        "typical_days": typical_days or None, "added_real_days": added, "sizing_rounds": log,
        "npv_sizing_usd": float(stats.objective), "sizing_solver": stats.to_dict(),
        "timings_s": {**timings, "total": time.perf_counter() - t0}})
    if baseline:
        add_periods_baseline(result, sc, years, mp.cost)
    return result


def size_periods(scs: list[Scenario], periods: list[PeriodSpan], opts: SolveOptions, progress: ProgressFn | None,
                 previous: Design | None, full: list[Scenario],
                 reused: tuple[MultiPeriod, HighsModel] | None = None) -> tuple[MultiPeriod, Design, SolverStats]:
    """The multi-period MILP on these period inputs, its branch and bound started from `previous`; rebuilt with
    integer vintages if its vintages come back fractional (build_periods). SolveError if it has no plan.

    `reused`: the model of these inputs holding the optimum of `previous`'s fleets held (size_holding_fleets): not
    rebuilt, and its search reads the start from that optimum and starts the root from it (solve_bnb:
    fixed_start)."""
    for integer_vintages in (False, True):
        fixed_start = reused is not None and not integer_vintages
        if fixed_start:
            mp, hm = reused
        else:
            mp = build_periods(scs, periods, integer_vintages)
            hm = HighsModel(mp.m)
        stats = solve_model(hm, opts, progress, start=start_vector(mp, hm, previous, opts), fixed_start=fixed_start)
        if stats.objective is None:
            raise SolveError(f"The multi-period model has no plan ({stats.status}):",
                             explain_periods(full, opts) or [
                                 "no single period's requirement could be named; check the periods' changes "
                                 "together (e.g. a minimum build that a later period's limits cannot hold)"])
        design = read_design(mp)
        if design is not None:
            break
    return mp, design, stats


def root_near_plan(stats: SolverStats) -> bool:
    """Whether a branch and bound's root LP optimum was within REUSE_ROOT_GAP of its plan's NPV."""
    if stats.root_bound_usd is None or stats.objective is None:
        return False
    return stats.root_bound_usd - stats.objective <= REUSE_ROOT_GAP * abs(stats.objective)


def size_holding_fleets(scs: list[Scenario], periods: list[PeriodSpan], opts: SolveOptions,
                        fleets: dict[tuple[int, str], float]) -> tuple[MultiPeriod, HighsModel, Design | None]:
    """The multi-period model with each fleet's units in service held per period (`fleets`, design_fleets): an LP
    that re-sizes the continuous plant on these inputs. (model, its HiGHS instance, design), the design None if
    the LP has no plan or its vintages are not whole. The instance comes back a MILP again (the fleets free),
    holding the LP's optimal basis: size_periods goes on from it."""
    mp = build_periods(scs, periods)
    hm = HighsModel(mp.m)
    held = [(hm.col_index[id(mp.blocks[p].ctx.new[k])], units) for (p, k), units in fleets.items()
            if id(mp.blocks[p].ctx.new[k]) in hm.col_index]
    with hm.columns_held([i for i, _ in held], [units for _, units in held]):
        solved = solve_model(hm, opts).status == "optimal"
    return mp, hm, read_design(mp) if solved else None  # (freeing the fleets' bounds keeps HiGHS's basis)


def design_fleets(mp: MultiPeriod, design: Design) -> dict[tuple[int, str], float]:
    """(period, decision) -> a fleet's units in service in each period of `design` (the model's integers)."""
    integer = [d.var for _t, d in decisions(mp.scs[0]) if d.integer]
    return {(p, k): design.in_service(p).get(k, 0.0) for p in range(len(mp.periods)) for k in integer}


def explain_periods(full: list[Scenario], opts: SolveOptions) -> list[str]:
    """Why the multi-period model has no plan: each period's own diagnosis (planner/solve/elastic.py), named by its
    start year; empty when every period alone has a plan."""
    from planner.solve import diagnose

    out = []
    for sc, span in zip(full, spans(full[0]), strict=True):
        out += [f"in the period starting in {span.start_year}: {reason}" for reason in diagnose(sc, opts) or []]
    return out


def start_vector(mp: MultiPeriod, hm: HighsModel, previous: Design | None, opts: SolveOptions):
    """The last round's design as the branch and bound's first incumbent (its vintages' integer columns), or
    None (first round, or a model HiGHS's own MIP solves)."""
    from planner.solve import choose_strategy

    if previous is None or not hm.is_mip or choose_strategy(hm, opts) != "bnb":
        return None
    x = np.zeros(hm.n_cols)
    for key, var in mp.x.items():
        if id(var) in hm.col_index:
            x[hm.col_index[id(var)]] = previous.x[key]
    for p, b in enumerate(mp.blocks):  # the units in service, where the fleets' integers are
        for k, v in previous.in_service(p).items():
            var = b.ctx.new[k]
            if id(var) in hm.col_index:
                x[hm.col_index[id(var)]] = v
    return x


def with_changes(year: Scenario, sc: Scenario) -> list[Scenario]:
    """A copy of `year` (the workbook's, or its typical days: the same days for every period) per period of `sc`,
    with the period's changes applied."""
    out = []
    for changes in period_changes(sc):
        p = year.copy()
        for name, value in changes.items():
            set_param(p, name, value)
        out.append(p)
    return out


class FullYears:
    """Each period's full-year model, built once (its new sizes free columns) and re-solved for each design with
    those columns fixed by their bounds, hot from the basis the last design left (an LP each)."""

    def __init__(self, full: list[Scenario], periods: list[PeriodSpan], opts: SolveOptions):
        self.full, self.periods, self.opts = full, periods, opts
        self.models: dict[int, tuple[Built, HighsModel]] = {}
        self.checks: dict[int, YearCheck] = {}

    def solve(self, p: int, fixed: dict[str, float]) -> Result | None:
        """Period p's year with these new sizes (None: it cannot be served)."""
        if p not in self.models:
            b = operating_block(self.full[p], self.periods[p])
            hm = HighsModel(b.m)
            hm.relax_integers()
            self.models[p] = (b, hm)
        b, hm = self.models[p]
        hm.fix_columns([(b.ctx.new[k], v) for k, v in fixed.items()])
        stats = solve_model(hm, self.opts)
        if stats.objective is None:
            return None
        if stats.status != "optimal":  # an LP stopped early (time limit): its value is no period's value
            raise SolveError(f"The full-year re-dispatch of the period starting in {self.periods[p].start_year} "
                             f"stopped before its optimum ({stats.status}); raise --time-limit")
        return extract(b, stats)

    def short_days(self, p: int, fixed: dict[str, float]) -> set[int]:
        """The days of period p's year the design falls short in (the elastic model, planner/solve/elastic.py)."""
        if p not in self.checks:
            self.checks[p] = YearCheck(self.full[p], self.opts)
        short = self.checks[p].shortfall_mw(fixed)
        return set() if short is None else short_days(short)


def value_design(years: FullYears, design: Design, cost: dict[Vintage, float], explain: bool = True
                 ) -> tuple[PeriodRun | None, set[int]]:
    """Each period's full year re-dispatched with its sizes fixed; (the run, {}) or, if some period cannot be
    served, (None, the days it falls short in; with `explain` only)."""
    results, short_days = [], set()
    for p in range(len(years.periods)):
        fixed = design.in_service(p)
        r = years.solve(p, fixed)
        if r is None and explain:
            short_days |= years.short_days(p, fixed)
        results.append(r)
    if any(r is None for r in results):
        return None, short_days
    capital = design.capital_pv_usd(cost)
    return PeriodRun(design, results, float(sum(r.npv_usd for r in results)) - capital, capital), set()


def period_lines(full: list[Scenario], periods: list[PeriodSpan], run: PeriodRun) -> dict[str, np.ndarray]:
    """Each stream's cash flow by year 0..N: in period p's years, its representative amount in p x f_p(y)."""
    n = full[0].finance.analysis_years
    lines: dict[str, np.ndarray] = {}
    for r, span in zip(run.results, periods, strict=True):
        traj = trajectories(r.scenario.finance, price_paths(r.scenario))
        for name, (kind, amount) in r.annual.items():
            line = lines.setdefault(name, np.zeros(n + 1))
            line[span.years] += amount * traj[kind][span.years - 1]
    return lines


def period_proforma(full: list[Scenario], periods: list[PeriodSpan], run: PeriodRun):
    """The whole life's pro-forma: the periods' operating lines and every vintage's capital schedule."""
    n = len(periods)
    schedules = []
    for t, d in decisions(full[0]):
        for q in range(n):
            for leaves in ways_of_leaving(d, q, n):
                units = leaving_units(run.design.x, Vintage(d.var, q, leaves), n)
                if abs(units) > 1e-12:
                    schedules += [(tech, s, units) for tech, s in vintage_schedules(full, periods, t, d, q, leaves)]
    fin = full[0].finance
    lines = period_lines(full, periods, run)
    generators = [t for t in active(full[0]) if t.generation]
    keys = {f.energy_key for t in generators for f in t.flows if f.generation and f.energy_key}
    gen = np.zeros(fin.analysis_years)
    for r, span in zip(run.results, periods, strict=True):
        gen[span.years - 1] = sum(r.energy_mwh.get(k, 0.0) for k in keys)
    return proforma(fin, {}, {}, [], generation_mwh=gen, lines=lines, schedules=schedules,
                    generation_cost_items=tuple(t.name for t in generators),
                    generation_cost_streams=tuple(s.name for t in generators for s in t.streams(full[0]))), lines


def assemble(sc: Scenario, full: list[Scenario], periods: list[PeriodSpan], run: PeriodRun, stats: SolverStats
             ) -> Result:
    """The plan's Result: the first period's pages (dispatch, energy, sizes), the whole life's NPV, pro-forma,
    capex and cash-flow model, and every period's figures (`extra["periods"]`)."""
    pf, lines = period_proforma(full, periods, run)
    changes = period_changes(sc)
    entries = [period_dict(full, periods, run, p, changes[p]) for p in range(len(periods))]
    operating = [r.npv_usd for r in run.results]  # before the first period's Result becomes the plan's
    solvers = [r.solver.to_dict() for r in run.results]
    result = run.results[0]
    result.scenario = sc
    result.npv_usd = run.npv_usd
    result.proforma = pf
    result.solver = stats
    # the year-0 purchases, as a single-period plan's capex (each period's own purchases: periods[p].capex_usd)
    result.capex_by_technology_usd = {name[len("capex_"):]: float(-pf.table.loc[name, 0])
                                      for name in pf.table.index if name.startswith("capex_")}
    result.capex_usd = float(sum(result.capex_by_technology_usd.values()))
    result.marginal_units = {}
    result.binding_limits = []
    kinds = {name: kind for r in run.results for name, (kind, _v) in r.annual.items()}
    result.annual = {name: (kinds[name], run.results[0].annual.get(name, (None, 0.0))[1]) for name in lines}
    result.extra["cash_flow_model"] = live_model(sc, lines, pf)
    result.extra["periods"] = entries
    result.extra["multi_period"] = {
        "periods": len(periods), "npv_usd": run.npv_usd, "capital_pv_usd": run.capital_pv_usd,
        "operating_pv_usd": operating,
        "full_year_solvers": solvers,
        "notes": ["The plan's dispatch pages show the first period's year; every period's sizes, energy and "
                  "revenue are on the Periods sheet, and the pro-forma spans the whole life.",
                  "Marginal units and binding limits are single-period questions: not computed for a "
                  "multi-period plan."]}
    return result


def live_model(sc: Scenario, lines: dict[str, np.ndarray], pf) -> dict:
    """The cash-flow model the report's live Assumptions sheet rebuilds (Result.cash_flow_model): each stream
    as its largest yearly amount times its own path (its cash flow by year over that amount), so the live
    pro-forma reproduces the periods' lines and still scales each stream with its driving input."""
    drivers = {s.name: s.driver for _t, s in streams(sc)}
    n = sc.finance.analysis_years
    top = {name: float(np.max(np.abs(line))) or 1.0 for name, line in lines.items()}
    return {"streams": {name: {"kind": f"period:{name}", "usd_year1": top[name], "driver": drivers.get(name, "")}
                        for name in lines},
            "price_paths": {f"period:{name}": [float(x) / top[name] for x in line[1:n + 1]]
                            for name, line in lines.items()},
            "capital_by_technology_usd": pf.capital_by_technology}


def period_dict(full: list[Scenario], periods: list[PeriodSpan], run: PeriodRun, p: int,
                changes: dict[str, float]) -> dict:
    """One period's entry of summary.json `periods`: sizes in service, built and retired, energy and revenue of
    its year, the PV of its operating cash flows, its purchases and the inputs it changes."""
    r, span = run.results[p], periods[p]
    sc = full[p]
    _, built, _ = size_table(sc, run.design.built(p))
    _, retired, _ = size_table(sc, run.design.retired(p))
    capex = 0.0
    for t, d in decisions(sc):
        units = run.design.x[d.var, p, p]
        if units:
            capex += units * sum(s["invest"][span.first - 1] for _tech, s in
                                 vintage_schedules(full, periods, t, d, p, None))
    return {"start_year": span.start_year, "first_year": span.first, "last_year": span.last,
            "sizes": r.sizes, "sizes_new": built, "sizes_retired": retired, "capex_usd": capex,
            "energy_mwh": r.energy_mwh, "revenue_usd_per_year": {k: v for k, (_, v) in r.annual.items()},
            "npv_operating_usd": r.npv_usd, "new_sizes": run.design.in_service(p),
            "changes": changes}


def add_periods_baseline(result: Result, sc: Scenario, years: FullYears, cost: dict[Vintage, float]) -> None:
    """The do-nothing baseline over the periods (existing assets and the minimum builds, each period's year
    re-dispatched) and the investment over it."""
    from planner.economics import Baseline, investment

    t0 = time.perf_counter()
    design = minimum_design(years.full)
    run, _short = value_design(years, design, cost, explain=False)
    if run is None:
        result.baseline = Baseline("infeasible", reason="the existing assets and the minimum builds cannot serve "
                                   "every period's year",
                                   new_sizes=design.in_service(0), seconds=time.perf_counter() - t0)
    else:
        pf, lines = period_proforma(years.full, years.periods, run)
        result.baseline = Baseline("optimal", npv_usd=run.npv_usd, proforma_npv_usd=pf.npv_usd,
                                   net_cash_flow_usd=[float(x) for x in pf.table.loc["net_cash_flow"]],
                                   revenue_usd_per_year={k: v for k, (_, v) in run.results[0].annual.items()},
                                   new_sizes=design.in_service(0), energy_mwh=dict(run.results[0].energy_mwh),
                                   seconds=time.perf_counter() - t0, cash_flow_model=live_model(sc, lines, pf))
    result.investment = investment(result.npv_usd, result.proforma.table.loc["net_cash_flow"].to_numpy(),
                                   result.baseline, sc.finance)
    result.extra.setdefault("timings_s", {})["baseline"] = time.perf_counter() - t0
