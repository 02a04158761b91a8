"""`planner resource` (docs/resource.md): weather readers on small files made here, PV/wind/flow by hand, price
CSV errors, a CLI run into a copy of the template, and the acceptance on the shipped NSRDB + WIND Toolkit files."""

from __future__ import annotations

import hashlib
import math
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.errors import InputError
from planner.paths import DATA_DIR, INPUTS_DIR
from planner.resource import build, pv, wind
from planner.resource.series import read_series
from planner.resource.weather import EPW, NSRDB, PVGIS_HOURLY, PVGIS_TMY, WTK, read_weather
from planner.scenario.reader import read_workbook
from planner.scenario.template import template_scenario
from planner.technologies.hydro import power_mw

RAW = DATA_DIR / "raw"
TEMPLATE = INPUTS_DIR / "template.xlsx"

NSRDB_META = ("Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation,Local Time Zone\n"
              "NSRDB,1,-,-,-,{lat},{lon},{tz},{elev},{local}\n")


def nsrdb_file(path, hours: int, tz: int = 0, local: int = -6, lat: float = 32.0, lon: float = -100.0,
               year: int = 2013, ghi=None, temp=None, bad_line: int | None = None):
    """An NSRDB-like CSV: two metadata rows, then hourly rows stamped at minute 30."""
    stamps = pd.date_range(f"{year}-01-01", periods=hours, freq="h")
    ghi = np.zeros(hours) if ghi is None else ghi
    temp = (np.arange(hours) % 24).astype(float) if temp is None else temp
    lines = [NSRDB_META.format(lat=lat, lon=lon, tz=tz, elev=700, local=local).rstrip("\n"),
             "Year,Month,Day,Hour,Minute,GHI,DNI,DHI,Temperature,Wind Speed"]
    for i, t in enumerate(stamps):
        g = "n/a" if bad_line is not None and i + 4 == bad_line else f"{ghi[i]:g}"
        lines.append(f"{t.year},{t.month},{t.day},{t.hour},30,{g},{0.7 * ghi[i]:g},{0.3 * ghi[i]:g},{temp[i]:g},3.0")
    path.write_text("\n".join(lines) + "\n")
    return path


# ------------------------------------------------------------------------------------------ readers

def test_nsrdb_reader_gives_typed_rows_and_the_sites_metadata(tmp_path):
    f = nsrdb_file(tmp_path / "n.csv", 72, tz=0, local=-6, lat=32.5, lon=-100.25)
    w = read_weather(f)
    assert w.format == NSRDB and len(w.stamps) == 72
    assert w.stamps[0] == pd.Timestamp("2013-01-01 00:00") and w.stamps[-1] == pd.Timestamp("2013-01-03 23:00")
    assert (w.latitude_deg, w.longitude_deg, w.elevation_m) == (32.5, -100.25, 700.0)
    assert (w.data_utc_offset_h, w.site_utc_offset_h) == (0.0, -6.0)
    assert list(w.wind_mps) == [2.0] and w.temp_air_c[5] == 5.0 and w.lines[0] == 4
    assert w.with_site(latitude_deg=10.0).latitude_deg == 10.0  # a flag overrides the file


def test_nsrdb_bad_value_names_file_line_and_column(tmp_path):
    f = nsrdb_file(tmp_path / "bad.csv", 48, ghi=np.full(48, 100.0), bad_line=20)
    with pytest.raises(InputError) as e:
        read_weather(f)
    assert "bad.csv, line 20, column 'GHI': expected a number, found 'n/a'" in str(e.value)


def test_a_missing_value_code_is_refused_by_line(tmp_path):
    temp = np.zeros(48)
    temp[30] = 9999.0
    with pytest.raises(InputError, match=r"code.csv, line 34: temp_air_c must be within -90..70 degC, found 9999"):
        read_weather(nsrdb_file(tmp_path / "code.csv", 48, temp=temp))


def test_weather_with_a_missing_hour_is_refused_by_name(tmp_path):
    f = nsrdb_file(tmp_path / "short.csv", 8759)
    with pytest.raises(InputError) as e:
        build.pv_columns(read_weather(f), pv.PVDesign())
    assert "short.csv: 1 hour(s) of the year are missing, the first 31 Dec 23:00" in str(e.value)


