"""Hand-checked tests of the cost inputs of issue 14 items 5 and 6: mining and AI variable O&M, battery fixed O&M
per kWh, the salvage rule, the GPU-hour price of a refreshed generation, the escalation convention
(`escalation_starts`), and whole GPU servers and ASICs.

Every expected number is derived here from first principles (annuity factors, the hand price paths, whole
units by floor division), never read back from the planner. Each solve goes through `planner.run.optimise`
and also checks that every hour balances and that the pro-forma reproduces the optimiser's NPV.
Conventions: discount rate 8 %, 20 years, end-of-year cash flows, year 0 = the initial capex.
"""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pytest
from helpers import annuity, check_consistency, edited_copy, field_row_of, pv_of_years, small_scenario

from planner.errors import InputError
from planner.finance import CapitalItem, capital_pv_per_unit, capital_schedule, stream_pwf, trajectories
from planner.run import optimise
from planner.scenario.catalog import load_catalog
from planner.scenario.inputs import AI, Mining
from planner.scenario.reader import read_workbook
from planner.scenario.template import template_scenario, write_workbook
from planner.solve import SolveOptions
from planner.technologies.ai import price_factor

OPTS = SolveOptions(mip_gap=1e-6)
D, N = 0.08, 20
A = annuity(D, N)  # 9.818147...: 1 USD a year for 20 years
YEARS = np.arange(N + 1)
V = (1.0 + D) ** -YEARS.astype(float)  # discount factor of each year 0..N
HOURS = 8760.0


def row(r, name: str) -> np.ndarray:
    """One line of the pro-forma as an array over years 0..N."""
    return r.proforma.table.loc[name, list(YEARS)].to_numpy(float)


def assert_row(r, name: str, expected) -> None:
    np.testing.assert_allclose(row(r, name), np.asarray(expected, float), rtol=1e-9, atol=1e-3)


def every_year(amount: float) -> np.ndarray:
    """A line that is `amount` in years 1..N and 0 in year 0."""
    return np.where(YEARS >= 1, amount, 0.0)


# --------------------------------------------------------------------------------- mining variable O&M

MINING_FOM = 10_000.0  # USD/MW-yr
ASIC_USD = 250 * 4000 / 20.0 * 5.0  # 250 ASICs of 4000 W at 20 J/TH = 50,000 TH at 5 USD/TH: 250 k USD a container
MINING_CAPITAL_PV = ASIC_USD * pv_of_years(D, [0, 4, 8, 12, 16]) + 100_000 * pv_of_years(D, [0, 10])


def mining_case(import_price: float, vom: float, hashprice: float = 50.0):
    """Up to 10 one-MW containers (250 whole 4-kW ASICs at PUE 1) on imported power; a flat hashprice."""
    sc = small_scenario(24, import_price_usd_per_mwh=import_price)
    sc.grid.connected = True
    sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 0.0, 100.0
    mn = sc.mining
    mn.enabled, mn.max_new_containers = True, 10
    mn.container_mw, mn.container_pue, mn.availability, mn.asic_power_w = 1.0, 1.0, 1.0, 4000.0
    mn.asic_efficiency_j_per_th, mn.asic_price_usd_per_th, mn.asic_price_decline_per_year = 20.0, 5.0, 0.0
    mn.container_capex_usd_per_mw, mn.infrastructure_life_years, mn.asic_life_years = 100000.0, 10, 4
    mn.fom_usd_per_mw_year, mn.pool_fee, mn.hashprice_usd_per_ph_day = MINING_FOM, 0.02, hashprice
    mn.network_hashrate_growth_per_year, mn.btc_price_growth_per_year = 0.0, 0.0
    mn.next_halving_year = 2099.0  # no halving inside the period
    mn.vom_usd_per_mwh = vom
    return sc


def mining_revenue_per_mwh(hashprice: float) -> float:
    return hashprice / 24 * (1000 / 20.0) * (1 - 0.02)  # 50 PH/s per MW after a 2 % pool fee


