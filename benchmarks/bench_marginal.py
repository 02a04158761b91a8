"""Marginal units with and without re-solving the plan's own design (docs/performance.md).

    python -m benchmarks.bench_marginal [site ...]

Solves each example once (full year, 0.5 % gap), then times planner.run.marginal_units on that same solved
model twice: solving the plan's design as one more LP, and taking its value from the duals' LP (what
`optimise` does). Prints both times, their ratio and whether the values agree.
"""

from __future__ import annotations

import sys
import time

import planner.run as run
from benchmarks import one_period_example
from planner.paths import INPUTS_DIR
from planner.solve import SolveOptions


def measure(site: str) -> str:
    sc = one_period_example(INPUTS_DIR / "examples" / f"{site}.xlsx")
    seen: dict = {}
    original = run.marginal_units

    def spy(built, hm, opts, base=None):
        seen.update(built=built, hm=hm, opts=opts, base=base)
        return original(built, hm, opts, base)

    run.marginal_units = spy
    try:
        run.optimise(sc, SolveOptions(mip_gap=0.005), marginals=True)
    finally:
        run.marginal_units = original
    times, values = [], []
    for base in (None, seen["base"]):
        t = time.perf_counter()
        values.append(original(seen["built"], seen["hm"], seen["opts"], base))
        times.append(time.perf_counter() - t)
    agree = all(abs((a or 0) - (b or 0)) <= 1.0 for k in values[0] for a, b in
                zip(values[0][k].values(), values[1][k].values(), strict=True))
    return f"| {site} | {times[0]:.2f} | {times[1]:.2f} | {times[0] / times[1]:.2f} | {agree} |"


if __name__ == "__main__":
    print("| site | base design re-solved s | base from the duals' LP s | ratio | same values (1 USD) |")
    print("|---|---|---|---|---|")
    for site in sys.argv[1:] or ["west_texas", "factory", "permian_gas", "middle_east"]:
        print(measure(site), flush=True)