def test_wind_toolkit_reader_gives_each_height(tmp_path):
    f = tmp_path / "wtk.csv"
    f.write_text("SiteID,1,Site Timezone,-6,Data Timezone,0,Longitude,-100.1,Latitude,32.3\n"
                 "Year,Month,Day,Hour,Minute,wind speed at 100m (m/s),wind speed at 140m (m/s),"
                 "air temperature at 100m (C)\n2013,1,1,0,30,7.5,8.0,12.0\n2013,1,1,1,30,9.0,9.5,11.0\n")
    w = read_weather(f)
    assert w.format == WTK and sorted(w.wind_mps) == [100.0, 140.0] and w.wind_mps[140.0][1] == 9.5
    assert (w.site_utc_offset_h, w.data_utc_offset_h, w.temp_height_m) == (-6.0, 0.0, 100.0)


def test_pvgis_tmy_reader(tmp_path):
    f = tmp_path / "tmy.csv"
    head = ["Latitude (decimal degrees): 45.000", "Longitude (decimal degrees): 8.000", "Elevation (m): 250.0",
            "Irradiance Time Offset (h): 0.1761", "month,year"] + [f"{m},{2010 + m % 3}" for m in range(1, 13)]
    rows = ["time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP"]
    for i, t in enumerate(pd.date_range("2010-01-01", periods=8760, freq="h")):
        rows.append(f"{t:%Y%m%d:%H%M},{i % 24:.1f},50,{(i % 24) * 10},{(i % 24) * 5},{i % 24},300,4.5,180,98000")
    f.write_text("\r\n".join(head + rows) + "\r\n")
    w = read_weather(f)
    assert w.format == PVGIS_TMY and (w.latitude_deg, w.longitude_deg, w.elevation_m) == (45.0, 8.0, 250.0)
    assert w.site_utc_offset_h is None and w.data_utc_offset_h == 0.0  # PVGIS is UTC, the site's zone unknown
    assert w.ghi[13] == 130 and w.dni[13] == 65 and w.dhi[13] == 13 and w.wind_mps[10.0][0] == 4.5
    assert w.pressure_pa[0] == 98000
    with pytest.raises(InputError, match="does not give the site's utc-offset; give --utc-offset"):
        build.pv_columns(w, pv.PVDesign())


def test_pvgis_hourly_reader_derives_dni_from_the_horizontal_beam(tmp_path):
    f = tmp_path / "hourly.csv"
    text = ["Latitude (decimal degrees):\t45.000", "Longitude (decimal degrees):\t8.000", "Elevation (m):\t250",
            "Radiation database:\tPVGIS-SARAH2", "", "Slope: 0 deg. ", "Azimuth: 0 deg. ",
            "time,Gb(i),Gd(i),Gr(i),H_sun,T2m,WS10m,Int",
            "20200101:0010,0.0,0.0,0.0,0.0,1.5,2.0,0.0", "20200101:1110,300.0,100.0,0.0,30.0,5.0,3.0,0.0", ""]
    f.write_text("\r\n".join(text) + "\r\n")
    w = read_weather(f)
    assert w.format == PVGIS_HOURLY and w.stamps[1] == pd.Timestamp("2020-01-01 11:00")
    assert w.ghi[1] == 400.0 and w.dhi[1] == 100.0
    assert w.dni[1] == pytest.approx(300.0 / math.sin(math.radians(30.0)))  # 600 W/m2 by hand
    assert w.dni[0] == 0.0


def test_epw_reader_hour_one_is_midnight_in_local_standard_time(tmp_path):
    f = tmp_path / "site.epw"
    head = ["LOCATION,Somewhere,ST,USA,TMY3,123456,40.00,-105.00,-7.0,1600.0",
            "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
            "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,made in the test", "COMMENTS 2,",
            "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31"]
    rows = []
    for d in (1, 2):
        for h in range(1, 25):
            ghi = 500 if h == 13 else 0
            rows.append(f"1999,1,{d},{h},60,?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9,{h / 2:.1f},-5.0,50,"
                        f"84000,0,1415,300,{ghi},{ghi // 2},{ghi // 5},0,0,0,0,180,3.5,5,5,16.0,77777,9,999999999,"
                        f"5,0.1,0,88,0.2,0.0,1.0")
    f.write_text("\n".join(head + rows) + "\n")
    w = read_weather(f)
    assert w.format == EPW and w.stamps[0] == pd.Timestamp("1999-01-01 00:00")  # hour 1 = 00:00-01:00
    assert (w.latitude_deg, w.longitude_deg, w.elevation_m, w.site_utc_offset_h) == (40.0, -105.0, 1600.0, -7.0)
    assert w.data_utc_offset_h == -7.0 and w.ghi[12] == 500 and w.dni[12] == 250 and w.dhi[12] == 100
    assert w.temp_air_c[0] == 0.5 and w.wind_mps[10.0][0] == 3.5 and w.pressure_pa[0] == 84000


