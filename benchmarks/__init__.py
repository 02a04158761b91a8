"""Benchmarks of the planner (each module's docstring says what it measures; results in benchmarks/results/)."""

from __future__ import annotations

from pathlib import Path


def one_period_example(path: str | Path):
    """An example workbook as the one-period model plans it: its Periods sheet dropped (permian_gas and phased_ai
    have one), so the single-period benchmarks measure what they always measured and stay comparable."""
    from planner.scenario.periods import without_periods
    from planner.scenario.reader import read_workbook

    return without_periods(read_workbook(path))
