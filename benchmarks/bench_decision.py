"""What the decision-grade answer costs (issue 14): the do-nothing baseline, the LP duals of the binding
limits and the marginal units, against the solve itself, on every example (full year, 0.5 % gap).

    python -m benchmarks.bench_decision [site ...]

Each site runs in a fresh process (`planner.run.optimise(..., marginals=True, baseline=True)`) and prints the
stage times the run records (`summary.json: timings_s`) with the extras as a share of the solve. Results go
to benchmarks/results/decision.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from planner.paths import REPO_ROOT

SITES = ["west_texas", "permian_gas", "remote_hydro", "factory", "iceland", "middle_east", "nuclear_ai"]
STAGES = ["build", "transfer", "solve", "duals", "baseline", "marginal_units"]

CHILD = """
import json, sys
from planner.paths import INPUTS_DIR
from planner.run import optimise
from planner.solve import SolveOptions
from benchmarks import one_period_example
sc = one_period_example(INPUTS_DIR / "examples" / f"{sys.argv[1]}.xlsx")
r = optimise(sc, SolveOptions(mip_gap=0.005), marginals=True, baseline=True)
s = r.summary()
print(json.dumps({"timings_s": s["timings_s"], "npv_usd": s["npv_usd"],
                  "investment_npv_usd": (s["investment"] or {}).get("npv_usd"),
                  "binding_limits": len(s["binding_limits"])}))
"""


def measure(site: str) -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, site], capture_output=True, text=True, check=True,
                         cwd=REPO_ROOT)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["wall_s"] = time.perf_counter() - t
    return row


def main() -> None:
    sites = sys.argv[1:] or SITES
    lines = ["| site | " + " | ".join(f"{s} s" for s in STAGES) + " | baseline + duals / solve | wall s |",
             "|---|" + "---|" * (len(STAGES) + 2)]
    for site in sites:
        r = measure(site)
        t = r["timings_s"]
        extra = (t.get("baseline", 0.0) + t.get("duals", 0.0)) / t["solve"]
        lines.append(f"| {site} | " + " | ".join(f"{t.get(s, 0.0):.2f}" for s in STAGES)
                     + f" | {extra:.2f} | {r['wall_s']:.1f} |")
        print(lines[-1], flush=True)
    text = ("# What the decision-grade answer costs\n\n`python -m benchmarks.bench_decision` "
            f"({time.strftime('%Y-%m-%d')}): one fresh process per example, full year, 0.5 % gap, the times "
            "`summary.json` records (seconds).\n\n" + "\n".join(lines) + "\n")
    (REPO_ROOT / "benchmarks" / "results" / "decision.md").write_text(text)


if __name__ == "__main__":
    main()
