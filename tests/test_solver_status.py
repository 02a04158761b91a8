"""Issue 15 items 11 and 12: 'optimal' means the requested gap was proved; limits are tested without the clock."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest
from helpers import synthetic_site

from planner.errors import SolveError
from planner.model import build
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.run import optimise
from planner.scenario.reader import read_workbook
from planner.solve import HighsModel, SolveOptions, solve_model
from planner.solve.options import gap_proved


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, cwd=REPO_ROOT)


def absurd_nuclear_capex(hours: int = 336):
    """nuclear_ai's first two weeks (weights scaled to a year) with a reactor costing 1e300 USD/kW: HiGHS's
    LP of one branch-and-bound node ends 'Unknown' (the cost overflows), so its parent's bound stays."""
    sc = read_workbook(INPUTS_DIR / "examples" / "nuclear_ai.xlsx")
    sc.hourly = sc.hourly.iloc[:hours].reset_index(drop=True).copy()
    sc.hourly["weight"] = 8760.0 / hours
    sc.nuclear.capex_usd_per_kw = 1e300  # set on the Scenario: the reader's magnitude checks are not the point here
    return sc


def test_item11_gap_proved_by_hand():
    assert gap_proved(100e6, 100.5e6, 0.005)  # 0.5 % of 100 M
    assert not gap_proved(100e6, 100.6e6, 0.005)
    assert gap_proved(-40e6, -39.9e6, 0.005)  # 0.25 % of |-40 M|
    assert not gap_proved(-40e6, -39.7e6, 0.005)  # 0.75 %
    assert gap_proved(0.0, 0.5, 0.005)  # within 1 USD: proved whatever the relative gap
    assert not gap_proved(0.0, 2.0, 0.005)
    assert not gap_proved(1.0, float("inf"), 0.005)


def test_item11_unproved_gap_is_gap_not_reached_not_optimal_and_no_runtime_warning():
    sc = absurd_nuclear_capex()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the branching score multiplied 0 by an infinite cost
        result = optimise(sc, SolveOptions(mip_gap=0.005, strategy="bnb"), marginals=False)
    s = result.solver
    assert s.mip_gap == pytest.approx((s.bound - s.objective) / abs(s.objective), rel=1e-9)
    assert s.mip_gap > 0.005
    assert s.status == "gap_not_reached"
    assert "above the requested 0.5 %" in s.termination and "ended 'Unknown'" in s.termination


@pytest.mark.parametrize("strategy", ["bnb", "highs"])
def test_item11_every_optimal_status_has_its_gap_proved(strategy):
    """Whatever the solver meets on the absurd input, the status and the reported gap agree."""
    s = optimise(absurd_nuclear_capex(), SolveOptions(mip_gap=0.005, strategy=strategy), marginals=False).solver
    assert s.status in ("optimal", "gap_not_reached")
    assert (s.status == "optimal") == gap_proved(s.objective, s.bound, 0.005)


def test_item11_cli_flags_a_plan_without_the_proof(tmp_path, capsys):
    from planner.cli import _print_summary

    result = optimise(absurd_nuclear_capex(), SolveOptions(), marginals=False)
    _print_summary(result, tmp_path)
    out = capsys.readouterr().out
    assert "solver: gap_not_reached" in out
    assert "[GAP_NOT_REACHED: best plan found, the requested gap was not proved" in out


def test_item12_node_limit_stops_the_branch_and_bound_with_its_incumbent_flagged():
    """Deterministic: the search of this site needs more than 3 LPs; with node_limit=3 it stops after the
    round in which it has solved 3, with the incumbent the roundings gave, its bound and gap."""
    sc = synthetic_site(168, "all")
    full = solve_model(HighsModel(build(sc).m), SolveOptions(mip_gap=1e-6))
    assert full.status == "optimal" and full.nodes > 3
    stats = solve_model(HighsModel(build(sc).m), SolveOptions(mip_gap=1e-6, node_limit=3))
    assert stats.status == "node_limit"
    assert 3 <= stats.nodes < full.nodes
    assert stats.objective <= full.objective + 1e-6 * abs(full.objective)  # an incumbent, not better than optimal
    assert stats.bound >= full.objective - 1e-6 * abs(full.objective)  # and a true bound
    assert stats.mip_gap == pytest.approx((stats.bound - stats.objective) / abs(stats.objective), rel=1e-9)


