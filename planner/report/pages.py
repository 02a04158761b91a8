"""Print layout of report.xlsx: every sheet landscape, one page wide, header rows repeated, a print area, and
charts placed so that none is cut by a page break (docs/report.md, "Printing").

A chart is placed on the current page only if it fits there at 100 % scale below the last manual page break;
otherwise a manual break is put right above it, so it starts a page. Fitting to the page width only ever
shrinks the sheet (more rows per page), so a chart that fits at 100 % fits at any scale the printer picks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak

PAPER_A4 = 9  # openpyxl / OOXML paper size code
A4_SHORT_SIDE_PT = 595.3  # the page height in landscape
MARGIN_IN = 0.5  # top and bottom (and left and right) page margins, inches
HEADER_IN = 0.25  # header and footer distance (inside the margin)
ROW_PT = 15.0  # Excel's and LibreOffice's default row height
SAFETY = 0.85  # share of the printable height counted on: room for rows that grow (wrapped headers, fonts)
DEFAULT_WIDTH_CHARS = 8.43


def rows_per_page() -> int:
    """Rows of default height that fit on one landscape A4 page at 100 % (with the safety share)."""
    return int(SAFETY * (A4_SHORT_SIDE_PT - 2 * 72 * MARGIN_IN) / ROW_PT)


def chart_rows(height_cm: float) -> int:
    """Rows of default height a chart of this height covers."""
    return math.ceil(height_cm / 2.54 * 72 / ROW_PT)


def column_pt(width_chars: float | None) -> float:
    """Printed width of a column of `width_chars` characters (Excel's 7-pixel digit, 5 pixels of padding)."""
    return ((width_chars or DEFAULT_WIDTH_CHARS) * 7 + 5) * 0.75


@dataclass
class Layout:
    """Tracks one sheet's used area and its manual page breaks while charts are placed on it."""

    ws: object
    page_top: int = 1  # first row of the current page (the sheet's first row or one after a manual break)
    last_row: int = 1
    last_col: int = 1
    breaks: list[int] = field(default_factory=list)
    print_to_row: int | None = None  # print only down to this row (a sheet whose tables below only feed charts)

    def used(self, row: int, col: int = 1) -> None:
        """Note a cell written at (row, col) as part of the printed area."""
        self.last_row, self.last_col = max(self.last_row, row), max(self.last_col, col)

    def new_page(self, row: int) -> int:
        """Start a page at `row` (a manual break above it, unless it already starts one); returns `row`."""
        if row > self.page_top:
            self.breaks.append(row - 1)
            self.page_top = row
        return row

    def chart(self, chart, row: int, col: str = "A") -> int:
        """Anchor `chart` at row `row` (or at the top of the next page if it does not fit below the current
        page's top); returns the first row below it."""
        n = chart_rows(chart.height)
        if n > rows_per_page():
            raise ValueError(f"a chart of {chart.height} cm is taller than a page")
        if row + n - 1 > self.page_top + rows_per_page() - 1:
            row = self.new_page(row)
        self.ws.add_chart(chart, f"{col}{row}")
        first = column_index_from_string(col)
        width_pt, j = chart.width / 2.54 * 72, first
        while width_pt > 0:
            width_pt -= column_pt(self.ws.column_dimensions[get_column_letter(j)].width)
            j += 1
        self.used(row + n - 1, j - 1)
        return row + n + 1

    def finish(self, title_rows: str | None = "1:1") -> None:
        """Page setup: landscape A4, one page wide, `title_rows` repeated, the print area, the manual breaks."""
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(left=MARGIN_IN, right=MARGIN_IN, top=MARGIN_IN, bottom=MARGIN_IN,
                                      header=HEADER_IN, footer=HEADER_IN)
        ws.print_options.horizontalCentered = False
        if title_rows:
            ws.print_title_rows = title_rows
        if self.print_to_row is None:
            self.used(ws.max_row, ws.max_column)
        last_row = self.last_row if self.print_to_row is None else self.print_to_row
        ws.print_area = f"A1:{get_column_letter(self.last_col)}{last_row}"
        if self.breaks:
            ws.row_breaks = RowBreak(brk=[Break(id=b) for b in self.breaks])
