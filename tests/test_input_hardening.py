"""Hostile and careless workbooks: stray cells, huge sheets, zip bombs, pipes, folders, unreadable files,
comma numbers, time-zone timestamps and magnitudes that would wreck the solve (issues 14.4, 15.9-15.11).

Every workbook here is a real .xlsx: the shipped template edited with openpyxl, or its parts rewritten in
the zip (as another writer would store them). Each test asserts the exact message with its sheet and cell
or range, and the CLI's exit code 2 without a traceback.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import edited_copy

from planner.errors import InputError
from planner.paths import REPO_ROOT
from planner.scenario.inputs import HOURLY_NAMES
from planner.scenario.layout import col_letter
from planner.scenario.reader import Problems, _timestamps, read_workbook

TEMPLATE = REPO_ROOT / "inputs" / "template.xlsx"
HOURLY_LIMIT_TEXT = ("at most 9,000 rows and 100 columns: 8784 hours of a leap year below a header and a units row, "
                     "and the columns of the series")
DELETE_TEXT = "delete whatever lies below or right of the data (in Excel, Ctrl+End goes to the last used cell) and save"
MIB = 1 << 20


# ----------------------------------------------------------------------------------------- helpers

def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as e:
        read_workbook(path)
    return e.value.problems


def run_cli(*args: str, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT, preexec_fn=preexec_fn)


def assert_cli_refuses(path: Path, message: str, command: str = "validate", preexec_fn=None) -> None:
    r = run_cli(command, str(path), preexec_fn=preexec_fn)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stdout + r.stderr and "internal error" not in r.stderr
    assert message in r.stderr


def sheet_part(name: str) -> str:
    """The zip part of a sheet in a workbook written by openpyxl (sheets are numbered in order)."""
    wb = openpyxl.load_workbook(TEMPLATE, read_only=True)
    try:
        return f"xl/worksheets/sheet{wb.sheetnames.index(name) + 1}.xml"
    finally:
        wb.close()


def field_row(sheet: str, field: str) -> int:
    wb = openpyxl.load_workbook(TEMPLATE, read_only=True)
    try:
        for i, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            if row and row[0] == field:
                return i
    finally:
        wb.close()
    raise KeyError(field)


def rewrite_parts(dst: Path, edits: dict[str, callable], src: Path = TEMPLATE) -> Path:
    """Copy the workbook, passing the named parts' XML text through the edit functions."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(item.filename, data)
    return dst


