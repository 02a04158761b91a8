"""Generate docs/inputs.md (the input reference) from the field declarations, so it never drifts."""

from __future__ import annotations

import dataclasses

from planner.scenario.fields import info
from planner.scenario.hourly import HOURS_PER_YEAR
from planner.scenario.inputs import HOURLY_COLUMNS, SECTION_ATTR, SECTIONS


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
    out = [
        "# Input reference",
        "",
        "Generated from `planner/scenario/inputs.py` by `python scripts/make_docs.py`; do not edit by hand.",
        "Every sheet of the workbook (`planner template PATH` writes one) lists its fields in column A, the",
        "value in column C, the unit in column D and the note and source in column E. Blank cells are allowed",
        "only where the table says what a blank means. Money is US dollars; `Finance.dollar_basis` says whether",
        "the money, escalations and discount rate are real (default) or nominal.",
        "",
        "Sources abbreviated `ATB` are NREL ATB 2024 (Moderate, Market, cost year 2025, 2022$) as read from",
        "PyPSA technology-data `outputs/US/costs_2025.csv`; `PARAMETERS.md` is `../shared/reference/PARAMETERS.md`,",
        "which cites the original sources.",
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
    out += [
        "## Sheet `Hourly`",
        "",
        f"Row 1 holds the column names, row 2 their units, rows 3 onwards one hour each: {HOURS_PER_YEAR} rows in",
        "local standard time (no daylight-saving repeats or gaps). A leap-year file of 8784 rows is accepted:",
        "29 February is dropped, and a warning says so. A column no enabled technology needs may be blank",
        "(read as 0, or 1 for `firm_available_fraction`); a needed one must have a number in every hour.",
        "",
        "| column | unit | allowed | meaning |",
        "|---|---|---|---|",
        "| `timestamp` | local standard time | hourly, increasing, no duplicates | start of the hour |",
    ]
    for c in HOURLY_COLUMNS:
        rng = f"{'' if c.lo is None else f'{c.lo:g}'} .. {'' if c.hi is None else f'{c.hi:g}'}"
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
