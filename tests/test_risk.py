"""Weighted statistics of an NPV distribution (planner/risk.py), against values worked by hand."""

import pytest

from planner import risk

V = [20.0, -10.0, 10.0, 0.0]  # unsorted on purpose
P = [0.4, 0.1, 0.3, 0.2]


def test_percentiles_are_the_lowest_outcome_whose_cumulative_probability_reaches_p():
    # sorted: -10 (0.1), 0 (0.3 cum), 10 (0.6), 20 (1.0)
    assert risk.weighted_percentile(V, P, 10) == -10.0
    assert risk.weighted_percentile(V, P, 11) == 0.0
    assert risk.weighted_percentile(V, P, 30) == 0.0
    assert risk.weighted_percentile(V, P, 50) == 10.0
    assert risk.weighted_percentile(V, P, 90) == 20.0


def test_cvar_splits_the_boundary_outcome_and_is_the_mean_at_alpha_one():
    assert risk.cvar(V, P, 0.25) == pytest.approx((0.1 * -10 + 0.15 * 0) / 0.25)  # -4
    assert risk.cvar(V, P, 0.1) == pytest.approx(-10.0)
    assert risk.cvar(V, P, 1.0) == pytest.approx(risk.expected(V, P)) == pytest.approx(10.0)
    assert risk.cvar(V, P, 0.05) <= risk.cvar(V, P, 0.5) <= risk.expected(V, P)


def test_loss_probability_cdf_and_bad_input():
    assert risk.probability_of_loss(V, P) == pytest.approx(0.1)
    values, cum = risk.weighted_cdf(V, P)
    assert list(values) == [-10.0, 0.0, 10.0, 20.0]
    assert list(cum) == pytest.approx([0.1, 0.3, 0.6, 1.0])
    with pytest.raises(ValueError, match="sum to 1"):
        risk.expected([1.0, 2.0], [0.5, 0.6])
    with pytest.raises(ValueError, match="alpha"):
        risk.cvar(V, P, 0.0)
