"""The Uncertainty sheet and the scenario generator (issue 18): seeded draws, their formulas, fast forward selection,
listed scenarios read from a real workbook and bad rows named by sheet and cell. Numbers are derived by hand."""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pytest

from planner.errors import InputError
from planner.scenario.layout import LISTED_TITLE, UNCERTAIN_TITLE, UNCERTAINTY_SHEET
from planner.scenario.reader import read_workbook
from planner.scenario.scenario import ListedChange, Scenario, UncertainRow
from planner.scenario.template import template_scenario, write_workbook
from planner.scenario.uncertainty import (
    expected_changes,
    fast_forward,
    gbm_paths,
    lognormal_factor,
    pv_equivalent_growth,
    pv_weights,
    scenarios,
)

BTC = "mining.btc_price_growth_per_year"
NET = "mining.network_hashrate_growth_per_year"
HASHPRICE = "mining.hashprice_usd_per_ph_day"
EXPORT = "hourly.export_price_usd_per_mwh"


def sampled(rows: list[UncertainRow], samples: int = 50, n: int = 5, seed: int = 1) -> Scenario:
    """The default Scenario (no hourly data needed) with these uncertain inputs."""
    sc = Scenario()
    sc.uncertain = rows
    sc.uncertainty.samples, sc.uncertainty.scenarios, sc.uncertainty.seed = samples, n, seed
    return sc


ROWS = [UncertainRow(BTC, "gbm_growth", 0.6), UncertainRow(NET, "uniform", 0.0, 0.5),
        UncertainRow(HASHPRICE, "lognormal", 0.3), UncertainRow(EXPORT, "normal", 1.0, 0.2)]


# ------------------------------------------------------------------------------------------- seeds

def test_same_seed_gives_identical_scenarios_and_another_seed_different_ones():
    a, b = scenarios(sampled(ROWS)), scenarios(sampled(ROWS))
    c = scenarios(sampled(ROWS, seed=2))
    assert a == b
    assert [s.changes for s in a] != [s.changes for s in c]
    assert [s.name for s in a] == ["s01", "s02", "s03", "s04", "s05"]
    for scens in (a, c):
        assert abs(math.fsum(s.probability for s in scens) - 1.0) <= 1e-12
        assert all(set(s.changes) == {BTC, NET, HASHPRICE, EXPORT} for s in scens)
        # reduced from 50 equally likely draws: each probability is a whole number of draws
        assert all(abs(s.probability * 50 - round(s.probability * 50)) < 1e-9 for s in scens)


def test_arguments_override_the_sheet_and_samples_up_to_scenarios_are_all_kept():
    sc = sampled(ROWS, samples=6, n=10)
    scens = scenarios(sc)
    assert len(scens) == 6 and all(s.probability == pytest.approx(1 / 6, abs=1e-15) for s in scens)
    assert len(scenarios(sc, n=3)) == 3
    assert scenarios(sc, seed=7) == scenarios(sampled(ROWS, samples=6, n=10, seed=7))


# ------------------------------------------------------------------------------------------- models

def test_gbm_growth_without_volatility_is_the_workbook_growth_exactly():
    sc = sampled([UncertainRow(BTC, "gbm_growth", 0.0)], samples=20, n=20)
    sc.mining.btc_price_growth_per_year = 0.05
    assert {s.changes[BTC] for s in scenarios(sc)} == {0.05}


def test_gbm_paths_have_mean_one_plus_g_to_the_y():
    """E[S_y] = (1+g)^y; Var[S_y] = (1+g)^(2y) (exp(y a^2) - 1), so the sample mean is within 4 standard errors."""
    g, a, n, years = 0.05, 0.5, 20000, 5
    paths = gbm_paths(g, a, np.random.default_rng(3).standard_normal((n, years)))
    y = np.arange(1, years + 1)
    se = (1 + g) ** y * np.sqrt(np.expm1(y * a * a) / n)
    assert np.all(np.abs(paths.mean(axis=0) - (1 + g) ** y) < 4 * se)


