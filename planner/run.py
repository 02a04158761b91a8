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
from planner.model import build
from planner.results import Result, extract, scenario_dict
from planner.scenario.scenario import Scenario
from planner.solve import ProgressFn, SolveOptions, make_solver, solve


def optimise(sc: Scenario, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
             marginals: bool = True) -> Result:
    """Solve one scenario and return its results; SolveError (with a diagnosis) if there is no plan."""
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    built = build(sc)
    build_s = time.perf_counter() - t0
    opt = make_solver(opts)
    t1 = time.perf_counter()
    opt.set_instance(built.m)
    transfer_s = time.perf_counter() - t1
    stats = solve(built, opts, progress, opt=opt)
    stats.transfer_seconds = transfer_s
    if stats.status in ("infeasible", "infeasible_or_unbounded"):
        reasons = diagnose(sc, opts)
        raise SolveError("No feasible plan exists for this site:", reasons or [
            "the model is infeasible or unbounded; no single requirement could be named"])
    if stats.status == "unbounded":
        raise SolveError("The problem is unbounded: some technology can grow without limit; give it a maximum")
    t2 = time.perf_counter()
    result = extract(built, stats)
    result.extra["timings_s"] = {"build": build_s, "transfer": transfer_s, "solve": stats.seconds,
                                 "extract": time.perf_counter() - t2}
    if marginals and built.ctx.integers:
        t3 = time.perf_counter()
        result.marginal_units = marginal_units(built, opt, opts, result)
        result.extra["timings_s"]["marginal_units"] = time.perf_counter() - t3
    return result


def marginal_units(built, opt, opts: SolveOptions, result: Result) -> dict[str, dict[str, float | None]]:
    """For each integer fleet: NPV change (USD) of one unit more and one unit less, other sizes re-optimised.

    All integer counts are fixed at the solution, the fleet in question moved by +-1, and the rest
    (continuous sizes and dispatch) re-solved as an LP on the persistent solver.
    """
    ints = built.ctx.integers
    chosen = {k: round(v.value or 0) for k, v in ints.items()}
    for k, v in ints.items():
        v.fix(chosen[k])
    base = _lp_value(built, opt)
    out: dict[str, dict[str, float | None]] = {}
    for k, v in ints.items():
        n = chosen[k]
        lb, ub = v.bounds
        row: dict[str, float | None] = {}
        for label, step in (("plus_one", 1), ("minus_one", -1)):
            target = n + step
            if (lb is not None and target < lb) or (ub is not None and target > ub) or base is None:
                row[label] = None
                continue
            v.fix(target)
            val = _lp_value(built, opt)
            row[label] = None if val is None else val - base
        v.fix(n)
        out[k] = row
    for v in ints.values():
        v.unfix()
    return out


def _lp_value(built, opt) -> float | None:
    from planner.model import OBJ_SCALE

    res = opt.solve(built.m)
    if res.solution_status.name not in ("feasible", "optimal"):
        return None
    return res.incumbent_objective / OBJ_SCALE


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