# ---------------------------------------------------------------------------------------- PV, by hand

def test_pv_cf_of_an_overcast_hour_by_hand():
    """Horizontal, no beam: POA = DHI; PVsyst cell temperature, PVWatts DC and inverter formulas by hand."""
    design = pv.PVDesign(tracking=False, tilt_deg=0.0, azimuth_deg=180.0)
    dhi, t_air, ws = 500.0, 20.0, 1.0
    cf = pv.pv_cf([dhi, 0.0], [0.0, 0.0], [dhi, 0.0], [t_air, t_air], [ws, ws],
                  pd.DatetimeIndex(["2013-06-21 11:00", "2013-06-21 23:00"]), 0.0, 0.0, design, elevation_m=0.0)
    t_cell = t_air + dhi * 0.9 * (1 - 0.1) / 29.0  # PVsyst: alpha 0.9, eta_m 0.1, U_c 29 W/m2K
    p_dc = 1.3 * dhi / 1000 * (1 - 0.0037 * (t_cell - 25)) * (1 - 0.14)
    zeta = p_dc / (1 / 0.96)
    p_ac = p_dc * 0.96 / 0.9637 * (-0.0162 * zeta - 0.0059 / zeta + 0.9858)  # PVWatts inverter (Dobos 2014)
    assert cf[0] == pytest.approx(p_ac, rel=1e-9)
    assert cf[1] == 0.0  # night


def test_pv_cf_clips_at_one_mw_ac_and_tracking_beats_fixed():
    times = pd.date_range("2013-06-21 12:00", periods=8, freq="h") + pd.Timedelta(hours=6)  # local 12-19 at UTC-6
    ghi, dni, dhi = np.full(8, 1000.0), np.full(8, 900.0), np.full(8, 100.0)
    tracked = pv.pv_cf(ghi, dni, dhi, np.full(8, 10.0), np.full(8, 5.0), times, 32.0, -90.0,
                       pv.PVDesign(dc_ac_ratio=2.0))
    fixed = pv.pv_cf(ghi, dni, dhi, np.full(8, 10.0), np.full(8, 5.0), times, 32.0, -90.0,
                     pv.PVDesign(tracking=False, dc_ac_ratio=2.0))
    assert tracked.max() == 1.0 and (tracked <= 1.0).all()
    assert tracked.sum() > fixed.sum()


# ------------------------------------------------------------------------------------ wind, by hand

def test_hub_speed_power_and_log_law_by_hand():
    assert wind.hub_speed(np.array([8.0]), 10, 100)[0] == pytest.approx(8.0 * 10 ** (1 / 7))
    assert wind.hub_speed(np.array([8.0]), 10, 100, "log", roughness_m=0.03)[0] == pytest.approx(
        8.0 * math.log(100 / 0.03) / math.log(10 / 0.03))
    assert wind.hub_speed(np.array([8.0]), 100, 100)[0] == 8.0


def test_air_density_of_the_standard_atmosphere_and_the_iec_speed():
    rho = wind.air_density(np.array([15.0]), 0.0, 0.0, elevation_m=0.0)[0]
    assert rho == pytest.approx(101325 / (287.058 * 288.15), rel=1e-12)  # 1.2250 kg/m3
    # 1500 m: standard atmosphere 84556 Pa, 5.25 degC -> 1.0581 kg/m3 (ISO 2533 table)
    assert wind.air_density(np.array([5.25]), 0.0, 0.0, elevation_m=1500.0)[0] == pytest.approx(1.0581, abs=2e-4)
    v = wind.density_equivalent_speed(np.array([10.0]), np.array([1.0581]))[0]
    assert v == pytest.approx(10.0 * (1.0581 / 1.225) ** (1 / 3))


