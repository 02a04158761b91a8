"""Reproducible timing of the planner: one command writes benchmarks/results/pipeline.csv and .md.

    python -m benchmarks.run                 # example sites + synthetic scaling family
    python -m benchmarks.run --quick         # a smaller set (scaling family up to 2016 h, two examples)

For each case, in a fresh subprocess (so peak memory is per case): read the workbook, build the
Pyomo model, hand it to HiGHS, solve (the planner's default strategy: the branch and bound of
planner/bnb.py for MILPs), extract results, write reports; plus, as the reference for "solver alone",
HiGHS (highspy) solving the same model read back from an MPS file with its own MIP solver, and the LP
relaxation of that model. Python overhead is reported as a ratio of the solve time. Timings are single
runs on a 2-core machine: read them as ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def synthetic(hours: int, techs: str):
    """The seeded synthetic site of the scaling family (tests/helpers.py: synthetic_site)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import synthetic_site

    return synthetic_site(hours, techs)


IMPORTS = ("import planner.cli\n"  # what `planner run` imports before it reads the workbook
           "from planner.run import optimise, write_outputs\n"
           "from planner.scenario.reader import read_workbook\n"
           "from planner.solve import SolveOptions\n"
           "from planner.report import write_reports\n")


def imports_s() -> float:
    """CPU seconds of `planner run`'s imports in a fresh interpreter (the median of three)."""
    code = "import time\nt = time.process_time()\n" + IMPORTS + "print(time.process_time() - t)"
    runs = sorted(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                                       check=True).stdout.split()[-1]) for _ in range(3))
    return runs[1]


def lp_relaxation_s(mps: str) -> float:
    """The LP relaxation of the model read back from MPS by a fresh HiGHS instance: the yardstick."""
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(mps)
    n = h.getNumCol()
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
    t = time.perf_counter()
    h.run()
    return time.perf_counter() - t


def measure_example(name: str) -> dict:
    """Every stage of `planner run` on one example, as the command runs it (marginal units, baseline, reports).

    Stages: imports (fresh interpreter, CPU), read, build + hand-over, solve, duals, marginal units, baseline,
    outputs + reports; then the LP relaxation alone (fresh HiGHS from MPS) and the ratios against it.
    """
    from benchmarks import one_period_example
    from planner.model import build
    from planner.report import write_reports
    from planner.run import optimise, write_outputs
    from planner.solve import HighsModel, SolveOptions

    row: dict = {"case": name, "kind": "example", "typical_days": "", "imports_s": imports_s()}
    t = time.perf_counter()
    sc = one_period_example(ROOT / "inputs" / "examples" / f"{name}.xlsx")
    row["read_s"] = time.perf_counter() - t
    opts = SolveOptions(mip_gap=0.005, time_limit_s=900)
    result = optimise(sc, opts, marginals=True, baseline=True)
    ts = result.extra["timings_s"]
    row["build_handover_s"] = ts["build"] + ts["transfer"]
    row["solve_s"] = ts["solve"]
    row["extract_s"] = ts["extract"]
    row["duals_s"] = ts.get("duals", 0.0)
    row["marginal_units_s"] = ts.get("marginal_units", 0.0)
    row["baseline_s"] = ts.get("baseline", 0.0)
    row["strategy"] = result.solver.solver
    row["status"], row["mip_gap"], row["nodes"] = result.solver.status, result.solver.mip_gap, result.solver.nodes
    row["npv_usd"] = result.npv_usd
    row["sizes"] = json.dumps({k: round(v, 6) for k, v in result.new_sizes.items()})
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_outputs(result, Path(tmp) / "out", extra_writers=[lambda _r, f: write_reports(f)])
        row["outputs_reports_s"] = time.perf_counter() - t
        mps = os.path.join(tmp, "model.mps")
        hm = HighsModel(build(sc).m)
        row["rows"], row["cols"], row["integers"] = hm.n_rows, hm.n_cols, len(hm.integer_cols)
        hm.h.writeModel(mps)
        row["lp_relaxation_s"] = lp_relaxation_s(mps)
    row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lp = max(row["lp_relaxation_s"], 1e-9)
    row["end_to_end_s"] = sum(row[k] for k in ("imports_s", "read_s", "build_handover_s", "solve_s", "extract_s",
                                                "duals_s", "marginal_units_s", "baseline_s", "outputs_reports_s"))
    row["mip_over_lp"] = row["solve_s"] / lp
    row["end_to_end_over_lp"] = row["end_to_end_s"] / lp
    row["end_to_end_target_s"] = 1.6 * lp + 2.0  # issue 20: end to end <= 1.6 x the LP + 2 s
    row["marginal_share_of_solve"] = row["marginal_units_s"] / max(row["solve_s"], 1e-9)
    return row


