"""report.xlsx: Summary, Periods (a multi-period plan only), Uncertainty (a stochastic run only), Sizing, Cash flow
(with live NPV/IRR formulas), Revenue, Monthly energy, Typical weeks, Assumptions (a live cash-flow model) and Inputs,
with native Excel charts (openpyxl.chart), laid out for printing (planner/report/pages.py). The hourly dispatch is
in dispatch.csv, not here.

Every cell is written through planner.safe_text: text is stored as text (a site name or source that starts
with "=" is never a formula); the only formulas are the planner's own: NPV and IRR on the Cash flow sheet and
the live model of the Assumptions sheet (planner/report/live.py), built from cell references alone."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner import fmt
from planner.labels import CAPEX_ROW
from planner.report import periods as pr
from planner.report import uncertainty as u
from planner.report.data import NONZERO_USD, ReportData, monthly_energy, typical_weeks
from planner.report.pages import Layout, chart_rows, rows_per_page
from planner.report.svg import PALETTE
from planner.safe_text import formula, put

HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
HEAD_FONT = Font(bold=True, color="FFFFFF")
TITLE = Font(bold=True, size=14)
USD = fmt.XL_USD  # data sheets: full dollars
MWH = fmt.XL_MWH
PCT = fmt.XL_PCT
# how the Summary shows each key result (the cell holds the full value)
SUMMARY_FORMATS = {"USD": fmt.XL_MUSD, "fraction": fmt.XL_PCT, "years": '0.0" years"', "USD/MWh": '0.0" USD/MWh"'}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# cells other code (and the tests) rely on
CASHFLOW_SHEET = "Cash flow"
WEEKS_SHEET = "Typical weeks"
ASSUMPTIONS_SHEET = "Assumptions"
UNCERTAINTY_SHEET = "Uncertainty"
PERIODS_SHEET = "Periods"
BESIDE = "D"  # the Periods sheet's second column of charts (the first is at A, 12 cm wide: A to C)
HOURLY_NOTE = ("The hourly dispatch of every flow (8760 rows for a full year) is in dispatch.csv in this folder "
               "(and dispatch.parquet where written); this workbook keeps the monthly totals and two typical weeks.")


def header(ws, row: int, values, col: int = 1) -> None:
    for j, v in enumerate(values):
        c = put(ws, row, col + j, v)
        c.fill, c.font = HEAD_FILL, HEAD_FONT
        c.alignment = Alignment(horizontal="center", wrap_text=True)


def widths(ws, values: dict[str, float]) -> None:
    for letter, w in values.items():
        ws.column_dimensions[letter].width = w


def write_excel(data: ReportData, path: Path) -> Path:
    """Write the whole workbook to `path`."""
    from planner.report.live import assumptions_sheet

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    sheets = [(ws, summary_sheet), (wb.create_sheet("Sizing"), sizing_sheet),
              (wb.create_sheet(CASHFLOW_SHEET), cashflow_sheet), (wb.create_sheet("Revenue and cost"), revenue_sheet),
              (wb.create_sheet("Monthly energy"), monthly_sheet), (wb.create_sheet(WEEKS_SHEET), weeks_sheet),
              (wb.create_sheet(ASSUMPTIONS_SHEET), assumptions_sheet), (wb.create_sheet("Inputs"), inputs_sheet)]
    if data.summary.get("stochastic"):  # a stochastic run: the uncertainty sheet follows the Summary
        sheet = wb.create_sheet(UNCERTAINTY_SHEET, 1)
        sheets.insert(1, (sheet, uncertainty_sheet))
    if pr.block(data):  # a multi-period plan: the periods sheet follows the Summary
        sheet = wb.create_sheet(PERIODS_SHEET, 1)
        sheets.insert(1, (sheet, periods_sheet))
    for sheet, write in sheets:
        lay = Layout(sheet)
        write(sheet, data, lay)
        lay.finish()
    wb.save(path)
    return path


def summary_sheet(ws, data: ReportData, lay: Layout) -> None:
    """KPIs, the recommended build, energy split, key assumptions, solver statistics, capex chart, warnings."""
    s, lab = data.summary, data.labels
    put(ws, 1, 1, f"Site investment plan: {data.site}").font = TITLE
    put(ws, 2, 1, data.input("Site", "description") or "")
    top = investment_block(ws, 4, data)  # the investment's worth against doing nothing leads the page
    keys = ("npv_usd", "proforma_npv_usd", "irr", "simple_payback_years", "discounted_payback_years", "capex_usd",
            "lcoe_usd_per_mwh")
    header(ws, top, ["Key result", "Value"])
    for i, key in enumerate(keys, start=top + 1):
        put(ws, i, 1, lab.label("summary", key))
        put(ws, i, 2, fmt.NA if s[key] is None else s[key], SUMMARY_FORMATS[lab.unit("summary", key)])
    r = top + 1 + len(keys) + 1
    r = build_block(ws, r, data)
    r = binding_limits_block(ws, r + 2, data)
    r += 2
    header(ws, r, ["Energy by use", "MWh/yr"])
    for f in s["flows"]:
        if f["role"] == "demand" and f["energy_key"] and data.nonzero(f["column"]):
            r += 1
            put(ws, r, 1, lab.label("energy", f["energy_key"]))
            put(ws, r, 2, s["energy_mwh"].get(f["energy_key"], 0.0), MWH)
    r += 2
    header(ws, r, ["Key assumption", "Value", "Unit", "Parameter"])
    for name, label, unit, value, _sheet in data.key_assumptions():
        r += 1
        put(ws, r, 1, label)
        put(ws, r, 2, "(blank)" if value is None else value,
            fmt.excel_format(unit, value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None)
        put(ws, r, 3, unit)
        put(ws, r, 4, name)
    r += 2
    sol = s["solver"]
    header(ws, r, ["Solver", "Value"])
    for key in ("status", "mip_gap", "seconds", "nodes"):
        r += 1
        value = sol[key]
        put(ws, r, 1, lab.label("solver", key))
        put(ws, r, 2, fmt.NA if value is None else value,
            fmt.XL_GAP if key == "mip_gap" else fmt.excel_format(lab.unit("solver", key)))
    for key, value in (("solver", f"{sol['solver']} {sol['solver_version']}"),
                       ("input_sha256", s.get("input_sha256", "")), ("planner_version", s.get("planner_version", ""))):
        r += 1
        put(ws, r, 1, lab.label("solver" if key == "solver" else "summary", key))
        put(ws, r, 2, value)
    # capex by technology table + chart (the technologies that build something)
    r += 2
    header(ws, r, ["Capex by technology", "Year 0"])
    first = r + 1
    for tech, usd in s["capex_by_technology_usd"].items():
        if abs(usd) > NONZERO_USD:
            r += 1
            put(ws, r, 1, lab.label("technologies", tech))
            put(ws, r, 2, usd, fmt.XL_MUSD)
    if r >= first:
        ch = BarChart()
        ch.title, ch.y_axis.title = "Capex by technology (year 0)", "USD"
        ch.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=r), titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=1, min_row=first, max_row=r))
    else:
        ch = None
    warnings = s.get("warnings") or []
    if warnings:
        r += 2
        header(ws, r, ["Input warnings"])
        for w in warnings:
            r += 1
            put(ws, r, 1, w)
    r += 2
    put(ws, r, 1, HOURLY_NOTE)
    widths(ws, {"A": 40, "B": 22, "C": 16, "D": 18, "E": 22, "F": 18})
    if ch is not None:
        ch.height, ch.width = 9, 16
        lay.chart(ch, r + 2)
    ws.freeze_panes = "A4"


def sizing_sheet(ws, data: ReportData, lay: Layout) -> None:
    """Every size the plan holds with its unit, capacity factors and the value of one integer unit more or less."""
    s, lab = data.summary, data.labels
    header(ws, 1, ["Size", "Value", "Unit"])
    r = 1
    for key, value in s["sizes"].items():
        if abs(value) > 1e-9:
            r += 1
            unit = lab.unit("sizes", key)
            put(ws, r, 1, lab.label("sizes", key))
            put(ws, r, 2, value, fmt.excel_format(unit, value))
            put(ws, r, 3, unit)
    r += 2
    header(ws, r, ["Capacity factor", "Value"])
    for key, value in s["capacity_factors"].items():
        r += 1
        put(ws, r, 1, lab.label("capacity_factors", key))
        put(ws, r, 2, value, PCT)
    r += 2
    header(ws, r, ["Integer fleet", "NPV change, one unit more (USD)", "NPV change, one unit less (USD)"])
    for fleet, row in s.get("marginal_units_npv_change_usd", {}).items():
        r += 1
        put(ws, r, 1, lab.label("sizes", fleet))
        for j, k in ((2, "plus_one"), (3, "minus_one")):
            v = row.get(k)
            put(ws, r, j, fmt.NA if v is None else v, USD)
    widths(ws, {"A": 34, "B": 30, "C": 30})
    ws.freeze_panes = "A2"


def cashflow_sheet(ws, data: ReportData, lay: Layout) -> None:
    """The pro-forma with years as columns, plus live NPV and IRR formulas and a cash-flow chart (a data sheet:
    every amount in full dollars)."""
    cf = data.cashflow
    own = set(data.labels.table["cashflow"]) - set(data.summary["revenue_usd_per_year"])  # the planner's own rows
    keep = [k for k in cf.index if k in own and not k.startswith(CAPEX_ROW) or cf.loc[k].abs().max() > NONZERO_USD]
    cf = cf.loc[keep]  # a stream or capex row that is zero in every year is not in the plan (cashflow.csv has it)
    years = list(cf.columns)
    header(ws, 1, ["USD"] + [f"Year {y}" for y in years])
    for i, (key, row) in enumerate(cf.iterrows(), start=2):
        put(ws, i, 1, data.label("cashflow", key))
        for j, y in enumerate(years, start=2):
            put(ws, i, j, float(row[y])).number_format = USD
    net_row = 2 + list(cf.index).index("net_cash_flow")
    last = get_column_letter(1 + len(years))
    r = 2 + len(cf) + 1
    put(ws, r, 1, "discount rate")
    put(ws, r, 2, data.input("Finance", "discount_rate")).number_format = "0.00%"
    rate_ref = f"$B${r}"
    put(ws, r + 1, 1, "NPV (Excel formula)")
    formula(ws, r + 1, 2, f"=NPV({rate_ref},C{net_row}:{last}{net_row})+B{net_row}", USD)
    put(ws, r + 2, 1, "IRR (Excel formula)")
    formula(ws, r + 2, 2, f"=IRR(B{net_row}:{last}{net_row})", PCT)
    put(ws, r + 3, 1, "NPV (planner)")
    put(ws, r + 3, 2, data.summary["proforma_npv_usd"]).number_format = USD
    put(ws, r + 4, 1, "IRR (planner)")
    put(ws, r + 4, 2, data.summary["irr"] if data.summary["irr"] is not None else "n/a"
            ).number_format = PCT
    end = incremental_cashflow_block(ws, r + 7, data, rate_ref)
    ch = BarChart()
    ch.title, ch.y_axis.title, ch.x_axis.title = "Net cash flow by year", "USD", "year"
    ch.add_data(Reference(ws, min_col=1, max_col=1 + len(years), min_row=net_row), from_rows=True,
                titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=2, max_col=1 + len(years), min_row=1))
    ch.height, ch.width = 10, 26
    widths(ws, {"A": 40})
    for j in range(2, 2 + len(years)):
        ws.column_dimensions[get_column_letter(j)].width = 15
    lay.chart(ch, end + 2)
    ws.freeze_panes = "B2"


# ------------------------------------------------- the investment against doing nothing (docs/report.md)

def investment_block(ws, r: int, data: ReportData) -> int:
    """Investment (plan minus the do-nothing baseline), plan and baseline side by side; returns the next free row."""
    s = data.summary
    inv, base = s.get("investment"), s.get("baseline") or {}
    if inv is None:  # a folder of an older planner, or a run that did not value the baseline
        return r
    header(ws, r, ["Investment vs doing nothing", "Investment (plan - baseline)", "Plan",
                   "Baseline (do nothing)"])
    rows = [
        ("NPV", inv["npv_usd"], s["npv_usd"], base.get("npv_usd"), fmt.XL_MUSD),
        ("NPV, pro-forma", inv["proforma_npv_usd"], s["proforma_npv_usd"], base.get("proforma_npv_usd"), fmt.XL_MUSD),
        ("IRR", inv["irr"], s["irr"], None, PCT),
        ("Simple payback", inv["simple_payback_years"], s["simple_payback_years"], None, SUMMARY_FORMATS["years"]),
        ("Discounted payback", inv["discounted_payback_years"], s["discounted_payback_years"], None,
         SUMMARY_FORMATS["years"]),
        ("Capex, year 0", None if inv["npv_usd"] is None else s["capex_usd"] - base.get("capex_usd", 0.0),
         s["capex_usd"], base.get("capex_usd"), fmt.XL_MUSD),
    ]
    for label, *values, number_format in rows:
        r += 1
        put(ws, r, 1, label)
        for j, v in enumerate(values, start=2):
            put(ws, r, j, fmt.NA if v is None else v, number_format)
    notes = ([inv["reason"]] if inv.get("reason") else []) + [f"{k}: {v}" for k, v in inv.get("reasons", {}).items()]
    if base.get("reason"):
        notes.append(f"baseline ({base.get('status')}): {base['reason']}")
    for note in notes:
        r += 1
        put(ws, r, 1, note)
    return r + 2


def build_block(ws, r: int, data: ReportData) -> int:
    """Each size: existing, new (the recommendation), total and the capex of the new part; returns the last row."""
    s = data.summary
    new, old = s.get("sizes_new", {}), s.get("sizes_existing", {})
    capex = s.get("capex_by_size_usd", {})
    header(ws, r, ["Build", "Existing", "New (recommended)", "Total", "Unit", "Capex of the new part"])
    for key, total in s["sizes"].items():
        if abs(total) <= 1e-9 and abs(new.get(key, 0.0)) <= 1e-9:
            continue
        r += 1
        unit = data.unit("sizes", key)
        put(ws, r, 1, data.label("sizes", key))
        for j, v in ((2, old.get(key)), (3, new.get(key)), (4, total)):
            put(ws, r, j, fmt.NA if v is None else v, fmt.excel_format(unit, v))
        put(ws, r, 5, unit)
        if key in capex:
            put(ws, r, 6, capex[key], fmt.XL_MUSD)
    if new and not any(abs(v) > 1e-9 for v in new.values()):
        r += 1
        put(ws, r, 1, "Nothing new is recommended: the plan keeps the site as it is")
    return r


def binding_limits_block(ws, r: int, data: ReportData) -> int:
    """The workbook limits that set the plan and what relaxing each would add; returns the last row written."""
    limits = data.summary.get("binding_limits") or []
    header(ws, r, ["Limit that sets the plan", "Cell", "Limit", "Unit", "NPV gain if relaxed", "Relaxed by",
                   "In words"])
    if not limits:
        r += 1
        put(ws, r, 1, "none: no limit from the workbook binds" if "binding_limits" in data.summary else "n/a")
    for b in limits:
        r += 1
        put(ws, r, 1, b["label"])
        put(ws, r, 2, b["cell"] or f"{b['sheet']} ({b['limit'].split('.')[-1]})")
        put(ws, r, 3, b["value"], fmt.excel_format(b["unit"], b["value"]))
        put(ws, r, 4, b["unit"])
        gain = b["npv_gain_usd_if_relaxed"]
        put(ws, r, 5, "not computed" if gain is None else gain, fmt.XL_MUSD)
        put(ws, r, 6, b["relaxed_by_label"])
        put(ws, r, 7, b["text"])
    return r


def incremental_cashflow_block(ws, r: int, data: ReportData, rate_ref: str) -> int:
    """Baseline and incremental net cash flow by year, with live NPV and IRR formulas for the increment; returns
    the last row written."""
    inv, base = data.summary.get("investment"), data.summary.get("baseline") or {}
    if inv is None or inv.get("net_cash_flow_usd") is None or base.get("net_cash_flow_usd") is None:
        return r
    put(ws, r, 1, "Investment: the plan minus the do-nothing baseline").font = Font(bold=True)
    years = list(data.cashflow.columns)
    header(ws, r + 1, ["USD"] + [f"Year {y}" for y in years])
    lines = (("plan_net_cash_flow", [float(v) for v in data.cashflow.loc["net_cash_flow"]]),
             ("baseline_net_cash_flow", base["net_cash_flow_usd"]),
             ("incremental_net_cash_flow", inv["net_cash_flow_usd"]))
    for i, (label, values) in enumerate(lines, start=r + 2):
        put(ws, i, 1, label)
        for j, v in enumerate(values, start=2):
            put(ws, i, j, float(v)).number_format = USD
    inc = r + 4
    last = get_column_letter(1 + len(years))
    put(ws, inc + 2, 1, "Investment NPV (Excel formula)")
    formula(ws, inc + 2, 2, f"=NPV({rate_ref},C{inc}:{last}{inc})+B{inc}", USD)
    put(ws, inc + 3, 1, "Investment NPV (planner)")
    put(ws, inc + 3, 2, inv["npv_usd"]).number_format = USD
    put(ws, inc + 4, 1, "Investment IRR (Excel formula)")
    if inv["irr"] is not None:  # Excel's IRR of a flow that never changes sign is an error
        formula(ws, inc + 4, 2, f"=IRR(B{inc}:{last}{inc})", PCT)
    else:
        put(ws, inc + 4, 2, "n/a")
    put(ws, inc + 5, 1, "Investment IRR (planner)")
    put(ws, inc + 5, 2, "n/a" if inv["irr"] is None else inv["irr"]).number_format = PCT
    if inv.get("reason"):
        put(ws, inc + 6, 1, inv["reason"])
        return inc + 6
    return inc + 5


def revenue_sheet(ws, data: ReportData, lay: Layout) -> None:
    """Operating revenue and cost by stream in the representative year, with a bar chart."""
    header(ws, 1, ["Stream", "USD per year (year 1 level)"])
    streams = data.summary["revenue_usd_per_year"]
    r = 1
    for name, usd in streams.items():
        if abs(usd) <= NONZERO_USD:  # a stream this plan does not use (e.g. O&M of a size not built)
            continue
        r += 1
        put(ws, r, 1, data.label("streams", name))
        put(ws, r, 2, usd).number_format = USD
    if r > 1:
        ch = BarChart()
        ch.type = "bar"
        ch.title = "Revenue (+) and cost (-) by stream"
        ch.add_data(Reference(ws, min_col=2, min_row=1, max_row=r), titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=1, min_row=2, max_row=r))
        ch.height, ch.width = 10, 18
    emissions = data.emission_rows()
    if emissions:
        r += 2
        header(ws, r, ["Emissions", "Source", "tCO2e per year"])
        for group, label, t in emissions:
            r += 1
            put(ws, r, 1, group)
            put(ws, r, 2, label)
            put(ws, r, 3, t).number_format = "#,##0"
    widths(ws, {"A": 34, "B": 26})
    if r > 1:
        lay.chart(ch, 2, "D")
    ws.freeze_panes = "A2"


def _monthly_chart(ws, cols: list[str], series: list[str], title: str, stacked: bool = False) -> BarChart:
    """A column chart of some of the monthly sheet's columns (rows 2-13, months in column A)."""
    ch = BarChart()
    ch.type = "col"
    if stacked:
        ch.grouping, ch.overlap = "stacked", 100
    ch.title, ch.y_axis.title = title, "MWh"
    for c in series:
        j = 2 + cols.index(c)
        ch.add_data(Reference(ws, min_col=j, min_row=1, max_row=13), titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=1, min_row=2, max_row=13))
    ch.height, ch.width = 8, 22
    return ch


