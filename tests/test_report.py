"""The investment report: Excel charts, numbers and live formulas; the HTML page in real headless Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import CHROMIUM, open_in_chromium, small_scenario

from planner.report import write_reports
from planner.report.excel import CASHFLOW_SHEET
from planner.run import add_baseline, optimise, write_outputs
from planner.scenario.scenario import SensitivityRow
from planner.solve import SolveOptions

# markup typed into every free-text field: it must reach the page as text, never as a live element
SCRIPT = "<script>window.__pwned = 1; alert(1)</script>"
IMG = "<img src=x onerror=\"window.__pwned = 2; alert(2)\">"
SITE = f"report-test {SCRIPT}"
DESCRIPTION = f"{IMG} & <b>bold</b> 'quoted' \"double\""
SOURCES = [(f"Hourly data {SCRIPT}", f"NREL {IMG}"), (IMG, "<svg onload=alert(3)></svg><iframe src=x></iframe>")]
WARNINGS = [f"{SCRIPT}: sheet is not used by the planner (ignored)",  # what the reader says of a sheet so named
            f"Site!A12: unknown field {IMG!r} is ignored"]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    """A real run (72 hours, every flow present) written with its reports."""
    n = 72
    h = np.arange(n) % 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None)
    price = np.where((h >= 17) & (h <= 21), 120.0, 25.0)
    sc = small_scenario(n, pv_cf=pv, export_price_usd_per_mwh=price, import_price_usd_per_mwh=price + 10,
                        ai_utilisation=0.8)
    sc.site.name = SITE
    sc.site.description = DESCRIPTION
    sc.sources = SOURCES
    sc.sensitivity = [SensitivityRow("finance.discount_rate", 0.05, 0.1, "uniform", SCRIPT + IMG)]
    sc.warnings = WARNINGS
    for t in (sc.pv, sc.battery, sc.ai, sc.mining):
        t.enabled = True
    sc.pv.capex_usd_per_kw_ac = 500.0
    sc.grid.connected, sc.grid.import_limit_mw, sc.grid.max_new_export_mw = True, 5.0, 20.0
    sc.ai.max_new_blocks = 2
    sc.mining.hashprice_usd_per_ph_day, sc.mining.network_hashrate_growth_per_year = 80.0, 0.0
    sc.finance.tax_rate, sc.pv.itc_fraction = 0.25, 0.3  # tax, MACRS depreciation and an ITC in the live model
    result = optimise(sc, SolveOptions(mip_gap=1e-6))
    add_baseline(result, sc, SolveOptions(mip_gap=1e-6))  # as `planner run` does: the investment over doing nothing
    folder = tmp_path_factory.mktemp("out") / "report-test"
    write_outputs(result, folder, extra_writers=[lambda _r, f: write_reports(f)])
    return folder


def test_excel_summary_equals_summary_json_and_charts_reference_right_ranges(out_dir):
    summary = json.loads((out_dir / "summary.json").read_text())
    wb = openpyxl.load_workbook(out_dir / "report.xlsx")
    assert wb.sheetnames == ["Summary", "Sizing", "Cash flow", "Revenue and cost", "Monthly energy",
                             "Typical weeks", "Assumptions", "Inputs"]
    ws = wb["Summary"]
    kv = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert kv["NPV (optimiser)"] == pytest.approx(summary["npv_usd"])
    assert kv["NPV (independent pro-forma)"] == pytest.approx(summary["proforma_npv_usd"])
    assert kv["Total capex, year 0"] == pytest.approx(summary["capex_usd"])
    assert kv["Mining"] == pytest.approx(summary["energy_mwh"]["mining"])
    assert kv["Solver status"] == summary["solver"]["status"]
    charts = {name: wb[name]._charts for name in wb.sheetnames}
    assert len(charts["Summary"]) == 1 and len(charts["Cash flow"]) == 1 and len(charts["Monthly energy"]) == 2
    assert len(charts["Typical weeks"]) == 1 and len(charts["Revenue and cost"]) == 1  # 72 h: one "week", whole
    cf_chart = charts["Cash flow"][0]
    ref = cf_chart.series[0].val.numRef.f
    cf = wb[CASHFLOW_SHEET]
    net_row = next(r for r in range(1, cf.max_row + 1) if cf.cell(r, 1).value == "Net cash flow")
    assert ref == f"'Cash flow'!$B${net_row}:$V${net_row}"
    stacked = charts["Monthly energy"][0]
    assert stacked.grouping == "stacked"
    assert all(s.val.numRef.f.startswith("'Monthly energy'!$") and s.val.numRef.f.endswith("$13")
               for s in stacked.series)
    week = charts["Typical weeks"][0]
    refs = [s.val.numRef.f for s in week.series]
    assert refs and all(f.startswith("'Typical weeks'!") for f in refs)
    # the hourly rows are not in the workbook any more (dispatch.csv has them), and the workbook says so
    assert max(wb[n].max_row for n in wb.sheetnames) < 300
    assert any("dispatch.csv" in str(c.value) for c in ws["A"])


def test_live_npv_and_irr_formulas_compute_the_planners_values(out_dir):
    import formulas

    summary = json.loads((out_dir / "summary.json").read_text())
    wb = openpyxl.load_workbook(out_dir / "report.xlsx")
    cf = wb[CASHFLOW_SHEET]
    labels = {cf.cell(r, 1).value: r for r in range(1, cf.max_row + 1)}
    npv_cell = cf.cell(labels["NPV (Excel formula)"], 2).value
    irr_cell = cf.cell(labels["IRR (Excel formula)"], 2).value
    assert npv_cell.startswith("=NPV(") and irr_cell.startswith("=IRR(")
    net_row = labels["Net cash flow"]
    net = [cf.cell(net_row, j).value for j in range(2, 23)]
    rate = cf.cell(labels["discount rate"], 2).value
    npv = formulas.Parser().ast("=NPV(A1,B1:U1)+C1")[1].compile()(rate, [net[1:]], net[0])
    irr = formulas.Parser().ast("=IRR(A1:U1)")[1].compile()([net])
    assert float(npv) == pytest.approx(summary["proforma_npv_usd"], rel=1e-9)
    assert float(irr) == pytest.approx(summary["irr"], rel=1e-6)
    # the formulas in the workbook point at exactly that row and rate cell
    assert npv_cell == f"=NPV($B${labels['discount rate']},C{net_row}:V{net_row})+B{net_row}"
    assert irr_cell == f"=IRR(B{net_row}:V{net_row})"


def test_report_command_rebuilds_without_solving(out_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(out_dir, copy)
    (copy / "report.html").unlink()
    (copy / "report.xlsx").unlink()
    paths = write_reports(copy)
    assert [p.name for p in paths] == ["report.xlsx", "report.html"]
    assert (copy / "report.html").read_text().count("<svg") >= 5


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/test.sh installs it)")
def test_item7_html_in_headless_chromium_markup_inert_no_errors_no_network_kpis_match(out_dir, tmp_path):
    summary = json.loads((out_dir / "summary.json").read_text())
    shot = tmp_path / "report.png"
    seen = open_in_chromium(out_dir / "report.html", screenshot=shot, inspect=lambda page: {
        k: float(page.get_attribute(f"#kpi-{k}", "data-value")) for k in ("npv", "capex", "mining")})
    assert seen.errors == [] and seen.dialogs == [] and seen.pwned == "undefined"  # no injected script ran
    assert seen.requests == [seen.url]  # nothing fetched, not even the injected <img src=x> or <iframe src=x>
    # every free-text field the page shows is there as the very text typed, markup included
    assert seen.title == f"Investment plan: {SITE}"
    for text in (SITE, DESCRIPTION, *[t for row in SOURCES for t in row], *WARNINGS):
        assert text in seen.text, text
    kpis = seen.inspected
    assert kpis["npv"] == pytest.approx(summary["npv_usd"]) and kpis["capex"] == pytest.approx(summary["capex_usd"])
    assert kpis["mining"] == pytest.approx(summary["energy_mwh"]["mining"])
    from PIL import Image

    img = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert img.shape[0] > 1400 and img.std() > 10  # a long page with content, not blank


# ------------------------------------------------------------------ printing and the live Assumptions sheet

def page_rows(ws) -> float:
    """Rows of 15 pt that one page of this sheet holds at 100 %, from its own page setup (A4 or Letter)."""
    short_side_pt = {9: 595.3, 1: 612.0}[int(ws.page_setup.paperSize)]
    assert ws.page_setup.orientation == "landscape"
    return (short_side_pt - 72 * (ws.page_margins.top + ws.page_margins.bottom)) / 15.0


def test_every_sheet_prints_landscape_one_page_wide_with_titles_and_no_chart_cut_by_a_page(out_dir):
    from openpyxl.utils import range_boundaries

    wb = openpyxl.load_workbook(out_dir / "report.xlsx")
    n_charts = 0
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert (ps.orientation, ps.fitToWidth, ps.fitToHeight) == ("landscape", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.print_area, ws.title
        min_col, min_row, max_col, max_row = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
        assert (min_col, min_row) == (1, 1) and max_row >= 2
        breaks = sorted(b.id for b in ws.row_breaks.brk)  # a break after row b: the next page starts at b + 1
        for ch in ws._charts:
            n_charts += 1
            top = ch.anchor._from.row + 1  # 1-based
            left = ch.anchor._from.col + 1
            rows = ch.height / 2.54 * 72 / 15.0  # cm -> pt -> rows of 15 pt
            bottom = top + rows - 1
            assert min_col <= left <= max_col and min_row <= top and bottom <= max_row + 1, (ws.title, top, left)
            # the page holding the chart's top starts at the sheet's top or after a manual break ...
            page_top = max([1] + [b + 1 for b in breaks if b + 1 <= top])
            # ... no break falls inside the chart, and it fits below that page's top at 100 % (fit-to-width only
            # shrinks a sheet, so it fits at any scale)
            assert not [b for b in breaks if top <= b < bottom], (ws.title, top, breaks)
            assert bottom - page_top + 1 <= page_rows(ws), (ws.title, top, bottom, page_top)
    assert n_charts >= 6


def live_sheet(out_dir, tmp_path):
    """The Assumptions sheet's label -> row, and a formulas model of it (evaluated by the engine; the sheet refers
    to no other, so the engine gets a copy holding it alone)."""
    import formulas

    wb = openpyxl.load_workbook(out_dir / "report.xlsx")
    ws = wb["Assumptions"]
    rows = {}
    for r in range(1, ws.max_row + 1):
        rows.setdefault(ws.cell(r, 1).value, r)
    for other in [w for w in wb.worksheets if w.title != "Assumptions"]:
        wb.remove(other)
    wb.save(tmp_path / "report.xlsx")
    model = formulas.ExcelModel().loads(str(tmp_path / "report.xlsx")).finish()
    return ws, rows, model


def cell(model_solution, row: int, col: str = "B") -> float:
    key = f"'[report.xlsx]ASSUMPTIONS'!{col}{row}"
    return float(np.asarray(model_solution[key].value).ravel()[0])


def test_live_assumptions_npv_equals_summary_and_moves_with_an_input_as_computed_by_hand(out_dir, tmp_path):
    summary = json.loads((out_dir / "summary.json").read_text())
    ws, rows, model = live_sheet(out_dir, tmp_path)
    assert "dispatch is fixed" in ws.cell(2, 1).value  # the sheet says the energy is held as solved
    inv_row, plan_row = rows["Investment NPV (plan - baseline)"], rows["Plan NPV"]
    assert ws.cell(inv_row, 2).value.startswith("=NPV(")
    sol = model.calculate()
    assert cell(sol, plan_row) == pytest.approx(summary["proforma_npv_usd"], rel=1e-9)
    assert cell(sol, inv_row) == pytest.approx(summary["investment"]["proforma_npv_usd"], rel=1e-6)
    assert cell(sol, rows["Plan IRR"]) == pytest.approx(summary["irr"], rel=1e-6)
    # the inputs the brief names are there as value cells of the chosen build
    params = {ws.cell(r, 4).value: r for r in range(5, rows["Key result"])}
    for p in ("finance.discount_rate", "finance.tax_rate", "ai.gpu_hour_price_usd", "mining.hashprice_usd_per_ph_day",
              "hourly.export_price_usd_per_mwh", "hourly.import_price_usd_per_mwh", "every O&M stream",
              "capex of pv", "capex of ai"):
        assert p in params, p
        assert not str(ws.cell(params[p], 2).value).startswith("=")
    # a GPU-hour price 10 % higher and a discount rate of 10 %: every year's GPU revenue rises 10 %, taxed at 25 %,
    # and the plan's and the investment's net cash flows are discounted again (closed form)
    cf = pd.read_csv(out_dir / "cashflow.csv", index_col=0)
    assert summary["revenue_usd_per_year"]["ai_revenue"] > 0 and summary["baseline"]["capex_usd"] == 0
    gpu = cf.loc["ai_revenue"].to_numpy(float)
    base_price = ws.cell(params["ai.gpu_hour_price_usd"], 2).value
    moved = model.calculate(inputs={f"'[report.xlsx]ASSUMPTIONS'!B{params['ai.gpu_hour_price_usd']}": base_price * 1.1,
                                    f"'[report.xlsx]ASSUMPTIONS'!B{params['finance.discount_rate']}": 0.10})
    v = 1.1 ** -np.arange(len(gpu))
    gain = float(np.sum(0.1 * gpu[1:] * (1 - 0.25) * v[1:]))
    plan_net = cf.loc["net_cash_flow"].to_numpy(float)
    inv_net = np.asarray(summary["investment"]["net_cash_flow_usd"])
    assert cell(moved, plan_row) == pytest.approx(float(np.sum(plan_net * v)) + gain, rel=1e-6)
    # the baseline builds no data centre: the whole gain is the investment's
    assert cell(moved, inv_row) == pytest.approx(float(np.sum(inv_net * v)) + gain, rel=1e-6)


def test_typical_weeks_are_the_peak_load_week_and_the_closest_to_the_mean_by_hand():
    """4 weeks by hand: a demand spike on day 17 at noon, curtailment spike on day 3 (no load), PV tripled in
    days 0-6. Peak week: from midnight of day 14 (3 days before). Representative: the window from day d has PV
    mean (21 - 2d) / 7 for d < 7 and 1 after, the year 1.5; windows from day 8 to 20 overlap the peak week;
    day 5 (11/7) is the closest."""
    from planner.report.data import ReportData, typical_weeks

    n = 28 * 24
    ts = pd.date_range("2013-01-01", periods=n, freq="h")
    pv = np.where(np.arange(n) < 7 * 24, 3.0, 1.0)
    ai = np.full(n, 10.0)
    ai[17 * 24 + 12] = 50.0
    curtailed = np.zeros(n)
    curtailed[3 * 24 + 5] = 100.0
    d = pd.DataFrame({"timestamp": ts, "weight": 1.0, "pv_mw": pv, "ai_facility_mw": ai, "curtailed_mw": curtailed})
    flows = [{"column": "pv_mw", "role": "supply", "label": "PV"},
             {"column": "ai_facility_mw", "role": "demand", "label": "AI"},
             {"column": "curtailed_mw", "role": "demand", "label": "Curtailed"}]
    data = ReportData(Path("."), {"flows": flows, "labels": {}}, {"inputs": {}}, d, pd.DataFrame())
    peak, rep = typical_weeks(data)
    assert (peak.start, peak.stop) == (14 * 24, 21 * 24) and "50.0 MW" in peak.why
    assert (rep.start, rep.stop) == (5 * 24, 12 * 24)
    short = ReportData(Path("."), {"flows": flows, "labels": {}}, {"inputs": {}}, d.iloc[:100], pd.DataFrame())
    assert [(w.start, w.stop) for w in typical_weeks(short)] == [(0, 100)]