def cell_xml(coord: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{coord}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{coord}" t="n"><v>{value!r}</v></c>'


def set_cells(xml: str, values: dict[str, object]) -> str:
    """Replace existing cells of a sheet's XML by the given values (text as inline strings)."""
    for coord, value in values.items():
        pattern = re.compile(rf'<c r="{coord}"(?:\s[^>]*?)?(?:/>|>.*?</c>)', re.S)
        xml, n = pattern.subn(cell_xml(coord, value).replace("\\", r"\\"), xml, count=1)
        assert n == 1, f"cell {coord} not in the sheet"
    return xml


def with_cells(dst: Path, cells: dict[str, dict[str, object]]) -> Path:
    """The template with cells set, e.g. {"Mining": {"C28": "40,5"}}."""
    return rewrite_parts(dst, {sheet_part(s): (lambda xml, v=v: set_cells(xml, v)) for s, v in cells.items()})


def timestamp_column(xml: str, texts: list[str], cell_type: str = "inlineStr") -> str:
    """Replace Hourly A3.. by the texts, as inline strings or as ISO 8601 date cells (t="d")."""
    def one(m: re.Match) -> str:
        row = int(m.group(1))
        if row < 3:
            return m.group(0)
        text = texts[row - 3]
        if cell_type == "d":
            return f'<c r="A{row}" t="d"><v>{text}</v></c>'
        return f'<c r="A{row}" t="inlineStr"><is><t>{text}</t></is></c>'
    return re.sub(r'<c r="A(\d+)"(?:\s[^>]*?)?(?:/>|>.*?</c>)', one, xml, flags=re.S)


@pytest.fixture(scope="module")
def base_stamps() -> pd.DatetimeIndex:
    """The template's hourly timestamps (local standard time, naive)."""
    return pd.DatetimeIndex(read_workbook(TEMPLATE).hourly["timestamp"])


# ------------------------------------------------------------------------- sheet sizes (15.9)

def stray_hourly_cell(wb: openpyxl.Workbook) -> None:
    wb["Hourly"]["XFD1048576"] = 1


def test_item9_stray_cell_at_xfd1048576_is_refused_naming_the_used_range(tmp_path):
    path = tmp_path / "stray.xlsx"
    edited_copy(TEMPLATE, path, stray_hourly_cell)
    expected = (f"Hourly: the sheet's used range is A1:XFD1048576 (1,048,576 rows x 16,384 columns), far more than "
                f"this sheet can mean ({HOURLY_LIMIT_TEXT}); {DELETE_TEXT}")
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


def test_item9_stray_cell_without_a_declared_range_is_named_by_its_cell(tmp_path):
    """A writer that omits <dimension>: the rows are streamed, and the stray cell itself is named."""
    with_dim = tmp_path / "with_dim.xlsx"
    edited_copy(TEMPLATE, with_dim, stray_hourly_cell)
    path = rewrite_parts(tmp_path / "no_dim.xlsx", {sheet_part("Hourly"): lambda x: re.sub(r"<dimension [^>]*/>",
                                                                                           "", x)}, src=with_dim)
    assert "<dimension" not in zipfile.ZipFile(path).read(sheet_part("Hourly")).decode()
    expected = (f"Hourly!XFD1048576: a cell lies outside what this sheet can mean ({HOURLY_LIMIT_TEXT}); "
                f"{DELETE_TEXT}")
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


def test_item9_a_wide_row_in_a_parameter_sheet_is_named_by_its_cell(tmp_path):
    """Mining!AY3 is column 51, one beyond the 50 a parameter sheet may use; no <dimension> to trust."""
    def wide(wb):
        wb["Mining"]["AY3"] = "note"

    src = tmp_path / "wide_dim.xlsx"
    edited_copy(TEMPLATE, src, wide)
    path = rewrite_parts(tmp_path / "wide.xlsx", {sheet_part("Mining"): lambda x: re.sub(r"<dimension [^>]*/>", "",
                                                                                        x)}, src=src)
    expected = ("Mining!AY3: a cell lies outside what this sheet can mean (at most 500 rows and 50 columns: one row "
                f"per field below a title and a header row); {DELETE_TEXT}")
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


@pytest.mark.parametrize("last_row,refused", [(9000, False), (9001, True)])
def test_item9_hourly_sheet_row_limit_is_9000(tmp_path, last_row, refused):
    """Rows down to 9000 are read (and fail only the 8760-hour count); one row more is refused unread."""
    def longer(wb):
        ws = wb["Hourly"]
        for r in range(8763, last_row + 1):
            ws.cell(r, 2).value = 0.5

    path = tmp_path / "long.xlsx"
    edited_copy(TEMPLATE, path, longer)
    ps = problems(path)
    if refused:
        n_cols = 1 + len(HOURLY_NAMES)  # the timestamp and every declared series
        expected = (f"Hourly: the sheet's used range is A1:{col_letter(n_cols)}9001 (9,001 rows x {n_cols} columns), "
                    f"far more than this sheet "
                    f"can mean ({HOURLY_LIMIT_TEXT}); {DELETE_TEXT}")
        assert ps == [expected]
        assert_cli_refuses(path, expected)
    else:
        assert "Hourly: expected 8760 hourly rows (or 8784 for a leap year) from row 3, found 8998 (last data row " \
               "9000)" in ps


def test_item9_hourly_sheet_of_a_million_rows_is_refused_unread(tmp_path):
    """1,048,576 rows x 12 columns: the sheet part inflates to ~400 MiB, refused from the zip directory."""
    part = sheet_part("Hourly")
    path = tmp_path / "million.xlsx"
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != part:
                zout.writestr(item.filename, zin.read(item.filename))
        with zout.open(part, "w", force_zip64=True) as fh:
            fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     b'<dimension ref="A1:L1048576"/><sheetData>')
            rows = (b"<row>" + b"<c><v>0</v></c>" * 12 + b"</row>") * 4096  # row and cell numbers are optional
            for _ in range(1_048_576 // 4096):
                fh.write(rows)
            fh.write(b"</sheetData></worksheet>")
        size = zout.getinfo(part).file_size
    assert size > 128 * MIB
    expected = (f"million.xlsx: part {part} (sheet 'Hourly'), used range A1:L1048576, inflates to "
                f"{size / MIB:.1f} MiB (from {zipfile.ZipFile(path).getinfo(part).compress_size / MIB:.1f} MiB in "
                f"the file), more than the 128.0 MiB a part of a planner workbook can need; the file is refused "
                f"unread (a damaged file or a zip bomb). Delete what does not belong in the workbook, or re-save it "
                f"from Excel")
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


def test_item9_big_sheet_without_a_declared_range_is_refused_before_parsing(tmp_path):
    """1,048,576 one-cell rows and no <dimension>: 26 MiB of XML that openpyxl would parse whole to size it."""
    part = sheet_part("Hourly")
    path = tmp_path / "undeclared.xlsx"
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != part:
                zout.writestr(item.filename, zin.read(item.filename))
        with zout.open(part, "w") as fh:
            fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(1_048_576 // 4096):
                fh.write(b"<row><c><v>0</v></c></row>" * 4096)
            fh.write(b"</sheetData></worksheet>")
        size = zout.getinfo(part).file_size
    assert 16 * MIB < size <= 128 * MIB
    expected = (f"undeclared.xlsx: part {part} (sheet 'Hourly') declares no used range and inflates to "
                f"{size / MIB:.1f} MiB, more than the 16.0 MiB such a sheet may have (reading it would mean parsing "
                f"all of it first); open and save the workbook in Excel or LibreOffice, which declare the range, or "
                f"delete the sheet")
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


def test_item9_unused_sheet_is_not_read_whatever_its_size(tmp_path):
    def extra(wb):
        wb.create_sheet("Raw")["XFD1048576"] = "old data"

    path = tmp_path / "extra.xlsx"
    edited_copy(TEMPLATE, path, extra)
    sc = read_workbook(path)
    assert "Raw: sheet is not used by the planner (ignored)" in sc.warnings
    assert sc.n_steps == 8760


# --------------------------------------------------------------------------------- zip bomb (15.9)

def _deflate_blocks(head: bytes, chunk: bytes, tail: bytes) -> tuple[bytes, bytes, bytes]:
    """Raw deflate of head, one chunk and tail, each ended by a full flush: the chunk block can be repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH) == block  # a full flush resets the compressor
    return first, block, c.compress(tail) + c.flush()


def _write_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> None:
    """A zip from (name, raw deflate data, crc32, inflated size) entries, written by hand (sizes < 4 GiB)."""
    with open(path, "wb") as fh:
        central = b""
        for name, data, crc, size in entries:
            offset = fh.tell()
            n = name.encode()
            fh.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(n), 0)
                     + n + data)
            central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                                   len(n), 0, 0, 0, 0, 0, offset) + n
        start = fh.tell()
        fh.write(central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                                       start, 0))


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> tuple[Path, int, int]:
    """The template with its Hourly sheet replaced by 3 GiB of XML (a long run of spaces), ~3 MB compressed."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    tail = b"</sheetData></worksheet>"
    chunk, n_chunks = b" " * MIB, 3072
    first, block, last = _deflate_blocks(head, chunk, tail)
    # the repeated stream inflates to head + chunks + tail: checked on two chunks (blocks are independent)
    assert zlib.decompress(first + block + block + last, -15) == head + chunk + chunk + tail
    crc = zlib.crc32(head)
    for _ in range(n_chunks):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + n_chunks * MIB + len(tail)
    part = sheet_part("Hourly")
    entries = []
    with zipfile.ZipFile(TEMPLATE) as z:
        for item in z.infolist():
            if item.filename == part:
                entries.append((part, first + block * n_chunks + last, crc, size))
            else:
                raw = z.read(item.filename)
                c = zlib.compressobj(6, zlib.DEFLATED, -15)
                entries.append((item.filename, c.compress(raw) + c.flush(), zlib.crc32(raw), len(raw)))
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    _write_zip(path, entries)
    info = zipfile.ZipFile(path).getinfo(part)
    assert info.file_size == size and info.compress_size < 4 * MIB
    return path, size, info.compress_size


class _CountingInflater:
    """zlib's decompressor, counting every byte it inflates."""

    def __init__(self, inner, counter: list[int]):
        self._inner, self._counter = inner, counter

    def decompress(self, data, max_length=0):
        out = self._inner.decompress(data, max_length)
        self._counter[0] += len(out)
        return out

    def flush(self, *args):
        out = self._inner.flush(*args)
        self._counter[0] += len(out)
        return out

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.fixture()
def inflated_bytes(monkeypatch) -> list[int]:
    counter = [0]
    real = zlib.decompressobj
    monkeypatch.setattr(zlib, "decompressobj", lambda *a, **k: _CountingInflater(real(*a, **k), counter))
    return counter


def test_item9_zip_bomb_is_refused_before_it_is_inflated(zip_bomb, inflated_bytes):
    path, size, compressed = zip_bomb
    part = sheet_part("Hourly")
    expected = (f"bomb.xlsx: part {part} (sheet 'Hourly') inflates to {size / (1024 * MIB):.1f} GiB (from "
                f"{compressed / MIB:.1f} MiB in the file), more than the 128.0 MiB a part of a planner workbook can "
                f"need; the file is refused unread (a damaged file or a zip bomb). Delete what does not belong in "
                f"the workbook, or re-save it from Excel")
    assert expected.startswith(f"bomb.xlsx: part {part} (sheet 'Hourly') inflates to 3.0 GiB")
    assert problems(path) == [expected]
    # only the workbook's list of sheets and 64 KiB of the bomb's start were inflated, not its 3 GiB
    assert 0 < inflated_bytes[0] < MIB
    assert_cli_refuses(path, expected)


def test_item9_part_lying_about_its_size_is_damaged_not_inflated(zip_bomb, tmp_path, inflated_bytes):
    """A central directory that declares 1 KiB for the 3 GiB stream: zipfile stops at 1 KiB, and the CRC fails."""
    src, _, _ = zip_bomb
    part = sheet_part("Hourly")
    data = bytearray(src.read_bytes())
    cd = struct.unpack_from("<L", data, data.rindex(b"PK\x05\x06") + 16)[0]  # start of the central directory
    while True:  # walk its entries to the part's, and declare 1024 bytes inflated
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, cd + 28)
        if data[cd + 46:cd + 46 + name_len].decode() == part:
            break
        cd += 46 + name_len + extra_len + comment_len
    struct.pack_into("<L", data, cd + 24, 1024)
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo(part).file_size == 1024
    expected = f"liar.xlsx: the file is damaged (corrupt part {part}); re-save it from Excel"
    assert problems(path) == [expected]
    assert inflated_bytes[0] < 8 * MIB
    assert_cli_refuses(path, expected)


# ---------------------------------------------------------------- pipes, folders, permissions (15.9/15.10)

def test_item10_fifo_named_xlsx_is_refused_without_being_opened(tmp_path):
    fifo, log = tmp_path / "site.xlsx", tmp_path / "opened.log"
    os.mkfifo(fifo)
    # a writer that serves every reader of the FIFO a few bytes and logs it: a reader that opened the pipe
    # would neither hang (each open gets data and an end of file) nor go unnoticed
    serve = ("import sys\nwhile True:\n    with open(sys.argv[1], 'wb') as f:\n        f.write(b'PK garbage')\n"
             "    with open(sys.argv[2], 'a') as g:\n        g.write('opened\\n')\n")
    writer = subprocess.Popen([sys.executable, "-c", serve, str(fifo), str(log)])
    try:
        expected = (f"{fifo}: is not a regular file (it is a named pipe (FIFO)); save the workbook as a file and "
                    f"give its path")
        assert problems(fifo) == [expected]
        assert_cli_refuses(fifo, expected)
        assert writer.poll() is None and not log.exists(), "the FIFO was opened for reading"
    finally:
        writer.kill()
        writer.wait()


def test_item10_directory_named_xlsx_is_a_plain_error(tmp_path):
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    expected = f"{folder}: is a folder, not a workbook; give the path of an .xlsx file"
    assert problems(folder) == [expected]
    for command in ("validate", "params", "run"):
        assert_cli_refuses(folder, expected, command)


def _without_file_permission_override() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so that
    root, too, is bound by file modes (prctl PR_CAPBSET_DROP = 24; the caps are 1 and 2)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_item10_unreadable_file_is_a_plain_error(tmp_path):
    """chmod 000. Root reads any file, so as root the reader runs in a child without the capabilities that let
    root ignore file modes (a real kernel permission check, not a simulated one)."""
    path = tmp_path / "site.xlsx"
    shutil.copy(TEMPLATE, path)
    path.chmod(0)
    as_root = os.geteuid() == 0
    preexec = _without_file_permission_override if as_root else None
    script = ("import json, sys\nfrom planner.errors import InputError\nfrom planner.scenario.reader import "
              "read_workbook\ntry:\n    read_workbook(sys.argv[1])\nexcept InputError as e:\n"
              "    print(json.dumps(e.problems))\n")
    try:
        r = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=REPO_ROOT,
                           preexec_fn=preexec)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == (f'["{path}: cannot be read: permission denied; check the file\'s '
                                    f'permissions"]')
        # the CLI's argument check names it first (click), with exit 2 and no traceback
        assert_cli_refuses(path, f"Error: Invalid value for 'WORKBOOK': Path '{path}' is not readable.",
                           preexec_fn=preexec)
    finally:
        path.chmod(0o600)


