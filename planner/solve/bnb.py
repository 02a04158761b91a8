"""Branch and bound over the few sizing integers, each node a warm-started LP on a HiGHS instance.

The planning MILP has 1-7 integer columns (fleet counts) next to ~100k continuous hourly columns.
HiGHS's MIP solver spends its time on cuts and heuristics over the whole model at the root node; a
lumpy unit (one reactor, effectively 0/1) leaves its LP bound loose and it may not branch at all
(docs/performance.md). Here a node only changes the bounds of the
integer columns, and its LP is re-solved by the dual simplex from its parent's basis (Devex pricing:
steepest-edge weights would have to be recomputed for ~100k rows at every hot start).

Best-first: the open nodes with the highest LP bound are solved next. Every node's LP solution is
rounded to the nearest integers and the rounded design evaluated for an incumbent (an LP with the integers
fixed, hot from the node's basis within the iteration cap: 90-9,800 iterations where a solve from scratch with
presolve took 17-42k, on every example 1.3-50x faster; docs/performance.md); the most fractional integer,
weighted by its objective coefficient, is branched on.

The LPs of one round (up to `workers` best open nodes, then the designs waiting to be evaluated) run
in parallel threads, each on a free HiGHS instance (highspy releases the GIL while it solves); results
are taken in a fixed order, so the search does not depend on which thread finishes first. Selected with
`SolveOptions.strategy = "bnb"` (`planner run --mip-strategy bnb`).
"""

from __future__ import annotations

import heapq
import itertools
import math
import os
import queue
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np

from planner.solve.highs_model import HighsModel
from planner.solve.options import ProgressFn, SolveOptions, SolverStats, gap_proved, no_plan_error
from planner.solve.stop import run_highs

INT_TOL = 1e-6
DEVEX = 1  # HiGHS simplex_dual_edge_weight_strategy
CHOOSE = -1
DUAL, PRIMAL = 1, 4  # HiGHS simplex_strategy
# a hot start that needs more dual simplex iterations than this fraction of the rows is abandoned for a solve
# from scratch with presolve (a from-scratch solve of an example takes 0.55-0.85 x its rows in iterations)
HOT_ITERATIONS_PER_ROW = 0.25
# the same for the base design and the root LP of a re-priced model, each started from the basis the instance
# holds (a sensitivity case: the base solve's) with the primal simplex (`Repriced`): they either stay near the
# base plan (a few thousand iterations) or re-plan the year, and then a solve from scratch with presolve is faster
HELD_ITERATIONS_PER_ROW = 0.1
# the root of a re-priced model goes on from its held basis only if the new costs leave it no larger
# reduced-cost violation than this many times the base design's (integers fixed): a larger one sits on a sizing
# column, or on an hour whose price sets a size, so the relaxed design moves and the primal simplex re-plans the
# year (measured: ratio 1 where the root then took 2-7k fast primal iterations, 170-9700 where it took 1-7 s,
# 2-5x a solve from scratch; docs/performance.md)
REDESIGN_DUAL_INFEASIBILITY_RATIO = 10.0
_STATUS = {highspy.HighsModelStatus.kOptimal: "optimal", highspy.HighsModelStatus.kInfeasible: "infeasible",
           highspy.HighsModelStatus.kTimeLimit: "time_limit", highspy.HighsModelStatus.kUnbounded: "unbounded",
           highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible_or_unbounded",
           highspy.HighsModelStatus.kObjectiveBound: "cutoff"}


@dataclass(frozen=True)
class Repriced:
    """A job's start: a basis the primal simplex goes on from, within `iterations_per_row` x rows iterations.

    Either the basis of the plan solved before the model was re-priced (only costs changed): still primal
    feasible, whereas the dual simplex would first have to repair dual feasibility in every hour whose cost
    moved. Or this model's own optimum with its integer columns fixed (`solve_bnb(fixed_start=True)`), from which
    the root LP only relaxes those columns' bounds (measured on west_texas over 4 periods: 9.2k primal
    iterations, 4.4 s, against 18.7k dual, 9.4 s, and 52k from scratch, 23.8 s; docs/periods.md).

    `max_dual_infeasibility`: if set, a zero-iteration probe measures the largest reduced-cost violation the new
    costs leave at that basis (`_Solved.start_dual_infeasibility`); above this limit the LP is solved from
    scratch with presolve instead (`REDESIGN_DUAL_INFEASIBILITY_RATIO`; math.inf: measured only).
    """

    basis: object
    max_dual_infeasibility: float | None = None
    iterations_per_row: float = HELD_ITERATIONS_PER_ROW


