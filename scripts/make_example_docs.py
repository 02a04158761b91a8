"""Run every example site and write docs/examples/<site>.md with its numbers, two charts and its break-even.

    python scripts/make_example_docs.py [site ...]

Each page: the question, key assumptions with sources, the investment against doing nothing (investment
NPV, the do-nothing baseline, plan NPV), the build split into existing / new / total, the workbook limits
that set the plan with the value of relaxing each, the energy split, a cash-flow and an energy chart (SVG),
the break-even of the deciding parameter (bracketing + bisection, full-year solves) and the analyst's
reading (READINGS below, written from these results).
"""

from __future__ import annotations

import json
import sys
import time

from planner import fmt
from planner.examples import EXAMPLES
from planner.labels import Labels
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.report import svg
from planner.report.data import energy_totals
from planner.run import optimise
from planner.scenario.params import get_param
from planner.scenario.periods import multi_period, without_periods
from planner.scenario.reader import read_workbook
from planner.sensitivity import breakeven
from planner.solve import SolveOptions

DOCS = REPO_ROOT / "docs" / "examples"

BREAKEVEN_GAP = 1e-4  # relative MIP gap of every solve in a break-even search
OPTIONS = SolveOptions(mip_gap=0.005, time_limit_s=900)  # every page's plan and what-ifs

# site -> (deciding parameter, condition, search interval, tolerance); the multi-period examples have none
# (run_periods_site: each of their solves takes minutes)
BREAKEVEN = {
    "west_texas": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (40.0, 120.0), 2.0),
    "remote_hydro": ("ai.gpu_hour_price_usd", "ai_blocks>0", (0.5, 2.0), 0.05),
    "factory": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (40.0, 160.0), 2.0),
    "iceland": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (10.0, 40.0), 1.0),
    "middle_east": ("ai.gpu_hour_price_usd", "ai_blocks>0", (0.5, 2.0), 0.05),
    "nuclear_ai": ("mining.hashprice_usd_per_ph_day", "mining_containers>0", (5.0, 40.0), 1.0),
}

# site -> what-ifs that switch one of its revenue or cost streams off: (label, the streams it removes, change);
# the page gives the plan with and without each, both numbers (full-year solves, same gap)
WITHOUT = {
    "west_texas": [
        ("without the coincident-peak (4CP) charge", ("import_coincident_peak_charge",),
         lambda sc: setattr(sc.grid, "coincident_peak_charge_usd_per_kw_year", 0.0)),
        ("without the demand charge", ("import_demand_charge",),
         lambda sc: setattr(sc.grid, "demand_charge_usd_per_kw_month", 0.0)),
        ("without the reserve product", ("reserve_1_revenue",), lambda sc: setattr(sc.reserves, "enabled", False)),
        ("without all three", ("import_coincident_peak_charge", "import_demand_charge", "reserve_1_revenue"),
         lambda sc: (setattr(sc.grid, "coincident_peak_charge_usd_per_kw_year", 0.0),
                     setattr(sc.grid, "demand_charge_usd_per_kw_month", 0.0), setattr(sc.reserves, "enabled", False))),
    ],
    "iceland": [
        ("without the district-heating offtake", ("heat_revenue", "heat_revenue_hourly", "heat_pump_fom"),
         lambda sc: setattr(sc.heat, "enabled", False)),
    ],
}

QUESTIONS = {
    "west_texas": "An existing 100 MW wind farm sits behind a congested 60 MW export line with ERCOT-like prices "
                  "that go negative. Does a mining fleet absorb the curtailed wind, and does it make more "
                  "renewables pay?",
    "permian_gas": "An oil field flares about 1.5 MMcf/d of associated gas and has no grid line, and its wells "
                   "decline as Permian wells do. Gensets can burn the gas; should the power feed mining, an AI data "
                   "centre, or both, and what happens to them as the gas falls?",
    "remote_hydro": "A remote river with a snowmelt peak can power a run-of-river plant, but the line out takes "
                    "only 8 MW. What should use the spill?",
    "factory": "A German metal works (~8 MW peak) with 3 MW of PV has maintenance shutdowns and weekends. Can "
               "flexible mining monetise the energy the factory does not use?",
    "iceland": "A high-enthalpy geothermal field in a cold climate (free cooling, PUE 1.1) with a modest export "
               "line: how much AI, how much mining?",
    "middle_east": "Cheap desert solar in a hot climate (PUE 1.45), a battery, a flat regulated tariff, and AI "
                   "customers who need firm power through the night.",
    "phased_ai": "The West Texas wind farm of west_texas (100 MW behind a congested 60 MW line) gets an AI campus in "
                 "two halls: the first (up to 4 blocks) on today's 5 MW import feed, the second (up to 12 blocks in "
                 "all) once a second feed raises the import limit to 40 MW in 2030. When is each hall worth building, "
                 "and does a mining fleet fill the gap, growing or shrinking around the 2028 and 2032 halvings?",
    "nuclear_ai": "A committed 77 MW small modular reactor that must run at 90 % of its available power: how "
                  "much firm AI can it carry, and what absorbs the rest?",
}

