"""The `planner` command line: thin wrappers around the library.

Exit codes: 0 ok, 1 no answer, 2 bad input (or an environment the user can fix: a folder that exists, is
read-only or on a full disk), 3 a bug, 128 + signal when interrupted (130 SIGINT, 143 SIGTERM, 129 SIGHUP;
planner/solve/stop.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from planner import fmt
from planner.cli_progress import print_solver_progress
from planner.errors import InputError, PlannerError, UsageError
from planner.outputs import describe_os_error
from planner.version import __version__

EXIT_OK, EXIT_SOLVER, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the click group, turning planner errors into messages and exit codes (no tracebacks).

    SIGINT, SIGTERM and SIGHUP stop the run like Ctrl-C: every HiGHS run stops within about a second,
    worker processes are ended, nothing is written, and the exit code is 128 + the signal's number.
    """
    from planner.solve.stop import install_signal_handlers

    install_signal_handlers()
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
    except click.exceptions.Abort as e:  # click turns a KeyboardInterrupt (Interrupted is one) into Abort
        _interrupted(e.__cause__)
    except KeyboardInterrupt as e:
        _interrupted(e)
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


def _interrupted(e: BaseException | None) -> None:
    from planner.solve.stop import Interrupted

    if isinstance(e, Interrupted):
        click.echo(f"{e}: stopped, nothing was written", err=True)
        sys.exit(e.exit_code)
    click.echo("interrupted: nothing was written", err=True)
    sys.exit(EXIT_INTERRUPTED)


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
@click.option("--node-limit", type=click.IntRange(min=1), default=None,
              help="Stop after N branch-and-bound nodes; the best plan found so far is returned, flagged.")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Parallel LPs in the branch and bound, and HiGHS threads (default: up to 2).")
@click.option("--force", is_flag=True, help="Replace an existing output folder the planner wrote (never another).")
@click.option("--no-marginals", is_flag=True, help="Skip the one-unit-more/less NPV re-solves.")
@click.option("--no-report", is_flag=True, help="Write only summary.json, dispatch.csv and cashflow.csv.")
@click.option("--solver-log", is_flag=True, help="Show HiGHS's own log.")
@click.option("--typical-days", type=click.IntRange(min=0), default=None,
              help="Size the plant on K typical days (+ extreme days), then re-dispatch the full year. A "
                   "multi-period workbook (Periods sheet) sizes on 48 unless told; 0 sizes it on full years.")
@click.option("--mip-strategy", type=click.Choice(["auto", "bnb", "highs"]), default="auto", show_default=True,
              help="auto: HiGHS's MIP solver for a model with one integer fleet, else bnb; bnb: branch and bound "
                   "over the sizing integers, each node a warm-started HiGHS LP; highs: HiGHS's own MIP solver "
                   "(docs/performance.md).")
@click.option("--stochastic", is_flag=True,
              help="Size for the scenarios of the Uncertainty sheet (two-stage: one design, a dispatch per scenario) "
                   "on --typical-days (default 48) each, and value it against the expected-value design "
                   "(docs/uncertainty.md).")
@click.option("--scenarios", "n_scenarios", type=click.IntRange(min=1, max=200), default=None,
              help="With --stochastic: scenarios to solve (overrides Uncertainty.scenarios).")
@click.option("--risk-aversion", type=click.FloatRange(0, 1), default=None,
              help="With --stochastic: lambda of (1-lambda) E[NPV] + lambda CVaR (overrides "
                   "Uncertainty.risk_aversion).")
@click.option("--cvar-alpha", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="With --stochastic: the worst share of outcomes the CVaR averages, e.g. 0.1 (overrides "
                   "Uncertainty.cvar_alpha).")
