"""Investment reports: report.xlsx (native charts, live NPV/IRR formulas) and a self-contained report.html.

Both are built only from the files of an output folder, so `planner report DIR` rebuilds them
without solving again.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.errors import OutputError
from planner.outputs import add_to_marker, describe_os_error
from planner.report.data import load
from planner.report.excel import write_excel
from planner.report.html import write_html


def write_reports(folder: Path) -> list[Path]:
    """Write report.xlsx and report.html into `folder` (each via a temporary name, then renamed).

    A folder that cannot be written (read-only, full disk) is an OutputError (exit 2), not a crash.
    """
    folder = Path(folder)
    data = load(folder)
    out = []
    try:
        for name, writer in (("report.xlsx", write_excel), ("report.html", write_html)):
            final = folder / name
            tmp = folder / f".{name}.tmp{final.suffix}"
            try:
                writer(data, tmp)
                os.replace(tmp, final)
            finally:
                if tmp.exists():
                    tmp.unlink()
            out.append(final)
        add_to_marker(folder, [p.name for p in out])
    except OSError as e:
        raise OutputError(f"could not write the reports into {folder}: {describe_os_error(e)}") from None
    return out
