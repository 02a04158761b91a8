"""Hours of a year: each hourly row keyed by its hour of the (non-leap) year, and a full year put on another
year and time zone by that key (docs/resource.md, "Time")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.scenario.hourly import HOURS_PER_YEAR

MAX_LISTED = 5


def hour_of_year(stamps: pd.DatetimeIndex) -> np.ndarray:
    """0..8759 for each timestamp's month, day and hour (29 February gives -1): the year itself is ignored."""
    stamps = pd.DatetimeIndex(stamps)
    ref = pd.to_datetime({"year": 2001, "month": stamps.month, "day": np.where(
        (stamps.month == 2) & (stamps.day == 29), 28, stamps.day), "hour": stamps.hour})
    h = ((ref - pd.Timestamp(2001, 1, 1)) / pd.Timedelta(hours=1)).to_numpy().astype(int)
    return np.where((stamps.month == 2) & (stamps.day == 29), -1, h)


def year_positions(stamps: pd.DatetimeIndex, where: str, lines: np.ndarray | None = None,
                   what: str = "hour") -> np.ndarray:
    """Hour of year of every row of a file holding one full year (29 February allowed and dropped: -1).

    InputError naming `where` and the file lines when an hour appears twice or is missing."""
    h = hour_of_year(stamps)
    lines = np.arange(len(h)) + 1 if lines is None else np.asarray(lines)
    problems = []
    kept = h[h >= 0]
    seen: dict[int, int] = {}
    dups = []
    for i, k in enumerate(h):
        if k < 0:
            continue
        if k in seen:
            dups.append((i, seen[k]))
        else:
            seen[k] = i
    for i, first in dups[:MAX_LISTED]:
        problems.append(f"{where}, line {lines[i]}: the {what} {_show(stamps[i])} appears twice (also line "
                        f"{lines[first]}); each hour of the year must appear once")
    missing = sorted(set(range(HOURS_PER_YEAR)) - set(kept.tolist()))
    if missing:
        first = pd.Timestamp(2001, 1, 1) + pd.Timedelta(hours=missing[0])
        problems.append(f"{where}: {len(missing)} hour(s) of the year are missing, the first "
                        f"{first:%d %b} {first:%H}:00 (expected one row for every hour of a year, "
                        f"{HOURS_PER_YEAR} rows, or {HOURS_PER_YEAR + 24} with 29 February; found {len(h)} rows)")
    if problems:
        raise InputError(problems)
    return h


def place(values: np.ndarray, positions: np.ndarray, shift_h: int) -> np.ndarray:
    """The 8760 values of a full year, moved `shift_h` hours later on the clock, by hour of year.

    `positions` are the rows' hours of year (-1 rows are dropped). The hours that move past the end of the
    year come back at its start (and the other way round): the year is treated as a cycle.
    """
    out = np.full(HOURS_PER_YEAR, np.nan)
    keep = positions >= 0
    out[(positions[keep] + shift_h) % HOURS_PER_YEAR] = np.asarray(values, dtype=float)[keep]
    return out


def _show(t: pd.Timestamp) -> str:
    return f"{t:%Y-%m-%d %H:%M}"


def whole_hours(offset_h: float, what: str) -> int:
    """A time-zone shift as whole hours, or InputError: hourly rows cannot move by a fraction of an hour."""
    if abs(offset_h - round(offset_h)) > 1e-9:
        raise InputError([f"{what} is {offset_h:g} h, not a whole number of hours: hourly rows cannot be moved "
                          f"by a fraction of an hour; give data in the site's local standard time"])
    return int(round(offset_h))
