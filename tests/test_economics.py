"""A decision-grade answer (issue 14, items 1-3): the do-nothing baseline and the investment over it, new vs
existing capacity, and the workbook limits that set the plan with the NPV value of relaxing each.

Hand-derived cases (a year of 24 steps of 365 hours, 8 %, 20 years, no tax): closed forms for the baseline,
the investment's NPV, IRR and paybacks, and for each limit's value (PV capped at its maximum, land, budget,
site capacity, the grid import limit, an annual gas cap, integer fleets at a maximum or a minimum), each
also checked against a re-solve with the limit relaxed. The slow tests run the examples for real.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import openpyxl
import pytest
from helpers import annuity, check_consistency, pv_of_years, small_scenario
from test_handcheck_finance_and_limits import PV_VALUE_PER_MW, limited_pv, mining_fleet

from planner.finance import payback
from planner.model import build
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.report import write_reports
from planner.run import add_baseline, baseline_design, baseline_on, evaluate_baseline, optimise, write_outputs
from planner.solve import HighsModel, SolveOptions, solve_model

OPTS = SolveOptions(mip_gap=1e-6)
D, N = 0.08, 20
A = annuity(D, N)
HOURS = 8760.0

# ------------------------------------------------------------- a factory load, grid import and new PV

LOAD_MW, PRICE, CF_DAY, EXISTING_PV = 4.0, 80.0, 0.5, 0.7  # PV runs 12 h a day at cf 0.5: 2190 MWh/MW-yr
PV_MWH_PER_MW = 365 * 12 * CF_DAY


def factory_site(capex_usd_per_kw: float = 800.0, max_new: float = 5.0, min_new: float = 0.0):
    """A 4 MW load served from the grid at 80 USD/MWh; 0.7 MW of PV exists; new PV (output never above the
    load, so every MWh saves one MWh of import) costs `capex` per kW, life 20 years, no O&M."""
    cf = np.where((np.arange(24) >= 6) & (np.arange(24) < 18), CF_DAY, 0.0)
    sc = small_scenario(24, pv_cf=cf, site_load_mw=LOAD_MW, import_price_usd_per_mwh=PRICE)
    sc.site_load.enabled = True
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 0.0, 0.0, 100.0
    p = sc.pv
    p.enabled, p.existing_mw_ac, p.min_new_mw_ac, p.max_new_mw_ac = True, EXISTING_PV, min_new, max_new
    p.capex_usd_per_kw_ac, p.fom_usd_per_kw_year, p.vom_usd_per_mwh = capex_usd_per_kw, 0.0, 0.0
    p.degradation_per_year, p.life_years, p.itc_fraction, p.land_ha_per_mw = 0.0, 20, 0.0, 0.0
    return sc


def pv_value_per_mw(capex_usd_per_kw: float) -> float:
    return PV_MWH_PER_MW * PRICE * A - capex_usd_per_kw * 1000


def test_building_pv_at_a_factory_saves_its_closed_form_amount_against_the_baseline():
    r = optimise(factory_site(), OPTS, baseline=True)
    check_consistency(r)
    saving_per_year = 5.0 * PV_MWH_PER_MW * PRICE  # 876,000 USD a year of import no longer bought
    capex = 5.0 * 800e3
    base_npv = -(LOAD_MW * HOURS - EXISTING_PV * PV_MWH_PER_MW) * PRICE * A  # the existing PV already saves
    assert r.sizes_new["pv_mw_ac"] == pytest.approx(5.0) and r.sizes_existing["pv_mw_ac"] == EXISTING_PV
    assert r.baseline.status == "optimal" and r.baseline.capex_usd == 0.0
    assert r.baseline.npv_usd == pytest.approx(base_npv, rel=1e-9)
    assert r.baseline.proforma_npv_usd == pytest.approx(base_npv, rel=1e-9)
    inv = r.investment
    assert inv.npv_usd == pytest.approx(saving_per_year * A - capex, rel=1e-9)
    assert inv.npv_usd == r.npv_usd - r.baseline.npv_usd
    assert inv.proforma_npv_usd == pytest.approx(inv.npv_usd, rel=1e-9)
    assert inv.net_cash_flow_usd[0] == pytest.approx(-capex) and inv.net_cash_flow_usd[1:] == pytest.approx(
        [saving_per_year] * N, rel=1e-9)
    assert inv.simple_payback_years == pytest.approx(capex / saving_per_year, rel=1e-9)  # 4.57 years
    assert annuity(inv.irr, N) * saving_per_year == pytest.approx(capex, rel=1e-7)  # the rate that repays it
    y = next(k for k in range(1, N + 1) if annuity(D, k) * saving_per_year >= capex)  # discounted payback year
    before, after = annuity(D, y - 1) * saving_per_year - capex, annuity(D, y) * saving_per_year - capex
    assert inv.discounted_payback_years == pytest.approx(y - 1 + -before / (after - before), rel=1e-9)
    assert inv.reason is None and inv.reasons == {}
    # the plan's own figures stay the whole site's: its NPV includes the import bill
    assert r.npv_usd == pytest.approx(base_npv + inv.npv_usd, rel=1e-9)


def test_a_plan_that_builds_nothing_is_its_own_baseline_and_its_paybacks_are_null_with_a_reason():
    r = optimise(factory_site(capex_usd_per_kw=3000.0), OPTS, baseline=True)  # PV not worth it: 1.72 M < 3 M
    assert pv_value_per_mw(3000.0) < 0
    assert all(v == 0 for v in r.sizes_new.values())
    assert r.baseline.status == "plan" and r.baseline.npv_usd == r.npv_usd
    inv = r.investment
    assert inv.npv_usd == 0.0 and inv.irr is None and inv.simple_payback_years is None
    assert inv.discounted_payback_years is None and "builds nothing new" in inv.reason
    # the plan itself only pays its import bill: it never pays back (not "0.0 years")
    assert r.proforma.simple_payback_years is None and r.proforma.irr is None
    assert r.binding_limits == []  # PV at its minimum of 0 is no limit; the import line is never full
    s = r.summary()
    assert s["investment"]["npv_usd"] == 0.0 and s["investment"]["simple_payback_years"] is None
    assert s["baseline"]["status"] == "plan" and s["baseline"]["npv_usd"] == s["npv_usd"]


def test_the_baseline_holds_the_minimum_builds_and_the_investment_is_what_comes_on_top():
    r = optimise(factory_site(min_new=2.0), OPTS, baseline=True)
    assert r.sizes_new["pv_mw_ac"] == pytest.approx(5.0)
    assert baseline_design(r.scenario)["pv_new_mw_ac"] == 2.0
    assert r.baseline.capex_usd == pytest.approx(2.0 * 800e3)
    assert r.investment.npv_usd == pytest.approx(3.0 * pv_value_per_mw(800.0), rel=1e-9)
    assert r.investment.net_cash_flow_usd[0] == pytest.approx(-3.0 * 800e3)


def test_the_baseline_is_solved_on_the_plans_own_instance_and_leaves_it_as_it_was():
    """A full-year plan's baseline is its own HiGHS instance with the new sizes fixed at the minimums (no second
    build): one 1-MW mining container of the ten the plan builds, worth its closed-form value, as a fresh build of
    that design gives; the instance's bounds and integrality and the plan's values in Pyomo are put back."""
    sc = mining_fleet(None)
    sc.mining.min_new_containers = 1
    revenue_per_mwh = 50.0 / 24 * (1000 / 20.0) * (1 - 0.02)  # 102.08 USD/MWh, as in the budget test
    capital_pv = 250_000 * pv_of_years(D, [0, 4, 8, 12, 16]) + 100_000 * pv_of_years(D, [0, 10])
    one = (revenue_per_mwh - 40.0) * HOURS * A - 10_000 * A - capital_pv  # one container's NPV
    r = optimise(sc, OPTS, baseline=True)
    assert r.sizes_new["mining_containers"] == 10 and r.npv_usd == pytest.approx(10 * one, rel=1e-6)
    assert r.baseline.status == "optimal" and r.baseline.new_sizes["mining_new_containers"] == 1.0
    assert r.baseline.npv_usd == pytest.approx(one, rel=1e-6)
    assert r.investment.npv_usd == pytest.approx(9 * one, rel=1e-6)
    fresh = evaluate_baseline(r.scenario, OPTS)  # the same design on a model of its own, sizes fixed
    assert r.baseline.npv_usd == pytest.approx(fresh.npv_usd, rel=1e-9)
    assert r.baseline.energy_mwh == pytest.approx(fresh.energy_mwh, rel=1e-9, abs=1e-6)
    # on an instance of our own: what baseline_on changes, it puts back
    built = build(r.scenario)
    hm = HighsModel(built.m)
    solve_model(hm, OPTS)
    ints, cols = list(hm.integer_cols), np.arange(hm.n_cols, dtype=np.int32)
    bounds = hm.h.getCols(hm.n_cols, cols)[3:5]
    plan_x = [v.value for v in hm.columns]
    on = baseline_on(built, hm, baseline_design(r.scenario), OPTS)
    assert on is not None and on.npv_usd == pytest.approx(one, rel=1e-6)
    assert on.new_sizes["mining_new_containers"] == 1.0
    assert hm.integer_cols == ints and [int(hm.h.getColIntegrality(i)[1]) for i in ints] == [1] * len(ints)
    after = hm.h.getCols(hm.n_cols, cols)[3:5]
    assert all(np.array_equal(a, b) for a, b in zip(after, bounds, strict=True))
    assert [v.value for v in hm.columns] == plan_x


def test_an_infeasible_baseline_is_reported_with_its_diagnosis_not_raised():
    """No grid: the daytime load can only be served by new PV, so doing nothing has no feasible dispatch."""
    cf = np.where((np.arange(24) >= 6) & (np.arange(24) < 18), 0.5, 0.0)
    sc = small_scenario(24, pv_cf=cf, site_load_mw=cf)  # 0.5 MW of load while the sun shines
    sc.site_load.enabled = sc.pv.enabled = True
    sc.pv.degradation_per_year = 0.0
    r = optimise(sc, OPTS, baseline=True)
    assert r.sizes_new["pv_mw_ac"] == pytest.approx(1.0, rel=1e-6)  # just enough PV: it only costs
    assert r.baseline.status == "infeasible" and r.baseline.npv_usd is None
    assert "demand cannot be met" in r.baseline.reason
    inv = r.investment
    assert inv.npv_usd is None and inv.irr is None and inv.simple_payback_years is None
    assert "baseline" in inv.reason and "infeasible" in inv.reason
    s = json.loads(json.dumps(r.summary()))
    assert s["baseline"]["status"] == "infeasible" and s["investment"]["npv_usd"] is None


def test_typical_days_value_the_baseline_over_the_full_year():
    from test_typical import month_scenario

    sc = month_scenario()
    r = optimise(sc, OPTS, typical_days=6, baseline=True, marginals=False)
    assert "typical_days" in r.extra
    full = optimise(sc, OPTS, marginals=False, fixed=baseline_design(sc))  # the full-year LP at the baseline
    assert r.baseline.npv_usd == pytest.approx(full.npv_usd, rel=1e-9)
    assert r.investment.npv_usd == pytest.approx(r.npv_usd - full.npv_usd, rel=1e-9)


def test_payback_is_none_for_a_flow_that_only_costs_and_interpolates_otherwise():
    assert payback(np.array([0.0, -2.0, -2.0])) is None  # costs only: never paid back
    assert payback(np.array([0.0, 0.0])) is None  # nothing at all
    assert payback(np.array([0.0, 5.0])) == 0.0  # never below zero: nothing to pay back
    assert payback(np.array([-100.0, 60.0, 60.0])) == pytest.approx(1 + 40 / 60)
    assert payback(np.array([0.0, 5.0, -20.0, 30.0])) == pytest.approx(2 + 15 / 30)


# ----------------------------------------------------------------------------- new vs existing sizes

def test_new_plus_existing_is_the_total_exactly_for_counts_and_for_scaled_sizes():
    sc = factory_site()
    sc.pv.dc_ac_ratio = 1.37  # pv_mw_dc = 1.37 x (0.7 + 5): a scaled size with both parts
    sc.wind.enabled = True
    sc.wind.existing_turbines, sc.wind.max_new_turbines, sc.wind.min_new_turbines = 3, 2, 2
    sc.hourly["wind_cf"] = 0.05  # 5 turbines give 1.05 MW: PV (at most 2.85 MW) still only displaces import
    r = optimise(sc, OPTS, marginals=False)
    assert r.sizes_new["wind_turbines"] == 2 and r.sizes_existing["wind_turbines"] == 3
    assert r.sizes_new["wind_mw"] == pytest.approx(2 * 4.2) and r.sizes_existing["wind_mw"] == pytest.approx(3 * 4.2)
    for k in r.sizes:
        assert r.sizes_new[k] + r.sizes_existing[k] == r.sizes[k], k
    assert set(r.sizes_new) == set(r.sizes_existing) == set(r.sizes)
    assert r.capex_by_size_usd["pv_mw_ac"] == pytest.approx(5.0 * 800e3) and "pv_mw_dc" not in r.capex_by_size_usd
    assert r.capex_by_size_usd["wind_turbines"] == pytest.approx(2 * r.scenario.wind.capex_usd_per_kw * 4200)


# ----------------------------------------------------------------------------------- binding limits

def limit(r, name: str):
    found = [b for b in r.binding_limits if b.limit == name]
    assert len(found) == 1, [b.limit for b in r.binding_limits]
    return found[0]


def relaxed_gain(sc, change, step: float, fixed: dict | None = None) -> float:
    """(NPV with the limit relaxed by `step` - NPV as it is) / step, by two solves."""
    base = optimise(sc, OPTS, marginals=False, fixed=fixed)
    other = sc.copy()
    change(other)
    return (optimise(other, OPTS, marginals=False, fixed=fixed).npv_usd - base.npv_usd) / step


def test_pv_at_its_maximum_is_worth_its_closed_form_value_per_mw_and_a_re_solve_agrees():
    r = optimise(factory_site(), OPTS)
    b = limit(r, "pv.max_new_mw_ac")
    assert (b.kind, b.sheet, b.cell, b.value, b.unit, b.relaxed_by) == ("maximum", "PV", None, 5.0, "MW_ac", 1.0)
    assert b.npv_gain_usd_if_relaxed == pytest.approx(pv_value_per_mw(800.0), rel=1e-7)  # 0.92 M USD per MW
    assert "PV capacity (AC) stopped at your maximum of 5 new MW_ac (PV (max_new_mw_ac))" in b.text
    step = 0.5  # 5.5 MW still never exceeds the load
    assert relaxed_gain(factory_site(), lambda s: setattr(s.pv, "max_new_mw_ac", 5.5), step) == pytest.approx(
        b.npv_gain_usd_if_relaxed, rel=1e-7)
    assert len(r.binding_limits) == 1  # the import limit of 100 MW is never reached


def test_land_budget_and_a_free_import_are_valued_by_their_duals_and_re_solves_agree():
    """limited_pv: each MW of PV is worth PV_VALUE_PER_MW; it takes 2.5 ha and 1 M USD. Imports cost 0 and
    exports pay 60 USD/MWh, so each MW of import limit (0 MW) would earn 60 USD every hour."""
    import_value = 60.0 * HOURS * A
    r = optimise(limited_pv(None, None), OPTS)  # PV at its maximum of 50 MW
    assert limit(r, "pv.max_new_mw_ac").npv_gain_usd_if_relaxed == pytest.approx(PV_VALUE_PER_MW, rel=1e-7)
    imp = limit(r, "grid.import_limit_mw")
    assert imp.npv_gain_usd_if_relaxed == pytest.approx(import_value, rel=1e-7) and imp.hours_binding == 8760
    assert relaxed_gain(limited_pv(None, None), lambda s: setattr(s.grid, "import_limit_mw", 0.5), 0.5) == \
        pytest.approx(import_value, rel=1e-7)

    land = limit(optimise(limited_pv(40.0, None), OPTS), "site.land_area_ha")
    assert (land.kind, land.sheet, land.value, land.unit) == ("limit", "Site", 40.0, "ha")
    assert land.npv_gain_usd_if_relaxed == pytest.approx(PV_VALUE_PER_MW / 2.5, rel=1e-7)
    assert relaxed_gain(limited_pv(40.0, None), lambda s: setattr(s.site, "land_area_ha", 41.0), 1.0) == \
        pytest.approx(land.npv_gain_usd_if_relaxed, rel=1e-7)

    budget = limit(optimise(limited_pv(None, 12e6), OPTS), "site.capex_budget_usd")
    assert (budget.relaxed_by, budget.relaxed_by_label, budget.unit) == (1e6, "1 M USD", "USD")
    assert budget.npv_gain_usd_if_relaxed == pytest.approx(PV_VALUE_PER_MW, rel=1e-7)  # 1 M USD buys 1 MW
    assert relaxed_gain(limited_pv(None, 12e6), lambda s: setattr(s.site, "capex_budget_usd", 12.5e6), 0.5) == \
        pytest.approx(budget.npv_gain_usd_if_relaxed, rel=1e-7)
    assert "Capex budget of 12.00 M USD is reached" in budget.text


def test_site_capacity_binding_every_hour_is_worth_the_pv_it_lets_in():
    """Export (a site use) is capped at 10 MW: PV stops at 10 / 0.3 MW, and each MW of site capacity lets
    1 / 0.3 MW more PV in, worth PV_VALUE_PER_MW / 0.3; it binds in every hour of the year."""
    def site():
        sc = limited_pv(None, None)
        sc.site.site_capacity_mw = 10.0
        sc.hourly["import_price_usd_per_mwh"] = 1000.0  # free imports would replace PV: not this test's point
        return sc

    r = optimise(site(), OPTS)
    assert r.sizes["pv_mw_ac"] == pytest.approx(10.0 / 0.3, rel=1e-9)
    b = limit(r, "site.site_capacity_mw")
    assert b.npv_gain_usd_if_relaxed == pytest.approx(PV_VALUE_PER_MW / 0.3, rel=1e-7) and b.hours_binding == 8760
    assert relaxed_gain(site(), lambda s: setattr(s.site, "site_capacity_mw", 10.3), 0.3) == pytest.approx(
        b.npv_gain_usd_if_relaxed, rel=1e-7)
    assert [x.limit for x in r.binding_limits] == ["site.site_capacity_mw"]  # PV is inside its maximum now
    assert "Site electrical capacity of 10 MW is reached in 8,760 hours of the year" in b.text


def gas_site(cap_mmbtu: float):
    """Gensets (1 MW, 8.5 MMBtu/MWh, 95 % available) on 85 MMBtu/h of gas at 2 USD/MMBtu, sold at 60 USD/MWh;
    the annual gas cap holds them to 4.5 MW on average. Each MMBtu/yr more earns 60 / 8.5 - 2 USD a year."""
    sc = small_scenario(24, gas_supply_mmbtu_per_h=85.0, export_price_usd_per_mwh=60.0, import_price_usd_per_mwh=1e3)
    sc.gas.enabled = True
    sc.gas.fuel_price_usd_per_mmbtu, sc.gas.annual_gas_cap_mmbtu = 2.0, cap_mmbtu
    sc.gas.carbon_credit_usd_per_t_co2e = 0.0
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 50.0, 0.0, 0.0
    return sc


def test_an_annual_gas_cap_is_declared_by_the_gas_module_and_worth_the_margin_of_each_mmbtu():
    cap = 4.5 * 8.5 * HOURS  # 4.5 MW on average: 5 units (4.75 MW available) burn it all, a 6th adds nothing
    r = optimise(gas_site(cap), OPTS)
    assert r.sizes["gas_units"] == 5
    b = limit(r, "gas.annual_gas_cap_mmbtu")
    assert (b.sheet, b.unit, b.value) == ("Gas", "MMBtu/yr", cap)
    assert b.npv_gain_usd_if_relaxed == pytest.approx((60.0 / 8.5 - 2.0) * A, rel=1e-7)  # 49.7 USD per MMBtu/yr
    fixed = {"gas_new_units": 6}  # the dual is the LP's: the integers held
    assert relaxed_gain(gas_site(cap), lambda s: setattr(s.gas, "annual_gas_cap_mmbtu", cap + 1000.0), 1000.0,
                        fixed) == pytest.approx(b.npv_gain_usd_if_relaxed, rel=1e-7)
    assert not [x for x in r.binding_limits if x.limit.startswith("gas.max_new")]  # 40 is far away


@pytest.mark.parametrize("strategy", ["bnb", "highs"])
def test_the_duals_of_a_milp_come_from_its_lp_with_the_integers_fixed(strategy):
    """PV at its maximum beside an integer fleet (mining, which does not pay here): after either MILP
    strategy, PV's value per MW is its closed form, read from the LP with the fleet fixed."""
    sc = factory_site()
    sc.mining.enabled, sc.mining.max_new_containers, sc.mining.hashprice_usd_per_ph_day = True, 5, 1.0
    r = optimise(sc, SolveOptions(mip_gap=1e-6, strategy=strategy))
    assert r.sizes["mining_containers"] == 0 and r.sizes_new["pv_mw_ac"] == pytest.approx(5.0)
    pv = limit(r, "pv.max_new_mw_ac")
    assert pv.npv_gain_usd_if_relaxed == pytest.approx(pv_value_per_mw(800.0), rel=1e-7)
    assert [b.limit for b in r.binding_limits] == ["pv.max_new_mw_ac"]  # mining at 0 of 5 is no limit
    assert r.marginal_units["mining_containers"]["plus_one"] < 0


