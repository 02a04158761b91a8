"""`planner sensitivity`: tornado, fixed-design downside, sweeps, break-even and Monte Carlo from the CLI."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import click

from planner.errors import UsageError


def _progress(done: int, total: int, elapsed: float) -> None:
    from planner.sensitivity import eta_text

    width = 30
    filled = int(width * done / max(total, 1))
    text = eta_text(done, total, elapsed) if done else f"0/{total} cases, starting"
    click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {text}", err=True, nl=done == total)


def _bracket(text: str) -> tuple[float, float]:
    """--range LO:HI as two numbers, LO < HI."""
    try:
        lo, hi = (float(x) for x in text.split(":"))
    except ValueError:
        raise UsageError(f"--range {text!r}: expected LO:HI, two numbers, e.g. --range 20:80") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise UsageError(f"--range {text!r}: expected LO:HI with finite LO < HI")
    return lo, hi


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--tornado", is_flag=True, help="Each Sensitivity-sheet parameter at its low and high value.")
@click.option("--fixed-design", is_flag=True, help="Also evaluate the base build under each change (sizes fixed).")
@click.option("--sweep", "sweeps", multiple=True, metavar="PARAM=LO:HI:N", help="Grid sweep (give one or two).")
@click.option("--breakeven", metavar="PARAM", help="Find the value of PARAM at which --until flips.")
@click.option("--until", metavar="CONDITION", help="e.g. mining_containers>0 or npv_usd>0 (with --breakeven).")
@click.option("--range", "bracket", metavar="LO:HI", help="Search interval for --breakeven (default: the "
              "Sensitivity row of PARAM, else base x0.5..x1.5).")
@click.option("--tol", type=float, default=None, help="Break-even tolerance (default 1 %% of the interval).")
@click.option("--samples", type=click.IntRange(min=1), default=None, help="Monte Carlo draws.")
@click.option("--design", "design_from", metavar="FOLDER[:ev]",
              help="Hold the design of a `planner run --stochastic` output folder fixed in every --samples and "
                   "--fixed-design case (FOLDER:ev: its expected-value design).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Local processes.")
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Submit cases to this Dask scheduler.")
@click.option("--dask-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds to wait for the Dask scheduler to answer (checked before the base case is solved).")
@click.option("--typical-days", type=click.IntRange(min=1), default=None, help="Solve each case on typical days.")
@click.option("--cold", is_flag=True, help="Rebuild the model for every case (no in-place re-pricing).")
@click.option("--gap", type=click.FloatRange(0, 1), default=0.005, show_default=True)
@click.option("--time-limit", type=click.FloatRange(min=1), default=1800, show_default=True)
@click.option("--mip-strategy", type=click.Choice(["auto", "bnb", "highs"]), default="auto", show_default=True,
              help="As for planner run: chosen from the model, the planner's branch and bound, or "
                   "HiGHS's MIP solver.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default outputs/<site>/sensitivity/).")
@click.option("--force", is_flag=True, help="Replace an existing sensitivity folder the planner wrote (never another).")
def sensitivity(workbook: Path, tornado: bool, fixed_design: bool, sweeps: tuple[str, ...], breakeven: str | None,
                until: str | None, bracket: str | None, tol: float | None, samples: int | None,
                design_from: str | None, seed: int,
                workers: int, dask_address: str | None, dask_timeout: float, typical_days: int | None, cold: bool,
                gap: float, time_limit: float, mip_strategy: str, out_dir: Path | None, force: bool) -> None:
    """What-if analysis of WORKBOOK: re-optimise under changed inputs, in parallel."""
    import pandas as pd

    from planner import sensitivity as sx
    from planner.cli_progress import print_solver_progress
    from planner.outputs import SENSITIVITY, check_destination, default_sensitivity_dir
    from planner.run import optimise
    from planner.scenario.params import get_param, numeric_param_names, suggest
    from planner.scenario.reader import read_workbook
    from planner.sensitivity_report import write_sensitivity
    from planner.solve import SolveOptions
    from planner.technologies import decisions

    if not (tornado or sweeps or breakeven or samples):
        raise UsageError("choose at least one of --tornado, --sweep, --breakeven, --samples")
    if breakeven and not until:
        raise UsageError("--breakeven needs --until CONDITION, e.g. --until 'mining_containers>0'")
    if len(sweeps) > 2:
        raise UsageError("--sweep takes one or two parameters")
    # every option is checked before the workbook is read, and the workbook before the base solve
    axes = [sx.parse_sweep(s) for s in sweeps]
    for option, name in [("--sweep", a) for a, _ in axes] + ([("--breakeven", breakeven)] if breakeven else []):
        if name not in numeric_param_names():
            raise UsageError(f"{option}: unknown parameter {name!r}{suggest(name)}; `planner params {workbook}` "
                             f"lists them")
    bracket_lo_hi = _bracket(bracket) if bracket else None
    if until:
        sx.parse_condition(until)
    if tol is not None and not (math.isfinite(tol) and tol > 0):
        raise UsageError(f"--tol {tol:g}: expected a positive number")
    if out_dir is not None:
        check_destination(out_dir, force, SENSITIVITY)
    held = _stochastic_design(design_from) if design_from else None
    sc = read_workbook(workbook)
    if held is not None:
        unknown = sorted(set(held) - {d.var for _t, d in decisions(sc)})
        if unknown:
            raise UsageError(f"--design {design_from}: the design's sizes {', '.join(unknown)} are not decisions of "
                             f"{workbook} (a run of another site, or a technology this workbook does not enable)")
    if tornado and not sc.sensitivity:
        raise UsageError("the workbook's Sensitivity sheet has no parameter rows for --tornado (parameter, low, high)")
    if out_dir is None:
        out_dir = default_sensitivity_dir(sc.site.name)
        check_destination(out_dir, force, SENSITIVITY)  # before the base solve, not after the cases
    if dask_address:
        from planner.parallel import check_dask

        click.echo(f"checking the Dask scheduler at {dask_address} ...", err=True)
        check_dask(dask_address, dask_timeout)
    opts = SolveOptions(mip_gap=gap, time_limit_s=time_limit, strategy=mip_strategy)
    click.echo(f"base case of {sc.site.name!r}: {sc.n_steps} hours, solving with HiGHS (gap {gap:g}, "
               f"time limit {time_limit:g} s) ...", err=True)
    base_result = optimise(sc, opts, progress=print_solver_progress, marginals=False, typical_days=typical_days)
    click.echo(f"base case: NPV {base_result.npv_usd / 1e6:,.2f} M USD ({base_result.solver.status}, "
               f"{base_result.solver.seconds:.1f} s)", err=True)
    base = {"site": sc.site.name, "npv_usd": base_result.npv_usd, "sizes": base_result.sizes}
    base_case = sx.CaseResult(-1, "base", {}, False, "ok", npv_usd=base_result.npv_usd, sizes=base_result.sizes)
    where = f"on Dask at {dask_address}" if dask_address else (
        f"in {workers} worker processes" if workers > 1 else "in this process")
    run = dict(opts=opts, workers=workers, dask=dask_address,
               base_sizes=base_result.new_sizes if held is None else {**base_result.new_sizes, **held},
               typical_days=typical_days, warm=not cold, progress=_progress)

    def cases_of(what: str, cases: list) -> list:
        click.echo(f"{what}: {len(cases)} cases {where}", err=True)
        return cases

    all_results, tables, extra = [], {}, {}
    if tornado:
        res = sx.run_cases(sc, cases_of("tornado", sx.tornado_cases(sc, fixed_design)), **run)
        all_results += res
        tables["tornado"] = pd.DataFrame(sx.tornado_table(sc, base_case, res))
        click.echo(tables["tornado"][["parameter", "npv_low_usd", "npv_high_usd", "build_changes"]].to_string(
            index=False))
    if axes:
        res = sx.run_cases(sc, cases_of("sweep", sx.sweep_cases(axes)), **run)
        all_results += res
        tables["sweep"] = pd.DataFrame([r.row() for r in res])
        click.echo(tables["sweep"][["label", "status", "npv_usd"]].to_string(index=False))
    if breakeven:
        if bracket_lo_hi:
            lo, hi = bracket_lo_hi
        else:
            row = next((r for r in sc.sensitivity if r.parameter == breakeven), None)
            b = get_param(sc, breakeven)
            lo, hi = (row.low, row.high) if row else (0.5 * b, 1.5 * b)
        click.echo(f"break-even of {breakeven} ({until}): bisection on [{lo:g}, {hi:g}] in this process",
                   err=True)
        be = sx.breakeven(sc, breakeven, until, lo, hi, tol if tol else (hi - lo) / 100, opts, typical_days)
        extra["breakeven"] = {"parameter": be.parameter, "condition": be.condition, "threshold": be.threshold,
                              "tolerance": be.tolerance, "evaluations": be.evaluations, "message": be.message}
        click.echo(be.message)
    if samples:
        drawn = sx.sample_cases(sc, samples, seed)
        if held is not None:  # every draw values the held design (its dispatch re-optimised)
            drawn = [dataclasses.replace(c, fixed_design=True) for c in drawn]
        res = sx.run_cases(sc, cases_of("Monte Carlo" + (" of the held design" if held else ""), drawn), **run)
        all_results += res
        extra["monte_carlo"] = sx.monte_carlo_stats(res)
        tables["samples"] = pd.DataFrame([r.row() for r in res])
        click.echo(_figures_text(extra["monte_carlo"]))
    failed = [r for r in all_results if r.status != "ok"]
    for r in failed:
        click.echo(f"case failed: {r.label}: {r.reason}", err=True)
    cases = pd.DataFrame([r.row() for r in all_results]) if all_results else pd.DataFrame()
    write_sensitivity(out_dir, base, cases, tables, extra, force=force)
    click.echo(f"wrote {out_dir}/ ({len(all_results)} cases, {len(failed)} failed)")


def _stochastic_design(text: str) -> dict[str, float]:
    """The new sizes (decision -> value) of a stochastic run folder's design, or of its expected-value design."""
    import json

    from planner.outputs import require_run_folder

    folder, _, which = text.rpartition(":") if text.endswith(":ev") else (text, "", "")
    require_run_folder(Path(folder), ("summary.json",))
    block = json.loads((Path(folder) / "summary.json").read_text()).get("stochastic")
    if not block:
        raise UsageError(f"--design {text}: {folder} holds a deterministic run; `planner run WB --stochastic` writes "
                         f"the designs --design reads")
    design = block.get("ev_design") if which == "ev" else block.get("design")
    if not design or not design.get("new_sizes"):
        raise UsageError(f"--design {text}: the run has no {'expected-value ' if which else ''}design")
    return {k: float(v) for k, v in design["new_sizes"].items()}


def _figures_text(figures: dict) -> str:
    """Monte Carlo statistics in one line, with the reports' labels and rounding."""
    from planner import fmt
    from planner.labels import Labels

    lab = Labels()
    return "; ".join(f"{lab.label('sensitivity', k)} {fmt.value(v, lab.unit('sensitivity', k))}"
                     for k, v in figures.items())
