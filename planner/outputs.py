"""Where results go and how they are written safely: folder names, the planner's marker, --force, pre-flight.

- A site's folder name is derived from its display name (`folder_name`); names that cannot give a safe folder
  are rejected by the reader (`site_name_problem`).
- Every folder the planner writes holds a marker file, `.planner-output` (JSON: planner version, kind and the
  files written). `--force` replaces only a folder the planner wrote, of the same kind, holding nothing else
  (`replace_problem`); a user's folder is never deleted.
- `check_destination` is the pre-flight run before the solve: name clash, --force rule, a path through a file,
  permission, read-only file system and free space (against `required_free_bytes`).
- `write_atomically` writes into a temporary sibling folder (made with the user's umask) and renames it into
  place; if writing fails, the result is written to a fresh folder in the system's temporary directory and
  the error says where (nothing solved is lost).
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from planner.errors import OutputError
from planner.version import __version__

OUTPUTS_ROOT = Path("outputs")
MARKER = ".planner-output"
RUN, SENSITIVITY, COMPARE = "run", "sensitivity", "compare"
KINDS = (RUN, SENSITIVITY, COMPARE)  # what a marker may say a folder holds (`planner compare`: COMPARE)
SENSITIVITY_SUBFOLDER = "sensitivity"  # outputs/<site>/sensitivity/

# files written by planner versions before the marker existed, recognised by their own content
LEGACY_FILES = {
    RUN: {"summary.json", "scenario.json", "dispatch.csv", "cashflow.csv", "report.xlsx", "report.html"},
    SENSITIVITY: {"cases.csv", "tornado.csv", "sweep.csv", "samples.csv", "sensitivity.json", "sensitivity.xlsx",
                  "sensitivity.html"},
}
# files an operating system or an office program leaves in any folder; never the user's work
JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}

MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 200  # UTF-8; leaves room in the usual 255-byte limit for the planner's temporary prefixes
FORBIDDEN_CHARS = '\\/:*?"<>|'
WINDOWS_RESERVED = ({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                    | {f"{d}{i}" for d in ("COM", "LPT") for i in (*"0123456789", "¹", "²", "³")})

MIN_FREE_BYTES = 100 * 2**20  # never start a run with less than this free where the outputs go
BYTES_PER_HOUR = 1024  # dispatch.csv (~250 B/hour), the report's hourly sheet and the temporary copies
FREE_SPACE_FACTOR = 5  # margin on that estimate


# ------------------------------------------------------------------------------------------ names

def site_name_problem(name: str) -> str | None:
    """Why the site name `name` cannot name an output folder, or None if it can (see `folder_name`)."""
    control = [c for c in name if unicodedata.category(c) == "Cc"]
    if control:
        return (f"must not contain control characters (found {', '.join(sorted({repr(c) for c in control}))}); "
                f"use letters, digits, spaces and - or _")
    bad = sorted({c for c in name if c in FORBIDDEN_CHARS})
    if bad:
        return (f"must not contain any of {' '.join(FORBIDDEN_CHARS)} (found {' '.join(bad)}); it names the "
                f"output folder")
    if len(name) > MAX_NAME_CHARS:
        return f"is {len(name)} characters long; at most {MAX_NAME_CHARS} (it names the output folder)"
    folder = _derive(name)
    if not folder:
        return "is only dots and spaces, which cannot name the output folder; give a short name such as west-texas"
    if len(folder.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is {len(folder.encode('utf-8'))} bytes long in UTF-8; at most {MAX_NAME_BYTES}"
    return None


def folder_name(name: str) -> str:
    """The output folder name for a site name: the name itself, with leading and trailing dots and spaces
    removed and a Windows device name (CON, NUL, COM1, ...) given a trailing `_`; OutputError if unusable."""
    problem = site_name_problem(name)
    if problem:
        raise OutputError(f"site name {name!r} {problem}")
    return _derive(name)


def _derive(name: str) -> str:
    folder = name.strip(". \t")
    stem, dot, rest = folder.partition(".")
    if stem.rstrip(" ").upper() in WINDOWS_RESERVED:
        folder = f"{stem}_{dot}{rest}"
    return folder


def default_run_dir(site_name: str) -> Path:
    """outputs/<folder name>/"""
    return OUTPUTS_ROOT / folder_name(site_name)


def default_sensitivity_dir(site_name: str) -> Path:
    """outputs/<folder name>/sensitivity/"""
    return default_run_dir(site_name) / SENSITIVITY_SUBFOLDER


# ----------------------------------------------------------------------------------------- marker

def write_marker(folder: Path, kind: str) -> None:
    """Mark `folder` as written by the planner: kind (run or sensitivity), version and the files in it."""
    files = sorted(p.name for p in Path(folder).iterdir() if p.name != MARKER)
    text = json.dumps({"written_by": "planner", "planner_version": __version__, "kind": kind, "files": files},
                      indent=2)
    (Path(folder) / MARKER).write_text(text + "\n")


def add_to_marker(folder: Path, names: list[str]) -> None:
    """Record more files written into a marked folder (e.g. reports rebuilt by `planner report`)."""
    marker = read_marker(folder)
    if marker is None or not (Path(folder) / MARKER).exists():
        return
    marker["files"] = sorted(set(marker["files"]) | set(names))
    (Path(folder) / MARKER).write_text(json.dumps(marker, indent=2) + "\n")


def require_run_folder(folder: Path, needed: tuple[str, ...]) -> dict:
    """A run's output folder holding `needed` files, else UsageError (exit 2) naming the folder; its marker."""
    from planner.errors import UsageError

    if not folder.exists():
        raise UsageError(f"{folder}: no such folder (expected a run's output folder, e.g. outputs/<site>/)")
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder (expected a run's output folder, e.g. outputs/<site>/)")
    marker = read_marker(folder)
    if marker is None:
        raise UsageError(f"{folder}: not a planner output folder (no .planner-output marker and no planner "
                         f"summary.json); `planner run WORKBOOK` writes one")
    if marker["kind"] != RUN:
        raise UsageError(f"{folder}: holds planner {marker['kind']} results, not a run's output folder")
    missing = [n for n in needed if not (folder / n).is_file()]
    if missing:
        raise UsageError(f"{folder}: not a complete planner output folder (missing {', '.join(missing)})")
    return marker


def read_marker(folder: Path) -> dict | None:
    """What the planner wrote in `folder`: its marker, or for a folder of an older version (no marker) one
    reconstructed from its summary.json / sensitivity.json; None if the planner did not write it."""
    folder = Path(folder)
    data = _json(folder / MARKER)
    if isinstance(data, dict) and data.get("written_by") == "planner" and isinstance(data.get("files"), list) \
            and data.get("kind") in KINDS:
        return data
    summary = _json(folder / "summary.json")
    if isinstance(summary, dict) and "planner_version" in summary:
        return {"kind": RUN, "files": sorted(LEGACY_FILES[RUN]), "legacy": True}
    sens = _json(folder / "sensitivity.json")
    if isinstance(sens, dict) and isinstance(sens.get("base"), dict) and "npv_usd" in sens["base"]:
        return {"kind": SENSITIVITY, "files": sorted(LEGACY_FILES[SENSITIVITY]), "legacy": True}
    return None


def _json(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        return None


# ---------------------------------------------------------------------------------- the --force rule

def replace_problem(folder: Path, kind: str) -> str | None:
    """Why `--force` may not replace `folder` with new `kind` results; None if it may.

    It may if the planner wrote it (marker, or an older version's summary.json / sensitivity.json) for the
    same kind of results and it holds nothing else, apart from a planner `sensitivity/` folder inside a run
    folder (which `planner run` keeps) and files an operating system leaves (.DS_Store, Thumbs.db,
    desktop.ini, office lock files). An empty folder may be replaced, and so may a folder holding only a
    planner `sensitivity/` folder (made by `planner sensitivity` before any run).
    """
    folder = Path(folder)
    marker = read_marker(folder)
    if marker is None:
        rest = [e for e in folder.iterdir() if not _is_junk(e.name)]
        if not rest or (_holds_only_sensitivity(folder, kind) and not _foreign(rest[0], SENSITIVITY)):
            return None
        return ("was not written by the planner (it has no .planner-output marker and no planner summary.json); "
                "--force only replaces the planner's own output folders")
    if marker["kind"] != kind:
        return f"holds planner {marker['kind']} results, not {kind} results; choose another folder with -o"
    foreign = _foreign(folder, kind, marker)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        return (f"holds files the planner did not write ({shown}); move them elsewhere or choose another "
                f"folder with -o")
    return None


def _foreign(folder: Path, kind: str, marker: dict | None = None) -> list[str]:
    """Entries of a planner folder of `kind` that the planner did not write (paths relative to `folder`)."""
    marker = marker or read_marker(folder)
    owned = set(marker["files"]) if marker else set()
    owned |= {f".{n}.tmp{Path(n).suffix}" for n in owned}  # write_reports' temporary names
    out = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name == MARKER or _is_junk(name):
            continue
        if entry.is_symlink():
            out.append(name)
        elif entry.is_dir():
            if kind == RUN and name == SENSITIVITY_SUBFOLDER and _is_planner_sensitivity(entry):
                out += [f"{name}/{n}" for n in _foreign(entry, SENSITIVITY)]
            else:
                out.append(f"{name}/")
        elif name not in owned:
            out.append(name)
    return out


def _is_planner_sensitivity(folder: Path) -> bool:
    marker = read_marker(folder)
    return marker is not None and marker["kind"] == SENSITIVITY


def _is_junk(name: str) -> bool:
    return name in JUNK_NAMES or name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


# ------------------------------------------------------------------------------------- pre-flight

def required_free_bytes(n_steps: int | None = None) -> int:
    """Free space a write must find: FREE_SPACE_FACTOR x the expected size (BYTES_PER_HOUR per modelled
    hour plus 1 MB), and never less than MIN_FREE_BYTES (100 MB)."""
    expected = (n_steps or 0) * BYTES_PER_HOUR + 2**20
    return max(MIN_FREE_BYTES, FREE_SPACE_FACTOR * expected)


def check_destination(out_dir: Path, force: bool, kind: str, need_bytes: int | None = None) -> Path:
    """Check before the solve that results of `kind` can be written to `out_dir`; returns its resolved path.

    Raises OutputError (exit 2) if the folder exists (without `force`), if `force` may not replace it
    (`replace_problem`), if a part of the path is a file, if the nearest existing folder is not writable or
    is on a read-only file system, or if its disk has less than `need_bytes` free (default MIN_FREE_BYTES).
    Nothing is left behind: writability is tested by creating and removing a probe folder.
    """
    shown = _show(out_dir)
    target = Path(out_dir).expanduser().resolve()
    if target.parent == target or not target.name:
        raise OutputError(f"{shown}: cannot write results to the root of a file system; choose a folder with -o")
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"{shown} exists and is not a folder; choose another folder with -o")
        problem = replace_problem(target, kind)
        if not force and not _holds_only_sensitivity(target, kind):
            if problem:
                raise OutputError(f"{shown} already exists and {problem}")
            raise OutputError(f"{shown} already exists; use --force to replace it or -o to choose another folder")
        if problem:
            raise OutputError(f"--force refused: {shown} {problem}. Nothing was changed")
        if not os.access(target, os.W_OK | os.X_OK):
            raise OutputError(f"cannot replace {shown}: its files cannot be removed (permission denied)")
    base = target.parent
    while not base.exists():
        if base.is_symlink():
            raise OutputError(f"cannot create {shown}: {base} is a broken symbolic link")
        base = base.parent
    if not base.is_dir():
        raise OutputError(f"cannot create {shown}: {base} is a file, not a folder; choose another folder with -o")
    _probe(base, shown)
    need = MIN_FREE_BYTES if need_bytes is None else need_bytes
    free = shutil.disk_usage(base).free
    if free < need:
        raise OutputError(f"not enough free disk space for {shown}: {_mb(free)} free on the disk holding {base}, "
                          f"the planner needs at least {_mb(need)} (its files and their temporary copies); free "
                          f"some space or choose another folder with -o")
    return target


def _probe(base: Path, shown: str) -> None:
    """Create and remove a folder with a small file in `base`: proves that writing there works."""
    probe = base / f".planner-probe-{secrets.token_hex(4)}"
    try:
        os.mkdir(probe)
        try:
            (probe / "probe").write_bytes(b"planner")
        finally:
            shutil.rmtree(probe, ignore_errors=True)
    except OSError as e:
        raise OutputError(f"cannot write {shown}: {describe_os_error(e, base)}; choose another folder with -o") \
            from None


def describe_os_error(e: OSError, where: Path | str | None = None) -> str:
    """A plain sentence for an operating-system error while writing (read-only, no permission, disk full...)."""
    where = where if where is not None else e.filename
    plain = {
        errno.EROFS: "read-only file system",
        errno.EACCES: "permission denied (the folder is not writable for you)",
        errno.EPERM: "operation not permitted (the folder is not writable)",
        errno.ENOSPC: "the disk is full (no space left on device)",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENAMETOOLONG: "the name is too long for the file system",
    }.get(e.errno, e.strerror or str(e))
    return f"{where}: {plain}" if where is not None else plain


def _show(path: Path) -> str:
    path = Path(path)
    if ".." in path.parts or path.is_symlink():
        return f"{path} (= {path.expanduser().resolve()})"
    return str(path)


def _mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:,.0f} MB"


