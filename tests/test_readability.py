"""A report a partner can read (issue 14, item 5): human labels from one table, rounded numbers, and charts
only for what the plan contains, in report.html, report.xlsx, the terminal and the sensitivity page."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import small_scenario

from planner import fmt, technologies
from planner.labels import Labels
from planner.report import write_reports
from planner.results import labels as label_table
from planner.run import optimise, write_outputs
from planner.scenario.scenario import Scenario
from planner.sensitivity_report import write_sensitivity
from planner.solve import SolveOptions

# ------------------------------------------------------------------------------ formatting, by hand


@pytest.mark.parametrize(("x", "text"), [
    (239353495.47129598, "239.4 M USD"),  # the objective
    (-83637222.4, "-83.6 M USD"),
    (999_960.0, "1.0 M USD"),
    (45210.0, "45.2 k USD"),
    (-68841.2, "-68.8 k USD"),
    (812.4, "812 USD"),
    (-0.3, "0 USD"),  # no "-0"
    (12_345_678_901.0, "12.3 B USD"),
    (None, "n/a"),
    (float("nan"), "n/a"),
])
def test_money_in_prose_is_to_a_tenth_of_a_million(x, text):
    assert fmt.money(x) == text


def test_money_per_year_and_other_rounding_by_hand():
    assert fmt.money(22425600.00000001, "/yr") == "22.4 M USD/yr"
    assert fmt.seconds(32.17961991100003) == "32.2 s"  # the solve time
    assert fmt.seconds(0.034) == "0.0 s"
    assert fmt.percent(0.13712) == "13.7 %"
    assert fmt.percent(-0.0004) == "0.0 %"
    assert fmt.gap(4.9e-7) == "0.00 %" and fmt.gap(0.01234) == "1.23 %" and fmt.gap(None) == "n/a"
    assert fmt.years(7.0815) == "7.1 years"
    assert fmt.energy(18221.37) == "18,221 MWh"
    assert fmt.energy(1234567.4, "MWh/yr") == "1,234,570 MWh/yr"  # whole MWh, at most 6 significant digits
    assert fmt.count(1600.0) == "1,600"


@pytest.mark.parametrize(("x", "unit", "text"), [
    (7843.137254901962, "GPUs", "7,843"),  # the fractional GPUs: a count is a whole number
    (118.0, "containers", "118"),
    (2.0, "blocks", "2"),
    (3.046044551854198, "MW_ac", "3.05"),
    (163.34413909318135, "MW_ac", "163.3"),
    (129.4403199266038, "MWh", "129.4"),
    (7637.540453074433, "PH/s", "7,637.5"),
])
def test_sizes_have_sensible_digits_per_unit(x, unit, text):
    assert fmt.size(x, unit) == text


@pytest.mark.parametrize(("x", "unit", "text"), [
    (0.15, "fraction/yr", "15.0 %/yr"),
    (0.08, "fraction", "8.0 %"),
    (27.46222449304852, "USD/MWh", "27.5 USD/MWh"),
    (2.0, "USD/GPU-h", "2.00 USD/GPU-h"),
    (1.3, "ratio", "1.3 ratio"),
    (53.06, "kgCO2/MMBtu", "53.06 kgCO2/MMBtu"),
    (0.919, "", "0.919"),
    (2027.0, "year", "2027"),
    (2028.3, "year", "2028.3"),
    (True, "yes/no", "yes"),
    (20, "years", "20.0 years"),
    (1600, "GPUs", "1,600 GPUs"),
    (-3691577.543505899, "USD/yr", "-3.7 M USD/yr"),
])
def test_value_writes_each_unit_the_way_a_person_reads_it(x, unit, text):
    assert fmt.value(x, unit) == text


def test_round_significant_and_excel_formats():
    assert fmt.round_significant(1234567.4) == 1234570.0
    assert fmt.round_significant(0.000123456789) == pytest.approx(0.000123457)
    assert fmt.round_significant(0.0) == 0.0
    assert fmt.excel_format("USD") == fmt.XL_MUSD and fmt.excel_format("GPUs") == "#,##0"
    assert fmt.excel_format("MW", 3.2) == "#,##0.00" and fmt.excel_format("MW", 32.0) == "#,##0.0"


# ------------------------------------------------------------------------------ real runs and their reports


def scenario(mining: bool, ai: bool = True, battery: bool = True, flat_price: float | None = None) -> Scenario:
    """The report fixture's site (tests/test_report.py): PV, a battery it does not build, grid, AI, mining."""
    n = 72
    h = np.arange(n) % 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None)
    price = np.where((h >= 17) & (h <= 21), 120.0, 25.0) if flat_price is None else np.full(n, flat_price)
    sc = small_scenario(n, pv_cf=pv, export_price_usd_per_mwh=price, import_price_usd_per_mwh=price + 10,
                        ai_utilisation=0.8)
    sc.site.name = "readable"
    sc.pv.enabled, sc.battery.enabled, sc.ai.enabled, sc.mining.enabled = True, battery, ai, mining
    sc.pv.capex_usd_per_kw_ac = 500.0
    sc.grid.connected, sc.grid.import_limit_mw, sc.grid.max_new_export_mw = True, 5.0, 20.0
    sc.ai.max_new_blocks = 2
    sc.mining.hashprice_usd_per_ph_day, sc.mining.network_hashrate_growth_per_year = 80.0, 0.0
    return sc


