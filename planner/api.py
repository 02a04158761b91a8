"""The public Python API, importable from the package root (docs/api.md):

    import planner
    sc = planner.read_workbook("inputs/examples/west_texas.xlsx")
    result = planner.optimise(sc, typical_days=12)
    result.sizes, result.dispatch, result.cashflow, result.summary
    result.write("outputs/west-texas-api")
    again = planner.load_results("outputs/west-texas-api")

`optimise` runs the pipeline of `planner run` (the do-nothing baseline and the investment over it, marginal
units, binding limits) and prints nothing. `Result` is the same whether it comes from a solve or from an output
folder read back: the data of summary.json, scenario.json, dispatch.csv/.parquet and cashflow.csv. This module
imports nothing heavy at import time: pandas, Pyomo and HiGHS are imported by the functions that need them.
Errors are planner.errors.PlannerError subclasses, each with a message naming the sheet, cell or folder:
InputError (a bad workbook), SolveError (no plan: infeasible or unbounded, with a diagnosis), UsageError (a
folder that is not a run's output), OutputError (a folder that cannot be written).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from planner.results import Result as PlanResult
    from planner.scenario.scenario import Scenario

__all__ = ["Result", "load_results", "optimise", "read_workbook"]


def read_workbook(path: str | Path) -> Scenario:
    """Read and validate an input workbook; returns the Scenario (`planner run`'s first step).

    Raises planner.errors.InputError listing every problem, each with its sheet and cell. The Scenario's
    fields are the workbook's inputs by sheet (`sc.finance.discount_rate`, `sc.mining.hashprice_usd_per_ph_day`,
    ...; `planner params WORKBOOK` lists them) and may be changed before `optimise`.
    """
    from planner.scenario.reader import read_workbook as _read

    return _read(Path(path))


def optimise(scenario: Scenario, *, gap: float = 0.005, time_limit: float = 1800.0, node_limit: int | None = None,
             threads: int | None = None, typical_days: int | None = None, marginals: bool = True,
             baseline: bool = True, mip_strategy: str = "auto",
             progress: Callable[[dict], None] | None = None) -> Result:
    """Optimise `scenario` as `planner run` does and return its Result; prints nothing.

    gap: relative MIP gap (default 0.5 %); time_limit: seconds (the best plan found is returned, flagged in
    `result.summary["solver"]["status"]`); node_limit: stop after that many branch-and-bound nodes; threads:
    parallel LPs (default up to 2); typical_days: size the plant on that many typical days (plus extreme days),
    then re-dispatch the full year; marginals: value one integer unit more and less of each fleet and the
    binding limits (extra solves); baseline: value the do-nothing plan and the investment over it (one LP);
    mip_strategy: "auto" (as `planner run`: HiGHS's MIP for a model with one integer fleet, else "bnb"), "bnb"
    (the planner's branch and bound) or "highs" (HiGHS's MIP); progress: called with the
    solver's progress dicts (elapsed_s, incumbent and bound NPV, gap), e.g. to show them in a notebook.
    Raises planner.errors.SolveError (with a diagnosis in plain words) when there is no plan.
    """
    from planner.errors import UsageError
    from planner.run import optimise as _optimise
    from planner.solve import SolveOptions

    if mip_strategy not in ("auto", "bnb", "highs"):
        raise UsageError(f"mip_strategy must be 'auto', 'bnb' or 'highs', not {mip_strategy!r}")
    if not 0 <= gap <= 1:
        raise UsageError(f"gap must be a fraction between 0 and 1 (0.005 = 0.5 %), not {gap!r}")
    if time_limit <= 0:
        raise UsageError(f"time_limit must be a positive number of seconds, not {time_limit!r}")
    for name, value in (("node_limit", node_limit), ("threads", threads), ("typical_days", typical_days)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise UsageError(f"{name} must be a whole number of at least 1 (or None), not {value!r}")
    opts = SolveOptions(mip_gap=gap, time_limit_s=time_limit, threads=threads, strategy=mip_strategy,
                        node_limit=node_limit)
    plan = _optimise(scenario, opts, progress=progress, marginals=marginals, typical_days=typical_days,
                     baseline=baseline)
    return Result.from_plan(plan)


def load_results(folder: str | Path) -> Result:
    """Read a run's output folder back (summary.json, scenario.json, dispatch.parquet or .csv, cashflow.csv).

    Raises planner.errors.UsageError naming the folder when it is not a planner run's output folder (no such
    folder, not written by the planner, another kind of results, or a data file missing or unreadable).
    """
    import pandas as pd

    from planner.errors import UsageError
    from planner.outputs import require_run_folder

    folder = Path(folder)
    dispatch_file = "dispatch.parquet" if (folder / "dispatch.parquet").is_file() else "dispatch.csv"
    require_run_folder(folder, ("summary.json", dispatch_file, "cashflow.csv"))
    try:
        summary = json.loads((folder / "summary.json").read_text())
        inputs = json.loads((folder / "scenario.json").read_text()) if (folder / "scenario.json").is_file() else {}
        if dispatch_file == "dispatch.parquet":
            dispatch = pd.read_parquet(folder / dispatch_file)
        else:
            dispatch = pd.read_csv(folder / dispatch_file, parse_dates=["timestamp"], float_precision="round_trip")
        table = pd.read_csv(folder / "cashflow.csv", index_col=0, float_precision="round_trip")
        table.columns = [int(c) for c in table.columns]
    except (OSError, ValueError, UnicodeDecodeError) as e:  # json, pandas and pyarrow errors are ValueErrors
        raise UsageError(f"{folder}: a planner output file cannot be read ({type(e).__name__}: {e})") from None
    if not isinstance(summary, dict) or "sizes" not in summary:
        raise UsageError(f"{folder}: summary.json is not a planner run summary (it has no sizes)")
    return Result(summary=summary, inputs=inputs, dispatch=dispatch, proforma=table, folder=folder)


@dataclass
class Result:
    """One plan's results: what `planner.optimise` returns and `planner.load_results` reads back.

    summary: the dict written to summary.json (docs/report.md lists its keys); inputs: scenario.json's dict
    (every input used, by sheet); dispatch: the hourly table (dispatch.csv's columns: timestamp, weight, every
    flow in MW, prices, balance residual); proforma: the cash-flow table as cashflow.csv holds it (line items
    as rows, years as columns); folder: where it was read from or last written to; plan: the solver's own
    result (planner.results.Result) when it comes from `optimise` in this process, else None.
    """

    summary: dict
    inputs: dict
    dispatch: pd.DataFrame
    proforma: pd.DataFrame
    folder: Path | None = None
    plan: PlanResult | None = field(default=None, repr=False)

    @classmethod
    def from_plan(cls, plan: PlanResult) -> Result:
        """The public Result of a solved plan (the same data `planner run` writes)."""
        from planner.results import scenario_dict
        from planner.run_files import CASHFLOW_FLOAT_FORMAT, DISPATCH_FLOAT_FORMAT, as_written

        return cls(summary=plan.summary(), inputs=scenario_dict(plan.scenario),
                   dispatch=as_written(plan.dispatch, DISPATCH_FLOAT_FORMAT),
                   proforma=as_written(plan.proforma.table, CASHFLOW_FLOAT_FORMAT), plan=plan)

    def __repr__(self) -> str:
        inv = self.investment_npv_usd
        folder = None if self.folder is None else str(self.folder)
        return (f"planner.Result(site={self.site!r}, investment_npv_usd={inv!r}, npv_usd={self.npv_usd!r}, "
                f"status={self.summary['solver']['status']!r}, folder={folder!r})")

    @property
    def site(self) -> str:
        """The site's name as typed in the workbook."""
        return self.summary["site"]

    @property
    def npv_usd(self) -> float:
        """The plan's NPV (USD, the optimiser's objective)."""
        return self.summary["npv_usd"]

    @property
    def investment_npv_usd(self) -> float | None:
        """The investment's NPV (USD): the plan minus the do-nothing baseline; None if not valued (see
        summary["investment"]["reason"]) or if `optimise(..., baseline=False)`."""
        inv = self.summary.get("investment")
        return None if inv is None else inv.get("npv_usd")

    @property
    def sizes(self) -> pd.DataFrame:
        """Every size the plan holds, one row per size key (e.g. pv_ac_mw, battery_mwh, mining_containers):
        columns label, unit (MW, MWh, GPUs, containers, ...), existing, new (the recommended build) and total."""
        import pandas as pd

        s = self.summary
        labels = s.get("labels", {}).get("sizes", {})
        rows = {k: {"label": labels.get(k, {}).get("label", k), "unit": labels.get(k, {}).get("unit", ""),
                    "existing": s.get("sizes_existing", {}).get(k, 0.0), "new": s.get("sizes_new", {}).get(k, v),
                    "total": v} for k, v in s["sizes"].items()}
        out = pd.DataFrame.from_dict(rows, orient="index", columns=["label", "unit", "existing", "new", "total"])
        out.index.name = "size"
        return out

    @property
    def cashflow(self) -> pd.DataFrame:
        """The year-by-year pro-forma (USD): one row per year (0 = construction), one column per line item
        (revenues, costs, capex, tax, net_cash_flow, discounted_cash_flow, ...). cashflow.csv holds its transpose."""
        out = self.proforma.T.copy()
        out.index.name = "year"
        return out

    def write(self, out_dir: str | Path, force: bool = False, reports: bool = True) -> Path:
        """Write the output folder `planner run` writes (data files, report.xlsx and report.html unless
        `reports=False`) to `out_dir`, atomically; returns `out_dir`.

        The same rules as `planner run -o`: an existing folder is replaced only with `force`, and only if the
        planner wrote it and it holds nothing else (planner/outputs.py); planner.errors.OutputError otherwise.
        """
        from planner.outputs import RUN, required_free_bytes, write_atomically
        from planner.run_files import write_run_files

        def write_data(folder: Path) -> None:
            write_run_files(folder, self.summary, self.inputs, self.dispatch, self.proforma)

        def write_all(folder: Path) -> None:
            write_data(folder)
            if reports:
                from planner.report import write_reports

                write_reports(folder)

        out = write_atomically(Path(out_dir), RUN, write_all, force=force, rescue=write_data,
                               need_bytes=required_free_bytes(len(self.dispatch)), rescue_what="The result")
        self.folder = Path(out_dir)
        return out

    def to_dict(self) -> dict[str, Any]:
        """summary.json's dict (a copy)."""
        return json.loads(json.dumps(self.summary))
