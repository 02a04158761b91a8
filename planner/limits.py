"""Binding limits: which limits typed into the workbook set the plan, and what relaxing each would be worth.

Two kinds of limit are checked after the solve (docs/formulation.md, "Binding limits"):

- every sizing decision's own bounds, the sheet's `max_new_*` and (when positive) `min_new_*` fields: a
  decision at its maximum, or at a positive minimum, is listed when relaxing that bound would add NPV;
- the limits declared with `spec.Limit`: the Site sheet's (site capacity, land, capex budget; planner/model.py:
  SITE_LIMITS) and the technologies' own (e.g. the annual gas cap, the grid import limit).

The value of relaxing a limit, `npv_gain_usd_if_relaxed`:
- integer fleets: the NPV change of one unit more (at a maximum) or one fewer (at a minimum), all other
  integers held and the continuous sizes and dispatch re-optimised (planner/run.py: marginal_units);
- continuous sizes: the reduced cost of the new-size column, in the LP with the integers fixed at the plan
  (planner/solve: lp_duals), i.e. USD of NPV per unit of the size (per MW, per MWh) for the first unit;
- site and technology limits: the dual of the limit's row (or, for an hourly limit, the sum over the hours of
  the rows' duals or of the hourly columns' reduced costs), USD of NPV per `step` of the field (1 MW, 1 ha,
  1 M USD, 1 MMBtu/yr).
A dual is a first-order value: it holds for a small relaxation, and a whole unit may be worth less if
another limit starts to bind on the way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass

import pyomo.core as pyo

from planner.model import SITE_LIMITS, Built
from planner.scenario.fields import info
from planner.scenario.inputs import SECTION_ATTR
from planner.scenario.scenario import Scenario
from planner.solve import Duals, HighsModel
from planner.technologies import decisions, limits, section
from planner.technologies.spec import Decision, Limit

DUAL_TOL_USD = 1.0  # a dual below 1 USD per step is solver noise, not a limit worth naming
BOUND_TOL = 1e-6  # relative: a size this close to its bound is at it


@dataclass
class BindingLimit:
    """One limit from the workbook that sets the plan, in plain words and numbers (summary.json: binding_limits)."""

    limit: str  # dotted input name, e.g. "ai.max_new_blocks"
    label: str  # what it limits ("AI blocks: most new")
    sheet: str
    cell: str | None  # the workbook cell it was read from (None for a scenario built in code)
    value: float  # the limit as typed
    unit: str
    kind: str  # "maximum" | "minimum" | "limit"
    npv_gain_usd_if_relaxed: float | None  # None: not computed (see `method`)
    relaxed_by: float  # the relaxation the gain is for, in `unit` (1 unit of a fleet, 1 MW, 1e6 USD...)
    relaxed_by_label: str  # that relaxation in words ("one more block", "1 MW_ac", "1 M USD")
    method: str  # how the gain was found
    hours_binding: int | None  # for an hourly limit: the hours of the year in which it is reached
    text: str  # the whole entry in one sentence

    def to_dict(self) -> dict:
        return asdict(self)


def where(sc: Scenario, attr: str, field: str) -> tuple[str, str | None, str]:
    """(sheet, cell or None, the place in words) of one input: 'AI!C9', or 'AI (max_new_blocks)' without a workbook."""
    sheet = SECTION_ATTR.get(attr, attr)
    cell = sc.cells.get(f"{attr}.{field}")
    return sheet, cell, cell or f"{sheet} ({field})"


def usd(x: float) -> str:
    return f"{x / 1e6:,.2f} M USD" if abs(x) >= 1e5 else f"{x:,.0f} USD"


def amount(value: float, unit: str) -> str:
    return usd(value) if unit == "USD" else f"{value:,.6g} {unit}"


def binding_limits(built: Built, hm: HighsModel | None, duals: Duals | None,
                   marginal_units: dict[str, dict[str, float | None]], new_sizes: dict[str, float],
                   npv_usd: float, computed: bool) -> list[BindingLimit]:
    """Every workbook limit the plan is at, with the NPV value of relaxing it, largest gain first.

    `computed`: the gains were asked for (marginal units and duals); without them the limits reached are
    listed with a gain of None. A limit reached whose relaxation is worth nothing (gain <= the tolerance) is
    not binding and not listed.
    """
    sc = built.ctx.sc
    why_not = None if computed else "not computed (--no-marginals)"
    out = []
    for tech, d in decisions(sc):
        entry = _decision_limit(built, hm, duals, marginal_units, new_sizes, npv_usd, tech, d, why_not)
        if entry is not None:
            out.append(entry)
    for attr, lim in [("site", lim) for lim in SITE_LIMITS] + [(t.name, lim) for t, lim in limits(sc)]:
        entry = _declared_limit(built, hm, duals, attr, lim, why_not)
        if entry is not None:
            out.append(entry)
    return sorted(out, key=lambda e: -(e.npv_gain_usd_if_relaxed if e.npv_gain_usd_if_relaxed is not None
                                        else float("-inf")))


def _decision_limit(built: Built, hm: HighsModel | None, duals: Duals | None, marginal_units: dict,
                    new_sizes: dict[str, float], npv_usd: float, tech, d: Decision, why_not: str | None
                    ) -> BindingLimit | None:
    """A sizing decision at its workbook maximum (or positive minimum) whose relaxation adds NPV, else None."""
    sc = built.ctx.sc
    s = section(sc, tech)
    value = new_sizes[d.var]
    hi, lo = getattr(s, d.max_field), getattr(s, d.min_field)
    model_upper = d.upper(sc) if d.upper is not None else None
    if hi is not None and model_upper is not None and model_upper < hi:
        hi = None  # a tighter bound of the model's own (e.g. units the gas flow can feed) is not the user's limit
    at_max = hi is not None and value >= hi - BOUND_TOL * max(1.0, abs(hi))
    at_min = lo > 0 and value <= lo + BOUND_TOL * max(1.0, abs(lo))
    if not (at_max or at_min):
        return None
    var = built.ctx.new[d.var]
    label = next((z.label for z in tech.sizes if z.new == d.var), tech.label)
    gains: dict[str, float | None] = {"maximum": None, "minimum": None}
    method = why_not
    if why_not is None and var.fixed:
        method = "not computed: the design was fixed (typical days or a fixed-design case)"
    elif why_not is None and d.integer:
        row = marginal_units.get(d.fleet, {})
        gains = {"maximum": row.get("plus_one"), "minimum": row.get("minus_one")}
        method = "one unit more (or fewer) re-solved, the other sizes and the dispatch re-optimised (an LP)"
    elif why_not is None:
        col = hm.col_index.get(id(var)) if hm is not None else None
        if duals is None or col is None:
            method = "not computed: the plan's LP gave no duals"
        else:
            rc = float(duals.col[col])
            gains = {"maximum": rc, "minimum": -rc}
            method = "reduced cost of the size in the plan's LP (integers fixed): the value of the first unit"
    known = method is not None and not method.startswith("not computed")
    tol = max(DUAL_TOL_USD, 1e-6 * abs(npv_usd)) if d.integer else DUAL_TOL_USD
    for kind, bound, ok in (("maximum", hi, at_max), ("minimum", lo, at_min)):
        gain = gains[kind]
        if not ok or (known and (gain is None or gain <= tol)):
            continue  # not at this bound, or relaxing it adds nothing (or has no feasible plan): not binding
        field = d.max_field if kind == "maximum" else d.min_field
        sheet, cell, place = where(sc, tech.name, field)
        if d.integer:
            step_label = "one more unit" if kind == "maximum" else "one unit fewer"
        else:
            step_label = f"1 {d.unit} {'more' if kind == 'maximum' else 'less'}"
        if kind == "maximum":
            head = (f"{label}: your workbook allows no new {d.unit} ({place})" if bound == 0 else
                    f"{label} stopped at your maximum of {bound:,.6g} new {d.unit} ({place})")
        else:
            head = f"{label} held at your minimum of {bound:,.6g} new {d.unit} ({place})"
        return BindingLimit(limit=f"{tech.name}.{field}", label=f"{label}: {info_note(s, field)}", sheet=sheet,
                            cell=cell, value=float(bound), unit=d.unit, kind=kind,
                            npv_gain_usd_if_relaxed=gain if known else None, relaxed_by=1.0,
                            relaxed_by_label=step_label, method=method or "", hours_binding=None,
                            text=head + "; " + _gain_words(gain if known else None, d.integer, kind, d.unit,
                                                           method or ""))
    return None


def _gain_words(gain: float | None, integer: bool, kind: str, unit: str, method: str) -> str:
    if gain is None:
        return f"the value of relaxing it was {method}"
    if integer:
        return f"one {'more' if kind == 'maximum' else 'fewer'} would add {usd(gain)} of NPV"
    return f"each {unit} {'more' if kind == 'maximum' else 'less'} would add {usd(gain)} of NPV (first unit)"


def info_note(s, field: str) -> str:
    """The input's own description (e.g. 'Most new blocks'), lower case."""
    f = next(f for f in dataclasses.fields(s) if f.name == field)
    note = info(f).note
    return note[:1].lower() + note[1:]


