"""The input workbook: template round trip, and one deliberately broken workbook per validation rule.

Each broken-workbook test asserts the exact sheet and cell in the message and that the CLI prints
no traceback.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from helpers import edited_copy, field_row_of

from planner.errors import InputError
from planner.paths import REPO_ROOT
from planner.scenario.docs import default_text, inputs_markdown
from planner.scenario.inputs import SECTION_ATTR
from planner.scenario.reader import read_workbook
from planner.scenario.scenario import Scenario
from planner.scenario.template import template_scenario, write_workbook


@pytest.fixture(scope="session")
def template_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.xlsx"
    write_workbook(template_scenario(), path)
    return path


@pytest.fixture()
def broken(template_path, tmp_path):
    """Copy the template, let the test edit it with openpyxl, save, and return the path.

    The edit runs on a copy (tests/helpers.py edited_copy: a forked child): what it sets outside the workbook is
    lost, so a test finds the rows it needs before (field_row_of), not inside the edit."""

    def make(edit) -> Path:
        path = tmp_path / "broken.xlsx"
        edited_copy(template_path, path, edit)  # load, edit, save; the template is loaded once, not per test
        return path

    return make


def field_row(ws, name: str) -> int:
    for row in ws.iter_rows(min_row=3, max_col=1):
        if row[0].value == name:
            return row[0].row
    raise KeyError(name)


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as e:
        read_workbook(path)
    return e.value.problems


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT)


# ------------------------------------------------------------------------------------ round trip

def test_template_round_trip_equals_documented_defaults(template_path):
    sc = read_workbook(template_path)
    raw = Scenario()  # the declared defaults
    doc = (REPO_ROOT / "docs" / "inputs.md").read_text()
    assert doc == inputs_markdown(), "docs/inputs.md is stale: run python scripts/make_docs.py"
    for attr, sheet in SECTION_ATTR.items():
        section_doc = doc.split(f"## Sheet `{sheet}`")[1].split("\n## ")[0]
        for f in dataclasses.fields(getattr(raw, attr)):
            m = re.search(rf"^\| `{f.name}` \| ([^|]*) \|", section_doc, re.M)
            assert m, f"{sheet}.{f.name} missing from docs/inputs.md"
            documented = m.group(1).strip()
            default = getattr(raw, attr).__getattribute__(f.name)
            assert documented == default_text(default)
            value = getattr(getattr(sc, attr), f.name)
            if default is None:
                continue  # a blank default is filled from the catalog: checked below
            assert default_text(value) == documented, f"{sheet}.{f.name}: read {value!r}, documented {documented}"
    assert sc.n_steps == 8760
    assert sc.mining.asic_efficiency_j_per_th == pytest.approx(13.5, rel=0.02)  # S21 XP from the catalog
    assert sc.ai.gpus_per_server == 8


def test_template_and_validate_cli(tmp_path):
    out = tmp_path / "t.xlsx"
    r = run_cli("template", str(out))
    assert r.returncode == 0, r.stderr
    r = run_cli("validate", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "valid" in r.stdout


def test_help_on_every_command():
    for args in (["--help"], ["template", "--help"], ["validate", "--help"], ["run", "--help"],
                 ["params", "--help"]):
        r = run_cli(*args)
        assert r.returncode == 0 and "Usage" in r.stdout, args


# ------------------------------------------------------------------------- one test per rule

def test_missing_sheet(broken):
    path = broken(lambda wb: wb.remove(wb["Mining"]))
    assert any(p.startswith("Mining: sheet is missing") for p in problems(path))


def test_missing_hourly_column(broken):
    def edit(wb):
        ws = wb["Hourly"]
        for c in ws[1]:
            if c.value == "pv_cf":
                c.value = "pv_capacity"
    ps = problems(broken(edit))
    assert any(p.startswith("Hourly!1:1: column 'pv_cf' is missing") for p in ps)


def test_a_workbook_from_the_older_template_reads_its_new_features_as_off(broken, template_path):
    """Sheets, rows and Hourly columns added after the first template with an 'off' default (Reserves, Heat,
    Carbon; the tariff charges; their hourly columns) may be absent: each is named in a warning and read as its
    default, so the scenario equals the full template's. A required one absent stays an error (above)."""
    from planner.scenario.inputs import SECTIONS
    from planner.scenario.reader import HOURLY_COLUMNS

    absent_sheets = [name for name, cls in SECTIONS.items() if cls.MAY_BE_ABSENT]
    absent_rows = [(sheet, f.name) for sheet, cls in SECTIONS.items() for f in dataclasses.fields(cls)
                   if f.metadata["info"].may_be_absent and sheet not in absent_sheets]
    full = read_workbook(template_path)
    # the optional columns the template leaves blank (the new features' series): an older workbook has none
    absent_cols = [c.name for c in HOURLY_COLUMNS if not full.column_required(c.name) and c.fill is None
                   and (full.hourly[c.name] == c.blank_value).all()]
    assert {"Reserves", "Heat", "Carbon"} <= set(absent_sheets) and len(absent_rows) >= 3
    assert {"coincident_peak", "import_tariff_usd_per_mwh", "grid_carbon_t_per_mwh"} <= set(absent_cols)

    def edit(wb):
        for name in absent_sheets + ["Periods"]:  # Periods: not a section, read as one investment period
            wb.remove(wb[name])
        for sheet, name in absent_rows:
            wb[sheet].delete_rows(field_row(wb[sheet], name))
        ws = wb["Hourly"]
        for j in sorted((c.column for c in ws[1] if c.value in absent_cols), reverse=True):
            ws.delete_cols(j)
    sc = read_workbook(broken(edit))
    for name in absent_sheets:
        assert any(w.startswith(f"{name}: sheet is missing (a workbook from an older template)") for w in sc.warnings)
    assert any(w.startswith("Uncertainty: sheet is missing (a workbook from an older template); read as its defaults, "
                            "with no uncertain inputs") for w in sc.warnings)
    assert full.uncertain and sc.uncertain == [] and sc.listed_scenarios == []
    assert "Periods: sheet is missing (a workbook from an older template); read as one investment period (the plan " \
           "as before, no declines). `planner template` writes a workbook with every sheet" in sc.warnings
    assert sc.investment_periods == full.investment_periods == [] and sc.declines == full.declines == []
    for sheet, name in absent_rows:
        assert any(w.startswith(f"{sheet}: row for field {name!r} is missing") for w in sc.warnings)
    for name in absent_cols:
        assert any(w.startswith(f"Hourly!1:1: column {name!r} is missing") for w in sc.warnings)
    for attr in SECTION_ATTR:
        assert getattr(sc, attr) == getattr(full, attr), attr
    assert sc.hourly[absent_cols].equals(full.hourly[absent_cols])


