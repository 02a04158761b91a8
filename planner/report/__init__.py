"""Investment reports: report.xlsx (native charts, live NPV/IRR formulas) and a self-contained report.html.

Both are built only from the files of an output folder, so `planner report DIR` rebuilds them
without solving again.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.report.data import load
from planner.report.excel import write_excel
from planner.report.html import write_html


def write_reports(folder: Path) -> list[Path]:
    """Write report.xlsx and report.html into `folder` (each via a temporary name, then renamed)."""
    folder = Path(folder)
    data = load(folder)
    out = []
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
    return out
