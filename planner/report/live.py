"""The Assumptions sheet of report.xlsx: the key inputs as cells that drive a live cash flow, NPV and IRR.

The plan's pro-forma (planner/finance.py: proforma) is rebuilt in Excel formulas from what summary.json holds
(`cash_flow_model`: each stream's kind, year-1 amount and driving input, each kind's price path, each
technology's capital schedule) for the plan and for the do-nothing baseline, so the investment's NPV moves
when a reader changes the discount rate, the tax rate, a price (hashprice, GPU-hour price), the scale of the
export or import prices, the O&M costs or a technology's capex. The dispatch is fixed (the sheet says so):
every stream moves in proportion to its driving input, at the energy of the plan as solved.

With the inputs as solved, the live NPVs equal summary.json's (tests/test_report.py evaluates the workbook
with the `formulas` engine). Formulas are built from cell references only; every value in a cell is a number
the planner computed or an input of the workbook, and every text goes through planner.safe_text.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from planner import fmt
from planner.report.data import NONZERO_USD, ReportData
from planner.report.pages import Layout
from planner.safe_text import formula, put

INPUT_FONT = Font(color="0000FF", bold=True)  # the financial modeller's convention: blue = an input to change
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
YEAR0_COL = 5  # column E holds year 0; years 1..N follow
OM_KIND = "om"
CAPITAL_ROWS = (("invest", "capex"), ("salvage", "salvage"), ("itc", "itc"), ("depreciation", "depreciation"))
FIXED_NOTE = ("The dispatch is fixed: the energy by use per year below is the optimised plan's (and the "
              "baseline's), and changing an input here re-prices that dispatch and that build, it does not "
              "re-optimise them. Each revenue or cost moves in proportion to the input that drives it; the price "
              "paths (escalation, hashprice and GPU-price paths) and the analysis period stay as solved. To "
              "re-optimise, change the workbook and run `planner run` again, or use `planner sensitivity`.")


@dataclass
class Inputs:
    """Where the live input cells are: row of each driver, of each technology's capex, of the rates."""

    rate: str  # absolute reference of the discount rate cell
    tax: str
    driver: dict[str, int]  # driver name -> row (value in B, as solved in E)
    capex: dict[str, int]  # technology -> row
    om: int | None


def ycol(year: int) -> str:
    return get_column_letter(YEAR0_COL + year)


def scale(row: int) -> str:
    """The factor an input row applies: its live value over its value as solved."""
    return f"($B${row}/$E${row})"


def assumptions_sheet(ws, data: ReportData, lay: Layout) -> None:
    """Inputs, live key results, the fixed energy, then the live cash flows of the plan, the baseline and the
    investment (plan minus baseline), years as columns."""
    s = data.summary
    put(ws, 1, 1, f"Assumptions: change a blue cell and the cash flow, NPV and IRR below recompute ({data.site})"
        ).font = TITLE
    put(ws, 2, 1, FIXED_NOTE)
    model = s.get("cash_flow_model")
    ws.column_dimensions["A"].width = 46
    for letter, w in (("B", 16), ("C", 14), ("D", 16)):
        ws.column_dimensions[letter].width = w
    if not model:
        put(ws, 4, 1, "This output folder was written by an older planner (summary.json has no cash_flow_model): run "
                      "`planner run` again for the live model. Every input is on the Inputs sheet.")
        return
    base = s.get("baseline") or {}
    base_model = base.get("cash_flow_model") if base.get("net_cash_flow_usd") is not None else None
    models = [m for m in (model, base_model) if m]
    years = list(data.cashflow.columns)
    n = years[-1]
    for y in years:
        ws.column_dimensions[ycol(y)].width = 14
    inputs, r = input_block(ws, 4, data, models)
    results_row = r + 2
    r = results_row + 7
    put(ws, r, 1, "Energy by use per year (fixed: the dispatch as solved)").font = BOLD
    r = energy_rows(ws, r, data)
    plan_rows, r = cash_flow_block(ws, r + 2, "Plan", model, inputs, n, data)
    base_rows = None
    if base_model:
        base_rows, r = cash_flow_block(ws, r + 2, "Baseline (do nothing)", base_model, inputs, n, data)
        r += 2
        put(ws, r, 1, "Investment: plan minus baseline").font = BOLD
        r += 1
        put(ws, r, 1, "Incremental net cash flow")
        for y in years:
            formula(ws, r, YEAR0_COL + y, f"={ycol(y)}{plan_rows['net']}-{ycol(y)}{base_rows['net']}", fmt.XL_USD)
        inc_row = r
    results_block(ws, results_row, data, inputs, plan_rows, base_rows, inc_row if base_model else None, n)
    lay.used(r, YEAR0_COL + n)
    ws.freeze_panes = "B4"


