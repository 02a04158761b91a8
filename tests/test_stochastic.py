"""Two-stage stochastic sizing (planner/stochastic.py) on hand cases whose answers have a closed form.

The newsvendor-like case: a mining-only site with 3 MW of free energy in every hour (existing PV, capacity
factor 1, no O&M) and a flat grid import price c. Two equally likely hashprices: in A mining pays even on
imported energy (r_A > c), in B only on the free energy (r_B < c). A container's value is linear in the fleet
with a kink at the free 3 MW, so the optimum is at the kink or at the maximum, decided by hand below.
"""

from dataclasses import dataclass, field

import numpy as np
import pytest
from helpers import annuity, pv_of_years, small_scenario

from planner import risk
from planner.run import optimise
from planner.solve import SolveOptions
from planner.stochastic import Settings, build_extensive, scenario_inputs, solve_extensive, stochastic_plan

OPTS = SolveOptions(mip_gap=1e-9)
D, N_YEARS = 0.08, 20
FREE_MW, MAX_CONTAINERS, IMPORT_USD = 3, 10, 60.0
MWH_PER_TH = 1000 / 20.0  # TH/s per MW at 20 J/TH
R_A, R_B = 100.0, 10.0  # revenue per MWh mined in A and B


def hashprice(revenue_usd_per_mwh: float) -> float:
    """The hashprice (USD/PH/day) that gives this revenue per MWh: r = h / 24 x 50 PH/MW x (1 - 2 % fee)."""
    return revenue_usd_per_mwh * 24 / (MWH_PER_TH * 0.98)


@dataclass
class Sc:
    name: str
    probability: float
    changes: dict = field(default_factory=dict)


def site():
    sc = small_scenario(24, pv_cf=1.0, import_price_usd_per_mwh=IMPORT_USD)
    sc.pv.enabled, sc.pv.existing_mw_ac, sc.pv.max_new_mw_ac = True, float(FREE_MW), 0.0
    sc.pv.fom_usd_per_kw_year, sc.pv.degradation_per_year = 0.0, 0.0
    sc.grid.connected, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = True, 0.0, 100.0
    mn = sc.mining
    mn.enabled, mn.max_new_containers = True, MAX_CONTAINERS
    mn.container_mw, mn.container_pue, mn.availability = 1.0, 1.0, 1.0
    mn.asic_efficiency_j_per_th, mn.asic_price_usd_per_th, mn.asic_price_decline_per_year = 20.0, 5.0, 0.0
    mn.container_capex_usd_per_mw, mn.infrastructure_life_years, mn.asic_life_years = 100000.0, 10, 4
    mn.fom_usd_per_mw_year, mn.pool_fee = 10000.0, 0.02
    mn.network_hashrate_growth_per_year, mn.btc_price_growth_per_year = 0.0, 0.0
    mn.next_halving_year = 2099.0
    mn.hashprice_usd_per_ph_day = hashprice(0.5 * (R_A + R_B))
    return sc


SCENARIOS = [Sc("A", 0.5, {"mining.hashprice_usd_per_ph_day": hashprice(R_A)}),
             Sc("B", 0.5, {"mining.hashprice_usd_per_ph_day": hashprice(R_B)})]
A = 8760 * annuity(D, N_YEARS)  # PV of one MW running every hour for the life, per USD/MWh of margin
K = 250000 * pv_of_years(D, [0, 4, 8, 12, 16]) + 100000 * pv_of_years(D, [0, 10]) + 10000 * annuity(D, N_YEARS)


def npv(n: int, r: float) -> float:
    """One scenario's NPV of n containers: the free MW always mined, imports only where r > c."""
    free = min(n, FREE_MW)
    imported = max(0, n - FREE_MW) if r > IMPORT_USD else 0
    return A * (r * free + (r - IMPORT_USD) * imported) - K * n


def test_the_hand_case_has_the_shape_the_closed_form_needs():
    mean = 0.5 * (R_A + R_B)
    assert A * mean > K  # below the kink every container pays in expectation
    assert A * (mean - IMPORT_USD) < K  # the mean scenario would not mine on imports
    assert 0.5 * A * (R_A - IMPORT_USD) > K  # but with recourse (B stops importing) the expectation pays
    assert A * R_B < K  # B alone builds nothing


