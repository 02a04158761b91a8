"""Open a workbook file defensively: what is checked before any byte is inflated or any row is iterated.

- The path must name a regular, readable file (a folder, a FIFO, a socket or a device is refused at once,
  from `os.stat`, without opening it) of at most `MAX_FILE_BYTES`.
- The zip's central directory must declare parts of at most `MAX_PART_BYTES` each (`MAX_XML_PART_BYTES`
  for the parts openpyxl reads whole, such as the shared strings) and `MAX_TOTAL_BYTES` together, with
  the stored or deflate method Excel writes; a worksheet part that declares no used range (Excel, LibreOffice
  and openpyxl always declare one) may inflate to at most `MAX_UNDECLARED_PART_BYTES`, since openpyxl parses
  such a part whole just to learn its size. Python's zipfile never inflates a part beyond its declared
  size (a part that lies fails its CRC), so the declared sizes bound the work: a zip bomb is refused
  before it is inflated.
- Each sheet the reader uses has a `SheetLimit`. Its declared used range (the `<dimension>` element Excel
  and openpyxl write) is checked first; the rows are then streamed without trusting that range (it may be
  missing or wrong), and the first cell beyond the limit stops the read, named. A legitimate workbook is
  ~0.6 MB on disk and its largest part (the Hourly sheet) ~4 MB inflated; the limits leave 10-30x room.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from planner.errors import InputError
from planner.scenario.layout import col_letter

MIB = 1024 * 1024
MAX_FILE_BYTES = 64 * MIB
MAX_PART_BYTES = 128 * MIB  # one worksheet: 9000 rows x 100 columns of ~60-byte cells is ~54 MB
MAX_XML_PART_BYTES = 32 * MIB  # shared strings, styles, workbook: read whole into memory by openpyxl
MAX_TOTAL_BYTES = 256 * MIB
MAX_UNDECLARED_PART_BYTES = 16 * MIB  # a worksheet without <dimension>: openpyxl parses it whole just to size it
EXCEL_MAX_ROWS, EXCEL_MAX_COLS = 1_048_576, 16_384
WORKSHEET_DIR = "xl/worksheets/"


@dataclass(frozen=True)
class SheetLimit:
    """The largest used range a sheet can mean."""

    rows: int
    cols: int
    holds: str  # what the sheet holds, for the message ("8784 hours below a header and a units row")


def check_file(path: Path) -> bytes:
    """Refuse a path that is not a readable regular file of sane size; return its first 8 bytes."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError([f"{path}: file not found"]) from None
    except PermissionError:
        raise InputError([f"{path}: cannot be read: permission denied (on the file or a folder above it); "
                          f"check its permissions"]) from None
    except OSError as e:
        raise InputError([f"{path}: cannot be read ({e.strerror or e})"]) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError([f"{path}: is a folder, not a workbook; give the path of an .xlsx file"])
    if not stat.S_ISREG(st.st_mode):
        raise InputError([f"{path}: is not a regular file (it is {_kind(st.st_mode)}); save the workbook as a "
                          f"file and give its path"])
    if st.st_size == 0:
        raise InputError([f"{path.name}: the file is empty (0 bytes); save the workbook from Excel as .xlsx"])
    if st.st_size > MAX_FILE_BYTES:
        raise InputError([f"{path.name}: the file is {_size(st.st_size)}, more than the {_size(MAX_FILE_BYTES)} "
                          f"a planner workbook can need (the template is under 1 MB); remove unrelated sheets "
                          f"or embedded objects"])
    try:
        with open(path, "rb") as fh:
            return fh.read(8)
    except PermissionError:
        raise InputError([f"{path}: cannot be read: permission denied; check the file's permissions"]) from None
    except OSError as e:
        raise InputError([f"{path}: cannot be read ({e.strerror or e})"]) from None


