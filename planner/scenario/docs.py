"""Generate docs/inputs.md (the input reference) from the field declarations, so it never drifts."""

from __future__ import annotations

import dataclasses

from planner.scenario.fields import info
from planner.scenario.hourly import HOURS_PER_YEAR
from planner.scenario.inputs import HOURLY_COLUMNS, SECTION_ATTR, SECTIONS
from planner.scenario.layout import (
    DECLINE_HEADERS,
    DECLINES_TITLE,
    HOURLY_SHEET,
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
    UNCERTAIN_HEADERS,
    UNCERTAIN_MODELS,
    UNCERTAIN_TITLE,
    UNCERTAINTY_SHEET,
)
from planner.scenario.numbers import FAR_BEYOND_TYPICAL, HOURLY_MAX, MAX_MAGNITUDE
from planner.scenario.reader import PARAMETER_SHEET_LIMIT, SHEET_LIMITS
from planner.scenario.xlsx import (
    MAX_FILE_BYTES,
    MAX_PART_BYTES,
    MAX_TOTAL_BYTES,
    MAX_UNDECLARED_PART_BYTES,
    MAX_XML_PART_BYTES,
    MIB,
)


def default_text(value) -> str:
    """How a default is written in the reference (and parsed back by the round-trip test)."""
    if value is None:
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if value != "" else "(blank)"


