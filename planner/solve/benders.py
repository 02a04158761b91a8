"""Benders decomposition (the L-shaped method) of a two-stage model whose first stage is a few sizes.

Each scenario is its own LP on its own HiGHS instance, with the first-stage columns fixed by their bounds at
the master's design x. Its optimal value V_s(x) is concave in x (the value of a maximising LP in its right-hand
side), and the reduced costs g_s of the fixed columns are a supergradient, so every evaluation gives a cut
theta_s <= V_s(x) + g_s (x' - x) that holds for every design x' (docs/formulation.md, (S5)). The master is a
small MILP over the designs (their integrality and bounds), one theta per scenario, and the risk terms:
max (1 - lambda) sum_s p_s theta_s + lambda (eta - 1/alpha sum_s p_s u_s), u_s >= eta - theta_s (S2-S4).
Its optimum bounds the answer from above; every evaluated design gives a lower bound. The loop stops when the
two are within the requested gap (proved), or at the iteration, node or time limit (flagged).

Each theta_s starts bounded by the scenario's LP relaxation with the design free (no design does better), and
that relaxation's solution gives the first cuts. The scenarios' LPs of one iteration run in parallel threads
(highspy releases the GIL), each hot from its own last basis; results are taken in scenario order, so the
answer does not depend on which thread finishes first.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import highspy
import numpy as np

from planner.solve.bnb import HOT_ITERATIONS_PER_ROW, default_workers, run_capped
from planner.solve.highs_model import INF
from planner.solve.options import SolveOptions, gap_proved
from planner.solve.stop import run_highs

MAX_ITERATIONS = 200
FEASIBLE_SHORTFALL = 1e-6  # an elastic shortfall (weighted MWh) at most this is no shortfall to cut
Feasibility = Callable[[int, np.ndarray], "tuple[float, np.ndarray] | None"]


@dataclass
class Scenario:
    """One scenario's LP: its HiGHS instance (the objective scaled, maximised) and its first-stage columns."""

    h: highspy.Highs
    cols: np.ndarray  # the first-stage columns, in the master's order
    scale: float  # HiGHS's objective = scale x USD


@dataclass
class BendersResult:
    # optimal | gap_not_reached | time_limit | node_limit (iterations) | infeasible | not_complete_recourse (a
    # design of the master leaves some scenario's LP infeasible: this method has no feasibility cuts)
    status: str
    x: np.ndarray | None
    values_usd: list[float] = field(default_factory=list)  # each scenario's NPV at x
    objective_usd: float | None = None
    bound_usd: float | None = None
    mip_gap: float | None = None
    iterations: int = 0
    seconds: float = 0.0


def solve_benders(subs: list[Scenario], probs: list[float], lb: np.ndarray, ub: np.ndarray, integer: np.ndarray,
                  opts: SolveOptions, risk_aversion: float = 0.0, cvar_alpha: float = 0.1,
                  feasibility: Feasibility | None = None, rows=()) -> BendersResult:
    """Maximise the risk-weighted expected value over the designs in [lb, ub] (integer where `integer`).

    `feasibility(k, x)`: for a design x that scenario k cannot serve, the elastic LP's least weighted shortfall
    F (> 0) and its subgradient g in x (planner/solve/elastic.py: YearCheck.cut); the cut F + g (x' - x) <= 0
    (S6) then removes x and every design no better served. Without it (or if it finds no shortfall) the
    result is `not_complete_recourse`. `rows`: (lower, columns, coefficients, upper) of the constraints among
    the designs alone (a battery's duration bounds, land, budget), which the master must hold.
    """
    t0 = time.perf_counter()
    deadline = t0 + opts.time_limit_s
    n, S = len(lb), len(subs)
    p = np.asarray(probs, dtype=float)
    scale = subs[0].scale
    for s in subs:
        s.h.setOptionValue("output_flag", bool(opts.log))
        k = len(s.cols)
        s.h.changeColsIntegrality(k, s.cols, np.zeros(k, dtype=np.uint8))
    master = _Master(n, S, p, lb, ub, integer, risk_aversion, cvar_alpha, opts)
    for lo, idx, coef, hi in rows:
        master.h.addRow(lo, hi, len(idx), idx, coef)
    workers = max(1, min(S, default_workers(opts)))
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None

    def evaluate(design: np.ndarray | None) -> list[tuple[float, np.ndarray] | None]:
        jobs = [(s, design) for s in subs]
        return list(pool.map(_solve_sub, jobs)) if pool else [_solve_sub(j) for j in jobs]

    try:
        first = evaluate(None)  # the design free: upper bounds on theta and the first cuts
        if any(r is None for r in first):
            return BendersResult("infeasible", None, seconds=time.perf_counter() - t0)
        for k, (value, grad, x) in enumerate(first):
            master.bound_theta(k, value)
            master.cut(k, value, grad, x)
        best, best_x, best_values, bound, it = -math.inf, None, [], math.inf, 0
        status = "node_limit"
        seen: set[tuple] = set()
        while it < MAX_ITERATIONS:
            it += 1
            if time.perf_counter() >= deadline:
                status = "time_limit"
                break
            x, bound = master.solve()
            if x is None:
                return BendersResult("infeasible", None, iterations=it, seconds=time.perf_counter() - t0)
            results = evaluate(x)
            short = [k for k, r in enumerate(results) if r is None]
            if short:  # a design some scenario cannot serve: a feasibility cut (S6) from the first of them
                cut = feasibility(short[0], x) if feasibility is not None else None
                if cut is None or cut[0] <= FEASIBLE_SHORTFALL:
                    return BendersResult("not_complete_recourse", None, iterations=it,
                                         seconds=time.perf_counter() - t0)
                master.feasibility_cut(cut[0], cut[1], x)
                for k, r in enumerate(results):
                    if r is not None:
                        master.cut(k, *r)
                continue
            values = np.array([r[0] for r in results])
            obj = master.value(values)
            if obj > best:
                best, best_x, best_values = obj, x.copy(), list(values)
            if gap_proved(best / scale, bound / scale, opts.mip_gap):
                status = "optimal"
                break
            key = tuple(np.round(x, 9))
            if key in seen:  # the master returns a design already cut: the cuts are as tight as they get
                status = "optimal" if gap_proved(best / scale, bound / scale, opts.mip_gap) else "gap_not_reached"
                break
            seen.add(key)
            for k, r in enumerate(results):
                master.cut(k, *r)
    finally:
        if pool:
            pool.shutdown()
    if best_x is None:
        return BendersResult(status if status != "node_limit" else "infeasible", None, iterations=it,
                             seconds=time.perf_counter() - t0)
    gap = max(0.0, bound - best) / max(abs(best), 1e-9)
    return BendersResult(status, best_x, [v / scale for v in best_values], best / scale, bound / scale, gap, it,
                         time.perf_counter() - t0)


