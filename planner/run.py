"""The pipeline behind `planner run`: build, solve, diagnose, extract, marginal units, write outputs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from planner.economics import PLAN, Baseline, investment
from planner.errors import SolveError
from planner.limits import binding_limits
from planner.model import Built, build, fix_sizes
from planner.results import Result, extract, scenario_dict
from planner.scenario.scenario import Scenario
from planner.solve import (
    HighsModel,
    ProgressFn,
    SolveOptions,
    SolverStats,
    YearCheck,
    diagnose,
    evaluate_designs,
    held_basis,
    lp_duals,
    solve_model,
)
from planner.technologies import decisions, for_typical_days, section, unlimited


def optimise(sc: Scenario, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
             marginals: bool = True, typical_days: int | None = None, fixed: dict[str, float] | None = None,
             baseline: bool = False) -> Result:
    """Solve one scenario and return its results; SolveError (with a diagnosis) if there is no plan.

    A workbook of several investment periods is planned by planner/periods.py: optimise_periods (on 48 typical
    days unless `typical_days` says otherwise, 0 = full years; no `fixed`, no marginal units).
    With `typical_days`, the plant is sized on that many typical days (plus extreme days) and the
    sizes are then fixed and re-dispatched over the full year, whose NPV is the answer. With `fixed`
    (new-size variable -> value), those sizes are held and the rest re-optimised (a design evaluated).
    `marginals`: the value of one integer unit more or less and of relaxing each binding limit (duals).
    `baseline`: also value the do-nothing plan over the full year and the investment over it (one LP).
    """
    opts = opts or SolveOptions()
    from planner.scenario.periods import multi_period

    if multi_period(sc):  # a Periods sheet of several periods: the multi-period plan (planner/periods.py)
        from planner.periods import DEFAULT_TYPICAL_DAYS, optimise_periods

        if fixed is not None:
            raise SolveError("A design held fixed is a single-period question:", [
                "this workbook plans several investment periods (its Periods sheet); hold a design on a workbook "
                "of one period"])
        days = DEFAULT_TYPICAL_DAYS if typical_days is None else typical_days
        return optimise_periods(sc, opts, progress, typical_days=days or None, baseline=baseline)
    from planner.periods import single_period_inputs

    sc = single_period_inputs(sc)  # one period that changes inputs: the one-year model with them applied
    if fixed is not None:
        result = _optimise(sc, opts, progress, marginals, fixed=fixed)
    elif typical_days:
        result = optimise_typical(sc, typical_days, opts, progress, marginals)
    else:  # the baseline on the plan's own instance (evaluate_baseline: `on`)
        result = _optimise(sc, opts, progress, marginals, baseline=baseline)
    if baseline:
        add_baseline(result, sc, opts)
    return result


def baseline_design(sc: Scenario) -> dict[str, float]:
    """The do-nothing design: every new-size decision at its workbook minimum (normally zero)."""
    return {d.var: float(getattr(section(sc, t), d.min_field)) for t, d in decisions(sc)}


def evaluate_baseline(sc: Scenario, opts: SolveOptions, plan: Result | None = None,
                      on: tuple[Built, HighsModel] | None = None) -> Baseline:
    """The do-nothing plan over the scenario's year: existing assets only, new sizes at their minimum, the
    dispatch optimised (an LP). A plan that builds nothing beyond the minimums is its own baseline (no solve).

    `on`: the plan's own built model and HiGHS instance (full year, nothing fixed): the baseline is that
    instance with the new-size columns fixed at the do-nothing design, solved from scratch with presolve
    (baseline_on), instead of a second build and hand-over. Else, or if HiGHS stopped there without a solution,
    a fresh build with the sizes fixed. A baseline without a feasible dispatch (existing assets that cannot serve
    a load that must be served) is returned with its status and the diagnosis as the reason, never raised.
    """
    t0 = time.perf_counter()
    design = baseline_design(sc)
    base = None
    if plan is not None and builds_nothing(plan, design):
        base, status = plan, PLAN
    try:
        if base is None and on is not None:
            base, status = baseline_on(*on, design, opts), "optimal"
        if base is None:
            base, status = _optimise(sc, opts, None, marginals=False, fixed=design), "optimal"
    except SolveError as e:
        status = "infeasible" if "No feasible plan" in str(e) else "no_answer"
        return Baseline(status, reason=str(e), new_sizes=design, seconds=time.perf_counter() - t0)
    if base.solver.status != "optimal":  # e.g. stopped by the time limit: its NPV is no baseline
        return Baseline("no_answer", reason=f"the baseline LP stopped before its optimum ({base.solver.status}); "
                        f"raise --time-limit", new_sizes=design, seconds=time.perf_counter() - t0)
    pf = base.proforma
    return Baseline(status, npv_usd=base.npv_usd, proforma_npv_usd=pf.npv_usd,
                    net_cash_flow_usd=[float(x) for x in pf.table.loc["net_cash_flow"]],
                    revenue_usd_per_year={k: v for k, (_, v) in base.annual.items()}, capex_usd=base.capex_usd,
                    new_sizes=design, energy_mwh=dict(base.energy_mwh), seconds=time.perf_counter() - t0,
                    cash_flow_model=base.cash_flow_model())


def baseline_on(built: Built, hm: HighsModel, design: dict[str, float], opts: SolveOptions) -> Result | None:
    """The do-nothing design's full-year result on the plan's instance: its new-size columns held at `design`
    (integers relaxed: an LP), solved from scratch with presolve, extracted. SolveError with the diagnosis if it
    has no feasible dispatch; None if the instance cannot hold it (a size that is not a column, an integer
    column left free) or HiGHS stopped without a solution (a fresh build then says why). The instance's bounds
    and integrality and the Pyomo variables' plan values are put back.
    """
    m = built.m
    cols = [hm.col_index.get(id(m.component(name))) for name in design]
    if None in cols or not set(hm.integer_cols) <= set(cols):
        return None
    plan_x = np.array([v.value or 0.0 for v in hm.columns])
    try:
        with hm.columns_held(cols, list(design.values())):
            hm.h.clearSolver()  # from scratch: presolve removes what the fixed sizes make trivial
            try:
                stats = solve_model(hm, opts)  # an LP now: HiGHS's simplex
            except SolveError:  # stopped without a solution: the fresh path says so
                return None
            if stats.status in ("infeasible", "infeasible_or_unbounded"):  # sizes fixed: nothing left to grow
                raise no_feasible_plan(built.ctx.sc, opts, design)  # why, without a second build to find it out
            return None if stats.status == "unbounded" else extract(built, stats)
    finally:
        hm.load(plan_x)


def builds_nothing(plan: Result, design: dict[str, float]) -> bool:
    """Is every new size of the plan at the do-nothing design's value (to 1e-6 of its unit)?"""
    return all(abs(plan.new_sizes[k] - v) <= 1e-6 * max(1.0, abs(v)) for k, v in design.items())


