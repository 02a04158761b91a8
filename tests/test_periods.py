"""Investment periods (planner/periods.py) on hand cases whose answers have a closed form (docs/periods.md).

Each case is a 24-hour flat year (weights 365) so every period's year is exact, solved over full years
(typical_days=None), and its NPV derived below from the period's years and each vintage's purchases, salvage
and recovery, independently of planner/finance.py.
"""

import math

import pytest
from helpers import pv_of_years, small_scenario

from planner.periods import optimise_periods
from planner.scenario.periods import arps_factors, period_changes, spans
from planner.scenario.scenario import DeclineRow, InvestmentPeriod
from planner.solve import SolveOptions

OPTS = SolveOptions(mip_gap=1e-9)
D = 0.08


def years(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


def v(y: float) -> float:
    return (1 + D) ** -y


def periods(*starts_and_changes):
    return [InvestmentPeriod(start, dict(changes)) for start, changes in starts_and_changes]


# ----------------------------------------------------------------------------------------- a stepped load

UNIT_MW, UNIT_USD, LIFE, FOM_USD_PER_UNIT, FUEL = 50.0, 250e6, 40, 5e6, 10.0
LOADS = (100.0, 150.0, 200.0)


def stepped_load_site():
    """A 100 MW load that steps to 150 and 200 MW, served by 50-MW firm units (no decline, life 40)."""
    sc = small_scenario(24, site_load_mw=100.0)
    sc.site_load.enabled = True
    n = sc.nuclear
    n.enabled, n.unit_mw, n.capex_usd_per_kw, n.life_years, n.max_new_units = True, UNIT_MW, 5000.0, LIFE, 10
    n.fom_usd_per_kw_year, n.fuel_usd_per_mwh = FOM_USD_PER_UNIT / (UNIT_MW * 1000), FUEL
    sc.finance.analysis_years, sc.finance.discount_rate = 23, D
    sc.investment_periods = periods((2027, {}), (2037, {"hourly.site_load_mw": 1.5}),
                                    (2042, {"hourly.site_load_mw": 2.0}))
    return sc


def test_a_load_stepping_up_builds_each_step_when_it_is_needed_and_the_npv_is_the_closed_form():
    r = optimise_periods(stepped_load_site(), OPTS, typical_days=None, baseline=False)
    spans_ = [(1, 10), (11, 15), (16, 23)]
    builds = [p["sizes_new"]["nuclear_units"] for p in r.extra["periods"]]
    assert builds == [2, 1, 1]
    assert [p["sizes"]["nuclear_units"] for p in r.extra["periods"]] == [2, 3, 4]
    n = 23
    capital = sum(b * UNIT_USD * (v(first - 1) - (first - 1 + LIFE - n) / LIFE * v(n))
                  for b, (first, _last) in zip(builds, spans_, strict=True))
    operating = sum((units * FOM_USD_PER_UNIT + FUEL * 8760 * load) * pv_of_years(D, years(*span))
                    for units, load, span in zip((2, 3, 4), LOADS, spans_, strict=True))
    expected = -capital - operating
    assert r.npv_usd == pytest.approx(expected, rel=1e-9)
    assert r.proforma.npv_usd == pytest.approx(expected, rel=1e-9)
    assert [p["energy_mwh"]["site_load"] for p in r.extra["periods"]] == pytest.approx([8760 * x for x in LOADS])
    assert [(p["first_year"], p["last_year"]) for p in r.extra["periods"]] == spans_
    assert r.extra["periods"][1]["capex_usd"] == pytest.approx(UNIT_USD)


# ----------------------------------------------------------------------------------- a declining gas supply

HEAT_RATE, EXPORT, GAS_PRICE, GENSET_USD, G_LIFE, MOVE_USD_PER_KW = 8.5, 50.0, 0.5, 1.5e6, 20, 60.0
FLOWS_MW = (8.2, 4.1, 2.05)  # gas as MW of genset output: halving every period


def gas_site(recovery: float = 1.0):
    sc = small_scenario(24, gas_supply_mmbtu_per_h=HEAT_RATE * FLOWS_MW[0], export_price_usd_per_mwh=EXPORT)
    g = sc.gas
    g.enabled, g.availability, g.fuel_price_usd_per_mmbtu, g.max_new_units = True, 1.0, GAS_PRICE, 20
    g.heat_rate_mmbtu_per_mwh, g.unit_mw, g.capex_usd_per_kw, g.life_years = HEAT_RATE, 1.0, 1500.0, G_LIFE
    g.fom_usd_per_kw_year, g.retire_recovery_fraction, g.relocation_cost_usd_per_kw = 20.0, recovery, MOVE_USD_PER_KW
    sc.grid.connected, sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = True, 100, 0, 0
    sc.finance.analysis_years, sc.finance.discount_rate = 12, D
    sc.investment_periods = periods((2027, {}), (2031, {"hourly.gas_supply_mmbtu_per_h": 0.5}),
                                    (2035, {"hourly.gas_supply_mmbtu_per_h": 0.25}))
    return sc


def test_a_gas_supply_halving_each_period_keeps_floor_flow_units_and_relocates_the_rest():
    r = optimise_periods(gas_site(), OPTS, typical_days=None, baseline=False)
    units = [p["sizes"]["gas_units"] for p in r.extra["periods"]]
    assert units == [math.floor(f) for f in FLOWS_MW] == [8, 4, 2]
    assert [p["sizes_retired"]["gas_units"] for p in r.extra["periods"]] == [0, 4, 2]
    assert [p["sizes_new"]["gas_units"] for p in r.extra["periods"]] == [8, 0, 0]
    assert r.npv_usd == pytest.approx(gas_npv(), rel=1e-9)
    assert r.proforma.npv_usd == pytest.approx(r.npv_usd, rel=1e-9)


def gas_npv() -> float:
    """8 gensets bought in year 0, 4 relocated at the end of year 4 and 2 at the end of year 8, 2 salvaged at 12."""
    margin = EXPORT - GAS_PRICE * HEAT_RATE  # USD per MWh a running genset earns
    fom = 20.0 * 1000  # USD per genset-year
    spans_ = [(1, 4), (5, 8), (9, 12)]
    operating = sum((n * 8760 * margin - n * fom) * pv_of_years(D, years(*s))
                    for n, s in zip((8, 4, 2), spans_, strict=True))
    move = MOVE_USD_PER_KW * 1000
    capital = (8 * GENSET_USD - 4 * (GENSET_USD * (G_LIFE - 4) / G_LIFE - move) * v(4)
               - 2 * (GENSET_USD * (G_LIFE - 8) / G_LIFE - move) * v(8)
               - 2 * GENSET_USD * (G_LIFE - 12) / G_LIFE * v(12))
    return operating - capital


# ------------------------------------------------------------------------------------- mining over a halving

R1, C_MW, ASIC_USD_PER_TH, M_FOM, M_LIFE = 10.0, 100000.0, 5.0, 10000.0, 12
FLEET = 10


def mining_site(recovery: float):
    """10 MW of free energy; a 1-MW container earns R1 USD/MWh before the 2031 halving and R1 / 2 after."""
    sc = small_scenario(24, pv_cf=1.0)
    sc.pv.enabled, sc.pv.existing_mw_ac, sc.pv.max_new_mw_ac = True, float(FLEET), 0.0
    sc.pv.fom_usd_per_kw_year, sc.pv.degradation_per_year = 0.0, 0.0
    mn = sc.mining
    mn.enabled, mn.max_new_containers, mn.container_mw, mn.container_pue, mn.availability = True, FLEET, 1.0, 1.0, 1.0
    mn.asic_power_w = 4000.0
    mn.asic_efficiency_j_per_th, mn.asic_price_usd_per_th, mn.asic_price_decline_per_year = 20.0, ASIC_USD_PER_TH, 0.0
    mn.container_capex_usd_per_mw, mn.infrastructure_life_years, mn.asic_life_years = C_MW, M_LIFE, M_LIFE
    mn.fom_usd_per_mw_year, mn.pool_fee, mn.fee_share_of_reward = M_FOM, 0.02, 0.0
    mn.network_hashrate_growth_per_year, mn.btc_price_growth_per_year = 0.0, 0.0
    mn.next_halving_year, mn.halving_interval_years = 2031.0, 10.0  # one halving inside the 12 years
    mn.hashprice_usd_per_ph_day = R1 * 24 / (50.0 * 0.98)
    mn.retire_recovery_fraction = recovery
    sc.finance.analysis_years, sc.finance.discount_rate = 12, D
    sc.investment_periods = periods((2027, {}), (2031, {}))
    return sc


def container_usd() -> float:
    return C_MW + 1e6 / 20.0 * ASIC_USD_PER_TH  # 1 MW of ASICs at 20 J/TH is 50,000 TH


def test_the_hand_mining_case_decides_between_keeping_and_retiring_by_the_margin():
    after = R1 / 2 * 8760 - M_FOM  # a container's margin after the halving, per year
    recovered = container_usd() * (M_LIFE - 4) / M_LIFE * v(4)  # PV of all its undepreciated value at year 4
    assert 0 < after * pv_of_years(D, years(5, 12)) < recovered  # recovery 1 retires, recovery 0 keeps
    before = (R1 * 8760 - M_FOM) * pv_of_years(D, years(1, 4))
    assert before + after * pv_of_years(D, years(5, 12)) > container_usd()  # it pays to build either way
    assert after * pv_of_years(D, years(5, 12)) < container_usd()  # a fleet built after the halving would not


@pytest.mark.parametrize("recovery", [1.0, 0.0])
def test_a_mining_fleet_is_retired_at_the_halving_when_its_recovery_beats_the_margin_after_it(recovery):
    r = optimise_periods(mining_site(recovery), OPTS, typical_days=None, baseline=False)
    before = (R1 * 8760 - M_FOM) * pv_of_years(D, years(1, 4))
    after = (R1 / 2 * 8760 - M_FOM) * pv_of_years(D, years(5, 12))
    sizes = [p["sizes"]["mining_containers"] for p in r.extra["periods"]]
    if recovery == 1.0:
        assert sizes == [FLEET, 0]
        expected = FLEET * (before - container_usd() + container_usd() * (M_LIFE - 4) / M_LIFE * v(4))
    else:
        assert sizes == [FLEET, FLEET]
        expected = FLEET * (before + after - container_usd())
    assert r.npv_usd == pytest.approx(expected, rel=1e-9)
    assert r.proforma.npv_usd == pytest.approx(expected, rel=1e-9)


# ----------------------------------------------------------------------------------- inputs of the periods

def test_periods_map_start_years_to_operating_years_and_reject_a_late_first_period():
    sc = small_scenario(24)
    sc.finance.analysis_years = 20
    sc.investment_periods = periods((2027, {}), (2030, {}), (2035, {}), (2040, {}))
    assert [(s.first, s.last) for s in spans(sc)] == [(1, 3), (4, 8), (9, 13), (14, 20)]
    sc.investment_periods = periods((2028, {}), (2030, {}))
    with pytest.raises(Exception, match="first period must start in the year of commercial operation"):
        spans(sc)


def test_an_exponential_decline_of_ln2_halves_the_supply_every_year():
    sc = small_scenario(24)
    sc.finance.analysis_years = 3
    sc.investment_periods = periods((2027, {}), (2028, {}), (2029, {"hourly.gas_supply_mmbtu_per_h": 2.0}))
    row = DeclineRow("hourly.gas_supply_mmbtu_per_h", math.log(2), 0.0)
    assert arps_factors(row, spans(sc)) == pytest.approx([1.0, 0.5, 0.25], rel=1e-12)
    sc.declines = [row]
    assert [c["hourly.gas_supply_mmbtu_per_h"] for c in period_changes(sc)] == pytest.approx([1.0, 0.5, 0.5])


def test_a_retired_vintage_pays_from_its_build_year_and_recovers_its_share_when_it_leaves():
    from planner.finance import CapitalItem, capital_schedule

    sc = small_scenario(24)
    fin = sc.finance
    fin.analysis_years, fin.tax_rate, fin.depreciation, fin.straight_line_years = 12, 0.2, "straight_line", 5
    item = CapitalItem("x", "x", 1000.0, life_years=3, price_decline_per_year=0.1, itc_fraction=0.3)
    s = capital_schedule(item, fin, built=4, retired=9, recovery=0.5, retire_cost_usd_per_unit=7.0)
    price = 1000.0 * 0.9 ** 4  # the year-0 price declined to the build year
    assert s["invest"][4] == pytest.approx(price) and s["invest"][7] == pytest.approx(price * 0.9 ** 3)
    assert s["invest"][9] == pytest.approx(7.0)  # leaving: no replacement in year 9, only the moving cost
    assert s["invest"].sum() == pytest.approx(price + price * 0.9 ** 3 + 7.0)
    assert s["itc"][5] == pytest.approx(0.3 * price) and s["itc"].sum() == pytest.approx(0.3 * price)
    # the purchase of year 7 has 7 + 3 - 9 = 1 of its 3 years left when the unit leaves at the end of year 9
    assert s["salvage"][9] == pytest.approx(0.5 * price * 0.9 ** 3 / 3) and s["salvage"].sum() == s["salvage"][9]
    first = (price - 0.5 * 0.3 * price) / 5  # basis less half the ITC, five years straight line
    second = price * 0.9 ** 3 / 5
    assert s["depreciation"][5:10] == pytest.approx([first, first, first, first + second, first + second])
    assert s["depreciation"][10:].sum() == 0  # depreciation not taken by the end of year 9 is lost


def test_with_tax_depreciation_and_credits_the_multi_period_proforma_equals_the_objective():
    sc = gas_site(recovery=0.7)
    sc.finance.tax_rate, sc.finance.depreciation = 0.21, "macrs_5"
    r = optimise_periods(sc, OPTS, typical_days=None, baseline=True)
    assert r.proforma.npv_usd == pytest.approx(r.npv_usd, rel=1e-9)
    # the baseline builds nothing and sells nothing: its NPV is zero and the investment is the whole plan
    assert r.baseline.npv_usd == pytest.approx(0.0, abs=1e-6)
    assert r.investment.npv_usd == pytest.approx(r.npv_usd, rel=1e-12)
    assert r.investment.proforma_npv_usd == pytest.approx(r.npv_usd, rel=1e-9)


def test_a_period_may_not_change_what_one_unit_is():
    sc = gas_site()
    sc.investment_periods = periods((2027, {}), (2031, {"gas.unit_mw": 2.0}))
    with pytest.raises(Exception, match="changes the size of one unit of Genset capacity"):
        optimise_periods(sc, OPTS, typical_days=None, baseline=False)


def test_on_typical_days_every_period_is_valued_on_its_full_year():
    """Ten days of hourly gas that falls and recovers: sized on 3 typical days, valued on the 10 real days."""
    import numpy as np

    hours = 24 * 10
    flow = HEAT_RATE * (6.0 + 2.0 * np.sin(np.arange(hours) * 2 * np.pi / hours))
    sc = gas_site()
    sc.hourly = small_scenario(hours, gas_supply_mmbtu_per_h=flow, export_price_usd_per_mwh=EXPORT).hourly
    r = optimise_periods(sc, OPTS, typical_days=3, baseline=False)
    full = optimise_periods(sc, OPTS, typical_days=None, baseline=False)
    assert r.proforma.npv_usd == pytest.approx(r.npv_usd, rel=1e-9)
    assert r.extra["multi_period"]["typical_days"] == 3
    assert r.npv_usd <= full.npv_usd * (1 + 1e-9)  # the full-year optimum is at least as good
    operating = r.extra["multi_period"]["operating_pv_usd"]
    for p, q, pv in zip(r.extra["periods"], full.extra["periods"], operating, strict=True):
        assert p["energy_mwh"]["generation_gas"] <= 8760 * 8.0 * (1 + 1e-9)  # within the real gas of the year
        assert q["energy_mwh"]["generation_gas"] <= 8760 * 8.0 * (1 + 1e-9)
        assert p["npv_operating_usd"] == pytest.approx(pv, rel=1e-12)  # the period's own full-year value
    assert r.npv_usd == pytest.approx(sum(operating) - r.extra["multi_period"]["capital_pv_usd"], rel=1e-12)


def dark_spell_periods_site():
    """Firm AI on PV and a battery only, with a five-day dark spell that no typical day shows; 1-3 blocks in each
    of two periods, and a mining fleet: three fleets whose units are integers."""
    import numpy as np

    days = 30
    h, d = np.arange(24 * days) % 24, np.arange(24 * days) // 24
    sun = 0.6 + 0.4 * np.random.default_rng(5).random(days)
    sun[12:17] = [0.5, 0.2, 0.3, 0.25, 0.45]
    sc = small_scenario(24 * days, pv_cf=np.clip(np.sin((h - 6) / 12 * np.pi), 0, None) * sun[d])
    sc.pv.enabled = sc.battery.enabled = sc.ai.enabled = sc.mining.enabled = True
    sc.pv.max_new_mw_ac, sc.battery.max_duration_h = 500.0, 200.0
    sc.ai.firm_fraction, sc.ai.firmness, sc.ai.min_new_blocks, sc.ai.max_new_blocks = 1.0, "hard", 1, 3
    sc.investment_periods = periods((2027, {}), (2031, {}))
    return sc


def test_the_days_a_design_misses_are_found_with_its_fleets_held_then_the_plan_is_sized_in_full():
    """The first design (3 typical days) cannot carry its firm blocks through the dark spell: the spell's days
    join the model while the fleets stay as they were (an LP re-sizes PV and the battery), and once that design
    serves both real years the MILP sizes everything again on those days, so the plan is proved on them."""
    sc = dark_spell_periods_site()
    r = optimise_periods(sc, OPTS, typical_days=3, baseline=False)
    mp = r.extra["multi_period"]
    rounds = mp["sizing_rounds"]
    assert rounds[0]["sizing"] == "in full" and not rounds[0]["serves_every_year"]
    assert any(x["sizing"] == "fleets held" for x in rounds)
    assert rounds[-1]["sizing"] == "in full" and rounds[-1]["serves_every_year"]
    assert rounds[-1]["real_days_added"] == mp["added_real_days"] > 0
    assert mp["sizing_solver"]["status"] == "optimal"  # the answer's sizing is the MILP at the requested gap
    assert not mp["sizing_solver"]["lp"] and mp["sizing_solver"]["mip_gap"] <= OPTS.mip_gap * (1 + 1e-6)
    for p in r.extra["periods"]:  # every real hour of each period's year carries its firm blocks
        assert p["energy_mwh"]["ai_it"] == pytest.approx(8760 * p["sizes"]["ai_it_mw"], rel=1e-9)
    assert r.proforma.npv_usd == pytest.approx(r.npv_usd, rel=1e-9)
    full = optimise_periods(sc, OPTS, typical_days=None, baseline=False)
    assert r.npv_usd <= full.npv_usd * (1 + 1e-9)  # the full years' own optimum is at least as good


def test_a_period_change_applied_after_the_aggregation_equals_aggregating_the_changed_year():
    """The typical days are chosen once: a constant factor leaves tsam's day selection and weights unchanged and
    scales the representative days exactly (checked on permian_gas's full year at 48 days too, docs/periods.md)."""
    import numpy as np

    from planner.scenario.params import set_param
    from planner.scenario.typical import aggregate

    rng = np.random.default_rng(3)
    hours = 24 * 30
    sc = small_scenario(hours, weight=1.0, pv_cf=rng.uniform(0, 1, hours),
                        gas_supply_mmbtu_per_h=rng.uniform(10, 20, hours),
                        export_price_usd_per_mwh=rng.normal(40, 10, hours))
    changed = sc.copy()
    set_param(changed, "hourly.gas_supply_mmbtu_per_h", 0.37)
    a, b = aggregate(sc, 5), aggregate(changed, 5)
    set_param(a, "hourly.gas_supply_mmbtu_per_h", 0.37)
    assert (a.periods.sequence == b.periods.sequence).all()
    assert np.array_equal(a.weights, b.weights)
    for col in ("gas_supply_mmbtu_per_h", "pv_cf", "export_price_usd_per_mwh"):
        assert np.allclose(a.hourly[col], b.hourly[col], rtol=1e-12, atol=0), col


@pytest.mark.slow  # a full-year workbook written and run through the CLI with both reports: ~30 s
def test_cli_runs_a_periods_workbook_and_writes_the_periods_in_summary_and_both_reports(tmp_path):
    """`planner run WB` on the gas case over a full year (a Periods sheet of three periods): exit 0, the closed-form
    NPV and fleets in summary.json, the Periods sheet and section in the reports; --stochastic is refused."""
    import json
    import subprocess
    import sys

    import numpy as np
    import openpyxl

    from planner.scenario.template import write_workbook

    sc = gas_site()
    wave = 0.5 + 0.5 * np.sin(np.arange(8760) * 2 * np.pi / 24) * np.linspace(0.2, 1, 8760)  # days differ
    sc.hourly = small_scenario(8760, gas_supply_mmbtu_per_h=HEAT_RATE * FLOWS_MW[0], export_price_usd_per_mwh=EXPORT,
                               pv_cf=wave).hourly  # PV is off: pv_cf only makes the days differ for tsam
    sc.site.name = "periods-cli"
    wb = write_workbook(sc, tmp_path / "site.xlsx")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "planner.cli", "run", str(wb), "-o", str(out), "--gap", "1e-7",
                        "--typical-days", "4"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "3 investment periods, sized on 4 typical days each" in r.stdout and "by period" in r.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["npv_usd"] == pytest.approx(gas_npv(), rel=1e-7)
    assert summary["proforma_npv_usd"] == pytest.approx(gas_npv(), rel=1e-7)
    assert [p["sizes"]["gas_units"] for p in summary["periods"]] == [8, 4, 2]
    assert [p["sizes_retired"]["gas_units"] for p in summary["periods"]] == [0, 4, 2]
    assert summary["multi_period"]["typical_days"] == 4 and summary["multi_period"]["periods"] == 3
    assert summary["investment"]["npv_usd"] == pytest.approx(gas_npv(), rel=1e-7)  # the baseline builds nothing
    assert "Periods" in openpyxl.load_workbook(out / "report.xlsx").sheetnames
    assert "<section id='periods'>" in (out / "report.html").read_text()
    refused = subprocess.run([sys.executable, "-m", "planner.cli", "run", str(wb), "-o", str(tmp_path / "s"),
                              "--stochastic"], capture_output=True, text=True)
    assert refused.returncode == 2 and "--stochastic over investment periods is not offered" in refused.stderr


def test_one_period_that_changes_inputs_is_the_one_year_model_with_them_applied():
    """planner.run.optimise applies a single period's changes (and a decline as its whole-life average)."""
    from planner.run import optimise

    sc = gas_site()
    sc.investment_periods = periods((2027, {"hourly.gas_supply_mmbtu_per_h": 0.5}))
    applied = gas_site()
    applied.investment_periods = []
    applied.hourly["gas_supply_mmbtu_per_h"] *= 0.5
    a = optimise(sc, OPTS, marginals=False)
    b = optimise(applied, OPTS, marginals=False)
    assert a.npv_usd == pytest.approx(b.npv_usd, rel=1e-12) and a.sizes["gas_units"] == 4
    multi = optimise(gas_site(), OPTS, marginals=False, typical_days=0)  # several periods: planned over them
    assert multi.npv_usd == pytest.approx(gas_npv(), rel=1e-9) and len(multi.extra["periods"]) == 3


def test_a_period_that_cannot_be_served_is_named_by_its_start_year():
    sc = stepped_load_site()
    sc.nuclear.max_new_units = 3  # 150 MW: the last period's 200 MW load cannot be served
    with pytest.raises(Exception, match="in the period starting in 2042: demand cannot be met"):
        optimise_periods(sc, OPTS, typical_days=None, baseline=False)


def test_continuous_vintages_come_back_whole_and_equal_integer_vintages():
    """The fleets' integers are their units in service; the vintages then come back whole (a network), and the
    model with integer vintages instead has the same optimum and design."""
    import pyomo.core as pyo

    from planner.periods import build_periods, period_inputs, read_design
    from planner.solve import HighsModel, solve_model

    sc = gas_site(recovery=0.6)
    scs = period_inputs(sc)
    out = []
    for integer in (False, True):
        mp = build_periods(scs, spans(sc), integer_vintages=integer)
        hm = HighsModel(mp.m)
        assert len(hm.integer_cols) == (6 if integer else 3)  # 3 vintages x 2 periods, or 3 periods in service
        stats = solve_model(hm, OPTS)
        out.append((stats.objective, read_design(mp).x, [pyo.value(b.ctx.new["gas_new_units"]) for b in mp.blocks]))
    assert out[0][0] == pytest.approx(out[1][0], rel=1e-9)
    assert out[0][1] == out[1][1] and out[0][2] == pytest.approx([8, 4, 2])
