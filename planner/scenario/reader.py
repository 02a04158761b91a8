"""Read and validate an input workbook into a Scenario, collecting every problem a user can act on.

Every message names the sheet and cell (or column), what was expected and what was found, e.g.
`Mining!C7: hashprice_usd_per_ph_day must be a number in USD/PH/day, found "n/a"`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.outputs import site_name_problem
from planner.scenario.catalog import Catalog, load_catalog
from planner.scenario.fields import FieldInfo, info
from planner.scenario.hourly import HOURS_PER_YEAR
from planner.scenario.inputs import HOURLY_COLUMNS, SECTION_ATTR, SECTIONS
from planner.scenario.layout import (
    DECLINE_HEADERS,
    DECLINES_TITLE,
    DISTRIBUTIONS,
    FIELD_COL,
    HOURLY_FIRST_ROW,
    HOURLY_HEADER_ROW,
    HOURLY_SHEET,
    KV_FIRST_ROW,
    LISTED_HEADERS,
    LISTED_TITLE,
    MAX_B_FACTOR,
    MAX_DECLINE_PER_YEAR,
    PERIODS_SHEET,
    PERIODS_TITLE,
    PERIODS_WHOLE_LIFE_NAMES,
    PERIODS_WHOLE_LIFE_PREFIXES,
    SENSITIVITY_SHEET,
    SOURCES_SHEET,
    START_YEAR_HEADER,
    TIMESTAMP_COL_NAME,
    UNCERTAIN_HEADERS,
    UNCERTAIN_MODELS,
    UNCERTAIN_TITLE,
    UNCERTAINTY_SHEET,
    VALUE_COL,
    col_letter,
)
from planner.scenario.numbers import HOURLY_MAX, magnitude_problem, parse_text_number
from planner.scenario.params import all_params, numeric_param_names, param_info, suggest
from planner.scenario.periods import spans
from planner.scenario.scenario import (
    DeclineRow,
    InvestmentPeriod,
    ListedChange,
    Scenario,
    SensitivityRow,
    UncertainRow,
    column_info,
    fill_from_catalog,
)
from planner.scenario.xlsx import SheetLimit, bounded_rows, check_file, check_parts, declared_range_problem

MAX_LISTED = 5  # how many offending rows to name in one hourly message
NUMBER_WITH_UNIT = re.compile(r"^\s*[-+]?[\d.,]+\s*[%a-zA-Z$/€£ ]+\s*$|^\s*[$€£]\s*[-+]?[\d.,]+\s*$")


class Problems:
    """Collects errors and warnings while reading."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def _off_by_default(sc: Scenario, attr: str) -> bool:
    """May this sheet be absent: a feature added after the first template, switched off unless asked for (or,
    without an enable flag, one only a later command reads, e.g. Uncertainty)?"""
    section = getattr(sc, attr)
    return type(section).MAY_BE_ABSENT and getattr(section, "enabled", False) is False


def _absent_text(sc: Scenario, attr: str) -> str:
    """What an absent may-be-absent sheet is read as."""
    if hasattr(getattr(sc, attr), "enabled"):
        return "taken as switched off (enabled = no)"
    return "read as its defaults, with no uncertain inputs and no listed scenarios (`planner run --stochastic` " \
           "needs them)"


def read_workbook(path: str | Path, catalog: Catalog | None = None) -> Scenario:
    """Read, validate and resolve a workbook; raises InputError listing every problem found."""
    path = Path(path)
    catalog = catalog or load_catalog()
    p = Problems()
    sheets = _load_sheets(path, p)
    sc = Scenario()
    for attr, sheet in SECTION_ATTR.items():
        if sheet not in sheets and _off_by_default(sc, attr):
            p.warn(f"{sheet}: sheet is missing (a workbook from an older template); {_absent_text(sc, attr)}. "
                   f"`planner template` writes a workbook with every sheet")
            continue
        if sheet not in sheets:
            p.error(f"{sheet}: sheet is missing (expected a sheet named {sheet!r}; "
                    f"found sheets {', '.join(sheets) or 'none'})")
            continue
        rows = sheets[sheet]
        if sheet == UNCERTAINTY_SHEET:
            rows, sc.uncertain, sc.listed_scenarios = _read_uncertainty_tables(rows, p)
        setattr(sc, attr, _read_section(rows, sheet, SECTIONS[sheet], p, sc.cells, attr))
    _check_section_rules(sc, catalog, p)
    if PERIODS_SHEET in sheets:
        sc.investment_periods, sc.declines = _read_periods(sheets[PERIODS_SHEET], sc, p)
    else:
        p.warn(f"{PERIODS_SHEET}: sheet is missing (a workbook from an older template); read as one investment "
               f"period (the plan as before, no declines). `planner template` writes a workbook with every sheet")
    if HOURLY_SHEET in sheets:
        sc.hourly = _read_hourly(sheets[HOURLY_SHEET], sc, p)
    else:
        p.error(f"{HOURLY_SHEET}: sheet is missing (expected the hourly series, {HOURS_PER_YEAR} rows)")
    if SENSITIVITY_SHEET in sheets:
        sc.sensitivity = _read_sensitivity(sheets[SENSITIVITY_SHEET], p)
    if SOURCES_SHEET in sheets:
        sc.sources = [(str(r[0]), str(r[1] if len(r) > 1 and r[1] is not None else ""))
                      for r in sheets[SOURCES_SHEET][1:] if r and r[0] not in (None, "")]
    known = set(SECTIONS) | {HOURLY_SHEET, SENSITIVITY_SHEET, SOURCES_SHEET, PERIODS_SHEET, "Lists"}
    for extra in sheets:
        if extra not in known:
            p.warn(f"{extra}: sheet is not used by the planner (ignored)")
    if p.errors:
        raise InputError(p.errors, p.warnings)
    fill_from_catalog(sc, catalog)
    sc.warnings = p.warnings
    sc.input_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return sc


# ---------------------------------------------------------------------------------------- file

