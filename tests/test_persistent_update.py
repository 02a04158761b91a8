"""Re-pricing a built model in place (planner/solve: reprice) gives the same answer as building it again."""

from __future__ import annotations

import pytest
from helpers import small_scenario

from planner.model import build
from planner.scenario.params import OBJECTIVE_ONLY, get_param, set_param
from planner.solve import HighsModel, SolveOptions, reprice, solve_model
from planner.technologies import reprice_only

OPTS = SolveOptions(mip_gap=1e-9)


def rich_scenario():
    """Every technology on, small enough to solve in well under a second."""
    n = 24
    pv = [0.0] * 6 + [0.2, 0.4, 0.6, 0.7, 0.8, 0.8, 0.8, 0.7, 0.6, 0.4, 0.2, 0.1] + [0.0] * 6
    price = [25.0] * 7 + [60.0] * 10 + [120.0] * 4 + [40.0] * 3
    sc = small_scenario(n, pv_cf=pv, wind_cf=[0.3 + 0.02 * (t % 5) for t in range(n)], export_price_usd_per_mwh=price,
                        import_price_usd_per_mwh=[p + 10 for p in price], gas_supply_mmbtu_per_h=30.0,
                        hydro_flow_m3s=10.0, site_load_mw=2.0, ai_utilisation=0.9)
    for tech in (sc.pv, sc.wind, sc.gas, sc.hydro, sc.geothermal, sc.nuclear, sc.battery, sc.site_load, sc.ai,
                 sc.mining):
        tech.enabled = True
    sc.grid.connected = True
    sc.pv.degradation_per_year = 0.0
    sc.ai.firm_fraction = 0.5
    sc.nuclear.max_new_units = sc.geothermal.max_new_units = 1
    sc.geothermal.unit_mw, sc.nuclear.unit_mw = 3.0, 4.0
    # the supply tariff's charges and a reserve product on, so their prices are in the model to re-price
    sc.grid.demand_charge_usd_per_kw_month, sc.grid.coincident_peak_charge_usd_per_kw_year = 2.0, 30.0
    sc.hourly["coincident_peak"] = [1.0 if t == 19 else 0.0 for t in range(n)]
    sc.hourly["import_tariff_usd_per_mwh"] = [15.0 if 17 <= t < 21 else 0.0 for t in range(n)]
    sc.reserves.enabled, sc.reserves.product_1_name = True, "ECRS"
    sc.hourly["reserve_1_price_usd_per_mw_h"] = 8.0
    return sc


@pytest.mark.parametrize("name", sorted(OBJECTIVE_ONLY))
def test_update_in_place_equals_rebuild(name):
    base = rich_scenario()
    assert reprice_only(name, base)
    built = build(base)
    hm = HighsModel(built.m)
    solve_model(hm, OPTS)
    changed = base.copy()
    v = get_param(changed, name)
    new = v * 1.3 + (1 if "year" in name else 0.01) if v is not None else None
    if name == "site.cod_year":
        new = v + 1.5
    set_param(changed, name, new)
    reprice(built, hm, changed)
    warm = solve_model(hm, OPTS).objective
    cold = solve_model(HighsModel(build(changed).m), OPTS).objective
    assert warm == pytest.approx(cold, rel=1e-6, abs=1.0)


def test_discount_rate_is_structural_with_degrading_pv():
    sc = rich_scenario()
    sc.pv.degradation_per_year = 0.005
    assert not reprice_only("finance.discount_rate", sc)
    assert reprice_only("mining.hashprice_usd_per_ph_day", sc)