def check_parts(z: zipfile.ZipFile, filename: str) -> None:
    """Refuse, from the central directory alone, parts that would inflate beyond the limits."""
    infos = z.infolist()
    names = _sheet_names_by_part(z)
    for i in infos:
        what = f"part {i.filename}" + (f" (sheet {names[i.filename]!r})" if i.filename in names else "")
        if i.flag_bits & 0x1:
            raise InputError([f"{filename}: {what} is encrypted; save the workbook from Excel without a password"])
        if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError([f"{filename}: {what} uses compression method {i.compress_type}, which Excel never "
                              f"writes; re-save the workbook from Excel as .xlsx"])
        limit = MAX_PART_BYTES if i.filename.startswith(WORKSHEET_DIR) or not i.filename.endswith(".xml") else \
            MAX_XML_PART_BYTES
        sheet_part = i.filename.startswith(WORKSHEET_DIR)
        used = _peek_used_range(z, i) if sheet_part and i.file_size > MAX_UNDECLARED_PART_BYTES else ""
        if sheet_part and MAX_UNDECLARED_PART_BYTES < i.file_size <= limit and not used:
            raise InputError([f"{filename}: {what} declares no used range and inflates to {_size(i.file_size)}, more "
                              f"than the {_size(MAX_UNDECLARED_PART_BYTES)} such a sheet may have (reading it would "
                              f"mean parsing all of it first); open and save the workbook in Excel or LibreOffice, "
                              f"which declare the range, or delete the sheet"])
        if i.file_size > limit:
            what += f", used range {used}," if used else ""
            raise InputError([f"{filename}: {what} inflates to {_size(i.file_size)} (from {_size(i.compress_size)} "
                              f"in the file), more than the {_size(limit)} a part of a planner workbook can need; "
                              f"the file is refused unread (a damaged file or a zip bomb). Delete what does not "
                              f"belong in the workbook, or re-save it from Excel"])
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise InputError([f"{filename}: the parts of the file inflate to {_size(total)} together, more than the "
                          f"{_size(MAX_TOTAL_BYTES)} a planner workbook can need; the file is refused unread. "
                          f"Move unrelated sheets to another workbook"])


def declared_range_problem(ws, limit: SheetLimit) -> str:
    """'' when the sheet's declared used range fits the limit (or is not declared), else the message."""
    max_row, max_col = ws.max_row, ws.max_column
    if max_row is None or max_col is None or (max_row <= limit.rows and max_col <= limit.cols):
        return ""
    used = f"{col_letter(ws.min_column or 1)}{ws.min_row or 1}:{col_letter(max_col)}{max_row}"
    return (f"{ws.title}: the sheet's used range is {used} ({max_row:,} rows x {max_col:,} columns), far more than "
            f"this sheet can mean (at most {limit.rows:,} rows and {limit.cols} columns: {limit.holds}); delete "
            f"whatever lies below or right of the data (in Excel, Ctrl+End goes to the last used cell) and save")


def bounded_rows(ws, limit: SheetLimit) -> list[tuple]:
    """The sheet's rows as value tuples (each as wide as its last cell), refusing the first cell beyond the limit.

    The declared used range is not trusted (openpyxl would pad every row to it): rows are streamed as stored,
    so a stray cell costs one row, and the read stops at the first row or column beyond the limit.
    """
    ws.reset_dimensions()
    rows: list[tuple] = []
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if i > EXCEL_MAX_ROWS:
            raise InputError([f"{ws.title}: row numbers beyond Excel's last row {EXCEL_MAX_ROWS:,}; the file is "
                              f"damaged, re-save it from Excel"])
        if len(row) > limit.cols or (i > limit.rows and len(row)):
            cell = f"{col_letter(len(row))}{i}"
            raise InputError([f"{ws.title}!{cell}: a cell lies outside what this sheet can mean (at most "
                              f"{limit.rows:,} rows and {limit.cols} columns: {limit.holds}); delete whatever lies "
                              f"below or right of the data (in Excel, Ctrl+End goes to the last used cell) and save"])
        if i <= limit.rows:
            rows.append(tuple(row))
    return rows


def _peek_used_range(z: zipfile.ZipFile, part: zipfile.ZipInfo) -> str:
    """The used range a worksheet part declares near its start (inflating at most 64 KiB), or ''."""
    try:
        with z.open(part) as fh:
            head = fh.read(64 * 1024).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ""
    m = re.search(r'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)"', head)
    return m.group(1) if m else ""


def _sheet_names_by_part(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name, from the (small, size-checked) workbook and its relationships."""
    try:
        parts = {n: z.getinfo(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        if any(i.file_size > MAX_XML_PART_BYTES for i in parts.values()):
            return {}
        wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {}
    for r in rels:
        target = r.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[r.get("Id")] = path
    out = {}
    for el in wb.iter():
        if el.tag.endswith("}sheet") and el.get(rel_ns) in targets:
            out[targets[el.get(rel_ns)]] = el.get("name", "")
    return out


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _size(n: int) -> str:
    if n >= 1024 * MIB:
        return f"{n / (1024 * MIB):.1f} GiB"
    if n >= MIB:
        return f"{n / MIB:.1f} MiB"
    return f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} bytes"
