"""Write hourly columns into a planner workbook's Hourly sheet and their sources into its Sources sheet.

The workbook must be a planner input workbook (the Site to Hourly sheets). Only the named columns' data cells
change (rounded to 6 decimals, as the template writes them) and rows are appended to Sources; every other
sheet and cell is kept. The file is written to a temporary sibling and renamed into place (planner/outputs.py:
`replace_file`), so an error never leaves a half-written workbook. Text goes through planner/safe_text.py: a
file name starting with "=" stays text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.outputs import replace_file
from planner.resource.calendar import hour_of_year
from planner.safe_text import put
from planner.scenario.layout import (
    FIELD_COL,
    HOURLY_FIRST_ROW,
    HOURLY_HEADER_ROW,
    HOURLY_SHEET,
    KV_FIRST_ROW,
    SOURCES_HEADERS,
    SOURCES_SHEET,
    TIMESTAMP_COL_NAME,
    VALUE_COL,
    col_letter,
)
from planner.scenario.template import is_input_workbook
from planner.scenario.xlsx import check_file

WORKBOOK_WHAT = "a planner input workbook, an .xlsx with the Site to Hourly sheets"


@dataclass
class HourlyLayout:
    """Where the Hourly sheet's data are: the header's columns and each data row's hour of the year."""

    columns: dict[str, int]  # header name -> column number (1-based)
    positions: np.ndarray  # hour of year (0..8759) of each data row; 29 February rows take 28 February's
    year: int


def sha256(path: str | Path) -> str:
    """The file's SHA-256, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def open_workbook(path: Path):
    """The workbook (openpyxl, formulas kept as written) after the planner's file checks."""
    from openpyxl import load_workbook

    check_file(path)
    if not is_input_workbook(path):
        raise InputError([f"{path}: not {WORKBOOK_WHAT} (start from `planner template`); nothing was written"])
    return load_workbook(path)


def hourly_layout(wb, needed: list[str]) -> HourlyLayout:
    """The Hourly sheet's header and timestamps, checked as the reader checks them (sheet, row and column named)."""
    from planner.scenario.reader import Problems, _timestamps

    ws = wb[HOURLY_SHEET]
    header = {str(c.value).strip(): c.column for c in ws[HOURLY_HEADER_ROW] if c.value not in (None, "")}
    problems = [f"{HOURLY_SHEET}!1:1: column {n!r} is missing from the header row (found "
                f"{', '.join(header) or 'none'})" for n in [TIMESTAMP_COL_NAME, *needed] if n not in header]
    if problems:
        raise InputError(problems)
    tj = header[TIMESTAMP_COL_NAME]
    raw = [r[0] for r in ws.iter_rows(min_row=HOURLY_FIRST_ROW, min_col=tj, max_col=tj, values_only=True)]
    while raw and raw[-1] in (None, ""):
        raw.pop()
    p = Problems()
    stamps = _timestamps(raw, p, col_letter(tj))
    n = len(raw)
    if n not in (8760, 8784):
        p.error(f"{HOURLY_SHEET}: expected 8760 hourly rows (or 8784 for a leap year) from row {HOURLY_FIRST_ROW}, "
                f"found {n}")
    if p.errors:
        raise InputError(p.errors)
    idx = pd.DatetimeIndex(stamps)
    feb29 = (idx.month == 2) & (idx.day == 29)
    pos = hour_of_year(idx)
    pos[feb29] = hour_of_year(pd.DatetimeIndex(idx[feb29] - pd.Timedelta(days=1)))
    if n == 8784 and feb29.sum() != 24 or n == 8760 and len(set(pos.tolist())) != 8760:
        raise InputError([f"{HOURLY_SHEET}!{col_letter(tj)}{HOURLY_FIRST_ROW}: the timestamps do not cover one "
                          f"calendar year hour by hour (from {idx[0]} to {idx[-1]}); the columns are placed by month, "
                          f"day and hour, so the sheet must hold one year from 1 January 00:00"])
    return HourlyLayout(header, pos, int(pd.Series(idx.year).mode()[0]))


def field_value(wb, sheet: str, name: str):
    """The value cell of field `name` on a key/value sheet (column A names, column C values), or None."""
    if sheet not in wb.sheetnames:
        return None
    ws = wb[sheet]
    for row in ws.iter_rows(min_row=KV_FIRST_ROW, max_col=VALUE_COL):
        if row and str(row[FIELD_COL - 1].value or "").strip() == name:
            return row[VALUE_COL - 1]
    return None


def formula_warning(wb) -> list[str]:
    """A warning if the workbook holds formulas: openpyxl keeps them but cannot compute them, so their cached
    values are lost on saving and the planner's reader asks for the workbook to be re-saved."""
    found = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f"]
    if not found:
        return []
    return [f"{found[0]}{f' and {len(found) - 1} more cell(s)' if len(found) > 1 else ''} hold formulas; they are "
            f"kept, but their computed values are not (openpyxl cannot compute formulas): open and save the workbook "
            f"in Excel or LibreOffice before `planner run`"]


def write_columns(wb, layout: HourlyLayout, columns: dict[str, np.ndarray]) -> None:
    """Put each 8760-value year (hour-of-year order) into its column, row by row; numbers only."""
    ws = wb[HOURLY_SHEET]
    for name, values in columns.items():
        values = np.asarray(values, dtype=float)
        if values.shape != (8760,) or not np.isfinite(values).all():
            raise ValueError(f"column {name}: expected 8760 finite values")
        j = layout.columns[name]
        for i, h in enumerate(layout.positions):
            ws.cell(row=HOURLY_FIRST_ROW + i, column=j, value=round(float(values[h]), 6))


def add_sources(wb, rows: list[tuple[str, str]]) -> None:
    """Append (item, source) rows to the Sources sheet (created with its header if missing), as text."""
    if SOURCES_SHEET in wb.sheetnames:
        ws = wb[SOURCES_SHEET]
    else:
        ws = wb.create_sheet(SOURCES_SHEET)
        for j, h in enumerate(SOURCES_HEADERS, start=1):
            put(ws, 1, j, h)
    last = max((r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value not in (None, "")),
               default=1)
    for k, (item, text) in enumerate(rows, start=1):
        put(ws, last + k, 1, item)
        put(ws, last + k, 2, text)


def save(wb, out: Path, force: bool) -> Path:
    """Write atomically to `out`; an existing `out` is replaced only with `force` and only if it is a planner
    input workbook."""
    return replace_file(out, lambda tmp: wb.save(tmp), force, is_input_workbook, WORKBOOK_WHAT)