def add_baseline(result: Result, sc: Scenario, opts: SolveOptions) -> None:
    """Value the do-nothing baseline for `result`'s scenario and the investment over it, in place (one period; a
    multi-period plan's baseline is valued over its periods by planner.periods.optimise_periods)."""
    from planner.scenario.periods import multi_period

    if multi_period(sc):
        raise ValueError("add_baseline values a one-period plan; a multi-period plan's baseline comes from "
                         "optimise(..., baseline=True)")
    base = result.baseline or evaluate_baseline(sc, opts, result)  # valued already on the plan's instance?
    nothing = None
    if base.status == PLAN:
        forced = [k for k, v in base.new_sizes.items() if v > 0]
        nothing = ("the plan builds nothing new: it is the do-nothing baseline (existing assets only), so there is "
                   "no investment to value" if not forced else
                   f"the plan builds only the minimum new sizes the workbook requires ({', '.join(forced)}), which "
                   f"the baseline includes: there is no investment beyond them to value")
    result.baseline = base
    result.investment = investment(result.npv_usd, result.proforma.table.loc["net_cash_flow"].to_numpy(), base,
                                   sc.finance, builds_nothing=nothing)
    result.extra.setdefault("timings_s", {})["baseline"] = base.seconds


def no_feasible_plan(sc: Scenario, opts: SolveOptions, fixed: dict[str, float] | None) -> SolveError:
    """The error for a site (or, with `fixed`, a design) without a feasible plan, with the diagnosis of why."""
    reasons = diagnose(sc, opts, fixed=fixed)
    what = "this design" if fixed else "this site"
    return SolveError(f"No feasible plan exists for {what}:", reasons or [
        "the model is infeasible or unbounded; no single requirement could be named"])