def test_item12_node_limit_writes_flagged_results(tmp_path):
    """The path a time limit takes (best plan written, flagged with its gap), driven by a node limit: the
    branch and bound is deterministic, so this never depends on the machine's speed."""
    out = tmp_path / "nl"
    r = cli("run", str(INPUTS_DIR / "examples" / "iceland.xlsx"), "-o", str(out), "--node-limit", "3",
            "--gap", "1e-9", "--no-report", "--no-marginals", "--typical-days", "4")
    assert r.returncode == 0, r.stderr
    assert "[typical-day sizing: NODE_LIMIT: best plan found, not proven]" in r.stdout
    summary = json.loads((out / "summary.json").read_text())
    sizing = summary["typical_days"]["sizing_solver"]
    assert sizing["status"] == "node_limit"
    assert sizing["mip_gap"] > 1e-9


def test_item12_real_time_limit_result_is_consistent_with_its_status(tmp_path):
    """A real 2 s limit on HiGHS's MIP: what happens depends on the machine, so each outcome is checked for
    consistency: a proven plan, a plan flagged time_limit with its gap, or the clear no-plan message."""
    out = tmp_path / "tl"
    r = cli("run", str(INPUTS_DIR / "examples" / "middle_east.xlsx"), "-o", str(out), "--time-limit", "2",
            "--no-report", "--no-marginals", "--mip-strategy", "highs")
    assert "Traceback" not in r.stderr
    if r.returncode == 1:
        assert "HiGHS found no feasible solution within the time limit of 2 s" in r.stderr
        assert not out.exists()
        return
    assert r.returncode == 0, r.stderr
    solver = json.loads((out / "summary.json").read_text())["solver"]
    if solver["status"] == "optimal":
        assert gap_proved(solver["objective"], solver["bound"], 0.005)
        assert "not proven" not in r.stdout
    else:
        assert solver["status"] == "time_limit"
        assert "TIME_LIMIT: best plan found, not proven" in r.stdout
        assert solver["objective"] is not None
        assert solver["mip_gap"] is None or solver["mip_gap"] >= 0


def test_item12_node_limit_without_an_incumbent_is_a_clear_message():
    """One node: the root LP of this site is fractional (see above), so the search stops with no plan yet."""
    sc = synthetic_site(168, "all")
    with pytest.raises(SolveError) as e:
        solve_model(HighsModel(build(sc).m), SolveOptions(mip_gap=1e-6, node_limit=1))
    assert "found no feasible solution within the node limit of 1; raise --node-limit" in str(e.value)
    assert e.value.exit_code == 1


def test_with_threads_set_a_fixed_design_lp_and_a_highs_mip_after_the_branch_and_bound_still_solve():
    """HiGHS keeps the thread count of a process's first run: a later run asking for another one used to end
    'Not Set' (planner run --threads 2: the baseline and the typical-day re-dispatch after the branch and bound)."""
    from dataclasses import replace

    from helpers import synthetic_site

    from planner.run import optimise
    from planner.solve import SolveOptions, YearCheck

    sc = synthetic_site(48, "all")
    opts = SolveOptions(mip_gap=0.01, threads=2, strategy="bnb")
    plan = optimise(sc, opts, marginals=False)
    assert plan.solver.solver.endswith("branch and bound")
    again = optimise(sc, opts, marginals=False, fixed=plan.new_sizes)  # an LP through solve_direct
    assert again.solver.status == "optimal"
    assert again.npv_usd == pytest.approx(plan.npv_usd, rel=1e-6)
    assert YearCheck(sc, opts).shortfall_mw(plan.new_sizes).max() <= 1e-6  # the elastic LP, served
    direct = optimise(sc, replace(opts, strategy="highs"), marginals=False)  # HiGHS's MIP after the bnb
    assert direct.solver.status == "optimal"
    assert direct.npv_usd == pytest.approx(plan.npv_usd, rel=0.02)
