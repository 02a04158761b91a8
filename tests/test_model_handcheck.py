"""Hand-checkable model cases: each expected number is computed by hand in the test (issue 4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import annuity, check_consistency, pv_of_years, small_scenario

from planner.errors import SolveError
from planner.finance import stream_pwf, trajectories
from planner.run import optimise
from planner.solve import SolveOptions
from planner.technologies.mining import hashprice_factor

OPTS = SolveOptions(mip_gap=1e-6)


def mining_case(import_price: float):
    sc = small_scenario(24, import_price_usd_per_mwh=import_price)
    sc.grid.connected = True
    sc.grid.max_new_export_mw = 0
    sc.grid.import_limit_mw = 100
    mn = sc.mining
    mn.enabled = True
    mn.max_new_containers = 10
    mn.container_mw, mn.container_pue, mn.availability = 1.0, 1.0, 1.0
    mn.asic_efficiency_j_per_th, mn.asic_price_usd_per_th, mn.asic_price_decline_per_year = 20.0, 5.0, 0.0
    mn.container_capex_usd_per_mw, mn.infrastructure_life_years, mn.asic_life_years = 100000.0, 10, 4
    mn.fom_usd_per_mw_year, mn.pool_fee = 10000.0, 0.02
    mn.hashprice_usd_per_ph_day = 50.0
    mn.network_hashrate_growth_per_year, mn.btc_price_growth_per_year = 0.0, 0.0
    mn.next_halving_year = 2099.0  # no halving inside the period: a flat hashprice path
    return sc


@pytest.mark.parametrize("import_price", [40.0, 110.0])
def test_mining_with_flat_import_price_builds_max_or_nothing(import_price):
    sc = mining_case(import_price)
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    d, n = 0.08, 20
    rev_per_mwh = 50.0 / 24 * (1000 / 20.0) * (1 - 0.02)  # = 102.08 USD/MWh
    a = annuity(d, n)
    asic_cost = 1000 / 20.0 * 1000 * 5.0  # TH per MW x USD/TH = 250k USD per container
    capex_pv = asic_cost * pv_of_years(d, [0, 4, 8, 12, 16]) + 100000 * pv_of_years(d, [0, 10])
    per_container = (rev_per_mwh - import_price) * 8760 * a - 10000 * a - capex_pv
    if per_container > 0:
        assert r.sizes["mining_containers"] == 10
        assert r.npv_usd == pytest.approx(10 * per_container, rel=1e-6)
    else:
        assert rev_per_mwh < import_price
        assert r.sizes["mining_containers"] == 0
        assert r.npv_usd == pytest.approx(0.0, abs=1.0)


def pv_case(price: float):
    sc = small_scenario(24, pv_cf=0.3, export_price_usd_per_mwh=price)
    sc.pv.enabled = True
    sc.pv.max_new_mw_ac, sc.pv.degradation_per_year = 50.0, 0.0
    sc.grid.connected = True
    sc.grid.max_new_export_mw, sc.grid.export_capex_usd_per_kw, sc.grid.import_limit_mw = 100.0, 0.0, 0.0
    return sc


@pytest.mark.parametrize("factor", [0.9, 1.1])
def test_pv_with_export_is_built_to_max_exactly_when_revenue_beats_capex(factor):
    d, n = 0.08, 20
    a = annuity(d, n)
    capex = 1606.0 * 1000  # per MW_ac; life 30 > 20 years: salvage of 10/30 at year 20
    capex_pv = capex - capex * 10 / 30 * (1 + d) ** -n + 22.6 * 1000 * a
    breakeven_price = capex_pv / (0.3 * 8760 * a)
    sc = pv_case(factor * breakeven_price)
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    if factor > 1:
        assert r.sizes["pv_mw_ac"] == pytest.approx(50.0)
        assert r.npv_usd == pytest.approx(50 * (0.3 * 8760 * a * factor * breakeven_price - capex_pv), rel=1e-6)
    else:
        assert r.sizes["pv_mw_ac"] == pytest.approx(0.0, abs=1e-6)


def test_stranded_gas_units_limited_by_fuel_flow_and_rest_flared():
    flow, hr, unit = 40.0, 8.5, 1.0
    sc = small_scenario(24, gas_supply_mmbtu_per_h=flow, export_price_usd_per_mwh=80.0)
    g = sc.gas
    g.enabled, g.max_new_units, g.availability = True, 40, 1.0
    g.unit_mw, g.heat_rate_mmbtu_per_mwh, g.fuel_price_usd_per_mmbtu = unit, hr, 1.0
    g.fom_usd_per_kw_year = g.vom_usd_per_mwh = 0.0
    sc.grid.connected = True
    sc.grid.max_new_export_mw, sc.grid.export_capex_usd_per_kw, sc.grid.import_limit_mw = 100.0, 0.0, 0.0
    d, n = 0.08, 20
    a = annuity(d, n)
    margin = 80.0 - hr * 1.0  # USD per MWh
    full_unit_value = margin * 8760 * a  # one unit running all year
    # capex chosen so a full unit pays (85 % of its value) but the last, partly fuelled unit (70.6 %) does not
    g.capex_usd_per_kw = 0.85 * full_unit_value / 1000 / (1 - 0 * 0)
    g.life_years = 20
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    expected_units = math.floor(flow / (hr * unit))
    assert r.sizes["gas_units"] == expected_units == 4
    assert r.gas["gas_burned_mmbtu"] == pytest.approx(expected_units * unit * hr * 8760, rel=1e-6)
    assert r.gas["gas_flared_mmbtu"] == pytest.approx((flow - expected_units * unit * hr) * 8760, rel=1e-6)
    assert r.gas["flared_co2e_t"] > 0


def test_battery_charges_cheap_and_discharges_dear_with_expected_losses():
    price = [20.0] * 12 + [100.0] * 12
    sc = small_scenario(24, weight=1.0, export_price_usd_per_mwh=price, import_price_usd_per_mwh=price)
    b = sc.battery
    b.enabled, b.existing_mw, b.existing_mwh, b.max_new_mw, b.max_new_mwh = True, 1.0, 4.0, 0.0, 0.0
    b.fom_usd_per_kw_year = 0.0
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 10.0, 0.0, 10.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    dd = r.dispatch
    eta_c = eta_d = 0.919
    assert dd["battery_charge_mw"][12:].max() < 1e-6  # never charges when dear
    assert dd["battery_discharge_mw"][:12].max() < 1e-6  # never discharges when cheap
    assert dd["battery_discharge_mw"].sum() == pytest.approx(4.0 * eta_d, rel=1e-6)
    assert dd["battery_charge_mw"].sum() == pytest.approx(4.0 / eta_c, rel=1e-6)
    assert r.energy_mwh["battery_losses"] == pytest.approx(4.0 / eta_c - 4.0 * eta_d, rel=1e-6)


def firm_ai_case():
    pv_cf = [0.0] * 6 + [0.6] * 12 + [0.0] * 6
    sc = small_scenario(24, pv_cf=pv_cf, ai_utilisation=1.0)
    sc.pv.enabled, sc.pv.max_new_mw_ac = True, 100.0
    a = sc.ai
    a.enabled, a.min_new_blocks, a.max_new_blocks, a.firm_fraction, a.firmness = True, 2, 5, 1.0, "hard"
    return sc


def test_firm_ai_without_night_supply_is_infeasible_with_a_plain_reason():
    sc = firm_ai_case()
    with pytest.raises(SolveError) as e:
        optimise(sc, OPTS, marginals=False)
    text = str(e.value)
    assert "firm AI load cannot be served" in text
    assert "00:00-06:00 on 01 Jan" in text  # the night hours before sunrise
    assert "2 MW of AI IT load" in text


@pytest.mark.parametrize("fix", ["battery", "nuclear"])
def test_firm_ai_becomes_feasible_with_storage_or_firm_unit(fix):
    sc = firm_ai_case()
    if fix == "battery":
        sc.battery.enabled = True
    else:
        sc.nuclear.enabled = True
        sc.nuclear.unit_mw = 5.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    d = r.dispatch
    assert r.sizes["ai_blocks"] >= 2
    it_cap = r.sizes["ai_it_mw"]
    assert (d["ai_it_mw"] >= it_cap - 1e-6).all()  # firm fraction 1 with utilisation 1: always full


def test_must_run_reactor_weak_line_mining_absorbs_surplus_within_fleet():
    sc = small_scenario(24, export_price_usd_per_mwh=30.0)
    nu = sc.nuclear
    nu.enabled, nu.existing_units, nu.max_new_units, nu.unit_mw, nu.min_load_fraction = True, 1, 0, 20.0, 0.9
    nu.fuel_usd_per_mwh = 10.0
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 5.0, 0.0, 0.0
    mn = sc.mining
    mn.enabled, mn.max_new_containers, mn.container_mw, mn.availability = True, 30, 1.0, 0.95
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    d = r.dispatch
    asics = math.floor(1e6 / (4000.0 * 1.03))  # whole 4-kW ASICs with 3 % cooling in a 1-MW container: 242
    fleet_mw = r.sizes["mining_containers"] * asics * 4000.0 * 1.03 / 1e6 * 0.95
    assert r.sizes["mining_containers"] > 0
    assert (d["mining_mw"] <= fleet_mw + 1e-6).all()
    assert (d["grid_export_mw"] <= 5.0 + 1e-6).all()
    assert (d["nuclear_mw"] >= 0.9 * 20.0 - 1e-6).all()
    # surplus beyond the line goes to mining, up to the fleet; the rest is curtailed
    surplus = d["nuclear_mw"] - d["grid_export_mw"]
    assert np.allclose(d["mining_mw"] + d["curtailed_mw"], surplus, atol=1e-6)
    assert (d["mining_mw"] >= np.minimum(surplus, fleet_mw) - 1e-6).all()


def test_halving_lowers_mining_pwf_by_exactly_the_expected_amount():
    sc = small_scenario(24)
    mn = sc.mining
    mn.network_hashrate_growth_per_year = mn.btc_price_growth_per_year = 0.0
    mn.fee_share_of_reward = 0.1
    fin = sc.finance
    d, n = fin.discount_rate, fin.analysis_years
    mn.next_halving_year = 2099.0
    flat = stream_pwf(fin, trajectories(fin, {"mining": hashprice_factor(mn, 2027.0, n)}))["mining"]
    assert flat == pytest.approx(annuity(d, n), rel=1e-12)
    mn.next_halving_year, mn.halving_interval_years = 2029.25, 100.0  # one halving, a quarter into year 3
    halved = stream_pwf(fin, trajectories(fin, {"mining": hashprice_factor(mn, 2027.0, n)}))["mining"]
    loss_per_year = (1 - 0.1) * 0.5  # the subsidy share of the reward halves
    expected_drop = loss_per_year * (0.75 * (1 + d) ** -3 + pv_of_years(d, range(4, n + 1)))
    assert flat - halved == pytest.approx(expected_drop, rel=1e-12)
    f = hashprice_factor(mn, 2027.0, n)
    assert f[0] == f[1] == 1.0 and f[2] == pytest.approx(1 - 0.75 * loss_per_year)


def fixed_battery_case():
    """A new battery on a 24-hour price spread, its duration bounded to exactly 4 h."""
    price = [20.0] * 12 + [100.0] * 12
    sc = small_scenario(24, export_price_usd_per_mwh=price, import_price_usd_per_mwh=price)
    b = sc.battery
    b.enabled, b.max_new_mw, b.max_new_mwh, b.min_duration_h, b.max_duration_h = True, 10.0, 40.0, 4.0, 4.0
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 10.0, 0.0, 10.0
    return sc


def test_a_fixed_design_off_its_duration_bound_by_rounding_is_solved_and_by_more_is_refused():
    """Sizes fixed from another solve (typical days) may miss a row between them by rounding: 4 h x 1 MW is
    fixed as 4 + 4e-9 MWh. That row is checked with a tolerance and the design solved (Pyomo alone rejects it
    as trivially infeasible); 4.1 MWh is a real violation and the design is infeasible."""
    sc = fixed_battery_case()
    r = optimise(sc, OPTS, marginals=False, fixed={"battery_new_mw": 1.0, "battery_new_mwh": 4.0 + 4e-9})
    check_consistency(r)
    assert r.sizes["battery_mw"] == pytest.approx(1.0) and r.sizes["battery_mwh"] == pytest.approx(4.0)
    # a full charge at 20 and discharge at 100 (each hour within the 1-MW power)
    assert r.dispatch["battery_discharge_mw"].sum() == pytest.approx((4.0 + 4e-9) * 0.919, rel=1e-6)
    with pytest.raises(SolveError, match="No feasible plan exists for this design"):
        optimise(sc, OPTS, marginals=False, fixed={"battery_new_mw": 1.0, "battery_new_mwh": 4.1})