def test_item10_empty_file_is_named(tmp_path):
    path = tmp_path / "site.xlsx"
    path.write_bytes(b"")
    expected = "site.xlsx: the file is empty (0 bytes); save the workbook from Excel as .xlsx"
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


# --------------------------------------------------------------------------------- comma numbers (14.4)

COMMA_CASES = {
    # sheet, field or cell, text, expected message (after "Sheet!Cell: ")
    "decimal comma 40,5": ("Mining", "hashprice_usd_per_ph_day", "40,5",
                           'hashprice_usd_per_ph_day must be a number in USD/PH/day, found "40,5": "40,5" has a '
                           'decimal comma: type 40.5 (the decimal separator is a point)'),
    "decimal comma 1,3": ("AI", "pue", "1,3",
                          'pue must be a number in ratio, found "1,3": "1,3" has a decimal comma: type 1.3 (the '
                          'decimal separator is a point)'),
    "ambiguous 1,000": ("Battery", "max_new_mw", "1,000",
                        'max_new_mw must be a number in MW, found "1,000": "1,000" is 1 where the comma is the '
                        'decimal separator and 1000 where it groups thousands: type 1000 or 1, without the comma'),
    "grouping without a point": ("PV", "max_new_mw_ac", "1,234,567",
                                 'max_new_mw_ac must be a number in MW_ac, found "1,234,567": type 1234567 without '
                                 'thousands separators (a grouping is read only with a decimal point, e.g. '
                                 '1,234,567.0)'),
    "point grouping with decimal comma": ("Wind", "capex_usd_per_kw", "1.689,5",
                                          'capex_usd_per_kw must be a number in USD/kW, found "1.689,5": "1.689,5" '
                                          'has a decimal comma: type 1689.5 (the decimal separator is a point)'),
    "space grouping": ("Hydro", "capex_usd_per_kw", "8 000",
                       'capex_usd_per_kw must be a number in USD/kW, found "8 000": type 8000 without spaces or '
                       'apostrophes between the digits'),
}