def _optimise(sc: Scenario, opts: SolveOptions, progress: ProgressFn | None, marginals: bool,
              fixed: dict[str, float] | None = None, caps: dict[str, float] | None = None,
              explain: bool = True, baseline: bool = False) -> Result:
    """Build and solve `sc` (some new-size variables fixed or capped, if given) and extract the results.

    An infeasible model raises SolveError, with a diagnosis of why when `explain` is set. `baseline`: the
    do-nothing baseline valued on the same instance once the plan is done (result.baseline).
    """
    t0 = time.perf_counter()
    built = build(sc)
    fix_sizes(built.m, fixed or {})
    for name, value in (caps or {}).items():
        var = built.m.component(name)
        var.setub(max(value, var.lb or 0))
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    hm = HighsModel(built.m)
    transfer_s = time.perf_counter() - t1
    stats = solve_model(hm, opts, progress)
    stats.transfer_seconds = transfer_s
    if stats.status == "infeasible" or (stats.status == "infeasible_or_unbounded" and not unlimited(sc)):
        if not explain:
            raise SolveError("infeasible")
        raise no_feasible_plan(sc, opts, fixed)
    if stats.status in ("unbounded", "infeasible_or_unbounded") and unlimited(sc):
        raise SolveError("The problem is unbounded: building more always adds NPV and nothing limits it.",
                         [f"{name} has no maximum (blank); give it one" for name in unlimited(sc)])
    if stats.status == "unbounded":
        raise SolveError("The problem is unbounded: some technology can grow without limit; give it a maximum")
    t2 = time.perf_counter()
    result = extract(built, stats)
    result.extra["timings_s"] = {"build": build_s, "transfer": transfer_s, "solve": stats.seconds,
                                 "extract": time.perf_counter() - t2}
    duals = None
    if marginals:
        t3 = time.perf_counter()
        ints = hm.integer_cols
        duals = lp_duals(hm, ints, [round(hm.columns[i].value or 0.0) for i in ints], opts)
        result.extra["timings_s"]["duals"] = time.perf_counter() - t3
    if marginals and built.ctx.integers:
        if progress:
            progress({"message": f"marginal units: one unit more and one less of each of {len(built.ctx.integers)} "
                                 f"integer fleet(s), the rest re-optimised ...", "elapsed_s": 0.0})
        t3 = time.perf_counter()
        result.marginal_units = marginal_units(built, hm, opts, None if duals is None else duals.npv_usd,
                                               known=stats.designs_npv_usd, infeasible=stats.infeasible_boxes)
        result.extra["timings_s"]["marginal_units"] = time.perf_counter() - t3
    result.binding_limits = binding_limits(built, hm, duals, result.marginal_units, result.new_sizes,
                                           result.npv_usd, computed=marginals)
    if baseline:  # last: it leaves the instance holding the baseline's basis
        result.baseline = evaluate_baseline(sc, opts, result, on=(built, hm))
    return result


class Sizing(Protocol):
    """What the typical-day loop needs of a sizing solve (a Result has it all)."""

    new_sizes: dict[str, float]
    integer_new_sizes: list[str]
    npv_usd: float
    solver: SolverStats