def measure(kind: str, name: str, hours: int = 0, techs: str = "", typical_days: int | None = None) -> dict:
    """Time every stage of one case in this process (called in a subprocess by main)."""
    if kind == "example" and not typical_days:
        return measure_example(name)
    import highspy
    import numpy as np

    from benchmarks import one_period_example
    from planner.model import build
    from planner.results import extract
    from planner.solve import HighsModel, SolveOptions, solve_model
    from planner.solve.highs_model import OBJ_SCALE

    row: dict = {"case": name, "kind": kind, "typical_days": typical_days or ""}
    t = time.perf_counter()
    if kind == "example":
        sc = one_period_example(ROOT / "inputs" / "examples" / f"{name}.xlsx")
    else:
        sc = synthetic(hours, techs)
    row["read_s"] = time.perf_counter() - t
    row["imports_s"] = imports_s()
    opts = SolveOptions(mip_gap=0.005, time_limit_s=900)
    if typical_days:
        from planner.run import optimise

        t = time.perf_counter()
        r = optimise(sc, opts, marginals=False, typical_days=typical_days)
        row["total_s"] = time.perf_counter() - t
        row["npv_usd"] = r.npv_usd
        td_info = r.extra["typical_days"]
        row["npv_typical_days_usd"] = td_info["npv_typical_days_usd"]
        row["added_real_days"] = td_info["added_real_days"]
        row["design"] = td_info["design"].split(",")[0].split(":")[0]
        row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return row
    t = time.perf_counter()
    built = build(sc)
    row["build_s"] = time.perf_counter() - t
    t = time.perf_counter()
    hm = HighsModel(built.m)
    row["handover_s"] = time.perf_counter() - t
    row["rows"], row["cols"], row["integers"] = hm.n_rows, hm.n_cols, len(hm.integer_cols)
    tmp_dir = tempfile.TemporaryDirectory()
    mps = os.path.join(tmp_dir.name, "model.mps")
    hm.h.writeModel(mps)  # before solving: the branch and bound relaxes the integers in place
    stats = solve_model(hm, opts)  # the planner's default strategy (planner/solve/bnb.py for MILPs)
    row["solve_s"] = stats.seconds
    row["status"], row["mip_gap"], row["nodes"] = stats.status, stats.mip_gap, stats.nodes
    t = time.perf_counter()
    result = extract(built, stats)
    row["extract_s"] = time.perf_counter() - t
    row["npv_usd"] = result.npv_usd
    if kind == "example":
        from planner.report import write_reports
        from planner.run import write_outputs

        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            write_outputs(result, Path(tmp) / "out", extra_writers=[lambda _r, f: write_reports(f)])
            row["write_s"] = time.perf_counter() - t
    row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the same model solved by HiGHS alone (its own MIP solver), read from the MPS file
    def highs_from_mps() -> highspy.Highs:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.readModel(mps)
        return h

    h = highs_from_mps()
    h.setOptionValue("mip_rel_gap", 0.005)
    h.setOptionValue("time_limit", 900.0)
    t = time.perf_counter()
    h.run()
    row["highs_alone_s"] = time.perf_counter() - t
    row["highs_alone_npv_usd"] = h.getInfo().objective_function_value / OBJ_SCALE
    if hm.integer_cols:  # the LP relaxation of the same model: the yardstick for "MIP in <= 1.5x its LP"
        h = highs_from_mps()  # a fresh instance: one that has solved before can be slower
        n = h.getNumCol()
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
        t = time.perf_counter()
        h.run()
        row["lp_relaxation_s"] = time.perf_counter() - t
        row["mip_over_lp"] = row["solve_s"] / max(row["lp_relaxation_s"], 1e-9)
        row["highs_mip_over_lp"] = row["highs_alone_s"] / max(row["lp_relaxation_s"], 1e-9)
    tmp_dir.cleanup()
    overhead = row["imports_s"] + row["read_s"] + row["build_s"] + row["handover_s"] + row["extract_s"]
    row["python_overhead_s"] = overhead
    row["overhead_ratio"] = overhead / max(row["solve_s"], 1e-9)
    return row


