"""Interrupt latency on a real full-year model (docs/performance.md, "Stopping a run").

    python -m benchmarks.bench_interrupt [--site west_texas] [--at 0.5 2 5 9] [--cli-at 8 14]

1. In-process: a timer thread calls planner.solve.stop.request_stop() t seconds into the solve; prints the
   time from the request to Interrupted, for the branch and bound and for HiGHS's MIP solver.
2. Command line: `planner run` and `planner sensitivity --tornado --workers 2` get a real signal t seconds
   after they start; prints the time until the process has exited, its exit code, and how many of its
   child processes are still alive afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from planner.paths import INPUTS_DIR, REPO_ROOT


def _ask(asked: list[float]) -> None:
    from planner.solve import stop

    asked.append(time.perf_counter())
    stop.request_stop()


def in_process(site: str, at: list[float]) -> None:
    from planner.model import build
    from planner.scenario.reader import read_workbook
    from planner.solve import HighsModel, SolveOptions, solve_model, stop

    sc = read_workbook(INPUTS_DIR / "examples" / f"{site}.xlsx")
    for strategy in ("bnb", "highs"):
        for t in at:
            stop.clear_stop()
            hm = HighsModel(build(sc).m)
            asked: list[float] = []
            timer = threading.Timer(t, _ask, args=(asked,))
            timer.start()
            t0 = time.perf_counter()
            try:
                s = solve_model(hm, SolveOptions(strategy=strategy))
                timer.cancel()
                print(f"{strategy:5s} stop at {t:5.1f} s: the solve ended first ({s.status}, "
                      f"{time.perf_counter() - t0:.1f} s)", flush=True)
            except stop.Interrupted:
                print(f"{strategy:5s} stop at {t:5.1f} s: stopped {time.perf_counter() - asked[0]:.3f} s after the "
                      f"request", flush=True)
    stop.clear_stop()


def command_line(site: str, at: list[float]) -> None:
    import psutil

    wb = str(INPUTS_DIR / "examples" / f"{site}.xlsx")
    tmp = tempfile.mkdtemp(prefix="bench-interrupt-")
    commands = {"run": ["run", wb, "--no-report"], "run highs": ["run", wb, "--no-report", "--mip-strategy", "highs"],
                "sensitivity": ["sensitivity", wb, "--tornado", "--workers", "2"]}
    try:
        for name, args in commands.items():
            for sig in (signal.SIGINT, signal.SIGTERM):
                for t in at:
                    out = os.path.join(tmp, "out")
                    proc = subprocess.Popen([sys.executable, "-m", "planner.cli", *args, "-o", out], cwd=REPO_ROOT,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            start_new_session=True)
                    time.sleep(t)
                    if proc.poll() is not None:
                        print(f"{name:12s} {sig.name} at {t:5.1f} s: ended first (exit {proc.returncode})")
                        continue
                    children = psutil.Process(proc.pid).children(recursive=True)
                    t1 = time.perf_counter()
                    if sig == signal.SIGINT:
                        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal reaches the whole process group
                    else:
                        proc.send_signal(sig)
                    proc.wait()
                    latency = time.perf_counter() - t1
                    alive = [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
                    print(f"{name:12s} {sig.name} at {t:5.1f} s: exit {proc.returncode} after {latency:.2f} s; "
                          f"{len(children)} child process(es) then, {len(alive)} alive after; output written: "
                          f"{os.path.exists(out)}", flush=True)
                    for c in alive:  # orphans of this benchmark's own run
                        c.kill()
                    shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default="west_texas")
    ap.add_argument("--at", type=float, nargs="+", default=[0.5, 2.0, 5.0, 9.0])
    ap.add_argument("--cli-at", type=float, nargs="+", default=[8.0, 45.0])
    a = ap.parse_args()
    in_process(a.site, a.at)
    command_line(a.site, a.cli_at)


if __name__ == "__main__":
    main()
