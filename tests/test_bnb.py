"""The branch and bound over the sizing integers (planner/solve/bnb.py) against HiGHS's own MIP solver."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from helpers import synthetic_site
from test_typical import dark_spell_scenario, month_scenario

from planner.errors import SolveError
from planner.model import build
from planner.run import optimise
from planner.solve import HighsModel, SolveOptions, solve_model

TIGHT = 1e-6


@pytest.mark.parametrize("make", [lambda: synthetic_site(168, "all"), lambda: synthetic_site(336, "few"),
                                  month_scenario, dark_spell_scenario],
                         ids=["all-tech-168h", "few-tech-336h", "month", "dark-spell"])
def test_bnb_proves_the_same_optimum_as_highs(make):
    sc = make()
    sc.mining.enabled = True
    highs = optimise(sc, SolveOptions(mip_gap=TIGHT, strategy="highs"), marginals=True)
    bnb = optimise(sc, SolveOptions(mip_gap=TIGHT, strategy="bnb"), marginals=True)
    assert bnb.solver.status == "optimal" and bnb.solver.mip_gap <= TIGHT
    assert bnb.npv_usd == pytest.approx(highs.npv_usd, rel=1e-6)
    assert bnb.proforma.npv_usd == pytest.approx(bnb.npv_usd, rel=1e-6)
    assert np.abs(bnb.dispatch["balance_residual_mw"]).max() < 1e-6
    for k, v in bnb.new_sizes.items():  # integer sizes are whole numbers
        if k.endswith(("_units", "_turbines", "_blocks", "_containers")):
            assert v == round(v)
    if bnb.new_sizes == pytest.approx(highs.new_sizes, abs=1e-6):  # alternative optima may differ in design
        for fleet, row in highs.marginal_units.items():
            for label, value in row.items():
                other = bnb.marginal_units[fleet][label]
                assert (value is None) == (other is None)
                assert value is None or other == pytest.approx(value, rel=1e-5, abs=1.0)


def test_bnb_branches_on_a_lumpy_unit_and_reports_its_bound():
    sc = synthetic_site(168, "all")
    hm = HighsModel(build(sc).m)
    stats = solve_model(hm, SolveOptions(mip_gap=TIGHT, strategy="bnb"))
    assert stats.nodes > 1  # the root LP is fractional on this site: it had to branch
    assert stats.bound >= stats.objective - 1e-6 * abs(stats.objective)
    assert (stats.bound - stats.objective) / abs(stats.objective) <= TIGHT


def test_bnb_time_limit_returns_the_incumbent_flagged():
    """The deadline passes during the search, once there is an incumbent (the progress callback waits it
    out): the incumbent is returned, flagged."""
    sc = synthetic_site(168, "all")
    hm = HighsModel(build(sc).m)
    limit = 1.0

    def slow(state):
        if state["incumbent"] is not None:
            time.sleep(limit)

    stats = solve_model(hm, SolveOptions(mip_gap=TIGHT, strategy="bnb", time_limit_s=limit), progress=slow)
    assert stats.status == "time_limit"
    assert stats.objective is not None and stats.bound >= stats.objective


def test_bnb_infeasible_site_is_reported_infeasible():
    sc = dark_spell_scenario()
    sc.battery.enabled = False  # firm AI at night with PV only
    with pytest.raises(SolveError) as e:
        optimise(sc, SolveOptions(strategy="bnb"), marginals=False)
    assert "firm AI load cannot be served" in str(e.value)


@pytest.mark.parametrize("gap", [0.005, 0.02, 0.1])
def test_bnb_bound_is_a_true_bound_at_any_gap(gap):
    """Nodes pruned within the gap still count in the reported bound: it never falls below the optimum."""
    sc = synthetic_site(168, "all")
    tight = solve_model(HighsModel(build(sc).m), SolveOptions(mip_gap=1e-9, strategy="highs"))
    loose = solve_model(HighsModel(build(sc).m), SolveOptions(mip_gap=gap, strategy="bnb"))
    assert loose.bound >= tight.objective * (1 - 1e-9)
    assert loose.objective <= tight.objective * (1 + 1e-9)
    assert loose.mip_gap == pytest.approx((loose.bound - loose.objective) / abs(loose.objective), abs=1e-12)
    assert loose.mip_gap <= gap


def test_bnb_unbounded_site_names_the_technology_without_a_maximum():
    from helpers import small_scenario

    sc = small_scenario(24, pv_cf=0.3, export_price_usd_per_mwh=200.0)
    sc.pv.enabled, sc.grid.connected, sc.mining.enabled = True, True, True  # mining: the model is a MILP
    sc.pv.max_new_mw_ac = None
    sc.grid.max_new_export_mw = None
    sc.grid.export_capex_usd_per_kw = 0.0
    with pytest.raises(SolveError) as e:
        optimise(sc, SolveOptions(strategy="bnb"), marginals=False)
    assert "unbounded" in str(e.value) and "pv.max_new_mw_ac has no maximum" in str(e.value)


def test_bnb_parallel_lps_prove_the_same_optimum_and_repeat_exactly():
    """Two LPs at a time (threads, one HiGHS instance each) against one at a time: the same proven optimum;
    and two parallel runs give the same plan to the last digit (results are taken in a fixed order)."""
    sc = synthetic_site(336, "all")
    runs = []
    for threads in (1, 2, 2):
        hm = HighsModel(build(sc).m)
        stats = solve_model(hm, SolveOptions(mip_gap=TIGHT, strategy="bnb", threads=threads))
        assert stats.status == "optimal" and stats.mip_gap <= TIGHT
        runs.append((stats, np.array(hm.h.getLp().col_cost_), np.array([v.value for v in hm.columns])))
    (serial, _, _), (par1, _, x1), (par2, _, x2) = runs
    assert par1.nodes > 2  # it branched, so more than one LP was in flight at a time
    assert par1.objective == pytest.approx(serial.objective, rel=1e-6)
    assert par2.objective == par1.objective and par2.nodes == par1.nodes
    assert np.array_equal(x1, x2)


def test_marginal_units_match_a_rebuild_with_the_fleet_moved():
    """One unit more of a fleet (evaluated in parallel from scratch) equals rebuilding with that size fixed."""
    sc = synthetic_site(168, "all")
    base = optimise(sc, SolveOptions(mip_gap=TIGHT), marginals=True)
    fleet, var = next((k, v) for k, v in base.marginal_units.items() if v["plus_one"] is not None)
    fixed = {n: round(base.new_sizes[n]) for n in base.integer_new_sizes}
    name = next(n for n in base.integer_new_sizes if n.startswith(fleet.split("_")[0]))
    fixed[name] += 1
    moved = optimise(sc, SolveOptions(mip_gap=TIGHT), marginals=False, fixed=fixed)
    assert moved.npv_usd - base.npv_usd == pytest.approx(var["plus_one"], rel=1e-6, abs=100.0)


@pytest.mark.parametrize("strategy", ["bnb", "highs"])
def test_time_limit_counts_this_solve_only(strategy):
    """HiGHS's clock adds up over every run of an instance (a sensitivity run re-solves one model many
    times): a new solve still gets its whole time limit."""
    sc = synthetic_site(168, "all")
    hm = HighsModel(build(sc).m)
    limit = 2.0
    while hm.h.getRunTime() < limit:  # as if earlier cases had used up the instance's clock
        hm.h.clearSolver()
        hm.h.run()
    stats = solve_model(hm, SolveOptions(mip_gap=TIGHT, strategy=strategy, time_limit_s=limit))
    assert stats.status == "optimal"


def test_a_model_solved_by_branch_and_bound_is_still_a_milp_for_highs():
    """The branch and bound relaxes its instance in place; bounds come back, and a later HiGHS solve of the
    same model is a MILP again (whole fleets, the same optimum)."""
    sc = synthetic_site(168, "all")
    hm = HighsModel(build(sc).m)
    lp = hm.h.getLp()
    bounds = (np.array(lp.col_lower_), np.array(lp.col_upper_))
    objective = (lp.sense_, np.array(lp.col_cost_), lp.offset_)
    first = solve_model(hm, SolveOptions(mip_gap=TIGHT, strategy="bnb"))
    after = hm.h.getLp()
    assert np.array_equal(np.array(after.col_lower_), bounds[0])
    assert np.array_equal(np.array(after.col_upper_), bounds[1])
    # the search minimises -NPV (for its cutoff); the instance comes back maximising the same costs, bit for bit
    assert after.sense_ == objective[0] and after.offset_ == objective[2]
    assert np.array_equal(np.array(after.col_cost_), objective[1])
    again = solve_model(hm, SolveOptions(mip_gap=TIGHT, strategy="highs"))
    assert again.objective == pytest.approx(first.objective, rel=1e-5)
    x = np.array(hm.h.getSolution().col_value)[hm.integer_cols]
    assert np.allclose(x, np.round(x), atol=1e-6)


def test_a_hot_node_that_cannot_beat_the_incumbent_is_cut_off_and_is_indeed_below_it(monkeypatch):
    """Once there is an incumbent, a hot-started node LP stops as soon as the dual simplex proves its optimum below
    it (status "cutoff", planner/solve/bnb.py: _set_cutoff). Each such LP, solved to the end from the same start,
    is below the incumbent it was cut at; and the search without cutoffs proves the same plan, bound and nodes."""
    from planner.solve import bnb

    sc = synthetic_site(168, "all")
    sc.mining.enabled = True
    cut, solve = [], bnb._Lp.solve

    def record(self, lb, ub, basis=None, cap=None, cutoff=-math.inf):
        r = solve(self, lb, ub, basis, cap, cutoff)
        if r.status == "cutoff":
            cut.append((lb.copy(), ub.copy(), basis, cutoff))
        return r

    monkeypatch.setattr(bnb._Lp, "solve", record)
    hm = HighsModel(build(sc).m)
    with_cutoff = solve_model(hm, SolveOptions(mip_gap=TIGHT, strategy="bnb"))
    assert with_cutoff.status == "optimal" and cut  # this site branches past its first incumbent
    pool = bnb._Pool(hm, hm.integer_cols, SolveOptions(), time.perf_counter() + 600.0, 1)
    try:
        for lb, ub, basis, cutoff in cut:
            full = pool.lps[0].solve(lb, ub, basis)  # no cutoff: to the end
            assert full.status == "infeasible" or (full.status == "optimal" and full.obj < cutoff)
    finally:
        pool.close()
    set_cutoff = bnb._set_cutoff
    monkeypatch.setattr(bnb, "_set_cutoff", lambda h, cutoff: set_cutoff(h, -math.inf))
    n_cut = len(cut)
    without = solve_model(HighsModel(build(sc).m), SolveOptions(mip_gap=TIGHT, strategy="bnb"))
    assert len(cut) == n_cut  # none cut off this time
    assert without.nodes == with_cutoff.nodes
    assert without.objective == pytest.approx(with_cutoff.objective, rel=1e-9)
    assert without.bound == pytest.approx(with_cutoff.bound, rel=1e-9)



def test_marginal_units_take_the_design_lps_the_branch_and_bound_solved(monkeypatch):
    """A +-1 design the branch and bound has solved already (SolverStats.designs_npv_usd) is not solved again, and
    every marginal unit equals the one computed with all designs solved afresh."""
    import planner.run as run

    sc = synthetic_site(168, "all")
    sc.mining.enabled = True
    asked, evaluate, marginal = [], run.evaluate_designs, run.marginal_units

    def count(hm, cols, designs, *args, **kwargs):
        asked.append(len(designs))
        return evaluate(hm, cols, designs, *args, **kwargs)

    monkeypatch.setattr(run, "evaluate_designs", count)
    reused = optimise(sc, SolveOptions(mip_gap=TIGHT, strategy="bnb"), marginals=True)
    monkeypatch.setattr(run, "marginal_units", lambda *args, known=None, infeasible=(): marginal(*args, known={}))
    fresh = optimise(sc, SolveOptions(mip_gap=TIGHT, strategy="bnb"), marginals=True)
    assert asked == [asked[1] - 1, asked[1]]  # the plan's one-less neighbour came from the branch and bound
    assert fresh.new_sizes == reused.new_sizes
    for fleet, row in fresh.marginal_units.items():
        for label, value in row.items():
            other = reused.marginal_units[fleet][label]
            assert (value is None) == (other is None)
            assert value is None or other == pytest.approx(value, rel=1e-7, abs=1e-3)


def solved_plan_and_its_lp():
    """The all-technology 168-h site solved by the branch and bound: (built, hm, opts, integer columns, plan, the
    plan's LP NPV with its integers fixed)."""
    from planner.solve import lp_duals

    built = build(synthetic_site(168, "all"))
    hm = HighsModel(built.m)
    opts = SolveOptions(mip_gap=TIGHT, strategy="bnb")
    solve_model(hm, opts)
    ints = hm.integer_cols
    plan = [round(hm.columns[i].value) for i in ints]
    return built, hm, opts, ints, plan, lp_duals(hm, ints, plan, opts).npv_usd


def test_marginal_units_read_known_designs_in_the_models_integer_column_order(monkeypatch):
    """`known` is keyed in `hm.integer_cols` order, whatever order the fleets come in: with every +-1 design known
    (keyed in a reversed column order), nothing is solved and each marginal unit is the known value less the plan's."""
    import planner.run as run

    built, hm, opts, ints, plan, base = solved_plan_and_its_lp()
    hm.integer_cols = list(reversed(ints))  # the order the keys are read in
    known, expected = {}, {}
    for n, (name, var) in enumerate(built.ctx.integers.items()):
        j = ints.index(hm.col_index[id(var)])
        for label, step in (("plus_one", 1), ("minus_one", -1)):
            if plan[j] + step >= 0:
                design = list(plan)
                design[j] += step
                known[tuple(design[ints.index(c)] for c in hm.integer_cols)] = base + 1000.0 * (n + 1) * step
                expected[(name, label)] = 1000.0 * (n + 1) * step
    monkeypatch.setattr(run, "evaluate_designs", lambda *a, **k: pytest.fail("a known design was solved again"))
    out = run.marginal_units(built, hm, opts, base, known=known)
    assert {(k, label): v for k, row in out.items() for label, v in row.items() if v is not None} == \
        pytest.approx(expected)


def test_a_search_started_from_the_held_optimum_of_a_design_reads_it_and_proves_the_same_plan(monkeypatch):
    """`fixed_start` (planner/periods.py: the fleets held, then sized in full): the instance holds the LP optimum of
    a design, here the plan with one AI block less. The start is read from that basis in zero simplex
    iterations, the root goes on from it (not from scratch), and the search proves the plan a fresh one proves."""
    from planner.solve import bnb

    sc = synthetic_site(336, "all")
    sc.mining.enabled = True
    opts = SolveOptions(mip_gap=TIGHT, strategy="bnb")
    lps, solve = [], bnb._Lp.solve

    def record(self, lb, ub, basis=None, cap=None, cutoff=-math.inf):
        r = solve(self, lb, ub, basis, cap, cutoff)
        lps.append((bool(np.all(lb == ub)), type(basis).__name__, self.h.getInfo().simplex_iteration_count, r))
        return r

    monkeypatch.setattr(bnb._Lp, "solve", record)
    hm = HighsModel(build(sc).m)
    fresh = solve_model(hm, opts)
    root_from_scratch = lps[0][2]
    ints = list(hm.integer_cols)
    start = np.array([v.value for v in hm.columns])  # the plan, as loaded (HiGHS holds the last LP it ran)
    plan = np.round(start[ints])
    ai = [hm.columns[i].name for i in ints].index("ai_new_blocks")
    assert plan[ai] >= 1
    start[ints] = plan - (np.arange(len(ints)) == ai)
    hm = HighsModel(build(sc).m)
    with hm.columns_held(ints, start[ints]):
        held = solve_model(hm, opts)
    del lps[:]
    again = solve_model(hm, opts, start=start, fixed_start=True)
    (design, kind, iterations, first), (root_design, root_kind, root_iterations, _) = lps[0], lps[1]
    assert design and kind == "Repriced" and iterations == 0  # the start: read from the held optimum
    assert first.obj / hm.scale == pytest.approx(held.objective, rel=1e-9)
    assert not root_design and root_kind == "Repriced"  # the root: on from that basis, not from scratch
    assert root_iterations < root_from_scratch / 2
    assert again.status == "optimal" and again.mip_gap <= TIGHT
    assert again.objective == pytest.approx(fresh.objective, rel=1e-9)
    assert again.objective > held.objective  # the search left the start
    assert np.array_equal(np.round([hm.columns[i].value for i in ints]), plan)


def test_marginal_units_skip_a_design_inside_a_box_the_branch_and_bound_proved_infeasible(monkeypatch):
    """A +-1 design inside the integer bounds of an LP the search proved infeasible (SolverStats.infeasible_boxes)
    has no plan: it is not solved, its marginal unit is None, and the other designs are solved as before."""
    import planner.run as run

    built, hm, opts, ints, plan, base = solved_plan_and_its_lp()
    name, var = next(iter(built.ctx.integers.items()))
    j = ints.index(hm.col_index[id(var)])
    box_lb = [float(v) for v in plan]
    box_lb[j] += 1  # "this fleet one more or above, the others anywhere": a box holding its plus_one design only
    box = (tuple(box_lb), tuple(math.inf if k == j else float(v) for k, v in enumerate(plan)))
    asked, evaluate = [], run.evaluate_designs

    def count(hm_, cols, designs, *args, **kwargs):
        asked.extend(tuple(d) for d in designs)
        return evaluate(hm_, cols, designs, *args, **kwargs)

    monkeypatch.setattr(run, "evaluate_designs", count)
    every = run.marginal_units(built, hm, opts, base)
    n_every = len(asked)
    skipped = run.marginal_units(built, hm, opts, base, infeasible=[box])
    assert len(asked) - n_every == n_every - 1  # the design in the box was not solved
    assert skipped[name]["plus_one"] is None
    for fleet, row in every.items():
        for label, value in row.items():
            if (fleet, label) != (name, "plus_one"):
                assert (value is None) == (skipped[fleet][label] is None)
                assert value is None or skipped[fleet][label] == pytest.approx(value, rel=1e-7, abs=1e-3)
