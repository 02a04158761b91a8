"""Waste heat, carbon credits and the carbon price on grid import, checked by hand (issue 19, items 3 and 4).

Each case is a few hours at a year's weight, solved by real HiGHS; every expected number is computed here.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import annuity, check_consistency, small_scenario

from planner.run import optimise
from planner.solve import SolveOptions

OPTS = SolveOptions(mip_gap=1e-9)
HOURS = 6
W = 8760.0 / HOURS
D, N = 0.08, 20
IMPORT_PRICE = 20.0


def mining_on_import(containers: int = 2, **columns):
    """`containers` existing 1-MW mining containers (PUE 1, availability 1) fed by grid import at 20 USD/MWh.

    Mining earns 40 / 24 x 1000 / 15 x 0.975 = 108.3 USD/MWh in every year (no network growth, no halving in
    the period), so the fleet runs flat out every hour.
    """
    sc = small_scenario(HOURS, import_price_usd_per_mwh=IMPORT_PRICE, **columns)
    sc.grid.connected = True
    sc.grid.import_limit_mw, sc.grid.max_new_export_mw = 10.0, 0.0
    m = sc.mining
    m.enabled, m.container_pue, m.availability = True, 1.0, 1.0
    m.existing_containers, m.max_new_containers = containers, 0
    m.fom_usd_per_mw_year = 0.0
    m.network_hashrate_growth_per_year, m.next_halving_year = 0.0, 2100.0
    return sc


def with_heat(sc, cooling: str, fraction: float, temp_c: float, supply_c: float, price: float):
    h = sc.heat
    h.enabled = True
    h.mining_cooling, h.mining_recoverable_fraction, h.mining_heat_temp_c = cooling, fraction, temp_c
    h.supply_temp_c, h.price_usd_per_mwh_th = supply_c, price
    return h


def test_heat_sold_equals_demand_each_hour_when_demand_is_below_the_recoverable_heat():
    demand = np.array([0.5, 1.0, 1.5, 1.7, 0.2, 0.0])  # MWh_th, all below 2 MW x 0.9 = 1.8 MW_th recoverable
    sc = mining_on_import(heat_demand_mwh_th=demand)
    h = with_heat(sc, "hydro", 0.9, 50.0, 45.0, 30.0)  # 50 C >= 45 C: sold directly, no heat pump
    h.existing_connection_mw_th, h.max_new_connection_mw_th = 2.0, 0.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    d = r.dispatch
    assert np.allclose(d["mining_mw"], 2.0)
    assert np.allclose(d["heat_sold_mw_th"], demand, atol=1e-9)
    assert np.allclose(d["heat_recoverable_mw_th"], 1.8)
    assert np.allclose(d["heat_rejected_mw_th"], 1.8 - demand, atol=1e-9)
    assert np.allclose(d["heat_pump_mw"], 0.0)
    assert r.annual["heat_revenue"][1] == pytest.approx(30.0 * W * demand.sum(), rel=1e-9)
    assert r.energy_mwh["heat_sold_th"] == pytest.approx(W * demand.sum(), rel=1e-9)


def heat_pump_case(heat: bool):
    """Air-cooled mining (0.5 x 2 MW = 1 MW_th at 40 C) for a 70 C customer taking 1 MW_th every hour."""
    sc = mining_on_import(heat_demand_mwh_th=1.0)
    h = with_heat(sc, "air", 0.5, 40.0, 70.0, 60.0)
    sc.heat.enabled = heat
    h.existing_connection_mw_th, h.max_new_connection_mw_th = 5.0, 0.0
    h.heat_pump_cop, h.heat_pump_capex_usd_per_kw_th, h.heat_pump_life_years = 4.0, 700.0, 25
    h.heat_pump_fom_usd_per_kw_th_year = 2.0
    return optimise(sc, OPTS, marginals=False)


def test_heat_pump_lifts_cold_heat_at_its_cop_and_the_npv_change_is_the_hand_arithmetic():
    r, r0 = heat_pump_case(True), heat_pump_case(False)
    check_consistency(r)
    d = r.dispatch
    # the source heat (1 MW_th) could feed 1 / (1 - 1/4) = 1.33 MW_th of output: demand (1 MW_th) binds
    assert r.sizes["heat_pump_mw_th"] == pytest.approx(1.0, rel=1e-9)
    assert np.allclose(d["heat_pump_out_mw_th"], 1.0)
    assert np.allclose(d["heat_pump_mw"], 1.0 / 4.0)  # electricity drawn = heat lifted / COP
    assert np.allclose(d["grid_import_mw"], 2.0 + 0.25)
    assert np.allclose(d["heat_rejected_mw_th"], 1.0 - 0.75)  # source heat taken = 1 x (1 - 1/4)
    assert r.annual["heat_revenue"][1] == pytest.approx(60.0 * 1.0 * 8760, rel=1e-9)
    assert r.annual["heat_pump_fom"][1] == pytest.approx(-2000.0, rel=1e-9)
    assert r.annual["import_cost"][1] - r0.annual["import_cost"][1] == pytest.approx(-IMPORT_PRICE * 0.25 * 8760,
                                                                                   rel=1e-9)
    capex = 700.0 * 1000
    salvage = capex * (25 - N) / 25 / (1 + D) ** N  # linear salvage of the unexpired 5 of 25 years
    yearly = 60.0 * 8760 - IMPORT_PRICE * 0.25 * 8760 - 2000.0
    assert r.npv_usd - r0.npv_usd == pytest.approx(yearly * annuity(D, N) - capex + salvage, rel=1e-7)
    assert r.capex_by_technology_usd["heat"] == pytest.approx(capex, rel=1e-9)


def gas_case(baseline: str, credit: float):
    """Four 1-MW gensets (8.5 MMBtu/MWh) on 40 MMBtu/h of gas, all output to an export line at 80 USD/MWh."""
    sc = small_scenario(HOURS, gas_supply_mmbtu_per_h=40.0, export_price_usd_per_mwh=80.0)
    g = sc.gas
    g.enabled, g.availability, g.capex_usd_per_kw = True, 1.0, 0.0
    g.existing_units, g.max_new_units = 4, 0
    g.fuel_price_usd_per_mmbtu, g.fom_usd_per_kw_year, g.vom_usd_per_mwh = 1.0, 0.0, 0.0
    g.credit_baseline, g.carbon_credit_usd_per_t_co2e = baseline, credit
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 10.0, 0.0, 0.0
    return sc


@pytest.mark.parametrize("baseline", ["flaring", "venting"])
def test_carbon_credits_are_gas_burned_times_baseline_minus_genset_factor_times_price(baseline):
    sc = gas_case(baseline, 20.0)
    g = sc.gas
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    co2, ch4, eff, gwp = 53.06, 19.2, 0.98, 29.8  # the defaults: EPA hub, methane content, AP-42 flare, AR6
    assert (g.co2_kg_per_mmbtu, g.methane_kg_per_mmbtu, g.flare_efficiency, g.methane_gwp) == (co2, ch4, eff, gwp)
    base = (co2 * eff + ch4 * (1 - eff) * gwp) / 1000 if baseline == "flaring" else ch4 * gwp / 1000
    genset = co2 / 1000
    burned, left = 4 * 8.5 * 8760, (40.0 - 4 * 8.5) * 8760  # MMBtu/yr
    assert r.gas["gas_burned_mmbtu"] == pytest.approx(burned, rel=1e-9)
    assert r.annual["gas_carbon_credit"][1] == pytest.approx(burned * (base - genset) * 20.0, rel=1e-9)
    s = r.summary()
    assert s["emissions_tco2e"]["gas_gensets"] == pytest.approx(burned * genset, rel=1e-9)
    assert s["emissions_tco2e"]["gas_not_burned"] == pytest.approx(left * base, rel=1e-9)
    assert s["emissions_tco2e"]["total"] == pytest.approx(burned * genset + left * base, rel=1e-9)
    assert s["avoided_tco2e"]["gas_methane_destroyed"] == pytest.approx(burned * (base - genset), rel=1e-9)
    assert s["avoided_tco2e"]["total"] == pytest.approx(burned * (base - genset), rel=1e-9)
    # the credit is all the NPV moves by: the same site without it
    r0 = optimise(gas_case(baseline, 0.0), OPTS, marginals=False)
    assert r.npv_usd - r0.npv_usd == pytest.approx(burned * (base - genset) * 20.0 * annuity(D, N), rel=1e-7)


def test_grid_import_emissions_and_their_price_by_hand():
    intensity = np.array([0.5, 0.5, 0.2, 0.2, 0.8, 0.0])  # tCO2/MWh
    sc = mining_on_import(grid_carbon_t_per_mwh=intensity)
    sc.carbon.enabled, sc.carbon.grid_carbon_price_usd_per_t_co2 = True, 50.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    # the fleet still runs every hour: 108.3 USD/MWh > 20 + 0.8 x 50
    assert np.allclose(r.dispatch["grid_import_mw"], 2.0)
    tons = 2.0 * W * intensity.sum()
    assert r.summary()["emissions_tco2e"]["grid_import"] == pytest.approx(tons, rel=1e-9)
    assert r.annual["grid_carbon_cost"][1] == pytest.approx(-50.0 * tons, rel=1e-9)


def test_every_new_stream_together_keeps_the_proforma_equal_to_the_objective():
    """Heat (direct from liquid-cooled AI, lifted from air-cooled mining, hourly price part, escalation, heat-pump
    O&M, connection and heat-pump capex), genset credits and the carbon price on import, with tax."""
    hours = 12
    h_ = np.arange(hours)
    sc = small_scenario(hours, import_price_usd_per_mwh=30.0 + 10 * np.sin(h_), gas_supply_mmbtu_per_h=20.0,
                        heat_demand_mwh_th=1.0 + 0.8 * np.cos(h_), heat_price_usd_per_mwh_th=5.0 * np.sin(h_),
                        grid_carbon_t_per_mwh=0.3 + 0.1 * np.cos(h_), ai_utilisation=1.0)
    sc.finance.tax_rate, sc.finance.depreciation = 0.21, "macrs_5"
    sc.grid.connected = True
    sc.grid.import_limit_mw, sc.grid.max_new_export_mw = 5.0, 0.0
    sc.gas.enabled, sc.gas.max_new_units, sc.gas.carbon_credit_usd_per_t_co2e = True, 3, 15.0
    sc.mining.enabled, sc.mining.existing_containers, sc.mining.max_new_containers = True, 1, 2
    sc.mining.network_hashrate_growth_per_year, sc.mining.next_halving_year = 0.0, 2100.0
    sc.ai.enabled, sc.ai.max_new_blocks, sc.ai.firmness, sc.ai.firm_fraction = True, 1, "sla", 0.5
    h = sc.heat
    h.enabled, h.supply_temp_c, h.price_usd_per_mwh_th, h.price_escalation_per_year = True, 45.0, 40.0, 0.02
    h.mining_cooling, h.mining_recoverable_fraction, h.mining_heat_temp_c = "air", 0.5, 40.0
    h.ai_liquid_cooled = True
    sc.carbon.enabled, sc.carbon.grid_carbon_price_usd_per_t_co2 = True, 40.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    for name in ("heat_revenue", "heat_revenue_hourly", "heat_pump_fom", "gas_carbon_credit", "grid_carbon_cost"):
        assert abs(r.annual[name][1]) > 1.0, name
    d = r.dispatch
    assert d["heat_direct_mw_th"].sum() > 0 and d["heat_pump_out_mw_th"].sum() > 0  # both paths in use
    assert r.sizes["heat_pump_mw_th"] > 0 and r.sizes["heat_connection_mw_th"] > 0
    assert np.allclose(d["heat_pump_mw"], d["heat_pump_out_mw_th"] / sc.heat.heat_pump_cop)
    assert (d["heat_sold_mw_th"] <= sc.hourly["heat_demand_mwh_th"] + 1e-9).all()
    assert (d["heat_rejected_mw_th"] >= -1e-9).all()


def test_both_reports_show_the_emissions_table(tmp_path):
    import openpyxl

    from planner.report import write_reports
    from planner.run import write_outputs

    r = optimise(gas_case("flaring", 20.0), OPTS, marginals=False)
    out = write_outputs(r, tmp_path / "site", extra_writers=[lambda _r, f: write_reports(f)])
    genset_t = 4 * 8.5 * 8760 * 53.06 / 1000  # 15,802 tCO2/yr
    html = (out / "report.html").read_text()
    table = html[html.index("<table id='emissions'>"):]
    table = table[:table.index("</table>")]
    assert "Gensets (CO2 of the gas burned)" in table and f"{genset_t:,.0f}" in table
    assert "Avoided" in table and "Methane destroyed in the gensets instead of the baseline" in table
    ws = openpyxl.load_workbook(out / "report.xlsx")["Revenue and cost"]
    rows = {ws.cell(r_, 2).value: ws.cell(r_, 3).value for r_ in range(1, ws.max_row + 1)}
    assert rows["Gensets (CO2 of the gas burned)"] == pytest.approx(genset_t, rel=1e-9)