READINGS: dict[str, str] = {
    "phased_ai": (
        "Building in phases is worth about 174 M USD of NPV that a one-year model cannot see. Held to today's 5 MW "
        "import feed and the first hall's 4 blocks for all 20 years, the one-year answer builds those 4 AI blocks and"
        " nothing else: plan NPV 154.5 M USD, an investment NPV of 89.2 M USD over the 65.4 M USD the existing wind "
        "farm earns on its own (the do-nothing baseline). Over the periods the plan builds the same 4 blocks and a "
        "mining fleet at COD (178.6 M USD, 169.4 M USD of it AI) and the other 8 when the second feed arrives in 2030"
        " (270.9 M USD then, the servers at their 2030 price), for a plan NPV of 328.3 M USD and an investment NPV of"
        " 262.9 M USD (IRR 16.6 %). The AI maximum binds in both phases: every block a hall allows is built, so a "
        "bigger second hall or an earlier feed is where more value lies. Mining fills the gap before the second hall:"
        " 10 containers (10 MW, 2,660 ASICs) bought at COD run on the wind the congested line and the first hall "
        "cannot take, 76,200 MWh a year in 2027-28 and 59,758 MWh in 2029, after the April 2028 halving and a year of"
        " 25 % network growth have cut the hashprice. At the start of 2030, when the campus's 12 blocks take 116,111 "
        "MWh a year, the fleet is resold at 30 % of its undepreciated value (Mining.retire_recovery_fraction): "
        "keeping it would earn less than that. It does not come back after the 2032 halving. The one-year model "
        "builds no mining at all: averaged over 20 years of halvings and network growth a container does not pay for "
        "itself, and only the periods let the plan take the pre-halving years and leave. New turbines do not pay "
        "behind the 60 MW line in any period. The hourly wind and prices are west_texas's (one year, repeated in "
        "every period); the second feed's date and size and the halls' sizes are assumptions of the example "
        "(planner/examples.py)."),
    "nuclear_ai": (
        "The reactor decides everything, and the baseline shows why the question is how to use it, not whether "
        "to build it: the committed 77 MW unit must run at 90 % of its available power, and with no line and no "
        "load (the do-nothing plan) it pays about 27 M USD a year of fuel and O&M for energy it can only curtail "
        "(baseline NPV -268.9 M USD). Against that, the investment (a 20 MW export line, 5 AI blocks and 14 "
        "mining containers, 1,074.7 M USD of capex) is worth 652.1 M USD. The reactor's planned outage (half "
        "power for two weeks) caps the firm AI load: 25 MW of IT load (5 blocks of 2,450 whole servers, 32.5 MW "
        "at the meter) is what it can hold through the outage without imports; one block more is not feasible. "
        "What is left goes to the export line first, and the line is stopped at your maximum of 20 MW (Grid!C6), "
        "each MW more worth about 2.0 M USD; mining is the buyer of last resort that turns the must-run surplus "
        "into revenue instead of curtailment (2.0 % is still curtailed when the line and the fleet are full). "
        "The mining decision is marginal: below a hashprice of about 35 USD/PH/day (base 40) no container pays "
        "for its ASICs, given the assumed 25 %/yr network growth and the 2028 halving. The zero import limit is "
        "listed as binding only because the site has no import (a first MW would be worth 625 USD)."),
    "iceland": (
        "Cheap firm geothermal (flash units at the low end of the cost range) and a cold climate make AI the main "
        "use: 32 MW of IT load (3,136 whole servers) on two new 30 MW units at PUE 1.1, an investment NPV of "
        "409.9 M USD on 1,732 M USD of capex. The AI load is sized to the firm supply left during a unit's "
        "planned outage; mining (11 containers, 2,981 ASICs) takes the must-run geothermal output that AI does "
        "not use and the line cannot export. The district-heating offtake (a 10 MW_th peak network at 75 C, "
        "paid Veitur's 24 USD/MWh_th tariff) is worth building for: the air-cooled containers give 40 C heat, "
        "so the plan adds a 5.15 MW_th heat pump and heat connection (5.2 M USD) that lifts it at COP 3 and "
        "sells 36,154 MWh_th a year, 84 % of the demand, for 0.87 M USD a year; the heat pump draws 12,051 "
        "MWh of electricity that would otherwise have gone to mining, so the plan builds two containers fewer "
        "(11 instead of 13) and curtails a little more (3.9 % instead of 2.9 %); net, the offtake adds 3.1 M "
        "USD of NPV (table above). The export line is set by your maximum of 10 MW (Grid!C6), not by the "
        "economics: each MW more would add about 3.9 M USD, so a bigger line would displace some mining. "
        "Mining switches on at a hashprice of about 20 USD/PH/day (base 40; 35 without the heat sales): its "
        "heat, sold through the heat pump, pays for containers that hashing alone would not. The do-nothing "
        "baseline (no plant) is worth 1.2 k USD: the 5 MW import line is paid to take power in the few "
        "negative-price hours and the energy is curtailed, which the formulation allows (docs/formulation.md, "
        "(7) and (12)). The Nordic price stand-in (Denmark 1, 2018) only matters for the small export share, "
        "and the heat demand's shape is a stand-in from the same stand-in temperatures (planner/examples.py)."),
    "factory": (
        "No: at this factory flexible mining does not pay, and the plan builds nothing new, so the investment "
        "NPV is 0 and there is no payback to report. The -40.9 M USD plan NPV is the do-nothing baseline itself: "
        "the present value of the factory's own power bill (4.1 M USD a year of imports), which it pays anyway; "
        "the existing 3 MW of PV and 15 MW import limit are shown as existing, not recommended. The PV covers "
        "only a fraction of an 8 MW load, so even in the maintenance weeks and at weekends there is almost no "
        "surplus (about 250 MWh/yr is curtailed); a mining fleet would have to run on grid power bought at the "
        "German day-ahead price plus network charges, which only pays above a hashprice of about 200 USD/PH/day "
        "(base 40). New PV does not pay either against ~1,600 USD/kW capex and 2018 prices. The import limit is "
        "reached in 13 hours, but relaxing it is worth only about 2.4 k USD per MW. What would change the "
        "answer: a larger existing PV or CHP plant, a cheaper import tariff in shutdown hours, or a higher "
        "hashprice."),
    "remote_hydro": (
        "The river is worth developing only for AI, and only a small plant: run-of-river hydro at ~8,000 USD/kW "
        "(ATB new stream-reach) is expensive, so the plan builds 2.68 MW, runs it at a 98 % capacity factor and "
        "pairs it with 4 AI blocks (392 whole servers) that also draw on the 2 MW import line; the investment "
        "NPV is 58.5 M USD (the do-nothing baseline is 0: nothing exists). The seasonal flow means AI is served "
        "under an SLA (penalty per unserved firm MWh, 0.7 M USD in year 1) rather than a hard firm commitment. "
        "What sets the answer is the import line, not the river: your 2 MW limit (Grid!C10) is reached in 1,309 "
        "hours, and each MW more would add about 42 M USD (the dual value of the first MW: SLA penalties avoided "
        "and AI hours sold), while a fifth AI block would lose 95 M USD. Export and mining are not used: at the "
        "Swedish SE4 2018 prices (about 51 USD/MWh) and today's hashprice, a MWh of hydro is worth more to AI "
        "than to either. The AI block is the deciding asset: below a GPU-hour price of about 1.60 USD (base "
        "2.00) nothing is built."),
    "west_texas": (
        "Not at today's hashprice, and the page's question (mining) is not what the answer is about. The existing "
        "wind farm (100.8 MW, 48 % net capacity factor) exports over the 60 MW line on its own, worth a "
        "do-nothing baseline of 65.4 M USD; the plan adds AI and is worth 166.2 M USD more (IRR 12.6 %, payback "
        "7.4 years). It uses the wind first for 10 AI blocks (7,840 GPUs in 980 whole servers, 9.996 MW_IT) held "
        "firm by a new 15.4 MW / 123 MWh battery, 5.6 MW of new PV and the 5 MW import line, and exports the "
        "rest (311 GWh); 27.6 GWh (6.3 %) is still curtailed. Two of your limits, not the economics, set the AI "
        "size: the AI maximum of 10 blocks (AI!C8; one more block would add 8.0 M USD) and the 5 MW import "
        "limit (Grid!C10), worth about 11.9 M USD per MW because it firms the AI load in windless hours; the "
        "export line (no new MW allowed, Grid!C6) would be worth 0.7 M USD per MW. The ERCOT supply tariff "
        "(section above) costs 1.2 M USD of NPV and changes no size: the 5 USD/kW-month demand charge bills "
        "115 k USD a year and makes the plan spread its import (the import limit is now reached in 45 hours, "
        "not 452); the 4CP charge bills nothing, because the four flagged hours are the summer's highest-price "
        "hours, when the battery already carries the AI load and nothing is imported. Those four hours are a "
        "proxy: ERCOT's 4CP intervals are the summer months' peaks of ERCOT system load, which the data do not "
        "hold, so the highest price of each of June-September in the stand-in price shape flags them "
        "(inputs/data/SOURCES.md); with real 4CP intervals, which need not fall in the dearest hours, the charge "
        "could bill. The charges' figures are estimates to check against the current tariff (docs/sources.md, "
        "Grid), and so is the reserve price (docs/sources.md, Reserves). The ECRS-like product "
        "earns nothing here because no mining fleet is built, but it moves the question the page asks: mining "
        "now enters at a hashprice of about 62 USD/PH/day (base 40), against 71 without the reserve and tariff "
        "streams (the previous version of this page), since every MW of a fleet could earn 10 USD/MW-h x 0.5 "
        "of its power held back. Mining stays out at today's hashprice: a container earns about 117 USD/MWh in "
        "year 1 but, with 25 %/yr network growth and the April 2028 halving, its revenue falls fast while its "
        "ASICs must be bought again every four years. New wind does not pay against the congested line. The NPV "
        "is carried by AI (117 M USD/yr of GPU-hour revenue in year 1 against 9.3 M USD/yr of exports)."),
    "middle_east": (
        "Firm AI through the night is served by solar, storage and the grid together: 89.4 MW_ac of new PV (31 % "
        "capacity factor after the hot-climate temperature derate), a 17 MW / 136 MWh battery (8 hours) and the "
        "10 MW import line carry 12 AI blocks (11.995 MW_IT, 9,408 GPUs) at PUE 1.45 around the clock; surplus "
        "solar is exported at the flat 40 USD/MWh tariff over a new 50 MW line. Nothing exists, so the whole "
        "162.1 M USD is the investment's (IRR 11.3 %). The story of a solar-and-storage site understates the "
        "grid's part: the import limit (Grid!C10) is reached in 2,318 hours and each MW more would add about "
        "16 M USD, far more than a block of AI (one more block loses 1.1 M USD); the export line stops at your "
        "maximum of 50 MW (Grid!C6), worth 0.2 M USD per MW more. The battery is sized by the night-time AI "
        "load, not by arbitrage (the tariff is flat). Mining is not built: after the PV and battery costs, night "
        "energy is too expensive and daytime surplus earns more as export. The deciding parameter is the "
        "GPU-hour price: below about 1.55 USD/GPU-h (base 2.00) no AI block pays and the site becomes a solar "
        "export project."),
    "permian_gas": (
        "The wells' decline turns a 99.6 M USD AI campus into a marginal 3.9 M USD project. The one-year answer (year"
        " 1's gas for all 20 years) builds 8 gensets, 5.3 MW of PV, a 3.9 MW / 31 MWh battery and 6 AI blocks (6 "
        "MW_IT firm around the clock) for 283.8 M USD. With the gas declining along a Permian type curve (68 % in a "
        "well's first year, b = 1; the wells a year old at COD, so D = 0.68/yr), the gas averages 71 % of year 1's in"
        " 2027-29, 29 % in 2030-34, 16 % in 2035-39 and 11 % from 2040: about 5.2, 2.1, 1.2 and 0.8 MW of genset "
        "output. The one-year design could not keep its 6 firm blocks served after 2029. Over the periods the plan "
        "builds 2 gensets and 1 AI block (98 servers, 1 MW_IT) at COD for 45.2 M USD and keeps that block firm for 20"
        " years by adding solar and storage as the gas falls: 0.26 MW of PV in 2030, 4.5 MW and a 4.3 MW / 35 MWh "
        "battery in 2035, 12.2 MW more in 2040 (nearly two thirds of the PV's output is then curtailed: the battery, "
        "at your 40 MWh maximum, cannot carry more to the night). One genset is relocated in 2040, recovering its "
        "undepreciated value less the 60 USD/kW move. A bigger first hall resold when the gas falls does not pay: AI "
        "blocks recover 50 % of their undepreciated value (AI.retire_recovery_fraction), and the richest period lasts"
        " 3 years. No mining in any period: at a hashprice of 40 USD/PH/day before the 2028 halving, gensets and "
        "ASICs for 3 years of gas do not pay back. There is no investment NPV: the do-nothing plan is infeasible, "
        "because the oilfield's 0.5 MW load must be served and the workbook gives the site no existing supply and no "
        "grid; in reality the field runs on something today (diesel or a small genset), which can be entered as "
        "existing capacity. The single-well curve applied to the whole supply is the conservative case: a field where"
        " new wells are tied in declines more slowly, and a Periods row with a smaller D (or a per-period factor) "
        "models it. The hourly gas stream's own shape within the year (a 20 % fall, synthetic) is kept in every "
        "period (docs/periods.md)."),
}


