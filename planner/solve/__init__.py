"""The solver layer: a built model handed to HiGHS, solved, re-priced and diagnosed.

Public operations (nothing else in the planner reaches into the modules below):
- `HighsModel(m)`: compile a built Pyomo model into one HiGHS instance (highs_model.py);
- `solve_model(hm, opts)`: solve it with the chosen MILP strategy, load the plan into Pyomo;
- `choose_strategy(hm, opts)`: the MILP strategy "auto" resolves to, from the model alone;
- `evaluate_designs(hm, cols, designs, opts)`: the LP with some integer columns fixed at each design;
- `held_basis(hm)`: the basis the model's instance holds after its last solve (None if none);
- `lp_duals(hm, cols, values, opts)`: the LP with the integer columns fixed at the plan, and its duals (duals.py);
- `reprice(built, hm, sc)`: set a built model's prices from a changed scenario, in place;
- `diagnose(sc, opts)`, `YearCheck`: why a scenario (or a design) has no feasible plan (elastic.py).

Every HiGHS run goes through `stop.run_highs`: a stop request (`stop.request_stop()`, or a signal once
the CLI has called `stop.install_signal_handlers()`) ends it within a simplex iteration and raises
`stop.Interrupted`. A solve returns `optimal` only when the requested gap is proved
(`options.gap_proved`); otherwise the plan comes back as `time_limit`, `node_limit` or `gap_not_reached`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from planner.model import Built
    from planner.scenario.scenario import Scenario
    from planner.solve.bnb import evaluate_designs, held_basis
    from planner.solve.duals import Duals, lp_duals
    from planner.solve.elastic import YearCheck, diagnose
    from planner.solve.highs_model import HighsModel
    from planner.solve.options import ProgressFn, SolveOptions, SolverStats

__all__ = ["Duals", "HighsModel", "ProgressFn", "SolveOptions", "SolverStats", "YearCheck", "choose_strategy",
           "diagnose", "evaluate_designs", "held_basis", "lp_duals", "reprice", "solve_model"]
# the names defined in the modules below, imported the first time one is used: `planner.solve.stop` (which the
# command line needs before anything is read) then costs no Pyomo, pandas or HiGHS
_LAZY = {"Duals": "duals", "lp_duals": "duals", "HighsModel": "highs_model", "ProgressFn": "options",
         "SolveOptions": "options", "SolverStats": "options", "YearCheck": "elastic", "diagnose": "elastic",
         "evaluate_designs": "bnb", "held_basis": "bnb"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"planner.solve.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'planner.solve' has no attribute {name!r}")


def choose_strategy(hm: HighsModel, opts: SolveOptions) -> str:
    """The MILP strategy for this model: the user's ("bnb", "highs"), or for "auto" one read off the model.

    "auto": a model with a single integer column goes to HiGHS's MIP solver, whose MIP presolve makes its
    root faster than our plain LP there (factory: 3.4 s against 12.6 s, issue 20); every other MILP to
    the branch and bound. The choice depends on the model only (never on timing), so two runs give the
    same plan (docs/performance.md, "A deterministic strategy per model").
    """
    if opts.strategy != "auto":
        return opts.strategy
    return "highs" if len(hm.integer_cols) == 1 else "bnb"


def solve_model(hm: HighsModel, opts: SolveOptions | None = None, progress: ProgressFn | None = None,
                start=None, fixed_start: bool = False) -> SolverStats:
    """Solve with the chosen strategy: MILPs by the branch and bound ("bnb") or HiGHS's MIP solver ("highs").

    `start`: a full column vector (highs: MIP start) whose integer columns seed the incumbent (bnb).
    `fixed_start` (bnb): the instance holds this model's optimum with the integers fixed at `start`
    (planner/solve/bnb.py: solve_bnb).
    """
    import time
    from dataclasses import replace

    import numpy as np

    from planner.solve.bnb import solve_bnb, solve_one_integer
    from planner.solve.direct import solve_direct
    from planner.solve.options import SolveOptions

    opts = opts or SolveOptions()
    if hm.is_mip and choose_strategy(hm, opts) == "bnb":
        return solve_bnb(hm, opts, progress, None if start is None else np.asarray(start)[hm.integer_cols],
                         fixed_start)
    if hm.is_mip and start is not None and opts.strategy == "auto" and len(hm.integer_cols) == 1:
        # a re-priced one-integer model holding its plan's basis (a sensitivity case): a walk along the integer
        t0 = time.perf_counter()
        stats = solve_one_integer(hm, opts, float(np.asarray(start)[hm.integer_cols[0]]))
        if stats is not None:
            return stats
        # HiGHS's MIP gets what is left of the time limit
        opts = replace(opts, time_limit_s=max(opts.time_limit_s - (time.perf_counter() - t0), 1.0))
    if hm.is_mip and start is not None:
        hm.h.setSolution(hm.n_cols, np.arange(hm.n_cols, dtype=np.int32), np.asarray(start, dtype=float))
    return solve_direct(hm, opts, progress)


def reprice(built: Built, hm: HighsModel, sc: Scenario) -> None:
    """Re-price a built model and its HiGHS instance for `sc`, a scenario whose change is objective-only.

    The model's mutable prices, present-worth factors and capital costs take `sc`'s values
    (planner/model.py: update_objective) and HiGHS gets the new cost vector; the instance keeps its
    basis, so the next solve starts from the plan it holds (planner/sensitivity.py sets the base plan's).
    """
    from planner.model import update_objective

    update_objective(built, sc)
    hm.refresh_objective(built.m)
