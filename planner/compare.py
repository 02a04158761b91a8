"""`planner compare DIR...`: several runs' output folders side by side (docs/compare.md).

Each folder is read from its summary.json and scenario.json only (the files every run writes, rescued ones
too); nothing is solved. The runs are ranked by the investment's NPV (the plan minus the do-nothing baseline,
summary.json `investment.npv_usd`), highest first; a run without one (its baseline could not be valued, or it
was optimised with `baseline=False` through the API) ranks after every run that has one, by its plan NPV. The
inputs that differ are every scenario.json field whose value is not the same in all runs, plus every Hourly
column whose data differ (by their SHA-256), each listed with its value in every run. Pyomo-free.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import UsageError
from planner.labels import Labels
from planner.outputs import COMPARE, OUTPUTS_ROOT, read_marker, require_run_folder

NEEDED = ("summary.json", "scenario.json")
SHAPES = {"solver": dict, "investment": dict, "sizes_new": dict, "energy_mwh": dict, "labels": dict, "flows": list,
          "binding_limits": list, "typical_days": dict}  # summary.json keys compare reads, and their JSON types
ABSENT = "(absent)"  # an input one run's scenario.json does not hold (another planner version, another sheet)


@dataclass
class Run:
    """One output folder, as the comparison reads it."""

    folder: Path
    name: str  # the folder's name (its parent too when two folders share a name)
    summary: dict
    scenario: dict

    @property
    def site(self) -> str:
        return str(self.summary.get("site", ""))

    @property
    def investment(self) -> dict:
        return self.summary.get("investment") or {}

    @property
    def investment_npv_usd(self) -> float | None:
        return _number(self.investment.get("npv_usd"))

    @property
    def npv_usd(self) -> float | None:
        return _number(self.summary.get("npv_usd"))

    @property
    def labels(self) -> Labels:
        return Labels(self.summary.get("labels") or {})

    def sheet_active(self, sheet: str) -> bool:
        active = self.scenario.get("active_sheets")
        return active is None or sheet in active


@dataclass
class Difference:
    """One input whose value is not the same in every run: its value in each run, in rank order."""

    sheet: str  # a workbook sheet, or "Hourly" for an Hourly column's data
    field: str
    unit: str
    note: str
    values: list  # one per run (ABSENT where a run does not hold it); Hourly: the column's mean
    used: list[bool]  # per run: is the sheet in that run's model (a disabled technology's inputs are not)

    @property
    def name(self) -> str:
        return f"{self.sheet}.{self.field}"


@dataclass
class Comparison:
    """The runs in rank order, the inputs that differ, and notes on the folders skipped."""

    runs: list[Run]
    differences: list[Difference]
    notes: list[str] = field(default_factory=list)

    def size_keys(self) -> list[str]:
        """Every size a run builds new (in the order the runs' summaries list them)."""
        keys: dict[str, None] = {}
        for r in self.runs:
            for k, v in (r.summary.get("sizes_new") or {}).items():
                if abs(_number(v) or 0.0) > 1e-9:
                    keys[k] = None
        return list(keys)

    def energy_keys(self) -> list[str]:
        """Every use of energy (a demand flow's energy key) with energy in some run."""
        keys: dict[str, None] = {}
        for r in self.runs:
            energy = r.summary.get("energy_mwh") or {}
            for f in r.summary.get("flows") or []:
                k = f.get("energy_key") if isinstance(f, dict) else None
                if k and f.get("role") == "demand" and abs(_number(energy.get(k)) or 0.0) > 1e-6:
                    keys[k] = None
        return list(keys)

    def label(self, table: str, key: str) -> str:
        """A key's label and unit from the first run whose label table holds it."""
        for r in self.runs:
            if r.labels.has(table, key):
                return r.labels.label(table, key)
        return key

    def unit(self, table: str, key: str) -> str:
        for r in self.runs:
            if r.labels.has(table, key):
                return r.labels.unit(table, key)
        return ""


def _number(x) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) else None


def read_run(folder: Path) -> Run:
    """One run's output folder; UsageError (exit 2) naming the folder if it is not one."""
    folder = Path(folder)
    require_run_folder(folder, NEEDED)
    try:
        summary = json.loads((folder / "summary.json").read_text())
        scenario = json.loads((folder / "scenario.json").read_text())
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise UsageError(f"{folder}: summary.json or scenario.json cannot be read ({e})") from None
    if not isinstance(summary, dict) or not isinstance(scenario, dict) or "solver" not in summary \
            or not isinstance(scenario.get("inputs"), dict):
        raise UsageError(f"{folder}: summary.json or scenario.json is not a planner run's")
    wrong = [k for k, kind in SHAPES.items() if summary.get(k) is not None and not isinstance(summary[k], kind)]
    wrong += [f"inputs.{k}" for k, rows in scenario["inputs"].items() if not isinstance(rows, list)]
    if not isinstance(scenario.get("hourly") or {}, dict):
        wrong.append("hourly")
    if wrong:
        raise UsageError(f"{folder}: summary.json or scenario.json is damaged ({', '.join(wrong)} not as the planner "
                         f"writes it); run `planner run WORKBOOK` again")
    return Run(folder=folder, name=folder.resolve().name, summary=summary, scenario=scenario)


