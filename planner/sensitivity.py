"""What-if analysis: tornado, sweeps, break-even and Monte Carlo, run in parallel locally or on Dask.

Every case is a set of dotted-parameter changes (planner/scenario/params.py) solved as its own
optimisation. A case that fails (infeasible, no plan in time, bad value) is recorded with its reason
and never stops the others. Workers keep the base model built: a change that only re-prices the
model (`planner/technologies: reprice_only`) updates the objective of the already-built HiGHS
instance and re-solves from the base plan as a MIP start; any other change builds the model again.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from planner.errors import PlannerError, UsageError
from planner.parallel import run_in_processes, run_on_dask
from planner.scenario.params import OBJECTIVE_ONLY, get_param, set_param
from planner.scenario.scenario import Scenario
from planner.solve import SolveOptions
from planner.technologies import reprice_only

ProgressFn = Callable[[int, int, float], None]  # (done, total, elapsed seconds)


@dataclass
class Case:
    """One what-if: parameter changes, and whether the base design is held fixed."""

    id: int
    changes: dict[str, float]
    label: str = ""
    fixed_design: bool = False


@dataclass
class CaseResult:
    """What one case gave (status 'ok' or 'failed' with the reason)."""

    id: int
    label: str
    changes: dict[str, float]
    fixed_design: bool
    status: str
    reason: str = ""
    npv_usd: float | None = None
    mip_gap: float | None = None
    seconds: float = 0.0
    warm: bool = False
    sizes: dict[str, float] = field(default_factory=dict)

    def row(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k not in ("sizes", "changes")}
        out.update({f"param:{k}": v for k, v in self.changes.items()})
        out.update({f"size:{k}": v for k, v in self.sizes.items()})
        return out


@dataclass
class Job:
    """Everything a worker needs to solve one case (picklable, for processes and Dask)."""

    base: Scenario
    case: Case
    opts: SolveOptions
    base_sizes: dict[str, float] | None  # new-size variable values of the base plan (fixed-design cases)
    typical_days: int | None = None
    warm: bool = True


# ------------------------------------------------------------------------------------------ worker

_CACHE: dict[str, tuple] = {}  # per process: scenario key -> (built model, HighsModel, base solution, base bases)
_CACHE_LOCK = threading.Lock()  # a Dask worker may run several cases at once in threads: one model each time


def _key(sc: Scenario) -> str:
    """Identity of a built base model across pickling: every input that shapes constraints, and the hourly data.

    Objective-only inputs are left out (a case re-prices all of them from its own scenario), so bases that
    differ only in prices share one model; any other field, of any sheet, gives a model of its own.
    """
    import dataclasses
    import hashlib
    import pickle

    structural = [(attr, f.name, getattr(section, f.name)) for attr, _sheet, section in sc.sections()
                  for f in dataclasses.fields(section) if f"{attr}.{f.name}" not in OBJECTIVE_ONLY]
    h = hashlib.sha256(pickle.dumps(structural))
    h.update(pickle.dumps((sc.periods, sc.wind_power_curve)))
    h.update(np.ascontiguousarray(sc.hourly.drop(columns=["timestamp"]).to_numpy(float)).tobytes())
    return h.hexdigest()


def solve_case(job: Job) -> CaseResult:
    """Solve one case; never raises (a failure is a result with its reason)."""
    from planner.errors import PlannerError as _PE

    case = job.case
    t0 = time.perf_counter()
    try:
        sc = job.base.copy()
        for name, value in case.changes.items():
            set_param(sc, name, value)
        periods = job.base.investment_periods or job.base.declines  # planner/run.py: optimise plans them, cold
        can_warm = (job.warm and job.typical_days is None and not case.fixed_design and not periods
                    and all(reprice_only(n, job.base) for n in case.changes))
        if can_warm:
            npv, gap, sizes = _solve_warm(job, sc)
        else:
            npv, gap, sizes = _solve_cold(job, sc)
        return CaseResult(case.id, case.label, case.changes, case.fixed_design, "ok", npv_usd=npv, mip_gap=gap,
                          seconds=time.perf_counter() - t0, warm=can_warm, sizes=sizes)
    except (_PE, KeyError, ValueError) as e:
        reason = str(e).replace("\n", " ")
    except Exception as e:  # a bug in one case must not stop the others
        reason = f"{type(e).__name__}: {e}"
    return CaseResult(case.id, case.label, case.changes, case.fixed_design, "failed", reason=reason,
                      seconds=time.perf_counter() - t0)


def _solve_cold(job: Job, sc: Scenario):
    from planner.run import optimise

    if job.case.fixed_design:
        result = optimise(sc, job.opts, marginals=False, fixed=job.base_sizes)
    else:
        result = optimise(sc, job.opts, marginals=False, typical_days=job.typical_days)
    return result.npv_usd, result.solver.mip_gap, result.sizes


def cache_base(base: Scenario, opts: SolveOptions) -> None:
    """Build and solve the base model once per process and keep it (`_CACHE`, the only entry) with its plan and
    the bases a re-priced case starts from: the plan's (integers fixed) and the branch and bound's root (a
    one-integer model solved by HiGHS's MIP: the plan's LP is solved once more for its basis)."""
    from planner.model import build
    from planner.solve import HighsModel, solve_model
    from planner.solve.stop import run_highs

    built = build(base.copy())
    hm = HighsModel(built.m)
    solve_model(hm, opts)
    _CACHE.clear()
    base_plan = np.array([v.value or 0.0 for v in hm.columns])  # the plan loaded into Pyomo (the incumbent)
    if opts.strategy == "auto" and len(hm.integer_cols) == 1 and not hm.h.getBasis().valid:
        # HiGHS's MIP keeps no basis: the plan's LP gives one, where a case's walk along the integer starts
        # (planner/solve/bnb.py: solve_one_integer; if this LP fails, a case falls back to HiGHS's MIP)
        with hm.columns_held(hm.integer_cols, np.round(base_plan[hm.integer_cols])):
            run_highs(hm.h)  # (a stop request is served)
    _CACHE[_key(base)] = (built, hm, base_plan, (hm.h.getBasis(), hm.root_basis))


def _solve_warm(job: Job, sc: Scenario):
    """Re-price the cached base model in place and re-solve, starting from the base plan: its design is the
    first incumbent, and the design's and the root's LPs start from the base solve's bases (every case from the
    base's, whichever case this process solved before: a case's path does not depend on the order of cases)."""
    import pyomo.core as pyo

    from planner.solve import reprice, solve_model

    with _CACHE_LOCK:
        key = _key(job.base)
        if key not in _CACHE:
            cache_base(job.base, job.opts)
        built, hm, start, (plan_basis, root_basis) = _CACHE[key]
        hm.h.clearSolver()  # nothing of the case solved before
        if plan_basis.valid:  # (HiGHS's MIP keeps no basis)
            hm.h.setBasis(plan_basis)
        hm.root_basis = root_basis
        reprice(built, hm, sc)
        stats = solve_model(hm, job.opts, start=start)
        if stats.objective is None:
            raise PlannerError(f"no plan: {stats.status}")
        sizes = {k: float(pyo.value(v)) for k, v in built.ctx.sizes.items()}
        return stats.objective, stats.mip_gap, sizes


# ------------------------------------------------------------------------------------------ runner

def run_cases(base: Scenario, cases: list[Case], opts: SolveOptions, workers: int = 1, dask: str | None = None,
              base_sizes: dict[str, float] | None = None, typical_days: int | None = None, warm: bool = True,
              progress: ProgressFn | None = None) -> list[CaseResult]:
    """Solve every case, in order of ids, with local processes or on a Dask scheduler."""
    if (dask or workers > 1) and not opts.threads:  # one LP at a time per case: the cases fill the cores
        opts = replace(opts, threads=1)
    jobs = [Job(base, c, opts, base_sizes, typical_days, warm) for c in cases]
    t0 = time.perf_counter()
    results: list[CaseResult] = []

    def done(r: CaseResult) -> None:
        results.append(r)
        if progress:
            progress(len(results), len(jobs), time.perf_counter() - t0)

    if progress:
        progress(0, len(jobs), 0.0)
    # on a signal (planner/solve/stop.py) the pool is stopped and its processes ended (planner/parallel.py)
    if dask:
        run_on_dask(solve_case, jobs, dask, done)
    elif workers > 1:
        run_in_processes(solve_case, jobs, workers, done)
    else:
        for j in jobs:
            done(solve_case(j))
    return sorted(results, key=lambda r: r.id)


# ------------------------------------------------------------------------------------- analyses

def tornado_cases(sc: Scenario, fixed_design: bool = False) -> list[Case]:
    """Low and high case of every Sensitivity row (and their fixed-design twins)."""
    cases = []
    for row in sc.sensitivity:
        for side, value in (("low", row.low), ("high", row.high)):
            cases.append(Case(len(cases), {row.parameter: value}, f"{row.parameter} {side}"))
            if fixed_design:
                cases.append(Case(len(cases), {row.parameter: value}, f"{row.parameter} {side}", fixed_design=True))
    return cases


def tornado_table(sc: Scenario, base: CaseResult, results: list[CaseResult]) -> list[dict]:
    """One row per parameter: NPV at low/high (re-optimised and fixed design) and how the build changes."""
    rows = []
    by = {(r.label, r.fixed_design): r for r in results}
    for row in sc.sensitivity:
        lo, hi = by.get((f"{row.parameter} low", False)), by.get((f"{row.parameter} high", False))
        flo, fhi = by.get((f"{row.parameter} low", True)), by.get((f"{row.parameter} high", True))
        changes = []
        for k, v in base.sizes.items():
            for side, r in (("low", lo), ("high", hi)):
                if r and r.status == "ok" and abs(r.sizes.get(k, 0.0) - v) > max(1e-6, 1e-3 * abs(v)):
                    changes.append(f"{k} {v:g} -> {r.sizes[k]:g} ({side})")
        rows.append({
            "parameter": row.parameter, "low": row.low, "high": row.high, "base": get_param(sc, row.parameter),
            "npv_low_usd": lo.npv_usd if lo else None, "npv_high_usd": hi.npv_usd if hi else None,
            "npv_low_fixed_design_usd": flo.npv_usd if flo else None,
            "npv_high_fixed_design_usd": fhi.npv_usd if fhi else None,
            "swing_usd": abs((hi.npv_usd or 0) - (lo.npv_usd or 0)) if lo and hi and lo.npv_usd is not None
            and hi.npv_usd is not None else None,
            "build_changes": "; ".join(changes),
            "failed": "; ".join(f"{r.label}: {r.reason}" for r in (lo, hi, flo, fhi) if r and r.status != "ok"),
            "note": row.note,
        })
    rows.sort(key=lambda r: -(r["swing_usd"] or 0))
    return rows


SWEEP_RE = re.compile(r"^\s*([\w.]+)\s*=\s*([-+0-9.eE]+)\s*:\s*([-+0-9.eE]+)\s*:\s*(\d+)\s*$")


def parse_sweep(text: str) -> tuple[str, np.ndarray]:
    """'mining.hashprice_usd_per_ph_day=20:80:7' -> (name, values)."""
    m = SWEEP_RE.match(text)
    if not m:
        raise UsageError(f"--sweep {text!r}: expected PARAM=LO:HI:N, e.g. mining.hashprice_usd_per_ph_day=20:80:7")
    n = int(m.group(4))
    if n < 2:
        raise UsageError(f"--sweep {text!r}: N must be at least 2")
    return m.group(1), np.linspace(float(m.group(2)), float(m.group(3)), n)


def sweep_cases(axes: list[tuple[str, np.ndarray]]) -> list[Case]:
    """The full grid of one or two swept parameters."""
    names = [a for a, _ in axes]
    grid = itertools.product(*[v for _, v in axes])
    return [Case(i, dict(zip(names, map(float, vals), strict=True)),
                 ", ".join(f"{n}={v:g}" for n, v in zip(names, vals, strict=True))) for i, vals in enumerate(grid)]


COND_RE = re.compile(r"^\s*(\w+)\s*(>=|<=|>|<|==)\s*([-+0-9.eE]+)\s*$")
OPS = {">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le, "==": operator.eq}


def parse_condition(text: str) -> Callable[[CaseResult], bool]:
    """'mining_containers>0' or 'npv_usd>0' -> a test on a case result."""
    m = COND_RE.match(text)
    if not m:
        raise UsageError(f"--until {text!r}: expected NAME OP NUMBER, e.g. mining_containers>0 or npv_usd>0")
    name, op, value = m.group(1), OPS[m.group(2)], float(m.group(3))

    def test(r: CaseResult) -> bool:
        if r.status != "ok":
            raise PlannerError(f"case {r.label} failed: {r.reason}")
        x = r.npv_usd if name == "npv_usd" else r.sizes.get(name)
        if x is None:
            raise UsageError(f"--until: {name!r} is neither npv_usd nor a size ({', '.join(r.sizes)})")
        return op(x, value)

    return test


@dataclass
class Breakeven:
    parameter: str
    condition: str
    threshold: float | None
    lo: float
    hi: float
    tolerance: float
    evaluations: list[tuple[float, bool]]
    message: str


def breakeven(base: Scenario, name: str, condition: str, lo: float, hi: float, tol: float, opts: SolveOptions,
              typical_days: int | None = None, max_expand: int = 6) -> Breakeven:
    """Smallest change of `name` in [lo, hi] at which the condition flips: bracketing, then bisection."""
    test = parse_condition(condition)
    evals: list[tuple[float, bool]] = []

    def at(x: float) -> bool:
        r = solve_case(Job(base, Case(len(evals), {name: x}, f"{name}={x:g}"), opts, None, typical_days))
        ok = test(r)
        evals.append((x, ok))
        return ok

    f_lo, f_hi = at(lo), at(hi)
    width = hi - lo
    expand = 0
    while f_lo == f_hi and expand < max_expand:  # bracket: widen the interval on both sides
        lo, hi = lo - width, hi + width
        width *= 2
        f_lo, f_hi = at(lo), at(hi)
        expand += 1
    if f_lo == f_hi:
        return Breakeven(name, condition, None, lo, hi, tol, evals,
                         f"{condition} is {'true' if f_lo else 'false'} everywhere in [{lo:g}, {hi:g}]")
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if at(mid) == f_lo:
            lo = mid
        else:
            hi = mid
    threshold = 0.5 * (lo + hi)
    return Breakeven(name, condition, threshold, lo, hi, tol, evals,
                     f"{condition} flips from {f_lo} to {f_hi} at {name} = {threshold:.6g} (+- {tol / 2:g})")


def sample_cases(sc: Scenario, n: int, seed: int) -> list[Case]:
    """Monte Carlo draws of every Sensitivity row at once.

    uniform: on [low, high]; triangular: mode = the base value; normal: mean = (low+high)/2, sigma =
    (high-low)/4 (low/high are +-2 sigma), clipped to [low, high]; none: held at the base value.
    """
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        changes = {}
        for row in sc.sensitivity:
            base = get_param(sc, row.parameter)
            if row.distribution == "uniform":
                x = rng.uniform(row.low, row.high)
            elif row.distribution == "triangular":
                mode = min(max(base if base is not None else 0.5 * (row.low + row.high), row.low), row.high)
                x = rng.triangular(row.low, mode, row.high) if row.high > row.low else row.low
            elif row.distribution == "normal":
                x = float(np.clip(rng.normal(0.5 * (row.low + row.high), (row.high - row.low) / 4), row.low, row.high))
            else:
                continue
            changes[row.parameter] = float(x)
        cases.append(Case(i, changes, f"sample {i}"))
    return cases


def monte_carlo_stats(results: list[CaseResult]) -> dict:
    """P10/P50/P90 of NPV and the probability of a loss, over the cases that solved."""
    npv = np.array([r.npv_usd for r in results if r.status == "ok" and r.npv_usd is not None])
    if not len(npv):
        return {"samples_ok": 0, "samples_failed": len(results)}
    return {"samples_ok": int(len(npv)), "samples_failed": int(len(results) - len(npv)),
            "npv_p10_usd": float(np.percentile(npv, 10)), "npv_p50_usd": float(np.percentile(npv, 50)),
            "npv_p90_usd": float(np.percentile(npv, 90)), "npv_mean_usd": float(npv.mean()),
            "probability_of_loss": float(np.mean(npv < 0))}


def eta_text(done: int, total: int, elapsed: float) -> str:
    left = elapsed / done * (total - done) if done else math.nan
    return f"{done}/{total} cases, {elapsed:.0f} s elapsed, ~{left:.0f} s left"
