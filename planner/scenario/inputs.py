"""Typed inputs: one dataclass per workbook sheet, each field with unit, note, range and source.

Every fact about an input is written once, here: its default, unit, range, source, whether a blank
is filled from the equipment catalog, whether changing it only re-prices a built model; and the
hourly columns each sheet needs (`HOURLY`). `Sections` lists the sheets in workbook order; the reader,
the template, `docs/inputs.md`, `planner params` and the sensitivities read these declarations.

Every default names its source: the original publication, or `docs/sources.md, <section>`, where the
original publication (author, title, year, URL or identifier) and the reasoning of every estimate are.
Money is US dollars in real terms (see Finance.dollar_basis); energy MWh, power MW unless the
field name says otherwise.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from planner.scenario.fields import YES_NO, inp
from planner.scenario.hourly import HourlyColumn
from planner.scenario.layout import HOURLY_FIRST_ROW, HOURLY_SHEET

ATB = "NREL ATB 2024 Moderate/Market, cost year 2025 (2022$), via PyPSA technology-data costs_2025.csv"
EST = "estimate (docs/sources.md, Estimates)"
NO_LIMIT = "no limit (the model may become unbounded)"

# magnitude hints for unit-slip warnings: a $/kW capex typed in $/W or $/MW
CAPEX_KW_SLIPS = ((1e-3, "USD/W"), (1e3, "USD/MW"))
PRICE_MWH_SLIPS = ((1e-3, "USD/kWh"),)
ROUNDING_WARN_FRACTION = 0.01  # warn when whole servers or ASICs move a block's or container's power by more


def whole_units(capacity: float, per_unit: float) -> int:
    """The most whole units of `per_unit` that fit in `capacity` (floor, 1e-9 relative tolerance), at least one."""
    return max(1, int(np.floor(capacity / per_unit * (1.0 + 1e-9))))


def _catalog_value(catalog: Any, kind: str, model: str, column: str) -> float | None:
    """A catalog column of a model, or None when the model is unknown (reported as its own error)."""
    try:
        return float(catalog.row(kind, model)[column])
    except (KeyError, TypeError, ValueError):
        return None


def _rounding_warning(what: str, target: float, unit: str, count: int, item: str, built: float,
                      one: str) -> list[str]:
    """A warning when whole units move a target power by more than ROUNDING_WARN_FRACTION."""
    if abs(built - target) <= ROUNDING_WARN_FRACTION * target:
        return []
    return [f"{what} = {target:g} {unit} holds {count} whole {item}: each {one} is built with {built:.6g} {unit} "
            f"({built / target - 1:+.1%}); sizes, costs, land and energy use follow the whole units"]


class Section:
    """What every input sheet can say about itself besides its fields."""

    HOURLY: ClassVar[tuple[HourlyColumn, ...]] = ()  # the Hourly columns this sheet's inputs use
    # a feature sheet added after the first template, off by default: a workbook without it reads it as off
    MAY_BE_ABSENT: ClassVar[bool] = False

    def active(self) -> bool:
        """Is this part of the site in the model at all (its enable flag)?"""
        return bool(getattr(self, "enabled", True))

    def rules(self, catalog: Any) -> tuple[list[str], list[str]]:
        """(errors, warnings) about combinations of this sheet's fields, without the sheet name."""
        return [], []

    def hourly_warnings(self, hourly: Any) -> list[str]:
        """Warnings about this sheet's hourly columns once they are read (full messages)."""
        return []


@dataclass
class Site(Section):
    """Where the project is and the limits that apply to the whole site."""

    HOURLY = (HourlyColumn("temperature_c", "degC", "Ambient temperature (for the record and the report)", -90, 70,
                           used=lambda _s: False, required=None),)

    name: str = inp("template-site", "text", "Short site name; outputs go to outputs/<name>/")
    description: str = inp("", "text", "One line describing the site", blank_means="no description")
    latitude_deg: float = inp(32.32, "deg", "Latitude (north positive), for the record", lo=-90, hi=90)
    longitude_deg: float = inp(-100.18, "deg", "Longitude (east positive), for the record", lo=-180, hi=180)
    cod_year: float = inp(
        2027.0, "year", "Commercial operation date as a decimal year; year 1 of operation starts here",
        lo=2000, hi=2100, source="assumption", objective_only=True)
    site_capacity_mw: float | None = inp(
        None, "MW", "Site electrical (substation) capacity shared by load, AI, mining, charging and export",
        lo=0, blank_means="no site capacity limit")
    capex_budget_usd: float | None = inp(
        None, "USD", "Upper limit on total year-0 capex", lo=0, blank_means="no budget limit")
    land_area_ha: float | None = inp(
        None, "ha", "Land available for all new technologies", lo=0, blank_means="no land limit")


@dataclass
class Finance(Section):
    """How cash flows are discounted and taxed."""

    discount_rate: float = inp(
        0.08, "fraction/yr", "Real project discount rate", lo=0, hi=0.5,
        source="estimate: NREL ATB 2024 real WACC 4-5 % and the 10 % of the MCF.DIGITAL gas-to-bitcoin "
               "methodology (docs/sources.md, Finance)",
        typical=(0.0, 0.3), slips=((100.0, "percent (type 0.08, not 8)"),), objective_only=True, key=True)
    analysis_years: int = inp(20, "years", "Analysis period", lo=1, hi=50,
                              source="MCF.DIGITAL gas-to-bitcoin methodology, on360.me (docs/sources.md, Finance)",
                              objective_only=True, key=True)
    dollar_basis: str = inp("real", "enum", "Whether prices, escalations and discount rate are real or nominal",
                            choices=("real", "nominal"), key=True)
    om_escalation: float = inp(0.0, "fraction/yr", "Escalation of O&M costs (0 in real terms)", lo=-0.2, hi=0.3,
                               objective_only=True)
    electricity_escalation: float = inp(0.0, "fraction/yr", "Escalation of grid export and import prices",
                                        lo=-0.2, hi=0.3, objective_only=True)
    fuel_escalation: float = inp(0.0, "fraction/yr", "Escalation of gas and nuclear fuel prices", lo=-0.2, hi=0.3,
                                 objective_only=True)
    escalation_starts: str = inp(
        "year_1", "enum",
        "When the O&M, electricity and fuel escalations start: year_1 = year 1 pays the prices typed, escalation "
        "from year 2, f(y) = (1+e)^(y-1); year_0 = the prices typed are today's, year 1 already pays one year of "
        "escalation, f(y) = (1+e)^y, as REopt does (at 2.7 %/yr, 8 %, 20 years: PWF 11.971 vs REopt's 12.2942)",
        choices=("year_1", "year_0"),
        source="REopt.jl src/core/utils.jl: annuity assumes cost growth in the first period (year_0)")
    salvage: str = inp(
        "linear", "enum",
        "Value of capital whose life runs past the last year: linear = the unexpired share of its last "
        "investment's cost is returned in year N (straight line); none = nothing is returned",
        choices=("linear", "none"), source="straight-line residual value (assumption); none = no terminal value")
    tax_rate: float = inp(0.0, "fraction", "Income tax rate on operating profit (0 = pre-tax NPV)", lo=0, hi=0.6,
                          source="21 % US federal if enabled, 26 U.S.C. 11(b) (docs/sources.md, Finance)",
                          objective_only=True, key=True)
    depreciation: str = inp("macrs_5", "enum", "Tax depreciation of capex (used only when tax_rate > 0)",
                            choices=("none", "straight_line", "macrs_5", "bonus_100"),
                            source="MACRS 5-yr; 100 % bonus under the One Big Beautiful Bill Act, P.L. 119-21 "
                                   "(docs/sources.md, Finance)")
    straight_line_years: int = inp(20, "years", "Years for straight-line depreciation", lo=1, hi=50,
                                   objective_only=True)