@click.option("--two-stage", "two_stage", type=click.Choice(["auto", "extensive", "benders"]), default=None,
              help="With --stochastic: solve the whole extensive form, or by Benders decomposition scenario by "
                   "scenario (default auto: Benders for more than one scenario; docs/stochastic.md).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --stochastic: local processes for the scenarios' own optima (perfect information).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="With --stochastic: solve the scenarios' own optima on this Dask scheduler (e.g. tcp://host:8786).")
def run(workbook: Path, out_dir: Path | None, gap: float, time_limit: float, node_limit: int | None,
        threads: int | None, force: bool, no_marginals: bool, no_report: bool, solver_log: bool,
        typical_days: int | None, mip_strategy: str, stochastic: bool, n_scenarios: int | None,
        risk_aversion: float | None, cvar_alpha: float | None, two_stage: str | None, workers: int,
        dask_address: str | None) -> None:
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
                        strategy=mip_strategy, node_limit=node_limit)
    from planner.scenario.periods import multi_period

    if multi_period(sc) and stochastic:
        raise UsageError("--stochastic over investment periods is not offered yet: run the Periods sheet "
                         "deterministically, or --stochastic on a single-period workbook (docs/periods.md)")
    if stochastic:
        result = _run_stochastic(sc, opts, typical_days, n_scenarios, risk_aversion, cvar_alpha, two_stage, workers,
                                 dask_address)
    else:
        if any(x is not None for x in (n_scenarios, risk_aversion, cvar_alpha, two_stage, dask_address)) or workers > 1:
            raise UsageError("--scenarios, --risk-aversion, --cvar-alpha, --two-stage, --workers and --dask need "
                             "--stochastic")
        if multi_period(sc):
            _say_periods(sc, typical_days)
        result = optimise(sc, opts, progress=print_solver_progress, marginals=not no_marginals,
                          typical_days=typical_days, baseline=True)
    writers = []
    if not no_report:
        from planner.report import write_reports

        writers.append(lambda _result, folder: write_reports(folder))
    write_outputs(result, out_dir, force=force, extra_writers=writers)
    _print_summary(result, out_dir)


def _say_periods(sc, typical_days: int | None) -> None:
    """What `planner run` will do with a workbook of several investment periods (planner/run.py: optimise plans
    it over them, on 48 typical days unless told; 0 = full years)."""
    from planner.periods import DEFAULT_TYPICAL_DAYS

    days = DEFAULT_TYPICAL_DAYS if typical_days is None else typical_days
    click.echo(f"{len(sc.investment_periods)} investment periods, sized on "
               f"{f'{days} typical days' if days else 'full years'} each (docs/periods.md)")


def _print_periods(result, lab) -> None:
    """Each investment period's capacity in service, with what it builds (+) and retires (-)."""
    periods = result.extra.get("periods")
    if not periods or len(periods) < 2:
        return
    keys = [k for k in periods[0]["sizes"] if any(p["sizes"].get(k) for p in periods)]
    click.echo("by period (in service, +built / -retired at its start):")
    click.echo(f"  {'':28s}" + "".join(f"{p['start_year']:>16d}" for p in periods))
    for k in keys:
        unit = lab.unit("sizes", k)
        cells = []
        for p in periods:
            moved = p["sizes_new"].get(k, 0.0) - p["sizes_retired"].get(k, 0.0)
            change = f" ({'+' if moved > 0 else '-'}{fmt.size(abs(moved), unit)})" if abs(moved) > 1e-9 else ""
            cells.append(f"{fmt.size(p['sizes'].get(k, 0.0), unit)}{change}")
        click.echo(f"  {lab.label('sizes', k):28s}" + "".join(f"{c:>16s}" for c in cells) + f" {unit}")


def _run_stochastic(sc, opts, typical_days: int | None, n_scenarios: int | None, risk_aversion: float | None,
                    cvar_alpha: float | None, two_stage: str | None, workers: int, dask_address: str | None):
    """The stochastic plan of `planner run --stochastic`, its figures printed (planner/stochastic.py)."""
    from planner.scenario.uncertainty import scenarios
    from planner.stochastic import DEFAULT_TYPICAL_DAYS, Settings, optimise_stochastic

    if dask_address:  # SetupError (exit 2) now rather than after the extensive form
        from planner.parallel import check_dask

        check_dask(dask_address)
    u = sc.uncertainty
    settings = Settings(risk_aversion=u.risk_aversion if risk_aversion is None else risk_aversion,
                        cvar_alpha=u.cvar_alpha if cvar_alpha is None else cvar_alpha,
                        typical_days=typical_days or DEFAULT_TYPICAL_DAYS, method=two_stage or Settings.method,
                        workers=workers, dask=dask_address)
    scens = scenarios(sc, n_scenarios)
    result = optimise_stochastic(sc, scens, settings, opts, progress=click.echo)
    _print_stochastic(result.extra["stochastic"])
    return result


