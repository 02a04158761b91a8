"""Where things are in the workbook: shared by the template writer and the reader."""

from __future__ import annotations

# key/value sheets (Site, Finance, one per technology)
KV_TITLE_ROW = 1
KV_HEADER_ROW = 2
KV_FIRST_ROW = 3
KV_HEADERS = ("field", "description", "value", "unit", "note / source")
FIELD_COL, DESC_COL, VALUE_COL, UNIT_COL, NOTE_COL = 1, 2, 3, 4, 5

# Hourly sheet
HOURLY_SHEET = "Hourly"
HOURLY_HEADER_ROW = 1
HOURLY_UNITS_ROW = 2
HOURLY_FIRST_ROW = 3
TIMESTAMP_COL_NAME = "timestamp"

SENSITIVITY_SHEET = "Sensitivity"
SENSITIVITY_HEADERS = ("parameter", "low", "high", "distribution", "base", "unit", "note")
DISTRIBUTIONS = ("none", "uniform", "triangular", "normal")

# Uncertainty sheet: the settings (a key/value block from KV_FIRST_ROW), then two tables, each below a title row
# (the title in column A) and a header row; a table's rows end at the next title or the end of the sheet
UNCERTAINTY_SHEET = "Uncertainty"
UNCERTAIN_TITLE = "Uncertain inputs"
UNCERTAIN_HEADERS = ("parameter", "model", "a", "b", "base (for reference)", "unit", "note")
UNCERTAIN_MODELS = ("gbm_growth", "lognormal", "uniform", "normal")
LISTED_TITLE = "Listed scenarios"
LISTED_HEADERS = ("scenario", "probability", "parameter", "value", "note")

# Periods sheet (optional; absent = one investment period): free explanatory lines, then two tables, each below a
# title row (the title in column A) and a header row, as the Uncertainty sheet's tables (docs/periods.md)
PERIODS_SHEET = "Periods"
PERIODS_TITLE = "Investment periods"
START_YEAR_HEADER = "start_year"  # the wide table's first column; every other column is headed by a dotted name
DECLINES_TITLE = "Declines"
DECLINE_HEADERS = ("parameter", "initial_decline_per_year", "b_factor", "note")
# what a period cannot change: whole-life inputs (the money and the year of operation) and the stochastic settings
PERIODS_WHOLE_LIFE_PREFIXES = ("finance.", "uncertainty.")
PERIODS_WHOLE_LIFE_NAMES = ("site.cod_year",)
MAX_DECLINE_PER_YEAR = 10.0  # D_i above 10/yr (a rate falling to 1e-4 of its start in a year) is a typing slip
MAX_B_FACTOR = 2.0  # Arps b: 0 exponential, 1 harmonic, above 1 for shale type curves (transient flow)

SOURCES_SHEET = "Sources"
SOURCES_HEADERS = ("item", "source and licence")

LISTS_SHEET = "Lists"  # hidden: drop-down lists for catalog models


def col_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    s = ""
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s
