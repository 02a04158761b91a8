"""The uncertainty section of report.xlsx and report.html (a stochastic run, summary.json "stochastic").

No stochastic solve: one real run of a 24-hour hand case is written once per module, then copied, and a
hand-written "stochastic" block (3 scenarios of unequal probability, every figure derived by hand below) is
added to the copy's summary.json before the reports are rebuilt from the folder, as `planner report` does.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from html import escape
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from helpers import CHROMIUM, open_in_chromium, small_scenario

from planner import fmt, risk
from planner.report import uncertainty as u
from planner.report import write_reports
from planner.report.excel import UNCERTAINTY_SHEET
from planner.run import add_baseline, optimise, write_outputs
from planner.solve import SolveOptions

TODAY = ["Summary", "Sizing", "Cash flow", "Revenue and cost", "Monthly energy", "Typical weeks", "Assumptions",
         "Inputs"]
HOSTILE = "=HYPERLINK(\"http://x\") <script>window.__pwned = 1</script>"  # a scenario name a user typed
P = [0.5, 0.3, 0.2]
NPV_S = [12e6, -3e6, 30e6]  # the stochastic design in each scenario
NPV_EV = [15e6, -8e6, 25e6]  # the expected-value design
NPV_PI = [16e6, -2e6, 31e6]  # the best design for each scenario alone
# by hand: ascending -3 (0.3), 12 (0.5), 30 (0.2) M USD, cumulative 0.3, 0.8, 1.0
E_S = 0.5 * 12e6 + 0.3 * -3e6 + 0.2 * 30e6  # 11.1 M USD
E_EV = 0.5 * 15e6 + 0.3 * -8e6 + 0.2 * 25e6  # 10.1 M USD
E_PI = 0.5 * 16e6 + 0.3 * -2e6 + 0.2 * 31e6  # 13.6 M USD
PARAMS = ["mining.hashprice_usd_per_ph_day", "finance.discount_rate", "hourly.export_price_usd_per_mwh"]


def stochastic_block(summary: dict) -> dict:
    """A stochastic block as the issue's schema has it, its figures by hand from the three scenarios above."""
    sizes, new = summary["sizes"], summary["sizes_new"]
    ev_sizes = {k: v for k, v in sizes.items()}
    ev_new = {k: v for k, v in new.items()}
    ev_sizes["mining_containers"] = ev_new["mining_containers"] = 3.0
    ev_sizes["battery_mw"] = ev_new["battery_mw"] = 2.5
    changes = [{PARAMS[0]: 60.0, PARAMS[1]: 0.08}, {PARAMS[0]: 30.0}, {PARAMS[0]: 110.0, PARAMS[2]: 1.2}]
    return {
        "risk_aversion": 0.25, "cvar_alpha": 0.1, "typical_days": 48,
        "scenarios": [{"name": name, "probability": p, "changes": c, "npv_usd": s, "ev_design_npv_usd": e,
                       "perfect_information_npv_usd": pi}
                      for name, p, c, s, e, pi in zip(["low-growth", "crash", HOSTILE], P, changes, NPV_S, NPV_EV,
                                                      NPV_PI, strict=True)],
        "expected_npv_usd": E_S, "cvar_usd": -3e6, "p10_usd": -3e6, "p50_usd": 12e6, "p90_usd": 30e6,
        "probability_of_loss": 0.3,
        "design": {"sizes": sizes, "sizes_new": new},
        "ev_design": {"expected_npv_usd": E_EV, "cvar_usd": -8e6, "p10_usd": -8e6, "p50_usd": 15e6, "p90_usd": 25e6,
                      "probability_of_loss": 0.3, "sizes": ev_sizes, "sizes_new": ev_new},
        "vss_usd": E_S - E_EV, "evpi_usd": E_PI - E_S,
        "value_of_flexibility_usd": {"mining": 3.1e6, "battery": None},
        "full_year_check": True,
        "solver": {"status": "optimal", "mip_gap": 0.001, "seconds": 12.3},
        "timings_s": {"extensive_form": 10.2, "evaluation": 4.0, "total": 15.0},
    }


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory) -> Path:
    """A real run of a 24-hour hand case (PV, battery, grid, mining), written with its reports as `planner run`
    writes them (the do-nothing baseline valued too)."""
    n = 24
    h = np.arange(n) % 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None)
    price = np.where((h >= 17) & (h <= 21), 120.0, 25.0)
    sc = small_scenario(n, pv_cf=pv, export_price_usd_per_mwh=price, import_price_usd_per_mwh=price + 10)
    for t in (sc.pv, sc.battery, sc.mining):
        t.enabled = True
    sc.pv.capex_usd_per_kw_ac = 500.0
    sc.grid.connected, sc.grid.import_limit_mw, sc.grid.max_new_export_mw = True, 5.0, 20.0
    sc.mining.hashprice_usd_per_ph_day, sc.mining.network_hashrate_growth_per_year = 80.0, 0.0
    result = optimise(sc, SolveOptions(mip_gap=1e-6))
    add_baseline(result, sc, SolveOptions(mip_gap=1e-6))
    folder = tmp_path_factory.mktemp("unc") / "deterministic"
    write_outputs(result, folder, extra_writers=[lambda _r, f: write_reports(f)])
    return folder


