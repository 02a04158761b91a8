"""compare.xlsx and compare.html: several runs side by side (`planner compare`, docs/compare.md).

The same safety as the run report: every text (site names, folder names, input values, limits in words)
is written through planner.safe_text into the workbook (a string cell, never a formula; the workbook has no
formula at all) and through html.escape into the page, which is self-contained (inline CSS and SVG, no
scripts, no network requests). Both show the same three tables: the ranking, the inputs that differ, the runs'
folders; the workbook has a native bar chart of NPV and capex per run, the page the same chart in SVG.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from planner import fmt
from planner.compare import ABSENT, Comparison, Run, _number
from planner.outputs import COMPARE, write_atomically
from planner.report.excel import TITLE, header, widths
from planner.report.html import CSS
from planner.safe_text import put

GREY = Font(color="808080", italic=True)
NPV_COLOUR, CAPEX_COLOUR = "#1f4e78", "#e68310"


@dataclass
class Column:
    """One column of the ranking: a header, how a value is shown (kind: usd, pct, years, gap, size, mwh, text,
    int) and the value of each run."""

    header: str
    kind: str
    unit: str
    value: Callable[[Run], object]
    id: str = ""


def _size_value(key: str) -> Callable[[Run], object]:
    return lambda r: _number((r.summary.get("sizes_new") or {}).get(key)) or 0.0


def _energy_value(key: str) -> Callable[[Run], object]:
    return lambda r: _number((r.summary.get("energy_mwh") or {}).get(key)) or 0.0


def _limits(r: Run) -> str:
    limits = r.summary.get("binding_limits")
    if limits is None:
        return "not computed"
    return "; ".join(str(b.get("label", "")) if isinstance(b, dict) else str(b) for b in limits) or "none binds"


def _sized_on(r: Run) -> str:
    td = r.summary.get("typical_days")
    return f"{td.get('typical_days')} typical days" if isinstance(td, dict) else "full year"


def columns(comp: Comparison) -> list[Column]:
    """The ranking's columns: figures, the new build by size, energy by use, limits, how it was solved."""
    out = [
        Column("Run", "text", "", lambda r: r.name, "run"),
        Column("Site", "text", "", lambda r: r.site, "site"),
        Column("Investment NPV", "usd", "USD", lambda r: r.investment_npv_usd, "investment-npv"),
        Column("Investment IRR", "pct", "fraction", lambda r: _number(r.investment.get("irr")), "investment-irr"),
        Column("Capex (year 0)", "usd", "USD", lambda r: _number(r.summary.get("capex_usd")), "capex"),
        Column("Investment payback", "years", "years", lambda r: _number(r.investment.get("simple_payback_years")),
               "payback"),
        Column("Plan NPV", "usd", "USD", lambda r: r.npv_usd, "plan-npv"),
    ]
    for k in comp.size_keys():
        unit = comp.unit("sizes", k)
        out.append(Column(f"New: {comp.label('sizes', k)} ({unit})", "size", unit, _size_value(k), f"new-{k}"))
    for k in comp.energy_keys():
        out.append(Column(f"Energy: {comp.label('energy', k)} (MWh/yr)", "mwh", "MWh/yr", _energy_value(k),
                          f"energy-{k}"))
    out += [
        Column("Limits that set the plan", "text", "", _limits, "limits"),
        Column("Sized on", "text", "", _sized_on, "sized-on"),
        Column("Solver status", "text", "", lambda r: str((r.summary.get("solver") or {}).get("status", "")),
               "status"),
        Column("MIP gap", "gap", "fraction", lambda r: _number((r.summary.get("solver") or {}).get("mip_gap")),
               "gap"),
    ]
    return out


def shown(value, kind: str, unit: str = "") -> str:
    """A ranking cell as text, rounded the way the run report shows it (planner/fmt.py)."""
    if value is None:
        return fmt.NA
    if kind == "text":
        return str(value)
    return {"usd": fmt.money, "pct": fmt.percent, "years": fmt.years, "gap": fmt.gap, "mwh": fmt.count,
            "size": lambda x: fmt.size(x, unit)}[kind](value)