@pytest.mark.parametrize("strategy", ["bnb", "highs"])
def test_an_integer_fleet_at_its_maximum_is_worth_one_more_unit_as_a_re_solve_says(strategy):
    sc = mining_fleet(None)  # every container pays: the fleet stops at its maximum of 10
    r = optimise(sc, SolveOptions(mip_gap=1e-6, strategy=strategy))
    assert r.sizes["mining_containers"] == 10
    b = limit(r, "mining.max_new_containers")
    assert (b.kind, b.relaxed_by_label, b.value) == ("maximum", "one more unit", 10.0)
    assert b.npv_gain_usd_if_relaxed == r.marginal_units["mining_containers"]["plus_one"] > 0
    more = sc.copy()
    more.mining.max_new_containers = 11
    assert optimise(more, OPTS, marginals=False).npv_usd - r.npv_usd == pytest.approx(b.npv_gain_usd_if_relaxed,
                                                                                     rel=1e-7)
    assert "Mining containers stopped at your maximum of 10 new containers (Mining (max_new_containers)); " \
           "one more would add" in b.text


def test_an_integer_fleet_held_at_a_positive_minimum_is_worth_one_fewer():
    sc = mining_fleet(None)
    sc.mining.hashprice_usd_per_ph_day = 5.0  # now every container loses money
    sc.mining.min_new_containers = 2
    r = optimise(sc, OPTS)
    assert r.sizes["mining_containers"] == 2
    b = limit(r, "mining.min_new_containers")
    assert b.kind == "minimum" and b.npv_gain_usd_if_relaxed == r.marginal_units["mining_containers"]["minus_one"] > 0
    fewer = sc.copy()
    fewer.mining.min_new_containers = 1
    assert optimise(fewer, OPTS, marginals=False).npv_usd - r.npv_usd == pytest.approx(b.npv_gain_usd_if_relaxed,
                                                                                      rel=1e-7)
    assert "held at your minimum of 2 new containers" in b.text