def test_missing_field_row(broken):
    def edit(wb):
        ws = wb["Mining"]
        ws.delete_rows(field_row(ws, "pool_fee"))
    assert "Mining: row for field 'pool_fee' is missing (expected the name in column A, the value in column C)" in \
        problems(broken(edit))


def test_text_in_numeric_cell(broken, template_path):
    rows = {"r": field_row_of(template_path, "Mining", "hashprice_usd_per_ph_day")}

    def edit(wb):
        ws = wb["Mining"]
        assert field_row(ws, "hashprice_usd_per_ph_day") == rows["r"]
        ws.cell(rows["r"], 3).value = "n/a"
    ps = problems(broken(edit))
    assert f'Mining!C{rows["r"]}: hashprice_usd_per_ph_day must be a number in USD/PH/day, found "n/a"' in ps


def test_unit_typed_in_cell_gets_a_hint(broken, template_path):
    rows = {"r": field_row_of(template_path, "PV", "capex_usd_per_kw_ac")}

    def edit(wb):
        ws = wb["PV"]
        assert field_row(ws, "capex_usd_per_kw_ac") == rows["r"]
        ws.cell(rows["r"], 3).value = "1606 $/kW"
    ps = problems(broken(edit))
    assert any(p.startswith(f"PV!C{rows['r']}: capex_usd_per_kw_ac must be a number") and "type only the number"
               in p for p in ps)


@pytest.mark.parametrize("sheet,field,value,expect", [
    ("AI", "pue", 0.9, "pue must be >= 1 and <= 3 (ratio), found 0.9"),
    ("PV", "capex_usd_per_kw_ac", -5, "capex_usd_per_kw_ac must be >= 0 (USD/kW_ac), found -5"),
    ("Battery", "charge_efficiency", 1.2, "charge_efficiency must be > 0 and <= 1 (fraction), found 1.2"),
])
def test_out_of_range_values(broken, template_path, sheet, field, value, expect):
    rows = {"r": field_row_of(template_path, sheet, field)}

    def edit(wb):
        ws = wb[sheet]
        assert field_row(ws, field) == rows["r"]
        ws.cell(rows["r"], 3).value = value
    ps = problems(broken(edit))
    assert f"{sheet}!C{rows['r']}: {expect}" in ps


def test_hourly_series_not_8760_long(broken):
    ps = problems(broken(lambda wb: wb["Hourly"].delete_rows(8762)))
    assert any(p.startswith("Hourly: expected 8760 hourly rows") and "found 8759" in p for p in ps)