def run_site(site: str) -> dict:
    """Solve the example over the full year and find its break-even; returns the numbers for the page."""
    sc = read_workbook(INPUTS_DIR / "examples" / f"{site}.xlsx")
    if multi_period(sc):
        return run_periods_site(site, sc)
    t = time.perf_counter()
    r = optimise(sc, OPTIONS, marginals=True, baseline=True)
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
    write_cashflow(site, sc.site.name, r)
    without = []
    for label, removed, change in WITHOUT.get(site, []):
        variant = sc.copy()
        change(variant)
        v = optimise(variant, OPTIONS, marginals=False)
        without.append({"label": label, "streams": list(removed), "npv_usd": v.npv_usd, "sizes_new": v.sizes_new,
                        "revenue_usd_per_year": v.summary()["revenue_usd_per_year"]})
    return {"site": site, "name": sc.site.name, "description": sc.site.description, "seconds": seconds,
            "without": without,
            "summary": r.summary(), "breakeven": {"parameter": name, "condition": cond, "threshold": be.threshold,
                                                  "message": be.message, "base": get_param(sc, name),
                                                  "evaluations": len(be.evaluations)},
            "assumptions": key_assumptions(sc)}


def run_periods_site(site: str, sc) -> dict:
    """A multi-period example: its plan over the periods (typical days, each period's full year re-dispatched)
    and, for comparison, the one-year answer of the same workbook without its Periods sheet (full year)."""
    t = time.perf_counter()
    r = optimise(sc, OPTIONS, marginals=False, baseline=True)
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    one = optimise(without_periods(sc), OPTIONS, marginals=False, baseline=True)
    one_seconds = time.perf_counter() - t
    DOCS.mkdir(parents=True, exist_ok=True)
    write_cashflow(site, sc.site.name, r)
    s = r.summary()
    units = write_buildout(site, sc.site.name, s)
    return {"site": site, "name": sc.site.name, "description": sc.site.description, "seconds": seconds,
            "summary": s, "one_year": {"summary": one.summary(), "seconds": one_seconds},
            "periods_sheet": {"periods": [{"start_year": p.start_year, "changes": p.changes}
                                          for p in sc.investment_periods],
                              "declines": [{"parameter": d.parameter, "initial_decline_per_year":
                                            d.initial_decline_per_year, "b_factor": d.b_factor, "note": d.note}
                                           for d in sc.declines]},
            "buildout_units": units, "assumptions": key_assumptions(sc)}