def _load_sheets(path: Path, p: Problems) -> dict[str, list[tuple]]:
    """The sheets the reader uses as lists of row tuples, formulas replaced by their cached values.

    Every other sheet maps to [] (named, never iterated). The file, its zip parts and each sheet's used range
    are checked before anything is inflated or iterated (planner/scenario/xlsx.py).
    """
    from openpyxl import load_workbook

    head = check_file(path)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".csv", ".ods", ".xlsb"):
        raise InputError([f"{path.name}: a {suffix} file cannot be read; save it as an Excel workbook (.xlsx) "
                          f"or start from `planner template`"])
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError([f"{path.name}: this is an old binary Excel (.xls) or encrypted file renamed to "
                          f"{suffix}; open it in Excel and save as .xlsx (unencrypted)"])
    if not head.startswith(b"PK"):
        raise InputError([f"{path.name}: not an .xlsx workbook (found {_describe_bytes(head)}); "
                          f"save it as an Excel workbook (.xlsx)"])
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            check_parts(z, path.name)
            bad = z.testzip()
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError) as e:
        raise InputError([f"{path.name}: the file is damaged and cannot be opened as .xlsx ({e})"]) from None
    if bad is not None:
        raise InputError([f"{path.name}: the file is damaged (corrupt part {bad}); re-save it from Excel"])
    if "xl/workbook.xml" not in names:
        raise InputError([f"{path.name}: a zip file but not an Excel workbook (no xl/workbook.xml)"])
    if any(n.endswith("vbaProject.bin") for n in names) and suffix == ".xlsx":
        p.warn(f"{path.name}: the workbook contains macros (.xlsm saved as .xlsx); macros are ignored")
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
        try:
            sheets = _bounded_sheets(wb, p)
        finally:
            wb.close()
        if any(_has_formula(rows) for rows in sheets.values()):
            wbv = load_workbook(path, read_only=True, data_only=True)
            try:
                for name, rows in sheets.items():
                    if _has_formula(rows):
                        values = bounded_rows(wbv[name], _sheet_limit(name))
                        sheets[name] = _merge_cached(name, rows, values, p)
            finally:
                wbv.close()
    except InputError:
        raise
    except Exception as e:  # openpyxl raises many types on malformed parts
        raise InputError([f"{path.name}: cannot be read as an Excel workbook ({type(e).__name__}: {e}); "
                          f"re-save it from Excel as .xlsx"]) from None
    return sheets


PARAMETER_SHEET_LIMIT = SheetLimit(500, 50, "one row per field below a title and a header row")
SHEET_LIMITS = {
    HOURLY_SHEET: SheetLimit(9000, 100, f"{HOURS_PER_YEAR + 24} hours of a leap year below a header and a units "
                                        f"row, and the columns of the series"),
    SENSITIVITY_SHEET: SheetLimit(2000, 50, "one row per parameter below a header row"),
    SOURCES_SHEET: SheetLimit(2000, 50, "one row per source below a header row"),
    UNCERTAINTY_SHEET: SheetLimit(5000, 50, "the settings, one row per uncertain input and one row per change "
                                            "of each listed scenario"),
    PERIODS_SHEET: SheetLimit(1000, 200, "a few explanatory lines, one row per investment period with one column "
                                         "per input it changes, and one row per decline"),
}
READ_SHEETS = frozenset(SECTIONS) | frozenset(SHEET_LIMITS)


def _sheet_limit(name: str) -> SheetLimit:
    return SHEET_LIMITS.get(name, PARAMETER_SHEET_LIMIT)


def _bounded_sheets(wb, p: Problems) -> dict[str, list[tuple]]:
    """Rows of every sheet the reader uses (in workbook order; others []), refusing used ranges beyond the limits."""
    used = [ws for ws in wb.worksheets if ws.title in READ_SHEETS]
    too_big = [m for m in (declared_range_problem(ws, _sheet_limit(ws.title)) for ws in used) if m]
    if too_big:
        raise InputError(too_big, p.warnings)
    return {ws.title: bounded_rows(ws, _sheet_limit(ws.title)) if ws.title in READ_SHEETS else []
            for ws in wb.worksheets}


def _describe_bytes(head: bytes) -> str:
    text = head.decode("latin-1", errors="replace")
    return "text (perhaps CSV)" if all(32 <= b < 127 or b in (9, 10, 13) for b in head) else repr(text)


def _has_formula(rows: list[tuple]) -> bool:
    return any(isinstance(v, str) and v.startswith("=") for r in rows for v in r)


def _merge_cached(sheet: str, formulas: list[tuple], values: list[tuple], p: Problems) -> list[tuple]:
    """Replace formula strings by cached values; a formula without one is an error naming the cell."""
    out, missing = [], []
    for i, row in enumerate(formulas):
        vrow = values[i] if i < len(values) else ()
        new = list(row)
        for j, v in enumerate(row):
            if isinstance(v, str) and v.startswith("="):
                cached = vrow[j] if j < len(vrow) else None
                if cached is None:
                    missing.append(f"{col_letter(j + 1)}{i + 1}")
                new[j] = cached
        out.append(tuple(new))
    if missing:
        shown = ", ".join(missing[:MAX_LISTED]) + (f" and {len(missing) - MAX_LISTED} more" if len(missing) >
                                                     MAX_LISTED else "")
        p.error(f"{sheet}!{missing[0]}: formula has no cached value ({len(missing)} cell(s): {shown}). The "
                f"workbook was saved by a program that does not compute formulas; open and save it in Excel or "
                f"LibreOffice, or replace the formulas by values")
    return out


# ------------------------------------------------------------------------------- key/value sheets

def _read_section(rows: list[tuple], sheet: str, cls: type, p: Problems, cells: dict[str, str], attr: str):
    """One key/value sheet into its dataclass; missing rows and bad values are reported.

    `cells` gets the cell each field was read from (`ai.max_new_blocks` -> `AI!C9`), for later messages.
    """
    found: dict[str, tuple[int, Any]] = {}
    for i, row in enumerate(rows[KV_FIRST_ROW - 1:], start=KV_FIRST_ROW):
        key = row[FIELD_COL - 1] if len(row) >= FIELD_COL else None
        if key is None or str(key).strip() == "":
            continue
        key = str(key).strip()
        value = row[VALUE_COL - 1] if len(row) >= VALUE_COL else None
        if key in found:
            p.error(f"{sheet}!A{i}: field {key!r} appears twice (also in row {found[key][0]})")
        found[key] = (i, value)
    kwargs = {}
    names = {f.name for f in dataclasses.fields(cls)}
    for f in dataclasses.fields(cls):
        if f.name not in found and info(f).may_be_absent:
            p.warn(f"{sheet}: row for field {f.name!r} is missing (a workbook from an older template); taken as "
                   f"its default, {f.default!r}")
            continue
        if f.name not in found:
            p.error(f"{sheet}: row for field {f.name!r} is missing (expected the name in column A, "
                    f"the value in column C)")
            continue
        row, raw = found[f.name]
        cells[f"{attr}.{f.name}"] = f"{sheet}!{col_letter(VALUE_COL)}{row}"
        ok, value = _parse(raw, f, cells[f"{attr}.{f.name}"], p)
        if ok:
            kwargs[f.name] = value
    for key, (row, _) in found.items():
        if key not in names:
            p.warn(f"{sheet}!A{row}: unknown field {key!r} is ignored")
    return cls(**kwargs)


