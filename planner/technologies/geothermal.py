"""Geothermal units: firm, integer, with availability, must-run floor and planned outages (see firm.py)."""

from __future__ import annotations

import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import firm
from planner.technologies.base import Ctx

NEW = firm.new_key("geothermal")


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    return firm.capital_items_for("geothermal", sc.geothermal)


def add(ctx: Ctx) -> None:
    """Geothermal units into the model (firm.add_for)."""
    firm.add_for(ctx, "geothermal", ctx.sc.geothermal)


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    return firm.annual_cash_for("geothermal", sc.geothermal, new, d)