def input_block(ws, r: int, data: ReportData, models: list[dict]) -> tuple[Inputs, int]:
    """The input cells (blue): discount rate, tax rate, each driver of a stream in the plan or the baseline,
    an O&M scale, each technology's year-0 capex. Returns where they are and the last row."""
    put(ws, r, 1, "Input (change the blue cells)").font = BOLD
    for j, t in enumerate(("Value", "Unit", "Parameter", "As solved", "What it drives"), start=2):
        put(ws, r, j, t).font = BOLD
    rows = []  # (label, value, unit, parameter, drives, number format) -> row
    rows.append(("Discount rate", data.input("Finance", "discount_rate"), "fraction/yr", "finance.discount_rate",
                 "the NPVs", "0.00%"))
    rows.append(("Income tax rate", data.input("Finance", "tax_rate") or 0.0, "fraction", "finance.tax_rate",
                 "income tax (on operating cash flow less depreciation)", "0.00%"))
    drivers: dict[str, tuple] = {}
    om = False
    for m in models:
        for st in m["streams"].values():
            if abs(st["usd_year1"]) <= NONZERO_USD:
                continue
            d = st.get("driver") or ""
            if d and d not in drivers:
                found = driver_input(data, d)
                if found is not None:
                    drivers[d] = found
            if (not d or d not in drivers) and st["kind"] == OM_KIND:
                om = True
    for d, (label, value, unit) in drivers.items():
        streams = sorted({data.label("streams", k) for m in models for k, st in m["streams"].items()
                          if st.get("driver") == d and abs(st["usd_year1"]) > NONZERO_USD})
        rows.append((label, value, unit, d, ", ".join(streams),
                     fmt.excel_format(unit, value) if unit != "x" else "0.00"))
    if om:
        rows.append(("O&M cost scale (1 = the costs as typed)", 1.0, "x", "every O&M stream",
                     "every fixed and variable O&M cost (and the cost of unserved load)", "0.00"))
    capex = {}
    for tech, lines in models[0]["capital_by_technology_usd"].items():
        if lines["invest"][0] > NONZERO_USD:
            capex[tech] = lines["invest"][0]
            rows.append((f"Year-0 capex: {data.label('technologies', tech)}", lines["invest"][0], "USD",
                         f"capex of {tech}", "its capex, replacements, salvage, ITC and depreciation", fmt.XL_USD))
    where: dict[str, int] = {}
    for label, value, unit, param, drives, number_format in rows:
        r += 1
        put(ws, r, 1, label)
        c = put(ws, r, 2, value, number_format)
        c.font, c.fill = INPUT_FONT, INPUT_FILL
        put(ws, r, 3, unit)
        put(ws, r, 4, param)
        put(ws, r, 5, value, number_format)
        put(ws, r, 6, drives)
        where[param] = r
    inputs = Inputs(rate=f"$B${where['finance.discount_rate']}", tax=f"$B${where['finance.tax_rate']}",
                    driver={d: where[d] for d in drivers}, capex={t: where[f"capex of {t}"] for t in capex},
                    om=where.get("every O&M stream"))
    return inputs, r


