"""The LP of a solved plan with its integer columns fixed, and its duals in USD (the value of relaxing a limit).

After the MILP, the integer sizes are fixed at the plan's values and the LP (continuous sizes and dispatch)
is solved again on the model's own HiGHS instance, hot-started from the basis the solve left. Its row duals
and column reduced costs are derivatives of the objective with respect to each row's or column's active
bound: HiGHS reports them in the objective's own sense (for a maximisation, raising the upper bound of an
active `<=` row by one raises the objective by its dual; tests/test_economics.py checks this against
re-solves), and in HiGHS's objective scale, which is divided out here. The instance's bounds and
integrality are put back as they were.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from planner.solve.highs_model import HighsModel
from planner.solve.options import SolveOptions


@dataclass
class Duals:
    """Duals of the plan's LP: objective units (USD of NPV) per unit of each row's and column's bound."""

    row: np.ndarray  # d NPV / d (active bound of the row), USD per unit of the row's activity
    col: np.ndarray  # d NPV / d (active bound of the column): the reduced cost, USD per unit of the column
    npv_usd: float  # the LP's objective (the plan's NPV, to the LP's tolerance)
    seconds: float


def lp_duals(hm: HighsModel, cols, values, opts: SolveOptions | None = None) -> Duals | None:
    """The LP with columns `cols` fixed at `values` (the plan's integer sizes) and its duals; None if no answer."""
    opts = opts or SolveOptions()
    h = hm.h
    t0 = time.perf_counter()
    with hm.columns_held(cols, values):
        h.setOptionValue("time_limit", float(h.getRunTime() + opts.time_limit_s))  # HiGHS counts all its runs
        h.run()
        solution = h.getSolution()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal or not solution.dual_valid:
            return None
        return Duals(row=np.asarray(solution.row_dual, dtype=float) / hm.scale,
                     col=np.asarray(solution.col_dual, dtype=float) / hm.scale,
                     npv_usd=float(h.getInfo().objective_function_value) / hm.scale,
                     seconds=time.perf_counter() - t0)