def _print_stochastic(b: dict) -> None:
    """The stochastic design's distribution against the expected-value design's, VSS, EVPI and hedge values."""
    ev = b.get("ev_design") or {}
    share = f"worst {100 * b['cvar_alpha']:g} %"
    click.echo(f"\nstochastic design over {len(b['scenarios'])} scenarios (solver {b['solver']['status']}, "
               f"gap {fmt.gap(b['solver']['mip_gap'] or 0.0)}):")
    click.echo(f"  {'':26s}{'stochastic':>14s}{'expected-value':>16s}")
    for key, label in (("expected_npv_usd", "expected NPV"), ("cvar_usd", f"CVaR ({share})"), ("p10_usd", "P10"),
                       ("p50_usd", "P50"), ("p90_usd", "P90")):
        click.echo(f"  {label:26s}{fmt.money(b[key]):>14s}{fmt.money(ev[key]) if key in ev else 'n/a':>16s}")
    click.echo(f"  {'probability of a loss':26s}{fmt.percent(b['probability_of_loss']):>14s}"
               f"{fmt.percent(ev['probability_of_loss']) if ev else 'n/a':>16s}")
    for key, label in (("vss_usd", "value of the stochastic solution (VSS)"),
                       ("evpi_usd", "expected value of perfect information (EVPI)")):
        click.echo(f"  {label}: {'n/a' if b[key] is None else fmt.money(b[key])}")
    for tech, value in b["value_of_flexibility_usd"].items():
        if value is not None:
            click.echo(f"  value of new {tech} as a hedge: {fmt.money(value)}")


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def report(folder: Path) -> None:
    """Rebuild report.xlsx and report.html in FOLDER from its saved results (no solve)."""
    from planner.report import write_reports

    for path in write_reports(folder):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for compare.xlsx and compare.html (default: a new outputs/compare-<UTC time>/).")
@click.option("--force", is_flag=True, help="Replace an existing comparison folder the planner wrote (never another).")
def compare(folders: tuple[Path, ...], out_dir: Path | None, force: bool) -> None:
    """Compare the runs in FOLDERS (output folders of `planner run`): a ranking by investment NPV, a chart of NPV
    and capex, and the inputs that differ, written to compare.xlsx and compare.html (docs/compare.md)."""
    from planner.compare import compare as compare_runs
    from planner.compare import default_out_dir
    from planner.outputs import COMPARE, check_destination
    from planner.report.compare import columns, shown, write_comparison

    if out_dir is not None:
        check_destination(out_dir, force, COMPARE)
    comp = compare_runs(list(folders))
    for note in comp.notes:
        click.echo(f"note: {note}", err=True)
    out_dir = out_dir or default_out_dir()
    write_comparison(comp, out_dir, force=force)
    cols = {c.id: c for c in columns(comp)}
    width = max(len(r.name) for r in comp.runs)
    click.echo(f"{'rank':>4}  {'run':{width}s}  {'investment NPV':>16}  {'IRR':>8}  {'capex':>14}")
    for i, r in enumerate(comp.runs, start=1):
        figures = [shown(cols[k].value(r), cols[k].kind) for k in ("investment-npv", "investment-irr", "capex")]
        click.echo(f"{i:>4}  {r.name:{width}s}  {figures[0]:>16}  {figures[1]:>8}  {figures[2]:>14}")
    n = len(comp.differences)
    click.echo(f"{n} input{'s' if n != 1 else ''} differ between the runs")
    click.echo(f"wrote {out_dir / 'compare.xlsx'} and {out_dir / 'compare.html'}")


# --- commands defined in their own modules are registered here ---
from planner.resource_cli import resource  # noqa: E402
from planner.sensitivity_cli import sensitivity  # noqa: E402