@dataclass
class PV(Section):
    """Solar PV, sized continuously in MW AC."""

    HOURLY = (HourlyColumn("pv_cf", "fraction", "AC output of 1 MW_ac of PV (capacity factor)", 0, 1,
                           extremes=("min_period",)),)

    enabled: bool = inp(True, "yes/no", "Consider building PV", choices=YES_NO)
    existing_mw_ac: float = inp(0.0, "MW_ac", "PV already on site (no capex, pays O&M)", lo=0)
    min_new_mw_ac: float = inp(0.0, "MW_ac", "Smallest new PV build (forces a build)", lo=0)
    max_new_mw_ac: float | None = inp(300.0, "MW_ac", "Largest new PV build", lo=0,
        blank_means=NO_LIMIT)
    dc_ac_ratio: float = inp(1.3, "ratio", "DC/AC ratio the hourly pv_cf was computed with (reported MW_dc)",
                             lo=0.8, hi=2.5, source="typical utility single-axis design")
    capex_usd_per_kw_ac: float = inp(1606.0, "USD/kW_ac", "Installed cost", lo=0, source=ATB,
                                     typical=(300, 5000), slips=CAPEX_KW_SLIPS, objective_only=True)
    fom_usd_per_kw_year: float = inp(22.6, "USD/kW_ac-yr", "Fixed O&M", lo=0, source=ATB + " (1.41 % of capex)",
                                     objective_only=True)
    vom_usd_per_mwh: float = inp(0.0, "USD/MWh", "Variable O&M per MWh generated", lo=0, objective_only=True)
    life_years: int = inp(30, "years", "Economic life; replaced at end of life inside the period", lo=1, hi=80,
                          source="NREL ATB 2024 cost-recovery convention (estimate; docs/sources.md, PV)",
                          objective_only=True)
    degradation_per_year: float = inp(0.005, "fraction/yr", "Annual output degradation", lo=0, hi=0.05,
                                      source="Jordan & Kurtz 2013, NREL/JA-5200-51664 (median 0.5 %/yr)")
    itc_fraction: float = inp(0.0, "fraction", "Investment tax credit on year-0 capex, received in year 1 "
                              "(docs/formulation.md, Tax)", lo=0, hi=1,
                              source="One Big Beautiful Bill Act, P.L. 119-21: 30 % only if construction began "
                                     "by 4 Jul 2026 (docs/sources.md, Finance)",
                              objective_only=True)
    land_ha_per_mw: float = inp(3.2, "ha/MW_ac", "Land use", lo=0,
                                source="Ong et al. 2013, NREL/TP-6A20-56290 (7.9 acres/MW_ac total area)")


def _wind_resource(resource: str):
    return lambda w: w.active() and w.resource == resource


@dataclass
class Wind(Section):
    """Wind turbines, an integer number of catalog turbines with a power curve."""

    HOURLY = (
        HourlyColumn("wind_speed_mps", "m/s", "Hub-height wind speed (used with Wind.resource = wind_speed)", 0, 80,
                     used=_wind_resource("wind_speed"), required=_wind_resource("wind_speed")),
        HourlyColumn("wind_cf", "fraction", "Turbine capacity factor (used with Wind.resource = capacity_factor)",
                     0, 1, used=_wind_resource("capacity_factor"), required=_wind_resource("capacity_factor"),
                     extremes=("min_period",)),
    )

    enabled: bool = inp(True, "yes/no", "Consider building wind", choices=YES_NO)
    turbine_model: str = inp("E-126/4200", "catalog", "Turbine model (models/wind_turbines.csv)",
                             catalog="wind_turbines")
    turbine_mw: float | None = inp(None, "MW", "Rated power per turbine", lo=0, lo_open=True,
                                   blank_means="catalog value", from_catalog="rated_mw")
    resource: str = inp("wind_speed", "enum",
                        "wind_speed: apply the turbine power curve to Hourly wind_speed_mps; "
                        "capacity_factor: use Hourly wind_cf as given",
                        choices=("wind_speed", "capacity_factor"))
    losses_fraction: float = inp(0.12, "fraction", "Wake, electrical and availability losses on the power curve",
                                 lo=0, hi=0.5, source="NREL ATB 2024 wind: ~12 % total losses (estimate)")
    existing_turbines: int = inp(0, "count", "Turbines already on site", lo=0)
    min_new_turbines: int = inp(0, "count", "Fewest new turbines", lo=0)
    max_new_turbines: int | None = inp(40, "count", "Most new turbines", lo=0,
        blank_means=NO_LIMIT)
    capex_usd_per_kw: float = inp(1689.0, "USD/kW", "Installed cost", lo=0, source=ATB,
                                  typical=(300, 6000), slips=CAPEX_KW_SLIPS, objective_only=True)
    fom_usd_per_kw_year: float = inp(33.6, "USD/kW-yr", "Fixed O&M", lo=0, source=ATB + " (1.99 % of capex)",
                                     objective_only=True)
    vom_usd_per_mwh: float = inp(0.0, "USD/MWh", "Variable O&M", lo=0, objective_only=True)
    life_years: int = inp(28, "years", "Economic life", lo=1, hi=80,
                          source="Danish Energy Agency technology data via PyPSA technology-data (28.5 yr)",
                          objective_only=True)
    itc_fraction: float = inp(0.0, "fraction", "Investment tax credit", lo=0, hi=1, objective_only=True)
    land_ha_per_mw: float = inp(0.3, "ha/MW", "Directly disturbed land", lo=0,
                                source="Denholm et al. 2009, NREL/TP-6A2-45834 (0.3 ha/MW direct impact)")

    def rules(self, catalog) -> tuple[list[str], list[str]]:
        if (self.enabled and self.resource == "wind_speed" and self.turbine_model not in catalog.power_curves
                and self.turbine_model in catalog.names("wind_turbines")):
            return [f"turbine {self.turbine_model!r} has no power curve in models/wind_power_curves.csv; use "
                    f"resource = capacity_factor or another model"], []
        return [], []


