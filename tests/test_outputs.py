"""Output safety (issue 15, items 1-5 and the output-location part of 10): nothing outside outputs/, --force
replaces only the planner's own folders, safe folder names, location problems found before the solve, the
result kept when writing fails, folders made with the user's umask.

Read-only folders and full disks are real: chmod when not root; as root (where chmod does not stop writes) a
read-only bind mount or a tiny tmpfs when the process may mount, else the immutable attribute (chattr +i).
Only where none of those works does the free-space test replace shutil.disk_usage (the rule, not a failure).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from helpers import small_scenario

from planner import outputs
from planner.errors import OutputError
from planner.outputs import (
    MARKER,
    RUN,
    SENSITIVITY,
    check_destination,
    folder_name,
    replace_problem,
    site_name_problem,
)
from planner.run import optimise, write_outputs
from planner.scenario.scenario import SensitivityRow
from planner.scenario.template import write_workbook
from planner.sensitivity_report import write_sensitivity
from planner.solve import SolveOptions

IS_ROOT = os.geteuid() == 0


# ----------------------------------------------------------------------------------------- helpers

def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, cwd=cwd)


def tiny_site(name: str = "tiny"):
    """A full year (the reader needs 8760 hours) of a grid-only site: the LP solves in well under a second."""
    sc = small_scenario(8760, pv_cf=0.3, export_price_usd_per_mwh=50.0, import_price_usd_per_mwh=60.0)
    sc.pv.enabled, sc.grid.connected = True, True
    sc.site.name = name
    sc.sensitivity = [SensitivityRow("finance.discount_rate", 0.06, 0.1, "uniform")]
    return sc


PLACEHOLDER = "planner-test-site-name"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    """Tiny workbooks whose site names are: tiny, ".", "..", CON and one with a tab in it.

    One is written by write_workbook; the others are copies with the Site name cell's text changed in the
    sheet's XML (what a spreadsheet program saves), which is much faster than writing 8760 rows again.
    """
    folder = tmp_path_factory.mktemp("workbooks")
    base = write_workbook(tiny_site(PLACEHOLDER), folder / "base.xlsx")
    names = {"tiny": "tiny", "dot": ".", "dotdot": "..", "con": "CON", "tab": "west\ttexas"}
    return {key: renamed_copy(base, name, folder / f"{key}.xlsx") for key, name in names.items()}


def renamed_copy(base: Path, name: str, path: Path) -> Path:
    """A copy of `base` whose Site name is `name`."""
    from xml.sax.saxutils import escape

    old, new = f"<t>{PLACEHOLDER}</t>".encode(), f"<t>{escape(name)}</t>".encode()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        replaced = 0
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and old in data:
                data, replaced = data.replace(old, new), replaced + data.count(old)
            dst.writestr(item, data)
    assert replaced == 1
    return path


def site_name_cell(workbook: Path) -> str:
    """Site!C<row> of the `name` field, read from the workbook itself."""
    ws = openpyxl.load_workbook(workbook, read_only=True)["Site"]
    row = next(i for i, r in enumerate(ws.iter_rows(values_only=True), start=1) if r and r[0] == "name")
    return f"Site!C{row}"


def small_result(hours: int = 24):
    sc = small_scenario(hours, pv_cf=np.full(hours, 0.3), export_price_usd_per_mwh=50.0)
    sc.pv.enabled, sc.grid.connected = True, True
    return optimise(sc, SolveOptions(), marginals=False)


@pytest.fixture(scope="module")
def result():
    return small_result()


@pytest.fixture
def rescue_dir(tmp_path_factory, monkeypatch) -> Path:
    """Where a result that cannot be written is kept (the system's temporary directory, here a fresh one)."""
    d = tmp_path_factory.mktemp("rescue")
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    return d


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def planner_folder(path: Path, kind: str = RUN) -> Path:
    """A folder the planner wrote, as write_outputs / write_sensitivity leave it (no solve needed)."""
    path.mkdir(parents=True)
    if kind == RUN:
        (path / "summary.json").write_text(json.dumps({"site": path.name, "planner_version": "0.0.9"}))
        (path / "dispatch.csv").write_text("timestamp,pv_mw\n")
    else:
        (path / "sensitivity.json").write_text(json.dumps({"base": {"site": "x", "npv_usd": 1.0}}))
        (path / "cases.csv").write_text("label\n")
    outputs.write_marker(path, kind)
    return path


def _run(cmd: list[str]) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


def _can_mount() -> bool:
    if not IS_ROOT or not shutil.which("mount"):
        return False
    probe = Path(tempfile.mkdtemp(prefix="planner-mount-probe-"))
    try:
        ok = _run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)])
        if ok:
            _run(["umount", str(probe)])
        return ok
    finally:
        probe.rmdir()


