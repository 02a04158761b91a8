"""The multi-period model's cost against today's single-period typical-day run of the same site.

    python -m benchmarks.bench_periods [--sites permian_gas west_texas phased_ai] [--days 48]

For each site: the single-period run on K typical days (`planner run --typical-days K` without marginal units or
baseline: sizing, then the full-year re-dispatch) and the multi-period run on the same K days (planner/periods.py:
sizing over every period, then each period's full year re-dispatched; no baseline). A workbook with its own
Periods sheet is run as it is (its single run: the same workbook without that sheet); one without gets 4 periods
(the year of COD, +3, +8, +13 years) and, when it has gensets, an Arps decline of its gas (D = 0.6/yr, b = 1),
else its export price rising 10 % a period. The issue's
target: the multi-period sizing, proved to 0.5 %, within 3x the single-period run, plus the per-period full-year
re-dispatch. Writes benchmarks/results/periods.md and periods.csv. Single runs on a shared machine: read ratios.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

from benchmarks import one_period_example
from planner.paths import INPUTS_DIR
from planner.periods import optimise_periods
from planner.run import optimise
from planner.scenario.periods import multi_period
from planner.scenario.reader import read_workbook
from planner.scenario.scenario import DeclineRow, InvestmentPeriod
from planner.solve import SolveOptions

RESULTS = Path(__file__).resolve().parent / "results"


def with_periods(sc):
    """The workbook's own periods, or four added (docs above)."""
    if multi_period(sc):
        return sc, "the workbook's Periods sheet"
    sc = sc.copy()
    c = int(sc.site.cod_year)
    if sc.gas.enabled:
        sc.investment_periods = [InvestmentPeriod(c + k) for k in (0, 3, 8, 13)]
        sc.declines = [DeclineRow("hourly.gas_supply_mmbtu_per_h", 0.6, 1.0)]
        return sc, "4 periods (COD, +3, +8, +13 years), gas declining (Arps D 0.6/yr, b 1)"
    sc.investment_periods = [InvestmentPeriod(c + k, {"hourly.export_price_usd_per_mwh": 1.0 + 0.1 * i})
                             for i, k in enumerate((0, 3, 8, 13))]
    return sc, "4 periods (COD, +3, +8, +13 years), export price +10 % a period"


def row(site: str, days: int, opts: SolveOptions) -> dict:
    sc = read_workbook(INPUTS_DIR / "examples" / f"{site}.xlsx")
    single = one_period_example(INPUTS_DIR / "examples" / f"{site}.xlsx")  # the same workbook, one period
    t0 = time.perf_counter()
    one = optimise(single, opts, marginals=False, typical_days=days)
    one_s = time.perf_counter() - t0
    td = one.extra["typical_days"]["timings_s"]
    multi, how = with_periods(sc)
    t0 = time.perf_counter()
    r = optimise_periods(multi, opts, typical_days=days, baseline=False)
    multi_s = time.perf_counter() - t0
    mp = r.extra["multi_period"]
    t = mp["timings_s"]
    return {"site": site, "days": days, "periods": mp["periods"], "how": how,
            "single_s": one_s, "single_sizing_s": td["sizing"], "single_full_year_s": td["full_year_checks"],
            "multi_s": multi_s, "multi_sizing_s": t["sizing"], "multi_full_year_s": t["full_year"],
            "sizing_over_single_run": t["sizing"] / one_s, "added_real_days": mp["added_real_days"],
            "milp_rounds": sum(x["sizing"] == "in full" for x in mp["sizing_rounds"]),
            "held_rounds": sum(x["sizing"] == "fleets held" for x in mp["sizing_rounds"]),
            "status": r.solver.status, "gap": r.solver.mip_gap, "npv_single_usd": one.npv_usd,
            "npv_multi_usd": r.npv_usd, "proforma_rel": abs(r.proforma.npv_usd - r.npv_usd) / max(1.0, abs(r.npv_usd))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", nargs="+", default=["permian_gas", "west_texas", "phased_ai"])
    ap.add_argument("--days", type=int, default=48)
    args = ap.parse_args()
    opts = SolveOptions(mip_gap=0.005, time_limit_s=3600)
    rows = []
    for site in args.sites:
        rows.append(row(site, args.days, opts))
        print(rows[-1], flush=True)
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "periods.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    lines = ["# Investment periods: the multi-period model against the single-period typical-day run", "",
             f"`python -m benchmarks.bench_periods --sites {' '.join(args.sites)} --days {args.days}` on a "
             f"{os.cpu_count()}-core machine (shared; single runs), gap 0.5 %. Single: `planner run --typical-days "
             f"{args.days}` without marginal units (sizing + full-year re-dispatch). Multi: planner/periods.py on the "
             f"same days (sizing rounds over every period + each period's full year, hot); no baseline in either.", "",
             "| site | periods | single run s (sizing + full year) | multi sizing s | multi full years s | "
             "multi sizing / single run | days added | sizing rounds: MILP + fleets held (LP) | "
             "status, gap | NPV single | NPV multi | pro-forma rel. diff |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for x in rows:
        lines.append(f"| {x['site']} | {x['periods']}: {x['how']} | {x['single_s']:.1f} ({x['single_sizing_s']:.1f} + "
                     f"{x['single_full_year_s']:.1f}) | {x['multi_sizing_s']:.1f} | {x['multi_full_year_s']:.1f} | "
                     f"**{x['sizing_over_single_run']:.2f}x** | {x['added_real_days']} | {x['milp_rounds']} + "
                     f"{x['held_rounds']} | {x['status']}, "
                     f"{100 * (x['gap'] or 0):.2f} % | {x['npv_single_usd'] / 1e6:,.2f} M | "
                     f"{x['npv_multi_usd'] / 1e6:,.2f} M | {x['proforma_rel']:.1e} |")
    (RESULTS / "periods.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS / 'periods.md'}")


if __name__ == "__main__":
    main()
