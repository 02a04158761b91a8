"""Run every example site and write docs/examples/<site>.md with its numbers, two charts and its break-even.

    python scripts/make_example_docs.py [site ...]

Each page: the question, key assumptions with sources, the recommended build, NPV/IRR, the energy
split, a cash-flow and an energy chart (SVG), the break-even of the deciding parameter (bracketing +
bisection, full-year solves) and the analyst's reading (READINGS below, written from these results).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from planner.examples import EXAMPLES
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.report import svg
from planner.report.data import SOURCES, USES, energy_totals
from planner.run import optimise
from planner.scenario.params import get_param
from planner.scenario.reader import read_workbook
from planner.sensitivity import breakeven
from planner.solve import SolveOptions

DOCS = REPO_ROOT / "docs" / "examples"

# site -> (deciding parameter, condition, search interval, tolerance)
BREAKEVEN = {
    "west_texas": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (40.0, 120.0), 2.0),
    "permian_gas": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (40.0, 160.0), 2.0),
    "remote_hydro": ("ai.gpu_hour_price_usd", "ai_blocks>0", (0.5, 2.0), 0.05),
    "factory": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (40.0, 160.0), 2.0),
    "iceland": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (10.0, 40.0), 1.0),
    "middle_east": ("ai.gpu_hour_price_usd", "ai_blocks>0", (0.5, 2.0), 0.05),
    "nuclear_ai": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (5.0, 40.0), 1.0),
}

QUESTIONS = {
    "west_texas": "An existing 100 MW wind farm sits behind a congested 60 MW export line with ERCOT-like prices "
                  "that go negative. Does a mining fleet absorb the curtailed wind, and does it make more "
                  "renewables pay?",
    "permian_gas": "An oil field flares about 1.5 MMcf/d of associated gas and has no grid line. Gensets can burn "
                   "it; should the power feed mining, an AI data centre, or both?",
    "remote_hydro": "A remote river with a snowmelt peak can power a run-of-river plant, but the line out takes "
                    "only 8 MW. What should use the spill?",
    "factory": "A German metal works (~8 MW peak) with 3 MW of PV has maintenance shutdowns and weekends. Can "
               "flexible mining monetise the energy the factory does not use?",
    "iceland": "A high-enthalpy geothermal field in a cold climate (free cooling, PUE 1.1) with a modest export "
               "line: how much AI, how much mining?",
    "middle_east": "Cheap desert solar in a hot climate (PUE 1.45), a battery, a flat regulated tariff, and AI "
                   "customers who need firm power through the night.",
    "nuclear_ai": "A committed 77 MW small modular reactor that must run at 90 % of its available power: how "
                  "much firm AI can it carry, and what absorbs the rest?",
}

READINGS: dict[str, str] = {}  # filled in below the generator, per site, from the results


def run_site(site: str) -> dict:
    """Solve the example over the full year and find its break-even; returns the numbers for the page."""
    sc = read_workbook(INPUTS_DIR / "examples" / f"{site}.xlsx")
    opts = SolveOptions(mip_gap=0.005, time_limit_s=900)
    t = time.perf_counter()
    r = optimise(sc, opts, marginals=False)
    seconds = time.perf_counter() - t
    name, cond, (lo, hi), tol = BREAKEVEN[site]
    be = breakeven(sc, name, cond, lo, hi, tol, opts)
    d = r.dispatch
    DOCS.mkdir(parents=True, exist_ok=True)
    (DOCS / f"{site}-energy.svg").write_text(svg.stacked_bars(
        {"Supply": energy_totals(d, SOURCES), "Use": energy_totals(d, USES)}, f"{sc.site.name}: annual energy"))
    net = r.proforma.table.loc["net_cash_flow"]
    (DOCS / f"{site}-cashflow.svg").write_text(svg.bar_chart([str(y) for y in net.index], list(net.values),
                                                             f"{sc.site.name}: net cash flow by year (USD)"))
    return {"site": site, "name": sc.site.name, "description": sc.site.description, "seconds": seconds,
            "summary": r.summary(), "breakeven": {"parameter": name, "condition": cond, "threshold": be.threshold,
                                                  "message": be.message, "base": get_param(sc, name),
                                                  "evaluations": len(be.evaluations)},
            "assumptions": key_assumptions(sc)}


def key_assumptions(sc) -> list[tuple[str, str, str]]:
    from planner.scenario.docs import default_text

    rows = []
    for dotted in ("finance.discount_rate", "finance.analysis_years", "mining.hashprice_usd_per_ph_day",
                   "mining.network_hashrate_growth_per_year", "ai.gpu_hour_price_usd",
                   "ai.gpu_hour_price_decline_per_year", "ai.pue"):
        rows.append((dotted, default_text(get_param(sc, dotted)), ""))
    return rows


def page(n: dict) -> str:
    s = n["summary"]
    e = s["energy_mwh"]
    sizes = "\n".join(f"| {k} | {v:,.2f} |" for k, v in s["sizes"].items() if abs(v) > 1e-9)
    uses = ("site_load", "ai", "mining", "export", "battery_losses", "curtailed")
    total = sum(e[k] for k in uses) or 1.0
    split = "\n".join(f"| {k} | {e[k]:,.0f} | {100 * e[k] / total:.1f} % |" for k in uses)
    be = n["breakeven"]
    irr = "n/a" if s["irr"] is None else f"{100 * s['irr']:.1f} %"
    assumptions = "\n".join(f"| `{k}` | {v} |" for k, v, _ in n["assumptions"])
    return f"""# {n['name']}

*{n['description']}*

## The question

{QUESTIONS[n['site']]}

Workbook: `inputs/examples/{n['site']}.xlsx` (`planner run inputs/examples/{n['site']}.xlsx`). Hourly data and
every stand-in: `inputs/data/SOURCES.md`; each input's source: the workbook's column E and `docs/inputs.md`;
site-specific changes and why: `planner/examples.py`.

## Key assumptions

| input | value |
|---|---|
{assumptions}

## The answer

NPV **{s['npv_usd'] / 1e6:,.1f} M USD** (pro-forma {s['proforma_npv_usd'] / 1e6:,.1f} M USD), IRR **{irr}**,
year-0 capex {s['capex_usd'] / 1e6:,.1f} M USD. Solver: {s['solver']['status']}, gap
{100 * (s['solver']['mip_gap'] or 0):.3f} %, {n['seconds']:.0f} s end to end (full year).

| build | size |
|---|---|
{sizes}

| energy use | MWh/yr | share |
|---|---|---|
{split}

![energy](./{n['site']}-energy.svg)

![cash flow](./{n['site']}-cashflow.svg)

## Break-even of the deciding parameter

`{be['parameter']}` (base {be['base']:g}), condition `{be['condition']}`: {be['message']}
({be['evaluations']} full-year solves).

## Reading

{READINGS.get(n['site'], '')}
"""


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--render"]:  # re-write the pages from the saved numbers (after editing READINGS)
        for site in args[1:] or list(EXAMPLES):
            n = json.loads((DOCS / f"{site}.json").read_text())
            (DOCS / f"{site}.md").write_text(page(n))
        return
    sites = args or list(EXAMPLES)
    DOCS.mkdir(parents=True, exist_ok=True)
    for site in sites:
        n = run_site(site)
        (DOCS / f"{site}.json").write_text(json.dumps(n, indent=2, default=str))
        (DOCS / f"{site}.md").write_text(page(n))
        print(f"wrote {DOCS / site}.md ({n['seconds']:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