def driver_input(data: ReportData, name: str) -> tuple[str, float, str] | None:
    """(label, value as solved, unit) of a stream's driving input, or None if it cannot drive (blank or 0)."""
    sheet_attr, _, field = name.partition(".")
    if sheet_attr == "hourly":
        return f"{data.label('columns', field)} scale (1 = the workbook's hourly series)", 1.0, "x"
    sheet = (data.scenario.get("attributes") or {}).get(sheet_attr)
    row = next((x for x in data.scenario["inputs"].get(sheet, []) if x["field"] == field), None)
    if row is None or not isinstance(row["value"], (int, float)) or isinstance(row["value"], bool) or not row["value"]:
        return None
    labels = data.labels
    label = labels.label("assumptions", name) if labels.has("assumptions", name) else row["note"]
    return label, float(row["value"]), row["unit"]


def energy_rows(ws, r: int, data: ReportData) -> int:
    """Annual MWh of each use and source of the plan (values, not inputs)."""
    for f in data.summary["flows"]:
        key = f["energy_key"]
        if f["role"] in ("supply", "demand") and key and data.nonzero(f["column"]):
            r += 1
            put(ws, r, 1, data.label("energy", key))
            put(ws, r, 2, data.summary["energy_mwh"].get(key, 0.0), fmt.XL_MWH)
            put(ws, r, 3, "MWh/yr")
    return r


def cash_flow_block(ws, r: int, title: str, model: dict, inputs: Inputs, n: int, data: ReportData
                    ) -> tuple[dict[str, int], int]:
    """One live pro-forma (plan or baseline): price paths and capital schedules as solved (values), then each
    stream, capex, salvage, ITC, depreciation, tax and net cash flow as formulas. Returns its rows."""
    years = range(n + 1)
    put(ws, r, 1, f"{title}: live cash flow (USD)").font = BOLD
    r += 1
    for j, t in enumerate(("Driven by", "Year 1, as solved", "Year 1, live"), start=2):
        put(ws, r, j, t).font = BOLD
    for y in years:
        put(ws, r, YEAR0_COL + y, f"Year {y}").font = BOLD
    streams = {k: st for k, st in model["streams"].items() if abs(st["usd_year1"]) > NONZERO_USD}
    path_row = {}
    for kind in sorted({st["kind"] for st in streams.values()}):
        r += 1
        names = ", ".join(data.label("streams", k) for k, st in streams.items() if st["kind"] == kind)
        put(ws, r, 1, f"Price path, as solved ({names})")
        for y, f in enumerate(model["price_paths"][kind], start=1):
            put(ws, r, YEAR0_COL + y, f, "0.0000")
        path_row[kind] = r
    first = r + 1
    for k, st in streams.items():
        r += 1
        d = st.get("driver") or ""
        drive = inputs.driver.get(d) if d else None
        if drive is None and st["kind"] == OM_KIND:
            drive = inputs.om
        put(ws, r, 1, data.label("streams", k))
        put(ws, r, 2, d if d in inputs.driver else ("O&M cost scale" if drive is not None else "fixed"))
        put(ws, r, 3, st["usd_year1"], fmt.XL_USD)
        formula(ws, r, 4, f"=C{r}*{scale(drive)}" if drive is not None else f"=C{r}", fmt.XL_USD)
        put(ws, r, YEAR0_COL, 0.0, fmt.XL_USD)
        for y in years:
            if y:
                formula(ws, r, YEAR0_COL + y, f"=$D{r}*{ycol(y)}${path_row[st['kind']]}", fmt.XL_USD)
    last = r
    # capital schedules as solved, per technology (values), and the live capital lines
    sched: dict[str, dict[str, int]] = {}
    for tech, lines in model["capital_by_technology_usd"].items():
        if tech not in inputs.capex:
            continue
        for key, label in CAPITAL_ROWS:
            if any(abs(v) > NONZERO_USD for v in lines[key]):
                r += 1
                put(ws, r, 1, f"{data.label('technologies', tech)}: {label} as solved")
                for y in years:
                    put(ws, r, YEAR0_COL + y, lines[key][y], fmt.XL_USD)
                sched.setdefault(tech, {})[key] = r
    rows: dict[str, int] = {}
    capex_rows = []
    for tech, own in sched.items():
        if "invest" in own:
            r += 1
            put(ws, r, 1, data.label("cashflow", f"capex_{tech}"))
            for y in years:
                formula(ws, r, YEAR0_COL + y, f"=-{ycol(y)}{own['invest']}*{scale(inputs.capex[tech])}", fmt.XL_USD)
            capex_rows.append(r)
    for key, label in (("salvage", "salvage"), ("itc", "itc"), ("depreciation", "tax_depreciation")):
        r += 1
        put(ws, r, 1, data.label("cashflow", label))
        terms = [(own[key], inputs.capex[tech]) for tech, own in sched.items() if key in own]
        for y in years:
            text = "+".join(f"{ycol(y)}{row}*{scale(cell)}" for row, cell in terms) or "0"
            formula(ws, r, YEAR0_COL + y, f"={text}", fmt.XL_USD)
        rows[key] = r
    r += 1
    put(ws, r, 1, data.label("cashflow", "operating_cash_flow"))
    for y in years:
        formula(ws, r, YEAR0_COL + y, f"=SUM({ycol(y)}{first}:{ycol(y)}{last})" if last >= first else "=0", fmt.XL_USD)
    rows["ops"] = r
    r += 1
    put(ws, r, 1, data.label("cashflow", "income_tax"))
    for y in years:
        formula(ws, r, YEAR0_COL + y, f"=-{inputs.tax}*({ycol(y)}{rows['ops']}-{ycol(y)}{rows['depreciation']})"
                if y else "=0", fmt.XL_USD)
    rows["tax"] = r
    r += 1
    put(ws, r, 1, data.label("cashflow", "net_cash_flow")).font = BOLD
    for y in years:
        c = ycol(y)
        capex_sum = "".join(f"+{c}{row}" for row in capex_rows)
        formula(ws, r, YEAR0_COL + y, f"={c}{rows['ops']}{capex_sum}+{c}{rows['salvage']}+{c}{rows['itc']}"
                f"+{c}{rows['tax']}", fmt.XL_USD)
    rows["net"] = r
    return rows, r


