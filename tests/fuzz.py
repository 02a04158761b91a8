"""Fuzz the planner with malformed workbooks derived from the example sites, and hostile command lines.

    python tests/fuzz.py --n 200        # the full suite (one command); CI runs a fast subset

Workbook cases: every one must end in a clear InputError (naming a sheet and a cell, column or row) or be
accepted, with warnings where the value looks wrong; never a traceback (the CLI's exit 3). Environment cases
(in the full suite): real `planner` commands in a sandbox folder, with hostile site names, output folders,
options and files; each must exit 0, 1 or 2 (never 3, never a traceback) and write nothing outside the
output folder it names. The summary line counts cases, clear errors, warnings, tracebacks, exit-3 results
and writes outside the output folder (the last three must be 0).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
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


def comma_number(wb, rng) -> str:
    ws, c = _kv_cell(wb, rng)
    c.value = rng.choice(["40,5", "1,3", "1,000", "1.234,5", "8 000", "12,500.5"])
    return f"comma number in {ws.title}!{c.coordinate}"


def hostile_site_name(wb, rng) -> str:
    ws = wb["Site"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "name":
            row[2].value = rng.choice([".", "..", "../../etc", "CON", "a/b", "tab\there", "x" * 300, " .. ",
                                       "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "nul.site"])
            return f"site name {row[2].value!r}"
    return "site name row not found"


def timezone_timestamp(wb, rng) -> str:
    ws = wb["Hourly"]
    r = rng.randint(3, 8762)
    ws.cell(row=r, column=1).value = rng.choice(["2013-01-01T05:00:00+01:00", "2013-03-01 00:00Z", "2013-01-01 CET"])
    return f"time-zone timestamp at row {r}"


def stray_far_cell(wb, rng) -> str:
    ws = wb[rng.choice(["Hourly", "PV", "Mining"])]
    ref = rng.choice(["XFD1048576", "AA20000", "ZZ9001"])
    ws[ref] = "stray"
    return f"stray cell {ws.title}!{ref}"


MUTATIONS: list[Mutation] = [delete_sheet, delete_hourly_column, shuffle_headers, text_in_number, blank_cell,
                             scale_value, nan_inf, hourly_length, duplicate_timestamp, swap_rows, formula_no_cache,
                             merged_cells, extra_sheet, negative_hourly, bad_catalog_name, comma_number,
                             hostile_site_name, timezone_timestamp, stray_far_cell]


def mutate(m: Mutation, wb: openpyxl.Workbook, rng: random.Random) -> str:
    """Apply one mutation; one that targets a sheet an earlier mutation deleted is skipped."""
    try:
        return m(wb, rng)
    except KeyError:
        return f"{m.__name__} skipped (its sheet was deleted)"


def start_mutated_copy(src: Path, path: Path, rng: random.Random):
    """Start saving at `path` the workbook `src` with one or two random mutations; returns what they are and the
    job (helpers.EditedCopy: wait() until the file is saved).

    The file a fresh `openpyxl.load_workbook(src)` per case gives, mutated and saved, without the reload: the
    mutations run on a forked copy of `src` loaded once, which hands back the state of `rng` as soon as it has
    mutated, so the cases and their order are exactly those of a load per case."""
    from helpers import EditedCopy  # tests/ is on the path: the script's folder, or test_robustness's insert

    def edit(wb: openpyxl.Workbook) -> tuple[str, object]:
        what = ", ".join(mutate(m, wb, rng) for m in rng.sample(MUTATIONS, rng.choice([1, 1, 2])))
        return what, rng.getstate()

    job = EditedCopy(src, path, edit)
    what, state = job.answer()
    rng.setstate(state)
    return what, job


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


def read_case(what: str, path: Path, counts: dict, failures: list) -> None:
    """Read one workbook case; count a clear error, an acceptance, or a traceback (with its text in failures)."""
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
        counts["exit_3"] += 1  # what the CLI turns an unexpected exception into
        failures.append(f"{what}:\n{traceback.format_exc()}")


def run(n: int, seed: int, tmp: Path, environment: bool | None = None) -> dict:
    """Generate and read n malformed workbooks (and, with `environment`, run the CLI's hostile cases);
    returns the counts and any failure text. `environment` defaults to on for the full suite (n >= 100)."""
    rng = random.Random(seed)
    sources = sorted((INPUTS_DIR / "examples").glob("*.xlsx"))
    counts = {"cases": 0, "clear_errors": 0, "accepted_with_warnings": 0, "accepted": 0, "tracebacks": 0,
              "exit_3": 0, "writes_outside": 0}
    failures = []
    files = file_cases(tmp, sources[0])
    bases = sources[:2]  # the workbooks the cases are derived from
    env = environment_cases(tmp) if (environment if environment is not None else n >= 100) else []
    for what, path in files[:n - len(env)]:
        read_case(what, path, counts, failures)
    k = max(0, n - len(files) - len(env))  # the mutated workbooks

    def start(i: int):
        src = rng.choice(bases)
        return (*start_mutated_copy(src, tmp / f"case{i}.xlsx", rng), tmp / f"case{i}.xlsx")

    following = start(0) if k else None
    for i in range(k):
        what, job, path = following
        job.wait()
        following = start(i + 1) if i + 1 < k else None  # the next one is saved (in its child) while this is read
        read_case(what, path, counts, failures)
    for case in env:
        counts["cases"] += 1
        run_environment_case(case, counts, failures)
    return {**counts, "failures": failures}


# ------------------------------------------------------------------------------------- environment

class EnvCase:
    """One command in a fresh sandbox folder: what it may write, and the exit codes a user condition may give."""

    def __init__(self, what: str, args: list[str], allowed: str | None, codes: tuple[int, ...] = (0, 1, 2),
                 setup: Callable[[Path], None] | None = None):
        self.what, self.args, self.allowed, self.codes, self.setup = what, args, allowed, codes, setup


def _tiny_workbook(tmp: Path, name: str) -> Path:
    """A real, quickly solved workbook (PV and a grid line over a year: an LP) with the given site name."""
    from helpers import small_scenario  # tests/ is on the path: the script's folder, or test_robustness's insert

    from planner.scenario.template import write_workbook

    h = np.arange(8760) % 24
    sc = small_scenario(8760, pv_cf=np.clip(np.sin((h - 6) / 12 * np.pi), 0, None), export_price_usd_per_mwh=40.0,
                        import_price_usd_per_mwh=50.0)
    sc.site.name = name
    sc.pv.enabled, sc.grid.connected = True, True
    sc.pv.max_new_mw_ac, sc.grid.max_new_export_mw = 5.0, 5.0
    return write_workbook(sc, tmp / f"tiny-{abs(hash(name))}.xlsx")


def environment_cases(tmp: Path) -> list[EnvCase]:
    """Hostile names, output folders, options and files, each run as a real command in a sandbox."""
    good = _tiny_workbook(tmp, "fuzz-site")
    hostile = {name: _tiny_workbook(tmp, name) for name in (".", "..", "../../escape", "CON", "=cmd|' /C calc'!A0")}

    def foreign(folder: str) -> Callable[[Path], None]:
        def make(box: Path) -> None:
            (box / folder).mkdir(parents=True)
            (box / folder / "thesis.docx").write_text("years of work")
        return make

    def other_sites(box: Path) -> None:
        (box / "outputs" / "other-site").mkdir(parents=True)
        (box / "outputs" / "other-site" / "keep.txt").write_text("another site's results")

    def a_file(box: Path) -> None:
        (box / "afile").write_text("not a folder")

    def fifo(box: Path) -> None:
        os.mkfifo(box / "pipe.xlsx")

    def a_dir(box: Path) -> None:
        (box / "dir.xlsx").mkdir()

    cases = [EnvCase("a normal run", ["run", str(good), "--no-marginals"], "outputs/fuzz-site"),
             EnvCase("run -o into a new folder", ["run", str(good), "-o", "out/here", "--no-report"], "out/here")]
    for name, wb in hostile.items():
        cases.append(EnvCase(f"run with site name {name!r} and --force", ["run", str(wb), "--force"],
                             "outputs/CON_" if name == "CON" else None, setup=other_sites))
        cases.append(EnvCase(f"sensitivity with site name {name!r}", ["sensitivity", str(wb), "--sweep",
                                                                     "pv.capex_usd_per_kw_ac=500:900:2"],
                             "outputs/CON_/sensitivity" if name == "CON" else None))
    cases += [
        EnvCase("--force on a foreign folder", ["run", str(good), "-o", "thesis", "--force"], None,
                setup=foreign("thesis")),
        EnvCase("-o through a file", ["run", str(good), "-o", "afile/out"], None, setup=a_file),
        EnvCase("a FIFO named .xlsx", ["validate", "pipe.xlsx"], None, setup=fifo),
        EnvCase("a folder named .xlsx", ["run", "dir.xlsx"], None, setup=a_dir),
        EnvCase("a missing workbook", ["run", "missing.xlsx"], None),
        EnvCase("a malformed --sweep", ["sensitivity", str(good), "--sweep", "pv.capex_usd_per_kw_ac=1:2"], None),
        EnvCase("a malformed --range", ["sensitivity", str(good), "--breakeven", "pv.capex_usd_per_kw_ac", "--until",
                                        "npv_usd>0", "--range", "9:x"], None),
        EnvCase("an unknown parameter", ["sensitivity", str(good), "--sweep", "no.such=1:2:3"], None),
        EnvCase("a Dask scheduler that does not answer", ["sensitivity", str(good), "--sweep",
                                                           "pv.capex_usd_per_kw_ac=500:900:2", "--dask",
                                                           "tcp://127.0.0.1:9", "--dask-timeout", "1"], None),
        EnvCase("template over a foreign file", ["template", "notes.xlsx", "--force"], None,
                setup=lambda box: (box / "notes.xlsx").write_text("mine")),
    ]
    return cases


def _snapshot(root: Path) -> dict[str, tuple]:
    """Every file below root with its size and modification time, and every folder (what a command wrote)."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[str((Path(dirpath) / d).relative_to(root))] = ("folder",)
        for f in filenames:
            p = Path(dirpath) / f
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def run_environment_case(case: EnvCase, counts: dict, failures: list) -> None:
    """Run one command in a fresh sandbox; count exit 3, tracebacks and any write outside its output folder."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="planner-fuzz-") as sandbox:
        box = Path(sandbox) / "work"
        box.mkdir()
        if case.setup:
            case.setup(box)
        (Path(sandbox) / "tmp").mkdir()
        env = {**os.environ, "TMPDIR": str(Path(sandbox) / "tmp")}  # a rescued plan lands here, not in /tmp
        before = _snapshot(Path(sandbox))
        r = subprocess.run([sys.executable, "-m", "planner.cli", *case.args], cwd=box, capture_output=True, text=True,
                           timeout=600, env=env)
        after = _snapshot(Path(sandbox))
    if r.returncode == 3 or "Traceback" in r.stderr:
        counts["exit_3"] += r.returncode == 3
        counts["tracebacks"] += "Traceback" in r.stderr
        failures.append(f"{case.what}: exit {r.returncode}\n{r.stderr[-2000:]}")
    elif r.returncode not in case.codes:
        failures.append(f"{case.what}: exit {r.returncode} (expected one of {case.codes})\n{r.stderr[-500:]}")
    if r.returncode == 2 and "error" in r.stderr:
        counts["clear_errors"] += 1
    elif r.returncode == 0:
        counts["accepted"] += 1
    allowed = None if case.allowed is None else str(Path("work") / case.allowed)
    changed = sorted(k for k in set(after) | set(before) if after.get(k) != before.get(k))
    outside = [k for k in changed if not (allowed and (k == allowed or k.startswith(allowed + os.sep)))
               and not (allowed and allowed.startswith(k + os.sep))]  # the parents of the output folder
    if outside:
        counts["writes_outside"] += 1
        failures.append(f"{case.what}: wrote outside its output folder: {outside[:5]}")


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
          f"accepted with warnings, {res['accepted']} accepted, {res['tracebacks']} tracebacks, {res['exit_3']} "
          f"exit-3 results, {res['writes_outside']} writes outside the output folder")
    sys.exit(1 if res["tracebacks"] or res["exit_3"] or res["writes_outside"] or res["failures"] else 0)


if __name__ == "__main__":
    main()
