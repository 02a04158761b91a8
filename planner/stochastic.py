"""Two-stage stochastic sizing: one design for all price scenarios, each scenario its own dispatch.

The extensive form (docs/formulation.md, (S1)-(S4)) holds one copy of the deterministic model per scenario
(planner/model.py: build, on that scenario's inputs), each a Pyomo block with its objective switched off. The
first scenario's new-size variables are the first-stage decisions; every other scenario's are tied to them
(S1) and made continuous, so the branch and bound still sees only the few sizing integers. The objective is
(1 - lambda) E[NPV] + lambda CVaR_alpha[NPV] (S2), CVaR in Rockafellar and Uryasev's linear form (S3, S4).
Dispatch is second stage: each scenario runs its own hours, so mining can stop where its prices say so.

The answer is valued as the deterministic path values a typical-day design: each scenario's full year is
re-dispatched with the design fixed (an LP per scenario; one model built and re-priced in place when the
scenarios change only prices). The same is done for the expected-value design (the deterministic optimum of
the mean scenario) and for each scenario's own optimum (perfect information), which give VSS and EVPI;
and for the stochastic optimum without new builds of each flexible technology (`spec.Technology.hedge`),
which gives its value as a hedge. Conventions: docs/uncertainty.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from typing import Protocol

import numpy as np
import pyomo.core as pyo

from planner import risk
from planner.errors import SolveError
from planner.model import Built, build, fix_sizes
from planner.scenario.params import set_param
from planner.scenario.scenario import Scenario
from planner.scenario.uncertainty import expected_changes
from planner.solve import HighsModel, SolveOptions, YearCheck, diagnose, reprice, solve_model
from planner.technologies import decisions, for_typical_days, hedges, reprice_only

DEFAULT_TYPICAL_DAYS = 48  # the stochastic model's days per scenario when none are asked for (docs/uncertainty.md)
Progress = Callable[[str], None]


class ScenarioLike(Protocol):
    """A scenario of the uncertainty (planner/scenario/uncertainty.py: UncertainScenario)."""

    name: str
    probability: float
    changes: dict[str, float]


@dataclass(frozen=True)
class Settings:
    """How the stochastic plan is chosen and what is valued besides it."""

    risk_aversion: float = 0.0  # lambda of (S2): 0 = expected NPV, 1 = CVaR only
    cvar_alpha: float = 0.1  # the worst share of outcomes whose mean is the CVaR
    typical_days: int | None = DEFAULT_TYPICAL_DAYS  # None: every scenario over the full year
    expected_value: bool = True  # value the expected-value design (VSS)
    perfect_information: bool = True  # solve each scenario alone (EVPI)
    flexibility: bool = True  # re-solve without each flexible technology (value as a hedge)
    # auto | extensive | benders: how the two-stage model is solved; auto = the extensive form for one scenario (it is
    # the deterministic model), Benders for more (west_texas, 48 days: 5 scenarios 33 s vs 49 s; docs/stochastic.md)
    method: str = "auto"
    workers: int = 1  # local processes for the scenarios' own optima (planner/sensitivity.py: run_cases)
    dask: str | None = None  # or a Dask scheduler's address for them


@dataclass
class Extensive:
    """The built extensive form: the parent model, one Built block per scenario, the probabilities."""

    m: pyo.ConcreteModel
    blocks: list[Built]
    probabilities: list[float]


@dataclass
class DesignValue:
    """One design valued over the scenarios (full-year NPV each) and its distribution's figures."""

    new_sizes: dict[str, float]
    npv_usd: list[float]
    figures: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, float] = field(default_factory=dict)
    sizes_new: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**self.figures, "new_sizes": self.new_sizes, "sizes": self.sizes, "sizes_new": self.sizes_new}


def scenario_inputs(base: Scenario, scens: list[ScenarioLike]) -> list[Scenario]:
    """A copy of `base` per scenario with its changes applied (planner/scenario/params.py: set_param)."""
    out = []
    for s in scens:
        sc = base.copy()
        for name, value in s.changes.items():
            set_param(sc, name, value)
        out.append(sc)
    return out


