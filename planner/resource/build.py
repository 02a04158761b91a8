"""From files to the workbook's hourly columns: what `planner resource` computes, one year in hour-of-year order
of the site's local standard time, with a Sources line for each file used."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.resource import pv, wind
from planner.resource.calendar import place, whole_hours, year_positions
from planner.resource.series import read_series
from planner.resource.weather import Weather
from planner.resource.workbook import sha256

PV_COLUMNS = ("pv_cf", "temperature_c")
WIND_COLUMNS = ("wind_speed_mps", "wind_cf")
PRICE_TARGETS = {"export": "export_price_usd_per_mwh", "import": "import_price_usd_per_mwh"}


@dataclass
class Columns:
    """Computed columns (8760 values each, hour-of-year order) and the Sources rows and warnings that go with them."""

    values: dict[str, np.ndarray] = field(default_factory=dict)
    sources: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data_years: dict[str, list[int]] = field(default_factory=dict)  # file name -> the years its rows are of

    def update(self, other: Columns) -> None:
        self.values.update(other.values)
        self.sources += other.sources
        self.warnings += other.warnings
        self.data_years.update(other.data_years)

    def year_warnings(self, workbook_year: int) -> list[str]:
        """A warning for each file whose rows are not of the workbook's year."""
        return [w for name, years in self.data_years.items() for w in year_note(years, workbook_year, name)]


def _site(w: Weather) -> tuple[float, float, float]:
    """(lat, lon, site UTC offset) or InputError saying which option to give."""
    missing = [opt for opt, v in (("--lat", w.latitude_deg), ("--lon", w.longitude_deg),
                                  ("--utc-offset", w.site_utc_offset_h)) if v is None]
    if missing:
        raise InputError([f"{w.name}: the {w.format} file does not give the site's "
                          f"{', '.join(missing).replace('--', '')}; give {' and '.join(missing)}"])
    return float(w.latitude_deg), float(w.longitude_deg), float(w.site_utc_offset_h)


def _on_site_year(w: Weather, values: np.ndarray, site_offset_h: float) -> np.ndarray:
    """A full year of the file's rows in the site's local standard time (hour-of-year order)."""
    pos = year_positions(w.stamps, w.name, w.lines)
    shift = whole_hours(site_offset_h - w.data_utc_offset_h, f"{w.name}: the shift from the file's time zone "
                                                                f"to the site's local standard time")
    return place(values, pos, shift)


def _file_line(w: Weather | Path, method: str) -> str:
    path = w.path if isinstance(w, Weather) else w
    kind = f"{w.format}, " if isinstance(w, Weather) else ""
    return f"{path.name} ({kind}sha256 {sha256(path)}); method: {method}"


def pv_columns(w: Weather, design: pv.PVDesign, sun_year: int | None = None) -> Columns:
    """pv_cf and temperature_c from a weather file with irradiance."""
    if w.ghi is None or w.temp_air_c is None:
        raise InputError([f"{w.name}: a {w.format} file has no irradiance (GHI, DNI, DHI); --pv needs an NSRDB, "
                          f"PVGIS or EPW file"])
    lat, lon, offset = _site(w)
    year_positions(w.stamps, w.name, w.lines)  # one full year, checked before the computation
    times = w.utc_stamps()
    if sun_year is not None:  # the file's clock times put on that year (29 February rows are dropped anyway)
        clock = pd.DatetimeIndex([t.replace(year=sun_year) if not (t.month == 2 and t.day == 29) else t
                                  for t in w.stamps])
        times = clock - pd.Timedelta(hours=w.data_utc_offset_h)
    speed = w.wind_mps[min(w.wind_mps)] if w.wind_mps else np.ones(len(times))  # cell cooling: the lowest speed
    # refraction pressure from pvlib's elevation map, as the examples were made (docs/resource.md, "PV")
    cf = pv.pv_cf(w.ghi, w.dni, w.dhi, w.temp_air_c, speed, times, lat, lon, design, elevation_m=None)
    out = Columns({"pv_cf": _on_site_year(w, cf, offset), "temperature_c": _on_site_year(w, w.temp_air_c, offset)})
    version = pv.require("pvlib", "planner resource --pv").__version__
    method = (f"planner resource --pv, pvlib {version} PVWatts chain (Hay-Davies, PVsyst cell temperature) at "
              f"lat {lat:g}, lon {lon:g}; {design.describe(lat)}; rows moved from UTC{w.data_utc_offset_h:+g} to "
              f"the site's UTC{offset:+g}")
    out.sources.append(("Hourly pv_cf, temperature_c", _file_line(w, method)))
    out.data_years[w.name] = sorted(set(w.stamps.year))
    return out


