"""Branch and bound over the few sizing integers, each node a warm-started LP on one HiGHS instance.

The planning MILP has 1-7 integer columns (fleet counts) next to ~100k continuous hourly columns.
HiGHS's MIP solver spends its time on cuts and heuristics over the whole model at the root node; a
lumpy unit (one reactor, effectively 0/1) leaves its LP bound loose and it may not branch at all
(../shared/reference/PERF-BASELINE.md, addendum 2). Here each node only changes the bounds of the
integer columns and HiGHS re-solves the LP from the basis it already holds (dual simplex hot start).
Best-first: the open node with the highest LP bound is solved next; every node's LP solution is
rounded to the nearest integers and the rounded design evaluated (an LP with the integers fixed) for
an incumbent; the most fractional integer, weighted by its objective coefficient, is branched on.
Selected with `SolveOptions.strategy = "bnb"` (`planner run --mip-strategy bnb`).
"""

from __future__ import annotations

import heapq
import itertools
import math
import time

import highspy
import numpy as np

from planner.errors import SolveError
from planner.model import OBJ_SCALE
from planner.solve import ProgressFn, SolveOptions, SolverStats

INT_TOL = 1e-6


class _Lp:
    """The relaxed model on one HiGHS instance, re-solved under different bounds of the integer columns."""

    def __init__(self, hm, opts: SolveOptions, deadline: float):
        self.hm, self.h, self.deadline = hm, hm.h, deadline
        self.cols = np.array(hm.integer_cols, dtype=np.int32)
        self.sign = 1.0 if hm.maximize else -1.0  # work in "larger is better"
        self.lps = 0
        h = self.h
        h.setOptionValue("output_flag", bool(opts.log))
        if opts.threads:
            h.setOptionValue("threads", int(opts.threads))
        n = len(self.cols)
        h.changeColsIntegrality(n, self.cols, np.zeros(n, dtype=np.uint8))

    def solve(self, lb: np.ndarray, ub: np.ndarray, basis=None) -> tuple[str, float, np.ndarray | None]:
        """('optimal', objective, integer values) or ('infeasible'|'time_limit'|status, nan, None).

        `basis` (a parent node's) is where the dual simplex starts; otherwise from the last LP solved.
        """
        remaining = self.deadline - time.perf_counter()
        if remaining <= 0:
            return "time_limit", math.nan, None
        h = self.h
        h.setOptionValue("time_limit", float(remaining))
        h.changeColsBounds(len(self.cols), self.cols, lb.astype(float), ub.astype(float))
        if basis is not None:
            h.setBasis(basis)
        h.run()
        self.lps += 1
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.asarray(h.getSolution().col_value)[self.cols]
            return "optimal", self.sign * float(h.getInfo().objective_function_value), x
        if status == highspy.HighsModelStatus.kInfeasible:
            return "infeasible", math.nan, None
        if status == highspy.HighsModelStatus.kTimeLimit:
            return "time_limit", math.nan, None
        if status == highspy.HighsModelStatus.kUnbounded:
            return "unbounded", math.nan, None
        if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
            return "infeasible_or_unbounded", math.nan, None
        return h.modelStatusToString(status), math.nan, None