@dataclass
class _Solved:
    """One LP's outcome: status, objective ("larger is better"), integer values, full solution, basis."""

    status: str
    obj: float = math.nan
    x: np.ndarray | None = None
    solution: np.ndarray | None = None
    basis: object = None
    start_dual_infeasibility: float = math.nan  # a Repriced start's largest reduced-cost violation, before solving


def start_dual_infeasibility(h: highspy.Highs) -> float:
    """The largest reduced-cost violation at the basis HiGHS holds (zero simplex iterations: one factorisation;
    the solve that follows goes on from it)."""
    h.setOptionValue("simplex_iteration_limit", 0)
    try:
        run_highs(h)
    finally:
        h.setOptionValue("simplex_iteration_limit", highspy.kHighsIInf)
    return float(h.getInfo().max_dual_infeasibility)


def run_capped(h: highspy.Highs, cap: int | None) -> None:
    """Solve the LP HiGHS holds; with `cap`, a hot start that has not finished within that many simplex
    iterations (gone far from its basis, or stalled) is abandoned and the LP solved from scratch, with presolve
    and the edge weights HiGHS chooses (an iteration count, not a time: the choice is the same on every run)."""
    if cap is None:
        run_highs(h)
        return
    h.setOptionValue("simplex_iteration_limit", int(cap))
    try:
        run_highs(h)
    finally:
        h.setOptionValue("simplex_iteration_limit", highspy.kHighsIInf)
    if h.getModelStatus() == highspy.HighsModelStatus.kIterationLimit:
        h.clearSolver()
        h.setOptionValue("simplex_strategy", DUAL)
        h.setOptionValue("simplex_dual_edge_weight_strategy", CHOOSE)
        _set_cutoff(h, -math.inf)
        run_highs(h)


def _set_cutoff(h: highspy.Highs, cutoff: float) -> None:
    """Stop the dual simplex once it proves the LP's optimum below `cutoff` ("larger is better"; -inf: never).

    The instance minimises (_Pool: a maximised objective negated), as HiGHS's `objective_bound` needs. HiGHS
    checks the bound at the true costs, and reads a bound of -inf as soon as one reduced cost has the wrong sign on
    a column with an infinite bound; its cost perturbation leaves such signs (1e-9 against perturbations of
    2e-6), so with a cutoff the costs are not perturbed (iceland: a node 31 % below the incumbent, cut off after
    100 iterations instead of solved in 13,076, 0.1 s against 3.8 s).
    """
    h.setOptionValue("objective_bound", -cutoff)
    h.setOptionValue("dual_simplex_cost_perturbation_multiplier", 0.0 if cutoff > -math.inf else 1.0)