def test_the_equivalent_growth_has_the_present_value_of_its_path():
    d, years = 0.08, 20
    eps = np.random.default_rng(5).standard_normal((3, years))
    paths = gbm_paths(0.02, 0.6, eps)
    g_s = pv_equivalent_growth(paths, d)
    v = (1 + d) ** -np.arange(1, years + 1)
    for k in range(3):
        pv_path = float(np.sum(v * paths[k]))
        assert float(np.sum(v * (1 + g_s[k]) ** np.arange(1, years + 1))) == pytest.approx(pv_path, rel=1e-9)
    assert np.allclose(pv_weights(d, years), v, rtol=1e-15)


def test_lognormal_factor_has_mean_one_and_uniform_stays_within_its_bounds():
    a, n = 0.3, 40000
    f = lognormal_factor(a, np.random.default_rng(11).standard_normal(n))
    assert abs(f.mean() - 1.0) < 4 * math.sqrt(math.expm1(a * a) / n)  # Var = exp(a^2) - 1
    sc = sampled([UncertainRow(NET, "uniform", 0.1, 0.3), UncertainRow(HASHPRICE, "lognormal", 0.3)],
                 samples=300, n=300)
    values = np.array([[s.changes[NET], s.changes[HASHPRICE]] for s in scenarios(sc)])
    assert values[:, 0].min() >= 0.1 and values[:, 0].max() <= 0.3
    assert values[:, 1].min() > 0  # the base 40 USD/PH/day times a positive factor


def test_normal_is_clipped_to_the_declared_range():
    """mining.pool_fee is declared within 0..0.5: a normal of mean 0.45 and sd 0.2 crosses 0.5 in 40 % of draws."""
    sc = sampled([UncertainRow("mining.pool_fee", "normal", 0.45, 0.2)], samples=200, n=200)
    values = np.array([s.changes["mining.pool_fee"] for s in scenarios(sc)])
    assert values.max() == 0.5 and values.min() >= 0.0 and (values == 0.5).sum() > 40


# ---------------------------------------------------------------------------------------- reduction

def test_fast_forward_selection_on_a_hand_case():
    """Points 0, 1, 10, 11 with weight 1/4 (distances in units of their sample sd, which scale z alike).

    Step 1: z_0 = (1+10+11)/4 = 5.5, z_1 = (1+9+10)/4 = 5, z_10 = 5, z_11 = 5.5: the tie 1/10 goes to index 1.
    Step 2 (d = distance to point 1): z_0 = (min(10,9) + min(11,10))/4 = 4.75, z_10 = (min(10,1) + min(1,10))/4
    = 0.5, z_11 = (min(11,1) + min(1,9))/4 = 0.5: the tie goes to index 2 (point 10). Then 0 joins 1 and 11
    joins 10: probabilities 1/2 and 1/2.
    """
    keep, prob = fast_forward(np.array([[0.0], [1.0], [10.0], [11.0]]), np.full(4, 0.25), 2)
    assert keep.tolist() == [1, 2] and prob.tolist() == [0.5, 0.5]
    # one of 0, 1, 10: z = 11/3, 10/3, 19/3, so point 1 with all the probability
    keep, prob = fast_forward(np.array([[0.0], [1.0], [10.0]]), np.full(3, 1 / 3), 1)
    assert keep.tolist() == [1] and prob.tolist() == pytest.approx([1.0])
    keep, prob = fast_forward(np.array([[0.0], [1.0], [10.0]]), np.array([0.2, 0.3, 0.5]), 3)
    assert keep.tolist() == [0, 1, 2] and prob.tolist() == [0.2, 0.3, 0.5]


def paper_fast_forward(values: np.ndarray, p: np.ndarray, n: int) -> tuple[list[int], list[float]]:
    """Heitsch and Roemisch (2003), fast forward selection as written: the full matrix c^[i] updated each step."""
    x = values / values.std(axis=0, ddof=1)
    c = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    rest, kept = list(range(len(p))), []
    for _ in range(n):
        if kept:
            last = kept[-1]
            c = np.minimum(c, c[:, [last]])  # c^[i]_ku = min(c^[i-1]_ku, c^[i-1]_k,u(i-1))
        z = [sum(p[k] * c[k, u] for k in rest if k != u) for u in rest]
        u = rest[int(np.argmin(z))]
        kept.append(u)
        rest.remove(u)
    c0 = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    q = {j: p[j] for j in kept}
    for i in rest:
        q[min(kept, key=lambda j: (c0[i, j], j))] += p[i]
    return sorted(kept), [q[j] for j in sorted(kept)]