def _number(v):
    """A value read back from pipeline.csv (read as text to keep blanks): numbers as numbers."""
    try:
        return int(v) if str(v).isdigit() else float(v)
    except (TypeError, ValueError):
        return v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller set")
    ap.add_argument("--only", nargs="+", help="run only cases whose name contains one of these strings; the "
                    "other rows of the existing results file are kept")
    ap.add_argument("--examples-only", action="store_true", help="only the examples' full-year runs")
    ap.add_argument("--one", nargs="+", help=argparse.SUPPRESS)  # internal: measure one case in this process
    args = ap.parse_args()
    if args.one:
        kind, name, hours, techs, td = args.one
        print(json.dumps(measure(kind, name, int(hours), techs, int(td) or None)))
        return
    cases = []
    hours_list = [168, 672, 2016] if args.quick else [168, 672, 2016, 4380, 8760]
    for hours in hours_list:
        for techs in ("few", "all"):
            cases.append(("synthetic", f"synthetic-{techs}-{hours}h", hours, techs, 0))
    examples = ["west_texas", "nuclear_ai"] if args.quick else ["west_texas", "permian_gas", "remote_hydro",
                                                                 "factory", "iceland", "middle_east", "nuclear_ai"]
    if args.examples_only:
        cases = []
    for ex in examples:
        cases.append(("example", ex, 0, "", 0))
        if not args.examples_only:
            cases.append(("example", ex, 0, "", 48))
    rows = []
    if args.examples_only and (RESULTS / "pipeline.csv").exists():  # the other rows of the results file are kept
        import pandas as pd

        prev = pd.read_csv(RESULTS / "pipeline.csv", keep_default_na=False)
        keep = ~((prev["kind"] == "example") & (prev["typical_days"].astype(str) == ""))
        rows = [{k: _number(v) for k, v in r.items() if v != "" or k == "typical_days"}
                for r in prev[keep].to_dict("records")]
    if args.only:
        cases = [c for c in cases if any(o in c[1] for o in args.only)]
        old = RESULTS / "pipeline.csv"
        if old.exists():
            import pandas as pd

            prev = pd.read_csv(old, keep_default_na=False)
            keep = ~prev["case"].astype(str).apply(lambda n: any(o in n for o in args.only))
            rows = [{k: _number(v) for k, v in r.items() if v != "" or k == "typical_days"}
                    for r in prev[keep].to_dict("records")]
    for kind, name, hours, techs, td in cases:
        cmd = [sys.executable, "-m", "benchmarks.run", "--one", kind, name, str(hours), techs, str(td)]
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if p.returncode != 0:
            rows.append({"case": name, "kind": kind, "status": f"error: {p.stderr.strip().splitlines()[-1:]}"})
            continue
        row = json.loads(p.stdout.strip().splitlines()[-1])
        row["wall_s"] = time.perf_counter() - t
        rows.append(row)
        print(f"{name:28s} td={row.get('typical_days') or '-':>3}  " + "  ".join(
            f"{k}={v:.2f}" for k, v in row.items() if k.endswith("_s") and isinstance(v, float)), flush=True)
    write(rows)


def markdown(df) -> str:
    """A plain Markdown table (3 significant digits for floats)."""
    def cell(v) -> str:
        return f"{v:.3g}" if isinstance(v, float) else str(v)

    out = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(out)


