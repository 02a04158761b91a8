"""The one label table: a human label and a unit for every key a user sees (reports, terminal, sensitivity page).

Two parts, merged into one table by `planner/results.py: labels` and written to summary.json:

- what the technologies declare (planner/technologies: each size, dispatch column, energy figure, stream,
  capacity factor, its capital and its extra figures), so a new technology brings its own labels;
- the planner's own keys, here (STATIC): the key results, the solver statistics, the cash-flow rows that
  are not a stream, the dispatch table's own columns, the typical-day, sensitivity and stochastic figures.

`Labels` reads the table back (report/ from summary.json, the CLI from the Result). Pyomo-free and
technology-free: report/ and the command line import it.
"""

from __future__ import annotations

from collections.abc import Mapping

CAPEX_ROW = "capex_"  # the pro-forma's capex row of a technology is capex_<technology name>

# table -> key -> (label, unit)
STATIC: dict[str, dict[str, tuple[str, str]]] = {
    "summary": {
        "site": ("Site", ""),
        "planner_version": ("Planner version", ""),
        "input_sha256": ("Input file SHA-256", ""),
        "dollar_basis": ("Money in real or nominal terms", ""),
        "npv_usd": ("NPV (optimiser)", "USD"),
        "proforma_npv_usd": ("NPV (independent pro-forma)", "USD"),
        "npv_relative_difference": ("Optimiser vs pro-forma NPV, relative difference", "fraction"),
        "irr": ("IRR", "fraction"),
        "simple_payback_years": ("Simple payback", "years"),
        "discounted_payback_years": ("Discounted payback", "years"),
        "lcoe_usd_per_mwh": ("LCOE of generation", "USD/MWh"),
        "capex_usd": ("Total capex, year 0", "USD"),
        "investment": ("Investment against doing nothing (plan minus baseline)", ""),
        "baseline": ("Baseline: the site as it is, nothing new built", ""),
        "binding_limits": ("Limits that set the plan", ""),
    },
    "solver": {
        "status": ("Solver status", ""),
        "termination": ("Termination", ""),
        "objective": ("NPV of the plan (objective)", "USD"),
        "bound": ("Best bound on the NPV", "USD"),
        "mip_gap": ("MIP gap", "fraction"),
        "seconds": ("Solve time", "s"),
        "nodes": ("Branch-and-bound nodes", "nodes"),
        "transfer_seconds": ("Time to pass the model to HiGHS", "s"),
        "solver": ("Solver", ""),
        "solver_version": ("Solver version", ""),
        "lp": ("Solved as a linear program (no integers)", ""),
    },
    "cashflow": {
        "salvage": ("Salvage value", "USD"),
        "itc": ("Investment tax credit", "USD"),
        "operating_cash_flow": ("Operating cash flow", "USD"),
        "tax_depreciation": ("Tax depreciation (not a cash flow)", "USD"),
        "income_tax": ("Income tax", "USD"),
        "net_cash_flow": ("Net cash flow", "USD"),
        "discounted_cash_flow": ("Discounted net cash flow", "USD"),
        "cumulative_cash_flow": ("Cumulative net cash flow", "USD"),
        "cumulative_discounted_cash_flow": ("Cumulative discounted net cash flow", "USD"),
    },
    "columns": {
        "timestamp": ("Hour starting", "local standard time"),
        "weight": ("Hours this step stands for", "h"),
        "export_price_usd_per_mwh": ("Export price", "USD/MWh"),
        "import_price_usd_per_mwh": ("Import price", "USD/MWh"),
        "balance_residual_mw": ("Balance residual (supply - demand)", "MW"),
    },
    "typical_days": {
        "typical_days": ("Typical days", "count"),
        "periods_modelled": ("Days modelled", "count"),
        "extreme_periods": ("Extreme days", "count"),
        "added_real_days": ("Real days added", "count"),
        "storage": ("Storage across days", ""),
        "design": ("Design", ""),
        "npv_typical_days_usd": ("NPV on typical days", "USD"),
        "npv_full_year_usd": ("NPV, full-year re-dispatch", "USD"),
        "npv_gap_relative": ("Typical days vs full year, relative NPV difference", "fraction"),
    },
    "sensitivity": {
        "npv_usd": ("Base NPV", "USD"),
        "samples_ok": ("Samples solved", "cases"),
        "samples_failed": ("Samples that failed", "cases"),
        "npv_p10_usd": ("NPV, P10", "USD"),
        "npv_p50_usd": ("NPV, P50 (median)", "USD"),
        "npv_p90_usd": ("NPV, P90", "USD"),
        "npv_mean_usd": ("NPV, mean", "USD"),
        "probability_of_loss": ("Probability of a loss (NPV < 0)", "fraction"),
        "parameter": ("Parameter", ""),
        "condition": ("Condition", ""),
        "threshold": ("Break-even value", ""),
        "tolerance": ("Tolerance", ""),
        "evaluations": ("Solves", "solves"),
        "message": ("Result", ""),
        "breakeven": ("Break-even", ""),
        "monte_carlo": ("Monte Carlo", ""),
    },
    "stochastic": {  # summary.json "stochastic": the two-stage stochastic design (docs/report.md, Uncertainty)
        "expected_npv_usd": ("Expected NPV", "USD"),
        "cvar_usd": ("CVaR", "USD"),
        "p10_usd": ("NPV, P10 (low)", "USD"),
        "p50_usd": ("NPV, P50 (median)", "USD"),
        "p90_usd": ("NPV, P90 (high)", "USD"),
        "probability_of_loss": ("Probability of a loss (NPV < 0)", "fraction"),
        "vss_usd": ("Value of the stochastic solution (VSS)", "USD"),
        "evpi_usd": ("Expected value of perfect information (EVPI)", "USD"),
        "value_of_flexibility_usd": ("Value of flexibility", "USD"),
        "risk_aversion": ("Risk aversion (weight of CVaR in the objective)", ""),
        "cvar_alpha": ("Share of the worst outcomes in the CVaR", "fraction"),
        "typical_days": ("Typical days per scenario", "count"),
        "scenarios": ("Scenarios", "count"),
        "name": ("Scenario", ""),
        "probability": ("Probability", "fraction"),
        "npv_usd": ("NPV, stochastic design", "USD"),
        "ev_design_npv_usd": ("NPV, expected-value design", "USD"),
        "perfect_information_npv_usd": ("NPV, best design for this scenario alone", "USD"),
        "design": ("Stochastic design", ""),
        "ev_design": ("Expected-value design", ""),
        "full_year_check": ("Scenario NPVs from full-year re-dispatches", ""),
    },
}