cli.add_command(sensitivity)
cli.add_command(resource)


def _unproven_flag(status: str, termination: str, what: str = "") -> str:
    """'' for a proven plan, else the flag printed next to the solver line (the plan is written all the same)."""
    if status == "optimal":
        return ""
    if status == "gap_not_reached":
        return f"  [{what}GAP_NOT_REACHED: best plan found, the requested gap was not proved: {termination}]"
    return f"  [{what}{status.upper()}: best plan found, not proven]"


def _print_summary(result, out_dir: Path) -> None:
    """The plan in a few lines, with the reports' labels (planner/labels.py) and rounding (planner/fmt.py)."""
    from planner.labels import Labels
    from planner.results import flow_table

    lab = Labels(result.labels)
    s = result.solver
    td = result.extra.get("typical_days")
    flag = _unproven_flag(s.status, s.termination)
    if td and not flag:  # the typical-day sizing is what decided the build
        sizing = td["sizing_solver"]
        flag = _unproven_flag(sizing["status"], sizing["termination"], "typical-day sizing: ")
    if td and result.extra.get("stochastic"):
        click.echo(f"\nsized on {td['typical_days']} typical days + {td['extreme_periods']} extreme days per scenario "
                   f"(expected NPV {fmt.money(td['npv_typical_days_usd'])} there); the plan below is the design in "
                   f"the workbook's own year")
    elif td:
        click.echo(f"\nsized on {td['typical_days']} typical days + {td['extreme_periods']} extreme days: NPV "
                   f"{fmt.money(td['npv_typical_days_usd'])}; full-year re-dispatch "
                   f"{fmt.money(td['npv_full_year_usd'])} ({100 * td['npv_gap_relative']:+.2f} %)")
    gap = "n/a (no bound yet)" if s.mip_gap is None else fmt.gap(s.mip_gap)
    click.echo(f"\nsolver: {s.status}, gap {gap}, {fmt.seconds(s.seconds)}, {fmt.count(s.nodes)} nodes{flag}")
    pf = result.proforma
    _print_investment(result)
    click.echo(f"plan NPV {fmt.money(result.npv_usd)} (pro-forma {fmt.money(pf.npv_usd)})   "
               f"IRR {fmt.percent(pf.irr)}   capex {fmt.money(result.capex_usd)}")
    _print_build(result, lab)
    _print_periods(result, lab)
    _print_binding_limits(result)
    e = result.energy_mwh
    uses = [f["energy_key"] for f in flow_table() if f["role"] == "demand" and f["energy_key"]]
    click.echo("energy by use (MWh/yr): " + ", ".join(
        f"{lab.label('energy', k)} {fmt.count(e[k])}" for k in uses if e.get(k)))
    click.echo(f"wrote {out_dir}/")


def _print_investment(result) -> None:
    """The investment's NPV first (plan minus the do-nothing baseline), the baseline beside it."""
    inv, base = result.investment, result.baseline
    if inv is None or base is None:
        return
    if inv.npv_usd is None:
        click.echo(f"investment NPV n/a: {inv.reason}")
        return
    click.echo(f"investment NPV {fmt.money(inv.npv_usd)} (plan {fmt.money(result.npv_usd)} minus do-nothing "
               f"baseline {fmt.money(base.npv_usd)})   IRR {fmt.percent(inv.irr)}   payback "
               f"{fmt.years(inv.simple_payback_years)}")
    if inv.reason:
        click.echo(f"  ({inv.reason})")


def _print_build(result, lab) -> None:
    """Each size with its existing and new part; only the new part is recommended."""
    rows = [(k, v) for k, v in result.sizes.items() if v]
    if not rows:
        return
    click.echo(f"build:{'':24s}{'existing':>12s}{'new':>12s}{'total':>12s}")
    for k, v in rows:
        new, old = result.sizes_new.get(k, 0.0), result.sizes_existing.get(k, 0.0)
        unit = lab.unit("sizes", k)
        click.echo(f"  {lab.label('sizes', k):28s}{fmt.size(old, unit):>12}{fmt.size(new, unit):>12}"
                   f"{fmt.size(v, unit):>12} {unit}")
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
