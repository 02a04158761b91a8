"""The faster paths of issue 20 give the answers of the slower ones: no timing is asserted anywhere.

- the "auto" MILP strategy is a function of the model alone, and two solves give the same plan bit for bit;
- marginal units hot-started from the plan's basis equal the old from-scratch values (exact identity:
  NPV at plan + 1 minus NPV at plan, each its own LP) to 1e-6;
- a re-priced sensitivity case solved warm (in place) has the NPV of the same case rebuilt cold.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from helpers import synthetic_site

from planner import sensitivity as sx
from planner.model import build
from planner.run import optimise
from planner.solve import HighsModel, SolveOptions, choose_strategy, evaluate_designs, lp_duals, solve_model

TIGHT = 1e-6


@pytest.mark.parametrize("techs, expected", [("few", "highs"), ("all", "bnb")])
def test_auto_strategy_is_read_off_the_model_and_two_solves_give_the_same_plan(techs, expected):
    sc = synthetic_site(72, techs)
    plans = []
    for _ in range(2):
        hm = HighsModel(build(sc).m)
        assert choose_strategy(hm, SolveOptions()) == expected  # one integer fleet -> HiGHS's MIP
        stats = solve_model(hm, SolveOptions(mip_gap=TIGHT))
        assert stats.status == "optimal"
        plans.append((stats.objective, np.array([v.value for v in hm.columns])))
    assert plans[0][0] == plans[1][0]
    assert np.array_equal(plans[0][1], plans[1][1])


def test_marginal_units_hot_from_the_plans_basis_equal_the_from_scratch_values():
    """The +-1 designs hot-started from the duals' LP basis against the same designs solved from scratch,
    and against the exact identity: marginal unit = NPV(design) - NPV(plan), both LPs of their own."""
    sc = synthetic_site(72, "all")
    hm = HighsModel(build(sc).m)
    opts = SolveOptions(mip_gap=TIGHT, strategy="bnb")
    solve_model(hm, opts)
    cols = np.asarray(hm.integer_cols, dtype=np.int32)
    plan = np.array([round(hm.columns[i].value) for i in cols], dtype=float)
    duals = lp_duals(hm, cols, plan, opts)
    designs = []
    for i in range(len(cols)):
        for step in (1, -1):
            if plan[i] + step >= 0:
                d = plan.copy()
                d[i] += step
                designs.append(d)
    basis = hm.h.getBasis()
    hot = evaluate_designs(hm, cols, designs, opts, basis=basis)
    scratch = evaluate_designs(hm, cols, [plan, *designs], opts)
    assert len(designs) >= 4 and all(v is not None for v in hot)
    assert duals.npv_usd == pytest.approx(scratch[0], rel=1e-9)
    for h, s in zip(hot, scratch[1:], strict=True):
        assert (h - duals.npv_usd) == pytest.approx(s - scratch[0], rel=1e-6, abs=1e-6 * abs(scratch[0]))
    # and what planner.run reports is that difference
    result = optimise(sc, opts, marginals=True)
    reported = [v for fleet in result.marginal_units.values() for v in fleet.values() if v is not None]
    assert sorted(reported) == pytest.approx(sorted(s - scratch[0] for s in scratch[1:]),
                                             rel=1e-6, abs=1e-6 * abs(scratch[0]))


def test_a_re_priced_case_has_the_same_npv_warm_and_cold():
    sc = synthetic_site(72, "all")
    cases = [sx.Case(0, {"gas.capex_usd_per_kw": 400.0}, "gas capex low"),
             sx.Case(1, {"battery.capex_usd_per_kwh": 150.0}, "battery capex low")]
    opts = SolveOptions(mip_gap=TIGHT)
    sx._CACHE.clear()
    warm = sx.run_cases(sc, cases, opts, workers=1, warm=True)
    cold = sx.run_cases(sc, cases, opts, workers=1, warm=False)
    sx._CACHE.clear()
    assert [r.warm for r in warm] == [True, True] and [r.warm for r in cold] == [False, False]
    for w, c in zip(warm, cold, strict=True):
        assert w.status == c.status == "ok"
        assert w.npv_usd == pytest.approx(c.npv_usd, rel=1e-6)


def test_every_warm_case_starts_from_the_base_solves_bases_whatever_came_before(monkeypatch):
    """A warm case re-solves from the base plan's and the base root's bases, not from the case solved before
    it: the same case gives the same path (its starting bases, hence its NPV bit for bit) alone or after
    another."""
    from planner.solve import bnb

    sc = synthetic_site(72, "all")
    low = sx.Case(0, {"gas.capex_usd_per_kw": 400.0}, "gas capex low")
    high = sx.Case(1, {"battery.capex_usd_per_kwh": 600.0}, "battery capex high")
    opts = SolveOptions(mip_gap=TIGHT, strategy="bnb")
    starts = []
    solve = bnb.solve_bnb

    def recording(hm, *args, **kwargs):
        starts.append((hm.h.getBasis().col_status, hm.root_basis.col_status if hm.root_basis else None))
        return solve(hm, *args, **kwargs)

    monkeypatch.setattr(bnb, "solve_bnb", recording)
    sx._CACHE.clear()
    alone = sx.run_cases(sc, [high], opts, workers=1, warm=True)
    sx._CACHE.clear()
    after = sx.run_cases(sc, [low, high], opts, workers=1, warm=True)
    sx._CACHE.clear()
    assert [r.warm for r in alone + after] == [True] * 3
    base_solve, alone_start, base_again, low_start, high_start = starts
    assert list(base_solve[0]) != list(alone_start[0])  # no basis before the base solve; the plan's after
    for case_start in (alone_start, low_start, high_start):
        assert list(case_start[0]) == list(alone_start[0]) and list(case_start[1]) == list(alone_start[1])
    assert after[1].npv_usd == alone[0].npv_usd and after[1].sizes == alone[0].sizes


def _solved_site():
    """The 72-hour all-technology site, built and solved by the branch and bound: (sc, built, hm, opts)."""
    sc = synthetic_site(72, "all")
    built = build(sc)
    hm = HighsModel(built.m)
    opts = SolveOptions(mip_gap=TIGHT, strategy="bnb")
    solve_model(hm, opts)
    return sc, built, hm, opts


def _root_lp(hm, opts, start):
    """The root LP (every integer relaxed) on the model's own instance from `start`: (_Solved, iterations)."""
    from planner.solve.bnb import _Pool

    pool = _Pool(hm, hm.integer_cols, opts, time.perf_counter() + 600, 1)
    try:
        r = pool.lps[0].solve(pool.lb0, pool.ub0, start, pool.held_cap)
        return r, hm.h.getInfo().simplex_iteration_count
    finally:
        pool.close()