# ---------------------------------------------------------------------------------------- writing

def make_folder(parent: Path, prefix: str) -> Path:
    """A new, uniquely named folder in `parent`, created with the user's umask (unlike tempfile.mkdtemp's 0700)."""
    for _ in range(100):
        path = Path(parent) / f"{prefix}{secrets.token_hex(4)}"
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(parent))


def write_atomically(out_dir: Path, kind: str, write: Callable[[Path], None], force: bool = False,
                     rescue: Callable[[Path], None] | None = None, need_bytes: int | None = None,
                     rescue_what: str = "The result") -> Path:
    """Write results of `kind` with `write(folder)` into `out_dir`, all or nothing; returns `out_dir`.

    `check_destination` runs first; the files go to a temporary sibling folder (user's umask), which gets the
    marker and is then put in place by `_commit`. If any of this fails (a full disk, a folder that became
    read-only, a bug in a writer), the temporary folder is removed and `rescue` (default: `write`) writes the
    results to a new folder in the system's temporary directory, whose path the error names. Ctrl-C removes
    the temporary folder and changes nothing else.
    """
    try:
        target = check_destination(out_dir, force, kind, need_bytes)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = make_folder(target.parent, f".{target.name}.tmp-")
    except (OSError, OutputError) as e:
        raise _rescued(e, out_dir, kind, rescue or write, rescue_what) from None
    try:
        write(tmp)
        write_marker(tmp, kind)
        _commit(tmp, target, kind, force, out_dir)
    except _PutBackFailed:
        raise
    except (KeyboardInterrupt, SystemExit):
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except Exception as e:
        shutil.rmtree(tmp, ignore_errors=True)
        err = _rescued(e, out_dir, kind, rescue or write, rescue_what)
        if err is e:
            raise
        raise err from None
    return Path(out_dir)