def _parse(raw: Any, f: dataclasses.Field, ref: str, p: Problems) -> tuple[bool, Any]:
    """Parse one cell for a field; returns (ok, value) and records problems."""
    fi: FieldInfo = info(f)
    ftype = str(f.type)
    optional = "None" in ftype
    if isinstance(raw, str) and raw.strip() == "":
        raw = None
    if raw is None:
        if optional:
            return True, None
        if fi.blank_means is not None and ftype.startswith("str"):
            return True, ""
        p.error(f"{ref}: {f.name} is blank; expected {_expect(ftype, fi)}")
        return False, None
    if ftype.startswith("bool"):
        s = str(raw).strip().lower()
        if isinstance(raw, bool):
            return True, raw
        if s in ("yes", "y", "true", "1"):
            return True, True
        if s in ("no", "n", "false", "0"):
            return True, False
        p.error(f"{ref}: {f.name} must be yes or no, found {raw!r}")
        return False, None
    if ftype.startswith("str"):
        s = str(raw).strip()
        if fi.choices and s not in fi.choices:
            p.error(f"{ref}: {f.name} must be one of {', '.join(fi.choices)}, found {s!r}")
            return False, None
        return True, s
    # numeric
    value = _number(raw)
    if value is None:
        if isinstance(raw, str) and NUMBER_WITH_UNIT.match(raw):
            hint = f" (type only the number, in {fi.unit})"
        else:
            hint = _number_hint(raw)
        p.error(f"{ref}: {f.name} must be a number in {fi.unit}, found {_show(raw)}{hint}")
        return False, None
    if isinstance(raw, str):
        grouped = " (the commas read as thousands separators)" if parse_text_number(raw).grouped else ""
        p.warn(f"{ref}: {f.name} is stored as text ({raw!r}); read as the number {value:.15g}{grouped}")
    if not math.isfinite(value):
        p.error(f"{ref}: {f.name} must be a finite number in {fi.unit}, found {raw!r}")
        return False, None
    if ftype.startswith("int"):
        if abs(value - round(value)) > 1e-9:
            p.error(f"{ref}: {f.name} must be a whole number ({fi.unit}), found {value:g}")
            return False, None
        value = int(round(value))
    if not _in_range(value, fi):
        p.error(f"{ref}: {f.name} must be {_range_text(fi)} ({fi.unit}), found {value:g}")
        return False, None
    too_big = magnitude_problem(value, fi)
    if too_big:
        p.error(f"{ref}: {f.name} = {value:g} is {too_big}")
        return False, None
    _unit_slip(value, f.name, fi, ref, p)
    return True, value