def test_a_re_priced_root_starts_primal_from_the_last_roots_basis():
    """After a branch and bound the instance keeps its root's basis; a root LP started from it (Repriced) is
    already optimal when no price changed (no simplex iteration), and after a re-pricing it reaches the
    optimum of the same LP solved from scratch."""
    from planner.solve import reprice
    from planner.solve.bnb import Repriced

    sc, built, hm, opts = _solved_site()
    assert hm.root_basis is not None and hm.root_basis.valid

    def root(start):
        r, iterations = _root_lp(hm, opts, start)
        return r.obj, iterations

    same, iterations = root(Repriced(hm.root_basis))
    scratch, scratch_iterations = root(None)
    assert iterations == 0 < scratch_iterations and same == pytest.approx(scratch, rel=1e-9)
    cheap = sc.copy()  # gas costs half: the root LP can only gain
    cheap.gas.capex_usd_per_kw *= 0.5  # a price only: the root basis stays primal feasible
    reprice(built, hm, cheap)
    repriced, iterations = root(Repriced(hm.root_basis))
    scratch, scratch_iterations = root(None)
    assert repriced == pytest.approx(scratch, rel=1e-9) and repriced > same
    assert iterations < scratch_iterations  # counts, not times: the reason for the path


def test_a_re_priced_root_that_would_move_the_design_is_solved_from_scratch():
    """The probe of a Repriced start with a limit measures the largest reduced-cost violation the new costs
    leave at its basis (none beyond the tolerance when no price changed); above the limit the LP is solved from
    scratch with presolve, exactly as a cold root (same iterations, same optimum); without a limit, no probe."""
    from planner.solve import reprice
    from planner.solve.bnb import Repriced

    sc, built, hm, opts = _solved_site()
    tol = hm.h.getOptionValue("dual_feasibility_tolerance")[1]

    def root(start):
        return _root_lp(hm, opts, start)

    unchanged, iterations = root(Repriced(hm.root_basis, max_dual_infeasibility=tol))
    assert unchanged.start_dual_infeasibility <= tol and iterations == 0  # optimal where it starts
    cheap = sc.copy()
    cheap.gas.capex_usd_per_kw *= 0.5  # the gas size's cost: the root's relaxed design moves
    reprice(built, hm, cheap)
    basis = hm.root_basis
    assert math.isnan(root(Repriced(basis))[0].start_dual_infeasibility)  # no limit: not measured
    warm, warm_iterations = root(Repriced(basis, math.inf))  # measured, never exceeded
    assert warm.start_dual_infeasibility > tol  # the gas size (or an hour it sets) now pays to move
    limited, limited_iterations = root(Repriced(basis, max_dual_infeasibility=0.5 * warm.start_dual_infeasibility))
    scratch, scratch_iterations = root(None)
    assert limited.start_dual_infeasibility == warm.start_dual_infeasibility  # the same probe, before solving
    assert limited_iterations == scratch_iterations != warm_iterations  # from scratch, not from the basis
    assert limited.obj == pytest.approx(scratch.obj, rel=1e-12) and warm.obj == pytest.approx(scratch.obj, rel=1e-9)