def _declared_limit(built: Built, hm: HighsModel | None, duals: Duals | None, attr: str, lim: Limit,
                    why_not: str | None) -> BindingLimit | None:
    """A site or technology limit that binds (its dual is positive, or without duals: it is reached), else None."""
    sc = built.ctx.sc
    value = getattr(getattr(sc, attr), lim.field)
    comp = built.m.component(lim.component)
    if value is None or comp is None:
        return None
    hourly = comp.is_indexed()
    weights = sc.weights
    items = [(k, comp[k]) for k in comp] if hourly else [(None, comp)]
    per_step = lim.rhs_per_unit * lim.step
    gains: list[tuple[float, float]] = []  # (USD per step, hours the step stands for) of each row or column
    reached_hours = 0.0
    for k, item in items:
        hours = float(weights[k]) if hourly else 1.0
        if lim.bound:
            x, ub = item.value, item.ub
            at = x is not None and ub is not None and x >= ub - BOUND_TOL * max(1.0, abs(ub))
            index = [hm.col_index[id(item)]] if hm is not None and id(item) in hm.col_index else []
            duals_of = duals.col if duals is not None else None
        else:
            body, upper = pyo.value(item.body, exception=False), pyo.value(item.upper, exception=False)
            at = body is not None and upper is not None and body >= upper - BOUND_TOL * max(1.0, abs(upper))
            index = hm.row_index.get(id(item), []) if hm is not None else []
            duals_of = duals.row if duals is not None else None
        reached_hours += hours * at
        if duals_of is not None:
            gains += [(float(duals_of[i]) * per_step, hours) for i in index]
    positive = [(g, h) for g, h in gains if g > 1e-6]  # a <= limit's dual is >= 0; below 1e-6 USD is noise
    gain = sum(g for g, _ in positive) if duals is not None and gains else None
    method = why_not
    if why_not is None:
        what = "reduced costs of the hourly variable it bounds" if lim.bound else "duals of each hour's limit"
        method = (f"sum over the hours of the {what}" if hourly else "dual of the limit") + \
            " in the plan's LP (integers fixed): the value of a small relaxation"
        if duals is None or not gains:
            method = "not computed: the limit is not a row of the plan's LP (fixed design) or the LP gave no duals"
            gain = None
    if gain is not None and gain <= DUAL_TOL_USD:
        return None
    if gain is None and not reached_hours:
        return None
    hours = round(reached_hours)  # where the limit is reached (the duals may pick any of those hours)
    sheet, cell, place = where(sc, attr, lim.field)
    step_label = lim.step_label or f"1 {lim.unit}"
    binds = (f"is reached in {hours:,} hour{'s' if hours != 1 else ''} of the year" if hourly else "is reached")
    head = f"{lim.label} of {amount(value, lim.unit)} {binds} ({place})"
    tail = (f"each {step_label} more would add {usd(gain)} of NPV" if gain is not None
            else f"the value of relaxing it was {method}")
    return BindingLimit(limit=f"{attr}.{lim.field}", label=lim.label, sheet=sheet, cell=cell, value=float(value),
                        unit=lim.unit, kind="limit", npv_gain_usd_if_relaxed=gain, relaxed_by=lim.step,
                        relaxed_by_label=step_label, method=method, hours_binding=hours if hourly else None,
                        text=f"{head}; {tail}")