def _solve_sub(job) -> tuple[float, np.ndarray, np.ndarray] | None:
    """A scenario's LP at the design (None: the design free within its bounds): (value, supergradient, x)."""
    s, design = job
    h, cols = s.h, s.cols
    if design is not None:
        h.changeColsBounds(len(cols), cols, design, design)
    hot = h.getInfo().basis_validity  # it goes on from its last design's basis: capped, as the branch and bound's
    run_capped(h, max(1000, int(HOT_ITERATIONS_PER_ROW * h.getNumRow())) if hot else None)
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    sol = h.getSolution()
    x = np.asarray(sol.col_value)[cols]
    return float(h.getInfo().objective_function_value), np.asarray(sol.col_dual)[cols].copy(), x.copy()


class _Master:
    """The master MILP: designs x, theta_s, and (with risk aversion) eta and u_s; cuts added as rows."""

    def __init__(self, n: int, S: int, p: np.ndarray, lb, ub, integer, lam: float, alpha: float,
                 opts: SolveOptions):
        self.n, self.S, self.p, self.lam, self.alpha = n, S, p, lam, alpha
        h = self.h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        # columns: x (n), theta (S), eta (1), u (S)
        cost = np.concatenate([np.zeros(n), (1 - lam) * p, [lam], -lam / alpha * p])
        lower = np.concatenate([lb, np.full(S, -INF), [-INF], np.zeros(S)])
        upper = np.concatenate([ub, np.full(S, INF), [INF], np.full(S, INF)])
        h.addVars(len(cost), lower, upper)
        h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
        self.ints = ints = np.flatnonzero(integer).astype(np.int32)
        if len(ints):
            h.changeColsIntegrality(len(ints), ints, np.ones(len(ints), dtype=np.uint8))
        if lam > 0:  # u_s - eta + theta_s >= 0 (S4)
            for k in range(S):
                idx = np.array([n + k, n + S, n + S + 1 + k], dtype=np.int32)
                h.addRow(0.0, INF, 3, idx, np.array([1.0, -1.0, 1.0]))
        else:
            h.changeColsBounds(S + 1, np.arange(n + S, n + 2 * S + 1, dtype=np.int32), np.zeros(S + 1),
                               np.zeros(S + 1))

    def value(self, values: np.ndarray) -> float:
        """The master's objective at these scenario values (the risk term at its optimal eta)."""
        from planner.risk import cvar

        expected = float(np.dot(self.p, values))
        return expected if self.lam == 0 else (1 - self.lam) * expected + self.lam * cvar(values, self.p, self.alpha)

    def bound_theta(self, k: int, value: float) -> None:
        self.h.changeColBounds(self.n + k, -INF, value)

    def cut(self, k: int, value: float, grad: np.ndarray, x: np.ndarray) -> None:
        """theta_k - g x' <= V - g x (S5)."""
        idx = np.concatenate([[self.n + k], np.arange(self.n)]).astype(np.int32)
        coef = np.concatenate([[1.0], -grad])
        self.h.addRow(-INF, value - float(np.dot(grad, x)), len(idx), idx, coef)

    def feasibility_cut(self, shortfall: float, grad: np.ndarray, x: np.ndarray) -> None:
        """F + g (x' - x) <= 0, i.e. g x' <= g x - F (S6)."""
        self.h.addRow(-INF, float(np.dot(grad, x)) - shortfall, self.n, np.arange(self.n, dtype=np.int32), grad)

    def solve(self) -> tuple[np.ndarray | None, float]:
        run_highs(self.h)
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None, math.inf
        sol = np.asarray(self.h.getSolution().col_value)
        x = sol[:self.n].copy()
        x[self.ints] = np.round(x[self.ints])
        return x, float(self.h.getInfo().objective_function_value)