def monthly_sheet(ws, data: ReportData, lay: Layout) -> None:
    """MWh per month by source and use; stacked chart of uses and the split between the flexible loads.

    Only the flows this plan has: no column, series or chart for a flow that is zero all year."""
    flows = {c: label for c, label in {**data.sources, **data.uses}.items() if data.nonzero(c)}
    m = monthly_energy(data.dispatch, flows)
    cols = list(m.columns)
    header(ws, 1, ["Month"] + [f"{c} (MWh)" for c in cols])
    for i, month in enumerate(m.index, start=2):
        put(ws, i, 1, MONTHS[month - 1])
        for j, c in enumerate(cols, start=2):
            put(ws, i, j, float(m.loc[month, c])).number_format = MWH
    widths(ws, {get_column_letter(j): 16 for j in range(1, 2 + len(cols))})
    r = 15
    uses = [c for c in cols if c in data.uses.values()]
    if uses:
        r = lay.chart(_monthly_chart(ws, cols, uses, "Monthly energy by use", stacked=True), r)
    # the headline loads that compete for energy, those in the plan (no chart if none is)
    headline = [f["label"] for f in data.summary["flows"] if f["kpi"] and f["label"] in cols]
    if headline:
        lay.chart(_monthly_chart(ws, cols, headline, f"{' vs '.join(headline)}: energy by month"), r)
    ws.freeze_panes = "B2"