def with_block(base_dir: Path, dest: Path, edit=None) -> tuple[Path, dict]:
    """A copy of the run folder with the hand-written stochastic block (optionally edited), reports rebuilt."""
    shutil.copytree(base_dir, dest)
    summary = json.loads((dest / "summary.json").read_text())
    block = stochastic_block(summary)
    if edit:
        edit(block)
    summary["stochastic"] = block
    (dest / "summary.json").write_text(json.dumps(summary))
    write_reports(dest)
    return dest, summary


@pytest.fixture(scope="module")
def stoch_dir(base_dir, tmp_path_factory) -> tuple[Path, dict]:
    return with_block(base_dir, tmp_path_factory.mktemp("unc") / "stochastic")


def table(ws, title: str) -> tuple[int, dict[str, list]]:
    """The rows under the header row whose first cell is `title`: (header row, first cell -> the row's values)."""
    top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == title)
    rows, r = {}, top + 1
    while ws.cell(r, 1).value is not None:
        rows[ws.cell(r, 1).value] = [ws.cell(r, j) for j in range(1, ws.max_column + 1)]
        r += 1
    return top, rows


# ------------------------------------------------------------------------------ the statistics, by hand

def test_weighted_percentile_cdf_cvar_loss_and_cdf_steps_of_the_three_scenarios_by_hand():
    """planner/risk.py (the stochastic model's and this section's statistics) on this file's three scenarios."""
    x, cum = risk.weighted_cdf(NPV_S, P)
    assert x.tolist() == [-3e6, 12e6, 30e6] and cum.tolist() == pytest.approx([0.3, 0.8, 1.0], abs=1e-15)
    pct = {q: risk.weighted_percentile(NPV_S, P, q) for q in (0, 10, 30, 30.001, 50, 80, 90, 100)}
    assert pct == {0: -3e6, 10: -3e6, 30: -3e6, 30.001: 12e6, 50: 12e6, 80: 12e6, 90: 30e6, 100: 30e6}
    # 0.1 + 0.2 is 0.30000000000000004 in floating point: P30 still reaches the second value, not the third
    assert risk.weighted_percentile([1.0, 2.0, 3.0], [0.1, 0.2, 0.7], 30) == 2.0
    assert risk.expected(NPV_S, P) == pytest.approx(E_S) == pytest.approx(11.1e6)
    assert risk.cvar(NPV_S, P, 0.1) == pytest.approx(-3e6)  # the worst 10 % lies inside the crash
    # the worst 40 %: all 0.3 of the crash and 0.1 of the 12 M USD scenario
    assert risk.cvar(NPV_S, P, 0.4) == pytest.approx((0.3 * -3e6 + 0.1 * 12e6) / 0.4)
    assert risk.probability_of_loss(NPV_S, P) == pytest.approx(0.3)
    # the block's figures are these (stochastic_block writes them by hand)
    assert risk.figures(NPV_S, P, 0.1) == pytest.approx({k: v for k, v in stochastic_block(
        {"sizes": {"mining_containers": 0.0, "battery_mw": 0.0}, "sizes_new": {"mining_containers": 0.0,
                                                                             "battery_mw": 0.0}}).items()
        if k in ("expected_npv_usd", "cvar_usd", "p10_usd", "p50_usd", "p90_usd", "probability_of_loss")})
    assert risk.figures(NPV_EV, P, 0.1)["expected_npv_usd"] == pytest.approx(E_EV)
    # the corners the charts draw: each NPV at the probability below it and at it
    assert u.cdf_steps(*risk.weighted_cdf(NPV_S, P)) == ([-3e6, -3e6, 12e6, 12e6, 30e6, 30e6],
                                                         pytest.approx([0.0, 0.3, 0.3, 0.8, 0.8, 1.0]))


