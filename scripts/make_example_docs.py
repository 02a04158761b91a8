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

from planner.examples import EXAMPLES
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.report import svg
from planner.report.data import energy_totals
from planner.run import optimise
from planner.scenario.params import get_param
from planner.scenario.reader import read_workbook
from planner.sensitivity import breakeven
from planner.solve import SolveOptions

DOCS = REPO_ROOT / "docs" / "examples"

BREAKEVEN_GAP = 1e-4  # relative MIP gap of every solve in a break-even search

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

READINGS: dict[str, str] = {
    "nuclear_ai": (
        "The reactor decides everything. Its must-run floor (90 % of available power) means about 62 MW flows "
        "every hour whether or not anyone buys it, and its planned outage (half power for two weeks) caps the "
        "firm AI load: the plan sells 25 MW of IT load (5 blocks, 32.5 MW at the meter) because that is what the "
        "reactor can hold through the outage without imports. What is left goes to the 20 MW export line first and "
        "to a 14 MW mining fleet second; mining is the buyer of last resort that turns the must-run surplus into "
        "revenue instead of curtailment (2.0 % is still curtailed in the hours when the line and the fleet are "
        "full). The mining decision is marginal: below a hashprice of about 35 USD/PH/day (base 40) no container "
        "pays for its ASICs, given the assumed 25 %/yr network growth and the 2028 halving. The NPV is carried by "
        "AI; the reactor's cost is sunk in this question (it is committed), so the answer is about how to use it, "
        "not whether to build it."),
    "iceland": (
        "Cheap firm geothermal (flash units at the low end of the cost range) and a cold climate make AI the main "
        "use: 32 MW of IT load on two 30 MW units at PUE 1.1. The AI load is sized to the firm supply left after "
        "the planned outage; mining (13 containers) takes the rest of the must-run geothermal output that the "
        "10 MW line cannot export. As on the reactor site, mining switches on at a hashprice of about 35 "
        "USD/PH/day (base 40): with today's hashprice it earns a modest return on energy that has no better use. "
        "The Nordic price stand-in (Denmark 1, 2018) only matters for the small export share."),
    "factory": (
        "No: at this factory flexible mining does not pay, and the plan builds nothing new. The existing 3 MW of "
        "PV covers only a fraction of an 8 MW load, so even in the maintenance weeks and at weekends there is "
        "almost no surplus (about 250 MWh/yr is curtailed); a mining fleet would have to run on grid power bought "
        "at the German day-ahead price plus network charges, which only pays above a hashprice of about 200 "
        "USD/PH/day (base 40). New PV does not pay either against ~1,600 USD/kW capex and 2018 prices. The "
        "negative NPV is the present value of the factory's own power bill (the baseline it would pay anyway), "
        "not a loss from investing: compare plans against it. What would change the answer: a larger existing "
        "PV or CHP plant, a cheaper import tariff in shutdown hours, or a higher hashprice."),
    "remote_hydro": (
        "The river is worth developing only for AI, and only a small plant: run-of-river hydro at ~8,000 USD/kW "
        "(ATB new stream-reach) is expensive, so the plan builds 2.7 MW, runs it at a high capacity factor and "
        "pairs it with 4 MW of AI IT load that also draws on the 2 MW import line; the seasonal flow means AI is "
        "served under an SLA (penalty per unserved firm MWh) rather than a hard firm commitment, and the plan "
        "pays some penalty in the low-flow winter. Export and mining are not used: at the Swedish SE4 2018 prices "
        "(about 51 USD/MWh) and today's hashprice, a MWh of hydro is worth more to AI than to either. The AI "
        "block is the deciding asset: below a GPU-hour price of about 1.60 USD (base 2.00) nothing is built."),
    "west_texas": (
        "Not at today's hashprice. The existing wind farm (100.8 MW, 48 % net capacity factor) produces about "
        "425 GWh a year; the 60 MW line is full in many hours and about 25 GWh is curtailed. The plan uses the "
        "wind first for a 10 MW (IT) AI block held firm by a 16 MW / 129 MWh battery and the small import line, "
        "exports the rest, and builds only 3.5 MW of new PV. Mining stays out: a container earns about 117 "
        "USD/MWh in year 1 but, with 25 %/yr network growth and the April 2028 halving, its revenue falls fast "
        "while its ASICs must be bought again every four years; the curtailed energy comes in bursts the fleet "
        "could use only part of the year. Mining enters at a hashprice of about 71 USD/PH/day (base 40), i.e. "
        "it becomes the curtailment sink when hashprice roughly doubles or network growth stalls. New wind does "
        "not pay against the congested line at a 30 USD/MWh average price. The NPV is carried by AI (117 M USD/yr "
        "of GPU-hour revenue in year 1 against 9 M USD/yr of exports)."),
    "middle_east": (
        "Firm AI through the night is served by solar plus storage: 104 MW_ac of PV (31 % capacity factor after "
        "the hot-climate temperature derate), a 29 MW / 231 MWh battery (8 hours) and a small import, carrying "
        "14 MW of IT load at PUE 1.45 around the clock; surplus solar is exported at the flat 40 USD/MWh tariff. "
        "The battery is sized by the night-time AI load, not by arbitrage (the tariff is flat). Mining is not "
        "built: after the PV and battery costs, night energy is too expensive and daytime surplus earns more as "
        "export. The deciding parameter is the GPU-hour price: below about 1.55 USD/GPU-h (base 2.00) no AI "
        "block pays and the site becomes a solar export project."),
    "permian_gas": (
        "Both, but not mining: the flare gas goes to AI. Eight 1 MW gensets burn 78 % of the gas (70 % capacity "
        "factor; the stream declines 20 % over the year, so the fleet is sized below the early peak), topped up "
        "by 5.3 MW of PV and a 31 MWh battery, and carry a 6 MW (IT) AI block that is firm around the clock plus "
        "the 0.5 MW oilfield load. The remaining 22 % of the gas is still flared (about 7,900 tCO2e/yr); burning "
        "the rest in engines avoids about 4,500 tCO2e/yr of methane slip. Mining would only take the leftover "
        "gas if it paid for extra gensets as well as ASICs: that happens above a hashprice of about 78 "
        "USD/PH/day (base 40). With GPU-hours at 2 USD, a firm MWh is worth roughly ten times more to AI than to "
        "mining, so AI takes every MWh the gas can firm up; mining becomes the answer for this site only if AI "
        "is not an option (no fibre, no customers) or hashprice doubles."),
}


