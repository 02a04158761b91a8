"""The solver layer: a built model handed to HiGHS, solved, re-priced and diagnosed.

Public operations (nothing else in the planner reaches into the modules below):
- `HighsModel(m)`: compile a built Pyomo model into one HiGHS instance (highs_model.py);
- `solve_model(hm, opts)`: solve it with the chosen MILP strategy, load the plan into Pyomo;
- `evaluate_designs(hm, cols, designs, opts)`: the LP with some integer columns fixed at each design;
- `lp_duals(hm, cols, values, opts)`: the LP with the integer columns fixed at the plan, and its duals (duals.py);
- `reprice(built, hm, sc)`: set a built model's prices from a changed scenario, in place;
- `diagnose(sc, opts)`, `YearCheck`: why a scenario (or a design) has no feasible plan (diagnose.py).

Every HiGHS run goes through `stop.run_highs`: a stop request (`stop.request_stop()`, or a signal once
the CLI has called `stop.install_signal_handlers()`) ends it within a simplex iteration and raises
`stop.Interrupted`. A solve returns `optimal` only when the requested gap is proved
(`options.gap_proved`); otherwise the plan comes back as `time_limit`, `node_limit` or `gap_not_reached`.
"""

from __future__ import annotations

import numpy as np

from planner.model import Built, update_objective
from planner.scenario.scenario import Scenario
from planner.solve.bnb import evaluate_designs, solve_bnb
from planner.solve.diagnose import YearCheck, diagnose
from planner.solve.direct import solve_direct
from planner.solve.duals import Duals, lp_duals
from planner.solve.highs_model import HighsModel
from planner.solve.options import ProgressFn, SolveOptions, SolverStats

__all__ = ["Duals", "HighsModel", "ProgressFn", "SolveOptions", "SolverStats", "YearCheck", "diagnose",
           "evaluate_designs", "lp_duals", "reprice", "solve_model"]


def solve_model(hm: HighsModel, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
                start=None) -> SolverStats:
    """Solve with the chosen strategy: MILPs by the branch and bound ("bnb") or HiGHS's MIP solver ("highs").

    `start`: a full column vector (highs: MIP start) whose integer columns seed the incumbent (bnb).
    """
    opts = opts or SolveOptions()
    if hm.is_mip and opts.strategy == "bnb":
        return solve_bnb(hm, opts, progress, None if start is None else np.asarray(start)[hm.integer_cols])
    if hm.is_mip and start is not None:
        hm.h.setSolution(hm.n_cols, np.arange(hm.n_cols, dtype=np.int32), np.asarray(start, dtype=float))
    return solve_direct(hm, opts, progress)


def reprice(built: Built, hm: HighsModel, sc: Scenario) -> None:
    """Re-price a built model and its HiGHS instance for `sc`, a scenario whose change is objective-only.

    The model's mutable prices, present-worth factors and capital costs take `sc`'s values
    (planner/model.py: update_objective) and HiGHS gets the new cost vector; the instance keeps its
    basis, so the next solve starts from the last plan.
    """
    update_objective(built, sc)
    hm.refresh_objective(built.m)