def solve_bnb(hm, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
              start: np.ndarray | None = None) -> SolverStats:
    """Solve a HighsModel's MILP by branch and bound over its integer columns; load the best plan found.

    `start` (values of the integer columns, e.g. the base case's design in a sensitivity run) is
    evaluated first as the incumbent, so that nodes which cannot beat it are never branched.
    """
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    lp = _Lp(hm, opts, t0 + opts.time_limit_s)
    cols = lp.cols
    lb0 = np.array([hm.columns[i].lb if hm.columns[i].lb is not None else -np.inf for i in cols], dtype=float)
    ub0 = np.array([hm.columns[i].ub if hm.columns[i].ub is not None else np.inf for i in cols], dtype=float)
    cost = np.abs(np.asarray(hm.h.getLp().col_cost_)[cols])
    best_obj, best_x, best_solution = -math.inf, None, None
    tried: set[tuple] = set()
    counter = itertools.count()
    heap: list[tuple] = [(-math.inf, next(counter), lb0, ub0, None)]  # (-bound, tie, lb, ub, parent basis)
    status, stopped = "optimal", False
    pruned_bound = -math.inf  # the best LP bound of the nodes pruned within the gap

    def gap_of(bound: float) -> float:
        if best_x is None:
            return math.inf
        return max(0.0, bound - best_obj) / max(abs(best_obj), 1e-9)

    def open_bound() -> float:
        """The proven bound: the best of the open nodes, the nodes pruned within the gap and the incumbent."""
        return max([-b for b, *_ in heap] + [best_obj, pruned_bound])

    def keep_if_better(obj: float, x: np.ndarray) -> None:
        nonlocal best_obj, best_x, best_solution
        if obj > best_obj:
            best_obj, best_x = obj, np.round(x)
            best_solution = np.array(lp.h.getSolution().col_value)  # loaded at the end, no re-solve

    def try_design(x: np.ndarray) -> None:
        key = tuple(np.round(x).astype(int))
        if key in tried:
            return
        tried.add(key)
        fixed = np.clip(np.round(x), lb0, ub0)
        st, obj, _ = lp.solve(fixed, fixed)
        if st == "optimal":
            keep_if_better(obj, fixed)

    if start is not None:
        try_design(np.asarray(start, dtype=float))
    while heap:
        neg_bound, _, lb, ub, basis = heapq.heappop(heap)
        parent_bound = -neg_bound
        if best_x is not None and gap_of(parent_bound) <= opts.mip_gap:
            heapq.heappush(heap, (neg_bound, next(counter), lb, ub, basis))  # keep it: its bound is the proof
            break
        st, obj, x = lp.solve(lb, ub, basis)
        if st == "time_limit":
            heapq.heappush(heap, (neg_bound, next(counter), lb, ub, basis))
            stopped = True
            break
        if st != "optimal":
            if st != "infeasible":
                status = st
            continue
        frac = np.abs(x - np.round(x))
        if best_x is not None and gap_of(obj) <= opts.mip_gap:
            pruned_bound = max(pruned_bound, obj)  # still part of the proven bound
            if frac.max() > INT_TOL:
                try_design(x)  # one cheap LP: its rounding may still be a better plan within the gap
            continue  # this subtree cannot improve the incumbent by more than the gap
        if frac.max() <= INT_TOL:
            keep_if_better(obj, x)
            continue
        node_basis = lp.h.getBasis()  # the children start from here, not from the rounding LP below
        try_design(x)
        j = int(np.argmax(np.where(frac > INT_TOL, frac * np.maximum(cost, 1e-12), -1.0)))
        down_ub, up_lb = ub.copy(), lb.copy()
        down_ub[j], up_lb[j] = math.floor(x[j]), math.ceil(x[j])
        heapq.heappush(heap, (-obj, next(counter), lb, down_ub, node_basis))
        heapq.heappush(heap, (-obj, next(counter), up_lb, ub, node_basis))
        if progress:
            progress({"incumbent": best_obj / OBJ_SCALE * lp.sign if best_x is not None else None,
                      "bound": open_bound() / OBJ_SCALE * lp.sign, "gap": gap_of(open_bound()),
                      "nodes": lp.lps, "elapsed_s": time.perf_counter() - t0})
    bound = open_bound()
    seconds = time.perf_counter() - t0
    stats = SolverStats(status="optimal", termination="branch and bound over the sizing integers",
                        objective=None, bound=None, mip_gap=None, seconds=seconds, nodes=lp.lps,
                        solver="HiGHS (LP) + planner branch and bound", solver_version=hm.h.version())
    if best_x is None:
        if stopped:
            raise SolveError(f"the branch and bound found no feasible solution within the time limit of "
                             f"{opts.time_limit_s:g} s; raise --time-limit, loosen --gap, or try --typical-days")
        stats.status = "infeasible" if status == "optimal" else status
        stats.termination = "no node of the branch and bound gave a feasible plan"
        return stats
    hm.load(best_solution)  # the incumbent's LP solution (integers fixed): optimal dispatch for that design
    lp.h.changeColsBounds(len(cols), cols, lb0, ub0)  # leave the instance as it came, relaxed
    stats.seconds = time.perf_counter() - t0
    stats.status = "time_limit" if stopped else "optimal"
    stats.objective = lp.sign * best_obj / OBJ_SCALE
    stats.bound = lp.sign * bound / OBJ_SCALE  # open_bound() is never below the incumbent
    stats.mip_gap = gap_of(bound)
    return stats