def excel_shows(x: float, number_format: str) -> str:
    """The text Excel displays for x under one of the planner's money formats (a thousands separator, one or no
    decimal, a comma per 1000 of scaling, a quoted unit, the second section for negatives)."""
    section = number_format.split(";")[1 if x < 0 else 0].replace("[Red]", "")
    body, unit = section.split('"')[0], section.split('"')[1]
    scale = 1000 ** (len(body) - len(body.rstrip(",")))
    decimals = len(body.rstrip(",").split(".")[1]) if "." in body else 0
    return f"{'-' if x < 0 else ''}{abs(x) / scale:,.{decimals}f}{unit}"


@pytest.mark.parametrize("usd, text", [(640.0, "640 USD"), (812_400.0, "812.4 k USD"), (999_960.0, "1.0 M USD"),
                                        (11.1e6, "11.1 M USD"), (-3e6, "-3.0 M USD"), (12.34e9, "12.3 B USD")])
def test_excel_money_format_displays_what_fmt_money_writes(usd, text):
    assert fmt.money(usd) == text
    assert excel_shows(usd, fmt.excel_money(usd)) == text


# ------------------------------------------------------------------------------------------ report.xlsx

def test_uncertainty_sheet_only_with_the_block_and_other_sheets_exactly_as_today(base_dir, stoch_dir, tmp_path):
    folder, _ = stoch_dir
    det = openpyxl.load_workbook(base_dir / "report.xlsx")
    sto = openpyxl.load_workbook(folder / "report.xlsx")
    assert det.sheetnames == TODAY
    assert sto.sheetnames == ["Summary", UNCERTAINTY_SHEET, *TODAY[1:]]
    # "stochastic": null is a deterministic run: no sheet and no section
    null = tmp_path / "null"
    shutil.copytree(base_dir, null)
    summary = json.loads((null / "summary.json").read_text())
    summary["stochastic"] = None
    (null / "summary.json").write_text(json.dumps(summary))
    write_reports(null)
    assert openpyxl.load_workbook(null / "report.xlsx").sheetnames == TODAY
    assert (null / "report.html").read_bytes() == (base_dir / "report.html").read_bytes()
    # every other sheet of the stochastic workbook is the deterministic one, cell for cell, format and charts
    assert_same_sheets(det, sto, TODAY)


