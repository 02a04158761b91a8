"""`--stochastic` on every example: it runs on each one's own Uncertainty sheet, and VSS, EVPI and CVaR keep
their signs (VSS >= 0, EVPI >= 0 within the typical-day and gap tolerance, CVaR <= E[NPV]).

    python -m benchmarks.stochastic_examples [--scenarios 5] [--typical-days 12] [--sites west_texas ...]

Writes benchmarks/results/stochastic_examples.md: per example the figures, the time and the checks.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks import one_period_example
from planner.paths import INPUTS_DIR
from planner.scenario.uncertainty import scenarios
from planner.solve import SolveOptions
from planner.stochastic import Settings, stochastic_plan

RESULTS = Path(__file__).resolve().parent / "results"
SITES = ["west_texas", "permian_gas", "remote_hydro", "factory", "iceland", "middle_east", "nuclear_ai"]
GAP = 0.005


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", nargs="+", default=SITES)
    ap.add_argument("--scenarios", type=int, default=5)
    ap.add_argument("--typical-days", type=int, default=12)
    ap.add_argument("--two-stage", default="benders")
    args = ap.parse_args()
    opts = SolveOptions(mip_gap=GAP, time_limit_s=3600)
    lines = [f"# `--stochastic` on every example ({args.scenarios} scenarios of its Uncertainty sheet, "
             f"{args.typical_days} typical days, {args.two_stage}, gap {GAP:g})", "",
             "Tolerance of the sign checks: the gap times |E[NPV]| plus the typical-day error (designs are chosen on "
             "typical days and valued on full years); CVaR <= E[NPV] holds exactly.", "",
             "| example | E[NPV] M USD | CVaR M USD | P10 / P90 M USD | VSS M USD | EVPI M USD | hedge values M USD "
             "| seconds | checks |", "|---|---|---|---|---|---|---|---|---|"]
    for site in args.sites:
        sc = one_period_example(INPUTS_DIR / "examples" / f"{site}.xlsx")
        t0 = time.perf_counter()
        try:
            block, _ = stochastic_plan(sc, scenarios(sc, args.scenarios),
                                       Settings(typical_days=args.typical_days, method=args.two_stage), opts)
        except Exception as e:  # noqa: BLE001 - recorded, the next example still runs
            lines.append(f"| {site} | failed: {type(e).__name__}: {str(e).splitlines()[0]} | | | | | | | |")
            print(lines[-1], flush=True)
            continue
        seconds = time.perf_counter() - t0
        e = block["expected_npv_usd"]
        tol = 2 * GAP * abs(e)
        checks = [("VSS>=0", block["vss_usd"] >= -tol), ("EVPI>=0", block["evpi_usd"] >= -tol),
                  ("CVaR<=E", block["cvar_usd"] <= e + 1e-6)]
        hedge = ", ".join(f"{k} {'n/a' if v is None else f'{v / 1e6:.2f}'}"
                          for k, v in block["value_of_flexibility_usd"].items())
        lines.append(f"| {site} | {e / 1e6:.2f} | {block['cvar_usd'] / 1e6:.2f} | {block['p10_usd'] / 1e6:.2f} / "
                     f"{block['p90_usd'] / 1e6:.2f} | {block['vss_usd'] / 1e6:.3f} | {block['evpi_usd'] / 1e6:.3f} | "
                     f"{hedge} | {seconds:.0f} | "
                     + ", ".join(f"{name} {'ok' if ok else 'FAILS'}" for name, ok in checks) + " |")
        print(lines[-1], flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "stochastic_examples.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
