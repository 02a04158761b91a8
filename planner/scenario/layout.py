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
