"""The Periods sheet (docs/periods.md): the template's single period, a workbook edited to three periods and a
decline read exactly as typed, one message per bad input naming its cell, and the Arps factors derived by hand.

The validation rules are checked on the sheet's rows as the reader sees them (cheap, no full workbook); three
tests read real workbooks end to end (the shipped template; two edited copies, marked slow). A workbook without the
sheet, and a bad Periods cell among other sheets' problems through the CLI, are in tests/test_workbook.py.
"""

from __future__ import annotations

import math

import openpyxl
import pytest
from helpers import edited_copy

from planner.errors import InputError
from planner.paths import REPO_ROOT
from planner.scenario.layout import DECLINE_HEADERS, DECLINES_TITLE, PERIODS_SHEET, PERIODS_TITLE
from planner.scenario.periods import PeriodSpan, arps_factors, multi_period, period_changes, spans
from planner.scenario.reader import Problems, _read_periods, read_workbook
from planner.scenario.scenario import DeclineRow, InvestmentPeriod, Scenario
from planner.scenario.template import TEMPLATE_PERIOD_COLUMNS, _write_periods

TEMPLATE = REPO_ROOT / "inputs" / "template.xlsx"
GAS = "hourly.gas_supply_mmbtu_per_h"
HASH = "mining.hashprice_usd_per_ph_day"
EXPORT = "grid.max_new_export_mw"


# ------------------------------------------------------------------------------ real workbooks