def write_cashflow(site: str, name: str, r) -> None:
    """docs/examples/<site>-cashflow.svg: the plan's net cash flow by year, over the whole analysis."""
    net = r.proforma.table.loc["net_cash_flow"]
    (DOCS / f"{site}-cashflow.svg").write_text(svg.bar_chart([str(y) for y in net.index], list(net.values),
                                                             f"{name}: net cash flow by year (USD)"))


def write_buildout(site: str, name: str, s: dict) -> list[str]:
    """The build-out charts (docs/examples/<site>-buildout-<unit>.svg): capacity in service by period, stacked,
    one chart per unit, of the sizes bought (capex_by_size_usd's keys, as the report's Periods section draws)
    that some period builds or retires; returns their units."""
    lab = Labels(s["labels"])
    periods = s["periods"]
    moved = [k for k in s["capex_by_size_usd"]
             if any(p["sizes_new"].get(k, 0.0) > 1e-9 or p["sizes_retired"].get(k, 0.0) > 1e-9 for p in periods)]
    units = sorted({lab.unit("sizes", k) for k in moved})
    for unit in units:
        keys = [k for k in moved if lab.unit("sizes", k) == unit]
        (DOCS / f"{site}-buildout-{slug(unit)}.svg").write_text(svg.stacked_columns(
            [str(p["start_year"]) for p in periods], {lab.label("sizes", k): [p["sizes"].get(k, 0.0) for p in periods]
                                                      for k in keys},
            f"{name}: capacity in service by period ({unit})", unit))
    return units