def build_extensive(scs: list[Scenario], probabilities: list[float], risk_aversion: float = 0.0,
                    cvar_alpha: float = 0.1, hold: dict[str, float] | None = None) -> Extensive:
    """The extensive form over these scenario inputs (S1)-(S4); `hold`: new sizes fixed in every scenario."""
    m = pyo.ConcreteModel(name="stochastic")
    blocks = []
    for k, sc in enumerate(scs):
        b = build(sc)
        b.m.objective.deactivate()
        m.add_component(f"scenario_{k}", b.m)
        blocks.append(b)
    first = blocks[0].ctx.new
    pairs = []
    for k, b in enumerate(blocks[1:], start=1):
        for name, var in b.ctx.new.items():
            var.domain = pyo.NonNegativeReals  # integral through (S1): the first stage carries the integer
            pairs.append((k, name))
    m.nonanticipativity = pyo.Constraint(  # (S1)
        pairs, rule=lambda _m, k, name: blocks[k].ctx.new[name] == first[name])
    for b in blocks:
        fix_sizes(b.m, hold or {})
    npv = [b.m.npv_usd for b in blocks]
    expected = pyo.quicksum(p * v for p, v in zip(probabilities, npv, strict=True))
    if risk_aversion > 0:
        n = len(blocks)
        m.var_npv_usd = pyo.Var()  # eta of (S3): the NPV at the alpha quantile, at the optimum
        m.shortfall_usd = pyo.Var(range(n), domain=pyo.NonNegativeReals)
        m.shortfall = pyo.Constraint(range(n), rule=lambda _m, k: m.shortfall_usd[k] >= m.var_npv_usd - npv[k])  # (S4)
        cvar = m.var_npv_usd - 1.0 / cvar_alpha * pyo.quicksum(p * m.shortfall_usd[k]
                                                              for k, p in enumerate(probabilities))  # (S3)
        m.objective = pyo.Objective(expr=(1 - risk_aversion) * expected + risk_aversion * cvar,
                                    sense=pyo.maximize)  # (S2)
    else:
        m.objective = pyo.Objective(expr=expected, sense=pyo.maximize)  # (S2), lambda = 0
    return Extensive(m=m, blocks=blocks, probabilities=list(probabilities))


def solve_extensive(ext: Extensive, opts: SolveOptions, progress=None):
    """Solve the extensive form; (design: new-size variable -> value, solver stats, NPV of each block)."""
    hm = HighsModel(ext.m)
    stats = solve_model(hm, opts, progress)
    if stats.objective is None:
        sc = ext.blocks[0].ctx.sc
        if stats.status in ("infeasible", "infeasible_or_unbounded"):
            raise SolveError("No feasible plan exists for the scenarios:", diagnose(sc, opts) or [
                "a design that serves every scenario does not exist; no single requirement could be named"])
        raise SolveError(f"The stochastic model has no plan: {stats.status} ({stats.termination})")
    first = ext.blocks[0]
    design = {}
    for name, var in first.ctx.new.items():
        value = float(pyo.value(var))
        design[name] = float(round(value)) if var.is_integer() else value
    return design, stats, [float(pyo.value(b.m.npv_usd)) for b in ext.blocks]


def two_stage(scs: list[Scenario], probs: list[float], settings: Settings, opts: SolveOptions,
              hold: dict[str, float] | None = None):
    """The two-stage model solved by the settings' method: (design, solver stats, each scenario's NPV)."""
    if settings.method == "benders" or (settings.method == "auto" and len(scs) > 1):
        return solve_decomposed(scs, probs, opts, settings.risk_aversion, settings.cvar_alpha, hold)
    return solve_extensive(build_extensive(scs, probs, settings.risk_aversion, settings.cvar_alpha, hold), opts)


def integer_decisions(sc: Scenario) -> list[str]:
    """The new-size decisions that are integer fleets."""
    return [d.var for _t, d in decisions(sc) if d.integer]


