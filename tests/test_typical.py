"""Typical days: aggregation keeps extremes and weights; linked storage is exact when every day is kept."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import small_scenario

from planner.run import optimise
from planner.scenario.typical import aggregate
from planner.solve import SolveOptions

OPTS = SolveOptions(mip_gap=1e-7)


def month_scenario(days: int = 30):
    """PV + battery + export with day-to-day weather and a few very dear days (storage pays to carry energy)."""
    n = 24 * days
    rng = np.random.default_rng(3)
    h = np.arange(n) % 24
    d = np.arange(n) // 24
    sunny = 0.3 + 0.7 * rng.random(days)
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None) * sunny[d]
    dear = np.isin(d, [7, 19]) & (h >= 18)  # two dear evenings: worth storing energy for
    price = np.where(dear, 400.0, 30.0 + 10 * np.sin(h / 24 * 2 * np.pi))
    wind = np.clip(0.4 + 0.3 * np.sin(d / 4.0) + 0.1 * rng.standard_normal(n), 0, 1)
    sc = small_scenario(n, pv_cf=pv, wind_cf=wind, export_price_usd_per_mwh=price, import_price_usd_per_mwh=price + 5)
    sc.pv.enabled = sc.battery.enabled = sc.wind.enabled = True
    sc.pv.capex_usd_per_kw_ac, sc.battery.capex_usd_per_kwh, sc.battery.capex_usd_per_kw = 400.0, 60.0, 150.0
    sc.pv.fom_usd_per_kw_year = sc.battery.fom_usd_per_kw_year = 0.0
    sc.battery.fom_usd_per_kwh_year = 0.0  # no fixed O&M on the energy part either
    sc.battery.max_duration_h = 48.0
    sc.grid.connected = True
    sc.grid.import_limit_mw = 0.0
    sc.grid.max_new_export_mw = 20.0
    return sc


def test_aggregate_keeps_weights_sequence_and_the_worst_wind_day():
    sc = month_scenario()
    red = aggregate(sc, 6)
    assert red.weights.sum() == pytest.approx(sc.weights.sum())
    assert len(red.periods.sequence) == 30
    assert set(red.periods.sequence) == set(range(red.periods.n_clusters))
    daily_wind = sc.hourly["wind_cf"].to_numpy().reshape(30, 24).mean(axis=1)
    kept = red.hourly["wind_cf"].to_numpy().reshape(-1, 24).mean(axis=1)
    assert np.isclose(kept, daily_wind.min()).any(), "the day with the lowest mean wind must survive"
    # each real day is represented by a typical day of the same cluster
    assert red.periods.n_clusters > 6  # extreme days were appended


@pytest.mark.parametrize("storage", ["linked"])
def test_linked_storage_with_every_day_kept_equals_the_full_chronology(storage):
    sc = month_scenario()
    full = optimise(sc, OPTS, marginals=False)
    red = aggregate(sc, 30, storage=storage)
    assert red.periods.n_clusters == 30  # every day is its own period
    reduced = optimise(red, OPTS, marginals=False)
    assert reduced.npv_usd == pytest.approx(full.npv_usd, rel=1e-6)
    assert full.sizes["battery_mwh"] > 0


def test_typical_days_run_reports_both_npvs_and_redispatches_the_full_year():
    sc = month_scenario()
    r = optimise(sc, OPTS, marginals=False, typical_days=8)
    td = r.extra["typical_days"]
    assert len(r.dispatch) == sc.n_steps
    assert np.abs(r.dispatch["balance_residual_mw"]).max() < 1e-6
    assert r.proforma.npv_usd == pytest.approx(r.npv_usd, rel=1e-6)
    assert td["npv_full_year_usd"] == r.npv_usd
    assert td["npv_gap_relative"] == pytest.approx((td["npv_typical_days_usd"] - r.npv_usd) / abs(r.npv_usd))
    best = optimise(sc, OPTS, marginals=False)
    assert r.npv_usd <= best.npv_usd * (1 + 1e-7)  # a fixed design can never beat the full-year optimum


def test_days_kept_exact_are_the_real_days_even_when_tsam_moved_their_cluster_medoid():
    sc = month_scenario()
    red = aggregate(sc, 6, own_days=tuple(range(30)))
    assert red.periods.n_clusters == 30 and red.weights.sum() == pytest.approx(sc.weights.sum())
    for d, c in enumerate(red.periods.sequence):
        kept = red.hourly.iloc[c * 24:(c + 1) * 24]
        real = sc.hourly.iloc[d * 24:(d + 1) * 24]
        assert np.allclose(kept["pv_cf"].to_numpy(), real["pv_cf"].to_numpy())
        assert np.allclose(kept["export_price_usd_per_mwh"].to_numpy(), real["export_price_usd_per_mwh"].to_numpy())


def dark_spell_scenario():
    """Firm AI on PV + battery only, with a five-day dark spell that no single typical day shows."""
    days = 30
    n = 24 * days
    h, d = np.arange(n) % 24, np.arange(n) // 24
    rng = np.random.default_rng(5)
    sun = 0.6 + 0.4 * rng.random(days)
    sun[12:17] = [0.5, 0.2, 0.3, 0.25, 0.45]
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None) * sun[d]
    sc = small_scenario(n, pv_cf=pv)
    sc.pv.enabled = sc.battery.enabled = sc.ai.enabled = True
    sc.pv.max_new_mw_ac, sc.battery.max_duration_h = 500.0, 200.0
    sc.ai.firm_fraction, sc.ai.firmness, sc.ai.min_new_blocks, sc.ai.max_new_blocks = 1.0, "hard", 1, 1
    return sc


def test_days_the_typical_design_cannot_serve_are_added_until_the_real_year_is_served():
    sc = dark_spell_scenario()
    r = optimise(sc, OPTS, marginals=False, typical_days=3)
    td = r.extra["typical_days"]
    assert td["added_real_days"] > 0, td["design"]
    assert td["design"].startswith("fixed"), td["design"]
    it = r.dispatch["ai_it_mw"].to_numpy()
    assert it.min() >= r.sizes["ai_it_mw"] - 1e-6  # the firm load is served in every real hour
    best = optimise(sc, OPTS, marginals=False)
    assert r.npv_usd <= best.npv_usd * (1 + 1e-7)
