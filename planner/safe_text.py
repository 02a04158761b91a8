"""Text stays text in every spreadsheet the planner writes (no formula injection; docs/report.md).

Whatever a user typed (site name, description, sources, notes) and whatever quotes it (warnings, labels,
failure reasons) may start with `=`, `+`, `-`, `@`, a tab or a carriage return. Written naively, Excel,
LibreOffice and Google Sheets read such a cell as a live formula (`=HYPERLINK(...)`, a DDE
`=cmd|' /C calc'!A0`). Every workbook and CSV writer of the planner goes through this module:

- Excel (openpyxl): `put` and `cells` store every str as a string cell (data type "s"): openpyxl would
  otherwise make any str starting with "=" a formula and "#N/A" an error value. A formula is written only
  by `formula`, which the report uses for its live NPV and IRR.
- CSV: `write_csv` quotes every text field and, by OWASP's rule against CSV injection, prefixes a single
  quote to a text field that would be read as a formula (`csv_safe`). Numbers (negative ones too) stay bare
  numbers; only text is touched.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils.escape import escape as excel_escape

# first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection), and line feed
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


# ------------------------------------------------------------------------------------------- Excel

def excel_text(text: str) -> str:
    """A str as openpyxl can store it: control characters XML cannot hold become Excel's _xHHHH_ escapes."""
    return excel_escape(text) if ILLEGAL_CHARACTERS_RE.search(text) else text


def put(ws, row: int, column: int, value, number_format: str | None = None) -> Cell:
    """Write one value to a cell: a str as text (never a formula or an error code), anything else as it is."""
    c = ws.cell(row=row, column=column)
    if isinstance(value, str):
        c.value = excel_text(value)
        c.data_type = "s"
    else:
        c.value = value
    if number_format is not None:
        c.number_format = number_format
    return c


def formula(ws, row: int, column: int, text: str, number_format: str | None = None) -> Cell:
    """Write a live formula (the only way the planner writes one: the report's NPV and IRR)."""
    if not text.startswith("="):
        raise ValueError(f"not a formula: {text!r}")
    c = ws.cell(row=row, column=column, value=text)  # openpyxl makes a str starting with "=" a formula
    if number_format is not None:
        c.number_format = number_format
    return c


def cells(ws, values) -> list:
    """A row for `ws.append`: every str wrapped in a string cell, other values passed through."""
    out = []
    for v in values:
        if isinstance(v, str):
            c = Cell(ws, value=excel_text(v))
            c.data_type = "s"
            out.append(c)
        else:
            out.append(v)
    return out


# --------------------------------------------------------------------------------------------- CSV

def csv_safe(value):
    """A CSV text field neutralised by OWASP's rule: a single quote before a text that would be a formula.

    A text is neutralised when its first character, or its first after leading spaces, is one of
    FORMULA_TRIGGERS; a text that is a plain number ("-5", "+1.5e3") is read as that number by every
    spreadsheet and is left alone. Values that are not str (numbers, None) are returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    head = value.lstrip(" ")[:1]
    if (value[0] in FORMULA_TRIGGERS or head in FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(value.strip()):
        return "'" + value
    return value


def _quoted(text: str) -> str:
    return '"' + csv_safe(text).replace('"', '""') + '"'


def _field(v, float_format: str | None) -> str:
    """One CSV field: numbers bare, blanks empty, dates as pandas writes them, everything else quoted text."""
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return float_format % v if float_format else repr(float(v))
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        return str(v)
    return _quoted(str(v))


def _column(s: pd.Series, float_format: str | None) -> list[str]:
    if pd.api.types.is_float_dtype(s.dtype):
        x = s.to_numpy(dtype=float)
        text = [float_format % v for v in x] if float_format else [repr(v) for v in x.tolist()]
        return ["" if math.isnan(v) else t for v, t in zip(x.tolist(), text, strict=True)]
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return ["" if t is pd.NaT else str(t) for t in s]
    return [_field(v, float_format) for v in s.tolist()]


def write_csv(df: pd.DataFrame, path: str | Path, index: bool = False, float_format: str | None = None) -> Path:
    """Write `df` as CSV: numbers bare (in `float_format` if given), every text field quoted and csv_safe.

    Column labels and (with `index`) row labels are fields like any other; pandas reads the file back.
    """
    columns = [_column(df.iloc[:, j], float_format) for j in range(df.shape[1])]
    head = [_field(c, None) for c in df.columns]
    if index:
        columns.insert(0, [_field(v, float_format) for v in df.index.tolist()])
        head.insert(0, _field(df.index.name, None))
    lines = [",".join(head)] + [",".join(row) for row in zip(*columns, strict=True)]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