def solve_decomposed(scs: list[Scenario], probabilities: list[float], opts: SolveOptions, risk_aversion: float = 0.0,
                     cvar_alpha: float = 0.1, hold: dict[str, float] | None = None):
    """The two-stage model by Benders decomposition (planner/solve/benders.py), one LP per scenario; the same
    return as solve_extensive. A design some scenario cannot serve falls back to the extensive form."""
    from planner.solve import SolverStats
    from planner.solve.benders import Scenario as Sub
    from planner.solve.benders import solve_benders
    from planner.solve.highs_model import INF

    builds = [build(sc) for sc in scs]
    for b in builds:
        fix_sizes(b.m, hold or {})
    hms = [HighsModel(b.m) for b in builds]
    free = [k for k, v in builds[0].ctx.new.items() if not v.fixed]
    first = [builds[0].ctx.new[k] for k in free]
    lb = np.array([-INF if v.lb is None else v.lb for v in first], dtype=float)
    ub = np.array([INF if v.ub is None else v.ub for v in first], dtype=float)
    integer = np.array([v.is_integer() for v in first], dtype=bool)
    subs = [Sub(hm.h, np.array([hm.col_index[id(b.ctx.new[k])] for k in free], dtype=np.int32), hm.scale)
            for b, hm in zip(builds, hms, strict=True)]
    checks: dict[int, YearCheck] = {}  # scenario -> its elastic model, built when a design falls short there

    def feasibility(k: int, x: np.ndarray):
        if k not in checks:
            checks[k] = YearCheck(scs[k], dc_replace(opts, threads=None))  # HiGHS's threads are set once per process
            fix_sizes(checks[k].built.m, hold or {})
        return checks[k].cut(dict(zip(free, map(float, x), strict=True)), free)

    rows = first_stage_rows(builds[0].m, first)
    r = solve_benders(subs, probabilities, lb, ub, integer, opts, risk_aversion, cvar_alpha, feasibility, rows)
    if r.status in ("not_complete_recourse", "infeasible"):
        return solve_extensive(build_extensive(scs, probabilities, risk_aversion, cvar_alpha, hold), opts)
    design = {k: float(getattr(v, "value", None) or 0.0) for k, v in builds[0].ctx.new.items() if v.fixed}
    design.update({k: float(x) for k, x in zip(free, r.x, strict=True)})
    stats = SolverStats(status=r.status, termination=f"Benders decomposition, {r.iterations} iterations",
                        objective=r.objective_usd, bound=r.bound_usd, mip_gap=r.mip_gap, seconds=r.seconds,
                        nodes=r.iterations, solver="HiGHS (LP) + planner Benders decomposition")
    return design, stats, r.values_usd


def first_stage_rows(m: pyo.ConcreteModel, first: list) -> list[tuple[float, np.ndarray, np.ndarray, float]]:
    """The model's rows among the design variables alone (a battery's duration, land, the capex budget), as
    (lower, columns in `first`'s order, coefficients, upper) for the master (a variable with lb == ub counts
    as that constant)."""
    from pyomo.core.expr.visitor import identify_variables
    from pyomo.repn import generate_standard_repn

    from planner.solve.highs_model import INF

    index = {id(v): i for i, v in enumerate(first)}
    out = []
    for con in m.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        if con.parent_component().is_indexed():
            continue
        others = [v for v in identify_variables(con.body, include_fixed=False) if id(v) not in index]
        if any(v.lb is None or v.ub is None or v.lb != v.ub for v in others):
            continue
        for v in others:
            v.fix(v.lb)
        repn = generate_standard_repn(con.body, compute_values=True, quadratic=False)
        for v in others:
            v.unfix()
        cols = np.array([index[id(v)] for v in repn.linear_vars], dtype=np.int32)
        coef = np.array(repn.linear_coefs, dtype=float)
        const = float(repn.constant)
        lo = -INF if con.lb is None else float(pyo.value(con.lb)) - const
        hi = INF if con.ub is None else float(pyo.value(con.ub)) - const
        if len(cols):
            out.append((lo, cols, coef, hi))
    return out


def value_design(base: Scenario, design: dict[str, float], scs: list[Scenario], opts: SolveOptions,
                 changed: set[str]) -> list[float]:
    """Full-year NPV of the design in each scenario (an LP each, the design fixed); `changed`: the dotted names
    the scenarios change.

    When every scenario differs from `base` by prices only (planner/technologies: reprice_only), one model is
    built with the design fixed and re-priced in place for each scenario, each LP going on from the last
    basis; otherwise each scenario is built and solved on its own. A scenario the design cannot serve raises
    SolveError naming it.
    """
    from planner.run import optimise

    out = []
    if all(reprice_only(n, base) for n in changed):
        built = build(base.copy())
        fix_sizes(built.m, design)
        hm = HighsModel(built.m)
        for k, sc in enumerate(scs):
            reprice(built, hm, sc)
            stats = solve_model(hm, opts)
            if stats.objective is None or stats.status != "optimal":
                raise _unserved(k, stats.status)
            out.append(float(stats.objective))
        return out
    for k, sc in enumerate(scs):
        try:
            out.append(optimise(sc, opts, marginals=False, fixed=design).npv_usd)
        except SolveError as e:
            raise _unserved(k, str(e)) from None
    return out