def npv_formula(rate: str, row: int, n: int) -> str:
    return f"=NPV({rate},{ycol(1)}{row}:{ycol(n)}{row})+{ycol(0)}{row}"


def irr_formula(row: int, n: int) -> str:
    return f"=IRR({ycol(0)}{row}:{ycol(n)}{row})"


def results_block(ws, r: int, data: ReportData, inputs: Inputs, plan: dict[str, int], base: dict[str, int] | None,
                  inc_row: int | None, n: int) -> None:
    """Live NPVs and IRRs next to the planner's values as solved."""
    s = data.summary
    inv = s.get("investment") or {}
    put(ws, r, 1, "Key result").font = BOLD
    put(ws, r, 2, "Live").font = BOLD
    put(ws, r, 5, "As solved").font = BOLD
    lines = []
    if inc_row is not None:
        lines.append(("Investment NPV (plan - baseline)", npv_formula(inputs.rate, inc_row, n),
                      inv.get("proforma_npv_usd"), fmt.XL_USD))
        if inv.get("irr") is not None:  # Excel's IRR of a flow that never changes sign is an error
            lines.append(("Investment IRR", irr_formula(inc_row, n), inv["irr"], fmt.XL_PCT))
    lines.append(("Plan NPV", npv_formula(inputs.rate, plan["net"], n), s["proforma_npv_usd"], fmt.XL_USD))
    if s.get("irr") is not None:
        lines.append(("Plan IRR", irr_formula(plan["net"], n), s["irr"], fmt.XL_PCT))
    if base is not None:
        lines.append(("Baseline NPV", npv_formula(inputs.rate, base["net"], n),
                      (s.get("baseline") or {}).get("proforma_npv_usd"), fmt.XL_USD))
    else:
        reason = inv.get("reason") or "no do-nothing baseline was evaluated"
        lines.append((f"Investment NPV: n/a ({reason})", None, None, None))
    for label, text, solved, number_format in lines:
        r += 1
        put(ws, r, 1, label)
        if text is not None:
            formula(ws, r, 2, text, number_format).font = BOLD
            put(ws, r, 5, fmt.NA if solved is None else solved, number_format)
