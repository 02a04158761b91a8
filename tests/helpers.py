"""Small hand-checkable scenarios built in Python (no workbook), for model unit tests; a headless-Chromium probe."""

from __future__ import annotations

import os
import pickle
import shutil
import threading
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.scenario.inputs import HOURLY_COLUMNS
from planner.scenario.scenario import Scenario


def annuity(d: float, n: int) -> float:
    """Present worth of 1 USD a year at the end of years 1..n, discounted at d."""
    return (1 - (1 + d) ** -n) / d


def pv_of_years(d: float, ys) -> float:
    """Present worth of 1 USD at the end of each of the years ys."""
    return sum((1 + d) ** -y for y in ys)


def check_consistency(r) -> None:
    """Every hour balances and the pro-forma reproduces the objective."""
    assert np.abs(r.dispatch["balance_residual_mw"]).max() < 1e-6
    assert abs(r.proforma.npv_usd - r.npv_usd) <= 1e-6 * max(1.0, abs(r.npv_usd))


def small_scenario(hours: int = 24, weight: float | None = None, **columns) -> Scenario:
    """A scenario with every technology disabled, catalog fields set by hand, and flat hourly data.

    `weight` defaults to 8760 / hours so annual sums look like a full year. Hourly columns may be
    given as scalars or arrays via keyword arguments (e.g. pv_cf=[...], export_price_usd_per_mwh=30).
    """
    sc = Scenario()
    sc.site.name = "test-site"
    for tech in (sc.pv, sc.wind, sc.gas, sc.hydro, sc.geothermal, sc.nuclear, sc.battery, sc.site_load, sc.ai,
                 sc.mining):
        tech.enabled = False
    sc.grid.connected = False
    g = sc.gas
    g.unit_mw, g.heat_rate_mmbtu_per_mwh, g.capex_usd_per_kw = 1.0, 8.5, 1500.0
    g.fom_usd_per_kw_year, g.vom_usd_per_mwh, g.life_years = 0.0, 0.0, 20
    for f in (sc.geothermal, sc.nuclear):
        f.unit_mw, f.capex_usd_per_kw, f.fom_usd_per_kw_year = 20.0, 5000.0, 0.0
        f.vom_usd_per_mwh, f.fuel_usd_per_mwh, f.availability, f.min_load_fraction, f.life_years = 0, 0, 1.0, 0, 40
    sc.wind.turbine_mw = 4.2
    sc.wind.resource = "capacity_factor"
    a = sc.ai
    a.gpus_per_server, a.server_kw, a.server_price_usd, a.gpu_hour_price_usd = 8, 10.0, 300000.0, 2.0
    m = sc.mining
    m.asic_efficiency_j_per_th, m.asic_price_usd_per_th = 15.0, 10.0
    m.asic_power_w = 4000.0  # 250 whole ASICs fill a 1-MW container at PUE 1 exactly
    data = {"timestamp": pd.date_range("2013-01-01", periods=hours, freq="h")}
    defaults = {c.name: 0.0 for c in HOURLY_COLUMNS}
    defaults["firm_available_fraction"] = 1.0
    defaults["ai_utilisation"] = 1.0
    defaults.update(columns)
    for name, v in defaults.items():
        data[name] = np.broadcast_to(np.asarray(v, dtype=float), (hours,)).copy()
    df = pd.DataFrame(data)
    df["weight"] = 8760.0 / hours if weight is None else weight
    sc.hourly = df
    return sc


def synthetic_site(hours: int, techs: str):
    """A seeded synthetic site of `hours` steps (weights scale to a year); few = PV+battery+grid+mining."""
    rng = np.random.default_rng(0)
    h = np.arange(hours) % 24
    day = np.arange(hours) // 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None) * (0.6 + 0.4 * rng.random(hours))
    wind = np.clip(0.35 + 0.25 * np.sin(day / 9.0) + 0.15 * rng.standard_normal(hours), 0, 1)
    price = np.clip(30 + 20 * np.sin((h - 14) / 24 * 2 * np.pi) + 10 * rng.standard_normal(hours), -20, None)
    sc = small_scenario(hours, pv_cf=pv, wind_cf=wind, export_price_usd_per_mwh=price,
                        import_price_usd_per_mwh=price + 10, ai_utilisation=0.85, gas_supply_mmbtu_per_h=40.0,
                        hydro_flow_m3s=8.0)
    on = [sc.pv, sc.battery, sc.mining] + ([sc.wind, sc.gas, sc.hydro, sc.nuclear, sc.ai] if techs == "all" else [])
    for t in on:
        t.enabled = True
    sc.grid.connected, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = True, 40.0, 5.0
    sc.nuclear.unit_mw, sc.nuclear.max_new_units, sc.nuclear.min_load_fraction = 10.0, 2, 0.5
    sc.ai.max_new_blocks, sc.ai.server_kw, sc.ai.server_price_usd = 10, 10.2, 320000.0
    return sc


_LOADED: dict[tuple[str, int, int], object] = {}


def _loaded_workbook(src: Path):
    """The workbook at `src` loaded once per process with openpyxl (keyed by path, size and mtime), for
    edited_copy alone: nothing may touch it (even reading a cell that is not there creates it)."""
    import openpyxl

    st = Path(src).stat()
    key = (str(Path(src).resolve()), st.st_size, st.st_mtime_ns)
    book = _LOADED.pop(key, None)
    if book is None:
        book = openpyxl.load_workbook(src)
    _LOADED[key] = book  # the most recently used last; at most two kept (~60 MB each for a full year)
    while len(_LOADED) > 2:
        del _LOADED[next(iter(_LOADED))]
    return book