def test_without_marginals_the_limits_reached_are_listed_with_no_gain():
    r = optimise(limited_pv(40.0, None), OPTS, marginals=False)
    land = limit(r, "site.land_area_ha")
    assert land.npv_gain_usd_if_relaxed is None and "not computed (--no-marginals)" in land.text
    assert "pv.max_new_mw_ac" not in [b.limit for b in r.binding_limits]  # 16 MW, far from 50


# ------------------------------------------------------------------------ outputs and both reports

@pytest.fixture(scope="module")
def factory_run(tmp_path_factory):
    r = optimise(factory_site(), OPTS, baseline=True)
    folder = tmp_path_factory.mktemp("econ") / "factory-site"
    write_outputs(r, folder, extra_writers=[lambda _r, f: write_reports(f)])
    return r, folder


def test_summary_json_carries_baseline_investment_new_existing_and_binding_limits(factory_run):
    r, folder = factory_run
    s = json.loads((folder / "summary.json").read_text())
    assert s["investment"]["npv_usd"] == pytest.approx(r.investment.npv_usd)
    assert s["npv_usd"] - s["baseline"]["npv_usd"] == pytest.approx(s["investment"]["npv_usd"], rel=1e-12)
    assert len(s["baseline"]["net_cash_flow_usd"]) == N + 1 and s["baseline"]["revenue_usd_per_year"]["import_cost"] < 0
    assert set(s["sizes_new"]) == set(s["sizes_existing"]) == set(s["sizes"])
    (b,) = s["binding_limits"]
    assert set(b) >= {"limit", "sheet", "cell", "value", "unit", "npv_gain_usd_if_relaxed"}
    assert b["limit"] == "pv.max_new_mw_ac" and b["npv_gain_usd_if_relaxed"] == pytest.approx(pv_value_per_mw(800.0),
                                                                                              rel=1e-7)


