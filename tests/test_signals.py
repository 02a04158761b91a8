"""Issue 15 item 8: SIGINT, SIGTERM and SIGHUP stop a run like Ctrl-C: HiGHS stops, worker processes end,
nothing is written, exit 128 + signal. Real signals on real processes; real HiGHS solves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import psutil
import pytest
from helpers import synthetic_site

from planner.model import build
from planner.paths import REPO_ROOT
from planner.solve import HighsModel, SolveOptions, solve_model, stop


@pytest.fixture(autouse=True)
def no_stop_left_over():
    stop.clear_stop()
    yield
    stop.clear_stop()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """The template site (a full year, solved on 4 typical days per case) with its 10 Sensitivity rows."""
    from planner.scenario.template import template_scenario, write_workbook

    return write_workbook(template_scenario(), tmp_path_factory.mktemp("wb") / "site.xlsx")


def _wait_for(pred, what: str, proc: subprocess.Popen, limit_s: float = 600.0):
    """Poll until pred() is true; a safety net against a hung test, not a timing assertion."""
    t0 = time.monotonic()
    while not pred():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the planner ended (exit {proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() - t0 > limit_s:
            proc.kill()
            pytest.fail(f"no {what} after {limit_s:g} s")
        time.sleep(0.05)


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize("sig,code,to_group", [(signal.SIGTERM, 143, False), (signal.SIGHUP, 129, False),
                                               (signal.SIGINT, 130, True)],
                         ids=["sigterm", "sighup", "ctrl-c-to-the-process-group"])
def test_item8_signal_during_sensitivity_workers_ends_every_worker_and_writes_nothing(workbook, tmp_path, sig, code,
                                                                                      to_group):
    """`--samples 200 --workers 2` runs for many minutes; the signal comes as soon as both workers exist.
    Ctrl-C in a terminal reaches the whole process group (the workers too), so SIGINT goes to the group."""
    out = tmp_path / "out" / "sens"
    proc = subprocess.Popen([sys.executable, "-m", "planner.cli", "sensitivity", str(workbook), "--samples", "200",
                             "--typical-days", "4", "--workers", "2", "-o", str(out)], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    parent = psutil.Process(proc.pid)
    _wait_for(lambda: len(parent.children(recursive=True)) >= 2, "two worker processes", proc)
    workers = [p.pid for p in parent.children(recursive=True)]
    if to_group:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    out_text, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert f"interrupted by {sig.name}: stopped, nothing was written" in err
    assert "Traceback" not in err
    assert all(_gone(pid) for pid in workers), [psutil.Process(p).cmdline() for p in workers if not _gone(p)]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []  # no output, no temp folder


def test_item8_sigterm_during_planner_run_exits_143_and_writes_nothing(workbook, tmp_path):
    """The signal comes once the solve has been announced (the model is being built or solved)."""
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "planner.cli", "run", str(workbook), "-o", str(out)],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert "solving with HiGHS" in line, line
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "interrupted by SIGTERM" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_item8_a_stop_request_interrupts_a_running_highs_lp():
    """request_stop() from inside HiGHS's own iteration callback (as a signal handler would): the run stops at
    the next iteration and raises Interrupted; after clear_stop() the same model solves to its optimum."""
    sc = synthetic_site(672, "all")
    hm = HighsModel(build(sc).m)
    hm.relax_integers()
    iterations = []

    def stop_at_100(_e):
        iterations.append(1)
        if len(iterations) == 100:
            stop.request_stop(signal.SIGTERM)

    hm.h.cbSimplexInterrupt.subscribe(stop_at_100)
    with pytest.raises(stop.Interrupted) as e:
        solve_model(hm, SolveOptions())
    hm.h.cbSimplexInterrupt.unsubscribe(stop_at_100)
    assert e.value.exit_code == 143
    stopped_after = hm.h.getInfo().simplex_iteration_count
    assert stopped_after <= 101  # HiGHS stopped at the iteration after the request
    stop.clear_stop()
    hm.h.clearSolver()
    stats = solve_model(hm, SolveOptions())
    assert stats.status == "optimal"
    assert hm.h.getInfo().simplex_iteration_count > 10 * stopped_after  # the full solve needs far more


def test_item8_stop_during_branch_and_bound_with_parallel_lps_leaves_the_model_usable():
    """The stop is requested from the progress callback after the first round; the next round's LPs (in the
    pool's threads) raise Interrupted, the pool is closed, and the model solves again to the same optimum."""
    sc = synthetic_site(168, "all")
    hm = HighsModel(build(sc).m)
    opts = SolveOptions(mip_gap=1e-6, threads=2)
    reference = solve_model(HighsModel(build(sc).m), opts)
    assert reference.nodes > 2  # the search needs more than one round

    def stop_now(_state):
        stop.request_stop(signal.SIGHUP)

    before = set(threading.enumerate())
    with pytest.raises(stop.Interrupted) as e:
        solve_model(hm, opts, progress=stop_now)
    assert e.value.exit_code == 129
    assert not [t for t in threading.enumerate() if t not in before and t.is_alive()]  # the pool's threads ended
    stop.clear_stop()
    again = solve_model(hm, opts)
    assert again.status == "optimal"
    assert again.objective == pytest.approx(reference.objective, rel=1e-9)
    assert np.isfinite(again.bound)


def test_item8_sigterm_inside_highs_mip_solver_exits_143_and_writes_nothing(tmp_path):
    """HiGHS's MIP solver on a full year: the signal comes once the solver's first progress line shows it
    is inside HiGHS (presolve or the root LP, phases that may call no callback for tens of seconds). HiGHS
    stops at its next callback or the watcher ends the process after GRACE_S: exit 143 either way."""
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "planner.cli", "run",
                             str(REPO_ROOT / "inputs" / "examples" / "west_texas.xlsx"), "-o", str(out),
                             "--mip-strategy", "highs"],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    assert "no plan yet" in line or "incumbent" in line, line  # the solver's progress: HiGHS is running
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "interrupted by SIGTERM" in err and "nothing was written" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_installing_the_signal_handlers_again_keeps_one_watch_thread():
    """The CLI's entry point run several times in one process (in-process CLI tests) used to leave one watch
    thread per run behind (12 in the suite), which also kept tests/helpers.py's edited_copy on its slow path."""
    import threading

    from planner.solve.stop import install_signal_handlers

    install_signal_handlers()
    install_signal_handlers()
    assert [t.name for t in threading.enumerate()].count("planner-signal-watch") == 1