# the Hourly column letter of hydro_flow_m3s (timestamp is column A)
HYDRO_FLOW_COLUMN = col_letter(2 + HOURLY_NAMES.index("hydro_flow_m3s"))


@pytest.fixture(scope="module")
def comma_workbook(tmp_path_factory) -> Path:
    """One workbook with every refused comma form, in a parameter sheet, the Hourly sheet and Sensitivity."""
    cells: dict[str, dict[str, object]] = {}
    for sheet, field, text, _ in COMMA_CASES.values():
        cells.setdefault(sheet, {})[f"C{field_row(sheet, field)}"] = text
    cells["Hourly"] = {"B10": "0,5", f"{HYDRO_FLOW_COLUMN}11": "1,5"}
    cells["Sensitivity"] = {"B2": "25,5", "C3": "3,500"}
    return with_cells(tmp_path_factory.mktemp("commas") / "commas.xlsx", cells)


@pytest.fixture(scope="module")
def comma_problems(comma_workbook) -> list[str]:
    return problems(comma_workbook)


def test_every_comma_problem_reaches_the_cli(comma_workbook, comma_problems):
    assert len(comma_problems) == len(COMMA_CASES) + 4
    r = run_cli("validate", str(comma_workbook))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    for message in comma_problems:
        assert f"  - {message}" in r.stderr


