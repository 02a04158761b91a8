"""The data files of a run's output folder, written one way for `planner run` and the Python API (planner/api.py).

summary.json, scenario.json, dispatch.csv, dispatch.parquet and cashflow.csv. dispatch.parquet holds exactly
the table dispatch.csv holds: the same columns in the same order, the timestamps, and every number as the CSV
writes it (rounded to 1e-6), so either file reads back to the same values. No Pyomo here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from planner.safe_text import write_csv

DISPATCH_FLOAT_FORMAT = "%.6f"  # MW to the watt
CASHFLOW_FLOAT_FORMAT = "%.2f"  # USD to the cent
DATA_FILES = ("summary.json", "scenario.json", "dispatch.csv", "dispatch.parquet", "cashflow.csv")


def as_written(df: pd.DataFrame, float_format: str) -> pd.DataFrame:
    """`df` with every float column replaced by the values its CSV text stands for (float_format, then parsed)."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c].dtype):
            out[c] = np.array([float(float_format % v) for v in out[c].to_numpy(dtype=float).tolist()], dtype=float)
    return out


def write_run_files(folder: Path, summary: dict, scenario: dict, dispatch: pd.DataFrame,
                    cashflow: pd.DataFrame) -> list[Path]:
    """Write the five data files of a run into `folder` (which exists); returns their paths.

    `cashflow`: the pro-forma table, line items as rows and years as columns (as cashflow.csv holds it).
    Text in the CSVs is quoted and neutralised (planner/safe_text.py); dispatch.parquet is written with pyarrow.
    """
    folder = Path(folder)
    (folder / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=False) + "\n")
    (folder / "scenario.json").write_text(json.dumps(scenario, indent=2) + "\n")
    write_csv(dispatch, folder / "dispatch.csv", float_format=DISPATCH_FLOAT_FORMAT)
    as_written(dispatch, DISPATCH_FLOAT_FORMAT).to_parquet(folder / "dispatch.parquet", engine="pyarrow",
                                                          index=False)
    write_csv(cashflow, folder / "cashflow.csv", index=True, float_format=CASHFLOW_FLOAT_FORMAT)
    return [folder / name for name in DATA_FILES]
