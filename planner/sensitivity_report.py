"""Write sensitivity results to outputs/<site>/sensitivity/: CSV, an Excel workbook with native charts, HTML.

Labels, notes and failure reasons are text: stored as text in the workbook and neutralised in the CSVs
(planner.safe_text), escaped in the HTML."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from planner import fmt
from planner.labels import Labels
from planner.outputs import SENSITIVITY, write_atomically
from planner.report.excel import header, widths
from planner.safe_text import cells, write_csv


def write_sensitivity(out_dir: Path, base: dict, cases: pd.DataFrame, tables: dict[str, pd.DataFrame],
                      extra: dict, force: bool = False) -> Path:
    """Write everything atomically (planner/outputs.py: write_atomically; --force replaces only a sensitivity
    folder the planner wrote; if writing fails the results are kept in a temporary folder, named in the error)."""

    def write(folder: Path) -> None:
        write_csv(cases, folder / "cases.csv")  # text quoted and csv_safe (planner/safe_text.py)
        for name, df in tables.items():
            write_csv(df, folder / f"{name}.csv")
        (folder / "sensitivity.json").write_text(json.dumps({"base": base, **extra}, indent=2, default=str) + "\n")
        _excel(folder / "sensitivity.xlsx", cases, tables)
        _html(folder / "sensitivity.html", base, tables, extra)

    return write_atomically(Path(out_dir), SENSITIVITY, write, force=force, rescue_what="The sensitivity result")


def _excel(path: Path, cases: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Cases"
    _frame(ws, cases)
    for name, df in tables.items():
        sheet = wb.create_sheet(name.capitalize()[:31])
        _frame(sheet, df)
        if name == "tornado" and len(df):
            cols = list(df.columns)
            ch = BarChart()
            ch.type, ch.title, ch.x_axis.title = "bar", "NPV at low and high value (USD)", "parameter"
            for c in ("npv_low_usd", "npv_high_usd"):
                j = cols.index(c) + 1
                ch.add_data(Reference(sheet, min_col=j, min_row=1, max_row=len(df) + 1), titles_from_data=True)
            ch.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(df) + 1))
            ch.height, ch.width = 10, 22
            sheet.add_chart(ch, f"A{len(df) + 4}")
        if name == "sweep" and len(df):
            cols = list(df.columns)
            ch = BarChart()
            ch.title = "NPV across the sweep (USD)"
            ch.add_data(Reference(sheet, min_col=cols.index("npv_usd") + 1, min_row=1, max_row=len(df) + 1),
                        titles_from_data=True)
            ch.set_categories(Reference(sheet, min_col=cols.index("label") + 1, min_row=2, max_row=len(df) + 1))
            ch.height, ch.width = 10, 22
            sheet.add_chart(ch, f"A{len(df) + 4}")
    wb.save(path)


def _frame(ws, df: pd.DataFrame) -> None:
    header(ws, 1, list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(cells(ws, [None if (isinstance(v, float) and v != v) else v for v in row]))
    widths(ws, {chr(65 + i): 18 for i in range(min(len(df.columns), 26))})
    ws.freeze_panes = "A2"


def _html(path: Path, base: dict, tables: dict[str, pd.DataFrame], extra: dict) -> None:
    """The page: base NPV and figures rounded for reading (planner/fmt.py); the tables in full (class "data")."""
    lab = Labels()
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Sensitivity</title><style>"
             "body{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:20px auto;color:#222}"
             "table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:4px 8px}"
             "th{background:#1f4e78;color:#fff}</style></head><body>",
             f"<h1>Sensitivity: {escape(str(base.get('site', '')))}</h1>",
             f"<p>{escape(lab.label('sensitivity', 'npv_usd'))} <b id='base-npv' data-value='{base.get('npv_usd')}'>"
             f"{escape(fmt.money(base.get('npv_usd') or 0))}</b></p>"]
    tor = tables.get("tornado")
    if tor is not None and len(tor):
        parts.append(_tornado_svg(tor, base.get("npv_usd") or 0.0))
    for name, df in tables.items():
        parts.append(f"<h2>{escape(name)}</h2>" + df.to_html(index=False, na_rep="", escape=True, classes="data",
                                                              float_format="{:,.4g}".format))
    for k, v in extra.items():
        parts.append(f"<h2>{escape(lab.label('sensitivity', k))}</h2>" + _figures(v, lab))
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def _figures(figures, lab: Labels) -> str:
    """A block of named figures (break-even, Monte Carlo statistics) as a two-column table, rounded for reading."""
    if not isinstance(figures, dict):
        return f"<p>{escape(str(figures))}</p>"
    rows = []
    for key, v in figures.items():
        unit = lab.unit("sensitivity", key)
        text = fmt.value(v, unit) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
        data = f" data-value='{v}'" if isinstance(v, (int, float)) else ""
        rows.append(f"<tr><td>{escape(lab.label('sensitivity', key))}</td><td id='{escape(str(key))}'{data}>"
                    f"{escape(text)}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _tornado_svg(tor: pd.DataFrame, base_npv: float) -> str:
    rows = tor.dropna(subset=["npv_low_usd", "npv_high_usd"])
    if not len(rows):
        return ""
    lo = min(rows["npv_low_usd"].min(), rows["npv_high_usd"].min(), base_npv)
    hi = max(rows["npv_low_usd"].max(), rows["npv_high_usd"].max(), base_npv)
    span = (hi - lo) or 1.0
    w, left, bar_h = 900, 300, 22
    x = lambda v: left + (w - left - 20) * (v - lo) / span  # noqa: E731
    out = [f"<svg viewBox='0 0 {w} {40 + bar_h * 1.4 * len(rows):.0f}' style='width:100%'>",
           f"<line x1='{x(base_npv):.1f}' x2='{x(base_npv):.1f}' y1='10' y2='{30 + bar_h * 1.4 * len(rows):.0f}' "
           f"stroke='#333'/>"]
    for i, r in enumerate(rows.itertuples()):
        y = 20 + i * bar_h * 1.4
        for v, col in ((r.npv_low_usd, "#e73f74"), (r.npv_high_usd, "#11a579")):
            a, b = sorted((x(base_npv), x(v)))
            out.append(f"<rect x='{a:.1f}' y='{y:.1f}' width='{max(b - a, 1):.1f}' height='{bar_h}' fill='{col}' "
                       f"fill-opacity='0.8'><title>{escape(r.parameter)}: {escape(fmt.money(v))}</title></rect>")
        out.append(f"<text x='5' y='{y + 15:.1f}' font-size='12'>{escape(r.parameter)}</text>")
    out.append("</svg><p>Red: NPV at the low value; green: at the high value; line: base NPV.</p>")
    return "".join(out)