@pytest.mark.parametrize("case", list(COMMA_CASES))
def test_comma_number_in_a_parameter_cell_is_an_error_saying_how_to_write_it(comma_problems, case):
    sheet, field, _, message = COMMA_CASES[case]
    assert f"{sheet}!C{field_row(sheet, field)}: {message}" in comma_problems


def test_comma_numbers_in_hourly_and_sensitivity_cells_are_errors(comma_problems):
    assert ('Hourly!B10: pv_cf must be a number in fraction, found "0,5": "0,5" has a decimal comma: type 0.5 (the '
            'decimal separator is a point)') in comma_problems
    assert (f'Hourly!{HYDRO_FLOW_COLUMN}11: hydro_flow_m3s must be a number in m3/s, found "1,5": "1,5" has a '
            'decimal comma: type 1.5 (the decimal separator is a point)') in comma_problems
    assert ('Sensitivity!B2: low value of mining.hashprice_usd_per_ph_day must be a number, found "25,5": "25,5" has '
            'a decimal comma: type 25.5 (the decimal separator is a point)') in comma_problems
    assert ('Sensitivity!C3: high value of ai.gpu_hour_price_usd must be a number, found "3,500": "3,500" is 3.5 '
            'where the comma is the decimal separator and 3500 where it groups thousands: type 3500 or 3.5, without '
            'the comma') in comma_problems


