"""Load a run's output folder (summary.json, scenario.json, dispatch.csv, cashflow.csv) for the reports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import UsageError
from planner.labels import Labels

FILES = ("summary.json", "scenario.json", "dispatch.csv", "cashflow.csv")
NONZERO_MW = 1e-6  # a flow whose hourly values sum to less than this is not in the plan
NONZERO_USD = 0.5  # an amount below half a dollar is not in the plan
NONZERO_TCO2E = 1e-3  # emissions below a kilogram a year are not shown


@dataclass
class ReportData:
    """Everything a report shows, read back from an output folder."""

    folder: Path
    summary: dict
    scenario: dict
    dispatch: pd.DataFrame
    cashflow: pd.DataFrame  # rows = line items, columns = years (int)

    @property
    def site(self) -> str:
        return self.summary["site"]

    def input(self, sheet: str, field: str):
        """One input value from scenario.json."""
        for row in self.scenario["inputs"].get(sheet, []):
            if row["field"] == field:
                return row["value"]
        return None

    def input_info(self, name: str) -> tuple[str, str]:
        """(note, unit) of the input of this dotted name (finance.discount_rate) from scenario.json; a name that
        is no single input (hourly.export_price_usd_per_mwh, a scale of a column) gets its label-table entry or
        itself."""
        attrs = {sheet: attr for attr, sheet in (self.scenario.get("attributes") or {}).items()}
        for sheet, rows in self.scenario["inputs"].items():
            for row in rows:
                if f"{attrs.get(sheet, sheet.lower())}.{row['field']}" == name:
                    return row["note"], row["unit"]
        if self.labels.has("assumptions", name):
            return self.label("assumptions", name), self.unit("assumptions", name)
        return name, ""

    def flows(self, role: str) -> dict[str, str]:
        """Dispatch column -> label of every flow with this role (supply: sources, demand: uses)."""
        return {f["column"]: f["label"] for f in self.summary["flows"] if f["role"] == role}

    @property
    def sources(self) -> dict[str, str]:
        return self.flows("supply")

    @property
    def uses(self) -> dict[str, str]:
        return self.flows("demand")

    @cached_property
    def labels(self) -> Labels:
        """The one label table (planner/labels.py), as summary.json holds it."""
        return Labels(self.summary["labels"])

    def label(self, table: str, key: str) -> str:
        """The human label of a key of one table (sizes, columns, energy, streams, cashflow, summary, ...)."""
        return self.labels.label(table, key)

    def unit(self, table: str, key: str) -> str:
        return self.labels.unit(table, key)

    def key_assumptions(self) -> list[tuple[str, str, str, object, str]]:
        """(dotted name, label, unit, value, sheet) of the inputs declared key assumptions (scenario/inputs.py).

        The label is the input's note, from the label table (or scenario.json for an older summary.json). A
        sheet whose technology is not in the model (not enabled) shows none: the plan does not depend on it."""
        attrs = {sheet: attr for attr, sheet in (self.scenario.get("attributes") or {}).items()}
        active = self.scenario.get("active_sheets")
        out = []
        for sheet, rows in self.scenario["inputs"].items():
            if active is not None and sheet not in active:
                continue
            for row in rows:
                if row.get("key"):
                    name = f"{attrs.get(sheet, sheet.lower())}.{row['field']}"
                    labels = self.labels
                    label = labels.label("assumptions", name) if labels.has("assumptions", name) else row["note"]
                    out.append((name, label, row["unit"], row["value"], sheet))
        return out

    def emission_rows(self) -> list[tuple[str, str, float]]:
        """(Emitted or Avoided, source label, tCO2e/yr) of every non-zero source and the totals; [] if none."""
        s, rows = self.summary, []
        for group, key in (("Emitted", "emissions_tco2e"), ("Avoided", "avoided_tco2e")):
            for source, t in (s.get(key) or {}).items():
                if abs(t) > NONZERO_TCO2E and (source != "total" or len(s[key]) > 2):
                    rows.append((group, self.label("emissions", source), float(t)))
        return rows

    def nonzero(self, column: str) -> bool:
        """Does this dispatch column carry any energy in this plan (else it gets no chart, series or row)?"""
        return column in self.dispatch and float(self.dispatch[column].abs().sum()) > NONZERO_MW


def load(folder: Path) -> ReportData:
    """Read the four result files of a run; a missing one is a clear error."""
    folder = Path(folder)
    missing = [f for f in FILES if not (folder / f).exists()]
    if missing:
        raise UsageError(f"{folder}: not a planner output folder (missing {', '.join(missing)}); run "
                         f"`planner run WORKBOOK` first")
    summary = json.loads((folder / "summary.json").read_text())
    if "flows" not in summary or "labels" not in summary:
        raise UsageError(f"{folder}: written by an older planner (summary.json has no flow table); run "
                         f"`planner run WORKBOOK` again")
    dispatch = pd.read_csv(folder / "dispatch.csv", parse_dates=["timestamp"])
    cash = pd.read_csv(folder / "cashflow.csv", index_col=0)
    cash.columns = [int(c) for c in cash.columns]
    return ReportData(folder=folder, summary=summary,
                      scenario=json.loads((folder / "scenario.json").read_text()), dispatch=dispatch, cashflow=cash)


def monthly_energy(d: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    """MWh per calendar month of each column (label -> MWh; weighted hours)."""
    month = d["timestamp"].dt.month
    out = pd.DataFrame({label: (d[c] * d["weight"]).groupby(month).sum() for c, label in cols.items() if c in d})
    out.index.name = "month"
    return out.reindex(range(1, 13), fill_value=0.0)


def energy_totals(d: pd.DataFrame, columns: dict[str, str]) -> dict[str, float]:
    """Annual MWh of each column present with a non-zero total."""
    out = {}
    for c, label in columns.items():
        if c in d:
            v = float((d[c] * d["weight"]).sum())
            if abs(v) > NONZERO_MW:
                out[label] = v
    return out


def week(d: pd.DataFrame, month: int, day: int = 1) -> pd.DataFrame:
    """168 hours starting at the first step on or after a date (a summer or winter week)."""
    ts = d["timestamp"]
    start = int(((ts.dt.month > month) | ((ts.dt.month == month) & (ts.dt.day >= day))).to_numpy().argmax())
    return d.iloc[start:start + 168]


WEEK_H = 168
CURTAILED = "curtailed_mw"  # the planner's own curtailment column: energy nobody uses is no load


@dataclass(frozen=True)
class Week:
    """A window of the dispatch shown hour by hour in report.xlsx: what it is, why it was chosen, its rows."""

    title: str
    why: str
    start: int  # first row of the dispatch table
    stop: int  # one past the last row


def typical_weeks(data: ReportData) -> list[Week]:
    """The peak-load week and a representative week of the plan (docs/report.md, "Typical weeks").

    Candidates are 7-day windows starting at midnight of each day. Peak: the window that holds the hour of the
    highest total demand on the site bus (every use, export and storage charge included, curtailment excluded),
    starting 3 days before that hour's day where the year allows. Representative: the window whose mean of
    each plotted flow is closest to the year's mean (sum of squared differences over the square of the
    year's total mean flow), windows overlapping the peak week excluded. A run of at most a week is shown whole, once.
    """
    d = data.dispatch
    n = len(d)
    if n <= WEEK_H:
        return [Week("The whole run", f"the run has {n} steps, shown in full", 0, n)]
    demand = [c for c in data.uses if c != CURTAILED and c in d]
    load = d[demand].sum(axis=1).to_numpy() if demand else np.zeros(n)
    peak_hour = int(load.argmax())
    ts = d["timestamp"]
    midnights = np.flatnonzero((ts.dt.hour == 0).to_numpy())
    starts = [int(s) for s in midnights if s + WEEK_H <= n] or [0]
    peak_day = int(midnights[midnights <= peak_hour].max()) if (midnights <= peak_hour).any() else 0
    peak = max([s for s in starts if s <= max(peak_day - 72, starts[0])] or [starts[0]])
    if not peak <= peak_hour < peak + WEEK_H:  # the peak hour lies in the last days: the last full window
        peak = max(s for s in starts if s <= peak_hour)
    cols = [c for c in list(data.sources) + list(data.uses) if data.nonzero(c)]
    x = d[cols].to_numpy(float) if cols else np.zeros((n, 1))
    year = x.mean(axis=0)
    scale = max(float(np.abs(year).sum()), NONZERO_MW) ** 2
    csum = np.vstack([np.zeros(x.shape[1]), np.cumsum(x, axis=0)])
    best, best_err = None, np.inf
    for s in starts:
        if abs(s - peak) < WEEK_H:  # overlaps the peak week
            continue
        err = float(((csum[s + WEEK_H] - csum[s]) / WEEK_H - year) @ ((csum[s + WEEK_H] - csum[s]) / WEEK_H - year))
        if err < best_err:
            best, best_err = s, err
    when = ts.iloc[peak_hour]
    out = [Week("Peak-load week", f"holds the hour of highest demand on the site ({load[peak_hour]:,.1f} MW, "
                f"{when:%d %b %H:%M})", peak, peak + WEEK_H)]
    if best is not None:
        out.append(Week("Representative week", f"its mean flows are the closest to the year's (they differ by "
                        f"{np.sqrt(best_err / scale):.1%} of the mean total flow)", best, best + WEEK_H))
    return out