@dataclass
class Gas(Section):
    """Gas gensets burning stranded or flared gas: integer catalog units, fuel-limited."""

    HOURLY = (HourlyColumn("gas_supply_mmbtu_per_h", "MMBtu/h", "Stranded or flared gas available", 0, None,
                           extremes=("min_period",)),)

    enabled: bool = inp(False, "yes/no", "Consider building gensets", choices=YES_NO)
    genset_model: str = inp("Gas engine 1.0 MW class", "catalog", "Genset model (models/gas_gensets.csv)",
                            catalog="gas_gensets")
    unit_mw: float | None = inp(None, "MW", "Rated power per unit", lo=0, lo_open=True,
                                blank_means="catalog value", from_catalog="unit_mw")
    heat_rate_mmbtu_per_mwh: float | None = inp(None, "MMBtu/MWh", "Fuel per MWh (HHV)", lo=3.412,
                                                hi=20, blank_means="catalog value",
                                                from_catalog="heat_rate_mmbtu_per_mwh")
    capex_usd_per_kw: float | None = inp(None, "USD/kW", "Installed cost", lo=0, blank_means="catalog value",
                                         typical=(200, 6000), slips=CAPEX_KW_SLIPS, objective_only=True,
                                         from_catalog="capex_usd_per_kw")
    fom_usd_per_kw_year: float | None = inp(None, "USD/kW-yr", "Fixed O&M", lo=0, blank_means="catalog value",
                                            objective_only=True, from_catalog="fom_usd_per_kw_year")
    vom_usd_per_mwh: float | None = inp(None, "USD/MWh", "Variable O&M", lo=0, blank_means="catalog value",
                                        objective_only=True, from_catalog="vom_usd_per_mwh")
    life_years: int | None = inp(None, "years", "Economic life", lo=1, hi=60, blank_means="catalog value",
                                 objective_only=True, from_catalog="life_years")
    existing_units: int = inp(0, "count", "Units already on site", lo=0)
    min_new_units: int = inp(0, "count", "Fewest new units", lo=0)
    max_new_units: int | None = inp(40, "count", "Most new units", lo=0,
        blank_means=NO_LIMIT)
    availability: float = inp(0.95, "fraction", "Share of rated power available on average", lo=0, hi=1,
                              source="NREL REopt.jl chp_defaults.json: 9 x 48 h planned outages/yr (~0.95)")
    fuel_price_usd_per_mmbtu: float = inp(0.5, "USD/MMBtu", "Price or royalty paid for the gas", lo=0,
                                          source="estimate: flare gas ~0-2 USD/MMBtu, Upstream Data 2019 "
                                                 "(docs/sources.md, Gas)",
                                          objective_only=True)
    annual_gas_cap_mmbtu: float | None = inp(None, "MMBtu/yr", "Annual limit on gas burned", lo=0,
                                             blank_means="only the hourly supply limits")
    co2_kg_per_mmbtu: float = inp(53.06, "kgCO2/MMBtu", "CO2 from burning natural gas", lo=0,
                                  source="US EPA GHG emission factors hub (2024), natural gas 53.06 kg/MMBtu",
                                  objective_only=True)
    flare_efficiency: float = inp(0.98, "fraction", "Share of methane a flare destroys", lo=0, hi=1,
                                  source="US EPA AP-42 / Subpart W default 98 %", objective_only=True)
    methane_kg_per_mmbtu: float = inp(19.2, "kgCH4/MMBtu", "Methane in one MMBtu of gas", lo=0,
                                      source="1 MMBtu ~ 0.98 Mcf x 19.6 kg/Mcf methane (EIA heat content)",
                                      objective_only=True)
    methane_gwp: float = inp(29.8, "kgCO2e/kgCH4", "Global warming potential of methane (100-yr)", lo=0,
                             source="IPCC AR6 WG1 Table 7.15 (fossil CH4, GWP100 = 29.8); IPCC AR5 WG1 Table 8.7: "
                                    "28 (what many credit protocols still use)", objective_only=True)
    credit_baseline: str = inp(
        "flaring", "enum",
        "What happens to the gas without the gensets (the credit's baseline, and the fate of gas not burned): "
        "flaring = burned in a flare that destroys flare_efficiency of the methane; venting = released unburned",
        choices=("flaring", "venting"),
        source="baseline choice of methane-destruction protocols (docs/formulation.md, Carbon)", may_be_absent=True)
    carbon_credit_usd_per_t_co2e: float = inp(0.0, "USD/tCO2e",
                                              "Credit per tonne CO2e avoided by burning the gas in the gensets "
                                              "instead of the baseline (flaring or venting)",
                                              lo=0, objective_only=True,
                                              source="0 (no credit); methane-avoidance credits ~5 USD/tCO2e in "
                                                     "2025 (AlliedOffsets via EcoEngineers; docs/sources.md, "
                                                     "Carbon)")
    retire_recovery_fraction: float = inp(
        1.0, "fraction", "Multi-period plans: share of a genset's undepreciated value kept when it leaves the site "
        "before its life ends (1 = relocated to another pad, keeping its value)", lo=0, hi=1, objective_only=True,
        may_be_absent=True, source="assumption: relocated gensets keep their value (docs/periods.md)")
    relocation_cost_usd_per_kw: float = inp(
        60.0, "USD/kW", "Multi-period plans: cost of moving one genset off the site (rigging, transport, "
        "reconnection), per kW of its rating", lo=0, objective_only=True, may_be_absent=True, source=EST)


@dataclass
class Hydro(Section):
    """Run-of-river hydro, sized in MW; available power from the Hourly flow."""

    HOURLY = (HourlyColumn("hydro_flow_m3s", "m3/s", "River flow available to the turbines", 0, None,
                           extremes=("min_period",)),)

    enabled: bool = inp(False, "yes/no", "Consider building hydro", choices=YES_NO)
    head_m: float = inp(30.0, "m", "Net head", lo=0, lo_open=True)
    efficiency: float = inp(0.85, "fraction", "Turbine-generator efficiency", lo=0, hi=1, lo_open=True,
                            source="typical Francis/Kaplan turbine (estimate)")
    existing_mw: float = inp(0.0, "MW", "Hydro already on site", lo=0)
    min_new_mw: float = inp(0.0, "MW", "Smallest new build", lo=0)
    max_new_mw: float | None = inp(50.0, "MW", "Largest new build", lo=0,
        blank_means=NO_LIMIT)
    capex_usd_per_kw: float = inp(8000.0, "USD/kW", "Installed cost", lo=0, source=ATB + " (NSD 2-4)",
                                  typical=(500, 20000), slips=CAPEX_KW_SLIPS, objective_only=True)
    fom_usd_per_kw_year: float = inp(120.0, "USD/kW-yr", "Fixed O&M", lo=0, source=ATB + " (1.5 %)",
                                     objective_only=True)
    vom_usd_per_mwh: float = inp(0.0, "USD/MWh", "Variable O&M", lo=0, objective_only=True)
    life_years: int = inp(60, "years", "Economic life", lo=1, hi=100,
                          source="estimate; IEA 2010 via PyPSA: 80 yr (docs/sources.md, Hydro)",
                          objective_only=True)
    itc_fraction: float = inp(0.0, "fraction", "Investment tax credit", lo=0, hi=1, objective_only=True)
    land_ha_per_mw: float = inp(0.0, "ha/MW", "Land use", lo=0)


@dataclass
class FirmUnits(Section):
    """Firm thermal units (geothermal or small reactors): integer catalog units with a must-run floor."""

    HOURLY = (HourlyColumn("firm_available_fraction", "fraction",
                           "Planned-outage profile of geothermal and nuclear units (1 = fully available)", 0, 1,
                           required=None, blank_value=1.0, extremes=("min_value",)),)

    enabled: bool = inp(False, "yes/no", "Consider building these units", choices=YES_NO)
    unit_model: str = inp("", "catalog", "Unit model (models/firm_units.csv)", catalog="firm_units")
    unit_mw: float | None = inp(None, "MW", "Rated power per unit", lo=0, lo_open=True, blank_means="catalog value",
                                from_catalog="unit_mw")
    capex_usd_per_kw: float | None = inp(None, "USD/kW", "Installed cost", lo=0, blank_means="catalog value",
                                         typical=(500, 30000), slips=CAPEX_KW_SLIPS, objective_only=True,
                                         from_catalog="capex_usd_per_kw")
    fom_usd_per_kw_year: float | None = inp(None, "USD/kW-yr", "Fixed O&M", lo=0, blank_means="catalog value",
                                            objective_only=True, from_catalog="fom_usd_per_kw_year")
    vom_usd_per_mwh: float | None = inp(None, "USD/MWh", "Variable O&M", lo=0, blank_means="catalog value",
                                        objective_only=True, from_catalog="vom_usd_per_mwh")
    fuel_usd_per_mwh: float | None = inp(None, "USD/MWh", "Fuel cost per MWh generated", lo=0,
                                         blank_means="catalog value", objective_only=True,
                                         from_catalog="fuel_usd_per_mwh")
    availability: float | None = inp(None, "fraction", "Average availability (forced outages)", lo=0, hi=1,
                                     blank_means="catalog value", from_catalog="availability")
    min_load_fraction: float | None = inp(None, "fraction", "Must-run floor as a share of available power",
                                          lo=0, hi=1, blank_means="catalog value", from_catalog="min_load_fraction")
    life_years: int | None = inp(None, "years", "Economic life", lo=1, hi=100, blank_means="catalog value",
                                 objective_only=True, from_catalog="life_years")
    existing_units: int = inp(0, "count", "Units already on site", lo=0)
    min_new_units: int = inp(0, "count", "Fewest new units", lo=0)
    max_new_units: int | None = inp(4, "count", "Most new units", lo=0,
        blank_means=NO_LIMIT)
    itc_fraction: float = inp(0.0, "fraction", "Investment tax credit", lo=0, hi=1, objective_only=True)
    land_ha_per_mw: float = inp(0.0, "ha/MW", "Land use", lo=0)


