"""Carbon: the emissions of grid import (an hourly grid carbon intensity) and an optional price on them.

emissions = sum_t w_t x import_t x intensity_t (tCO2/yr); cost = price x emissions (docs/formulation.md, (C5)).
"""

from __future__ import annotations

import pandas as pd

from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx
from planner.technologies.spec import weighted_total

IMPORT = "grid_import_mw"  # the grid connection's import flow
INTENSITY = "grid_carbon_t_per_mwh"


def add(ctx: Ctx) -> None:
    """Nothing of its own: the price is a stream on the import flow."""


def streams(sc: Scenario) -> list[spec.Stream]:
    if not sc.grid.active():
        return []
    return [spec.Stream("grid_carbon_cost", "flat", lambda sc: -sc.carbon.grid_carbon_price_usd_per_t_co2,
                        spec.Hourly(IMPORT, INTENSITY), "Carbon price on grid import")]


def carbon_emissions(sc: Scenario, d: pd.DataFrame) -> spec.Emissions:
    """tCO2/yr of the grid import, from the hourly intensity."""
    return spec.Emissions(emitted={"grid_import": weighted_total(d, IMPORT, sc.hourly[INTENSITY].to_numpy(float))})


TECHNOLOGY = spec.Technology(
    name="carbon",
    label="Carbon",
    add=add,
    decisions=lambda sc: [],
    sizes=(),
    flows=(),
    streams=streams,
    emissions=carbon_emissions,
    figures=(spec.Figure("grid_import", "Grid import (hourly carbon intensity)", "tCO2e/yr"),),
)
