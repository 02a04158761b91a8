"""The Periods section of report.xlsx and report.html (a multi-period plan, summary.json "periods").

No multi-period solve: the real 24-hour run of tests/test_report_uncertainty.py (PV, battery, grid, mining; its
`base_dir` fixture, written once per module) is copied, and hand-written "periods" and "multi_period" entries
(3 periods: the fleet built in 2027, grown in 2030, partly retired in 2035) are added to the copy's summary.json
before the reports are rebuilt from the folder, as `planner report` does.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from html import escape
from pathlib import Path

import openpyxl
import pytest
import test_report_uncertainty as unc
from helpers import CHROMIUM, open_in_chromium
from test_report_uncertainty import TODAY, excel_shows, table

from planner import fmt
from planner.report import svg, write_reports
from planner.report.excel import PERIODS_SHEET

base_dir = unc.base_dir  # the real 24-hour run, as a fixture of this module too
HOSTILE = "=HYPERLINK(\"http://x\") <script>window.__pwned = 1</script>"  # a note quoting what a user typed
STARTS, FIRSTS, LASTS = [2027, 2030, 2035], [1, 4, 9], [3, 8, 20]  # the 20-year analysis of the base run
HEADS = ["2027 (years 1-3)", "2030 (years 4-8)", "2035 (years 9-20)"]
PER_CONTAINER = {"mining_mw": 0.99704, "mining_ph_s": 7744.0 / 120, "mining_asics": 242.0}  # the base run's fleet
CONTAINERS = [40.0, 120.0, 50.0]  # in service: 40 built in 2027, 80 more in 2030, 70 retired in 2035
MW_IN_SERVICE = {  # the sizes in MW in service in each period: the MW build-out chart, by hand
    "battery_mw": [0.0, 10.0, 10.0], "export_mw": [20.0, 20.0, 20.0], "import_limit_mw": [5.0, 5.0, 5.0],
    "mining_mw": [0.99704 * c for c in CONTAINERS]}
MW_BOUGHT = {k: MW_IN_SERVICE[k] for k in ("battery_mw", "export_mw")}  # the MW chart draws the bought sizes only
MW_BOUGHT_TALLEST = 10.0 + 20.0  # 2030 and 2035: 30 MW
ENERGY_FACTOR = [0.6, 1.0, 0.8]  # each period's energy and revenue: the base run's times this
NPV_OPERATING = [40e6, 95e6, 150e6]
CHANGES = [{}, {"mining.hashprice_usd_per_ph_day": 55.0, "hourly.export_price_usd_per_mwh": 1.1},
           {"mining.hashprice_usd_per_ph_day": 40.0, "finance.discount_rate": 0.09}]


def number_shows(x: float, number_format: str) -> str:
    """The text Excel displays for x under "#,##0", "#,##0.0" or "#,##0.00"."""
    assert number_format in ("#,##0", "#,##0.0", "#,##0.00"), number_format
    decimals = len(number_format.split(".")[1]) if "." in number_format else 0
    return f"{x:,.{decimals}f}"


def periods_entries(summary: dict) -> tuple[list[dict], dict]:
    """Three periods as the data contract has them, every number by hand from the constants above."""
    pv_ac, pv_dc = [100.0, 160.0, 160.0], [130.0, 208.0, 208.0]
    periods = []
    for k in range(3):
        c = CONTAINERS[k]
        sizes = {"pv_mw_ac": pv_ac[k], "pv_mw_dc": pv_dc[k], "battery_mw": MW_IN_SERVICE["battery_mw"][k],
                 "battery_mwh": 4 * MW_IN_SERVICE["battery_mw"][k], "export_mw": 20.0, "import_limit_mw": 5.0,
                 "mining_containers": c, **{key: per * c for key, per in PER_CONTAINER.items()},
                 "heat_pump_mw_th": 0.0}  # zero in every period: no row, no series
        previous = periods[-1]["sizes"] if periods else {key: 0.0 for key in sizes} | {"import_limit_mw": 5.0}
        new = {key: max(v - previous[key], 0.0) for key, v in sizes.items()}
        retired = {key: max(previous[key] - v, 0.0) for key, v in sizes.items()}
        periods.append({
            "start_year": STARTS[k], "first_year": FIRSTS[k], "last_year": LASTS[k],
            "sizes": sizes, "sizes_new": new, "sizes_retired": retired,
            "energy_mwh": {key: ENERGY_FACTOR[k] * v for key, v in summary["energy_mwh"].items()},
            "revenue_usd_per_year": {key: ENERGY_FACTOR[k] * v for key, v in summary["revenue_usd_per_year"].items()},
            "npv_operating_usd": NPV_OPERATING[k], "changes": CHANGES[k]})
    return periods, {"periods": 3, "typical_days": 48, "npv_usd": 123.4e6,
                     "notes": ["Each period's build was chosen with the later periods in view.", HOSTILE]}


def with_periods(base_dir: Path, dest: Path, edit=None) -> tuple[Path, dict]:
    """A copy of the run folder with the hand-written periods (optionally edited), the reports rebuilt."""
    shutil.copytree(base_dir, dest)
    summary = json.loads((dest / "summary.json").read_text())
    summary["periods"], summary["multi_period"] = periods_entries(summary)
    if edit:
        edit(summary)
    (dest / "summary.json").write_text(json.dumps(summary))
    write_reports(dest)
    return dest, summary


@pytest.fixture(scope="module")
def periods_dir(base_dir, tmp_path_factory) -> tuple[Path, dict]:
    return with_periods(base_dir, tmp_path_factory.mktemp("periods") / "three")


def test_hand_periods_follow_the_contract():
    """The hand data is what the contract says: in service = previous + new - retired, the years tile 1..20."""
    summary = json.loads(json.dumps({"energy_mwh": {"mining": 1.0}, "revenue_usd_per_year": {"mining": 2.0}}))
    periods, mp = periods_entries(summary)
    assert [(p["first_year"], p["last_year"]) for p in periods] == [(1, 3), (4, 8), (9, 20)] and mp["periods"] == 3
    for before, p in zip([None, *periods], periods, strict=False):
        for key, v in p["sizes"].items():
            old = before["sizes"][key] if before else 5.0 if key == "import_limit_mw" else 0.0
            assert v == pytest.approx(old + p["sizes_new"][key] - p["sizes_retired"][key]), key
    assert periods[1]["sizes_new"]["mining_containers"] == 80.0
    assert periods[2]["sizes_retired"]["mining_containers"] == 70.0


# ------------------------------------------------------------------------------------------ report.xlsx

def test_periods_sheet_follows_the_summary_only_for_more_than_one_period(base_dir, periods_dir, tmp_path):
    folder, _ = periods_dir
    det = openpyxl.load_workbook(base_dir / "report.xlsx")
    multi = openpyxl.load_workbook(folder / "report.xlsx")
    assert det.sheetnames == TODAY
    assert multi.sheetnames == ["Summary", PERIODS_SHEET, *TODAY[1:]]
    # a plan of one period (a list of one, or no list at all) is today's report, byte for byte in HTML
    for name, edit in (("one", lambda s: s.update(periods=s["periods"][:1], multi_period=None)),
                       ("none", lambda s: s.pop("periods"))):
        one, _ = with_periods(base_dir, tmp_path / name, edit)
        assert openpyxl.load_workbook(one / "report.xlsx").sheetnames == TODAY, name
        assert (one / "report.html").read_bytes() == (base_dir / "report.html").read_bytes(), name
    # every other sheet of the multi-period workbook is the base one, cell for cell, format and charts
    unc.assert_same_sheets(det, multi, TODAY)


def test_periods_tables_equal_summary_json_with_the_reports_rounding(periods_dir):
    folder, summary = periods_dir
    ps, lab = summary["periods"], summary["labels"]
    ws = openpyxl.load_workbook(folder / "report.xlsx")[PERIODS_SHEET]
    top, over = table(ws, "Investment period")
    assert [ws.cell(top, j).value for j in range(1, 6)] == ["Investment period", "Unit", *HEADS]
    assert [c.value for c in over["Start year (calendar)"][2:5]] == STARTS
    assert [c.value for c in over["First operating year"][2:5]] == FIRSTS
    assert [c.value for c in over["Last operating year"][2:5]] == LASTS
    npv = over["PV of the period's operating cash flows"][2:5]
    assert [c.value for c in npv] == NPV_OPERATING
    assert [excel_shows(c.value, c.number_format) for c in npv] == ["40.0 M USD", "95.0 M USD", "150.0 M USD"]
    # the sizes: every key non-zero in some period (heat pump: zero throughout, left out), in summary.json's order
    shown = ["pv_mw_ac", "pv_mw_dc", "battery_mw", "battery_mwh", "export_mw", "import_limit_mw", "mining_containers",
             "mining_mw", "mining_ph_s", "mining_asics"]
    for title, part in (("In service during the period", "sizes"), ("Built at the start of the period", "sizes_new"),
                        ("Retired at the start of the period", "sizes_retired")):
        _, rows = table(ws, title)
        assert list(rows) == [lab["sizes"][k]["label"] for k in shown], title
        for key in shown:
            row, unit = rows[lab["sizes"][key]["label"]], lab["sizes"][key]["unit"]
            assert row[1].value == unit
            # the cell keeps the value to Excel's 15 significant digits (openpyxl writes no more)
            assert [c.value for c in row[2:5]] == pytest.approx([p[part][key] for p in ps], rel=1e-14), (title, key)
            # Excel shows what the HTML writes (fmt.size): counts whole, MW and MWh to 0.01 below 10, 0.1 from 10 up
            assert [number_shows(c.value, c.number_format) for c in row[2:5]] == [fmt.size(p[part][key], unit)
                                                                               for p in ps], (title, key)
    _, service = table(ws, "In service during the period")
    assert [c.value for c in service["Mining containers"][2:5]] == CONTAINERS
    assert [c.number_format for c in service["Battery power"][2:5]] == ["#,##0.00", "#,##0.0", "#,##0.0"]  # 0, 10, 10
    _, retired = table(ws, "Retired at the start of the period")
    assert [c.value for c in retired["Mining containers"][2:5]] == [0.0, 0.0, 70.0]
    # energy: sources, then uses, then the rest; each period's figure; zero throughout left out
    _, energy = table(ws, "Energy, MWh/yr (representative year)")
    nonzero = [k for k, v in summary["energy_mwh"].items() if abs(v) > 1e-6]
    assert sorted(energy) == sorted(lab["energy"][k]["label"] for k in nonzero)
    assert [r[1].value for r in energy.values()] == ["Source", "Source", "Use", "Use", "Use"]  # PV, import | ...
    assert list(energy)[:2] == ["PV", "Grid import"] and list(energy)[-1] == "Curtailed"
    for key in nonzero:
        row = energy[lab["energy"][key]["label"]]
        assert [c.value for c in row[2:5]] == pytest.approx([p["energy_mwh"][key] for p in ps], rel=1e-14)
        assert {c.number_format for c in row[2:5]} == {fmt.XL_MWH}
    # revenue: each stream non-zero in some period, shown as fmt.money writes it
    _, revenue = table(ws, "Revenue (+) and cost (-), representative year")
    streams = [k for k, v in summary["revenue_usd_per_year"].items() if abs(v) > 0.5]
    assert list(revenue) == [lab["streams"][k]["label"] for k in streams]
    for key in streams:
        cells = revenue[lab["streams"][key]["label"]][2:5]
        assert [c.value for c in cells] == pytest.approx([p["revenue_usd_per_year"][key] for p in ps], rel=1e-14)
        assert [excel_shows(c.value, c.number_format) for c in cells] == [fmt.money(c.value) for c in cells]
    # the inputs the periods change: blank where a period keeps the workbook's value
    top, changed = table(ws, "Changed input (blank: workbook value)")
    assert list(changed) == ["mining.hashprice_usd_per_ph_day", "hourly.export_price_usd_per_mwh",
                             "finance.discount_rate"]
    assert [c.value for c in changed["mining.hashprice_usd_per_ph_day"][1:5]] == ["USD/PH/day", None, 55.0, 40.0]
    assert [c.value for c in changed["finance.discount_rate"][2:5]] == [None, None, 0.09]
    assert changed["finance.discount_rate"][4].number_format == fmt.XL_PCT
    assert ws.cell(top, 6).value == "Description" and "Hashprice" in changed["mining.hashprice_usd_per_ph_day"][5].value
    notes = [ws.cell(r, 1).value for r in range(2, table(ws, "Investment period")[0] - 1)]  # a blank row above it
    assert "NPV of the whole plan: 123.4 M USD." in notes and "48 typical days" in " ".join(notes)
    assert notes[-1] == HOSTILE


def test_build_out_charts_one_per_unit_each_series_a_row_of_the_in_service_table(periods_dir):
    folder, summary = periods_dir
    lab = summary["labels"]["sizes"]
    ws = openpyxl.load_workbook(folder / "report.xlsx")[PERIODS_SHEET]
    top, service = table(ws, "In service during the period")
    row_of = {ws.cell(r, 1).value: r for r in range(top + 1, top + 1 + len(service))}
    charts = ws._charts
    bought = summary["capex_by_size_usd"]  # the first size of each decision: what is built
    units = list(dict.fromkeys(lab[k]["unit"] for k in lab if k in bought and any(p["sizes"].get(k)
                                                                                  for p in summary["periods"])))
    assert len(units) >= 3 and "MW_dc" not in units and "PH/s" not in units
    assert [c.y_axis.title.tx.rich.p[0].r[0].t for c in charts] == units
    by_unit = {u: [k for k in lab if lab[k]["unit"] == u and k in summary["sizes"] and k in bought] for u in units}
    for chart, unit in zip(charts, units, strict=True):
        assert chart.tagname == "barChart" and chart.type == "col"
        assert chart.grouping == "stacked" and chart.overlap == 100
        keys = [k for k in by_unit[unit] if any(p["sizes"][k] for p in summary["periods"])]
        assert len(chart.series) == len(keys), unit
        for s, key in zip(chart.series, keys, strict=True):
            r = row_of[lab[key]["label"]]
            assert s.val.numRef.f == f"'{PERIODS_SHEET}'!$C${r}:$E${r}"
            assert s.tx.strRef.f == f"'{PERIODS_SHEET}'!$A${r}" and ws.cell(r, 1).value == lab[key]["label"]
            assert s.cat.numRef.f == f"'{PERIODS_SHEET}'!$C${top}:$E${top}"  # openpyxl's ref for categories
    mw = charts[units.index("MW")]
    assert [ws[s.tx.strRef.f.split("!")[1].replace("$", "")].value for s in mw.series] == [
        "Battery power", "Export line"]  # the import limit is given and the fleet's MW is its containers' power
    for key, values in MW_IN_SERVICE.items():
        assert [ws.cell(row_of[lab[key]["label"]], j).value for j in range(3, 6)] == pytest.approx(values), key
    assert [ws.cell(top, j).value for j in range(3, 6)] == HEADS


def test_periods_sheet_prints_as_the_others_and_holds_no_formula(periods_dir):
    from openpyxl.utils import range_boundaries
    from test_report import page_rows

    folder, _ = periods_dir
    wb = openpyxl.load_workbook(folder / "report.xlsx")
    ws, ref = wb[PERIODS_SHEET], wb["Summary"]
    unc.assert_prints_like(ws, ref)
    _, _, max_col, max_row = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
    assert max_col >= 6  # the three periods and the description column print
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    assert breaks  # the tables and charts take more than the first page
    for chart in ws._charts:  # every chart prints whole on one page
        top = chart.anchor._from.row + 1
        bottom = top + chart.anchor.ext.height / 360000 / 2.54 * 72 / 15.0 - 1  # EMU -> cm -> rows of 15 pt
        assert chart.anchor.ext.height == 6.5 * 360000  # as written (openpyxl reads every chart back as 7.5 cm)
        page_top = max([1] + [b + 1 for b in breaks if b + 1 <= top])
        assert bottom <= max_row + 1 and not [b for b in breaks if top <= b < bottom]
        assert bottom - page_top + 1 <= page_rows(ws)
    # no formula anywhere: the only text starting with "=" is the note quoting it, stored as a string
    starts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert [(c.value, c.data_type) for c in starts] == [(HOSTILE, "s")]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    with zipfile.ZipFile(folder / "report.xlsx") as z:
        sheet_xml = z.read(f"xl/worksheets/sheet{wb.sheetnames.index(PERIODS_SHEET) + 1}.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_cash_flow_sheet_and_chart_span_every_year_of_the_plan(periods_dir):
    """The pro-forma (years 0..20) already spans all three periods; its chart plots every year."""
    folder, _ = periods_dir
    ws = openpyxl.load_workbook(folder / "report.xlsx")["Cash flow"]
    assert [ws.cell(1, j).value for j in (2, 22)] == ["Year 0", "Year 20"] and ws.cell(1, 23).value is None
    (chart,) = ws._charts
    assert chart.series[0].cat.numRef.f.endswith("$B$1:$V$1")  # 21 years: B..V
    page = (folder / "report.html").read_text()
    assert page.count('<title>20: ') == 1 and '<title>0: ' in page  # the HTML's net cash flow bars, years 0..20


# ------------------------------------------------------------------------------------------ report.html

def section(page: str) -> str:
    m = re.search(r"<section id='periods'>.*?</section>", page, re.S)
    assert m, "no periods section"
    return m.group(0)


def html_table(sec: str, id_: str) -> dict[str, list[tuple[str | None, str]]]:
    """First cell -> the (data-value, text) of each numeric cell of one table of the section."""
    body = re.search(rf"<table id='{id_}'[^>]*>(.*?)</table>", sec, re.S).group(1)
    rows = {}
    for tr in re.findall(r"<tr><td>(.*?)</tr>", body, re.S):
        first = re.match(r"(.*?)</td>", tr).group(1)
        rows[first] = re.findall(r"<td class='n'(?: data-value=\"([^\"]*)\")?>([^<]*)</td>", tr)
    return rows


def test_html_section_shows_the_sheets_numbers_rounded_alike_and_nothing_else_changes(base_dir, periods_dir):
    folder, summary = periods_dir
    ps, lab = summary["periods"], summary["labels"]
    page = (folder / "report.html").read_text()
    today = (base_dir / "report.html").read_text()
    assert "id='periods'" not in today
    sec = section(page)
    assert page.replace(sec, "") == today  # the section is all that the periods add
    assert page.index("id='periods'") < page.index("<h2>Cash flow</h2>")
    ws = openpyxl.load_workbook(folder / "report.xlsx")[PERIODS_SHEET]
    for id_, title, part in (("periods-in-service", "In service during the period", "sizes"),
                             ("periods-new", "Built at the start of the period", "sizes_new"),
                             ("periods-retired", "Retired at the start of the period", "sizes_retired")):
        html, (_, sheet) = html_table(sec, id_), table(ws, title)
        assert list(html) == [escape(k) for k in sheet], id_
        for key, meta in lab["sizes"].items():
            if meta["label"] not in sheet:
                continue
            cells = html[escape(meta["label"])]
            assert [float(v) for v, _ in cells] == [p[part][key] for p in ps]  # data-value: the full value
            assert [c.value for c in sheet[meta["label"]][2:5]] == pytest.approx([p[part][key] for p in ps], rel=1e-14)
            assert [t for _, t in cells] == [fmt.size(p[part][key], meta["unit"]) for p in ps]
    assert [t for _, t in html_table(sec, "periods-in-service")["Mining fleet power"]] == ["39.9", "119.6", "49.9"]
    assert [t for _, t in html_table(sec, "periods-in-service")["Battery power"]] == ["0.00", "10.0", "10.0"]
    assert [t for _, t in html_table(sec, "periods-retired")["Mining containers"]] == ["0", "0", "70"]
    over = html_table(sec, "periods-overview")
    assert [t for _, t in over[escape("PV of the period's operating cash flows")]] == ["40.0 M USD", "95.0 M USD",
                                                                                         "150.0 M USD"]
    assert [t for _, t in over["Start year (calendar)"]] == ["2027", "2030", "2035"]
    mining = html_table(sec, "periods-energy")["Mining"]
    assert [t for _, t in mining] == [fmt.count(f * summary["energy_mwh"]["mining"]) for f in ENERGY_FACTOR]
    revenue = html_table(sec, "periods-revenue")
    _, sheet = table(ws, "Revenue (+) and cost (-), representative year")
    for label, cells in sheet.items():  # the text Excel shows is the HTML's
        assert [t for _, t in revenue[escape(label)]] == [excel_shows(c.value, c.number_format) for c in cells[2:5]]
    changed = html_table(sec, "periods-changes")
    assert [t for _, t in changed["finance.<wbr>discount_<wbr>rate"]] == ["9.0 %/yr"]  # fmt.value of a fraction/yr
    # inert: the hostile note is text; the section has no script
    assert "<script" not in page and escape(HOSTILE) in sec
    assert sec.count("<svg") == len(openpyxl.load_workbook(folder / "report.xlsx")[PERIODS_SHEET]._charts) >= 3


def segments(chart: str) -> list[tuple[str, str, float]]:
    """(series, period, height) of every bar segment of one stacked-column SVG."""
    return [(name, period, float(h)) for h, name, period in re.findall(
        r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" fill="[^"]+"><title>(.*?), (\d{4} \([^)]*\)): ',
        chart)]


def test_build_out_svg_bar_heights_are_proportional_to_the_sizes(periods_dir):
    folder, summary = periods_dir
    sec = section((folder / "report.html").read_text())
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", sec, re.S)
    (mw,) = [c for c in charts if 'aria-label="In service: MW"' in c]
    frame = float(re.search(r'<rect class="frame" [^>]*height="([^"]+)"', mw).group(1))
    lab = summary["labels"]["sizes"]
    expected = [(lab[k]["label"], HEADS[i], frame * v / MW_BOUGHT_TALLEST) for i in range(3)
                for k, values in MW_BOUGHT.items() for v in [values[i]] if v > 0]
    seen = segments(mw)
    assert len(seen) == 5  # 2027 has no battery: 1 + 2 + 2 segments
    assert [(n, p) for n, p, _ in sorted(seen)] == [(n, p) for n, p, _ in sorted(expected)]
    assert [h for *_, h in sorted(seen)] == pytest.approx([h for *_, h in sorted(expected)], abs=0.006)  # to 0.01 px
    assert sum(h for _, p, h in seen if p == HEADS[1]) == pytest.approx(frame, abs=0.02)  # the tallest fills the plot
    # the export line of 2027 is 20 of the tallest 30 MW: two thirds of the plot, by hand
    assert dict(((n, p), h) for n, p, h in seen)[("Export line", HEADS[0])] / frame == pytest.approx(2 / 3, abs=1e-4)


def test_stacked_columns_helper_on_a_hand_case():
    """Two periods, two series: columns of 30 and 60 MW; a segment of 20 MW is a third of a 60 MW column."""
    chart = svg.stacked_columns(["2027 (years 1-3)", "2030 (years 4-20)"], {"A <b>": [10.0, 20.0], "B": [20.0, 40.0],
                                                                            "C": [0.0, -5.0]}, "t", "MW")
    frame = float(re.search(r'<rect class="frame" [^>]*height="([^"]+)"', chart).group(1))
    heights = {(n, p[:4]): h for n, p, h in segments(chart)}
    assert set(heights) == {("A &lt;b&gt;", "2027"), ("B", "2027"), ("A &lt;b&gt;", "2030"), ("B", "2030")}
    assert heights[("A &lt;b&gt;", "2030")] == pytest.approx(frame * 20 / 60, abs=0.006)
    assert heights[("B", "2027")] == pytest.approx(frame * 20 / 60, abs=0.006)
    assert heights[("A &lt;b&gt;", "2027")] == pytest.approx(frame * 10 / 60, abs=0.006)
    assert heights[("A &lt;b&gt;", "2030")] + heights[("B", "2030")] == pytest.approx(frame, abs=0.01)
    assert "<b>" not in chart and ">60.0</text>" in chart  # the axis top is the tallest column, as fmt.size writes it


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/test.sh installs it)")
def test_html_section_in_headless_chromium_runs_nothing_and_reads_the_figures(periods_dir):
    folder, _ = periods_dir
    seen = open_in_chromium(folder / "report.html", inspect=lambda page: page.text_content("#periods-overview"))
    assert seen.errors == [] and seen.dialogs == [] and seen.pwned == "undefined"
    assert seen.requests == [seen.url]
    assert "150.0 M USD" in seen.inspected and "2035 (years 9-20)" in seen.inspected
    assert HOSTILE in seen.text