def test_fast_forward_equals_the_papers_algorithm_on_random_draws():
    """The memory-light form (z_u from each draw's distance to its nearest kept draw) selects what the paper's
    matrix recursion selects, with the same redistributed probabilities."""
    rng = np.random.default_rng(4)
    for trial in range(5):
        values = rng.normal(size=(30, 3)) * [1.0, 10.0, 0.1]
        p = rng.dirichlet(np.ones(30))
        keep, prob = fast_forward(values, p, 6)
        ref_keep, ref_prob = paper_fast_forward(values, p, 6)
        assert keep.tolist() == ref_keep, trial
        assert prob.tolist() == pytest.approx(ref_prob, rel=1e-12)
        assert math.fsum(prob) == pytest.approx(1.0, abs=1e-12)


def test_expected_changes_is_the_probability_weighted_mean_and_the_mean_path_for_gbm_growth():
    from planner.scenario.uncertainty import UncertainScenario

    sc = sampled([UncertainRow(BTC, "gbm_growth", 0.6)])
    sc.finance.discount_rate, sc.finance.analysis_years = 0.08, 2
    scens = [UncertainScenario("low", 0.25, {BTC: 0.0, EXPORT: 0.8, HASHPRICE: 30.0}),
             UncertainScenario("high", 0.75, {BTC: 0.4, EXPORT: 1.2})]
    got = expected_changes(sc, scens)
    # the export multiplier and the hashprice (absent in "high": the workbook's value there) by their means
    assert got[EXPORT] == pytest.approx(0.25 * 0.8 + 0.75 * 1.2, rel=1e-15)
    assert got[HASHPRICE] == pytest.approx(0.25 * 30.0 + 0.75 * sc.mining.hashprice_usd_per_ph_day, rel=1e-15)
    # the growth: (1+g)/1.08 + (1+g)^2/1.08^2 = the mean PV of the two paths, solved by hand as a quadratic
    v = 1 / 1.08
    target = 0.25 * (v + v ** 2) + 0.75 * (1.4 * v + 1.4 ** 2 * v ** 2)
    x = (-v + math.sqrt(v ** 2 + 4 * v ** 2 * target)) / (2 * v ** 2)  # x = 1 + g
    assert got[BTC] == pytest.approx(x - 1, abs=1e-9)
    assert got[BTC] > 0.25 * 0.0 + 0.75 * 0.4  # above the mean of the growths (the PV is convex in g)


# ------------------------------------------------------------------------------------ real workbooks

@pytest.fixture(scope="module")
def listed_workbook(tmp_path_factory):
    """The template with two listed scenarios (besides its default uncertain inputs), read back."""
    sc = template_scenario()
    sc.listed_scenarios = [ListedChange("bear", 0.4, BTC, -0.2, "a falling price"),
                           ListedChange("bear", 0.4, EXPORT, 0.8),
                           ListedChange("bull", 0.6, BTC, 0.3)]
    path = write_workbook(sc, tmp_path_factory.mktemp("unc") / "listed.xlsx")
    return read_workbook(path)


@pytest.mark.slow  # a full template written and read: about 6 s here
def test_listed_scenarios_are_read_with_their_values_and_probabilities(listed_workbook):
    sc = listed_workbook
    scens = scenarios(sc)
    assert [(s.name, s.probability) for s in scens] == [("bear", 0.4), ("bull", 0.6)]
    assert scens[0].changes == {BTC: -0.2, EXPORT: 0.8}
    assert scens[1].changes == {BTC: 0.3, EXPORT: 1.0}  # not listed in bull: the workbook's value (a 1x multiplier)
    assert expected_changes(sc, scens) == pytest.approx({BTC: 0.1, EXPORT: 0.92}, rel=1e-12)
    assert any(w.startswith("Uncertainty: 2 listed scenario(s) are the scenarios") for w in sc.warnings)
    assert len(sc.uncertain) == 5  # the default uncertain inputs are read, just not sampled