@dataclass
class Geothermal(FirmUnits):
    """Geothermal units (firm)."""

    unit_model: str = inp("Geothermal flash 30 MW", "catalog", "Unit model (models/firm_units.csv)",
                          catalog="firm_units")


@dataclass
class Nuclear(FirmUnits):
    """Small modular reactor units (firm, must-run)."""

    unit_model: str = inp("SMR 77 MW module", "catalog", "Unit model (models/firm_units.csv)",
                          catalog="firm_units")


@dataclass
class Battery(Section):
    """Li-ion battery; power (MW) and energy (MWh) sized separately."""

    enabled: bool = inp(True, "yes/no", "Consider building a battery", choices=YES_NO)
    existing_mw: float = inp(0.0, "MW", "Battery power already on site", lo=0)
    existing_mwh: float = inp(0.0, "MWh", "Battery energy already on site", lo=0)
    min_new_mw: float = inp(0.0, "MW", "Smallest new power rating", lo=0)
    min_new_mwh: float = inp(0.0, "MWh", "Smallest new energy rating", lo=0)
    max_new_mw: float | None = inp(200.0, "MW", "Largest new power rating", lo=0,
        blank_means=NO_LIMIT)
    max_new_mwh: float | None = inp(800.0, "MWh", "Largest new energy rating", lo=0,
        blank_means=NO_LIMIT)
    capex_usd_per_kw: float = inp(842.0, "USD/kW", "Cost of power capacity", lo=0,
                                  source="REopt.jl electric_storage_defaults.json (ATB 2024 based)",
                                  typical=(50, 3000), slips=CAPEX_KW_SLIPS, objective_only=True)
    capex_usd_per_kwh: float = inp(213.0, "USD/kWh", "Cost of energy capacity", lo=0,
                                   source="REopt.jl electric_storage_defaults.json (ATB 2024 based)",
                                   typical=(30, 1500), slips=((1e-3, "USD/Wh"), (1e3, "USD/MWh")), objective_only=True)
    fom_usd_per_kw_year: float = inp(25.0, "USD/kW-yr", "Fixed O&M per kW of power (the energy part is "
                                     "fom_usd_per_kwh_year)", lo=0,
                                     source="ATB 2024 4-h: 2.27 % of 1,842 USD/kW = 42; split with energy (estimate)",
                                     objective_only=True)
    fom_usd_per_kwh_year: float = inp(5.3, "USD/kWh-yr", "Fixed O&M per kWh of energy capacity", lo=0,
                                      source="REopt.jl ElectricStorage: om_cost_fraction_of_installed_cost 0.025 x "
                                      "installed_cost_per_kwh 213 (electric_storage_defaults.json) = 5.3",
                                      typical=(0, 50), slips=((1e3, "USD/MWh-yr"),), objective_only=True)
    vom_usd_per_mwh: float = inp(0.0, "USD/MWh", "Variable O&M per MWh discharged", lo=0, objective_only=True)
    charge_efficiency: float = inp(0.919, "fraction", "One-way charging efficiency", lo=0, hi=1, lo_open=True,
                                   source="PyPSA Lithium-Ion-LFP-bicharger (Viswanathan 2022)")
    discharge_efficiency: float = inp(0.919, "fraction", "One-way discharging efficiency", lo=0, hi=1,
                                      lo_open=True, source="PyPSA Lithium-Ion-LFP-bicharger (Viswanathan 2022)")
    self_discharge_per_hour: float = inp(0.0, "fraction/h", "Self-discharge", lo=0, hi=0.1)
    soc_min_fraction: float = inp(0.0, "fraction", "Lowest state of charge as a share of MWh", lo=0, hi=1)
    min_duration_h: float = inp(1.0, "h", "Smallest MWh/MW ratio", lo=0)
    max_duration_h: float = inp(8.0, "h", "Largest MWh/MW ratio", lo=0)
    life_years: int = inp(15, "years", "Life; replaced at end of life", lo=1, hi=40,
                          source="cycle-limited estimate; Viswanathan et al. 2022 (PNNL): 16 yr "
                                 "(docs/sources.md, Battery)", objective_only=True)
    itc_fraction: float = inp(0.0, "fraction", "Investment tax credit", lo=0, hi=1, objective_only=True)
    land_ha_per_mw: float = inp(0.01, "ha/MW", "Land use", lo=0, source=EST)

    def rules(self, catalog) -> tuple[list[str], list[str]]:
        errors, warnings = [], []
        if self.min_duration_h > self.max_duration_h:
            errors.append(f"min_duration_h ({self.min_duration_h:g}) must not exceed max_duration_h "
                          f"({self.max_duration_h:g})")
        if self.existing_mw > 0 and not (self.min_duration_h * self.existing_mw <= self.existing_mwh + 1e-9
                                         <= self.max_duration_h * self.existing_mw + 2e-9):
            warnings.append(f"existing {self.existing_mwh:g} MWh / {self.existing_mw:g} MW is outside the duration "
                            f"bounds")
        return errors, warnings


def _import_from_export(grid: Grid, hourly) -> np.ndarray:
    """A blank import price is the export price plus the import adder."""
    return hourly["export_price_usd_per_mwh"].to_numpy(float) + grid.import_adder_usd_per_mwh


def _tariff_used(grid: Grid) -> bool:
    return grid.connected


