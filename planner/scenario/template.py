"""Write a Scenario to an input workbook (the template is the default Scenario written out).

Every cell goes through planner.safe_text: a description, source or note that starts with "=" is stored as
text, so the workbook the planner writes never turns what a user typed into a formula."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from planner.paths import DATA_DIR, TEMPLATE_HOURLY_SITE
from planner.safe_text import cells, put
from planner.scenario.catalog import CATALOG_FILES, Catalog, load_catalog
from planner.scenario.fields import info
from planner.scenario.inputs import HOURLY_COLUMNS, SECTION_ATTR
from planner.scenario.layout import (
    DECLINE_HEADERS,
    DECLINES_TITLE,
    DESC_COL,
    DISTRIBUTIONS,
    FIELD_COL,
    HOURLY_FIRST_ROW,
    HOURLY_HEADER_ROW,
    HOURLY_SHEET,
    HOURLY_UNITS_ROW,
    KV_FIRST_ROW,
    KV_HEADER_ROW,
    KV_HEADERS,
    KV_TITLE_ROW,
    LISTED_HEADERS,
    LISTED_TITLE,
    LISTS_SHEET,
    NOTE_COL,
    PERIODS_SHEET,
    PERIODS_TITLE,
    SENSITIVITY_HEADERS,
    SENSITIVITY_SHEET,
    SOURCES_HEADERS,
    SOURCES_SHEET,
    START_YEAR_HEADER,
    TIMESTAMP_COL_NAME,
    UNCERTAIN_HEADERS,
    UNCERTAIN_MODELS,
    UNCERTAIN_TITLE,
    UNCERTAINTY_SHEET,
    UNIT_COL,
    VALUE_COL,
    col_letter,
)
from planner.scenario.params import all_params, get_param, numeric_param_names
from planner.scenario.scenario import InvestmentPeriod, Scenario, SensitivityRow, UncertainRow

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells a user fills in
TITLE_FONT = Font(bold=True, size=13)

DEFAULT_SENSITIVITY = [
    SensitivityRow("mining.hashprice_usd_per_ph_day", 25, 60, "triangular", "range: docs/sources.md, Mining"),
    SensitivityRow("ai.gpu_hour_price_usd", 1.5, 3.5, "triangular", "range: docs/sources.md, AI"),
    SensitivityRow("ai.gpu_hour_price_decline_per_year", 0.0, 0.35, "uniform", "range: docs/sources.md, AI"),
    SensitivityRow("ai.gpu_hour_price_refresh_decline_per_year", 0.0, 0.15, "uniform",
                   "0 = each refresh earns the year-1 price; 0.094 = Epoch AI trends (docs/sources.md, AI)"),
    SensitivityRow("mining.network_hashrate_growth_per_year", 0.0, 0.5, "uniform", "range: docs/sources.md, Mining"),
    SensitivityRow("pv.capex_usd_per_kw_ac", 1100, 1800, "triangular", "range: docs/sources.md, PV"),
    SensitivityRow("wind.capex_usd_per_kw", 1450, 1833, "triangular", "range: docs/sources.md, Wind"),
    SensitivityRow("battery.capex_usd_per_kwh", 150, 300, "uniform", "range: docs/sources.md, Battery"),
    SensitivityRow("finance.discount_rate", 0.05, 0.12, "uniform", "range: docs/sources.md, Finance"),
    SensitivityRow("hourly.export_price_usd_per_mwh", 0.8, 1.2, "uniform", "multiplier on the whole series"),
    SensitivityRow("ai.pue", 1.1, 1.6, "uniform", "range: docs/sources.md, AI"),
]

# the Uncertainty sheet's default distributions (docs/uncertainty.md; sources in docs/sources.md, Uncertainty)
DEFAULT_UNCERTAIN = [
    UncertainRow("mining.btc_price_growth_per_year", "gbm_growth", 0.6, None,
                 "BTC price as a GBM around the workbook's drift, volatility 60 %/yr (docs/sources.md, Uncertainty)"),
    UncertainRow("mining.network_hashrate_growth_per_year", "uniform", 0.0, 0.5, "range: docs/sources.md, Mining"),
    UncertainRow("ai.gpu_hour_price_usd", "lognormal", 0.25, None,
                 "year-1 GPU-hour price level, sigma 0.25 (docs/sources.md, Uncertainty)"),
    UncertainRow("ai.gpu_hour_price_decline_per_year", "uniform", 0.0, 0.35, "range: docs/sources.md, AI"),
    UncertainRow("hourly.export_price_usd_per_mwh", "lognormal", 0.3, None,
                 "level of the whole export price series, sigma 0.3 (docs/sources.md, Uncertainty)"),
]
UNCERTAIN_SPARE_ROWS = 20  # empty rows left below the uncertain inputs for the user's own

# the Periods sheet's columns a user is most likely to change by period (blank = the workbook's value)
TEMPLATE_PERIOD_COLUMNS = ("hourly.gas_supply_mmbtu_per_h", "hourly.site_load_mw", "hourly.ai_utilisation",
                           "mining.hashprice_usd_per_ph_day", "ai.gpu_hour_price_usd", "grid.max_new_export_mw")
PERIOD_SPARE_ROWS = 10  # empty rows left below the periods (and the declines) for the user's own
PERIODS_LINES = (
    "A period starts in the calendar year in start_year and stands for every year until the next period starts "
    "(the last period: until the analysis ends).",
    "Operating year 1 is the year of Site.cod_year: a period starting in calendar year s starts in operating year "
    "s - floor(cod_year) + 1, so the first period starts in floor(cod_year) and start years increase.",
    "Every other column is headed by a dotted input name (`planner params WORKBOOK` lists them); a cell is that "
    "input's value in the period, a blank cell keeps the workbook's value. hourly.<column> multiplies that whole "
    "hourly series (0.5 = half).",
    "Finance inputs, Site.cod_year and the Uncertainty settings hold for the whole life and cannot change by period. "
    "One period that changes nothing (as written) is the single-period plan.",
    "Declines (optional): an Arps curve q(t) = (1 + b D t)^(-1/b) (b = 0: exp(-D t)) multiplies its parameter in "
    "each period by the curve's average over the period's years divided by its average over year 1.",
    "Formulas and worked numbers: docs/periods.md.",
)

TEMPLATE_SOURCES = [
    ("Default parameters", "docs/inputs.md (one source per field) and docs/sources.md (the original publications)"),
    ("Equipment catalog", "models/*.csv, sources per row, models/SOURCES.md"),
]


def template_scenario() -> Scenario:
    """The default Scenario with the template's real hourly series (West Texas, see inputs/data/SOURCES.md)."""
    sc = Scenario()
    sc.hourly = load_site_hourly(TEMPLATE_HOURLY_SITE)
    sc.sensitivity = list(DEFAULT_SENSITIVITY)
    sc.uncertain = list(DEFAULT_UNCERTAIN)
    sc.sources = list(TEMPLATE_SOURCES) + data_sources(TEMPLATE_HOURLY_SITE)
    return sc