def inputs_markdown() -> str:
    """The whole input reference as Markdown."""
    hourly, sens, sources = (SHEET_LIMITS[n] for n in (HOURLY_SHEET, SENSITIVITY_SHEET, SOURCES_SHEET))
    out = [
        "# Input reference",
        "",
        "Generated from `planner/scenario/inputs.py` by `python scripts/make_docs.py`; do not edit by hand.",
        "Every sheet of the workbook (`planner template PATH` writes one) lists its fields in column A, the",
        "value in column C, the unit in column D and the note and source in column E. Blank cells are allowed",
        "only where the table says what a blank means. Money is US dollars; `Finance.dollar_basis` says whether",
        "the money, escalations and discount rate are real (default) or nominal.",
        "",
        "Every source names the original publication, or points to `docs/sources.md, <section>`, which gives",
        "each publication in full (author or organisation, title, year, URL or identifier), the ranges the",
        "Sensitivity sheet uses and the reasoning behind every estimate. `ATB` is NREL ATB 2024 (Moderate,",
        "Market, cost year 2025, 2022$) as read from PyPSA technology-data `outputs/US/costs_2025.csv`.",
        "",
        "## How cells are read",
        "",
        "- **Numbers.** Type numbers as numbers. A number stored as text is read (with a warning) only when its",
        "  meaning does not depend on the country: `40.5`, `-3`, `1e6`, and a thousands grouping *with* a decimal",
        "  point (`12,500.5`, `1,234,567.5`). Any other comma is an error naming the cell and saying how to write",
        "  the number: `40,5` and `1,3` are decimal commas (type `40.5`, `1.3`); `1,000` is 1 in half the world",
        "  and 1000 in the other half (type `1000` or `1`); `1,234,567` without a decimal point, `1.234,5` and",
        "  digits grouped by spaces or apostrophes (`1 000`, `1'000`) are refused the same way.",
        f"- **Magnitudes.** No number may exceed {_sci(MAX_MAGNITUDE)} in size, in any unit: nothing the planner takes",
        "  is that large, and next to such a number the solver can no longer represent the rest of the plan",
        "  (measured: a reactor capex of 1e18 USD/kW made HiGHS stop with a 28.6 % gap reported as optimal).",
        f"  A field with a typical range (the unit-slip warnings) may not exceed {FAR_BEYOND_TYPICAL:g} times the",
        "  top of that range read in its largest unit slip (a firm unit's capex: at most 3e10 USD/kW). To keep the",
        "  planner from building something, set its `enabled` or `max_new_*` field, not a huge cost. An hourly",
        f"  column without an upper bound is limited to {_sci(HOURLY_MAX)} in its unit (a terawatt, five times the",
        "  Amazon's flow, ~290 GW of fuel). The reasoning is in `planner/scenario/numbers.py`.",
        "- **Sheet sizes.** Each sheet may use at most the rows and columns it can mean:",
        f"  Hourly {hourly.rows:,} rows and {hourly.cols} columns, Sensitivity {sens.rows:,} rows and {sens.cols} "
        f"columns, Sources {sources.rows:,} rows and {sources.cols} columns, Uncertainty "
        f"{SHEET_LIMITS[UNCERTAINTY_SHEET].rows:,} rows and {SHEET_LIMITS[UNCERTAINTY_SHEET].cols} columns, Periods "
        f"{SHEET_LIMITS[PERIODS_SHEET].rows:,} rows and {SHEET_LIMITS[PERIODS_SHEET].cols} columns,",
        f"  every other sheet {PARAMETER_SHEET_LIMIT.rows} rows and {PARAMETER_SHEET_LIMIT.cols} columns. A stray "
        "cell far outside the data (in Excel, Ctrl+End",
        "  finds it) is an error naming the sheet and its used range, or the cell; sheets the planner does not",
        f"  use are not read. The file may be at most {MAX_FILE_BYTES // MIB} MiB, each part of it at most "
        f"{MAX_PART_BYTES // MIB} MiB inflated",
        f"  ({MAX_XML_PART_BYTES // MIB} MiB for the shared strings, styles and other XML parts read whole), "
        f"{MAX_TOTAL_BYTES // MIB} MiB together, and a sheet",
        f"  that declares no used range (Excel and LibreOffice always declare one) {MAX_UNDECLARED_PART_BYTES // MIB} "
        "MiB: larger files (and zip",
        "  bombs) are refused before anything is inflated. A folder, a pipe or another",
        "  non-regular file given as the workbook is refused without being opened; an unreadable file is named.",
        "",
        "**Existing capacity, minimums, maximums and limits, and what the results say about them.** An",
        "`existing_*` field is capacity already on site: it pays its fixed O&M, no capex, and the results report",
        "it as existing (`summary.json` `sizes_existing`, the report's *Existing* column), never as recommended;",
        "only new capacity (`sizes_new`, *New (recommended)*) is. Every run also values the do-nothing baseline:",
        "the existing capacity with every new size at its `min_new_*` value (normally 0), dispatched at its best;",
        "the investment is the plan minus that baseline (`summary.json` `baseline`, `investment`; docs/report.md).",
        "A `max_new_*` field the plan stops at, a positive `min_new_*` it is held at, and a Site limit",
        "(`site_capacity_mw`, `land_area_ha`, `capex_budget_usd`) or a technology's own limit (the annual gas cap,",
        "the grid import limit) that binds are listed in `summary.json` `binding_limits` with their sheet and",
        "cell and the NPV that relaxing each would add (docs/formulation.md, *Binding limits*). A blank maximum",
        "means no limit, so it never binds.",
        "",
    ]
    for attr, sheet in SECTION_ATTR.items():
        cls = SECTIONS[sheet]
        out += [f"## Sheet `{sheet}` ({attr}.*)", "", cls.__doc__.strip(), "",
                "| field | default | unit | allowed | description | source |", "|---|---|---|---|---|---|"]
        for f in dataclasses.fields(cls):
            i = info(f)
            allowed = []
            if i.choices:
                allowed.append(" / ".join(i.choices))
            if i.catalog:
                allowed.append(f"a model in models/{i.catalog}.csv")
            if i.lo is not None:
                allowed.append(f"{'>' if i.lo_open else '>='} {i.lo:g}")
            if i.hi is not None:
                allowed.append(f"<= {i.hi:g}")
            if i.blank_means:
                allowed.append(f"blank = {i.blank_means}")
            out.append(f"| `{f.name}` | {default_text(f.default)} | {i.unit} | {'; '.join(allowed)} | {i.note} | "
                       f"{i.source} |")
        out.append("")
        if sheet == UNCERTAINTY_SHEET:
            out += _uncertainty_tables()
    out += _periods_sheet()
    out += [
        "## Sheet `Hourly`",
        "",
        f"Row 1 holds the column names, row 2 their units, rows 3 onwards one hour each: {HOURS_PER_YEAR} rows in",
        "local standard time (no daylight-saving repeats or gaps). A leap-year file of 8784 rows is accepted:",
        "29 February is dropped, and a warning says so. A column no enabled technology needs may be blank",
        "(read as 0, or 1 for `firm_available_fraction`); a needed one must have a number in every hour.",
        "",
        "Timestamps are Excel dates or text such as `2013-01-01 00:00`. Text with a UTC offset",
        "(`2013-01-01T00:00+01:00`, or `...Z` for UTC) names an instant; a user who writes it means \"midnight on",
        "a clock running at UTC+1\". So a column whose timestamps share one offset is read as the clock times",
        "written (that offset is taken as the site's standard time; with `Z` the report's hours are UTC hours),",
        "and a column with two or more offsets (daylight-saving time, `+01:00` in winter and `+02:00` in summer)",
        "is converted to the smallest offset, the zone's standard time, so each hour appears once; a warning",
        "says which. Mixing timestamps with and without an offset is an error naming the first odd cell. Excel",
        "date cells carry no time zone (an ISO date cell's offset is dropped by the file reader and its clock",
        "time kept); time-zone names (`CET`, `America/Chicago`) are not read.",
        "",
        "| column | unit | allowed | meaning |",
        "|---|---|---|---|",
        "| `timestamp` | local standard time | hourly, increasing, no duplicates | start of the hour |",
    ]
    for c in HOURLY_COLUMNS:
        rng = f"{'' if c.lo is None else f'{c.lo:g}'} .. {HOURLY_MAX if c.hi is None else c.hi:g}"
        out.append(f"| `{c.name}` | {c.unit} | {rng} | {c.note} |")
    out += [
        "",
        "## Sheet `Sensitivity`",
        "",
        "One row per parameter: `parameter` (a dotted name from `planner params WORKBOOK`), `low`, `high`,",
        "`distribution` (none / uniform / triangular / normal; used by Monte Carlo), `base` and `unit` (written",
        "for reference, not read), `note`. `hourly.<column>` parameters are multipliers on the whole series.",
        "",
        "## Sheet `Sources`",
        "",
        "Free text: one row per data item with its source and licence.",
        "",
    ]
    return "\n".join(out)