PLANS = {"mining": dict(mining=True), "no_mining": dict(mining=False),
         "pv_grid_only": dict(mining=False, ai=False, battery=False, flat_price=60.0)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[object, Path]]:
    out = {}
    for name, kw in PLANS.items():
        result = optimise(scenario(**kw), SolveOptions(mip_gap=1e-6))
        folder = tmp_path_factory.mktemp(name) / "out"
        write_outputs(result, folder, extra_writers=[lambda _r, f: write_reports(f)])
        out[name] = (result, folder)
    return out


class Page(HTMLParser):
    """The visible text of a page outside its data tables (<table class="data">), and every table by id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: set[str] = set()
        self._skip: list[str] = []  # open elements whose text is not checked
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("style", "script") or (tag == "table" and "data" in (a.get("class") or "").split()):
            self._skip.append(tag)
        elif tag == "table":
            self._table = a.get("id", f"table{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None and not self._skip:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None and not self._skip:
            self._cell = []

    def handle_endtag(self, tag):
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def visible(self) -> str:
        return "\n".join(self.text)


NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d,]*(?:\.\d+)?(?!\w)")


def significant_digits(token: str) -> int:
    """Significant digits of a number as written: '239.4' 4, '0.005' 1, '20,000' 2, '1,234,570' 6."""
    t = token.lstrip("+-").replace(",", "")
    return len(t.replace(".", "").lstrip("0")) if "." in t else len(t.lstrip("0").rstrip("0"))


def test_significant_digits_counts_by_hand():
    assert [significant_digits(t) for t in ("239.4", "0.005", "20,000", "1,234,570", "-83.6", "0.00", "2027")] == \
        [4, 1, 1, 6, 3, 0, 4]
    assert NUMBER.findall("d1 00h 13.7 % 1,600 GPUs abc123 2013-01-01") == ["13.7", "1,600", "2013", "01", "01"]


@pytest.mark.parametrize("plan", list(PLANS))
def test_item5_no_number_outside_data_tables_has_more_than_6_significant_digits(runs, plan):
    result, folder = runs[plan]
    page = Page((folder / "report.html").read_text())
    text = page.visible
    numbers = NUMBER.findall(text)
    assert len(numbers) > 50  # KPIs, build, energy, charts, solver statistics
    too_long = [t for t in numbers if significant_digits(t) > fmt.SIGNIFICANT]
    assert too_long == []
    assert not re.search(r"\d[eE][-+]?\d", text)  # no float in exponent notation either
    summary = json.loads((folder / "summary.json").read_text())
    for raw in (summary["npv_usd"], summary["solver"]["seconds"], summary["solver"]["objective"], summary["irr"],
                summary["capex_usd"], summary["lcoe_usd_per_mwh"]):
        assert repr(raw) not in text  # the raw floats are gone
    assert fmt.money(summary["npv_usd"]) in text and fmt.seconds(summary["solver"]["seconds"]) in text
    # the data tables are there, in full, and marked
    html = (folder / "report.html").read_text()
    assert "<table class='data' id='assumptions'>" in html and "discount_rate" in html


@pytest.mark.parametrize("plan", list(PLANS))
def test_item5_every_label_in_the_build_and_energy_tables_comes_from_the_label_table(runs, plan):
    result, folder = runs[plan]
    summary = json.loads((folder / "summary.json").read_text())
    table = Labels(summary["labels"])
    page = Page((folder / "report.html").read_text())
    build = [row for row in page.tables["build"] if row and row[0] != "Item"]  # item, existing, new, total, unit
    energy = [row for row in page.tables["energy"] if row and row[1] != "Energy"]
    built = {k: v for k, v in summary["sizes"].items() if abs(v) > 1e-9}
    assert [row[0] for row in build] == [table.label("sizes", k) for k in built]
    assert [row[4] for row in build] == [table.unit("sizes", k) for k in built]
    assert [row[3] for row in build] == [fmt.size(v, table.unit("sizes", k)) for k, v in built.items()]
    assert energy and {row[1] for row in energy} <= table.labels("energy")
    assert {table.label("energy", k) for k, v in summary["energy_mwh"].items() if abs(v) > 1e-6} == \
        {row[1] for row in energy}
    # no internal name is a label: every label of these tables differs from its key and has no underscore
    assert all("_" not in row[0] for row in build) and all("_" not in row[1] for row in energy)
    # the same in report.xlsx: the Summary's build and energy rows carry the table's labels
    ws = openpyxl.load_workbook(folder / "report.xlsx")["Summary"]
    col_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    start, end = col_a.index("Build") + 1, col_a.index("Energy by use")
    assert col_a[start:start + len(built)] == [table.label("sizes", k) for k in built]
    uses = col_a[end + 1:col_a.index("Key assumption") - 1]
    assert uses and set(uses) <= table.labels("energy")
    assert set(col_a[start:start + len(built)]) <= table.all_labels()


def test_every_key_the_summary_holds_has_a_label(runs):
    result, folder = runs["mining"]
    summary = json.loads((folder / "summary.json").read_text())
    table = Labels(summary["labels"])
    cash = pd.read_csv(folder / "cashflow.csv", index_col=0)
    wanted = [("sizes", k) for k in summary["sizes"]] + [("energy", k) for k in summary["energy_mwh"]]
    wanted += [("streams", k) for k in summary["revenue_usd_per_year"]]
    wanted += [("capacity_factors", k) for k in summary["capacity_factors"]]
    wanted += [("technologies", k) for k in summary["capex_by_technology_usd"]]
    wanted += [("cashflow", k) for k in cash.index] + [("solver", k) for k in summary["solver"]]
    wanted += [("sizes", k) for k in summary["marginal_units_npv_change_usd"]]
    wanted += [("summary", k) for k, v in summary.items() if not isinstance(v, (dict, list))]
    assert len(wanted) > 60
    assert [w for w in wanted if not table.has(*w)] == []
    assert table.label("cashflow", "capex_mining") == "Capex: Bitcoin mining"
    assert table.label("assumptions", "finance.discount_rate") == "Real project discount rate"
    assert table.unit("assumptions", "finance.discount_rate") == "fraction/yr"


def test_every_technology_declaration_has_its_label_in_the_table():
    """Generic over the registry: sizes, flows, capex rows, capacity factors and extra figures."""
    sc = small_scenario(24, gas_supply_mmbtu_per_h=10.0)
    table = Labels(label_table(sc, {}))
    d = pd.DataFrame({"weight": np.ones(24), **{f.column: np.zeros(24) for f in technologies.all_flows()}})
    for t in technologies.REGISTRY:
        assert all(table.has("sizes", s.key) for s in t.sizes), t.name
        assert all(table.has("columns", f.column) for f in t.flows), t.name
        assert all(table.has("energy", f.energy_key) for f in t.flows if f.energy_key), t.name
        assert all(table.has("capacity_factors", c.key) for c in t.capacity_factors), t.name
        assert table.has("cashflow", f"capex_{t.name}") and table.has("technologies", t.name)
        figures = {f.key for f in t.figures}
        if t.extra_energy is not None:
            assert set(t.extra_energy(d)) <= figures and all(table.has("energy", k) for k in t.extra_energy(d))
        emitted = set()
        if t.emissions is not None:
            e = t.emissions(sc, d)
            emitted = set(e.emitted) | set(e.avoided)
            assert emitted <= figures and all(table.has("emissions", k) for k in emitted), t.name
        if t.report is not None:
            report = set(t.report(sc, d))
            assert report | emitted == figures and all(table.has(t.name, k) for k in report), t.name


def chart_series_titles(ws) -> list[str]:
    out = []
    for ch in ws._charts:
        for s in ch.series:
            if s.tx is not None and s.tx.v is not None:
                out.append(s.tx.v)
            elif s.tx is not None and s.tx.strRef is not None:
                ref = s.tx.strRef.f.split("!")[1].replace("$", "")
                out.append(ws[ref].value)
    return out


def test_item5_a_plan_without_mining_has_no_mining_heat_map_series_or_kpi(runs):
    _, folder = runs["no_mining"]
    html = (folder / "report.html").read_text()
    page = Page(html)
    assert "kpi-mining" not in page.ids and "kpi-ai" in page.ids
    assert not re.search("mining", page.visible, re.IGNORECASE)  # no heat map, legend, bar, row or card
    assert "Mining" in html  # only in the assumptions data table (the Mining sheet's inputs)
    wb = openpyxl.load_workbook(folder / "report.xlsx")
    for name in ("Summary", "Sizing", "Revenue and cost", "Monthly energy", "Typical weeks", "Assumptions", CASHFLOW):
        ws = wb[name]
        cells = [str(c.value) for row in ws.iter_rows(max_row=60) for c in row if c.value is not None]
        assert not any("mining" in c.lower() for c in cells), name
        assert not any("mining" in t.lower() for t in chart_series_titles(ws)), name
    split = wb["Monthly energy"]._charts[1]
    assert len(split.series) == 1 and split.title.tx.rich.p[0].r[0].t == "AI data centre: energy by month"
    # the same plan with mining draws the mining heat map, its series and its card
    _, with_mining = runs["mining"]
    page = Page((with_mining / "report.html").read_text())
    assert "kpi-mining" in page.ids and "Mining load, hour of day x day of year" in page.visible
    assert "Mining" in chart_series_titles(openpyxl.load_workbook(with_mining / "report.xlsx")["Typical weeks"])


CASHFLOW = "Cash flow"


def test_item5_nothing_is_drawn_for_what_the_plan_does_not_build(runs):
    """The battery is enabled but not built; AI and mining are left out of one plan altogether."""
    result, folder = runs["mining"]
    assert result.sizes["battery_mw"] == 0 and result.sizes["battery_mwh"] == 0
    page = Page((folder / "report.html").read_text())
    assert "Battery" not in page.visible  # no build row, no stream row, no series, no energy row
    wb = openpyxl.load_workbook(folder / "report.xlsx")
    for name in ("Summary", "Sizing", "Revenue and cost", "Monthly energy", "Typical weeks", "Assumptions", CASHFLOW):
        cells = [str(c.value) for row in wb[name].iter_rows(max_row=60) for c in row if c.value is not None]
        assert not any("Battery" in c for c in cells), name
    # PV and grid only: no headline-load chart, card, or heat map; the KPIs of the plan are all there
    _, plain = runs["pv_grid_only"]
    page = Page((plain / "report.html").read_text())
    assert {"kpi-npv", "kpi-irr", "kpi-capex", "kpi-payback", "kpi-lcoe"} <= page.ids
    assert not {"kpi-ai", "kpi-mining"} & page.ids
    assert "load, hour of day" not in page.visible  # the flexible loads' heat maps
    assert len(openpyxl.load_workbook(plain / "report.xlsx")["Monthly energy"]._charts) == 1  # uses, no split


def test_item5_data_sheets_keep_full_precision_and_prose_cells_show_rounded_formats(runs):
    result, folder = runs["mining"]
    summary = json.loads((folder / "summary.json").read_text())
    wb = openpyxl.load_workbook(folder / "report.xlsx")
    ws = wb["Summary"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    npv = cells["NPV (optimiser)"]
    # full values (openpyxl writes a float to 16 significant digits), shown rounded by the number format
    assert npv.value == pytest.approx(summary["npv_usd"], rel=1e-15) and npv.number_format == fmt.XL_MUSD
    assert cells["Solve time"].value == pytest.approx(summary["solver"]["seconds"], rel=1e-15)
    assert cells["Solve time"].number_format == '0.0" s"'
    assert cells["GPUs"].number_format == "#,##0" and cells["Mining containers"].number_format == "#,##0"
    cf = wb[CASHFLOW]
    rows = {cf.cell(r, 1).value: r for r in range(1, cf.max_row + 1)}
    cash = pd.read_csv(folder / "cashflow.csv", index_col=0)
    assert [cf.cell(rows["Net cash flow"], j).value for j in range(2, 2 + len(cash.columns))] == \
        list(cash.loc["net_cash_flow"])
    weeks = wb["Typical weeks"]
    header = next([c.value for c in row] for row in weeks.iter_rows() if row[0].value == "Hour starting (local "
                  "standard time)")
    assert header[:2] == ["Hour starting (local standard time)", "PV (MW)"]


def test_item5_the_terminal_summary_uses_the_same_labels_and_rounding(runs, capsys, tmp_path):
    from planner.cli import _print_summary

    result, _ = runs["mining"]
    _print_summary(result, tmp_path)
    out = capsys.readouterr().out
    table = Labels(result.labels)
    assert f"NPV {fmt.money(result.npv_usd)}" in out and fmt.seconds(result.solver.seconds) in out
    assert repr(result.npv_usd) not in out and repr(result.solver.seconds) not in out
    for key in ("mining_containers", "ai_gpus", "pv_mw_ac"):
        unit = table.unit("sizes", key)
        # label, then existing, new and total, then the unit
        assert re.search(rf"{re.escape(table.label('sizes', key))}\s+\S+\s+\S+\s+"
                         rf"{re.escape(fmt.size(result.sizes[key], unit))} {re.escape(unit)}", out), key
    assert f"{table.label('energy', 'mining')} {fmt.count(result.energy_mwh['mining'])}" in out
    assert "mining_containers" not in out and "ai_gpus" not in out


def test_item5_sensitivity_page_rounds_what_it_states_and_marks_its_data_tables(tmp_path):
    tornado = pd.DataFrame({"parameter": ["finance.discount_rate"], "low": [0.05], "high": [0.12], "base": [0.08],
                            "npv_low_usd": [261234567.891], "npv_high_usd": [198765432.109], "swing_usd": [62469135.78],
                            "build_changes": [""], "failed": [""], "note": ["range"]})
    extra = {"monte_carlo": {"samples_ok": 40, "samples_failed": 0, "npv_p10_usd": 180123456.789,
                             "npv_p50_usd": 230987654.321, "npv_p90_usd": 280555555.555, "npv_mean_usd": 231234567.9,
                             "probability_of_loss": 0.025},
             "breakeven": {"parameter": "mining.hashprice_usd_per_ph_day", "condition": "mining_containers>0",
                           "threshold": 57.123456789, "tolerance": 0.5, "evaluations": 9, "message": "flips"}}
    out = write_sensitivity(tmp_path / "sens", {"site": "s", "npv_usd": 239353495.47129598}, tornado,
                            {"tornado": tornado}, extra)
    page = Page((out / "sensitivity.html").read_text())
    numbers = NUMBER.findall(page.visible)
    assert numbers and [t for t in numbers if significant_digits(t) > fmt.SIGNIFICANT] == []
    assert "239.4 M USD" in page.visible and "230.9 M USD" not in page.visible and "231.0 M USD" in page.visible
    assert "2.5 %" in page.visible and "Probability of a loss (NPV < 0)" in page.visible
    assert "samples_ok" not in page.visible and "npv_p50_usd" not in page.visible
    assert "<table border=\"1\" class=\"dataframe data\">" in (out / "sensitivity.html").read_text()
    assert math.isclose(float(re.search(r"id='npv_p50_usd' data-value='([^']+)'",
                                        (out / "sensitivity.html").read_text()).group(1)), 230987654.321)
