"""Supply tariffs on the site's import and reserves from the mining fleet, checked by hand (issue 19, items 1-2).

Every case is a few days of flat data with an existing 1-MW mining fleet (no capex) on imported power, solved by
real HiGHS. With no escalation, no tax and a flat hashprice path every stream kind has the same present-worth
factor, so each threshold compares the annual amounts directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import annuity, check_consistency, small_scenario

from planner.run import optimise
from planner.scenario.typical import month_steps
from planner.solve import SolveOptions
from planner.technologies.mining import offered_products, revenue_usd_per_mwh

OPTS = SolveOptions(mip_gap=1e-9)
IMPORT_PRICE = 40.0
A = annuity(0.08, 20)  # the present-worth factor of every kind here


def fleet_case(hours: int, **columns):
    """An existing 1-MW mining container on a grid import at 40 USD/MWh; nothing can be built."""
    sc = small_scenario(hours, import_price_usd_per_mwh=IMPORT_PRICE, **columns)
    sc.grid.connected = True
    sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 0.0, 100.0
    mn = sc.mining
    mn.enabled = True
    mn.existing_containers, mn.max_new_containers = 1, 0
    mn.container_mw, mn.container_pue, mn.availability = 1.0, 1.0, 1.0
    mn.asic_efficiency_j_per_th, mn.fom_usd_per_mw_year, mn.vom_usd_per_mwh, mn.pool_fee = 20.0, 0.0, 0.0, 0.02
    mn.hashprice_usd_per_ph_day = 50.0
    mn.network_hashrate_growth_per_year, mn.btc_price_growth_per_year = 0.0, 0.0
    mn.next_halving_year = 2099.0  # a flat hashprice path: the mining PWF is the plain annuity
    return sc


MARGIN = 50.0 / 24 * (1000 / 20.0) * (1 - 0.02) - IMPORT_PRICE  # 102.083 - 40 = 62.083 USD per MWh mined


def three_months_case(demand_charge: float):
    """One day in each of January, February and March (weight 8760 / 72): a 1-MW site load with a 2-MW spike at
    18:00 every day, and the mining fleet."""
    load = np.ones(72)
    load[[18, 42, 66]] = 2.0
    sc = fleet_case(72, site_load_mw=load)
    sc.hourly["timestamp"] = np.concatenate([pd.date_range(f"2013-{m:02d}-01", periods=24, freq="h")
                                             for m in (1, 2, 3)])
    sc.site_load.enabled = True
    sc.grid.demand_charge_usd_per_kw_month = demand_charge
    return sc


# shaving the 3 spike steps (1 MW of mining each, weight 8760/72 = 121.67 h) loses 365 MWh x margin a year and
# saves 1 MW x 12 billed months (3 months held, x 12/3) x the charge per MW-month
SHAVE_THRESHOLD = 365.0 * MARGIN / (12 * 1000)  # USD/kW-month


def test_month_steps_are_the_calendar_months_of_the_timestamps():
    sc = three_months_case(0.0)
    assert [list(s) for s in month_steps(sc)] == [list(range(0, 24)), list(range(24, 48)), list(range(48, 72))]


@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_demand_charge_curtails_mining_exactly_at_the_spike_above_the_threshold(factor):
    charge = factor * SHAVE_THRESHOLD  # 2x stays below the next threshold: curtailing all day (8760 MWh x margin)
    r = optimise(three_months_case(charge), OPTS, marginals=False)
    check_consistency(r)
    mining = r.dispatch["mining_mw"].to_numpy()
    spikes = np.zeros(72, bool)
    spikes[[18, 42, 66]] = True
    assert mining[~spikes] == pytest.approx(1.0, abs=1e-7)
    shaved = factor > 1
    assert mining[spikes] == pytest.approx(0.0 if shaved else 1.0, abs=1e-7)
    peak = 2.0 if shaved else 3.0  # each month's highest import: load spike (+ mining when it runs)
    assert r.dispatch["grid_import_mw"].max() == pytest.approx(peak, abs=1e-7)
    bill = charge * 1000 * peak * 12  # USD/MW-month x MW x 12 billed months (3 held x 12/3)
    assert r.annual["import_demand_charge"][1] == pytest.approx(-bill, rel=1e-9)
    mined_mwh = 8760 - (365 if shaved else 0)
    load_mwh = 8760 + 365
    expected = A * (mined_mwh * (MARGIN + IMPORT_PRICE) - (mined_mwh + load_mwh) * IMPORT_PRICE - bill)
    assert r.npv_usd == pytest.approx(expected, rel=1e-7)


def cp_case(charge: float):
    """One day (weight 365) with hours 16 and 17 flagged as coincident peaks."""
    flags = np.zeros(24)
    flags[[16, 17]] = 1.0
    sc = fleet_case(24, coincident_peak=flags)
    sc.grid.coincident_peak_charge_usd_per_kw_year = charge
    return sc


# running 1 MW in the two flagged steps (weight 365) earns 730 MWh x margin a year and costs 1 MW of average
# import over the flagged intervals x the charge per MW-yr
CP_THRESHOLD = 730.0 * MARGIN / 1000  # USD/kW-yr


@pytest.mark.parametrize("factor", [0.8, 1.25])
def test_coincident_peak_charge_stops_mining_in_every_flagged_hour_when_it_exceeds_their_margin(factor):
    charge = factor * CP_THRESHOLD
    r = optimise(cp_case(charge), OPTS, marginals=False)
    check_consistency(r)
    mining = r.dispatch["mining_mw"].to_numpy()
    flagged = np.zeros(24, bool)
    flagged[[16, 17]] = True
    assert mining[~flagged] == pytest.approx(1.0, abs=1e-7)
    runs = factor < 1
    assert mining[flagged] == pytest.approx(1.0 if runs else 0.0, abs=1e-7)
    expected_charge = -charge * 1000 * (1.0 if runs else 0.0)  # USD/MW-yr x average import over the flags
    assert r.annual.get("import_coincident_peak_charge", ("", 0.0))[1] == pytest.approx(expected_charge, abs=1e-6)


def reserve_case(price: float, probability: float, share: float = 0.6):
    sc = fleet_case(24, reserve_1_price_usd_per_mw_h=price)
    rs = sc.reserves
    rs.enabled, rs.product_1_name = True, "ECRS"
    rs.product_1_deployment_probability, rs.product_1_max_fleet_share = probability, share
    return sc


@pytest.mark.parametrize("price", [10.0, 15.0])
def test_reserve_offers_the_full_share_exactly_when_its_price_beats_the_expected_lost_margin(price):
    q, share = 0.2, 0.6  # q x margin = 12.42 USD/MWh: 10 is below it, 15 above
    r = optimise(reserve_case(price, q), OPTS, marginals=False)
    check_consistency(r)
    held = r.dispatch["reserve_1_mw"].to_numpy()
    offers = price > q * MARGIN
    assert held == pytest.approx(share if offers else 0.0, abs=1e-7)
    assert r.dispatch["mining_scheduled_mw"].to_numpy() == pytest.approx(1.0, abs=1e-7)
    revenue = price * share * 8760 if offers else 0.0
    assert r.annual["reserve_1_revenue"][1] == pytest.approx(revenue, rel=1e-9, abs=1e-6)
    mined = 8760 * (1 - (q * share if offers else 0.0))  # expected: deployment takes q x MW held off the load
    assert r.energy_mwh["mining"] == pytest.approx(mined, rel=1e-9)
    assert r.npv_usd == pytest.approx(A * (mined * MARGIN + revenue), rel=1e-7)
    assert r.summary()["revenue_usd_per_year"].get("reserve_1_revenue", 0.0) == pytest.approx(revenue, abs=1e-6)
    assert r.labels["streams"]["reserve_1_revenue"]["label"] == "Reserve capacity revenue: ECRS"


def test_reserve_product_faster_than_the_fleet_is_not_offered():
    sc = reserve_case(50.0, 0.1)
    sc.reserves.mining_response_time_s = 2.0
    sc.reserves.product_1_response_time_s = 0.5  # the fleet cannot respond in time
    assert offered_products(sc) == []
    errors, warnings = sc.reserves.rules(None)
    assert not errors and "not offered" in warnings[0]
    sc.reserves.product_1_response_time_s = 2.0
    assert offered_products(sc) == [1]


def test_every_new_stream_at_once_pro_forma_equals_objective():
    """TOU tariff, demand charge, coincident peak and two reserve products on one case: the pro-forma, computed
    from the dispatch on its own, reproduces the optimiser's NPV; and the closed forms hold together."""
    sc = three_months_case(1.0)
    tou = np.where(np.arange(72) % 24 >= 12, 30.0, 0.0)  # afternoon and evening peak period
    flags = np.zeros(72)
    flags[[41, 65]] = 1.0
    sc.hourly["import_tariff_usd_per_mwh"] = tou
    sc.hourly["coincident_peak"] = flags
    sc.hourly["reserve_1_price_usd_per_mw_h"] = 20.0
    sc.hourly["reserve_2_price_usd_per_mw_h"] = np.where(np.arange(72) % 24 < 6, 8.0, 30.0)
    sc.grid.coincident_peak_charge_usd_per_kw_year = 50.0
    rs = sc.reserves
    rs.enabled, rs.product_1_name, rs.product_2_name = True, "ECRS", "RRS"
    rs.product_1_max_fleet_share, rs.product_2_max_fleet_share = 0.3, 0.5
    rs.product_1_deployment_probability, rs.product_2_deployment_probability = 0.05, 0.1
    sc.battery.enabled = True
    sc.battery.existing_mw, sc.battery.existing_mwh, sc.battery.max_new_mw, sc.battery.max_new_mwh = 1, 2, 0, 0
    sc.battery.fom_usd_per_kw_year = sc.battery.fom_usd_per_kwh_year = 0.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    assert {"import_energy_charge", "import_demand_charge", "import_coincident_peak_charge", "reserve_1_revenue",
            "reserve_2_revenue"} <= set(r.annual)
    d = r.dispatch
    w = 8760 / 72
    imp = d["grid_import_mw"].to_numpy()
    assert r.annual["import_energy_charge"][1] == pytest.approx(-(w * tou * imp).sum(), rel=1e-9)
    peaks = [imp[0:24].max(), imp[24:48].max(), imp[48:72].max()]
    assert r.annual["import_demand_charge"][1] == pytest.approx(-1000 * 4 * sum(peaks), rel=1e-9)
    assert r.annual["import_coincident_peak_charge"][1] == pytest.approx(-50e3 * (imp[41] + imp[65]) / 2, rel=1e-9)
    held = d["reserve_1_mw"].to_numpy() + d["reserve_2_mw"].to_numpy()
    assert (held <= d["mining_scheduled_mw"].to_numpy() + 1e-7).all()
    expected_mining = d["mining_scheduled_mw"] - 0.05 * d["reserve_1_mw"] - 0.1 * d["reserve_2_mw"]
    assert d["mining_mw"].to_numpy() == pytest.approx(expected_mining.to_numpy(), abs=1e-9)
    assert revenue_usd_per_mwh(sc.mining) == pytest.approx(MARGIN + IMPORT_PRICE)


