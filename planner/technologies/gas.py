"""Gas gensets on stranded/flared gas: integer units, heat rate, hourly and annual fuel limits.

Gas not burned is flared (reported with its CO2e); an optional carbon credit rewards each MMBtu
burned in the gensets instead of the flare.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from planner.finance import CapitalItem
from planner.scenario.inputs import Gas
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, hourly_con, hourly_var, new_var

NEW = "gas_new_units"


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    g = sc.gas
    return [(CapitalItem("gas", "gas", g.capex_usd_per_kw * 1000 * g.unit_mw, g.life_years), NEW)]


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
    import math

    g = sc.gas
    peak_mw = float(sc.hourly["gas_supply_mmbtu_per_h"].max()) / g.heat_rate_mmbtu_per_mwh
    useful = max(math.ceil(peak_mw / (g.unit_mw * max(g.availability, 1e-9)) - 1e-9) - g.existing_units, 0)
    return useful if g.max_new_units is None else min(g.max_new_units, useful)


def add(ctx: Ctx) -> None:
    """Genset units, hourly output limited by units and gas flow, annual gas cap, fuel and O&M costs."""
    g = ctx.sc.gas
    m = ctx.m
    new = new_var(m, NEW, g.min_new_units, useful_new_units(ctx.sc), integer=True)
    ctx.integers["gas_units"] = new
    n = g.existing_units + new
    supply_mw = (ctx.sc.hourly["gas_supply_mmbtu_per_h"].to_numpy(float) / g.heat_rate_mmbtu_per_mwh).tolist()
    gen = hourly_var(m, "gas_mw", ctx.sc.n_steps, ub=supply_mw)
    hourly_con(m, "gas_units_limit", ctx.sc.n_steps, lambda t: gen[t] <= g.availability * g.unit_mw * n)
    if g.annual_gas_cap_mmbtu is not None:
        m.gas_annual_cap = pyo.Constraint(
            expr=g.heat_rate_mmbtu_per_mwh * ctx.weighted_sum(lambda t: gen[t]) <= g.annual_gas_cap_mmbtu)
    ctx.supply["gas_mw"] = lambda t: gen[t]
    ctx.hourly["gas_mw"] = gen
    energy = ctx.weighted_sum(lambda t: gen[t])
    ctx.stream("gas_fuel", "fuel", lambda sc: -fuel_cost_usd_per_mwh(sc.gas), energy)
    ctx.stream("gas_vom", "om", lambda sc: -sc.gas.vom_usd_per_mwh, energy)
    ctx.stream("gas_fom", "om", lambda sc: -sc.gas.fom_usd_per_kw_year * 1000, g.unit_mw * n)
    ctx.stream("gas_carbon_credit", "flat", lambda sc: credit_usd_per_mmbtu(sc.gas) * sc.gas.heat_rate_mmbtu_per_mwh,
               energy)
    ctx.sizes["gas_units"] = n
    ctx.sizes["gas_mw"] = g.unit_mw * n


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    g = sc.gas
    n = g.existing_units + new[NEW]
    energy = float((d["weight"] * d["gas_mw"]).sum())
    out = {
        "gas_fuel": ("fuel", -fuel_cost_usd_per_mwh(g) * energy),
        "gas_vom": ("om", -g.vom_usd_per_mwh * energy),
        "gas_fom": ("om", -g.fom_usd_per_kw_year * 1000 * g.unit_mw * n),
    }
    if g.carbon_credit_usd_per_t_co2e:
        out["gas_carbon_credit"] = ("flat", credit_usd_per_mmbtu(g) * g.heat_rate_mmbtu_per_mwh * energy)
    return out


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