class _Lp:
    """The relaxed model on one HiGHS instance, re-solved under different bounds of the integer columns."""

    def __init__(self, h: highspy.Highs, cols: np.ndarray, opts: SolveOptions, deadline: float):
        self.h, self.cols, self.deadline = h, cols, deadline
        # HiGHS's own `threads` is left alone: its simplex is serial here, and a process cannot change it
        # once HiGHS has started its scheduler
        h.setOptionValue("output_flag", bool(opts.log))
        n = len(cols)
        h.changeColsIntegrality(n, cols, np.zeros(n, dtype=np.uint8))

    def solve(self, lb: np.ndarray, ub: np.ndarray, basis=None, cap: int | None = None,
              cutoff: float = -math.inf) -> _Solved:
        """The LP under these integer bounds: hot-started from `basis` (dual simplex), from scratch (None,
        with presolve), or from a `Repriced` basis (primal simplex).

        `cap`: a hot start that has not finished within this many simplex iterations is abandoned and the LP
        solved from scratch instead (an iteration count, not a time: the choice is the same on every run).
        `cutoff` ("larger is better"; a hot start only): the dual simplex stops, status "cutoff", once its
        objective proves the LP's optimum is below it (HiGHS's `objective_bound`, checked at the true costs).
        """
        remaining = self.deadline - time.perf_counter()
        if remaining <= 0:
            return _Solved("time_limit")
        h = self.h
        h.setOptionValue("time_limit", float(h.getRunTime() + remaining))  # HiGHS counts all its runs
        h.changeColsBounds(len(self.cols), self.cols, lb.astype(float), ub.astype(float))
        h.clearSolver()  # what another LP left (its factorisation, scaling) makes a hot start 2x slower
        start_dinf = math.nan
        try:  # Interrupted if a stop was requested (stop.py)
            if isinstance(basis, Repriced):
                h.setBasis(basis.basis)
                h.setOptionValue("simplex_strategy", PRIMAL)
                limit = basis.max_dual_infeasibility
                if limit is not None and (start_dinf := start_dual_infeasibility(h)) > limit:
                    h.clearSolver()  # the design moves: from scratch, dual simplex
                    h.setOptionValue("simplex_strategy", DUAL)
                    basis = None
            if basis is None:
                h.setOptionValue("simplex_dual_edge_weight_strategy", CHOOSE)
            elif not isinstance(basis, Repriced):
                h.setBasis(basis)
                h.setOptionValue("simplex_dual_edge_weight_strategy", DEVEX)
                if cutoff > -math.inf:
                    _set_cutoff(h, cutoff)
            run_capped(h, cap if basis is not None else None)
        finally:
            h.setOptionValue("simplex_strategy", DUAL)
            _set_cutoff(h, -math.inf)
        ms = h.getModelStatus()
        status = _STATUS.get(ms, h.modelStatusToString(ms))
        if status != "optimal":
            return _Solved(status)
        solution = np.asarray(h.getSolution().col_value)
        return _Solved("optimal", -float(h.getInfo().objective_function_value),  # (the instance minimises: _Pool)
                       solution[self.cols].copy(), solution.copy(), h.getBasis(), start_dinf)


class _Pool:
    """Up to `workers` HiGHS instances holding the same LP; solves a list of jobs in parallel.

    The first instance is the model's own (`hm.h`): `close()` gives it back as it came (the columns'
    bounds and integrality, the pricing option, the objective's sense), holding the basis of its last LP.
    """

    def __init__(self, hm: HighsModel, cols: np.ndarray, opts: SolveOptions, deadline: float, workers: int):
        self.cols = np.asarray(cols, dtype=np.int32)
        n = len(self.cols)
        _, _, cost, self.lb0, self.ub0, _ = hm.h.getCols(n, self.cols)  # as HiGHS has them
        self.cost = np.abs(cost)
        self.integrality0 = np.array([int(hm.h.getColIntegrality(int(i))[1]) for i in self.cols], dtype=np.uint8)
        self.opts, self.deadline, self.workers = opts, deadline, max(1, workers)
        # every instance minimises (a maximised objective is negated), so that minus its LPs' objectives is "larger
        # is better", and HiGHS's dual simplex can cut off (objective_bound works only then; its internal costs are
        # the same either way)
        if hm.maximize:
            _negate_objective(hm.h, highspy.ObjSense.kMinimize)
        self.maximize, self.scale = hm.maximize, hm.scale
        self.lps = [_Lp(hm.h, self.cols, opts, deadline)]
        self.n_rows = hm.n_rows
        self.hot_cap = self.cap(HOT_ITERATIONS_PER_ROW)
        self.held_cap = self.cap(HELD_ITERATIONS_PER_ROW)
        self.solved = 0
        self._executor: ThreadPoolExecutor | None = None

    def _grow(self, n: int) -> None:
        while len(self.lps) < n:
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            h.passModel(self.lps[0].h.getLp())  # a copy of instance 0; every job sets its own bounds
            self.lps.append(_Lp(h, self.cols, self.opts, self.deadline))

    def cap(self, iterations_per_row: float) -> int:
        """A hot start's simplex iteration cap on this model (HOT_ITERATIONS_PER_ROW, HELD_ITERATIONS_PER_ROW)."""
        return max(1000, int(iterations_per_row * self.n_rows))

    def usd(self, obj: float) -> float:
        """A "larger is better" objective of these instances as the model's objective (NPV, USD)."""
        return (obj if self.maximize else -obj) / self.scale

    def run(self, jobs: list[tuple]) -> list[_Solved]:
        """Solve (lb, ub, basis[, cap[, cutoff]]) jobs on up to `workers` threads, each job on a free instance; results
        in the order of the jobs (so the search does not depend on which finishes first)."""
        self.solved += len(jobs)
        if len(jobs) == 1 or self.workers == 1:
            return [self.lps[0].solve(*job) for job in jobs]
        self._grow(min(len(jobs), self.workers))
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.workers)
        free: queue.SimpleQueue[_Lp] = queue.SimpleQueue()
        for lp in self.lps:
            free.put(lp)

        def on_free_instance(job) -> _Solved:
            lp = free.get()
            try:
                return lp.solve(*job)
            finally:
                free.put(lp)

        return list(self._executor.map(on_free_instance, jobs))

    def close(self) -> None:
        """Stop (LPs not yet started are dropped) and give the model's own instance back as it came."""
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
        del self.lps[1:]
        h, n = self.lps[0].h, len(self.cols)
        h.changeColsBounds(n, self.cols, self.lb0, self.ub0)
        h.changeColsIntegrality(n, self.cols, self.integrality0)
        h.setOptionValue("simplex_dual_edge_weight_strategy", CHOOSE)
        if self.maximize:
            _negate_objective(h, highspy.ObjSense.kMaximize)