def field_row_of(path: Path, sheet: str, name: str) -> int:
    """The row of the field `name` (column A) in a parameter sheet of the workbook at `path` (read-only load)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for i, row in enumerate(wb[sheet].iter_rows(max_col=1, values_only=True), start=1):
            if i >= 3 and row and row[0] == name:
                return i
    finally:
        wb.close()
    raise KeyError(f"{sheet}: no row for {name}")


# threads that may run while edited_copy forks: the CLI's signal watcher (planner/solve/stop.py, one per process)
# only waits in os.read on its own pipe, holding no lock a child could need
# threads a fork may leave behind: each only sleeps and wakes, holding nothing the forked child (openpyxl editing
# and saving one workbook) takes: the planner's signal watcher and tqdm's monitor (started by tsam's progress bars)
IDLE = ("planner-signal-watch", "tqdm_monitor")


class EditedCopy:
    """`src` edited by `edit(wb)` and saved at `dest`, started at once: answer() is what `edit` returned (as soon
    as the edit is done), wait() returns once the file is saved. edited_copy is the two in a row.

    The same file as `wb = openpyxl.load_workbook(src); edit(wb); wb.save(dest)`, without loading `src` again:
    `src` is loaded once (_loaded_workbook; a full-year workbook takes seconds), and each edit runs in a forked
    child on its copy-on-write copy, so the loaded book is never touched (and the caller may work while the child
    saves). Without fork, or with other Python threads running (a fork copies no other thread, perhaps one holding
    a lock), it is that plain load, edit and save, done before the constructor returns."""

    def __init__(self, src: Path, dest: Path, edit: Callable):
        import openpyxl

        self.src, self.dest, self.pid, self._answer, self._pipe = Path(src), Path(dest), None, None, None
        others = [t.name for t in threading.enumerate() if t is not threading.main_thread() and t.name not in IDLE]
        if not hasattr(os, "fork") or others:
            if hasattr(os, "fork"):  # slower, not wrong: say so, so that a thread left behind by a test is seen
                warnings.warn(f"edited_copy: {len(others)} other thread(s) running ({others}): loading "
                              f"{self.src.name} again", stacklevel=3)
            wb = openpyxl.load_workbook(src)
            try:
                self._answer = ("ok", edit(wb))
            except Exception as e:  # as the forked path raises it: RuntimeError with the edit's traceback
                raise RuntimeError(f"editing {self.src.name} into {self.dest.name} failed:\n"
                                   f"{traceback.format_exc()}") from e
            wb.save(dest)
            return
        book = _loaded_workbook(src)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: edit its own copy, hand back the answer, save, say so, and leave at once
            status = 0
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as f:
                    try:
                        answer = edit(book)
                        pickle.dump(("ok", answer), f)
                        f.flush()
                        book.save(dest)
                        pickle.dump(("saved", None), f)
                    except BaseException:  # raised in the parent, with the child's traceback
                        pickle.dump(("error", traceback.format_exc()), f)
                        status = 1
            finally:
                os._exit(status)  # never pytest's teardown or atexit handlers in the child
        os.close(write_end)
        self.pid, self._pipe = pid, os.fdopen(read_end, "rb")

    def _next(self) -> tuple[str, object]:
        try:
            kind, value = pickle.load(self._pipe)
        except EOFError:
            _, wait_status = os.waitpid(self.pid, 0)
            self.pid = None
            raise RuntimeError(f"the child writing {self.dest.name} died (wait status {wait_status})") from None
        if kind == "error":
            self.wait_quietly()
            raise RuntimeError(f"editing {self.src.name} into {self.dest.name} failed:\n{value}")
        return kind, value

    def answer(self):
        """What the edit returned (pickled back from the child)."""
        if self._answer is None:
            self._answer = self._next()
        return self._answer[1]

    def wait(self) -> Path:
        """Wait until the edited copy is saved; returns its path."""
        self.answer()
        if self.pid is not None:
            kind, _ = self._next()
            assert kind == "saved", kind
            self.wait_quietly()
        return self.dest

    def wait_quietly(self) -> None:
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None


def edited_copy(src: Path, dest: Path, edit: Callable):
    """Save at `dest` the workbook `src` edited by `edit(wb)`, and return what `edit` returns: the same file as
    `wb = openpyxl.load_workbook(src); edit(wb); wb.save(dest)`, without loading `src` again (EditedCopy)."""
    job = EditedCopy(src, dest, edit)
    answer = job.answer()
    job.wait()
    return answer


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class PageSeen:
    """What headless Chromium saw while loading a page."""

    url: str
    title: str = ""
    text: str = ""  # the text content of the body, as the reader sees it (markup shown as text stays text)
    pwned: str = ""  # typeof window.__pwned: "undefined" unless an injected script ran
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught page errors
    requests: list[str] = field(default_factory=list)
    inspected: object = None


def open_in_chromium(path: Path, inspect: Callable | None = None, screenshot: Path | None = None) -> PageSeen:
    """Load a local HTML file in Debian's headless Chromium (playwright) and record dialogs, errors, requests."""
    from playwright.sync_api import sync_playwright

    seen = PageSeen(url=Path(path).resolve().as_uri())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen.errors.append(str(e)))
            page.on("request", lambda r: seen.requests.append(r.url))
            page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
            page.goto(seen.url, wait_until="load")
            seen.title, seen.text = page.title(), page.text_content("body") or ""
            seen.pwned = page.evaluate("typeof window.__pwned")
            seen.inspected = inspect(page) if inspect else None
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return seen
