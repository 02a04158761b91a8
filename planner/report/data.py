"""Load a run's output folder (summary.json, scenario.json, dispatch.csv, cashflow.csv) for the reports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.errors import UsageError

FILES = ("summary.json", "scenario.json", "dispatch.csv", "cashflow.csv")

# where energy comes from and where it goes (dispatch columns, MW over one hour = MWh)
SOURCES = {"pv_mw": "PV", "wind_mw": "Wind", "gas_mw": "Gas gensets", "hydro_mw": "Hydro",
           "geothermal_mw": "Geothermal", "nuclear_mw": "Nuclear", "battery_discharge_mw": "Battery discharge",
           "grid_import_mw": "Grid import", "site_load_unserved_mw": "Unserved site load"}
USES = {"site_load_mw": "Site load", "ai_facility_mw": "AI data centre", "mining_mw": "Mining",
        "grid_export_mw": "Grid export", "battery_charge_mw": "Battery charge", "curtailed_mw": "Curtailed"}
UNIT_OF_SIZE = {"_mw_ac": "MW_ac", "_mw_dc": "MW_dc", "_mwh": "MWh", "_mw": "MW", "_turbines": "turbines",
                "_units": "units", "_blocks": "blocks", "_containers": "containers", "_gpus": "GPUs",
                "_ph_s": "PH/s"}


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


def load(folder: Path) -> ReportData:
    """Read the four result files of a run; a missing one is a clear error."""
    folder = Path(folder)
    missing = [f for f in FILES if not (folder / f).exists()]
    if missing:
        raise UsageError(f"{folder}: not a planner output folder (missing {', '.join(missing)}); run "
                           f"`planner run WORKBOOK` first")
    dispatch = pd.read_csv(folder / "dispatch.csv", parse_dates=["timestamp"])
    cash = pd.read_csv(folder / "cashflow.csv", index_col=0)
    cash.columns = [int(c) for c in cash.columns]
    return ReportData(folder=folder, summary=json.loads((folder / "summary.json").read_text()),
                      scenario=json.loads((folder / "scenario.json").read_text()), dispatch=dispatch, cashflow=cash)


def size_unit(key: str) -> str:
    for suffix, unit in UNIT_OF_SIZE.items():
        if key.endswith(suffix):
            return unit
    return ""


def monthly_energy(d: pd.DataFrame) -> pd.DataFrame:
    """MWh per calendar month by source and by use (weighted hours)."""
    month = d["timestamp"].dt.month
    cols = {**SOURCES, **USES}
    out = pd.DataFrame({label: (d[c] * d["weight"]).groupby(month).sum() for c, label in cols.items() if c in d})
    out.index.name = "month"
    return out.reindex(range(1, 13), fill_value=0.0)


def energy_totals(d: pd.DataFrame, columns: dict[str, str]) -> dict[str, float]:
    """Annual MWh of each column present with a non-zero total."""
    out = {}
    for c, label in columns.items():
        if c in d:
            v = float((d[c] * d["weight"]).sum())
            if abs(v) > 1e-6:
                out[label] = v
    return out


def week(d: pd.DataFrame, month: int, day: int = 1) -> pd.DataFrame:
    """168 hours starting at the first step on or after a date (a summer or winter week)."""
    ts = d["timestamp"]
    start = int(((ts.dt.month > month) | ((ts.dt.month == month) & (ts.dt.day >= day))).to_numpy().argmax())
    return d.iloc[start:start + 168]


def money(x: float | None, unit: str = "M USD") -> str:
    if x is None:
        return "n/a"
    return f"{x / 1e6:,.2f} {unit}"


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f} %"