def test_wind_cf_interpolates_the_catalog_curve():
    speeds, power_w, nominal_w = wind.turbine_power_curve(wind.default_turbine(), 99.0)
    assert nominal_w == 4.2e6 and wind.default_turbine() == "E-126/4200"
    k = int(np.argmax(speeds >= 8.0))
    mid = (speeds[k] + speeds[k + 1]) / 2
    cf = wind.wind_cf(np.array([speeds[k], mid, 0.0, 40.0]), "E-126/4200", 99.0)
    assert cf[0] == pytest.approx(power_w[k] / nominal_w)
    assert cf[1] == pytest.approx((power_w[k] + power_w[k + 1]) / 2 / nominal_w)
    assert cf[2] == 0.0 and cf[3] == 0.0  # below cut-in, beyond cut-out


def test_flow_to_mw_closed_form():
    # rho g Q H eta = 1000 * 9.81 * 10 m3/s * 30 m * 0.85 = 2 501 550 W
    assert power_mw([10.0, 0.0], 30.0, 0.85).tolist() == pytest.approx([2.50155, 0.0], rel=1e-12)


# ------------------------------------------------------------------------------------- price CSVs

def price_file(path, stamps, values=None, header="timestamp,price"):
    values = np.arange(len(stamps), dtype=float) if values is None else values
    path.write_text(header + "\n" + "\n".join(f"{t},{v}" for t, v in zip(stamps, values, strict=True)) + "\n")
    return path


YEAR = [f"{t:%Y-%m-%d %H:%M}" for t in pd.date_range("2018-01-01", periods=8760, freq="h")]


def test_a_full_price_year_is_placed_by_hour(tmp_path):
    s = read_series(price_file(tmp_path / "p.csv", YEAR))
    assert s.on_year().tolist() == list(range(8760))


def test_price_gap_is_named(tmp_path):
    f = price_file(tmp_path / "gap.csv", YEAR[:100] + YEAR[103:])
    with pytest.raises(InputError) as e:
        read_series(f)
    assert ("gap.csv, line 102: 3 hour(s) missing after 2018-01-05 03:00 (line 101): expected 2018-01-05 04:00, "
            "found 2018-01-05 07:00") in str(e.value)


def test_price_duplicate_is_named(tmp_path):
    f = price_file(tmp_path / "dup.csv", YEAR[:50] + [YEAR[49]] + YEAR[50:])
    with pytest.raises(InputError) as e:
        read_series(f)
    assert "dup.csv, line 52: the hour 2018-01-03 01:00 appears twice (also line 51)" in str(e.value)


def test_price_dst_spring_gap_and_autumn_repeat_are_called_daylight_saving(tmp_path):
    spring = YEAR.index("2018-03-25 02:00")
    f = price_file(tmp_path / "spring.csv", YEAR[:spring] + YEAR[spring + 1:])
    with pytest.raises(InputError) as e:
        read_series(f)
    assert "expected 2018-03-25 02:00, found 2018-03-25 03:00" in str(e.value)
    assert "daylight-saving shift" in str(e.value)
    autumn = YEAR.index("2018-10-28 02:00")
    f = price_file(tmp_path / "autumn.csv", YEAR[:autumn + 1] + [YEAR[autumn]] + YEAR[autumn + 1:])
    with pytest.raises(InputError) as e:
        read_series(f)
    assert "the hour 2018-10-28 02:00 appears twice" in str(e.value) and "daylight-saving shift" in str(e.value)


def test_price_with_utc_offsets_is_read_in_standard_time(tmp_path):
    stamps = pd.date_range("2017-12-31 23:00", periods=8760, freq="h", tz="UTC").tz_convert("Europe/Berlin")
    s = read_series(price_file(tmp_path / "dst.csv", [t.isoformat() for t in stamps]))
    assert s.stamps[0] == pd.Timestamp("2018-01-01 00:00") and s.on_year().tolist() == list(range(8760))
    assert "daylight-saving" in s.warnings[0]


