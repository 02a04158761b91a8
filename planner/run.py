"""The pipeline behind `planner run`: build, solve, diagnose, extract, marginal units, write outputs."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from planner.diagnose import diagnose
from planner.errors import PlannerError, SolveError
from planner.highs_model import HighsModel
from planner.model import OBJ_SCALE, build
from planner.results import Result, extract, scenario_dict
from planner.scenario.scenario import Scenario
from planner.solve import ProgressFn, SolveOptions, solve_direct


def optimise(sc: Scenario, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
             marginals: bool = True, typical_days: int | None = None) -> Result:
    """Solve one scenario and return its results; SolveError (with a diagnosis) if there is no plan.

    With `typical_days`, the plant is sized on that many typical days (plus extreme days) and the
    sizes are then fixed and re-dispatched over the full year, whose NPV is the answer.
    """
    opts = opts or SolveOptions()
    if typical_days:
        return optimise_typical(sc, typical_days, opts, progress, marginals)
    return _optimise(sc, opts, progress, marginals)


def _optimise(sc: Scenario, opts: SolveOptions, progress: ProgressFn | None, marginals: bool,
              fixed: dict[str, float] | None = None, caps: dict[str, float] | None = None) -> Result:
    """Build and solve `sc` (some new-size variables fixed or capped, if given) and extract the results."""
    t0 = time.perf_counter()
    built = build(sc)
    for name, value in (fixed or {}).items():
        built.m.component(name).fix(value)
    for name, value in (caps or {}).items():
        var = built.m.component(name)
        var.setub(max(value, var.lb or 0))
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    hm = HighsModel(built.m)
    transfer_s = time.perf_counter() - t1
    stats = solve_direct(hm, opts, progress)
    stats.transfer_seconds = transfer_s
    if stats.status == "infeasible" or (stats.status == "infeasible_or_unbounded" and not unlimited(sc)):
        reasons = diagnose(sc, opts, fixed=fixed)
        what = "this design" if fixed else "this site"
        raise SolveError(f"No feasible plan exists for {what}:", reasons or [
            "the model is infeasible or unbounded; no single requirement could be named"])
    if stats.status in ("unbounded", "infeasible_or_unbounded") and unlimited(sc):
        raise SolveError("The problem is unbounded: building more always adds NPV and nothing limits it.",
                         [f"{name} has no maximum (blank); give it one" for name in unlimited(sc)])
    if stats.status == "unbounded":
        raise SolveError("The problem is unbounded: some technology can grow without limit; give it a maximum")
    t2 = time.perf_counter()
    result = extract(built, stats)
    result.extra["timings_s"] = {"build": build_s, "transfer": transfer_s, "solve": stats.seconds,
                                 "extract": time.perf_counter() - t2}
    if marginals and built.ctx.integers:
        t3 = time.perf_counter()
        result.marginal_units = marginal_units(built, hm, opts)
        result.extra["timings_s"]["marginal_units"] = time.perf_counter() - t3
    return result


def _integer_vars(sc: Scenario):
    """Names of the integer new-size variables of this scenario's technologies (built on a 24-hour stub)."""
    import pyomo.environ as pyo

    stub = sc.copy()
    stub.hourly = sc.hourly.iloc[:24].copy()
    stub.periods = None
    m = build(stub).m
    return [v for v in m.component_objects(pyo.Var) if not v.is_indexed() and v.is_integer()]


def unlimited(sc: Scenario) -> list[str]:
    """Dotted names of the maximum-new-size inputs left blank (no limit) in enabled technologies."""
    import dataclasses

    from planner.technologies import active

    out = []
    for name, _mod in active(sc):
        section = getattr(sc, name)
        out += [f"{name}.{f.name}" for f in dataclasses.fields(section)
                if f.name.startswith("max_new_") and getattr(section, f.name) is None]
    return out


