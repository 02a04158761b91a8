"""Firm thermal units (geothermal, small reactors): integer units, availability, must-run floor, outages.

  min_load x avail_t x N x P  <=  gen_t  <=  avail_t x N x P,   avail_t = availability x planned-outage profile

`technology(name, label)` declares one such technology; its input sheet is a FirmUnits section.
"""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.inputs import FirmUnits
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var


def available_fraction(sc: Scenario, f: FirmUnits) -> np.ndarray:
    return f.availability * sc.hourly["firm_available_fraction"].to_numpy(float)


def technology(tech: str, label: str) -> spec.Technology:
    """The declaration of one firm-unit technology whose inputs are the Scenario's section `tech`."""
    new, units, mw, col = f"{tech}_new_units", f"{tech}_units", f"{tech}_mw", f"{tech}_mw"

    def section(sc: Scenario) -> FirmUnits:
        return getattr(sc, tech)

    def add(ctx: Ctx) -> None:
        """Hourly output between the must-run floor and the available power of the units (5)."""
        f = section(ctx.sc)
        n = ctx.sizes[units]
        avail = available_fraction(ctx.sc, f).tolist()
        gen = hourly_var(ctx.m, col, ctx.sc.n_steps)
        hourly_con(ctx.m, f"{tech}_max", ctx.sc.n_steps, lambda t: gen[t] <= avail[t] * f.unit_mw * n)
        if f.min_load_fraction > 0:
            hourly_con(ctx.m, f"{tech}_must_run", ctx.sc.n_steps,
                       lambda t: gen[t] >= f.min_load_fraction * avail[t] * f.unit_mw * n)
        ctx.hourly[col] = gen

    def capital(sc: Scenario) -> list[CapitalItem]:
        f = section(sc)
        per_unit = f.capex_usd_per_kw * 1000 * f.unit_mw
        return [CapitalItem(tech, tech, per_unit, f.life_years, 0.0, f.itc_fraction, size=new)]

    def streams(sc: Scenario) -> list[spec.Stream]:
        return [
            spec.Stream(f"{tech}_fuel", "fuel", lambda sc: -section(sc).fuel_usd_per_mwh, spec.Hourly(col),
                        f"{label} fuel"),
            spec.Stream(f"{tech}_vom", "om", lambda sc: -section(sc).vom_usd_per_mwh, spec.Hourly(col),
                        f"{label} variable O&M"),
            spec.Stream(f"{tech}_fom", "om", lambda sc: -section(sc).fom_usd_per_kw_year * 1000, spec.Capacity(mw),
                        f"{label} fixed O&M"),
        ]

    return spec.Technology(
        name=tech,
        label=label,
        add=add,
        decisions=lambda sc: [spec.Decision(new, "units", "min_new_units", "max_new_units", integer=True, fleet=units)],
        sizes=(
            spec.Size(units, "units", f"{label} units", existing=lambda sc: section(sc).existing_units, new=new,
                      integer=True),
            spec.Size(mw, "MW", f"{label} capacity", existing=lambda sc: section(sc).existing_units, new=new,
                      per_unit=lambda sc: section(sc).unit_mw),
        ),
        flows=(spec.Flow(col, spec.SUPPLY, label, energy_key=f"generation_{tech}", generation=True),),
        capital=capital,
        streams=streams,
        land=(spec.Land(lambda sc: section(sc).land_ha_per_mw * section(sc).unit_mw, new),),
        capacity_factors=(spec.CapacityFactor(tech, col, mw),),
        firm=True,
    )