def test_acceptance_40_comma_5_in_hashprice_fails_validate_with_exit_2(tmp_path):
    row = field_row("Mining", "hashprice_usd_per_ph_day")
    path = with_cells(tmp_path / "hashprice.xlsx", {"Mining": {f"C{row}": "40,5"}})
    for command in ("validate", "params", "run"):
        assert_cli_refuses(path, f'Mining!C{row}: hashprice_usd_per_ph_day must be a number in USD/PH/day, found '
                                 f'"40,5"', command)


def test_grouping_with_a_decimal_point_is_read_with_a_warning(tmp_path):
    budget, container = field_row("Site", "capex_budget_usd"), field_row("Mining", "container_capex_usd_per_mw")
    path = with_cells(tmp_path / "grouped.xlsx", {
        "Site": {f"C{budget}": "1,234,567.5"},
        "Mining": {f"C{container}": "212,500.5"},
        "Hourly": {f"{HYDRO_FLOW_COLUMN}3": "1,234.5", f"{HYDRO_FLOW_COLUMN}4": "2.5"},
        "Sensitivity": {"C2": "60.5"},
    })
    sc = read_workbook(path)
    assert sc.site.capex_budget_usd == 1234567.5
    assert sc.mining.container_capex_usd_per_mw == 212500.5
    assert list(sc.hourly["hydro_flow_m3s"][:2]) == [1234.5, 2.5]
    assert sc.sensitivity[0].high == 60.5
    assert (f"Site!C{budget}: capex_budget_usd is stored as text ('1,234,567.5'); read as the number 1234567.5 "
            f"(the commas read as thousands separators)") in sc.warnings
    assert (f"Mining!C{container}: container_capex_usd_per_mw is stored as text ('212,500.5'); read as the number "
            f"212500.5 (the commas read as thousands separators)") in sc.warnings
    assert (f"Hourly!{HYDRO_FLOW_COLUMN}3: hydro_flow_m3s has 2 number(s) stored as text (first '1,234.5'); read "
            f"as numbers (commas as thousands separators)") in sc.warnings


# ------------------------------------------------------------------------------ timestamps (15.10)

def _text_stamps(stamps, fmt: str = "%Y-%m-%dT%H:%M", suffix: str = "") -> list[str]:
    return [t.strftime(fmt) + suffix for t in stamps]


def _with_stamps(tmp_path: Path, texts: list[str], cell_type: str = "inlineStr") -> Path:
    return rewrite_parts(tmp_path / "stamps.xlsx", {sheet_part("Hourly"): lambda x: timestamp_column(x, texts,
                                                                                                      cell_type)})


def test_one_utc_offset_is_read_as_the_clock_times_written(tmp_path, base_stamps):
    sc = read_workbook(_with_stamps(tmp_path, _text_stamps(base_stamps, suffix="+01:00")))
    assert (pd.DatetimeIndex(sc.hourly["timestamp"]) == base_stamps).all()
    assert ("Hourly!A3: timestamps carry the UTC offset +01:00; read as the clock times written (local standard "
            "time UTC+01:00)") in sc.warnings


