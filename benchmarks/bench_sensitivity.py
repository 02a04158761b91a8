"""Re-priced sensitivity cases, cold (rebuild) against warm (re-price in place), on every example.

    python -m benchmarks.bench_sensitivity [--sites west_texas ...] [--cases 2]

(`--sites`: only these are measured again; the other sites' rows of the results file are kept.)

For each site: the first `--cases` tornado cases that only re-price the model, one worker, in this
process. Cold: each case built and solved from scratch. Warm: the base model is built and solved once
(not counted), then every case re-priced in place and re-solved (planner/sensitivity.py). Writes
benchmarks/results/sensitivity_cases.csv (one row per case) and sensitivity.md (per site: median cold and
warm seconds per case, their ratio, the worst case's ratio, the largest NPV difference). Single runs on a
shared machine: read the ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from benchmarks import one_period_example
from planner import sensitivity as sx
from planner.paths import INPUTS_DIR
from planner.solve import SolveOptions
from planner.technologies import reprice_only

RESULTS = Path(__file__).resolve().parent / "results"
SITES = ["west_texas", "permian_gas", "remote_hydro", "factory", "iceland", "middle_east", "nuclear_ai"]


def measure(site: str, n_cases: int) -> list[dict]:
    sc = one_period_example(INPUTS_DIR / "examples" / f"{site}.xlsx")
    cases = [c for c in sx.tornado_cases(sc) if all(reprice_only(k, sc) for k in c.changes)][:n_cases]
    opts = SolveOptions(mip_gap=0.005, time_limit_s=900)
    cold = sx.run_cases(sc, cases, opts, workers=1, warm=False)
    sx._CACHE.clear()
    sx.cache_base(sc, opts)  # the base model a worker builds and solves once, outside the warm cases' times
    warm = sx.run_cases(sc, cases, opts, workers=1, warm=True)
    rows = []
    for c, w in zip(cold, warm, strict=True):
        rows.append({"site": site, "case": c.label, "cold_s": c.seconds, "warm_s": w.seconds, "warm_path": w.warm,
                     "cold_npv_usd": c.npv_usd, "warm_npv_usd": w.npv_usd, "status": f"{c.status}/{w.status}",
                     "npv_rel_diff": (abs(c.npv_usd - w.npv_usd) / max(1.0, abs(c.npv_usd))
                                      if c.npv_usd is not None and w.npv_usd is not None else None),
                     "load_avg": os.getloadavg()[0]})
    speedup = statistics.median(r["cold_s"] for r in rows) / statistics.median(r["warm_s"] for r in rows)
    for r in rows:
        r["speedup"] = speedup
    sx._CACHE.clear()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", nargs="+", default=SITES)
    ap.add_argument("--cases", type=int, default=2, help="re-priced tornado cases per site")
    args = ap.parse_args()
    import pandas as pd

    rows = []
    old = RESULTS / "sensitivity_cases.csv"
    if old.exists():  # the other sites' rows of the results file are kept
        prev = pd.read_csv(old)
        rows = [r for r in prev.to_dict("records") if r["site"] not in args.sites]
    for site in args.sites:  # the files are rewritten after each site
        rows += measure(site, args.cases)
        print(rows[-1], flush=True)
        write(pd.DataFrame(rows), args.cases)


def write(df, n_cases: int) -> None:
    from benchmarks.run import markdown

    RESULTS.mkdir(parents=True, exist_ok=True)
    df.to_csv(RESULTS / "sensitivity_cases.csv", index=False)
    per_site = df.groupby("site", sort=False).agg(
        cases=("case", "size"), cold_median_s=("cold_s", "median"), warm_median_s=("warm_s", "median"),
        speedup=("speedup", "first"), worst_case_cold_over_warm=("cold_s", "min"),
        largest_npv_rel_diff=("npv_rel_diff", "max")).reset_index()
    per_site["worst_case_cold_over_warm"] = [
        min(r.cold_s / r.warm_s for r in df[df.site == s].itertuples()) for s in per_site.site]
    text = ["# Sensitivity benchmark: re-priced tornado cases, cold against warm, every example", "",
            f"`python -m benchmarks.bench_sensitivity --cases {n_cases}` on {os.cpu_count()} cores, shared with "
            f"other engineers' runs (load average {os.getloadavg()[0]:.1f} at the end): read the ratios. One "
            "worker, full year, gap 0.5 %; warm excludes the one base solve its cache needs.", "",
            markdown(per_site), "", "Per case:", "", markdown(df.drop(columns=["speedup"])), ""]
    (RESULTS / "sensitivity.md").write_text("\n".join(text))
    print(f"wrote {RESULTS / 'sensitivity.md'}")


if __name__ == "__main__":
    main()