def _negate_objective(h: highspy.Highs, sense) -> None:
    """The same problem in `sense`: costs and offset negated, if it is in the other sense now (HiGHS keeps the
    basis it holds)."""
    if h.getObjectiveSense()[1] == sense:
        return
    cols = np.arange(h.getNumCol(), dtype=np.int32)
    cost = -np.asarray(h.getCols(len(cols), cols)[2])  # (no copy of the matrix)
    h.changeObjectiveSense(sense)
    h.changeColsCost(len(cols), cols, cost)
    h.changeObjectiveOffset(-h.getObjectiveOffset()[1])


def _branch_column(frac: np.ndarray, cost: np.ndarray) -> int:
    """The most fractional integer column weighted by its objective coefficient (an infinite cost counts most)."""
    score = np.full(len(frac), -1.0)
    mask = frac > INT_TOL
    score[mask] = frac[mask] * np.maximum(cost[mask], 1e-12)  # only fractional columns: never 0 x inf
    return int(np.argmax(score))


def default_workers(opts: SolveOptions) -> int:
    """Parallel LPs: the --threads setting, else up to two (on a 2-core machine both cores)."""
    return int(opts.threads) if opts.threads else max(1, min(2, os.cpu_count() or 1))


def evaluate_designs(hm: HighsModel, cols: np.ndarray, designs: list[np.ndarray], opts: SolveOptions,
                     basis=None, workers: int | None = None) -> list[float | None]:
    """Objective (USD) of the LP with the columns `cols` fixed at each design (None: no solution).

    Each is solved from scratch (presolve removes what the fixed sizes make trivial) or, given a `basis`
    (e.g. the plan's, `held_basis`), hot-started from it, falling back to from scratch past the iteration
    cap (HOT_ITERATIONS_PER_ROW); in parallel on `workers` instances (default: two).
    """
    pool = _Pool(hm, cols, opts, time.perf_counter() + opts.time_limit_s, workers or default_workers(opts))
    try:
        results = pool.run([(d, d, basis, pool.hot_cap) for d in designs])
    finally:
        pool.close()
    return [pool.usd(r.obj) if r.status == "optimal" else None for r in results]


def held_basis(hm: HighsModel):
    """The basis the model's own instance holds (after a solve, e.g. the duals' LP: the plan's), or None."""
    basis = hm.h.getBasis()
    return basis if basis.valid else None


