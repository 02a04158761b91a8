"""Write sensitivity results to outputs/<site>/sensitivity/: CSV, an Excel workbook with native charts, HTML.

Labels, notes and failure reasons are text: stored as text in the workbook and neutralised in the CSVs
(planner.safe_text), escaped in the HTML."""

from __future__ import annotations

import json
import math
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
        _html(folder / "sensitivity.html", base, tables, extra, cases)

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


def _html(path: Path, base: dict, tables: dict[str, pd.DataFrame], extra: dict,
          cases: pd.DataFrame | None = None) -> None:
    """The page: base NPV and figures rounded for reading (planner/fmt.py); the results browser (a script reading
    the data from a JSON block: docs/sensitivity.md); the tables in full (class "data"), which work without it."""
    lab = Labels()
    browser = browser_data(base, tables, cases)
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Sensitivity</title><style>"
             "body{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:20px auto;color:#222}"
             "table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:4px 8px}"
             "th{background:#1f4e78;color:#fff}" + BROWSER_CSS + "</style></head><body>",
             f"<h1>Sensitivity: {escape(str(base.get('site', '')))}</h1>",
             f"<p>{escape(lab.label('sensitivity', 'npv_usd'))} <b id='base-npv' data-value='{base.get('npv_usd')}'>"
             f"{escape(fmt.money(base.get('npv_usd') or 0))}</b></p>"]
    tor = tables.get("tornado")
    if tor is not None and len(tor):
        parts.append(_tornado_svg(tor, base.get("npv_usd") or 0.0))
    if browser["tornado"] or browser["sweep"]["cases"]:
        parts.append(BROWSER_HTML)
    for name, df in tables.items():
        parts.append(f"<h2>{escape(name)}</h2>" + df.to_html(index=False, na_rep="", escape=True, classes="data",
                                                              float_format="{:,.4g}".format))
    for k, v in extra.items():
        parts.append(f"<h2>{escape(lab.label('sensitivity', k))}</h2>" + _figures(v, lab))
    if browser["tornado"] or browser["sweep"]["cases"]:
        parts.append(f"<script type='application/json' id='sens-data'>{json_for_script(browser)}</script>"
                     f"<script>{BROWSER_JS}</script>")
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")


# ------------------------------------------------------------------------------ the results browser

def _number(v):
    """A JSON number, or None for a blank, NaN or anything that is not a finite number."""
    if v is None or isinstance(v, bool):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _case(row: dict) -> dict:
    """One case for the browser: its label, status, NPV, parameter values and sizes (from a cases/sweep row)."""
    return {"label": str(row.get("label", "")), "status": str(row.get("status", "")),
            "reason": "" if row.get("reason") is None or row.get("reason") != row.get("reason") else str(row["reason"]),
            "npv_usd": _number(row.get("npv_usd")),
            "params": {k[6:]: _number(v) for k, v in row.items() if k.startswith("param:")},
            "sizes": {k[5:]: _number(v) for k, v in row.items() if k.startswith("size:")}}


def browser_data(base: dict, tables: dict[str, pd.DataFrame], cases: pd.DataFrame | None) -> dict:
    """What the browser shows, as plain JSON: the base case, each tornado parameter with its low and high cases,
    and the sweep's parameters and cases."""
    rows = [] if cases is None or not len(cases) else cases.to_dict("records")
    by_label = {(str(r.get("label")), bool(r.get("fixed_design"))): r for r in rows}
    tornado = []
    tor = tables.get("tornado")
    for t in ([] if tor is None else tor.to_dict("records")):
        name = str(t["parameter"])
        tornado.append({"parameter": name, "low": _number(t.get("low")), "high": _number(t.get("high")),
                        "base": _number(t.get("base")),
                        "cases": {side: _case(by_label[(f"{name} {side}", False)])
                                  for side in ("low", "high") if (f"{name} {side}", False) in by_label}})
    sweep = tables.get("sweep")
    sweep_rows = [] if sweep is None else sweep.to_dict("records")
    params = [c[6:] for c in (sweep.columns if sweep is not None else []) if str(c).startswith("param:")]
    return {"base": {"npv_usd": _number(base.get("npv_usd")),
                     "sizes": {k: _number(v) for k, v in (base.get("sizes") or {}).items()}},
            "tornado": tornado, "sweep": {"params": params, "cases": [_case(r) for r in sweep_rows]}}