CAN_MOUNT = _can_mount()


@contextlib.contextmanager
def read_only(folder: Path):
    """Make the existing `folder` really read-only for this process, and writable again afterwards."""
    if not IS_ROOT:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(stat.S_IMODE(modes[p]) & ~0o222)
        try:
            yield "permission"
        finally:
            for p, mode in modes.items():
                p.chmod(stat.S_IMODE(mode))
        return
    if CAN_MOUNT and _run(["mount", "--bind", str(folder), str(folder)]):
        try:
            assert _run(["mount", "-o", "remount,ro,bind", str(folder), str(folder)])
            yield "read-only file system"
        finally:
            assert _run(["umount", str(folder)])
        return
    if shutil.which("chattr") and _run(["chattr", "+i", str(folder)]):
        try:
            yield "immutable"
        finally:
            _run(["chattr", "-i", str(folder)])
        return
    pytest.fail("running as root without the right to mount or to set the immutable attribute: no real way to "
                "make a read-only folder here; run the tests as a normal user")


def assert_really_read_only(folder: Path) -> None:
    with pytest.raises(OSError):
        (folder / "probe.txt").write_text("x")


@contextlib.contextmanager
def tiny_disk(path: Path, size: str):
    """A real, tiny file system (tmpfs) at `path`."""
    path.mkdir()
    assert _run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)])
    try:
        yield path
    finally:
        assert _run(["umount", str(path)])


# ------------------------------------------------------------------------------ item 1: . and ..

