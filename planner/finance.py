"""Present-worth factors, price trajectories and the independent annual pro-forma.

This module never imports Pyomo. The model takes its coefficients from `stream_pwf` and
`capital_pv_per_unit`; the pro-forma rebuilds year-by-year cash flows from sizes and the hourly
dispatch, so its NPV is an honest second opinion on the optimiser's objective.

Conventions (docs/finance.md): year 0 is construction (all initial capex); operating years 1..N
repeat the representative year scaled by each stream's trajectory f_s(y); cash flows are end of
year; replacements happen at the end of each life inside the period; at the end of year N the
unexpired share of the last investment is returned as straight-line salvage (`Finance.salvage = linear`,
the default) or nothing (`none`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.scenario.inputs import Finance

# stream kinds every scenario has and what escalates them (technologies add their own price paths)
ESCALATED_KINDS = ("flat", "om", "electricity", "fuel")


@dataclass(frozen=True)
class CapitalItem:
    """A cost per unit of size, paid in year 0 and again at the end of each life."""

    name: str  # e.g. "pv", "mining_asics"
    technology: str  # for "capex by technology"
    usd_per_unit: float  # year-0 cost per unit of size (per MW, per turbine, per block...)
    life_years: int
    price_decline_per_year: float = 0.0  # replacements cost usd_per_unit * (1 - decline)^year
    itc_fraction: float = 0.0
    size: str = ""  # the new-size decision it is paid for (e.g. "pv_new_mw_ac")


def years(fin: Finance) -> np.ndarray:
    return np.arange(1, fin.analysis_years + 1)


def discount(fin: Finance, y) -> np.ndarray:
    return (1.0 + fin.discount_rate) ** -np.asarray(y, dtype=float)


def trajectories(fin: Finance, own: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """f_s(y) for every stream kind, y = 1..N: the escalated kinds, plus technologies' own price paths.

    Escalation convention (`Finance.escalation_starts`): year_1 (default) = year 1 pays the price typed and
    escalation starts in year 2, f(y) = (1+e)^(y-1); year_0 = the price typed is today's (year 0), so year 1
    already pays one year of escalation, f(y) = (1+e)^y (REopt's convention). The technologies' own paths
    (`own`, e.g. "mining") are relative to year-1 prices and are not affected.
    """
    y = years(fin)
    t = y if fin.escalation_starts == "year_0" else y - 1
    out = {
        "flat": np.ones(len(y)),
        "om": (1.0 + fin.om_escalation) ** t,
        "electricity": (1.0 + fin.electricity_escalation) ** t,
        "fuel": (1.0 + fin.fuel_escalation) ** t,
    }
    out.update(own or {})
    return out


def stream_pwf(fin: Finance, traj: dict[str, np.ndarray], over: np.ndarray | None = None) -> dict[str, float]:
    """After-tax present-worth factor per stream kind: (1 - tax) * sum_y f(y) / (1+d)^y (16), over every year
    1..N, or over the years `over` only (an investment period's, (P1))."""
    y = years(fin) if over is None else np.asarray(over)
    v = discount(fin, y)
    return {k: float((1.0 - fin.tax_rate) * np.sum(f[y - 1] * v)) for k, f in traj.items()}


def degradation_factor(fin: Finance, rate: float) -> float:
    """Discount-weighted average output over the period of an asset degrading `rate` per year."""
    y = years(fin)
    v = discount(fin, y)
    return float(np.sum((1.0 - rate) ** (y - 1) * v) / np.sum(v))


def capital_schedule(item: CapitalItem, fin: Finance, built: int = 0, retired: int | None = None,
                     recovery: float = 1.0, price_usd_per_unit: float | None = None,
                     retire_cost_usd_per_unit: float = 0.0) -> dict[str, np.ndarray]:
    """Per unit of size, by year 0..N: investment, salvage, ITC received and tax depreciation.

    The unit is bought at the end of year `built` (0: construction, as in a single-period plan; a later
    investment period's vintage: the year before the period's first operating year) at `price_usd_per_unit`
    (default: the item's year-0 price x (1 - decline)^built) and replaced at the end of each life, each time at
    that price x (1 - decline)^(years since it was built). ITC is received on its first purchase only, the year
    after. Depreciation runs after each purchase until the unit leaves.

    It leaves at the end of year N, or at the end of year `retired` (a multi-period plan retiring it early: no
    purchase from that year on, no depreciation after it). On leaving, the unexpired share of its last
    purchase's cost (a purchase of cost C in year y with life L has C x (y + L - end) / L left when y + L > end)
    is returned: at N as salvage (`Finance.salvage`: linear returns it, none returns nothing); at an early
    retirement `recovery` x that share comes back in the same year (in the salvage row), and, if it had value
    left, `retire_cost_usd_per_unit` is paid (in the investment row; e.g. moving a genset). Neither salvage nor
    recovery is taxed (a return of capital); depreciation not yet taken when the unit leaves is lost.
    """
    n = fin.analysis_years
    end = n if retired is None else retired
    decline = 1.0 - item.price_decline_per_year
    price = item.usd_per_unit * decline ** built if price_usd_per_unit is None else price_usd_per_unit
    invest = np.zeros(n + 1)
    salvage = np.zeros(n + 1)
    itc = np.zeros(n + 1)
    dep = np.zeros(n + 1)
    sched = depreciation_schedule(fin)
    y = built
    last_cost = 0.0
    last = built
    while y < end:
        cost = price * decline ** (y - built)
        invest[y] += cost
        credit = item.itc_fraction * cost if y == built else 0.0
        if credit:
            itc[y + 1] += credit
        basis = cost - 0.5 * credit
        for k, frac in enumerate(sched, start=1):
            if y + k <= end:
                dep[y + k] += basis * frac
        last, last_cost = y, cost
        y += item.life_years
    remaining = last + item.life_years - end
    if remaining > 0 and end > built:
        left = last_cost * remaining / item.life_years
        if retired is None:
            salvage[n] += left if fin.salvage == "linear" else 0.0
        else:
            salvage[end] += recovery * left
            invest[end] += retire_cost_usd_per_unit
    return {"invest": invest, "salvage": salvage, "itc": itc, "depreciation": dep}


def schedule_pv(s: dict[str, np.ndarray], fin: Finance) -> float:
    """Present cost of a capital schedule: investments - salvage - ITC - depreciation tax shield."""
    v = discount(fin, np.arange(fin.analysis_years + 1))
    net = s["invest"] - s["salvage"] - s["itc"] - fin.tax_rate * s["depreciation"]
    return float(np.sum(net * v))


def depreciation_schedule(fin: Finance) -> list[float]:
    """Share of the basis depreciated in each year after the investment."""
    if fin.tax_rate == 0 or fin.depreciation == "none":
        return []
    if fin.depreciation == "bonus_100":
        return [1.0]
    if fin.depreciation == "macrs_5":
        return [0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576]
    return [1.0 / fin.straight_line_years] * fin.straight_line_years


def capital_pv_per_unit(item: CapitalItem, fin: Finance) -> float:
    """Present cost per unit of size: investments - salvage - ITC - depreciation tax shield."""
    return schedule_pv(capital_schedule(item, fin), fin)


# ------------------------------------------------------------------------------------- pro-forma

@dataclass
class ProForma:
    """The annual cash-flow table and the metrics computed from it."""

    table: pd.DataFrame  # rows = line items, columns = years 0..N
    npv_usd: float
    irr: float | None
    simple_payback_years: float | None
    discounted_payback_years: float | None
    lcoe_usd_per_mwh: float | None
    # technology -> invest, salvage, itc, depreciation by year 0..N (USD, the sizes built): the report's live model
    capital_by_technology: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    price_paths: dict[str, list[float]] = field(default_factory=dict)  # f(y), y = 1..N, of each stream kind used


def proforma(fin: Finance, traj: dict[str, np.ndarray], annual: dict[str, tuple[str, float]],
             capital: list[tuple[CapitalItem, float]], generation_mwh: float | np.ndarray = 0.0,
             generation_cost_items: tuple[str, ...] = (), generation_cost_streams: tuple[str, ...] = (),
             lines: dict[str, np.ndarray] | None = None,
             schedules: list[tuple[str, dict[str, np.ndarray], float]] = ()) -> ProForma:
    """Year-by-year cash flows from the representative year's annual amounts and the built sizes.

    annual: stream name -> (kind, USD in the representative year, revenue positive, cost negative).
    capital: (item, size built) pairs.
    A multi-period plan (planner/periods.py) gives instead each stream's cash flow by year 0..N (`lines`), its
    capital as (technology, schedule per unit, units) of each vintage (`schedules`, from capital_schedule) and
    its generation by year 1..N.
    """
    n = fin.analysis_years
    cols = list(range(n + 1))
    rows: dict[str, np.ndarray] = {}
    ops_total = np.zeros(n + 1)
    if lines is None:
        lines = {}
        for name, (kind, amount) in annual.items():
            line = np.zeros(n + 1)
            line[1:] = amount * traj[kind]
            lines[name] = line
    for name, line in lines.items():
        rows[name] = np.asarray(line, dtype=float)
        ops_total += rows[name]
    capex = np.zeros(n + 1)
    salvage = np.zeros(n + 1)
    itc = np.zeros(n + 1)
    dep = np.zeros(n + 1)
    capex_by_tech: dict[str, np.ndarray] = {}
    by_tech: dict[str, dict[str, np.ndarray]] = {}
    for tech, s, size in [(item.technology, capital_schedule(item, fin), size) for item, size in capital
                          if size != 0] + [c for c in schedules if c[2] != 0]:
        capex += s["invest"] * size
        salvage += s["salvage"] * size
        itc += s["itc"] * size
        dep += s["depreciation"] * size
        capex_by_tech.setdefault(tech, np.zeros(n + 1))
        capex_by_tech[tech] += s["invest"] * size
        own = by_tech.setdefault(tech, {k: np.zeros(n + 1) for k in s})
        for k, line in s.items():
            own[k] += line * size
    for tech, line in capex_by_tech.items():
        rows[f"capex_{tech}"] = -line
    rows["salvage"] = salvage
    rows["itc"] = itc
    rows["operating_cash_flow"] = ops_total
    rows["tax_depreciation"] = dep
    taxable = ops_total - dep
    tax = fin.tax_rate * taxable
    tax[0] = 0.0
    rows["income_tax"] = -tax
    net = ops_total - capex + salvage + itc - tax
    rows["net_cash_flow"] = net
    v = discount(fin, np.arange(n + 1))
    rows["discounted_cash_flow"] = net * v
    rows["cumulative_cash_flow"] = np.cumsum(net)
    rows["cumulative_discounted_cash_flow"] = np.cumsum(net * v)
    table = pd.DataFrame(rows, index=cols).T
    table.columns.name = "year"
    npv = float(np.sum(net * v))
    lcoe = None
    energy_pv = float(np.sum(np.broadcast_to(np.asarray(generation_mwh, dtype=float), (n,)) * v[1:]))
    if energy_pv > 0:
        cost_pv = -sum(float(np.sum(rows[f"capex_{t}"] * v)) for t in generation_cost_items
                       if f"capex_{t}" in rows)
        cost_pv -= sum(float(np.sum(rows[s] * v)) for s in generation_cost_streams if s in rows)
        lcoe = cost_pv / energy_pv
    return ProForma(table=table, npv_usd=npv, irr=irr(net), simple_payback_years=payback(net),
                    discounted_payback_years=payback(net * v), lcoe_usd_per_mwh=lcoe,
                    capital_by_technology={t: {k: [float(x) for x in line] for k, line in lines.items()}
                                           for t, lines in by_tech.items()},
                    price_paths={k: [float(x) for x in traj[k]] for k in sorted({kind for kind, _ in annual.values()})
                                 if k in traj})


def irr(cash: np.ndarray) -> float | None:
    """Internal rate of return by bisection on NPV(r); None when the sign never changes."""
    cash = np.asarray(cash, float)
    if not (np.any(cash < 0) and np.any(cash > 0)):
        return None

    def npv(r: float) -> float:
        return float(np.sum(cash / (1.0 + r) ** np.arange(len(cash))))

    lo, hi = -0.99, 10.0
    f_lo, f_hi = npv(lo), npv(hi)
    if f_lo * f_hi > 0:
        return None
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        f_mid = npv(mid)
        if f_lo * f_mid <= 0:
            hi, f_hi = mid, f_mid
        else:
            lo, f_lo = mid, f_mid
        if hi - lo < 1e-10:
            break
    return 0.5 * (lo + hi)


def payback(cash: np.ndarray) -> float | None:
    """Years until the cumulative cash flow, once negative, turns non-negative again (interpolated).

    None if it never recovers (or there is no cash flow at all); 0 if it is never negative (nothing to pay
    back, something earned). A plan that only pays costs never pays back (it is not paid back in year 0).
    """
    cum = np.cumsum(np.asarray(cash, dtype=float))
    below = np.flatnonzero(cum < 0)
    if len(below) == 0:
        return 0.0 if np.any(cum > 0) else None
    for y in range(int(below[0]) + 1, len(cum)):
        if cum[y] >= 0:
            return float(y - 1 + (-cum[y - 1]) / (cum[y] - cum[y - 1]))
    return None