def weeks_sheet(ws, data: ReportData, lay: Layout) -> None:
    """The peak-load week and a representative week hour by hour (planner/report/data.py: typical_weeks), each
    as a line chart of the plan's flows above the data it plots. A data sheet: values to 0.0001 MW."""
    d = data.dispatch
    plotted = [c for c in list(data.sources) + list(data.uses) if data.nonzero(c)]
    weeks = typical_weeks(data)
    put(ws, 1, 1, f"Typical weeks of dispatch: {data.site}").font = TITLE
    for i, w in enumerate(weeks):
        put(ws, 2 + i, 1, f"{w.title}: {d['timestamp'].iloc[w.start]:%d %b %Y} to "
                          f"{d['timestamp'].iloc[w.stop - 1]:%d %b %Y}; {w.why}.")
    put(ws, 2 + len(weeks), 1, HOURLY_NOTE + " The hours each chart plots are below the charts (not printed).")
    ws.column_dimensions["A"].width = 18
    for j in range(2, 2 + len(plotted)):
        ws.column_dimensions[get_column_letter(j)].width = 14
    # the data first (the charts reference it), below the charts: two pages of charts, then the tables
    n_chart_rows = 4 + len(weeks)
    top = n_chart_rows + 2 * (rows_per_page() + 1) + 2  # below the two chart pages whatever they hold
    charts, r = [], top
    for w in weeks:
        put(ws, r, 1, w.title).font = Font(bold=True)
        header(ws, r + 1, [_column_title(data, c) for c in ["timestamp"] + plotted])
        ts = d["timestamp"].iloc[w.start:w.stop].dt.to_pydatetime()
        values = d[plotted].iloc[w.start:w.stop].to_numpy()
        for i in range(len(ts)):
            put(ws, r + 2 + i, 1, ts[i], "yyyy-mm-dd hh:mm")
            for j, x in enumerate(values[i], start=2):
                put(ws, r + 2 + i, j, round(float(x), 4))
        lo, hi = r + 2, r + 1 + len(ts)
        ch = LineChart()
        ch.title, ch.y_axis.title = f"{w.title}: dispatch", "MW"
        for c in plotted:
            j = 2 + plotted.index(c)
            ch.add_data(Reference(ws, min_col=j, min_row=lo, max_row=hi), titles_from_data=False)
            ch.series[-1].tx = SeriesLabel(v=data.label("columns", c))
        ch.set_categories(Reference(ws, min_col=1, min_row=lo, max_row=hi))
        ch.height, ch.width = 10, 26
        charts.append(ch)
        r = hi + 2
    row = n_chart_rows
    for ch in charts:
        row = lay.chart(ch, row)
    lay.print_to_row = row  # the charts print; the tables below them only feed them (and are in dispatch.csv)
    ws.freeze_panes = "A2"