def input_text(v) -> str:
    """An input value as text: blank, yes/no, numbers as typed."""
    if v is None:
        return "(blank)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v)
    return str(v)


def write_comparison(comp: Comparison, out_dir: Path, force: bool = False) -> Path:
    """Write compare.xlsx and compare.html into `out_dir`, atomically, with the planner's marker (kind compare):
    an existing folder is replaced only with `force` and only if it holds an earlier comparison and nothing
    else (planner/outputs.py); returns `out_dir`."""

    def write(folder: Path) -> None:
        write_excel(comp, folder / "compare.xlsx")
        write_html(comp, folder / "compare.html")

    return write_atomically(Path(out_dir), COMPARE, write, force=force, rescue_what="The comparison")


# ------------------------------------------------------------------------------------------- Excel

XL = {"usd": fmt.XL_MUSD, "pct": fmt.XL_PCT, "years": '0.0" years"', "gap": fmt.XL_GAP, "mwh": fmt.XL_MWH}


def write_excel(comp: Comparison, path: Path) -> Path:
    """Ranking (with a native bar chart of investment NPV and capex per run), Inputs that differ, Runs."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Ranking"
    cols = columns(comp)
    n = len(comp.runs)
    put(ws, 1, 1, f"Comparison of {n} run{'s' if n != 1 else ''}, ranked by investment NPV").font = TITLE
    put(ws, 2, 1, "Investment = the plan minus the do-nothing baseline of its own site; the cells hold full values")
    header(ws, 4, ["Rank"] + [c.header for c in cols])
    for i, r in enumerate(comp.runs, start=1):
        row = 4 + i
        put(ws, row, 1, i)
        for j, c in enumerate(cols, start=2):
            v = c.value(r)
            if v is None:
                put(ws, row, j, fmt.NA)
            elif c.kind == "text":
                put(ws, row, j, str(v))
            else:
                fmt_ = XL.get(c.kind) or fmt.excel_format(c.unit, v)
                put(ws, row, j, float(v), fmt_)
    widths(ws, {"A": 6, "B": 24, "C": 24, **{_letter(j): 16 for j in range(4, len(cols) + 2)},
                _letter(2 + [c.id for c in cols].index("limits")): 60})
    ws.freeze_panes = "C5"
    if n:
        ch = BarChart()
        ch.type, ch.grouping = "col", "clustered"
        ch.title, ch.y_axis.title = "Investment NPV and capex per run", "USD"
        for cid in ("investment-npv", "capex"):
            j = 2 + [c.id for c in cols].index(cid)
            ch.add_data(Reference(ws, min_col=j, min_row=4, max_row=4 + n), titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=2, min_row=5, max_row=4 + n))
        ch.y_axis.numFmt = fmt.XL_MUSD
        ch.height, ch.width = 9, 18
        ws.add_chart(ch, f"B{4 + n + 3}")
    _differences_sheet(wb.create_sheet("Inputs that differ"), comp)
    _runs_sheet(wb.create_sheet("Runs"), comp)
    wb.save(path)
    return path


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


def _differences_sheet(ws, comp: Comparison) -> None:
    put(ws, 1, 1, "Inputs that differ between the runs (from each folder's scenario.json)").font = TITLE
    put(ws, 2, 1, "Grey: the sheet is not in that run's model (its technology is not enabled), so the value is not "
                  "used. Hourly rows: the column's data differ; the value shown is its mean")
    header(ws, 4, ["Sheet", "Field", "Unit", "Note"] + [r.name for r in comp.runs])
    if not comp.differences:
        put(ws, 5, 1, "No input differs: every run has the same inputs")
    for i, d in enumerate(comp.differences, start=5):
        for j, text in enumerate((d.sheet, d.field, d.unit, d.note), start=1):
            put(ws, i, j, text)
        for j, (v, used) in enumerate(zip(d.values, d.used, strict=True), start=5):
            number = isinstance(v, (int, float)) and not isinstance(v, bool) and v is not ABSENT
            cell = put(ws, i, j, v if number else ABSENT if v is ABSENT else input_text(v))
            if not used:
                cell.font = GREY
    widths(ws, {"A": 14, "B": 30, "C": 14, "D": 40, **{_letter(j): 18 for j in range(5, len(comp.runs) + 5)}})
    ws.freeze_panes = "C5"


def _runs_sheet(ws, comp: Comparison) -> None:
    header(ws, 1, ["Run", "Folder", "Site", "Input file SHA-256", "Planner version", "Solver termination",
                   "Investment: why not valued"])
    for i, r in enumerate(comp.runs, start=2):
        s = r.summary
        values = [r.name, str(r.folder), r.site, str(s.get("input_sha256") or ""), str(s.get("planner_version") or ""),
                  str((s.get("solver") or {}).get("termination") or ""), str(r.investment.get("reason") or "")]
        for j, v in enumerate(values, start=1):
            put(ws, i, j, v)
    r0 = len(comp.runs) + 3
    for k, note in enumerate(comp.notes):
        put(ws, r0 + k, 1, note)
    widths(ws, {"A": 24, "B": 50, "C": 24, "D": 30, "E": 14, "F": 30, "G": 50})


# -------------------------------------------------------------------------------------------- HTML

EXTRA_CSS = (".unused{color:#999;font-style:italic} td.rank{font-weight:600} .legend{font-size:12px;color:#555}"
             "#ranking td,#ranking th{white-space:nowrap} #ranking td.wide{white-space:normal;min-width:340px}"
             "#differences td{vertical-align:top} #differences td.long{min-width:260px}")


def write_html(comp: Comparison, path: Path) -> Path:
    """The page: the ranking, the chart, the inputs that differ and the runs' folders."""
    cols = columns(comp)
    n = len(comp.runs)
    title = f"Comparison of {n} run{'s' if n != 1 else ''}"
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
             f"content='width=device-width, initial-scale=1'><title>{escape(title)}</title>"
             f"<style>{CSS}{EXTRA_CSS}</style></head><body><main>",
             f"<h1>{escape(title)}</h1>",
             "<p class='sub'>Ranked by the investment's NPV: each plan minus the do-nothing baseline of its own site "
             "(runs without one come last, by plan NPV). Rounded for reading; compare.xlsx holds the full values."
             "</p>",
             "<h2>Ranking</h2><div style='overflow-x:auto'><table id='ranking'><tr><th>Rank</th>"
             + "".join(f"<th>{escape(c.header)}</th>" for c in cols) + "</tr>"]
    for i, r in enumerate(comp.runs, start=1):
        cells = [f"<td class='rank'>{i}</td>"]
        for c in cols:
            v = c.value(r)
            data = "" if v is None or c.kind == "text" else f" data-value='{float(v)!r}'"
            cls = " class='wide'" if c.id == "limits" else "" if c.kind == "text" else " class='n'"
            cells.append(f"<td{cls} data-col='{escape(c.id, quote=True)}'{data}>{escape(shown(v, c.kind, c.unit))}"
                         f"</td>")
        parts.append(f"<tr class='run' data-rank='{i}'>" + "".join(cells) + "</tr>")
    parts.append("</table></div>")
    parts.append(grouped_bars([r.name for r in comp.runs],
                              {"Investment NPV": [r.investment_npv_usd for r in comp.runs],
                               "Capex (year 0)": [_number(r.summary.get("capex_usd")) for r in comp.runs]},
                              "Investment NPV and capex per run (USD)"))
    parts.append("<h2>Inputs that differ</h2>")
    if not comp.differences:
        parts.append("<p class='sub' id='no-differences'>No input differs: every run has the same inputs.</p>")
    else:
        parts.append("<p class='legend'>From each folder's scenario.json. <span class='unused'>Grey</span>: the "
                     "sheet is not in that run's model (its technology is not enabled), so the value is not used. "
                     "Hourly rows: the column's data differ; the value shown is its mean over the year.</p>"
                     "<div style='overflow-x:auto'><table id='differences'><tr><th>Sheet</th><th>Field</th>"
                     "<th>Unit</th>" + "".join(f"<th>{escape(r.name)}</th>" for r in comp.runs) + "</tr>")
        for d in comp.differences:
            texts = [ABSENT if v is ABSENT else fmt.value(v) if d.sheet == "Hourly" else input_text(v)
                     for v in d.values]
            cells = "".join(f"<td class='{'' if used else 'unused'}{' long' if len(t) > 40 else ''}'>{escape(t)}</td>"
                            for t, used in zip(texts, d.used, strict=True))
            parts.append(f"<tr class='difference' data-name='{escape(d.name, quote=True)}'><td>{escape(d.sheet)}</td>"
                         f"<td title='{escape(d.note, quote=True)}'>{escape(d.field)}</td><td>{escape(d.unit)}</td>"
                         f"{cells}</tr>")
        parts.append("</table></div>")
    parts.append("<h2>Runs</h2><table id='runs'><tr><th>Run</th><th>Folder</th><th>Site</th><th>Input file SHA-256"
                 "</th><th>Investment: why not valued</th></tr>")
    for r in comp.runs:
        parts.append(f"<tr><td>{escape(r.name)}</td><td>{escape(str(r.folder))}</td><td>{escape(r.site)}</td>"
                     f"<td>{escape(str(r.summary.get('input_sha256') or ''))[:16]}</td>"
                     f"<td>{escape(str(r.investment.get('reason') or ''))}</td></tr>")
    parts.append("</table>")
    if comp.notes:
        parts.append("<h2>Notes</h2><ul id='notes'>" + "".join(f"<li>{escape(x)}</li>" for x in comp.notes) + "</ul>")
    parts.append("<footer>Written by planner compare from the runs' summary.json and scenario.json; nothing was "
                 "solved again.</footer></main></body></html>")
    Path(path).write_text("".join(parts), encoding="utf-8")
    return Path(path)