def mining_value(import_price: float, vom: float, hashprice: float = 50.0) -> float:
    """NPV of one container running every hour."""
    margin = mining_revenue_per_mwh(hashprice) - import_price - vom
    return margin * HOURS * A - MINING_FOM * A - MINING_CAPITAL_PV


def test_mining_vom_costs_vom_times_mwh_every_year_and_lowers_npv_by_its_annuity():
    vom = 5.0
    r = optimise(mining_case(40.0, vom), OPTS, marginals=False)
    check_consistency(r)
    assert r.sizes["mining_containers"] == 10
    assert r.energy_mwh["mining"] == pytest.approx(10 * HOURS, rel=1e-9)
    assert_row(r, "mining_vom", every_year(-vom * 10 * HOURS))  # -438,000 USD a year
    assert r.npv_usd == pytest.approx(10 * mining_value(40.0, vom), rel=1e-7)
    free = optimise(mining_case(40.0, 0.0), OPTS, marginals=False)
    assert free.npv_usd - r.npv_usd == pytest.approx(10 * vom * HOURS * A, rel=1e-6)


def mining_break_even_hashprice(import_price: float, vom: float) -> float:
    """Hashprice at which a container's NPV is zero: revenue per MWh = price + vom + fixed costs per MWh."""
    per_mwh = import_price + vom + (MINING_FOM * A + MINING_CAPITAL_PV) / (HOURS * A)
    return per_mwh * 24 / ((1000 / 20.0) * (1 - 0.02))


@pytest.mark.parametrize("factor", [0.99, 1.01])
def test_mining_vom_raises_the_hashprice_at_which_containers_pay_by_exactly_vom_per_mwh(factor):
    vom = 8.0
    hp_star = mining_break_even_hashprice(40.0, vom)
    assert hp_star - mining_break_even_hashprice(40.0, 0.0) == pytest.approx(vom * 24 / 49.0, rel=1e-12)
    r = optimise(mining_case(40.0, vom, hashprice=factor * hp_star), OPTS, marginals=False)
    check_consistency(r)
    if factor > 1:
        assert r.sizes["mining_containers"] == 10
        assert r.npv_usd == pytest.approx(10 * mining_value(40.0, vom, factor * hp_star), rel=1e-6)
    else:
        assert r.sizes["mining_containers"] == 0
        assert r.npv_usd == pytest.approx(0.0, abs=1.0)


# ------------------------------------------------------------------------------------- AI variable O&M

AI_FOM = 150_000.0  # USD a year for one 1-MW_IT block (150 USD/kW_IT-yr)
IMPORT = 20.0  # USD/MWh
PUE = 1.3


def ai_capital_pv(blocks: int = 1, servers: int = 100, it_kw: float = 1000.0) -> float:
    """Servers (3,000 USD each) at 0, 5, 10, 15, 10 %/yr cheaper; facility 2,000 USD/kW_IT, 5/25 back at 20."""
    server_cost = servers * 3000.0
    facility = 2000.0 * it_kw
    return blocks * (server_cost * sum(0.9 ** y * (1 + D) ** -y for y in (0, 5, 10, 15))
                     + facility * (1 - 5 / 25 * (1 + D) ** -N))


def ai_case(gpu_price: float = 0.05, vom: float = 0.0, firm: float = 0.0, decline: float = 0.0,
            refresh_decline: float = 0.0, blocks: int = 1, server_kw: float = 10.0):
    """`blocks` forced 1-MW_IT blocks of 8-GPU servers on imported power at 20 USD/MWh, utilisation 1."""
    sc = small_scenario(24, import_price_usd_per_mwh=IMPORT)
    sc.grid.connected = True
    sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 0.0, 100.0
    a = sc.ai
    a.enabled = True
    a.min_new_blocks = a.max_new_blocks = blocks
    a.block_it_mw, a.pue, a.firmness, a.firm_fraction = 1.0, PUE, "hard", firm
    a.gpus_per_server, a.server_kw, a.gpu_hour_price_usd = 8, server_kw, gpu_price
    a.gpu_hour_price_decline_per_year, a.gpu_hour_price_refresh_decline_per_year = decline, refresh_decline
    a.gpu_refresh_years, a.server_price_usd, a.server_price_decline_per_year = 5, 3000.0, 0.10
    a.facility_capex_usd_per_kw_it, a.facility_life_years, a.fom_usd_per_kw_it_year = 2000.0, 25, 150.0
    a.vom_usd_per_it_mwh = vom
    return sc


AI_REVENUE = 0.05 * 8 * 1000 / 10.0  # 40 USD per IT-MWh: 800 GPUs per IT-MW at 0.05 USD per GPU-hour
AI_BREAK_EVEN_VOM = AI_REVENUE - PUE * IMPORT  # 14 USD/IT-MWh: above it, an IT-MWh costs more than it earns


@pytest.mark.parametrize("factor", [0.9, 1.1])
def test_ai_vom_is_paid_per_it_mwh_and_switches_flexible_ai_off_exactly_above_its_margin(factor):
    vom = factor * AI_BREAK_EVEN_VOM
    r = optimise(ai_case(vom=vom), OPTS, marginals=False)
    check_consistency(r)
    base = -AI_FOM * A - ai_capital_pv()
    if factor < 1:  # the margin stays positive: the block runs every hour and pays vom on every IT-MWh
        it_mwh = 1.0 * HOURS
        np.testing.assert_allclose(r.dispatch["ai_it_mw"], 1.0, atol=1e-7)
        assert_row(r, "ai_vom", every_year(-vom * it_mwh))
        hand = (AI_REVENUE - PUE * IMPORT - vom) * it_mwh * A + base
    else:  # no firm share: the block idles rather than lose money on each IT-MWh
        assert np.abs(r.dispatch["ai_it_mw"]).max() < 1e-7
        assert_row(r, "ai_vom", np.zeros(N + 1))
        hand = base
    assert r.npv_usd == pytest.approx(hand, rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(hand, rel=1e-7)


def test_ai_vom_on_a_firm_block_lowers_npv_by_vom_times_it_mwh_times_the_annuity():
    vom = 30.0  # above the margin, but the firm block must run
    r = optimise(ai_case(vom=vom, firm=1.0), OPTS, marginals=False)
    check_consistency(r)
    np.testing.assert_allclose(r.dispatch["ai_it_mw"], 1.0, atol=1e-7)
    free = optimise(ai_case(vom=0.0, firm=1.0), OPTS, marginals=False)
    assert free.npv_usd - r.npv_usd == pytest.approx(vom * HOURS * A, rel=1e-7)


# ------------------------------------------------------------------------- battery fixed O&M per kWh

def battery_case(fom_kwh: float):
    """A 1 MW / 4 MWh battery forced next to an existing 0.5 MW / 2 MWh one, idle (no grid, nothing to shift)."""
    sc = small_scenario(24)
    b = sc.battery
    b.enabled = True
    b.existing_mw, b.existing_mwh = 0.5, 2.0
    b.min_new_mw = b.max_new_mw = 1.0
    b.min_new_mwh = b.max_new_mwh = 4.0
    b.capex_usd_per_kw, b.capex_usd_per_kwh, b.life_years = 842.0, 213.0, 15
    b.fom_usd_per_kw_year, b.fom_usd_per_kwh_year = 25.0, fom_kwh
    return sc


def test_battery_energy_fom_is_paid_on_every_mwh_existing_and_new():
    fom_kwh = 5.3
    r = optimise(battery_case(fom_kwh), OPTS, marginals=False)
    check_consistency(r)
    assert r.sizes["battery_mwh"] == pytest.approx(6.0)
    assert_row(r, "battery_fom_energy", every_year(-fom_kwh * 1000 * 6.0))  # -31,800 USD a year on 6 MWh
    assert_row(r, "battery_fom", every_year(-25.0 * 1000 * 1.5))
    capex = 842e3 * 1.0 + 213e3 * 4.0  # 1.694 M USD, again at year 15; 10/15 of the rebuild back at year 20
    hand = -(25e3 * 1.5 + fom_kwh * 1e3 * 6.0) * A - capex * (1 + (1 + D) ** -15 - 10 / 15 * (1 + D) ** -N)
    assert r.npv_usd == pytest.approx(hand, rel=1e-9)
    none = optimise(battery_case(0.0), OPTS, marginals=False)
    assert none.npv_usd - r.npv_usd == pytest.approx(fom_kwh * 1e3 * 6.0 * A, rel=1e-9)


# ------------------------------------------------------------------------------------- salvage rule

PV_CAPEX_PER_MW = 1606e3  # life 30 years, 20-year period: 10/30 unexpired at year 20
PV_FOM_PER_MW = 22.6e3


def pv_case(price: float, salvage: str, forced_mw: float | None = None):
    sc = small_scenario(24, pv_cf=0.3, export_price_usd_per_mwh=price)
    p = sc.pv
    p.enabled, p.max_new_mw_ac, p.degradation_per_year = True, 50.0, 0.0
    if forced_mw is not None:
        p.min_new_mw_ac = p.max_new_mw_ac = forced_mw
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 100.0, 0.0, 0.0
    sc.finance.salvage = salvage
    return sc


def test_salvage_none_returns_nothing_and_costs_the_discounted_unexpired_share():
    lin = optimise(pv_case(60.0, "linear", forced_mw=10.0), OPTS, marginals=False)
    none = optimise(pv_case(60.0, "none", forced_mw=10.0), OPTS, marginals=False)
    for r in (lin, none):
        check_consistency(r)
    capex = 10 * PV_CAPEX_PER_MW
    expected = np.zeros(N + 1)
    expected[N] = capex * 10 / 30
    assert_row(lin, "salvage", expected)
    assert_row(none, "salvage", np.zeros(N + 1))
    revenue = 10 * 0.3 * HOURS * 60.0
    assert lin.npv_usd == pytest.approx((revenue - 10 * PV_FOM_PER_MW) * A - capex * (1 - 10 / 30 * V[N]), rel=1e-9)
    assert lin.npv_usd - none.npv_usd == pytest.approx(capex * 10 / 30 * V[N], rel=1e-9)


def test_salvage_rule_moves_the_break_even_price_of_pv_between_the_two_hand_values():
    energy_pv = 0.3 * HOURS * A  # MWh per MW, discounted
    p_linear = (PV_CAPEX_PER_MW * (1 - 10 / 30 * V[N]) + PV_FOM_PER_MW * A) / energy_pv
    p_none = (PV_CAPEX_PER_MW + PV_FOM_PER_MW * A) / energy_pv
    assert p_linear < p_none
    price = 0.5 * (p_linear + p_none)
    lin = optimise(pv_case(price, "linear"), OPTS, marginals=False)
    none = optimise(pv_case(price, "none"), OPTS, marginals=False)
    for r in (lin, none):
        check_consistency(r)
    assert lin.sizes["pv_mw_ac"] == pytest.approx(50.0)
    assert none.sizes["pv_mw_ac"] == pytest.approx(0.0, abs=1e-6)


def test_salvage_rule_applies_to_replacements_that_outlive_the_period():
    sc = small_scenario(24)
    item = CapitalItem("battery_energy", "battery", 100.0, 15, price_decline_per_year=0.1)
    s = capital_schedule(item, sc.finance)
    assert s["invest"][15] == pytest.approx(100 * 0.9 ** 15)
    assert s["salvage"][N] == pytest.approx(100 * 0.9 ** 15 * 10 / 15)  # the year-15 rebuild, 10 of 15 years left
    sc.finance.salvage = "none"
    assert capital_schedule(item, sc.finance)["salvage"].sum() == 0.0
    assert capital_pv_per_unit(item, sc.finance) == pytest.approx(100 * (1 + 0.9 ** 15 * (1 + D) ** -15), rel=1e-12)


# ------------------------------------------------------------------------------- escalation_starts

def test_escalation_from_year_0_reproduces_reopts_present_worth_factor_and_ours_is_a_factor_1_027_lower():
    sc = small_scenario(24)
    fin = sc.finance
    fin.om_escalation = fin.electricity_escalation = fin.fuel_escalation = 0.027
    ours = stream_pwf(fin, trajectories(fin))
    fin.escalation_starts = "year_0"
    reopt = stream_pwf(fin, trajectories(fin))
    y = np.arange(1, N + 1)
    by_hand = {"year_1": float(np.sum(1.027 ** (y - 1) / 1.08 ** y)), "year_0": float(np.sum(1.027 ** y / 1.08 ** y))}
    for kind in ("om", "electricity", "fuel"):
        assert ours[kind] == pytest.approx(by_hand["year_1"], rel=1e-12)
        assert reopt[kind] == pytest.approx(by_hand["year_0"], rel=1e-12)
        assert round(reopt[kind], 4) == 12.2942  # REopt.jl annuity(20, 0.027, 0.08), the figure
        assert round(ours[kind], 3) == 11.971
        assert reopt[kind] / ours[kind] == pytest.approx(1.027, rel=1e-12)
    assert reopt["flat"] == ours["flat"] == pytest.approx(A, rel=1e-12)  # no escalation, nothing to start
    # a replacement is not escalated under either convention: 700 USD/kW at year 10 is worth 324.2354 today
    item = CapitalItem("x", "x", 700.0, 10)
    fin.salvage = "none"
    for start in ("year_1", "year_0"):
        fin.escalation_starts = start
        assert round(capital_pv_per_unit(item, fin) - 700.0, 4) == 324.2354


@pytest.mark.parametrize("start", ["year_1", "year_0"])
def test_escalation_starts_sets_the_first_escalated_year_of_revenue_and_om_in_the_plan(start):
    sc = pv_case(50.0, "linear", forced_mw=10.0)
    sc.pv.life_years, sc.pv.capex_usd_per_kw_ac = 20, 1000.0  # no replacement, no salvage
    fin = sc.finance
    fin.electricity_escalation, fin.om_escalation, fin.escalation_starts = 0.02, 0.027, start
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    shift = 0 if start == "year_1" else 1  # year_0: year 1 already pays one year of escalation
    y = np.arange(1, N + 1)
    revenue = 10 * 0.3 * HOURS * 50.0
    fom = 10 * PV_FOM_PER_MW
    assert_row(r, "export_revenue", np.concatenate([[0.0], revenue * 1.02 ** (y - 1 + shift)]))
    assert_row(r, "pv_fom", np.concatenate([[0.0], -fom * 1.027 ** (y - 1 + shift)]))
    hand = (revenue * np.sum(1.02 ** (y - 1 + shift) * V[1:]) - fom * np.sum(1.027 ** (y - 1 + shift) * V[1:])
            - 10 * 1000e3)
    assert r.npv_usd == pytest.approx(float(hand), rel=1e-9)


# -------------------------------------------------------------------- GPU-hour price after a refresh

def test_gpu_hour_price_path_starts_each_refreshed_generation_lower_by_the_refresh_decline():
    sc = ai_case(decline=0.15, refresh_decline=0.094)
    f = price_factor(sc)
    assert len(f) == N
    assert f[0] == 1.0  # year 1: the year-1 price
    assert f[4] == pytest.approx(0.85 ** 4, rel=1e-12)  # year 5: the first generation, four years old
    assert f[5] == pytest.approx(0.906 ** 5, rel=1e-12)  # year 6: bought at the end of year 5, 0.906^5 = 0.61
    assert f[6] == pytest.approx(0.906 ** 5 * 0.85, rel=1e-12)
    assert f[10] == pytest.approx(0.906 ** 10, rel=1e-12)
    assert f[19] == pytest.approx(0.906 ** 15 * 0.85 ** 4, rel=1e-12)
    sc.ai.gpu_hour_price_refresh_decline_per_year = 0.0  # the old behaviour: every refresh earns the year-1 price
    assert price_factor(sc)[5] == 1.0 and price_factor(sc)[15] == 1.0
    sc.ai.gpu_refresh_years = 3  # a yearly rate: a faster refresh starts higher
    assert price_factor(sc)[3] == 1.0
    sc.ai.gpu_hour_price_refresh_decline_per_year = 0.094
    assert price_factor(sc)[3] == pytest.approx(0.906 ** 3, rel=1e-12)


@pytest.mark.parametrize("refresh_decline", [0.0, 0.094])
def test_gpu_refresh_price_moves_revenue_and_npv_by_the_hand_price_path(refresh_decline):
    r = optimise(ai_case(gpu_price=2.0, firm=1.0, decline=0.15, refresh_decline=refresh_decline), OPTS,
                 marginals=False)
    check_consistency(r)
    revenue = 2.0 * 8 * 1000 / 10.0 * HOURS  # USD in year 1: 1,600 USD per IT-MWh, 8,760 IT-MWh
    g, d = 1 - refresh_decline, 0.85
    path = np.array([g ** (5 * ((y - 1) // 5)) * d ** ((y - 1) % 5) for y in range(1, N + 1)])
    assert path[5] == pytest.approx(g ** 5)
    assert_row(r, "ai_revenue", np.concatenate([[0.0], revenue * path]))
    hand = revenue * float(np.sum(path * V[1:])) - PUE * IMPORT * HOURS * A - AI_FOM * A - ai_capital_pv()
    assert r.npv_usd == pytest.approx(hand, rel=1e-9)


# ------------------------------------------------------------------------ whole GPU servers and ASICs

def test_a_block_holds_whole_servers_and_its_it_power_drives_sizes_costs_and_dispatch():
    servers = math.floor(1000 / 10.2)  # 98 servers of 10.2 kW in a 1-MW_IT block
    it_mw = servers * 10.2 / 1000  # 0.9996 MW_IT per block
    r = optimise(ai_case(gpu_price=2.0, firm=1.0, blocks=2, server_kw=10.2), OPTS, marginals=False)
    check_consistency(r)
    assert servers == 98
    assert r.sizes["ai_servers"] == 2 * 98
    assert r.sizes["ai_gpus"] == 2 * 98 * 8 and float(r.sizes["ai_gpus"]).is_integer()
    assert r.sizes["ai_it_mw"] == pytest.approx(2 * it_mw, rel=1e-12)
    np.testing.assert_allclose(r.dispatch["ai_it_mw"], 2 * it_mw, atol=1e-7)
    np.testing.assert_allclose(r.dispatch["ai_facility_mw"], PUE * 2 * it_mw, atol=1e-7)
    assert r.capex_usd == pytest.approx(2 * (98 * 3000.0 + 2000.0 * it_mw * 1000), rel=1e-12)
    assert_row(r, "ai_fom", every_year(-150e3 * 2 * it_mw))
    revenue = 2.0 * 8 * 1000 / 10.2 * 2 * it_mw * HOURS  # GPU-hours of 1,568 whole GPUs every hour
    assert revenue == pytest.approx(2.0 * 2 * 98 * 8 * HOURS, rel=1e-12)
    hand = ((revenue - PUE * IMPORT * 2 * it_mw * HOURS - 150e3 * 2 * it_mw) * A
            - ai_capital_pv(blocks=2, servers=98, it_kw=it_mw * 1000))
    assert r.npv_usd == pytest.approx(hand, rel=1e-9)


@pytest.mark.parametrize("land_ha,blocks", [(1.9993, 2), (1.9990, 1)])
def test_land_of_a_block_follows_its_whole_servers(land_ha, blocks):
    sc = ai_case(gpu_price=2.0, firm=1.0, blocks=2, server_kw=10.2)
    sc.ai.min_new_blocks, sc.ai.land_ha_per_mw = 0, 1.0
    sc.site.land_area_ha = land_ha  # two blocks take 2 x 0.9996 = 1.9992 ha (two 1-MW blocks would take 2)
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    assert r.sizes["ai_blocks"] == blocks


def test_a_container_holds_whole_asics_and_draws_their_power():
    asics = math.floor(1e6 / (3645 * 1.03))  # 266 whole S21 XP at 3,645 W with 3 % cooling in 1 MW
    container_mw = asics * 3645 * 1.03 / 1e6  # 0.9986571 MW
    th = asics * 3645 / 13.5  # 71,820 TH/s: 270 TH/s per ASIC
    sc = mining_case(40.0, 0.0)
    mn = sc.mining
    mn.min_new_containers = mn.max_new_containers = 3
    mn.asic_power_w, mn.asic_efficiency_j_per_th, mn.container_pue, mn.asic_price_usd_per_th = 3645.0, 13.5, 1.03, 10.0
    mn.container_capex_usd_per_mw, mn.fom_usd_per_mw_year = 200_000.0, 20_000.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    assert asics == 266 and th == pytest.approx(71_820.0)
    assert r.sizes["mining_asics"] == 3 * 266
    assert r.sizes["mining_mw"] == pytest.approx(3 * container_mw, rel=1e-12)
    assert r.sizes["mining_ph_s"] == pytest.approx(3 * th / 1000, rel=1e-12)
    np.testing.assert_allclose(r.dispatch["mining_mw"], 3 * container_mw, atol=1e-7)  # pays: runs at full power
    assert r.capex_usd == pytest.approx(3 * (th * 10.0 + 200_000.0 * container_mw), rel=1e-12)
    revenue = 50.0 / 24 * (th / 1000) * 0.98 * HOURS  # USD a year per container: whole ASICs' hashrate
    capital_pv = th * 10.0 * pv_of_years(D, [0, 4, 8, 12, 16]) + 200_000.0 * container_mw * pv_of_years(D, [0, 10])
    per_container = (revenue - 40.0 * container_mw * HOURS - 20_000.0 * container_mw) * A - capital_pv
    assert r.npv_usd == pytest.approx(3 * per_container, rel=1e-9)


def test_whole_unit_rounding_warns_when_it_moves_a_block_or_a_container_by_more_than_one_percent():
    catalog = load_catalog()
    assert AI().rules(catalog) == ([], [])  # 98 DGX H100 in 1 MW_IT: 0.9996 MW_IT, -0.04 %
    _, warnings = AI(block_it_mw=0.05).rules(catalog)  # 4 servers of 10.2 kW: 0.0408 MW_IT
    assert len(warnings) == 1 and "holds 4 whole server(s) of 10.2 kW" in warnings[0] and "-18.4%" in warnings[0]
    _, warnings = AI(block_it_mw=0.005).rules(catalog)  # smaller than one server: one server
    assert "holds 1 whole server(s)" in warnings[0] and "0.0102 MW_IT" in warnings[0]
    assert Mining().rules(catalog) == ([], [])  # 266 S21 XP in 1 MW: -0.13 %
    _, warnings = Mining(container_mw=0.01).rules(catalog)  # 2 ASICs: 7.5 kW
    assert "holds 2 whole ASIC(s) of 3645 W" in warnings[0] and "-24.9%" in warnings[0]


# --------------------------------------------------------------------- the workbook: template and validation

@pytest.fixture(scope="module")
def template(tmp_path_factory):
    sc = template_scenario()
    sc.ai.block_it_mw = 0.05
    path = tmp_path_factory.mktemp("costs") / "template.xlsx"
    write_workbook(sc, path)
    return path


def field_row(ws, name: str) -> int:
    return next(r[0].row for r in ws.iter_rows(min_row=3, max_col=1) if r[0].value == name)


def test_new_inputs_are_in_the_template_with_unit_and_default_and_are_read_back(template):
    wb = openpyxl.load_workbook(template)
    expect = {("Finance", "escalation_starts"): ("year_1", "enum"), ("Finance", "salvage"): ("linear", "enum"),
              ("Mining", "vom_usd_per_mwh"): (0, "USD/MWh"), ("AI", "vom_usd_per_it_mwh"): (0, "USD/MWh_IT"),
              ("Battery", "fom_usd_per_kwh_year"): (5.3, "USD/kWh-yr"),
              ("AI", "gpu_hour_price_refresh_decline_per_year"): (0, "fraction/yr"),
              ("Mining", "asic_power_w"): (None, "W")}
    for (sheet, field), (value, unit) in expect.items():
        r = field_row(wb[sheet], field)
        assert wb[sheet].cell(r, 3).value == value and wb[sheet].cell(r, 4).value == unit
    sc = read_workbook(template)
    assert sc.finance.escalation_starts == "year_1" and sc.finance.salvage == "linear"
    assert sc.mining.asic_power_w == 3645.0  # blank: the catalog's S21 XP
    assert any("AI: block_it_mw = 0.05 MW_IT holds 4 whole server(s)" in w for w in sc.warnings)


@pytest.mark.parametrize("sheet,field,value,expect", [
    ("Finance", "escalation_starts", "year_2", "escalation_starts must be one of year_1, year_0"),
    ("Finance", "salvage", "half", "salvage must be one of linear, none"),
    ("Mining", "vom_usd_per_mwh", -1, "vom_usd_per_mwh must be >= 0 (USD/MWh), found -1"),
    ("AI", "vom_usd_per_it_mwh", -2, "vom_usd_per_it_mwh must be >= 0 (USD/MWh_IT), found -2"),
    ("Battery", "fom_usd_per_kwh_year", -5, "fom_usd_per_kwh_year must be >= 0 (USD/kWh-yr), found -5"),
    ("Mining", "asic_power_w", 0, "asic_power_w must be > 0 (W), found 0"),
    ("AI", "gpu_hour_price_refresh_decline_per_year", 0.95,
     "gpu_hour_price_refresh_decline_per_year must be >= -0.5 and <= 0.9 (fraction/yr), found 0.95"),
])
def test_new_inputs_out_of_range_name_the_cell(template, tmp_path, sheet, field, value, expect):
    path = tmp_path / "bad.xlsx"
    r = field_row_of(template, sheet, field)

    def edit(wb):
        assert field_row(wb[sheet], field) == r
        wb[sheet].cell(r, 3).value = value

    edited_copy(template, path, edit)
    with pytest.raises(InputError) as e:
        read_workbook(path)
    assert any(p.startswith(f"{sheet}!C{r}: {expect}") for p in e.value.problems), e.value.problems


def test_an_itc_with_a_pre_tax_npv_is_counted_and_warned_about(template, tmp_path):
    """The ITC is cash in year 1 whatever the tax rate (docs/formulation.md, Tax); with tax_rate 0 the reader
    says so, naming the cell; with a tax rate it does not."""
    path = tmp_path / "itc.xlsx"
    r = field_row_of(template, "PV", "itc_fraction")

    def itc(wb):
        assert field_row(wb["PV"], "itc_fraction") == r
        wb["PV"].cell(r, 3).value = 0.3

    def itc_and_tax(wb):
        itc(wb)
        wb["Finance"].cell(field_row(wb["Finance"], "tax_rate"), 3).value = 0.21

    edited_copy(template, path, itc)
    sc = read_workbook(path)
    assert sc.finance.tax_rate == 0
    warned = [w for w in sc.warnings if "itc_fraction = 0.3 is counted as cash" in w]
    assert len(warned) == 1 and warned[0].startswith(f"PV!C{r}:")
    # the credit itself: 0.3 x year-0 cost per kW, received in year 1 (the PV capital item's schedule)
    from planner.finance import capital_schedule
    from planner.technologies import capital_items
    item = next(i for i in capital_items(sc) if i.name == "pv")
    s = capital_schedule(item, sc.finance)
    assert s["itc"][1] == pytest.approx(0.3 * sc.pv.capex_usd_per_kw_ac * 1000, rel=1e-12)
    assert s["itc"][0] == 0 and s["itc"][2:].sum() == 0
    edited_copy(template, path, itc_and_tax)  # the same book with a tax rate too
    assert not [w for w in read_workbook(path).warnings if "itc_fraction" in w]