def _column_title(data: ReportData, column: str) -> str:
    """A dispatch column's header: its label and unit from the label table."""
    unit = data.unit("columns", column)
    return f"{data.label('columns', column)} ({unit})" if unit else data.label("columns", column)


def inputs_sheet(ws, data: ReportData, lay: Layout) -> None:
    """Every input echoed with its unit and note, sheet by sheet, then the data sources."""
    header(ws, 1, ["Sheet", "Field", "Value", "Unit", "Description"])
    r = 1
    for sheet, rows in data.scenario["inputs"].items():
        for row in rows:
            r += 1
            value = row["value"]
            put(ws, r, 1, sheet)
            put(ws, r, 2, row["field"])
            put(ws, r, 3, "(blank)" if value is None else value)
            put(ws, r, 4, row["unit"])
            put(ws, r, 5, row["note"])
    r += 2
    header(ws, r, ["Data item", "Source and licence"])
    for item, src in data.scenario.get("sources", []):
        r += 1
        put(ws, r, 1, item)
        put(ws, r, 2, src)
    widths(ws, {"A": 14, "B": 34, "C": 20, "D": 14, "E": 90})
    ws.freeze_panes = "A2"


# ------------------------------------------------- uncertainty: the stochastic design (docs/report.md, Uncertainty)