def test_stochastic_fleet_npv_vss_evpi_and_mining_hedge_value_equal_the_closed_form():
    block, _ = stochastic_plan(site(), SCENARIOS, Settings(typical_days=None), OPTS)
    e_sto = 0.5 * (npv(MAX_CONTAINERS, R_A) + npv(MAX_CONTAINERS, R_B))
    e_ev = 0.5 * (npv(FREE_MW, R_A) + npv(FREE_MW, R_B))  # the mean scenario builds to the kink
    e_pi = 0.5 * (npv(MAX_CONTAINERS, R_A) + npv(0, R_B))
    assert block["design"]["new_sizes"]["mining_new_containers"] == MAX_CONTAINERS
    assert block["ev_design"]["new_sizes"]["mining_new_containers"] == FREE_MW
    assert block["expected_npv_usd"] == pytest.approx(e_sto, rel=1e-7)
    assert [s["npv_usd"] for s in block["scenarios"]] == pytest.approx(
        [npv(MAX_CONTAINERS, R_A), npv(MAX_CONTAINERS, R_B)], rel=1e-7)
    assert block["ev_design"]["expected_npv_usd"] == pytest.approx(e_ev, rel=1e-7)
    assert block["vss_usd"] == pytest.approx(e_sto - e_ev, rel=1e-6) and block["vss_usd"] > 0
    assert block["evpi_usd"] == pytest.approx(e_pi - e_sto, rel=1e-6) and block["evpi_usd"] > 0
    assert block["value_of_flexibility_usd"]["mining"] == pytest.approx(e_sto, rel=1e-7)  # without: nothing
    assert block["value_of_flexibility_usd"]["battery"] is None  # no battery on this site
    assert block["cvar_usd"] == pytest.approx(risk.cvar([npv(10, R_A), npv(10, R_B)], [0.5, 0.5], 0.1))
    assert block["probability_of_loss"] == pytest.approx(0.5)  # B loses money with 10 containers


def test_full_cvar_aversion_builds_no_more_than_risk_neutral_and_its_objective_is_the_worst_case():
    sc = site()
    scs = scenario_inputs(sc, SCENARIOS)
    neutral, _, _ = solve_extensive(build_extensive(scs, [0.5, 0.5]), OPTS)
    ext = build_extensive(scs, [0.5, 0.5], risk_aversion=1.0, cvar_alpha=0.5)
    averse, stats, block_npv = solve_extensive(ext, OPTS)
    # CVaR of the worst half = B's NPV, which falls with every container (A r_B < K): none are built
    assert averse["mining_new_containers"] == 0 <= neutral["mining_new_containers"] == MAX_CONTAINERS
    assert stats.objective == pytest.approx(min(block_npv), abs=1e-3)


def test_one_scenario_equals_the_deterministic_model():
    sc = site()
    det = optimise(sc, OPTS, marginals=False)
    design, stats, block_npv = solve_extensive(build_extensive(scenario_inputs(sc, [Sc("only", 1.0)]), [1.0]), OPTS)
    assert design == pytest.approx(det.new_sizes, abs=1e-9)
    assert stats.objective == pytest.approx(det.npv_usd, rel=1e-9)
    assert block_npv[0] == pytest.approx(det.npv_usd, rel=1e-9)


@pytest.mark.parametrize("risk_aversion", [0.0, 0.5])
def test_benders_gives_the_extensive_forms_design_and_objective(risk_aversion):
    from planner.stochastic import solve_decomposed

    scs = scenario_inputs(site(), SCENARIOS)
    ext_design, ext_stats, ext_npv = solve_extensive(build_extensive(scs, [0.5, 0.5], risk_aversion, 0.5), OPTS)
    design, stats, npv_s = solve_decomposed(scs, [0.5, 0.5], OPTS, risk_aversion, 0.5)
    assert stats.status == "optimal" and "Benders" in stats.termination
    assert design == pytest.approx(ext_design, abs=1e-6)
    assert stats.objective == pytest.approx(ext_stats.objective, rel=1e-7)
    assert npv_s == pytest.approx(ext_npv, rel=1e-7)