def compare(folders: list[Path]) -> Comparison:
    """Read every folder (each must be a run's output folder), rank the runs and find the inputs that differ.

    A folder holding `planner compare` results is skipped with a note (so `planner compare outputs/*` works
    after an earlier comparison was written into outputs/); a folder given twice is read once.
    """
    if not folders:
        raise UsageError("planner compare needs at least one output folder")
    runs, notes, seen = [], [], set()
    for folder in folders:
        folder = Path(folder)
        key = folder.resolve()
        if key in seen:
            notes.append(f"{folder}: given more than once, compared once")
            continue
        seen.add(key)
        marker = read_marker(folder) if folder.is_dir() else None
        if marker is not None and marker["kind"] == COMPARE:
            notes.append(f"{folder}: skipped (it holds an earlier `planner compare` result, not a run)")
            continue
        runs.append(read_run(folder))
    if not runs:
        raise UsageError("no run output folder to compare: " + "; ".join(notes))
    _unique_names(runs)
    runs = rank(runs)
    return Comparison(runs=runs, differences=differences(runs), notes=notes)


def _unique_names(runs: list[Run]) -> None:
    """Runs are named by their folder; folders of the same name get their parent's name in front."""
    counts: dict[str, int] = {}
    for r in runs:
        counts[r.name] = counts.get(r.name, 0) + 1
    for r in runs:
        if counts[r.name] > 1:
            parts = r.folder.resolve().parts
            r.name = "/".join(parts[-2:])
    names = [r.name for r in runs]
    for r in runs:
        if names.count(r.name) > 1:
            r.name = str(r.folder.resolve())


def rank(runs: list[Run]) -> list[Run]:
    """Highest investment NPV first; runs without one after them, by plan NPV; ties keep the order given."""
    def key(item: tuple[int, Run]):
        i, r = item
        inv, npv = r.investment_npv_usd, r.npv_usd
        if inv is not None:
            return (0, -inv, i)
        return (1, -(npv if npv is not None else -math.inf), i)

    return [r for _, r in sorted(enumerate(runs), key=key)]


def _flat_inputs(run: Run) -> dict[tuple[str, str], dict]:
    return {(sheet, row["field"]): row for sheet, rows in run.scenario["inputs"].items() for row in rows
            if isinstance(row, dict) and "field" in row}


def differences(runs: list[Run]) -> list[Difference]:
    """Every input whose value is not the same in all runs, in the workbook's order, then the Hourly data."""
    flat = [_flat_inputs(r) for r in runs]
    order: dict[tuple[str, str], dict] = {}
    for f in flat:
        for k, row in f.items():
            order.setdefault(k, row)
    out = []
    for (sheet, name), row in order.items():
        values = [f[(sheet, name)]["value"] if (sheet, name) in f else ABSENT for f in flat]
        if all(_same(v, values[0]) for v in values[1:]):
            continue
        out.append(Difference(sheet, name, str(row.get("unit") or ""), str(row.get("note") or ""), values,
                              [r.sheet_active(sheet) for r in runs]))
    hourly = [r.scenario.get("hourly") or {} for r in runs]
    columns: dict[str, None] = {c: None for h in hourly for c in h}
    for col in columns:
        hashes = [h.get(col, {}).get("sha256", ABSENT) for h in hourly]
        if all(x == hashes[0] for x in hashes[1:]):
            continue
        means = [h[col]["mean"] if col in h else ABSENT for h in hourly]
        out.append(Difference("Hourly", col, "mean", "the hourly data differ (values shown: the "
                              "column's mean over the year)", means, [True] * len(runs)))
    return out


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool) and float(a) == float(b)
    return a == b


def default_out_dir(now: dt.datetime | None = None) -> Path:
    """outputs/compare-YYYYMMDD-HHMMSS/ (UTC), with -2, -3, ... if a folder of that name exists already."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    base = OUTPUTS_ROOT / f"compare-{stamp}"
    path, n = base, 1
    while path.exists() or path.is_symlink():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path
