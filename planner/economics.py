"""What the investment is worth compared with not making it: the do-nothing baseline and the increment.

The baseline is the site as it is: existing assets only, every new size at its workbook minimum (normally
zero), the dispatch optimised (an LP, planner/run.py: evaluate_baseline). The investment is the plan minus
the baseline, year by year: its NPV is the plan's NPV minus the baseline's, and its IRR and paybacks are
computed on the incremental net cash flow (planner/finance.py: irr, payback). This module never imports Pyomo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.finance import discount, irr, payback
from planner.scenario.inputs import Finance

PLAN = "plan"  # Baseline.status when the plan builds nothing beyond the minimums: the plan is the baseline
NOT_EVALUATED = "not_evaluated"


@dataclass
class Baseline:
    """The do-nothing plan: existing assets only, new sizes at their minimum, dispatch optimised."""

    status: str  # optimal | plan (the plan itself builds nothing new) | infeasible | no_answer | not_evaluated
    reason: str | None = None  # why there are no figures (infeasible, no answer), in the solver's words
    npv_usd: float | None = None  # its optimiser objective
    proforma_npv_usd: float | None = None  # its independent pro-forma's NPV
    net_cash_flow_usd: list[float] | None = None  # years 0..N
    revenue_usd_per_year: dict[str, float] = field(default_factory=dict)  # each stream, representative year
    capex_usd: float = 0.0  # of the minimum builds (0 unless a minimum is positive)
    new_sizes: dict[str, float] = field(default_factory=dict)  # the decisions as fixed (their minimums)
    energy_mwh: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0  # time to evaluate it (build, solve, extract)
    cash_flow_model: dict = field(default_factory=dict)  # planner/results.py: Result.cash_flow_model

    @property
    def ok(self) -> bool:
        return self.npv_usd is not None and self.net_cash_flow_usd is not None

    def to_dict(self) -> dict:
        return {"status": self.status, "reason": self.reason, "npv_usd": self.npv_usd,
                "proforma_npv_usd": self.proforma_npv_usd, "net_cash_flow_usd": self.net_cash_flow_usd,
                "revenue_usd_per_year": self.revenue_usd_per_year, "capex_usd": self.capex_usd,
                "new_sizes": self.new_sizes, "energy_mwh": self.energy_mwh, "seconds": self.seconds,
                "cash_flow_model": self.cash_flow_model}


@dataclass
class Investment:
    """The plan minus the baseline: NPV, IRR and paybacks of the incremental cash flows (None with a reason)."""

    npv_usd: float | None  # plan NPV - baseline NPV (the optimiser's objectives)
    proforma_npv_usd: float | None  # NPV of the incremental net cash flow (the pro-formas' difference)
    irr: float | None
    simple_payback_years: float | None
    discounted_payback_years: float | None
    net_cash_flow_usd: list[float] | None  # years 0..N: plan's net cash flow - baseline's
    reason: str | None = None  # why there are no incremental figures at all
    reasons: dict[str, str] = field(default_factory=dict)  # why a single figure (irr, a payback) is None

    def to_dict(self) -> dict:
        return {"npv_usd": self.npv_usd, "proforma_npv_usd": self.proforma_npv_usd, "irr": self.irr,
                "simple_payback_years": self.simple_payback_years,
                "discounted_payback_years": self.discounted_payback_years,
                "net_cash_flow_usd": self.net_cash_flow_usd, "reason": self.reason, "reasons": self.reasons}


def investment(plan_npv_usd: float, plan_net_cash_flow_usd: np.ndarray, baseline: Baseline, fin: Finance,
               builds_nothing: str | None = None) -> Investment:
    """The increment of the plan over the baseline.

    `builds_nothing`: the reason to give when the plan builds nothing beyond the minimums (its investment
    is zero, and IRR and paybacks have no meaning).
    """
    if not baseline.ok:
        why = baseline.reason or baseline.status
        return Investment(None, None, None, None, None, None,
                          reason=f"the do-nothing baseline has no figures ({baseline.status}: {why}), so the "
                                 f"investment cannot be valued against it")
    plan = np.asarray(plan_net_cash_flow_usd, dtype=float)
    inc = plan - np.asarray(baseline.net_cash_flow_usd, dtype=float)
    npv = plan_npv_usd - baseline.npv_usd
    v = discount(fin, np.arange(len(inc)))
    pf_npv = float(np.sum(inc * v))
    if builds_nothing is not None:
        return Investment(npv, pf_npv, None, None, None, [float(x) for x in inc], reason=builds_nothing)
    out = Investment(npv, pf_npv, irr(inc), payback(inc), payback(inc * v), [float(x) for x in inc])
    n = fin.analysis_years
    if out.irr is None:
        changes_sign = bool(np.any(inc < 0) and np.any(inc > 0))
        out.reasons["irr"] = ("no rate between -99 % and 1000 % makes the incremental NPV zero" if changes_sign
                              else "the incremental cash flow never changes sign")
    if out.simple_payback_years is None:
        out.reasons["simple_payback_years"] = f"the investment does not pay back within the {n}-year analysis period"
    if out.discounted_payback_years is None:
        out.reasons["discounted_payback_years"] = (f"the investment does not pay back, discounted, within the "
                                                   f"{n}-year analysis period")
    return out