def test_benders_cuts_off_designs_that_cannot_serve_a_firm_load_and_matches_the_extensive_form(monkeypatch):
    """A 5 MW load that must be served by 1-MW gensets (no grid) next to a mining fleet: the master's first designs
    leave the load short, so feasibility cuts (S6) are needed; the answer is the extensive form's."""
    from planner.stochastic import solve_decomposed

    sc = small_scenario(24, site_load_mw=5.0, gas_supply_mmbtu_per_h=200.0)
    sc.site_load.enabled = True
    g = sc.gas
    g.enabled, g.max_new_units, g.fuel_price_usd_per_mmbtu, g.availability = True, 12, 1.0, 1.0
    mn = site().mining
    sc.mining = mn
    sc.mining.max_new_containers = 6
    scs = scenario_inputs(sc, SCENARIOS)
    ext_design, ext_stats, _ = solve_extensive(build_extensive(scs, [0.5, 0.5]), OPTS)
    from planner.solve import YearCheck

    shortfalls = []
    cut = YearCheck.cut

    def counted(self, design, names):
        out = cut(self, design, names)
        shortfalls.append(out[0])
        return out

    monkeypatch.setattr(YearCheck, "cut", counted)  # counts the feasibility cuts; the LPs are HiGHS's own
    design, stats, _ = solve_decomposed(scs, [0.5, 0.5], OPTS)
    assert "Benders" in stats.termination and stats.status == "optimal"
    assert shortfalls and min(shortfalls) > 0  # designs short of the load were cut off
    assert ext_design["gas_new_units"] >= 5
    assert design == pytest.approx(ext_design, abs=1e-6)
    assert stats.objective == pytest.approx(ext_stats.objective, rel=1e-7)


@pytest.mark.slow  # a full-year workbook written, run stochastic and sampled: ~40 s
def test_cli_stochastic_run_writes_the_block_and_both_reports_and_monte_carlo_holds_its_design(tmp_path):
    """`planner run WB --stochastic` on the hand case over a full year (listed scenarios A and B in the workbook):
    exit 0, the closed-form fleet and expected NPV in summary.json, the uncertainty sections in both reports,
    and `planner sensitivity --samples --design` valuing that design."""
    import json
    import subprocess
    import sys

    import openpyxl

    from planner.scenario.scenario import ListedChange
    from planner.scenario.template import write_workbook

    sc = site()
    wave = 30 + 10 * np.sin(np.arange(8760) * 2 * np.pi / 24)  # an export price the site cannot use (no line):
    sc.hourly = small_scenario(8760, pv_cf=1.0, import_price_usd_per_mwh=IMPORT_USD,  # days differ, the model not
                               export_price_usd_per_mwh=wave).hourly
    sc.site.name = "stochastic-cli"
    sc.listed_scenarios = [ListedChange(s.name, s.probability, k, v) for s in SCENARIOS for k, v in s.changes.items()]
    wb = write_workbook(sc, tmp_path / "site.xlsx")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "planner.cli", "run", str(wb), "-o", str(out), "--stochastic",
                        "--gap", "1e-7"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "value of the stochastic solution (VSS)" in r.stdout
    summary = json.loads((out / "summary.json").read_text())
    block = summary["stochastic"]
    assert block["typical_days"] == 48  # the default
    assert [s["name"] for s in block["scenarios"]] == ["A", "B"]
    assert block["design"]["new_sizes"]["mining_new_containers"] == MAX_CONTAINERS
    assert summary["sizes_new"]["mining_containers"] == MAX_CONTAINERS  # the plan's pages show the design
    e_sto = 0.5 * (npv(MAX_CONTAINERS, R_A) + npv(MAX_CONTAINERS, R_B))
    assert block["expected_npv_usd"] == pytest.approx(e_sto, rel=1e-6)
    assert block["vss_usd"] == pytest.approx(e_sto - 0.5 * (npv(FREE_MW, R_A) + npv(FREE_MW, R_B)), rel=1e-5)
    book = openpyxl.load_workbook(out / "report.xlsx")
    assert "Uncertainty" in book.sheetnames
    html = (out / "report.html").read_text()
    assert "id='uncertainty'" in html or 'id="uncertainty"' in html
    mc = subprocess.run([sys.executable, "-m", "planner.cli", "sensitivity", str(wb), "--samples", "2", "--design",
                         str(out), "-o", str(tmp_path / "mc")], capture_output=True, text=True)
    assert mc.returncode == 0, mc.stderr + mc.stdout
    assert "Monte Carlo of the held design: 2 cases" in mc.stderr
    bad = subprocess.run([sys.executable, "-m", "planner.cli", "sensitivity", str(wb), "--samples", "2", "--design",
                          str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode == 2 and "not a planner output folder" in bad.stderr
