"""report.html: one self-contained page (inline CSS and SVG, no scripts, no network requests).

Every text that is not the page's own markup (site name, description, sources, warnings, input values)
goes through html.escape, so text a user typed is shown as text, never as markup."""

from __future__ import annotations

from html import escape
from pathlib import Path
from xml.sax.saxutils import quoteattr

from planner import fmt
from planner.report import periods as pr
from planner.report import svg
from planner.report import uncertainty as u
from planner.report.data import NONZERO_MW, NONZERO_USD, ReportData, energy_totals, week

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#222;background:#f6f7f9}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:26px}
h2{margin:28px 0 10px;font-size:19px;border-bottom:2px solid #1f4e78;padding-bottom:4px}
.sub{color:#555;margin:0 0 18px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card .k{font-size:12px;color:#666;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:22px;font-weight:600;margin-top:4px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e3e3e3;text-align:left} th{background:#1f4e78;color:#fff}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:100%;height:auto;background:#fff;border-radius:6px;margin:6px 0}
.ct{font-size:13px;font-weight:600;fill:#222} .ax{font-size:10px;fill:#555} .lbl{font-size:11px;fill:#fff}
.flag{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:6px}
footer{color:#777;font-size:12px;margin-top:30px}
@media print{body{background:#fff} main{max-width:none;padding:0} .card{box-shadow:none;border:1px solid #ccc}
 h2{page-break-after:avoid} .chart,table{page-break-inside:avoid}}
"""


def kpi(id_: str, label: str, text: str, value) -> str:
    data = "" if value is None else f' data-value="{value!r}"'
    return (f'<div class="card"><div class="k">{escape(label)}</div><div class="v"><span id="{id_}"{data}>'
            f'{escape(text)}</span></div></div>')


def write_html(data: ReportData, path: Path) -> Path:
    """Write the page to `path`."""
    s, d = data.summary, data.dispatch
    lab = data.labels
    sol = s["solver"]
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
             f"content='width=device-width, initial-scale=1'><title>Investment plan: {escape(data.site)}</title>"
             f"<style>{CSS}</style></head><body><main>",
             f"<h1>Investment plan: {escape(data.site)}</h1>",
             f"<p class='sub'>{escape(data.input('Site', 'description') or '')}</p>"]
    if sol["status"] != "optimal":
        parts.append(f"<p class='flag'>Solver status <b>{escape(sol['status'])}</b>: this is the best plan found "
                     f"within the limits, not a proven optimum (gap {fmt.gap(sol['mip_gap'])}).</p>")
    parts.append("<div class='cards'>")
    parts += investment_cards(s)
    parts += [
        kpi("kpi-npv", "Plan NPV" if s.get("investment") else "NPV", fmt.money(s["npv_usd"]), s["npv_usd"]),
        kpi("kpi-irr", lab.label("summary", "irr"), fmt.percent(s["irr"]), s["irr"]),
        kpi("kpi-capex", "Capex (year 0)", fmt.money(s["capex_usd"]), s["capex_usd"]),
        kpi("kpi-payback", lab.label("summary", "simple_payback_years"), fmt.years(s["simple_payback_years"]),
            s["simple_payback_years"]),
        kpi("kpi-lcoe", lab.label("summary", "lcoe_usd_per_mwh"), fmt.value(s["lcoe_usd_per_mwh"], "USD/MWh")
            if s["lcoe_usd_per_mwh"] is not None else fmt.NA, s["lcoe_usd_per_mwh"]),
        *[kpi(f"kpi-{f['energy_key']}", f"{lab.label('energy', f['energy_key'])} energy",
              fmt.energy(s["energy_mwh"][f["energy_key"]], "MWh/yr"), s["energy_mwh"][f["energy_key"]])
          for f in s["flows"] if f["kpi"] and data.nonzero(f["column"])],
    ]
    if data.nonzero("curtailed_mw"):
        parts.append(kpi("kpi-curtailed", lab.label("energy", "curtailed"),
                         fmt.energy(s["energy_mwh"]["curtailed"], "MWh/yr"), s["energy_mwh"]["curtailed"]))
    parts.append("</div>")
    parts += investment_table(s)
    parts += build_table(data)
    parts += binding_limits_table(s)
    parts += periods_section(data)
    parts += uncertainty_section(data)
    capex = {lab.label("technologies", k): v for k, v in s["capex_by_technology_usd"].items() if abs(v) > NONZERO_USD}
    if capex:
        parts.append(svg.bar_chart(list(capex), list(capex.values()), "Capex by technology (USD, year 0)"))
    parts.append("<h2>Cash flow</h2>")
    net = data.cashflow.loc["net_cash_flow"]
    parts.append(svg.bar_chart([str(y) for y in net.index], [float(v) for v in net.values],
                               "Net cash flow by year (USD)"))
    parts.append("<h2>Where every MWh went</h2>")
    parts.append(svg.stacked_bars({"Supply": energy_totals(d, data.sources), "Use": energy_totals(d, data.uses)},
                                  "Annual energy: sources and uses"))
    parts.append(energy_table(data))
    for f in s["flows"]:
        if f["heatmap"] and data.nonzero(f["column"]):
            parts.append(svg.heatmap(d[f["column"]].to_numpy(), f"{f['label']} load, hour of day x day of year",
                                     f["unit"]))
    if data.nonzero("curtailed_mw"):
        parts.append(svg.heatmap(d["curtailed_mw"].to_numpy(), "Curtailment, hour of day x day of year", "MW"))
    wk = week(d, 7)
    lines = {label: wk[c].to_numpy() for c, label in {**data.sources, **data.uses}.items()
             if c in wk and float(wk[c].abs().sum()) > NONZERO_MW}
    if lines:
        parts.append("<h2>A typical week of dispatch (from 1 July)</h2>")
        parts.append(svg.line_chart(lines, "Hourly flows, MW"))
    parts.append("<h2>Revenue and cost by stream (year-1 level)</h2><table id='streams'><tr><th>Stream</th>"
                 "<th>Year-1 level</th></tr>")
    for k, v in s["revenue_usd_per_year"].items():
        if abs(v) > NONZERO_USD:
            parts.append(f"<tr><td>{escape(data.label('streams', k))}</td>"
                         f"<td class='n'>{fmt.money(v, '/yr')}</td></tr>")
    parts.append("</table>")
    parts += emissions_table(data)
    warnings = s.get("warnings") or []
    if warnings:
        parts.append("<h2>Input warnings</h2><ul id='warnings'>"
                     + "".join(f"<li>{escape(str(w))}</li>" for w in warnings) + "</ul>")
    parts.append("<h2>Assumptions</h2><table class='data' id='assumptions'><tr><th>Sheet</th><th>Field</th>"
                 "<th>Value</th><th>Unit</th></tr>")
    for sheet, rows in data.scenario["inputs"].items():
        for row in rows:
            v = row["value"]
            v = "(blank)" if v is None else ("yes" if v else "no") if isinstance(v, bool) else v
            parts.append(f"<tr><td>{escape(sheet)}</td><td>{escape(row['field'])}</td><td>{escape(str(v))}</td>"
                         f"<td>{escape(row['unit'])}</td></tr>")
    parts.append("</table>")
    sources = data.scenario.get("sources") or []
    if sources:
        parts.append("<h2>Data sources</h2><table class='data' id='sources'><tr><th>Data item</th>"
                     "<th>Source and licence</th></tr>")
        parts += [f"<tr><td>{escape(str(item))}</td><td>{escape(str(src))}</td></tr>" for item, src in sources]
        parts.append("</table>")
    parts.append("<h2>Solver statistics</h2><table id='solver'>")
    for k in ("status", "mip_gap", "seconds", "nodes", "objective", "bound", "solver", "solver_version"):
        unit = lab.unit("solver", k)
        v = sol.get(k)
        text = fmt.gap(v) if k == "mip_gap" else fmt.plain(v, unit) if isinstance(v, (int, float)) else str(v)
        parts.append(f"<tr><td>{escape(lab.label('solver', k))}</td><td id='solver-{k.replace('_', '-')}'"
                     f"{'' if v is None else f' data-value={quoteattr(str(v))}'}>{escape(text)}</td></tr>")
    parts.append(f"<tr><td>{escape(lab.label('summary', 'proforma_npv_usd'))}</td>"
                 f"<td>{fmt.money(s['proforma_npv_usd'])}</td></tr>")
    parts.append("</table>")
    parts.append(f"<footer>planner {escape(str(s.get('planner_version')))} | input SHA-256 "
                 f"{escape(str(s.get('input_sha256', '')))} | money in {escape(str(s.get('dollar_basis')))} USD"
                 f"</footer></main></body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def emissions_table(data: ReportData) -> list[str]:
    """Emissions by source and the emissions the plan avoids (tCO2e/yr), if any."""
    rows = data.emission_rows()
    if not rows:
        return []
    out = ["<h2>Emissions (year-1 level)</h2><table id='emissions'><tr><th></th><th>Source</th>"
           "<th>tCO2e/yr</th></tr>"]
    out += [f"<tr><td>{group}</td><td>{escape(label)}</td><td class='n'>{fmt.count(t)}</td></tr>"
            for group, label, t in rows]
    return out + ["</table>"]


def energy_table(data: ReportData) -> str:
    """Annual MWh of every source, use and other energy figure in the plan (zero ones left out)."""
    s, lab = data.summary, data.labels
    energy = s["energy_mwh"]
    by_flow = {f["energy_key"]: f for f in s["flows"] if f["energy_key"]}
    groups = {"Source": [], "Use": [], "Other": []}
    for key, mwh in energy.items():
        if abs(mwh) <= NONZERO_MW:
            continue
        role = by_flow[key]["role"] if key in by_flow else ""
        group = {"supply": "Source", "demand": "Use"}.get(role, "Other")
        groups[group].append((key, mwh))
    rows = ["<table id='energy'><tr><th></th><th>Energy</th><th>MWh/yr</th><th>Share</th></tr>"]
    for group, items in groups.items():
        total = sum(v for _, v in items if v > 0) or 1.0
        for key, mwh in items:
            share = fmt.percent(mwh / total) if group != "Other" else ""
            rows.append(f"<tr><td>{group}</td><td>{escape(lab.label('energy', key))}</td>"
                        f"<td class='n'>{fmt.count(mwh)}</td><td class='n'>{share}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


# ------------------------------------------------- the investment against doing nothing (docs/report.md)

def investment_cards(s: dict) -> list[str]:
    """The investment's NPV (plan minus the do-nothing baseline) first, the baseline's beside it."""
    inv, base = s.get("investment"), s.get("baseline") or {}
    if inv is None:
        return []
    return [kpi("kpi-investment-npv", "Investment NPV (vs doing nothing)", fmt.money(inv["npv_usd"]), inv["npv_usd"]),
            kpi("kpi-baseline-npv", "Baseline NPV (do nothing)", fmt.money(base.get("npv_usd")), base.get("npv_usd")),
            kpi("kpi-investment-irr", "Investment IRR", fmt.percent(inv["irr"]), inv["irr"]),
            kpi("kpi-investment-payback", "Investment payback", fmt.years(inv["simple_payback_years"]),
                inv["simple_payback_years"])]


def investment_table(s: dict) -> list[str]:
    """Investment, plan and baseline side by side, with the reason for every figure that is n/a."""
    inv, base = s.get("investment"), s.get("baseline") or {}
    if inv is None:
        return []
    capex_inc = None if inv["npv_usd"] is None else s["capex_usd"] - (base.get("capex_usd") or 0.0)
    rows = [("NPV", fmt.money(inv["npv_usd"]), fmt.money(s["npv_usd"]), fmt.money(base.get("npv_usd"))),
            ("IRR", fmt.percent(inv["irr"]), fmt.percent(s["irr"]), ""),
            ("Simple payback", fmt.years(inv["simple_payback_years"]), fmt.years(s["simple_payback_years"]), ""),
            ("Discounted payback", fmt.years(inv["discounted_payback_years"]), fmt.years(s["discounted_payback_years"]),
             ""),
            ("Capex, year 0", fmt.money(capex_inc), fmt.money(s["capex_usd"]), fmt.money(base.get("capex_usd")))]
    out = ["<h2>What the investment is worth</h2><table id='investment'><tr><th></th>"
           "<th>Investment (plan - baseline)</th><th>Plan</th><th>Baseline (do nothing)</th></tr>"]
    out += [f"<tr><td>{escape(label)}</td>" + "".join(f"<td class='n'>{escape(v)}</td>" for v in values) + "</tr>"
            for label, *values in rows]
    out.append("</table>")
    notes = ([inv["reason"]] if inv.get("reason") else []) + [f"{k}: {v}" for k, v in inv.get("reasons", {}).items()]
    if base.get("reason"):
        notes.append(f"baseline ({base.get('status')}): {base['reason']}")
    out += [f"<p class='sub'>{escape(str(n))}</p>" for n in notes]
    out.append("<p class='sub'>The baseline is the site as it is: existing assets only, every new size at its "
               "workbook minimum (normally zero), the dispatch optimised. The investment is the plan minus it, "
               "year by year.</p>")
    return out


def build_table(data: ReportData) -> list[str]:
    """Every size: existing, new (the recommendation), total, and the capex of the new part."""
    s = data.summary
    new, old, capex = s.get("sizes_new", {}), s.get("sizes_existing", {}), s.get("capex_by_size_usd", {})
    out = ["<h2>Build: what exists and what is recommended</h2><table id='build'><tr><th>Item</th><th>Existing</th>"
           "<th>New (recommended)</th><th>Total</th><th>Unit</th><th>Capex of the new part</th></tr>"]
    for key, total in s["sizes"].items():
        if abs(total) <= 1e-9 and abs(new.get(key, 0.0)) <= 1e-9:
            continue
        unit = data.unit("sizes", key)
        cells = [fmt.NA if v is None else fmt.size(v, unit) for v in (old.get(key), new.get(key), total)]
        out.append(f"<tr><td>{escape(data.label('sizes', key))}</td>"
                   + "".join(f"<td class='n'>{c}</td>" for c in cells)
                   + f"<td>{escape(unit)}</td>"
                   + f"<td class='n'>{fmt.money(capex[key]) if key in capex else ''}</td></tr>")
    out.append("</table>")
    if new and not any(abs(v) > 1e-9 for v in new.values()):
        out.append("<p class='sub' id='nothing-new'>Nothing new is recommended: the plan keeps the site as it is.</p>")
    return out


def binding_limits_table(s: dict) -> list[str]:
    """The workbook limits that set the plan, in plain words, with the NPV value of relaxing each."""
    if "binding_limits" not in s:
        return []
    limits = s["binding_limits"]
    out = ["<h2>Limits that set the plan</h2>"]
    if not limits:
        return out + ["<p class='sub'>No limit from the workbook binds: the economics set every size.</p>"]
    out.append("<table id='binding-limits'><tr><th>Limit</th><th>Cell</th><th>NPV gain if relaxed</th>"
               "<th>Relaxed by</th><th>In words</th></tr>")
    for b in limits:
        gain = b["npv_gain_usd_if_relaxed"]
        out.append(f"<tr><td>{escape(b['label'])}</td><td>{escape(b['cell'] or b['sheet'])}</td>"
                   f"<td class='n'>{'not computed' if gain is None else fmt.money(gain)}</td>"
                   f"<td>{escape(b['relaxed_by_label'])}</td><td>{escape(b['text'])}</td></tr>")
    out.append("</table>")
    return out


# ------------------------------------------------- uncertainty: the stochastic design (docs/report.md, Uncertainty)

def _cell(v, unit: str, missing: str = fmt.NA, id_: str = "") -> str:
    """A number cell as fmt writes it (money as fmt.money), its full value in data-value; `missing` for None."""
    ident = f" id={quoteattr(id_)}" if id_ else ""
    if v is None:
        return f"<td class='n'{ident}>{escape(missing)}</td>"
    text = fmt.money(v) if unit == "USD" else fmt.value(v, unit) if isinstance(v, (int, float)) else str(v)
    return f"<td class='n'{ident} data-value={quoteattr(repr(v))}>{escape(text)}</td>"


def _breakable(text: str) -> str:
    """Escaped text that may wrap after a dot or an underscore (a long dotted parameter name in a header)."""
    return escape(text).replace(".", ".<wbr>").replace("_", "_<wbr>")


def uncertainty_section(data: ReportData) -> list[str]:
    """A stochastic run's section (planner/report/uncertainty.py): the figures of both designs, VSS, EVPI, the
    value of flexibility, the NPV distributions (step CDFs), both builds and every scenario; [] otherwise."""
    st = u.block(data)
    if st is None:
        return []
    lab = data.labels
    out = [f"<section id='uncertainty'><h2>Uncertainty: one build for {len(st['scenarios'])} scenarios</h2>"]
    out += [f"<p class='sub'>{escape(n)}</p>" for n in u.notes(data)]
    out.append("<h3>NPV of each design over the scenarios</h3>")
    out.append(f"<table id='uncertainty-figures'><tr><th>NPV over the scenarios</th><th>{u.STOCHASTIC}</th>"
               f"<th>{u.EV}</th></tr>")
    for f in u.figures(data):
        out.append(f"<tr><td>{escape(f.label)}</td>{_cell(f.stochastic, f.unit, id_=f'unc-stochastic-{f.key}')}"
                   f"{_cell(f.ev, f.unit, id_=f'unc-ev-{f.key}')}</tr>")
    out.append("</table>")
    if not st.get("ev_design"):
        out.append(f"<p class='sub'>The expected-value design was {u.NOT_COMPUTED}.</p>")
    out.append("<h3>What choosing under uncertainty, knowing the future and flexibility are worth</h3>")
    out.append("<table id='uncertainty-values'><tr><th>Value of</th><th>Amount</th><th>In words</th></tr>")
    for v in u.values(data):
        out.append(f"<tr><td>{escape(v.label)}</td>{_cell(v.usd, 'USD', u.NOT_COMPUTED, f'unc-{v.key}')}"
                   f"<td>{escape(v.text)}</td></tr>")
    out.append("</table>")
    out.append(svg.step_cdf(u.cdfs(data), "NPV distribution over the scenarios (cumulative probability)"))
    out.append(f"<h3>The build of each design (new, recommended)</h3><table id='uncertainty-build'><tr><th>Item</th>"
               f"<th>Unit</th><th>Existing</th><th>{u.STOCHASTIC}</th><th>{u.EV}</th></tr>")
    for b in u.build(data):
        cells = "".join(f"<td class='n'>{fmt.NA if v is None else fmt.size(v, b.unit)}</td>"
                        for v in (b.existing, b.stochastic, b.ev))
        out.append(f"<tr><td>{escape(b.label)}</td><td>{escape(b.unit)}</td>{cells}</tr>")
    out.append("</table>")
    params = u.parameters(data)
    npv_keys = ("npv_usd", "ev_design_npv_usd", "perfect_information_npv_usd")
    out.append("<h3>The scenarios</h3>")
    if params:
        out.append("<p class='sub'>Parameters the scenarios change (blank: the workbook's value): "
                   + "; ".join(f"<b>{escape(p.name)}</b>: {escape(p.note)}{f' ({escape(p.unit)})' if p.unit else ''}"
                               for p in params) + ".</p>")
    out.append("<table id='uncertainty-scenarios'><tr>"
               + "".join(f"<th>{_breakable(h)}</th>" for h in [lab.label("stochastic", "name"),
                                                               lab.label("stochastic", "probability"),
                                                               *[p.name for p in params],
                                                               *[lab.label("stochastic", k) for k in npv_keys]])
               + "</tr>")
    for s in st["scenarios"]:
        changes = s.get("changes") or {}
        out.append(f"<tr><td>{escape(str(s['name']))}</td>{_cell(s['probability'], 'fraction')}"
                   + "".join(_cell(changes[p.name], p.unit) if p.name in changes else "<td></td>" for p in params)
                   + "".join(_cell(s.get(k), "USD", u.NOT_COMPUTED) for k in npv_keys) + "</tr>")
    out.append("</table></section>")
    return out


# ------------------------------------------------- periods: a multi-period plan (docs/report.md, Periods)

def _period_cell(v, unit: str, size: bool = False) -> str:
    """A figure of a periods table as report.xlsx's Periods sheet shows it (money as fmt.money, a size as fmt.size
    without its unit, energy in whole MWh), its full value in data-value; n/a for None."""
    if v is None:
        return f"<td class='n'>{fmt.NA}</td>"
    if size:
        text = fmt.size(v, unit)
    elif unit in ("USD", "USD/yr"):
        text = fmt.money(v)
    elif unit == "year":
        text = str(int(v))
    elif isinstance(v, bool) or not isinstance(v, (int, float)):
        text = str(v)
    elif unit in fmt.ENERGY_UNITS:
        text = fmt.count(v)
    else:
        text = fmt.value(v, unit)
    number = isinstance(v, (int, float)) and not isinstance(v, bool)
    return f"<td class='n'{f' data-value={quoteattr(repr(v))}' if number else ''}>{escape(text)}</td>"


def _period_table(id_: str, title: str, second: str, heads: list[str], rows, size: bool = False) -> list[str]:
    """A table with one column per period: (label, second column, values, unit of the values) per row; `size`: the
    values are sizes."""
    out = [f"<table id='{id_}' style='margin-bottom:12px'><tr><th>{escape(title)}</th><th>{escape(second)}</th>"
           + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr>"]
    for label, kind, values, unit in rows:
        out.append(f"<tr><td>{escape(label)}</td><td>{escape(kind)}</td>"
                   + "".join(_period_cell(v, unit, size) for v in values) + "</tr>")
    return out + ["</table>"]


def periods_section(data: ReportData) -> list[str]:
    """A multi-period plan's section (planner/report/periods.py): each period's years and operating PV, the sizes in
    service, built and retired, the build-out charts, the energy and revenue by period and the inputs each period
    changes; [] for a plan of one period."""
    if not pr.block(data):
        return []
    heads = pr.labels(data)
    out = [f"<section id='periods'><h2>Investment periods: {len(heads)} periods</h2>"]
    out += [f"<p class='sub'>{escape(n)}</p>" for n in pr.notes(data)]
    out += _period_table("periods-overview", "Investment period", "Unit", heads,
                         [(r.label, r.kind, r.values, r.kind) for r in pr.overview(data)])
    sizes = pr.sizes(data)
    out.append("<h3>Sizes by period</h3>")
    for id_, title, part in (("periods-in-service", "In service during the period", "in_service"),
                             ("periods-new", "Built at the start of the period", "new"),
                             ("periods-retired", "Retired at the start of the period", "retired")):
        out += _period_table(id_, title, "Unit", heads, [(s.label, s.unit, getattr(s, part), s.unit) for s in sizes],
                             size=True)
    out.append("<h3>Build-out: capacity in service by period (one chart per unit)</h3>"
               "<div style='display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:0 12px'>")
    for chart in pr.build_out(data):
        out.append(svg.stacked_columns(heads, {s.label: s.in_service for s in chart.series}, chart.title, chart.unit,
                                       width=480, height=240))
    out.append("</div>")
    out.append("<h3>Energy and revenue by period (representative year)</h3>")
    out += _period_table("periods-energy", "Energy, MWh/yr (representative year)", "Role", heads,
                         [(r.label, r.kind, r.values, "MWh/yr") for r in pr.energy(data)])
    out += _period_table("periods-revenue", "Revenue (+) and cost (-), representative year", "Unit", heads,
                         [(r.label, r.kind, r.values, r.kind) for r in pr.revenue(data)])
    changes = pr.changes(data)
    if changes:
        out.append("<h3>Inputs the periods change</h3><p class='sub'>Blank: the workbook's value. "
                   + "; ".join(f"<b>{escape(c.name)}</b>: {escape(c.note)}{f' ({escape(c.unit)})' if c.unit else ''}"
                               for c in changes) + ".</p>")
        out.append("<table id='periods-changes'><tr><th>Input</th><th>Unit</th>"
                   + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr>")
        for c in changes:
            out.append(f"<tr><td>{_breakable(c.name)}</td><td>{escape(c.unit)}</td>"
                       + "".join("<td></td>" if v is None else _period_cell(v, c.unit) for v in c.values) + "</tr>")
        out.append("</table>")
    out.append("</section>")
    return out
