"""Solve a HighsModel with HiGHS's own MIP (or LP) solver: status, gap, time, nodes, progress.

A time- or node-limited run with an incumbent returns it, flagged `time_limit` / `node_limit`; with
none it raises SolveError. HiGHS's "optimal" is checked against the requested gap: a plan whose proven
gap is above it (HiGHS can stop so on numerical trouble) is `gap_not_reached`. Progress (elapsed time,
incumbent NPV, bound, gap) goes to an optional callback.
"""

from __future__ import annotations

import threading
import time

import highspy

from planner.errors import SolveError
from planner.solve.highs_model import HighsModel
from planner.solve.options import ProgressFn, SolveOptions, SolverStats, gap_proved, no_plan_error
from planner.solve.stop import run_highs


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


def solve_direct(hm: HighsModel, opts: SolveOptions | None = None, progress: ProgressFn | None = None
                 ) -> SolverStats:
    """Solve a HighsModel with the options, report status, and load the solution into Pyomo."""
    opts = opts or SolveOptions()
    h = hm.h
    h.setOptionValue("output_flag", bool(opts.log))
    h.setOptionValue("log_to_console", bool(opts.log))
    h.setOptionValue("time_limit", float(h.getRunTime() + opts.time_limit_s))  # HiGHS counts all its runs
    h.setOptionValue("mip_rel_gap", float(opts.mip_gap))
    if opts.threads and hm.is_mip:
        # only HiGHS's MIP solver uses threads here (its simplex is serial); a process's HiGHS scheduler keeps the
        # thread count of its first run, and a run asking for another one fails ("Not Set"), e.g. after the branch
        # and bound: the idle scheduler is reset to take the new count
        h.setOptionValue("threads", int(opts.threads))
        highspy.Highs.resetGlobalScheduler(True)
    h.setOptionValue("mip_max_nodes", int(opts.node_limit) if opts.node_limit else highspy.kHighsIInf)
    state = {"incumbent": None, "bound": None, "gap": None, "nodes": 0}

    def on_improve(e) -> None:
        state["incumbent"] = e.data_out.mip_primal_bound / hm.scale

    def on_interrupt(e) -> None:
        d = e.data_out
        state["bound"], state["gap"], state["nodes"] = d.mip_dual_bound / hm.scale, d.mip_gap, d.mip_node_count

    h.cbMipImprovingSolution.subscribe(on_improve)
    h.cbMipInterrupt.subscribe(on_interrupt)
    ticker = _Ticker(state, progress, opts.progress_every_s) if progress else None
    t1 = time.perf_counter()
    if ticker:
        ticker.start()
    try:
        run_highs(h)  # Interrupted if a stop was requested (planner/solve/stop.py)
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
              S.kInterrupt: "interrupted", S.kSolutionLimit: "node_limit"}.get(ms, h.modelStatusToString(ms))
    stats = SolverStats(status=status, termination=h.modelStatusToString(ms), objective=None, bound=None,
                        mip_gap=None, seconds=seconds, nodes=max(int(info.mip_node_count), 0),
                        solver_version=h.version(),
                        lp=not hm.is_mip)
    if status in ("infeasible", "infeasible_or_unbounded", "unbounded"):
        return stats
    if not has_sol:
        if status in ("time_limit", "node_limit"):
            raise no_plan_error(status, opts, "HiGHS")
        raise SolveError(f"HiGHS stopped without a solution (status: {stats.termination})")
    hm.load()
    stats.objective = hm.objective()
    if hm.is_mip:
        stats.bound = float(info.mip_dual_bound) / hm.scale
        stats.mip_gap = float(info.mip_gap) if info.mip_gap < 1e30 else None
        if status == "optimal" and not gap_proved(stats.objective, stats.bound, opts.mip_gap):
            stats.status = "gap_not_reached"  # HiGHS stopped (e.g. numerical trouble) without the requested proof
            stats.termination += f"; gap {_pct(stats.mip_gap)} is above the requested {_pct(opts.mip_gap)}"
    else:
        stats.bound, stats.mip_gap = stats.objective, 0.0
    return stats


def _pct(gap: float | None) -> str:
    return "unknown" if gap is None else f"{100 * gap:.3g} %"
