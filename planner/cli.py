"""The `planner` command line: thin wrappers around the library. Exit codes: 0 ok, 1 no answer, 2 bad input
(or an environment the user can fix: a folder that exists, is read-only or on a full disk), 3 a bug, 130 Ctrl-C."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from planner import __version__
from planner.errors import InputError, PlannerError
from planner.outputs import describe_os_error

EXIT_OK, EXIT_SOLVER, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the click group, turning planner errors into messages and exit codes (no tracebacks)."""
    try:
        cli.main(args=argv, prog_name="planner", standalone_mode=False)
    except InputError as e:
        for w in e.warnings:
            click.echo(f"warning: {w}", err=True)
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_INPUT)
    except PlannerError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("interrupted: nothing was written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as e:  # the environment (a file or folder that cannot be read or written), not a bug
        if os.environ.get("PLANNER_DEBUG"):
            raise
        click.echo(f"error: {describe_os_error(e)}", err=True)
        sys.exit(EXIT_INPUT)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(EXIT_INPUT)
    except Exception as e:  # a bug: say so plainly; PLANNER_DEBUG=1 shows the traceback
        if os.environ.get("PLANNER_DEBUG"):
            raise
        click.echo(f"internal error ({type(e).__name__}: {e}). This is a bug in the planner; rerun with "
                   f"PLANNER_DEBUG=1 for details and report it.", err=True)
        for note in getattr(e, "__notes__", []):
            click.echo(note, err=True)
        sys.exit(3)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planner")
def cli() -> None:
    """Site investment planner: what to build at an energy site (generation, storage, grid line,
    AI data centre, Bitcoin mining), how big, and what it is worth (NPV), from an Excel workbook."""


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing input workbook (never any other file).")
def template(path: Path, force: bool) -> None:
    """Write the input workbook template (a valid, runnable scenario) to PATH."""
    from planner.outputs import replace_file
    from planner.scenario.template import is_input_workbook, template_scenario, write_workbook

    sc = template_scenario()
    replace_file(path, lambda tmp: write_workbook(sc, tmp), force, is_input_workbook,
                 "a planner input workbook, an .xlsx with the Site to Hourly sheets")
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
def validate(workbook: Path) -> None:
    """Check WORKBOOK and print every problem found (exit 0 if valid, 2 if not)."""
    from planner.outputs import default_run_dir
    from planner.scenario.reader import read_workbook

    sc = read_workbook(workbook)
    for w in sc.warnings:
        click.echo(f"warning: {w}")
    click.echo(f"{workbook}: valid ({sc.n_steps} hours, site {sc.site.name!r}; `planner run` writes "
               f"{default_run_dir(sc.site.name)}/)")


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
def params(workbook: Path) -> None:
    """List every input's dotted name with its value in WORKBOOK and its unit."""
    from planner.scenario.params import all_params, get_param
    from planner.scenario.reader import read_workbook

    sc = read_workbook(workbook)
    for p in all_params():
        if p.numeric:
            click.echo(f"{p.name:55s} {get_param(sc, p.name)!s:>14}  {p.unit}")


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default outputs/<site name>/, the name made safe for a folder).")
@click.option("--gap", type=click.FloatRange(0, 1), default=0.005, show_default=True,
              help="Relative MIP gap at which to stop.")
@click.option("--time-limit", type=click.FloatRange(min=1), default=1800, show_default=True,
              help="Solver time limit in seconds; the best plan found so far is returned, flagged.")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Parallel LPs in the branch and bound, and HiGHS threads (default: up to 2).")
@click.option("--force", is_flag=True, help="Replace an existing output folder the planner wrote (never another).")
@click.option("--no-marginals", is_flag=True, help="Skip the one-unit-more/less NPV re-solves.")
@click.option("--no-report", is_flag=True, help="Write only summary.json, dispatch.csv and cashflow.csv.")
@click.option("--solver-log", is_flag=True, help="Show HiGHS's own log.")
@click.option("--typical-days", type=click.IntRange(min=1), default=None,
              help="Size the plant on K typical days (+ extreme days), then re-dispatch the full year.")
@click.option("--mip-strategy", type=click.Choice(["bnb", "highs"]), default="bnb", show_default=True,
              help="bnb: branch and bound over the sizing integers, each node a warm-started HiGHS LP; "
                   "highs: HiGHS's own MIP solver (docs/performance.md).")
def run(workbook: Path, out_dir: Path | None, gap: float, time_limit: float, threads: int | None, force: bool,
        no_marginals: bool, no_report: bool, solver_log: bool, typical_days: int | None, mip_strategy: str) -> None:
    """Optimise the site in WORKBOOK and write the results and reports."""
    from planner.outputs import RUN, check_destination, default_run_dir, required_free_bytes
    from planner.run import optimise, write_outputs
    from planner.scenario.reader import read_workbook
    from planner.solve import SolveOptions

    if out_dir is not None:  # the output location is checked before the (slow) reading and the solve
        check_destination(out_dir, force, RUN, required_free_bytes())
    sc = read_workbook(workbook)
    for w in sc.warnings:
        click.echo(f"warning: {w}", err=True)
    out_dir = out_dir or default_run_dir(sc.site.name)
    check_destination(out_dir, force, RUN, required_free_bytes(sc.n_steps))  # again: before the solve
    click.echo(f"site {sc.site.name!r}: {sc.n_steps} hours; solving with HiGHS (gap {gap:g}, "
               f"time limit {time_limit:g} s); results to {out_dir}/")
    opts = SolveOptions(mip_gap=gap, time_limit_s=time_limit, threads=threads, log=solver_log,
                        strategy=mip_strategy)
    result = optimise(sc, opts, progress=_print_progress, marginals=not no_marginals, typical_days=typical_days,
                      baseline=True)
    writers = []
    if not no_report:
        from planner.report import write_reports

        writers.append(lambda _result, folder: write_reports(folder))
    write_outputs(result, out_dir, force=force, extra_writers=writers)
    _print_summary(result, out_dir)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def report(folder: Path) -> None:
    """Rebuild report.xlsx and report.html in FOLDER from its saved results (no solve)."""
    from planner.report import write_reports

    for path in write_reports(folder):
        click.echo(f"wrote {path}")


