"""`planner compare`: several real runs (small hand sites solved by HiGHS) side by side, in Excel and HTML."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from helpers import CHROMIUM, open_in_chromium, small_scenario

from planner.cli import main
from planner.compare import compare, default_out_dir
from planner.outputs import MARKER
from planner.report import write_reports
from planner.run import optimise, write_outputs
from planner.solve import SolveOptions

HOURS = 48
MARKUP = "<script>window.__pwned = 1; alert(1)</script>"


def site(price: float = 40.0):
    """PV, a grid export line and mining on 48 flat-weighted hours: a real MILP, solved in a fraction of a second."""
    h = np.arange(HOURS) % 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None)
    sc = small_scenario(HOURS, pv_cf=pv, export_price_usd_per_mwh=np.where(h >= 17, price + 40, price),
                        import_price_usd_per_mwh=price + 30)
    for t in (sc.pv, sc.mining):
        t.enabled = True
    sc.pv.capex_usd_per_kw_ac, sc.pv.max_new_mw_ac = 600.0, 40.0
    sc.grid.connected, sc.grid.max_new_export_mw, sc.grid.import_limit_mw = True, 15.0, 0.0
    sc.mining.max_new_containers, sc.mining.hashprice_usd_per_ph_day = 8, 45.0
    sc.mining.network_hashrate_growth_per_year = 0.0
    return sc


# three variants of one site: what each changes from the base, the rest as it is
VARIANTS = {
    "base": {},
    "cheap-money": {("finance", "discount_rate"): 0.05},
    "dear-pv": {("pv", "capex_usd_per_kw_ac"): 1400.0, ("mining", "hashprice_usd_per_ph_day"): 30.0},
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """Each variant solved (baseline and investment included, as `planner run` does) and written with reports."""
    root = tmp_path_factory.mktemp("runs")
    out = {}
    for name, changes in VARIANTS.items():
        sc = site()
        for (attr, field), value in changes.items():
            setattr(getattr(sc, attr), field, value)
        if name == "dear-pv":
            sc.site.name = f"=HYPERLINK(\"http://x\") {MARKUP}"  # text a user typed, shown as text everywhere
        result = optimise(sc, SolveOptions(mip_gap=1e-6), marginals=False, baseline=True)
        out[name] = write_outputs(result, root / name, extra_writers=[lambda _r, f: write_reports(f)])
    return out


def summaries(runs) -> dict[str, dict]:
    return {name: json.loads((folder / "summary.json").read_text()) for name, folder in runs.items()}


def test_ranking_is_by_the_investment_npv_of_each_summary_json(runs):
    npv = {name: s["investment"]["npv_usd"] for name, s in summaries(runs).items()}
    assert len(set(npv.values())) == 3  # three different answers, so the order means something
    comp = compare([runs["dear-pv"], runs["base"], runs["cheap-money"]])
    assert [r.name for r in comp.runs] == sorted(npv, key=npv.get, reverse=True)
    assert [r.investment_npv_usd for r in comp.runs] == sorted(npv.values(), reverse=True)
    # cheaper money raises the value of the same cash flows: it ranks above the base; dearer PV and a lower
    # hashprice lower it
    assert [r.name for r in comp.runs] == ["cheap-money", "base", "dear-pv"]


def test_the_inputs_listed_as_different_are_exactly_the_ones_changed(runs):
    comp = compare(list(runs.values()))
    order = [r.name for r in comp.runs]
    listed = {d.name: dict(zip(order, d.values, strict=True)) for d in comp.differences}
    assert set(listed) == {"Finance.discount_rate", "PV.capex_usd_per_kw_ac", "Mining.hashprice_usd_per_ph_day",
                           "Site.name"}
    assert listed["Finance.discount_rate"] == {"base": 0.08, "cheap-money": 0.05, "dear-pv": 0.08}
    assert listed["PV.capex_usd_per_kw_ac"] == {"base": 600.0, "cheap-money": 600.0, "dear-pv": 1400.0}
    assert listed["Mining.hashprice_usd_per_ph_day"]["dear-pv"] == 30.0
    assert compare([runs["base"]]).differences == []  # one run: nothing differs


def test_different_hourly_data_are_listed_by_column(runs, tmp_path):
    sc = site(price=55.0)  # only the export and import prices differ from the base
    other = write_outputs(optimise(sc, SolveOptions(mip_gap=1e-6), marginals=False, baseline=True), tmp_path / "o")
    comp = compare([runs["base"], other])
    diff = {d.name: d for d in comp.differences}
    assert set(diff) == {"Hourly.export_price_usd_per_mwh", "Hourly.import_price_usd_per_mwh"}
    by_run = dict(zip([r.name for r in comp.runs], diff["Hourly.import_price_usd_per_mwh"].values, strict=True))
    assert by_run == {"base": pytest.approx(70.0), "o": pytest.approx(85.0)}  # each column's mean


def test_cli_writes_excel_and_html_with_the_ranking_chart_and_differences(runs, tmp_path, capsys):
    out = tmp_path / "cmp"
    main(["compare", str(runs["base"]), str(runs["dear-pv"]), str(runs["cheap-money"]), "-o", str(out)])
    printed = capsys.readouterr().out
    assert "4 inputs differ between the runs" in printed
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "compare.html", "compare.xlsx"]
    assert json.loads((out / MARKER).read_text())["kind"] == "compare"
    npv = {name: s["investment"]["npv_usd"] for name, s in summaries(runs).items()}
    wb = openpyxl.load_workbook(out / "compare.xlsx")
    assert wb.sheetnames == ["Ranking", "Inputs that differ", "Runs"]
    ws = wb["Ranking"]
    head = [c.value for c in ws[4]]
    j = head.index("Investment NPV")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=7)]
    assert [r[1] for r in rows] == ["cheap-money", "base", "dear-pv"] and [r[0] for r in rows] == [1, 2, 3]
    # full values in the cells (openpyxl writes a float to 16 significant digits, JSON keeps 17)
    assert [r[j] for r in rows] == [pytest.approx(npv[n], rel=1e-15) for n in ("cheap-money", "base", "dear-pv")]
    chart = ws._charts[0]
    refs = [s.val.numRef.f for s in chart.series]
    col = openpyxl.utils.get_column_letter
    assert refs == [f"'Ranking'!${col(j + 1)}$5:${col(j + 1)}$7",
                    f"'Ranking'!${col(head.index('Capex (year 0)') + 1)}$5:${col(head.index('Capex (year 0)') + 1)}$7"]
    # text stays text: the site name typed as a formula is a string cell; the workbook has no formula at all
    cells = [c for sheet in wb for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == f"=HYPERLINK(\"http://x\") {MARKUP}" and c.data_type == "s" for c in cells)
    diff = wb["Inputs that differ"]
    assert sorted(f"{r[0].value}.{r[1].value}" for r in diff.iter_rows(min_row=5)) == sorted(
        ["Finance.discount_rate", "PV.capex_usd_per_kw_ac", "Mining.hashprice_usd_per_ph_day", "Site.name"])


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/test.sh installs it)")
def test_compare_html_in_headless_chromium_rows_present_no_errors_no_network(runs, tmp_path):
    out = tmp_path / "cmp"
    main(["compare", *(str(p) for p in runs.values()), "-o", str(out)])
    npv = {name: s["investment"]["npv_usd"] for name, s in summaries(runs).items()}
    seen = open_in_chromium(out / "compare.html", inspect=lambda page: {
        "runs": page.eval_on_selector_all("#ranking tr.run td[data-col=run]", "els => els.map(e => e.textContent)"),
        "npv": page.eval_on_selector_all("#ranking tr.run td[data-col=investment-npv]",
                                         "els => els.map(e => parseFloat(e.dataset.value))"),
        "differences": page.eval_on_selector_all("#differences tr.difference", "els => els.map(e => e.dataset.name)"),
        "bars": page.eval_on_selector_all("#npv-capex-chart rect[height]", "els => els.length")})
    assert seen.errors == [] and seen.dialogs == [] and seen.pwned == "undefined"
    assert seen.requests == [seen.url]  # self-contained: nothing fetched
    got = seen.inspected
    assert got["runs"] == ["cheap-money", "base", "dear-pv"]
    assert got["npv"] == [npv["cheap-money"], npv["base"], npv["dear-pv"]]
    assert sorted(got["differences"]) == sorted(["Finance.discount_rate", "PV.capex_usd_per_kw_ac",
                                                 "Mining.hashprice_usd_per_ph_day", "Site.name"])
    assert got["bars"] == 2 + 2 * 3  # the legend's two swatches and an NPV and a capex bar per run
    assert f"=HYPERLINK(\"http://x\") {MARKUP}" in seen.text  # the typed site name, as text


def exit_code(args: list[str]) -> int:
    with pytest.raises(SystemExit) as e:
        main(args)
    return e.value.code


def test_a_folder_that_is_not_a_run_output_is_refused_naming_it(runs, tmp_path, capsys):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "summary.json").write_text("{}")
    out = tmp_path / "cmp"
    assert exit_code(["compare", str(runs["base"]), str(thesis), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{thesis}: not a planner output folder" in err and "internal error" not in err
    assert not out.exists()
    assert exit_code(["compare", str(tmp_path / "nowhere")]) == 2
    assert f"{tmp_path / 'nowhere'}: no such folder" in capsys.readouterr().err
    sens = tmp_path / "sens"
    sens.mkdir()
    (sens / MARKER).write_text(json.dumps({"written_by": "planner", "kind": "sensitivity", "files": []}))
    assert exit_code(["compare", str(sens)]) == 2
    assert f"{sens}: holds planner sensitivity results, not a run's output folder" in capsys.readouterr().err
    assert exit_code(["compare"]) == 2  # no folder at all
    assert "Missing argument 'FOLDERS...'" in capsys.readouterr().err


def test_a_damaged_summary_is_exit_2_naming_the_folder_not_a_crash(runs, tmp_path, capsys):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(runs["base"], broken)
    summary = json.loads((broken / "summary.json").read_text())
    summary["sizes_new"] = [1, 2]
    (broken / "summary.json").write_text(json.dumps(summary))
    assert exit_code(["compare", str(runs["base"]), str(broken), "-o", str(tmp_path / "cmp")]) == 2
    assert f"{broken}: summary.json or scenario.json is damaged (sizes_new not as the planner writes it)" in \
        capsys.readouterr().err
    (broken / "summary.json").write_text("{not json")
    assert exit_code(["compare", str(broken)]) == 2
    assert f"{broken}: summary.json or scenario.json cannot be read" in capsys.readouterr().err


def test_output_folder_rules_an_earlier_comparison_is_skipped_a_foreign_folder_never_replaced(runs, tmp_path, capsys):
    out = tmp_path / "cmp"
    main(["compare", str(runs["base"]), str(runs["cheap-money"]), "-o", str(out)])
    before = (out / "compare.html").read_text()
    assert exit_code(["compare", str(runs["base"]), "-o", str(out)]) == 2  # exists: --force needed
    assert "already exists" in capsys.readouterr().err and (out / "compare.html").read_text() == before
    # `planner compare outputs/*` after an earlier comparison: that folder is skipped with a note
    main(["compare", str(runs["base"]), str(out), str(runs["base"]), "-o", str(out), "--force"])
    captured = capsys.readouterr()
    assert f"note: {out}: skipped (it holds an earlier `planner compare` result, not a run)" in captured.err
    assert f"note: {runs['base']}: given more than once, compared once" in captured.err
    assert "Comparison of 1 run<" in (out / "compare.html").read_text()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    assert exit_code(["compare", str(runs["base"]), "-o", str(mine), "--force"]) == 2
    assert "--force refused" in capsys.readouterr().err
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_default_output_folder_is_new_under_outputs(tmp_path, monkeypatch):
    import datetime as dt

    monkeypatch.chdir(tmp_path)
    now = dt.datetime(2026, 12, 1, 14, 5, 9, tzinfo=dt.UTC)
    assert default_out_dir(now) == Path("outputs/compare-20261201-140509")
    Path("outputs/compare-20261201-140509").mkdir(parents=True)
    assert default_out_dir(now) == Path("outputs/compare-20261201-140509-2")