def test_uncertainty_figures_builds_and_scenarios_equal_summary_json(stoch_dir):
    folder, summary = stoch_dir
    st = summary["stochastic"]
    ws = openpyxl.load_workbook(folder / "report.xlsx")[UNCERTAINTY_SHEET]
    _, fig = table(ws, "NPV over the scenarios")
    keys = {"Expected NPV": "expected_npv_usd", "CVaR: mean of the worst 10 %": "cvar_usd",
            "NPV, P10 (low)": "p10_usd", "NPV, P50 (median)": "p50_usd", "NPV, P90 (high)": "p90_usd",
            "Probability of a loss (NPV < 0)": "probability_of_loss"}
    assert list(fig) == list(keys)
    for label, key in keys.items():
        _, s, e = fig[label][:3]
        assert (s.value, e.value) == (st[key], st["ev_design"][key]), label
        assert s.number_format == (fmt.excel_money(st[key]) if key.endswith("_usd") else fmt.XL_PCT)
    _, val = table(ws, "Value of")
    vss, evpi = val["Value of the stochastic solution (VSS)"], val["Expected value of perfect information (EVPI)"]
    assert vss[1].value == pytest.approx(1.0e6) and evpi[1].value == pytest.approx(2.5e6)  # 11.1 - 10.1, 13.6 - 11.1
    assert vss[1].value == st["vss_usd"] and evpi[1].value == st["evpi_usd"]
    mining, battery = val["Value of flexibility: Bitcoin mining"], val["Value of flexibility: Battery"]
    assert mining[1].value == 3.1e6 and mining[2].value.startswith("Bitcoin mining as a hedge is worth 3.1 M USD here")
    assert battery[1].value == battery[2].value == "not computed"
    # the build: each size either design has, existing and the new part of both designs
    _, build = table(ws, "Build (new, recommended)")
    label = {k: v["label"] for k, v in summary["labels"]["sizes"].items()}
    for key in ("mining_containers", "battery_mw"):
        row = build[label[key]]
        assert row[1].value == summary["labels"]["sizes"][key]["unit"]
        assert row[2].value == summary["sizes_existing"][key]
        assert (row[3].value, row[4].value) == (st["design"]["sizes_new"][key], st["ev_design"]["sizes_new"][key])
    assert build[label["mining_containers"]][4].value == 3.0 and build[label["battery_mw"]][4].value == 2.5
    shown = {k for k in summary["sizes"] if label[k] in build}
    assert shown == {k for k in summary["sizes"] if st["design"]["sizes"][k] or st["ev_design"]["sizes"][k]
                     or st["design"]["sizes_new"][k] or st["ev_design"]["sizes_new"][k]}
    # the scenarios: name (text, never a formula), probability, each changed parameter, the three NPVs
    top, sc = table(ws, "Scenario")
    heads = [ws.cell(top, j).value for j in range(1, 9)]
    assert heads == ["Scenario", "Probability", *PARAMS, "NPV, stochastic design", "NPV, expected-value design",
                     "NPV, best design for this scenario alone"]
    assert list(sc) == ["low-growth", "crash", HOSTILE]
    for s in st["scenarios"]:
        row = [c.value for c in sc[s["name"]][:8]]
        assert row == [s["name"], s["probability"], *[s["changes"].get(p) for p in PARAMS], s["npv_usd"],
                       s["ev_design_npv_usd"], s["perfect_information_npv_usd"]]
    assert sc[HOSTILE][0].data_type == "s"
    # the parameter legend: the input's note and unit from scenario.json
    _, legend = table(ws, "Parameters the scenarios change (blank: the workbook's value)")
    assert "(USD/PH/day)" in legend[PARAMS[0]][1].value and legend[PARAMS[2]][1].value == PARAMS[2]
    notes = " ".join(str(ws.cell(r, 1).value) for r in range(2, table(ws, "NPV over the scenarios")[0]))
    assert "0.75 x expected NPV + 0.25 x CVaR" in notes and "48 typical days" in notes
    assert "full-year re-dispatch" in notes


def test_cdf_chart_plots_both_designs_step_points_from_the_right_ranges(stoch_dir):
    folder, _ = stoch_dir
    ws = openpyxl.load_workbook(folder / "report.xlsx")[UNCERTAINTY_SHEET]
    (chart,) = ws._charts
    assert chart.tagname == "scatterChart" and len(chart.series) == 2
    top, _ = table(ws, "NPV, stochastic design (USD)")
    first, last = top + 1, top + 6  # 3 scenarios: 6 corners each
    expected_points = {  # by hand: ascending NPVs, each at the probability below it and at it
        0: ([-3e6, -3e6, 12e6, 12e6, 30e6, 30e6], [0.0, 0.3, 0.3, 0.8, 0.8, 1.0]),
        1: ([-8e6, -8e6, 15e6, 15e6, 25e6, 25e6], [0.0, 0.3, 0.3, 0.8, 0.8, 1.0])}
    titles = []
    for i, s in enumerate(chart.series):
        x_col, y_col = "ABCD"[2 * i], "ABCD"[2 * i + 1]
        assert s.xVal.numRef.f == f"'{UNCERTAINTY_SHEET}'!${x_col}${first}:${x_col}${last}"
        assert s.yVal.numRef.f == f"'{UNCERTAINTY_SHEET}'!${y_col}${first}:${y_col}${last}"
        xs = [ws.cell(r, 1 + 2 * i).value for r in range(first, last + 1)]
        ys = [ws.cell(r, 2 + 2 * i).value for r in range(first, last + 1)]
        assert xs == expected_points[i][0] and ys == pytest.approx(expected_points[i][1])
        assert ws.cell(last + 1, 1 + 2 * i).value is None
        titles.append(s.tx.v)
    assert titles == ["Stochastic design", "Expected-value design"]
    # the second curve dashed over the first, wider one: two designs with one distribution stay both visible
    lines = [s.graphicalProperties.line for s in chart.series]
    assert lines[0].w > lines[1].w and lines[0].prstDash in (None, "solid") and lines[1].prstDash == "dash"


