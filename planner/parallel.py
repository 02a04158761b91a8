"""Run picklable jobs in local worker processes or on a Dask scheduler, and stop them cleanly on a signal.

Local processes: the pool's workers ignore SIGINT (Ctrl-C reaches the whole process group; the parent
decides) and die at once on SIGTERM/SIGHUP (a worker writes nothing). The parent waits for results in
short steps, so its signal handler (planner/solve/stop.py) runs within a fraction of a second; on
Interrupted, or any other error, it stops submitting, cancels what has not started and terminates
every worker process (SIGTERM, then SIGKILL after a grace period), so no worker outlives it.

Dask: the scheduler is checked with a timeout before any work (`check_dask`); on a stop the pending
futures are cancelled on the cluster.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from planner.errors import SetupError
from planner.solve.stop import SIGNALS, check, reset_signal_handlers_in_child

POLL_S = 0.2  # how often the parent looks up from waiting (its signal handler runs in between)
GRACE_S = 2.0  # after SIGTERM, a worker that has not ended is killed
DASK_TIMEOUT_S = 10.0  # a Dask scheduler that does not answer within this is reported as unreachable


def _worker_init() -> None:
    reset_signal_handlers_in_child()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)  # blocked by the parent around the fork


def terminate_workers(pool: ProcessPoolExecutor) -> list[int]:
    """SIGTERM every worker process of the pool, SIGKILL those still alive after GRACE_S; their PIDs."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # Python 3.14 has pool.terminate_workers()
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(GRACE_S)
        if p.is_alive():
            p.kill()
            p.join(GRACE_S)
    return [p.pid for p in procs]


def run_in_processes(fn: Callable, jobs: Iterable, workers: int, done: Callable) -> None:
    """Call fn(job) for every job in `workers` processes; done(result) in the parent as each finishes."""
    jobs = list(jobs)
    pool = None
    try:
        # signals blocked while the workers are forked: a worker never runs the parent's handler (a signal
        # that came meanwhile is handled when they are unblocked, inside this try)
        old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
            pending = {pool.submit(fn, j) for j in jobs}  # the pool forks its workers on these submissions
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        while pending:
            finished, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            check()
            for f in finished:
                done(f.result())
    except BaseException:
        if pool is not None:
            terminate_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def dask_client(address: str, timeout_s: float = DASK_TIMEOUT_S):
    """A connected distributed.Client, or SetupError (exit 2) if Dask is missing or the address does not answer."""
    try:
        from distributed import Client
    except ImportError as e:
        raise SetupError(f"--dask {address}: the Dask distributed package is not installed "
                         f"(pip install 'dask[distributed]')") from e
    try:
        return Client(address, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError, TypeError) as e:
        raise SetupError(f"--dask {address}: no Dask scheduler answered within {timeout_s:g} s "
                         f"({type(e).__name__}: {e}); check the address (e.g. tcp://host:8786) and that the "
                         f"scheduler is running") from e


def check_dask(address: str, timeout_s: float = DASK_TIMEOUT_S) -> None:
    """Connect to the Dask scheduler and disconnect: SetupError now rather than after a long solve."""
    dask_client(address, timeout_s).close()


def run_on_dask(fn: Callable, jobs: Iterable, address: str, done: Callable) -> None:
    """Submit fn(job) for every job to the Dask scheduler; done(result) as each finishes; cancel on a stop."""
    from distributed import as_completed

    with dask_client(address) as client:
        futures = [client.submit(fn, j, pure=False) for j in jobs]
        try:
            for batch in as_completed(futures, with_results=False).batches():
                check()
                for fut in batch:
                    done(fut.result())
        except BaseException:
            client.cancel(futures)
            raise