def test_leap_year_input_is_trimmed_and_said(template_path, tmp_path):
    sc = template_scenario()
    import pandas as pd

    h = sc.hourly
    feb28 = h[(h.timestamp.dt.month == 2) & (h.timestamp.dt.day == 28)]
    leap = pd.concat([h.iloc[: feb28.index[-1] + 1], feb28, h.iloc[feb28.index[-1] + 1:]], ignore_index=True)
    leap["timestamp"] = pd.date_range("2016-01-01", periods=8784, freq="h")
    sc.hourly = leap
    path = write_workbook(sc, tmp_path / "leap.xlsx")
    got = read_workbook(path)
    assert got.n_steps == 8760
    assert any("29 February" in w and "leap year 2016" in w for w in got.warnings)
    assert not ((got.hourly.timestamp.dt.month == 2) & (got.hourly.timestamp.dt.day == 29)).any()


def test_blank_hour_in_needed_column(broken):
    def edit(wb):
        wb["Hourly"]["B100"].value = None
    ps = problems(broken(edit))
    assert any(p.startswith("Hourly!B100: pv_cf is blank in 1 hour(s)") for p in ps)


def test_duplicated_timestamp(broken):
    def edit(wb):
        ws = wb["Hourly"]
        ws["A50"].value = ws["A49"].value
    ps = problems(broken(edit))
    assert any(p.startswith("Hourly!A50: duplicated timestamp") for p in ps)


def test_formula_without_cached_value(broken, template_path):
    rows = {"r": field_row_of(template_path, "Mining", "pool_fee")}

    def edit(wb):
        ws = wb["Mining"]
        assert field_row(ws, "pool_fee") == rows["r"]
        ws.cell(rows["r"], 3).value = "=0.01+0.015"  # openpyxl saves formulas without computing them
    ps = problems(broken(edit))
    assert any(p.startswith(f"Mining!C{rows['r']}: formula has no cached value") and "open and save it in Excel"
               in p for p in ps)


def test_unknown_catalog_model_suggests_closest(broken):
    def edit(wb):
        ws = wb["Mining"]
        ws.cell(field_row(ws, "asic_model"), 3).value = "Antminer S21XP"
    ps = problems(broken(edit))
    assert any(p.startswith("Mining: asic_model 'Antminer S21XP' is not in the catalog") and
               "did you mean 'Antminer S21 XP'" in p for p in ps)


def test_all_problems_collected_and_cli_exits_2_without_traceback(broken):
    def edit(wb):
        wb["AI"].cell(field_row(wb["AI"], "pue"), 3).value = 0.5
        wb["Mining"].cell(field_row(wb["Mining"], "pool_fee"), 3).value = "lots"
        wb["Hourly"]["B10"].value = "sunny"
        ws = wb["Periods"]
        ws.cell(next(c.row for c in ws["A"] if c.value == "Investment periods") + 1, 2).value = "finance.tax_rate"
    path = broken(edit)
    ps = problems(path)
    assert len(ps) >= 4
    r = run_cli("validate", str(path))
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    assert "AI!C" in r.stderr and "Mining!C" in r.stderr and "Hourly!B10" in r.stderr
    assert re.search(r"Periods!B\d+: finance.tax_rate cannot change from one investment period to the next", r.stderr)


@pytest.mark.parametrize("content,expect", [
    (b"timestamp,pv_cf\n2013-01-01,0\n", "not an .xlsx workbook"),
    (b"PK\x03\x04garbage", "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old binary Excel"),
])
def test_wrong_file_types_are_named(tmp_path, content, expect):
    path = tmp_path / "site.xlsx"
    path.write_bytes(content)
    ps = problems(path)
    assert len(ps) == 1 and expect in ps[0]


def test_shipped_template_is_what_the_code_generates(template_path):
    """inputs/template.xlsx never drifts from the field declarations (regenerate: scripts/make_docs.py)."""
    fresh = template_path  # write_workbook(template_scenario(), ...), written once for this module's tests
    shipped_wb = openpyxl.load_workbook(REPO_ROOT / "inputs" / "template.xlsx")
    fresh_wb = openpyxl.load_workbook(fresh)
    assert shipped_wb.sheetnames == fresh_wb.sheetnames
    for name in fresh_wb.sheetnames:
        a = [[c.value for c in row] for row in shipped_wb[name].iter_rows()]
        b = [[c.value for c in row] for row in fresh_wb[name].iter_rows()]
        assert a == b, f"inputs/template.xlsx sheet {name} is stale: run python scripts/make_docs.py"
