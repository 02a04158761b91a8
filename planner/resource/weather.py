"""Weather files into one typed `Weather`: NSRDB/PSM CSV, WIND Toolkit CSV, PVGIS TMY and hourly CSV, EPW.

Every reader gives the rows' hour-beginning clock times in the file's own time zone (`data_utc_offset_h`),
irradiance (ghi, dni, dhi in W/m2), air temperature (degC), wind speeds by measurement height (m/s), and the
site's latitude, longitude, elevation and local standard time zone when the file carries them. A row
stamped at minute 30 (NSRDB, WIND Toolkit) or 10 (PVGIS hourly) belongs to the hour it lies in. Problems
raise InputError naming the file, line and column.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.resource import require

NSRDB, WTK, PVGIS_TMY, PVGIS_HOURLY, EPW = ("NSRDB/PSM CSV", "WIND Toolkit CSV", "PVGIS TMY CSV",
                                            "PVGIS hourly CSV", "EPW")
MAX_FILE_BYTES = 64 * 2**20
MAX_LISTED = 5


@dataclass
class Weather:
    """One weather file, typed: hourly rows and what the file says about the site."""

    path: Path
    format: str
    stamps: pd.DatetimeIndex  # hour-beginning clock times of the file's time zone (naive)
    data_utc_offset_h: float  # the file's clock minus UTC, hours (0 for UTC files)
    lines: np.ndarray  # the file line of each row (1-based), for messages
    ghi: np.ndarray | None = None  # W/m2
    dni: np.ndarray | None = None
    dhi: np.ndarray | None = None
    temp_air_c: np.ndarray | None = None
    temp_height_m: float = 2.0
    wind_mps: dict[float, np.ndarray] = field(default_factory=dict)  # measurement height (m) -> speed
    pressure_pa: np.ndarray | None = None
    latitude_deg: float | None = None
    longitude_deg: float | None = None
    elevation_m: float | None = None
    site_utc_offset_h: float | None = None  # the site's local standard time minus UTC, hours

    @property
    def name(self) -> str:
        return self.path.name

    def utc_stamps(self) -> pd.DatetimeIndex:
        """The rows' hour-beginning times in UTC (naive)."""
        return self.stamps - pd.Timedelta(hours=self.data_utc_offset_h)

    def with_site(self, latitude_deg: float | None = None, longitude_deg: float | None = None,
                  elevation_m: float | None = None, site_utc_offset_h: float | None = None) -> Weather:
        """A copy with the site's coordinates or time zone given on the command line (they override the file's)."""
        return replace(self, latitude_deg=_pick(latitude_deg, self.latitude_deg),
                       longitude_deg=_pick(longitude_deg, self.longitude_deg),
                       elevation_m=_pick(elevation_m, self.elevation_m),
                       site_utc_offset_h=_pick(site_utc_offset_h, self.site_utc_offset_h))


def _pick(given, found):
    return found if given is None else given


RANGES = {"ghi": (-10.0, 1500.0, "W/m2"), "dni": (-10.0, 1500.0, "W/m2"), "dhi": (-10.0, 1000.0, "W/m2"),
          "temp_air_c": (-90.0, 70.0, "degC")}
WIND_RANGE = (0.0, 80.0)


def read_weather(path: str | Path) -> Weather:
    """Read a weather file of any supported format (detected from its first lines), its values range-checked
    (a missing-value code such as EPW's 9999 is refused by line); irradiance a little below 0 (night-time sensor
    offsets) is read as 0."""
    w = _read_any(Path(path))
    problems = []
    for name, (lo, hi, unit) in RANGES.items():
        x = getattr(w, name)
        if x is not None:
            problems += _range_problem(w, name, x, lo, hi, unit)
            if name != "temp_air_c":
                setattr(w, name, np.maximum(x, 0.0))
    for h, x in w.wind_mps.items():
        problems += _range_problem(w, f"wind speed at {h:g} m", x, *WIND_RANGE, "m/s")
    if problems:
        raise InputError(problems)
    return w


def _range_problem(w: Weather, name: str, x: np.ndarray, lo: float, hi: float, unit: str) -> list[str]:
    bad = np.flatnonzero((x < lo) | (x > hi) | ~np.isfinite(x))
    if not bad.size:
        return []
    return [f"{w.name}, line {w.lines[bad[0]]}: {name} must be within {lo:g}..{hi:g} {unit}, found {x[bad[0]]:g} "
            f"({bad.size} row(s); a missing-value code?)"]