def test_two_designs_with_the_same_build_are_said_to_coincide(base_dir, stoch_dir, tmp_path):
    def same(block):
        block["ev_design"].update(sizes=block["design"]["sizes"], sizes_new=block["design"]["sizes_new"])

    folder, _ = with_block(base_dir, tmp_path / "same", same)
    note = "Both designs are the same build here, so their figures and curves coincide."
    assert note in (folder / "report.html").read_text()
    assert note not in (stoch_dir[0] / "report.html").read_text()
    ws = openpyxl.load_workbook(folder / "report.xlsx")[UNCERTAINTY_SHEET]
    assert note in [ws.cell(r, 1).value for r in range(2, table(ws, "NPV over the scenarios")[0])]


def assert_same_sheets(a_book, b_book, names) -> None:
    """These sheets of two report workbooks are the same: size, print area, charts, every value and format."""
    for name in names:
        a, b = a_book[name], b_book[name]
        assert (a.max_row, a.max_column, a.print_area, len(a._charts)) == (b.max_row, b.max_column, b.print_area,
                                                                           len(b._charts)), name
        for ra, rb in zip(a.iter_rows(), b.iter_rows(), strict=True):
            assert [(c.value, c.number_format) for c in ra] == [(c.value, c.number_format) for c in rb], name