def solve_one_integer(hm: HighsModel, opts: SolveOptions, start: float) -> SolverStats | None:
    """A re-priced model with one integer column k, from `start` (the base plan's k) and the plan's basis held on
    the instance: the exact optimum by a walk along k, or None (then HiGHS's MIP solves it).

    f(k), the LP's optimum with k fixed, is concave in k (an LP's optimal value as a function of one of its
    bounds; -inf where infeasible), so a k whose neighbours' LPs are no better is optimal over all integers, and
    the walk goes one unit at a time towards the better neighbour until the next is no better. The first LP goes
    on from the held basis (primal simplex: only costs changed), each next from the last (dual simplex: one bound
    moved), within the caps of the branch and bound. The bound equals the plan's NPV (gap 0, to LP tolerances).
    None when an LP ends neither optimal nor infeasible, or the plan's own design is infeasible.
    """
    t0 = time.perf_counter()
    basis0 = hm.h.getBasis()
    if len(hm.integer_cols) != 1 or not basis0.valid:
        return None
    pool = _Pool(hm, hm.integer_cols, opts, t0 + opts.time_limit_s, 1)
    lo, hi = float(pool.lb0[0]), float(pool.ub0[0])
    solved: dict[float, _Solved] = {}

    def at(k: float, basis) -> _Solved:
        design = np.array([k])
        cap = pool.held_cap if isinstance(basis, Repriced) else pool.hot_cap
        solved[k] = pool.run([(design, design, basis, cap)])[0]
        return solved[k]

    try:
        k = float(np.clip(round(start), lo, hi))
        best = at(k, Repriced(basis0))
        if best.status != "optimal":
            return None
        for step in (1.0, -1.0):
            moved = False
            while lo <= k + step <= hi:
                r = at(k + step, best.basis)
                if r.status not in ("optimal", "infeasible"):
                    return None
                if r.status == "infeasible" or r.obj <= best.obj:
                    break
                k, best, moved = k + step, r, True
            if moved:
                break  # f(k - 1) < f(k) follows from concavity: no need to look the other way
    finally:
        pool.close()
    hm.h.clearSolver()
    hm.h.setBasis(best.basis)  # a re-priced re-solve goes on from here
    hm.load(best.solution)
    npv = pool.usd(best.obj)
    return SolverStats(status="optimal", termination="one integer: the LP's optimum is concave in it, and its "
                       "neighbours' LPs (within its bounds) are no better", objective=npv, bound=npv, mip_gap=0.0,
                       seconds=time.perf_counter() - t0, nodes=len(solved),
                       solver="HiGHS (LP) + planner walk over one integer", solver_version=hm.h.version(),
                       designs_npv_usd={(int(d),): pool.usd(r.obj) for d, r in solved.items()
                                        if r.status == "optimal"})