def json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> block: every "<" written as \\u003c (still the same JSON)."""
    return json.dumps(data, allow_nan=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


BROWSER_CSS = ("#browser select{font-size:13px;margin:0 12px 0 4px}#browser .panel{margin:8px 0 18px}"
               "#sweep-heatmap td{text-align:right;min-width:70px;cursor:pointer;border:1px solid #fff}"
               "#sweep-heatmap td.on{outline:2px solid #000}.muted{color:#666;font-size:12px}")
BROWSER_HTML = (
    "<section id='browser' hidden><h2>Results browser</h2>"
    "<p class='muted'>Pick a parameter or a sweep view; the tables further down hold every case in full.</p>"
    "<div id='tornado-browser' class='panel' hidden><h3>Tornado: one parameter</h3>"
    "<label>Parameter<select id='tornado-param'></select></label>"
    "<p>Low <b id='td-low'></b> gives NPV <b id='td-npv-low'></b>; high <b id='td-high'></b> gives NPV "
    "<b id='td-npv-high'></b> (base NPV <span id='td-npv-base'></span>).</p>"
    "<table id='td-build'><thead><tr><th>Size</th><th>Base</th><th>Low</th><th>High</th></tr></thead>"
    "<tbody></tbody></table></div>"
    "<div id='sweep-browser' class='panel' hidden><h3>Sweep: heat-map</h3>"
    "<label>Show<select id='sweep-metric'></select></label>"
    "<label>Across (columns)<select id='sweep-x'></select></label>"
    "<label>Down (rows)<select id='sweep-y'></select></label>"
    "<table id='sweep-heatmap'></table>"
    "<p>Case <b id='sc-label'></b>: NPV <b id='sc-npv'></b> <span id='sc-status' class='muted'></span></p>"
    "<table id='sc-build'><thead><tr><th>Size</th><th>This case</th><th>Base</th></tr></thead><tbody></tbody>"
    "</table></div></section>")
# the script only reads the JSON block and writes text (textContent), never markup from the data
BROWSER_JS = r"""
(function () {
  var D = JSON.parse(document.getElementById('sens-data').textContent);
  function $(id) { return document.getElementById(id); }
  function money(v) {
    if (v === null || v === undefined) return 'n/a';
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + ' M USD';
    if (a >= 1e3) return (v / 1e3).toFixed(1) + ' k USD';
    return v.toFixed(0) + ' USD';
  }
  function num(v) {
    if (v === null || v === undefined) return 'n/a';
    return Math.abs(v) >= 10 ? v.toFixed(1).replace(/\.0$/, '') : String(Math.round(v * 100) / 100);
  }
  function show(el, text, value) {
    el.textContent = text;
    if (value === null || value === undefined) el.removeAttribute('data-value');
    else el.setAttribute('data-value', String(value));
  }
  function option(select, value, text) {
    var o = document.createElement('option');
    o.value = value; o.textContent = text; select.appendChild(o);
  }
  function cell(tr, text, value, tag) {
    var td = document.createElement(tag || 'td');
    show(td, text, value); tr.appendChild(td); return td;
  }
  function buildRows(tbody, columns) {  // columns: list of {sizes}; rows = every size any of them has
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    var keys = [];
    columns.forEach(function (c) {
      Object.keys(c || {}).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    });
    keys.forEach(function (k) {
      var tr = document.createElement('tr');
      cell(tr, k, null, 'th');
      columns.forEach(function (c) {
        var v = c ? c[k] : null;
        cell(tr, num(v), v).setAttribute('data-size', k);
      });
      tbody.appendChild(tr);
    });
  }
  $('browser').hidden = false;
  if (D.tornado.length) {
    $('tornado-browser').hidden = false;
    var tp = $('tornado-param');
    D.tornado.forEach(function (t, i) { option(tp, String(i), t.parameter); });
    function tornado() {
      var t = D.tornado[Number(tp.value)];
      var lo = t.cases.low || {}, hi = t.cases.high || {};
      show($('td-low'), num(t.low), t.low); show($('td-high'), num(t.high), t.high);
      show($('td-npv-low'), money(lo.npv_usd), lo.npv_usd); show($('td-npv-high'), money(hi.npv_usd), hi.npv_usd);
      show($('td-npv-base'), money(D.base.npv_usd), D.base.npv_usd);
      buildRows($('td-build').tBodies[0], [D.base.sizes, lo.sizes, hi.sizes]);
    }
    tp.addEventListener('change', tornado); tornado();
  }
  var S = D.sweep;
  if (S.cases.length) {
    $('sweep-browser').hidden = false;
    var sm = $('sweep-metric'), sx = $('sweep-x'), sy = $('sweep-y');
    option(sm, 'npv', 'NPV');
    var sizes = [];
    S.cases.forEach(function (c) {
      Object.keys(c.sizes).forEach(function (k) { if (sizes.indexOf(k) < 0) sizes.push(k); });
    });
    sizes.forEach(function (k) { option(sm, 'size:' + k, k); });
    S.params.forEach(function (p) { option(sx, p, p); option(sy, p, p); });
    option(sy, '', '(none)');
    sy.value = S.params.length > 1 ? S.params[1] : '';
    var picked = 0;
    function metric(c) { return sm.value === 'npv' ? c.npv_usd : c.sizes[sm.value.slice(5)]; }
    function values(p) {
      var out = [];
      S.cases.forEach(function (c) { var v = c.params[p]; if (out.indexOf(v) < 0) out.push(v); });
      return out.sort(function (a, b) { return a - b; });
    }
    function pick(i) {
      picked = i;
      var c = S.cases[i];
      show($('sc-label'), c.label, null); show($('sc-npv'), money(c.npv_usd), c.npv_usd);
      $('sc-status').textContent = c.status === 'ok' ? '' : '(' + c.status + ': ' + c.reason + ')';
      buildRows($('sc-build').tBodies[0], [c.sizes, D.base.sizes]);
      Array.prototype.forEach.call($('sweep-heatmap').querySelectorAll('td'), function (td) {
        td.className = Number(td.getAttribute('data-case')) === i ? 'on' : '';
      });
    }
    function heatmap() {
      if (sy.value === sx.value) sy.value = S.params.filter(function (p) { return p !== sx.value; })[0] || '';
      var xs = values(sx.value), ys = sy.value ? values(sy.value) : [null];
      var table = $('sweep-heatmap');
      while (table.firstChild) table.removeChild(table.firstChild);
      var all = S.cases.map(metric).filter(function (v) { return v !== null && v !== undefined; });
      var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
      var head = document.createElement('tr');
      cell(head, sy.value ? sy.value + ' (rows) x ' + sx.value + ' (columns)' : sx.value, null, 'th');
      xs.forEach(function (x) { cell(head, num(x), x, 'th'); });
      table.appendChild(head);
      ys.forEach(function (y) {
        var tr = document.createElement('tr');
        cell(tr, y === null ? '' : num(y), y, 'th');
        xs.forEach(function (x) {
          var i = -1;
          S.cases.forEach(function (c, k) {
            if (c.params[sx.value] === x && (y === null || c.params[sy.value] === y) && i < 0) i = k;
          });
          var v = i < 0 ? null : metric(S.cases[i]);
          var td = cell(tr, sm.value === 'npv' ? money(v) : num(v), v);
          td.setAttribute('data-case', String(i));
          td.setAttribute('data-x', String(x)); if (y !== null) td.setAttribute('data-y', String(y));
          var f = (v === null || hi === lo) ? 0.5 : (v - lo) / (hi - lo);
          td.style.background = v === null ? '#eee' : 'hsl(' + Math.round(120 * f) + ',60%,80%)';
          if (i >= 0) td.addEventListener('click', function () { pick(i); });
        });
        table.appendChild(tr);
      });
      pick(picked);
    }
    [sm, sx, sy].forEach(function (el) { el.addEventListener('change', heatmap); });
    heatmap();
  }
})();
"""


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