def _uncertainty_tables() -> list[str]:
    """The two tables below the Uncertainty settings (the reader's layout, planner/scenario/layout.py)."""
    return [
        f"Below the settings the sheet holds two tables, each below a title in column A (`{UNCERTAIN_TITLE}`, "
        f"`{LISTED_TITLE}`)",
        "and a header row; a table ends at the next title or the end of the sheet. The deterministic `planner run`",
        "reads them only to check them; `planner run --stochastic` builds its scenarios from them (docs/uncertainty.md",
        "has every formula).",
        "",
        f"- **{UNCERTAIN_TITLE}**: {', '.join(f'`{h}`' for h in UNCERTAIN_HEADERS)} (`base` and `unit` are written "
        "for reference, not read). `parameter` is a",
        "  numeric dotted name from `planner params WORKBOOK` (not one of this sheet's settings), each at most once;",
        f"  `model` one of {', '.join(UNCERTAIN_MODELS)}: `gbm_growth` (a yearly growth rate, unit fraction/yr: a =",
        "  volatility per year >= 0), `lognormal` (a level or an `hourly.*` multiplier times exp(a eps - a^2/2),",
        "  a = sigma >= 0), `uniform` (between a and b, within the parameter's range), `normal` (mean a, standard",
        "  deviation b >= 0, clipped to the parameter's range). Drawn values are kept within the parameter's range.",
        f"- **{LISTED_TITLE}** (optional): {', '.join(f'`{h}`' for h in LISTED_HEADERS)}, one row per change of "
        "a hand-typed scenario; the",
        "  scenario's probability (0..1) is typed on each of its rows and must agree; the scenarios' probabilities",
        "  must sum to 1 within 1e-6. When any scenario is listed, the listed scenarios are the scenarios and the",
        "  uncertain inputs are not sampled (a warning says so).",
        "",
    ]


def _periods_sheet() -> list[str]:
    """The optional Periods sheet: the investment periods and the declines (planner/scenario/layout.py)."""
    whole_life = ", ".join([f"`{p}*`" for p in PERIODS_WHOLE_LIFE_PREFIXES] + [f"`{n}`" for n in
                                                                                PERIODS_WHOLE_LIFE_NAMES])
    return [
        f"## Sheet `{PERIODS_SHEET}` (optional)",
        "",
        "The investment periods of a multi-period plan (docs/periods.md has the model and every formula). A workbook",
        "without this sheet (an older template) is read as one period, the plan as before, with a warning. The lines",
        f"at the top are free text; below them two tables, each below a title in column A (`{PERIODS_TITLE}`,",
        f"`{DECLINES_TITLE}`) and a header row, a table ending at the next title or the end of the sheet.",
        "",
        f"- **{PERIODS_TITLE}** (required on the sheet): a wide table. The header row is `{START_YEAR_HEADER}`, then "
        "any number",
        "  of columns, each headed by a numeric dotted name from `planner params WORKBOOK` (at most once). One row per",
        f"  period: `{START_YEAR_HEADER}` is the calendar year (a whole number) the period starts; the period stands "
        "for every",
        "  year until the next period starts, the last one until the analysis ends. Operating year 1 is the year of",
        "  `Site.cod_year`: a period starting in calendar year s starts in operating year s - floor(cod_year) + 1, so",
        "  the first period starts in floor(cod_year), start years increase, and each starts before the analysis",
        "  (`Finance.analysis_years`) ends. A cell is the input's value in that period, within the input's range (a",
        "  whole number for a count); a blank cell keeps the workbook's value; an `hourly.<column>` cell multiplies",
        "  that whole series (>= 0). Not allowed as a column (they hold for the whole life):",
        f"  {whole_life}. A table of one period that changes nothing, as `planner template` writes",
        "  it, is the single-period plan: it reads as no periods (`Scenario.investment_periods == []`), as a workbook",
        "  without the sheet (a warning when its start year is not floor(cod_year), e.g. after editing",
        "  `Site.cod_year`).",
        f"- **{DECLINES_TITLE}** (optional): {', '.join(f'`{h}`' for h in DECLINE_HEADERS)}, one row per declining "
        "input",
        "  (each at most once, the same names as the periods' columns). An Arps curve q(t) = (1 + b D t)^(-1/b) of",
        f"  initial decline D (`initial_decline_per_year`, nominal, 0..{MAX_DECLINE_PER_YEAR:g} per year) and b "
        f"(`b_factor`, 0..{MAX_B_FACTOR:g}: 0",
        "  exponential, 1 harmonic, above 1 for shale type curves) multiplies the input in each period by the curve's",
        "  average over the period's operating years divided by its average over year 1 (the year the workbook's",
        "  values and hourly series stand for); a value typed in the period's column is multiplied too.",
        "",
    ]


def _sci(x: float) -> str:
    """1e12 written as `1e12` (not 1e+12)."""
    return f"{x:.0e}".replace("e+0", "e").replace("e+", "e")