@dataclass
class Grid(Section):
    """Grid connection: a sized export line and a given import limit."""

    HOURLY = (
        HourlyColumn("export_price_usd_per_mwh", "USD/MWh", "Price received for exported energy (may be negative)",
                     -10000, 100000, extremes=("max_value", "min_value"), objective_only=True,
                     median_at_least=(1.0, "USD/kWh, not USD/MWh (multiply by 1000)")),
        HourlyColumn("import_price_usd_per_mwh", "USD/MWh",
                     "Price paid for imported energy; blank = export price + Grid.import_adder_usd_per_mwh",
                     -10000, 100000, required=None, fill=_import_from_export,
                     blank_means="export price + Grid.import_adder_usd_per_mwh", extremes=("max_value",),
                     objective_only=True, median_at_least=(1.0, "USD/kWh, not USD/MWh (multiply by 1000)")),
        HourlyColumn("import_tariff_usd_per_mwh", "USD/MWh",
                     "Time-of-use energy charge of the supply tariff on imported energy, paid on top of the import "
                     "price (0 = none)", -10000, 100000, used=_tariff_used, required=None, blank_means="0 (no charge)",
                     objective_only=True),
        HourlyColumn("coincident_peak", "fraction",
                     "1 in the intervals that set the coincident-peak transmission charge (e.g. ERCOT's 4CP hours), 0 "
                     "elsewhere; or the probability that the hour is one (Grid.coincident_peak_charge_usd_per_kw_year)",
                     0, 1, used=lambda g: g.connected and g.coincident_peak_charge_usd_per_kw_year > 0, required=None,
                     blank_means="0 (not a peak interval)", extremes=("max_value",)),
    )

    connected: bool = inp(True, "yes/no", "Is a grid connection possible at all", choices=YES_NO)
    existing_export_mw: float = inp(0.0, "MW", "Export capacity already available", lo=0)
    min_new_export_mw: float = inp(0.0, "MW", "Smallest new export capacity", lo=0)
    max_new_export_mw: float | None = inp(100.0, "MW", "Largest export capacity the utility offers", lo=0,
        blank_means=NO_LIMIT)
    export_capex_usd_per_kw: float = inp(150.0, "USD/kW", "Interconnection cost per kW of export limit", lo=0,
                                         source="LBNL/Seel et al. 2022 MISO (102-156 USD/kW; estimate)",
                                         typical=(0, 2000), slips=CAPEX_KW_SLIPS, objective_only=True)
    export_fom_usd_per_kw_year: float = inp(0.0, "USD/kW-yr", "Fixed O&M of the line", lo=0, objective_only=True)
    export_life_years: int = inp(40, "years", "Life of the interconnection", lo=1, hi=100, objective_only=True)
    import_limit_mw: float = inp(50.0, "MW", "Most power that can be imported in any hour", lo=0)
    import_adder_usd_per_mwh: float = inp(10.0, "USD/MWh",
                                          "Added to the export price when Hourly import price is blank",
                                          source="estimate: ERCOT 4CP transmission charge (docs/sources.md, Grid)")
    demand_charge_usd_per_kw_month: float = inp(
        0.0, "USD/kW-month", "Demand charge on the highest hourly import of each calendar month (0 = none)", lo=0,
        source="0: no demand charge (a tariff's own figure; docs/sources.md, Grid)", typical=(0, 50),
        slips=((1e3, "USD/MW-month"),), objective_only=True, may_be_absent=True)
    coincident_peak_charge_usd_per_kw_year: float = inp(
        0.0, "USD/kW-yr", "Coincident-peak transmission charge on the average import over the intervals flagged in "
        "Hourly coincident_peak (ERCOT 4CP style; 0 = none)", lo=0,
        source="0: no charge (ERCOT 4CP: docs/sources.md, Grid)", typical=(0, 300),
        slips=((1e3, "USD/MW-yr"),), objective_only=True, may_be_absent=True)

    def active(self) -> bool:
        return self.connected

    def hourly_warnings(self, hourly) -> list[str]:
        if not self.connected or self.import_limit_mw <= 0:
            return []
        out = []
        if self.coincident_peak_charge_usd_per_kw_year > 0 and not (hourly["coincident_peak"] > 0).any():
            out.append(f"{HOURLY_SHEET}: Grid.coincident_peak_charge_usd_per_kw_year is "
                       f"{self.coincident_peak_charge_usd_per_kw_year:g} USD/kW-yr but coincident_peak flags no hour: "
                       f"the charge applies to no import")
        cheaper = np.flatnonzero(hourly["import_price_usd_per_mwh"].to_numpy() <
                                 hourly["export_price_usd_per_mwh"].to_numpy())
        if len(cheaper):
            out.append(f"{HOURLY_SHEET}: import price is below the export price in {len(cheaper)} hour(s) (first at "
                       f"row {cheaper[0] + HOURLY_FIRST_ROW}); the plan will import to export in those hours")
        return out


@dataclass
class SiteLoad(Section):
    """Existing site load (Hourly site_load_mw), served every hour."""

    HOURLY = (HourlyColumn("site_load_mw", "MW", "Existing site load (zero or low during shutdowns)", 0, None,
                           extremes=("max_value",)),)

    enabled: bool = inp(False, "yes/no", "Does the site have its own load to serve", choices=YES_NO)
    load_scale: float = inp(1.0, "multiplier", "Multiplies the Hourly site_load_mw column", lo=0)
    unserved_policy: str = inp("forbid", "enum", "forbid: load must be served; voll: unserved energy costs VOLL",
                               choices=("forbid", "voll"))
    voll_usd_per_mwh: float = inp(10000.0, "USD/MWh", "Value of lost load (used with voll)", lo=0,
                                  source="ERCOT system-wide offer cap 5,000 USD/MWh (2024); estimate",
                                  objective_only=True)


@dataclass
class AI(Section):
    """GPU AI data centre: integer blocks of whole catalog GPU servers selling GPU-hours.

    A block holds the most whole servers that fit in block_it_mw (at least one); its IT power is then
    servers x server_kw, and everything per kW or MW of IT (facility capex, O&M, land, power) uses it.
    """

    HOURLY = (HourlyColumn("ai_utilisation", "fraction", "Share of AI IT capacity that can be sold this hour", 0, 1,
                           extremes=("max_value",)),)

    enabled: bool = inp(True, "yes/no", "Consider building an AI data centre", choices=YES_NO)
    gpu_system: str = inp("DGX H100", "catalog", "GPU server system (models/gpu_systems.csv)",
                          catalog="gpu_systems")
    block_it_mw: float = inp(1.0, "MW_IT", "Target IT power of one block: a block holds the most whole servers "
                             "that fit (at least one) and its IT power is servers x server_kw", lo=0, lo_open=True)
    existing_blocks: int = inp(0, "count", "Blocks already on site", lo=0)
    min_new_blocks: int = inp(0, "count", "Fewest new blocks (e.g. a contracted AI load)", lo=0)
    max_new_blocks: int | None = inp(20, "count", "Most new blocks", lo=0,
        blank_means=NO_LIMIT)
    pue: float = inp(1.3, "ratio", "Facility power / IT power", lo=1.0, hi=3.0,
                     source="Uptime Institute 2024: new liquid-cooled builds <= 1.3", key=True)
    gpu_hour_price_usd: float | None = inp(None, "USD/GPU-h", "Price of one sold GPU-hour in year 1", lo=0,
                                           blank_means="catalog market price", objective_only=True,
                                           from_catalog="gpu_hour_price_usd", key=True)
    gpu_hour_price_decline_per_year: float = inp(
        0.15, "fraction/yr", "Yearly fall of the GPU-hour price within one GPU generation (resets at refresh)",
        lo=0, hi=0.9, source="estimate from H100 prices 2023-2026 (docs/sources.md, AI)", objective_only=True, key=True)
    gpu_hour_price_refresh_decline_per_year: float = inp(
        0.0, "fraction/yr",
        "Yearly fall of the price a newly refreshed GPU generation starts at: the generation bought at the refresh "
        "in year y earns (1 - this)^y x the year-1 price in its first year (0 = every refresh earns the year-1 "
        "price again)", lo=-0.5, hi=0.9,
        source="0 keeps the earlier reset; 0.094 = 1 - 2^(1/3 - 1/2.1) from Hobbhahn, Heim & Aydos 2023, Trends in "
        "Machine Learning Hardware (Epoch AI) for a current-generation system (docs/sources.md, AI; "
        "docs/formulation.md)",
        objective_only=True, key=True)
    server_price_usd: float | None = inp(None, "USD/server", "Price of one GPU server incl. network share", lo=0,
                                         blank_means="catalog value", objective_only=True,
                                         from_catalog="price_usd_per_server")
    gpus_per_server: int | None = inp(None, "count", "GPUs in one server", lo=1, blank_means="catalog value",
                                      objective_only=True, from_catalog="gpus_per_server")
    server_kw: float | None = inp(None, "kW", "Maximum IT power of one server", lo=0, lo_open=True,
                                  blank_means="catalog value", from_catalog="server_kw")
    gpu_refresh_years: int = inp(5, "years", "GPU servers are replaced after this many years", lo=1, hi=20,
                                 source="CoreWeave 6, Lambda 5, Nebius 4 (bizety.com 2025; docs/sources.md, AI)",
                                 objective_only=True)
    server_price_decline_per_year: float = inp(0.10, "fraction/yr",
                                               "Yearly fall of the price of a replacement server", lo=0, hi=0.9,
                                               source=EST, objective_only=True)
    facility_capex_usd_per_kw_it: float = inp(11000.0, "USD/kW_IT", "Shell, electrical and cooling (excl. IT)",
                                              lo=0, source="CBRE via build.inc 2025 (7.7-10.7 M USD/MW)",
                                              typical=(1000, 40000), slips=CAPEX_KW_SLIPS, objective_only=True)
    facility_life_years: int = inp(25, "years", "Facility life", lo=1, hi=60, source=EST, objective_only=True)
    fom_usd_per_kw_it_year: float = inp(150.0, "USD/kW_IT-yr", "Staff, network, software, maintenance", lo=0,
                                        source=EST, objective_only=True)
    vom_usd_per_it_mwh: float = inp(0.0, "USD/MWh_IT", "Variable O&M per IT-MWh sold (e.g. water, wear, "
                                    "usage-based licences); electricity is not included", lo=0,
                                    source="0: running costs are in fom_usd_per_kw_it_year (assumption)",
                                    typical=(0, 200), objective_only=True)
    firmness: str = inp("hard", "enum",
                        "hard: firm share of sellable load must be served every hour; sla: a penalty per unserved MWh",
                        choices=("hard", "sla"))
    firm_fraction: float = inp(1.0, "fraction", "Share of sellable IT load that is firm", lo=0, hi=1)
    sla_penalty_usd_per_mwh: float = inp(5000.0, "USD/MWh_IT", "Penalty per unserved firm IT MWh (sla)", lo=0,
                                         source=EST, objective_only=True)
    land_ha_per_mw: float = inp(1.0, "ha/MW_IT", "Land use", lo=0, source=EST)
    retire_recovery_fraction: float = inp(
        0.5, "fraction", "Multi-period plans: share of a block's undepreciated value (servers and facility) "
        "returned when it is retired early and resold", lo=0, hi=1, objective_only=True, may_be_absent=True,
        source=EST)

    def rules(self, catalog) -> tuple[list[str], list[str]]:
        kw = self.server_kw if self.server_kw is not None else _catalog_value(
            catalog, "gpu_systems", self.gpu_system, "server_kw")
        if not self.enabled or not kw:
            return [], []
        n = whole_units(self.block_it_mw * 1000.0, kw)
        return [], _rounding_warning("block_it_mw", self.block_it_mw, "MW_IT", n, f"server(s) of {kw:g} kW",
                                     n * kw / 1000.0, "block")


