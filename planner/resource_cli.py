"""`planner resource`: weather, price and flow files into a workbook's Hourly columns (docs/resource.md)."""

from __future__ import annotations

import math
from pathlib import Path

import click

from planner.errors import InputError, UsageError


@click.command()
@click.argument("weather", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The planner workbook whose Hourly sheet gets the columns (changed in place unless -o).")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the changed workbook here instead (an existing file only with --force, and only a "
                   "planner input workbook).")
@click.option("--force", is_flag=True, help="With -o: replace an existing planner input workbook.")
@click.option("--pv", "do_pv", is_flag=True, help="Write pv_cf (and temperature_c) from WEATHER's irradiance.")
@click.option("--wind", "do_wind", is_flag=True, help="Write wind_speed_mps (hub height) and wind_cf.")
@click.option("--wind-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Take the wind from this file (e.g. a WIND Toolkit CSV) instead of WEATHER.")
@click.option("--price", "price", type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV of a timestamp and an hourly price (USD/MWh).")
@click.option("--price-column", help="The price column's header, when the CSV has several value columns.")
@click.option("--price-target", type=click.Choice(["export", "import"]), default="export", show_default=True,
              help="Which Hourly price column the prices go to.")
@click.option("--price-multiplier", type=float, default=1.0, show_default=True,
              help="Multiply the prices (e.g. 1.10 for EUR to USD).")
@click.option("--price-tz", help="The price file's time zone when its times are local clock times with daylight-"
                                 "saving time (an IANA name, e.g. Europe/Berlin).")
@click.option("--flow", "flow", type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV of a timestamp and the river flow (m3/s) for the run-of-river turbines.")
@click.option("--flow-column", help="The flow column's header, when the CSV has several value columns.")
@click.option("--flow-tz", help="The flow file's time zone, as --price-tz.")
@click.option("--lat", type=click.FloatRange(-90, 90), help="Site latitude (overrides the file's).")
@click.option("--lon", type=click.FloatRange(-180, 180), help="Site longitude (overrides the file's).")
@click.option("--elevation-m", type=float, help="Site elevation, m (overrides the file's; air density).")
@click.option("--utc-offset", type=click.FloatRange(-12, 14),
              help="The site's local standard time minus UTC, hours (overrides the file's).")
@click.option("--tracking/--fixed", default=True, show_default=True, help="Single-axis tracker or fixed tilt.")
@click.option("--tilt-deg", type=click.FloatRange(0, 90), help="Fixed tilt (default: latitude, at most 40).")
@click.option("--azimuth-deg", type=click.FloatRange(0, 360), help="Fixed azimuth (default: facing the equator).")
@click.option("--dc-ac", type=click.FloatRange(0.8, 2.5), default=1.3, show_default=True, help="DC/AC ratio.")
@click.option("--losses", type=click.FloatRange(0, 0.9), default=0.14, show_default=True,
              help="DC system losses (fraction).")
@click.option("--gcr", type=click.FloatRange(0.05, 0.95), default=0.35, show_default=True,
              help="Tracker ground coverage ratio.")
@click.option("--turbine", help="windpowerlib turbine type (default: the Wind sheet's default, E-126/4200).")
@click.option("--hub-height-m", type=click.FloatRange(10, 250), default=99.0, show_default=True,
              help="Hub height.")
@click.option("--measurement-height-m", type=float,
              help="Which measured wind speed to use (default: the height nearest the hub).")
@click.option("--shear", type=click.Choice(["power", "log"]), default="power", show_default=True,
              help="Hub-height extrapolation: Hellman power law or logarithmic profile.")
@click.option("--alpha", type=click.FloatRange(0, 1), default=1 / 7, show_default="1/7", help="Power-law exponent.")
@click.option("--roughness-m", type=click.FloatRange(1e-5, 5, min_open=True), default=0.03, show_default=True,
              help="Log-law roughness length.")
@click.option("--air-density", is_flag=True,
              help="Correct for the site's air density (IEC 61400-12-1 density-equivalent speed).")
def resource(weather: Path | None, into: Path, out: Path | None, force: bool, do_pv: bool, do_wind: bool,
             wind_file: Path | None, price: Path | None, price_column: str | None, price_target: str,
             price_multiplier: float, price_tz: str | None, flow: Path | None, flow_column: str | None,
             flow_tz: str | None, lat: float | None,
             lon: float | None, elevation_m: float | None, utc_offset: float | None, tracking: bool,
             tilt_deg: float | None, azimuth_deg: float | None, dc_ac: float, losses: float, gcr: float,
             turbine: str | None, hub_height_m: float, measurement_height_m: float | None, shear: str, alpha: float,
             roughness_m: float, air_density: bool) -> None:
    """Turn WEATHER (NSRDB/PSM CSV, WIND Toolkit CSV, PVGIS TMY/hourly CSV, EPW) and price or flow CSVs into
    the Hourly columns of the workbook given with --into, and record each file, its SHA-256 and the method in
    the Sources sheet. Example: planner resource weather.csv --pv --wind --into my_site.xlsx"""
    from planner.resource import build, pv, wind
    from planner.resource import workbook as wbk
    from planner.resource.weather import read_weather

    numbers = {"--price-multiplier": price_multiplier, "--lat": lat, "--lon": lon, "--elevation-m": elevation_m,
               "--utc-offset": utc_offset, "--tilt-deg": tilt_deg, "--azimuth-deg": azimuth_deg, "--dc-ac": dc_ac,
               "--losses": losses, "--gcr": gcr, "--hub-height-m": hub_height_m,
               "--measurement-height-m": measurement_height_m, "--alpha": alpha, "--roughness-m": roughness_m}
    for opt, v in numbers.items():
        if v is not None and not math.isfinite(v):
            raise UsageError(f"{opt}: expected a finite number, found {v}")
    if not (do_pv or do_wind or price or flow):
        raise UsageError("nothing to do: give --pv, --wind, --price FILE or --flow FILE")
    if (do_pv or (do_wind and wind_file is None)) and weather is None:
        raise UsageError("--pv and --wind need a WEATHER file (or --wind-file for the wind)")
    if wind_file is not None and not do_wind:
        raise UsageError("--wind-file is used only with --wind")
    from planner.resource import require

    if do_pv:  # the optional extra, checked before any file is read
        require("pvlib", "planner resource --pv")
    if do_wind:
        require("windpowerlib", "planner resource --wind")
    out = out or into
    if out != into and (out.exists() or out.is_symlink()) and not force:
        raise UsageError(f"{out} already exists; use --force to overwrite it (only a planner input workbook)")
    site = {"latitude_deg": lat, "longitude_deg": lon, "elevation_m": elevation_m, "site_utc_offset_h": utc_offset}
    wb = wbk.open_workbook(into)  # before the (slower) computations: a wrong workbook fails at once
    cols = build.Columns()
    if do_pv:
        w = read_weather(weather).with_site(**site)
        design = pv.PVDesign(tracking=tracking, tilt_deg=tilt_deg, azimuth_deg=azimuth_deg, dc_ac_ratio=dc_ac,
                             losses_fraction=losses, gcr=gcr)
        cols.update(build.pv_columns(w, design))
    if do_wind:
        ww = read_weather(wind_file or weather).with_site(**site)
        wdesign = wind.WindDesign(turbine=turbine or wind.default_turbine(), hub_height_m=hub_height_m, shear=shear,
                                  alpha=alpha, roughness_m=roughness_m, air_density=air_density)
        cols.update(build.wind_columns(ww, wdesign, measurement_height_m))
    if price is not None:
        cols.update(build.series_column(price, build.PRICE_TARGETS[price_target], price_column, "price",
                                        price_multiplier, price_tz))
    if flow is not None:
        cols.update(build.series_column(flow, _flow_column(), flow_column, "flow", time_zone=flow_tz))
    layout = wbk.hourly_layout(wb, list(cols.values))
    cols.warnings += cols.year_warnings(layout.year) + wbk.formula_warning(wb)
    cell = wbk.field_value(wb, "PV", "dc_ac_ratio") if do_pv else None
    if cell is not None and isinstance(cell.value, (int, float)) and abs(cell.value - dc_ac) > 1e-9:
        cols.warnings.append(f"PV!{cell.coordinate}: dc_ac_ratio is {cell.value:g} but pv_cf was computed with --dc-ac "
                             f"{dc_ac:g}; set the field to {dc_ac:g} so the reported MW_dc match (it is left as is)")
    wbk.write_columns(wb, layout, cols.values)
    wbk.add_sources(wb, cols.sources)
    wbk.save(wb, out, force=True if out == into else force)
    for w_ in cols.warnings:
        click.echo(f"warning: {w_}", err=True)
    for name, v in cols.values.items():
        click.echo(f"{name:28s} mean {v.mean():.4g}  min {v.min():.4g}  max {v.max():.4g}")
    click.echo(f"wrote {', '.join(cols.values)} into {out} (Hourly), sources in its Sources sheet")


def _flow_column() -> str:
    """The Hourly column in m3/s (declared with its input sheet in planner/scenario/inputs.py)."""
    from planner.scenario.inputs import HOURLY_COLUMNS

    found = [c.name for c in HOURLY_COLUMNS if c.unit == "m3/s"]
    if len(found) != 1:
        raise InputError([f"the workbook declares {len(found)} Hourly columns in m3/s; expected one"])
    return found[0]
