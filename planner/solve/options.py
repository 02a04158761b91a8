"""What a user sets for one solve (SolveOptions) and what every result says about how it was obtained."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

ProgressFn = Callable[[dict], None]  # state: elapsed_s, incumbent, bound, gap (USD; None while unknown), nodes


@dataclass
class SolveOptions:
    """What the user can set for one solve."""

    mip_gap: float = 0.005  # relative MIP gap
    time_limit_s: float = 1800.0
    threads: int | None = None
    log: bool = False  # HiGHS's own log to the console
    progress_every_s: float = 2.0
    strategy: str = "bnb"  # MILPs: "bnb" (planner/solve/bnb.py) or "highs" (HiGHS's MIP solver)


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
