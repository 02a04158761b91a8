"""What the command line shows while the solver works (used by `planner run` and `planner sensitivity`)."""

from __future__ import annotations

import click

from planner import fmt


def print_solver_progress(state: dict) -> None:
    """One line of progress: a phase of the run, or the elapsed time, incumbent NPV, bound and gap."""
    if "message" in state:  # a phase of the run (e.g. the marginal units)
        click.echo(f"  {state['message']}", err=True)
        return
    inc = state.get("incumbent")
    bound = state.get("bound")
    gap = state.get("gap")
    parts = [f"  {fmt.seconds(state['elapsed_s']):>9}"]
    parts.append(f"incumbent NPV {fmt.money(inc)}" if inc is not None else "no plan yet")
    if bound is not None and abs(bound) < 1e20:
        parts.append(f"bound {fmt.money(bound)}")
    if gap is not None and gap < 1e20:
        parts.append(f"gap {fmt.gap(gap)}")
    click.echo("  ".join(parts), err=True)
