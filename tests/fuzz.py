"""Fuzz the workbook reader with malformed workbooks derived from the example sites.

    python tests/fuzz.py --n 200        # the full suite (one command); CI runs a fast subset

Every case must end in a clear InputError (naming a sheet and a cell, column or row) or be accepted,
with warnings where the value looks wrong; never a traceback. The summary line counts cases, clear
errors, warnings and tracebacks (which must be 0).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from planner.errors import InputError
from planner.paths import INPUTS_DIR
from planner.scenario.inputs import SECTIONS
from planner.scenario.reader import read_workbook

WHERE = re.compile(r"^(\S+?)(!|:)")  # every message starts with Sheet!Cell, Sheet: or file name:

Mutation = Callable[[openpyxl.Workbook, random.Random], str]


def _kv_cell(wb: openpyxl.Workbook, rng: random.Random):
    sheet = rng.choice(list(SECTIONS))
    ws = wb[sheet]
    row = rng.randint(3, ws.max_row)
    return ws, ws.cell(row=row, column=3)


def delete_sheet(wb, rng) -> str:
    name = rng.choice(wb.sheetnames)
    wb.remove(wb[name])
    return f"delete sheet {name}"


def delete_hourly_column(wb, rng) -> str:
    ws = wb["Hourly"]
    col = rng.randint(1, ws.max_column)
    ws.delete_cols(col)
    return f"delete Hourly column {col}"


def shuffle_headers(wb, rng) -> str:
    ws = wb["Hourly"]
    names = [c.value for c in ws[1]]
    rng.shuffle(names)
    for c, n in zip(ws[1], names, strict=True):
        c.value = n
    return "shuffle Hourly headers"


def text_in_number(wb, rng) -> str:
    ws, c = _kv_cell(wb, rng)
    c.value = rng.choice(["n/a", "TBD", "forty", "1,606 $/kW", "8%", "yes please", "-"])
    return f"text in {ws.title}!{c.coordinate}"


def blank_cell(wb, rng) -> str:
    ws, c = _kv_cell(wb, rng)
    c.value = None
    return f"blank {ws.title}!{c.coordinate}"


def scale_value(wb, rng) -> str:
    ws, c = _kv_cell(wb, rng)
    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
        c.value = c.value * rng.choice([1000, 0.001, -1, 1e9, -1e6])
    return f"scale {ws.title}!{c.coordinate}"


def nan_inf(wb, rng) -> str:
    ws = wb["Hourly"]
    cell = ws.cell(row=rng.randint(3, 8762), column=rng.randint(2, ws.max_column))
    cell.value = rng.choice(["nan", "inf", "-inf", "#N/A", "#DIV/0!"])
    return f"nan/inf in Hourly!{cell.coordinate}"


def hourly_length(wb, rng) -> str:
    ws = wb["Hourly"]
    k = rng.choice([-1, 1, 24])
    if k < 0:
        ws.delete_rows(ws.max_row)
    else:
        for _ in range(k):
            ws.append(list(c.value for c in ws[ws.max_row]))
    return f"Hourly length {k:+d}"


def duplicate_timestamp(wb, rng) -> str:
    ws = wb["Hourly"]
    r = rng.randint(4, 8762)
    ws.cell(row=r, column=1).value = ws.cell(row=r - 1, column=1).value
    return f"duplicate timestamp row {r}"


def swap_rows(wb, rng) -> str:
    ws = wb["Hourly"]
    r = rng.randint(3, 8761)
    a, b = ws.cell(row=r, column=1).value, ws.cell(row=r + 1, column=1).value
    ws.cell(row=r, column=1).value, ws.cell(row=r + 1, column=1).value = b, a
    return f"non-monotonic timestamps at row {r}"


def formula_no_cache(wb, rng) -> str:
    ws, c = _kv_cell(wb, rng)
    c.value = "=1+1"
    return f"formula without cached value in {ws.title}!{c.coordinate}"


def merged_cells(wb, rng) -> str:
    ws, c = _kv_cell(wb, rng)
    ws.merge_cells(start_row=c.row, start_column=2, end_row=c.row, end_column=4)
    return f"merge cells around {ws.title}!{c.coordinate}"


def extra_sheet(wb, rng) -> str:
    ws = wb.create_sheet("Notes")
    ws["A1"] = "random notes"
    return "extra sheet"


def negative_hourly(wb, rng) -> str:
    ws = wb["Hourly"]
    cell = ws.cell(row=rng.randint(3, 8762), column=rng.randint(2, ws.max_column))
    cell.value = rng.choice([-5.0, 1e12, 3.5])
    return f"odd hourly value {cell.value} at {cell.coordinate}"


def bad_catalog_name(wb, rng) -> str:
    ws = wb["Mining"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "asic_model":
            row[2].value = rng.choice(["Antminer S21XP", "S19", "", "Whatsminer M99"])
    return "bad catalog name"


MUTATIONS: list[Mutation] = [delete_sheet, delete_hourly_column, shuffle_headers, text_in_number, blank_cell,
                             scale_value, nan_inf, hourly_length, duplicate_timestamp, swap_rows, formula_no_cache,
                             merged_cells, extra_sheet, negative_hourly, bad_catalog_name]


def mutate(m: Mutation, wb: openpyxl.Workbook, rng: random.Random) -> str:
    """Apply one mutation; one that targets a sheet an earlier mutation deleted is skipped."""
    try:
        return m(wb, rng)
    except KeyError:
        return f"{m.__name__} skipped (its sheet was deleted)"


def file_cases(tmp: Path, src: Path) -> list[tuple[str, Path]]:
    """Wrong file types renamed to .xlsx."""
    out = []
    for name, content in (("csv", b"timestamp,pv_cf\n2013-01-01 00:00,0\n"), ("xls", b"\xd0\xcf\x11\xe0" + b"\0" * 512),
                          ("corrupt", src.read_bytes()[:5000]), ("empty", b"")):
        p = tmp / f"{name}.xlsx"
        p.write_bytes(content)
        out.append((f"{name} renamed to .xlsx", p))
    xlsm = tmp / "macro.xlsx"
    shutil.copy(src, xlsm)
    with zipfile.ZipFile(xlsm, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\0" * 64)
    out.append(("xlsm renamed to .xlsx", xlsm))
    return out


def run(n: int, seed: int, tmp: Path) -> dict:
    """Generate and read n malformed workbooks; returns the counts and any traceback text."""
    rng = random.Random(seed)
    sources = sorted((INPUTS_DIR / "examples").glob("*.xlsx"))
    counts = {"cases": 0, "clear_errors": 0, "accepted_with_warnings": 0, "accepted": 0, "tracebacks": 0}
    failures = []
    cases = file_cases(tmp, sources[0])
    base_books = {s: openpyxl.load_workbook(s) for s in sources[:2]}
    for i in range(max(0, n - len(cases))):
        src = rng.choice(list(base_books))
        path = tmp / f"case{i}.xlsx"
        shutil.copy(src, path)
        wb = openpyxl.load_workbook(path)
        what = ", ".join(mutate(m, wb, rng) for m in rng.sample(MUTATIONS, rng.choice([1, 1, 2])))
        wb.save(path)
        cases.append((what, path))
    for what, path in cases[:n]:
        counts["cases"] += 1
        try:
            sc = read_workbook(path)
            counts["accepted_with_warnings" if sc.warnings else "accepted"] += 1
        except InputError as e:
            if all(WHERE.match(p) for p in e.problems) and e.problems:
                counts["clear_errors"] += 1
            else:
                failures.append(f"{what}: unclear message {e.problems}")
                counts["tracebacks"] += 1
        except Exception:  # a traceback reaching the user: the bug this suite hunts
            counts["tracebacks"] += 1
            failures.append(f"{what}:\n{traceback.format_exc()}")
    return {**counts, "failures": failures}


def main() -> None:
    ap = argparse.ArgumentParser(description="fuzz the workbook reader")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        res = run(args.n, args.seed, Path(tmp))
    for f in res["failures"]:
        print(f, file=sys.stderr)
    print(f"fuzz: {res['cases']} cases, {res['clear_errors']} clear errors, {res['accepted_with_warnings']} "
          f"accepted with warnings, {res['accepted']} accepted, {res['tracebacks']} tracebacks")
    sys.exit(1 if res["tracebacks"] else 0)


if __name__ == "__main__":
    main()