def test_z_timestamps_are_read_as_utc_clock_times_and_said(tmp_path, base_stamps):
    sc = read_workbook(_with_stamps(tmp_path, _text_stamps(base_stamps, suffix="Z")))
    assert (pd.DatetimeIndex(sc.hourly["timestamp"]) == base_stamps).all()
    assert ("Hourly!A3: timestamps are in UTC (offset +00:00 or Z); read as the clock times written, taken as the "
            "site's standard time: if the site is not on UTC, the report's hours of the day are UTC hours") in \
        sc.warnings


def test_daylight_saving_offsets_are_converted_to_local_standard_time(tmp_path, base_stamps):
    """Berlin clock times with +01:00/+02:00 for the template's hours read in CET: back to the CET hours."""
    instants = (base_stamps - pd.Timedelta(hours=1)).tz_localize("UTC")
    berlin = instants.tz_convert("Europe/Berlin")
    texts = [t.isoformat(timespec="minutes") for t in berlin]
    assert pd.Index([t[:16] for t in texts]).duplicated().any()  # the clock times alone repeat an hour in October
    sc = read_workbook(_with_stamps(tmp_path, texts))
    assert (pd.DatetimeIndex(sc.hourly["timestamp"]) == base_stamps).all()
    warning = ("Hourly!A3: timestamps carry the UTC offsets +01:00, +02:00 (daylight-saving time); converted to "
               "local standard time, UTC+01:00 (the smallest offset), so each hour appears once")
    assert warning in sc.warnings
    r = run_cli("validate", str(tmp_path / "stamps.xlsx"))
    assert r.returncode == 0 and f"warning: {warning}" in r.stdout, r.stderr


def test_mixed_offset_and_plain_timestamps_are_an_error_naming_the_cell(tmp_path, base_stamps):
    texts = _text_stamps(base_stamps, fmt="%Y-%m-%d %H:%M")
    texts[7] = base_stamps[7].strftime("%Y-%m-%dT%H:%M") + "+01:00"
    path = _with_stamps(tmp_path, texts)
    expected = (f'Hourly!A10: timestamp "{texts[7]}" has a UTC offset but Hourly!A3 ("{texts[0]}") has none; write '
                f'every timestamp the same way, best without an offset in local standard time')
    assert texts[7] == "2013-01-01T07:00+01:00"
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


def test_time_zone_names_are_an_error_with_a_hint(tmp_path, base_stamps):
    path = _with_stamps(tmp_path, _text_stamps(base_stamps, fmt="%Y-%m-%d %H:%M", suffix=" CET"))
    expected = ('Hourly!A3: timestamp must be a date and time (e.g. 2013-01-01 00:00), found "2013-01-01 00:00 CET" '
                '(a time zone can be given only as an offset such as +01:00; best give none, in local standard time) '
                '(also rows 4, 5, 6, 7 and 8755 more)')
    assert problems(path) == [expected]
    assert_cli_refuses(path, expected)


def test_iso_date_cells_with_an_offset_keep_their_clock_time(tmp_path, base_stamps):
    """Excel date cells have no time zone; an ISO 8601 date cell (t="d") with +01:00 is read by openpyxl
    as its clock time (the offset dropped), which is also what the reader does with one offset in text."""
    path = _with_stamps(tmp_path, _text_stamps(base_stamps, fmt="%Y-%m-%dT%H:%M:%S", suffix="+01:00"), "d")
    assert 't="d"><v>2013-01-01T00:00:00+01:00</v>' in zipfile.ZipFile(path).read(sheet_part("Hourly")).decode()
    sc = read_workbook(path)
    assert (pd.DatetimeIndex(sc.hourly["timestamp"]) == base_stamps).all()


