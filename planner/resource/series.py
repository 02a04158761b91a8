"""A timestamp-and-value CSV (an hourly market price, a river flow) checked hour by hour and put on the
workbook's year (docs/resource.md, "Prices and flows").

The file holds a header row, a timestamp column (the first, or one named timestamp/time/datetime/date) and one
value column (the only other one, or the one named). Every hour of one year must appear exactly once, in local
standard time or with UTC offsets; a gap, a duplicate, a repeated or missing local hour (a daylight-saving
shift) and a value that is not a number are errors naming the file, line, what was expected and what was found.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.resource.calendar import place, year_positions
from planner.scenario.hourly import HOURS_PER_YEAR
from planner.scenario.numbers import parse_text_number

TIME_NAMES = ("timestamp", "time", "datetime", "date", "date_time", "time (utc)")
MAX_LISTED = 5
KNOWN_FORMATS = ("%b %d, %Y %I:%M %p", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M")  # SMARD, ...
MAX_FILE_BYTES = 64 * 2**20


@dataclass
class HourlySeries:
    """One value per hour of a year, as read from the file."""

    path: Path
    column: str
    stamps: pd.DatetimeIndex  # clock times, local standard time
    values: np.ndarray
    lines: np.ndarray  # file line of each row
    warnings: list[str]

    def on_year(self) -> np.ndarray:
        """The 8760 values in hour-of-year order (29 February dropped)."""
        pos = year_positions(self.stamps, self.path.name, self.lines)
        return place(self.values, pos, 0)


def read_series(path: str | Path, column: str | None = None, what: str = "price",
                time_zone: str | None = None) -> HourlySeries:
    """Read and check the CSV; InputError listing the problems.

    `time_zone` (an IANA name such as Europe/Berlin) reads timestamps without an offset as that zone's clock,
    daylight-saving time included (a repeated autumn hour is taken in file order), then as standard time."""
    path = Path(path)
    if not path.is_file():
        raise InputError([f"{path}: file not found" if not path.exists() else f"{path}: not a file"])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError([f"{path.name}: the file is larger than the {MAX_FILE_BYTES // 2**20} MiB a year of hourly "
                          f"values can need"])
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:5000], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise InputError([f"{path.name}: the file is empty (expected a header row, then a timestamp and a {what} "
                          f"per hour)"])
    header = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in header]
    tj = next((lower.index(n) for n in TIME_NAMES if n in lower), 0)
    # a date column followed by a time-of-day column (e.g. SMARD's "Date;Time of day") is read as one timestamp
    clock_j = tj + 1 if lower[tj] == "date" and tj + 1 < len(lower) and lower[tj + 1].startswith("time") else None
    others = [j for j, h in enumerate(header) if j not in (tj, clock_j) and h]
    if column is not None:
        if column not in header:
            raise InputError([f"{path.name}, line 1: no column {column!r} (found {', '.join(map(repr, header))})"])
        vj = header.index(column)
    elif len(others) == 1:
        vj = others[0]
    else:
        raise InputError([f"{path.name}, line 1: expected a timestamp column and one {what} column, found "
                          f"{len(header)} columns ({', '.join(map(repr, header))}); name the {what} column with "
                          f"--{what}-column"])
    data = [(i, r) for i, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    problems: list[str] = []
    stamps, values, lines, bad_time, bad_value = [], [], [], [], []
    raw_times = []
    for _line, r in data:
        raw_t = r[tj].strip() if tj < len(r) else ""
        if clock_j is not None:
            raw_t = f"{raw_t} {r[clock_j].strip() if clock_j < len(r) else ''}".strip()
        raw_times.append(raw_t)
    parsed = _stamps(raw_times)
    for (line, r), raw_t, t in zip(data, raw_times, parsed, strict=True):
        raw_v = r[vj].strip() if vj < len(r) else ""
        if t is None:
            bad_time.append((line, raw_t))
            continue
        v = parse_text_number(raw_v).value if raw_v else None
        if v is None or not math.isfinite(v):
            bad_value.append((line, raw_v))
        stamps.append(t)
        values.append(np.nan if v is None else v)
        lines.append(line)
    for bad, expect in ((bad_time, "a date and time such as 2018-01-01 00:00"), (bad_value, f"a number ({what})")):
        if bad:
            more = f" (also lines {', '.join(str(b[0]) for b in bad[1:MAX_LISTED])}" + (
                f" and {len(bad) - MAX_LISTED} more)" if len(bad) > MAX_LISTED else ")") if len(bad) > 1 else ""
            col = header[tj] if expect.startswith("a date") else header[vj]
            found = repr(bad[0][1]) if bad[0][1] else "a blank"
            problems.append(f"{path.name}, line {bad[0][0]}, column {col!r}: expected {expect}, found {found}{more}")
    if problems:
        raise InputError(problems)
    if not stamps:
        raise InputError([f"{path.name}: no data rows below the header"])
    if time_zone is not None:
        stamps = _localise(stamps, time_zone, path.name, lines)
    clock, warnings = _standard_time(stamps, path.name)
    idx = pd.DatetimeIndex(clock)
    lines_a = np.asarray(lines)
    problems = _order_problems(idx, lines_a, path.name)
    if problems:
        raise InputError(problems)
    return HourlySeries(path, header[vj], idx, np.asarray(values, dtype=float), lines_a, warnings)


def _stamps(raws: list[str]) -> list[pd.Timestamp | None]:
    """Every timestamp text parsed: at once in the format of the first (fast), row by row where that fails."""
    from pandas.tseries.api import guess_datetime_format

    fast = [pd.NaT] * len(raws)
    first = next((r for r in raws if r), "")
    for fmt in dict.fromkeys([guess_datetime_format(first), *KNOWN_FORMATS]):
        if fmt is None:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = pd.to_datetime(pd.Series(raws, dtype=object), format=fmt, errors="coerce")
        except (ValueError, TypeError, OverflowError):  # e.g. several UTC offsets: row by row
            continue
        if parsed.notna().mean() > 0.5:
            fast = list(parsed)
            break
    return [t if not pd.isna(t) else _stamp(r) for t, r in zip(fast, raws, strict=True)]


def _stamp(raw: str) -> pd.Timestamp | None:
    if not raw:
        return None
    try:
        t = pd.Timestamp(raw)
    except (ValueError, TypeError, OverflowError):
        return None
    return None if t is pd.NaT else t


def _localise(stamps: list[pd.Timestamp], zone: str, name: str, lines: list[int]) -> list[pd.Timestamp]:
    """Naive clock times of `zone` (with its daylight-saving time) as offset-aware timestamps."""
    if any(t.tzinfo is not None for t in stamps):
        raise InputError([f"{name}: the timestamps carry UTC offsets; a time zone is only for times without one"])
    try:
        aware = pd.DatetimeIndex(stamps).tz_localize(zone, ambiguous="infer", nonexistent="raise")
    except (KeyError, ValueError) as e:  # an unknown zone, or hours the zone's clock never shows
        if "zone" in str(e).lower() or isinstance(e, KeyError):
            raise InputError([f"{name}: unknown time zone {zone!r} (expected an IANA name such as Europe/Berlin)"]) \
                from None
        raise InputError([f"{name}: the times do not follow the clock of {zone} ({e}); check the time zone"]) \
            from None
    return list(aware)


def _standard_time(stamps: list[pd.Timestamp], name: str) -> tuple[list[pd.Timestamp], list[str]]:
    """Offsets (daylight-saving time) converted to the smallest one, the zone's standard time (as the reader)."""
    aware = [t.tzinfo is not None for t in stamps]
    if not any(aware):
        return stamps, []
    if not all(aware):
        i = aware.index(not aware[0])
        raise InputError([f"{name}: some timestamps carry a UTC offset and others do not (row {i + 1} of the data "
                          f"differs from the first); write them all the same way"])
    offsets = sorted({t.utcoffset() for t in stamps})
    std = offsets[0]
    clock = [t.tz_convert("UTC").tz_localize(None) + std for t in stamps]
    warn = []
    if len(offsets) > 1:
        shown = ", ".join(_offset(o) for o in offsets)
        warn.append(f"{name}: timestamps carry the UTC offsets {shown} (daylight-saving "
                    f"time); converted to local standard time (the smallest offset), so each hour appears once")
    return clock, warn