def _read_any(path: Path) -> Weather:
    head = _head(path)
    lines = head.splitlines()
    first = lines[0] if lines else ""
    if first.startswith("Source,") and len(lines) > 1 and lines[1].startswith("NSRDB"):
        return read_nsrdb(path)
    if first.startswith("SiteID,"):
        return read_wtk(path)
    if first.startswith("LOCATION,"):
        return read_epw(path)
    if first.startswith("Latitude (decimal degrees)"):
        return read_pvgis_tmy(path) if "time(UTC)" in head else read_pvgis_hourly(path)
    raise InputError([f"{path.name}: not a weather file the planner reads (expected an NSRDB/PSM CSV with two "
                      f"metadata rows, a WIND Toolkit CSV, a PVGIS TMY or hourly CSV, or an EPW file; the first line "
                      f"is {first[:80]!r})"])


def _head(path: Path) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError([f"{path}: file not found"]) from None
    if not path.is_file():
        raise InputError([f"{path}: not a file"])
    if size > MAX_FILE_BYTES:
        raise InputError([f"{path.name}: the file is {size / 2**20:.0f} MiB, more than the "
                          f"{MAX_FILE_BYTES // 2**20} MiB a year of hourly weather can need"])
    with open(path, "rb") as fh:
        raw = fh.read(20000)
    return raw.decode("utf-8-sig", errors="replace")


def _text(path: Path) -> str:
    _head(path)
    return path.read_bytes().decode("utf-8-sig", errors="replace")


def _numbers(df: pd.DataFrame, columns: list[str], where: str, first_line: int) -> dict[str, np.ndarray]:
    """The named columns as floats; InputError naming line and column of the first bad values."""
    out, problems = {}, []
    for c in columns:
        x = pd.to_numeric(df[c], errors="coerce").to_numpy(float)
        bad = np.flatnonzero(~np.isfinite(x))
        if bad.size:
            also = ", ".join(str(first_line + i) for i in bad[1:MAX_LISTED])
            more = f" and {bad.size - MAX_LISTED} more" if bad.size > MAX_LISTED else ""
            problems.append(f"{where}, line {first_line + bad[0]}, column {c!r}: expected a number, found "
                            f"{_found(df[c].iloc[bad[0]])}" + (f" (also lines {also}{more})" if also else ""))
        out[c] = x
    if problems:
        raise InputError(problems)
    return out


def _found(v) -> str:
    return "a blank" if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "" else repr(v)


def _need(df: pd.DataFrame, columns: list[str], where: str, header_line: int) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError([f"{where}, line {header_line}: column(s) {', '.join(repr(c) for c in missing)} missing "
                          f"(found {', '.join(repr(str(c)) for c in df.columns)})"])


def _stamps(parts: dict[str, np.ndarray], where: str, first_line: int) -> pd.DatetimeIndex:
    """Year/Month/Day/Hour columns as hour-beginning timestamps; InputError on impossible dates."""
    try:
        return pd.DatetimeIndex(pd.to_datetime({k.lower(): parts[k].astype(int) for k in
                                                ("Year", "Month", "Day", "Hour")}))
    except (ValueError, OverflowError) as e:
        raise InputError([f"{where}, from line {first_line}: Year/Month/Day/Hour do not form valid dates ({e})"]) \
            from None


def _meta_float(meta: dict[str, str], key: str, where: str) -> float | None:
    v = meta.get(key)
    if v is None or str(v).strip() in ("", "-"):
        return None
    try:
        return float(v)
    except ValueError:
        raise InputError([f"{where}, line 2: metadata {key!r} must be a number, found {v!r}"]) from None


# ------------------------------------------------------------------------------------------ NSRDB