def slug(unit: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in unit.lower()).strip("-")


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
    lab = Labels(s["labels"])
    e = s["energy_mwh"]
    sizes = "\n".join(
        f"| {lab.label('sizes', k)} | {fmt.size(s['sizes_existing'].get(k, 0.0), lab.unit('sizes', k))} | "
        f"{fmt.size(s['sizes_new'].get(k, 0.0), lab.unit('sizes', k))} | {fmt.size(v, lab.unit('sizes', k))} | "
        f"{lab.unit('sizes', k)} |" for k, v in s["sizes"].items() if abs(v) > 1e-9)
    if not any(abs(v) > 1e-9 for v in s["sizes_new"].values()):
        sizes += "\n\nNothing new is recommended."
    uses = ("site_load", "ai", "mining", "export", "battery_losses", "curtailed")
    total = sum(e.get(k, 0.0) for k in uses) or 1.0
    split = "\n".join(f"| {lab.label('energy', k)} | {e[k]:,.0f} | {100 * e[k] / total:.1f} % |"
                      for k in uses if e.get(k))
    be = n["breakeven"]
    investment = investment_line(s)
    limits = "\n".join(f"- {b['text']}" for b in s["binding_limits"]) or "No workbook limit binds."
    streams = with_without(n, lab)
    return f"""{page_head(n)}
## The answer

{investment}

Plan NPV {fmt.money(s['npv_usd'])} (pro-forma {fmt.money(s['proforma_npv_usd'])}), year-0 capex
{fmt.money(s['capex_usd'])}. Solver: {s['solver']['status']}, gap {fmt.gap(s['solver']['mip_gap'] or 0)},
{n['seconds']:.0f} s end to end (full year, with the baseline and the marginal units).

| build | existing | new | total | unit |
|---|---|---|---|---|
{sizes}

Limits from the workbook that set the plan:

{limits}

| energy use | MWh/yr | share |
|---|---|---|
{split}

![energy](./{n['site']}-energy.svg)

![cash flow](./{n['site']}-cashflow.svg)

{streams}## Break-even of the deciding parameter

`{be['parameter']}` (base {be['base']:g}), condition `{be['condition']}`: {be['message']}
({be['evaluations']} full-year solves at a {100 * BREAKEVEN_GAP:g} % MIP gap).

## Reading

{READINGS.get(n['site'], '')}
"""


