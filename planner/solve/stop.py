"""One process-wide "stop requested" flag that every HiGHS run checks, and the signal handlers that set it.

Python runs signal handlers in the main thread only, between bytecodes: while HiGHS works in C (in the
main thread, or in the branch and bound's worker threads) a KeyboardInterrupt would wait for the run to
end, and raising inside HiGHS's callbacks would unwind through C++. So:

- `run_highs(h)` runs every HiGHS solve of the planner. It subscribes HiGHS's interrupt callbacks
  (simplex, IPM and MIP; HiGHS calls them about once per simplex iteration), which set
  `user_interrupt` as soon as a stop is requested, and raises `Interrupted` when the run comes back
  (in whichever thread it ran);
- `install_signal_handlers()` (the CLI calls it) makes SIGINT, SIGTERM and SIGHUP request the stop.
  If the main thread is inside HiGHS at that moment the handler only sets the flag (HiGHS stops at its
  next callback and `run_highs` raises); anywhere else it raises `Interrupted` at once, as Ctrl-C
  raises KeyboardInterrupt. Later signals while the run stops are ignored (the cleanup, e.g. removing
  a temporary folder, is not cut short).
- A Python handler runs only when the main thread runs Python, and some phases of HiGHS call no
  callback for a long time (its MIP solver's root LP: 40 s on a full year, measured in
  docs/performance.md). So a watcher thread also wakes on every signal (`signal.set_wakeup_fd`): it sets
  the flag at once, and if the process is still alive `GRACE_S` later it ends the worker processes and
  exits with 128 + the signal. Nothing is being written then: a write is Python code, where the
  handler raises at once and the cleanup takes milliseconds.

`Interrupted` is a KeyboardInterrupt: `except Exception` never swallows it, and code that cleans up on
KeyboardInterrupt cleans up on SIGTERM and SIGHUP too. Its `exit_code` is 128 + the signal number
(130 SIGINT, 143 SIGTERM, 129 SIGHUP).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading

STOP = threading.Event()  # set when a stop is requested; every HiGHS run checks it through its callbacks
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_signum = signal.SIGINT  # the signal that requested the stop (SIGINT for request_stop() without one)
_in_highs = 0  # > 0 while the main thread is inside HiGHS (the handler must not raise there)
_raised = False  # Interrupted was raised once: later signals do not raise again during the cleanup
GRACE_S = 3.0  # a process still alive this long after a signal exits at once (see the module docstring)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (or `request_stop()`); nothing is written."""

    def __init__(self, signum: int = signal.SIGINT):
        self.signum = int(signum)
        self.exit_code = 128 + self.signum
        super().__init__(f"interrupted by {signal.Signals(self.signum).name}")


def request_stop(signum: int = signal.SIGINT) -> None:
    """Ask every running and later HiGHS run of this process to stop (safe from any thread)."""
    global _signum
    if not STOP.is_set():
        _signum = signum
    STOP.set()


def stop_requested() -> bool:
    return STOP.is_set()


def clear_stop() -> None:
    """Forget a stop request (a new run in the same process, e.g. a test or a worker process after fork)."""
    global _signum, _raised
    STOP.clear()
    _signum = signal.SIGINT
    _raised = False


def check() -> None:
    """Raise Interrupted if a stop was requested."""
    global _raised
    if STOP.is_set():
        _raised = True
        raise Interrupted(_signum)


def _on_callback(e) -> None:
    e.interrupt(STOP.is_set())  # also clears the flag HiGHS keeps from an earlier interrupted run of the instance


def run_highs(h):
    """h.run(), stopped within a simplex iteration or MIP callback of a stop request; Interrupted if stopped."""
    global _in_highs
    check()
    in_main = threading.current_thread() is threading.main_thread()
    callbacks = (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt)
    for cb in callbacks:
        cb.subscribe(_on_callback)
    if in_main:
        _in_highs += 1
    try:
        status = h.run()
    finally:
        if in_main:
            _in_highs -= 1
        for cb in callbacks:
            cb.unsubscribe(_on_callback)
    check()
    return status


def _handler(signum, _frame) -> None:
    global _raised
    request_stop(signum)
    if _raised or _in_highs:
        return  # inside HiGHS: run_highs raises when it returns; already raised: let the cleanup finish
    _raised = True
    raise Interrupted(signum)


def _hard_exit(signum: int) -> None:
    """The process did not end GRACE_S after the signal: end the worker processes and exit now."""
    for p in multiprocessing.active_children():
        p.terminate()
    for p in multiprocessing.active_children():
        p.join(1.0)
        if p.is_alive():
            p.kill()
    sys.stderr.write(f"interrupted by {signal.Signals(signum).name}: HiGHS was in a phase that does not look for "
                     f"interrupts, so the run was ended after {GRACE_S:g} s; nothing was written\n")
    sys.stderr.flush()
    os._exit(128 + signum)


def _watch(fd: int) -> None:
    """Wake on every signal the process gets (even while the main thread is in C): request the stop, arm
    the hard exit."""
    armed = False
    while True:
        try:
            data = os.read(fd, 64)
        except OSError:
            return
        if not data:
            return
        for signum in data:
            if signum not in SIGNALS:
                continue
            request_stop(signum)
            if not armed:
                armed = True
                timer = threading.Timer(GRACE_S, _hard_exit, args=(signum,))
                timer.daemon = True
                timer.start()


_WATCHER: tuple[threading.Thread, int, int] | None = None  # this process's watch thread, its pipe's write end, pid


def install_signal_handlers() -> None:
    """SIGINT, SIGTERM and SIGHUP request the stop (call from the main thread, e.g. the CLI's entry point).

    One watch thread per process: called again (the CLI's entry point run several times in one process, as the
    tests do), it points the wakeup at the running watcher instead of starting another.
    """
    global _WATCHER
    for s in SIGNALS:
        signal.signal(s, _handler)
    if _WATCHER is not None and _WATCHER[2] == os.getpid() and _WATCHER[0].is_alive():
        signal.set_wakeup_fd(_WATCHER[1], warn_on_full_buffer=False)
        return
    r, w = os.pipe()
    os.set_blocking(w, False)
    signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    watcher = threading.Thread(target=_watch, args=(r,), name="planner-signal-watch", daemon=True)
    watcher.start()
    _WATCHER = (watcher, w, os.getpid())


def reset_signal_handlers_in_child() -> None:
    """For a worker process forked from a planner process: the parent decides when the workers stop.

    SIGINT (Ctrl-C reaches the whole process group) is ignored, SIGTERM and SIGHUP end the worker at
    once (the default action; a worker writes nothing), and a stop flag copied from the parent is cleared.
    """
    signal.set_wakeup_fd(-1)  # the pipe is the parent's
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    clear_stop()
