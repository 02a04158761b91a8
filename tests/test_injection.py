"""Text a user typed never becomes a live formula (issue 15, item 6) nor live markup (item 7).

A real workbook carries hostile text in every free-text field (site name, description, Sources rows,
Sensitivity notes, and warnings that quote what the user typed); `planner run` and `planner sensitivity`
run on it for real. Every output a partner might open is then checked: the Excel files hold no formula
cell except the report's live NPV and IRR (checked through openpyxl and, independently, in the sheet XML),
every CSV text cell is neutralised the way OWASP recommends, and the HTML shows the text as text.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import CHROMIUM, open_in_chromium

from planner.paths import REPO_ROOT
from planner.report.excel import ASSUMPTIONS_SHEET, CASHFLOW_SHEET
from planner.safe_text import FORMULA_TRIGGERS, csv_safe, write_csv
from planner.scenario.reader import read_workbook
from planner.scenario.scenario import SensitivityRow
from planner.scenario.template import template_scenario, write_workbook
from planner.sensitivity_report import write_sensitivity

# one of each prefix a spreadsheet reads as a formula, the two classic payloads, and an error code
HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
HOSTILE = ["=1+2", "+1+2", "-1+2", "@SUM(1,2)", "\t=1+2", "\r=1+2", HYPERLINK, DDE, "#N/A"]
SITE_NAME = "=1+2"  # a site name may not contain / : " < > | (it names the output folder), so no HYPERLINK here
DESCRIPTION = HYPERLINK
EXTRA_SHEET = "=SUM(1,2)"  # the reader warns "=SUM(1,2): sheet is not used by the planner (ignored)"
UNKNOWN_FIELD = "@SUM(1,2)"  # "Site!A..: unknown field '@SUM(1,2)' is ignored"
SENSITIVITY = [("finance.discount_rate", 0.05, 0.12, DDE), ("pv.capex_usd_per_kw_ac", 200.0, 300.0, "-1+2")]
SOURCES = [(HOSTILE[i], HOSTILE[-1 - i]) for i in range(len(HOSTILE))]


def stored(text: str) -> str:
    """What an .xlsx string cell holds: XML reads a bare carriage return as a line feed."""
    return text.replace("\r", "\n")


def text_cell(cell, text: str) -> None:
    """What Excel stores when a user types text that looks like a formula (a string cell, not a formula)."""
    cell.value = text
    cell.data_type = "s"


def field_row(ws, name: str) -> int:
    return next(r[0].row for r in ws.iter_rows(min_row=1, max_col=1) if r[0].value == name)


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    """A small full-year site (PV and a grid line: an LP) with hostile text in every free-text field."""
    sc = template_scenario()
    for t in (sc.wind, sc.gas, sc.hydro, sc.geothermal, sc.nuclear, sc.battery, sc.site_load, sc.ai, sc.mining):
        t.enabled = False
    sc.pv.enabled, sc.pv.capex_usd_per_kw_ac, sc.pv.max_new_mw_ac = True, 250.0, 10.0
    sc.grid.connected, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = True, 10.0, 0.0
    sc.sensitivity, sc.sources = [], []
    path = write_workbook(sc, tmp_path_factory.mktemp("book") / "hostile.xlsx")
    wb = openpyxl.load_workbook(path)
    site = wb["Site"]
    text_cell(site.cell(field_row(site, "name"), 3), SITE_NAME)
    text_cell(site.cell(field_row(site, "description"), 3), DESCRIPTION)
    text_cell(site.cell(site.max_row + 1, 1), UNKNOWN_FIELD)
    for i, (item, src) in enumerate(SOURCES, start=2):
        text_cell(wb["Sources"].cell(i, 1), item)
        text_cell(wb["Sources"].cell(i, 2), src)
    for i, (name, lo, hi, note) in enumerate(SENSITIVITY, start=2):
        ws = wb["Sensitivity"]
        ws.cell(i, 1, name), ws.cell(i, 2, lo), ws.cell(i, 3, hi), ws.cell(i, 4, "uniform")
        text_cell(ws.cell(i, 7), note)
    text_cell(wb.create_sheet(EXTRA_SHEET).cell(1, 1), DDE)
    wb.save(path)
    return path


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT)


@pytest.fixture(scope="module")
def run_dir(hostile_book, tmp_path_factory) -> Path:
    """`planner run` on the hostile workbook, into a folder chosen with -o."""
    out = tmp_path_factory.mktemp("run") / "out"
    r = cli("run", str(hostile_book), "-o", str(out), "--gap", "1e-6")
    assert r.returncode == 0, r.stdout + r.stderr
    return out


@pytest.fixture(scope="module")
def sens_dir(hostile_book, tmp_path_factory) -> Path:
    """`planner sensitivity --tornado` on the hostile workbook (two rows with hostile notes)."""
    out = tmp_path_factory.mktemp("sens") / "out"
    r = cli("sensitivity", str(hostile_book), "--tornado", "-o", str(out), "--gap", "1e-6")
    assert r.returncode == 0, r.stdout + r.stderr
    return out


# ------------------------------------------------------------------------------------------ checks

def xml_formulas(path: Path) -> dict[str, list[str]]:
    """Every <f> element of every worksheet, read from the zip itself (independent of openpyxl's reader)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                found = re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>|<f(?:\s[^>]*)?/>", z.read(name).decode())
                if found:
                    out[name] = found
    return out


def xml_error_cells(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(len(re.findall(r'<c [^>]*t="e"', z.read(n).decode())) for n in z.namelist()
                   if n.startswith("xl/worksheets/"))


def formula_cells(wb) -> dict[tuple[str, str], str]:
    """Every formula cell of a workbook (loaded with data_only=False): (sheet, cell) -> formula."""
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"}


def cell_texts(wb) -> dict[str, list[str]]:
    """Every string cell's text, sheet by sheet (asserting no cell is an error code)."""
    out = {}
    for ws in wb.worksheets:
        cells = [c for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "e"], ws.title
        out[ws.title] = [c.value for c in cells if c.data_type == "s" and c.value is not None]
    return out


def csv_text_cells(path: Path) -> list[str]:
    """The CSV's fields that a spreadsheet would not read as a number."""
    out = []
    with open(path, newline="") as f:
        for row in csv.reader(f):
            for v in row:
                try:
                    float(v)
                except ValueError:
                    out.append(v)
    return out


def neutral(text: str) -> bool:
    """A CSV text cell a spreadsheet will not read as a formula."""
    return not text or text.lstrip(" ")[:1] not in FORMULA_TRIGGERS


# ------------------------------------------------------------------------------------------- item 6

def test_item6_report_xlsx_has_no_formula_but_the_live_npv_and_irr(run_dir):
    path = run_dir / "report.xlsx"
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["site"] == SITE_NAME and summary["npv_usd"] > 0
    assert any(w.startswith(f"{EXTRA_SHEET}: sheet is not used") for w in summary["warnings"])
    assert any(f"unknown field {UNKNOWN_FIELD!r}" in w for w in summary["warnings"])
    # through openpyxl: the known formula cells of the cash-flow sheet, and the live model of the Assumptions sheet,
    # every one of which is built of cell references, numbers and NPV/IRR/SUM only (no text at all)
    wb = openpyxl.load_workbook(path, data_only=False)
    cf = wb[CASHFLOW_SHEET]
    labels = {cf.cell(r, 1).value: r for r in range(1, cf.max_row + 1)}
    npv, irr = labels["NPV (Excel formula)"], labels["IRR (Excel formula)"]
    found = formula_cells(wb)
    # and the investment's NPV and IRR over the do-nothing baseline (its IRR only where it has one)
    inv = [labels["Investment NPV (Excel formula)"]] + (
        [labels["Investment IRR (Excel formula)"]] if summary["investment"]["irr"] is not None else [])
    live = {k: v for k, v in found.items() if k[0] == ASSUMPTIONS_SHEET}
    assert set(found) - set(live) == {(CASHFLOW_SHEET, f"B{row}") for row in [npv, irr, *inv]}
    assert len(live) > 50
    only_refs = re.compile(r"=(?:NPV|IRR|SUM|[A-Z]{1,3}\$?\d+|\$[A-Z]{1,3}\$?\d+|[0-9.]+|[-+*/(),:])+")
    assert all(only_refs.fullmatch(f) for f in live.values()), [f for f in live.values() if not only_refs.fullmatch(f)]
    assert found[(CASHFLOW_SHEET, f"B{npv}")].startswith("=NPV(") and found[(CASHFLOW_SHEET, f"B{irr}")].startswith(
        "=IRR(")
    # in the XML itself: those <f> elements, in the two sheets, and no error-code cells
    xml = xml_formulas(path)
    assert sorted(f for fs in xml.values() for f in fs) == sorted(v[1:] for v in found.values())
    assert len(xml) == 2 and xml_error_cells(path) == 0
    # every hostile text is in the workbook, as the very text the user typed
    texts = cell_texts(wb)
    assert f"Site investment plan: {SITE_NAME}" in texts["Summary"] and DESCRIPTION in texts["Summary"]
    for item, src in SOURCES:
        assert stored(item) in texts["Inputs"] and stored(src) in texts["Inputs"]
    assert SITE_NAME in texts["Inputs"] and DESCRIPTION in texts["Inputs"]
    assert all(w in texts["Summary"] for w in summary["warnings"])
    # and the plan's two formulas are live: a formula engine computes the planner's NPV and IRR from the sheet
    import formulas

    net = [cf.cell(labels["Net cash flow"], j).value for j in range(2, cf.max_column + 1)]
    rate = cf.cell(labels["discount rate"], 2).value
    assert found[(CASHFLOW_SHEET, f"B{npv}")] == (f"=NPV($B${labels['discount rate']},C{labels['Net cash flow']}:"
                                                  f"{openpyxl.utils.get_column_letter(cf.max_column)}"
                                                  f"{labels['Net cash flow']})+B{labels['Net cash flow']}")
    value = formulas.Parser().ast("=NPV(A1,B1:U1)+C1")[1].compile()(rate, [net[1:]], net[0])
    assert float(value) == pytest.approx(summary["proforma_npv_usd"], abs=0.005 * len(net))  # cents in cashflow.csv
    assert float(formulas.Parser().ast("=IRR(A1:U1)")[1].compile()([net])) == pytest.approx(summary["irr"], rel=1e-6)


def test_item6_run_csvs_neutralise_text_and_keep_numbers_numeric(run_dir):
    for name in ("dispatch.csv", "cashflow.csv"):
        texts = csv_text_cells(run_dir / name)
        assert texts and all(neutral(t) for t in texts), name
    cash = pd.read_csv(run_dir / "cashflow.csv", index_col=0)
    assert all(pd.api.types.is_float_dtype(cash[c]) for c in cash.columns)
    assert (cash.to_numpy() < 0).any()  # negative amounts are numbers, not neutralised text
    dispatch = pd.read_csv(run_dir / "dispatch.csv", parse_dates=["timestamp"])
    assert len(dispatch) == 8760 and all(pd.api.types.is_float_dtype(dispatch[c]) for c in dispatch.columns[1:])


def test_item6_report_html_shows_the_text_escaped(run_dir):
    from html import escape

    page = (run_dir / "report.html").read_text()
    for text in (DESCRIPTION, DDE, *[w for w in json.loads((run_dir / "summary.json").read_text())["warnings"]]):
        assert escape(text) in page


def test_item6_sensitivity_outputs_keep_hostile_notes_as_text(sens_dir):
    tornado = pd.read_csv(sens_dir / "tornado.csv")
    notes = dict(zip(tornado["parameter"], tornado["note"], strict=True))
    assert notes == {name: csv_safe(note) for name, _, _, note in SENSITIVITY}
    assert notes["finance.discount_rate"] == "'" + DDE
    for name in ("tornado.csv", "cases.csv"):
        assert all(neutral(t) for t in csv_text_cells(sens_dir / name)), name
    assert pd.api.types.is_float_dtype(tornado["npv_low_usd"]) and tornado["npv_low_usd"].notna().all()
    path = sens_dir / "sensitivity.xlsx"
    wb = openpyxl.load_workbook(path)
    assert formula_cells(wb) == {} and xml_formulas(path) == {} and xml_error_cells(path) == 0
    texts = cell_texts(wb)
    assert {note for *_, note in SENSITIVITY} <= set(texts["Tornado"])
    assert json.loads((sens_dir / "sensitivity.json").read_text())["base"]["site"] == SITE_NAME


def test_item6_sensitivity_writer_keeps_any_label_and_reason_as_text(tmp_path):
    """Labels and failure reasons are text whatever they hold; numbers, negative ones too, stay numbers."""
    cases = pd.DataFrame({"id": range(len(HOSTILE)), "label": HOSTILE, "status": "failed",
                          "reason": list(reversed(HOSTILE)), "npv_usd": [-1.5e6 * (i + 1) for i in range(len(HOSTILE))],
                          "param:finance.discount_rate": [None] + [0.05] * (len(HOSTILE) - 1)})
    sweep = cases.assign(label=[f"{t} sweep" for t in HOSTILE])
    out = write_sensitivity(tmp_path / "sens", {"site": SITE_NAME, "npv_usd": 1.0}, cases, {"sweep": sweep}, {})
    wb = openpyxl.load_workbook(out / "sensitivity.xlsx")
    assert formula_cells(wb) == {} and xml_formulas(out / "sensitivity.xlsx") == {}
    texts = cell_texts(wb)
    assert {stored(t) for t in HOSTILE} <= set(texts["Cases"])
    assert {stored(f"{t} sweep") for t in HOSTILE} <= set(texts["Sweep"])
    assert [wb["Cases"].cell(r, 5).value for r in range(2, 2 + len(HOSTILE))] == list(cases["npv_usd"])
    assert wb["Cases"].cell(2, 5).data_type == "n"
    back = pd.read_csv(out / "cases.csv", keep_default_na=False, na_values=[""])  # "#N/A" is a label here
    assert list(back["label"]) == [csv_safe(t) for t in HOSTILE] and list(back["npv_usd"]) == list(cases["npv_usd"])
    assert all(neutral(t) for t in csv_text_cells(out / "cases.csv"))


def test_item6_written_workbook_keeps_text_as_text_and_reads_back_the_same(hostile_book, tmp_path):
    sc = read_workbook(hostile_book)
    assert sc.site.description == DESCRIPTION and sc.sources == [(stored(a), stored(b)) for a, b in SOURCES]
    assert [r.note for r in sc.sensitivity] == [n for *_, n in SENSITIVITY]
    sc.sensitivity.append(SensitivityRow("ai.pue", 1.1, 1.3, "uniform", "\r=1+2"))
    path = write_workbook(sc, tmp_path / "again.xlsx")
    assert formula_cells(openpyxl.load_workbook(path)) == {} and xml_error_cells(path) == 0
    assert xml_formulas(path) == {}  # the drop-down lists are <formula1> of data validations, not cells
    back = read_workbook(path)
    assert (back.site.name, back.site.description, back.sources) == (SITE_NAME, DESCRIPTION, sc.sources)
    assert [r.note for r in back.sensitivity] == [stored(r.note) for r in sc.sensitivity]


def test_item6_put_stores_any_text_as_text_and_formula_only_writes_formulas(tmp_path):
    from planner.safe_text import cells, formula, put

    wb = openpyxl.Workbook()
    ws = wb.active
    for i, text in enumerate(HOSTILE, start=1):
        put(ws, i, 1, text)
    put(ws, 1, 2, -5.5), put(ws, 2, 2, None)
    put(ws, 3, 2, "vertical\x0btab")  # XML cannot hold it: written as Excel's escape, not an error
    ws.append(cells(ws, [DDE, -1.0, None]))
    formula(ws, 1, 3, "=SUM(B1:B2)")
    with pytest.raises(ValueError):
        formula(ws, 2, 3, "SUM(B1:B2)")
    wb.save(tmp_path / "t.xlsx")
    back = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [(back.cell(i, 1).value, back.cell(i, 1).data_type) for i in range(1, len(HOSTILE) + 1)] == [
        (stored(t), "s") for t in HOSTILE]
    assert (back.cell(1, 2).value, back.cell(1, 2).data_type, back.cell(2, 2).value) == (-5.5, "n", None)
    assert back.cell(3, 2).value == "vertical_x000b_tab"
    row = len(HOSTILE) + 1
    assert [back.cell(row, j).value for j in (1, 2, 3)] == [DDE, -1.0, None] and back.cell(row, 1).data_type == "s"
    assert formula_cells(openpyxl.load_workbook(tmp_path / "t.xlsx")) == {(ws.title, "C1"): "=SUM(B1:B2)"}
    assert list(xml_formulas(tmp_path / "t.xlsx").values()) == [["SUM(B1:B2)"]]


@pytest.mark.parametrize("value, expect", [
    ("=1+2", "'=1+2"), ("+1+2", "'+1+2"), ("-1+2", "'-1+2"), ("@SUM(1,2)", "'@SUM(1,2)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("\n=1", "'\n=1"), ("  =1+2", "'  =1+2"), (DDE, "'" + DDE), (HYPERLINK, "'" + HYPERLINK),
    ("net_cash_flow", "net_cash_flow"), ("'=1", "'=1"), ("", ""), ("-5", "-5"), ("+1.5e3", "+1.5e3"),
    ("-5 %", "'-5 %"), (-5.0, -5.0), (3, 3), (None, None)])
def test_item6_csv_safe_follows_the_owasp_rule(value, expect):
    assert csv_safe(value) == expect


def test_item6_write_csv_quotes_text_and_leaves_numbers_bare(tmp_path):
    df = pd.DataFrame({"label": ["a;=1+2", "-x", None], "usd": [-1.25, 2.0, float("nan")], "n": [1, -2, 3]})
    write_csv(df, tmp_path / "t.csv", float_format="%.2f")
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert lines == ['"label","usd","n"', '"a;=1+2",-1.25,1', "\"'-x\",2.00,-2", ",,3"]
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["usd"].tolist()[:2] == [-1.25, 2.0] and back["n"].tolist() == [1, -2, 3]


# ------------------------------------------------------------------------------------------- item 7

@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/test.sh installs it)")
def test_item7_sensitivity_html_in_headless_chromium_shows_markup_as_text(tmp_path):
    script, img = "<script>window.__pwned = 1; alert(1)</script>", "<img src=x onerror=\"window.__pwned=2;alert(2)\">"
    tornado = pd.DataFrame({"parameter": ["finance.discount_rate"], "low": [0.05], "high": [0.12], "base": [0.08],
                            "npv_low_usd": [2e6], "npv_high_usd": [1e6], "swing_usd": [1e6],
                            "build_changes": [img], "failed": [script], "note": [script + img]})
    cases = pd.DataFrame({"id": [0], "label": [script], "status": ["failed"], "reason": [img], "npv_usd": [None]})
    out = write_sensitivity(tmp_path / "sens", {"site": script + img, "npv_usd": 1.5e6}, cases,
                            {"tornado": tornado}, {"breakeven": {"message": script}})
    seen = open_in_chromium(out / "sensitivity.html")
    assert seen.dialogs == [] and seen.errors == [] and seen.pwned == "undefined"
    assert seen.requests == [seen.url]
    assert script in seen.text and img in seen.text