def test_tariff_off_adds_nothing_to_the_model():
    """The charges at their defaults (0) declare no stream and no variable: other sites' models are unchanged."""
    from planner.model import build

    sc = three_months_case(0.0)
    built = build(sc)
    names = {c.name for c in built.m.component_objects()}
    assert "rate_import_cost" in names
    assert not any(n.startswith(("peak_", "reserve_", "rate_reserve_")) for n in names)
    assert not {"rate_import_energy_charge", "rate_import_demand_charge", "rate_import_coincident_peak_charge"} & names


def test_typical_day_months_are_the_periods_that_stand_for_them():
    """On typical days a month's peak is taken over every typical period that stands for one of its days."""
    from planner.scenario.scenario import Periods

    sc = small_scenario(48)
    sc.periods = Periods(hours_per_period=24, n_clusters=2, sequence=np.array([0, 0, 1, 0, 0]),
                         months=np.array([1, 1, 1, 2, 2]))
    january, february = month_steps(sc)
    assert list(january) == list(range(48)) and list(february) == list(range(24))


def test_aggregate_records_the_month_of_every_real_day():
    from planner.scenario.typical import aggregate

    rng = np.random.default_rng(3)
    sc = fleet_case(24 * 59, export_price_usd_per_mwh=30 + 10 * rng.random(24 * 59))  # 31 January + 28 February days
    reduced = aggregate(sc, 3)
    p = reduced.periods
    assert list(p.months) == [1] * 31 + [2] * 28
    for month, steps in zip((1, 2), month_steps(reduced), strict=True):
        clusters = sorted({int(t) // 24 for t in steps})
        assert clusters == sorted({int(c) for c in p.sequence[p.months == month]})