def run_site(site: str) -> dict:
    """Solve the example over the full year and find its break-even; returns the numbers for the page."""
    sc = read_workbook(INPUTS_DIR / "examples" / f"{site}.xlsx")
    opts = SolveOptions(mip_gap=0.005, time_limit_s=900)
    t = time.perf_counter()
    r = optimise(sc, opts, marginals=False)
    seconds = time.perf_counter() - t
    name, cond, (lo, hi), tol = BREAKEVEN[site]
    # near the threshold the fleet adds less NPV than a 0.5 % gap: the search needs a tight gap to be sharp
    be = breakeven(sc, name, cond, lo, hi, tol, SolveOptions(mip_gap=BREAKEVEN_GAP, time_limit_s=900))
    d = r.dispatch
    DOCS.mkdir(parents=True, exist_ok=True)
    flows = r.summary()["flows"]
    sources = {f["column"]: f["label"] for f in flows if f["role"] == "supply"}
    uses = {f["column"]: f["label"] for f in flows if f["role"] == "demand"}
    (DOCS / f"{site}-energy.svg").write_text(svg.stacked_bars(
        {"Supply": energy_totals(d, sources), "Use": energy_totals(d, uses)}, f"{sc.site.name}: annual energy"))
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
({be['evaluations']} full-year solves at a {100 * BREAKEVEN_GAP:g} % MIP gap).

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