@dataclass
class Mining(Section):
    """Bitcoin mining: integer containers of whole catalog ASICs, freely curtailable every hour.

    A container holds the most whole ASICs whose power with cooling fits in container_mw (at least one); its
    power is then ASICs x asic_power_w x container_pue, and its hashrate that of the whole ASICs.
    """

    enabled: bool = inp(True, "yes/no", "Consider building a mining fleet", choices=YES_NO)
    asic_model: str = inp("Antminer S21 XP", "catalog", "ASIC model (models/asics.csv)", catalog="asics")
    asic_efficiency_j_per_th: float | None = inp(None, "J/TH", "ASIC efficiency", lo=1, hi=200,
                                                 blank_means="catalog value", objective_only=True,
                                                 from_catalog="efficiency_j_per_th")
    asic_price_usd_per_th: float | None = inp(None, "USD/TH", "ASIC price", lo=0, blank_means="catalog value",
                                              typical=(1, 100), slips=((1e3, "USD/PH"),), objective_only=True,
                                              from_catalog="price_usd_per_th")
    asic_power_w: float | None = inp(None, "W", "Power of one ASIC at the wall", lo=0, lo_open=True,
                                     blank_means="catalog value", from_catalog="power_w")
    container_mw: float = inp(1.0, "MW", "Rated electrical power of one container (ASICs + cooling): it holds the "
                              "most whole ASICs that fit (at least one) and draws ASICs x asic_power_w x "
                              "container_pue", lo=0, lo_open=True,
                              source="uminers.com 2026: 40-ft hydro container ~1.9 MW; pod-sized")
    container_pue: float = inp(1.03, "ratio", "Container power / ASIC power (cooling)", lo=1.0, hi=1.5,
                               source="uminers.com 2026 (air 1.003-1.005); hydro estimate (docs/sources.md, Mining)")

    container_capex_usd_per_mw: float = inp(200000.0, "USD/MW", "Container, cooling and electrical BOS", lo=0,
                                            source="estimate: no priced source found (docs/sources.md, Mining)",
                                            typical=(10000, 2000000), slips=((1e-3, "USD/kW"),), objective_only=True)
    infrastructure_life_years: int = inp(10, "years", "Container/BOS life", lo=1, hi=40, source=EST,
                                         objective_only=True)
    existing_containers: int = inp(0, "count", "Containers already on site", lo=0)
    min_new_containers: int = inp(0, "count", "Fewest new containers", lo=0)
    max_new_containers: int | None = inp(150, "count", "Most new containers", lo=0,
        blank_means=NO_LIMIT)
    availability: float = inp(0.97, "fraction", "Share of fleet power usable on average", lo=0, hi=1, source=EST)
    hashprice_usd_per_ph_day: float = inp(40.0, "USD/PH/day", "Hashprice today (before the next halving)", lo=0,
                                          source="TheMinerMag via bitbuzz.org: Nov 2025 average 39.82 "
                                                 "(docs/sources.md, Mining)",
                                          typical=(5, 500), slips=((1e-3, "USD/TH/day"),), objective_only=True,
                                          key=True)
    btc_price_growth_per_year: float = inp(0.0, "fraction/yr", "Real BTC price drift", lo=-0.9, hi=2,
                                           source="scenario input, estimate (docs/sources.md, Mining)",
                                           objective_only=True)
    network_hashrate_growth_per_year: float = inp(0.25, "fraction/yr", "Network hashrate growth", lo=-0.9, hi=3,
                                                  source="estimate from JPMorgan hashrate data 2024-25 "
                                                         "(docs/sources.md, Mining)",
                                                  objective_only=True, key=True)
    fee_share_of_reward: float = inp(0.02, "fraction", "Transaction fees as a share of block reward", lo=0, hi=1,
                                     source="estimate from Hashrate Index roundups (docs/sources.md, Mining)",
                                     objective_only=True)
    next_halving_year: float = inp(2028.3, "year", "Date of the next halving as a decimal year", lo=2024, hi=2100,
                                   source="Bitcoin Core chainparams: block 1,050,000 ~ Apr 2028 (estimate; "
                                          "docs/sources.md, Mining)",
                                   objective_only=True)
    halving_interval_years: float = inp(4.0, "years", "Years between halvings", lo=1, hi=10, objective_only=True)
    pool_fee: float = inp(0.025, "fraction", "Pool fee (FPPS)", lo=0, hi=0.5,
                          source="spark.money pool comparison 2026: AntPool FPPS 2.5 % (docs/sources.md, Mining)",
                          objective_only=True)
    asic_life_years: int = inp(4, "years", "ASICs are replaced after this many years", lo=1, hi=15,
                               source="estimate: a halving halves revenue per TH (docs/sources.md, Mining)",
                               objective_only=True)
    asic_price_decline_per_year: float = inp(0.15, "fraction/yr", "Yearly fall of the USD/TH price of new ASICs",
                                             lo=0, hi=0.9, source=EST, objective_only=True)
    fom_usd_per_mw_year: float = inp(20000.0, "USD/MW-yr", "Staff, repairs, insurance", lo=0, source=EST,
                                     objective_only=True)
    vom_usd_per_mwh: float = inp(0.0, "USD/MWh", "Variable O&M per MWh mined (e.g. repairs and parts that scale "
                                 "with run hours); electricity is not included", lo=0,
                                 source="0: repairs are in fom_usd_per_mw_year (assumption)",
                                 typical=(0, 100), objective_only=True)
    land_ha_per_mw: float = inp(0.05, "ha/MW", "Land use", lo=0, source=EST)
    retire_recovery_fraction: float = inp(
        0.3, "fraction", "Multi-period plans: share of a container's undepreciated value (ASICs and container) "
        "returned when it is retired early and resold", lo=0, hi=1, objective_only=True, may_be_absent=True,
        source=EST)

    def rules(self, catalog) -> tuple[list[str], list[str]]:
        w = self.asic_power_w if self.asic_power_w is not None else _catalog_value(
            catalog, "asics", self.asic_model, "power_w")
        if not self.enabled or not w:
            return [], []
        n = whole_units(self.container_mw * 1e6, w * self.container_pue)
        return [], _rounding_warning("container_mw", self.container_mw, "MW", n,
                                     f"ASIC(s) of {w:g} W (with PUE {self.container_pue:g})",
                                     n * w * self.container_pue / 1e6, "container")


