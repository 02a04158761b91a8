"""The registry: the only list of technologies, and the questions the rest of the planner asks of it.

Each module declares one `Technology` (planner/technologies/spec.py); REGISTRY holds them in the order
they are added to the model. Nothing outside this package names a technology: the model, the results,
the pro-forma, the reports, the typical days and the sensitivities read these declarations.
"""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.params import objective_only
from planner.scenario.scenario import Scenario
from planner.technologies import (
    ai,
    battery,
    carbon,
    gas,
    geothermal,
    grid,
    heat,
    hydro,
    mining,
    nuclear,
    pv,
    site_load,
    wind,
)
from planner.technologies.spec import DEMAND, SUPPLY, Decision, Emissions, Flow, Limit, Size, Stream, Technology

REGISTRY: tuple[Technology, ...] = (
    pv.TECHNOLOGY,
    wind.TECHNOLOGY,
    gas.TECHNOLOGY,
    hydro.TECHNOLOGY,
    geothermal.TECHNOLOGY,
    nuclear.TECHNOLOGY,
    battery.TECHNOLOGY,
    grid.TECHNOLOGY,
    site_load.TECHNOLOGY,
    ai.TECHNOLOGY,
    mining.TECHNOLOGY,
    heat.TECHNOLOGY,  # after mining and AI: it reads their power
    carbon.TECHNOLOGY,  # after the grid: it prices its import
)

# the model's own flow: what no use takes (the one slack of the balance)
CURTAILED = Flow("curtailed_mw", DEMAND, "Curtailed", energy_key="curtailed")


def active(sc: Scenario) -> list[Technology]:
    """The technologies the scenario enables, in model order."""
    return [t for t in REGISTRY if getattr(sc, t.name).active()]


def section(sc: Scenario, tech: Technology):
    """A technology's input sheet."""
    return getattr(sc, tech.name)


def all_flows() -> list[Flow]:
    """Every dispatch column any technology can write (zero where absent), and curtailment."""
    return [f for t in REGISTRY for f in t.flows] + [CURTAILED]


def balance_columns() -> tuple[list[str], list[str]]:
    """(supply columns, demand columns) of the hourly balance: supply = demand."""
    flows = all_flows()
    return [f.column for f in flows if f.role == SUPPLY], [f.column for f in flows if f.role == DEMAND]


def decisions(sc: Scenario) -> list[tuple[Technology, Decision]]:
    """Every new-size decision of the enabled technologies."""
    return [(t, d) for t in active(sc) for d in t.decisions(sc)]


def limits(sc: Scenario) -> list[tuple[Technology, Limit]]:
    """The limits the enabled technologies' sheets set (e.g. an annual fuel cap), each with its technology."""
    return [(t, lim) for t in active(sc) for lim in t.limits]


def sizes(sc: Scenario) -> list[Size]:
    return [s for t in active(sc) for s in t.sizes]


def capital_items(sc: Scenario) -> list[CapitalItem]:
    """Every capital item of the enabled technologies, each paid per unit of its decision (`item.size`)."""
    return [item for t in active(sc) for item in t.capital(sc)]


def streams(sc: Scenario) -> list[tuple[Technology, Stream]]:
    return [(t, s) for t in active(sc) for s in t.streams(sc)]


def price_paths(sc: Scenario) -> dict[str, np.ndarray]:
    """The stream kinds technologies price along their own paths (e.g. mining: the hashprice), years 1..N."""
    return {t.name: t.price_path(sc) for t in active(sc) if t.price_path is not None}


def reprice_only(name: str, sc: Scenario) -> bool:
    """True when changing the dotted parameter only re-prices a model built for `sc` (planner/solve: reprice)."""
    return objective_only(name) and not any(name in t.structural(sc) for t in active(sc))


def for_typical_days(sc: Scenario) -> Scenario:
    """A copy whose series the typical-day aggregation can average (e.g. wind speed -> turbine output)."""
    out = sc.copy()
    for t in active(out):
        if t.for_typical_days is not None:
            t.for_typical_days(out)
    return out


def unlimited(sc: Scenario) -> list[str]:
    """Dotted names of the maximum-new-size inputs left blank (no limit) in enabled technologies."""
    return [f"{t.name}.{d.max_field}" for t, d in decisions(sc) if getattr(section(sc, t), d.max_field) is None]


def hedges(sc: Scenario) -> list[tuple[Technology, dict[str, float]]]:
    """The enabled flexible technologies (`hedge`) that may build something new, each with its new-size decisions
    held at their workbook minimum (the plan without new builds of it)."""
    out = []
    for t in active(sc):
        s = section(sc, t)
        held = {d.var: float(getattr(s, d.min_field)) for d in t.decisions(sc)}
        if t.hedge and any(getattr(s, d.max_field) is None or getattr(s, d.max_field) > held[d.var]
                           for d in t.decisions(sc)):
            out.append((t, held))
    return out


def firm_labels() -> list[str]:
    """Technologies that can carry a firm load through the night (for messages)."""
    return [t.label for t in REGISTRY if t.firm]


def emissions(sc: Scenario, d) -> Emissions:
    """Every enabled technology's emissions and avoided emissions (tCO2e/yr) by source, with their totals."""
    emitted: dict[str, float] = {}
    avoided: dict[str, float] = {}
    for t in active(sc):
        if t.emissions is not None:
            e = t.emissions(sc, d)
            emitted.update(e.emitted)
            avoided.update(e.avoided)
    emitted["total"] = float(sum(emitted.values()))
    avoided["total"] = float(sum(avoided.values()))
    return Emissions(emitted, avoided)