def assert_prints_like(ws, ref) -> None:
    """The sheet's page setup is the Summary's: landscape, one page wide, title row repeated, same margins."""
    for attr in ("orientation", "paperSize", "fitToWidth", "fitToHeight"):
        assert getattr(ws.page_setup, attr) == getattr(ref.page_setup, attr), attr
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == ("landscape", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert ws.page_margins.top == ref.page_margins.top and ws.page_margins.left == ref.page_margins.left


def test_uncertainty_sheet_prints_as_the_others_and_holds_no_formula(stoch_dir):
    from openpyxl.utils import range_boundaries
    from test_report import page_rows

    folder, _ = stoch_dir
    wb = openpyxl.load_workbook(folder / "report.xlsx")
    ws, ref = wb[UNCERTAINTY_SHEET], wb["Summary"]
    assert_prints_like(ws, ref)
    _, _, max_col, max_row = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
    (chart,) = ws._charts
    top = chart.anchor._from.row + 1
    bottom = top + chart.height / 2.54 * 72 / 15.0 - 1
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    page_top = max([1] + [b + 1 for b in breaks if b + 1 <= top])
    assert bottom <= max_row + 1 and not [b for b in breaks if top <= b < bottom]
    assert bottom - page_top + 1 <= page_rows(ws)
    assert max_col >= 8  # the scenario table's eight columns print
    # no formula anywhere: the only text starting with "=" is the scenario name typed so, stored as a string
    starts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert [(c.value, c.data_type) for c in starts] == [(HOSTILE, "s")]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    with zipfile.ZipFile(folder / "report.xlsx") as z:
        sheet_xml = z.read(f"xl/worksheets/sheet{wb.sheetnames.index(UNCERTAINTY_SHEET) + 1}.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_not_computed_figures_and_no_ev_design_give_one_series_and_say_so(base_dir, tmp_path):
    def edit(block):
        block.update(ev_design=None, vss_usd=None, evpi_usd=None, value_of_flexibility_usd={"mining": None},
                     risk_aversion=0.0, typical_days=None, full_year_check=False,
                     evpi_not_computed="scenario crash: its own optimum hit the time limit")
        for s in block["scenarios"]:
            s["ev_design_npv_usd"] = s["perfect_information_npv_usd"] = None

    folder, summary = with_block(base_dir, tmp_path / "partial", edit)
    ws = openpyxl.load_workbook(folder / "report.xlsx")[UNCERTAINTY_SHEET]
    _, fig = table(ws, "NPV over the scenarios")
    assert fig["Expected NPV"][1].value == E_S and fig["Expected NPV"][2].value == "n/a"
    _, val = table(ws, "Value of")
    assert [r[1].value for r in val.values()] == ["not computed"] * 3
    assert val["Expected value of perfect information (EVPI)"][2].value == (
        "not computed: scenario crash: its own optimum hit the time limit")
    (chart,) = ws._charts
    assert len(chart.series) == 1
    notes = " ".join(str(ws.cell(r, 1).value) for r in range(2, table(ws, "NPV over the scenarios")[0]))
    assert "The build maximises the expected NPV." in notes
    assert "sized on the full year of every scenario; the scenario NPVs are those of the sizing model" in notes
    page = (folder / "report.html").read_text()
    assert page.count("not computed") >= 3 + 2 * 3  # 3 values, 2 NPVs of each of 3 scenarios
    assert "The expected-value design was not computed." in page


# ------------------------------------------------------------------------------------------ report.html

def section(page: str) -> str:
    m = re.search(r"<section id='uncertainty'>.*?</section>", page, re.S)
    assert m, "no uncertainty section"
    return m.group(0)


def test_html_section_shows_the_sheets_numbers_rounded_alike_inert_and_nothing_else_changes(base_dir, stoch_dir):
    folder, summary = stoch_dir
    st = summary["stochastic"]
    page = (folder / "report.html").read_text()
    today = (base_dir / "report.html").read_text()
    assert "id='uncertainty'" not in today
    sec = section(page)
    assert page.replace(sec, "") == today  # the section is all that a stochastic block adds
    ws = openpyxl.load_workbook(folder / "report.xlsx")[UNCERTAINTY_SHEET]
    _, fig = table(ws, "NPV over the scenarios")
    for key, label in (("expected_npv_usd", "Expected NPV"), ("p10_usd", "NPV, P10 (low)"),
                       ("probability_of_loss", "Probability of a loss (NPV < 0)")):
        for design, values, col in (("stochastic", st, 1), ("ev", st["ev_design"], 2)):
            cell = re.search(rf"<td class='n' id=\"unc-{design}-{key}\" data-value=\"([^\"]+)\">([^<]+)</td>", sec)
            assert float(cell.group(1)) == values[key] == fig[label][col].value
            text = fmt.money(values[key]) if key.endswith("_usd") else fmt.percent(values[key])
            assert cell.group(2) == text
    # the same rounding in both: 11.1 M USD, -3.0 M USD, 30.0 %; Excel shows the cell with the matching format
    assert ">11.1 M USD<" in sec and ">-3.0 M USD<" in sec and ">30.0 %<" in sec
    assert fig["Expected NPV"][1].number_format == fmt.XL_MUSD
    assert "Bitcoin mining as a hedge is worth 3.1 M USD here" in sec
    assert re.search(r"id=\"unc-vss_usd\" data-value=\"1000000.0\">1.0 M USD<", sec)
    assert re.search(r"id=\"unc-evpi_usd\" data-value=\"2500000.0\">2.5 M USD<", sec)
    # the CDF: an inline SVG with one polyline per design, no script, the hostile name shown as text
    assert sec.count("<svg") == 1 and sec.count("<polyline") == 2
    assert "<script" not in page and escape(HOSTILE) in sec
    for name in ("low-growth", "crash"):
        assert f"<td>{name}</td>" in sec


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/test.sh installs it)")
def test_html_section_in_headless_chromium_runs_nothing_and_reads_the_figures(stoch_dir):
    folder, summary = stoch_dir
    st = summary["stochastic"]
    seen = open_in_chromium(folder / "report.html", inspect=lambda page: {
        k: page.text_content(f"#unc-stochastic-{k}") for k in ("expected_npv_usd", "p90_usd")})
    assert seen.errors == [] and seen.dialogs == [] and seen.pwned == "undefined"
    assert seen.requests == [seen.url]
    assert seen.inspected == {"expected_npv_usd": fmt.money(st["expected_npv_usd"]), "p90_usd": "30.0 M USD"}
    assert HOSTILE in seen.text