RESERVE_PRODUCTS = (1, 2)  # the product slots of the Reserves sheet


def _reserve_price_used(k: int):
    return lambda r: r.enabled and r.offered(k)


@dataclass
class Reserves(Section):
    """Reserve products the mining fleet is paid to hold back (a curtailable load), up to two products.

    Offering r MW of a product in an hour pays its hourly capacity price x r, needs the fleet to run at least
    r MW in that hour (it can only drop what it runs) and at most the product's share of the fleet's power,
    and in expectation loses the mining margin of the deployed energy: deployment probability x r x margin.
    The fleet offers a product only if it responds within the product's response time. Gensets, the battery
    and AI do not offer reserves (docs/formulation.md, (10a)-(10b)).
    """

    MAY_BE_ABSENT = True

    HOURLY = tuple(HourlyColumn(f"reserve_{k}_price_usd_per_mw_h", "USD/MW-h",
                                f"Capacity price of reserve product {k} per MW held for one hour", 0, 100000,
                                used=_reserve_price_used(k), required=None, blank_means="0 (not paid)",
                                objective_only=True) for k in RESERVE_PRODUCTS)

    enabled: bool = inp(False, "yes/no", "Offer reserves from the mining fleet", choices=YES_NO)
    mining_response_time_s: float = inp(
        1.0, "s", "Time the mining fleet needs to drop its load on a signal", lo=0,
        source="estimate: ASICs stop within a second on a command or an under-frequency relay (docs/sources.md, "
               "Reserves)")
    product_1_name: str = inp("", "text", "Name of reserve product 1 (e.g. ECRS)", blank_means="not offered")
    product_1_response_time_s: float = inp(600.0, "s", "Full response required within (the fleet qualifies when "
                                           "its response time is at most this)", lo=0, lo_open=True,
                                           source="ERCOT ECRS: 10 minutes (docs/sources.md, Reserves)")
    product_1_deployment_probability: float = inp(
        0.01, "fraction", "Share of the hours held in which the reserve is deployed (expected deployed hours per "
        "year / hours held)", lo=0, hi=1, source=EST)
    product_1_max_fleet_share: float = inp(1.0, "fraction", "Largest share of the fleet's power offered in any hour",
                                           lo=0, hi=1, source="assumption: no cap")
    product_2_name: str = inp("", "text", "Name of reserve product 2 (e.g. RRS)", blank_means="not offered")
    product_2_response_time_s: float = inp(600.0, "s", "Full response required within", lo=0, lo_open=True,
                                           source="ERCOT ECRS: 10 minutes (docs/sources.md, Reserves)")
    product_2_deployment_probability: float = inp(0.01, "fraction", "Share of the hours held in which it is deployed",
                                                  lo=0, hi=1, source=EST)
    product_2_max_fleet_share: float = inp(1.0, "fraction", "Largest share of the fleet's power offered in any hour",
                                           lo=0, hi=1, source="assumption: no cap")

    def named(self, k: int) -> bool:
        """Does product slot k hold a product (a name)?"""
        return bool(str(getattr(self, f"product_{k}_name")).strip())

    def offered(self, k: int) -> bool:
        """Is product k offered: named, and the fleet responds within its response time?"""
        return self.named(k) and self.mining_response_time_s <= getattr(self, f"product_{k}_response_time_s")

    def rules(self, catalog) -> tuple[list[str], list[str]]:
        if not self.enabled:
            return [], []
        warnings = [f"product_{k}_name ({getattr(self, f'product_{k}_name')}): the fleet's response time "
                    f"({self.mining_response_time_s:g} s) is above the product's "
                    f"({getattr(self, f'product_{k}_response_time_s'):g} s); it is not offered"
                    for k in RESERVE_PRODUCTS if self.named(k) and not self.offered(k)]
        if not any(self.named(k) for k in RESERVE_PRODUCTS):
            warnings.append("enabled = yes but no product is named (product_1_name, product_2_name): no reserve "
                            "is offered")
        return [], warnings


@dataclass
class Heat(Section):
    """Waste heat of the mining containers and liquid-cooled AI sold to a heat customer (district heating,
    greenhouses), through a sized heat connection and, for heat colder than the customer needs, a heat pump.

    Each source's heat is proportional to its power (mining: container power; AI: IT power) times its
    recoverable fraction; a source at or above supply_temp_c is sold directly, a colder one only through the
    heat pump, which draws heat_out / heat_pump_cop of electricity (docs/formulation.md, Waste heat).
    """

    MAY_BE_ABSENT = True

    HOURLY = (
        HourlyColumn("heat_demand_mwh_th", "MWh_th", "Heat the customer takes in this hour (the most that can be "
                     "sold)", 0, None, extremes=("max_value",)),
        HourlyColumn("heat_price_usd_per_mwh_th", "USD/MWh_th",
                     "Hourly part of the heat price, added to Heat.price_usd_per_mwh_th (blank = 0)", -1000, 10000,
                     required=None, blank_means="0: the price is Heat.price_usd_per_mwh_th",
                     objective_only=True),
    )

    enabled: bool = inp(False, "yes/no", "Sell waste heat of mining and liquid-cooled AI to a heat customer",
                        choices=YES_NO)
    supply_temp_c: float = inp(70.0, "degC", "Temperature the customer needs: heat from a colder source must "
                               "pass through the heat pump", lo=0, hi=200,
                               source="estimate: 4th-generation district heating supplies 50-70 C (Lund et al. "
                                      "2014, Energy 68, 1-11; docs/sources.md, Heat)")
    price_usd_per_mwh_th: float = inp(30.0, "USD/MWh_th", "Price the customer pays per MWh of heat (plus the "
                                      "Hourly heat_price_usd_per_mwh_th column)", lo=-1000, hi=10000,
                                      source=EST, objective_only=True, key=True)
    price_escalation_per_year: float = inp(0.0, "fraction/yr", "Yearly change of the heat price, "
                                           "f(y) = (1+e)^(y-1)", lo=-0.2, hi=0.3, objective_only=True)
    mining_cooling: str = inp("air", "catalog", "Cooling of the mining containers (models/heat_recovery.csv): "
                              "air, immersion or hydro; sets the two fields below when they are blank",
                              catalog="heat_recovery")
    mining_recoverable_fraction: float | None = inp(
        None, "fraction", "Share of the containers' power recoverable as heat", lo=0, hi=1,
        blank_means="catalog value", from_catalog="recoverable_fraction")
    mining_heat_temp_c: float | None = inp(None, "degC", "Temperature of the recovered mining heat", lo=0,
                                           hi=200, blank_means="catalog value", from_catalog="heat_temp_c")
    ai_liquid_cooled: bool = inp(False, "yes/no", "AI servers are liquid-cooled (direct to chip): their heat "
                                 "is recoverable", choices=YES_NO)
    ai_recoverable_fraction: float = inp(
        0.75, "fraction", "Share of the AI IT power captured by the liquid loop (the rest leaves as air)",
        lo=0, hi=1, source="estimate: direct-to-chip cold plates capture ~70-80 % of server heat "
                           "(docs/sources.md, Heat)")
    ai_heat_temp_c: float = inp(45.0, "degC", "Temperature of the AI liquid loop's return", lo=0, hi=200,
                                source="ASHRAE TC 9.9 liquid-cooling class W45 (facility water up to 45 C; "
                                       "docs/sources.md, Heat)")
    existing_connection_mw_th: float = inp(0.0, "MW_th", "Heat connection already built (exchangers, pumps, "
                                           "pipe to the customer)", lo=0)
    min_new_connection_mw_th: float = inp(0.0, "MW_th", "Smallest new heat connection", lo=0)
    max_new_connection_mw_th: float | None = inp(50.0, "MW_th", "Largest new heat connection", lo=0,
                                                 blank_means=NO_LIMIT)
    connection_capex_usd_per_kw_th: float = inp(
        300.0, "USD/kW_th", "Cost of the heat connection per kW_th it can deliver", lo=0,
        source="estimate: plate exchangers, pumps and a short transmission pipe (docs/sources.md, Heat)",
        typical=(10, 3000), slips=CAPEX_KW_SLIPS, objective_only=True)
    connection_life_years: int = inp(30, "years", "Life of the heat connection", lo=1, hi=80, source=EST,
                                     objective_only=True)
    existing_heat_pump_mw_th: float = inp(0.0, "MW_th", "Heat pump already built (heat output)", lo=0)
    min_new_heat_pump_mw_th: float = inp(0.0, "MW_th", "Smallest new heat pump (heat output)", lo=0)
    max_new_heat_pump_mw_th: float | None = inp(50.0, "MW_th", "Largest new heat pump (heat output)", lo=0,
                                                blank_means=NO_LIMIT)
    heat_pump_cop: float = inp(3.0, "ratio", "Heat out per MWh of electricity drawn", lo=1, hi=10, lo_open=True,
                               source="Danish Energy Agency, Technology Data for Generation of Electricity and "
                                      "District Heating, large electric heat pumps on excess heat: COP ~3-4 "
                                      "(estimate; docs/sources.md, Heat)")
    heat_pump_capex_usd_per_kw_th: float = inp(
        700.0, "USD/kW_th", "Installed cost of the heat pump per kW of heat output", lo=0,
        source="Danish Energy Agency, Technology Data (large heat pumps ~0.6-0.9 M EUR/MW_th; estimate; "
               "docs/sources.md, Heat)", typical=(50, 5000), slips=CAPEX_KW_SLIPS, objective_only=True)
    heat_pump_fom_usd_per_kw_th_year: float = inp(
        2.0, "USD/kW_th-yr", "Fixed O&M of the heat pump", lo=0,
        source="Danish Energy Agency, Technology Data (~2 EUR/kW_th-yr; estimate; docs/sources.md, Heat)",
        objective_only=True)
    heat_pump_life_years: int = inp(25, "years", "Life of the heat pump", lo=1, hi=60,
                                    source="Danish Energy Agency, Technology Data (25 years)", objective_only=True)

