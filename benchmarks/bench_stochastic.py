"""The two-stage stochastic model's cost in the number of scenarios, extensive form against Benders.

    python -m benchmarks.bench_stochastic [--site west_texas] [--scenarios 1 5 10 20] [--extensive-up-to 10]
                                          [--plan 10] [--dask]

For each S: the scenarios of the workbook's Uncertainty sheet (planner/scenario/uncertainty.py, reduced to S),
the two-stage model on the workbook's 48 typical days solved once by the extensive form (the branch and bound
over one block per scenario) and once by Benders decomposition (planner/solve/benders.py); their times (build
included), objectives, gaps and designs. The reference is the single-scenario deterministic run on the same
typical days (`planner run --typical-days 48` without marginal units: sizing, then the full-year re-dispatch).
`--plan S`: the whole `planner run --stochastic` valuation (full-year values of both designs, perfect
information, hedge values) with its timings; with `--dask` its perfect-information solves run again on a
Dask LocalCluster of 2 workers, and the two EVPIs are compared. Writes benchmarks/results/stochastic.md and
stochastic.csv. Single runs on a shared machine: read the ratios.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from dataclasses import replace
from pathlib import Path

from planner.paths import INPUTS_DIR
from planner.run import optimise
from planner.scenario.reader import read_workbook
from planner.scenario.uncertainty import scenarios
from planner.solve import SolveOptions
from planner.stochastic import Settings, sizing_inputs, stochastic_plan, two_stage

RESULTS = Path(__file__).resolve().parent / "results"
DAYS = 48


def sizing_row(sc, scens, method: str, opts: SolveOptions) -> dict:
    """One two-stage solve on the typical days (no full-year check): time, objective, gap, design."""
    t0 = time.perf_counter()
    scs = sizing_inputs(sc, scens, DAYS)
    probs = [s.probability for s in scens]
    design, stats, _ = two_stage(scs, probs, Settings(method=method, typical_days=DAYS), opts)
    return {"S": len(scens), "method": method, "seconds": time.perf_counter() - t0, "solve_seconds": stats.seconds,
            "status": stats.status, "objective_usd": stats.objective, "gap": stats.mip_gap,
            "iterations_or_nodes": stats.nodes, "design": {k: round(v, 3) for k, v in design.items()}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default="west_texas")
    ap.add_argument("--scenarios", type=int, nargs="+", default=[1, 5, 10, 20])
    ap.add_argument("--extensive-up-to", type=int, default=10)
    ap.add_argument("--plan", type=int, default=0, help="value the whole stochastic plan at this S (0: not)")
    ap.add_argument("--dask", action="store_true")
    args = ap.parse_args()
    sc = read_workbook(INPUTS_DIR / "examples" / f"{args.site}.xlsx")
    opts = SolveOptions(mip_gap=0.005, time_limit_s=3600)
    t0 = time.perf_counter()
    det = optimise(sc, opts, marginals=False, typical_days=DAYS)
    det_s = time.perf_counter() - t0
    print(f"{args.site}: deterministic {DAYS} typical days {det_s:.1f} s, NPV {det.npv_usd / 1e6:.2f} M", flush=True)
    rows = []
    for n in args.scenarios:
        scens = scenarios(sc, n)
        for method in ("benders", "extensive"):
            if method == "extensive" and n > args.extensive_up_to:
                continue
            r = sizing_row(sc, scens, method, opts)
            r["over_deterministic"] = r["seconds"] / det_s
            rows.append(r)
            print({k: v for k, v in r.items() if k != "design"}, flush=True)
    plan_lines = []
    if args.plan:
        scens = scenarios(sc, args.plan)
        t0 = time.perf_counter()
        block, _ = stochastic_plan(sc, scens, Settings(method="benders", typical_days=DAYS), opts)
        total = time.perf_counter() - t0
        plan_lines = [f"Whole valuation at S = {args.plan} (Benders): {total:.0f} s = {total / det_s:.1f} x the "
                      "deterministic run; parts (s): "
                      + ", ".join(f"{k} {v:.0f}" for k, v in block["timings_s"].items()),
                      f"E[NPV] {block['expected_npv_usd'] / 1e6:.2f} M, CVaR {block['cvar_usd'] / 1e6:.2f} M, "
                      f"VSS {block['vss_usd'] / 1e6:.3f} M, EVPI {block['evpi_usd'] / 1e6:.3f} M, hedge values "
                      + ", ".join(f"{k} {'n/a' if v is None else f'{v / 1e6:.3f} M'}"
                                  for k, v in block["value_of_flexibility_usd"].items())]
        print("\n".join(plan_lines), flush=True)
        if args.dask:
            from distributed import LocalCluster

            from planner.stochastic import own_optima

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
                t0 = time.perf_counter()
                settings = Settings(method="benders", typical_days=DAYS, dask=cluster.scheduler_address)
                pi, why = own_optima(sc, scens, settings, replace(opts, threads=1))
                dask_s = time.perf_counter() - t0
            local = [s["perfect_information_npv_usd"] for s in block["scenarios"]]
            same = pi is not None and max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(pi, local, strict=True))
            plan_lines.append(f"Perfect information on a Dask LocalCluster (2 workers): {dask_s:.0f} s against "
                              f"{block['timings_s']['perfect_information']:.0f} s in this process; largest relative "
                              f"difference of the scenarios' optima {same:.2g}" if pi else f"Dask: {why}")
            print(plan_lines[-1], flush=True)
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "stochastic.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    lines = [f"# Two-stage stochastic model: cost in the number of scenarios ({args.site}, {DAYS} typical days)", "",
             f"Machine: {os.cpu_count()} cores; `python -m benchmarks.bench_stochastic "
             f"--scenarios {' '.join(map(str, args.scenarios))} --plan {args.plan}{' --dask' if args.dask else ''}`. "
             f"Reference: the deterministic run on the same typical days (sizing + full-year re-dispatch, no marginal "
             f"units) took {det_s:.1f} s.", "",
             "| S | method | seconds | x deterministic | status | gap | iterations / nodes | objective (M USD) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        gap = "" if r["gap"] is None else f"{100 * r['gap']:.3f} %"
        lines.append(f"| {r['S']} | {r['method']} | {r['seconds']:.1f} | {r['over_deterministic']:.2f} | {r['status']} "
                     f"| {gap} | {r['iterations_or_nodes']} | {r['objective_usd'] / 1e6:.3f} |")
    lines += ["", *plan_lines, ""]
    (RESULTS / "stochastic.md").write_text("\n".join(lines))
    print(f"wrote {RESULTS / 'stochastic.md'}")


if __name__ == "__main__":
    main()