def _seconds(v) -> float:
    """A stage's seconds from a results row: blank or missing counts 0."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if x != x else x


def sensitivity_ratios() -> dict[str, float]:
    """Per example: median cold seconds over median warm seconds per re-priced case (bench_sensitivity)."""
    import pandas as pd

    path = RESULTS / "sensitivity_cases.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path)
    return {site: float(g["speedup"].iloc[0]) for site, g in df.groupby("site")}


def write(rows: list[dict]) -> None:
    import pandas as pd

    RESULTS.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame(rows)
    df.to_csv(RESULTS / "pipeline.csv", index=False)
    full = df[df["typical_days"].astype(str) == ""].set_index("case") if "typical_days" in df else df
    lines = ["# Pipeline benchmark", "", f"Machine: {os.cpu_count()} cores; load average at the end "
             f"{os.getloadavg()[0]:.2f}. Single runs; times in seconds. `python -m benchmarks.run`.", ""]
    cols = [c for c in ("case", "rows", "cols", "integers", "imports_s", "read_s", "build_s", "handover_s", "solve_s",
                        "extract_s", "write_s", "nodes", "lp_relaxation_s", "mip_over_lp", "highs_alone_s",
                        "highs_mip_over_lp", "overhead_ratio", "peak_rss_mb", "status",
                        "mip_gap", "npv_usd") if c in df]
    synthetic_rows = df[(df["typical_days"].astype(str) == "") & (df["kind"] == "synthetic")]
    if len(synthetic_rows):
        lines += ["## Synthetic scaling family", "", markdown(synthetic_rows[cols]), ""]
    examples = df[(df["typical_days"].astype(str) == "") & (df["kind"] == "example")].copy()
    if len(examples):
        warm_cold = sensitivity_ratios()
        examples["warm_cold_speedup"] = [warm_cold.get(c, float("nan")) for c in examples["case"]]
        stage_cols = [c for c in ("case", "rows", "integers", "strategy", "imports_s", "read_s", "build_handover_s",
                                  "solve_s", "duals_s", "marginal_units_s", "baseline_s", "outputs_reports_s",
                                  "end_to_end_s", "lp_relaxation_s", "mip_over_lp", "end_to_end_over_lp",
                                  "end_to_end_target_s", "marginal_share_of_solve", "warm_cold_speedup",
                                  "peak_rss_mb", "status", "npv_usd") if c in examples]
        lines += ["## Examples: every stage of `planner run` (full year, gap 0.5 %)", "",
                  "imports: CPU s in a fresh interpreter (median of 3); the other stages wall s in one process. "
                  "end_to_end: the sum of the stages; target (issue 20): 1.6 x lp_relaxation + 2 s. "
                  "warm_cold_speedup: cold over warm per re-priced sensitivity case "
                  "(benchmarks/results/sensitivity_cases.csv, `python -m benchmarks.bench_sensitivity`).", "",
                  markdown(examples[stage_cols]), ""]
    td = df[df["typical_days"].astype(str) != ""]
    if len(td):
        lines += ["", "## Typical days (48 + extreme days) vs full year", "",
                  "| site | full-year total s | typical-days total s | speed-up | NPV full-year optimum | "
                  "NPV of the typical-day design re-dispatched over the year | difference | path | real days added |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in td.itertuples():
            if r.case not in full.index:
                continue
            f = full.loc[r.case]
            total_full = sum(_seconds(f.get(k)) for k in ("read_s", "build_s", "handover_s", "build_handover_s",
                                                           "solve_s", "extract_s"))
            lines.append(f"| {r.case} | {total_full:.1f} | {r.total_s + r.read_s:.1f} | "
                         f"{total_full / (r.total_s + r.read_s):.1f}x | {f['npv_usd']:,.0f} | {r.npv_usd:,.0f} | "
                         f"{100 * (r.npv_usd - f['npv_usd']) / abs(f['npv_usd']):+.3f} % | "
                         f"{getattr(r, 'design', '')} | {getattr(r, 'added_real_days', '')} |")
    (RESULTS / "pipeline.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS / 'pipeline.md'}")


if __name__ == "__main__":
    main()