# --- commands defined in their own modules are registered here ---
from planner.sensitivity_cli import sensitivity  # noqa: E402

cli.add_command(sensitivity)


def _print_progress(state: dict) -> None:
    inc = state.get("incumbent")
    bound = state.get("bound")
    gap = state.get("gap")
    parts = [f"  {state['elapsed_s']:7.1f} s"]
    parts.append(f"incumbent NPV {inc / 1e6:,.2f} M USD" if inc is not None else "no plan yet")
    if bound is not None and abs(bound) < 1e20:
        parts.append(f"bound {bound / 1e6:,.2f} M USD")
    if gap is not None and gap < 1e20:
        parts.append(f"gap {100 * gap:.2f} %")
    click.echo("  ".join(parts), err=True)


def _print_summary(result, out_dir: Path) -> None:
    from planner.results import flow_table

    s = result.solver
    flag = "" if s.status == "optimal" else f"  [{s.status.upper()}: best plan found, not proven]"
    td = result.extra.get("typical_days")
    if td:
        click.echo(f"\nsized on {td['typical_days']} typical days + {td['extreme_periods']} extreme days: NPV "
                   f"{td['npv_typical_days_usd'] / 1e6:,.2f} M USD; full-year re-dispatch "
                   f"{td['npv_full_year_usd'] / 1e6:,.2f} M USD ({100 * td['npv_gap_relative']:+.2f} %)")
    gap = "n/a (no bound yet)" if s.mip_gap is None else f"{100 * s.mip_gap:.3f} %"
    click.echo(f"\nsolver: {s.status}, gap {gap}, {s.seconds:.1f} s, {s.nodes} nodes{flag}")
    pf = result.proforma
    irr = "n/a" if pf.irr is None else f"{100 * pf.irr:.1f} %"
    _print_investment(result)
    click.echo(f"plan NPV {result.npv_usd / 1e6:,.2f} M USD (pro-forma {pf.npv_usd / 1e6:,.2f} M USD)   "
               f"IRR {irr}   capex {result.capex_usd / 1e6:,.1f} M USD")
    _print_build(result)
    _print_binding_limits(result)
    e, labels = result.energy_mwh, result.labels
    uses = [f["energy_key"] for f in flow_table() if f["role"] == "demand" and f["energy_key"]]
    click.echo("energy by use (MWh/yr): " + ", ".join(
        f"{labels['energy'][k]['label']} {e[k]:,.0f}" for k in uses if e.get(k)))
    click.echo(f"wrote {out_dir}/")


def _musd(x: float | None) -> str:
    return "n/a" if x is None else f"{x / 1e6:,.2f} M USD"


def _print_investment(result) -> None:
    """The investment's NPV first (plan minus the do-nothing baseline), the baseline beside it."""
    inv, base = result.investment, result.baseline
    if inv is None or base is None:
        return
    if inv.npv_usd is None:
        click.echo(f"investment NPV n/a: {inv.reason}")
        return
    years = ("n/a" if inv.simple_payback_years is None else f"{inv.simple_payback_years:.1f} years")
    irr = "n/a" if inv.irr is None else f"{100 * inv.irr:.1f} %"
    click.echo(f"investment NPV {_musd(inv.npv_usd)} (plan {_musd(result.npv_usd)} minus do-nothing baseline "
               f"{_musd(base.npv_usd)})   IRR {irr}   payback {years}")
    if inv.reason:
        click.echo(f"  ({inv.reason})")


def _print_build(result) -> None:
    """Each size with its existing and new part; only the new part is recommended."""
    labels = result.labels["sizes"]
    rows = [(k, v) for k, v in result.sizes.items() if v]
    if not rows:
        return
    click.echo(f"build:{'':24s}{'existing':>12s}{'new':>12s}{'total':>12s}")
    for k, v in rows:
        new, old = result.sizes_new.get(k, 0.0), result.sizes_existing.get(k, 0.0)
        click.echo(f"  {labels[k]['label']:28s}{old:12,.2f}{new:12,.2f}{v:12,.2f} {labels[k]['unit']}")
    if not any(abs(v) > 1e-9 for v in result.sizes_new.values()):
        click.echo("  nothing new is recommended")


def _print_binding_limits(result) -> None:
    """The workbook limits that set the plan, in plain words."""
    if result.binding_limits:
        click.echo("limits that set the plan:")
        for b in result.binding_limits:
            click.echo(f"  - {b.text}")


if __name__ == "__main__":
    main()