def test_price_in_local_clock_time_with_dst_is_read_with_its_time_zone(tmp_path):
    """SMARD-style "Date;Time of day" columns on Berlin's clock: a missing March hour, a repeated October hour."""
    clock = pd.date_range("2017-12-31 23:00", periods=8760, freq="h", tz="UTC").tz_convert("Europe/Berlin")
    f = tmp_path / "smard.csv"
    f.write_text("Date;Time of day;DE\n" + "\n".join(f"{t:%b} {t.day}, {t.year};{t:%I:%M %p};{i}"
                                                    for i, t in enumerate(clock)) + "\n")
    with pytest.raises(InputError, match="daylight-saving shift"):
        read_series(f)
    s = read_series(f, time_zone="Europe/Berlin")
    assert s.on_year().tolist() == list(range(8760)) and "+01:00, +02:00" in s.warnings[0]
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'"):
        read_series(f, time_zone="Mars/Olympus")


def test_price_bad_value_and_extra_columns_are_named(tmp_path):
    values = np.arange(8760).astype(object)
    values[9] = "n/a"
    with pytest.raises(InputError) as e:
        read_series(price_file(tmp_path / "bad.csv", YEAR, values))
    assert "bad.csv, line 11, column 'price': expected a number (price), found 'n/a'" in str(e.value)
    f = tmp_path / "two.csv"
    f.write_text("time;DE;DK1\n" + "\n".join(f"{t};{i};{2 * i}" for i, t in enumerate(YEAR)) + "\n")
    with pytest.raises(InputError, match="name the price column with --price-column"):
        read_series(f)
    assert read_series(f, "DK1").on_year()[5] == 10.0


# ---------------------------------------------------------------------------------------------- CLI

def run(capsys, *args) -> tuple[int, str]:
    try:
        main(["resource", *map(str, args)])
        code = 0
    except SystemExit as e:
        code = e.code
    cap = capsys.readouterr()
    return code, cap.out + cap.err


@pytest.mark.slow  # ~9 s of CPU: openpyxl loads and saves a full-year workbook, the reader reads it back
def test_cli_writes_the_columns_and_the_sources_into_a_copy_of_the_template(tmp_path, capsys):
    wb = shutil.copy(TEMPLATE, tmp_path / "site.xlsx")
    before = template_scenario()  # what inputs/template.xlsx holds
    hours = np.arange(8760)
    ghi = np.where((hours % 24 >= 13) & (hours % 24 <= 23), 600.0, 0.0)  # UTC daytime of a site at UTC-6
    weather = nsrdb_file(tmp_path / "w.csv", 8760, tz=0, local=-6, ghi=ghi)
    prices = price_file(tmp_path / "p.csv", YEAR, hours * 0.01)
    flow = price_file(tmp_path / "q.csv", YEAR, np.full(8760, 12.5), header="time,flow_m3s")
    code, out = run(capsys, weather, "--pv", "--dc-ac", 1.2, "--wind", "--hub-height-m", 99, "--price", prices,
                    "--flow", flow, "--into", wb)
    assert code == 0, out
    assert "PV!C7: dc_ac_ratio is 1.3 but pv_cf was computed with --dc-ac 1.2" in out  # the input is left alone
    assert "data of 2018 placed on the workbook's year 2013" in out
    sc = read_workbook(wb)
    h = sc.hourly
    # the file's UTC hours moved to UTC-6: local hour k holds the file's row k + 6 (temperature = UTC hour)
    assert h["temperature_c"].tolist() == [float((k + 6) % 24) for k in range(8760)]
    assert (h["pv_cf"].to_numpy()[np.roll(ghi, -6) == 0] == 0).all() and h["pv_cf"].max() > 0.3
    assert h["wind_speed_mps"].to_numpy() == pytest.approx(np.full(8760, 3.0 * (99 / 2) ** (1 / 7)), abs=1e-6)
    assert h["export_price_usd_per_mwh"].to_numpy() == pytest.approx(hours * 0.01, abs=1e-9)
    assert (h["hydro_flow_m3s"] == 12.5).all()
    assert h["ai_utilisation"].equals(before.hourly["ai_utilisation"])  # the other columns and sheets are kept
    assert sc.site == before.site and sc.sensitivity == before.sensitivity
    rows = dict(sc.sources)
    assert sc.sources[:len(before.sources)] == before.sources
    for item, f in (("Hourly pv_cf, temperature_c", weather), ("Hourly wind_speed_mps, wind_cf", weather),
                    ("Hourly export_price_usd_per_mwh", prices), ("Hourly hydro_flow_m3s", flow)):
        assert f"{f.name} (" in rows[item] and hashlib.sha256(f.read_bytes()).hexdigest() in rows[item]
    assert "single-axis tracker" in rows["Hourly pv_cf, temperature_c"] and "DC/AC 1.2" in rows[
        "Hourly pv_cf, temperature_c"]


