"""Build the processed hourly series of the example sites (inputs/data/<site>.csv) from inputs/data/raw/.

Dev-only: needs pvlib and windpowerlib (`pip install pvlib windpowerlib`); the planner itself never
imports them. Deterministic: the few synthetic series use fixed seeds. Sources, licences and every
stand-in are listed in inputs/data/SOURCES.md.

    python scripts/make_example_data.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "inputs" / "data" / "raw"
OUT = ROOT / "inputs" / "data"
EUR_TO_USD = 1.10  # stated assumption for converting SMARD EUR/MWh prices
TURBINE = "E-126/4200"  # windpowerlib turbine for the wind_cf column (the planner's default model)
HUB_M = 99.0  # E-126/4200 is offered at 99 m; the WIND Toolkit 100 m speed stands for it
COLUMNS = ["timestamp", "pv_cf", "wind_speed_mps", "wind_cf", "hydro_flow_m3s", "gas_supply_mmbtu_per_h",
           "export_price_usd_per_mwh", "import_price_usd_per_mwh", "site_load_mw", "ai_utilisation",
           "firm_available_fraction", "temperature_c"]
HOURS = 8760


def year_index(year: int) -> pd.DatetimeIndex:
    """8760 hourly timestamps of a non-leap year (local standard time)."""
    return pd.date_range(f"{year}-01-01", periods=HOURS, freq="h")


def read_nsrdb(name: str) -> pd.DataFrame:
    """An NSRDB CSV (two metadata rows) as a frame with GHI/DNI/DHI/Temperature/Wind Speed."""
    df = pd.read_csv(RAW / name, skiprows=2)
    df = df.loc[:, ~df.columns.str.startswith("Unnamed")]
    return df.iloc[:HOURS].reset_index(drop=True)


def pv_cf(weather: pd.DataFrame, lat: float, lon: float, utc_offset_h: float, tracking: bool,
          times_utc: pd.DatetimeIndex) -> np.ndarray:
    """AC output of 1 MW_ac (DC/AC 1.3) with PVWatts: transposition, cell temperature, 14 % losses, clipping."""
    import pvlib

    idx = times_utc + pd.Timedelta(minutes=30)  # mid-hour sun position for hourly averages
    loc = pvlib.location.Location(lat, lon)
    sun = loc.get_solarposition(idx)
    ghi, dni, dhi = (weather[c].to_numpy(float) for c in ("ghi", "dni", "dhi"))
    if tracking:
        trk = pvlib.tracking.singleaxis(sun["apparent_zenith"], sun["azimuth"], axis_azimuth=180, max_angle=60,
                                        backtrack=True, gcr=0.35)
        tilt, azimuth = trk["surface_tilt"].fillna(0).to_numpy(), trk["surface_azimuth"].fillna(180).to_numpy()
    else:
        tilt, azimuth = np.full(len(idx), min(abs(lat), 40.0)), np.full(len(idx), 180.0 if lat >= 0 else 0.0)
    poa = pvlib.irradiance.get_total_irradiance(tilt, azimuth, sun["apparent_zenith"].to_numpy(),
                                                sun["azimuth"].to_numpy(), dni, ghi, dhi,
                                                dni_extra=pvlib.irradiance.get_extra_radiation(idx).to_numpy(),
                                                model="haydavies")["poa_global"]
    poa = np.nan_to_num(np.asarray(poa, dtype=float), nan=0.0).clip(min=0)
    t_cell = pvlib.temperature.pvsyst_cell(poa, weather["temp_air"].to_numpy(float),
                                          weather["wind_speed"].to_numpy(float))
    dc_ratio, losses = 1.3, 0.14
    p_dc = pvlib.pvsystem.pvwatts_dc(poa, t_cell, pdc0=dc_ratio, gamma_pdc=-0.0037) * (1 - losses)
    p_ac = pvlib.inverter.pvwatts(p_dc, pdc0=1.0 / 0.96, eta_inv_nom=0.96)
    return np.clip(np.nan_to_num(np.asarray(p_ac, dtype=float)), 0.0, 1.0)


def wind_cf(speed_hub: np.ndarray) -> np.ndarray:
    """Capacity factor of one TURBINE from windpowerlib's power curve (no losses: the planner applies them)."""
    from windpowerlib import WindTurbine
    from windpowerlib.power_output import power_curve

    t = WindTurbine(turbine_type=TURBINE, hub_height=HUB_M)
    curve = t.power_curve
    p = power_curve(pd.Series(speed_hub), curve["wind_speed"], curve["value"])
    return np.clip(np.asarray(p, dtype=float) / t.nominal_power, 0.0, 1.0)


