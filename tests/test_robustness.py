"""Bad input, time limits, interrupted runs and determinism (issue 7)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import small_scenario

from planner.errors import SolveError
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.run import optimise, write_outputs
from planner.solve import SolveOptions


def test_fuzz_subset_has_no_tracebacks(tmp_path):
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    import fuzz

    res = fuzz.run(25, seed=7, tmp=tmp_path)
    assert res["cases"] == 25
    assert res["tracebacks"] == 0, "\n".join(res["failures"])
    assert res["clear_errors"] >= 15


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, cwd=REPO_ROOT)


# the time-limit path with an incumbent (flagged results written): tests/test_solver_status.py (issue 15 item 12),
# driven by a node limit so that it never depends on the machine's speed, plus a real time limit checked for
# consistency whatever it gives


def test_time_limit_without_incumbent_is_a_clear_message_and_exit_1():
    sc = small_scenario(2000, pv_cf=0.3, ai_utilisation=1.0, export_price_usd_per_mwh=30.0)
    sc.pv.enabled = sc.battery.enabled = sc.ai.enabled = True
    sc.ai.min_new_blocks, sc.ai.max_new_blocks = 3, 3  # the all-zero plan is infeasible: needs a real solve
    sc.grid.connected = True
    with pytest.raises(SolveError) as e:
        optimise(sc, SolveOptions(time_limit_s=0.01), marginals=False)
    assert "found no feasible solution within the time limit" in str(e.value)
    assert e.value.exit_code == 1


def test_interrupted_write_leaves_no_output_folder(tmp_path, tmp_path_factory, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("rescue")))  # where a refused write is kept
    n = 24
    sc = small_scenario(n, pv_cf=np.full(n, 0.3), export_price_usd_per_mwh=50.0)
    sc.pv.enabled, sc.grid.connected = True, True
    result = optimise(sc, SolveOptions(), marginals=False)
    out = tmp_path / "site"

    def interrupt(_r, _folder):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_outputs(result, out, extra_writers=[interrupt])
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder left behind either
    write_outputs(result, out)
    with pytest.raises(Exception, match="already exists"):
        write_outputs(result, out)  # never overwritten without force
    write_outputs(result, out, force=True)
    assert (out / "summary.json").exists()


def strip_timings(obj):
    if isinstance(obj, dict):
        return {k: strip_timings(v) for k, v in obj.items()
                if k not in ("seconds", "transfer_seconds", "timings_s")}
    return obj


def test_two_identical_runs_give_identical_summaries(tmp_path):
    wb = INPUTS_DIR / "examples" / "nuclear_ai.xlsx"
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
        r = cli("run", str(wb), "-o", str(out), "--no-report")
        assert r.returncode == 0, r.stderr
        outs.append(json.loads((out / "summary.json").read_text()))
    a, b = (strip_timings(o) for o in outs)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert a["input_sha256"] and a["planner_version"] and a["solver"]["solver_version"]


def test_bad_input_exit_code_2_and_unit_slip_warning(tmp_path):
    from helpers import edited_copy

    def slip(wb):
        for row in wb["PV"].iter_rows(min_row=3):
            if row[0].value == "capex_usd_per_kw_ac":
                row[2].value = 1.6  # typed in USD/W

    path = tmp_path / "slip.xlsx"
    edited_copy(INPUTS_DIR / "examples" / "west_texas.xlsx", path, slip)
    r = cli("validate", str(path))
    assert r.returncode == 0
    assert "looks like it is in USD/W, not USD/kW_ac" in r.stdout
    r = cli("validate", str(tmp_path / "missing.xlsx"))
    assert r.returncode == 2 and "file not found" in r.stderr and "Traceback" not in r.stderr


def test_unbounded_case_names_the_technology_without_a_maximum():
    sc = small_scenario(24, pv_cf=0.3, export_price_usd_per_mwh=200.0)
    sc.pv.enabled, sc.grid.connected = True, True
    sc.pv.max_new_mw_ac = None  # blank: no limit
    sc.grid.max_new_export_mw = None
    sc.grid.export_capex_usd_per_kw = 0.0
    with pytest.raises(SolveError) as e:
        optimise(sc, SolveOptions(), marginals=False)
    text = str(e.value)
    assert "unbounded" in text
    assert "pv.max_new_mw_ac has no maximum" in text and "grid.max_new_export_mw has no maximum" in text


def test_the_hours_of_a_shortfall_are_named_in_words():
    """describe_hours: runs of hours as clock times on a day, across days, and the whole year in words (not
    '01 Jan 00:00 to 01 Jan 00:00', which a shortfall in all 8,760 hours used to read)."""
    import numpy as np
    import pandas as pd

    from planner.solve.elastic import describe_hours

    stamps = pd.date_range("2027-01-01", periods=8760, freq="h")
    assert describe_hours(np.arange(8760), stamps) == "every hour of the year"
    assert describe_hours(np.array([2, 3, 4, 5, 26, 27]), stamps) == "e.g. 02:00-06:00 on 01 Jan, 02:00-04:00 on 02 Jan"
    assert describe_hours(np.arange(20, 30), stamps) == "e.g. 01 Jan 20:00 to 02 Jan 06:00"
    assert describe_hours(np.arange(8750, 8760), stamps) == "e.g. 31 Dec 2027 14:00 to 01 Jan 2028 00:00"
    assert describe_hours(np.array([0, 2, 4, 6, 8]), stamps).endswith("and 2 more period(s)")