def test_cli_errors_exit_2_and_leave_the_workbook_unchanged(tmp_path, capsys, monkeypatch):
    wb = shutil.copy(TEMPLATE, tmp_path / "site.xlsx")
    original = wb.read_bytes()
    bad = price_file(tmp_path / "gap.csv", YEAR[:10] + YEAR[11:])
    code, out = run(capsys, "--price", bad, "--into", wb)
    assert code == 2 and "gap.csv, line 12: 1 hour(s) missing after 2018-01-01 09:00" in out
    other = tmp_path / "notes.xlsx"
    other.write_bytes(b"PK not a planner workbook")
    code, out = run(capsys, "--price", price_file(tmp_path / "p.csv", YEAR), "--into", other)
    assert code == 2 and "not a planner input workbook" in out
    code, out = run(capsys, "--price", tmp_path / "p.csv", "--into", wb, "-o", other)
    assert code == 2 and "already exists; use --force" in out
    monkeypatch.setitem(sys.modules, "pvlib", None)  # the resource extra not installed
    code, out = run(capsys, nsrdb_file(tmp_path / "w.csv", 24), "--pv", "--into", wb)
    assert code == 2 and 'pip install "planner[resource]"' in out and "pvlib" in out
    assert wb.read_bytes() == original and not list(tmp_path.glob(".site.xlsx.tmp-*"))


@pytest.mark.slow
def test_acceptance_cli_on_the_shipped_nsrdb_files_reproduces_the_examples(tmp_path, capsys):
    """pv_cf from each shipped NSRDB file, wind_cf from its WIND Toolkit file (the 100 m speed as the hub speed),
    within 1e-6 of the example's column: the Permian (PSM v3, local time) into the template (which holds West
    Texas), then West Texas (NSRDB v4, UTC) over it."""
    wb = shutil.copy(TEMPLATE, tmp_path / "site.xlsx")
    for site, solar, wtk in (("permian_gas", "30.6617_-101.7096_psmv3_60_2013.csv",
                              "30.6617_-101.7096_2013_wtk_v2_60min_utc_tz.csv"),
                             ("west_texas", "32.31714_-100.18_2013_goes_aggregated_v4_60min_utc_tz.csv",
                              "32.31714_-100.18_2013_wtk_v2_60min_utc_tz.csv")):
        code, out = run(capsys, RAW / solar, "--pv", "--wind", "--wind-file", RAW / wtk, "--hub-height-m", 100,
                        "--into", wb)
        assert code == 0, out
        h = read_workbook(wb).hourly
        example = pd.read_csv(DATA_DIR / f"{site}.csv")
        for col in ("pv_cf", "wind_cf", "wind_speed_mps", "temperature_c"):
            assert np.abs(h[col].to_numpy() - example[col].to_numpy()).max() <= 1e-6, (site, col)


def test_the_planner_imports_without_the_resource_extra():
    """pvlib and windpowerlib are imported only when a PV or wind column is computed; the resource package
    reaches neither Pyomo nor HiGHS."""
    import subprocess

    from test_architecture import MODULES, reachable

    code = ("import sys; sys.modules['pvlib'] = None; sys.modules['windpowerlib'] = None\n"
            "import planner.cli, planner.resource.build, planner.resource.weather, planner.resource_cli\n"
            "from planner.resource.series import read_series\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    for mod in (m for m in MODULES if m.startswith("planner.resource")):
        _ours, theirs = reachable(mod)
        assert "pyomo" not in theirs and "highspy" not in theirs, mod


def test_a_source_file_name_that_looks_like_a_formula_stays_text(tmp_path):
    from openpyxl import Workbook, load_workbook

    from planner.resource.workbook import add_sources

    wb = Workbook()
    add_sources(wb, [("Hourly pv_cf", '=HYPERLINK("http://x","click").csv (sha256 00); method: m')])
    wb.save(tmp_path / "s.xlsx")
    ws = load_workbook(tmp_path / "s.xlsx")["Sources"]
    assert [c.value for c in ws[1]] == ["item", "source and licence"]
    assert ws["B2"].data_type == "s" and ws["B2"].value.startswith("=HYPERLINK")