def load_site_hourly(site_id: str) -> pd.DataFrame:
    """The processed hourly CSV of a bundled example site, as the Hourly table (with weights).

    A declared column the CSV does not hold (one added after the data were built, e.g. heat demand) is
    blank in every hour: its blank value.
    """
    df = pd.read_csv(DATA_DIR / f"{site_id}.csv", parse_dates=["timestamp"])
    for col in HOURLY_COLUMNS:
        if col.name not in df:
            df[col.name] = col.blank_value
    df["weight"] = 1.0
    return df


def data_sources(site_id: str) -> list[tuple[str, str]]:
    """Source lines for a bundled site's hourly data (full text in inputs/data/SOURCES.md)."""
    return [("Hourly data", f"inputs/data/{site_id}.csv, sources and licences in inputs/data/SOURCES.md")]


def write_workbook(sc: Scenario, path: str | Path, catalog: Catalog | None = None) -> Path:
    """Write every input of `sc` to an .xlsx workbook the reader accepts; returns the path."""
    catalog = catalog or load_catalog()
    wb = Workbook()
    wb.remove(wb.active)
    lists = _write_lists(wb, catalog)
    for attr, sheet in SECTION_ATTR.items():
        _write_section(wb, sheet, getattr(sc, attr), lists)
    _write_uncertainty_tables(wb[UNCERTAINTY_SHEET], sc)
    _write_periods(wb, sc)
    _write_hourly(wb, sc.hourly)
    _write_sensitivity(wb, sc)
    _write_sources(wb, sc.sources)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb[LISTS_SHEET].sheet_state = "hidden"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def is_input_workbook(path: str | Path) -> bool:
    """Whether `path` is a planner input workbook (an .xlsx with every sheet the reader needs), e.g. one written
    by `planner template` and then filled in; `planner template --force` overwrites only such a file."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
        names = set(wb.sheetnames)
        wb.close()
    except Exception:  # noqa: BLE001 - anything openpyxl cannot open is not an input workbook
        return False
    return set(SECTION_ATTR.values()) | {HOURLY_SHEET} <= names


def _header(ws, row: int, headers) -> None:
    for j, h in enumerate(headers, start=1):
        c = put(ws, row, j, h)
        c.fill, c.font = HEADER_FILL, HEADER_FONT


def _write_lists(wb: Workbook, catalog: Catalog) -> dict[str, str]:
    """A hidden sheet with one column of model names per catalog table; returns kind -> range."""
    ws = wb.create_sheet(LISTS_SHEET)
    ranges = {}
    for j, kind in enumerate(CATALOG_FILES, start=1):
        names = catalog.names(kind)
        put(ws, 1, j, kind)
        for i, n in enumerate(names, start=2):
            put(ws, i, j, n)
        letter = col_letter(j)
        ranges[kind] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(names) + 1}"
    return ranges


def _write_section(wb: Workbook, sheet: str, section, lists: dict[str, str]) -> None:
    ws = wb.create_sheet(sheet)
    put(ws, KV_TITLE_ROW, 1, f"{sheet}: {type(section).__doc__.strip()}").font = TITLE_FONT
    _header(ws, KV_HEADER_ROW, KV_HEADERS)
    for i, f in enumerate(dataclasses.fields(section)):
        r = KV_FIRST_ROW + i
        fi = info(f)
        value = getattr(section, f.name)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        put(ws, r, FIELD_COL, f.name)
        put(ws, r, DESC_COL, fi.note)
        put(ws, r, VALUE_COL, value).fill = INPUT_FILL  # a site name or description is text, never a formula
        put(ws, r, UNIT_COL, fi.unit)
        note = []
        if fi.blank_means:
            note.append(f"blank = {fi.blank_means}")
        if fi.lo is not None or fi.hi is not None:
            note.append(f"range {'>' if fi.lo_open else ''}{_fmt(fi.lo)} .. {_fmt(fi.hi)}")
        if fi.source:
            note.append(f"source: {fi.source}")
        put(ws, r, NOTE_COL, "; ".join(note))
        ref = f"{col_letter(VALUE_COL)}{r}"
        if fi.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(fi.choices) + '"', allow_blank=False)
        elif fi.catalog:
            dv = DataValidation(type="list", formula1=lists[fi.catalog], allow_blank=False)
        else:
            dv = None
        if dv is not None:
            dv.error, dv.errorTitle = f"Choose one of the listed values for {f.name}", "Invalid choice"
            ws.add_data_validation(dv)
            dv.add(ref)
    for letter, width in zip("ABCDE", (30, 60, 22, 14, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=KV_FIRST_ROW, column=1)


def _fmt(x) -> str:
    return "" if x is None else f"{x:g}"


def _write_hourly(wb: Workbook, hourly: pd.DataFrame) -> None:
    ws = wb.create_sheet(HOURLY_SHEET)
    names = [TIMESTAMP_COL_NAME] + [c.name for c in HOURLY_COLUMNS]
    _header(ws, HOURLY_HEADER_ROW, names)
    units = ["local standard time"] + [c.unit for c in HOURLY_COLUMNS]
    for j, u in enumerate(units, start=1):
        put(ws, HOURLY_UNITS_ROW, j, u).font = Font(italic=True)
    ts = pd.to_datetime(hourly[TIMESTAMP_COL_NAME]).dt.to_pydatetime()
    cols = [hourly[c.name].to_numpy(float).tolist() for c in HOURLY_COLUMNS]
    for i in range(len(hourly)):  # dates and numbers only (no text: nothing to neutralise)
        ws.append([ts[i]] + [round(col[i], 6) for col in cols])
    for j in range(1, len(names) + 1):
        ws.column_dimensions[col_letter(j)].width = 20 if j == 1 else 16
    for row in ws.iter_rows(min_row=HOURLY_FIRST_ROW, max_col=1):
        row[0].number_format = "yyyy-mm-dd hh:mm"
    ws.freeze_panes = ws.cell(row=HOURLY_FIRST_ROW, column=2)


def _write_sensitivity(wb: Workbook, sc: Scenario) -> None:
    ws = wb.create_sheet(SENSITIVITY_SHEET)
    _header(ws, 1, SENSITIVITY_HEADERS)
    units = {p.name: p.unit for p in all_params()}
    names = [p.name for p in all_params() if p.numeric]
    for r in sc.sensitivity:
        base = get_param(sc, r.parameter) if r.parameter in names else None
        ws.append(cells(ws, [r.parameter, r.low, r.high, r.distribution, base, units.get(r.parameter, ""), r.note]))
    dv = DataValidation(type="list", formula1='"' + ",".join(DISTRIBUTIONS) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("D2:D200")
    for letter, width in zip("ABCDEFG", (42, 12, 12, 14, 12, 14, 60), strict=True):
        ws.column_dimensions[letter].width = width
    put(ws, 1, 5, "base (for reference)")
    ws.freeze_panes = "A2"


def _write_uncertainty_tables(ws, sc: Scenario) -> None:
    """Below the Uncertainty settings: the uncertain inputs, then the listed scenarios (layout.py)."""
    units = {p.name: p.unit for p in all_params()}
    names = set(numeric_param_names())
    r = ws.max_row + 2
    put(ws, r, 1, UNCERTAIN_TITLE).font = TITLE_FONT
    put(ws, r, 2, "one row per uncertain input, sampled with the seed and reduced to `scenarios` (docs/uncertainty.md):"
                  " gbm_growth a = volatility/yr; lognormal a = sigma; uniform [a, b]; normal mean a, sd b")
    _header(ws, r + 1, UNCERTAIN_HEADERS)
    first = r + 2
    for k, u in enumerate(sc.uncertain):
        base = get_param(sc, u.parameter) if u.parameter in names else None
        for j, v in enumerate((u.parameter, u.model, u.a, u.b, base, units.get(u.parameter, ""), u.note), start=1):
            put(ws, first + k, j, v)
    last = first + len(sc.uncertain) + UNCERTAIN_SPARE_ROWS - 1
    dv = DataValidation(type="list", formula1='"' + ",".join(UNCERTAIN_MODELS) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"B{first}:B{last}")
    _titled_rows(ws, last + 2, LISTED_TITLE,
                 "optional, one row per change: when any scenario is listed here, these are the scenarios (nothing "
                 "is sampled); each scenario's probability on each of its rows, all summing to 1", LISTED_HEADERS,
                 [(c.scenario, c.probability, c.parameter, c.value, c.note) for c in sc.listed_scenarios])
    for letter, width in zip("FG", (14, 60), strict=True):
        ws.column_dimensions[letter].width = width


def _titled_rows(ws, r: int, title: str, note: str, headers: tuple[str, ...], rows: list[tuple]) -> None:
    """A table of a tables sheet (Uncertainty, Periods): its title (A) and note (B) in row r, its header row below,
    then one row per tuple."""
    put(ws, r, 1, title).font = TITLE_FONT
    put(ws, r, 2, note)
    _header(ws, r + 1, headers)
    for k, values in enumerate(rows):
        for j, v in enumerate(values, start=1):
            put(ws, r + 2 + k, j, v)


def _write_periods(wb: Workbook, sc: Scenario) -> None:
    """The Periods sheet: explanatory lines, the investment periods (a wide table), the declines (layout.py).

    A scenario without periods is written as one period starting in the year of commercial operation, with the
    template's columns blank: it reads back as no periods (the single-period plan)."""
    ws = wb.create_sheet(PERIODS_SHEET)
    put(ws, 1, 1, f"{PERIODS_SHEET}: investment periods of a multi-period plan (optional)").font = TITLE_FONT
    for k, line in enumerate(PERIODS_LINES, start=2):
        put(ws, k, 1, line)
    rows = sc.investment_periods or [InvestmentPeriod(int(math.floor(sc.site.cod_year)))]
    names = list(dict.fromkeys([*TEMPLATE_PERIOD_COLUMNS, *(n for period in rows for n in period.changes)]))
    r = len(PERIODS_LINES) + 3
    put(ws, r, 1, PERIODS_TITLE).font = TITLE_FONT
    put(ws, r, 2, "one row per period; add a column per input a period changes (a dotted name in its header)")
    _header(ws, r + 1, (START_YEAR_HEADER, *names))
    first = r + 2
    for k, period in enumerate(rows):
        put(ws, first + k, 1, period.start_year)
        for j, name in enumerate(names, start=2):
            if name in period.changes:
                put(ws, first + k, j, period.changes[name])
    last = first + len(rows) + PERIOD_SPARE_ROWS - 1
    for row in ws.iter_rows(min_row=first, max_row=last, max_col=len(names) + 1):
        for c in row:
            c.fill = INPUT_FILL
    _titled_rows(ws, last + 2, DECLINES_TITLE,
                 "optional, one row per declining input: initial_decline_per_year = D (nominal, 1/yr), b_factor = "
                 "Arps b (0 exponential, 1 harmonic, up to 2)", DECLINE_HEADERS,
                 [(d.parameter, d.initial_decline_per_year, d.b_factor, d.note) for d in sc.declines])
    ws.column_dimensions["A"].width = 30
    for j in range(2, max(len(names), len(DECLINE_HEADERS)) + 2):
        ws.column_dimensions[col_letter(j)].width = 26


def _write_sources(wb: Workbook, sources: list[tuple[str, str]]) -> None:
    ws = wb.create_sheet(SOURCES_SHEET)
    _header(ws, 1, SOURCES_HEADERS)
    for item, src in sources:
        ws.append(cells(ws, [item, src]))
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 120
    for row in ws.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True)
