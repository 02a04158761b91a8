"""Build the processed hourly series of the example sites (inputs/data/<site>.csv) from inputs/data/raw/.

Dev-only: needs the resource extra (`pip install -e ".[resource]"`, pvlib and windpowerlib). PV and wind
come from the planner's own library (planner/resource/, `planner resource`; docs/resource.md), so the examples
and the command share one implementation. Deterministic: the few synthetic series use fixed seeds. Sources,
licences and every stand-in are listed in inputs/data/SOURCES.md.

    python scripts/make_example_data.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.resource import build
from planner.resource.pv import PVDesign
from planner.resource.weather import Weather, read_weather
from planner.resource.wind import WindDesign

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


def solar_columns(name: str, sun_year: int | None = None) -> dict:
    """pv_cf (PVWatts, single-axis tracker) and temperature_c of an NSRDB file in local standard time (the
    library's `planner resource --pv`)."""
    c = build.pv_columns(read_weather(RAW / name), PVDesign(), sun_year=sun_year)
    return c.values


def wtk_columns(name: str) -> dict:
    """wind_speed_mps and wind_cf from a WIND Toolkit file: its 100 m speed stands for the hub speed (the library's
    `planner resource --wind --hub-height-m 100`)."""
    return build.wind_columns(read_weather(RAW / name), WindDesign(turbine=TURBINE, hub_height_m=100.0)).values


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


def openmeteo_weather() -> Weather:
    """The Open-Meteo archive file (UTC, 10 m wind) for 2023 as the library's Weather, at the example's coordinates
    and on Central European standard time (UTC+1)."""
    name = "56.22732285_8.594398_2023_openmeteo_archive_solar_60min_utc_tz.csv"
    df = pd.read_csv(RAW / name, skiprows=3, parse_dates=["time"]).set_index("time").loc["2023"].iloc[:HOURS]
    return Weather(RAW / name, "Open-Meteo CSV", pd.DatetimeIndex(df.index), 0.0, np.arange(HOURS) + 5,
                   ghi=df["shortwave_radiation (W/m**2)"].to_numpy(float),
                   dni=df["direct_normal_irradiance (W/m**2)"].to_numpy(float),
                   dhi=df["diffuse_radiation (W/m**2)"].to_numpy(float),
                   temp_air_c=df["temperature_2m (C)"].to_numpy(float),
                   wind_mps={10.0: df["wind_speed_10m (m/s)"].to_numpy(float)},
                   latitude_deg=56.27, longitude_deg=8.55, site_utc_offset_h=1.0)


def frame(year: int, **cols) -> pd.DataFrame:
    """The processed table with every column (0 where a site has no such resource)."""
    out = pd.DataFrame({"timestamp": year_index(year)})
    for c in COLUMNS[1:]:
        v = cols.get(c, 0.0)
        out[c] = np.broadcast_to(np.asarray(v, dtype=float), (HOURS,)).round(6)
    out["firm_available_fraction"] = cols.get("firm_available_fraction", 1.0)
    out["timestamp"] = out["timestamp"].dt.strftime("%Y-%m-%dT%H:%M")
    return out[COLUMNS]


def texas_resources(solar: str, wind: str) -> dict:
    """PV CF (single-axis tracker) from NSRDB and 100 m wind from WIND Toolkit, in local standard time."""
    return {**solar_columns(solar), **wtk_columns(wind)}


def build_all() -> dict[str, pd.DataFrame]:
    """Every example site's hourly table."""
    sites: dict[str, pd.DataFrame] = {}
    wt = texas_resources("32.31714_-100.18_2013_goes_aggregated_v4_60min_utc_tz.csv",
                         "32.31714_-100.18_2013_wtk_v2_60min_utc_tz.csv")
    ercot_like = ironmtn_prices(30.0)
    sites["west_texas"] = frame(2013, **wt, export_price_usd_per_mwh=ercot_like,
                                import_price_usd_per_mwh=ercot_like + 10, ai_utilisation=ai_utilisation())
    pg = texas_resources("30.6617_-101.7096_psmv3_60_2013.csv", "30.6617_-101.7096_2013_wtk_v2_60min_utc_tz.csv")
    sites["permian_gas"] = frame(2013, **pg, gas_supply_mmbtu_per_h=associated_gas(), site_load_mw=0.5,
                                 ai_utilisation=ai_utilisation())
    sites["nuclear_ai"] = frame(2013, **wt, export_price_usd_per_mwh=ercot_like,
                                import_price_usd_per_mwh=ercot_like + 10, ai_utilisation=ai_utilisation(),
                                firm_available_fraction=outage(HOURS, 120, 14, 0.5))
    nordic = openmeteo_weather()  # fixed tilt; 10 m wind to the 99 m hub by the Hellman law (alpha 1/7)
    nordic_common = {**build.pv_columns(nordic, PVDesign(tracking=False)).values,
                     **build.wind_columns(nordic, WindDesign(turbine=TURBINE, hub_height_m=HUB_M)).values}
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
    mojave = solar_columns("34.865371_-116.783023_psmv3_60_tmy.csv", sun_year=2013)  # a TMY: sun of 2013
    sites["middle_east"] = frame(2013, pv_cf=mojave["pv_cf"], wind_speed_mps=wt["wind_speed_mps"],
                                 wind_cf=wt["wind_cf"], export_price_usd_per_mwh=40.0, import_price_usd_per_mwh=60.0,
                                 ai_utilisation=ai_utilisation(), temperature_c=mojave["temperature_c"])
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