@dataclass
class Carbon(Section):
    """A carbon price on the emissions of grid import (an hourly grid carbon intensity)."""

    MAY_BE_ABSENT = True

    HOURLY = (HourlyColumn("grid_carbon_t_per_mwh", "tCO2/MWh", "Carbon intensity of grid import (blank = 0)",
                           0, 3, required=None, blank_means="0 tCO2/MWh", objective_only=True),)

    enabled: bool = inp(False, "yes/no", "Count (and price) the emissions of grid import", choices=YES_NO)
    grid_carbon_price_usd_per_t_co2: float = inp(
        0.0, "USD/tCO2", "Carbon price paid per tonne of CO2 of grid import (0: emissions reported only)", lo=0,
        hi=10000, source="0: no price; e.g. EU ETS ~70-90 EUR/t in 2024-25 (docs/sources.md, Carbon)",
        objective_only=True)


@dataclass
class Uncertainty(Section):
    """Settings of the two-stage stochastic run (planner run --stochastic); its scenarios are the tables below."""

    MAY_BE_ABSENT = True

    scenarios: int = inp(10, "count", "Scenarios solved after reduction (each a copy of the dispatch sharing the "
                         "sizes)", lo=1, hi=200, source="assumption: 10 keeps a full-year model solvable")
    samples: int = inp(200, "count", "Draws of the uncertain inputs before reduction (samples <= scenarios: every "
                       "draw is solved, none reduced); the reduction's time grows as samples^2 x scenarios", lo=1,
                       hi=20000, source="assumption (docs/uncertainty.md, Reduction)")
    seed: int = inp(1, "integer", "Seed of the random draws: identical inputs and seed give identical scenarios",
                    lo=0, hi=1_000_000_000)
    risk_aversion: float = inp(0.0, "fraction", "lambda of the objective (1 - lambda) E[NPV] + lambda CVaR "
                               "(0 = risk neutral, maximise the expected NPV)", lo=0, hi=1,
                               source="Rockafellar and Uryasev (2000), CVaR (docs/uncertainty.md)")
    cvar_alpha: float = inp(0.1, "fraction", "Share of the worst outcomes whose mean NPV is the CVaR (0.1 = the "
                            "mean of the worst 10 %; not the 0.9/0.95 confidence convention)", lo=0, hi=1,
                            lo_open=True, source="docs/uncertainty.md, CVaR")


def sheet(name: str, cls: type) -> Any:
    """A section of the Scenario: its input sheet's name and dataclass."""
    return dataclasses.field(default_factory=cls, metadata={"sheet": name})


@dataclass
class Sections:
    """Every input sheet, in workbook order; the attribute names prefix the dotted parameter names."""

    site: Site = sheet("Site", Site)
    finance: Finance = sheet("Finance", Finance)
    pv: PV = sheet("PV", PV)
    wind: Wind = sheet("Wind", Wind)
    gas: Gas = sheet("Gas", Gas)
    hydro: Hydro = sheet("Hydro", Hydro)
    geothermal: Geothermal = sheet("Geothermal", Geothermal)
    nuclear: Nuclear = sheet("Nuclear", Nuclear)
    battery: Battery = sheet("Battery", Battery)
    grid: Grid = sheet("Grid", Grid)
    site_load: SiteLoad = sheet("SiteLoad", SiteLoad)
    ai: AI = sheet("AI", AI)
    mining: Mining = sheet("Mining", Mining)
    reserves: Reserves = sheet("Reserves", Reserves)
    heat: Heat = sheet("Heat", Heat)
    carbon: Carbon = sheet("Carbon", Carbon)
    uncertainty: Uncertainty = sheet("Uncertainty", Uncertainty)


# attribute of Scenario -> sheet name, and sheet name -> section class, in workbook order
SECTION_ATTR: dict[str, str] = {f.name: f.metadata["sheet"] for f in dataclasses.fields(Sections)}
SECTIONS: dict[str, type] = {f.metadata["sheet"]: f.default_factory for f in dataclasses.fields(Sections)}


def _hourly_owners() -> dict[str, tuple[HourlyColumn, list[str]]]:
    """Each sheet's hourly columns in sheet order; the Site sheet's own (records such as temperature) last."""
    out: dict[str, tuple[HourlyColumn, list[str]]] = {}
    fields = dataclasses.fields(Sections)
    for f in fields[1:] + fields[:1]:
        for col in f.default_factory.HOURLY:
            out.setdefault(col.name, (col, []))[1].append(f.name)
    return out


# every Hourly column once, in workbook order, with the sections that use it (a column may serve several)
HOURLY_OWNERS: dict[str, tuple[HourlyColumn, list[str]]] = _hourly_owners()
HOURLY_COLUMNS: tuple[HourlyColumn, ...] = tuple(col for col, _ in HOURLY_OWNERS.values())
HOURLY_NAMES: tuple[str, ...] = tuple(HOURLY_OWNERS)