def optimise_typical(sc: Scenario, n_days: int, opts: SolveOptions, progress: ProgressFn | None,
                     marginals: bool) -> Result:
    """Size on typical days (MILP), then fix the sizes and re-dispatch the full year (LP) for the true NPV."""
    from planner.scenario.typical import aggregate

    t0 = time.perf_counter()
    reduced = aggregate(sc, n_days)
    aggregate_s = time.perf_counter() - t0
    sizing = _optimise(reduced, opts, progress, marginals=False)
    integer_names = {v.name for v in _integer_vars(sc)}
    design = "fixed"
    try:  # 1. the typical-day design as it is, re-dispatched over the full year (an LP)
        result = _optimise(sc, opts, None, marginals, fixed=sizing.new_sizes)
    except SolveError:
        try:  # 2. the full year with each integer fleet at most its typical-day size, everything else free
            caps = {k: v for k, v in sizing.new_sizes.items() if k in integer_names}
            result = _optimise(sc, opts, None, marginals, caps=caps)
            design = "repaired: full-year MILP with the typical-day fleets as upper bounds"
        except SolveError:  # 3. the full-year MILP
            result = _optimise(sc, opts, progress, marginals)
            design = "fallback: the typical-day fleets cannot serve the real year; full-year MILP solved"
    full, reduced_npv = result.npv_usd, sizing.npv_usd
    result.extra["typical_days"] = {
        "typical_days": n_days,
        "periods_modelled": reduced.periods.n_clusters,
        "extreme_periods": reduced.periods.n_clusters - n_days,
        "storage": reduced.periods.storage,
        "design": design,
        "npv_typical_days_usd": reduced_npv,
        "npv_full_year_usd": full,
        "npv_gap_relative": (reduced_npv - full) / max(1.0, abs(full)),
        "sizing_solver": sizing.solver.to_dict(),
        "timings_s": {"aggregate": aggregate_s, **sizing.extra.get("timings_s", {})},
    }
    return result


def marginal_units(built, hm: HighsModel, opts: SolveOptions) -> dict[str, dict[str, float | None]]:
    """For each integer fleet: NPV change (USD) of one unit more and one unit less, other sizes re-optimised.

    All integer counts are fixed at the solution, the fleet in question moved by +-1, and the rest
    (continuous sizes and dispatch) re-solved as an LP on the same HiGHS instance (warm basis).
    """
    ints = built.ctx.integers
    chosen = {k: round(v.value or 0) for k, v in ints.items()}
    for k, v in ints.items():
        if not v.fixed:
            hm.fix(v, chosen[k])
    hm.relax_integers()
    lp_opts = SolveOptions(mip_gap=opts.mip_gap, time_limit_s=opts.time_limit_s, threads=opts.threads)
    base = _lp_value(hm, lp_opts)
    out: dict[str, dict[str, float | None]] = {}
    for k, v in ints.items():
        n = chosen[k]
        lb, ub = v.bounds
        row: dict[str, float | None] = {}
        for label, step in (("plus_one", 1), ("minus_one", -1)):
            target = n + step
            if v.fixed or (lb is not None and target < lb) or (ub is not None and target > ub) or base is None:
                row[label] = None  # outside the allowed range (or a size fixed by the caller)
                continue
            hm.fix(v, target)
            val = _lp_value(hm, lp_opts)
            row[label] = None if val is None else val - base
        if not v.fixed:
            hm.fix(v, n)
        out[k] = row
    return out


def _lp_value(hm: HighsModel, opts: SolveOptions) -> float | None:
    """Objective (USD) of the LP as it stands, or None if it has no solution; Pyomo values untouched."""
    hm.h.setOptionValue("time_limit", float(opts.time_limit_s))
    hm.h.run()
    if hm.h.getInfo().primal_solution_status != 2:
        return None
    return hm.objective() / OBJ_SCALE


# ---------------------------------------------------------------------------------------- outputs

def write_outputs(result: Result, out_dir: Path, force: bool = False, extra_writers=()) -> Path:
    """Write summary.json, scenario.json, dispatch.csv, cashflow.csv (and reports) atomically.

    Everything goes to a temporary sibling folder first, which is renamed into place only when
    complete: an error or Ctrl-C never leaves a half-written output folder.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not force:
        raise PlannerError(f"{out_dir} already exists; use --force to replace it or -o to choose another folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        summary = result.summary()
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=False) + "\n")
        (tmp / "scenario.json").write_text(json.dumps(scenario_dict(result.scenario), indent=2) + "\n")
        result.dispatch.to_csv(tmp / "dispatch.csv", index=False, float_format="%.6f")
        result.proforma.table.to_csv(tmp / "cashflow.csv", float_format="%.2f")
        for writer in extra_writers:
            writer(result, tmp)
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            out_dir.rename(old)
            tmp.rename(out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir

