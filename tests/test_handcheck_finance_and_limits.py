"""Hand-checked tests for tax, depreciation, ITC, the AI SLA penalty, VOLL, land and budget limits and the
wind power curve (issue 16 item 6).

Every expected number is derived in the test from first principles (annuity factors, the MACRS-5 table,
the half-ITC basis reduction, straight-line salvage), never read back from the planner. The tests go through
public entry points only: `planner.run.optimise` on `small_scenario`s, the Result it returns, and the pure
functions of `planner.finance`.

Shared conventions (docs/formulation.md, Objective): discount rate 8 %, 20 years, end-of-year cash flows,
year 0 = all initial capex; tax_y = rate x (operating cash flow_y - depreciation_y), negative tax a benefit;
depreciation basis = cost - ITC / 2 (year-0 investment only), depreciation past year N is lost; the ITC is
received in year 1; the unexpired share of the last investment comes back as straight-line salvage at year N.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import annuity, check_consistency, pv_of_years, small_scenario

from planner.finance import CapitalItem, capital_pv_per_unit, capital_schedule, depreciation_schedule, stream_pwf
from planner.run import optimise
from planner.solve import SolveOptions

OPTS = SolveOptions(mip_gap=1e-6)
D, N = 0.08, 20  # the Finance defaults: real discount rate and analysis years
A = annuity(D, N)  # 9.818147... : 1 USD a year for 20 years
YEARS = np.arange(N + 1)
V = (1.0 + D) ** -YEARS.astype(float)  # discount factor of each year 0..N
HOURS = 8760.0
MACRS5 = [0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576]  # IRS Pub. 946 table A-1, half-year convention


def row(r, name: str) -> np.ndarray:
    """One line of the pro-forma as an array over years 0..N."""
    return r.proforma.table.loc[name, list(YEARS)].to_numpy(float)


def assert_row(r, name: str, expected, abs_usd: float = 1e-3) -> None:
    np.testing.assert_allclose(row(r, name), np.asarray(expected, float), rtol=1e-9, atol=abs_usd)


# ----------------------------------------------------------------------- 1, 2: tax, depreciation, ITC

TAX = 0.21
PV_MW = 10.0
PV_CAPEX = PV_MW * 1200.0 * 1000  # 12 M USD, in year 0 and again at the end of its 12-year life (year 12)
PV_LIFE = 12  # life 12 inside 20 years: replaced at year 12, salvage (12 + 12 - 20) / 12 = 4/12 at year 20
PV_PRICE = 50.0
PV_REVENUE = PV_MW * 0.3 * HOURS * PV_PRICE  # 1,314,000 USD/yr exported
PV_FOM = PV_MW * 20.0 * 1000  # 200,000 USD/yr
PV_OCF = PV_REVENUE - PV_FOM  # 1,114,000 USD/yr operating cash flow (flat: no escalation)


def forced_pv(depreciation: str, sl_years: int = 20, itc: float = 0.0):
    """10 MW of PV forced (min = max), cf 0.3, all exported at 50 USD/MWh over an existing line; tax on."""
    sc = small_scenario(24, pv_cf=0.3, export_price_usd_per_mwh=PV_PRICE)
    p = sc.pv
    p.enabled = True
    p.min_new_mw_ac = p.max_new_mw_ac = PV_MW
    p.capex_usd_per_kw_ac, p.fom_usd_per_kw_year, p.life_years = 1200.0, 20.0, PV_LIFE
    p.degradation_per_year, p.itc_fraction = 0.0, itc
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 100.0, 0.0, 0.0
    f = sc.finance
    f.tax_rate, f.depreciation, f.straight_line_years = TAX, depreciation, sl_years
    return sc


def hand_pv_depreciation(depreciation: str, sl_years: int, itc: float) -> np.ndarray:
    """Tax depreciation by year 0..20: the year-0 build (basis cut by half the ITC) and the year-12 rebuild."""
    shares = {"macrs_5": MACRS5, "bonus_100": [1.0], "straight_line": [1.0 / sl_years] * sl_years}[depreciation]
    dep = np.zeros(N + 1)
    for start, basis in ((0, PV_CAPEX * (1 - itc / 2)), (PV_LIFE, PV_CAPEX)):
        for k, share in enumerate(shares, start=1):  # first deduction the year after the investment
            if start + k <= N:  # later deductions fall outside the period and are lost
                dep[start + k] += share * basis
    return dep


def hand_pv_cash(depreciation: str, sl_years: int, itc: float) -> dict[str, np.ndarray]:
    """The pro-forma lines of the forced PV plant, year by year, and its NPV."""
    dep = hand_pv_depreciation(depreciation, sl_years, itc)
    ocf = np.where(YEARS >= 1, PV_OCF, 0.0)
    tax = TAX * (ocf - dep)  # negative = a benefit used elsewhere
    capex = np.zeros(N + 1)
    capex[0] = capex[PV_LIFE] = PV_CAPEX
    salvage = np.zeros(N + 1)
    salvage[N] = PV_CAPEX * 4 / 12
    credit = np.zeros(N + 1)
    credit[1] = itc * PV_CAPEX
    net = ocf - tax - capex + salvage + credit
    return {"tax_depreciation": dep, "income_tax": -tax, "capex_pv": -capex, "salvage": salvage, "itc": credit,
            "operating_cash_flow": ocf, "net_cash_flow": net, "npv": np.array(float(np.sum(net * V)))}


DEPRECIATION_CASES = [("macrs_5", 20), ("bonus_100", 20), ("straight_line", 7), ("straight_line", 25)]


@pytest.mark.parametrize(("depreciation", "sl_years"), DEPRECIATION_CASES)
def test_income_tax_and_depreciation_rows_and_npv_match_hand_values(depreciation, sl_years):
    r = optimise(forced_pv(depreciation, sl_years), OPTS, marginals=False)
    check_consistency(r)
    assert r.sizes["pv_mw_ac"] == pytest.approx(PV_MW)
    assert r.energy_mwh["export"] == pytest.approx(PV_MW * 0.3 * HOURS, rel=1e-9)
    hand = hand_pv_cash(depreciation, sl_years, 0.0)
    dep = row(r, "tax_depreciation")
    # spot values written out, independent of the helper above
    if depreciation == "macrs_5":
        assert dep[1] == pytest.approx(0.20 * 12e6) and dep[2] == pytest.approx(0.32 * 12e6)
        assert dep[6] == pytest.approx(0.0576 * 12e6) and dep[13] == pytest.approx(0.20 * 12e6)
        assert np.abs(dep[7:13]).max() < 1e-6 and np.abs(dep[19:]).max() < 1e-6
        assert row(r, "income_tax")[1] == pytest.approx(-0.21 * (1_114_000 - 2_400_000))  # +270,060: a benefit
        assert row(r, "income_tax")[10] == pytest.approx(-0.21 * 1_114_000)  # nothing left to depreciate
    elif depreciation == "bonus_100":
        assert dep[1] == pytest.approx(12e6) and dep[13] == pytest.approx(12e6)
        assert dep.sum() == pytest.approx(24e6)
        assert row(r, "income_tax")[1] == pytest.approx(-0.21 * (1_114_000 - 12e6))  # +2,286,060
    elif sl_years == 7:
        assert np.allclose(dep[1:8], 12e6 / 7) and np.allclose(dep[13:20], 12e6 / 7)
        assert np.abs(dep[8:13]).max() < 1e-6 and abs(dep[20]) < 1e-6
    else:  # 25-year straight line: 20/25 of the first build and 8/25 of the rebuild fall inside the period
        assert np.allclose(dep[1:13], 12e6 / 25) and np.allclose(dep[13:21], 2 * 12e6 / 25)
        assert dep.sum() == pytest.approx(12e6 * (20 + 8) / 25)
    for name in ("tax_depreciation", "income_tax", "capex_pv", "salvage", "operating_cash_flow", "net_cash_flow"):
        assert_row(r, name, hand[name])
    assert_row(r, "export_revenue", np.where(YEARS >= 1, 1_314_000.0, 0.0))
    assert_row(r, "pv_fom", np.where(YEARS >= 1, -200_000.0, 0.0))
    assert abs(row(r, "itc")).max() == 0.0
    assert r.npv_usd == pytest.approx(float(hand["npv"]), rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(float(hand["npv"]), rel=1e-7)
    # the same NPV in the optimiser's own terms: after-tax annuity of the operating cash, less the capital PV
    shield_pv = TAX * float(np.sum(hand["tax_depreciation"] * V))
    capital_pv = 12e6 * (1 + (1 + D) ** -12 - 4 / 12 * (1 + D) ** -N) - shield_pv
    assert r.npv_usd == pytest.approx((1 - TAX) * 1_114_000 * A - capital_pv, rel=1e-7)


def test_faster_depreciation_gives_a_higher_npv_and_no_tax_gives_the_pre_tax_npv():
    npv = {case: optimise(forced_pv(*case), OPTS, marginals=False).npv_usd for case in DEPRECIATION_CASES}
    bonus, macrs, sl7, sl25 = (npv[c] for c in [("bonus_100", 20), ("macrs_5", 20), ("straight_line", 7),
                                                 ("straight_line", 25)])
    assert bonus > macrs > sl7 > sl25
    for case, value in npv.items():
        assert value == pytest.approx(float(hand_pv_cash(*case, 0.0)["npv"]), rel=1e-7)
    # bonus vs MACRS: the same 12 M deductions (twice), taken in year 1 rather than spread over years 1..6
    shield_gap = TAX * 12e6 * ((1 + D) ** -1 - sum(s * (1 + D) ** -(k + 1) for k, s in enumerate(MACRS5)))
    assert bonus - macrs == pytest.approx(shield_gap * (1 + (1 + D) ** -12), rel=1e-6)
    sc = forced_pv("macrs_5")
    sc.finance.tax_rate = 0.0
    pre_tax = optimise(sc, OPTS, marginals=False)
    check_consistency(pre_tax)
    assert pre_tax.npv_usd == pytest.approx(1_114_000 * A - 12e6 * (1 + (1 + D) ** -12 - 4 / 12 * (1 + D) ** -N),
                                            rel=1e-7)
    assert abs(row(pre_tax, "income_tax")).max() == 0.0 and abs(row(pre_tax, "tax_depreciation")).max() == 0.0


def test_itc_is_received_in_year_one_and_halves_into_the_depreciation_basis():
    r = optimise(forced_pv("macrs_5", itc=0.3), OPTS, marginals=False)
    check_consistency(r)
    credit = row(r, "itc")
    assert credit[1] == pytest.approx(0.3 * 12e6)  # 3.6 M USD in year 1
    assert np.abs(np.delete(credit, 1)).max() == 0.0  # nothing for the year-12 rebuild
    dep = row(r, "tax_depreciation")
    assert dep[1] == pytest.approx(0.20 * 12e6 * (1 - 0.15))  # basis 12 M x (1 - 0.3 / 2) = 10.2 M
    assert dep[1:7].sum() == pytest.approx(12e6 * 0.85)
    assert dep[13] == pytest.approx(0.20 * 12e6)  # the rebuild has its full basis
    assert dep.sum() == pytest.approx(12e6 * (0.85 + 1.0))
    hand = hand_pv_cash("macrs_5", 20, 0.3)
    for name in ("tax_depreciation", "income_tax", "itc", "net_cash_flow"):
        assert_row(r, name, hand[name])
    no_itc = hand_pv_cash("macrs_5", 20, 0.0)
    # the ITC is worth the credit in year 1 less the tax shield lost on the 1.8 M basis reduction
    gain = 3.6e6 * (1 + D) ** -1 - TAX * 1.8e6 * sum(s * (1 + D) ** -(k + 1) for k, s in enumerate(MACRS5))
    assert float(hand["npv"]) - float(no_itc["npv"]) == pytest.approx(gain, rel=1e-9)
    assert r.npv_usd == pytest.approx(float(hand["npv"]), rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(float(hand["npv"]), rel=1e-7)


def test_finance_functions_give_the_hand_capital_cost_and_stream_factor():
    sc = forced_pv("macrs_5")
    fin = sc.finance
    item = CapitalItem("pv", "pv", 1.2e6, PV_LIFE, 0.0, 0.3)
    s = capital_schedule(item, fin)
    assert s["invest"][0] == s["invest"][12] == 1.2e6 and s["invest"].sum() == pytest.approx(2.4e6)
    assert s["salvage"][N] == pytest.approx(0.4e6) and s["salvage"].sum() == pytest.approx(0.4e6)
    assert s["itc"][1] == pytest.approx(0.36e6) and s["itc"].sum() == pytest.approx(0.36e6)
    np.testing.assert_allclose(s["depreciation"], hand_pv_depreciation("macrs_5", 20, 0.3) / PV_MW, rtol=1e-12)
    hand_cost = (1.2e6 * (1 + (1 + D) ** -12) - 0.4e6 * (1 + D) ** -N - 0.36e6 * (1 + D) ** -1
                 - TAX * float(np.sum(hand_pv_depreciation("macrs_5", 20, 0.3) / PV_MW * V)))
    assert capital_pv_per_unit(item, fin) == pytest.approx(hand_cost, rel=1e-12)
    assert depreciation_schedule(fin) == pytest.approx(MACRS5)
    fin.depreciation, fin.straight_line_years = "straight_line", 8
    assert depreciation_schedule(fin) == pytest.approx([0.125] * 8)
    fin.depreciation = "bonus_100"
    assert depreciation_schedule(fin) == [1.0]
    flat = {"flat": np.ones(N)}
    assert stream_pwf(fin, flat)["flat"] == pytest.approx((1 - TAX) * A, rel=1e-12)
    fin.tax_rate = 0.0
    assert depreciation_schedule(fin) == []  # no tax, no shield
    assert capital_pv_per_unit(CapitalItem("pv", "pv", 1.2e6, PV_LIFE), fin) == pytest.approx(
        1.2e6 * (1 + (1 + D) ** -12) - 0.4e6 * (1 + D) ** -N, rel=1e-12)


# ----------------------------------------------------------------------------- 3: AI SLA penalty

GPU_PRICE = 0.05  # USD per GPU-hour: 8 GPUs per 10-kW server -> 800 GPUs per IT-MW -> 40 USD per IT-MWh
AI_REVENUE_PER_IT_MWH = GPU_PRICE * 8 * 1000 / 10.0
NIGHT_IT_MWH = 1.0 * 12 * 365  # 1 IT-MW of firm load in the 12 dark hours of every day: 4380 IT-MWh/yr
PUE = 1.3


# every refreshed generation starts at the year-1 price again (AI.gpu_hour_price_refresh_decline_per_year = 0, set in
# sla_case, not the default): the refresh price path has its own hand tests in tests/test_cost_inputs.py
REFRESH_DECLINE = 0.0


def ai_factor() -> np.ndarray:
    """GPU-hour price of years 1..20 relative to year 1: -15 %/yr inside a 5-year generation; the generation
    bought at the refresh in year 5, 10 or 15 starts at (1 - REFRESH_DECLINE)^5, ^10 or ^15 of the year-1 price."""
    return np.array([(1 - REFRESH_DECLINE) ** (5 * ((y - 1) // 5)) * 0.85 ** ((y - 1) % 5) for y in range(1, N + 1)])


B = float(np.sum(ai_factor() * V[1:]))  # present-worth factor of the ai stream kind (revenue and SLA penalty)


def sla_case(penalty: float, import_price: float | None = None):
    """One forced 1-MW AI block (SLA, firm 1) on 10 MW of forced PV that is dark 12 hours a day."""
    sc = small_scenario(24, pv_cf=[0.0] * 12 + [0.5] * 12, import_price_usd_per_mwh=import_price or 0.0)
    p = sc.pv
    p.enabled = True
    p.min_new_mw_ac = p.max_new_mw_ac = 10.0
    p.capex_usd_per_kw_ac, p.fom_usd_per_kw_year, p.life_years, p.degradation_per_year = 1000.0, 0.0, 20, 0.0
    a = sc.ai
    a.enabled = True
    a.min_new_blocks = a.max_new_blocks = 1
    a.block_it_mw, a.pue, a.firmness, a.firm_fraction, a.sla_penalty_usd_per_mwh = 1.0, PUE, "sla", 1.0, penalty
    a.gpu_hour_price_usd, a.gpu_hour_price_decline_per_year, a.gpu_refresh_years = GPU_PRICE, 0.15, 5
    a.gpu_hour_price_refresh_decline_per_year = REFRESH_DECLINE
    a.server_price_usd, a.server_price_decline_per_year = 3000.0, 0.10  # 100 servers: 0.3 M USD per block
    a.facility_capex_usd_per_kw_it, a.facility_life_years, a.fom_usd_per_kw_it_year = 2000.0, 25, 150.0
    if import_price is not None:
        sc.grid.connected = True
        sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 0.0, 0.0, 10.0
    return sc


def sla_capital_pv() -> float:
    """PV 10 M (life 20: no salvage); servers 0.3 M at 0, 5, 10, 15 at -10 %/yr; facility 2 M, 5/25 back at 20."""
    servers = 0.3e6 * sum(0.9 ** y * (1 + D) ** -y for y in (0, 5, 10, 15))
    return 10e6 + servers + 2e6 * (1 - 5 / 25 * (1 + D) ** -N)


def test_sla_penalty_on_unservable_firm_hours_matches_hand_stream_and_npv():
    penalty = 5000.0
    r = optimise(sla_case(penalty), OPTS, marginals=False)
    check_consistency(r)
    dd = r.dispatch
    np.testing.assert_allclose(dd["ai_unserved_firm_it_mw"], [1.0] * 12 + [0.0] * 12, atol=1e-7)
    np.testing.assert_allclose(dd["ai_it_mw"], [0.0] * 12 + [1.0] * 12, atol=1e-7)
    unserved_it_mwh = float((dd["weight"] * dd["ai_unserved_firm_it_mw"]).sum())
    assert unserved_it_mwh == pytest.approx(NIGHT_IT_MWH, rel=1e-9)
    f = np.concatenate([[0.0], ai_factor()])
    assert_row(r, "ai_sla_penalty", -penalty * NIGHT_IT_MWH * f)  # -21.9 M USD in year 1, falling with the price
    assert row(r, "ai_sla_penalty")[1] == pytest.approx(-penalty * unserved_it_mwh, rel=1e-9)  # from the dispatch
    assert_row(r, "ai_revenue", AI_REVENUE_PER_IT_MWH * 12 * 365 * f)
    assert_row(r, "ai_fom", np.where(YEARS >= 1, -150_000.0, 0.0))
    hand = (AI_REVENUE_PER_IT_MWH * 12 * 365 - penalty * NIGHT_IT_MWH) * B - 150_000 * A - sla_capital_pv()
    assert r.npv_usd == pytest.approx(hand, rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(hand, rel=1e-7)


def sla_break_even(import_price: float) -> float:
    """Penalty at which serving a dark hour from the grid pays: (R + S) x B = PUE x price x A (per IT-MWh)."""
    return PUE * import_price * A / B - AI_REVENUE_PER_IT_MWH


@pytest.mark.parametrize("factor", [0.8, 1.2])
def test_sla_penalty_decides_between_importing_and_paying_exactly_at_the_hand_break_even(factor):
    price = 100.0
    s_star = sla_break_even(price)  # ~ 124 USD per IT-MWh
    assert 100 < s_star < 150
    penalty = factor * s_star
    r = optimise(sla_case(penalty, import_price=price), OPTS, marginals=False)
    check_consistency(r)
    dd = r.dispatch
    night = slice(0, 12)
    f = np.concatenate([[0.0], ai_factor()])
    if factor > 1:  # penalty above break-even: every dark hour is served from the grid
        assert np.abs(dd["ai_unserved_firm_it_mw"]).max() < 1e-7
        np.testing.assert_allclose(dd["grid_import_mw"][night], PUE * 1.0, atol=1e-7)
        assert r.energy_mwh["grid_import"] == pytest.approx(PUE * NIGHT_IT_MWH, rel=1e-9)
        assert_row(r, "ai_sla_penalty", np.zeros(N + 1))
        hand = AI_REVENUE_PER_IT_MWH * 8760 * B - price * PUE * NIGHT_IT_MWH * A - 150_000 * A - sla_capital_pv()
    else:  # below: the grid is left alone and the penalty paid
        assert np.abs(dd["grid_import_mw"]).max() < 1e-7
        np.testing.assert_allclose(dd["ai_unserved_firm_it_mw"][night], 1.0, atol=1e-7)
        assert_row(r, "ai_sla_penalty", -penalty * NIGHT_IT_MWH * f)
        hand = (AI_REVENUE_PER_IT_MWH * 12 * 365 - penalty * NIGHT_IT_MWH) * B - 150_000 * A - sla_capital_pv()
    assert r.npv_usd == pytest.approx(hand, rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(hand, rel=1e-7)


# ------------------------------------------------------------------------------ 4: value of lost load

LOAD = [2.0] * 12 + [5.0] * 12  # MW; the import limit of 3 MW covers the first half-day only


def voll_case(voll: float):
    sc = small_scenario(24, site_load_mw=LOAD, import_price_usd_per_mwh=50.0)
    s = sc.site_load
    s.enabled, s.unserved_policy, s.voll_usd_per_mwh = True, "voll", voll
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 0.0, 0.0, 3.0
    return sc


def test_voll_above_import_price_imports_to_the_limit_and_leaves_the_shortfall_unserved():
    r = optimise(voll_case(1000.0), OPTS, marginals=False)
    check_consistency(r)
    dd = r.dispatch
    np.testing.assert_allclose(dd["grid_import_mw"], [2.0] * 12 + [3.0] * 12, atol=1e-7)
    np.testing.assert_allclose(dd["site_load_unserved_mw"], [0.0] * 12 + [2.0] * 12, atol=1e-7)
    unserved = 2.0 * 12 * 365  # 8760 MWh/yr short: 2 MW above the line in 12 hours a day
    imported = (2.0 * 12 + 3.0 * 12) * 365  # 21,900 MWh/yr
    assert r.energy_mwh["site_load_unserved"] == pytest.approx(unserved, rel=1e-9)
    assert r.energy_mwh["grid_import"] == pytest.approx(imported, rel=1e-9)
    assert_row(r, "unserved_load_cost", np.where(YEARS >= 1, -1000.0 * unserved, 0.0))
    assert float(np.sum(row(r, "unserved_load_cost") * V)) == pytest.approx(-1000.0 * unserved * A, rel=1e-12)
    assert_row(r, "import_cost", np.where(YEARS >= 1, -50.0 * imported, 0.0))
    hand = -(1000.0 * unserved + 50.0 * imported) * A  # -96.76 M USD
    assert r.npv_usd == pytest.approx(hand, rel=1e-9)
    assert r.proforma.npv_usd == pytest.approx(hand, rel=1e-9)


def test_voll_below_import_price_leaves_the_whole_load_unserved():
    r = optimise(voll_case(30.0), OPTS, marginals=False)
    check_consistency(r)
    dd = r.dispatch
    assert np.abs(dd["grid_import_mw"]).max() < 1e-7
    np.testing.assert_allclose(dd["site_load_unserved_mw"], LOAD, atol=1e-7)
    unserved = (2.0 * 12 + 5.0 * 12) * 365  # 30,660 MWh/yr
    assert r.energy_mwh["site_load_unserved"] == pytest.approx(unserved, rel=1e-9)
    hand = -30.0 * unserved * A
    assert r.npv_usd == pytest.approx(hand, rel=1e-9)
    assert r.proforma.npv_usd == pytest.approx(hand, rel=1e-9)


# ------------------------------------------------------------------------- 5: land and budget limits

PV_VALUE_PER_MW = 0.3 * HOURS * 60.0 * A - 1000.0 * 1000  # 157,680 USD/yr for 20 years less 1 M USD capex


def limited_pv(land_ha: float | None, budget_usd: float | None):
    """PV worth building (up to 50 MW): cf 0.3 exported at 60 USD/MWh, 1000 USD/kW, life 20, 2.5 ha/MW."""
    sc = small_scenario(24, pv_cf=0.3, export_price_usd_per_mwh=60.0)
    p = sc.pv
    p.enabled, p.max_new_mw_ac, p.degradation_per_year = True, 50.0, 0.0
    p.capex_usd_per_kw_ac, p.fom_usd_per_kw_year, p.life_years, p.land_ha_per_mw = 1000.0, 0.0, 20, 2.5
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 100.0, 0.0, 0.0
    sc.site.land_area_ha, sc.site.capex_budget_usd = land_ha, budget_usd
    return sc


@pytest.mark.parametrize(("land_ha", "budget_usd", "expected_mw"), [
    (None, None, 50.0),  # unconstrained: the maximum
    (40.0, None, 16.0),  # 40 ha / 2.5 ha per MW
    (None, 12e6, 12.0),  # 12 M USD / 1 M USD per MW
    (40.0, 12e6, 12.0),  # both: the budget is tighter
    (20.0, 12e6, 8.0),  # both: the land is tighter
])
def test_land_and_budget_limits_cap_continuous_pv_exactly(land_ha, budget_usd, expected_mw):
    assert PV_VALUE_PER_MW > 0
    r = optimise(limited_pv(land_ha, budget_usd), OPTS, marginals=False)
    check_consistency(r)
    assert r.sizes["pv_mw_ac"] == pytest.approx(expected_mw, rel=1e-9)
    assert r.capex_usd == pytest.approx(expected_mw * 1e6, rel=1e-9)
    hand = expected_mw * PV_VALUE_PER_MW
    assert r.npv_usd == pytest.approx(hand, rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(hand, rel=1e-7)


def mining_fleet(budget_usd: float | None):
    """Containers of 1 MW mining on imported power at 40 USD/MWh; 350 k USD of year-0 capex each."""
    sc = small_scenario(24, import_price_usd_per_mwh=40.0)
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 0.0, 0.0, 100.0
    mn = sc.mining
    mn.enabled, mn.max_new_containers = True, 10
    mn.container_mw, mn.container_pue, mn.availability = 1.0, 1.0, 1.0
    mn.asic_efficiency_j_per_th, mn.asic_price_usd_per_th, mn.asic_price_decline_per_year = 20.0, 5.0, 0.0
    mn.container_capex_usd_per_mw, mn.infrastructure_life_years, mn.asic_life_years = 100000.0, 10, 4
    mn.fom_usd_per_mw_year, mn.pool_fee, mn.hashprice_usd_per_ph_day = 10000.0, 0.02, 50.0
    mn.network_hashrate_growth_per_year, mn.btc_price_growth_per_year = 0.0, 0.0
    mn.next_halving_year = 2099.0  # a flat hashprice path
    sc.site.capex_budget_usd = budget_usd
    return sc


@pytest.mark.parametrize("budget_usd", [1.2e6, 1.7e6])
def test_capex_budget_caps_an_integer_mining_fleet_at_the_floor(budget_usd):
    asic_usd = 1000 / 20.0 * 1000 * 5.0  # 50 PH/s per MW = 50,000 TH x 5 USD/TH = 250 k USD per container
    per_container_usd = asic_usd + 100_000.0  # 350 k USD in year 0
    expected = math.floor(budget_usd / per_container_usd)  # 3 (of 3.43) and 4 (of 4.86)
    assert expected < budget_usd / per_container_usd < 10
    revenue_per_mwh = 50.0 / 24 * (1000 / 20.0) * (1 - 0.02)  # 102.08 USD/MWh
    capital_pv = asic_usd * pv_of_years(D, [0, 4, 8, 12, 16]) + 100_000 * pv_of_years(D, [0, 10])
    value = (revenue_per_mwh - 40.0) * HOURS * A - 10_000 * A - capital_pv
    assert value > 0  # without the budget all 10 would be built
    r = optimise(mining_fleet(budget_usd), OPTS, marginals=False)
    check_consistency(r)
    assert r.sizes["mining_containers"] == expected
    assert r.capex_usd == pytest.approx(expected * per_container_usd, rel=1e-9)
    assert r.npv_usd == pytest.approx(expected * value, rel=1e-6)
    assert r.proforma.npv_usd == pytest.approx(expected * value, rel=1e-6)
    free = optimise(mining_fleet(None), OPTS, marginals=False)
    assert free.sizes["mining_containers"] == 10


# ----------------------------------------------------------------------------- 6: wind power curve

CURVE_MPS = np.array([3.0, 5.0, 10.0, 12.0, 25.0])
CURVE_KW = np.array([0.0, 500.0, 2000.0, 2000.0, 2000.0])  # rated 2000 kW from 10 to 25 m/s, cut-out above 25
SPEEDS = [2.0, 3.0, 4.0, 6.0, 7.5, 11.0, 25.0, 26.0]
# by hand: below cut-in, at cut-in, half-way 3-5, a fifth of 5-10, half-way 5-10, rated, last point, cut out
HAND_KW = [0.0, 0.0, 250.0, 500 + 1500 / 5, 500 + 1500 / 2, 2000.0, 2000.0, 0.0]
TURBINES, TURBINE_MW, LOSSES = 3, 2.0, 0.1


def test_wind_power_curve_output_matches_hand_interpolation():
    sc = small_scenario(24, wind_speed_mps=SPEEDS * 3, export_price_usd_per_mwh=40.0)
    w = sc.wind
    w.enabled, w.resource, w.turbine_mw, w.losses_fraction = True, "wind_speed", TURBINE_MW, LOSSES
    w.min_new_turbines = w.max_new_turbines = TURBINES
    w.capex_usd_per_kw, w.fom_usd_per_kw_year, w.life_years, w.vom_usd_per_mwh = 1500.0, 30.0, 25, 0.0
    sc.wind_power_curve = (CURVE_MPS, CURVE_KW)
    sc.grid.connected = True
    sc.grid.existing_export_mw, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = 100.0, 0.0, 0.0
    r = optimise(sc, OPTS, marginals=False)
    check_consistency(r)
    assert r.sizes["wind_turbines"] == TURBINES
    hand_mw = np.array(HAND_KW * 3) / 2000.0 * (1 - LOSSES) * TURBINES * TURBINE_MW
    assert hand_mw[2] == pytest.approx(0.675) and hand_mw[4] == pytest.approx(3.375)  # 0.1125 and 0.5625 CF x 6 MW
    np.testing.assert_allclose(r.dispatch["wind_mw"], hand_mw, rtol=1e-12, atol=1e-12)
    mwh = 3 * (0.675 + 2.16 + 3.375 + 5.4 + 5.4) * 365  # 18,625.95 MWh/yr
    assert r.energy_mwh["generation_wind"] == pytest.approx(mwh, rel=1e-12)
    np.testing.assert_allclose(r.dispatch["grid_export_mw"], hand_mw, atol=1e-7)  # all sold at 40 USD/MWh
    per_turbine_capex = 1500.0 * 1000 * TURBINE_MW  # 3 M USD; life 25: 5/25 back at year 20
    hand = ((40.0 * mwh - TURBINES * 30.0 * 1000 * TURBINE_MW) * A
            - TURBINES * per_turbine_capex * (1 - 5 / 25 * (1 + D) ** -N))
    assert r.npv_usd == pytest.approx(hand, rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(hand, rel=1e-7)