def test_item1_site_named_dot_with_force_leaves_other_sites_intact(tmp_path, workbooks):
    other = planner_folder(tmp_path / "outputs" / "other-site")
    (tmp_path / "outputs" / "notes.txt").write_text("mine")
    before = snapshot(tmp_path / "outputs")
    r = cli("run", str(workbooks["dot"]), "--force", cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"{site_name_cell(workbooks['dot'])}: name '.'" in r.stderr
    assert "solving" not in r.stdout and "internal error" not in r.stderr
    assert snapshot(tmp_path / "outputs") == before
    assert (other / MARKER).exists()


def test_item1_site_named_dotdot_writes_nothing_outside_outputs(tmp_path, workbooks):
    for command in (["run", str(workbooks["dotdot"]), "--force"],
                    ["sensitivity", str(workbooks["dotdot"]), "--tornado", "--force"]):
        r = cli(*command, cwd=tmp_path)
        assert r.returncode == 2, r.stdout + r.stderr
        assert f"{site_name_cell(workbooks['dotdot'])}: name '..'" in r.stderr
        assert "base case" not in r.stderr and "solving" not in r.stdout
        assert list(tmp_path.iterdir()) == []  # no ./sensitivity/, no outputs/ either


def test_item1_validate_rejects_dot_and_dotdot(tmp_path, workbooks):
    for key, name in (("dot", "."), ("dotdot", "..")):
        r = cli("validate", str(workbooks[key]), cwd=tmp_path)
        assert r.returncode == 2
        assert f"{site_name_cell(workbooks[key])}: name {name!r} is only dots and spaces" in r.stderr


def test_item1_output_path_that_resolves_to_outputs_itself_is_refused(tmp_path):
    """-o outputs/. or outputs/x/.. is outputs/ itself, which holds other sites: --force refuses it."""
    root = tmp_path / "outputs"
    planner_folder(root / "a")
    planner_folder(root / "b")
    before = snapshot(root)
    for given in (root / ".", root / "a" / ".."):
        with pytest.raises(OutputError, match="--force refused: .* was not written by the planner"):
            check_destination(given, True, RUN)
    assert snapshot(root) == before


# --------------------------------------------------------------------------- item 2: the --force rule

def test_item2_force_refuses_a_foreign_folder_before_solving(tmp_path, workbooks):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.docx").write_bytes(b"years of work")
    for command in (["run", str(workbooks["tiny"]), "-o", str(thesis), "--force"],
                    ["sensitivity", str(workbooks["tiny"]), "--tornado", "-o", str(thesis), "--force"]):
        r = cli(*command, cwd=tmp_path)
        assert r.returncode == 2, r.stdout + r.stderr
        assert "--force refused" in r.stderr and "was not written by the planner" in r.stderr
        assert "solving" not in r.stdout and "base case" not in r.stderr
        assert snapshot(thesis) == {"chapter1.docx": b"years of work"}


def test_item2_force_replaces_a_planner_folder_but_never_one_with_foreign_files(tmp_path, result, rescue_dir):
    out = tmp_path / "site"
    write_outputs(result, out)
    marker = json.loads((out / MARKER).read_text())
    assert marker["written_by"] == "planner" and marker["kind"] == RUN
    assert set(marker["files"]) == {"summary.json", "scenario.json", "dispatch.csv", "dispatch.parquet",
                                    "cashflow.csv"}
    (out / "summary.json").write_text("{}")  # stale content: --force replaces it
    write_outputs(result, out, force=True)
    assert json.loads((out / "summary.json").read_text())["npv_usd"] == pytest.approx(result.npv_usd)
    (out / "my notes.txt").write_text("mine")
    before = snapshot(out)
    with pytest.raises(OutputError, match=r"holds files the planner did not write \(my notes.txt\)") as e:
        write_outputs(result, out, force=True)
    assert e.value.exit_code == 2
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary or aside folder left


def test_item2_run_keeps_the_sensitivity_folder_inside_its_folder(tmp_path, result):
    """`planner run --force` replaces the run's files; outputs/<site>/sensitivity/ is replaced only by
    `planner sensitivity --force`. A folder made by `planner sensitivity` before any run needs no --force."""
    first = tmp_path / "sensitivity-first"
    planner_folder(first / "sensitivity", SENSITIVITY)
    sens_before = snapshot(first / "sensitivity")
    write_outputs(result, first)  # no clash: there were no run results yet
    assert (first / "summary.json").exists() and snapshot(first / "sensitivity") == sens_before
    (first / "summary.json").write_text("{}")
    write_outputs(result, first, force=True)
    assert json.loads((first / "summary.json").read_text())["npv_usd"] == pytest.approx(result.npv_usd)
    assert snapshot(first / "sensitivity") == sens_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sensitivity-first"]


def test_item2_existing_foreign_folder_without_force_says_it_is_not_the_planners(tmp_path):
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "a.tex").write_text("x")
    with pytest.raises(OutputError, match="already exists and was not written by the planner"):
        check_destination(tmp_path / "thesis", False, RUN)


def test_item2_which_folders_force_may_replace(tmp_path):
    run = planner_folder(tmp_path / "run")
    assert replace_problem(run, RUN) is None
    assert "holds planner run results, not sensitivity" in replace_problem(run, SENSITIVITY)
    planner_folder(run / "sensitivity", SENSITIVITY)  # outputs/<site>/sensitivity/ goes with its run folder
    (run / ".DS_Store").write_bytes(b"\0")
    assert replace_problem(run, RUN) is None
    (run / "sensitivity" / "draft.docx").write_text("mine")
    assert "sensitivity/draft.docx" in replace_problem(run, RUN)
    (run / "sensitivity" / "draft.docx").unlink()
    (run / "data").mkdir()
    assert "(data/)" in replace_problem(run, RUN)

    legacy = tmp_path / "legacy"  # written before the marker existed: recognised by its summary.json
    legacy.mkdir()
    (legacy / "summary.json").write_text(json.dumps({"site": "x", "planner_version": "0.0.1"}))
    (legacy / "report.xlsx").write_bytes(b"PK")
    assert replace_problem(legacy, RUN) is None
    (legacy / "thesis.tex").write_text("x")
    assert "thesis.tex" in replace_problem(legacy, RUN)

    empty = tmp_path / "empty"
    empty.mkdir()
    assert replace_problem(empty, RUN) is None
    only_sens = tmp_path / "only-sensitivity"  # `planner sensitivity` before any `planner run`
    planner_folder(only_sens / "sensitivity", SENSITIVITY)
    assert replace_problem(only_sens, RUN) is None
    assert "was not written by the planner" in replace_problem(only_sens, SENSITIVITY)

    home = tmp_path / "home"
    home.mkdir()
    (home / "summary.json").write_text(json.dumps({"npv": 1}))  # a summary.json, but not the planner's
    assert "was not written by the planner" in replace_problem(home, RUN)