def grouped_bars(labels: list[str], series: dict[str, list[float | None]], title: str, width: int = 760,
                 height: int = 300) -> str:
    """Bars of several series per category (a missing value draws no bar), a zero line and a legend."""
    pad_l, pad_b, pad_t = 100, 44, 44
    values = [v for vs in series.values() for v in vs if v is not None]
    vmax, vmin = max(max(values, default=0.0), 0.0), min(min(values, default=0.0), 0.0)
    span = (vmax - vmin) or 1.0
    plot_h, plot_w = height - pad_b - pad_t, width - pad_l - 10
    y0 = pad_t + plot_h * vmax / span
    group = plot_w / max(len(labels), 1)
    bw = max((group - 8) / max(len(series), 1), 1.0)
    colours = [NPV_COLOUR, CAPEX_COLOUR, "#11a579", "#7f3c8d"]
    parts = [f'<svg class="chart" id="npv-capex-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}">', f'<text x="{pad_l}" y="18" class="ct">{escape(title)}</text>',
             f'<line x1="{pad_l}" x2="{width - 10}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#555"/>']
    for k, name in enumerate(series):
        x = pad_l + 160 * k
        parts.append(f'<rect x="{x}" y="26" width="10" height="10" fill="{colours[k % len(colours)]}"/>'
                     f'<text x="{x + 14}" y="35" class="ax">{escape(name)}</text>')
    for v in (vmax, vmin):
        y = pad_t + plot_h * (vmax - v) / span
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" class="ax" text-anchor="end">{escape(fmt.money(v))}'
                     f'</text>')
    for i, lab in enumerate(labels):
        for k, (name, vs) in enumerate(series.items()):
            v = vs[i]
            if v is None:
                continue
            h = plot_h * abs(v) / span
            y = y0 - h if v >= 0 else y0
            x = pad_l + i * group + 4 + k * bw
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bw - 2, 1):.1f}" height="{h:.1f}" '
                         f'fill="{colours[k % len(colours)]}"><title>{escape(lab)}: {escape(name)} '
                         f'{escape(fmt.money(v))}</title></rect>')
        short = lab if len(lab) <= 18 else lab[:17] + "…"
        parts.append(f'<text x="{pad_l + (i + 0.5) * group:.1f}" y="{height - 24}" class="ax" text-anchor="middle">'
                     f'<title>{escape(lab)}</title>{escape(short)}</text>')
    parts.append("</svg>")
    return "".join(parts)
