"""The test helpers that stand in for slower code: helpers.edited_copy gives the very file a fresh load, the edit and a
save give, and never changes the workbook it keeps loaded."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from helpers import edited_copy, field_row_of


def parts(path) -> dict[str, bytes]:
    """Every part of an .xlsx but its creation time stamp (docProps/core.xml: the time of the save)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.fixture()
def book(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PV"
    for r, (name, value) in enumerate([("name", "site"), ("capex_usd_per_kw_ac", 900.0), ("life_years", 30)],
                                      start=3):
        ws.cell(r, 1, name), ws.cell(r, 3, value)
    wb.create_sheet("Hourly").append(["timestamp", "pv_cf"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_edited_copy_is_the_file_of_a_fresh_load_edit_and_save_and_leaves_the_source_as_it_was(book, tmp_path):
    def slip(wb):
        wb["PV"].cell(field_row_of(book, "PV", "capex_usd_per_kw_ac"), 3).value = 0.9
        wb["Hourly"].delete_cols(2)
        wb.create_sheet("Notes")["A1"] = "mine"
        return wb["PV"].max_row

    assert field_row_of(book, "PV", "capex_usd_per_kw_ac") == 4
    assert edited_copy(book, tmp_path / "a.xlsx", slip) == 5  # what the edit returns comes back
    fresh = openpyxl.load_workbook(book)
    slip(fresh)
    fresh.save(tmp_path / "b.xlsx")
    assert parts(tmp_path / "a.xlsx") == parts(tmp_path / "b.xlsx")
    # a second edit starts from the workbook as it is on disk, not from the first edit's copy
    edited_copy(book, tmp_path / "c.xlsx", lambda wb: None)
    openpyxl.load_workbook(book).save(tmp_path / "d.xlsx")
    assert parts(tmp_path / "c.xlsx") == parts(tmp_path / "d.xlsx")
    assert openpyxl.load_workbook(tmp_path / "c.xlsx").sheetnames == ["PV", "Hourly"]


def test_an_edit_that_fails_raises_in_the_test_with_its_traceback(book, tmp_path):
    def wrong(wb):
        assert wb["PV"].cell(4, 3).value == 1.0, "not the capex"

    with pytest.raises(RuntimeError, match="not the capex") as e:
        edited_copy(book, tmp_path / "x.xlsx", wrong)
    assert "AssertionError" in str(e.value)
    with pytest.raises(RuntimeError, match="KeyError"):
        edited_copy(book, tmp_path / "y.xlsx", lambda wb: wb["Nope"])