def optimise_typical(sc: Scenario, n_days: int, opts: SolveOptions, progress: ProgressFn | None,
                     marginals: bool, size: Callable[[Scenario], Sizing] | None = None) -> Result:
    """Size on typical days (MILP), then fix the sizes and re-dispatch the full year (LP) for the true NPV.

    If the real year cannot be served with the typical-day design, an elastic full-year LP with the sizes
    fixed (planner/solve/elastic.py: YearCheck, built once and re-solved for each design) names the days that
    fall short; those days and the days leading up to them (1, 2, 4, ... days
    before, for storage) join the reduced model as real days of their own and the plant is sized again.
    After MAX_ADD_ROUNDS the full year is solved with the integer fleets capped at their typical-day sizes,
    and as a last resort in full.

    `size`: how a design is chosen on the reduced scenario (default: its deterministic optimum; the stochastic
    plan passes its extensive form over the scenarios, planner/stochastic.py). With a `size` of its own there is
    no full-year repair: a design that cannot serve the year after MAX_ADD_ROUNDS raises SolveError.
    """
    from planner.scenario.typical import MAX_ADD_ROUNDS, SERVED_TOL_MW, aggregate, days_to_add, short_days

    def redispatch(design: dict[str, float]) -> Result | None:
        """The full year with these sizes fixed (an LP), or None if it cannot be served."""
        try:
            return _optimise(sc, opts, None, marginals, fixed=design, explain=False)
        except SolveError:
            return None

    t0 = time.perf_counter()
    aggregatable = for_typical_days(sc)  # series the power curves turn into energy, converted first
    own_days: set[int] = set()
    timings: dict[str, float] = {"aggregate": 0.0, "sizing": 0.0, "full_year_checks": 0.0}
    result, check = None, None
    lookback = 1  # days before each short day also kept exact; doubles every round
    for _round in range(MAX_ADD_ROUNDS + 1):
        t1 = time.perf_counter()
        reduced = aggregate(aggregatable, n_days, own_days=tuple(sorted(own_days)))
        timings["aggregate"] += time.perf_counter() - t1
        if not own_days:
            aggregate_periods = reduced.periods.n_clusters
        t1 = time.perf_counter()
        sizing = size(reduced) if size is not None else _optimise(reduced, opts, progress, marginals=False)
        timings["sizing"] += time.perf_counter() - t1
        t1 = time.perf_counter()
        try:
            if check is None:  # first round: the typical-day design as it is, re-dispatched over the year (LP)
                result = redispatch(sizing.new_sizes)
                if result is not None:
                    break
                check = YearCheck(sc, opts)  # built once, re-solved for each later design
            short = check.shortfall_mw(sizing.new_sizes)
            if short is None:
                break
            if short.max() <= SERVED_TOL_MW:  # it serves the year: re-dispatch it for the NPV
                result = redispatch(sizing.new_sizes)  # None only within the elastic LP's tolerance: repaired below
                break
        finally:
            timings["full_year_checks"] += time.perf_counter() - t1
        new_days, lookback = days_to_add(short_days(short), own_days, lookback)
        if not new_days:
            break
        own_days |= new_days
    design = "fixed"
    added = reduced.periods.n_clusters - aggregate_periods
    if added and result is not None:
        design = f"fixed, after adding {added} real day(s) the first designs could not serve"
    if result is None and size is not None:
        raise SolveError(f"The design sized on {n_days} typical days cannot serve the real year:", [
            f"after adding {reduced.periods.n_clusters - aggregate_periods} real day(s) it still falls short; "
            f"size on more typical days, or over the full year"])
    if result is None:
        try:  # the full year with each integer fleet at most its typical-day size, everything else free
            caps = {k: sizing.new_sizes[k] for k in sizing.integer_new_sizes}
            result = _optimise(sc, opts, None, marginals, caps=caps)
            design = "repaired: full-year MILP with the typical-day fleets as upper bounds"
        except SolveError:  # the full-year MILP
            result = _optimise(sc, opts, progress, marginals)
            design = "fallback: the typical-day fleets cannot serve the real year; full-year MILP solved"
    full, reduced_npv = result.npv_usd, sizing.npv_usd
    result.extra["typical_days"] = {
        "typical_days": n_days,
        "periods_modelled": reduced.periods.n_clusters,
        "extreme_periods": aggregate_periods - n_days,
        "added_real_days": reduced.periods.n_clusters - aggregate_periods,
        "storage": reduced.periods.storage,
        "design": design,
        "npv_typical_days_usd": reduced_npv,
        "npv_full_year_usd": full,
        "npv_gap_relative": (reduced_npv - full) / max(1.0, abs(full)),
        "sizing_solver": sizing.solver.to_dict(),
        "timings_s": {**timings, "total": time.perf_counter() - t0},
    }
    return result