CDF_COLOURS = ("3B8EA5", "7F3C8D")  # planner/report/svg.py: step_cdf draws the designs in PALETTE[1], PALETTE[2]


def _money_cell(ws, r: int, c: int, usd: float | None, missing: str = fmt.NA) -> None:
    """An amount in full USD shown as fmt.money writes it (the HTML's text), or `missing` for None."""
    put(ws, r, c, missing if usd is None else usd, fmt.excel_money(usd))


def _title_and_notes(ws, title: str, notes: list[str]) -> int:
    """A section sheet's title in A1 and its notes below, one a row; returns the last row written."""
    put(ws, 1, 1, title).font = TITLE
    for r, note in enumerate(notes, start=2):
        put(ws, r, 1, note)
    return 1 + len(notes)


def uncertainty_sheet(ws, data: ReportData, lay: Layout) -> None:
    """The two designs' NPV figures side by side, VSS, EVPI, the value of flexibility, both builds, every scenario
    and a chart of both NPV distributions (step CDFs) with the points it plots below it."""
    st = u.block(data)
    header_rows: list[int] = []  # each table's header row (the column widths fit them)
    lab = data.labels
    r = _title_and_notes(ws, f"Uncertainty: one build for {len(st['scenarios'])} scenarios: {data.site}",
                         u.notes(data)) + 2
    header_rows.append(r)
    header(ws, r, ["NPV over the scenarios", u.STOCHASTIC, u.EV])
    for f in u.figures(data):
        r += 1
        put(ws, r, 1, f.label)
        for j, v in ((2, f.stochastic), (3, f.ev)):
            if f.unit == "USD":
                _money_cell(ws, r, j, v)
            else:
                put(ws, r, j, fmt.NA if v is None else v, fmt.excel_format(f.unit, v))
    if not st.get("ev_design"):
        r += 1
        put(ws, r, 1, f"The expected-value design was {u.NOT_COMPUTED}.")
    r += 2
    header_rows.append(r)
    header(ws, r, ["Value of", "Amount", "In words"])
    for v in u.values(data):
        r += 1
        put(ws, r, 1, v.label)
        _money_cell(ws, r, 2, v.usd, u.NOT_COMPUTED)
        put(ws, r, 3, v.text)
    r += 2
    header_rows.append(r)
    header(ws, r, ["Build (new, recommended)", "Unit", "Existing", u.STOCHASTIC, u.EV])
    for b in u.build(data):
        r += 1
        put(ws, r, 1, b.label)
        put(ws, r, 2, b.unit)
        for j, v in ((3, b.existing), (4, b.stochastic), (5, b.ev)):
            put(ws, r, j, fmt.NA if v is None else v, fmt.excel_format(b.unit, v))
    params = u.parameters(data)
    r += 2
    put(ws, r, 1, "Parameters the scenarios change (blank: the workbook's value)").font = Font(bold=True)
    for p in params:
        r += 1
        put(ws, r, 1, p.name)
        put(ws, r, 2, f"{p.note} ({p.unit})" if p.unit else p.note)
    r += 2
    npv_keys = ("npv_usd", "ev_design_npv_usd", "perfect_information_npv_usd")
    header_rows.append(r)
    header(ws, r, [lab.label("stochastic", "name"), lab.label("stochastic", "probability"), *[p.name for p in params],
                   *[lab.label("stochastic", k) for k in npv_keys]])
    for s in st["scenarios"]:
        r += 1
        put(ws, r, 1, s["name"])
        put(ws, r, 2, s["probability"], PCT)
        changes = s.get("changes") or {}
        for j, p in enumerate(params, start=3):
            if p.name in changes:
                v = changes[p.name]
                number = isinstance(v, (int, float)) and not isinstance(v, bool)
                put(ws, r, j, v, fmt.excel_format(p.unit, v) if number else None)
        for j, k in enumerate(npv_keys, start=3 + len(params)):
            _money_cell(ws, r, j, s.get(k), u.NOT_COMPUTED)
    cdfs = u.cdfs(data)
    r += 2
    put(ws, r, 1, "The charted NPV distributions: each design's scenario NPVs ascending, each twice (the probability "
                  "of a lower NPV, then of an NPV at most it)").font = Font(bold=True)
    r += 1
    heads = []
    for name in cdfs:
        heads += [f"NPV, {name.lower()} (USD)", "Cumulative probability"]
    header_rows.append(r)
    header(ws, r, heads)
    top, ch = r + 1, ScatterChart()
    for i, (name, (xs, ys)) in enumerate(cdfs.items()):
        for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
            put(ws, top + k, 1 + 2 * i, x, USD)
            put(ws, top + k, 2 + 2 * i, y, PCT)
        bottom = top + len(xs) - 1
        series = Series(Reference(ws, min_col=2 + 2 * i, min_row=top, max_row=bottom),
                        Reference(ws, min_col=1 + 2 * i, min_row=top, max_row=bottom), title=name)
        series.marker.symbol = "none"
        series.smooth = False
        line = series.graphicalProperties.line
        line.solidFill = CDF_COLOURS[i % len(CDF_COLOURS)]  # the HTML's colours; the first wide, the next dashed
        line.width = 50800 if i == 0 else 25400  # 4 pt, 2 pt (EMU): curves that coincide all stay visible
        if i:
            line.prstDash = "dash"
        ch.series.append(series)
    r = top + max((len(xs) for xs, _ in cdfs.values()), default=1) - 1
    ch.title = "NPV distribution (cumulative probability)"
    ch.style, ch.scatterStyle = 13, "line"
    ch.x_axis.title, ch.y_axis.title = "NPV (USD)", "probability of an NPV at most this"
    ch.x_axis.number_format, ch.y_axis.number_format = '#,##0.0,," M USD";-#,##0.0,," M USD"', "0%"
    ch.y_axis.scaling.min, ch.y_axis.scaling.max = 0.0, 1.0
    ch.y_axis.crosses = "min"  # the probability axis at the left, not at an NPV of zero
    ch.x_axis.delete = ch.y_axis.delete = False
    ch.height, ch.width = 10, 24
    widths(ws, {"A": 44, "B": 22})
    for j in range(3, max(ws.max_column, 5) + 1):  # wide enough for each header (a dotted parameter name)
        longest = max((len(str(ws.cell(r, j).value)) for r in header_rows if ws.cell(r, j).value is not None),
                      default=0)
        ws.column_dimensions[get_column_letter(j)].width = min(max(18, longest + 2), 40)
    if cdfs:
        lay.chart(ch, r + 2)
    ws.freeze_panes = "A2"


