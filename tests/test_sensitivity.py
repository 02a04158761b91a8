"""Sensitivities: tornado directions known by hand, break-even bracketing, Dask = local, failures recorded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import CHROMIUM, open_in_chromium, small_scenario

from planner import sensitivity as sx
from planner.paths import REPO_ROOT
from planner.run import optimise
from planner.scenario.scenario import SensitivityRow
from planner.solve import SolveOptions

OPTS = SolveOptions(mip_gap=1e-6)


def mining_site():
    """Cheap PV with a weak export line and a mining fleet: a positive-NPV project where mining matters."""
    n = 48
    h = np.arange(n) % 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None)
    sc = small_scenario(n, pv_cf=pv, export_price_usd_per_mwh=35.0, import_price_usd_per_mwh=45.0)
    sc.pv.enabled = sc.mining.enabled = True
    sc.pv.capex_usd_per_kw_ac, sc.pv.max_new_mw_ac = 500.0, 40.0
    sc.grid.connected, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = True, 5.0, 0.0
    mn = sc.mining
    mn.max_new_containers, mn.network_hashrate_growth_per_year, mn.hashprice_usd_per_ph_day = 20, 0.0, 60.0
    mn.next_halving_year = 2099.0
    sc.sensitivity = [
        SensitivityRow("mining.hashprice_usd_per_ph_day", 30.0, 90.0, "uniform"),
        SensitivityRow("finance.discount_rate", 0.05, 0.12, "uniform"),
        SensitivityRow("pv.capex_usd_per_kw_ac", 400.0, 700.0, "triangular"),
    ]
    return sc


@pytest.fixture(scope="module")
def site_and_base():
    sc = mining_site()
    base = optimise(sc, OPTS, marginals=False)
    assert base.npv_usd > 0 and base.sizes["mining_containers"] > 0
    return sc, base


def test_tornado_directions_known_by_hand(site_and_base):
    sc, base = site_and_base
    res = sx.run_cases(sc, sx.tornado_cases(sc, fixed_design=True), OPTS, base_sizes=base.new_sizes)
    assert all(r.status == "ok" for r in res)
    table = {row["parameter"]: row for row in sx.tornado_table(sc, sx.CaseResult(
        -1, "base", {}, False, "ok", npv_usd=base.npv_usd, sizes=base.sizes), res)}
    hp = table["mining.hashprice_usd_per_ph_day"]
    assert hp["npv_high_usd"] >= base.npv_usd - 1 >= hp["npv_low_usd"] - 1  # higher hashprice never lowers NPV
    dr = table["finance.discount_rate"]
    assert dr["npv_low_usd"] > base.npv_usd > dr["npv_high_usd"]  # higher discount rate lowers a positive NPV
    capex = table["pv.capex_usd_per_kw_ac"]
    assert capex["npv_low_usd"] >= capex["npv_high_usd"]
    # re-optimising can only do better than keeping today's build
    for row in table.values():
        for side in ("low", "high"):
            assert row[f"npv_{side}_usd"] >= row[f"npv_{side}_fixed_design_usd"] - 1e-6 * abs(base.npv_usd)
    # the warm path (in-place re-pricing) was used for these objective-only parameters and agrees with cold
    assert any(r.warm for r in res)
    cold = sx.run_cases(sc, sx.tornado_cases(sc), OPTS, warm=False)
    warm = [r for r in res if not r.fixed_design]
    for a, b in zip(warm, cold, strict=True):
        assert a.npv_usd == pytest.approx(b.npv_usd, rel=1e-5)


def test_breakeven_found_within_tolerance_and_checked_either_side(site_and_base):
    sc, _ = site_and_base
    be = sx.breakeven(sc, "mining.hashprice_usd_per_ph_day", "mining_containers>0", 5.0, 80.0, 0.5, OPTS)
    assert be.threshold is not None and be.hi - be.lo <= 0.5
    below = optimise_with(sc, be.threshold - 0.5)
    above = optimise_with(sc, be.threshold + 0.5)
    assert below.sizes["mining_containers"] == 0 < above.sizes["mining_containers"]


def optimise_with(sc, hashprice):
    s = sc.copy()
    s.mining.hashprice_usd_per_ph_day = hashprice
    return optimise(s, OPTS, marginals=False)


def test_sweep_through_dask_localcluster_equals_local_run(site_and_base):
    from distributed import LocalCluster

    sc, _ = site_and_base
    axes = [sx.parse_sweep("mining.hashprice_usd_per_ph_day=30:90:3"),
            sx.parse_sweep("pv.capex_usd_per_kw_ac=400:700:2")]
    cases = sx.sweep_cases(axes)
    local = sx.run_cases(sc, cases, OPTS)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = sx.run_cases(sc, cases, OPTS, dask=cluster.scheduler_address)
    assert [r.id for r in remote] == [r.id for r in local]
    for a, b in zip(local, remote, strict=True):
        assert a.status == b.status == "ok"
        assert a.npv_usd == pytest.approx(b.npv_usd, rel=1e-9)
        assert a.sizes == pytest.approx(b.sizes)


def test_failing_case_is_recorded_and_others_go_on(site_and_base):
    sc, _ = site_and_base
    cases = [sx.Case(0, {"mining.hashprice_usd_per_ph_day": 50.0}, "ok"),
             sx.Case(1, {"no.such_parameter": 1.0}, "bad name"),
             sx.Case(2, {"pv.min_new_mw_ac": 80.0}, "min above max: infeasible or rejected"),
             sx.Case(3, {"mining.hashprice_usd_per_ph_day": 70.0}, "ok too")]
    res = sx.run_cases(sc, cases, OPTS, workers=2)
    assert [r.status for r in res] == ["ok", "failed", "ok", "ok"] or [r.status for r in res] == [
        "ok", "failed", "failed", "ok"]
    assert "unknown parameter" in res[1].reason


def test_monte_carlo_statistics(site_and_base):
    sc, _ = site_and_base
    res = sx.run_cases(sc, sx.sample_cases(sc, 12, seed=3), OPTS)
    st = sx.monte_carlo_stats(res)
    assert st["samples_ok"] == 12
    assert st["npv_p10_usd"] <= st["npv_p50_usd"] <= st["npv_p90_usd"]
    assert 0.0 <= st["probability_of_loss"] <= 1.0
    draws = [r.changes["mining.hashprice_usd_per_ph_day"] for r in res]
    assert min(draws) >= 30.0 and max(draws) <= 90.0


def test_cli_tornado_on_a_real_workbook(tmp_path):
    from planner.scenario.template import template_scenario, write_workbook

    sc = template_scenario()
    sc.sensitivity = [SensitivityRow("mining.hashprice_usd_per_ph_day", 30.0, 120.0, "uniform")]
    wb = write_workbook(sc, tmp_path / "site.xlsx")
    out = tmp_path / "sens"
    r = subprocess.run([sys.executable, "-m", "planner.cli", "sensitivity", str(wb), "--tornado", "--typical-days",
                        "4", "--workers", "2", "-o", str(out)], capture_output=True, text=True, cwd=REPO_ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    for f in ("cases.csv", "tornado.csv", "sensitivity.xlsx", "sensitivity.html", "sensitivity.json"):
        assert (out / f).exists(), f
    import openpyxl

    assert len(openpyxl.load_workbook(out / "sensitivity.xlsx")["Tornado"]._charts) == 1


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/test.sh installs it)")
def test_results_browser_shows_the_picked_parameter_and_sweep_cell_in_headless_chromium(site_and_base, tmp_path):
    """sensitivity.html: pick a tornado parameter, a sweep metric and axes, a cell; the page shows that case."""
    import pandas as pd

    from planner.sensitivity_report import write_sensitivity

    sc, base = site_and_base
    sc = sc.copy()
    hostile = "</script><script>window.__pwned = 1</script><img src=x onerror='window.__pwned = 2'>"
    sc.sensitivity = [SensitivityRow(r.parameter, r.low, r.high, r.distribution, hostile) for r in sc.sensitivity]
    tor = sx.run_cases(sc, sx.tornado_cases(sc), OPTS)
    axes = [sx.parse_sweep("mining.hashprice_usd_per_ph_day=40:80:2"),
            sx.parse_sweep("pv.capex_usd_per_kw_ac=400:700:2")]
    sweep = sx.run_cases(sc, sx.sweep_cases(axes), OPTS)
    assert all(r.status == "ok" for r in tor + sweep)
    base_case = sx.CaseResult(-1, "base", {}, False, "ok", npv_usd=base.npv_usd, sizes=base.sizes)
    tables = {"tornado": pd.DataFrame(sx.tornado_table(sc, base_case, tor)),
              "sweep": pd.DataFrame([r.row() for r in sweep])}
    out = write_sensitivity(tmp_path / "sens", {"site": f"site {hostile}", "npv_usd": base.npv_usd,
                                                 "sizes": base.sizes},
                            pd.DataFrame([r.row() for r in tor + sweep]), tables, {})
    page = out / "sensitivity.html"
    html = page.read_text()
    assert "</script><script>window" not in html  # the hostile note is escaped in the table, and not in the JSON
    # the second tornado parameter by swing, and the sweep cell at hashprice 80, PV capex 400 (rows: capex)
    param = tables["tornado"]["parameter"].iloc[1]
    lo_case = next(r for r in tor if r.label == f"{param} low")
    hi_case = next(r for r in tor if r.label == f"{param} high")
    cell = next(r for r in sweep if r.changes == {"mining.hashprice_usd_per_ph_day": 80.0,
                                                  "pv.capex_usd_per_kw_ac": 400.0})

    def inspect(p):
        first = float(p.get_attribute("#td-npv-low", "data-value"))
        p.select_option("#tornado-param", label=param)
        picked = {k: float(p.get_attribute(f"#td-{k}", "data-value")) for k in ("npv-low", "npv-high", "low", "high")}
        low_sizes = {td.get_attribute("data-size"): float(td.get_attribute("data-value"))
                     for td in p.query_selector_all("#td-build tbody tr td:nth-child(3)")}
        p.select_option("#sweep-metric", value="size:mining_containers")
        p.select_option("#sweep-x", value="pv.capex_usd_per_kw_ac")  # swap the axes
        head = [th.text_content() for th in p.query_selector_all("#sweep-heatmap tr:first-child th")]
        p.click("#sweep-heatmap td[data-x='400'][data-y='80']")
        shown = {k: float(p.get_attribute(f"#sc-{k}", "data-value")) for k in ("npv",)}
        heat = float(p.get_attribute("#sweep-heatmap td.on", "data-value"))
        case_sizes = {td.get_attribute("data-size"): float(td.get_attribute("data-value"))
                      for td in p.query_selector_all("#sc-build tbody tr td:nth-child(2)")}
        return first, picked, low_sizes, head, shown, heat, case_sizes, p.text_content("#sc-label")

    seen = open_in_chromium(page, inspect=inspect)
    assert seen.errors == [] and seen.dialogs == [] and seen.pwned == "undefined" and seen.requests == [seen.url]
    first, picked, low_sizes, head, shown, heat, case_sizes, label = seen.inspected
    first_param = tables["tornado"]["parameter"].iloc[0]
    assert first == pytest.approx(next(r for r in tor if r.label == f"{first_param} low").npv_usd)
    assert picked["npv-low"] == pytest.approx(lo_case.npv_usd) and picked["npv-high"] == pytest.approx(hi_case.npv_usd)
    assert picked["npv-low"] != pytest.approx(first)  # the display changed to the other parameter's case
    assert (picked["low"], picked["high"]) == (lo_case.changes[param], hi_case.changes[param])
    assert low_sizes == pytest.approx(lo_case.sizes)
    assert head[0] == "mining.hashprice_usd_per_ph_day (rows) x pv.capex_usd_per_kw_ac (columns)"  # as picked
    assert label == cell.label and shown["npv"] == pytest.approx(cell.npv_usd)
    assert heat == pytest.approx(cell.sizes["mining_containers"]) and case_sizes == pytest.approx(cell.sizes)
    # without the script the page still holds every case: the static tables
    assert html.count("<table") >= 3 and f"{cell.npv_usd:,.4g}" in html