def _number(raw: Any) -> float | None:
    """A cell as a number, or None; text is read only in a form that means the same everywhere (numbers.py)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    if isinstance(raw, str):
        return parse_text_number(raw).value
    return None


def _number_hint(raw: Any) -> str:
    """': how to write it' for text the reader refuses as a number because of commas or spaces, else ''."""
    hint = parse_text_number(raw).hint if isinstance(raw, str) else ""
    return f": {hint}" if hint else ""


def _show(raw: Any) -> str:
    if isinstance(raw, (dt.datetime, dt.date)):
        return f"a date ({raw})"
    return f'"{raw}"' if isinstance(raw, str) else repr(raw)


def _expect(ftype: str, fi: FieldInfo) -> str:
    if ftype.startswith("bool"):
        return "yes or no"
    if ftype.startswith("str"):
        return "one of " + ", ".join(fi.choices) if fi.choices else "a text value"
    return f"a number in {fi.unit}"


def _in_range(v: float, fi: FieldInfo) -> bool:
    if fi.lo is not None and (v < fi.lo or (fi.lo_open and v <= fi.lo)):
        return False
    return not (fi.hi is not None and v > fi.hi)


def _range_text(fi: FieldInfo) -> str:
    lo = None if fi.lo is None else f"{'>' if fi.lo_open else '>='} {fi.lo:g}"
    hi = None if fi.hi is None else f"<= {fi.hi:g}"
    return " and ".join(x for x in (lo, hi) if x)


def _unit_slip(v: float, name: str, fi: FieldInfo, ref: str, p: Problems) -> None:
    """Warn when a value is far outside its typical range but fits it after a unit change."""
    if fi.typical is None or v == 0:
        return
    lo, hi = fi.typical
    if lo <= abs(v) <= hi:
        return
    for factor, unit in fi.slips:
        if lo * factor <= abs(v) <= hi * factor:
            p.warn(f"{ref}: {name} = {v:g} looks like it is in {unit}, not {fi.unit} "
                   f"(typical {lo:g}..{hi:g} {fi.unit}); check the unit")
            return
    p.warn(f"{ref}: {name} = {v:g} is outside the typical range {lo:g}..{hi:g} {fi.unit}; check the value")


def _check_section_rules(sc: Scenario, catalog: Catalog, p: Problems) -> None:
    """Rules across fields of a sheet and catalog names (with the closest suggestion)."""
    for attr, sheet, section in sc.sections():
        for f in dataclasses.fields(section):
            fi = info(f)
            if fi.catalog:
                model = getattr(section, f.name)
                if model is not None and model not in catalog.names(fi.catalog):
                    close = catalog.closest(fi.catalog, model)
                    hint = f"; did you mean {close!r}?" if close else ""
                    p.error(f"{sheet}: {f.name} {model!r} is not in the catalog "
                            f"models/{fi.catalog}.csv{hint}")
                elif model is not None and "technology" in catalog.tables[fi.catalog].columns:
                    kind = catalog.row(fi.catalog, model)["technology"]  # a table shared by several sheets
                    if kind != attr:
                        p.error(f"{sheet}: {f.name} {model!r} is a {kind} unit, not {attr}")
            if f.name.startswith("min_new_"):
                hi_name = "max_new_" + f.name[len("min_new_"):]
                lo, hi = getattr(section, f.name), getattr(section, hi_name, None)
                if hi is not None and lo > hi:
                    p.error(f"{sheet}: {f.name} ({lo:g}) must not exceed {hi_name} ({hi:g})")
        itc = getattr(section, "itc_fraction", 0.0)
        if itc > 0 and sc.finance.tax_rate == 0 and getattr(section, "enabled", True):
            p.warn(f"{sc.cells.get(f'{attr}.itc_fraction', sheet)}: itc_fraction = {itc:g} is counted as cash in "
                   "year 1 (a credit sold or used elsewhere, docs/formulation.md) although Finance tax_rate is 0 "
                   "(pre-tax NPV); set it to 0 if the credit cannot be used or transferred")
        errors, warnings = section.rules(catalog)
        for e in errors:
            p.error(f"{sheet}: {e}")
        for w in warnings:
            p.warn(f"{sheet}: {w}")
    name_problem = site_name_problem(sc.site.name or "")
    if name_problem:
        p.error(f"{sc.cells.get('site.name', 'Site')}: name {sc.site.name!r} {name_problem}")


# ---------------------------------------------------------------------------------- hourly sheet

def _read_hourly(rows: list[tuple], sc: Scenario, p: Problems) -> pd.DataFrame:
    """The Hourly sheet as a DataFrame of HOURS_PER_YEAR rows (leap-year input trimmed, and said so)."""
    if len(rows) < HOURLY_HEADER_ROW:
        p.error(f"{HOURLY_SHEET}: sheet is empty (expected a header row with timestamp and "
                f"{', '.join(c.name for c in HOURLY_COLUMNS)})")
        return pd.DataFrame()
    header = [str(h).strip() if h is not None else "" for h in rows[HOURLY_HEADER_ROW - 1]]
    pos: dict[str, int] = {}
    for j, h in enumerate(header):
        if h == "":
            continue
        if h in pos:
            p.error(f"{HOURLY_SHEET}!{col_letter(j + 1)}1: column {h!r} appears twice (also column "
                    f"{col_letter(pos[h] + 1)})")
        pos.setdefault(h, j)
    expected = [TIMESTAMP_COL_NAME] + [c.name for c in HOURLY_COLUMNS]
    absent = [n for n in expected if n not in pos]
    missing = [n for n in absent if n == TIMESTAMP_COL_NAME or sc.column_required(n)]
    for n in absent:
        if n not in missing:  # a column that may be blank in every hour may also be absent (an older template)
            p.warn(f"{HOURLY_SHEET}!1:1: column {n!r} is missing from the header row; read as blank in every hour "
                   f"({column_info(n).blank_means or 'its blank value'})")
    for n in missing:
        p.error(f"{HOURLY_SHEET}!1:1: column {n!r} is missing from the header row (expected columns: "
                f"{', '.join(expected)}; found: {', '.join(h for h in header if h) or 'none'})")
    for h, j in pos.items():
        if h not in expected:
            p.warn(f"{HOURLY_SHEET}!{col_letter(j + 1)}1: column {h!r} is not used (ignored)")
    if missing:
        return pd.DataFrame()
    data = rows[HOURLY_FIRST_ROW - 1:]
    while data and all(v is None or (isinstance(v, str) and not v.strip()) for v in data[-1]):
        data = data[:-1]  # trailing empty rows
    n = len(data)
    tj = pos[TIMESTAMP_COL_NAME]
    ts_raw = [r[tj] if tj < len(r) else None for r in data]
    ts = _timestamps(ts_raw, p, col_letter(tj + 1))
    if n not in (HOURS_PER_YEAR, HOURS_PER_YEAR + 24):
        p.error(f"{HOURLY_SHEET}: expected {HOURS_PER_YEAR} hourly rows (or {HOURS_PER_YEAR + 24} for a leap "
                f"year) from row {HOURLY_FIRST_ROW}, found {n} (last data row {HOURLY_FIRST_ROW + n - 1})")
    df = pd.DataFrame({TIMESTAMP_COL_NAME: ts})
    filled_later = []
    for c in HOURLY_COLUMNS:
        j = pos.get(c.name)  # None: an optional column the sheet does not have, blank in every hour
        letter = col_letter(j + 1) if j is not None else "(absent)"
        raw = [None] * n if j is None else [r[j] if j < len(r) else None for r in data]
        values = np.full(n, np.nan)
        bad_text, blanks, nonfinite, out_of_range, as_text = [], [], [], [], []
        hi = c.hi if c.hi is not None else HOURLY_MAX  # numbers.py: beyond any site in every hourly unit
        for i, v in enumerate(raw):
            x = _number(v)
            if v is None or (isinstance(v, str) and v.strip() == ""):
                blanks.append(i)
            elif x is None:
                bad_text.append(i)
            elif not math.isfinite(x):
                nonfinite.append(i)
            else:
                values[i] = x
                if isinstance(v, str):
                    as_text.append(i)
                if (c.lo is not None and x < c.lo) or x > hi:
                    out_of_range.append(i)
        required = sc.column_required(c.name)
        where = f"{HOURLY_SHEET}!{letter}"
        if bad_text:
            p.error(f"{where}{_rows(bad_text)}: {c.name} must be a number in {c.unit}, found "
                    f"{_show(raw[bad_text[0]])}{_number_hint(raw[bad_text[0]])}{_more(bad_text)}")
        if as_text:
            grouped = any(parse_text_number(raw[i]).grouped for i in as_text)
            p.warn(f"{where}{_rows(as_text)}: {c.name} has {len(as_text)} number(s) stored as text (first "
                   f"{raw[as_text[0]]!r}); read as numbers{' (commas as thousands separators)' if grouped else ''}")
        if nonfinite:
            p.error(f"{where}{_rows(nonfinite)}: {c.name} must be a finite number in {c.unit}, found "
                    f"{raw[nonfinite[0]]!r}{_more(nonfinite)}")
        if out_of_range:
            rng = f"{'' if c.lo is None else f'{c.lo:g}'}..{hi:g}"
            p.error(f"{where}{_rows(out_of_range)}: {c.name} must be within {rng} {c.unit}, found "
                    f"{values[out_of_range[0]]:g}{_more(out_of_range)}")
        if blanks and required:
            p.error(f"{where}{_rows(blanks)}: {c.name} is blank in {len(blanks)} hour(s); every hour needs a "
                    f"value in {c.unit} (use 0 where there is none)")
        if blanks and c.fill is not None:
            filled_later.append(c)  # from other columns, once every column is read
        elif blanks:
            values[blanks] = c.blank_value
        df[c.name] = values
    for c in filled_later:
        _attr, owner = next((a, s) for a, _sheet, s in sc.sections() if c in type(s).HOURLY)
        blank = df[c.name].isna().to_numpy()
        df.loc[blank, c.name] = np.asarray(c.fill(owner, df), dtype=float)[blank]
    if p.errors:
        return df
    for c in HOURLY_COLUMNS:
        if c.median_at_least is not None and sc.column_used(c.name):
            typical = float(np.median(np.abs(df[c.name].to_numpy())))
            least, hint = c.median_at_least
            if 0 < typical < least:
                p.warn(f"{HOURLY_SHEET}: {c.name} has a median of {typical:.3g}: that looks like {hint}")
    for _attr, _sheet, section in sc.sections():
        for w in section.hourly_warnings(df):
            p.warn(w)
    if n == HOURS_PER_YEAR + 24:
        stamps = pd.DatetimeIndex(df[TIMESTAMP_COL_NAME])
        feb29 = (stamps.month == 2) & (stamps.day == 29)
        if feb29.sum() == 24:
            df = df.loc[~feb29].reset_index(drop=True)
            p.warn(f"{HOURLY_SHEET}: {HOURS_PER_YEAR + 24} rows (leap year {stamps[0].year}): 29 February "
                   f"(24 hours) was dropped so the year has {HOURS_PER_YEAR} hours")
        else:
            p.error(f"{HOURLY_SHEET}: {n} rows but no complete 29 February to drop; give {HOURS_PER_YEAR} rows")
            return df
    df["weight"] = 1.0
    return df


def _timestamps(raw: list[Any], p: Problems, letter: str = "A") -> list:
    """Parse the timestamp column; report blanks, text, mixed UTC offsets, duplicates and non-hourly steps."""
    out = [_timestamp(v) for v in raw]
    bad = [i for i, t in enumerate(out) if pd.isna(t)]
    where = f"{HOURLY_SHEET}!{letter}"
    if bad:
        v = raw[bad[0]]
        hint = ""
        if isinstance(v, str) and re.search(r"\d\s*[A-Za-z][A-Za-z/_]+$", v.strip()):
            hint = (" (a time zone can be given only as an offset such as +01:00; best give none, in local "
                    "standard time)")
        p.error(f"{where}{_rows(bad)}: timestamp must be a date and time (e.g. 2013-01-01 00:00), found "
                f"{_show(v) if v is not None else 'a blank'}{hint}{_more(bad)}")
        return out
    if not out:
        return out
    out = _standard_time(out, raw, where, p)
    if out is None:
        return [pd.NaT] * len(raw)
    s = pd.Series(out)
    dup = s.duplicated(keep="first")
    if dup.any():
        idx = list(np.flatnonzero(dup.to_numpy()))
        p.error(f"{where}{_rows(idx)}: duplicated timestamp {s[idx[0]]} (each hour must appear once; "
                f"a repeated hour often comes from daylight-saving time: use local standard time){_more(idx)}")
    diffs = s.diff().dt.total_seconds().to_numpy()[1:] / 3600.0
    back = list(np.flatnonzero(diffs < 0) + 1)
    if back:
        p.error(f"{where}{_rows(back)}: timestamps go backwards at {s[back[0]]} (rows must be in time order)"
                f"{_more(back)}")
    gaps = list(np.flatnonzero(diffs > 1) + 1)
    if gaps and not back:
        p.error(f"{where}{_rows(gaps)}: timestamps are not hourly: {s[gaps[0] - 1]} is followed by "
                f"{s[gaps[0]]}{_more(gaps)}")
    return out


def _timestamp(v: Any) -> pd.Timestamp:
    """One timestamp cell (an Excel date or date-time, or text), NaT when it is none."""
    if isinstance(v, (dt.datetime, dt.date)):
        return pd.Timestamp(v)
    if isinstance(v, str) and v.strip():
        try:
            return pd.Timestamp(v.strip())
        except (ValueError, TypeError, OverflowError):
            return pd.NaT
    return pd.NaT


def _standard_time(stamps: list[pd.Timestamp], raw: list[Any], where: str, p: Problems) -> list | None:
    """Timestamps with a UTC offset as clock times of one fixed offset, the smallest in the column.

    A timestamp with an offset (text like 2013-01-01T00:00+01:00 or ...Z) names an instant. A column that
    shares one offset is read as the clock times written: that offset is the site's standard time. A column
    with two or more offsets (daylight-saving time, e.g. +01:00 in winter and +02:00 in summer) is converted
    to the smallest offset, the zone's standard time, so each hour appears once. Either way a warning says
    so. Timestamps with and without an offset in one column are an error (None is returned).
    """
    aware = [t.tzinfo is not None for t in stamps]
    if not any(aware):
        return stamps
    if not all(aware):
        odd = [i for i, a in enumerate(aware) if a != aware[0]]
        has, other = ("has a UTC offset", "has none") if aware[odd[0]] else ("has no UTC offset", "has one")
        p.error(f"{where}{_rows(odd)}: timestamp {_stamp_text(raw[odd[0]])} {has} but {where}{_rows([0])} "
                f"({_stamp_text(raw[0])}) {other}; write every timestamp the same way, best without an offset "
                f"in local standard time{_more(odd)}")
        return None
    offsets = sorted({t.utcoffset() for t in stamps})
    std = offsets[0]
    clock = [t.tz_convert("UTC").tz_localize(None) + std for t in stamps]
    if len(offsets) > 1:
        p.warn(f"{where}{_rows([0])}: timestamps carry the UTC offsets {', '.join(_offset(o) for o in offsets)} "
               f"(daylight-saving time); converted to local standard time, UTC{_offset(std)} (the smallest offset), "
               f"so each hour appears once")
    elif std == dt.timedelta(0):
        p.warn(f"{where}{_rows([0])}: timestamps are in UTC (offset +00:00 or Z); read as the clock times written, "
               f"taken as the site's standard time: if the site is not on UTC, the report's hours of the day are "
               f"UTC hours")
    else:
        p.warn(f"{where}{_rows([0])}: timestamps carry the UTC offset {_offset(std)}; read as the clock times "
               f"written (local standard time UTC{_offset(std)})")
    return clock


def _offset(o: dt.timedelta) -> str:
    minutes = int(o.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _stamp_text(v: Any) -> str:
    return f'"{v}"' if isinstance(v, str) else str(v)


def _rows(idx: list[int]) -> str:
    """Excel row of the first offending data row (0-based data index)."""
    return str(idx[0] + HOURLY_FIRST_ROW)


def _more(idx: list[int]) -> str:
    if len(idx) <= 1:
        return ""
    rows = ", ".join(str(i + HOURLY_FIRST_ROW) for i in idx[1:MAX_LISTED])
    extra = f" and {len(idx) - MAX_LISTED} more" if len(idx) > MAX_LISTED else ""
    return f" (also rows {rows}{extra})"


# --------------------------------------------------------------------------------- sensitivity

def _read_sensitivity(rows: list[tuple], p: Problems) -> list[SensitivityRow]:
    """The Sensitivity sheet: parameter, low, high, distribution (base and unit are for reference)."""
    out = []
    names = set(numeric_param_names())
    for i, row in enumerate(rows[1:], start=2):
        row = tuple(row) + (None,) * 7
        name = row[0]
        if name is None or str(name).strip() == "":
            continue
        name = str(name).strip()
        ok = True
        if name not in names:
            p.error(f"{SENSITIVITY_SHEET}!A{i}: unknown parameter {name!r}{suggest(name)}; "
                    f"`planner params WORKBOOK` lists them")
            ok = False
        lo, hi = _number(row[1]), _number(row[2])
        for val, raw, col in ((lo, row[1], "B"), (hi, row[2], "C")):
            which = "low" if col == "B" else "high"
            if val is None or not math.isfinite(val):
                p.error(f"{SENSITIVITY_SHEET}!{col}{i}: {which} value of {name} must "
                        f"be a number, found {_show(raw)}{_number_hint(raw)}")
                ok = False
            elif too_big := magnitude_problem(val, _param_field_info(name)):
                p.error(f"{SENSITIVITY_SHEET}!{col}{i}: {which} value of {name} = {val:g} is {too_big}")
                ok = False
        dist = str(row[3]).strip() if row[3] not in (None, "") else "uniform"
        if dist not in DISTRIBUTIONS:
            p.error(f"{SENSITIVITY_SHEET}!D{i}: distribution must be one of {', '.join(DISTRIBUTIONS)}, "
                    f"found {dist!r}")
            ok = False
        if ok and lo > hi:
            p.error(f"{SENSITIVITY_SHEET}!B{i}: low ({lo:g}) is above high ({hi:g}) for {name}")
            ok = False
        if ok:
            out.append(SensitivityRow(name, lo, hi, dist, str(row[6] or "")))
    return out


def _param_field_info(name: str) -> FieldInfo | None:
    """The field declaration behind a dotted parameter name (None for hourly multipliers and unknown names)."""
    attr, _, field_name = name.partition(".")
    sheet = SECTION_ATTR.get(attr)
    if sheet is None:
        return None
    for f in dataclasses.fields(SECTIONS[sheet]):
        if f.name == field_name:
            return info(f)
    return None


# --------------------------------------------------------------------------------- uncertainty

MAX_VOLATILITY = 5.0  # a volatility above 500 %/yr is a percentage typed as a number (60 for 0.6)
SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,39}$")
LISTED_SUM_TOLERANCE = 1e-6


def _read_uncertainty_tables(rows: list[tuple], p: Problems) -> tuple[list[tuple], list[UncertainRow],
                                                                       list[ListedChange]]:
    """Split the Uncertainty sheet: (the settings' rows, the uncertain inputs, the listed scenarios' changes).

    Each table starts at the row whose column A holds its title (UNCERTAIN_TITLE, LISTED_TITLE), has a header
    row below it and ends at the next title or the end of the sheet; the settings are the rows above the first
    title. A table that is not on the sheet has no rows.
    """
    titles: dict[str, int] = {}
    for i, row in enumerate(rows):
        cell = str(row[0]).strip() if row and row[0] is not None else ""
        if cell in (UNCERTAIN_TITLE, LISTED_TITLE):
            if cell in titles:
                p.error(f"{UNCERTAINTY_SHEET}!A{i + 1}: the title {cell!r} appears twice (also A{titles[cell] + 1}); "
                        f"each table is written once")
                continue
            titles[cell] = i
    starts = sorted(titles.values())

    def table(title: str, headers: tuple[str, ...]) -> list[tuple[int, tuple]]:
        if title not in titles:
            return []
        first = titles[title]
        end = next((s for s in starts if s > first), len(rows))
        header = rows[first + 1] if first + 1 < end else ()
        if not header or str(header[0] or "").strip() != headers[0]:
            p.error(f"{UNCERTAINTY_SHEET}!A{first + 2}: expected the header row of {title!r} ({', '.join(headers)}) "
                    f"below its title, found {_show(header[0]) if header and header[0] is not None else 'a blank'}")
            return []
        return [(j + 1, tuple(rows[j]) + (None,) * len(headers)) for j in range(first + 2, end)
                if any(v not in (None, "") and not (isinstance(v, str) and not v.strip()) for v in rows[j][:4])]

    uncertain = _uncertain_rows(table(UNCERTAIN_TITLE, UNCERTAIN_HEADERS), p)
    listed = _listed_rows(table(LISTED_TITLE, LISTED_HEADERS), p)
    if uncertain and listed:
        p.warn(f"{UNCERTAINTY_SHEET}: {len({c.scenario for c in listed})} listed scenario(s) are the scenarios of a "
               f"stochastic run; the {len(uncertain)} uncertain input(s) are not sampled (delete the listed rows to "
               f"sample them)")
    kv_end = starts[0] if starts else len(rows)
    return rows[:kv_end], uncertain, listed


def _numeric_parameter(raw: Any, ref: str, p: Problems, not_a_number: str | None = None) -> str | None:
    """A numeric dotted parameter typed in a table cell, or None (and an error naming the cell). `not_a_number`:
    what to say of a known yes/no or text input (default: it is unknown as a number)."""
    name = str(raw).strip() if raw is not None else ""
    if name == "":
        p.error(f"{ref}: parameter is blank; expected a dotted name from `planner params WORKBOOK`")
        return None
    if name not in numeric_param_names():
        if not_a_number and name in {q.name for q in all_params()}:
            p.error(f"{ref}: {name} is not a number (a yes/no or text input); {not_a_number}")
        else:
            p.error(f"{ref}: unknown parameter {name!r}{suggest(name)}; `planner params WORKBOOK` lists them")
        return None
    return name


def _uncertain_parameter(raw: Any, ref: str, p: Problems) -> str | None:
    """A dotted parameter of an Uncertainty table, or None (and an error naming the cell)."""
    name = _numeric_parameter(raw, ref, p)
    if name is None:
        return None
    if name.startswith("uncertainty."):
        p.error(f"{ref}: {name} is a setting of the Uncertainty sheet itself, not an input the scenarios can vary")
        return None
    return name


def _table_number(raw: Any, ref: str, what: str, p: Problems) -> float | None:
    """A finite number from a table cell, or None (and an error naming the cell)."""
    value = _number(raw)
    if value is None or not math.isfinite(value):
        p.error(f"{ref}: {what} must be a number, found {_show(raw) if raw is not None else 'a blank'}"
                f"{_number_hint(raw)}")
        return None
    return value


def _uncertain_rows(rows: list[tuple[int, tuple]], p: Problems) -> list[UncertainRow]:
    """The uncertain inputs: parameter, model, a, b (base and unit are for reference), note."""
    out: list[UncertainRow] = []
    seen: dict[str, int] = {}
    sheet = UNCERTAINTY_SHEET
    for i, row in rows:
        name = _uncertain_parameter(row[0], f"{sheet}!A{i}", p)
        if name is not None and name in seen:
            p.error(f"{sheet}!A{i}: parameter {name} appears twice (also row {seen[name]}); give each input one "
                    f"distribution")
            name = None
        elif name is not None:
            seen[name] = i
        model = str(row[1]).strip() if row[1] not in (None, "") else ""
        if model not in UNCERTAIN_MODELS:
            p.error(f"{sheet}!B{i}: model must be one of {', '.join(UNCERTAIN_MODELS)}, found "
                    f"{repr(model) if model else 'a blank'}")
            continue
        a = _table_number(row[2], f"{sheet}!C{i}", f"a of {model}", p)
        b = None
        if model in ("uniform", "normal"):
            b = _table_number(row[3], f"{sheet}!D{i}", f"b of {model}", p)
        elif row[3] not in (None, "") and not (isinstance(row[3], str) and not row[3].strip()):
            p.warn(f"{sheet}!D{i}: b is not used by model {model} (ignored)")
        if name is None or a is None or (model in ("uniform", "normal") and b is None):
            continue
        fi = param_info(name)
        if not _uncertain_row_ok(name, model, a, b, fi, i, p):
            continue
        out.append(UncertainRow(name, model, a, b, str(row[6] or "").strip(), row=i))
    return out


def _uncertain_row_ok(name: str, model: str, a: float, b: float | None, fi: FieldInfo, i: int,
                      p: Problems) -> bool:
    """Check one uncertain input's numbers against its model and the parameter's declared range."""
    sheet = UNCERTAINTY_SHEET
    if model in ("gbm_growth", "lognormal"):
        if a < 0:
            p.error(f"{sheet}!C{i}: a of {model} is a volatility (a fraction per year) and must be >= 0, found {a:g}")
            return False
        if a > MAX_VOLATILITY:
            p.error(f"{sheet}!C{i}: a of {model} = {a:g} is a volatility above {MAX_VOLATILITY:g} (500 %/yr); type it "
                    f"as a fraction (0.6 for 60 %/yr)")
            return False
    if model == "gbm_growth" and fi.unit != "fraction/yr":
        p.error(f"{sheet}!B{i}: gbm_growth is for a yearly growth rate (unit fraction/yr); {name} is in {fi.unit} "
                f"(use lognormal for a price level or an hourly multiplier)")
        return False
    if model == "uniform" and a > b:
        p.error(f"{sheet}!C{i}: a ({a:g}) is above b ({b:g}) for {name}; uniform draws from [a, b]")
        return False
    if model == "normal" and b < 0:
        p.error(f"{sheet}!D{i}: b of normal is a standard deviation and must be >= 0, found {b:g}")
        return False
    checks = {"uniform": ((a, "C", "a"), (b, "D", "b")), "normal": ((a, "C", "the mean a"),)}.get(model, ())
    for value, col, what in checks:
        if not _in_range(value, fi):
            p.error(f"{sheet}!{col}{i}: {what} of {name} must be {_range_text(fi)} ({fi.unit}), found {value:g}")
            return False
    return True


def _listed_rows(rows: list[tuple[int, tuple]], p: Problems) -> list[ListedChange]:
    """The listed scenarios, one change a row: scenario, probability, parameter, value, note."""
    out: list[ListedChange] = []
    sheet = UNCERTAINTY_SHEET
    first: dict[str, tuple[int, float | None]] = {}  # scenario -> (its first row, its probability there)
    changed: dict[tuple[str, str], int] = {}
    for i, row in rows:
        scen = str(row[0]).strip() if row[0] is not None else ""
        if not SCENARIO_NAME.match(scen):
            found = repr(scen) if scen else "a blank"
            p.error(f"{sheet}!A{i}: scenario must be a name of 1-40 letters, digits, spaces, '_', '-' or '.' "
                    f"(starting with a letter or digit), found {found}")
            continue
        prob = _table_number(row[1], f"{sheet}!B{i}", f"probability of scenario {scen}", p)
        if prob is not None and not 0.0 <= prob <= 1.0:
            p.error(f"{sheet}!B{i}: probability of scenario {scen} must be within 0..1, found {prob:g}")
            prob = None
        if scen not in first:
            first[scen] = (i, prob)
        elif prob is not None and first[scen][1] is not None and abs(prob - first[scen][1]) > 1e-12:
            p.error(f"{sheet}!B{i}: probability of scenario {scen} is {prob:g} here but {first[scen][1]:g} in "
                    f"B{first[scen][0]}; type the same probability on each of its rows")
            prob = None
        name = _uncertain_parameter(row[2], f"{sheet}!C{i}", p)
        if name is not None and (scen, name) in changed:
            p.error(f"{sheet}!C{i}: scenario {scen} changes {name} twice (also row {changed[(scen, name)]})")
            name = None
        elif name is not None:
            changed[(scen, name)] = i
        value = _table_number(row[3], f"{sheet}!D{i}", f"value of {row[2]}", p)
        if name is not None and value is not None and not _in_range(value, fi := param_info(name)):
            p.error(f"{sheet}!D{i}: value of {name} must be {_range_text(fi)} ({fi.unit}), found {value:g}")
            value = None
        if prob is None or name is None or value is None:
            continue
        out.append(ListedChange(scen, prob, name, value, str(row[4] or "").strip(), row=i))
    if out and len(out) == len(rows):
        total = math.fsum(first[s][1] for s in first)
        if abs(total - 1.0) > LISTED_SUM_TOLERANCE:
            cells = ", ".join(f"B{r}" for r, _ in first.values())
            p.error(f"{sheet}!{cells}: the probabilities of the listed scenarios ({', '.join(first)}) sum to "
                    f"{total:.9g}; they must sum to 1 (within {LISTED_SUM_TOLERANCE:g})")
    return out


# ------------------------------------------------------------------------------------------ periods

def _read_periods(rows: list[tuple], sc: Scenario, p: Problems) -> tuple[list[InvestmentPeriod], list[DeclineRow]]:
    """The Periods sheet: (the investment periods, the declines), every problem recorded with its cell.

    Each table starts at the row whose column A holds its title (PERIODS_TITLE, DECLINES_TITLE), has a header row
    below it and ends at the next title or the end of the sheet; the rows above the first title are free text.
    The periods table is required on the sheet (delete the sheet for a single-period plan), the declines table is
    not. A table of one period that changes nothing reads as no periods (one period, as a workbook without the
    sheet): the plan as before, whatever Site.cod_year is (a warning when its start year is not that year's, as
    after editing Site.cod_year) or a sensitivity makes it (docs/periods.md).
    """
    titles: dict[str, int] = {}
    starts = []  # every title row, a repeated one too: each ends the table above it
    for i, row in enumerate(rows):
        cell = str(row[0]).strip() if row and row[0] is not None else ""
        if cell in (PERIODS_TITLE, DECLINES_TITLE):
            starts.append(i)
            if cell in titles:
                p.error(f"{PERIODS_SHEET}!A{i + 1}: the title {cell!r} appears twice (also A{titles[cell] + 1}); "
                        f"each table is written once")
                continue
            titles[cell] = i
    if PERIODS_TITLE not in titles:
        p.error(f"{PERIODS_SHEET}: no row has the title {PERIODS_TITLE!r} in column A (expected it above the periods "
                f"table's header row {START_YEAR_HEADER}, <dotted names>...); for a single-period plan give one row "
                f"with the year of commercial operation, or delete the sheet")
        return [], []

    def table(title: str, first_header: str) -> tuple[int, tuple, list[tuple[int, tuple]]] | None:
        """(the header's sheet row, the header, [(sheet row, row)] of the non-blank rows), None if absent."""
        if title not in titles:
            return None
        first = titles[title]
        end = next((s for s in starts if s > first), len(rows))
        header = tuple(rows[first + 1]) if first + 1 < end else ()
        if not header or str(header[0] or "").strip() != first_header:
            p.error(f"{PERIODS_SHEET}!A{first + 2}: expected the header row of {title!r} (starting with "
                    f"{first_header}) below its title, found "
                    f"{_show(header[0]) if header and header[0] is not None else 'a blank'}")
            return None
        body = [(j + 1, tuple(rows[j])) for j in range(first + 2, end) if any(not _blank(v) for v in rows[j])]
        return first + 2, header, body

    periods_table = table(PERIODS_TITLE, START_YEAR_HEADER)
    declines_table = table(DECLINES_TITLE, DECLINE_HEADERS[0])
    periods = _period_rows(*periods_table, p) if periods_table else None
    declines = _decline_rows(declines_table[2], p) if declines_table else []
    if periods is None:
        return [], declines
    if len(periods) == 1 and not periods[0].changes:  # the single-period plan, as the template writes it
        cod = math.floor(sc.site.cod_year)
        if periods[0].start_year != cod and _years_readable(sc, p):
            p.warn(f"{PERIODS_SHEET}!A{periods[0].row}: the only period starts in {periods[0].start_year}, not in the "
                   f"year of commercial operation ({cod}, Site.cod_year); it changes nothing, so it is read as the "
                   f"single-period plan from {cod} (type {cod} to silence this)")
        return [], declines
    if periods and _years_readable(sc, p):
        try:
            spans(dataclasses.replace(sc, investment_periods=periods))
        except InputError as e:
            for m in e.problems:
                p.error(m)
    return periods, declines


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _years_readable(sc: Scenario, p: Problems) -> bool:
    """Were Site.cod_year and Finance.analysis_years read without a problem (so the periods can be checked)?"""
    refs = [sc.cells.get(n) for n in ("site.cod_year", "finance.analysis_years")]
    return all(refs) and not any(e.startswith(f"{r}:") for r in refs for e in p.errors)


def _period_parameter(raw: Any, ref: str, p: Problems) -> str | None:
    """A dotted name an investment period or a decline may change, or None (and an error naming the cell)."""
    name = _numeric_parameter(raw, ref, p, "a period changes numeric inputs only")
    if name is None:
        return None
    if name.startswith(PERIODS_WHOLE_LIFE_PREFIXES) or name in PERIODS_WHOLE_LIFE_NAMES:
        why = {"finance": "the Finance sheet's inputs hold for the whole analysis",
               "site": "the year of commercial operation fixes every period's operating years",
               "uncertainty": "it is a setting of the stochastic run, not an input of the plan"}[name.split(".")[0]]
        p.error(f"{ref}: {name} cannot change from one investment period to the next ({why})")
        return None
    return name


def _period_value(name: str, value: float, ref: str, p: Problems) -> bool:
    """Check one period's value of a parameter against its declaration (an hourly.X multiplier: >= 0)."""
    if name.startswith("hourly."):
        if value < 0:
            p.error(f"{ref}: {name} is a multiplier of the whole hourly series and must be >= 0, found {value:g}")
            return False
        return True
    section, _, attr = name.partition(".")
    f = next(f for f in dataclasses.fields(SECTIONS[SECTION_ATTR[section]]) if f.name == attr)
    fi = info(f)
    if str(f.type).startswith("int") and abs(value - round(value)) > 1e-9:
        p.error(f"{ref}: {name} must be a whole number ({fi.unit}), found {value:g}")
        return False
    if not _in_range(value, fi):
        p.error(f"{ref}: {name} must be {_range_text(fi)} ({fi.unit}), found {value:g}")
        return False
    if too_big := magnitude_problem(value, fi):
        p.error(f"{ref}: {name} = {value:g} is {too_big}")
        return False
    return True


def _period_rows(header_row: int, header: tuple, body: list[tuple[int, tuple]],
                 p: Problems) -> list[InvestmentPeriod] | None:
    """The investment periods: start_year, then one column per changed input (a blank cell: no change); None
    when a row has a problem (recorded)."""
    sheet = PERIODS_SHEET
    columns: list[tuple[int, str | None]] = []  # (0-based column, its parameter or None when its header is bad)
    seen: dict[str, int] = {}
    for j in range(1, len(header)):
        ref = f"{sheet}!{col_letter(j + 1)}{header_row}"
        if _blank(header[j]):
            columns.append((j, ""))
            continue
        name = str(header[j]).strip()
        if name in seen:
            p.error(f"{ref}: column {name} appears twice (also column {col_letter(seen[name] + 1)}); give each input "
                    f"one column")
            columns.append((j, None))
            continue
        seen[name] = j
        columns.append((j, _period_parameter(name, ref, p)))
    width = max([len(header)] + [len(row) for _, row in body])
    columns += [(j, "") for j in range(max(len(header), 1), width)]  # right of the header: no parameter
    out: list[InvestmentPeriod] = []
    for i, row in body:
        ok = True
        start = _table_number(row[0] if row else None, f"{sheet}!A{i}", "start_year (the calendar year the period "
                              "starts)", p)
        if start is not None and abs(start - round(start)) > 1e-9:
            p.error(f"{sheet}!A{i}: start_year must be a whole calendar year, found {start:g}")
            start = None
        changes: dict[str, float] = {}
        for j, name in columns:
            raw = row[j] if j < len(row) else None
            if _blank(raw) or name is None:
                continue
            ref = f"{sheet}!{col_letter(j + 1)}{i}"
            if name == "":
                p.error(f"{ref}: a value in a column without a parameter (its header {col_letter(j + 1)}{header_row} "
                        f"is blank); type the dotted name in the header or clear the cell")
                ok = False
                continue
            value = _table_number(raw, ref, f"{name} (its value in this period)", p)
            if value is None or not _period_value(name, value, ref, p):
                ok = False
                continue
            changes[name] = value
        if start is None or not ok:
            continue
        out.append(InvestmentPeriod(int(round(start)), changes, row=i))
    if len(out) != len(body):
        return None  # the start years are checked once every row reads
    return out


def _decline_rows(rows: list[tuple[int, tuple]], p: Problems) -> list[DeclineRow]:
    """The declines: parameter, initial_decline_per_year (D_i >= 0, 1/yr), b_factor (0..2), note."""
    sheet = PERIODS_SHEET
    out: list[DeclineRow] = []
    seen: dict[str, int] = {}
    for i, row in rows:
        row = tuple(row) + (None,) * len(DECLINE_HEADERS)
        name = _period_parameter(row[0], f"{sheet}!A{i}", p)
        if name is not None and name in seen:
            p.error(f"{sheet}!A{i}: parameter {name} has two declines (also row {seen[name]}); give each input one")
            name = None
        elif name is not None:
            seen[name] = i
        d = _table_number(row[1], f"{sheet}!B{i}", "initial_decline_per_year (D_i, 1/yr)", p)
        if d is not None and not 0.0 <= d <= MAX_DECLINE_PER_YEAR:
            p.error(f"{sheet}!B{i}: initial_decline_per_year must be within 0..{MAX_DECLINE_PER_YEAR:g} per year "
                    f"(a nominal rate: at b = 0, 0.3 makes the rate fall 26 % over the first year), found {d:g}")
            d = None
        b = _table_number(row[2], f"{sheet}!C{i}", "b_factor (Arps b: 0 exponential, 1 harmonic)", p)
        if b is not None and not 0.0 <= b <= MAX_B_FACTOR:
            p.error(f"{sheet}!C{i}: b_factor must be within 0..{MAX_B_FACTOR:g} (0 exponential, 1 harmonic, above 1 "
                    f"for shale type curves), found {b:g}")
            b = None
        if name is None or d is None or b is None:
            continue
        out.append(DeclineRow(name, d, b, str(row[3] or "").strip(), row=i))
    return out