def test_item2_template_force_overwrites_only_an_input_workbook(tmp_path, workbooks):
    other = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.save(other)
    docx = tmp_path / "thesis.docx"
    docx.write_bytes(b"years of work")
    for path in (other, docx):
        before = path.read_bytes()
        r = cli("template", str(path), "--force", cwd=tmp_path)
        assert r.returncode == 2, r.stderr
        assert "--force refused" in r.stderr and "is not a planner input workbook" in r.stderr
        assert path.read_bytes() == before
    r = cli("template", str(docx), cwd=tmp_path)
    assert r.returncode == 2 and "already exists" in r.stderr
    mine = tmp_path / "site.xlsx"
    shutil.copy(workbooks["tiny"], mine)
    r = cli("template", str(mine), "--force", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(mine, read_only=True)["Site"]
    assert [r[2] for r in ws.iter_rows(values_only=True) if r and r[0] == "name"] == ["template-site"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.xlsx", "site.xlsx", "thesis.docx"]


# ------------------------------------------------------------------------------ item 3: folder names

@pytest.mark.parametrize("name, folder", [
    ("west-texas", "west-texas"),
    ("West Texas 2", "West Texas 2"),
    ("site.", "site"),  # Windows drops trailing dots: both would be one folder there
    (". site .", "site"),
    (".hidden", "hidden"),
    ("CON", "CON_"),
    ("con", "con_"),
    ("nul.site", "nul_.site"),
    ("COM1", "COM1_"),
    ("LPT9", "LPT9_"),
    ("COM10", "COM10"),
    ("Console", "Console"),
    ("Zürich–Nord", "Zürich–Nord"),
    ("x" * 100, "x" * 100),
])
def test_item3_folder_name_is_safe_and_keeps_the_display_name(tmp_path, name, folder):
    assert site_name_problem(name) is None
    assert folder_name(name) == folder
    assert folder not in (".", "..") and Path(folder).name == folder and not folder.endswith((".", " "))
    created = tmp_path / folder
    created.mkdir()
    assert created.resolve().parent == tmp_path.resolve()


@pytest.mark.parametrize("name, why", [
    (".", "only dots and spaces"),
    ("..", "only dots and spaces"),
    (". . .", "only dots and spaces"),
    ("a/b", "must not contain"),
    ("..\\..\\evil", "must not contain"),
    ("c:site", "must not contain"),
    ("bell\x07", "control characters"),
    ("west\ttexas", "control characters"),
    ("two\nlines", "control characters"),
    ("del\x7f", "control characters"),
    ("x" * 101, "101 characters long; at most 100"),
    ("€" * 70, "210 bytes long in UTF-8; at most 200"),
])
def test_item3_unsafe_site_names_are_rejected(name, why):
    assert why in site_name_problem(name)
    with pytest.raises(OutputError) as e:
        folder_name(name)
    assert e.value.exit_code == 2


def test_item3_rejected_name_names_its_cell_and_reserved_name_gets_a_safe_folder(tmp_path, workbooks):
    r = cli("validate", str(workbooks["tab"]), cwd=tmp_path)
    assert r.returncode == 2
    assert f"{site_name_cell(workbooks['tab'])}: name 'west\\ttexas' must not contain control characters" in r.stderr
    r = cli("validate", str(workbooks["con"]), cwd=tmp_path)
    assert r.returncode == 0 and "site 'CON'; `planner run` writes outputs/CON_/" in r.stdout
    r = cli("run", str(workbooks["con"]), "--no-report", "--no-marginals", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert [p.name for p in (tmp_path / "outputs").iterdir()] == ["CON_"]
    assert json.loads((tmp_path / "outputs" / "CON_" / "summary.json").read_text())["site"] == "CON"


# ------------------------------------------------------------ item 4: location problems before the solve

def test_item4_path_through_a_file_fails_before_solving(tmp_path, workbooks):
    (tmp_path / "afile").write_text("x")
    r = cli("run", str(workbooks["tiny"]), "-o", str(tmp_path / "afile" / "out"), cwd=tmp_path)
    assert r.returncode == 2
    assert "afile is a file, not a folder" in r.stderr
    assert "solving" not in r.stdout and "internal error" not in r.stderr


def test_item4_name_clash_without_force_is_exit_2_before_solving(tmp_path, workbooks):
    (tmp_path / "outputs" / "tiny").mkdir(parents=True)
    r = cli("run", str(workbooks["tiny"]), cwd=tmp_path)
    assert r.returncode == 2
    assert "outputs/tiny already exists; use --force" in r.stderr and "solving" not in r.stdout


def test_item4_read_only_folder_fails_before_solving(tmp_path, workbooks):
    ro = tmp_path / "ro"
    ro.mkdir()
    with read_only(ro) as how:
        assert_really_read_only(ro)
        r = cli("run", str(workbooks["tiny"]), "-o", str(ro / "out"), cwd=tmp_path)
        r_sens = cli("sensitivity", str(workbooks["tiny"]), "--tornado", "-o", str(ro / "sens"), cwd=tmp_path)
        r_template = cli("template", str(ro / "site.xlsx"), cwd=tmp_path)
    assert r_template.returncode == 2, r_template.stderr
    assert f"could not write {ro}/site.xlsx" in r_template.stderr and "internal error" not in r_template.stderr
    for res in (r, r_sens):
        assert res.returncode == 2, (how, res.stdout + res.stderr)
        assert f"cannot write {ro}/" in res.stderr
        assert "read-only file system" in res.stderr or "not writable" in res.stderr
        assert "solving" not in res.stdout and "base case" not in res.stderr and "internal error" not in res.stderr
    assert list(ro.iterdir()) == []


def test_item4_full_disk_fails_before_solving(tmp_path, workbooks, monkeypatch, capsys):
    from planner.cli import main

    with contextlib.ExitStack() as stack:
        if CAN_MOUNT:  # a real 1 MB file system: 100 MB are needed
            disk = stack.enter_context(tiny_disk(tmp_path / "disk", "1m"))
        else:  # the free-space rule only: the disk reports 1 MB free
            disk = tmp_path / "disk"
            disk.mkdir()
            total = shutil.disk_usage(disk).total
            monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(total, total - 2**20, 2**20))
        with pytest.raises(SystemExit) as e:
            main(["run", str(workbooks["tiny"]), "-o", str(disk / "out")])
        assert list(disk.iterdir()) == []
    assert e.value.code == 2
    captured = capsys.readouterr()
    assert "not enough free disk space" in captured.err and "the planner needs at least 100 MB" in captured.err
    assert "solving" not in captured.out


def _take_the_name(_result, folder: Path) -> None:
    """A writer that, like another program, puts a file where the output folder is about to go."""
    (folder.parent / folder.name.split(".tmp-")[0][1:]).write_text("someone else's file")


WRITE_FAILURES = ["name taken"] + (["disk full"] if CAN_MOUNT else [])


@pytest.mark.parametrize("failure", WRITE_FAILURES)
def test_item4_when_writing_fails_the_result_is_kept(tmp_path, rescue_dir, monkeypatch, failure):
    res = small_result(8760 if failure == "disk full" else 24)
    with contextlib.ExitStack() as stack:
        if failure == "disk full":  # a real ENOSPC: 1 MB disk, dispatch.csv of a year is larger
            parent = stack.enter_context(tiny_disk(tmp_path / "disk", "1m"))
            monkeypatch.setattr(outputs, "required_free_bytes", lambda _n: 0)  # get past the pre-flight
            writers = []
        else:
            parent = tmp_path
            writers = [_take_the_name]
        with pytest.raises(OutputError) as e:
            write_outputs(res, parent / "site", extra_writers=writers)
        left = sorted(p.name for p in parent.iterdir())
    assert e.value.exit_code == 2
    assert left == (["site"] if failure == "name taken" else [])  # no temporary folder left
    if failure == "name taken":
        assert (tmp_path / "site").read_text() == "someone else's file"
    else:
        assert "the disk is full" in str(e.value)
    kept = [p for p in rescue_dir.iterdir()]
    assert len(kept) == 1 and f"kept in {kept[0]}/" in str(e.value) and f"planner report {kept[0]}" in str(e.value)
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o700  # private: the temporary directory is shared
    summary = json.loads((kept[0] / "summary.json").read_text())
    assert summary["npv_usd"] == pytest.approx(res.npv_usd)
    assert len((kept[0] / "dispatch.csv").read_text().splitlines()) == res.scenario.n_steps + 1
    assert json.loads((kept[0] / MARKER).read_text())["kind"] == RUN


def test_item4_a_bug_in_a_writer_still_keeps_the_result(tmp_path, result, rescue_dir):
    def broken(_result, _folder):
        raise ValueError("a bug in a report writer")

    with pytest.raises(ValueError) as e:
        write_outputs(result, tmp_path / "site", extra_writers=[broken])
    kept = list(rescue_dir.iterdir())
    assert len(kept) == 1 and any(str(kept[0]) in note for note in e.value.__notes__)
    assert json.loads((kept[0] / "summary.json").read_text())["npv_usd"] == pytest.approx(result.npv_usd)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------ item 5: umask

@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_item5_output_folders_are_created_with_the_users_umask(tmp_path, result, umask):
    old = os.umask(umask)
    try:
        run_dir = write_outputs(result, tmp_path / "outputs" / "site")
        sens_dir = write_sensitivity(run_dir / "sensitivity", {"site": "x", "npv_usd": 1.0}, __import__(
            "pandas").DataFrame({"label": ["a"]}), {}, {})
    finally:
        os.umask(old)
    for folder in (tmp_path / "outputs", run_dir, sens_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask, folder
    for f in [*run_dir.iterdir(), *sens_dir.iterdir()]:
        if f.is_file():
            assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask, f


# -------------------------------------------------------------- item 10: environment problems are exit 2

def test_item10_report_into_a_read_only_folder_is_exit_2_not_a_bug(tmp_path, result):
    out = write_outputs(result, tmp_path / "site")
    with read_only(out):
        assert_really_read_only(out)
        r = cli("report", str(out), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "could not write the reports into" in r.stderr and "internal error" not in r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "summary.json", "scenario.json",
                                                            "dispatch.csv", "dispatch.parquet", "cashflow.csv"])


def test_item10_bad_options_are_exit_2_and_found_before_solving(tmp_path, workbooks, capsys):
    from planner.cli import main

    tiny = str(workbooks["tiny"])
    for args, message in ((["sensitivity", tiny, "--sweep", "nonsense"], "expected PARAM=LO:HI:N"),
                          (["sensitivity", tiny, "--breakeven", "finance.discount_rate", "--until", "npv_usd>0",
                            "--range", "a:b"], "--range 'a:b': expected LO:HI"),
                          (["sensitivity", tiny, "--breakeven", "finance.discount_rate", "--until", "npv_usd?0"],
                           "expected NAME OP"),
                          (["sensitivity", tiny, "--sweep", "no.such_param=1:2:3"], "unknown parameter"),
                          (["sensitivity", tiny], "choose at least one of"),
                          (["report", str(tmp_path)], "not a planner output folder"),
                          (["template", tiny], "already exists")):
        with pytest.raises(SystemExit) as e:
            main([*args, "-o", str(tmp_path / "s")] if args[0] == "sensitivity" else args)
        captured = capsys.readouterr()
        assert e.value.code == 2, (args, captured.err)
        assert message in captured.err and "base case" not in captured.err, (args, captured.err)
