"""The hourly series: what one column of the Hourly sheet holds, and when it is needed.

The columns themselves are declared with the input sheet they belong to (`HOURLY` on each section
class in planner/scenario/inputs.py); `inputs.HOURLY_COLUMNS` lists them in workbook order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HOURS_PER_YEAR = 8760


def _active(section: Any) -> bool:
    return section.active()


@dataclass(frozen=True)
class HourlyColumn:
    """One column of the Hourly sheet, declared on the input section that uses it."""

    name: str
    unit: str
    note: str
    lo: float | None = None
    hi: float | None = None
    # when the model uses the column (given its section), and when every hour must have a value
    used: Callable[[Any], bool] = _active
    required: Callable[[Any], bool] | None = _active  # None: blanks are always allowed
    blank_value: float = 0.0  # what a blank hour means where blanks are allowed
    # blanks filled from other columns: (section, hourly table) -> values for every hour
    fill: Callable[[Any, Any], Any] | None = None
    blank_means: str = ""  # says in words what a blank means (docs, template)
    extremes: tuple[str, ...] = ()  # typical days keep the extreme periods: min_period, max_value, min_value
    objective_only: bool = False  # a multiplier on this series only re-prices a built model
    # a median magnitude below this looks like a unit slip (e.g. a price in USD/kWh): (threshold, hint)
    median_at_least: tuple[float, str] | None = None
