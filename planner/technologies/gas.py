"""Gas gensets on stranded/flared gas: integer units, heat rate, hourly and annual fuel limits.

Gas not burned is flared (reported with its CO2e); an optional carbon credit rewards each MMBtu
burned in the gensets instead of the flare.
"""

from __future__ import annotations

import math

import pandas as pd
import pyomo.core as pyo

from planner.finance import CapitalItem
from planner.scenario.inputs import Gas
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

NEW = "gas_new_units"


def flare_co2e_t_per_mmbtu(g: Gas) -> float:
    """tCO2e released by flaring one MMBtu: CO2 of the burned share + methane slip x GWP."""
    return (g.co2_kg_per_mmbtu * g.flare_efficiency
            + g.methane_kg_per_mmbtu * (1 - g.flare_efficiency) * g.methane_gwp) / 1000.0


def credit_usd_per_mmbtu(g: Gas) -> float:
    """Carbon credit for burning one MMBtu in an engine instead of the flare."""
    avoided_t = flare_co2e_t_per_mmbtu(g) - g.co2_kg_per_mmbtu / 1000.0
    return g.carbon_credit_usd_per_t_co2e * avoided_t


def fuel_cost_usd_per_mwh(g: Gas) -> float:
    return g.fuel_price_usd_per_mmbtu * g.heat_rate_mmbtu_per_mwh


def useful_new_units(sc: Scenario) -> int | None:
    """Tight upper bound on new units: more than the peak gas flow can feed never adds output."""
    g = sc.gas
    peak_mw = float(sc.hourly["gas_supply_mmbtu_per_h"].max()) / g.heat_rate_mmbtu_per_mwh
    useful = max(math.ceil(peak_mw / (g.unit_mw * max(g.availability, 1e-9)) - 1e-9) - g.existing_units, 0)
    return useful if g.max_new_units is None else min(g.max_new_units, useful)


def add(ctx: Ctx) -> None:
    """Hourly genset output limited by the units and the gas flow, and the annual gas cap (3)."""
    g = ctx.sc.gas
    m = ctx.m
    n = ctx.sizes["gas_units"]
    supply_mw = (ctx.sc.hourly["gas_supply_mmbtu_per_h"].to_numpy(float) / g.heat_rate_mmbtu_per_mwh).tolist()
    gen = hourly_var(m, "gas_mw", ctx.sc.n_steps, ub=supply_mw)
    hourly_con(m, "gas_units_limit", ctx.sc.n_steps, lambda t: gen[t] <= g.availability * g.unit_mw * n)
    if g.annual_gas_cap_mmbtu is not None:
        m.gas_annual_cap = pyo.Constraint(
            expr=g.heat_rate_mmbtu_per_mwh * ctx.weighted_sum(lambda t: gen[t]) <= g.annual_gas_cap_mmbtu)
    ctx.hourly["gas_mw"] = gen


def capital(sc: Scenario) -> list[CapitalItem]:
    g = sc.gas
    return [CapitalItem("gas", "gas", g.capex_usd_per_kw * 1000 * g.unit_mw, g.life_years, size=NEW)]


def streams(sc: Scenario) -> list[spec.Stream]:
    return [
        spec.Stream("gas_fuel", "fuel", lambda sc: -fuel_cost_usd_per_mwh(sc.gas), spec.Hourly("gas_mw"), "Gas fuel"),
        spec.Stream("gas_vom", "om", lambda sc: -sc.gas.vom_usd_per_mwh, spec.Hourly("gas_mw"), "Genset variable O&M"),
        spec.Stream("gas_fom", "om", lambda sc: -sc.gas.fom_usd_per_kw_year * 1000, spec.Capacity("gas_mw"),
                    "Genset fixed O&M"),
        spec.Stream("gas_carbon_credit", "flat",
                    lambda sc: credit_usd_per_mmbtu(sc.gas) * sc.gas.heat_rate_mmbtu_per_mwh,
                    spec.Hourly("gas_mw"), "Carbon credit for gas not flared"),
    ]


def gas_report(sc: Scenario, d: pd.DataFrame) -> dict[str, float]:
    """Gas burned and flared (MMBtu/yr) and their CO2e (t/yr)."""
    g = sc.gas
    w = d["weight"]
    supply = float((w * sc.hourly["gas_supply_mmbtu_per_h"].to_numpy(float)).sum())
    burned = float((w * d["gas_mw"]).sum()) * g.heat_rate_mmbtu_per_mwh if "gas_mw" in d else 0.0
    flared = max(supply - burned, 0.0)
    return {
        "gas_supply_mmbtu": supply,
        "gas_burned_mmbtu": burned,
        "gas_flared_mmbtu": flared,
        "flared_co2e_t": flared * flare_co2e_t_per_mmbtu(g),
        "genset_co2_t": burned * g.co2_kg_per_mmbtu / 1000.0,
        "co2e_avoided_vs_flaring_t": burned * (flare_co2e_t_per_mmbtu(g) - g.co2_kg_per_mmbtu / 1000.0),
    }


TECHNOLOGY = spec.Technology(
    name="gas",
    label="Gas gensets",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "units", "min_new_units", "max_new_units", integer=True, fleet="gas_units",
                                        upper=useful_new_units)],
    sizes=(
        spec.Size("gas_units", "units", "Gas gensets", existing=lambda sc: sc.gas.existing_units, new=NEW,
                  integer=True),
        spec.Size("gas_mw", "MW", "Genset capacity", existing=lambda sc: sc.gas.existing_units, new=NEW,
                  per_unit=lambda sc: sc.gas.unit_mw),
    ),
    flows=(spec.Flow("gas_mw", spec.SUPPLY, "Gas gensets", energy_key="generation_gas", generation=True),),
    capital=capital,
    streams=streams,
    capacity_factors=(spec.CapacityFactor("gas", "gas_mw", "gas_mw"),),
    limits=(spec.Limit("gas_annual_cap", "annual_gas_cap_mmbtu", "Annual gas cap", "MMBtu/yr"),),
    firm=True,
    report=gas_report,
    figures=(
        spec.Figure("gas_supply_mmbtu", "Gas available", "MMBtu/yr"),
        spec.Figure("gas_burned_mmbtu", "Gas burned in the gensets", "MMBtu/yr"),
        spec.Figure("gas_flared_mmbtu", "Gas still flared", "MMBtu/yr"),
        spec.Figure("flared_co2e_t", "CO2e of the gas still flared", "tCO2e/yr"),
        spec.Figure("genset_co2_t", "CO2 of the gensets", "tCO2/yr"),
        spec.Figure("co2e_avoided_vs_flaring_t", "CO2e avoided versus flaring", "tCO2e/yr"),
    ),
)