def hellman(speed: np.ndarray, z0_m: float, z1_m: float, alpha: float = 1 / 7) -> np.ndarray:
    """Extrapolate a wind speed from height z0 to z1 with the Hellman power law."""
    return speed * (z1_m / z0_m) ** alpha


def wtk_speed(name: str, height: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """WIND Toolkit speed at `height` (m/s) and air temperature at 100 m (degC), first 8760 hours, UTC."""
    df = pd.read_csv(RAW / name, skiprows=1).iloc[:HOURS]
    return df[f"wind speed at {height}m (m/s)"].to_numpy(float), df["air temperature at 100m (C)"].to_numpy(float)


def ai_utilisation(n: int = HOURS) -> np.ndarray:
    """Synthetic sellable GPU utilisation: 0.85 with a +-0.05 diurnal swing peaking mid-afternoon."""
    h = np.arange(n) % 24
    return 0.85 + 0.05 * np.sin((h - 9) / 24 * 2 * np.pi)


def outage(n: int, start_day: int, days: int, level: float) -> np.ndarray:
    """Firm-unit availability profile: 1 except a planned outage window."""
    f = np.ones(n)
    f[start_day * 24:(start_day + days) * 24] = level
    return f


def ironmtn_prices(level_usd: float) -> np.ndarray:
    """A real 2015 nodal price shape (mean 1, negative hours included) scaled to an assumed average level."""
    shape = pd.read_csv(RAW / "pricing-data-2015-IronMtn-002_factors.csv", header=None)[0].to_numpy(float)
    return shape[:HOURS] * level_usd


def smard_prices(column: str) -> np.ndarray:
    """SMARD 2018 day-ahead prices (EUR/MWh) of one zone, converted to USD, by position (local time)."""
    px = pd.read_csv(RAW / "Day-ahead_prices_2018.csv", sep=";", na_values="-", encoding="utf-8-sig", thousands=",")
    s = px[column]
    if column.startswith("Germany"):
        s = s.fillna(px["Germany/Austria/Luxembourg[€/MWh]"]) if "Germany/Austria/Luxembourg[€/MWh]" in px else s
    s = s.interpolate(limit_direction="both")
    return s.to_numpy(float)[:HOURS] * EUR_TO_USD


def factory_load(peak_mw: float = 8.0) -> np.ndarray:
    """Measured German metal-works load (2010), hourly, scaled to a peak, with two maintenance shutdowns."""
    raw = pd.read_csv(RAW / "non_res_annual_el_profiles.txt", sep="\t", skiprows=2, header=None,
                      usecols=[2], names=["metal1_w"])["metal1_w"].to_numpy(float)
    hourly = raw[: HOURS * 4].reshape(HOURS, 4).mean(axis=1)
    mw = hourly / hourly.max() * peak_mw
    base = np.percentile(mw, 5)
    stamps = year_index(2018)
    shutdown = ((stamps.month == 8) & (stamps.day >= 6) & (stamps.day <= 19)) | (
        (stamps.month == 12) & (stamps.day >= 24))
    mw[shutdown] = base  # maintenance: only the base load (lighting, compressors) remains
    return mw


def associated_gas(mean_mmbtu_h: float = 64.0, decline_per_year: float = 0.20) -> np.ndarray:
    """Synthetic flare stream: exponential decline over the year with day-to-day and hourly variability."""
    rng = np.random.default_rng(7)
    t = np.arange(HOURS) / HOURS
    trend = np.exp(-decline_per_year * t)
    trend = trend / trend.mean() * mean_mmbtu_h
    daily = np.repeat(1 + 0.08 * rng.standard_normal(365), 24)
    hourly = 1 + 0.03 * rng.standard_normal(HOURS)
    return np.clip(trend * daily * hourly, 0, None)


def snowmelt_hydrograph(mean_m3s: float = 20.0) -> np.ndarray:
    """Synthetic run-of-river flow: winter baseflow, late-spring snowmelt peak, autumn rain events."""
    rng = np.random.default_rng(11)
    day = np.arange(365)
    melt = 2.8 * np.exp(-0.5 * ((day - 150) / 22) ** 2)
    autumn = 0.6 * np.exp(-0.5 * ((day - 290) / 25) ** 2)
    base = 0.35 + melt + autumn
    events = np.convolve(rng.exponential(0.05, 365) * (rng.random(365) < 0.08) * 12, np.exp(-np.arange(10) / 3))[
        :365]
    q = base + events
    q = np.repeat(q / q.mean() * mean_m3s, 24)
    return q * (1 + 0.02 * rng.standard_normal(HOURS))


def nsrdb_weather(name: str) -> pd.DataFrame:
    df = read_nsrdb(name)
    return pd.DataFrame({"ghi": df["GHI"], "dni": df["DNI"], "dhi": df["DHI"], "temp_air": df["Temperature"],
                         "wind_speed": df["Wind Speed"]})


def openmeteo_weather() -> pd.DataFrame:
    df = pd.read_csv(RAW / "56.22732285_8.594398_2023_openmeteo_archive_solar_60min_utc_tz.csv", skiprows=3,
                     parse_dates=["time"]).set_index("time").loc["2023"].iloc[:HOURS]
    return pd.DataFrame({"ghi": df["shortwave_radiation (W/m**2)"].to_numpy(),
                         "dni": df["direct_normal_irradiance (W/m**2)"].to_numpy(),
                         "dhi": df["diffuse_radiation (W/m**2)"].to_numpy(),
                         "temp_air": df["temperature_2m (C)"].to_numpy(),
                         "wind_speed": df["wind_speed_10m (m/s)"].to_numpy()})


def frame(year: int, **cols) -> pd.DataFrame:
    """The processed table with every column (0 where a site has no such resource)."""
    out = pd.DataFrame({"timestamp": year_index(year)})
    for c in COLUMNS[1:]:
        v = cols.get(c, 0.0)
        out[c] = np.broadcast_to(np.asarray(v, dtype=float), (HOURS,)).round(6)
    out["firm_available_fraction"] = cols.get("firm_available_fraction", 1.0)
    out["timestamp"] = out["timestamp"].dt.strftime("%Y-%m-%dT%H:%M")
    return out[COLUMNS]


def to_local(values: np.ndarray, utc_offset_h: int) -> np.ndarray:
    """Reorder a UTC hourly year into local standard time (the few hours that wrap come from the year's end)."""
    return np.roll(np.asarray(values, dtype=float), utc_offset_h)


def texas_resources(solar: str, wind: str, lat: float, lon: float, utc_offset: int = -6) -> dict:
    """PV CF (single-axis tracker) and 100 m wind from NSRDB + WIND Toolkit, in local standard time."""
    w = nsrdb_weather(solar)
    solar_utc = "utc" in solar
    times_utc = year_index(2013) if solar_utc else year_index(2013) - pd.Timedelta(hours=utc_offset)
    pv = pv_cf(w, lat, lon, utc_offset, True, times_utc)
    temp = w["temp_air"].to_numpy(float)
    if solar_utc:
        pv, temp = to_local(pv, utc_offset), to_local(temp, utc_offset)
    speed, _ = wtk_speed(wind)
    speed = to_local(speed, utc_offset)  # WIND Toolkit files are UTC
    return {"pv_cf": pv, "wind_speed_mps": speed, "wind_cf": wind_cf(speed), "temperature_c": temp}


def build_all() -> dict[str, pd.DataFrame]:
    """Every example site's hourly table."""
    sites: dict[str, pd.DataFrame] = {}
    wt = texas_resources("32.31714_-100.18_2013_goes_aggregated_v4_60min_utc_tz.csv",
                         "32.31714_-100.18_2013_wtk_v2_60min_utc_tz.csv", 32.33, -100.18)
    ercot_like = ironmtn_prices(30.0)
    sites["west_texas"] = frame(2013, **wt, export_price_usd_per_mwh=ercot_like,
                                import_price_usd_per_mwh=ercot_like + 10, ai_utilisation=ai_utilisation())
    pg = texas_resources("30.6617_-101.7096_psmv3_60_2013.csv", "30.6617_-101.7096_2013_wtk_v2_60min_utc_tz.csv",
                         30.65, -101.70)
    sites["permian_gas"] = frame(2013, **pg, gas_supply_mmbtu_per_h=associated_gas(), site_load_mw=0.5,
                                 ai_utilisation=ai_utilisation())
    sites["nuclear_ai"] = frame(2013, **wt, export_price_usd_per_mwh=ercot_like,
                                import_price_usd_per_mwh=ercot_like + 10, ai_utilisation=ai_utilisation(),
                                firm_available_fraction=outage(HOURS, 120, 14, 0.5))
    nordic = openmeteo_weather()
    utc = year_index(2023)
    nordic_pv = to_local(pv_cf(nordic, 56.27, 8.55, 0, False, utc), 1)  # Open-Meteo is UTC; CET = UTC+1
    nordic_speed = to_local(hellman(nordic["wind_speed"].to_numpy(float), 10.0, HUB_M), 1)
    nordic_common = {"pv_cf": nordic_pv, "wind_speed_mps": nordic_speed, "wind_cf": wind_cf(nordic_speed),
                     "temperature_c": to_local(nordic["temp_air"].to_numpy(float), 1)}
    se4 = smard_prices("Sweden 4[€/MWh]")
    sites["remote_hydro"] = frame(2018, **nordic_common, hydro_flow_m3s=snowmelt_hydrograph(),
                                  export_price_usd_per_mwh=se4, import_price_usd_per_mwh=se4 + 10,
                                  ai_utilisation=ai_utilisation())
    dk1 = smard_prices("Denmark 1[€/MWh]")
    sites["iceland"] = frame(2018, **nordic_common, export_price_usd_per_mwh=dk1, import_price_usd_per_mwh=dk1 + 10,
                             ai_utilisation=ai_utilisation(), firm_available_fraction=outage(HOURS, 135, 14, 0.5))
    de = smard_prices("Germany/Luxembourg[€/MWh]")
    sites["factory"] = frame(2018, **nordic_common, export_price_usd_per_mwh=de, import_price_usd_per_mwh=de + 50,
                             site_load_mw=factory_load(), ai_utilisation=ai_utilisation())
    mojave = nsrdb_weather("34.865371_-116.783023_psmv3_60_tmy.csv")
    me_pv = pv_cf(mojave, 34.85, -116.78, -8, True, year_index(2013) + pd.Timedelta(hours=8))
    sites["middle_east"] = frame(2013, pv_cf=me_pv, wind_speed_mps=wt["wind_speed_mps"], wind_cf=wt["wind_cf"],
                                 export_price_usd_per_mwh=40.0, import_price_usd_per_mwh=60.0,
                                 ai_utilisation=ai_utilisation(), temperature_c=mojave["temp_air"].to_numpy())
    return sites


def main() -> None:
    sites = build_all()
    rows = []
    for site, df in sites.items():
        assert len(df) == HOURS and not df.isna().any().any(), site
        df.to_csv(OUT / f"{site}.csv", index=False)
        price = df["export_price_usd_per_mwh"]
        rows.append({"site": site, "pv_cf": df["pv_cf"].mean(), "wind_cf": df["wind_cf"].mean(),
                     "price_mean": price.mean(), "price_min": price.min(), "negative_h": int((price < 0).sum()),
                     "flow_m3s": df["hydro_flow_m3s"].mean(), "gas_mmbtu_h": df["gas_supply_mmbtu_per_h"].mean(),
                     "load_mw": df["site_load_mw"].mean()})
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