@pytest.mark.parametrize("base_price, case_price", [(40.0, 110.0), (200.0, 40.0)], ids=["up", "down"])
def test_a_re_priced_one_integer_case_walks_along_its_integer_to_the_mip_optimum(base_price, case_price):
    """One integer (the mining fleet): the LP's optimum with the fleet fixed is concave in its size, so a warm case
    walks from the base plan's fleet one container at a time (planner/solve/bnb.py: solve_one_integer). The walk
    takes the start, one LP per container moved and the first neighbour that is no better: |k1 - k0| + 2 LPs,
    and ends at HiGHS's MIP optimum from scratch."""
    from planner.sensitivity import set_param
    from planner.solve import reprice

    hashprice = "mining.hashprice_usd_per_ph_day"
    base_sc = synthetic_site(168, "few")
    set_param(base_sc, hashprice, base_price)
    case_sc = base_sc.copy()
    set_param(case_sc, hashprice, case_price)
    opts = SolveOptions(mip_gap=1e-9)
    k0 = optimise(base_sc, opts, marginals=False).new_sizes["mining_new_containers"]
    cold = optimise(case_sc, opts, marginals=False)  # HiGHS's MIP, from scratch
    k1 = cold.new_sizes["mining_new_containers"]
    assert cold.solver.solver == "HiGHS" and abs(k1 - k0) >= 5  # 0 <-> 5 containers
    sx._CACHE.clear()
    try:
        sx.cache_base(base_sc, opts)
        built, hm, start, (plan_basis, _) = sx._CACHE[sx._key(base_sc)]
        assert plan_basis.valid  # HiGHS's MIP keeps none: the cache solved the plan's LP for it
        hm.h.clearSolver()
        hm.h.setBasis(plan_basis)
        reprice(built, hm, case_sc)
        stats = solve_model(hm, opts, start=start)
        assert stats.solver == "HiGHS (LP) + planner walk over one integer"
        assert stats.status == "optimal" and stats.mip_gap == 0.0 and stats.bound == stats.objective
        assert stats.nodes == abs(k1 - k0) + 2
        assert round(hm.columns[hm.integer_cols[0]].value) == k1
        assert stats.objective == pytest.approx(cold.npv_usd, rel=1e-9)
        warm = sx.run_cases(base_sc, [sx.Case(0, {hashprice: case_price}, "hashprice")], opts, warm=True)[0]
        assert warm.warm and warm.npv_usd == pytest.approx(cold.npv_usd, rel=1e-9)
    finally:
        sx._CACHE.clear()
