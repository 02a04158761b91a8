"""What a user sets for one solve (SolveOptions) and what every result says about how it was obtained."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from planner.errors import SolveError

ProgressFn = Callable[[dict], None]  # state: elapsed_s, incumbent, bound, gap (USD; None while unknown), nodes;
# or a phase of the run: {"message": "...", "elapsed_s": ...}

ABS_GAP_USD = 1.0  # a plan within 1 USD of the bound is proven whatever the relative gap (HiGHS's mip_abs_gap)
GAP_TOL = 1e-6  # relative slack on the requested gap: HiGHS's own test and ours round differently
# statuses of a plan that is returned (written, flagged) although the requested gap was not proved
UNPROVEN = ("time_limit", "node_limit", "gap_not_reached")


@dataclass
class SolveOptions:
    """What the user can set for one solve."""

    mip_gap: float = 0.005  # relative MIP gap
    time_limit_s: float = 1800.0
    threads: int | None = None
    log: bool = False  # HiGHS's own log to the console
    progress_every_s: float = 2.0
    # MILPs: "auto" (chosen from the model, planner/solve: choose_strategy), "bnb" (planner/solve/bnb.py) or
    # "highs" (HiGHS's MIP solver)
    strategy: str = "auto"
    node_limit: int | None = None  # stop after this many nodes (bnb: LPs solved; highs: mip_max_nodes)


@dataclass
class SolverStats:
    """What every result says about how it was obtained."""

    # optimal (the requested gap is proved) | time_limit | node_limit | gap_not_reached (a plan, with its gap,
    # returned without the requested gap proved) | infeasible | unbounded | infeasible_or_unbounded
    status: str
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
    # the branch and bound's design LPs (integer columns fixed, in the model's integer-column order) -> NPV in USD,
    # for planner/run.py: marginal_units on the same LP; not part of what a result reports
    designs_npv_usd: dict[tuple[int, ...], float] = field(default_factory=dict, repr=False)
    # the branch and bound's root LP optimum (NPV in USD; None if another solver or no root LP), for
    # planner/periods.py: size_periods; not part of what a result reports
    root_bound_usd: float | None = field(default=None, repr=False)
    # the integer bounds (lower, upper; model's integer-column order) of the branch and bound's LPs proved
    # infeasible: every design inside one is infeasible too (planner/run.py: marginal_units); not reported
    infeasible_boxes: list[tuple[tuple[float, ...], tuple[float, ...]]] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        out = asdict(self)
        del out["designs_npv_usd"], out["root_bound_usd"], out["infeasible_boxes"]
        return out


def gap_proved(objective: float, bound: float, mip_gap: float) -> bool:
    """Whether bound and objective (USD) are within the relative gap `mip_gap` (of |objective|) or ABS_GAP_USD."""
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return False
    distance = abs(bound - objective)
    return distance <= ABS_GAP_USD or distance <= mip_gap * (1.0 + GAP_TOL) * abs(objective)


def no_plan_error(stopped: str, opts: SolveOptions, who: str) -> SolveError:
    """The error for a solve that stopped at its time or node limit before finding any feasible plan.

    `who` names the searcher in the message ("HiGHS", "the branch and bound")."""
    if stopped == "time_limit":
        return SolveError(f"{who} found no feasible solution within the time limit of {opts.time_limit_s:g} s; "
                          "raise --time-limit, loosen --gap, or try --typical-days")
    return SolveError(f"{who} found no feasible solution within the node limit of {opts.node_limit}; "
                      "raise --node-limit")
