"""20-case tornado on an example site: cold (rebuild every case) vs warm (re-price in place), 1 vs 2 workers.

    python -m benchmarks.bench_sensitivity [--site nuclear_ai]

Writes benchmarks/results/sensitivity.csv and .md. Single runs on this machine; read the ratios.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from planner import sensitivity as sx
from planner.paths import INPUTS_DIR
from planner.scenario.reader import read_workbook
from planner.solve import SolveOptions

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default="nuclear_ai")
    args = ap.parse_args()
    sc = read_workbook(INPUTS_DIR / "examples" / f"{args.site}.xlsx")
    cases = sx.tornado_cases(sc)[:20]
    opts = SolveOptions(mip_gap=0.005, time_limit_s=600)
    rows = []
    npv = {}
    for warm in (False, True):
        for workers in (1, 2):
            t = time.perf_counter()
            res = sx.run_cases(sc, cases, opts, workers=workers, warm=warm)
            wall = time.perf_counter() - t
            ok = sum(r.status == "ok" for r in res)
            npv[(warm, workers)] = [r.npv_usd for r in res]
            rows.append({"mode": "warm" if warm else "cold", "workers": workers, "cases": len(cases), "ok": ok,
                         "wall_s": wall, "s_per_case": wall / len(cases),
                         "warm_cases": sum(r.warm for r in res), "load_avg": os.getloadavg()[0]})
            print(rows[-1], flush=True)
    base = rows[0]["wall_s"]
    for r in rows:
        r["speedup_vs_cold_1_worker"] = base / r["wall_s"]
    worst = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(npv[(True, 1)], npv[(False, 1)], strict=True)
                if a is not None and b is not None)
    RESULTS.mkdir(parents=True, exist_ok=True)
    import pandas as pd

    from benchmarks.run import markdown

    df = pd.DataFrame(rows)
    df.to_csv(RESULTS / "sensitivity.csv", index=False)
    text = [f"# Sensitivity benchmark: 20-case tornado on `{args.site}` (full year, gap 0.5 %)", "",
            f"`python -m benchmarks.bench_sensitivity --site {args.site}` on {os.cpu_count()} cores.", "",
            markdown(df), "",
            f"Largest relative NPV difference warm vs cold over the cases: {worst:.2e} (both within the 0.5 % gap).",
            ""]
    (RESULTS / "sensitivity.md").write_text("\n".join(text))
    print(f"wrote {RESULTS / 'sensitivity.md'}")


if __name__ == "__main__":
    main()