def _unserved(k: int, why: str) -> SolveError:
    return SolveError(f"The design cannot serve the full year of scenario {k + 1}:", [
        f"its re-dispatch ended '{why}'; solve the scenarios over the full year (no --typical-days) or on more "
        f"typical days"])


def sizing_inputs(base: Scenario, scens: list[ScenarioLike], typical_days: int | None) -> list[Scenario]:
    """Each scenario's inputs for the extensive form: on `base`'s typical days (one selection for all), or the
    full year. The changes are applied after the aggregation (docs/uncertainty.md)."""
    if typical_days:
        from planner.scenario.typical import aggregate

        return scenario_inputs(aggregate(for_typical_days(base), typical_days), scens)
    return scenario_inputs(base, scens)


def stochastic_plan(base: Scenario, scens: list[ScenarioLike], settings: Settings, opts: SolveOptions,
                    progress: Progress | None = None):
    """Size `base` under the scenarios and value the answer: (the summary.json "stochastic" block, the design
    re-dispatched over `base`'s own year when sized on typical days, else None).

    On typical days the extensive form takes the place of the deterministic sizing in the typical-day loop
    (planner/run.py: optimise_typical), so days the design cannot serve join the model as they do there.
    """
    from planner.errors import UsageError
    from planner.scenario.periods import multi_period

    if multi_period(base):
        raise UsageError("a stochastic plan over investment periods is not offered yet: run the Periods sheet "
                         "deterministically, or the stochastic plan on a single-period workbook (docs/periods.md)")
    from planner.periods import single_period_inputs

    base = single_period_inputs(base)  # one period that changes inputs: the one-year model with them applied
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    probs = [float(s.probability) for s in scens]
    full = scenario_inputs(base, scens)
    changed = {n for s in scens for n in s.changes}
    timings: dict[str, float] = {}

    def stochastic_design(hold: dict[str, float] | None = None):
        """The extensive form's design valued over the scenarios' full years, its solver stats, and (on typical
        days) the design re-dispatched over `base`'s year."""
        t = time.perf_counter()
        if settings.typical_days is None:
            design, stats, npv = two_stage(full, probs, settings, opts, hold)
            timings["extensive_form"] = timings.get("extensive_form", 0.0) + time.perf_counter() - t
            return DesignValue(design, npv, risk.figures(npv, probs, settings.cvar_alpha)), stats, None
        from planner.run import optimise_typical

        solved = []

        def size(reduced: Scenario) -> _Sizing:
            design, stats, _npv = two_stage(scenario_inputs(reduced, scens), probs, settings, opts, hold)
            solved.append(stats)
            return _Sizing(design, integer_decisions(reduced), float(stats.objective), stats)

        on_base = optimise_typical(base, settings.typical_days, opts, None, marginals=False, size=size)
        timings["extensive_form"] = timings.get("extensive_form", 0.0) + time.perf_counter() - t
        t = time.perf_counter()
        design = dict(on_base.new_sizes)
        npv = value_design(base, design, full, opts, changed)
        timings["evaluation"] = timings.get("evaluation", 0.0) + time.perf_counter() - t
        return DesignValue(design, npv, risk.figures(npv, probs, settings.cvar_alpha)), solved[-1], on_base

    say(f"stochastic: {len(scens)} scenario(s), "
        f"{'the full year' if settings.typical_days is None else f'{settings.typical_days} typical days'} each ...")
    sto, stats, on_base = stochastic_design()
    block = {"risk_aversion": settings.risk_aversion, "cvar_alpha": settings.cvar_alpha,
             "typical_days": settings.typical_days, "full_year_check": True, **sto.figures,
             "design": sto.to_dict(), "solver": {"status": stats.status, "mip_gap": stats.mip_gap,
                                                 "seconds": stats.seconds}}
    ev = pi = None
    if settings.expected_value:
        say("stochastic: the expected-value design (the mean scenario's deterministic optimum) ...")
        ev = expected_value_design(base, scens, probs, settings, opts, full, timings)
        ev.figures = risk.figures(ev.npv_usd, probs, settings.cvar_alpha)
    if settings.perfect_information:
        say("stochastic: each scenario's own optimum (perfect information) ...")
        t = time.perf_counter()
        pi, why = own_optima(base, scens, settings, opts)
        timings["perfect_information"] = time.perf_counter() - t
        if why:
            block["evpi_not_computed"] = why
    block["ev_design"] = None if ev is None else ev.to_dict()
    block["vss_usd"] = None if ev is None else sto.figures["expected_npv_usd"] - ev.figures["expected_npv_usd"]
    block["evpi_usd"] = None if pi is None else risk.expected(pi, probs) - sto.figures["expected_npv_usd"]
    flex: dict[str, float | None] = {t.name: None for t in _hedge_technologies()}
    if settings.flexibility:
        for tech, hold in hedges(base):
            say(f"stochastic: the design without new {tech.label.lower()} ...")
            without, _, _ = stochastic_design(hold)
            flex[tech.name] = sto.figures["expected_npv_usd"] - without.figures["expected_npv_usd"]
    block["value_of_flexibility_usd"] = flex
    block["scenarios"] = [
        {"name": s.name, "probability": p, "changes": dict(s.changes), "npv_usd": sto.npv_usd[k],
         "ev_design_npv_usd": None if ev is None else ev.npv_usd[k],
         "perfect_information_npv_usd": None if pi is None else pi[k]}
        for k, (s, p) in enumerate(zip(scens, probs, strict=True))]
    block["timings_s"] = {**timings, "total": time.perf_counter() - t0}
    return block, on_base