def read_nsrdb(path: str | Path) -> Weather:
    """An NSRDB/PSM CSV (PSM v3 or v4, single year or TMY): two metadata rows, then Year,Month,Day,Hour,Minute,...

    Wind Speed is NSRDB's 2 m wind (MERRA-2); Time Zone is the data's offset, Local Time Zone the site's.
    """
    path = Path(path)
    text = _text(path)
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:2]))))
    if len(rows) < 2:
        raise InputError([f"{path.name}: an NSRDB file needs two metadata rows before the header"])
    meta = dict(zip([k.strip() for k in rows[0]], [v.strip() for v in rows[1]], strict=False))
    df = pd.read_csv(io.StringIO(text), skiprows=2, dtype=str, skipinitialspace=True, keep_default_na=False)
    df = df.loc[:, ~df.columns.str.startswith("Unnamed")]
    df.columns = [c.strip() for c in df.columns]
    cols = ["Year", "Month", "Day", "Hour", "GHI", "DNI", "DHI", "Temperature", "Wind Speed"]
    _need(df, cols, path.name, 3)
    x = _numbers(df, cols, path.name, 4)
    data_tz = _meta_float(meta, "Time Zone", path.name)
    local_tz = _meta_float(meta, "Local Time Zone", path.name)
    return Weather(path, NSRDB, _stamps(x, path.name, 4), data_tz or 0.0, np.arange(len(df)) + 4,
                   ghi=x["GHI"], dni=x["DNI"], dhi=x["DHI"], temp_air_c=x["Temperature"], temp_height_m=2.0,
                   wind_mps={2.0: x["Wind Speed"]}, latitude_deg=_meta_float(meta, "Latitude", path.name),
                   longitude_deg=_meta_float(meta, "Longitude", path.name),
                   elevation_m=_meta_float(meta, "Elevation", path.name),
                   site_utc_offset_h=local_tz if local_tz is not None else data_tz)


# ------------------------------------------------------------------------------------ WIND Toolkit

def read_wtk(path: str | Path) -> Weather:
    """A WIND Toolkit CSV: one metadata row (SiteID, Site Timezone, Data Timezone, Longitude, Latitude), then
    Year,Month,Day,Hour,Minute and `wind speed at 100m (m/s)`, `air temperature at 100m (C)`, ... columns."""
    path = Path(path)
    text = _text(path)
    first = next(csv.reader(io.StringIO(text.splitlines()[0])))
    meta = {first[i].strip(): first[i + 1].strip() for i in range(0, len(first) - 1, 2)}
    df = pd.read_csv(io.StringIO(text), skiprows=1, dtype=str, skipinitialspace=True, keep_default_na=False)
    df.columns = [c.strip() for c in df.columns]
    _need(df, ["Year", "Month", "Day", "Hour"], path.name, 2)
    speeds = {c: float(c.split("at ")[1].split("m")[0]) for c in df.columns if c.startswith("wind speed at ")}
    temps = [c for c in df.columns if c.startswith("air temperature at ")]
    if not speeds:
        raise InputError([f"{path.name}, line 2: no 'wind speed at <height>m (m/s)' column (found "
                          f"{', '.join(df.columns)})"])
    x = _numbers(df, ["Year", "Month", "Day", "Hour", *speeds, *temps[:1]], path.name, 3)
    temp_height = float(temps[0].split("at ")[1].split("m")[0]) if temps else 2.0
    site_tz = _meta_float(meta, "Site Timezone", path.name)
    return Weather(path, WTK, _stamps(x, path.name, 3), _meta_float(meta, "Data Timezone", path.name) or 0.0,
                   np.arange(len(df)) + 3, temp_air_c=x[temps[0]] if temps else None, temp_height_m=temp_height,
                   wind_mps={h: x[c] for c, h in speeds.items()},
                   latitude_deg=_meta_float(meta, "Latitude", path.name),
                   longitude_deg=_meta_float(meta, "Longitude", path.name), site_utc_offset_h=site_tz)


def _pvlib_read(path: Path, reader: str, what: str, **kw):
    """(data, meta) from one of pvlib's iotools readers; a file it cannot parse is an InputError naming it."""
    iotools = require("pvlib.iotools", f"reading {what}")
    try:
        return getattr(iotools, reader)(path, **kw)
    except (ValueError, IndexError, KeyError, TypeError) as e:
        raise InputError([f"{path.name}: cannot be read as {what} ({type(e).__name__}: {e})"]) from None


# ------------------------------------------------------------------------------------------- PVGIS

