"""Every worked example end to end (full year, real data): balance, pro-forma = objective, and what its doc claims.

These are the slowest tests (a full-year MILP each, 5-90 s); they run in CI.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from test_report import cell, live_sheet

from planner.examples import EXAMPLES
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.report import write_reports
from planner.run import optimise, write_outputs
from planner.scenario.periods import multi_period
from planner.scenario.reader import read_workbook
from planner.solve import SolveOptions

_CACHE: dict = {}


def result(site: str):
    if site not in _CACHE:
        sc = read_workbook(INPUTS_DIR / "examples" / f"{site}.xlsx")
        # a multi-period plan's baseline is valued over its periods while it is planned (the economics tests use it)
        _CACHE[site] = (sc, optimise(sc, SolveOptions(mip_gap=0.005, time_limit_s=900), marginals=False,
                                     baseline=multi_period(sc)))
    return _CACHE[site]


@pytest.mark.slow
@pytest.mark.parametrize("site", list(EXAMPLES))
def test_example_balances_proforma_equals_objective_and_reports_are_written(site, tmp_path):
    sc, r = result(site)
    assert r.solver.status == "optimal" and r.solver.mip_gap <= 0.005
    assert len(r.dispatch) == 8760
    assert np.abs(r.dispatch["balance_residual_mw"]).max() < 1e-6
    assert abs(r.proforma.npv_usd - r.npv_usd) <= 1e-6 * abs(r.npv_usd)
    out = write_outputs(r, tmp_path / site, extra_writers=[lambda _r, f: write_reports(f)])
    # the hourly rows stay in dispatch.csv: a full-year report.xlsx is small (issue 21: under 300 kB)
    assert 20_000 < (out / "report.xlsx").stat().st_size < 300_000
    assert (out / "report.html").stat().st_size > 10_000


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (scripts/test.sh installs libreoffice-calc-nogui)")
def test_west_texas_report_converts_to_pdf_with_libreoffice_headless(tmp_path):
    """The full-year report prints: LibreOffice headless turns every sheet into landscape pages (issue 21)."""
    import openpyxl

    _, r = result("west_texas")
    out = write_outputs(r, tmp_path / "west_texas", extra_writers=[lambda _r, f: write_reports(f)])
    profile = (tmp_path / "lo-profile").as_uri()  # a profile of its own: no clash with a LibreOffice running
    done = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to",
                           "pdf", "--outdir", str(tmp_path / "pdf"), str(out / "report.xlsx")],
                          capture_output=True, text=True, timeout=600)
    pdf = tmp_path / "pdf" / "report.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF")
    pages = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", raw)
    n_sheets = len(openpyxl.load_workbook(out / "report.xlsx").sheetnames)
    assert len(pages) >= n_sheets  # at least a page per sheet ...
    assert all(float(w) > float(h) for w, h in pages)  # ... every one landscape
    assert len(pages) < 60  # and no sheet runs to hundreds of pages (the 8760 rows are gone)
    # the live Assumptions sheet, evaluated by a formula engine, gives the planner's NPV (with the example's
    # tariff and reserve streams in its cash flow)
    _, rows, model = live_sheet(out, tmp_path)
    assert cell(model.calculate(), rows["Plan NPV"]) == pytest.approx(r.proforma.npv_usd, rel=1e-9)


def firm_ai_served(sc, d, it_mw):
    return (d["ai_it_mw"] >= sc.ai.firm_fraction * sc.hourly["ai_utilisation"] * it_mw - 1e-6).all()


@pytest.mark.slow
def test_west_texas_line_is_congested_and_firm_ai_is_served():
    sc, r = result("west_texas")
    d = r.dispatch
    assert (d["grid_export_mw"] <= 60.0 + 1e-6).all()
    assert (d["grid_export_mw"] >= 60.0 - 1e-6).sum() > 1000  # the line is full for many hours
    assert r.energy_mwh["curtailed"] > 0  # wind the line cannot take
    assert r.sizes["ai_blocks"] > 0 and firm_ai_served(sc, d, r.sizes["ai_it_mw"])


@pytest.mark.slow
def test_permian_gas_is_fuel_limited_in_every_period_and_the_rest_is_flared():
    """The gas declines by period (docs/periods.md): the first period's year burns at most its declined supply, no
    period holds more gensets than its gas can feed, and the fleet shrinks as the gas does."""
    from planner.scenario.periods import period_changes

    sc, r = result("permian_gas")
    factors = [ch["hourly.gas_supply_mmbtu_per_h"] for ch in period_changes(sc)]
    assert factors == sorted(factors, reverse=True) and factors[0] < 1  # declining, from year 1's level
    supply = sc.hourly["gas_supply_mmbtu_per_h"]
    d = r.dispatch  # the first period's year
    burned = d["gas_mw"] * sc.gas.heat_rate_mmbtu_per_mwh
    assert (burned <= factors[0] * supply + 1e-6).all()
    assert r.gas["gas_supply_mmbtu"] == pytest.approx(factors[0] * supply.sum(), rel=1e-9)
    units = [p["sizes"]["gas_units"] for p in r.extra["periods"]]
    for n, f in zip(units, factors, strict=True):
        max_fuel_mw = f * supply.max() / sc.gas.heat_rate_mmbtu_per_mwh
        assert n * sc.gas.unit_mw * sc.gas.availability <= max_fuel_mw + sc.gas.unit_mw  # no idle gensets
    assert units == sorted(units, reverse=True) and units[-1] < units[0]  # one is relocated as the gas falls
    assert r.gas["gas_flared_mmbtu"] > 0 and r.gas["flared_co2e_t"] > 0
    assert r.energy_mwh["export"] == 0  # no grid


@pytest.mark.slow
def test_remote_hydro_follows_the_river_and_the_weak_line():
    sc, r = result("remote_hydro")
    d = r.dispatch
    river = sc.hourly["hydro_flow_m3s"] * sc.hydro.head_m * sc.hydro.efficiency * 9.81e-3
    assert (d["hydro_mw"] <= river + 1e-6).all()
    assert (d["grid_export_mw"] <= 8.0 + 1e-6).all()
    assert r.sizes["hydro_mw"] > 0


@pytest.mark.slow
def test_factory_load_is_served_every_hour():
    sc, r = result("factory")
    d = r.dispatch
    assert r.energy_mwh["site_load_unserved"] == 0
    assert np.allclose(d["site_load_mw"], sc.hourly["site_load_mw"])


@pytest.mark.slow
def test_iceland_geothermal_feeds_ai_and_mining():
    sc, r = result("iceland")
    assert r.sizes["geothermal_units"] >= 1
    assert r.energy_mwh["ai"] > 0
    assert firm_ai_served(sc, r.dispatch, r.sizes["ai_it_mw"])


@pytest.mark.slow
def test_middle_east_firm_ai_is_served_through_the_night():
    sc, r = result("middle_east")
    d = r.dispatch
    night = sc.hourly["pv_cf"].to_numpy() == 0
    assert r.sizes["ai_blocks"] > 0
    assert firm_ai_served(sc, d, r.sizes["ai_it_mw"])
    assert d.loc[night, "ai_facility_mw"].min() > 0  # AI runs at night on storage/imports
    assert r.sizes["battery_mwh"] > 0


@pytest.mark.slow
def test_nuclear_ai_no_hour_has_unserved_ai_and_mining_stays_within_its_fleet():
    sc, r = result("nuclear_ai")
    d = r.dispatch
    assert firm_ai_served(sc, d, r.sizes["ai_it_mw"])
    assert (d["mining_mw"] <= r.sizes["mining_containers"] * sc.mining.container_mw * sc.mining.availability
            + 1e-6).all()
    avail = sc.nuclear.availability * sc.hourly["firm_available_fraction"]
    floor = sc.nuclear.min_load_fraction * avail * r.sizes["nuclear_mw"]
    assert (d["nuclear_mw"] >= floor - 1e-6).all()
    assert r.energy_mwh["mining"] > 0  # mining absorbs what AI and the line do not


@pytest.mark.slow
@pytest.mark.parametrize("site", list(EXAMPLES))
def test_example_npv_and_sizes_are_unchanged_from_the_pinned_run(site):
    """A restructuring must not move any answer: NPV and every size as pinned (scripts/pin_example_results.py)."""
    pinned = json.loads((REPO_ROOT / "tests" / "data" / "example_results.json").read_text())[site]
    _, r = result(site)
    assert r.npv_usd == pytest.approx(pinned["npv_usd"], rel=1e-9)
    assert set(r.sizes) == set(pinned["sizes"])
    for key, value in pinned["sizes"].items():
        assert r.sizes[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


def multi_period_examples() -> list[str]:
    return [s for s in EXAMPLES if multi_period(read_workbook(INPUTS_DIR / "examples" / f"{s}.xlsx"))]


def test_permian_gas_and_phased_ai_are_the_multi_period_examples():
    assert multi_period_examples() == ["permian_gas", "phased_ai"]


@pytest.mark.slow
@pytest.mark.parametrize("site", ["permian_gas", "phased_ai"])
def test_a_multi_period_example_keeps_its_books_by_period(site):
    """Every period's capacity is the last period's plus what it builds less what it retires; the periods follow
    the workbook's Periods sheet; each period's year was re-dispatched in full."""
    sc, r = result(site)
    ps = r.extra["periods"]
    assert [p["start_year"] for p in ps] == [p.start_year for p in sc.investment_periods]
    bought = r.summary()["capex_by_size_usd"]
    before = {k: r.sizes_existing.get(k, 0.0) for k in ps[0]["sizes"]}
    for p in ps:
        for k, total in p["sizes"].items():
            if k in bought:
                assert total == pytest.approx(before[k] + p["sizes_new"][k] - p["sizes_retired"][k], abs=1e-9), k
        before = dict(p["sizes"])
    assert r.extra["multi_period"]["sizing_solver"]["status"] == "optimal"
    assert all(s["status"] == "optimal" for s in r.extra["multi_period"]["full_year_solvers"])


@pytest.mark.slow
def test_phased_ai_builds_each_hall_within_its_feed_and_mining_fills_the_first_years():
    from planner.examples import PHASE_1_AI_BLOCKS, PHASE_2_AI_BLOCKS, PHASE_2_YEAR

    _, r = result("phased_ai")
    ps = r.extra["periods"]
    ai = [p["sizes"]["ai_blocks"] for p in ps]
    limit = [PHASE_1_AI_BLOCKS if p["start_year"] < PHASE_2_YEAR else PHASE_2_AI_BLOCKS for p in ps]
    assert all(a <= cap for a, cap in zip(ai, limit, strict=True))
    assert 0 < ai[0] < ai[-1]  # built in phases: the second hall only once its feed exists
    assert all(p["sizes_new"]["ai_blocks"] == 0 for p in ps if p["start_year"] not in (ps[0]["start_year"],
                                                                                         PHASE_2_YEAR))
    mining = [p["sizes"]["mining_containers"] for p in ps]
    assert mining[0] > 0 and mining[-1] < mining[0]  # the fleet uses the early years and leaves
    assert [p["energy_mwh"]["mining"] > 0 for p in ps] == [m > 0 for m in mining]