def expected_value_design(base: Scenario, scens: list[ScenarioLike], probs: list[float], settings: Settings,
                          opts: SolveOptions, full: list[Scenario], timings: dict[str, float]) -> DesignValue:
    """The deterministic optimum of the mean scenario (every changed input at its probability-weighted mean),
    valued over the scenarios."""
    from planner.run import optimise

    t = time.perf_counter()
    mean = expected_changes(base, scens)
    sc = scenario_inputs(base, [_Changes(mean)])[0]
    r = optimise(sc, opts, marginals=False, typical_days=settings.typical_days)
    timings["expected_value"] = time.perf_counter() - t
    t = time.perf_counter()
    npv = value_design(base, r.new_sizes, full, opts, {n for s in scens for n in s.changes})
    timings["evaluation"] = timings.get("evaluation", 0.0) + time.perf_counter() - t
    return DesignValue(dict(r.new_sizes), npv, sizes=dict(r.sizes), sizes_new=dict(r.sizes_new))


@dataclass
class _Sizing:
    """The extensive form's answer as the typical-day loop reads a sizing (planner/run.py: Sizing)."""

    new_sizes: dict[str, float]
    integer_new_sizes: list[str]
    npv_usd: float
    solver: object


@dataclass
class _Changes:
    changes: dict[str, float]
    name: str = "expected value"
    probability: float = 1.0


def own_optima(base: Scenario, scens: list[ScenarioLike], settings: Settings, opts: SolveOptions):
    """Each scenario's deterministic optimum (its typical-day design re-dispatched over its full year), in
    parallel processes or on Dask (planner/sensitivity.py: run_cases); (NPVs, None) or (None, why not)."""
    from planner.sensitivity import Case, run_cases

    cases = [Case(k, dict(s.changes), s.name) for k, s in enumerate(scens)]
    results = run_cases(base, cases, opts, workers=settings.workers, dask=settings.dask,
                        typical_days=settings.typical_days, warm=False)
    failed = [r for r in results if r.status != "ok" or r.npv_usd is None]
    if failed:
        return None, f"scenario {failed[0].label!r} has no optimum of its own: {failed[0].reason}"
    return [float(r.npv_usd) for r in results], None


def _hedge_technologies():
    from planner.technologies import REGISTRY

    return [t for t in REGISTRY if t.hedge]




def optimise_stochastic(sc: Scenario, scens: list[ScenarioLike], settings: Settings, opts: SolveOptions,
                        progress: Progress | None = None):
    """The stochastic plan as a Result: its design re-dispatched over the workbook's own year (the plan's pages,
    dispatch.csv, the pro-forma and the do-nothing baseline), with summary.json's "stochastic" block."""
    from planner.periods import single_period_inputs
    from planner.run import add_baseline, optimise

    sc = single_period_inputs(sc)  # several periods: refused by stochastic_plan
    block, result = stochastic_plan(sc, scens, settings, opts, progress)
    if result is None:
        result = optimise(sc, opts, marginals=False, fixed=block["design"]["new_sizes"])
    add_baseline(result, sc, opts)
    block["design"] = {**block["design"], "sizes": dict(result.sizes), "sizes_new": dict(result.sizes_new)}
    result.extra["stochastic"] = block
    return result


__all__ = ["DEFAULT_TYPICAL_DAYS", "Settings", "build_extensive", "optimise_stochastic",
           "scenario_inputs", "solve_extensive", "stochastic_plan", "value_design"]