def _commit(tmp: Path, target: Path, kind: str, force: bool, out_dir: Path) -> None:
    """Rename the finished `tmp` to `target`. A folder already there is checked again (something may have
    appeared during the solve), renamed aside, and removed only once `tmp` is in place; a planner sensitivity/
    folder in a run folder moves into the new one. On failure everything is put back as it was."""
    if not (target.exists() or target.is_symlink()):
        tmp.rename(target)  # fails if something appeared meanwhile that is not an empty folder
        return
    problem = ("is not a folder" if not target.is_dir()
               else replace_problem(target, kind) if force or _holds_only_sensitivity(target, kind)
               else "was created by something else meanwhile")
    if problem:
        raise OutputError(f"{_show(out_dir)} {problem}; it was left unchanged")
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{secrets.token_hex(2)}")
    target.rename(old)
    moved = []
    try:
        for name in _kept_subfolders(old, kind):
            (old / name).rename(tmp / name)
            moved.append(name)
        tmp.rename(target)
    except BaseException as e:
        try:
            for name in moved:
                (tmp / name).rename(old / name)
            old.rename(target)
        except OSError as undo:  # nothing is deleted: say where both are
            raise _PutBackFailed(f"could not write {_show(out_dir)} ({e}) nor put the previous folder back "
                                 f"({describe_os_error(undo)}): the previous results are in {old}/, the new ones "
                                 f"in {tmp}/; rename them by hand") from None
        raise
    shutil.rmtree(old, ignore_errors=True)


