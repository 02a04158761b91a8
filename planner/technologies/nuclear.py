"""Nuclear units: firm, integer, with availability, must-run floor and planned outages (see firm.py)."""

from __future__ import annotations

import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import firm
from planner.technologies.base import Ctx

NEW = firm.new_key("nuclear")


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    return firm.capital_items_for("nuclear", sc.nuclear)


def add(ctx: Ctx) -> None:
    """Nuclear units into the model (firm.add_for)."""
    firm.add_for(ctx, "nuclear", ctx.sc.nuclear)


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    return firm.annual_cash_for("nuclear", sc.nuclear, new, d)
