"""The Periods section of both reports (a multi-period plan: summary.json "periods"), as rows of values.

report.xlsx (planner/report/excel.py: periods_sheet) and report.html (planner/report/html.py: periods_section)
both write what these functions return, so the two show the same figures, rounded by the same planner/fmt.py
rules. A plan of one period (no "periods" list, or a list of one) has no section at all.

Every key and label comes from summary.json (its label table): nothing here names a technology.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner import fmt
from planner.report.data import NONZERO_MW, NONZERO_USD, ReportData

SIZE_EPS = 1e-9  # a size below this in every period is not in the plan
ROLES = {"supply": "Source", "demand": "Use"}  # a flow's role -> the energy table's group (the rest: Other)
GROUPS = ("Source", "Use", "Other")


def block(data: ReportData) -> list[dict]:
    """summary.json's periods, in order, when the plan has more than one; [] otherwise (no section)."""
    periods = data.summary.get("periods") or []
    return periods if len(periods) > 1 else []


def label(p: dict) -> str:
    """A period as a column header: "2027 (years 1-3)", or "2040 (year 14)" for a period of one year."""
    first, last = int(p["first_year"]), int(p["last_year"])
    years = f"year {first}" if first == last else f"years {first}-{last}"
    return f"{int(p['start_year'])} ({years})"


def labels(data: ReportData) -> list[str]:
    return [label(p) for p in block(data)]


@dataclass(frozen=True)
class Row:
    """One line of a table by period: its key, label, second column (a unit or a group) and a value per period
    (None: the period's summary has no such figure)."""

    key: str
    label: str
    kind: str
    values: list[float | None]


def overview(data: ReportData) -> list[Row]:
    """Start year, first and last operating year and the PV of the operating cash flows of each period."""
    ps = block(data)
    return [Row("start_year", "Start year (calendar)", "year", [int(p["start_year"]) for p in ps]),
            Row("first_year", "First operating year", "year", [int(p["first_year"]) for p in ps]),
            Row("last_year", "Last operating year", "year", [int(p["last_year"]) for p in ps]),
            Row("npv_operating_usd", "PV of the period's operating cash flows", "USD",
                [p.get("npv_operating_usd") for p in ps])]


@dataclass(frozen=True)
class SizeRow:
    """One size across the periods: in service during each period (existing + new), built and retired at its
    start."""

    key: str
    label: str
    unit: str
    in_service: list[float]
    new: list[float]
    retired: list[float]


def _keys(dicts: list[dict], first: dict | None = None) -> list[str]:
    """Every key of these dicts, in the order of `first` (summary.json's own table), then as they appear."""
    return list(dict.fromkeys([*(first or {}), *(k for d in dicts for k in d)]))


def sizes(data: ReportData) -> list[SizeRow]:
    """Every size that is in service, built or retired in some period (one that is zero throughout is left out),
    in summary.json's order. A size a period does not list counts as zero there."""
    ps = block(data)
    tables = {part: [p.get(part) or {} for p in ps] for part in ("sizes", "sizes_new", "sizes_retired")}
    rows = []
    for key in _keys([d for t in tables.values() for d in t], data.summary.get("sizes")):
        values = {part: [float(d.get(key) or 0.0) for d in t] for part, t in tables.items()}
        if all(abs(v) <= SIZE_EPS for vs in values.values() for v in vs):
            continue
        rows.append(SizeRow(key, data.label("sizes", key), data.unit("sizes", key), values["sizes"],
                            values["sizes_new"], values["sizes_retired"]))
    return rows


def energy(data: ReportData) -> list[Row]:
    """MWh/yr of each energy figure in each period's representative year, sources first, then uses, then the
    rest (the flow table's roles); a figure that is zero in every period is left out."""
    ps = block(data)
    tables = [p.get("energy_mwh") or {} for p in ps]
    role = {f["energy_key"]: ROLES.get(f["role"], "Other") for f in data.summary["flows"] if f.get("energy_key")}
    rows = []
    for key in _keys(tables, data.summary.get("energy_mwh")):
        values = [t.get(key) for t in tables]
        if all(v is None or abs(v) <= NONZERO_MW for v in values):
            continue
        rows.append(Row(key, data.label("energy", key), role.get(key, "Other"), values))
    return sorted(rows, key=lambda r: GROUPS.index(r.kind))  # stable: summary.json's order within a group


def revenue(data: ReportData) -> list[Row]:
    """USD/yr of each revenue (+) and cost (-) stream in each period's representative year; a stream that is zero
    in every period is left out."""
    tables = [p.get("revenue_usd_per_year") or {} for p in block(data)]
    rows = []
    for key in _keys(tables, data.summary.get("revenue_usd_per_year")):
        values = [t.get(key) for t in tables]
        if all(v is None or abs(v) <= NONZERO_USD for v in values):
            continue
        rows.append(Row(key, data.label("streams", key), "USD/yr", values))
    return rows


@dataclass(frozen=True)
class Change:
    """An input some period changes: its dotted name, the input's note and unit (scenario.json), and its value in
    each period (None: the period keeps the workbook's value)."""

    name: str
    note: str
    unit: str
    values: list


def changes(data: ReportData) -> list[Change]:
    """The inputs the periods change, in the order they first appear."""
    tables = [p.get("changes") or {} for p in block(data)]
    return [Change(name, *data.input_info(name), [t.get(name) for t in tables]) for name in _keys(tables)]


@dataclass(frozen=True)
class BuildOut:
    """One build-out chart: the sizes of one unit in service in each period, stacked (one series per size)."""

    unit: str
    title: str
    series: list[SizeRow]


def build_out(data: ReportData) -> list[BuildOut]:
    """One stacked chart per unit (exactly as the label table writes it: MW, MW_ac, MWh, containers, ...), in the
    order the units first appear among the sizes; each series a size that is bought (the first size of each new-size
    decision: the keys of capex_by_size_usd, so PV's DC beside its AC, a fleet's MW beside its count and a given
    limit are not drawn again) in service in some period. A bar adds up only sizes of one unit (docs/report.md,
    "Periods")."""
    bought = set(data.summary.get("capex_by_size_usd") or {})
    by_unit: dict[str, list[SizeRow]] = {}
    for row in sizes(data):
        if (not bought or row.key in bought) and any(abs(v) > SIZE_EPS for v in row.in_service):
            by_unit.setdefault(row.unit, []).append(row)
    return [BuildOut(unit, f"In service: {unit}", rows) for unit, rows in by_unit.items()]


def notes(data: ReportData) -> list[str]:
    """What the section shows, in sentences: the periods, the time resolution, the plan's NPV, the model's notes."""
    ps = block(data)
    mp = data.summary.get("multi_period") or {}
    days = mp.get("typical_days")
    out = [f"One plan over {len(ps)} investment periods, starting in "
           f"{', '.join(str(int(p['start_year'])) for p in ps[:-1])} and {int(ps[-1]['start_year'])}: capacity is "
           f"built or retired at the start of a period and stays in service until it is retired.",
           "Energy and revenue are each period's representative year (per year); the PV of a period's operating "
           "cash flows covers all its operating years. The cash flow (pro-forma) spans every year of the plan.",
           (f"The plan was sized on {days} typical days per period; each period's full year was then "
            f"re-dispatched with its sizes fixed, and the figures here are those full years'." if days else
            "The plan was sized and valued over each period's full year.")]
    if mp.get("npv_usd") is not None:
        out.append(f"NPV of the whole plan: {fmt.money(mp['npv_usd'])}.")
    out += [str(n) for n in mp.get("notes") or []]
    return out