def test_excel_leads_with_the_investment_and_its_live_formulas_compute_it(factory_run):
    import formulas

    r, folder = factory_run
    wb = openpyxl.load_workbook(folder / "report.xlsx")
    ws = wb["Summary"]
    assert ws.cell(4, 1).value == "Investment vs doing nothing"
    assert [ws.cell(4, j).value for j in range(2, 5)] == ["Investment (plan - baseline)", "Plan",
                                                          "Baseline (do nothing)"]
    assert ws.cell(5, 1).value == "NPV"
    assert [ws.cell(5, j).value for j in range(2, 5)] == pytest.approx([r.investment.npv_usd, r.npv_usd,
                                                                        r.baseline.npv_usd])
    rows = {ws.cell(i, 1).value: i for i in range(1, ws.max_row + 1)}
    head = rows["Build"]
    assert [ws.cell(head, j).value for j in range(2, 7)] == ["Existing", "New (recommended)", "Total", "Unit",
                                                             "Capex of the new part"]
    pv = rows["PV capacity (AC)"]
    assert [ws.cell(pv, j).value for j in (2, 3, 4, 6)] == pytest.approx([EXISTING_PV, 5.0, EXISTING_PV + 5.0, 4e6])
    assert "Recommended build" not in rows  # only the new part is called recommended
    lim = rows["Limit that sets the plan"] + 1
    assert ws.cell(lim, 2).value == "PV (max_new_mw_ac)" and ws.cell(lim, 7).value == r.binding_limits[0].text
    cf = wb["Cash flow"]
    labels = {cf.cell(i, 1).value: i for i in range(1, cf.max_row + 1)}
    inc = labels["incremental_net_cash_flow"]
    npv_f = cf.cell(labels["Investment NPV (Excel formula)"], 2).value
    irr_f = cf.cell(labels["Investment IRR (Excel formula)"], 2).value
    assert npv_f == f"=NPV($B${labels['discount rate']},C{inc}:V{inc})+B{inc}" and irr_f == f"=IRR(B{inc}:V{inc})"
    net = [cf.cell(inc, j).value for j in range(2, 23)]
    rate = cf.cell(labels["discount rate"], 2).value
    assert float(formulas.Parser().ast("=NPV(A1,B1:U1)+C1")[1].compile()(rate, [net[1:]], net[0])) == \
        pytest.approx(r.investment.npv_usd, rel=1e-9)
    assert float(formulas.Parser().ast("=IRR(A1:U1)")[1].compile()([net])) == pytest.approx(r.investment.irr, rel=1e-6)
    plan = [cf.cell(labels["plan_net_cash_flow"], j).value for j in range(2, 23)]
    base = [cf.cell(labels["baseline_net_cash_flow"], j).value for j in range(2, 23)]
    assert np.allclose(np.array(plan) - np.array(base), net, atol=0.01)  # cashflow.csv holds cents


