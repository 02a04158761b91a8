"""Solve a built model with HiGHS through Pyomo's persistent interface; status, gap, time, nodes.

A time-limited run with an incumbent returns it, flagged `time_limit`; with none it raises
SolveError. Progress (elapsed time, incumbent NPV, bound, gap) goes to an optional callback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from planner.errors import SolveError
from planner.model import OBJ_SCALE, Built

ProgressFn = Callable[[dict], None]


@dataclass
class SolveOptions:
    """What the user can set for one solve."""

    mip_gap: float = 0.005  # relative MIP gap
    time_limit_s: float = 1800.0
    threads: int | None = None
    log: bool = False  # HiGHS's own log to the console
    progress_every_s: float = 2.0


@dataclass
class SolverStats:
    """What every result says about how it was obtained."""

    status: str  # optimal | time_limit | infeasible | unbounded | error
    termination: str
    objective: float | None  # NPV in USD of the incumbent
    bound: float | None  # best bound on NPV in USD
    mip_gap: float | None
    seconds: float
    nodes: int
    transfer_seconds: float = 0.0
    solver: str = "HiGHS"
    solver_version: str = ""
    lp: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def make_solver(opts: SolveOptions) -> Highs:
    opt = Highs()
    opt.config.load_solutions = False
    opt.config.raise_exception_on_nonoptimal_result = False
    opt.config.time_limit = opts.time_limit_s
    opt.config.rel_gap = opts.mip_gap
    if opts.threads:
        opt.config.threads = opts.threads
    opt.config.solver_options["output_flag"] = bool(opts.log)
    return opt


def solve(built: Built, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
          opt: Highs | None = None) -> SolverStats:
    """Solve `built` (a persistent `opt` may be passed in to re-solve after changes) and load the solution."""
    opts = opts or SolveOptions()
    m = built.m
    t0 = time.perf_counter()
    if opt is None:
        opt = make_solver(opts)
        opt.set_instance(m)
    transfer = time.perf_counter() - t0
    h = opt._solver_model  # the highspy.Highs instance behind the Pyomo interface
    state = {"incumbent": None, "bound": None, "gap": None, "nodes": 0}
    ticker = _Ticker(state, progress, opts.progress_every_s) if progress else None

    def on_improve(e) -> None:
        state["incumbent"] = e.data_out.mip_primal_bound / OBJ_SCALE

    def on_interrupt(e) -> None:
        d = e.data_out
        state["bound"] = d.mip_dual_bound / OBJ_SCALE
        state["gap"] = d.mip_gap
        state["nodes"] = d.mip_node_count

    h.cbMipImprovingSolution.subscribe(on_improve)
    h.cbMipInterrupt.subscribe(on_interrupt)
    t1 = time.perf_counter()
    if ticker:
        ticker.start()
    try:
        res = opt.solve(m)
    finally:
        if ticker:
            ticker.stop()
        h.cbMipImprovingSolution.unsubscribe(on_improve)
        h.cbMipInterrupt.unsubscribe(on_interrupt)
    seconds = time.perf_counter() - t1
    info = h.getInfo()
    is_mip = _has_integers(m)
    tc = res.termination_condition
    has_sol = res.solution_status in (SolutionStatus.feasible, SolutionStatus.optimal)
    stats = SolverStats(
        status=_status(tc, has_sol),
        termination=str(tc.name),
        objective=None,
        bound=None,
        mip_gap=None,
        seconds=seconds,
        nodes=max(int(info.mip_node_count), 0),
        transfer_seconds=transfer,
        solver_version=".".join(str(x) for x in opt.version()),
        lp=not is_mip,
    )
    if tc == TerminationCondition.provenInfeasible or tc == TerminationCondition.infeasibleOrUnbounded:
        stats.status = "infeasible" if tc == TerminationCondition.provenInfeasible else "infeasible_or_unbounded"
        return stats
    if tc == TerminationCondition.unbounded:
        stats.status = "unbounded"
        return stats
    if not has_sol:
        if tc == TerminationCondition.maxTimeLimit:
            raise SolveError(f"HiGHS found no feasible solution within the time limit of {opts.time_limit_s:g} s; "
                             f"raise --time-limit, loosen --gap, or try --typical-days")
        raise SolveError(f"HiGHS stopped without a solution (termination: {tc.name})")
    res.solution_loader.load_vars()
    stats.objective = res.incumbent_objective / OBJ_SCALE
    if is_mip:
        bound = res.objective_bound
        stats.bound = bound / OBJ_SCALE if bound is not None else None
        stats.mip_gap = float(info.mip_gap) if info.mip_gap < 1e30 else None
    else:
        stats.bound = stats.objective
        stats.mip_gap = 0.0
    return stats


def _has_integers(m) -> bool:
    from pyomo.environ import Var

    return any(v.is_integer() and not v.fixed for v in m.component_data_objects(Var, descend_into=True))


def _status(tc: TerminationCondition, has_sol: bool) -> str:
    if tc == TerminationCondition.convergenceCriteriaSatisfied:
        return "optimal"
    if tc == TerminationCondition.maxTimeLimit and has_sol:
        return "time_limit"
    if tc == TerminationCondition.interrupted and has_sol:
        return "interrupted"
    return tc.name


class _Ticker:
    """Calls progress(state) every few seconds while HiGHS works (the solve itself holds the main thread)."""

    def __init__(self, state: dict, progress: ProgressFn, every_s: float):
        self.state, self.progress, self.every = state, progress, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.t0 = time.perf_counter()

    def start(self) -> None:
        self.t0 = time.perf_counter()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1.0)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.progress({**self.state, "elapsed_s": time.perf_counter() - self.t0})


def solve_direct(hm, opts: SolveOptions | None = None, progress: ProgressFn | None = None) -> SolverStats:
    """Solve a HighsModel (planner/highs_model.py) with the options, report status, and load the solution."""
    import highspy

    opts = opts or SolveOptions()
    h = hm.h
    h.setOptionValue("output_flag", bool(opts.log))
    h.setOptionValue("log_to_console", bool(opts.log))
    h.setOptionValue("time_limit", float(opts.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(opts.mip_gap))
    if opts.threads:
        h.setOptionValue("threads", int(opts.threads))
    state = {"incumbent": None, "bound": None, "gap": None, "nodes": 0}

    def on_improve(e) -> None:
        state["incumbent"] = e.data_out.mip_primal_bound / OBJ_SCALE

    def on_interrupt(e) -> None:
        d = e.data_out
        state["bound"], state["gap"], state["nodes"] = d.mip_dual_bound / OBJ_SCALE, d.mip_gap, d.mip_node_count

    h.cbMipImprovingSolution.subscribe(on_improve)
    h.cbMipInterrupt.subscribe(on_interrupt)
    ticker = _Ticker(state, progress, opts.progress_every_s) if progress else None
    t1 = time.perf_counter()
    if ticker:
        ticker.start()
    try:
        h.run()
    finally:
        if ticker:
            ticker.stop()
        h.cbMipImprovingSolution.unsubscribe(on_improve)
        h.cbMipInterrupt.unsubscribe(on_interrupt)
    seconds = time.perf_counter() - t1
    info = h.getInfo()
    ms = h.getModelStatus()
    S = highspy.HighsModelStatus
    has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
    status = {S.kOptimal: "optimal", S.kInfeasible: "infeasible", S.kUnbounded: "unbounded",
              S.kUnboundedOrInfeasible: "infeasible_or_unbounded", S.kTimeLimit: "time_limit",
              S.kInterrupt: "interrupted"}.get(ms, h.modelStatusToString(ms))
    stats = SolverStats(status=status, termination=h.modelStatusToString(ms), objective=None, bound=None,
                        mip_gap=None, seconds=seconds, nodes=max(int(info.mip_node_count), 0),
                        solver_version=h.version(),
                        lp=not hm.is_mip)
    if status in ("infeasible", "infeasible_or_unbounded", "unbounded"):
        return stats
    if not has_sol:
        if status == "time_limit":
            raise SolveError(f"HiGHS found no feasible solution within the time limit of {opts.time_limit_s:g} s; "
                             f"raise --time-limit, loosen --gap, or try --typical-days")
        raise SolveError(f"HiGHS stopped without a solution (status: {stats.termination})")
    hm.load()
    stats.objective = hm.objective() / OBJ_SCALE
    if hm.is_mip:
        stats.bound = float(info.mip_dual_bound) / OBJ_SCALE
        stats.mip_gap = float(info.mip_gap) if info.mip_gap < 1e30 else None
    else:
        stats.bound, stats.mip_gap = stats.objective, 0.0
    return stats
