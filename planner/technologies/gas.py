"""Gas gensets on stranded/flared gas: integer units, heat rate, hourly and annual fuel limits.

Gas not burned is flared or vented, as in the stated baseline (reported with its CO2e); an optional
carbon credit rewards each MMBtu burned in the gensets instead: the baseline's CO2e per MMBtu minus the
gensets' CO2, times the credit price (docs/formulation.md, (C1)-(C4)).
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
    """tCO2e released by the baseline per MMBtu (C1): flaring = CO2 of the burned share + methane slip x GWP;
    venting = all the methane x GWP."""
    if g.credit_baseline == "venting":
        return g.methane_kg_per_mmbtu * g.methane_gwp / 1000.0
    return (g.co2_kg_per_mmbtu * g.flare_efficiency
            + g.methane_kg_per_mmbtu * (1 - g.flare_efficiency) * g.methane_gwp) / 1000.0


def genset_co2_t_per_mmbtu(g: Gas) -> float:
    """tCO2 a genset emits per MMBtu burned (complete combustion, C2)."""
    return g.co2_kg_per_mmbtu / 1000.0


def avoided_t_per_mmbtu(g: Gas) -> float:
    """tCO2e avoided per MMBtu burned in a genset instead of the baseline (C3)."""
    return flare_co2e_t_per_mmbtu(g) - genset_co2_t_per_mmbtu(g)


def credit_usd_per_mmbtu(g: Gas) -> float:
    """Carbon credit for burning one MMBtu in an engine instead of the baseline (C4)."""
    return g.carbon_credit_usd_per_t_co2e * avoided_t_per_mmbtu(g)


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
        "genset_co2_t": burned * genset_co2_t_per_mmbtu(g),
        "co2e_avoided_vs_flaring_t": burned * avoided_t_per_mmbtu(g),
    }


def gas_emissions(sc: Scenario, d: pd.DataFrame) -> spec.Emissions:
    """The gensets' CO2, the baseline's CO2e of the gas they do not burn, and the CO2e their burning avoids."""
    r = gas_report(sc, d)
    return spec.Emissions(emitted={"gas_gensets": r["genset_co2_t"], "gas_not_burned": r["flared_co2e_t"]},
                          avoided={"gas_methane_destroyed": r["co2e_avoided_vs_flaring_t"]})


# multi-period plans: a genset leaving early is relocated (its recovered value less the moving cost per unit)
RETIRE = spec.Retire(lambda sc: sc.gas.retire_recovery_fraction,
                     lambda sc: sc.gas.relocation_cost_usd_per_kw * 1000.0 * sc.gas.unit_mw)


TECHNOLOGY = spec.Technology(
    name="gas",
    label="Gas gensets",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "units", "min_new_units", "max_new_units", integer=True, fleet="gas_units",
                                        upper=useful_new_units, retire=RETIRE)],
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
        spec.Figure("flared_co2e_t", "CO2e of the gas still flared (or vented, as in the baseline)", "tCO2e/yr"),
        spec.Figure("genset_co2_t", "CO2 of the gensets", "tCO2/yr"),
        spec.Figure("co2e_avoided_vs_flaring_t", "CO2e avoided versus the baseline (flaring or venting)",
                    "tCO2e/yr"),
        spec.Figure("gas_gensets", "Gensets (CO2 of the gas burned)", "tCO2e/yr"),
        spec.Figure("gas_not_burned", "Gas not burned (flared or vented, as in the baseline)", "tCO2e/yr"),
        spec.Figure("gas_methane_destroyed", "Methane destroyed in the gensets instead of the baseline", "tCO2e/yr"),
    ),
    emissions=gas_emissions,
)