def page_head(n: dict, more: str = "") -> str:
    """A page's title, the question, where its inputs come from (`more`: what else to read) and its key assumptions."""
    assumptions = "\n".join(f"| `{k}` | {v} |" for k, v, _ in n["assumptions"])
    return f"""# {n['name']}

*{n['description']}*

## The question

{QUESTIONS[n['site']]}

Workbook: `inputs/examples/{n['site']}.xlsx` (`planner run inputs/examples/{n['site']}.xlsx`). Hourly data and
every stand-in: `inputs/data/SOURCES.md`; each input's source: the workbook's column E and `docs/inputs.md`;
site-specific changes and why: `planner/examples.py`{more}.

## Key assumptions

| input | value |
|---|---|
{assumptions}
"""


def investment_line(s: dict) -> str:
    """The investment against doing nothing, as the page's first line (n/a with the reason when there is none)."""
    inv, base = s["investment"], s["baseline"]
    if inv is None or inv["npv_usd"] is None:
        reason = " ".join((inv["reason"] if inv else base["reason"]).split())
        return f"Investment NPV: n/a ({reason})."
    out = (f"Investment NPV **{fmt.money(inv['npv_usd'])}** (the plan's {fmt.money(s['npv_usd'])} minus "
           f"the do-nothing baseline's {fmt.money(base['npv_usd'])}), IRR **{fmt.percent(inv['irr'])}**, "
           f"simple payback {fmt.years(inv['simple_payback_years'])}, discounted payback "
           f"{fmt.years(inv['discounted_payback_years'])}.")
    return out + (f" ({inv['reason']})" if inv["reason"] else "")