def test_datetimes_with_tzinfo_are_converted_like_text_offsets():
    """Library level: openpyxl never returns tz-aware datetimes, but the reader's timestamp parser accepts them."""
    cet, cest = dt.timezone(dt.timedelta(hours=1)), dt.timezone(dt.timedelta(hours=2))
    raw = [dt.datetime(2013, 3, 31, 1, 0, tzinfo=cet), dt.datetime(2013, 3, 31, 3, 0, tzinfo=cest),
           dt.datetime(2013, 3, 31, 4, 0, tzinfo=cest)]
    p = Problems()
    out = _timestamps(raw, p)
    assert out == [pd.Timestamp("2013-03-31 01:00"), pd.Timestamp("2013-03-31 02:00"), pd.Timestamp("2013-03-31 03:00")]
    assert p.errors == []
    mixed = Problems()
    _timestamps([dt.datetime(2013, 1, 1, 0, 0), dt.datetime(2013, 1, 1, 1, 0, tzinfo=dt.UTC)], mixed)
    assert mixed.errors == ["Hourly!A4: timestamp 2013-01-01 01:00:00+00:00 has a UTC offset but Hourly!A3 "
                            "(2013-01-01 00:00:00) has none; write every timestamp the same way, best without an "
                            "offset in local standard time"]


# ------------------------------------------------------------------------------ magnitudes (15.11)

def test_magnitudes_that_would_wreck_the_solve_are_errors_naming_the_cell(tmp_path):
    nuc, geo = field_row("Nuclear", "capex_usd_per_kw"), field_row("Geothermal", "capex_usd_per_kw")
    fom = field_row("Nuclear", "fom_usd_per_kw_year")
    path = with_cells(tmp_path / "huge.xlsx", {
        "Nuclear": {f"C{nuc}": 1e300, f"C{fom}": 2e12},
        "Geothermal": {f"C{geo}": 3.1e10},
        "Hourly": {f"{HYDRO_FLOW_COLUMN}5": 2e6},
        "Sensitivity": {"C7": 1e300, "C11": 1e13},
    })
    ps = problems(path)
    typical = ("is far beyond any plausible value (typical 500..30000 USD/kW; at most 3e+10 is accepted, 1000 times "
               "the top of that range even in the largest unit slip); to keep the planner from building something, "
               "set its enabled or max_new_* field instead")
    assert f"Nuclear!C{nuc}: capex_usd_per_kw = 1e+300 {typical}" in ps
    assert f"Geothermal!C{geo}: capex_usd_per_kw = 3.1e+10 {typical}" in ps
    assert (f"Nuclear!C{fom}: fom_usd_per_kw_year = 2e+12 is beyond what the planner can compute with (at most 1e+12 "
            f"USD/kW-yr is accepted: larger numbers leave the rest of the plan below the solver's precision); to keep "
            f"the planner from building something, set its enabled or max_new_* field instead") in ps
    assert f"Hourly!{HYDRO_FLOW_COLUMN}5: hydro_flow_m3s must be within 0..1e+06 m3/s, found 2e+06" in ps
    assert ("Sensitivity!C7: high value of pv.capex_usd_per_kw_ac = 1e+300 is far beyond any plausible value "
            "(typical 300..5000 USD/kW_ac; at most 5e+09 is accepted, 1000 times the top of that range even in the "
            "largest unit slip); to keep the planner from building something, set its enabled or max_new_* field "
            "instead") in ps
    assert ("Sensitivity!C11: high value of hourly.export_price_usd_per_mwh = 1e+13 is beyond what the planner can "
            "compute with (at most 1e+12 is accepted: larger numbers leave the rest of the plan below the solver's "
            "precision)") in ps
    assert len(ps) == 6
    r = run_cli("validate", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "RuntimeWarning" not in r.stderr
    assert f"Nuclear!C{nuc}: capex_usd_per_kw = 1e+300" in r.stderr


def test_magnitude_limit_is_inclusive_and_derived_from_the_typical_range(tmp_path):
    """30000 USD/kW (typical top) x 1000 (USD/MW slip) x 1000 = 3e10 is still read, with the unit-slip warning."""
    nuc = field_row("Nuclear", "capex_usd_per_kw")
    sc = read_workbook(with_cells(tmp_path / "edge.xlsx", {"Nuclear": {f"C{nuc}": 3e10},
                                                                  "Hourly": {f"{HYDRO_FLOW_COLUMN}5": 1e6}}))
    assert sc.nuclear.capex_usd_per_kw == 3e10
    assert sc.hourly["hydro_flow_m3s"][2] == 1e6
    assert (f"Nuclear!C{nuc}: capex_usd_per_kw = 3e+10 is outside the typical range 500..30000 USD/kW; check the "
            f"value") in sc.warnings