def _offset(o) -> str:
    minutes = int(o.total_seconds() // 60)
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _dst_hint(t: pd.Timestamp) -> str:
    """A hint when a one-hour gap or repeat looks like a daylight-saving shift."""
    if t.month in (3, 4, 10, 11) and t.dayofweek == 6 and 0 <= t.hour <= 3:
        return ("; on a Sunday night of " + ("spring" if t.month in (3, 4) else "autumn") + " this looks like a "
                "daylight-saving shift (a local hour skipped in spring and repeated in autumn): give the file's time "
                "zone (--price-tz or --flow-tz, e.g. Europe/Berlin), or the times in local standard time or with "
                "their UTC offsets (e.g. 2018-03-25T03:00+02:00)")
    return ""


def _order_problems(idx: pd.DatetimeIndex, lines: np.ndarray, name: str) -> list[str]:
    """Duplicates, gaps, backward steps and a length other than a year, each named by line."""
    problems = []
    dup = idx.duplicated(keep="first")
    for i in np.flatnonzero(dup)[:MAX_LISTED]:
        first = int(np.flatnonzero(idx == idx[i])[0])
        problems.append(f"{name}, line {lines[i]}: the hour {idx[i]:%Y-%m-%d %H:%M} appears twice (also line "
                        f"{lines[first]}); expected each hour once{_dst_hint(idx[i])}")
    steps = np.diff(((idx - idx[0]) / pd.Timedelta(hours=1)).to_numpy(float)) if len(idx) > 1 else np.array([])
    for i in np.flatnonzero((steps != 1) & (steps != 0))[:MAX_LISTED]:
        a, b = idx[i], idx[i + 1]
        if steps[i] < 0:
            problems.append(f"{name}, line {lines[i + 1]}: the time goes back from {a:%Y-%m-%d %H:%M} (line "
                            f"{lines[i]}) to {b:%Y-%m-%d %H:%M}; rows must be in time order")
        elif steps[i] > 1:
            gap = a + pd.Timedelta(hours=1)
            missing = int(round(steps[i])) - 1
            problems.append(f"{name}, line {lines[i + 1]}: {missing} hour(s) missing after {a:%Y-%m-%d %H:%M} (line "
                            f"{lines[i]}): expected {gap:%Y-%m-%d %H:%M}, found {b:%Y-%m-%d %H:%M}{_dst_hint(gap)}")
        else:
            problems.append(f"{name}, line {lines[i + 1]}: {b:%Y-%m-%d %H:%M} is not a whole hour after "
                            f"{a:%Y-%m-%d %H:%M}; expected hourly rows")
    if not problems:
        n = len(idx) - int(((idx.month == 2) & (idx.day == 29)).sum())
        if n != HOURS_PER_YEAR:
            problems.append(f"{name}: {len(idx)} hourly rows from {idx[0]:%Y-%m-%d %H:%M} (line {lines[0]}) to "
                            f"{idx[-1]:%Y-%m-%d %H:%M} (line {lines[-1]}); expected one full year, {HOURS_PER_YEAR} "
                            f"hours (or {HOURS_PER_YEAR + 24} with 29 February)")
    return problems
