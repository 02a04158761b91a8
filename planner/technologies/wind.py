"""Wind: an integer number of catalog turbines; output = power-curve CF x turbines x rating."""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx

NEW = "wind_new_turbines"


def capacity_factor(sc: Scenario) -> np.ndarray:
    """Hourly CF of one turbine: its power curve on the hub-height speed, less losses (or wind_cf as given)."""
    w = sc.wind
    if w.resource == "capacity_factor":
        return sc.hourly["wind_cf"].to_numpy(float)
    speed_mps, power_kw = sc.wind_power_curve
    raw = np.interp(sc.hourly["wind_speed_mps"].to_numpy(float), speed_mps, power_kw, left=0.0, right=0.0)
    rated_kw = float(np.max(power_kw))
    return np.clip(raw / rated_kw, 0.0, 1.0) * (1.0 - w.losses_fraction)


def add(ctx: Ctx) -> None:
    """The turbines' hourly output into the balance, cf_t x rating x turbines (an expression; (2))."""
    n = ctx.sizes["wind_turbines"]
    cf = capacity_factor(ctx.sc).tolist()
    mw = ctx.sc.wind.turbine_mw
    ctx.hourly["wind_mw"] = lambda t: cf[t] * mw * n


def for_typical_days(sc: Scenario) -> None:
    """Aggregate the turbine's output, not the speed: the power curve is nonlinear."""
    sc.hourly["wind_cf"] = capacity_factor(sc)
    sc.wind.resource = "capacity_factor"
    sc.wind.losses_fraction = 0.0  # already applied in wind_cf


def capital(sc: Scenario) -> list[CapitalItem]:
    w = sc.wind
    per_turbine = w.capex_usd_per_kw * 1000 * w.turbine_mw
    return [CapitalItem("wind", "wind", per_turbine, w.life_years, 0.0, w.itc_fraction, size=NEW)]


def streams(sc: Scenario) -> list[spec.Stream]:
    return [
        spec.Stream("wind_fom", "om", lambda sc: -sc.wind.fom_usd_per_kw_year * 1000, spec.Capacity("wind_mw"),
                    "Wind fixed O&M"),
        spec.Stream("wind_vom", "om", lambda sc: -sc.wind.vom_usd_per_mwh, spec.Hourly("wind_mw"), "Wind variable O&M"),
    ]


TECHNOLOGY = spec.Technology(
    name="wind",
    label="Wind",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "turbines", "min_new_turbines", "max_new_turbines", integer=True,
                                        fleet="wind_turbines")],
    sizes=(
        spec.Size("wind_turbines", "turbines", "Wind turbines", existing=lambda sc: sc.wind.existing_turbines, new=NEW,
                  integer=True),
        spec.Size("wind_mw", "MW", "Wind capacity", existing=lambda sc: sc.wind.existing_turbines, new=NEW,
                  per_unit=lambda sc: sc.wind.turbine_mw),
    ),
    flows=(spec.Flow("wind_mw", spec.SUPPLY, "Wind", energy_key="generation_wind", generation=True),),
    capital=capital,
    streams=streams,
    land=(spec.Land(lambda sc: sc.wind.land_ha_per_mw * sc.wind.turbine_mw, NEW),),
    capacity_factors=(spec.CapacityFactor("wind", "wind_mw", "wind_mw"),),
    for_typical_days=for_typical_days,
)