class _PutBackFailed(OutputError):
    """A failed replacement whose undo failed too: both folders are kept and named."""


def _kept_subfolders(folder: Path, kind: str) -> list[str]:
    """Subfolders of a run folder that `planner run` keeps when it replaces the folder: its sensitivity/."""
    sub = folder / SENSITIVITY_SUBFOLDER
    return [SENSITIVITY_SUBFOLDER] if kind == RUN and sub.is_dir() and not sub.is_symlink() and \
        _is_planner_sensitivity(sub) else []


def _holds_only_sensitivity(folder: Path, kind: str) -> bool:
    """A run folder made by `planner sensitivity` before any run: holds nothing but a planner sensitivity/."""
    rest = [e.name for e in folder.iterdir() if not _is_junk(e.name)]
    return kind == RUN and rest == [SENSITIVITY_SUBFOLDER] and _kept_subfolders(folder, kind) == rest


def _rescued(e: Exception, out_dir: Path, kind: str, write: Callable[[Path], None], what: str) -> Exception:
    """Save the results in the temporary directory after `e`; the exception to raise, naming where they are."""
    saved, why_not = None, None
    for parent in (Path(tempfile.gettempdir()), Path.home()):
        try:
            folder = Path(tempfile.mkdtemp(prefix=f"planner-{kind}-", dir=parent))  # private (0700): shared /tmp
        except OSError as err:
            why_not = err
            continue
        try:
            write(folder)
            write_marker(folder, kind)
            saved = folder
            break
        except Exception as err:  # noqa: BLE001 - any failure here: try the next place, then report
            why_not = err
            shutil.rmtree(folder, ignore_errors=True)
    if saved is not None:
        files = ", ".join(sorted(f.name for f in saved.iterdir() if f.name != MARKER))
        kept = (f"{what} is kept in {saved}/ ({files}); copy it to a safe place (the system may clear its "
                f"temporary folder)")
        if kind == RUN:
            kept += f"; `planner report {saved}` rebuilds the reports from it"
    else:
        kept = f"{what} could not be saved anywhere else either ({why_not}); it is lost"
    if isinstance(e, OSError | OutputError):
        reason = describe_os_error(e) if isinstance(e, OSError) else str(e)
        return OutputError(f"could not write {_show(out_dir)}: {reason}.\n  {kept}")
    e.add_note(kept)
    return e


def replace_file(path: Path, write: Callable[[Path], None], force: bool, owned: Callable[[Path], bool],
                 what: str) -> Path:
    """Write one file atomically (a temporary sibling, then a rename). An existing `path` is replaced only with
    `force` and only if `owned(path)` says the planner wrote it (`what` names such files in the message)."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise OutputError(f"{path} exists and is not a file; choose another path")
        if not force:
            raise OutputError(f"{path} already exists; use --force to overwrite it (--force overwrites only {what})")
        if not owned(path):
            raise OutputError(f"--force refused: {path} is not {what}; it was left unchanged. Choose another path")
    parent = path.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f".{path.name}.tmp-{secrets.token_hex(4)}{path.suffix}"
        try:
            write(tmp)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
    except OSError as e:
        raise OutputError(f"could not write {path}: {describe_os_error(e)}") from None
    return path