def page_periods(n: dict) -> str:
    """A multi-period example's page: the Periods sheet, the plan period by period, the build-out and the
    one-year answer of the same workbook beside it (both numbers)."""
    s, one = n["summary"], n["one_year"]["summary"]
    lab = Labels(s["labels"])
    periods, mp = s["periods"], s["multi_period"]
    heads = [f"{p['start_year']} (year{'s' if p['last_year'] > p['first_year'] else ''} {p['first_year']}"
             + (f"-{p['last_year']})" if p["last_year"] > p["first_year"] else ")") for p in periods]
    sheet = "\n".join(f"| {p['start_year']} | " + (", ".join(f"`{k}` = {v:g}" for k, v in p["changes"].items())
                                                    or "the workbook's inputs") + " |"
                       for p in n["periods_sheet"]["periods"])
    declines = "\n".join(f"| `{d['parameter']}` | {d['initial_decline_per_year']:g} | {d['b_factor']:g} | {d['note']} |"
                         for d in n["periods_sheet"]["declines"])
    if declines:
        declines = ("\n\nDeclines (Arps; each period's factor is the curve's average over its years relative to "
                    "year 1):\n\n| parameter | D_i per year | b | source |\n|---|---|---|---|\n" + declines)
    keys = [k for k in s["sizes"] if any(abs(p["sizes"].get(k, 0.0)) > 1e-9 for p in periods)]

    def cell(p: dict, k: str) -> str:
        unit = lab.unit("sizes", k)
        text = fmt.size(p["sizes"].get(k, 0.0), unit)
        moves = [f"+{fmt.size(p['sizes_new'].get(k, 0.0), unit)}" if p["sizes_new"].get(k, 0.0) > 1e-9 else "",
                 f"-{fmt.size(p['sizes_retired'].get(k, 0.0), unit)}" if p["sizes_retired"].get(k, 0.0) > 1e-9
                 else ""]
        moves = [m for m in moves if m]
        return text + (f" ({', '.join(moves)})" if moves else "")

    sizes = "\n".join(f"| {lab.label('sizes', k)} ({lab.unit('sizes', k)}) | " + " | ".join(cell(p, k) for p in periods)
                      + " |" for k in keys)
    uses = ("site_load", "ai", "mining", "export", "battery_losses", "curtailed")
    energy = "\n".join(f"| {lab.label('energy', k)} | " + " | ".join(f"{p['energy_mwh'].get(k, 0.0):,.0f}"
                                                                     for p in periods) + " |"
                       for k in uses if any(p["energy_mwh"].get(k) for p in periods))
    capex = " | ".join(fmt.money(p["capex_usd"]) for p in periods)
    operating = " | ".join(fmt.money(p["npv_operating_usd"]) for p in periods)
    charts = "\n\n".join(f"![build-out ({u})](./{n['site']}-buildout-{slug(u)}.svg)" for u in n["buildout_units"])
    compare_keys = [k for k in s["sizes"] if abs(s["sizes"].get(k, 0.0)) > 1e-9 or abs(one["sizes"].get(k, 0.0)) > 1e-9]
    compare = "\n".join(f"| {lab.label('sizes', k)} ({lab.unit('sizes', k)}) | "
                        + " / ".join(fmt.size(p["sizes"].get(k, 0.0), lab.unit("sizes", k)) for p in periods)
                        + f" | {fmt.size(one['sizes'].get(k, 0.0), lab.unit('sizes', k))} |" for k in compare_keys)

    def inv(x: dict) -> str:
        i = x["investment"]
        return "n/a" if i is None or i["npv_usd"] is None else fmt.money(i["npv_usd"])

    sizing = mp["sizing_solver"]
    return f"""{page_head(n, "; the multi-period model: `docs/periods.md`")}
The Periods sheet (each period stands for the years until the next; a change holds in that period only):

| period starts | changes |
|---|---|
{sheet}{declines}

## The answer over the periods

{investment_line(s)}

Plan NPV {fmt.money(s['npv_usd'])} over the whole life (pro-forma {fmt.money(s['proforma_npv_usd'])}), year-0
capex {fmt.money(s['capex_usd'])}. Sized on {mp['typical_days']} typical days with {mp['added_real_days']} real
day(s) added (sizing: {sizing['status']}, gap {fmt.gap(sizing['mip_gap'] or 0)}), then each period's full year
re-dispatched with its sizes fixed; {n['seconds']:.0f} s end to end, with the baseline.

Capacity in service in each period (+ built at its start, - retired or relocated at its start):

| size | {' | '.join(heads)} |
|---|{'---|' * len(periods)}
{sizes}

| per period | {' | '.join(heads)} |
|---|{'---|' * len(periods)}
| capex at the period's start | {capex} |
| operating PV of the period's years | {operating} |

Energy by use in a year of each period (MWh):

| use | {' | '.join(heads)} |
|---|{'---|' * len(periods)}
{energy}

{charts}

![cash flow](./{n['site']}-cashflow.svg)

## Against the one-year answer

The same workbook without its Periods sheet: one representative year repeated for the whole analysis (full
year, same gap, {n['one_year']['seconds']:.0f} s).

| | multi-period | one year |
|---|---|---|
| plan NPV | {fmt.money(s['npv_usd'])} | {fmt.money(one['npv_usd'])} |
| investment NPV | {inv(s)} | {inv(one)} |
| year-0 capex | {fmt.money(s['capex_usd'])} | {fmt.money(one['capex_usd'])} |
{compare}

(Sizes: in service in each period, in order, against the one-year plan's.)

## Reading

{READINGS.get(n['site'], '')}
"""