def test_html_leads_with_the_investment_card_and_shows_the_build_and_limits(factory_run):
    r, folder = factory_run
    page = (folder / "report.html").read_text()
    cards = page.index("<div class='cards'>")
    first = page.index('id="kpi-', cards)
    assert page.startswith('id="kpi-investment-npv"', first)
    assert f'id="kpi-investment-npv" data-value="{r.investment.npv_usd!r}"' in page
    assert f'id="kpi-baseline-npv" data-value="{r.baseline.npv_usd!r}"' in page
    assert page.index('id="kpi-baseline-npv"') < page.index('id="kpi-npv"')
    assert "<th>New (recommended)</th>" in page and "Recommended build" not in page
    assert "id='binding-limits'" in page and "stopped at your maximum of 5 new MW_ac" in page


# ---------------------------------------------------------------------------- the examples, for real

def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, cwd=REPO_ROOT)


@pytest.mark.slow
def test_factory_builds_nothing_its_investment_is_zero_and_its_baseline_is_todays_npv(tmp_path):
    pinned = json.loads((REPO_ROOT / "tests" / "data" / "example_results.json").read_text())["factory"]
    out = tmp_path / "factory"
    r = cli("run", str(INPUTS_DIR / "examples" / "factory.xlsx"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    s = json.loads((out / "summary.json").read_text())
    inv, base = s["investment"], s["baseline"]
    assert abs(inv["npv_usd"]) <= 1.0
    assert inv["simple_payback_years"] is None and inv["irr"] is None and "builds nothing new" in inv["reason"]
    assert base["npv_usd"] == pytest.approx(pinned["npv_usd"], rel=1e-9)  # -40.86 M USD: the power bill
    assert s["simple_payback_years"] is None  # the plan pays no investment back: no "0.0 years"
    assert r.stdout.index("investment NPV 0 USD") < r.stdout.index("plan NPV")
    assert "nothing new is recommended" in r.stdout
    assert "Nothing new is recommended" in (out / "report.html").read_text()


@pytest.mark.slow
def test_west_texas_names_the_ai_block_maximum_with_its_cell_and_the_marginal_units_value(tmp_path):
    out = tmp_path / "wt"
    book = INPUTS_DIR / "examples" / "west_texas.xlsx"
    r = cli("run", str(book), "-o", str(out))
    assert r.returncode == 0, r.stderr
    s = json.loads((out / "summary.json").read_text())
    (ai,) = [b for b in s["binding_limits"] if b["limit"] == "ai.max_new_blocks"]
    assert (ai["sheet"], ai["value"], ai["kind"]) == ("AI", 10.0, "maximum")
    ws = openpyxl.load_workbook(book)["AI"]
    row = int(ai["cell"].removeprefix("AI!C"))
    assert ai["cell"] == f"AI!C{row}" and ws.cell(row, 3).value == 10  # the very cell the 10 was typed in
    assert any(ws.cell(row, j).value == "max_new_blocks" for j in (1, 2))
    plus_one = s["marginal_units_npv_change_usd"]["ai_blocks"]["plus_one"]
    assert plus_one > 0 and ai["npv_gain_usd_if_relaxed"] == plus_one
    assert f"AI blocks stopped at your maximum of 10 new blocks ({ai['cell']}); one more would add" in r.stdout
    assert ai["text"] in (out / "report.html").read_text()
    # the existing wind farm and line are not recommended: they are existing capacity, nothing new
    assert s["sizes_existing"]["wind_turbines"] == 24 and s["sizes_new"]["wind_turbines"] == 0
    assert s["sizes_new"]["export_mw"] == 0 and s["capex_by_size_usd"]["export_mw"] == 0
    assert s["npv_usd"] - s["baseline"]["npv_usd"] == pytest.approx(s["investment"]["npv_usd"], rel=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("site", ["west_texas", "permian_gas", "remote_hydro", "factory", "iceland", "middle_east",
                                  "nuclear_ai", "phased_ai"])
def test_every_example_investment_is_plan_minus_baseline_and_new_plus_existing_is_total(site):
    from test_examples import result  # the cached full-year solves of tests/test_examples.py

    sc, r = result(site)
    for k in r.sizes:
        assert r.sizes_new[k] + r.sizes_existing[k] == r.sizes[k], k
    if r.baseline is None:
        add_baseline(r, sc, SolveOptions(mip_gap=0.005, time_limit_s=900))
    base, inv = r.baseline, r.investment
    if site == "permian_gas":  # an oilfield load, no grid, no gensets yet: doing nothing cannot serve the load
        assert sc.site_load.enabled and not sc.grid.connected and sc.gas.existing_units == 0
        # (a multi-period example: the baseline is the existing assets over every period's year)
        assert base.status == "infeasible" and "cannot serve every period's year" in base.reason
        assert base.npv_usd is None
        assert inv.npv_usd is None and inv.irr is None and "infeasible" in inv.reason
        return
    assert base.status in ("optimal", "plan"), base.reason
    scale = max(1.0, abs(r.npv_usd), abs(base.npv_usd))
    assert abs(r.npv_usd - base.npv_usd - inv.npv_usd) <= 1e-6 * scale
    assert abs(inv.proforma_npv_usd - inv.npv_usd) <= 1e-6 * scale  # the incremental pro-forma agrees
    assert abs(base.proforma_npv_usd - base.npv_usd) <= 1e-6 * max(1.0, abs(base.npv_usd))
    assert len(inv.net_cash_flow_usd) == sc.finance.analysis_years + 1