def solve_bnb(hm: HighsModel, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
              start: np.ndarray | None = None, fixed_start: bool = False) -> SolverStats:
    """Solve a HighsModel's MILP by branch and bound over its integer columns; load the best plan found.

    `start` (values of the integer columns, e.g. the base case's design in a sensitivity run) is
    evaluated first as the incumbent, so that nodes which cannot beat it are never branched. If the
    instance holds a basis (a model re-priced in place), `start` starts from it and the root LP from
    `hm.root_basis` (`Repriced`: primal simplex), each within `HELD_ITERATIONS_PER_ROW` x rows simplex
    iterations, else solved from scratch (with presolve); the root also from scratch at once if the new costs
    leave its basis a reduced-cost violation above `REDESIGN_DUAL_INFEASIBILITY_RATIO` x the design's.

    `fixed_start`: the basis the instance holds is this model's optimum with its integer columns fixed at `start`
    (the same costs; planner/periods.py: the fleets held). `start` is then read from it (no iteration), and the
    root goes on from it by the primal simplex, within `HOT_ITERATIONS_PER_ROW` x rows iterations (else from
    scratch).
    """
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    # a re-priced model (the instance holds a plan's basis; the sensitivity cache sets the base plan's and the
    # base root's): `start` starts from that basis, the root from hm.root_basis (primal feasible: only costs changed)
    basis0 = hm.h.getBasis()
    held = Repriced(basis0, math.inf) if basis0.valid else None  # its violation measured: the root's reference
    root_start = Repriced(hm.root_basis) if held is not None and hm.root_basis is not None else held
    if fixed_start and held is not None and start is not None:  # the start's optimum: the root only relaxes bounds
        held = Repriced(basis0)
        root_start = Repriced(basis0, None, HOT_ITERATIONS_PER_ROW)
    pool = _Pool(hm, hm.integer_cols, opts, t0 + opts.time_limit_s, default_workers(opts))
    lb0, ub0, cost = pool.lb0, pool.ub0, pool.cost
    best_obj, best_x, best_solution, best_basis = -math.inf, None, None, None
    design_values: dict[tuple[int, ...], float] = {}  # each design LP solved to its optimum -> NPV in USD
    tried: set[tuple] = set()
    designs: list[tuple[np.ndarray, object]] = []  # rounded designs waiting to be evaluated, and their start
    counter = itertools.count()
    heap: list[tuple] = []  # open nodes (-bound, tie, lb, ub, start); the root (tie 0) once `start` is evaluated
    status, stopped = "optimal", None  # stopped: "time_limit" or "node_limit" once a limit stops the search
    pruned_bound = -math.inf  # the best LP bound of the nodes pruned within the gap (or whose LP failed)
    failed: dict[str, int] = {}  # node LPs that ended neither optimal nor infeasible, by HiGHS status
    root_bound = None  # the root LP's optimum (USD)
    infeasible: list[tuple[tuple[float, ...], tuple[float, ...]]] = []  # integer bounds of LPs proved infeasible
    node_limit = opts.node_limit or math.inf

    def gap_of(bound: float) -> float:
        if best_x is None:
            return math.inf
        return max(0.0, bound - best_obj) / max(abs(best_obj), 1e-9)

    def open_bound() -> float:
        """The proven bound: the best of the open nodes, the nodes pruned within the gap and the incumbent."""
        return max([-b for b, *_ in heap] + [best_obj, pruned_bound])

    def best_open_within_gap() -> bool:
        return best_x is not None and gap_of(-heap[0][0]) <= opts.mip_gap

    def keep_design(d: np.ndarray, r: _Solved) -> None:
        if r.status == "infeasible":
            infeasible.append((tuple(d), tuple(d)))
        if r.status == "optimal":
            design_values[tuple(int(v) for v in d)] = pool.usd(r.obj)
            keep_if_better(r)

    def keep_if_better(r: _Solved) -> None:
        nonlocal best_obj, best_x, best_solution, best_basis
        if r.obj > best_obj:
            best_obj, best_x, best_solution, best_basis = r.obj, np.round(r.x), r.solution, r.basis

    def queue_design(x: np.ndarray, basis=None) -> None:
        """A rounded design to evaluate, hot from the basis of the node it was rounded from (None: from scratch)."""
        fixed = np.clip(np.round(x), lb0, ub0)
        key = tuple(fixed.astype(int))
        if key not in tried:
            tried.add(key)
            designs.append((fixed, basis))

    try:
        if start is not None:
            queue_design(np.asarray(start, dtype=float))
            if held is not None:  # alone, before the root
                d, _ = designs.pop(0)
                r = pool.run([(d, d, held, pool.held_cap)])[0]
                keep_design(d, r)
                if isinstance(root_start, Repriced) and not math.isnan(r.start_dual_infeasibility):
                    # the root goes on from its basis only if the re-pricing moves no more than the dispatch
                    tol = hm.h.getOptionValue("dual_feasibility_tolerance")[1]
                    limit = max(REDESIGN_DUAL_INFEASIBILITY_RATIO * r.start_dual_infeasibility, tol)
                    root_start = Repriced(root_start.basis, limit)
        heapq.heappush(heap, (-math.inf, next(counter), lb0, ub0, root_start))
        while heap or designs:
            if not designs and best_open_within_gap():
                break  # the best open node is within the gap: it stays in the heap, its bound is the proof
            nodes = []
            while heap and len(nodes) < pool.workers and not best_open_within_gap():
                nodes.append(heapq.heappop(heap))
            evaluate = designs[:pool.workers]
            del designs[:len(evaluate)]
            # nodes first (they take longest); the designs' incumbents are taken first all the same
            # the root of a re-priced model starts from hm.root_basis, within the cap (else from scratch)
            # a hot-started LP stops once it cannot beat the incumbent (cutoff): it would be pruned anyway; a design
            # runs to the end in a first solve, whose marginal units take its value (planner/run.py: marginal_units)
            cutoff = best_obj if best_x is not None else -math.inf
            design_cutoff = cutoff if held is not None else -math.inf
            results = pool.run([(n[2], n[3], n[4], pool.cap(n[4].iterations_per_row)
                                 if isinstance(n[4], Repriced) else None, cutoff) for n in nodes]
                               + [(d, d, b, pool.hot_cap, design_cutoff) for d, b in evaluate])
            for (d, _), r in zip(evaluate, results[len(nodes):], strict=True):
                keep_design(d, r)
            for node, r in zip(nodes, results[:len(nodes)], strict=True):
                neg_bound, tie, lb, ub, _basis = node
                if tie == 0 and r.status == "optimal":
                    hm.root_basis = r.basis  # the root: where the next re-priced solve's root starts
                    root_bound = pool.usd(r.obj)
                if r.status == "time_limit":
                    heapq.heappush(heap, node)
                    stopped = "time_limit"
                    continue
                if r.status in ("unbounded", "infeasible_or_unbounded"):
                    status = r.status  # the MILP has no finite optimum: reported as such, incumbent or not
                    continue
                if r.status == "cutoff":
                    continue  # its LP's optimum is below the incumbent: nothing for the proof beyond the incumbent
                if r.status == "infeasible":
                    infeasible.append((tuple(lb), tuple(ub)))
                if r.status != "optimal":
                    if r.status != "infeasible":  # e.g. a solver error: the parent's bound stays in the proof
                        pruned_bound = max(pruned_bound, -neg_bound)
                        failed[r.status] = failed.get(r.status, 0) + 1
                    continue
                frac = np.abs(r.x - np.round(r.x))
                if frac.max() <= INT_TOL:
                    keep_if_better(r)
                    continue
                if best_x is not None and gap_of(r.obj) <= opts.mip_gap:
                    pruned_bound = max(pruned_bound, r.obj)  # still part of the proven bound
                    if r.obj > best_obj:
                        queue_design(r.x, r.basis)  # its rounding may still be a better plan within the gap
                    continue  # this subtree cannot improve the incumbent by more than the gap
                queue_design(r.x, r.basis)
                j = _branch_column(frac, cost)
                down_ub, up_lb = ub.copy(), lb.copy()
                down_ub[j], up_lb[j] = math.floor(r.x[j]), math.ceil(r.x[j])
                heapq.heappush(heap, (-r.obj, next(counter), lb, down_ub, r.basis))
                heapq.heappush(heap, (-r.obj, next(counter), up_lb, ub, r.basis))
            if not stopped and (heap or designs):
                if time.perf_counter() >= pool.deadline:
                    stopped = "time_limit"
                elif pool.solved >= node_limit:
                    stopped = "node_limit"
            if stopped:
                break
            if progress:
                progress({"incumbent": pool.usd(best_obj) if best_x is not None else None,
                          "bound": pool.usd(open_bound()), "gap": gap_of(open_bound()),
                          "nodes": pool.solved, "elapsed_s": time.perf_counter() - t0})
    finally:  # also on Ctrl-C or an error
        pool.close()
        if best_basis is not None:  # whichever instance ran last, a re-priced re-solve goes on from here
            hm.h.clearSolver()
            hm.h.setBasis(best_basis)
    bound = open_bound()
    stats = SolverStats(status="optimal", termination="branch and bound over the sizing integers",
                        objective=None, bound=None, mip_gap=None, seconds=0.0, nodes=pool.solved,
                        solver="HiGHS (LP) + planner branch and bound", solver_version=hm.h.version(),
                        designs_npv_usd=design_values, root_bound_usd=root_bound, infeasible_boxes=infeasible)
    if status in ("unbounded", "infeasible_or_unbounded"):
        stats.status, stats.termination = status, "a node of the branch and bound was " + status.replace("_", " ")
        stats.seconds = time.perf_counter() - t0
        return stats
    if best_x is None:
        if stopped in ("time_limit", "node_limit"):
            raise no_plan_error(stopped, opts, "the branch and bound")
        stats.status = "infeasible" if status == "optimal" else status
        stats.termination = "no node of the branch and bound gave a feasible plan"
        stats.seconds = time.perf_counter() - t0
        return stats
    hm.load(best_solution)  # the incumbent's LP solution (integers fixed): optimal dispatch for that design
    stats.seconds = time.perf_counter() - t0
    stats.objective = pool.usd(best_obj)
    stats.bound = pool.usd(bound)  # open_bound() is never below the incumbent
    stats.mip_gap = gap_of(bound)
    if stopped:
        stats.status = stopped
    elif not gap_proved(stats.objective, stats.bound, opts.mip_gap):
        # the search ended, but nodes whose LP failed keep their parents' bounds in the proof
        stats.status = "gap_not_reached"
        stats.termination += f"; the gap {100 * stats.mip_gap:.3g} % is above the requested {100 * opts.mip_gap:.3g} %"
        if failed:
            stats.termination += " because the LPs of " + ", ".join(
                f"{n} node(s) ended '{k}'" for k, n in sorted(failed.items())) + " (their parents' bounds stay)"
    return stats