def wind_columns(w: Weather, design: wind.WindDesign, measured_m: float | None = None) -> Columns:
    """wind_speed_mps (hub height) and wind_cf (the catalog turbine's gross capacity factor)."""
    if not w.wind_mps:
        raise InputError([f"{w.name}: the file has no wind speed"])
    if measured_m is None:
        measured_m = min(w.wind_mps, key=lambda h: (abs(h - design.hub_height_m), -h))
    elif measured_m not in w.wind_mps:
        raise InputError([f"{w.name}: no wind speed measured at {measured_m:g} m (the file has "
                          f"{', '.join(f'{h:g} m' for h in sorted(w.wind_mps))})"])
    offset = w.site_utc_offset_h
    if offset is None:
        raise InputError([f"{w.name}: the file does not give the site's time zone; give --utc-offset"])
    year_positions(w.stamps, w.name, w.lines)
    speed = wind.hub_speed(w.wind_mps[measured_m], measured_m, design.hub_height_m, design.shear, design.alpha,
                           design.roughness_m)
    if design.air_density:
        if w.temp_air_c is None:
            raise InputError([f"{w.name}: --air-density needs the air temperature, which the file does not give"])
        rho = wind.air_density(w.temp_air_c, w.temp_height_m, design.hub_height_m, w.pressure_pa,
                               elevation_m=w.elevation_m or 0.0)
        speed = wind.density_equivalent_speed(speed, rho)
    speed_local = _on_site_year(w, speed, offset)
    out = Columns({"wind_speed_mps": speed_local,
                   "wind_cf": wind.wind_cf(speed_local, design.turbine, design.hub_height_m)})
    version = wind.require("windpowerlib", "planner resource --wind").__version__
    method = (f"planner resource --wind, windpowerlib {version}; {design.describe(measured_m)}; rows moved from "
              f"UTC{w.data_utc_offset_h:+g} to the site's UTC{offset:+g}")
    out.sources.append(("Hourly wind_speed_mps, wind_cf", _file_line(w, method)))
    out.data_years[w.name] = sorted(set(w.stamps.year))
    if design.air_density:
        out.warnings.append("wind_speed_mps holds the density-equivalent hub speed (IEC 61400-12-1), so the "
                            "planner's power curve on it gives the output at the site's air density")
    return out


def series_column(path: Path, target: str, column: str | None, what: str, multiplier: float = 1.0,
                  time_zone: str | None = None) -> Columns:
    """One workbook column from a timestamp-and-value CSV (a price or a flow)."""
    s = read_series(path, column, what, time_zone)
    values = s.on_year() * multiplier
    scale = f" x {multiplier:g}" if multiplier != 1.0 else ""
    method = (f"planner resource: column {s.column!r}{scale}, {s.stamps[0]:%Y-%m-%d %H:%M} to "
              f"{s.stamps[-1]:%Y-%m-%d %H:%M}, placed by month, day and hour (local standard time)")
    return Columns({target: values}, [(f"Hourly {target}", _file_line(path, method))], list(s.warnings),
                   {path.name: sorted(set(s.stamps.year))})


def year_note(w_years: list[int], workbook_year: int, name: str) -> list[str]:
    """A warning when the data's year is not the workbook's."""
    years = sorted(set(w_years))
    if years == [workbook_year] or len(years) > 2:  # a TMY's months come from many years: nothing to line up
        return []
    return [f"{name}: data of {', '.join(map(str, years))} placed on the workbook's year {workbook_year} by month, "
            f"day and hour (weekdays do not line up)"]
