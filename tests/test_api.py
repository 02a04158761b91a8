"""The public Python API (docs/api.md): read, optimise, Result, write, load back; dispatch.parquet; docs example."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from helpers import small_scenario

import planner
from planner.errors import OutputError, UsageError
from planner.outputs import MARKER
from planner.paths import REPO_ROOT
from planner.run import optimise as run_optimise
from planner.run import write_outputs
from planner.solve import SolveOptions


def site():
    """PV, a battery, an export line and mining on 48 hours: a real MILP HiGHS solves in a fraction of a second."""
    n = 48
    h = np.arange(n) % 24
    sc = small_scenario(n, pv_cf=np.clip(np.sin((h - 6) / 12 * np.pi), 0, None),
                        export_price_usd_per_mwh=np.where((h >= 17) & (h <= 21), 120.0, 30.0),
                        import_price_usd_per_mwh=60.0)
    for t in (sc.pv, sc.battery, sc.mining):
        t.enabled = True
    sc.pv.capex_usd_per_kw_ac, sc.pv.max_new_mw_ac = 500.0, 30.0
    sc.pv.existing_mw_ac = 2.0
    sc.grid.connected, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = True, 10.0, 0.0
    sc.mining.max_new_containers, sc.mining.hashprice_usd_per_ph_day = 5, 45.0
    sc.mining.network_hashrate_growth_per_year = 0.0
    return sc


@pytest.fixture(scope="module")
def result() -> planner.Result:
    return planner.optimise(site(), gap=1e-6)


def test_import_planner_loads_no_pandas_pyomo_or_highs():
    code = ("import sys, planner; heavy = ('pandas', 'numpy', 'pyomo', 'highspy', 'openpyxl');"
            "print(sorted(m for m in heavy if m in sys.modules)); planner.Result; planner.optimise;"
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["[]", "[]"]  # not at `import planner`, nor when the API's names are first looked up
    assert set(planner.__all__) == {"Result", "__version__", "load_results", "optimise", "read_workbook"}
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        planner.nope  # noqa: B018


def test_result_is_the_pipeline_of_planner_run(result):
    plan = run_optimise(site(), SolveOptions(mip_gap=1e-6), baseline=True)  # what `planner run` computes
    assert result.npv_usd == pytest.approx(plan.npv_usd, rel=1e-9)
    assert result.summary["investment"]["npv_usd"] == pytest.approx(plan.investment.npv_usd, rel=1e-9)
    assert result.investment_npv_usd == result.summary["investment"]["npv_usd"]
    assert result.summary["baseline"]["status"] in ("optimal", "plan")
    assert result.summary["marginal_units_npv_change_usd"].keys() == plan.marginal_units.keys()
    # sizes: existing + new == total, in the summary's units, the existing PV as typed
    sizes = result.sizes
    assert list(sizes.columns) == ["label", "unit", "existing", "new", "total"]
    assert list(sizes.index) == list(result.summary["sizes"])
    assert (sizes["existing"] + sizes["new"] == sizes["total"]).all()
    assert sizes.loc["pv_mw_ac", "existing"] == 2.0 and sizes.loc["pv_mw_ac", "unit"] == "MW_ac"
    assert sizes.loc["mining_containers", "unit"] == "containers"
    assert sizes.loc["mining_containers", "new"] == plan.sizes_new["mining_containers"]
    # dispatch: hourly, balanced; cashflow by year: its discounted column sums to the pro-forma NPV
    d = result.dispatch
    assert len(d) == 48 and d["timestamp"].is_monotonic_increasing and d["balance_residual_mw"].abs().max() < 1e-5
    pv_mwh = result.summary["energy_mwh"]["generation_pv"]
    assert pv_mwh > 0 and (d["pv_mw"] * d["weight"]).sum() == pytest.approx(pv_mwh, abs=0.01)  # 1e-6 MW x 8760 h
    cf = result.cashflow
    n = sc_years(result)
    assert list(cf.index) == list(range(n + 1)) and cf.index.name == "year"
    rate = result.inputs["inputs"]["Finance"]
    d_rate = next(r["value"] for r in rate if r["field"] == "discount_rate")
    npv = float((cf["net_cash_flow"] / (1 + d_rate) ** cf.index.to_numpy()).sum())
    assert npv == pytest.approx(result.summary["proforma_npv_usd"], abs=0.01 * (n + 1))  # cents in the file


def sc_years(result) -> int:
    return next(r["value"] for r in result.inputs["inputs"]["Finance"] if r["field"] == "analysis_years")


def test_write_then_load_results_gives_the_same_result_and_cli_files(result, tmp_path):
    folder = result.write(tmp_path / "api")
    assert folder == tmp_path / "api" and result.folder == folder
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([MARKER, "summary.json", "scenario.json", "dispatch.csv", "dispatch.parquet",
                            "cashflow.csv", "report.xlsx", "report.html"])
    cli = write_outputs(result.plan, tmp_path / "cli")  # what `planner run` writes for the same plan
    for name in ("summary.json", "scenario.json", "dispatch.csv", "cashflow.csv"):
        assert (folder / name).read_bytes() == (cli / name).read_bytes(), name
    again = planner.load_results(folder)
    assert again.summary == result.summary and again.inputs == result.inputs
    assert again.dispatch.equals(result.dispatch) and again.cashflow.equals(result.cashflow)
    assert again.sizes.equals(result.sizes) and again.plan is None
    (folder / "dispatch.parquet").unlink()  # an older folder: read from the CSV, the same values
    assert planner.load_results(folder).dispatch.equals(result.dispatch)
    with pytest.raises(OutputError, match="already exists"):
        result.write(folder)
    assert again.write(tmp_path / "api", force=True, reports=False) == folder  # a loaded Result writes too
    assert "report.xlsx" not in {p.name for p in folder.iterdir()}


def test_dispatch_parquet_holds_exactly_the_csv_table(result, tmp_path):
    folder = write_outputs(result.plan, tmp_path / "run")
    csv = pd.read_csv(folder / "dispatch.csv", parse_dates=["timestamp"], float_precision="round_trip")
    parquet = pd.read_parquet(folder / "dispatch.parquet")
    assert list(parquet.columns) == list(csv.columns) == list(result.plan.dispatch.columns)
    assert parquet["timestamp"].dtype.kind == "M"
    pd.testing.assert_frame_equal(parquet, csv, check_exact=True, check_dtype=False, check_index_type=False)
    full = result.plan.dispatch  # the solver's full precision: both files round it to 1e-6 MW
    assert np.abs(parquet["pv_mw"].to_numpy() - full["pv_mw"].to_numpy()).max() <= 5e-7


def test_load_results_names_a_folder_that_is_not_a_run_output(tmp_path):
    with pytest.raises(UsageError, match=re.escape(f"{tmp_path / 'nowhere'}: no such folder")):
        planner.load_results(tmp_path / "nowhere")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.json").write_text("{}")
    with pytest.raises(UsageError, match=re.escape(f"{mine}: not a planner output folder")) as e:
        planner.load_results(mine)
    assert e.value.exit_code == 2
    (mine / MARKER).write_text(json.dumps({"written_by": "planner", "kind": "run", "files": ["summary.json"]}))
    with pytest.raises(UsageError, match=re.escape(f"{mine}: not a complete planner output folder (missing "
                                                   f"dispatch.csv, cashflow.csv)")):
        planner.load_results(mine)


def test_optimise_refuses_wrong_option_values():
    for kwargs, text in (({"gap": 2}, "gap must be"), ({"typical_days": 0}, "typical_days must be"),
                         ({"mip_strategy": "cplex"}, "mip_strategy must be"), ({"time_limit": 0}, "time_limit")):
        with pytest.raises(UsageError, match=text):
            planner.optimise(site(), **kwargs)


def example_block() -> str:
    """The first python code block of docs/api.md's worked example."""
    text = (REPO_ROOT / "docs" / "api.md").read_text()
    section = text.split("## A worked example", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow
def test_docs_api_example_runs(tmp_path, monkeypatch):
    """The worked example of docs/api.md, as written, on the bundled example it names (a full-year re-dispatch)."""
    code = example_block()
    workbook = re.search(r'read_workbook\("([^"]+)"\)', code).group(1)
    (tmp_path / workbook).parent.mkdir(parents=True)
    shutil.copy(REPO_ROOT / workbook, tmp_path / workbook)
    monkeypatch.chdir(tmp_path)  # its outputs/ goes here
    namespace: dict = {}
    exec(compile(code, "docs/api.md", "exec"), namespace)  # noqa: S102 - our own documentation's code
    again = namespace["again"]
    assert (tmp_path / "outputs" / "iceland-api" / "dispatch.parquet").is_file()
    assert again.summary["typical_days"]["typical_days"] == 8
    assert again.investment_npv_usd is not None and again.sizes["new"].sum() > 0