def with_without(n: dict, lab: Labels) -> str:
    """The section giving the plan with and without each stream of WITHOUT: NPV, the stream's year-1 amount,
    and whether the build changes (empty when the site has none)."""
    if not n.get("without"):
        return ""
    s = n["summary"]
    revenue = s["revenue_usd_per_year"]
    rows = []
    for v in n["without"]:
        amount = sum(revenue.get(k, 0.0) for k in v["streams"])
        keys = list(s["sizes_new"]) + [k for k in v["sizes_new"] if k not in s["sizes_new"]]  # a size may be in one
        with_, without_ = ({k: d.get(k, 0.0) for k in keys} for d in (s["sizes_new"], v["sizes_new"]))
        changed = [f"{lab.label('sizes', k)} {fmt.size(with_[k], lab.unit('sizes', k))} -> "
                   f"{fmt.size(without_[k], lab.unit('sizes', k))}" for k in keys
                   if abs(without_[k] - with_[k]) > 1e-6 * max(1.0, abs(without_[k]))]
        rows.append(f"| {v['label']} | {fmt.money(amount)} | {fmt.money(v['npv_usd'])} | "
                    f"{fmt.money(s['npv_usd'] - v['npv_usd'])} | {'; '.join(changed) or 'no'} |")
    streams = "\n".join(f"| {lab.label('streams', k)} | {fmt.money(x)} |"
                        for k, x in revenue.items() if any(k in v["streams"] for v in n["without"]))
    return f"""## What the site's extra revenue and cost streams add

In the plan (year 1, USD per year; a charge is negative):

| stream | year 1 |
|---|---|
{streams}

The plan solved again without each (full year, same gap): the stream's year-1 amount in the plan, the plan NPV
without it, what having it changes the NPV by (with minus without), and whether the new build changes (sizes with
-> without):

| case | stream in the plan, year 1 | plan NPV without | NPV with minus without | build changes |
|---|---|---|---|---|
{chr(10).join(rows)}

"""


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--render"]:  # re-write the pages from the saved numbers (after editing READINGS)
        for site in args[1:] or list(EXAMPLES):
            n = json.loads((DOCS / f"{site}.json").read_text())
            if "one_year" in n:
                n["buildout_units"] = write_buildout(site, n["name"], n["summary"])
            (DOCS / f"{site}.md").write_text(page_periods(n) if "one_year" in n else page(n))
        return
    sites = args or list(EXAMPLES)
    DOCS.mkdir(parents=True, exist_ok=True)
    for site in sites:
        n = run_site(site)
        (DOCS / f"{site}.json").write_text(json.dumps(n, indent=2, default=str))
        (DOCS / f"{site}.md").write_text(page_periods(n) if "one_year" in n else page(n))
        print(f"wrote {DOCS / site}.md ({n['seconds']:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