# ------------------------------------------------- periods: a multi-period plan (docs/report.md, Periods)

def size_format(unit: str, x: float) -> str:
    """The number format that shows a size as fmt.size writes it: counts whole, anything else to 0.01 below 10
    and to 0.1 from 10 up (a battery's MWh too, which fmt.excel_format would show as whole energy)."""
    if unit in fmt.COUNT_UNITS:
        return "#,##0"
    return "#,##0.00" if abs(x) < 10 else "#,##0.0"


def _number(ws, r: int, c: int, v, unit: str, size: bool = False) -> None:
    """A figure of a periods table: money as fmt.money writes it, a size as fmt.size, energy in whole MWh, None as
    n/a."""
    if v is None:
        put(ws, r, c, fmt.NA)
    elif size:
        put(ws, r, c, v, size_format(unit, v))
    elif unit in ("USD", "USD/yr"):
        put(ws, r, c, v, fmt.excel_money(v))
    elif unit == "year":
        put(ws, r, c, v, "0")
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        put(ws, r, c, v, fmt.excel_format(unit, v))
    else:
        put(ws, r, c, v)


def _period_rows(ws, r: int, rows, unit: str | None = None) -> int:
    """Rows below row r of a period table: label, kind (its unit or role), one number per period (in `unit`, or the
    row's kind as its unit); returns the last row written."""
    for row in rows:
        r += 1
        put(ws, r, 1, row.label)
        put(ws, r, 2, row.kind)
        for j, v in enumerate(row.values, start=3):
            _number(ws, r, j, v, unit or row.kind)
    return r