Table = Mapping[str, Mapping[str, Mapping[str, str]]]  # table -> key -> {"label", "unit"}


def static_table() -> dict[str, dict[str, dict[str, str]]]:
    """STATIC in the form summary.json holds: table -> key -> {label, unit}."""
    return {t: {k: {"label": label, "unit": unit} for k, (label, unit) in rows.items()} for t, rows in STATIC.items()}


def merge(*tables: Table) -> dict[str, dict[str, dict[str, str]]]:
    """One table from several; a later table's entry wins."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for table in tables:
        for name, rows in table.items():
            out.setdefault(name, {}).update({k: dict(v) for k, v in rows.items()})
    return out


class Labels:
    """The label table, read back: `label(table, key)` and `unit(table, key)`.

    A key the table does not hold is shown as itself (an older summary.json); `has` tells the two apart.
    """

    def __init__(self, table: Table | None = None) -> None:
        self.table = merge(static_table(), table or {})

    def has(self, table: str, key: str) -> bool:
        return key in self.table.get(table, {})

    def label(self, table: str, key: str) -> str:
        return self.table.get(table, {}).get(key, {}).get("label", key)

    def unit(self, table: str, key: str) -> str:
        return self.table.get(table, {}).get(key, {}).get("unit", "")

    def labels(self, table: str) -> set[str]:
        """Every label of one table."""
        return {row["label"] for row in self.table.get(table, {}).values()}

    def all_labels(self) -> set[str]:
        return {row["label"] for rows in self.table.values() for row in rows.values()}