def read_pvgis_tmy(path: str | Path) -> Weather:
    """A PVGIS TMY CSV (pvlib's reader): UTC rows, G(h), Gb(n), Gd(h), T2m, WS10m (10 m), SP."""
    path = Path(path)
    _head(path)
    data, meta = _pvlib_read(path, "read_pvgis_tmy", "a PVGIS TMY CSV", pvgis_format="csv", map_variables=True)
    inputs = meta.get("inputs", meta)
    _need(data, ["ghi", "dni", "dhi", "temp_air", "wind_speed"], path.name, 17)
    stamps = pd.DatetimeIndex(data.index).tz_convert("UTC").tz_localize(None).floor("h")
    return Weather(path, PVGIS_TMY, stamps, 0.0, np.arange(len(data)) + 18,
                   ghi=_col(data, "ghi"), dni=_col(data, "dni"), dhi=_col(data, "dhi"),
                   temp_air_c=_col(data, "temp_air"), wind_mps={10.0: _col(data, "wind_speed")},
                   pressure_pa=_col(data, "pressure") if "pressure" in data else None,
                   latitude_deg=inputs.get("latitude"), longitude_deg=inputs.get("longitude"),
                   elevation_m=inputs.get("elevation"))


def read_pvgis_hourly(path: str | Path) -> Weather:
    """A PVGIS hourly (seriescalc) CSV with radiation components on a horizontal plane (slope 0): GHI = Gb(i) +
    Gd(i) + Gr(i), DHI = Gd(i), DNI = Gb(i) / sin(sun elevation H_sun); UTC rows; WS10m at 10 m."""
    path = Path(path)
    _head(path)
    data, meta = _pvlib_read(path, "read_pvgis_hourly", "a PVGIS hourly CSV", pvgis_format="csv",
                             map_variables=True)
    inputs = meta.get("inputs", {})
    slope = str(inputs.get("Slope", "0")).split()[0]
    needed = ["poa_direct", "poa_sky_diffuse", "solar_elevation", "temp_air", "wind_speed"]
    missing = [c for c in needed if c not in data]
    if missing or slope not in ("0", "0.0"):
        raise InputError([f"{path.name}: a PVGIS hourly file must hold the radiation components (Gb(i), Gd(i)) on a "
                          f"horizontal plane (slope 0) with H_sun, T2m and WS10m; found slope {slope!r} and columns "
                          f"{', '.join(map(str, data.columns))}. Download it with 'Radiation components' and slope 0"])
    beam, diffuse = _col(data, "poa_direct"), _col(data, "poa_sky_diffuse")
    ground = _col(data, "poa_ground_diffuse") if "poa_ground_diffuse" in data else np.zeros(len(data))
    sin_el = np.sin(np.radians(_col(data, "solar_elevation")))
    dni = np.where(sin_el > 0.01, beam / np.maximum(sin_el, 0.01), 0.0)
    stamps = pd.DatetimeIndex(data.index).tz_convert("UTC").tz_localize(None).floor("h")
    return Weather(path, PVGIS_HOURLY, stamps, 0.0, np.arange(len(data)) + 10, ghi=beam + diffuse + ground,
                   dni=dni, dhi=diffuse, temp_air_c=_col(data, "temp_air"), wind_mps={10.0: _col(data, "wind_speed")},
                   latitude_deg=inputs.get("latitude"), longitude_deg=inputs.get("longitude"),
                   elevation_m=inputs.get("elevation"))


def _col(data: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(data[name], errors="coerce").to_numpy(float)


# --------------------------------------------------------------------------------------------- EPW

def read_epw(path: str | Path) -> Weather:
    """An EnergyPlus weather file (pvlib's reader): local standard time (TZ of the LOCATION line), hour 1 =
    00:00-01:00; wind at 10 m; pressure from the file."""
    path = Path(path)
    _head(path)
    data, meta = _pvlib_read(path, "read_epw", "an EPW file")
    stamps = pd.DatetimeIndex(data.index).tz_localize(None)
    w = Weather(path, EPW, stamps, float(meta["TZ"]), np.arange(len(data)) + 9,
                ghi=_col(data, "ghi"), dni=_col(data, "dni"), dhi=_col(data, "dhi"),
                temp_air_c=_col(data, "temp_air"), wind_mps={10.0: _col(data, "wind_speed")},
                pressure_pa=_col(data, "atmospheric_pressure"), latitude_deg=float(meta["latitude"]),
                longitude_deg=float(meta["longitude"]), elevation_m=float(meta["altitude"]),
                site_utc_offset_h=float(meta["TZ"]))
    for name in ("ghi", "dni", "dhi", "temp_air_c"):
        x = getattr(w, name)
        bad = np.flatnonzero(~np.isfinite(x))
        if bad.size:
            raise InputError([f"{path.name}, line {w.lines[bad[0]]}: {name} is not a number ({bad.size} rows)"])
    return w