def periods_sheet(ws, data: ReportData, lay: Layout) -> None:
    """Each period's start and operating years, the sizes in service, built and retired, the energy and revenue
    of its representative year and the inputs it changes (one column per period), then the build-out charts
    (planner/report/periods.py), each series a row of the in-service table."""
    heads = pr.labels(data)
    n = len(heads)
    r = _title_and_notes(ws, f"Investment periods: {n} periods: {data.site}", pr.notes(data)) + 2
    header(ws, r, ["Investment period", "Unit", *heads])
    r = _period_rows(ws, r, pr.overview(data))
    size_rows = pr.sizes(data)
    in_service_row: dict[str, int] = {}  # size key -> its row of the in-service table (the charts' series)
    for title, part in (("In service during the period", "in_service"), ("Built at the start of the period", "new"),
                        ("Retired at the start of the period", "retired")):
        r += 2
        header(ws, r, [title, "Unit", *heads])
        top = r
        for row in size_rows:
            r += 1
            put(ws, r, 1, row.label)
            put(ws, r, 2, row.unit)
            for j, v in enumerate(getattr(row, part), start=3):
                _number(ws, r, j, v, row.unit, size=True)
            if part == "in_service":
                in_service_row[row.key] = r
        if part == "in_service":
            categories = Reference(ws, min_col=3, max_col=2 + n, min_row=top)
    r += 2
    header(ws, r, ["Energy, MWh/yr (representative year)", "Role", *heads])
    r = _period_rows(ws, r, pr.energy(data), unit="MWh/yr")
    r += 2
    header(ws, r, ["Revenue (+) and cost (-), representative year", "Unit", *heads])
    r = _period_rows(ws, r, pr.revenue(data))
    changes = pr.changes(data)
    if changes:
        r += 2
        header(ws, r, ["Changed input (blank: workbook value)", "Unit", *heads, "Description"])
        for c in changes:
            r += 1
            put(ws, r, 1, c.name)
            put(ws, r, 2, c.unit)
            for j, v in enumerate(c.values, start=3):
                if v is not None:
                    _number(ws, r, j, v, c.unit)
            put(ws, r, 3 + n, c.note)
    r += 2
    put(ws, r, 1, "Build-out: capacity in service by period, one stacked chart per unit (the rows of the "
                  "in-service table above)").font = Font(bold=True)
    widths(ws, {"A": 50, "B": 12, get_column_letter(3 + n): 60})
    for j in range(3, 3 + n):
        ws.column_dimensions[get_column_letter(j)].width = 18
    row = r + 2
    for i, chart in enumerate(pr.build_out(data)):
        ch = BarChart()
        ch.type, ch.grouping, ch.overlap = "col", "stacked", 100
        ch.title, ch.y_axis.title = chart.title, chart.unit
        for j, size in enumerate(chart.series):
            k = in_service_row[size.key]
            series = Series(Reference(ws, min_col=3, max_col=2 + n, min_row=k))
            series.tx = SeriesLabel(strRef=StrRef(f"'{PERIODS_SHEET}'!$A${k}"))
            series.graphicalProperties.solidFill = PALETTE[j % len(PALETTE)][1:]  # the HTML chart's colours
            ch.series.append(series)
        ch.set_categories(categories)
        ch.x_axis.delete = ch.y_axis.delete = False
        ch.height, ch.width = 6.5, 12
        ch.legend.position = "b"  # below: the plot keeps the chart's width
        if i % 2 == 0:  # two charts side by side: the first where it fits, the second beside it (same page)
            below = lay.chart(ch, row)
            row = below - chart_rows(ch.height) - 1
        else:
            lay.chart(ch, row, BESIDE)
            row = below
    ws.freeze_panes = "A2"
