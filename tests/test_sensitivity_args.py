"""Issue 15 item 10 (sensitivity CLI): bad arguments and an unreachable Dask scheduler are exit 2 with a plain
message, before the base case is solved (its announcement never appears)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from planner.paths import INPUTS_DIR, REPO_ROOT

WB = str(INPUTS_DIR / "examples" / "nuclear_ai.xlsx")


def sensitivity(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", "sensitivity", WB, *args], capture_output=True,
                          text=True, cwd=REPO_ROOT)


def assert_usage_error(r: subprocess.CompletedProcess, *fragments: str) -> None:
    assert r.returncode == 2, r.stderr
    for f in fragments:
        assert f in r.stderr, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert "base case" not in r.stderr  # rejected before any solve


@pytest.mark.parametrize("sweep", ["mining.hashprice_usd_per_ph_day", "mining.hashprice_usd_per_ph_day=20:80",
                                   "mining.hashprice_usd_per_ph_day=20:80:1", "nonsense.param=1:2:3"])
def test_item10_bad_sweep_exits_2_before_the_base_solve(sweep, tmp_path):
    r = sensitivity("--sweep", sweep, "-o", str(tmp_path / "s"))
    assert_usage_error(r, "--sweep")
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("bracket", ["20-80", "20:x", "1:2:3", "80:20", "nan:3"])
def test_item10_malformed_range_exits_2_before_the_base_solve(bracket, tmp_path):
    r = sensitivity("--breakeven", "mining.hashprice_usd_per_ph_day", "--until", "mining_containers>0",
                    "--range", bracket, "-o", str(tmp_path / "s"))
    assert_usage_error(r, "--range", "LO:HI")


def test_item10_malformed_until_and_tol_exit_2_before_the_base_solve(tmp_path):
    r = sensitivity("--breakeven", "mining.hashprice_usd_per_ph_day", "--until", "mining_containers>>0")
    assert_usage_error(r, "--until", "expected NAME OP NUMBER")
    r = sensitivity("--breakeven", "mining.hashprice_usd_per_ph_day", "--until", "npv_usd>0", "--tol", "-1")
    assert_usage_error(r, "--tol", "expected a positive number")


def test_item10_dask_address_that_does_not_answer_exits_2_before_the_base_solve(tmp_path):
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = sensitivity("--tornado", "--dask", f"tcp://127.0.0.1:{port}", "--dask-timeout", "2",
                    "-o", str(tmp_path / "s"))
    assert_usage_error(r, f"--dask tcp://127.0.0.1:{port}: no Dask scheduler answered within 2 s")
    assert not (tmp_path / "s").exists()