def marginal_units(built, hm: HighsModel, opts: SolveOptions, base_npv_usd: float | None = None,
                   known: dict[tuple[int, ...], float] | None = None, infeasible=()
                   ) -> dict[str, dict[str, float | None]]:
    """For each integer fleet: NPV change (USD) of one unit more and one unit less, other sizes re-optimised.

    One more is evaluated also at the workbook's maximum, one less also at its minimum (never below zero):
    that is the value of relaxing the bound (planner/limits.py). All integer counts are fixed at the
    solution, the fleet in question moved by +-1, and the rest
    (continuous sizes and dispatch) re-solved as an LP; the designs are evaluated in parallel
    (planner/solve/bnb.py: evaluate_designs). `base_npv_usd`: the LP of the plan itself with its integers
    fixed, when it has been solved already on `hm`'s instance (planner/solve/duals.py: the duals' LP is that
    very LP); then each +-1 design is hot-started from the basis it left (a bound moved by one unit from an
    optimal basis: factory 54 s from scratch -> 0.17 s, the same value to the USD; docs/performance.md).
    Else the plan's LP is solved here as one more design, every design from scratch. `known`: designs whose LP
    the branch and bound has solved already (SolverStats.designs_npv_usd, keyed in `hm.integer_cols` order)
    are taken from it, not solved again (iceland: one unit more mining, 0.57 s of its 0.94 s). `infeasible`: the
    integer bounds (lower, upper, in the same order) of its LPs proved infeasible (SolverStats.infeasible_boxes):
    a design inside one has no plan, and is not solved (iceland: one more AI block, 0.31 s).
    """
    ints = built.ctx.integers
    chosen = {k: round(v.value or 0) for k, v in ints.items()}
    free = [k for k, v in ints.items() if not v.fixed]  # a size fixed by the caller is not a column
    cols = np.array([hm.col_index[id(ints[k])] for k in free], dtype=np.int32)
    base = np.array([chosen[k] for k in free], dtype=float)
    designs, moves = [], []
    for i, k in enumerate(free):
        for label, step in (("plus_one", 1), ("minus_one", -1)):
            target = chosen[k] + step  # also past the workbook's bounds: the value of relaxing them
            if target >= 0:
                d = base.copy()
                d[i] = target
                designs.append(d)
                moves.append((k, label))
    at = {c: j for j, c in enumerate(cols)}  # `known` and `infeasible` are in hm.integer_cols order
    keyed = set(at) == set(hm.integer_cols)  # (no integer fixed by the caller)
    ordered = [tuple(int(d[at[c]]) for c in hm.integer_cols) if keyed else None for d in designs]
    reused = [known.get(x) if known and x is not None else None for x in ordered]
    impossible = [x is not None and any(all(lo <= v <= hi for v, lo, hi in zip(x, lb, ub, strict=True))
                                        for lb, ub in infeasible) for x in ordered]
    todo = [d for d, v, no in zip(designs, reused, impossible, strict=True) if v is None and not no]
    if base_npv_usd is None:  # solved with the others, in the same parallel batch, from scratch
        base_npv_usd, *solved = evaluate_designs(hm, cols, [base, *todo], opts)
    else:  # hot from the basis the duals' LP (the plan's own LP) left on the instance
        solved = evaluate_designs(hm, cols, todo, opts, basis=held_basis(hm)) if todo else []
    fresh = iter(solved)
    values = [None if no else next(fresh) if v is None else v for v, no in zip(reused, impossible, strict=True)]
    out: dict[str, dict[str, float | None]] = {k: {"plus_one": None, "minus_one": None} for k in ints}
    if base_npv_usd is None:
        return out
    for (k, label), value in zip(moves, values, strict=True):
        out[k][label] = None if value is None else value - base_npv_usd
    return out


# ---------------------------------------------------------------------------------------- outputs

def write_outputs(result: Result, out_dir: Path, force: bool = False, extra_writers=()) -> Path:
    """Write summary.json, scenario.json, dispatch.csv and .parquet, cashflow.csv (and reports) atomically.

    planner/outputs.py: write_atomically checks the folder (an existing one is replaced only with `force` and
    only if the planner wrote it), writes into a temporary sibling folder and renames it into place, so an
    error or Ctrl-C never leaves a half-written output folder. If writing fails, the result files are
    saved to a folder in the system's temporary directory and the OutputError says where
    (planner/run_files.py: write_run_files writes the data files).
    """
    from planner.outputs import RUN, required_free_bytes, write_atomically
    from planner.run_files import write_run_files

    def write_results(folder: Path) -> None:
        write_run_files(folder, result.summary(), scenario_dict(result.scenario), result.dispatch,
                        result.proforma.table)

    def write_all(folder: Path) -> None:
        write_results(folder)
        for writer in extra_writers:
            writer(result, folder)

    return write_atomically(Path(out_dir), RUN, write_all, force=force, rescue=write_results,
                            need_bytes=required_free_bytes(result.scenario.n_steps), rescue_what="The solved plan")