def test_listed_scenarios_from_a_small_real_workbook(tmp_path):
    """The reader's Uncertainty tables on a workbook written with openpyxl (3 hourly rows: cheap)."""
    from planner.scenario.reader import Problems, _read_uncertainty_tables

    sc = template_scenario()
    sc.hourly = sc.hourly.head(3)
    sc.listed_scenarios = [ListedChange("low", 0.3, NET, 0.05), ListedChange("low", 0.3, EXPORT, 0.7),
                           ListedChange("high", 0.7, NET, 0.45, "note")]
    path = write_workbook(sc, tmp_path / "small.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(r) for r in wb[UNCERTAINTY_SHEET].iter_rows(values_only=True)]
    wb.close()
    p = Problems()
    settings, uncertain, listed_rows = _read_uncertainty_tables(rows, p)
    assert p.errors == [] and len(p.warnings) == 1 and "2 listed scenario(s)" in p.warnings[0]
    assert [r[0] for r in settings[2:] if r and r[0]] == ["scenarios", "samples", "seed", "risk_aversion", "cvar_alpha"]
    assert uncertain == template_scenario().uncertain
    assert listed_rows == sc.listed_scenarios
    read = Scenario()
    read.listed_scenarios = listed_rows
    scens = scenarios(read)
    assert [(s.name, s.probability, s.changes) for s in scens] == [
        ("low", 0.3, {NET: 0.05, EXPORT: 0.7}), ("high", 0.7, {NET: 0.45, EXPORT: 1.0})]
    assert expected_changes(read, scens) == pytest.approx({NET: 0.3 * 0.05 + 0.7 * 0.45, EXPORT: 0.3 * 0.7 + 0.7},
                                                    rel=1e-12)


BAD_UNCERTAIN = [UncertainRow("mining.hashprice_usd_per_ph_dy", "lognormal", 0.3),
                 UncertainRow(NET, "triangle", 0.0, 0.5),
                 UncertainRow(HASHPRICE, "lognormal", -0.1),
                 UncertainRow("ai.pue", "gbm_growth", 0.5),
                 UncertainRow("ai.gpu_hour_price_decline_per_year", "uniform", 0.5, 0.1),
                 UncertainRow(NET, "uniform", 0.1, 0.2),
                 UncertainRow("uncertainty.seed", "uniform", 1, 2)]
BAD_LISTED = [ListedChange("up", 1.5, BTC, 0.1),
              ListedChange("a", 0.5, BTC, 0.1), ListedChange("a", 0.6, EXPORT, 1.1),
              ListedChange("b", 0.2, BTC, 0.1), ListedChange("b", 0.2, BTC, 0.2),
              ListedChange("c", 0.1, "mining.pool_fee", 0.9)]


def small_workbook(sc: Scenario, path) -> tuple[list[str], int, int]:
    """Write sc with only 3 hourly rows (cheap; the reader adds an Hourly error), read it: (problems, first
    uncertain-input row, first listed row)."""
    sc.hourly = sc.hourly.head(3)
    path = write_workbook(sc, path)
    wb = openpyxl.load_workbook(path, read_only=True)
    titles = {r[0]: i for i, r in enumerate(wb[UNCERTAINTY_SHEET].iter_rows(values_only=True), start=1)
              if r and r[0] in (UNCERTAIN_TITLE, LISTED_TITLE)}
    wb.close()
    with pytest.raises(InputError) as e:
        read_workbook(path)
    assert any(p.startswith("Hourly: expected 8760 hourly rows") for p in e.value.problems)
    return e.value.problems, titles[UNCERTAIN_TITLE] + 2, titles[LISTED_TITLE] + 2


@pytest.fixture(scope="module")
def bad_problems(tmp_path_factory):
    """A workbook with one bad row per rule in each table."""
    sc = template_scenario()
    sc.uncertain, sc.listed_scenarios = list(BAD_UNCERTAIN), list(BAD_LISTED)
    return small_workbook(sc, tmp_path_factory.mktemp("unc") / "bad.xlsx")


@pytest.mark.parametrize("k, cell, text", [
    (0, "A", "unknown parameter 'mining.hashprice_usd_per_ph_dy' (did you mean mining.hashprice_usd_per_ph_day?)"),
    (1, "B", "model must be one of gbm_growth, lognormal, uniform, normal, found 'triangle'"),
    (2, "C", "a of lognormal is a volatility (a fraction per year) and must be >= 0, found -0.1"),
    (3, "B", "gbm_growth is for a yearly growth rate (unit fraction/yr); ai.pue is in ratio"),
    (4, "C", "a (0.5) is above b (0.1) for ai.gpu_hour_price_decline_per_year"),
    (5, "A", f"parameter {NET} appears twice (also row"),
    (6, "A", "uncertainty.seed is a setting of the Uncertainty sheet itself"),
])
def test_a_bad_uncertain_input_is_named_by_sheet_and_cell(bad_problems, k, cell, text):
    problems, first, _ = bad_problems
    assert any(p.startswith(f"Uncertainty!{cell}{first + k}: ") and text in p for p in problems), problems


@pytest.mark.parametrize("k, cell, text", [
    (0, "B", "probability of scenario up must be within 0..1, found 1.5"),
    (2, "B", "probability of scenario a is 0.6 here but 0.5 in B"),
    (4, "C", f"scenario b changes {BTC} twice"),
    (5, "D", "value of mining.pool_fee must be >= 0 and <= 0.5 (fraction), found 0.9"),
])
def test_a_bad_listed_row_is_named_by_sheet_and_cell(bad_problems, k, cell, text):
    problems, _, first = bad_problems
    assert any(p.startswith(f"Uncertainty!{cell}{first + k}: ") and text in p for p in problems), problems


def test_listed_probabilities_must_sum_to_one(tmp_path):
    sc = template_scenario()
    sc.listed_scenarios = [ListedChange("a", 0.5, BTC, 0.1), ListedChange("a", 0.5, EXPORT, 0.9),
                           ListedChange("b", 0.3, BTC, -0.1)]
    problems, _, first = small_workbook(sc, tmp_path / "sum.xlsx")
    msg = [p for p in problems if "sum to" in p]
    assert msg == [f"Uncertainty!B{first}, B{first + 2}: the probabilities of the listed scenarios (a, b) sum to 0.8; "
                   f"they must sum to 1 (within 1e-06)"]


def test_a_scenario_without_uncertain_inputs_is_refused():
    """What an older workbook without the Uncertainty sheet reads as (tests/test_workbook.py: the older template)."""
    with pytest.raises(InputError, match="Uncertainty: no uncertain inputs and no listed scenarios"):
        scenarios(Scenario())


def test_reduced_scenarios_keep_every_inputs_sample_mean_and_the_mean_pv_of_a_gbm_path():
    """Each kept scenario takes its group's probability-weighted mean (of the PV for a gbm_growth input), so the
    reduced set's means are the draws' means; the kept growths are not all from the dense low part of the draws."""
    from planner.scenario.uncertainty import draw

    rows = [UncertainRow(BTC, "gbm_growth", 0.6), UncertainRow(NET, "uniform", 0.0, 0.5),
            UncertainRow(EXPORT, "lognormal", 0.3)]
    sc = sampled(rows, samples=200, n=5)
    sc.finance.discount_rate, sc.finance.analysis_years = 0.08, 20
    names, values = draw(sc, 200, 1)
    v = pv_weights(0.08, 20)
    y = np.arange(1, 21)
    pv = ((1 + values[:, 0])[:, None] ** y) @ v
    scens = scenarios(sc)
    p = np.array([s.probability for s in scens])
    got_pv = ((1 + np.array([s.changes[BTC] for s in scens]))[:, None] ** y) @ v
    assert p @ got_pv == pytest.approx(pv.mean(), rel=1e-9)
    for j, name in list(enumerate(names))[1:]:
        assert p @ np.array([s.changes[name] for s in scens]) == pytest.approx(values[:, j].mean(), rel=1e-9)
    assert max(s.changes[BTC] for s in scens) > np.median(values[:, 0])