def test_template_reads_as_the_single_period_plan():
    """The shipped template holds one period (the COD year, every column blank) and an empty Declines table: it
    reads as no periods, exactly as a workbook without the sheet, and no cell of the sheet is a formula."""
    sc = read_workbook(TEMPLATE)
    assert sc.investment_periods == [] and sc.declines == []
    assert not multi_period(sc)
    assert spans(sc) == [PeriodSpan(2027, 1, 20)]
    assert not [w for w in sc.warnings if w.startswith(PERIODS_SHEET)]
    ws = openpyxl.load_workbook(TEMPLATE, read_only=True)[PERIODS_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    title = next(i for i, r in enumerate(rows) if r[0] == PERIODS_TITLE)
    assert rows[title + 1][:1 + len(TEMPLATE_PERIOD_COLUMNS)] == ["start_year", *TEMPLATE_PERIOD_COLUMNS]
    assert rows[title + 2][0] == 2027 and all(v is None for v in rows[title + 2][1:])
    assert all(r[0] is None for r in rows[title + 3:] if r[0] != DECLINES_TITLE and r[0] != DECLINE_HEADERS[0])
    declines = next(i for i, r in enumerate(rows) if r[0] == DECLINES_TITLE)
    assert tuple(rows[declines + 1][:4]) == DECLINE_HEADERS and declines + 2 == len(rows)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.slow  # a full-year workbook edited, saved and read: ~5 s (8 s when it loads the template first)
def test_three_periods_and_a_decline_read_exactly_as_typed(tmp_path):
    """Three periods typed into the template (a new column added, blanks left) and one decline read back as typed,
    each with its sheet row; period_changes multiplies the typed gas multipliers by the decline's factors."""
    def edit(wb):
        ws = wb[PERIODS_SHEET]
        title = next(c.row for c in ws["A"] if c.value == PERIODS_TITLE)
        header = title + 1
        col = {c.value: c.column for c in ws[header] if c.value}
        new = max(col.values()) + 1
        ws.cell(header, new, "battery.capex_usd_per_kwh")
        first = header + 1  # holds the COD year already
        ws.cell(first + 1, 1, 2032)
        ws.cell(first + 1, col[GAS], 0.6)
        ws.cell(first + 1, col[HASH], 35)
        ws.cell(first + 2, 1, 2037)
        ws.cell(first + 2, col[GAS], 0.3)
        ws.cell(first + 2, col[EXPORT], "50")  # a number stored as text is read
        ws.cell(first + 2, new, 200)
        dec = next(c.row for c in ws["A"] if c.value == DECLINES_TITLE) + 2
        for j, v in enumerate((GAS, 0.3, 0.5, "Permian pad, hyperbolic"), start=1):
            ws.cell(dec, j, v)
        return first, dec

    first, dec = edited_copy(TEMPLATE, tmp_path / "three.xlsx", edit)
    sc = read_workbook(tmp_path / "three.xlsx")
    assert sc.investment_periods == [
        InvestmentPeriod(2027, {}),
        InvestmentPeriod(2032, {GAS: 0.6, HASH: 35.0}),
        InvestmentPeriod(2037, {GAS: 0.3, EXPORT: 50.0, "battery.capex_usd_per_kwh": 200.0}),
    ]
    assert [p.row for p in sc.investment_periods] == [first, first + 1, first + 2]
    assert sc.declines == [DeclineRow(GAS, 0.3, 0.5, "Permian pad, hyperbolic")] and sc.declines[0].row == dec
    assert multi_period(sc)
    assert spans(sc) == [PeriodSpan(2027, 1, 5), PeriodSpan(2032, 6, 10), PeriodSpan(2037, 11, 20)]
    # b = 0.5, D = 0.3: Q(t) = t / (1 + 0.15 t); factors 23/35, (8/35) 1.15, 0.1 x 1.15 (docs/periods.md)
    changes = period_changes(sc)
    assert changes[0][GAS] == pytest.approx(23 / 35, rel=1e-12)
    assert changes[1][GAS] == pytest.approx(0.6 * 8 / 35 * 1.15, rel=1e-12)
    assert changes[2][GAS] == pytest.approx(0.3 * 0.115, rel=1e-12)
    assert changes[1][HASH] == 35.0 and changes[2][EXPORT] == 50.0 and HASH not in changes[0]


@pytest.mark.slow  # a full-year workbook edited, saved and read: ~5 s
def test_bad_cells_of_a_real_workbook_are_all_named(tmp_path):
    """Several problems typed into a real workbook: read_workbook raises one InputError naming every cell."""
    def edit(wb):
        ws = wb[PERIODS_SHEET]
        header = next(c.row for c in ws["A"] if c.value == PERIODS_TITLE) + 1
        col = {c.value: c.column for c in ws[header] if c.value}
        ws.cell(header, col[EXPORT], "finance.discount_rate")
        ws.cell(header + 2, 1, 2032)
        ws.cell(header + 2, col[HASH], "n/a")
        ws.cell(header + 2, col[GAS], -1)
        dec = next(c.row for c in ws["A"] if c.value == DECLINES_TITLE) + 2
        for j, v in enumerate((GAS, 0.2, 3), start=1):
            ws.cell(dec, j, v)
        letter = openpyxl.utils.get_column_letter
        return header, dec, letter(col[EXPORT]), letter(col[HASH]), letter(col[GAS])

    header, dec, export, hashcol, gas = edited_copy(TEMPLATE, tmp_path / "bad.xlsx", edit)
    with pytest.raises(InputError) as e:
        read_workbook(tmp_path / "bad.xlsx")
    msgs = [m for m in e.value.problems if m.startswith(PERIODS_SHEET)]
    assert len(msgs) == 4, msgs
    assert msgs[0].startswith(f"Periods!{export}{header}: finance.discount_rate cannot change from one investment "
                              f"period to the next")
    assert msgs[1].startswith(f"Periods!{gas}{header + 2}: {GAS} is a multiplier of the whole hourly series and "
                              f"must be >= 0, found -1")
    assert msgs[2].startswith(f'Periods!{hashcol}{header + 2}: {HASH} (its value in this period) must be a number, '
                              f'found "n/a"')
    assert msgs[3].startswith(f"Periods!C{dec}: b_factor must be within 0..2")


# --------------------------------------------------------------------- the rules, on the sheet's rows

def sheet(*periods, header=("start_year", GAS, HASH), declines=()) -> list[tuple]:
    """The Periods sheet's rows as the reader gets them: a title line, the periods table from row 3 (title in A3,
    header in A4, periods from A5), a blank row, then the Declines table (title, header, rows)."""
    rows = [("Periods: free text",), (), (PERIODS_TITLE, "a note"), tuple(header), *map(tuple, periods), ()]
    return rows + [(DECLINES_TITLE,), DECLINE_HEADERS, *map(tuple, declines)]


def read(rows, cod: float = 2027.0, years: int = 20) -> tuple[list, list, Problems]:
    sc = Scenario()
    sc.site.cod_year, sc.finance.analysis_years = cod, years
    sc.cells.update({"site.cod_year": "Site!C7", "finance.analysis_years": "Finance!C4"})
    p = Problems()
    periods, declines = _read_periods(rows, sc, p)
    return periods, declines, p


def test_rows_read_as_typed_with_their_rows():
    """Blank cells are no change, a number stored as text is read, a value within its range is kept; the declines
    follow the periods (here from row 11)."""
    periods, declines, p = read(sheet((2027,), (2030, 0.5, None), (2035, "0.25", 30), declines=[(HASH, 0.1, 1, "x")]))
    assert p.errors == [] and p.warnings == []
    assert periods == [InvestmentPeriod(2027), InvestmentPeriod(2030, {GAS: 0.5}),
                       InvestmentPeriod(2035, {GAS: 0.25, HASH: 30.0})]
    assert [r.row for r in periods] == [5, 6, 7]
    assert declines == [DeclineRow(HASH, 0.1, 1.0, "x")] and declines[0].row == 11


def test_single_period_plans():
    """One period that changes nothing is no periods (even when its year is stale: a warning); one that changes
    something is kept; a start year only is a period row that changes nothing."""
    assert read(sheet((2027,)))[:2] == ([], [])
    periods, _, p = read(sheet((2027,)), cod=2030.4)
    assert periods == [] and p.errors == []
    assert p.warnings == ["Periods!A5: the only period starts in 2027, not in the year of commercial operation "
                          "(2030, Site.cod_year); it changes nothing, so it is read as the single-period plan from "
                          "2030 (type 2030 to silence this)"]
    periods, _, p = read(sheet((2027, 0.8)))
    assert periods == [InvestmentPeriod(2027, {GAS: 0.8})] and p.errors == []
    periods, declines, p = read(sheet((2027,), declines=[(GAS, 0.2, 0)]))
    assert periods == [] and declines == [DeclineRow(GAS, 0.2, 0.0)] and p.errors == []


@pytest.mark.parametrize("rows,expect", [
    # the header's parameters
    (sheet((2027,), header=("start_year", "mining.hashprice_usd_per_ph_dya")),
     "Periods!B4: unknown parameter 'mining.hashprice_usd_per_ph_dya' (did you mean mining.hashprice_usd_per_ph_day?)"),
    (sheet((2027,), header=("start_year", GAS, "finance.discount_rate")),
     "Periods!C4: finance.discount_rate cannot change from one investment period to the next (the Finance sheet's "
     "inputs hold for the whole analysis)"),
    (sheet((2027,), header=("start_year", "site.cod_year")),
     "Periods!B4: site.cod_year cannot change from one investment period to the next (the year of commercial "
     "operation fixes every period's operating years)"),
    (sheet((2027,), header=("start_year", "uncertainty.seed")),
     "Periods!B4: uncertainty.seed cannot change from one investment period to the next (it is a setting of the "
     "stochastic run"),
    (sheet((2027,), header=("start_year", "mining.enabled")),
     "Periods!B4: mining.enabled is not a number (a yes/no or text input)"),
    (sheet((2027,), header=("start_year", HASH, GAS, HASH)),
     f"Periods!D4: column {HASH} appears twice (also column B)"),
    (sheet((2027,), header=("year", GAS)),
     "Periods!A4: expected the header row of 'Investment periods' (starting with start_year) below its title, "
     "found \"year\""),
    # the values
    (sheet((2027,), (2030, "n/a")), f'Periods!B6: {GAS} (its value in this period) must be a number, found "n/a"'),
    (sheet((2027,), (2030, "1,5")), "Periods!B6"),  # a decimal comma is refused, as everywhere
    (sheet((2027,), (2030, -0.5)), f"Periods!B6: {GAS} is a multiplier of the whole hourly series and must be >= 0, "
                                   "found -0.5"),
    (sheet((2027,), (2030, None, -3)), f"Periods!C6: {HASH} must be >= 0 (USD/PH/day), found -3"),
    (sheet((2027, None, 3.5), header=("start_year", GAS, "ai.pue")), "Periods!C5: ai.pue must be >= 1 and <= 3 "
                                                                     "(ratio), found 3.5"),
    (sheet((2027, 2.5), header=("start_year", "ai.gpus_per_server")),
     "Periods!B5: ai.gpus_per_server must be a whole number (count), found 2.5"),
    (sheet((2027, 1e30), header=("start_year", HASH)), f"Periods!B5: {HASH} = 1e+30 is"),
    (sheet((2027, 1, 2, 3)), "Periods!D5: a value in a column without a parameter (its header D4 is blank)"),
    # the start years
    (sheet((2027,), (2032.5, 1)), "Periods!A6: start_year must be a whole calendar year, found 2032.5"),
    (sheet((2027,), (None, 0.5)), "Periods!A6: start_year (the calendar year the period starts) must be a number, "
                                  "found a blank"),
    (sheet((2027,), ("2030s", 0.5)), 'Periods!A6: start_year (the calendar year the period starts) must be a number, '
                                     'found "2030s"'),
    (sheet((2027,), (2035,), (2032,)), "Periods!A7: periods must start in increasing years, found 2032 after 2035"),
    (sheet((2027,), (2027,)), "Periods!A6: periods must start in increasing years, found 2027 after 2027"),
    (sheet((2028,), (2032,)), "Periods!A5: the first period must start in the year of commercial operation (2027, "
                              "Site.cod_year = 2027), found 2028"),
    (sheet((2027,), (2047,)), "Periods!A6: the period starting in 2047 begins after the 20-year analysis ends (its "
                              "last operating year is 2046)"),
    # the declines
    (sheet((2027,), declines=[("hourly.gas_suply", 0.2, 0)]),
     "Periods!A9: unknown parameter 'hourly.gas_suply' (did you mean hourly.gas_supply_mmbtu_per_h?)"),
    (sheet((2027,), declines=[("finance.tax_rate", 0.2, 0)]), "Periods!A9: finance.tax_rate cannot change"),
    (sheet((2027,), declines=[(GAS, -0.1, 0)]), "Periods!B9: initial_decline_per_year must be within 0..10 per "
                                               "year"),
    (sheet((2027,), declines=[(GAS, 11, 0)]), "Periods!B9: initial_decline_per_year must be within 0..10 per year "
                                             "(a nominal rate: at b = 0, 0.3 makes the rate fall 26 % over the "
                                             "first year), found 11"),
    (sheet((2027,), declines=[(GAS, "fast", 0)]), 'Periods!B9: initial_decline_per_year (D_i, 1/yr) must be a '
                                                 'number, found "fast"'),
    (sheet((2027,), declines=[(GAS, 0.2, 2.5)]), "Periods!C9: b_factor must be within 0..2 (0 exponential, 1 "
                                                "harmonic, above 1 for shale type curves), found 2.5"),
    (sheet((2027,), declines=[(GAS, 0.2, -0.1)]), "Periods!C9: b_factor must be within 0..2"),
    (sheet((2027,), declines=[(GAS, 0.2, None)]), "Periods!C9: b_factor (Arps b: 0 exponential, 1 harmonic) must be "
                                                 "a number, found a blank"),
    (sheet((2027,), declines=[(GAS, 0.2, 0), (GAS, 0.3, 1)]),
     f"Periods!A10: parameter {GAS} has two declines (also row 9)"),
    # the tables
    ([("free text",), ("start_year", GAS), (2027,)], "Periods: no row has the title 'Investment periods' in column "
                                                    "A"),
    (sheet((2027,)) + [(PERIODS_TITLE,)], "Periods!A9: the title 'Investment periods' appears twice (also A3)"),
])
def test_each_bad_input_names_its_cell(rows, expect):
    _, _, p = read(rows)
    assert len(p.errors) == 1 and p.errors[0].startswith(expect), p.errors  # one problem, one message


def test_start_years_are_not_checked_against_a_site_sheet_with_its_own_problem():
    """A bad Site.cod_year is its own error; the periods are not judged against the default in its place."""
    sc = Scenario()
    sc.cells.update({"site.cod_year": "Site!C7", "finance.analysis_years": "Finance!C4"})
    p = Problems()
    p.error("Site!C7: cod_year must be a number in year, found \"soon\"")
    periods, _ = _read_periods(sheet((2031,), (2035,)), sc, p)
    assert len(p.errors) == 1 and [r.start_year for r in periods] == [2031, 2035]


def test_the_writer_round_trips_periods_and_declines_and_keeps_text_as_text(tmp_path):
    """_write_periods writes the periods (their own columns after the template's) and the declines; a note that
    looks like a formula stays text; the saved sheet reads back as written."""
    sc = Scenario()
    sc.investment_periods = [InvestmentPeriod(2027), InvestmentPeriod(2031, {"battery.capex_usd_per_kwh": 180.0}),
                             InvestmentPeriod(2040, {GAS: 0.4})]
    sc.declines = [DeclineRow(GAS, 0.25, 1.2, '=HYPERLINK("http://x","y")'), DeclineRow(HASH, 0.1, 0.0, "")]
    wb = openpyxl.Workbook()
    _write_periods(wb, sc)
    wb.save(tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")[PERIODS_SHEET]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    periods, declines, p = read(list(ws.iter_rows(values_only=True)))
    assert p.errors == [] and periods == sc.investment_periods and declines == sc.declines


# ------------------------------------------------------------------------------------ Arps factors

def decline(d: float, b: float) -> DeclineRow:
    return DeclineRow(GAS, d, b)


def test_exponential_decline_halving_every_year():
    """D = ln 2, b = 0: q(t) = 2^-t; year y averages (2^-(y-1) - 2^-y)/ln 2, year 1 0.5/ln 2: the ratio 2^-(y-1)."""
    row = decline(math.log(2), 0.0)
    assert arps_factors(row, [PeriodSpan(0, 1, 1), PeriodSpan(0, 2, 2)]) == pytest.approx([1.0, 0.5], rel=1e-12)
    assert arps_factors(row, [PeriodSpan(0, 2, 3)]) == pytest.approx([(0.5 + 0.25) / 2], rel=1e-12)
    assert arps_factors(row, [PeriodSpan(0, 1, 4)]) == pytest.approx([(1 + 0.5 + 0.25 + 0.125) / 4], rel=1e-12)


def test_harmonic_and_hyperbolic_declines_by_hand():
    # b = 1, D = 1: Q(t) = ln(1 + t); year 2: (ln 3 - ln 2) / ln 2
    assert arps_factors(decline(1.0, 1.0), [PeriodSpan(0, 2, 2)]) == pytest.approx(
        [(math.log(3) - math.log(2)) / math.log(2)], rel=1e-12)
    # b = 0.5, D = 0.3: Q(t) = (1 - 1/(1 + 0.15 t)) / 0.15 = t / (1 + 0.15 t); Q(1) = 1/1.15, Q(5) = 20/7, Q(10) = 4,
    # Q(20) = 5
    got = arps_factors(decline(0.3, 0.5), [PeriodSpan(0, 1, 5), PeriodSpan(0, 6, 10), PeriodSpan(0, 11, 20)])
    assert got == pytest.approx([(20 / 7) / 5 * 1.15, (4 - 20 / 7) / 5 * 1.15, (5 - 4) / 10 * 1.15], rel=1e-12)
    assert got[0] == pytest.approx(23 / 35, rel=1e-12)
    # b = 2 (a shale type curve), D = 1.5: Q(t) = (sqrt(1 + 3 t) - 1) / 1.5; Q(1) = 2/3, Q(5) = 2; years 2-5: 0.5
    assert arps_factors(decline(1.5, 2.0), [PeriodSpan(0, 2, 5)]) == pytest.approx([0.5], rel=1e-12)
    # D = 0: no decline at all
    assert arps_factors(decline(0.0, 0.7), [PeriodSpan(0, 3, 9)]) == [1.0]


def test_period_changes_multiply_typed_values_and_field_values_by_the_factors():
    """D = ln 2, b = 0 on a multiplier and on a field: periods of year 1, year 2 and years 3-20 get the factors 1,
    1/2 and (2^-2 - 2^-20)/18 / (1/2); a typed multiplier or value is multiplied, a blank one is 1 or the field."""
    sc = Scenario()
    sc.investment_periods = [InvestmentPeriod(2027), InvestmentPeriod(2028, {GAS: 0.6, HASH: 35.0}),
                             InvestmentPeriod(2029)]
    sc.declines = [DeclineRow(GAS, math.log(2), 0.0), DeclineRow(HASH, math.log(2), 0.0)]
    late = (0.25 - 2.0 ** -20) / 18 / 0.5
    out = period_changes(sc)
    assert [c[GAS] for c in out] == pytest.approx([1.0, 0.6 * 0.5, late], rel=1e-12)
    base = Scenario().mining.hashprice_usd_per_ph_day
    assert [c[HASH] for c in out] == pytest.approx([base, 35.0 * 0.5, base * late], rel=1e-12)
    assert sc.investment_periods[1].changes == {GAS: 0.6, HASH: 35.0}  # the typed values are not changed in place
